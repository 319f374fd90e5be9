//! The assessment report: one self-contained HTML file (charts inline as SVG, no
//! scripts, no external assets, prints cleanly to PDF) or the same content as
//! Markdown (charts written beside it as SVG files).
//!
//! The content is built once as a small document model (`Block`, `Inline`) by
//! `content`, then rendered by `html` or `markdown`. Every piece of project text
//! reaches the output only through those renderers, which escape it; links taken from
//! project data become links only for `http`, `https` and `mailto` (see `safe_url`).
//!
//! Pure: the functions here return strings; `write_markdown` writes through
//! `persist::atomic` only.

mod content;
mod html;
mod markdown;

pub use markdown::escape as escape_markdown;

use std::path::{Path, PathBuf};

use crate::compute::smaa::Smaa;
use crate::compute::{Selection, SelectionError};
use crate::model::Project;

/// What the report covers.
#[derive(Clone, Debug, Default)]
pub struct ReportOptions<'a> {
    /// Whose scores and which scenario the report shows (None/None: the base
    /// assessment, median across analysts).
    pub selection: Selection,
    /// Compare the base assessment (with the same analyst choice) with this scenario.
    pub compare_scenario: Option<String>,
    /// Draw the charts (quadrant, group bars, ranking, heatmap, tornado).
    pub include_charts: bool,
    /// Rank acceptability results computed on the same selection, if any were run
    /// (`compute::smaa::smaa` on `compute::effective_matrix(project, &selection)`).
    /// Results whose mechanisms do not match the selection are left out with a note.
    pub smaa: Option<&'a Smaa>,
}

impl ReportOptions<'_> {
    /// The base assessment, median across analysts, with charts.
    pub fn new(selection: Selection) -> ReportOptions<'static> {
        ReportOptions {
            selection,
            compare_scenario: None,
            include_charts: true,
            smaa: None,
        }
    }
}

/// Why a report could not be made: the options name something the project lacks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    #[error("{0}")]
    Selection(#[from] SelectionError),
}

/// The report as one self-contained HTML document.
pub fn html_report(project: &Project, opts: &ReportOptions) -> Result<String, ReportError> {
    let doc = content::build(project, opts)?;
    Ok(html::render(&doc))
}

/// A Markdown report and the chart files it refers to.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkdownReport {
    pub text: String,
    /// Charts to write beside the Markdown file: (path relative to it, SVG text).
    pub charts: Vec<(String, String)>,
}

/// The report as Markdown. With `charts_dir` (a folder relative to the Markdown
/// file, e.g. `"report-charts"`, see `charts_dir_for`) and `include_charts`, charts are
/// referenced as `charts_dir/NAME.svg` and returned in `charts` for the caller to
/// write; otherwise they are omitted with a note.
pub fn markdown_report(
    project: &Project,
    opts: &ReportOptions,
    charts_dir: Option<&str>,
) -> Result<MarkdownReport, ReportError> {
    let doc = content::build(project, opts)?;
    Ok(markdown::render(&doc, charts_dir))
}

/// The chart folder used beside a Markdown report: `brief.md` → `brief-charts`.
pub fn charts_dir_for(markdown_path: &Path) -> String {
    let stem = markdown_path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "report".to_string());
    format!("{stem}-charts")
}

/// The files `write_markdown` would write for `report` at `path` (charts first).
pub fn markdown_paths(path: &Path, report: &MarkdownReport) -> Vec<PathBuf> {
    let dir = path.parent().unwrap_or(Path::new(""));
    report
        .charts
        .iter()
        .map(|(rel, _)| dir.join(rel))
        .chain(std::iter::once(path.to_path_buf()))
        .collect()
}

/// Writes a Markdown report and its charts (each atomically; charts first, so the
/// text never refers to a chart that is not there). Returns the files written.
pub fn write_markdown(path: &Path, report: &MarkdownReport) -> std::io::Result<Vec<PathBuf>> {
    let paths = markdown_paths(path, report);
    for ((_, svg), p) in report.charts.iter().zip(&paths) {
        if let Some(parent) = p.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent)?;
        }
        crate::persist::atomic::write_atomic(p, svg.as_bytes())?;
    }
    crate::persist::atomic::write_atomic(path, report.text.as_bytes())?;
    Ok(paths)
}

// ---------------------------------------------------------------------------------
// The document model shared by the renderers
// ---------------------------------------------------------------------------------

/// A run of inline content. Text is project text or ours; renderers escape all of it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Inline {
    Text(String),
    Strong(String),
    Em(String),
    /// A link from project data: a link only when `safe_url` accepts it, else text.
    Link {
        url: String,
        text: String,
    },
    /// A link to an anchor inside the report (`#id`; plain text in Markdown).
    Internal {
        id: String,
        text: String,
    },
    /// A numbered reference to the source list: "[n]".
    SourceRef(usize),
}

pub(crate) type Inlines = Vec<Inline>;

pub(crate) fn text(s: impl Into<String>) -> Inline {
    Inline::Text(s.into())
}

pub(crate) fn strong(s: impl Into<String>) -> Inline {
    Inline::Strong(s.into())
}

pub(crate) fn em(s: impl Into<String>) -> Inline {
    Inline::Em(s.into())
}

/// How a paragraph is set off.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Tone {
    Plain,
    /// Small, muted: method notes and reading guides.
    Note,
    /// Boxed: the composite caveat, the hypothetical label.
    Caveat,
    /// Meta line under a title.
    Meta,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Table {
    pub head: Vec<String>,
    pub rows: Vec<Vec<Inlines>>,
    /// Right-aligned (numeric) columns.
    pub numeric: Vec<bool>,
    /// A CSS class hint for widths ("results", "scores", "framework", …).
    pub class: &'static str,
}

#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Block {
    Heading {
        level: u8,
        id: Option<String>,
        text: String,
        /// Starts a new page when printed.
        page_break: bool,
    },
    Para(Tone, Inlines),
    /// A list; each item may carry an anchor id.
    List {
        ordered: bool,
        items: Vec<(Option<String>, Inlines)>,
    },
    Table(Table),
    Chart {
        /// File stem when written beside a Markdown file.
        stem: String,
        title: String,
        svg: String,
        caption: String,
    },
    /// The table of contents: (anchor id, title).
    Contents(Vec<(String, String)>),
}

// ---------------------------------------------------------------------------------
// Safety helpers shared by the renderers
// ---------------------------------------------------------------------------------

/// The URL when it may become a link: `http://`, `https://` or `mailto:` (any case),
/// after trimming white space, with no control characters, white space, quotes or
/// angle brackets inside. Anything else (`javascript:`, `data:`, `file:`, relative
/// paths, …) is shown as text.
pub fn safe_url(url: &str) -> Option<&str> {
    let u = url.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://")
        || lower.starts_with("https://")
        || lower.starts_with("mailto:");
    let clean = !u
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || matches!(c, '"' | '\'' | '<' | '>' | '`'));
    let has_more = match lower.as_str() {
        l if l.starts_with("mailto:") => u.len() > 7,
        l if l.starts_with("https://") => u.len() > 8,
        _ => u.len() > 7,
    };
    (scheme_ok && clean && has_more).then_some(u)
}

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab and newlines have no business in a page.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_and_mail_links_are_safe() {
        assert_eq!(
            safe_url(" https://example.org/a?b=1 "),
            Some("https://example.org/a?b=1")
        );
        assert_eq!(safe_url("HTTP://x.org"), Some("HTTP://x.org"));
        assert_eq!(safe_url("mailto:a@b.org"), Some("mailto:a@b.org"));
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,<script>",
            "file:///etc/passwd",
            "//evil.org",
            "https://x.org/\"onmouseover=\"alert(1)",
            "https://",
            "mailto:",
            "www.example.org",
            "",
        ] {
            assert_eq!(safe_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn html_escaping_covers_markup_and_quotes() {
        assert_eq!(
            escape_html("<script>alert('x') & \"y\"</script>"),
            "&lt;script&gt;alert(&#39;x&#39;) &amp; &quot;y&quot;&lt;/script&gt;"
        );
        assert_eq!(escape_html("a\u{0}b"), "a\u{FFFD}b");
    }

    #[test]
    fn chart_folder_follows_the_file_name() {
        assert_eq!(charts_dir_for(Path::new("/tmp/brief.md")), "brief-charts");
        assert_eq!(charts_dir_for(Path::new("x")), "x-charts");
    }
}
