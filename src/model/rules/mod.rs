//! The rules every project obeys, defined once: text lengths, counts, id syntax, scale
//! bounds, weights, unique ids, references and workshop state.
//!
//! Everything that makes or changes a project checks against these functions: the file
//! converter (`persist`), `edit::apply`, CSV import, blind packages, student exercises
//! and the workshop merge. The JSON Schema in `docs/project.schema.json` states the same
//! limits for other tools; `tests/rules_schema.rs` fails when the two disagree.
//!
//! Item checks (`check_mechanism`, `check_source`, …) take one item and report what is
//! wrong with it, relative to the item; `check_project` walks a whole project and
//! reports every problem with its place. Nothing here does I/O.

mod items;
mod limits;
mod walk;
mod whole;

pub use items::{
    check_acknowledgement, check_analyst, check_criterion, check_derived_from,
    check_framework_text, check_group_header, check_info, check_mechanism, check_note, check_score,
    check_source,
};
pub use limits::*;
pub use walk::{Seg, Violation};
pub use whole::{
    check_consensus_cell, check_project, check_scenario, check_score_cells, check_viewpoints,
};

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Fact;

    #[test]
    fn text_limits_count_characters_not_bytes() {
        let ok = "é".repeat(NAME_MAX_CHARS);
        assert!(check_text("the name", Text::Name, &ok).is_ok());
        let long = "é".repeat(NAME_MAX_CHARS + 1);
        let e = check_text("the name", Text::Name, &long).unwrap_err();
        assert!(
            e.contains("301 characters") && e.contains("at most 300"),
            "{e}"
        );
        assert!(check_text("the name", Text::Name, "  ").is_err());
        assert!(check_text("a note", Text::Short, "").is_ok());
        assert!(check_text("a citation", Text::Citation, "").is_err());
        assert!(check_text("a citation", Text::Citation, " ").is_ok());
        let cut = fit(Text::Name, &"é".repeat(NAME_MAX_CHARS + 5));
        assert_eq!(cut.chars().count(), NAME_MAX_CHARS);
        assert!(cut.ends_with('…') && check_text("t", Text::Name, &cut).is_ok());
        assert_eq!(fit(Text::Name, "short"), "short");
    }

    #[test]
    fn weights_ids_and_counts() {
        assert!(check_weight(0.0).is_ok());
        assert!(check_weight(WEIGHT_MAX).is_ok());
        assert!(check_weight(WEIGHT_MAX * 1.01).is_err());
        assert!(check_weight(-0.1).is_err());
        assert!(check_weight(f64::NAN).is_err());
        assert!(check_id("a-1").is_ok());
        assert!(check_id("-a").is_err());
        assert!(check_id(&"a".repeat(ID_MAX_LEN + 1)).is_err());
        assert!(check_count("notes", 3, 2).is_err());
    }

    #[test]
    fn the_bundled_sample_keeps_every_rule() {
        let p = crate::persist::load_str(crate::bundled::SAMPLE)
            .unwrap()
            .project;
        assert_eq!(check_project(&p, 100), vec![]);
    }

    #[test]
    fn a_dangling_reference_and_a_long_name_are_both_reported_with_their_place() {
        let mut p = crate::persist::load_str(crate::bundled::SAMPLE)
            .unwrap()
            .project;
        p.mechanisms[2].name = "x".repeat(NAME_MAX_CHARS + 1);
        p.mechanisms[0].facts.push(Fact {
            text: "t".into(),
            sources: vec!["no-such-source".into()],
        });
        let v = check_project(&p, 100);
        assert!(v.iter().any(|v| v.at
            == [Seg::Key("mechanisms"), Seg::Index(2), Seg::Key("name")]
            && v.message.contains("at most 300")));
        assert!(
            v.iter()
                .any(|v| v.at[..2] == [Seg::Key("mechanisms"), Seg::Index(0)]
                    && v.message.contains("no-such-source"))
        );
    }
}
