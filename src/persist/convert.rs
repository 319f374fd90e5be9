//! Hand-written conversion between the v1 file types and the domain model, with the
//! semantic checks a schema cannot express (unique ids, references, ranges that
//! depend on the framework). Every problem is collected, none stops the check.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::Number;

use super::file::*;
use super::problem::{Problem, Ptr};
use crate::model::*;

/// A JSON number for a value: whole numbers without ".0", so files stay tidy.
pub fn num(x: f64) -> Number {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        Number::from(x as i64)
    } else {
        Number::from_f64(x).unwrap_or_else(|| Number::from(0))
    }
}

fn f(n: &Number) -> f64 {
    n.as_f64().unwrap_or(f64::NAN)
}

struct Ctx {
    problems: Vec<Problem>,
}

impl Ctx {
    fn push(&mut self, at: &Ptr, message: impl Into<String>) {
        self.problems.push(at.problem(message));
    }

    /// Records an id and reports it when it was already used by an earlier entry.
    fn unique<'a>(
        &mut self,
        seen: &mut HashMap<&'a str, String>,
        id: &'a str,
        at: &Ptr,
        what: &str,
    ) {
        if let Some(first) = seen.get(id) {
            let first = super::problem::pointer_to_path(first);
            self.push(
                &at.key("id"),
                format!(
                    "the {what} id \"{id}\" is used twice (first at {first}); ids must be unique"
                ),
            );
        } else {
            seen.insert(id, at.as_str().to_string());
        }
        if !is_valid_id(id) {
            self.push(
                &at.key("id"),
                format!("\"{id}\" is not a valid id: use lower-case letters, digits and '-'"),
            );
        }
    }

    fn weight(&mut self, n: &Number, at: &Ptr) -> f64 {
        let w = f(n);
        if !w.is_finite() || w < 0.0 {
            self.push(
                at,
                format!("a weight must be a finite number of 0 or more, found {n}"),
            );
            return 0.0;
        }
        w
    }
}

/// Converts a file that already matched the schema into a project, or lists every
/// problem found.
pub fn from_file(file: &FileV1) -> Result<Project, Vec<Problem>> {
    let mut cx = Ctx {
        problems: Vec::new(),
    };
    let root = Ptr::root();
    let info = ProjectInfo {
        title: file.project.title.clone(),
        description: file.project.description.clone(),
        author: file.project.author.clone(),
        created: file.project.created.clone(),
        modified: file.project.modified.clone(),
    };

    let sources = convert_sources(&mut cx, &file.sources, &root.key("sources"));
    let source_ids: HashSet<&str> = file.sources.iter().map(|s| s.id.as_str()).collect();
    let framework = convert_framework(&mut cx, &file.framework, &root.key("framework"));
    let mut mech_seen = HashMap::new();
    let mechanisms: Vec<Mechanism> = file
        .mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let at = root.key("mechanisms").idx(i);
            cx.unique(&mut mech_seen, &m.id, &at, "mechanism");
            convert_mechanism(&mut cx, m, &at, &source_ids)
        })
        .collect();

    let mut analyst_seen = HashMap::new();
    let analysts: Vec<Analyst> = file
        .analysts
        .iter()
        .enumerate()
        .map(|(i, a)| {
            cx.unique(
                &mut analyst_seen,
                &a.id,
                &root.key("analysts").idx(i),
                "analyst",
            );
            Analyst {
                id: a.id.clone(),
                name: a.name.clone(),
                note: a.note.clone(),
            }
        })
        .collect();

    let mech_ids: HashSet<&str> = file.mechanisms.iter().map(|m| m.id.as_str()).collect();
    let refs = Refs {
        framework: &framework,
        analysts: &analyst_seen.keys().copied().collect(),
        mechanisms: &mech_ids,
        sources: &source_ids,
    };
    let scores = convert_scores(&mut cx, &refs, &file.scores, &root.key("scores"));
    let workshop = convert_workshop(&mut cx, &refs, &file.workshop, &root.key("workshop"));

    let mut scenario_seen = HashMap::new();
    let scenarios: Vec<Scenario> = file
        .scenarios
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let at = root.key("scenarios").idx(i);
            cx.unique(&mut scenario_seen, &s.id, &at, "scenario");
            convert_scenario(&mut cx, s, &at, &framework, &mech_ids, &source_ids)
        })
        .collect();

    let mut note_seen = HashMap::new();
    let notes: Vec<Note> = file
        .notes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            cx.unique(&mut note_seen, &n.id, &root.key("notes").idx(i), "note");
            Note {
                id: n.id.clone(),
                title: n.title.clone(),
                text: n.text.clone(),
            }
        })
        .collect();

    if cx.problems.is_empty() {
        Ok(Project {
            info,
            framework,
            mechanisms,
            sources,
            analysts,
            scores,
            scenarios,
            notes,
            workshop,
        })
    } else {
        Err(cx.problems)
    }
}

/// What references may point at.
struct Refs<'a> {
    framework: &'a Framework,
    analysts: &'a HashSet<&'a str>,
    mechanisms: &'a HashSet<&'a str>,
    sources: &'a HashSet<&'a str>,
}

fn convert_scores(
    cx: &mut Ctx,
    refs: &Refs,
    list: &[ScoreV1],
    at: &Ptr,
) -> BTreeMap<ScoreKey, Score> {
    let mut scores = BTreeMap::new();
    let mut seen: HashMap<ScoreKey, usize> = HashMap::new();
    let list_path = super::problem::pointer_to_path(at.as_str());
    for (i, s) in list.iter().enumerate() {
        let here = at.idx(i);
        if !refs.analysts.contains(s.analyst.as_str()) {
            cx.push(
                &here.key("analyst"),
                format!(
                    "the analyst \"{}\" is not in the list of analysts",
                    s.analyst
                ),
            );
        }
        if !refs.mechanisms.contains(s.mechanism.as_str()) {
            cx.push(
                &here.key("mechanism"),
                format!(
                    "the mechanism \"{}\" is not in the list of mechanisms",
                    s.mechanism
                ),
            );
        }
        let score = convert_score(
            cx,
            refs.framework,
            &s.criterion,
            &s.value,
            &s.rationale,
            &s.confidence,
            &s.sources,
            &here,
            refs.sources,
        );
        let key = ScoreKey::new(&s.analyst, &s.mechanism, &s.criterion);
        if let Some(first) = seen.get(&key) {
            cx.push(
                &here,
                format!(
                    "analyst \"{}\" scores mechanism \"{}\" on criterion \"{}\" twice (first at {list_path}[{first}])",
                    s.analyst, s.mechanism, s.criterion
                ),
            );
        } else {
            seen.insert(key.clone(), i);
            scores.insert(key, score);
        }
    }
    scores
}

fn convert_workshop(cx: &mut Ctx, refs: &Refs, w: &WorkshopV2, at: &Ptr) -> Workshop {
    let consensus_rule = ConsensusRule::parse(&w.consensus_rule).unwrap_or_else(|| {
        cx.push(
            &at.key("consensus_rule"),
            "the consensus rule must be median or mean",
        );
        ConsensusRule::Median
    });
    let mut round_seen = HashMap::new();
    let rounds = w
        .rounds
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let here = at.key("rounds").idx(i);
            cx.unique(&mut round_seen, &r.id, &here, "round");
            Round {
                id: r.id.clone(),
                name: r.name.clone(),
                notes: r.notes.clone(),
                scores: convert_scores(cx, refs, &r.scores, &here.key("scores")),
            }
        })
        .collect();
    let mut consensus = BTreeMap::new();
    for (i, c) in w.consensus.iter().enumerate() {
        let here = at.key("consensus").idx(i);
        if !refs.mechanisms.contains(c.mechanism.as_str()) {
            cx.push(
                &here.key("mechanism"),
                format!("the mechanism \"{}\" does not exist", c.mechanism),
            );
        }
        let score = convert_score(
            cx,
            refs.framework,
            &c.criterion,
            &c.value,
            "",
            "moderate",
            &[],
            &here,
            refs.sources,
        );
        let spread = c.spread.as_ref().map(f);
        if spread.is_some_and(|x| !x.is_finite() || x < 0.0) {
            cx.push(
                &here.key("spread"),
                "the spread must be a number of 0 or more",
            );
        }
        let key = (c.mechanism.clone(), c.criterion.clone());
        if consensus.contains_key(&key) {
            cx.push(
                &here,
                format!(
                    "the consensus for \"{}\" / \"{}\" is recorded twice",
                    c.mechanism, c.criterion
                ),
            );
        }
        consensus.insert(
            key,
            ConsensusCell {
                value: score.value,
                spread,
                n: c.n as usize,
                dissent: c.dissent.clone(),
            },
        );
    }
    let package = w.package.as_ref().map(|p| {
        if !refs.analysts.contains(p.analyst.as_str()) {
            cx.push(
                &at.key("package").key("analyst"),
                format!(
                    "the package is for analyst \"{}\", who is not in the list of analysts",
                    p.analyst
                ),
            );
        }
        Package {
            analyst: p.analyst.clone(),
            round: p.round as usize,
            fingerprint: p.fingerprint.clone(),
        }
    });
    Workshop {
        consensus_rule,
        reveal_names: w.reveal_names,
        discussion: w.discussion.clone(),
        rounds,
        consensus,
        package,
        exercise: w.exercise.as_ref().map(|e| Exercise {
            complete: e.complete,
        }),
    }
}

fn convert_sources(cx: &mut Ctx, list: &[SourceV1], at: &Ptr) -> Vec<Source> {
    let mut seen = HashMap::new();
    list.iter()
        .enumerate()
        .map(|(i, s)| {
            let here = at.idx(i);
            cx.unique(&mut seen, &s.id, &here, "source");
            let reliability = Reliability::parse(&s.reliability).unwrap_or_else(|| {
                cx.push(
                    &here.key("reliability"),
                    "reliability must be a letter from A to F",
                );
                Reliability::F
            });
            if !(1..=6).contains(&s.credibility) {
                cx.push(
                    &here.key("credibility"),
                    "credibility must be a number from 1 to 6",
                );
            }
            Source {
                id: s.id.clone(),
                citation: s.citation.clone(),
                link: s.link.clone(),
                date: s.date.clone(),
                reliability,
                credibility: s.credibility.clamp(1, 6),
                note: s.note.clone(),
            }
        })
        .collect()
}

fn convert_framework(cx: &mut Ctx, fw: &FrameworkV1, at: &Ptr) -> Framework {
    let mut seen = HashMap::new();
    let mut groups = Vec::new();
    for (gi, g) in fw.groups.iter().enumerate() {
        let gat = at.key("groups").idx(gi);
        cx.unique(&mut seen, &g.id, &gat, "group/criterion");
        let role = Role::parse(&g.role).unwrap_or_else(|| {
            cx.push(
                &gat.key("role"),
                "role must be requirement, objective or concern",
            );
            Role::Objective
        });
        let weight = cx.weight(&g.weight, &gat.key("weight"));
        let mut criteria = Vec::new();
        for (ci, c) in g.criteria.iter().enumerate() {
            let cat = gat.key("criteria").idx(ci);
            cx.unique(&mut seen, &c.id, &cat, "group/criterion");
            let direction = Direction::parse(&c.direction).unwrap_or_else(|| {
                cx.push(&cat.key("direction"), "direction must be benefit or cost");
                Direction::Benefit
            });
            let weight = cx.weight(&c.weight, &cat.key("weight"));
            let scale = convert_scale(cx, &c.scale, &cat.key("scale"));
            let gate = c.gate.as_ref().map(|g| {
                let v = f(&g.at_least);
                if !scale.contains(v) {
                    cx.push(
                        &cat.key("gate").key("at_least"),
                        format!(
                            "the gate {v} lies outside the scale {}–{}",
                            scale.min, scale.max
                        ),
                    );
                }
                Gate { at_least: v }
            });
            criteria.push(Criterion {
                id: c.id.clone(),
                name: c.name.clone(),
                definition: c.definition.clone(),
                teaching: c.teaching.clone(),
                direction,
                weight,
                scale,
                gate,
            });
        }
        groups.push(Group {
            id: g.id.clone(),
            name: g.name.clone(),
            role,
            weight,
            description: g.description.clone(),
            criteria,
        });
    }
    if !is_valid_id(&fw.id) {
        cx.push(&at.key("id"), format!("\"{}\" is not a valid id", fw.id));
    }
    Framework {
        id: fw.id.clone(),
        name: fw.name.clone(),
        description: fw.description.clone(),
        groups,
    }
}

fn convert_scale(cx: &mut Ctx, s: &ScaleV1, at: &Ptr) -> Scale {
    if s.min >= s.max {
        cx.push(
            &at.key("max"),
            format!(
                "the top of the scale ({}) must be above its bottom ({})",
                s.max, s.min
            ),
        );
    } else if s.max - s.min > Scale::MAX_SPAN {
        cx.push(
            &at.key("max"),
            format!(
                "a scale may have at most {} steps, this one has {}",
                Scale::MAX_SPAN,
                s.max - s.min
            ),
        );
    }
    let mut levels = HashSet::new();
    for (i, a) in s.anchors.iter().enumerate() {
        let here = at.key("anchors").idx(i).key("value");
        if a.value < s.min || a.value > s.max {
            cx.push(
                &here,
                format!(
                    "the anchor for level {} lies outside the scale {}–{}",
                    a.value, s.min, s.max
                ),
            );
        }
        if !levels.insert(a.value) {
            cx.push(&here, format!("level {} is described twice", a.value));
        }
    }
    Scale {
        min: s.min,
        max: s.max,
        anchors: s
            .anchors
            .iter()
            .map(|a| Anchor {
                value: a.value,
                label: a.label.clone(),
                descriptor: a.descriptor.clone(),
            })
            .collect(),
    }
}

fn check_refs(cx: &mut Ctx, ids: &[String], known: &HashSet<&str>, at: &Ptr, what: &str) {
    for (i, id) in ids.iter().enumerate() {
        if !known.contains(id.as_str()) {
            cx.push(
                &at.idx(i),
                format!("the {what} \"{id}\" does not exist in this project"),
            );
        }
    }
}

fn convert_mechanism(
    cx: &mut Ctx,
    m: &MechanismV1,
    at: &Ptr,
    sources: &HashSet<&str>,
) -> Mechanism {
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
            Some(ins) if instruments.contains(&ins) => cx.push(
                &at.key("instruments").idx(i),
                format!("the instrument \"{s}\" is listed twice"),
            ),
            Some(ins) => instruments.push(ins),
            None => cx.push(
                &at.key("instruments").idx(i),
                format!("\"{s}\" is not a known instrument"),
            ),
        }
    }
    if let Some(y) = m.start_year
        && !(1800..=2200).contains(&y)
    {
        cx.push(
            &at.key("start_year"),
            format!("{y} is not a plausible start year"),
        );
    }
    let facts = m
        .facts
        .iter()
        .enumerate()
        .map(|(i, fct)| {
            check_refs(
                cx,
                &fct.sources,
                sources,
                &at.key("facts").idx(i).key("sources"),
                "source",
            );
            Fact {
                text: fct.text.clone(),
                sources: fct.sources.clone(),
            }
        })
        .collect();
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
        facts,
    }
}

#[allow(clippy::too_many_arguments)]
fn convert_score(
    cx: &mut Ctx,
    fw: &Framework,
    criterion: &str,
    value: &ValueV1,
    rationale: &str,
    confidence: &str,
    sources: &[String],
    at: &Ptr,
    source_ids: &HashSet<&str>,
) -> Score {
    let crit = fw.criterion(criterion);
    if crit.is_none() {
        cx.push(
            &at.key("criterion"),
            format!("the criterion \"{criterion}\" is not in the framework"),
        );
    }
    let value = match value {
        ValueV1::Number(n) => {
            let v = f(n);
            if let Some(c) = crit
                && !c.scale.contains(v)
            {
                cx.push(
                    &at.key("value"),
                    format!(
                        "{n} is outside the scale of \"{}\" ({}–{})",
                        c.name, c.scale.min, c.scale.max
                    ),
                );
            }
            ScoreValue::Value(v)
        }
        ValueV1::Status(s) if s == "not_assessed" => ScoreValue::NotAssessed,
        ValueV1::Status(s) if s == "not_applicable" => ScoreValue::NotApplicable,
        ValueV1::Status(s) => {
            cx.push(
                &at.key("value"),
                format!(
                    "\"{s}\" is not a score: use a number, \"not_assessed\" or \"not_applicable\""
                ),
            );
            ScoreValue::NotAssessed
        }
    };
    let confidence = Confidence::parse(confidence).unwrap_or_else(|| {
        cx.push(
            &at.key("confidence"),
            "confidence must be low, moderate or high",
        );
        Confidence::Moderate
    });
    check_refs(cx, sources, source_ids, &at.key("sources"), "source");
    Score {
        value,
        rationale: rationale.to_string(),
        confidence,
        sources: sources.to_vec(),
    }
}

fn convert_scenario(
    cx: &mut Ctx,
    s: &ScenarioV1,
    at: &Ptr,
    fw: &Framework,
    mech_ids: &HashSet<&str>,
    source_ids: &HashSet<&str>,
) -> Scenario {
    if !s.hypothetical {
        cx.push(
            &at.key("hypothetical"),
            "a scenario is always hypothetical: this must be true",
        );
    }
    let mut group_weights = BTreeMap::new();
    for (k, w) in &s.group_weights {
        let here = at.key("group_weights").key(k);
        if fw.group(k).is_none() {
            cx.push(
                &here,
                format!("there is no criteria group \"{k}\" in the framework"),
            );
        }
        group_weights.insert(k.clone(), cx.weight(w, &here));
    }
    let mut criterion_weights = BTreeMap::new();
    for (k, w) in &s.criterion_weights {
        let here = at.key("criterion_weights").key(k);
        if fw.criterion(k).is_none() {
            cx.push(
                &here,
                format!("there is no criterion \"{k}\" in the framework"),
            );
        }
        criterion_weights.insert(k.clone(), cx.weight(w, &here));
    }
    let mut added_seen = HashMap::new();
    let added_mechanisms: Vec<Mechanism> = s
        .added_mechanisms
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let here = at.key("added_mechanisms").idx(i);
            if mech_ids.contains(m.id.as_str()) {
                cx.push(
                    &here.key("id"),
                    format!(
                        "the added mechanism \"{}\" already exists in the base assessment",
                        m.id
                    ),
                );
            }
            cx.unique(&mut added_seen, &m.id, &here, "added mechanism");
            convert_mechanism(cx, m, &here, source_ids)
        })
        .collect();
    let mut seen_cells = HashSet::new();
    let score_overrides = s
        .score_overrides
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let here = at.key("score_overrides").idx(i);
            if !mech_ids.contains(o.mechanism.as_str())
                && !added_seen.contains_key(o.mechanism.as_str())
            {
                cx.push(
                    &here.key("mechanism"),
                    format!(
                        "the mechanism \"{}\" is neither in the project nor added by this scenario",
                        o.mechanism
                    ),
                );
            }
            if !seen_cells.insert((o.mechanism.as_str(), o.criterion.as_str())) {
                cx.push(
                    &here,
                    format!(
                        "mechanism \"{}\" / criterion \"{}\" is overridden twice",
                        o.mechanism, o.criterion
                    ),
                );
            }
            ScoreOverride {
                mechanism: o.mechanism.clone(),
                criterion: o.criterion.clone(),
                score: convert_score(
                    cx,
                    fw,
                    &o.criterion,
                    &o.value,
                    &o.rationale,
                    &o.confidence,
                    &o.sources,
                    &here,
                    source_ids,
                ),
            }
        })
        .collect();
    check_refs(
        cx,
        &s.excluded_mechanisms,
        mech_ids,
        &at.key("excluded_mechanisms"),
        "mechanism",
    );
    Scenario {
        id: s.id.clone(),
        name: s.name.clone(),
        narrative: s.narrative.clone(),
        assumptions: s.assumptions.clone(),
        group_weights,
        criterion_weights,
        score_overrides,
        excluded_mechanisms: s.excluded_mechanisms.clone(),
        added_mechanisms,
    }
}

// ---------------------------------------------------------------- model → file

fn value_to_file(v: ScoreValue) -> ValueV1 {
    match v {
        ScoreValue::Value(x) => ValueV1::Number(num(x)),
        ScoreValue::NotAssessed => ValueV1::Status("not_assessed".into()),
        ScoreValue::NotApplicable => ValueV1::Status("not_applicable".into()),
    }
}

fn mechanism_to_file(m: &Mechanism) -> MechanismV1 {
    MechanismV1 {
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
            .map(|f| FactV1 {
                text: f.text.clone(),
                sources: f.sources.clone(),
            })
            .collect(),
    }
}

/// Scores in a stable order: by analyst, then mechanism, then criterion, each in list
/// order (unknown ids last, by id).
fn scores_to_file(p: &Project, map: &BTreeMap<ScoreKey, Score>) -> Vec<ScoreV1> {
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
    let mut keys: Vec<&ScoreKey> = map.keys().collect();
    let pos = |m: &HashMap<&str, usize>, id: &str| m.get(id).copied().unwrap_or(usize::MAX);
    keys.sort_by(|x, y| {
        (
            pos(&a_pos, &x.analyst),
            pos(&m_pos, &x.mechanism),
            pos(&c_pos, &x.criterion),
        )
            .cmp(&(
                pos(&a_pos, &y.analyst),
                pos(&m_pos, &y.mechanism),
                pos(&c_pos, &y.criterion),
            ))
            .then_with(|| x.cmp(y))
    });
    keys.into_iter()
        .map(|k| {
            let s = &map[k];
            ScoreV1 {
                analyst: k.analyst.clone(),
                mechanism: k.mechanism.clone(),
                criterion: k.criterion.clone(),
                value: value_to_file(s.value),
                rationale: s.rationale.clone(),
                confidence: s.confidence.as_str().into(),
                sources: s.sources.clone(),
            }
        })
        .collect()
}

fn workshop_to_file(p: &Project) -> WorkshopV2 {
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
    WorkshopV2 {
        consensus_rule: w.consensus_rule.as_str().into(),
        reveal_names: w.reveal_names,
        discussion: w.discussion.clone(),
        rounds: w
            .rounds
            .iter()
            .map(|r| RoundV2 {
                id: r.id.clone(),
                name: r.name.clone(),
                notes: r.notes.clone(),
                scores: scores_to_file(p, &r.scores),
            })
            .collect(),
        consensus: cells
            .into_iter()
            .map(|((m, c), cell)| ConsensusV2 {
                mechanism: m.clone(),
                criterion: c.clone(),
                value: value_to_file(cell.value),
                spread: cell.spread.map(num),
                n: cell.n as u32,
                dissent: cell.dissent.clone(),
            })
            .collect(),
        package: w.package.as_ref().map(|pk| PackageV2 {
            analyst: pk.analyst.clone(),
            round: pk.round as u32,
            fingerprint: pk.fingerprint.clone(),
        }),
        exercise: w.exercise.as_ref().map(|e| ExerciseV2 {
            complete: e.complete,
        }),
    }
}

/// Converts a project to the file types.
pub fn to_file(p: &Project) -> FileV1 {
    let scores = scores_to_file(p, &p.scores);
    FileV1 {
        schema_version: super::migrate::CURRENT_VERSION as u32,
        project: InfoV1 {
            title: p.info.title.clone(),
            description: p.info.description.clone(),
            author: p.info.author.clone(),
            created: p.info.created.clone(),
            modified: p.info.modified.clone(),
        },
        framework: FrameworkV1 {
            id: p.framework.id.clone(),
            name: p.framework.name.clone(),
            description: p.framework.description.clone(),
            groups: p
                .framework
                .groups
                .iter()
                .map(|g| GroupV1 {
                    id: g.id.clone(),
                    name: g.name.clone(),
                    role: g.role.as_str().into(),
                    weight: num(g.weight),
                    description: g.description.clone(),
                    criteria: g
                        .criteria
                        .iter()
                        .map(|c| CriterionV1 {
                            id: c.id.clone(),
                            name: c.name.clone(),
                            definition: c.definition.clone(),
                            teaching: c.teaching.clone(),
                            direction: c.direction.as_str().into(),
                            weight: num(c.weight),
                            scale: ScaleV1 {
                                min: c.scale.min,
                                max: c.scale.max,
                                anchors: c
                                    .scale
                                    .anchors
                                    .iter()
                                    .map(|a| AnchorV1 {
                                        value: a.value,
                                        label: a.label.clone(),
                                        descriptor: a.descriptor.clone(),
                                    })
                                    .collect(),
                            },
                            gate: c.gate.map(|g| GateV1 {
                                at_least: num(g.at_least),
                            }),
                        })
                        .collect(),
                })
                .collect(),
        },
        mechanisms: p.mechanisms.iter().map(mechanism_to_file).collect(),
        sources: p
            .sources
            .iter()
            .map(|s| SourceV1 {
                id: s.id.clone(),
                citation: s.citation.clone(),
                link: s.link.clone(),
                date: s.date.clone(),
                reliability: s.reliability.as_str().into(),
                credibility: s.credibility,
                note: s.note.clone(),
            })
            .collect(),
        analysts: p
            .analysts
            .iter()
            .map(|a| AnalystV1 {
                id: a.id.clone(),
                name: a.name.clone(),
                note: a.note.clone(),
            })
            .collect(),
        scores,
        scenarios: p
            .scenarios
            .iter()
            .map(|s| ScenarioV1 {
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
                    .map(|o| OverrideV1 {
                        mechanism: o.mechanism.clone(),
                        criterion: o.criterion.clone(),
                        value: value_to_file(o.score.value),
                        rationale: o.score.rationale.clone(),
                        confidence: o.score.confidence.as_str().into(),
                        sources: o.score.sources.clone(),
                    })
                    .collect(),
                excluded_mechanisms: s.excluded_mechanisms.clone(),
                added_mechanisms: s.added_mechanisms.iter().map(mechanism_to_file).collect(),
            })
            .collect(),
        notes: p
            .notes
            .iter()
            .map(|n| NoteV1 {
                id: n.id.clone(),
                title: n.title.clone(),
                text: n.text.clone(),
            })
            .collect(),
        workshop: workshop_to_file(p),
    }
}
