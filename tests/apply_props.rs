//! "A project in memory is always saveable": whatever sequence of commands `edit::apply`
//! accepts — typed names of any length, values on and off the scale, weights of any
//! size, additions, deletions, undo — leaves a project that saves and loads back equal.

use policy_workbench::bundled;
use policy_workbench::edit::{Command, GroupHeader, apply};
use policy_workbench::model::rules::{self, NAME_MAX_CHARS, TEXT_MAX_CHARS};
use policy_workbench::model::*;
use policy_workbench::persist;
use proptest::prelude::*;

/// One user action, drawn from what editors and the matrix can send.
#[derive(Clone, Debug)]
enum Step {
    Score {
        m: usize,
        c: usize,
        value: f64,
        rationale_len: usize,
    },
    RenameMechanism {
        m: usize,
        len: usize,
        blank: bool,
    },
    AddMechanism {
        len: usize,
    },
    RemoveMechanism {
        m: usize,
    },
    GroupWeight {
        g: usize,
        weight: f64,
    },
    AddSource {
        citation_len: usize,
    },
    AddNote {
        title_len: usize,
    },
    ScaleTop {
        c: usize,
        top: i32,
    },
    Undo,
}

fn step() -> impl Strategy<Value = Step> {
    let len = prop_oneof![
        4 => 0usize..20,
        1 => Just(NAME_MAX_CHARS),
        1 => Just(NAME_MAX_CHARS + 1),
        1 => Just(TEXT_MAX_CHARS + 1),
    ];
    prop_oneof![
        (0usize..40, 0usize..20, -3.0f64..9.0, len.clone()).prop_map(|(m, c, v, r)| Step::Score {
            m,
            c,
            value: v.round(),
            rationale_len: r
        }),
        (0usize..40, len.clone(), any::<bool>())
            .prop_map(|(m, len, blank)| Step::RenameMechanism { m, len, blank }),
        len.clone().prop_map(|len| Step::AddMechanism { len }),
        (0usize..40).prop_map(|m| Step::RemoveMechanism { m }),
        (
            0usize..6,
            prop_oneof![
                Just(-1.0),
                Just(0.0),
                0.0f64..5.0,
                Just(rules::WEIGHT_MAX * 2.0)
            ]
        )
            .prop_map(|(g, weight)| Step::GroupWeight { g, weight }),
        len.clone()
            .prop_map(|citation_len| Step::AddSource { citation_len }),
        len.prop_map(|title_len| Step::AddNote { title_len }),
        (0usize..20, -2i32..8).prop_map(|(c, top)| Step::ScaleTop { c, top }),
        Just(Step::Undo),
    ]
}

fn text(n: usize) -> String {
    "ü".repeat(n)
}

/// The command a step sends to the project as it is now (None when it makes no sense).
fn command(p: &Project, s: &Step, n: usize) -> Option<Command> {
    let criteria: Vec<Criterion> = p.framework.criteria().map(|(_, c)| c.clone()).collect();
    Some(match s {
        Step::Score {
            m,
            c,
            value,
            rationale_len,
        } => {
            let m = p.mechanisms.get(m % p.mechanisms.len().max(1))?;
            let c = criteria.get(c % criteria.len().max(1))?;
            Command::SetScore {
                key: ScoreKey::new(&p.analysts.first()?.id, &m.id, &c.id),
                score: Some(Score {
                    value: ScoreValue::Value(*value),
                    rationale: text(*rationale_len),
                    confidence: Confidence::Low,
                    sources: vec![],
                    ..Score::default()
                }),
            }
        }
        Step::RenameMechanism { m, len, blank } => {
            let index = m % p.mechanisms.len().max(1);
            let mut mechanism = p.mechanisms.get(index)?.clone();
            mechanism.name = if *blank { " ".repeat(*len) } else { text(*len) };
            Command::SetMechanism { index, mechanism }
        }
        Step::AddMechanism { len } => {
            let mut m = p.mechanisms.first()?.clone();
            m.id = format!("added-{n}");
            m.name = text(*len);
            m.facts.clear();
            Command::AddMechanism(m)
        }
        Step::RemoveMechanism { m } => {
            Command::RemoveMechanism(p.mechanisms.get(m % p.mechanisms.len().max(1))?.id.clone())
        }
        Step::GroupWeight { g, weight } => {
            let index = g % p.framework.groups.len();
            let mut header = GroupHeader::of(&p.framework.groups[index]);
            header.weight = *weight;
            Command::SetGroup { index, header }
        }
        Step::AddSource { citation_len } => {
            let mut s = p.sources.first()?.clone();
            s.id = format!("src-{n}");
            s.citation = text(*citation_len);
            Command::AddSource(s)
        }
        Step::AddNote { title_len } => Command::AddNote(Note {
            id: format!("note-{n}"),
            title: text(*title_len),
            text: String::new(),
        }),
        Step::ScaleTop { c, top } => {
            let (gi, ci) = p
                .framework
                .locate(&criteria.get(c % criteria.len().max(1))?.id)?;
            let mut criterion = p.framework.groups[gi].criteria[ci].clone();
            criterion.scale.max = *top;
            criterion.scale.anchors.retain(|a| a.value <= *top);
            if criterion.gate.is_some_and(|g| g.at_least > f64::from(*top)) {
                criterion.gate = None;
            }
            Command::SetCriterion {
                group: gi,
                index: ci,
                criterion,
            }
        }
        Step::Undo => return None,
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn whatever_apply_accepts_saves_and_loads_back_equal(steps in prop::collection::vec(step(), 1..24)) {
        let mut p = persist::load_str(bundled::SAMPLE).unwrap().project;
        let mut undo: Vec<Command> = Vec::new();
        let mut refused = 0;
        for (n, s) in steps.iter().enumerate() {
            let before = p.clone();
            let result = match (s, undo.pop()) {
                (Step::Undo, Some(inverse)) => apply(&mut p, inverse).map(|_| ()),
                (Step::Undo, None) => Ok(()),
                (other, last) => {
                    undo.extend(last);
                    match command(&p, other, n) {
                        Some(cmd) => apply(&mut p, cmd).map(|inverse| undo.push(inverse)),
                        None => Ok(()),
                    }
                }
            };
            if let Err(e) = result {
                refused += 1;
                prop_assert_eq!(&p, &before, "a refused command ({}) changed the project", e);
                prop_assert!(!e.0.is_empty());
            }
            prop_assert_eq!(rules::check_project(&p, 3), vec![], "after {:?}", s);
        }
        let text = persist::to_canonical_string(&p);
        let back = persist::load_str(&text);
        prop_assert!(back.is_ok(), "{:?}", back.err().map(|e| e.to_string()));
        prop_assert_eq!(back.unwrap().project, p);
        let _ = refused;
    }
}

#[test]
fn a_301_character_mechanism_name_is_refused_with_a_message() {
    let mut p = persist::load_str(bundled::SAMPLE).unwrap().project;
    let mut mechanism = p.mechanisms[0].clone();
    mechanism.name = "x".repeat(NAME_MAX_CHARS + 1);
    let e = apply(
        &mut p,
        Command::SetMechanism {
            index: 0,
            mechanism,
        },
    )
    .unwrap_err();
    assert!(
        e.0.contains("301 characters") && e.0.contains("at most 300"),
        "{e}"
    );
    assert!(persist::load_str(&persist::to_canonical_string(&p)).is_ok());
}

#[test]
fn restoring_a_broken_project_is_refused() {
    let mut p = persist::load_str(bundled::SAMPLE).unwrap().project;
    let mut broken = p.clone();
    broken.notes.push(Note {
        id: "Not An Id".into(),
        title: String::new(),
        text: String::new(),
    });
    let e = apply(&mut p, Command::Restore(Box::new(broken))).unwrap_err();
    assert!(e.0.contains("not a valid id"), "{e}");
    assert_eq!(rules::check_project(&p, 1), vec![]);
}
