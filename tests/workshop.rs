//! The workshop flow: blind scoring packages, merging them back (conflicts, policies,
//! idempotence, refusals), rounds, and the bundled workshop sample — the CLI through
//! the real binary.

mod common;

use std::path::Path;

use common::*;
use policy_workbench::compute::agreement::{cell_spreads, round_scores};
use policy_workbench::edit::{self, Command};
use policy_workbench::model::*;
use policy_workbench::persist;
use policy_workbench::workshop::*;

const ANALYSTS: [(&str, &str); 3] = [
    ("analyst-1", "Alice Martin"),
    ("analyst-2", "Bruno Costa"),
    ("analyst-3", "Chen Wei"),
];

fn apply(p: &mut Project, cmd: Command) {
    edit::apply(p, cmd).unwrap_or_else(|e| panic!("{e}"));
}

/// The sample cut to four mechanisms, without its reference analyst, with three
/// workshop analysts and no scores.
fn master() -> Project {
    let mut p = persist::load_path(&sample_path()).unwrap().project;
    let drop: Vec<String> = p.mechanisms[4..].iter().map(|m| m.id.clone()).collect();
    for id in drop {
        apply(&mut p, Command::RemoveMechanism(id));
    }
    apply(&mut p, Command::RemoveAnalyst("reference".into()));
    for (id, name) in ANALYSTS {
        apply(
            &mut p,
            Command::AddAnalyst(Analyst {
                id: id.into(),
                name: name.into(),
                note: String::new(),
            }),
        );
    }
    p
}

fn criteria(p: &Project) -> Vec<String> {
    p.framework.criteria().map(|(_, c)| c.id.clone()).collect()
}

/// A distinctive rationale, so that a leak can be searched for.
fn rationale(analyst: &str, m: &str, c: &str, v: f64) -> String {
    format!("Rationale by {analyst} for {m} on {c}: scored {v} because of the record.")
}

/// Scores an analyst would give: every cell, values depending on the analyst.
fn sheet(p: &Project, analyst: &str, shift: i32) -> Vec<(ScoreKey, Option<Score>)> {
    let mut cells = Vec::new();
    for (mi, m) in p.mechanisms.iter().enumerate() {
        for (ci, c) in criteria(p).iter().enumerate() {
            let v = f64::from(((mi + ci) as i32 + shift).rem_euclid(5));
            cells.push((
                ScoreKey::new(analyst, &m.id, c),
                Some(Score {
                    value: ScoreValue::Value(v),
                    rationale: rationale(analyst, &m.id, c, v),
                    confidence: Confidence::Moderate,
                    sources: Vec::new(),
                }),
            ));
        }
    }
    cells
}

/// Each analyst fills in their own package.
fn filled_packages(master: &Project) -> Vec<Project> {
    ANALYSTS
        .iter()
        .enumerate()
        .map(|(i, (id, _))| {
            let mut pkg = make_package(master, id, &PackageOptions::default())
                .unwrap()
                .project;
            let cells = sheet(&pkg, id, i as i32);
            apply(&mut pkg, Command::SetScores { cells });
            pkg
        })
        .collect()
}

fn assert_no_leak(json: &str, master: &Project, me: &str) {
    for a in master.analysts.iter().filter(|a| a.id != me) {
        assert!(!json.contains(&a.id), "{} leaks into {me}'s package", a.id);
        assert!(!json.contains(&a.name), "{} leaks into {me}'s package", a.name);
    }
    let scored = [master.scores.iter().collect::<Vec<_>>()]
        .into_iter()
        .chain(master.workshop.rounds.iter().map(|r| r.scores.iter().collect()))
        .flatten();
    for (k, s) in scored {
        if k.analyst != me && !s.rationale.is_empty() {
            assert!(
                !json.contains(&s.rationale),
                "a rationale of {} leaks into {me}'s package: {}",
                k.analyst,
                s.rationale
            );
        }
    }
}

#[test]
fn a_package_holds_one_analysts_sheet_and_nothing_of_the_others() {
    let mut m = master();
    for (i, (id, _)) in ANALYSTS.iter().enumerate() {
        let cells = sheet(&m, id, i as i32);
        apply(&mut m, Command::SetScores { cells });
    }
    apply(
        &mut m,
        Command::AddNote(Note {
            id: "who-said-what".into(),
            title: "Preparation".into(),
            text: "Alice Martin will present the INTERPOL case.".into(),
        }),
    );
    m.workshop.consensus.insert(
        (m.mechanisms[0].id.clone(), criteria(&m)[0].clone()),
        ConsensusCell {
            value: ScoreValue::Value(3.0),
            spread: Some(1.0),
            n: 3,
            dissent: "One analyst disagrees.".into(),
        },
    );
    let built = make_package(&m, "analyst-2", &PackageOptions::default()).unwrap();
    let pkg = &built.project;
    assert_eq!(pkg.analysts.len(), 1);
    assert_eq!(pkg.analysts[0].id, "analyst-2");
    assert!(pkg.scores.keys().all(|k| k.analyst == "analyst-2"));
    assert_eq!(pkg.scores.len(), m.mechanisms.len() * criteria(&m).len());
    assert_eq!(pkg.framework, m.framework);
    assert_eq!(pkg.mechanisms, m.mechanisms);
    assert_eq!(pkg.sources, m.sources);
    assert!(pkg.scenarios.is_empty(), "scenarios stay in the master");
    assert!(pkg.workshop.consensus.is_empty());
    assert!(pkg.workshop.rounds.is_empty());
    assert!(!pkg.notes.iter().any(|n| n.id == "who-said-what"));
    assert!(built.warnings.iter().any(|w| w.contains("who-said-what")));
    let mark = pkg.workshop.package.as_ref().unwrap();
    assert_eq!((mark.analyst.as_str(), mark.round), ("analyst-2", 1));
    assert_eq!(mark.fingerprint, fingerprint(&m));
    let json = persist::to_canonical_string(pkg);
    assert_no_leak(&json, &m, "analyst-2");
    // It is a valid project file.
    persist::load_str(&json).unwrap();

    let empty = make_package(
        &m,
        "analyst-2",
        &PackageOptions {
            prefill: Prefill::Empty,
        },
    )
    .unwrap();
    assert!(empty.project.scores.is_empty());
    assert!(matches!(
        make_package(&m, "nobody", &PackageOptions::default()),
        Err(PackageError::UnknownAnalyst(..))
    ));
    assert!(matches!(
        make_package(pkg, "analyst-2", &PackageOptions::default()),
        Err(PackageError::MasterIsPackage(_))
    ));
}

#[test]
fn merging_packages_imports_each_sheet_and_adds_missing_analysts() {
    let mut m = master();
    let pkgs = filled_packages(&m);
    // The master lost analyst-3 meanwhile: merging adds them back.
    apply(&mut m, Command::RemoveAnalyst("analyst-3".into()));
    let out = merge(&m, &pkgs, &MergePolicy::default()).unwrap();
    let cells = m.mechanisms.len() * criteria(&m).len();
    assert_eq!(out.project.scores.len(), 3 * cells);
    assert!(out.project.analyst("analyst-3").is_some());
    assert_eq!(out.summary.len(), 3);
    for s in &out.summary {
        assert_eq!((s.imported, s.unchanged, s.conflicts), (cells, 0, 0), "{s:?}");
    }
    assert!(out.summary[2].added_analyst);
    // The commands replay the merge on the master.
    let mut replay = m.clone();
    for c in out.commands.clone() {
        apply(&mut replay, c);
    }
    assert_eq!(replay, out.project);
    // Round trip through the file format.
    let text = persist::to_canonical_string(&out.project);
    assert_eq!(persist::load_str(&text).unwrap().project, out.project);
}

#[test]
fn merging_twice_is_merging_once() {
    let m = master();
    let pkgs = filled_packages(&m);
    let once = merge(&m, &pkgs, &MergePolicy::default()).unwrap().project;
    let again = merge(&once, &pkgs, &MergePolicy::default()).unwrap();
    assert_eq!(again.project, once);
    assert!(again.summary.iter().all(|s| s.imported == 0 && s.conflicts == 0));
    assert!(again.commands.is_empty());
}

fn conflicted() -> (Project, Vec<Project>, ScoreKey) {
    let mut m = master();
    let pkgs = filled_packages(&m);
    let key = pkgs[0].scores.keys().nth(3).unwrap().clone();
    // The master already holds a different score for analyst-1 on that cell.
    apply(
        &mut m,
        Command::SetScore {
            key: key.clone(),
            score: Some(Score {
                value: ScoreValue::Value(4.0),
                rationale: "Typed in by the facilitator from the analyst's e-mail.".into(),
                confidence: Confidence::High,
                sources: Vec::new(),
            }),
        },
    );
    (m, pkgs, key)
}

#[test]
fn a_conflict_is_listed_and_nothing_is_applied_without_a_decision() {
    let (m, pkgs, key) = conflicted();
    let report = merge(&m, &pkgs, &MergePolicy::default()).unwrap_err();
    assert!(report.problems.is_empty());
    assert_eq!(report.conflicts.len(), 1);
    assert_eq!(report.unresolved, vec![ConflictId::Score(key.clone())]);
    let Conflict::Score {
        key: k,
        master: mv,
        incoming,
        file,
    } = &report.conflicts[0]
    else {
        panic!("a score conflict")
    };
    assert_eq!((k, *file), (&key, 0));
    assert_eq!(mv.as_ref().unwrap().value, ScoreValue::Value(4.0));
    assert_eq!(incoming, &pkgs[0].scores.get(&key).cloned());
    let text = report.to_string();
    assert!(text.contains(&key.mechanism) && text.contains("facilitator"), "{text}");
    // The summary still says what the merge would do.
    assert_eq!(report.summary[0].conflicts, 1);
}

#[test]
fn prefer_policies_and_per_conflict_choices() {
    let (m, pkgs, key) = conflicted();
    let incoming = merge(&m, &pkgs, &MergePolicy::prefer(Prefer::Incoming)).unwrap();
    assert_eq!(incoming.project.scores.get(&key), pkgs[0].scores.get(&key));
    assert_eq!(incoming.summary[0].took_incoming, 1);
    let kept = merge(&m, &pkgs, &MergePolicy::prefer(Prefer::Master)).unwrap();
    assert_eq!(kept.project.scores.get(&key), m.scores.get(&key));
    assert_eq!(kept.summary[0].kept_master, 1);
    // Everything else is imported either way.
    assert_eq!(
        kept.project.scores.len(),
        incoming.project.scores.len()
    );
    // Decide the one conflict in the app: overrides the blanket preference.
    let report = merge(&m, &pkgs, &MergePolicy::default()).unwrap_err();
    let mut policy = MergePolicy::prefer(Prefer::Master);
    policy.resolve(&report.conflicts[0], Prefer::Incoming);
    let chosen = merge(&m, &pkgs, &policy).unwrap();
    assert_eq!(chosen.project, incoming.project);
    assert_eq!(chosen.resolved.len(), 1);
    // Merging the result again with the same policy changes nothing.
    let again = merge(&kept.project, &pkgs, &MergePolicy::prefer(Prefer::Master)).unwrap();
    assert_eq!(again.project, kept.project);
}

#[test]
fn a_package_of_another_master_is_refused_with_what_differs() {
    let m = master();
    let mut other = m.clone();
    let (gi, ci) = (0, 0);
    let mut c = other.framework.groups[gi].criteria[ci].clone();
    c.scale.max = 5;
    apply(
        &mut other,
        Command::SetCriterion {
            group: gi,
            index: ci,
            criterion: c.clone(),
        },
    );
    apply(&mut other, Command::AddMechanism(Mechanism::new("new-one", "A new one")));
    let pkg = make_package(&other, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    let report = merge(&m, &[pkg], &MergePolicy::default()).unwrap_err();
    assert_eq!(report.problems.len(), 1, "{report}");
    let msg = &report.problems[0].message;
    assert!(msg.contains("another master"), "{msg}");
    assert!(msg.contains(&format!("criterion \"{}\": scale 0–4 in the master, 0–5 in the package", c.id)), "{msg}");
    assert!(msg.contains("mechanism \"new-one\" is in the package but not in the master"), "{msg}");

    // A package whose framework was edited after it was made.
    let mut edited = make_package(&m, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    apply(&mut edited, Command::RemoveMechanism(m.mechanisms[0].id.clone()));
    let report = merge(&m, &[edited], &MergePolicy::default()).unwrap_err();
    assert!(report.problems[0].message.contains("changed after it was made"), "{report}");
}

#[test]
fn other_refusals_are_named() {
    let m = master();
    let pkgs = filled_packages(&m);
    // The same analyst twice.
    let report = merge(&m, &[pkgs[0].clone(), pkgs[0].clone()], &MergePolicy::default())
        .unwrap_err();
    assert!(report.to_string().contains("imported twice"), "{report}");
    // Not a package at all.
    let report = merge(&m, &[m.clone()], &MergePolicy::default()).unwrap_err();
    assert!(report.to_string().contains("not a scoring package"), "{report}");
    // A package for round 1 after the master moved to round 2.
    let mut later = merge(&m, &pkgs, &MergePolicy::default()).unwrap().project;
    apply(&mut later, Command::StartRound { name: String::new() });
    let report = merge(&later, &pkgs, &MergePolicy::default()).unwrap_err();
    assert!(report.to_string().contains("round 1, but the master is in round 2"), "{report}");
    // A package smuggling another analyst's scores.
    let mut smuggler = pkgs[0].clone();
    let (k, s) = pkgs[1].scores.iter().next().unwrap();
    smuggler.scores.insert(k.clone(), s.clone());
    let report = merge(&m, &[smuggler], &MergePolicy::default()).unwrap_err();
    assert!(report.to_string().contains("scores of other analysts (analyst-2)"), "{report}");
}

#[test]
fn sources_merge_by_id() {
    let m = master();
    let mut pkgs = filled_packages(&m);
    let new_source = Source {
        id: "field-interview-2024".into(),
        citation: "Interview with a liaison officer, 2024.".into(),
        link: String::new(),
        date: "2024".into(),
        reliability: Reliability::C,
        credibility: 3,
        note: String::new(),
    };
    apply(&mut pkgs[0], Command::AddSource(new_source.clone()));
    let mut changed = m.sources[0].clone();
    changed.note = "Re-graded by the analyst.".into();
    apply(
        &mut pkgs[1],
        Command::SetSource {
            index: 0,
            source: changed.clone(),
        },
    );
    let report = merge(&m, &pkgs, &MergePolicy::default()).unwrap_err();
    assert_eq!(report.conflicts.len(), 1);
    assert!(matches!(&report.conflicts[0], Conflict::Source { incoming, .. } if incoming.id == changed.id));
    let out = merge(&m, &pkgs, &MergePolicy::prefer(Prefer::Master)).unwrap();
    assert_eq!(out.project.source(&new_source.id), Some(&new_source));
    assert_eq!(out.project.sources[0], m.sources[0]);
    assert_eq!(out.summary[0].sources_added, 1);
    let out = merge(&m, &pkgs, &MergePolicy::prefer(Prefer::Incoming)).unwrap();
    assert_eq!(out.project.sources[0], changed);
    // Same id, same content: fine.
    let again = merge(&out.project, &pkgs[..1], &MergePolicy::default()).unwrap();
    assert_eq!(again.project, out.project);
}

#[test]
fn round_two_merges_revisions_without_false_conflicts() {
    let m = master();
    let mut merged = merge(&m, &filled_packages(&m), &MergePolicy::default())
        .unwrap()
        .project;
    apply(
        &mut merged,
        Command::SetWorkshop {
            rule: ConsensusRule::Median,
            reveal_names: false,
            discussion: "We discussed the widest cells; definitions were clarified.".into(),
        },
    );
    apply(&mut merged, Command::StartRound { name: String::new() });
    assert_eq!(merged.workshop.rounds.len(), 1);
    // Round 2 packages start from each analyst's round-1 values.
    let mut pkg = make_package(&merged, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    assert_eq!(pkg.workshop.package.as_ref().unwrap().round, 2);
    assert!(pkg.workshop.discussion.contains("median"));
    assert!(pkg.workshop.discussion.contains("definitions were clarified"));
    assert_no_leak(&persist::to_canonical_string(&pkg), &merged, "analyst-1");
    // The analyst revises one cell and clears another.
    let mut keys = pkg.scores.keys().cloned();
    let (k1, k2) = (keys.next().unwrap(), keys.next().unwrap());
    let mut revised = pkg.scores[&k1].clone();
    revised.value = ScoreValue::Value(2.0);
    revised.rationale = "Moved to 2 after the discussion of the anchors.".into();
    apply(
        &mut pkg,
        Command::SetScores {
            cells: vec![(k1.clone(), Some(revised.clone())), (k2.clone(), None)],
        },
    );
    let out = merge(&merged, &[pkg], &MergePolicy::default()).unwrap();
    assert_eq!(out.summary[0].conflicts, 0);
    assert_eq!(out.summary[0].imported, 2);
    assert_eq!(out.project.scores.get(&k1), Some(&revised));
    assert_eq!(out.project.scores.get(&k2), None);
    // Round 1 is kept as it was.
    assert_eq!(out.project.workshop.rounds, merged.workshop.rounds);
}

// ───────────────────────────── the real binary ─────────────────────────────

fn ok(args: &[&str]) -> String {
    let o = run(args);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{args:?}\nstdout: {}\nstderr: {}",
        stdout(&o),
        stderr(&o)
    );
    stdout(&o)
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn load(p: &Path) -> Project {
    persist::load_path(p)
        .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
        .project
}

fn save(p: &Path, project: &Project) {
    persist::save_path(p, project).unwrap();
}

#[test]
fn cli_package_writes_one_file_per_analyst_and_refuses_to_overwrite() {
    let dir = tempfile::tempdir().unwrap();
    let master_path = dir.path().join("master.json");
    save(&master_path, &master());
    let out = dir.path().join("packages");
    let text = ok(&["package", s(&master_path), "--out-dir", s(&out)]);
    for (id, _) in ANALYSTS {
        let f = out.join(format!("{id}.json"));
        assert!(text.contains(s(&f)), "{text}");
        let pkg = load(&f);
        assert_eq!(pkg.workshop.package.as_ref().unwrap().analyst, id);
    }
    // Again without --force: refused, nothing rewritten.
    let o = run(&["package", s(&master_path), "--out-dir", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"), "{}", stderr(&o));
    // A subset, forced.
    let text = ok(&[
        "package",
        s(&master_path),
        "--out-dir",
        s(&out),
        "--analysts",
        "analyst-2",
        "--force",
        "--empty",
    ]);
    assert_eq!(text.lines().count(), 1, "{text}");
    // Unknown analyst: usage error, naming the known ones.
    let o = run(&["package", s(&master_path), "--out-dir", s(&out), "--analysts", "zed"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("analyst-1"), "{}", stderr(&o));
    // A package is not a master.
    let o = run(&[
        "package",
        s(&out.join("analyst-1.json")),
        "--out-dir",
        s(&dir.path().join("x")),
    ]);
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn cli_merge_refuses_conflicts_and_foreign_packages_and_obeys_prefer() {
    let dir = tempfile::tempdir().unwrap();
    let (m, pkgs, key) = conflicted();
    let master_path = dir.path().join("master.json");
    save(&master_path, &m);
    let mut files = Vec::new();
    for (i, p) in pkgs.iter().enumerate() {
        let f = dir.path().join(format!("p{i}.json"));
        save(&f, p);
        files.push(f);
    }
    let merged = dir.path().join("merged.json");
    let mut args = vec!["merge", s(&master_path)];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--out", s(&merged)]);

    let o = run(&args);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("1 conflict"), "{err}");
    assert!(
        err.contains(&format!("{} / {} / {}", key.analyst, key.mechanism, key.criterion)),
        "{err}"
    );
    assert!(!merged.exists(), "nothing is written on a conflict");

    let mut prefer = args.clone();
    prefer.extend(["--prefer", "master"]);
    let text = ok(&prefer);
    assert!(text.contains("decided for the master"), "{text}");
    assert_eq!(load(&merged).scores.get(&key), m.scores.get(&key));
    // Written once: refused without --force.
    let o = run(&prefer);
    assert_eq!(o.status.code(), Some(2));
    prefer.extend(["--prefer", "incoming", "--force"]);
    let o = run(&prefer);
    // clap refuses a repeated --prefer: a usage error.
    assert_eq!(o.status.code(), Some(2));
    let mut incoming = args.clone();
    incoming.extend(["--prefer", "incoming", "--force"]);
    ok(&incoming);
    assert_eq!(load(&merged).scores.get(&key), pkgs[0].scores.get(&key));

    // A package of another master.
    let mut other = m.clone();
    apply(&mut other, Command::AddMechanism(Mechanism::new("elsewhere", "Elsewhere")));
    let foreign = dir.path().join("foreign.json");
    save(
        &foreign,
        &make_package(&other, "analyst-1", &PackageOptions::default())
            .unwrap()
            .project,
    );
    let out2 = dir.path().join("merged2.json");
    let o = run(&["merge", s(&master_path), s(&foreign), "--out", s(&out2)]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("foreign.json"), "{err}");
    assert!(err.contains("another master"), "{err}");
    assert!(err.contains("mechanism \"elsewhere\""), "{err}");
    assert!(!out2.exists());
}

/// What an analyst does with their package: scores every cell (round 1) or revises a
/// few (later rounds), then saves.
fn analyst_scores(path: &Path, shift: i32, revise_only: usize) {
    let mut pkg = load(path);
    let me = pkg.workshop.package.as_ref().unwrap().analyst.clone();
    let mut cells = sheet(&pkg, &me, shift);
    if revise_only > 0 {
        cells.truncate(revise_only);
        for (k, s) in &mut cells {
            let s = s.as_mut().unwrap();
            let old = pkg.scores.get(k).and_then(|x| x.value.number()).unwrap_or(0.0);
            let v = if old >= 2.0 { old - 1.0 } else { old + 1.0 };
            s.value = ScoreValue::Value(v);
            s.rationale = format!("{me} moved from {old} to {v} after the discussion.");
        }
    }
    apply(&mut pkg, Command::SetScores { cells });
    save(path, &pkg);
}

#[test]
fn full_workshop_flow_through_the_binary() {
    let dir = tempfile::tempdir().unwrap();
    let master_path = dir.path().join("master.json");
    save(&master_path, &master());
    let r1 = dir.path().join("round-1");
    ok(&["package", s(&master_path), "--out-dir", s(&r1)]);
    let files: Vec<_> = ANALYSTS
        .iter()
        .map(|(id, _)| r1.join(format!("{id}.json")))
        .collect();
    for (i, f) in files.iter().enumerate() {
        analyst_scores(f, i as i32, 0);
    }
    let merged = dir.path().join("merged-1.json");
    let mut args = vec!["merge", s(&master_path)];
    args.extend(files.iter().map(|f| s(f)));
    args.extend(["--out", s(&merged)]);
    let text = ok(&args);
    assert!(text.contains("48 imported"), "{text}");
    // Merging the same files again into the result: nothing changes.
    let merged_again = dir.path().join("merged-1b.json");
    let mut again = vec!["merge", s(&merged)];
    again.extend(files.iter().map(|f| s(f)));
    again.extend(["--out", s(&merged_again)]);
    ok(&again);
    assert_eq!(load(&merged_again), load(&merged));
    assert_eq!(
        std::fs::read(&merged_again).unwrap(),
        std::fs::read(&merged).unwrap()
    );

    // The facilitator reviews the disagreement and starts round 2.
    let mut p = load(&merged);
    let round1 = p.scores.clone();
    assert!(cell_spreads(&p, &p.scores).iter().all(|c| c.stats.as_ref().unwrap().n == 3));
    apply(
        &mut p,
        Command::SetWorkshop {
            rule: ConsensusRule::Median,
            reveal_names: false,
            discussion: "Round 1 discussion: anchors of the concern criteria clarified.".into(),
        },
    );
    apply(&mut p, Command::StartRound { name: "Round 1 (blind)".into() });
    save(&master_path, &p);

    let r2 = dir.path().join("round-2");
    ok(&["package", s(&master_path), "--out-dir", s(&r2)]);
    let files2: Vec<_> = ANALYSTS
        .iter()
        .map(|(id, _)| r2.join(format!("{id}.json")))
        .collect();
    for f in &files2 {
        let pkg = load(f);
        assert_eq!(pkg.workshop.package.as_ref().unwrap().round, 2);
        assert!(pkg.workshop.discussion.contains("anchors of the concern criteria"));
    }
    for (i, f) in files2.iter().enumerate() {
        analyst_scores(f, i as i32, 5);
    }
    let merged2 = dir.path().join("merged-2.json");
    let mut args = vec!["merge", s(&master_path)];
    args.extend(files2.iter().map(|f| s(f)));
    args.extend(["--out", s(&merged2)]);
    let text = ok(&args);
    assert!(text.contains("5 imported, 43 unchanged, 0 conflicts"), "{text}");

    // Both rounds survive save and load.
    let p2 = load(&merged2);
    assert_eq!(p2.workshop.rounds.len(), 1);
    assert_eq!(p2.workshop.rounds[0].name, "Round 1 (blind)");
    assert_eq!(p2.workshop.rounds[0].scores, round1);
    assert!(p2.workshop.rounds[0].notes.contains("anchors"));
    assert_eq!(round_scores(&p2, Some(&p2.workshop.rounds[0].id)), Some(&round1));
    assert_ne!(p2.scores, round1);
    let changed = p2.scores.iter().filter(|(k, s)| round1.get(*k) != Some(*s)).count();
    assert_eq!(changed, 15);
    let text = persist::to_canonical_string(&p2);
    assert_eq!(text, std::fs::read_to_string(&merged2).unwrap());
    ok(&["validate", s(&merged2)]);
}
