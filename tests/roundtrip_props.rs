//! Property tests of the file format (docs/robustness.md):
//!
//! - random valid projects — ids at the edges of the slug rules, text with quotes,
//!   backslashes, newlines, control characters, emoji and right-to-left marks, weights
//!   of 0 and fractions, scores on the scale, not assessed and not applicable,
//!   scenarios with overrides and added mechanisms — survive `to_canonical_string` →
//!   `load_str`, the canonical text is stable, and `save_path` → `load_path` agrees;
//! - arbitrary bytes, arbitrary JSON and valid projects with one node replaced or
//!   removed never make `load_str` panic, and every refusal explains itself.
//!
//! Case counts are kept small for debug builds; raise them with `PROPTEST_CASES=5000`.
//! A failure prints the minimal input and the seed; `PROPTEST_RNG_SEED=N` replays a run.

use std::collections::{BTreeMap, HashSet};

use policy_workbench::model::*;
use policy_workbench::persist::{self, LoadError};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use serde_json::Value;

// ------------------------------------------------------------------ text and ids

/// Characters that break naive escaping, line counting or display, plus any `char`.
const TRICKY: &str = concat!(
    // JSON and escaping: quote, backslash, slash, line ends, control characters.
    "\"\\/\n\r\t\u{0}\u{1}\u{8}\u{c}\u{1b}\u{1f}\u{7f}\u{80}\u{9f}",
    // Invisible and direction marks: NBSP, soft hyphen, zero-width, LRM/RLM, embeddings,
    // override, isolates, line/paragraph separators, BOM, replacement, non-characters.
    "\u{a0}\u{ad}\u{200b}\u{200d}\u{200e}\u{200f}\u{202a}\u{202b}\u{202e}\u{2066}\u{2069}",
    "\u{2028}\u{2029}\u{feff}\u{fffd}\u{ffff}\u{10ffff}",
    // Accents (precomposed and combining), Hebrew, Arabic, Chinese, emoji and flags.
    "é\u{301}שעعب中文😀👩\u{1f3f3}\u{fe0f}\u{1f1fa}\u{1f1f3}",
    // Punctuation of JSON, HTML and format strings.
    "~{}[]:,<&'%$",
);

fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        3 => any::<char>(),
        3 => select(TRICKY.chars().collect::<Vec<_>>()),
        3 => prop::char::range('a', 'z'),
        1 => Just(' '),
    ]
}

/// A list that is empty one time in eight, else has 1 to `max - 1` items.
fn list<S: Strategy + 'static>(item: S, max: usize) -> impl Strategy<Value = Vec<S::Value>>
where
    S::Value: Clone,
{
    prop_oneof![
        1 => Just(Vec::new()),
        7 => prop::collection::vec(item, 1..max),
    ]
}

fn chars(len: impl Into<prop::collection::SizeRange>) -> impl Strategy<Value = String> {
    prop::collection::vec(tricky_char(), len).prop_map(String::from_iter)
}

/// Exactly `len` characters (a short random pattern repeated: cheap to generate).
fn at_limit(len: usize) -> impl Strategy<Value = String> {
    chars(1..6).prop_map(move |s| s.chars().cycle().take(len).collect())
}

/// Free text (schema: at most 20,000 characters); now and then exactly at the limit.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        100 => chars(0..30),
        1 => at_limit(20_000),
    ]
}

/// Short text (at most 300 characters, counted in code points, not bytes).
fn short() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => chars(0..16),
        1 => at_limit(300),
    ]
}

/// A name or title (1 to 300 characters, at least one of them visible).
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        20 => chars(1..16),
        1 => at_limit(300),
    ]
    .prop_filter("a name has a visible character", |s| {
        !s.chars().all(policy_workbench::model::rules::is_blank_char)
    })
}

/// A valid id slug: 1–64 of [a-z0-9-], not starting with '-'.
fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z0-9][a-z0-9-]{0,10}",
        1 => "[a-z0-9]",
        1 => "[a-z0-9][a-z0-9-]{63}",
    ]
}

/// A weight: finite and ≥ 0 (schema: at most 1,000,000), including 0, fractions,
/// the smallest subnormal and -0.0.
fn weight() -> impl Strategy<Value = f64> {
    prop_oneof![
        select(vec![
            0.0,
            1.0,
            0.5,
            0.1,
            1.0 / 3.0,
            2.0 / 3.0,
            1e6,
            1e-9,
            5e-324,
            -0.0
        ]),
        (0u32..=20).prop_map(f64::from),
        0.0..=1e6f64,
        0.0..1.0f64,
    ]
}

// ------------------------------------------------------------------ framework

/// A score value before it is put on a criterion's scale.
#[derive(Clone, Debug)]
enum RawValue {
    NotAssessed,
    NotApplicable,
    /// A whole level of the scale.
    Level(Index),
    /// A fraction of the way from min to max (medians and imports are not whole).
    Between(f64),
}

fn raw_value() -> impl Strategy<Value = RawValue> {
    prop_oneof![
        1 => Just(RawValue::NotAssessed),
        1 => Just(RawValue::NotApplicable),
        3 => any::<Index>().prop_map(RawValue::Level),
        2 => prop_oneof![Just(0.0), Just(1.0), 0.0..=1.0f64].prop_map(RawValue::Between),
    ]
}

fn on_scale(raw: &RawValue, scale: &Scale) -> ScoreValue {
    let span = scale.max - scale.min;
    match raw {
        RawValue::NotAssessed => ScoreValue::NotAssessed,
        RawValue::NotApplicable => ScoreValue::NotApplicable,
        RawValue::Level(i) => {
            ScoreValue::Value(f64::from(scale.min + i.index(span as usize + 1) as i32))
        }
        RawValue::Between(f) => ScoreValue::Value(f64::from(scale.min) + f * f64::from(span)),
    }
}

fn scale() -> impl Strategy<Value = Scale> {
    let bounds = prop_oneof![
        3 => Just((0, 4)),
        1 => Just((1, 5)),
        1 => Just((-1000, -900)),
        2 => (-1000i32..=1000, 1i32..=100)
            .prop_map(|(min, span)| (min.min(1000 - span), min.min(1000 - span) + span)),
    ];
    let anchors = prop::collection::vec((any::<Index>(), short(), text()), 0..5);
    (bounds, anchors).prop_map(|((min, max), anchors)| {
        let mut levels = HashSet::new();
        let anchors = anchors
            .into_iter()
            .filter_map(|(i, label, descriptor)| {
                let value = min + i.index((max - min) as usize + 1) as i32;
                levels.insert(value).then_some(Anchor {
                    value,
                    label,
                    descriptor,
                })
            })
            .collect();
        Scale { min, max, anchors }
    })
}

fn criterion() -> impl Strategy<Value = Criterion> {
    (
        (id(), name(), text(), text()),
        select(vec![Direction::Benefit, Direction::Cost]),
        weight(),
        scale(),
        prop::option::of(raw_value()),
    )
        .prop_map(
            |((id, name, definition, teaching), direction, weight, scale, gate)| {
                let gate = gate.and_then(|g| {
                    on_scale(&g, &scale)
                        .number()
                        .map(|at_least| Gate { at_least })
                });
                Criterion {
                    id,
                    name,
                    definition,
                    teaching,
                    coding: String::new(),
                    direction,
                    weight,
                    scale,
                    gate,
                }
            },
        )
}

fn group() -> impl Strategy<Value = Group> {
    (
        id(),
        name(),
        select(Role::ALL.to_vec()),
        weight(),
        text(),
        list(criterion(), 4),
    )
        .prop_map(|(id, name, role, weight, description, criteria)| Group {
            id,
            name,
            role,
            weight,
            description,
            criteria,
        })
}

// ------------------------------------------------------------------ entities

/// A mechanism whose fact sources are still indices into the source list.
#[derive(Clone, Debug)]
struct RawMechanism {
    mechanism: Mechanism,
    facts: Vec<(String, Vec<Index>)>,
}

fn mechanism() -> impl Strategy<Value = RawMechanism> {
    (
        (id(), name(), text()),
        select(Kind::ALL.to_vec()),
        prop::collection::vec(select(Instrument::ALL.to_vec()), 0..4),
        prop::collection::vec(short(), 0..3),
        prop::collection::vec(short(), 0..3),
        prop::option::of(1800i32..=2200),
        prop::collection::vec(short(), 0..3),
        prop::collection::vec((text(), prop::collection::vec(any::<Index>(), 0..3)), 0..3),
    )
        .prop_map(
            |(
                (id, name, description),
                kind,
                mut instruments,
                regions,
                partners,
                start_year,
                tags,
                facts,
            )| {
                let mut seen = HashSet::new();
                instruments.retain(|i| seen.insert(*i));
                RawMechanism {
                    mechanism: Mechanism {
                        id,
                        name,
                        description,
                        kind,
                        instruments,
                        regions,
                        partners,
                        start_year,
                        tags,
                        facts: Vec::new(),
                    },
                    facts,
                }
            },
        )
}

fn source() -> impl Strategy<Value = Source> {
    (
        (id(), name(), text(), short()),
        select(Reliability::ALL.to_vec()),
        1u8..=6,
        text(),
    )
        .prop_map(
            |((id, citation, link, date), reliability, credibility, note)| Source {
                id,
                citation,
                link,
                date,
                reliability,
                credibility,
                note,
                origin: Origin::ALL[usize::from(credibility) % Origin::ALL.len()],
                derived_from: None,
            },
        )
}

/// A score (or override) whose references are still indices.
#[derive(Clone, Debug)]
struct RawScore {
    analyst: Index,
    mechanism: Index,
    criterion: Index,
    value: RawValue,
    rationale: String,
    confidence: Confidence,
    sources: Vec<Index>,
}

fn raw_score() -> impl Strategy<Value = RawScore> {
    (
        (any::<Index>(), any::<Index>(), any::<Index>()),
        raw_value(),
        text(),
        select(Confidence::ALL.to_vec()),
        prop::collection::vec(any::<Index>(), 0..3),
    )
        .prop_map(
            |((analyst, mechanism, criterion), value, rationale, confidence, sources)| RawScore {
                analyst,
                mechanism,
                criterion,
                value,
                rationale,
                confidence,
                sources,
            },
        )
}

#[derive(Clone, Debug)]
struct RawScenario {
    id: String,
    name: String,
    narrative: String,
    assumptions: Vec<String>,
    group_weights: Vec<(Index, f64)>,
    criterion_weights: Vec<(Index, f64)>,
    added: Vec<RawMechanism>,
    /// `analyst` is unused; `mechanism` indexes base and added mechanisms together.
    overrides: Vec<RawScore>,
    excluded: Vec<Index>,
}

fn scenario() -> impl Strategy<Value = RawScenario> {
    (
        (id(), name(), text(), prop::collection::vec(text(), 0..3)),
        prop::collection::vec((any::<Index>(), weight()), 0..3),
        prop::collection::vec((any::<Index>(), weight()), 0..3),
        prop::collection::vec(mechanism(), 0..2),
        prop::collection::vec(raw_score(), 0..5),
        prop::collection::vec(any::<Index>(), 0..3),
    )
        .prop_map(
            |(
                (id, name, narrative, assumptions),
                group_weights,
                criterion_weights,
                added,
                overrides,
                excluded,
            )| {
                RawScenario {
                    id,
                    name,
                    narrative,
                    assumptions,
                    group_weights,
                    criterion_weights,
                    added,
                    overrides,
                    excluded,
                }
            },
        )
}

/// Workshop data (format version 2) with references still as indices.
#[derive(Clone, Debug)]
struct RawWorkshop {
    rule: ConsensusRule,
    reveal_names: bool,
    discussion: String,
    /// Closed rounds: id, name, notes, scores.
    rounds: Vec<(String, String, String, Vec<RawScore>)>,
    /// Consensus cells: mechanism, criterion, value, spread, n, dissent.
    consensus: Vec<(Index, Index, RawValue, Option<f64>, usize, String)>,
    /// Blind package: analyst, round, fingerprint.
    package: Option<(Index, usize, String)>,
    /// A student exercise file, and whether it is complete.
    exercise: Option<bool>,
    /// The master's package key and a package's seal, as numbers.
    secrets: (Option<u128>, Option<u128>),
}

fn workshop() -> impl Strategy<Value = RawWorkshop> {
    let spread = prop::option::of(prop_oneof![Just(0.0), 0.0..=10_000f64]);
    (
        (
            select(vec![ConsensusRule::Median, ConsensusRule::Mean]),
            any::<bool>(),
            text(),
        ),
        prop::collection::vec(
            (
                id(),
                name(),
                text(),
                prop::collection::vec(raw_score(), 0..6),
            ),
            0..3,
        ),
        prop::collection::vec(
            (
                any::<Index>(),
                any::<Index>(),
                raw_value(),
                spread,
                0usize..=100_000,
                text(),
            ),
            0..5,
        ),
        prop::option::of((any::<Index>(), 1usize..=100, chars(0..40))),
        prop::option::of(any::<bool>()),
        (
            prop::option::of(any::<u128>()),
            prop::option::of(any::<u128>()),
        ),
    )
        .prop_map(
            |((rule, reveal_names, discussion), rounds, consensus, package, exercise, secrets)| {
                RawWorkshop {
                    rule,
                    reveal_names,
                    discussion,
                    rounds,
                    consensus,
                    package,
                    exercise,
                    secrets,
                }
            },
        )
}

type RawProject = (
    ProjectInfo,
    Framework,
    Vec<RawMechanism>,
    Vec<Source>,
    Vec<Analyst>,
    Vec<RawScore>,
    Vec<RawScenario>,
    Vec<Note>,
    RawWorkshop,
);

fn raw_project() -> impl Strategy<Value = RawProject> {
    let info = (name(), text(), short(), short(), short()).prop_map(
        |(title, description, author, created, modified)| ProjectInfo {
            title,
            description,
            author,
            created,
            modified,
        },
    );
    let framework =
        (id(), name(), text(), list(group(), 4)).prop_map(|(id, name, description, groups)| {
            Framework {
                id,
                name,
                description,
                groups,
                ..Framework::default()
            }
        });
    let analyst = (id(), name(), text()).prop_map(|(id, name, note)| Analyst { id, name, note });
    let note = (id(), short(), text()).prop_map(|(id, title, text)| Note { id, title, text });
    (
        info,
        framework,
        list(mechanism(), 5),
        list(source(), 4),
        list(analyst, 4),
        list(raw_score(), 20),
        prop::collection::vec(scenario(), 0..3),
        prop::collection::vec(note, 0..3),
        workshop(),
    )
}

// ------------------------------------------------------------------ building

fn pick<'a, T>(list: &'a [T], i: &Index) -> Option<&'a T> {
    (!list.is_empty()).then(|| &list[i.index(list.len())])
}

fn source_ids(sources: &[Source], picks: &[Index]) -> Vec<String> {
    picks
        .iter()
        .filter_map(|i| pick(sources, i).map(|s| s.id.clone()))
        .collect()
}

fn finish_mechanism(raw: RawMechanism, sources: &[Source]) -> Mechanism {
    let mut m = raw.mechanism;
    m.facts = raw
        .facts
        .into_iter()
        .map(|(text, picks)| Fact {
            text,
            sources: source_ids(sources, &picks),
        })
        .collect();
    m
}

fn score(raw: &RawScore, scale: &Scale, sources: &[Source]) -> Score {
    Score {
        value: on_scale(&raw.value, scale),
        rationale: raw.rationale.clone(),
        confidence: raw.confidence,
        sources: source_ids(sources, &raw.sources),
        basis: Basis::ALL[raw.rationale.len() % Basis::ALL.len()],
        rationale_for: None,
    }
}

/// Turns raw material into a project that keeps the model's invariants: ids unique
/// per kind (groups and criteria share one), every reference resolves, values on
/// their criterion's scale, one score per cell, one override per cell and scenario.
fn build(raw: RawProject) -> Project {
    let (info, mut framework, mechanisms, sources, analysts, scores, scenarios, notes, workshop) =
        raw;
    let mut seen = HashSet::new();
    framework.groups.retain(|g| seen.insert(g.id.clone()));
    for g in &mut framework.groups {
        g.criteria.retain(|c| seen.insert(c.id.clone()));
    }
    let sources = unique(sources, |s| &s.id);
    let mechanisms: Vec<Mechanism> = unique(mechanisms, |m| &m.mechanism.id)
        .into_iter()
        .map(|m| finish_mechanism(m, &sources))
        .collect();
    let analysts = unique(analysts, |a| &a.id);
    let criteria: Vec<&Criterion> = framework.criteria().map(|(_, c)| c).collect();

    let sheet = |raw: &[RawScore]| {
        let mut map = BTreeMap::new();
        for s in raw {
            if let (Some(a), Some(m), Some(c)) = (
                pick(&analysts, &s.analyst),
                pick(&mechanisms, &s.mechanism),
                pick(&criteria, &s.criterion),
            ) {
                map.insert(
                    ScoreKey::new(&a.id, &m.id, &c.id),
                    score(s, &c.scale, &sources),
                );
            }
        }
        map
    };
    let score_map = sheet(&scores);
    let rounds = unique(workshop.rounds, |r| &r.0)
        .into_iter()
        .map(|(id, name, notes, scores)| Round {
            id,
            name,
            notes,
            scores: sheet(&scores),
        })
        .collect();
    let mut consensus = BTreeMap::new();
    for (m, c, value, spread, n, dissent) in &workshop.consensus {
        if let (Some(m), Some(c)) = (pick(&mechanisms, m), pick(&criteria, c)) {
            consensus.insert(
                (m.id.clone(), c.id.clone()),
                ConsensusCell {
                    value: on_scale(value, &c.scale),
                    spread: *spread,
                    n: *n,
                    dissent: dissent.clone(),
                },
            );
        }
    }
    let workshop = Workshop {
        consensus_rule: workshop.rule,
        reveal_names: workshop.reveal_names,
        discussion: workshop.discussion,
        rounds,
        consensus,
        package: workshop.package.and_then(|(a, round, fingerprint)| {
            pick(&analysts, &a).map(|a| Package {
                analyst: a.id.clone(),
                round,
                fingerprint,
                seal: workshop.secrets.1.map(|s| format!("{s:032x}")),
                reasons: Vec::new(),
            })
        }),
        exercise: workshop.exercise.map(|complete| Exercise { complete }),
        package_key: workshop.secrets.0.map(|k| format!("{k:032x}")),
    };

    let base_ids: HashSet<&str> = mechanisms.iter().map(|m| m.id.as_str()).collect();
    let scenarios = unique(scenarios, |s| &s.id)
        .into_iter()
        .map(|s| {
            let added: Vec<Mechanism> = unique(s.added, |m| &m.mechanism.id)
                .into_iter()
                .filter(|m| !base_ids.contains(m.mechanism.id.as_str()))
                .map(|m| finish_mechanism(m, &sources))
                .collect();
            let all: Vec<&Mechanism> = mechanisms.iter().chain(&added).collect();
            let mut cells = HashSet::new();
            let score_overrides = s
                .overrides
                .iter()
                .filter_map(|o| {
                    let m = pick(&all, &o.mechanism)?;
                    let c = pick(&criteria, &o.criterion)?;
                    cells
                        .insert((m.id.clone(), c.id.clone()))
                        .then(|| ScoreOverride {
                            mechanism: m.id.clone(),
                            criterion: c.id.clone(),
                            score: score(o, &c.scale, &sources),
                        })
                })
                .collect();
            Scenario {
                id: s.id,
                name: s.name,
                narrative: s.narrative,
                assumptions: s.assumptions,
                group_weights: s
                    .group_weights
                    .iter()
                    .filter_map(|(i, w)| pick(&framework.groups, i).map(|g| (g.id.clone(), *w)))
                    .collect(),
                criterion_weights: s
                    .criterion_weights
                    .iter()
                    .filter_map(|(i, w)| pick(&criteria, i).map(|c| (c.id.clone(), *w)))
                    .collect(),
                score_overrides,
                excluded_mechanisms: s
                    .excluded
                    .iter()
                    .filter_map(|i| pick(&mechanisms, i).map(|m| m.id.clone()))
                    .collect(),
                added_mechanisms: added,
            }
        })
        .collect();

    // Both ranking rules, chosen by the generated title (no extra strategy needed).
    let ranking_rule = RankingRule::ALL[info.title.len() % RankingRule::ALL.len()];
    Project {
        info,
        settings: Settings { ranking_rule },
        framework: framework.clone(),
        mechanisms,
        sources,
        analysts,
        scores: score_map,
        scenarios,
        notes: unique(notes, |n| &n.id),
        workshop,
        acknowledgements: Vec::new(),
        merge_conflicts: Vec::new(),
    }
}

/// Keeps the first item of each id.
fn unique<T>(items: Vec<T>, id: impl Fn(&T) -> &String) -> Vec<T> {
    let mut seen = HashSet::new();
    items
        .into_iter()
        .filter(|x| seen.insert(id(x).clone()))
        .collect()
}

fn project() -> impl Strategy<Value = Project> {
    raw_project().prop_map(build)
}

// ------------------------------------------------------------------ arbitrary JSON

/// Words of the format, so random documents get past the first checks now and then
/// (the first ten are the top-level keys).
const WORDS: &[&str] = &[
    "schema_version",
    "project",
    "framework",
    "mechanisms",
    "sources",
    "analysts",
    "scores",
    "scenarios",
    "notes",
    "workshop",
    "id",
    "name",
    "title",
    "groups",
    "criteria",
    "weight",
    "role",
    "scale",
    "min",
    "max",
    "anchors",
    "value",
    "gate",
    "at_least",
    "not_assessed",
    "not_applicable",
    "requirement",
    "concern",
    "rounds",
    "consensus",
    "package",
    "exercise",
    "complete",
    "spread",
    "median",
    "benefit",
    "cost",
    "a/b",
    "~0~1",
    "",
];

fn json_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(WORDS).prop_map(str::to_string),
        1 => chars(0..8),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        select(vec![
            0i64,
            1,
            2,
            -1,
            4,
            1800,
            2200,
            1000,
            -1000,
            1001,
            i64::MIN,
            i64::MAX
        ])
        .prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        select(vec![0.5, -0.0, 1e-300, 1e300, 5e-324, 1e6, 1000.000001]).prop_map(Value::from),
        select(WORDS).prop_map(Value::from),
        chars(0..12).prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((json_key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// An arbitrary object that starts like a project (so migration lets it through).
fn project_like_json() -> impl Strategy<Value = Value> {
    prop::collection::vec((select(WORDS[..10].to_vec()), json_value()), 0..10).prop_map(|kv| {
        let mut doc = serde_json::Map::new();
        doc.insert(
            "schema_version".into(),
            Value::from(persist::CURRENT_VERSION),
        );
        for (k, v) in kv {
            doc.insert(k.to_string(), v);
        }
        Value::Object(doc)
    })
}

// ------------------------------------------------------------------ checks

/// A refusal must say what is wrong: a non-empty message for every problem, and
/// a line for every problem found after parsing (ARCHITECTURE.md: "every problem
/// with its JSON path and line").
fn check_refusal(e: &LoadError, input: &str) -> Result<(), TestCaseError> {
    prop_assert!(
        !e.to_string().trim().is_empty(),
        "empty error for {input:?}"
    );
    for p in e.problems() {
        prop_assert!(!p.trim().is_empty(), "an empty problem in {e}");
    }
    match e {
        LoadError::Invalid { problems, more } => {
            prop_assert!(
                !problems.is_empty() || *more > 0,
                "Invalid without problems"
            );
            for p in problems {
                prop_assert!(
                    !p.message.trim().is_empty(),
                    "empty message at {}",
                    p.pointer
                );
                prop_assert!(
                    p.line.is_some(),
                    "no line for the problem at {:?} ({}) in {input:?}",
                    p.pointer,
                    p.message
                );
            }
        }
        LoadError::Syntax { line, message, .. } => {
            prop_assert!(*line >= 1);
            prop_assert!(!message.trim().is_empty());
        }
        _ => {}
    }
    Ok(())
}

/// `load_str` on any text: never a panic; a project that loads round-trips.
fn check_any_text(text: &str) -> Result<(), TestCaseError> {
    match persist::load_str(text) {
        Ok(loaded) => check_round_trip(&loaded.project),
        Err(e) => check_refusal(&e, text),
    }
}

fn check_round_trip(p: &Project) -> Result<(), TestCaseError> {
    let text = persist::to_canonical_string(p);
    let back = match persist::load_str(&text) {
        Ok(l) => l,
        Err(e) => return Err(TestCaseError::fail(format!("canonical text refused: {e}"))),
    };
    prop_assert_eq!(back.from_version, persist::CURRENT_VERSION);
    prop_assert!(back.project == *p, "load(canonical(p)) != p");
    let again = persist::to_canonical_string(&back.project);
    prop_assert!(again == text, "canonical text is not stable");
    Ok(())
}

/// `cases` unless `PROPTEST_CASES` says otherwise.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(cases);
    ProptestConfig {
        cases,
        // Shrinking a large project in a debug build is slow; a bound keeps CI finite.
        max_shrink_time: 60_000,
        ..ProptestConfig::default()
    }
}

proptest! {
    // Each case saves twice with fsync: fewer cases.
    #![proptest_config(config(64))]

    #[test]
    fn save_then_load_from_disk_is_the_same_project(p in project()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("p.json");
        persist::save_path(&path, &p).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let loaded = persist::load_path(&path).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(loaded.project == p, "load_path(save_path(p)) != p");
        let on_disk = std::fs::read_to_string(&path).unwrap();
        prop_assert!(on_disk == persist::to_canonical_string(&p), "the file is not the canonical text");
        // A second save over the first writes the same bytes.
        persist::save_path(&path, &loaded.project).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!(std::fs::read_to_string(&path).unwrap() == on_disk);
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn canonical_text_loads_back_to_the_same_project(p in project()) {
        check_round_trip(&p)?;
    }

    /// A valid project damaged in one to three places: near-valid documents reach the
    /// schema check and the semantic checks (duplicates, dangling references, values
    /// off the scale), which random JSON seldom does.
    #[test]
    fn damaged_projects_are_refused_cleanly(
        p in project(),
        damage in prop::collection::vec((any::<Index>(), mutation()), 1..4),
        pretty in any::<bool>(),
    ) {
        let mut doc: Value = serde_json::from_str(&persist::to_canonical_string(&p)).unwrap();
        for (at, m) in damage {
            let mut pointers = Vec::new();
            collect_pointers(&doc, String::new(), &mut pointers);
            let target = pointers[at.index(pointers.len())].clone();
            m.apply(&mut doc, &target);
        }
        let text = if pretty { serde_json::to_string_pretty(&doc) } else { serde_json::to_string(&doc) };
        check_any_text(&text.unwrap())?;
    }
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        check_any_text(&String::from_utf8_lossy(&bytes))?;
    }

    /// Through the file reader too: invalid UTF-8 is reported with a position.
    #[test]
    fn arbitrary_files_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.json");
        std::fs::write(&path, &bytes).unwrap();
        match persist::load_path(&path) {
            Ok(loaded) => check_round_trip(&loaded.project)?,
            Err(e) => check_refusal(&e, &String::from_utf8_lossy(&bytes))?,
        }
    }

    #[test]
    fn arbitrary_text_never_panics(text in chars(0..200)) {
        check_any_text(&text)?;
    }

    #[test]
    fn arbitrary_json_never_panics(v in json_value(), pretty in any::<bool>()) {
        let text = if pretty { serde_json::to_string_pretty(&v) } else { serde_json::to_string(&v) };
        check_any_text(&text.unwrap())?;
    }

    #[test]
    fn project_like_json_never_panics(v in project_like_json()) {
        check_any_text(&serde_json::to_string_pretty(&v).unwrap())?;
    }
}

/// One change to a document at a pointer.
#[derive(Clone, Debug)]
enum Mutation {
    /// Put arbitrary JSON there.
    Replace(Value),
    /// Remove it from its object or list.
    Remove,
    /// Keep the type, change the value: another id-like text, a number at or past a
    /// limit, the other boolean, a list with one entry repeated.
    /// (`true`: a whole number, written without a fraction.)
    Nudge(Index, bool),
}

#[rustfmt::skip]
const NUDGE_TEXTS: &[&str] = &[
    "a", "m1", "ghost", "not_assessed", "not_applicable", "A", "low", "cost", "median",
    "Has Space", "-x", "", "requirement",
];
#[rustfmt::skip]
const NUDGE_NUMBERS: &[f64] = &[
    -1.0, 0.0, 0.5, 1.0, 4.0, 5.0, 7.0, 100.0, 101.0, 1000.0, 1001.0, -1000.0, 1799.0, 2201.0,
    1e6, 1e6 + 1.0, 1e300, 5e-324, -0.0,
];
/// Whole numbers are written without a fraction: `1` is an integer, `1.0` is not.
#[rustfmt::skip]
const NUDGE_INTEGERS: &[i64] = &[
    -1, 0, 1, 2, 3, 6, 7, 100, 101, 1000, 1001, -1001, 1800, 2200, 100_000, 100_001, i64::MAX,
];

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        2 => json_value().prop_map(Mutation::Replace),
        1 => Just(Mutation::Remove),
        3 => (any::<Index>(), any::<bool>()).prop_map(|(i, whole)| Mutation::Nudge(i, whole)),
    ]
}

impl Mutation {
    fn apply(self, doc: &mut Value, at: &str) {
        match self {
            Mutation::Replace(v) => *doc.pointer_mut(at).unwrap() = v,
            Mutation::Remove => remove(doc, at),
            Mutation::Nudge(i, whole) => {
                let node = doc.pointer_mut(at).unwrap();
                *node = match node.take() {
                    Value::String(_) => Value::from(*i.get(NUDGE_TEXTS)),
                    Value::Number(_) if !whole => Value::from(*i.get(NUDGE_NUMBERS)),
                    Value::Number(_) => Value::from(*i.get(NUDGE_INTEGERS)),
                    Value::Bool(b) => Value::Bool(!b),
                    Value::Array(mut a) if !a.is_empty() => {
                        let k = i.index(a.len());
                        a.insert(k, a[k].clone());
                        Value::Array(a)
                    }
                    other => other,
                }
            }
        }
    }
}

/// Every JSON pointer in a document (the root included).
fn collect_pointers(v: &Value, at: String, out: &mut Vec<String>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                let seg = k.replace('~', "~0").replace('/', "~1");
                collect_pointers(x, format!("{at}/{seg}"), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                collect_pointers(x, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// Removes the node at `pointer` from its parent (the root becomes null).
fn remove(doc: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        *doc = Value::Null;
        return;
    };
    let last = last.replace("~1", "/").replace("~0", "~");
    match doc.pointer_mut(parent) {
        Some(Value::Object(m)) => {
            m.shift_remove(&last);
        }
        Some(Value::Array(a)) => {
            a.remove(last.parse::<usize>().unwrap());
        }
        _ => unreachable!("a parent is a container"),
    }
}

// ------------------------------------------------------------------ findings

/// A key written twice in one object (a bad merge such as `"value": 0, "value": 4`)
/// is refused with its path and line: serde_json would keep the last one silently.
#[test]
fn a_key_written_twice_is_refused() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/hand.json"
    ))
    .unwrap();
    let scores = text.find("\"scores\": [").expect("a scores list");
    let first_value = scores + text[scores..].find("\"value\": ").expect("a score value");
    let twice = format!(
        "{}\"value\": 0,\n      {}",
        &text[..first_value],
        &text[first_value..]
    );
    assert!(persist::load_str(&text).is_ok());
    assert!(
        persist::load_str(&twice).is_err(),
        "a score with two values loaded without a problem"
    );
}
