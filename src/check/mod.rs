//! The check of a whole assessment: findings an analyst should look at (warnings) and
//! results worth knowing (notes), each with where it is, why it matters and how to fix
//! it; a finding acknowledged with a reason in the file is shown as acknowledged.
//! Pure: no I/O, findings in a stable order. The rules are in `rules.rs` and described
//! in docs/check.md.

mod rules;

use serde_json::{Value, json};

use crate::model::Project;

/// How much a finding matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// A defect of the assessment to fix or acknowledge.
    Warning,
    /// A result, not a defect.
    Note,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Warning => "warning",
            Severity::Note => "note",
        }
    }
}

/// The rules of the check, in the order findings are listed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rule {
    NoRationale,
    NoSource,
    ClaimHighConfidence,
    WeakSourcesHighConfidence,
    DocumentedFromState,
    NotApplicableOrZero,
    SameRationale,
    StaleRationale,
    BetweenLevels,
    AbsenceAsEvidence,
    UnresolvedConflict,
    FailingGate,
    LowCoverage,
}

impl Rule {
    pub const ALL: [Rule; 13] = [
        Rule::NoRationale,
        Rule::NoSource,
        Rule::ClaimHighConfidence,
        Rule::WeakSourcesHighConfidence,
        Rule::DocumentedFromState,
        Rule::NotApplicableOrZero,
        Rule::SameRationale,
        Rule::StaleRationale,
        Rule::BetweenLevels,
        Rule::AbsenceAsEvidence,
        Rule::UnresolvedConflict,
        Rule::FailingGate,
        Rule::LowCoverage,
    ];

    /// The rule's code, the first part of a finding's id.
    pub fn code(self) -> &'static str {
        match self {
            Rule::NoRationale => "no-rationale",
            Rule::NoSource => "no-source",
            Rule::ClaimHighConfidence => "claim-high-confidence",
            Rule::WeakSourcesHighConfidence => "weak-sources-high-confidence",
            Rule::DocumentedFromState => "documented-from-state",
            Rule::NotApplicableOrZero => "not-applicable-or-zero",
            Rule::SameRationale => "same-rationale",
            Rule::StaleRationale => "stale-rationale",
            Rule::BetweenLevels => "between-levels",
            Rule::AbsenceAsEvidence => "absence-as-evidence",
            Rule::UnresolvedConflict => "unresolved-conflict",
            Rule::FailingGate => "failing-gate",
            Rule::LowCoverage => "low-coverage",
        }
    }

    pub fn severity(self) -> Severity {
        match self {
            Rule::FailingGate | Rule::LowCoverage => Severity::Note,
            _ => Severity::Warning,
        }
    }

    /// Why a finding of this rule matters.
    pub fn why(self) -> &'static str {
        match self {
            Rule::NoRationale => {
                "A value without a rationale cannot be checked, discussed or defended: a reader sees a number and not the judgement behind it."
            }
            Rule::NoSource => {
                "A value that cites no source rests on the analyst's memory; nobody can trace the evidence or weigh its reliability."
            }
            Rule::ClaimHighConfidence => {
                "The score rests on the assessed state's own statements. What a state says about its own cooperation is what it wants to appear, not proof of what it is; high confidence overstates the evidence."
            }
            Rule::WeakSourcesHighConfidence => {
                "Every cited source is graded as not reliable (C–F) or its information as doubtful (4–6): high confidence is more than those sources can carry."
            }
            Rule::DocumentedFromState => {
                "The score is marked as documented by independent evidence, but every cited source traces back to the assessed state: it is a claim, relayed."
            }
            Rule::NotApplicableOrZero => {
                "Mechanisms of the same kind are coded 'not applicable' on this criterion for some and 0 for others. The two are computed differently (not applicable leaves the criterion out of the index, 0 pulls the index down), so the same absence changes results depending on how it was coded."
            }
            Rule::SameRationale => {
                "The same rationale justifies different values: at most one of them can follow from it, or the text is boilerplate that explains none of them."
            }
            Rule::StaleRationale => {
                "The value changed after the rationale was written, and the rationale did not: it may now argue for the old value."
            }
            Rule::BetweenLevels => {
                "The value lies between two levels of the scale: no anchor describes it, so nobody can tell what evidence it stands for, and it moves the totals by a precision the scale does not have."
            }
            Rule::AbsenceAsEvidence => {
                "The same analyst rates the mechanism as opaque, yet gives it a low concern score at low confidence. Little being known about a concern is not evidence that the concern is small."
            }
            Rule::UnresolvedConflict => {
                "Two people changed the same thing differently and a merge kept one side's value only for now: the project shows a value nobody has yet chosen over the other."
            }
            Rule::FailingGate => {
                "The mechanism scores below a requirement gate: it is flagged not viable whatever its total."
            }
            Rule::LowCoverage => {
                "Too little of the group's weight is assessed for the index to mean much, so it is not computed and the mechanism's total may be missing."
            }
        }
    }

    /// How to fix a finding of this rule (or what to do with it).
    pub fn fix(self) -> &'static str {
        match self {
            Rule::NoRationale => {
                "Write why the value was chosen, citing the facts it rests on; or acknowledge the finding with a reason."
            }
            Rule::NoSource => {
                "Cite the sources the value rests on (add them in the Sources tab if needed)."
            }
            Rule::ClaimHighConfidence => {
                "Lower the confidence, or find independent evidence and cite it (then set the basis to documented or mixed)."
            }
            Rule::WeakSourcesHighConfidence => {
                "Lower the confidence, or cite a better-graded source that confirms the information."
            }
            Rule::DocumentedFromState => {
                "Set the basis to claim, or cite the independent evidence the score rests on; check who speaks in each source (Sources tab, 'Who speaks' and 'Relays')."
            }
            Rule::NotApplicableOrZero => {
                "Decide which the criterion's coding rule means for such mechanisms, write it in the coding rule (Framework tab), and code every mechanism of the kind the same way."
            }
            Rule::SameRationale => {
                "Write a rationale for each value that says why this mechanism gets this value."
            }
            Rule::StaleRationale => {
                "Read the rationale again and rewrite it for the new value (editing it clears the finding), or put the value back."
            }
            Rule::BetweenLevels => {
                "Choose the level whose anchor the evidence meets, and express the doubt as the confidence; or acknowledge the finding with a reason."
            }
            Rule::AbsenceAsEvidence => {
                "Code the concern as not assessed until there is evidence either way, or cite the evidence that shows the concern is small."
            }
            Rule::UnresolvedConflict => {
                "Resolve it in the merge-conflict list (keep this value, take theirs or the base); docs/git.md."
            }
            Rule::FailingGate => {
                "Nothing to fix if the score is right; check the gated score and its evidence."
            }
            Rule::LowCoverage => "Assess more of the group's criteria for this mechanism.",
        }
    }
}

/// Where a finding is: ids for a click to the cell, and names for reading.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Place {
    pub analyst: Option<String>,
    pub mechanism: Option<String>,
    pub criterion: Option<String>,
    /// The place in words: "Mekong River joint patrols × Opacity (analyst Reference)".
    pub text: String,
}

/// One finding of the check.
#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    /// Stable id: the rule's code and the ids of the place, e.g.
    /// "no-source:reference/mekong-joint-patrols/opacity".
    pub id: String,
    /// What was found, in one sentence.
    pub what: String,
    pub place: Place,
    /// The reason given when the finding was acknowledged.
    pub acknowledged: Option<String>,
}

impl Finding {
    pub fn severity(&self) -> Severity {
        self.rule.severity()
    }
}

/// The findings of a check, warnings first.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Acknowledgements in the file that match no finding any more.
    pub stale_acknowledgements: Vec<String>,
}

impl Report {
    pub fn count(&self, severity: Severity) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity() == severity)
            .count()
    }

    /// Warnings not acknowledged: what makes `check` exit 1.
    pub fn open_warnings(&self) -> usize {
        self.findings
            .iter()
            .filter(|f| f.severity() == Severity::Warning && f.acknowledged.is_none())
            .count()
    }

    pub fn to_json(&self) -> Value {
        json!({
            "warnings": self.count(Severity::Warning),
            "open_warnings": self.open_warnings(),
            "notes": self.count(Severity::Note),
            "findings": self.findings.iter().map(|f| json!({
                "id": f.id,
                "rule": f.rule.code(),
                "severity": f.severity().as_str(),
                "what": f.what,
                "where": {
                    "text": f.place.text,
                    "analyst": f.place.analyst,
                    "mechanism": f.place.mechanism,
                    "criterion": f.place.criterion,
                },
                "why": f.rule.why(),
                "fix": f.rule.fix(),
                "acknowledged": f.acknowledged,
            })).collect::<Vec<_>>(),
            "stale_acknowledgements": self.stale_acknowledgements,
        })
    }
}

/// Checks a project: every rule on the base assessment (every analyst's scores), the
/// acknowledgements in the file applied.
pub fn check(p: &Project) -> Report {
    let mut findings = rules::all(p);
    findings.sort_by(|a, b| {
        (a.severity(), a.rule)
            .cmp(&(b.severity(), b.rule))
            .then_with(|| rules::order(p, &a.place).cmp(&rules::order(p, &b.place)))
            .then_with(|| a.id.cmp(&b.id))
    });
    findings.dedup_by(|a, b| a.id == b.id);
    for f in &mut findings {
        f.acknowledged = p
            .acknowledgements
            .iter()
            .find(|a| a.finding == f.id)
            .map(|a| a.reason.clone());
    }
    let stale_acknowledgements = p
        .acknowledgements
        .iter()
        .filter(|a| !findings.iter().any(|f| f.id == a.finding))
        .map(|a| a.finding.clone())
        .collect();
    Report {
        findings,
        stale_acknowledgements,
    }
}
