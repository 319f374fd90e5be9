//! Teaching: a student exercise made from any project (the reference scores left out
//! of the student's file entirely), and the comparison of a student's scoring with a
//! reference scoring, cell by cell and per criterion.

use crate::compute::{self, Selection};
use crate::model::*;

/// The id of the one analyst in an exercise file.
pub const STUDENT: &str = "student";

/// A copy of `p` for students: framework, mechanisms, sources and notes, an empty
/// sheet for one analyst "Student", and nothing of the reference: no scores, rounds,
/// consensus or scenarios.
pub fn make_exercise(p: &Project) -> Project {
    let mut e = p.clone();
    e.scores.clear();
    e.analysts = vec![Analyst {
        id: STUDENT.into(),
        name: "Student".into(),
        note: String::new(),
    }];
    e.scenarios.clear();
    e.workshop = Workshop {
        consensus_rule: p.workshop.consensus_rule,
        exercise: Some(Exercise { complete: false }),
        ..Workshop::default()
    };
    e.info.title = rules::fit(rules::Text::Name, &format!("Exercise: {}", p.info.title));
    e
}

/// True while a student exercise hides results (totals, indices, charts) until the
/// student marks the scoring complete.
pub fn results_hidden(p: &Project) -> bool {
    p.workshop.exercise.as_ref().is_some_and(|e| !e.complete)
}

/// One cell where student and reference both have something to compare.
#[derive(Clone, Debug, PartialEq)]
pub struct CellFeedback {
    pub mechanism: String,
    pub mechanism_name: String,
    pub criterion: String,
    pub criterion_name: String,
    pub student: ScoreValue,
    pub reference: ScoreValue,
    /// student − reference, when both are numbers.
    pub difference: Option<f64>,
    pub reference_rationale: String,
}

/// How the student scored one criterion compared with the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionFeedback {
    pub criterion: String,
    pub name: String,
    /// Cells where both gave a number.
    pub compared: usize,
    pub mean_difference: Option<f64>,
    pub over: usize,
    pub under: usize,
    pub same: usize,
}

impl CriterionFeedback {
    /// "You score higher than the reference on average (+0.8 over 12 cells)".
    pub fn describe(&self) -> String {
        match self.mean_difference {
            None => format!("{}: nothing to compare", self.name),
            Some(d) if d.abs() < 0.25 => format!(
                "{}: close to the reference ({} of {} the same)",
                self.name, self.same, self.compared
            ),
            Some(d) if d > 0.0 => format!(
                "{}: you score higher than the reference (+{:.1} on average; higher on {} of {})",
                self.name, d, self.over, self.compared
            ),
            Some(d) => format!(
                "{}: you score lower than the reference ({:.1} on average; lower on {} of {})",
                self.name, d, self.under, self.compared
            ),
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    /// Every cell that differs, in matrix order.
    pub differences: Vec<CellFeedback>,
    pub per_criterion: Vec<CriterionFeedback>,
    pub same: usize,
    pub compared: usize,
}

/// Compares the student's scores (one analyst, or the median when None) with the
/// reference's (median of its analysts), by mechanism and criterion id.
pub fn compare(student: &Project, student_analyst: Option<&str>, reference: &Project) -> Feedback {
    let sel = Selection {
        analyst: student_analyst.map(str::to_string),
        ..Selection::default()
    };
    let sm = compute::effective_matrix(student, &sel).unwrap_or_else(|_| {
        compute::effective_matrix(student, &Selection::default())
            .expect("the base selection exists")
    });
    let rm = compute::effective_matrix(reference, &Selection::default())
        .expect("the base selection exists");
    let s_crit: Vec<&Criterion> = student.framework.criteria().map(|(_, c)| c).collect();
    let r_crit: Vec<&Criterion> = reference.framework.criteria().map(|(_, c)| c).collect();
    let mut differences = Vec::new();
    let mut per: Vec<CriterionFeedback> = s_crit
        .iter()
        .map(|c| CriterionFeedback {
            criterion: c.id.clone(),
            name: c.name.clone(),
            compared: 0,
            mean_difference: None,
            over: 0,
            under: 0,
            same: 0,
        })
        .collect();
    let mut sums = vec![0.0; s_crit.len()];
    let (mut same_total, mut compared_total) = (0, 0);
    for (si, row) in sm.rows.iter().enumerate() {
        let Some(ri) = rm
            .rows
            .iter()
            .position(|r| r.mechanism_id == row.mechanism_id)
        else {
            continue;
        };
        for (ci, c) in s_crit.iter().enumerate() {
            let Some(rci) = r_crit.iter().position(|x| x.id == c.id) else {
                continue;
            };
            let sv = sm.cells[si][ci].value;
            let rv = rm.cells[ri][rci].value;
            let difference = match (sv, rv) {
                (ScoreValue::Value(a), ScoreValue::Value(b)) => Some(a - b),
                _ => None,
            };
            if let Some(d) = difference {
                let f = &mut per[ci];
                f.compared += 1;
                compared_total += 1;
                sums[ci] += d;
                if d.abs() < 1e-9 {
                    f.same += 1;
                    same_total += 1;
                } else if d > 0.0 {
                    f.over += 1;
                } else {
                    f.under += 1;
                }
            }
            let differs = match difference {
                Some(d) => d.abs() >= 1e-9,
                None => sv != rv,
            };
            if differs {
                let reference_rationale = reference
                    .analysts
                    .iter()
                    .filter_map(|a| reference.score(&a.id, &row.mechanism_id, &c.id))
                    .map(|s| s.rationale.clone())
                    .find(|r| !r.trim().is_empty())
                    .unwrap_or_default();
                differences.push(CellFeedback {
                    mechanism: row.mechanism_id.clone(),
                    mechanism_name: row.name.clone(),
                    criterion: c.id.clone(),
                    criterion_name: c.name.clone(),
                    student: sv,
                    reference: rv,
                    difference,
                    reference_rationale,
                });
            }
        }
    }
    for (f, sum) in per.iter_mut().zip(sums) {
        if f.compared > 0 {
            f.mean_difference = Some(sum / f.compared as f64);
        }
    }
    Feedback {
        differences,
        per_criterion: per,
        same: same_total,
        compared: compared_total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_exercise_holds_nothing_of_the_reference() {
        let sample = crate::bundled::sample();
        let ex = make_exercise(&sample);
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
        let back = crate::persist::load_str(&text).unwrap().project;
        assert_eq!(back.workshop.exercise, Some(Exercise { complete: false }));
    }

    #[test]
    fn comparison_counts_over_and_under_scoring() {
        let reference = crate::bundled::sample();
        let mut student = make_exercise(&reference);
        let c = &reference.framework.groups[0].criteria[0].id;
        let r = &reference.analysts[0].id;
        let mut over = 0;
        for m in reference.mechanisms.iter().take(4) {
            if let Some(ScoreValue::Value(v)) = reference.score(r, &m.id, c).map(|s| s.value) {
                let student_value = (v + 1.0).min(4.0);
                if student_value > v {
                    over += 1;
                }
                student.scores.insert(
                    ScoreKey::new(STUDENT, &m.id, c),
                    Score {
                        value: ScoreValue::Value(student_value),
                        ..Score::default()
                    },
                );
            }
        }
        let fb = compare(&student, Some(STUDENT), &reference);
        let first = &fb.per_criterion[0];
        assert_eq!(first.over, over);
        assert_eq!(first.under, 0);
        assert!(
            first.describe().contains("higher") || over == 0,
            "{}",
            first.describe()
        );
        assert!(
            fb.differences
                .iter()
                .filter(|d| d.criterion == *c && d.difference.is_some())
                .count()
                == over
        );
        assert!(
            fb.differences
                .iter()
                .any(|d| !d.reference_rationale.is_empty())
        );
    }
}
