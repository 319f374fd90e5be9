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
mod doc;
mod escape;
mod html;
mod markdown;
mod options;

pub use escape::{escape_html, safe_url};
pub use markdown::{MarkdownReport, escape as escape_markdown};
pub use options::{ReportError, ReportOptions, default_comparisons};

use std::path::{Path, PathBuf};

use crate::model::Project;

/// The report as one self-contained HTML document.
pub fn html_report(project: &Project, opts: &ReportOptions) -> Result<String, ReportError> {
    let doc = content::build(project, opts)?;
    Ok(html::render(&doc))
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
    // Like every writer, the report's own folder must exist: only its charts folder
    // (beside it) is made.
    let folder = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !folder.is_dir() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::NotFound,
            format!("the folder {} does not exist", folder.display()),
        ));
    }
    let paths = markdown_paths(path, report);
    for ((_, svg), p) in report.charts.iter().zip(&paths) {
        if let Some(charts) = p.parent()
            && !charts.as_os_str().is_empty()
            && !charts.is_dir()
        {
            std::fs::create_dir(charts)?;
        }
        crate::persist::atomic::write_atomic(p, svg.as_bytes())?;
    }
    crate::persist::atomic::write_atomic(path, report.text.as_bytes())?;
    Ok(paths)
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
