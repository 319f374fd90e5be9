//! The report as one self-contained HTML5 document: inline CSS (screen and print),
//! charts as inline SVG, no scripts, no external assets, and a Content Security Policy
//! that forbids scripts and remote loads even if something slipped through.

use super::content::Doc;
use super::doc::{Block, Inline, Table, Tone};
use super::escape::{escape_html as esc, safe_url};

const CSS: &str = r#"
:root { --fg:#1c2330; --muted:#5a6375; --line:#d3d9e2; --accent:#0b5cad; --alt:#f4f6f9;
        --head:#e8edf4; --caveat:#fff7df; --caveat-line:#d9a521; }
* { box-sizing: border-box; }
html { font-size: 15px; -webkit-text-size-adjust: 100%; }
body { margin: 0; color: var(--fg); background: #fff; line-height: 1.45;
       font-family: "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, "DejaVu Sans", sans-serif; }
main { max-width: 66rem; margin: 0 auto; padding: 2rem 1.6rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0 0 .4rem; }
h2 { font-size: 1.4rem; line-height: 1.25; margin: 2.6rem 0 .8rem; padding-bottom: .25rem;
     border-bottom: 2px solid var(--accent); }
h3 { font-size: 1.12rem; line-height: 1.3; margin: 1.8rem 0 .35rem; }
p { margin: .5rem 0; }
p.meta { color: var(--muted); font-size: .9rem; margin-top: 0; }
p.note { color: var(--muted); font-size: .9rem; }
p.caveat { background: var(--caveat); border-left: 4px solid var(--caveat-line);
           padding: .55rem .85rem; border-radius: 2px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
a.ref { font-size: .78em; vertical-align: super; line-height: 0; margin-left: .1em; white-space: nowrap; }
span.link { overflow-wrap: anywhere; }
span.ctl { font-family: monospace; font-size: .85em; color: var(--muted); }
main { overflow-wrap: break-word; }
td, figcaption, li { overflow-wrap: anywhere; }
em { color: var(--muted); }
nav.toc { background: var(--alt); border: 1px solid var(--line); padding: .5rem 1rem; margin: 1rem 0 1.4rem;
          font-size: .95rem; }
nav.toc ol { margin: .2rem 0; padding-left: 1.4rem; columns: 2; column-gap: 2rem; }
nav.toc p { margin: .2rem 0; font-weight: 600; }
ul, ol { margin: .4rem 0 .8rem; padding-left: 1.4rem; }
li { margin: .18rem 0; }
ul.refs { list-style: none; padding-left: 0; }
ul.refs li { padding-left: 2.4rem; text-indent: -2.4rem; margin: .4rem 0; }
:target { background: #fff1a8; }
.table-wrap { overflow-x: auto; margin: .6rem 0 1.1rem; }
table { border-collapse: collapse; width: 100%; font-size: .86rem; }
th, td { border: 1px solid var(--line); padding: .3rem .45rem; vertical-align: top; text-align: left; }
thead th { background: var(--head); font-weight: 600; vertical-align: bottom; }
tbody tr:nth-child(even) { background: var(--alt); }
th.num, td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.num { white-space: nowrap; }
table.results td:nth-child(3) { font-weight: 600; }
td em { font-style: normal; font-size: .9em; }
table.results td:nth-child(2) { min-width: 12rem; }
table.viewpoints td:nth-child(1) { min-width: 12rem; }
table.framework td:nth-child(1) { width: 26%; }
table.framework td:nth-child(2) { width: 34%; }
table.scores td:nth-child(1) { width: 20%; }
table.scores td:nth-child(2) { width: 13%; }
table.scores td:nth-child(3) { width: 9%; }
table.grades { width: auto; }
figure.chart { margin: 1rem 0 1.8rem; }
figure.chart svg { display: block; width: 100%; height: auto; border: 1px solid var(--line); }
figcaption { color: var(--muted); font-size: .88rem; margin-top: .35rem; }
footer { color: var(--muted); font-size: .8rem; margin-top: 3rem; border-top: 1px solid var(--line);
         padding-top: .5rem; }
@page { size: A4; margin: 15mm 13mm 17mm; }
@media print {
  html { font-size: 9.5pt; }
  main { max-width: none; padding: 0; }
  h2.page { break-before: page; page-break-before: always; margin-top: 0; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  p.meta { break-after: avoid; page-break-after: avoid; }
  .table-wrap { overflow: visible; }
  table { font-size: 8pt; }
  thead { display: table-header-group; }
  tr, li, figure, p.caveat, nav.toc { break-inside: avoid; page-break-inside: avoid; }
  figure.chart svg { border: none; max-height: 235mm; }
  a { color: inherit; }
  a.ref { color: var(--accent); }
  :target { background: none; }
  thead th, tbody tr:nth-child(even), p.caveat, nav.toc { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
}
"#;

/// Blocks scripts, plugins, frames and every remote load; allows the inline style only.
const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

pub(crate) fn render(doc: &Doc) -> String {
    let mut out = String::with_capacity(256 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(&format!(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
    ));
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<meta name=\"generator\" content=\"Policy Workbench {}\">\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str(&format!("<title>{}</title>\n", esc(&doc.title)));
    out.push_str("<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<main>\n");
    for b in &doc.blocks {
        block(&mut out, b);
    }
    out.push_str(&format!(
        "<footer>Made with Policy Workbench {}. Scores are ordinal judgements on anchored scales; \
         not assessed and not applicable are never counted as 0.</footer>\n",
        env!("CARGO_PKG_VERSION")
    ));
    out.push_str("</main>\n</body>\n</html>\n");
    out
}

fn block(out: &mut String, b: &Block) {
    match b {
        Block::Heading {
            level,
            id,
            text,
            page_break,
        } => {
            let level = (*level).clamp(1, 6);
            out.push_str(&format!("<h{level}"));
            if let Some(id) = id {
                out.push_str(&format!(" id=\"{}\"", esc(id)));
            }
            if *page_break {
                out.push_str(" class=\"page\"");
            }
            out.push_str(&format!(">{}</h{level}>\n", user(text)));
        }
        Block::Para(tone, inl) => {
            let class = match tone {
                Tone::Plain => "",
                Tone::Note => " class=\"note\"",
                Tone::Caveat => " class=\"caveat\"",
                Tone::Meta => " class=\"meta\"",
            };
            out.push_str(&format!("<p{class}>"));
            inlines(out, inl);
            out.push_str("</p>\n");
        }
        Block::List { ordered, items } => {
            let tag = if *ordered { "ol" } else { "ul" };
            let refs = items.iter().any(|(id, _)| id.is_some());
            out.push_str(&format!(
                "<{tag}{}>\n",
                if refs { " class=\"refs\"" } else { "" }
            ));
            for (id, inl) in items {
                match id {
                    Some(id) => out.push_str(&format!("<li id=\"{}\">", esc(id))),
                    None => out.push_str("<li>"),
                }
                inlines(out, inl);
                out.push_str("</li>\n");
            }
            out.push_str(&format!("</{tag}>\n"));
        }
        Block::Table(t) => table(out, t),
        Block::Chart {
            stem,
            title,
            svg,
            caption,
        } => {
            out.push_str(&format!(
                "<figure class=\"chart\" id=\"chart-{}\">\n",
                esc(stem)
            ));
            match checked_svg(svg) {
                Some(svg) => {
                    let labelled = svg.replacen(
                        "<svg ",
                        &format!("<svg role=\"img\" aria-label=\"{}\" ", esc(title)),
                        1,
                    );
                    out.push_str(labelled.trim());
                    out.push('\n');
                }
                None => {
                    out.push_str("<p class=\"note\">(chart left out: unexpected content)</p>\n")
                }
            }
            out.push_str(&format!(
                "<figcaption><strong>{}.</strong> {}</figcaption>\n</figure>\n",
                user(title),
                user(caption)
            ));
        }
        Block::Contents(items) => {
            out.push_str("<nav class=\"toc\"><p>Contents</p><ol>\n");
            for (id, title) in items {
                out.push_str(&format!(
                    "<li><a href=\"#{}\">{}</a></li>\n",
                    esc(id),
                    user(title)
                ));
            }
            out.push_str("</ol></nav>\n");
        }
    }
}

/// The chart's SVG when it is what plotters makes: one `<svg>` element built from a
/// few drawing elements, with no event handlers or links (plotters escapes text, so a
/// `<` can only open a tag). None otherwise.
fn checked_svg(svg: &str) -> Option<&str> {
    const ALLOWED: [&str; 11] = [
        "svg", "g", "rect", "line", "polyline", "polygon", "circle", "ellipse", "path", "text",
        "tspan",
    ];
    let s = svg.trim();
    if !(s.starts_with("<svg") && s.ends_with("</svg>")) {
        return None;
    }
    let mut rest = s;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after.find('>')?;
        let tag = after[..close].trim_start_matches('/');
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if !ALLOWED.contains(&name.as_str()) {
            return None;
        }
        // Attribute names: the word before each `=`.
        for (i, _) in tag.match_indices('=') {
            let attr: String = tag[..i]
                .trim_end()
                .chars()
                .rev()
                .take_while(|c| !c.is_whitespace())
                .collect::<String>()
                .chars()
                .rev()
                .collect::<String>()
                .to_ascii_lowercase();
            if attr.starts_with("on") || attr.ends_with("href") {
                return None;
            }
        }
        rest = &after[close + 1..];
    }
    Some(s)
}

fn table(out: &mut String, t: &Table) {
    let num = |i: usize| t.numeric.get(i).copied().unwrap_or(false);
    out.push_str(&format!(
        "<div class=\"table-wrap\"><table class=\"{}\">\n<thead><tr>",
        esc(t.class)
    ));
    for (i, h) in t.head.iter().enumerate() {
        let class = if num(i) { " class=\"num\"" } else { "" };
        out.push_str(&format!("<th{class}>{}</th>", user(h)));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let class = if num(i) { " class=\"num\"" } else { "" };
            out.push_str(&format!("<td{class}>"));
            inlines(out, cell);
            out.push_str("</td>");
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table></div>\n");
}

/// True for a character that changes the direction of the text around it: the
/// bidirectional controls, and letters of right-to-left scripts.
fn directional(c: char) -> bool {
    matches!(c,
        '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        | '\u{0590}'..='\u{08FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}')
}

/// True for the invisible controls that override, embed or isolate direction.
fn direction_control(c: char) -> bool {
    matches!(c, '\u{200E}' | '\u{200F}' | '\u{061C}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Escaped text from the project. Right-to-left text is isolated in `<bdi>`, and the
/// invisible direction controls are shown as their code (`\u{202E}`) instead of acting:
/// a right-to-left override in a name must not reverse the report's words after it,
/// and the reader should see that the name holds one.
fn user(s: &str) -> String {
    if !s.chars().any(directional) {
        return esc(s);
    }
    let mut shown = String::new();
    let mut run = String::new();
    for c in s.chars() {
        if direction_control(c) {
            shown.push_str(&esc(&run));
            run.clear();
            shown.push_str(&format!(
                "<span class=\"ctl\" title=\"an invisible direction control\">\\u{{{:X}}}</span>",
                c as u32
            ));
        } else {
            run.push(c);
        }
    }
    shown.push_str(&esc(&run));
    format!("<bdi>{shown}</bdi>")
}

/// Escaped text with line breaks kept (isolated like `user`).
fn text_br(s: &str) -> String {
    user(&s.replace("\r\n", "\n")).replace('\n', "<br>")
}

fn inlines(out: &mut String, inl: &[Inline]) {
    for i in inl {
        match i {
            Inline::Text(s) => out.push_str(&text_br(s)),
            Inline::Strong(s) => out.push_str(&format!("<strong>{}</strong>", text_br(s))),
            Inline::Em(s) => out.push_str(&format!("<em>{}</em>", text_br(s))),
            Inline::Link { url, text } => match safe_url(url) {
                Some(u) => out.push_str(&format!(
                    "<a href=\"{}\" rel=\"noopener noreferrer\">{}</a>",
                    esc(u),
                    user(text)
                )),
                None => out.push_str(&format!("<span class=\"link\">{}</span>", user(text))),
            },
            Inline::Internal { id, text } => {
                out.push_str(&format!("<a href=\"#{}\">{}</a>", esc(id), text_br(text)))
            }
            Inline::SourceRef(n) => {
                out.push_str(&format!("<a class=\"ref\" href=\"#src-{n}\">[{n}]</a>"))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn active_svg_is_refused() {
        assert!(checked_svg("<svg width=\"1\"><text>a &lt;b&gt;</text></svg>").is_some());
        assert!(checked_svg("<svg><script>alert(1)</script></svg>").is_none());
        assert!(checked_svg("<svg onload=\"alert(1)\"></svg>").is_none());
        assert!(checked_svg("<svg><a href=\"javascript:x\"/></svg>").is_none());
        assert!(checked_svg("<svg><foreignObject/></svg>").is_none());
        assert!(checked_svg("<svg><text>a = b, on = c</text></svg>").is_some());
    }

    #[test]
    fn unsafe_links_are_text() {
        let mut s = String::new();
        inlines(
            &mut s,
            &[Inline::Link {
                url: "javascript:alert(1)".into(),
                text: "javascript:alert(1)".into(),
            }],
        );
        assert!(!s.contains("<a"), "{s}");
        let mut s = String::new();
        inlines(
            &mut s,
            &[Inline::Link {
                url: "https://example.org/?a=1&b=2".into(),
                text: "x".into(),
            }],
        );
        assert_eq!(
            s,
            "<a href=\"https://example.org/?a=1&amp;b=2\" rel=\"noopener noreferrer\">x</a>"
        );
    }
}
