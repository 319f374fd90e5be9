//! Safety helpers shared by the renderers: which URLs may become links (`safe_url`) and
//! HTML escaping.

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
