//! Text made safe to show on a terminal: control characters and bidirectional
//! controls taken from a file (a name, an id, a rationale, a message quoting them)
//! become visible escapes instead of being obeyed by the terminal.
//!
//! A terminal obeys escape sequences (ESC … sets the window title, clears the screen,
//! writes the clipboard with OSC 52), C1 controls (U+0080–U+009F, which some terminals
//! read as ESC [) and bidirectional controls (a right-to-left override reverses the
//! text that follows it). [`printable`] shows each of them as text — `\e` for ESC,
//! `\n`, `\t`, `\r`, and `\u{HEX}` for the others — and leaves every other character
//! alone, so clean text comes back borrowed and unchanged. Backslashes are not
//! doubled: the output is for reading, not for parsing back.
//!
//! No I/O here; the command line sends everything it prints through these functions.

use std::borrow::Cow;
use std::fmt::Write;

/// `s` with every control character (C0 including `\n`, `\t` and `\r`, DEL, C1) and
/// every bidirectional control shown as a visible escape: the form for a value printed
/// on one line.
pub fn printable(s: &str) -> Cow<'_, str> {
    escape(s, false)
}

/// Like [`printable`], but line breaks (`\n`) stay line breaks: the form for a
/// message of several lines that quotes values from a file. Everything else a
/// terminal would obey (`\r` included) is escaped.
pub fn printable_lines(s: &str) -> Cow<'_, str> {
    escape(s, true)
}

/// JSON text safe to print: serde_json already escapes C0 controls inside strings; the
/// rest a terminal would act on (DEL, C1 controls, direction controls) is written as
/// `\uXXXX` escapes, which every JSON reader turns back into the same character.
pub fn json(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        // Outside strings, JSON text holds only spaces, tabs and newlines among these.
        if is_unsafe(c) && !matches!(c, '\n' | '\t' | '\r') {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Whether a terminal would act on `c` instead of drawing it: C0 controls, DEL, C1
/// controls, and the bidirectional embeddings, overrides, isolates and marks.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// The bidirectional formatting characters: LRE, RLE, PDF, LRO, RLO (U+202A–U+202E),
/// LRI, RLI, FSI, PDI (U+2066–U+2069), LRM, RLM (U+200E, U+200F) and the Arabic
/// letter mark (U+061C).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{200E}' | '\u{200F}' | '\u{061C}')
}

fn escape(s: &str, keep_newlines: bool) -> Cow<'_, str> {
    let needs = |c: char| is_unsafe(c) && !(keep_newlines && c == '\n');
    let Some(first) = s.find(needs) else {
        return Cow::Borrowed(s);
    };
    let mut out = String::with_capacity(s.len() + 16);
    out.push_str(&s[..first]);
    for c in s[first..].chars() {
        if !needs(c) {
            out.push(c);
            continue;
        }
        match c {
            '\u{1b}' => out.push_str("\\e"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            _ => {
                let _ = write!(out, "\\u{{{:X}}}", u32::from(c));
            }
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_keeps_its_value_and_loses_what_a_terminal_obeys() {
        let v = serde_json::json!({"name": "a\u{202E}b\u{9b}c\u{1b}d"});
        let text = serde_json::to_string_pretty(&v).unwrap();
        let safe = json(&text);
        assert!(!safe.chars().any(|c| is_unsafe(c) && c != '\n'), "{safe}");
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
    }

    #[test]
    fn clean_text_is_borrowed_and_unchanged() {
        for s in [
            "",
            "Hukou reform",
            "居住证 (2014)",
            "a \\ b",
            "rank ↑1 — 100.0",
        ] {
            assert!(matches!(printable(s), Cow::Borrowed(t) if t == s));
            assert!(matches!(printable_lines(s), Cow::Borrowed(t) if t == s));
        }
        assert!(matches!(printable_lines("two\nlines\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn escape_sequences_are_shown_not_sent() {
        assert_eq!(printable("\x1b]0;pwned\x07"), "\\e]0;pwned\\u{7}");
        assert_eq!(printable("\x1b[2J"), "\\e[2J");
        assert_eq!(
            printable("a\x1b]52;c;ZXZpbA==\x07b"),
            "a\\e]52;c;ZXZpbA==\\u{7}b"
        );
    }

    #[test]
    fn line_breaks_tabs_and_returns() {
        assert_eq!(printable("a\nb\tc\rd"), "a\\nb\\tc\\rd");
        assert_eq!(printable_lines("a\nb\tc\rd\n"), "a\nb\\tc\\rd\n");
        assert_eq!(printable("\0"), "\\u{0}");
    }

    #[test]
    fn del_and_c1_controls() {
        assert_eq!(printable("x\u{7f}y"), "x\\u{7F}y");
        assert_eq!(printable("\u{80}\u{9b}2J\u{9f}"), "\\u{80}\\u{9B}2J\\u{9F}");
        // The first character after C1 is not a control.
        assert_eq!(printable("\u{a0}"), "\u{a0}");
    }

    #[test]
    fn bidirectional_controls() {
        assert_eq!(printable("abc\u{202E}def"), "abc\\u{202E}def");
        for c in [
            '\u{202A}', '\u{202B}', '\u{202C}', '\u{202D}', '\u{202E}', '\u{2066}', '\u{2067}',
            '\u{2068}', '\u{2069}', '\u{200E}', '\u{200F}', '\u{061C}',
        ] {
            let shown = printable_lines(&c.to_string()).into_owned();
            assert_eq!(shown, format!("\\u{{{:X}}}", u32::from(c)));
        }
        // Neighbours that are not controls stay.
        for s in [
            "\u{2029}", "\u{202F}", "\u{2065}", "\u{206A}", "\u{200D}", "\u{061B}",
        ] {
            assert_eq!(printable(s), s);
        }
    }

    #[test]
    fn output_has_nothing_a_terminal_obeys() {
        let nasty: String = (0u32..0x300)
            .chain(0x2000..0x2070)
            .filter_map(char::from_u32)
            .collect();
        assert!(!printable(&nasty).chars().any(is_unsafe));
        assert!(
            !printable_lines(&nasty)
                .chars()
                .any(|c| c != '\n' && is_unsafe(c))
        );
    }
}
