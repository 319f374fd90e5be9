//! The rules of the check, one function each, on the base assessment: every analyst's
//! scores (rounds and scenarios are left alone), and the results of the median across
//! analysts for the notes.

use std::collections::BTreeMap;

use super::{Finding, Place, Rule};
use crate::compute::{self, MIN_COVERAGE, Selection, gates};
use crate::model::*;
use crate::wording::{and_list_more, percent, score_words, trimmed};

/// Every finding of every rule, unordered and not yet acknowledged.
pub(super) fn all(p: &Project) -> Vec<Finding> {
    let mut out = Vec::new();
    for (key, s) in &p.scores {
        if p.framework.criterion(&key.criterion).is_some() {
            cell_rules(p, key, s, &mut out);
        }
    }
    not_applicable_or_zero(p, &mut out);
    same_rationale(p, &mut out);
    absence_as_evidence(p, &mut out);
    conflicts(p, &mut out);
    notes(p, &mut out);
    out
}

/// Conflicts the git merge driver recorded and nobody has resolved.
fn conflicts(p: &Project, out: &mut Vec<Finding>) {
    for c in &p.merge_conflicts {
        out.push(finding(
            Rule::UnresolvedConflict,
            format!("{}:{}", Rule::UnresolvedConflict.code(), c.path),
            format!("A merge conflict at {} is not resolved", c.path),
            Place {
                analyst: None,
                mechanism: None,
                criterion: None,
                text: c.path.clone(),
            },
        ));
    }
}

/// The sort key of a place: analyst, mechanism and criterion in list order.
pub(super) fn order(p: &Project, at: &Place) -> (usize, usize, usize) {
    let pos = |found: Option<usize>| found.unwrap_or(usize::MAX);
    (
        pos(at
            .analyst
            .as_deref()
            .and_then(|a| p.analysts.iter().position(|x| x.id == a))),
        pos(at
            .mechanism
            .as_deref()
            .and_then(|m| p.mechanisms.iter().position(|x| x.id == m))),
        pos(at
            .criterion
            .as_deref()
            .and_then(|c| p.framework.criteria().position(|(_, x)| x.id == c))),
    )
}

fn mechanism_name(p: &Project, id: &str) -> String {
    p.mechanism(id)
        .map_or_else(|| id.to_string(), |m| m.name.clone())
}

fn criterion_name(p: &Project, id: &str) -> String {
    p.framework
        .criterion(id)
        .map_or_else(|| id.to_string(), |c| c.name.clone())
}

fn analyst_name(p: &Project, id: &str) -> String {
    p.analyst(id)
        .map_or_else(|| id.to_string(), |a| a.name.clone())
}

/// The place of one analyst's cell.
fn cell_place(p: &Project, key: &ScoreKey) -> Place {
    Place {
        analyst: Some(key.analyst.clone()),
        mechanism: Some(key.mechanism.clone()),
        criterion: Some(key.criterion.clone()),
        text: format!(
            "“{}” × “{}” (scored by {})",
            mechanism_name(p, &key.mechanism),
            criterion_name(p, &key.criterion),
            analyst_name(p, &key.analyst)
        ),
    }
}

fn cell_id(rule: Rule, key: &ScoreKey) -> String {
    format!(
        "{}:{}/{}/{}",
        rule.code(),
        key.analyst,
        key.mechanism,
        key.criterion
    )
}

fn finding(rule: Rule, id: String, what: String, place: Place) -> Finding {
    Finding {
        rule,
        id,
        what,
        place,
        acknowledged: None,
    }
}

/// A source graded as not reliable (C–F) or its information as doubtful (4–6).
fn weak(s: &Source) -> bool {
    s.reliability >= Reliability::C || s.credibility >= 4
}

/// The rules that look at one cell on its own.
fn cell_rules(p: &Project, key: &ScoreKey, s: &Score, out: &mut Vec<Finding>) {
    let value = score_words(s.value);
    let numbered = s.value.number().is_some();
    let mut push = |rule: Rule, what: String| {
        out.push(finding(rule, cell_id(rule, key), what, cell_place(p, key)));
    };
    if s.value != ScoreValue::NotAssessed && s.rationale.trim().is_empty() {
        push(
            Rule::NoRationale,
            format!("The score {value} has no rationale."),
        );
    }
    if let ScoreValue::Value(v) = s.value
        && v.fract() != 0.0
        && let Some(c) = p.framework.criterion(&key.criterion)
    {
        push(
            Rule::BetweenLevels,
            format!(
                "The score {value} lies between two levels of the scale of “{}” ({}–{}, whole levels).",
                c.name, c.scale.min, c.scale.max
            ),
        );
    }
    if numbered && s.sources.is_empty() {
        push(
            Rule::NoSource,
            format!("The score {value} cites no source."),
        );
    }
    if numbered && s.basis == Basis::Claim && s.confidence == Confidence::High {
        push(
            Rule::ClaimHighConfidence,
            format!("The score {value} rests on the assessed state's claims, at high confidence."),
        );
    }
    let cited: Vec<&Source> = s.sources.iter().filter_map(|id| p.source(id)).collect();
    if numbered
        && s.confidence == Confidence::High
        && !cited.is_empty()
        && cited.iter().all(|x| weak(x))
    {
        let grades: Vec<String> = cited.iter().map(|x| x.grade()).collect();
        push(
            Rule::WeakSourcesHighConfidence,
            format!(
                "The score {value} is given at high confidence, but its sources are graded {}.",
                and_list_more(&grades, 0)
            ),
        );
    }
    if s.basis == Basis::Documented
        && !s.sources.is_empty()
        && s.sources
            .iter()
            .all(|id| p.origin_of(id) == Origin::AssessedState)
    {
        push(
            Rule::DocumentedFromState,
            format!(
                "The score {value} is marked documented, but all {} of its sources come from the assessed state.",
                s.sources.len()
            ),
        );
    }
    if let Some(was) = s.rationale_for
        && !s.rationale.trim().is_empty()
    {
        push(
            Rule::StaleRationale,
            format!(
                "The rationale was written for {}; the value is now {value}.",
                score_words(was)
            ),
        );
    }
}

/// Within one criterion and one analyst, mechanisms of the same kind coded not
/// applicable for some and 0 for others.
fn not_applicable_or_zero(p: &Project, out: &mut Vec<Finding>) {
    for a in &p.analysts {
        for (_, c) in p.framework.criteria() {
            // Per kind: the mechanisms coded not applicable, and those coded 0.
            let mut by_kind: BTreeMap<Kind, (Vec<&Mechanism>, Vec<&Mechanism>)> = BTreeMap::new();
            for m in &p.mechanisms {
                let value = p.score(&a.id, &m.id, &c.id).map(|s| s.value);
                if value == Some(ScoreValue::NotApplicable) {
                    by_kind.entry(m.kind).or_default().0.push(m);
                } else if value == Some(ScoreValue::Value(0.0)) {
                    by_kind.entry(m.kind).or_default().1.push(m);
                }
            }
            for (kind, (na, zero)) in by_kind {
                if na.is_empty() || zero.is_empty() {
                    continue;
                }
                let names = |list: &[&Mechanism]| {
                    let shown: Vec<String> = list
                        .iter()
                        .take(4)
                        .map(|m| format!("“{}”", m.name))
                        .collect();
                    and_list_more(&shown, list.len().saturating_sub(4))
                };
                out.push(finding(
                    Rule::NotApplicableOrZero,
                    format!(
                        "{}:{}/{}/{}",
                        Rule::NotApplicableOrZero.code(),
                        a.id,
                        c.id,
                        kind.as_str()
                    ),
                    format!(
                        "On “{}”, {} mechanisms are coded not applicable for {} and 0 for {}.",
                        c.name,
                        kind.as_str(),
                        names(&na),
                        names(&zero)
                    ),
                    Place {
                        analyst: Some(a.id.clone()),
                        mechanism: Some(na[0].id.clone()),
                        criterion: Some(c.id.clone()),
                        text: format!(
                            "“{}”, {} mechanisms (scored by {})",
                            c.name,
                            kind.as_str(),
                            a.name
                        ),
                    },
                ));
            }
        }
    }
}

/// A short stable fingerprint of a text, for a finding's id (FNV-1a, 64 bits).
fn fingerprint(text: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// One analyst's same rationale on cells with different values.
fn same_rationale(p: &Project, out: &mut Vec<Finding>) {
    let mut by_text: BTreeMap<(&str, &str), Vec<(&ScoreKey, ScoreValue)>> = BTreeMap::new();
    for (key, s) in &p.scores {
        let text = s.rationale.trim();
        if text.is_empty() || s.value == ScoreValue::NotAssessed {
            continue;
        }
        by_text
            .entry((key.analyst.as_str(), text))
            .or_default()
            .push((key, s.value));
    }
    for ((analyst, text), mut cells) in by_text {
        let mut values: Vec<String> = cells.iter().map(|(_, v)| score_words(*v)).collect();
        values.sort();
        values.dedup();
        if values.len() < 2 {
            continue;
        }
        cells.sort_by_key(|(k, _)| {
            order(
                p,
                &Place {
                    analyst: Some(k.analyst.clone()),
                    mechanism: Some(k.mechanism.clone()),
                    criterion: Some(k.criterion.clone()),
                    text: String::new(),
                },
            )
        });
        let shown: Vec<String> = cells
            .iter()
            .take(4)
            .map(|(k, v)| {
                format!(
                    "“{}” × “{}” ({})",
                    mechanism_name(p, &k.mechanism),
                    criterion_name(p, &k.criterion),
                    score_words(*v)
                )
            })
            .collect();
        let first = cells[0].0;
        let mut place = cell_place(p, first);
        place.text = format!(
            "{} cells scored by {}",
            cells.len(),
            analyst_name(p, analyst)
        );
        out.push(finding(
            Rule::SameRationale,
            format!(
                "{}:{analyst}/{}",
                Rule::SameRationale.code(),
                fingerprint(text)
            ),
            format!(
                "The rationale “{}” is given for values {}: {}.",
                text::excerpt(text, 60),
                and_list_more(&values, 0),
                and_list_more(&shown, cells.len().saturating_sub(4))
            ),
            place,
        ));
    }
}

/// The criteria that say how opaque a mechanism is: a criterion of a concern group
/// whose id is "opacity" or whose name speaks of opacity.
fn opacity_criteria(fw: &Framework) -> Vec<&Criterion> {
    fw.groups
        .iter()
        .filter(|g| g.role == Role::Concern)
        .flat_map(|g| &g.criteria)
        .filter(|c| c.id == "opacity" || c.name.to_lowercase().contains("opac"))
        .collect()
}

/// How much concern a value shows, as a share of the scale (0 = none, 1 = most).
fn concern_share(c: &Criterion, v: f64) -> f64 {
    let share = c.scale.normalise(v);
    match c.direction {
        Direction::Cost => share,
        Direction::Benefit => 1.0 - share,
    }
}

/// A low concern score at low confidence on a mechanism the same analyst rates as
/// opaque (in the top quarter of the opacity scale).
fn absence_as_evidence(p: &Project, out: &mut Vec<Finding>) {
    let opacity = opacity_criteria(&p.framework);
    if opacity.is_empty() {
        return;
    }
    let concerns: Vec<&Criterion> = p
        .framework
        .groups
        .iter()
        .filter(|g| g.role == Role::Concern)
        .flat_map(|g| &g.criteria)
        .filter(|c| !opacity.iter().any(|o| o.id == c.id))
        .collect();
    for a in &p.analysts {
        for m in &p.mechanisms {
            let opaque = opacity.iter().find_map(|o| {
                let v = p.score(&a.id, &m.id, &o.id)?.value.number()?;
                (concern_share(o, v) >= 0.75).then_some((o, v))
            });
            let Some((o, ov)) = opaque else { continue };
            for c in &concerns {
                let Some(s) = p.score(&a.id, &m.id, &c.id) else {
                    continue;
                };
                let Some(v) = s.value.number() else { continue };
                if s.confidence != Confidence::Low || concern_share(c, v) > 0.25 {
                    continue;
                }
                let key = ScoreKey::new(&a.id, &m.id, &c.id);
                out.push(finding(
                    Rule::AbsenceAsEvidence,
                    cell_id(Rule::AbsenceAsEvidence, &key),
                    format!(
                        "“{}” is scored {} (low concern, low confidence) while the same analyst scores “{}” {}.",
                        c.name,
                        format_value(v),
                        o.name,
                        format_value(ov)
                    ),
                    cell_place(p, &key),
                ));
            }
        }
    }
}

/// Notes: failing gates and indices below the coverage threshold, on the results of
/// the base assessment (median across analysts).
fn notes(p: &Project, out: &mut Vec<Finding>) {
    let sel = Selection::default();
    let (Ok(results), Ok(matrix)) = (
        compute::analyze(p, &sel),
        compute::effective_matrix(p, &sel),
    ) else {
        return;
    };
    for r in &results.mechanisms {
        for g in gates::failures(&p.framework, r) {
            out.push(finding(
                Rule::FailingGate,
                format!("{}:{}/{}", Rule::FailingGate.code(), r.id, g.criterion_id),
                format!(
                    "“{}” scores {} on “{}”, below its gate of {}: not viable.",
                    r.name,
                    trimmed(g.value, 2),
                    g.criterion_name,
                    trimmed(g.at_least, 2)
                ),
                Place {
                    analyst: None,
                    mechanism: Some(r.id.clone()),
                    criterion: Some(g.criterion_id.clone()),
                    text: format!("“{}” × “{}”", r.name, g.criterion_name),
                },
            ));
        }
        let Some(row) = matrix.rows.iter().position(|x| x.mechanism_id == r.id) else {
            continue;
        };
        for (gi, gx) in r.groups.iter().enumerate() {
            if gx.index.is_some() {
                continue;
            }
            let group = &p.framework.groups[gi];
            let missing: Vec<&Criterion> = p
                .framework
                .criteria()
                .enumerate()
                .filter(|(ci, (cgi, _))| {
                    *cgi == gi && matrix.cells[row][*ci].value == ScoreValue::NotAssessed
                })
                .map(|(_, (_, c))| c)
                .collect();
            let Some(first) = missing.first() else {
                continue;
            };
            out.push(finding(
                Rule::LowCoverage,
                format!("{}:{}/{}", Rule::LowCoverage.code(), r.id, group.id),
                format!(
                    "The “{}” index of “{}” is not computed: {} of its weight is assessed, at least {} is needed ({} not assessed).",
                    group.name,
                    r.name,
                    percent(gx.coverage),
                    percent(MIN_COVERAGE),
                    crate::wording::plural(missing.len(), "criterion", "criteria")
                ),
                Place {
                    analyst: None,
                    mechanism: Some(r.id.clone()),
                    criterion: Some(first.id.clone()),
                    text: format!("“{}”, group “{}”", r.name, group.name),
                },
            ));
        }
    }
}
