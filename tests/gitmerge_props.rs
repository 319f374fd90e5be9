//! The git merge driver's promise, on random edits: two random edit sequences applied
//! to one base either merge with every change of each side present, or the merge
//! reports exactly the cells both sides changed differently — a mechanism's deletion
//! counting as a change of every cell of it — and keeps OURS's value there.

use std::collections::BTreeSet;

use policy_workbench::edit::{Command, apply};
use policy_workbench::gitmerge::merge_projects;
use policy_workbench::model::*;
use policy_workbench::persist;
use proptest::prelude::*;

const MECHS: usize = 5;
const CRITERIA: usize = 4;

#[derive(Clone, Debug)]
enum Edit {
    Score(usize, usize, Option<u8>),
    Rationale(usize, usize, u8),
    Remove(usize),
    Rename(usize, u8),
    Add(u8, u8),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0..MECHS + 2, 0..CRITERIA, proptest::option::of(0u8..5))
            .prop_map(|(m, c, v)| Edit::Score(m, c, v)),
        2 => (0..MECHS, 0..CRITERIA, 0u8..3).prop_map(|(m, c, r)| Edit::Rationale(m, c, r)),
        1 => (0..MECHS).prop_map(Edit::Remove),
        2 => (0..MECHS, 0u8..3).prop_map(|(m, n)| Edit::Rename(m, n)),
        1 => (0u8..2, 0u8..2).prop_map(|(i, n)| Edit::Add(i, n)),
    ]
}

fn base() -> Project {
    let mut p = persist::load_str(policy_workbench::bundled::SAMPLE)
        .unwrap()
        .project;
    // A small base: the first mechanisms and criteria, some cells left empty.
    p.scenarios.clear();
    let keep: Vec<String> = p
        .mechanisms
        .iter()
        .take(MECHS)
        .map(|m| m.id.clone())
        .collect();
    for id in p
        .mechanisms
        .iter()
        .map(|m| m.id.clone())
        .collect::<Vec<_>>()
    {
        if !keep.contains(&id) {
            apply(&mut p, Command::RemoveMechanism(id)).unwrap();
        }
    }
    let crits = criteria(&p);
    p.scores.retain(|k, _| {
        crits.contains(&k.criterion) && (k.mechanism.len() + k.criterion.len()) % 3 != 0
    });
    p
}

fn criteria(p: &Project) -> Vec<String> {
    p.framework
        .criteria()
        .take(CRITERIA)
        .map(|(_, c)| c.id.clone())
        .collect()
}

/// Mechanism ids the edits name: the base's and two new ones.
fn mech_id(p0: &Project, i: usize) -> String {
    p0.mechanisms
        .get(i)
        .map(|m| m.id.clone())
        .unwrap_or_else(|| format!("new-{}", i - MECHS))
}

fn run(p0: &Project, edits: &[Edit]) -> Project {
    let mut p = p0.clone();
    let crits = criteria(p0);
    for e in edits {
        let cmd = match e {
            Edit::Score(m, c, v) => Command::SetScore {
                key: ScoreKey::new("reference", &mech_id(p0, *m), &crits[*c]),
                score: v.map(|v| Score {
                    value: ScoreValue::Value(f64::from(v)),
                    ..Score::default()
                }),
            },
            Edit::Rationale(m, c, r) => {
                let key = ScoreKey::new("reference", &mech_id(p0, *m), &crits[*c]);
                let Some(mut s) = p.scores.get(&key).cloned() else {
                    continue;
                };
                s.rationale = format!("reason {r}");
                Command::SetScore {
                    key,
                    score: Some(s),
                }
            }
            Edit::Remove(m) => Command::RemoveMechanism(mech_id(p0, *m)),
            Edit::Rename(m, n) => {
                let id = mech_id(p0, *m);
                let Some(i) = p.mechanisms.iter().position(|x| x.id == id) else {
                    continue;
                };
                let mut mech = p.mechanisms[i].clone();
                mech.name = format!("Name {n}");
                Command::SetMechanism {
                    index: i,
                    mechanism: mech,
                }
            }
            Edit::Add(i, n) => {
                Command::AddMechanism(Mechanism::new(&format!("new-{i}"), &format!("New {n}")))
            }
        };
        let _ = apply(&mut p, cmd);
    }
    p
}

/// A cell's state: whether its mechanism exists, and its score.
type Cell = (bool, Option<Score>);

fn cell(p: &Project, m: &str, c: &str) -> Cell {
    (
        p.mechanism(m).is_some(),
        p.score("reference", m, c).cloned(),
    )
}

fn fields(s: &Score) -> [String; 6] {
    [
        format!("{:?}", s.value),
        s.rationale.clone(),
        format!("{:?}", s.confidence),
        format!("{:?}", s.sources),
        format!("{:?}", s.basis),
        format!("{:?}", s.rationale_for),
    ]
}

/// Whether both sides changed the cell differently, and the score the merge keeps. A
/// side that deleted the mechanism deleted the cell with it: a clash with a side that
/// changed or added that cell.
fn expected(b: &Cell, o: &Cell, t: &Cell) -> (bool, Option<Score>) {
    let changed = |x: &Cell| x.1.is_some() && x.1 != b.1;
    let ours_deleted = b.0 && !o.0;
    let theirs_deleted = b.0 && !t.0;
    if (ours_deleted && changed(t)) || (theirs_deleted && changed(o)) {
        return (true, o.1.clone());
    }
    let (b, o, t) = (&b.1, &o.1, &t.1);
    if o == t {
        return (false, o.clone());
    }
    if b == o {
        return (false, t.clone());
    }
    if b == t {
        return (false, o.clone());
    }
    if let (Some(bs), Some(os), Some(ts)) = (b, o, t) {
        // Field by field: a field changed on one side only is taken, a clash keeps OURS's.
        let (bf, of, tf) = (fields(bs), fields(os), fields(ts));
        let clash = (0..6).any(|i| of[i] != bf[i] && tf[i] != bf[i] && of[i] != tf[i]);
        let mut s = os.clone();
        if of[0] == bf[0] {
            s.value = ts.value;
        }
        if of[1] == bf[1] {
            s.rationale = ts.rationale.clone();
        }
        if of[2] == bf[2] {
            s.confidence = ts.confidence;
        }
        if of[3] == bf[3] {
            s.sources = ts.sources.clone();
        }
        if of[4] == bf[4] {
            s.basis = ts.basis;
        }
        if of[5] == bf[5] {
            s.rationale_for = ts.rationale_for;
        }
        return (clash, Some(s));
    }
    (true, o.clone())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn merges_keep_every_change_or_report_exactly_the_clashes(
        ours in proptest::collection::vec(edit(), 0..7),
        theirs in proptest::collection::vec(edit(), 0..7),
    ) {
        let b = base();
        let o = run(&b, &ours);
        let t = run(&b, &theirs);
        let text = |p: &Project| persist::to_canonical_string(p);
        let m = merge_projects(Some(&text(&b)), &text(&o), &text(&t)).expect("merges");
        let back = persist::load_str(&m.text).expect("the result loads").project;
        prop_assert_eq!(&back, &m.project);
        let crits = criteria(&b);
        let conflicted: BTreeSet<String> = m
            .conflicts
            .iter()
            .filter(|c| c.path.starts_with("scores["))
            .map(|c| c.path.split(']').next().unwrap().trim_start_matches("scores[").to_string())
            .collect();
        let mut want = BTreeSet::new();
        let mut mechs_with_clash = BTreeSet::new();
        for mi in 0..MECHS + 2 {
            let mid = mech_id(&b, mi);
            for c in &crits {
                let (clash, score) = expected(&cell(&b, &mid, c), &cell(&o, &mid, c), &cell(&t, &mid, c));
                let got = m.project.score("reference", &mid, c).cloned();
                if clash {
                    want.insert(format!("reference/{mid}/{c}"));
                    mechs_with_clash.insert(mid.clone());
                }
                prop_assert_eq!(got, score, "{} {}: each change present, OURS's on a clash", mid, c);
            }
        }
        prop_assert_eq!(&conflicted, &want);
        // Mechanisms: a conflict exactly where both sides changed one differently, or
        // where a clashing cell keeps one the other side deleted.
        for mi in 0..MECHS + 2 {
            let mid = mech_id(&b, mi);
            let (bm, om, tm) = (b.mechanism(&mid), o.mechanism(&mid), t.mechanism(&mid));
            let both = om != bm && tm != bm && om != tm;
            let recorded = m.conflicts.iter().any(|c| c.path == format!("mechanisms[{mid}]")
                || c.path.starts_with(&format!("mechanisms[{mid}].")));
            if both {
                prop_assert!(recorded, "{}: both changed it", mid);
                prop_assert_eq!(m.project.mechanism(&mid), om);
            } else if recorded {
                prop_assert!(mechs_with_clash.contains(&mid), "{}: recorded without a clash", mid);
            }
        }
        if m.conflicts.is_empty() {
            prop_assert!(m.project.merge_conflicts.is_empty());
        }
    }
}
