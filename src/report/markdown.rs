//! The report as Markdown (CommonMark with GitHub tables). Project text is escaped so
//! that it can neither start a heading, list or table cell nor become a link or raw
//! HTML; charts become image references to SVG files written beside the report.

use super::content::Doc;
use super::doc::{Block, Inline, Table, Tone};
use super::escape::safe_url;

/// A Markdown report and the chart files it refers to.
#[derive(Clone, Debug, PartialEq)]
pub struct MarkdownReport {
    pub text: String,
    /// Charts to write beside the Markdown file: (path relative to it, SVG text).
    pub charts: Vec<(String, String)>,
}

pub(crate) fn render(doc: &Doc, charts_dir: Option<&str>) -> MarkdownReport {
    let mut out = String::with_capacity(128 * 1024);
    let mut charts = Vec::new();
    for b in &doc.blocks {
        match b {
            Block::Heading { level, text, .. } => {
                let level = (*level).clamp(1, 6) as usize;
                out.push_str(&"#".repeat(level));
                out.push(' ');
                out.push_str(&escape(&one_line(text)));
                out.push_str("\n\n");
            }
            Block::Para(tone, inl) => {
                let body = inlines(inl, Ctx::Block);
                match tone {
                    Tone::Caveat => {
                        for line in body.lines() {
                            out.push_str("> ");
                            out.push_str(line);
                            out.push('\n');
                        }
                    }
                    Tone::Note | Tone::Meta | Tone::Plain => {
                        out.push_str(&body);
                        out.push('\n');
                    }
                }
                out.push('\n');
            }
            Block::List { ordered, items } => {
                for (i, (_, inl)) in items.iter().enumerate() {
                    let marker = if *ordered {
                        format!("{}. ", i + 1)
                    } else {
                        "- ".to_string()
                    };
                    let body = inlines(inl, Ctx::Block);
                    let indent = " ".repeat(marker.len());
                    for (j, line) in body.lines().enumerate() {
                        out.push_str(if j == 0 { &marker } else { &indent });
                        out.push_str(line);
                        out.push('\n');
                    }
                }
                out.push('\n');
            }
            Block::Table(t) => table(&mut out, t),
            Block::Chart {
                stem,
                title,
                svg,
                caption,
            } => match charts_dir {
                Some(dir) => {
                    let rel = format!("{}/{}.svg", dir.trim_end_matches('/'), stem);
                    out.push_str(&format!(
                        "![{}](<{}>)\n\n*{}.* {}\n\n",
                        escape(title),
                        rel.replace(['<', '>', '\n'], ""),
                        escape(title),
                        escape(caption)
                    ));
                    charts.push((rel, svg.clone()));
                }
                None => out.push_str(&format!(
                    "*Chart “{}” omitted from this Markdown file (the HTML report embeds it).*\n\n",
                    escape(title)
                )),
            },
            // Markdown viewers build their own outline.
            Block::Contents(_) => {}
        }
    }
    MarkdownReport { text: out, charts }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// A paragraph or list item: line breaks become hard breaks.
    Block,
    /// A table cell: everything on one line, breaks as `<br>`.
    Cell,
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Backslash-escapes the characters that Markdown would read as markup anywhere in a
/// line, and the markers that matter at the start of one (`-`, `+`, `=`, `1.`).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    let mut line_start = true;
    let chars: Vec<char> = s.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if line_start {
            if matches!(c, ' ' | '\t') {
                // Kept (Markdown ignores it at a line start); the marker check waits
                // for the first visible character.
                out.push(c);
                i += 1;
                continue;
            }
            if matches!(c, '-' | '+' | '=') {
                out.push('\\');
            } else if c.is_ascii_digit() {
                let mut j = i;
                while j < chars.len() && chars[j].is_ascii_digit() {
                    j += 1;
                }
                if j < chars.len()
                    && matches!(chars[j], '.' | ')')
                    && chars.get(j + 1).is_none_or(|c| c.is_whitespace())
                {
                    out.extend(&chars[i..j]);
                    out.push('\\');
                    out.push(chars[j]);
                    i = j + 1;
                    line_start = false;
                    continue;
                }
            }
        }
        line_start = c == '\n';
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
        i += 1;
    }
    out
}

/// Escaped text with its line breaks rendered for the context.
fn text(s: &str, cx: Ctx) -> String {
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    let lines: Vec<String> = s.split('\n').map(escape).collect();
    match cx {
        Ctx::Block => lines.join("\\\n"),
        Ctx::Cell => lines.join("<br>"),
    }
}

/// Wraps `s` in a delimiter, keeping surrounding white space outside (Markdown
/// emphasis cannot start or end with a space).
fn wrap(s: &str, delim: &str, cx: Ctx) -> String {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return text(s, cx);
    }
    let lead = &s[..s.len() - s.trim_start().len()];
    let trail = &s[s.trim_end().len()..];
    format!(
        "{}{delim}{}{delim}{}",
        text(lead, cx),
        text(trimmed, cx),
        text(trail, cx)
    )
}

fn inlines(inl: &[Inline], cx: Ctx) -> String {
    let mut out = String::new();
    for i in inl {
        match i {
            Inline::Text(s) => out.push_str(&text(s, cx)),
            Inline::Strong(s) => out.push_str(&wrap(s, "**", cx)),
            Inline::Em(s) => out.push_str(&wrap(s, "*", cx)),
            Inline::Link { url, text: t } => match safe_url(url) {
                Some(u) => out.push_str(&format!("[{}](<{u}>)", text(&one_line(t), cx))),
                None => out.push_str(&text(t, cx)),
            },
            Inline::Internal { text: t, .. } => out.push_str(&text(t, cx)),
            Inline::SourceRef(n) => out.push_str(&format!("\\[{n}\\]")),
        }
    }
    out
}

fn table(out: &mut String, t: &Table) {
    let num = |i: usize| t.numeric.get(i).copied().unwrap_or(false);
    out.push('|');
    for h in &t.head {
        out.push_str(&format!(" {} |", escape(&one_line(h))));
    }
    out.push_str("\n|");
    for i in 0..t.head.len() {
        out.push_str(if num(i) { " ---: |" } else { " --- |" });
    }
    out.push('\n');
    for row in &t.rows {
        out.push('|');
        for i in 0..t.head.len() {
            let cell = row
                .get(i)
                .map_or_else(String::new, |c| inlines(c, Ctx::Cell));
            out.push_str(&format!(" {} |", cell.trim()));
        }
        out.push('\n');
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_project_text_is_escaped() {
        assert_eq!(escape("a | b"), "a \\| b");
        assert_eq!(escape("<script>"), "\\<script\\>");
        assert_eq!(escape("[x](javascript:y)"), "\\[x\\](javascript:y)");
        assert_eq!(escape("# title"), "\\# title");
        assert_eq!(escape("- item"), "\\- item");
        assert_eq!(escape("12. item"), "12\\. item");
        assert_eq!(escape("93.8"), "93.8");
        assert_eq!(escape("1)"), "1\\)");
        assert_eq!(escape("**bold** _it_"), "\\*\\*bold\\*\\* \\_it\\_");
        assert_eq!(escape("a\n- b"), "a\n\\- b");
        assert_eq!(escape("2 - 3"), "2 - 3");
        assert_eq!(escape(" x "), " x ");
        assert_eq!(escape("  - y"), "  \\- y");
    }

    #[test]
    fn cells_stay_on_one_line() {
        assert_eq!(text("a\nb|c", Ctx::Cell), "a<br>b\\|c");
        assert_eq!(text("a\nb", Ctx::Block), "a\\\nb");
    }
}
