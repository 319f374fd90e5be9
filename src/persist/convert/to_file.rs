//! Model → file types: canonical order (scores by analyst, mechanism, criterion in list
//! order), whole numbers without ".0".

use std::collections::{BTreeMap, HashMap};

use serde_json::Number;

use crate::model::*;
use crate::persist::file::*;

/// A JSON number for a value: whole numbers without ".0", so files stay tidy.
fn judgements_to_file(j: &Judgements) -> JudgementsFile {
    JudgementsFile {
        pairwise: j
            .pairwise
            .iter()
            .map(|p| PairJudgementFile {
                a: p.a.clone(),
                b: p.b.clone(),
                value: num(p.value),
            })
            .collect(),
        swing: j
            .swing
            .iter()
            .map(|s| SwingJudgementFile {
                id: s.id.clone(),
                rank: s.rank,
                rating: num(s.rating),
            })
            .collect(),
    }
}

fn weighting_to_file(w: &Weighting) -> WeightingFile {
    WeightingFile {
        groups: judgements_to_file(&w.groups),
        criteria: w
            .criteria
            .iter()
            .filter(|(_, j)| !j.is_empty())
            .map(|(k, j)| (k.clone(), judgements_to_file(j)))
            .collect(),
    }
}

pub fn num(x: f64) -> Number {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        Number::from(x as i64)
    } else {
        Number::from_f64(x).unwrap_or_else(|| Number::from(0))
    }
}

fn value_to_file(v: ScoreValue) -> ValueFile {
    match v {
        ScoreValue::Value(x) => ValueFile::Number(num(x)),
        ScoreValue::NotAssessed => ValueFile::Status("not_assessed".into()),
        ScoreValue::NotApplicable => ValueFile::Status("not_applicable".into()),
    }
}

/// The basis as the file writes it: absent when unknown, so older files are unchanged.
fn basis_to_file(b: Basis) -> Option<Word> {
    (b != Basis::Unknown).then(|| b.as_str().into())
}

/// The value a rationale was written for, only when it differs from the value.
fn rationale_for_to_file(s: &Score) -> Option<ValueFile> {
    s.rationale_for.filter(|v| *v != s.value).map(value_to_file)
}

fn mechanism_to_file(m: &Mechanism) -> MechanismFile {
    MechanismFile {
        id: m.id.clone(),
        name: m.name.clone(),
        description: m.description.clone(),
        kind: m.kind.as_str().into(),
        instruments: m
            .instruments
            .iter()
            .map(|i| i.as_str().to_string())
            .collect(),
        regions: m.regions.clone(),
        partners: m.partners.clone(),
        start_year: m.start_year,
        tags: m.tags.clone(),
        facts: m
            .facts
            .iter()
            .map(|f| FactFile {
                text: f.text.clone(),
                sources: f.sources.clone(),
            })
            .collect(),
    }
}

/// Scores in a stable order: by analyst, then mechanism, then criterion, each in list
/// order (unknown ids last, by id).
fn scores_to_file(p: &Project, map: &BTreeMap<ScoreKey, Score>) -> Vec<ScoreFile> {
    let a_pos: HashMap<&str, usize> = p
        .analysts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.id.as_str(), i))
        .collect();
    let m_pos: HashMap<&str, usize> = p
        .mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let c_pos: HashMap<&str, usize> = p
        .framework
        .criteria()
        .enumerate()
        .map(|(i, (_, c))| (c.id.as_str(), i))
        .collect();
    let pos = |m: &HashMap<&str, usize>, id: &str| m.get(id).copied().unwrap_or(usize::MAX);
    // Each key's place looked up once, then sorted by it (and by id, for unknown ids).
    let mut cells: Vec<((usize, usize, usize), &ScoreKey, &Score)> = map
        .iter()
        .map(|(k, s)| {
            let at = (
                pos(&a_pos, &k.analyst),
                pos(&m_pos, &k.mechanism),
                pos(&c_pos, &k.criterion),
            );
            (at, k, s)
        })
        .collect();
    cells.sort_unstable_by(|x, y| x.0.cmp(&y.0).then_with(|| x.1.cmp(y.1)));
    cells
        .into_iter()
        .map(|(_, k, s)| ScoreFile {
            analyst: k.analyst.clone(),
            mechanism: k.mechanism.clone(),
            criterion: k.criterion.clone(),
            value: value_to_file(s.value),
            rationale: s.rationale.clone(),
            confidence: s.confidence.as_str().into(),
            sources: s.sources.clone(),
            basis: basis_to_file(s.basis),
            rationale_for: rationale_for_to_file(s),
        })
        .collect()
}

fn workshop_to_file(p: &Project) -> WorkshopFile {
    let w = &p.workshop;
    // Consensus in matrix order: mechanisms, then criteria, in list order.
    let m_pos: HashMap<&str, usize> = p
        .mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| (m.id.as_str(), i))
        .collect();
    let c_pos: HashMap<&str, usize> = p
        .framework
        .criteria()
        .enumerate()
        .map(|(i, (_, c))| (c.id.as_str(), i))
        .collect();
    let mut cells: Vec<(&(String, String), &ConsensusCell)> = w.consensus.iter().collect();
    let pos = |m: &HashMap<&str, usize>, id: &str| m.get(id).copied().unwrap_or(usize::MAX);
    cells.sort_by(|(a, _), (b, _)| {
        (pos(&m_pos, &a.0), pos(&c_pos, &a.1))
            .cmp(&(pos(&m_pos, &b.0), pos(&c_pos, &b.1)))
            .then_with(|| a.cmp(b))
    });
    WorkshopFile {
        consensus_rule: w.consensus_rule.as_str().into(),
        reveal_names: w.reveal_names,
        discussion: w.discussion.clone(),
        rounds: w
            .rounds
            .iter()
            .map(|r| RoundFile {
                id: r.id.clone(),
                name: r.name.clone(),
                notes: r.notes.clone(),
                scores: scores_to_file(p, &r.scores),
            })
            .collect(),
        consensus: cells
            .into_iter()
            .map(|((m, c), cell)| ConsensusFile {
                mechanism: m.clone(),
                criterion: c.clone(),
                value: value_to_file(cell.value),
                spread: cell.spread.map(num),
                n: cell.n as u32,
                dissent: cell.dissent.clone(),
            })
            .collect(),
        package: w.package.as_ref().map(|pk| PackageFile {
            analyst: pk.analyst.clone(),
            round: pk.round as u32,
            fingerprint: pk.fingerprint.clone(),
            seal: pk.seal.clone(),
            reasons: pk
                .reasons
                .iter()
                .map(|r| PeerReasonFile {
                    mechanism: r.mechanism.clone(),
                    criterion: r.criterion.clone(),
                    rationale: r.rationale.clone(),
                })
                .collect(),
        }),
        exercise: w.exercise.as_ref().map(|e| ExerciseFile {
            complete: e.complete,
        }),
        package_key: w.package_key.clone(),
    }
}

/// Converts a project to the file types.
pub fn to_file(p: &Project) -> ProjectFile {
    let scores = scores_to_file(p, &p.scores);
    ProjectFile {
        schema_version: crate::persist::migrate::CURRENT_VERSION as u32,
        project: InfoFile {
            title: p.info.title.clone(),
            description: p.info.description.clone(),
            author: p.info.author.clone(),
            created: p.info.created.clone(),
            modified: p.info.modified.clone(),
            ranking_rule: (p.settings.ranking_rule != RankingRule::default())
                .then(|| p.settings.ranking_rule.as_str().to_string()),
        },
        framework: FrameworkFile {
            id: p.framework.id.clone(),
            name: p.framework.name.clone(),
            description: p.framework.description.clone(),
            groups: p
                .framework
                .groups
                .iter()
                .map(|g| GroupFile {
                    id: g.id.clone(),
                    name: g.name.clone(),
                    role: g.role.as_str().into(),
                    weight: num(g.weight),
                    description: g.description.clone(),
                    criteria: g
                        .criteria
                        .iter()
                        .map(|c| CriterionFile {
                            id: c.id.clone(),
                            name: c.name.clone(),
                            definition: c.definition.clone(),
                            teaching: c.teaching.clone(),
                            coding: (!c.coding.is_empty()).then(|| c.coding.clone()),
                            direction: c.direction.as_str().into(),
                            weight: num(c.weight),
                            scale: ScaleFile {
                                min: c.scale.min,
                                max: c.scale.max,
                                anchors: c
                                    .scale
                                    .anchors
                                    .iter()
                                    .map(|a| AnchorFile {
                                        value: a.value,
                                        label: a.label.clone(),
                                        descriptor: a.descriptor.clone(),
                                    })
                                    .collect(),
                            },
                            gate: c.gate.map(|g| GateFile {
                                at_least: num(g.at_least),
                            }),
                        })
                        .collect(),
                })
                .collect(),
            viewpoints: p
                .framework
                .viewpoints
                .iter()
                .map(|v| ViewpointFile {
                    id: v.id.clone(),
                    name: v.name.clone(),
                    perspective: v.perspective.clone(),
                    reading: v.reading.as_str().into(),
                    group_weights: v
                        .group_weights
                        .as_ref()
                        .map(|w| w.iter().map(|(k, x)| (k.clone(), num(*x))).collect()),
                })
                .collect(),
            default_viewpoint: p.framework.default_viewpoint.clone(),
            weighting: (!p.framework.weighting.is_empty())
                .then(|| weighting_to_file(&p.framework.weighting)),
        },
        mechanisms: p.mechanisms.iter().map(mechanism_to_file).collect(),
        sources: p
            .sources
            .iter()
            .map(|s| SourceFile {
                id: s.id.clone(),
                citation: s.citation.clone(),
                link: s.link.clone(),
                date: s.date.clone(),
                reliability: s.reliability.as_str().into(),
                credibility: s.credibility,
                note: s.note.clone(),
                origin: (s.origin != Origin::Unknown).then(|| s.origin.as_str().to_string()),
                derived_from: s.derived_from.clone(),
            })
            .collect(),
        analysts: p
            .analysts
            .iter()
            .map(|a| AnalystFile {
                id: a.id.clone(),
                name: a.name.clone(),
                note: a.note.clone(),
            })
            .collect(),
        scores,
        scenarios: p
            .scenarios
            .iter()
            .map(|s| ScenarioFile {
                id: s.id.clone(),
                name: s.name.clone(),
                hypothetical: true,
                narrative: s.narrative.clone(),
                assumptions: s.assumptions.clone(),
                group_weights: s
                    .group_weights
                    .iter()
                    .map(|(k, v)| (k.clone(), num(*v)))
                    .collect(),
                criterion_weights: s
                    .criterion_weights
                    .iter()
                    .map(|(k, v)| (k.clone(), num(*v)))
                    .collect(),
                score_overrides: s
                    .score_overrides
                    .iter()
                    .map(|o| OverrideFile {
                        mechanism: o.mechanism.clone(),
                        criterion: o.criterion.clone(),
                        value: value_to_file(o.score.value),
                        rationale: o.score.rationale.clone(),
                        confidence: o.score.confidence.as_str().into(),
                        sources: o.score.sources.clone(),
                        basis: basis_to_file(o.score.basis),
                        rationale_for: rationale_for_to_file(&o.score),
                    })
                    .collect(),
                excluded_mechanisms: s.excluded_mechanisms.clone(),
                added_mechanisms: s.added_mechanisms.iter().map(mechanism_to_file).collect(),
            })
            .collect(),
        notes: p
            .notes
            .iter()
            .map(|n| NoteFile {
                id: n.id.clone(),
                title: n.title.clone(),
                text: n.text.clone(),
            })
            .collect(),
        workshop: workshop_to_file(p),
        acknowledgements: p
            .acknowledgements
            .iter()
            .map(|a| AcknowledgementFile {
                finding: a.finding.clone(),
                reason: a.reason.clone(),
            })
            .collect(),
        merge_conflicts: p
            .merge_conflicts
            .iter()
            .map(|c| MergeConflictFile {
                path: c.path.clone(),
                base: c.base.clone(),
                ours: c.ours.clone(),
                theirs: c.theirs.clone(),
            })
            .collect(),
    }
}
