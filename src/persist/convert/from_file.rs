//! File types → model. This part only translates: words into enums, lists into maps
//! (reporting cells written twice). Every rule about the result — lengths, counts, ids,
//! references, scales, weights — is checked once, by `model::rules::check_project`, and
//! its places are turned back into JSON pointers of this file.

use std::collections::{BTreeMap, HashMap};

use serde_json::Number;

use crate::model::rules::{self, Seg, Violation};
use crate::model::*;
use crate::persist::file::*;
use crate::persist::problem::{Problem, Ptr, pointer_to_path};

fn f(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

/// Where each map entry came from in the file, to name it in a problem. Score cells are
/// many: their places are kept as the list index of each entry in the map's key order,
/// and looked up by key only when a rule is broken (`ScorePlaces`).
#[derive(Default)]
struct Places {
    scores: Vec<usize>,
    round_scores: Vec<Vec<usize>>,
    consensus: HashMap<(String, String), usize>,
}

/// Score cell → list index, for the maps of one project (the base and each round).
struct ScorePlaces<'p> {
    base: HashMap<&'p ScoreKey, usize>,
    rounds: Vec<HashMap<&'p ScoreKey, usize>>,
}

impl<'p> ScorePlaces<'p> {
    fn new(project: &'p Project, places: &Places) -> ScorePlaces<'p> {
        let index = |map: &'p BTreeMap<ScoreKey, Score>, at: &[usize]| {
            map.keys().zip(at.iter().copied()).collect()
        };
        ScorePlaces {
            base: index(&project.scores, &places.scores),
            rounds: project
                .workshop
                .rounds
                .iter()
                .zip(&places.round_scores)
                .map(|(r, at)| index(&r.scores, at))
                .collect(),
        }
    }
}

struct Problems {
    problems: Vec<Problem>,
}

impl Problems {
    fn push(&mut self, at: &Ptr, message: impl Into<String>) {
        self.problems.push(at.problem(message));
    }
}

/// Converts a file that already matched the schema into a project, or lists every
/// problem found.
pub fn from_file(mut file: ProjectFile) -> Result<Project, Vec<Problem>> {
    let scores = vec![std::mem::take(&mut file.scores)];
    from_parts(file, scores)
}

/// `from_file` with the score list in pieces, in list order (the file's own list is
/// ignored): as the fast loader reads a large list (`persist::split`).
pub fn from_parts(
    mut file: ProjectFile,
    score_parts: Vec<Vec<ScoreFile>>,
) -> Result<Project, Vec<Problem>> {
    let mut cx = Problems {
        problems: Vec::new(),
    };
    let mut places = Places::default();
    let root = Ptr::root();
    let info = ProjectInfo {
        title: file.project.title.clone(),
        description: file.project.description.clone(),
        author: file.project.author.clone(),
        created: file.project.created.clone(),
        modified: file.project.modified.clone(),
    };
    let ranking_rule = match file.project.ranking_rule.as_deref() {
        None => RankingRule::default(),
        Some(s) => RankingRule::parse(s).unwrap_or_else(|| {
            cx.push(
                &root.key("project").key("ranking_rule"),
                "the ranking rule must be rank-assessed or unrank-incomplete",
            );
            RankingRule::default()
        }),
    };
    let sources = file
        .sources
        .iter()
        .enumerate()
        .map(|(i, s)| convert_source(&mut cx, s, &root.key("sources").idx(i)))
        .collect();
    let framework = convert_framework(&mut cx, &file.framework, &root.key("framework"));
    let mechanisms = file
        .mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| convert_mechanism(&mut cx, m, &root.key("mechanisms").idx(i)))
        .collect();
    let analysts = file
        .analysts
        .iter()
        .map(|a| Analyst {
            id: a.id.clone(),
            name: a.name.clone(),
            note: a.note.clone(),
        })
        .collect();
    let scores = convert_scores(
        &mut cx,
        score_parts,
        &root.key("scores"),
        &mut places.scores,
    );
    let workshop = convert_workshop(
        &mut cx,
        &mut file.workshop,
        &root.key("workshop"),
        &mut places,
    );
    let scenarios = file
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| convert_scenario(&mut cx, s, &root.key("scenarios").idx(i)))
        .collect();
    let notes = file
        .notes
        .iter()
        .map(|n| Note {
            id: n.id.clone(),
            title: n.title.clone(),
            text: n.text.clone(),
        })
        .collect();
    let acknowledgements = file
        .acknowledgements
        .iter()
        .map(|a| Acknowledgement {
            finding: a.finding.clone(),
            reason: a.reason.clone(),
        })
        .collect();
    let project = Project {
        acknowledgements,
        info,
        settings: Settings { ranking_rule },
        framework,
        mechanisms,
        sources,
        analysts,
        scores,
        scenarios,
        notes,
        workshop,
        merge_conflicts: file
            .merge_conflicts
            .iter()
            .map(|c| MergeConflict {
                path: c.path.clone(),
                base: c.base.clone(),
                ours: c.ours.clone(),
                theirs: c.theirs.clone(),
            })
            .collect(),
    };
    let broken = rules::check_project(&project, usize::MAX);
    if !broken.is_empty() {
        let scores = ScorePlaces::new(&project, &places);
        for v in broken {
            let at = pointer(&v, &places, &scores);
            let message = match cell_of(&v, &project) {
                Some(cell) => format!("{} ({cell})", v.message),
                None => v.message,
            };
            cx.problems.push(Problem::new(at, message));
        }
    }
    if cx.problems.is_empty() {
        Ok(project)
    } else {
        Err(cx.problems)
    }
}

/// The score cell a rule's place is in, in words a reader finds in the app: "the
/// score of “UNPOL” on “Resources”, analyst “Ana”" (ids where a name is missing).
fn cell_of(v: &Violation, project: &Project) -> Option<String> {
    let key = v.at.iter().find_map(|s| match s {
        Seg::Score(k) => Some(k),
        _ => None,
    })?;
    let mechanism = project
        .mechanism(&key.mechanism)
        .map_or(key.mechanism.as_str(), |m| m.name.as_str());
    let criterion = project
        .framework
        .criterion(&key.criterion)
        .map_or(key.criterion.as_str(), |c| c.name.as_str());
    let analyst = project
        .analyst(&key.analyst)
        .map_or(key.analyst.as_str(), |a| a.name.as_str());
    Some(format!(
        "the score of “{mechanism}” on “{criterion}”, analyst “{analyst}”"
    ))
}

/// The JSON pointer of a rule's place in this file.
fn pointer(v: &Violation, places: &Places, scores: &ScorePlaces<'_>) -> String {
    let mut at = Ptr::root();
    // The round whose scores the place is in, if any.
    let mut round: Option<usize> = None;
    for (i, seg) in v.at.iter().enumerate() {
        at = match seg {
            Seg::Key(k) => at.key(k),
            Seg::Index(n) => {
                if v.at[..i].ends_with(&[Seg::Key("workshop"), Seg::Key("rounds")]) {
                    round = Some(*n);
                }
                at.idx(*n)
            }
            Seg::Entry(k) => at.key(k),
            Seg::Score(key) => {
                let map = match round {
                    Some(r) => scores.rounds.get(r),
                    None => Some(&scores.base),
                };
                match map.and_then(|m| m.get(key)) {
                    Some(n) => at.idx(*n),
                    None => at,
                }
            }
            Seg::Cell(m, c) => match places.consensus.get(&(m.clone(), c.clone())) {
                Some(n) => at.idx(*n),
                None => at,
            },
        };
    }
    at.as_str().to_string()
}

fn convert_value(cx: &mut Problems, value: &ValueFile, at: &Ptr) -> ScoreValue {
    match value {
        ValueFile::Number(n) => ScoreValue::Value(f(n)),
        ValueFile::Status(s) if s == "not_assessed" => ScoreValue::NotAssessed,
        ValueFile::Status(s) if s == "not_applicable" => ScoreValue::NotApplicable,
        ValueFile::Status(s) => {
            cx.push(
                &at.key("value"),
                format!(
                    "\"{s}\" is not a score: use a number, \"not_assessed\" or \"not_applicable\""
                ),
            );
            ScoreValue::NotAssessed
        }
    }
}

/// The fields of a score as the file has them (a score cell or a scenario override);
/// the texts are moved into the score.
struct ScoreParts<'a> {
    value: &'a ValueFile,
    rationale: String,
    confidence: &'a str,
    sources: Vec<String>,
    basis: Option<&'a str>,
    rationale_for: Option<&'a ValueFile>,
}

/// `at` makes the score's pointer, only when there is a problem to place.
fn convert_score(cx: &mut Problems, parts: ScoreParts<'_>, at: &dyn Fn() -> Ptr) -> Score {
    let ScoreParts {
        value,
        rationale,
        confidence,
        sources,
        basis,
        rationale_for,
    } = parts;
    let value = convert_value_lazy(cx, value, at);
    let basis = match basis {
        None => Basis::Unknown,
        Some(b) => Basis::parse(b).unwrap_or_else(|| {
            cx.push(
                &at().key("basis"),
                "basis must be claim, documented, mixed or unknown",
            );
            Basis::Unknown
        }),
    };
    let rationale_for = rationale_for
        .map(|v| convert_value_lazy(cx, v, &|| at().key("rationale_for")))
        .filter(|v| *v != value);
    let confidence = Confidence::parse(confidence).unwrap_or_else(|| {
        cx.push(
            &at().key("confidence"),
            "confidence must be low, moderate or high",
        );
        Confidence::Moderate
    });
    Score {
        value,
        rationale,
        confidence,
        sources,
        basis,
        rationale_for,
    }
}

/// `convert_value`, making the pointer only for a problem.
fn convert_value_lazy(cx: &mut Problems, value: &ValueFile, at: &dyn Fn() -> Ptr) -> ScoreValue {
    match value {
        ValueFile::Number(n) => ScoreValue::Value(f(n)),
        other => convert_value(cx, other, &at()),
    }
}

/// A list of score cells as a map; a cell written twice is reported (the first is kept).
/// `places` gets each kept cell's list index, in the map's key order. The problems come
/// in list order, as one pass over the list would find them.
fn convert_scores(
    cx: &mut Problems,
    mut parts: Vec<Vec<ScoreFile>>,
    at: &Ptr,
    places: &mut Vec<usize>,
) -> BTreeMap<ScoreKey, Score> {
    let len = parts.iter().map(Vec::len).sum();
    let list_path = pointer_to_path(at.as_str());
    let mut found: Vec<(usize, Problem)> = Vec::new();
    let order = key_order(&parts, len);
    let mut kept: Vec<(ScoreKey, Score)> = Vec::with_capacity(len);
    places.clear();
    places.reserve(len);
    let mut last_key: Option<u128> = None;
    // In key order (by key, then list index: the first of equal keys is the one kept),
    // so that the map is built from a list already sorted.
    for k in order {
        let i = (k & u128::from(u32::MAX)) as usize;
        let s = cell_mut(&mut parts, i);
        let before = cx.problems.len();
        let score = convert_score(
            cx,
            ScoreParts {
                value: &s.value,
                rationale: std::mem::take(&mut s.rationale),
                confidence: &s.confidence,
                sources: std::mem::take(&mut s.sources),
                basis: s.basis.as_deref(),
                rationale_for: s.rationale_for.as_ref(),
            },
            &|| at.idx(i),
        );
        found.extend(cx.problems.drain(before..).map(|p| (i, p)));
        let same = last_key == Some(k >> 32);
        last_key = Some(k >> 32);
        if same {
            let first = places[places.len() - 1];
            found.push((
                i,
                at.idx(i).problem(format!(
                    "analyst \"{}\" scores mechanism \"{}\" on criterion \"{}\" twice (first at {list_path}[{first}])",
                    s.analyst, s.mechanism, s.criterion
                )),
            ));
            continue;
        }
        let key = ScoreKey {
            analyst: std::mem::take(&mut s.analyst),
            mechanism: std::mem::take(&mut s.mechanism),
            criterion: std::mem::take(&mut s.criterion),
        };
        places.push(i);
        kept.push((key, score));
    }
    drop(parts);
    // Stable: for one entry, its own problems before "twice".
    found.sort_by_key(|(i, _)| *i);
    cx.problems.extend(found.into_iter().map(|(_, p)| p));
    // Sorted and unique: built in one pass (the map's own check of the order is one
    // comparison per cell).
    kept.into_iter().collect()
}

/// The cells' list indices in the order of their keys, then of the indices: each as
/// `rank of analyst << 96 | rank of mechanism << 64 | rank of criterion << 32 | index`,
/// where a rank is the place of an id among the distinct ids of its field in text
/// order — the order of `ScoreKey`, sorted as integers instead of three texts.
fn key_order(parts: &[Vec<ScoreFile>], len: usize) -> Vec<u128> {
    let mut analysts = Ranks::default();
    let mut mechanisms = Ranks::default();
    let mut criteria = Ranks::default();
    let mut ids: Vec<[u32; 3]> = Vec::with_capacity(len);
    ids.extend(parts.iter().flatten().map(|s| {
        [
            analysts.id(&s.analyst),
            mechanisms.id(&s.mechanism),
            criteria.id(&s.criterion),
        ]
    }));
    let (a, m, c) = (analysts.ranks(), mechanisms.ranks(), criteria.ranks());
    let mut order: Vec<u128> = ids
        .iter()
        .enumerate()
        .map(|(i, [x, y, z])| {
            u128::from(a[*x as usize]) << 96
                | u128::from(m[*y as usize]) << 64
                | u128::from(c[*z as usize]) << 32
                | i as u128
        })
        .collect();
    order.sort_unstable();
    order
}

/// The `i`th cell of a list in pieces.
fn cell_mut(parts: &mut [Vec<ScoreFile>], mut i: usize) -> &mut ScoreFile {
    for p in parts {
        if i < p.len() {
            return &mut p[i];
        }
        i -= p.len();
    }
    unreachable!("a cell index within the list")
}

/// The distinct ids of one field of the score cells, numbered as first met.
#[derive(Default)]
struct Ranks<'a> {
    numbers: HashMap<&'a str, u32>,
    ids: Vec<&'a str>,
    /// The id met last, and its number: neighbouring cells mostly share it.
    last: Option<(&'a str, u32)>,
    /// By number, the number of the id that came after it last time: ids that change
    /// from cell to cell (criteria) mostly come round in the same order.
    next: Vec<u32>,
}

impl<'a> Ranks<'a> {
    fn id(&mut self, id: &'a str) -> u32 {
        if let Some((last, n)) = self.last
            && last == id
        {
            return n;
        }
        let prev = self.last.map(|(_, p)| p as usize);
        if let Some(p) = prev {
            let guess = self.next[p];
            if guess != u32::MAX && self.ids[guess as usize] == id {
                self.last = Some((id, guess));
                return guess;
            }
        }
        let fresh = self.ids.len() as u32;
        let n = *self.numbers.entry(id).or_insert(fresh);
        if n == fresh {
            self.ids.push(id);
            self.next.push(u32::MAX);
        }
        if let Some(p) = prev {
            self.next[p] = n;
        }
        self.last = Some((id, n));
        n
    }

    /// The rank of each number's id among all the ids, in text order.
    fn ranks(&self) -> Vec<u32> {
        let mut by_text: Vec<u32> = (0..self.ids.len() as u32).collect();
        by_text.sort_unstable_by_key(|&n| self.ids[n as usize]);
        let mut rank = vec![0; self.ids.len()];
        for (r, &n) in by_text.iter().enumerate() {
            rank[n as usize] = r as u32;
        }
        rank
    }
}

fn convert_workshop(
    cx: &mut Problems,
    w: &mut WorkshopFile,
    at: &Ptr,
    places: &mut Places,
) -> Workshop {
    let consensus_rule = ConsensusRule::parse(&w.consensus_rule).unwrap_or_else(|| {
        cx.push(
            &at.key("consensus_rule"),
            "the consensus rule must be median or mean",
        );
        ConsensusRule::Median
    });
    let rounds = w
        .rounds
        .iter_mut()
        .enumerate()
        .map(|(i, r)| {
            let here = at.key("rounds").idx(i);
            let mut seen = Vec::new();
            let list = std::mem::take(&mut r.scores);
            let scores = convert_scores(cx, vec![list], &here.key("scores"), &mut seen);
            places.round_scores.push(seen);
            Round {
                id: r.id.clone(),
                name: r.name.clone(),
                notes: r.notes.clone(),
                scores,
            }
        })
        .collect();
    let mut consensus = BTreeMap::new();
    for (i, c) in w.consensus.iter().enumerate() {
        let here = at.key("consensus").idx(i);
        let value = convert_value(cx, &c.value, &here);
        let key = (c.mechanism.clone(), c.criterion.clone());
        if consensus.contains_key(&key) {
            cx.push(
                &here,
                format!(
                    "the consensus for \"{}\" / \"{}\" is recorded twice",
                    c.mechanism, c.criterion
                ),
            );
            continue;
        }
        places.consensus.insert(key.clone(), i);
        consensus.insert(
            key,
            ConsensusCell {
                value,
                spread: c.spread.as_ref().map(f),
                n: c.n as usize,
                dissent: c.dissent.clone(),
            },
        );
    }
    Workshop {
        consensus_rule,
        reveal_names: w.reveal_names,
        discussion: w.discussion.clone(),
        rounds,
        consensus,
        package: w.package.as_ref().map(|p| Package {
            analyst: p.analyst.clone(),
            round: p.round as usize,
            fingerprint: p.fingerprint.clone(),
            seal: p.seal.clone(),
            reasons: p
                .reasons
                .iter()
                .map(|r| PeerReason {
                    mechanism: r.mechanism.clone(),
                    criterion: r.criterion.clone(),
                    rationale: r.rationale.clone(),
                })
                .collect(),
        }),
        exercise: w.exercise.as_ref().map(|e| Exercise {
            complete: e.complete,
        }),
        package_key: w.package_key.clone(),
    }
}

fn convert_source(cx: &mut Problems, s: &SourceFile, at: &Ptr) -> Source {
    let reliability = Reliability::parse(&s.reliability).unwrap_or_else(|| {
        cx.push(
            &at.key("reliability"),
            "reliability must be a letter from A to F",
        );
        Reliability::F
    });
    let origin = match &s.origin {
        None => Origin::Unknown,
        Some(o) => Origin::parse(o).unwrap_or_else(|| {
            cx.push(
                &at.key("origin"),
                "origin must be assessed_state, partner_government, international_org, independent_research, press, advocacy or unknown",
            );
            Origin::Unknown
        }),
    };
    Source {
        id: s.id.clone(),
        citation: s.citation.clone(),
        link: s.link.clone(),
        date: s.date.clone(),
        reliability,
        credibility: s.credibility,
        note: s.note.clone(),
        origin,
        derived_from: s.derived_from.clone(),
    }
}

fn convert_framework(cx: &mut Problems, fw: &FrameworkFile, at: &Ptr) -> Framework {
    let mut groups = Vec::new();
    for (gi, g) in fw.groups.iter().enumerate() {
        let gat = at.key("groups").idx(gi);
        let role = Role::parse(&g.role).unwrap_or_else(|| {
            cx.push(
                &gat.key("role"),
                "role must be requirement, objective or concern",
            );
            Role::Objective
        });
        let mut criteria = Vec::new();
        for (ci, c) in g.criteria.iter().enumerate() {
            let cat = gat.key("criteria").idx(ci);
            let direction = Direction::parse(&c.direction).unwrap_or_else(|| {
                cx.push(&cat.key("direction"), "direction must be benefit or cost");
                Direction::Benefit
            });
            criteria.push(Criterion {
                id: c.id.clone(),
                name: c.name.clone(),
                definition: c.definition.clone(),
                teaching: c.teaching.clone(),
                coding: c.coding.clone().unwrap_or_default(),
                direction,
                weight: f(&c.weight),
                scale: Scale {
                    min: c.scale.min,
                    max: c.scale.max,
                    anchors: c
                        .scale
                        .anchors
                        .iter()
                        .map(|a| Anchor {
                            value: a.value,
                            label: a.label.clone(),
                            descriptor: a.descriptor.clone(),
                        })
                        .collect(),
                },
                gate: c.gate.as_ref().map(|g| Gate {
                    at_least: f(&g.at_least),
                }),
            });
        }
        groups.push(Group {
            id: g.id.clone(),
            name: g.name.clone(),
            role,
            weight: f(&g.weight),
            description: g.description.clone(),
            criteria,
        });
    }
    let mut viewpoints = Vec::new();
    for (vi, v) in fw.viewpoints.iter().enumerate() {
        let vat = at.key("viewpoints").idx(vi);
        let reading = TotalReading::parse(&v.reading).unwrap_or_else(|| {
            cx.push(&vat.key("reading"), "reading must be benefit or concern");
            TotalReading::Benefit
        });
        viewpoints.push(Viewpoint {
            id: v.id.clone(),
            name: v.name.clone(),
            perspective: v.perspective.clone(),
            reading,
            group_weights: v
                .group_weights
                .as_ref()
                .map(|w| w.iter().map(|(k, x)| (k.clone(), f(x))).collect()),
        });
    }
    Framework {
        id: fw.id.clone(),
        name: fw.name.clone(),
        description: fw.description.clone(),
        groups,
        viewpoints,
        default_viewpoint: fw.default_viewpoint.clone(),
        weighting: fw
            .weighting
            .as_ref()
            .map(convert_weighting)
            .unwrap_or_default(),
    }
}

fn convert_judgements(j: &JudgementsFile) -> Judgements {
    Judgements {
        pairwise: j
            .pairwise
            .iter()
            .map(|p| PairJudgement {
                a: p.a.clone(),
                b: p.b.clone(),
                value: f(&p.value),
            })
            .collect(),
        swing: j
            .swing
            .iter()
            .map(|s| SwingJudgement {
                id: s.id.clone(),
                rank: s.rank,
                rating: f(&s.rating),
            })
            .collect(),
    }
}

fn convert_weighting(w: &WeightingFile) -> Weighting {
    Weighting {
        groups: convert_judgements(&w.groups),
        criteria: w
            .criteria
            .iter()
            .map(|(k, j)| (k.clone(), convert_judgements(j)))
            .collect(),
    }
}

fn convert_mechanism(cx: &mut Problems, m: &MechanismFile, at: &Ptr) -> Mechanism {
    let kind = Kind::parse(&m.kind).unwrap_or_else(|| {
        cx.push(
            &at.key("kind"),
            "kind must be international, regional, bilateral or unconventional",
        );
        Kind::Bilateral
    });
    let mut instruments = Vec::new();
    for (i, s) in m.instruments.iter().enumerate() {
        match Instrument::parse(s) {
            Some(ins) => instruments.push(ins),
            None => cx.push(
                &at.key("instruments").idx(i),
                format!("\"{s}\" is not a known instrument"),
            ),
        }
    }
    Mechanism {
        id: m.id.clone(),
        name: m.name.clone(),
        description: m.description.clone(),
        kind,
        instruments,
        regions: m.regions.clone(),
        partners: m.partners.clone(),
        start_year: m.start_year,
        tags: m.tags.clone(),
        facts: m
            .facts
            .iter()
            .map(|fct| Fact {
                text: fct.text.clone(),
                sources: fct.sources.clone(),
            })
            .collect(),
    }
}

fn convert_scenario(cx: &mut Problems, s: &ScenarioFile, at: &Ptr) -> Scenario {
    if !s.hypothetical {
        cx.push(
            &at.key("hypothetical"),
            "a scenario is always hypothetical: this must be true",
        );
    }
    let weights = |map: &BTreeMap<String, Number>| -> BTreeMap<String, f64> {
        map.iter().map(|(k, w)| (k.clone(), f(w))).collect()
    };
    Scenario {
        id: s.id.clone(),
        name: s.name.clone(),
        narrative: s.narrative.clone(),
        assumptions: s.assumptions.clone(),
        group_weights: weights(&s.group_weights),
        criterion_weights: weights(&s.criterion_weights),
        score_overrides: s
            .score_overrides
            .iter()
            .enumerate()
            .map(|(i, o)| ScoreOverride {
                mechanism: o.mechanism.clone(),
                criterion: o.criterion.clone(),
                score: convert_score(
                    cx,
                    ScoreParts {
                        value: &o.value,
                        rationale: o.rationale.clone(),
                        confidence: &o.confidence,
                        sources: o.sources.clone(),
                        basis: o.basis.as_deref(),
                        rationale_for: o.rationale_for.as_ref(),
                    },
                    &|| at.key("score_overrides").idx(i),
                ),
            })
            .collect(),
        excluded_mechanisms: s.excluded_mechanisms.clone(),
        added_mechanisms: s
            .added_mechanisms
            .iter()
            .enumerate()
            .map(|(i, m)| convert_mechanism(cx, m, &at.key("added_mechanisms").idx(i)))
            .collect(),
    }
}
