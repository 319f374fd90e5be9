//! Short text forms used in charts: the acronym of a mechanism name, an index number.

/// Shorter forms of a mechanism name for tight places, longest first: an acronym
/// given in parentheses ("… (LM-LECC)") when there is one.
pub(super) fn acronym(name: &str) -> Option<String> {
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else { break };
        let inner = after[..close].trim();
        let looks_like_acronym = !inner.is_empty()
            && inner.chars().count() <= 12
            && !inner.contains(' ')
            && inner.chars().filter(|c| c.is_uppercase()).count() >= 2;
        if looks_like_acronym {
            return Some(inner.to_string());
        }
        rest = &after[close + 1..];
    }
    None
}

/// A number on the 0–100 index scale as shown in charts.
pub(super) fn fmt_index(v: f64) -> String {
    crate::wording::whole(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_come_from_parentheses() {
        assert_eq!(
            acronym("UN peacekeeping police (UNPOL)").as_deref(),
            Some("UNPOL")
        );
        assert_eq!(
            acronym("Forum on China-Africa Cooperation (FOCAC) police chapter").as_deref(),
            Some("FOCAC")
        );
        assert_eq!(acronym("Police training (incl. places)"), None);
        assert_eq!(acronym("Extradition treaties"), None);
    }
}
