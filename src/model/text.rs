//! Cutting a text to a length in characters, for a message that quotes it or a title
//! made from another.

/// At most `max` characters of `s`, ending in "…" when cut (the "…" counts).
pub fn excerpt(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some(_) => {
            let cut = s
                .char_indices()
                .nth(max.saturating_sub(1))
                .map_or(s.len(), |(i, _)| i);
            format!("{}…", s[..cut].trim_end())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cuts_on_characters_and_marks_the_cut() {
        assert_eq!(excerpt("short", 40), "short");
        assert_eq!(excerpt("ééééé", 3), "éé…");
        assert_eq!(excerpt(&"x".repeat(100), 40).chars().count(), 40);
    }
}
