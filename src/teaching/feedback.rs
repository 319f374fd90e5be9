//! A student's scoring compared with a reference scoring, analyst by analyst of the
//! student's file: only the cells the student scored are compared (how many were
//! left is reported), with the share exactly the same, the share within one point,
//! the mean signed difference and the quadratic-weighted kappa, overall and per
//! criterion, and the largest disagreements with the reference's rationale.
//!
//! A reference with one analyst who scored is an answer key. A reference with several
//! is a panel: a student's score is compared with the range of the panel's scores
//! (inside or outside), and the difference and kappa with the panel's median.

use crate::compute::stats::median;
use crate::model::*;
use crate::teaching::kappa::quadratic_kappa;

/// What the student is compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum ReferenceKind {
    /// One analyst's scores: exact or not.
    Key { analyst: String },
    /// Several analysts: inside the range of their scores or not.
    Panel { analysts: Vec<String> },
}

/// One reference analyst's judgement of a cell.
#[derive(Clone, Debug, PartialEq)]
pub struct ReferenceJudgement {
    /// The analyst's name.
    pub analyst: String,
    pub value: ScoreValue,
    pub rationale: String,
}

/// One cell the student scored where the reference has a judgement.
#[derive(Clone, Debug, PartialEq)]
pub struct CellFeedback {
    pub mechanism: String,
    pub mechanism_name: String,
    pub criterion: String,
    pub criterion_name: String,
    pub student: ScoreValue,
    /// Every reference judgement of the cell (one for a key).
    pub reference: Vec<ReferenceJudgement>,
    /// The lowest and highest reference number (equal for a key); None when the
    /// reference gave no number (only "not applicable").
    pub range: Option<(f64, f64)>,
    /// Student − reference (the key, or the panel's median), when both are numbers.
    pub difference: Option<f64>,
    /// How far the student's number is outside the range (0 inside); None when one
    /// side is "not applicable".
    pub distance: Option<f64>,
    /// The same as the key, or inside the panel's range ("not applicable" matches
    /// "not applicable").
    pub agrees: bool,
}

/// The summary numbers of a set of cells (a student's whole sheet, or one criterion).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    /// Cells in the matrix.
    pub cells: usize,
    /// Cells the student scored (a number or "not applicable").
    pub scored: usize,
    /// Cells the student left unscored (`cells − scored`).
    pub left: usize,
    /// Scored cells where the reference has a judgement too: the cells compared.
    pub compared: usize,
    /// Compared cells that are the same as the key (inside the panel's range).
    pub agree: usize,
    /// Compared cells within one point of the key (of the panel's range); "not
    /// applicable" on both sides counts as within.
    pub within_one: usize,
    /// Compared cells where both sides are numbers: the mean difference and the kappa
    /// rest on these.
    pub numeric: usize,
    /// Mean of student − reference over the numeric cells.
    pub mean_difference: Option<f64>,
    /// Quadratic-weighted kappa over the numeric cells (each score as its place on
    /// its criterion's scale, so criteria with different scales can be pooled).
    pub weighted_kappa: Option<f64>,
}

impl Stats {
    /// Share of the compared cells that agree (exact, or inside the panel's range).
    pub fn agree_share(&self) -> Option<f64> {
        share(self.agree, self.compared)
    }

    pub fn within_one_share(&self) -> Option<f64> {
        share(self.within_one, self.compared)
    }

    /// Why there are no numbers, when there are none: "scored nothing" or "none of
    /// the scored cells has a reference judgement".
    pub fn empty_reason(&self) -> Option<&'static str> {
        if self.scored == 0 {
            Some("scored nothing: there is nothing to compare yet")
        } else if self.compared == 0 {
            Some("none of the scored cells has a reference judgement to compare with")
        } else {
            None
        }
    }
}

fn share(n: usize, of: usize) -> Option<f64> {
    (of > 0).then(|| n as f64 / of as f64)
}

/// One criterion's numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct CriterionFeedback {
    pub criterion: String,
    pub name: String,
    pub stats: Stats,
}

/// One student (one analyst of a student's file) against the reference.
#[derive(Clone, Debug, PartialEq)]
pub struct StudentFeedback {
    pub analyst: String,
    pub name: String,
    pub overall: Stats,
    pub per_criterion: Vec<CriterionFeedback>,
    /// The compared cells that disagree, largest first: numbers by their distance
    /// from the key (the range), then "not applicable" on one side only; ties in
    /// matrix order.
    pub disagreements: Vec<CellFeedback>,
}

/// The comparison of a student's file with a reference.
#[derive(Clone, Debug, PartialEq)]
pub struct Feedback {
    pub reference: ReferenceKind,
    pub students: Vec<StudentFeedback>,
}

impl Feedback {
    /// True when the reference is a panel of several analysts.
    pub fn is_panel(&self) -> bool {
        matches!(self.reference, ReferenceKind::Panel { .. })
    }

    /// "the answer key “Reference”" / "the range of a panel of 3 analysts (A, B and C)".
    pub fn reference_phrase(&self) -> String {
        match &self.reference {
            ReferenceKind::Key { analyst } => format!("the answer key “{analyst}”"),
            ReferenceKind::Panel { analysts } => format!(
                "the range of a panel of {} analysts ({})",
                analysts.len(),
                crate::wording::and_list(analysts)
            ),
        }
    }
}

/// Why a file cannot be compared with the reference.
#[derive(Clone, Debug, PartialEq)]
pub enum FeedbackError {
    /// The student's file is not on the reference's framework and mechanisms: each
    /// line names what differs.
    Mismatch(Vec<String>),
    /// The reference holds no score to compare with.
    EmptyReference,
    /// The student's file has no analyst.
    NoStudent,
}

impl std::fmt::Display for FeedbackError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FeedbackError::Mismatch(lines) => write!(
                f,
                "not on the reference's framework and mechanisms: {}",
                lines.join("; ")
            ),
            FeedbackError::EmptyReference => {
                write!(f, "the reference holds no scores to compare with")
            }
            FeedbackError::NoStudent => write!(f, "the file has no analyst to compare"),
        }
    }
}

/// What differs between two projects' frameworks and mechanisms (by id, and each
/// criterion's scale); empty when a student's file can be compared with the reference.
pub fn mismatch(student: &Project, reference: &Project) -> Vec<String> {
    let mut out = Vec::new();
    let ids = |p: &Project| -> Vec<String> {
        p.framework.criteria().map(|(_, c)| c.id.clone()).collect()
    };
    let (s_crit, r_crit) = (ids(student), ids(reference));
    let quoted =
        |v: Vec<&String>| -> Vec<String> { v.iter().map(|x| format!("“{x}”")).collect() };
    let missing: Vec<&String> = r_crit.iter().filter(|c| !s_crit.contains(c)).collect();
    if !missing.is_empty() {
        out.push(format!(
            "criteria of the reference missing here: {}",
            crate::wording::and_list(&quoted(missing))
        ));
    }
    let extra: Vec<&String> = s_crit.iter().filter(|c| !r_crit.contains(c)).collect();
    if !extra.is_empty() {
        out.push(format!(
            "criteria not in the reference: {}",
            crate::wording::and_list(&quoted(extra))
        ));
    }
    for (_, c) in student.framework.criteria() {
        if let Some(r) = reference.framework.criterion(&c.id)
            && (r.scale.min, r.scale.max) != (c.scale.min, c.scale.max)
        {
            out.push(format!(
                "criterion “{}” is scored {}–{} here and {}–{} in the reference",
                c.id, c.scale.min, c.scale.max, r.scale.min, r.scale.max
            ));
        }
    }
    let s_mech: Vec<&String> = student.mechanisms.iter().map(|m| &m.id).collect();
    let r_mech: Vec<&String> = reference.mechanisms.iter().map(|m| &m.id).collect();
    // What one list has and the other lacks, in words.
    let mut lacking = |these: &[&String], others: &[&String], what: &str| {
        let gone: Vec<&String> = these
            .iter()
            .copied()
            .filter(|m| !others.contains(m))
            .collect();
        if !gone.is_empty() {
            out.push(format!(
                "{what}: {}",
                crate::wording::and_list(&quoted(gone))
            ));
        }
    };
    lacking(&r_mech, &s_mech, "mechanisms of the reference missing here");
    lacking(&s_mech, &r_mech, "mechanisms not in the reference");
    out
}

/// The reference's analysts who scored something: they make the key or the panel.
fn reference_analysts(reference: &Project) -> Vec<&Analyst> {
    reference
        .analysts
        .iter()
        .filter(|a| {
            reference
                .scores
                .iter()
                .any(|(k, s)| k.analyst == a.id && s.value != ScoreValue::NotAssessed)
        })
        .collect()
}

/// What a reference is: an answer key (one analyst scored) or a panel (several);
/// `EmptyReference` when nobody scored.
pub fn reference_kind(reference: &Project) -> Result<ReferenceKind, FeedbackError> {
    match reference_analysts(reference).as_slice() {
        [] => Err(FeedbackError::EmptyReference),
        [one] => Ok(ReferenceKind::Key {
            analyst: one.name.clone(),
        }),
        many => Ok(ReferenceKind::Panel {
            analysts: many.iter().map(|a| a.name.clone()).collect(),
        }),
    }
}

/// Compares every analyst of `student` with `reference`, on the base assessment
/// (scenarios, rounds and consensus are left alone).
pub fn feedback(student: &Project, reference: &Project) -> Result<Feedback, FeedbackError> {
    let differs = mismatch(student, reference);
    if !differs.is_empty() {
        return Err(FeedbackError::Mismatch(differs));
    }
    if student.analysts.is_empty() {
        return Err(FeedbackError::NoStudent);
    }
    let panel = reference_analysts(reference);
    let kind = reference_kind(reference)?;
    let students = student
        .analysts
        .iter()
        .map(|a| one_student(student, &a.id, &a.name, reference, &panel))
        .collect();
    Ok(Feedback {
        reference: kind,
        students,
    })
}

/// Running sums behind one `Stats`.
#[derive(Default)]
struct Tally {
    stats: Stats,
    sum_difference: f64,
    /// (student, reference) as places on the criterion's scale (0–1).
    pairs: Vec<(f64, f64)>,
}

impl Tally {
    fn add_cell(&mut self, scored: bool) {
        self.stats.cells += 1;
        if scored {
            self.stats.scored += 1;
        } else {
            self.stats.left += 1;
        }
    }

    fn add_compared(&mut self, cell: &CellFeedback, place: Option<(f64, f64)>) {
        self.stats.compared += 1;
        if cell.agrees {
            self.stats.agree += 1;
        }
        let within = match cell.distance {
            Some(d) => d <= 1.0 + 1e-9,
            None => cell.agrees,
        };
        if within {
            self.stats.within_one += 1;
        }
        if let (Some(d), Some(p)) = (cell.difference, place) {
            self.stats.numeric += 1;
            self.sum_difference += d;
            self.pairs.push(p);
        }
    }

    fn finish(mut self) -> Stats {
        if self.stats.numeric > 0 {
            self.stats.mean_difference = Some(self.sum_difference / self.stats.numeric as f64);
        }
        self.stats.weighted_kappa = quadratic_kappa(&self.pairs);
        self.stats
    }
}

fn one_student(
    student: &Project,
    analyst: &str,
    name: &str,
    reference: &Project,
    panel: &[&Analyst],
) -> StudentFeedback {
    let criteria: Vec<&Criterion> = reference.framework.criteria().map(|(_, c)| c).collect();
    let mut overall = Tally::default();
    let mut per: Vec<Tally> = criteria.iter().map(|_| Tally::default()).collect();
    let mut disagreements = Vec::new();
    for m in &reference.mechanisms {
        for (ci, c) in criteria.iter().enumerate() {
            let sv = student
                .score(analyst, &m.id, &c.id)
                .map_or(ScoreValue::NotAssessed, |s| s.value);
            let scored = sv != ScoreValue::NotAssessed;
            overall.add_cell(scored);
            per[ci].add_cell(scored);
            if !scored {
                continue;
            }
            let judgements: Vec<ReferenceJudgement> = panel
                .iter()
                .filter_map(|a| {
                    reference
                        .score(&a.id, &m.id, &c.id)
                        .filter(|s| s.value != ScoreValue::NotAssessed)
                        .map(|s| ReferenceJudgement {
                            analyst: a.name.clone(),
                            value: s.value,
                            rationale: s.rationale.clone(),
                        })
                })
                .collect();
            if judgements.is_empty() {
                continue;
            }
            let cell = judge(m, c, sv, judgements);
            let span = f64::from(c.scale.max - c.scale.min).max(1.0);
            let place = match (sv, cell.difference) {
                (ScoreValue::Value(s), Some(d)) => {
                    let min = f64::from(c.scale.min);
                    Some(((s - min) / span, (s - d - min) / span))
                }
                _ => None,
            };
            overall.add_compared(&cell, place);
            per[ci].add_compared(&cell, place);
            if !cell.agrees {
                disagreements.push(cell);
            }
        }
    }
    // Largest first: numeric distances descending, then the "not applicable"
    // mismatches; the sort is stable, so ties stay in matrix order.
    disagreements.sort_by(|a, b| match (a.distance, b.distance) {
        (Some(x), Some(y)) => y.total_cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    StudentFeedback {
        analyst: analyst.to_string(),
        name: name.to_string(),
        overall: overall.finish(),
        per_criterion: criteria
            .iter()
            .zip(per)
            .map(|(c, t)| CriterionFeedback {
                criterion: c.id.clone(),
                name: c.name.clone(),
                stats: t.finish(),
            })
            .collect(),
        disagreements,
    }
}

/// The student's value against the reference judgements of one cell.
fn judge(
    m: &Mechanism,
    c: &Criterion,
    student: ScoreValue,
    reference: Vec<ReferenceJudgement>,
) -> CellFeedback {
    let numbers: Vec<f64> = reference.iter().filter_map(|j| j.value.number()).collect();
    let range = numbers
        .iter()
        .copied()
        .fold(None, |acc: Option<(f64, f64)>, v| {
            Some(acc.map_or((v, v), |(lo, hi)| (lo.min(v), hi.max(v))))
        });
    let any_na = reference
        .iter()
        .any(|j| j.value == ScoreValue::NotApplicable);
    let (difference, distance, agrees) = match (student, range) {
        (ScoreValue::Value(s), Some((lo, hi))) => {
            let centre = median(&numbers).unwrap_or(lo);
            let distance = if s < lo {
                lo - s
            } else if s > hi {
                s - hi
            } else {
                0.0
            };
            (Some(s - centre), Some(distance), distance < 1e-9)
        }
        (ScoreValue::NotApplicable, _) => (None, None, any_na),
        _ => (None, None, false),
    };
    CellFeedback {
        mechanism: m.id.clone(),
        mechanism_name: m.name.clone(),
        criterion: c.id.clone(),
        criterion_name: c.name.clone(),
        student,
        reference,
        range,
        difference,
        distance,
        agrees,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::teaching::exercise::{ExerciseOptions, STUDENT, make_exercise};

    fn set(p: &mut Project, analyst: &str, m: &str, c: &str, v: ScoreValue, why: &str) {
        p.scores.insert(
            ScoreKey::new(analyst, m, c),
            Score {
                value: v,
                rationale: why.into(),
                ..Score::default()
            },
        );
    }

    /// The sample reduced to its first criterion's reference scores.
    fn key_and_exercise() -> (Project, Project, Vec<String>, String) {
        let reference = crate::bundled::sample();
        let (ex, _) = make_exercise(&reference, &ExerciseOptions::default());
        let c = reference.framework.groups[0].criteria[0].id.clone();
        let mechs = reference.mechanisms.iter().map(|m| m.id.clone()).collect();
        (reference, ex, mechs, c)
    }

    #[test]
    fn a_student_who_scored_nothing_gets_no_numbers_and_no_division_by_zero() {
        let (reference, ex, _, _) = key_and_exercise();
        let fb = feedback(&ex, &reference).unwrap();
        let s = &fb.students[0].overall;
        assert_eq!(s.scored, 0);
        assert_eq!(s.left, s.cells);
        assert_eq!(s.compared, 0);
        assert_eq!(s.agree_share(), None);
        assert_eq!(s.mean_difference, None);
        assert_eq!(s.weighted_kappa, None);
        assert!(s.empty_reason().unwrap().contains("scored nothing"));
    }

    #[test]
    fn only_scored_cells_are_compared() {
        let (reference, mut ex, mechs, c) = key_and_exercise();
        let r = reference.analysts[0].id.clone();
        let key = |m: &str| reference.score(&r, m, &c).unwrap().value.number().unwrap();
        // Three cells: one the same, one 1 higher (within one), one 3 away.
        let (k0, k1, k2) = (key(&mechs[0]), key(&mechs[1]), key(&mechs[2]));
        set(&mut ex, STUDENT, &mechs[0], &c, ScoreValue::Value(k0), "");
        let up = if k1 < 4.0 { k1 + 1.0 } else { k1 - 1.0 };
        set(&mut ex, STUDENT, &mechs[1], &c, ScoreValue::Value(up), "");
        let far = if k2 >= 2.0 { 0.0 } else { 4.0 };
        set(&mut ex, STUDENT, &mechs[2], &c, ScoreValue::Value(far), "");
        let fb = feedback(&ex, &reference).unwrap();
        assert!(!fb.is_panel());
        let s = &fb.students[0].overall;
        assert_eq!((s.scored, s.compared, s.agree, s.numeric), (3, 3, 1, 3));
        assert_eq!(s.left, s.cells - 3);
        let within = 2 + usize::from((far - k2).abs() <= 1.0);
        assert_eq!(s.within_one, within);
        let mean = ((up - k1) + (far - k2)) / 3.0;
        assert!((s.mean_difference.unwrap() - mean).abs() < 1e-9);
        let d = &fb.students[0].disagreements;
        assert_eq!(d.len(), 2);
        assert_eq!(d[0].mechanism, mechs[2], "the largest first");
        assert!(!d[0].reference[0].rationale.is_empty());
    }

    #[test]
    fn a_panel_is_compared_by_its_range() {
        let (mut reference, mut ex, mechs, c) = key_and_exercise();
        reference.scores.clear();
        reference.analysts = vec![
            Analyst {
                id: "a".into(),
                name: "A".into(),
                note: String::new(),
            },
            Analyst {
                id: "b".into(),
                name: "B".into(),
                note: String::new(),
            },
            Analyst {
                id: "c".into(),
                name: "C".into(),
                note: String::new(),
            },
        ];
        // Panel 1, 2, 4 on mechanism 0 (median 2); 3, 3, n/a on mechanism 1.
        for (a, v) in [("a", 1.0), ("b", 2.0), ("c", 4.0)] {
            set(
                &mut reference,
                a,
                &mechs[0],
                &c,
                ScoreValue::Value(v),
                "because",
            );
        }
        set(
            &mut reference,
            "a",
            &mechs[1],
            &c,
            ScoreValue::Value(3.0),
            "",
        );
        set(
            &mut reference,
            "b",
            &mechs[1],
            &c,
            ScoreValue::Value(3.0),
            "",
        );
        set(
            &mut reference,
            "c",
            &mechs[1],
            &c,
            ScoreValue::NotApplicable,
            "",
        );
        // Student: 3 (inside 1–4, +1 from the median), 1 (outside 3–3 by 2).
        set(&mut ex, STUDENT, &mechs[0], &c, ScoreValue::Value(3.0), "");
        set(&mut ex, STUDENT, &mechs[1], &c, ScoreValue::Value(1.0), "");
        set(&mut ex, STUDENT, &mechs[2], &c, ScoreValue::Value(1.0), "");
        let fb = feedback(&ex, &reference).unwrap();
        assert!(fb.is_panel());
        let s = &fb.students[0].overall;
        assert_eq!((s.scored, s.compared, s.agree, s.within_one), (3, 2, 1, 1));
        assert!((s.mean_difference.unwrap() - ((3.0 - 2.0) + (1.0 - 3.0)) / 2.0).abs() < 1e-9);
        let d = &fb.students[0].disagreements[0];
        assert_eq!(d.range, Some((3.0, 3.0)));
        assert_eq!(d.distance, Some(2.0));
        assert_eq!(d.reference.len(), 3);
    }

    #[test]
    fn another_framework_is_named() {
        let (reference, mut ex, _, c) = key_and_exercise();
        ex.framework.groups[0].criteria[0].scale.max = 5;
        ex.mechanisms.pop();
        let Err(FeedbackError::Mismatch(lines)) = feedback(&ex, &reference) else {
            panic!("a mismatch");
        };
        assert!(
            lines.iter().any(|l| l.contains(&c) && l.contains("0–5")),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .any(|l| l.starts_with("mechanisms of the reference missing"))
        );
    }
}
