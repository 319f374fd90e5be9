//! A student exercise made from any project: the framework, the mechanisms and the
//! sources, an empty sheet for one analyst "Student", and nothing of the reference —
//! no scores, rounds, consensus, acknowledgements or merge records; the project's
//! description, notes and scenarios are left out too unless the teacher keeps them.

use crate::model::*;

/// The id of the one analyst in an exercise file.
pub const STUDENT: &str = "student";

/// What the teacher keeps of the reference besides the framework and the mechanisms.
/// The default keeps none of it: the same defaults for `policy-workbench exercise` and
/// the app's File ▸ Prepare a student exercise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ExerciseOptions {
    /// Keep the project's description (it often says who scored and how).
    pub keep_description: bool,
    /// Keep the project's notes.
    pub keep_notes: bool,
    /// Keep the scenarios (their narratives and their own score overrides with rationale).
    pub keep_scenarios: bool,
}

/// What an exercise left out of the reference, to tell the teacher.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stripped {
    pub scores: usize,
    pub analysts: usize,
    pub description: bool,
    pub notes: usize,
    pub scenarios: usize,
    /// Rounds, consensus cells, acknowledgements and merge records together.
    pub workshop_records: usize,
}

impl Stripped {
    /// "Left out of the exercise: 1,744 scores of 1 analyst, the description, 3 notes
    /// and 2 scenarios."
    pub fn describe(&self) -> String {
        use crate::wording::{and_list, plural, thousands};
        let scores = if self.scores == 1 { "score" } else { "scores" };
        let mut parts = vec![format!(
            "{} {scores} of {}",
            thousands(self.scores),
            plural(self.analysts, "analyst", "analysts")
        )];
        if self.description {
            parts.push("the description".into());
        }
        if self.notes > 0 {
            parts.push(plural(self.notes, "note", "notes"));
        }
        if self.scenarios > 0 {
            parts.push(plural(self.scenarios, "scenario", "scenarios"));
        }
        if self.workshop_records > 0 {
            parts.push(plural(
                self.workshop_records,
                "workshop record (rounds, consensus, acknowledgements)",
                "workshop records (rounds, consensus, acknowledgements)",
            ));
        }
        format!("Left out of the exercise: {}.", and_list(&parts))
    }
}

/// A copy of `p` for students, and what was left out of it.
pub fn make_exercise(p: &Project, options: &ExerciseOptions) -> (Project, Stripped) {
    let mut e = p.clone();
    let mut stripped = Stripped {
        scores: p.scores.len(),
        analysts: p.analysts.len(),
        workshop_records: p.workshop.rounds.len()
            + p.workshop.consensus.len()
            + p.acknowledgements.len()
            + p.merge_conflicts.len(),
        ..Stripped::default()
    };
    e.scores.clear();
    e.analysts = vec![Analyst {
        id: STUDENT.into(),
        name: "Student".into(),
        note: String::new(),
    }];
    e.acknowledgements.clear();
    e.merge_conflicts.clear();
    if !options.keep_scenarios {
        stripped.scenarios = e.scenarios.len();
        e.scenarios.clear();
    }
    if !options.keep_notes {
        stripped.notes = e.notes.len();
        e.notes.clear();
    }
    if !options.keep_description && !e.info.description.trim().is_empty() {
        stripped.description = true;
        e.info.description.clear();
    }
    e.workshop = Workshop {
        consensus_rule: p.workshop.consensus_rule,
        exercise: Some(Exercise { complete: false }),
        ..Workshop::default()
    };
    e.info.title = rules::fit(rules::Text::Name, &format!("Exercise: {}", p.info.title));
    (e, stripped)
}

/// True while a student exercise hides results (totals, indices, charts) until the
/// student marks the scoring complete.
pub fn results_hidden(p: &Project) -> bool {
    p.workshop.exercise.as_ref().is_some_and(|e| !e.complete)
}

/// How far an analyst's scoring has gone: (cells scored — a number or "not
/// applicable" —, cells in the matrix).
pub fn progress(p: &Project, analyst: &str) -> (usize, usize) {
    let criteria: Vec<&str> = p.framework.criteria().map(|(_, c)| c.id.as_str()).collect();
    let cells = criteria.len() * p.mechanisms.len();
    let scored = p
        .mechanisms
        .iter()
        .map(|m| {
            criteria
                .iter()
                .filter(|c| {
                    p.score(analyst, &m.id, c)
                        .is_some_and(|s| s.value != ScoreValue::NotAssessed)
                })
                .count()
        })
        .sum();
    (scored, cells)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exercise_holds_nothing_of_the_reference() {
        let mut sample = crate::bundled::sample();
        sample.notes.push(Note {
            id: "n-teacher".into(),
            title: "How the reference was scored".into(),
            text: "Scored by one reference analyst in 2023.".into(),
        });
        sample.info.description = "Scored by one reference analyst".into();
        let (ex, stripped) = make_exercise(&sample, &ExerciseOptions::default());
        let text = crate::persist::to_canonical_string(&ex);
        assert!(ex.scores.is_empty());
        for s in sample
            .scores
            .values()
            .filter(|s| s.rationale.len() > 40)
            .take(50)
        {
            assert!(!text.contains(&s.rationale), "a reference rationale leaked");
        }
        assert!(
            !text.contains("\"reference\""),
            "the reference analyst is gone"
        );
        assert!(!text.contains("Scored by one reference analyst"));
        assert!(ex.notes.is_empty() && ex.scenarios.is_empty());
        assert_eq!(stripped.scores, sample.scores.len());
        assert!(stripped.description);
        assert_eq!(stripped.notes, sample.notes.len());
        assert_eq!(stripped.scenarios, sample.scenarios.len());
        let back = crate::persist::load_str(&text).unwrap().project;
        assert_eq!(back.workshop.exercise, Some(Exercise { complete: false }));
    }

    #[test]
    fn the_teacher_keeps_what_they_ask_for() {
        let mut sample = crate::bundled::sample();
        sample.info.description = "Read the notes first".into();
        let keep = ExerciseOptions {
            keep_description: true,
            keep_notes: true,
            keep_scenarios: true,
        };
        let (ex, stripped) = make_exercise(&sample, &keep);
        assert_eq!(ex.info.description, "Read the notes first");
        assert_eq!(ex.notes, sample.notes);
        assert_eq!(ex.scenarios, sample.scenarios);
        assert!(!stripped.description);
        assert_eq!((stripped.notes, stripped.scenarios), (0, 0));
        assert!(ex.scores.is_empty());
    }

    #[test]
    fn stripped_reads_as_a_sentence() {
        let s = Stripped {
            scores: 1744,
            analysts: 1,
            description: true,
            notes: 3,
            scenarios: 2,
            workshop_records: 0,
        };
        assert_eq!(
            s.describe(),
            "Left out of the exercise: 1,744 scores of 1 analyst, the description, 3 notes and 2 scenarios."
        );
    }

    #[test]
    fn progress_counts_scored_cells_only() {
        let sample = crate::bundled::sample();
        let (mut ex, _) = make_exercise(&sample, &ExerciseOptions::default());
        let cells = sample.mechanisms.len() * sample.framework.criteria().count();
        assert_eq!(progress(&ex, STUDENT), (0, cells));
        let c0 = sample.framework.groups[0].criteria[0].id.clone();
        for (i, m) in sample.mechanisms.iter().take(3).enumerate() {
            let value = [
                ScoreValue::Value(2.0),
                ScoreValue::NotApplicable,
                ScoreValue::NotAssessed,
            ][i];
            ex.scores.insert(
                ScoreKey::new(STUDENT, &m.id, &c0),
                Score {
                    value,
                    ..Score::default()
                },
            );
        }
        assert_eq!(progress(&ex, STUDENT), (2, cells));
    }
}
