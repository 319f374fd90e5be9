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
    keyed(p)
}

/// `p` with a package key, as the master has once its first packages are made.
fn keyed(mut p: Project) -> Project {
    if let Some(cmd) = package_key_command(&p) {
        apply(&mut p, cmd);
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
                    ..Score::default()
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
        assert!(
            !json.contains(&a.name),
            "{} leaks into {me}'s package",
            a.name
        );
    }
    let scored = [master.scores.iter().collect::<Vec<_>>()]
        .into_iter()
        .chain(
            master
                .workshop
                .rounds
                .iter()
                .map(|r| r.scores.iter().collect()),
        )
        .flatten();
    // From round 2 on, the others' reasons for the cells to discuss come anonymised
    // (docs/workshop.md, "Reasons between rounds"): a rationale may appear there, and
    // only there, and only a closed round's.
    let package = persist::load_str(json).unwrap().project;
    let reasons: Vec<&str> = package
        .workshop
        .package
        .as_ref()
        .map(|p| p.reasons.iter().map(|r| r.rationale.as_str()).collect())
        .unwrap_or_default();
    for r in &reasons {
        assert!(
            master.workshop.rounds.last().is_some_and(|round| round
                .scores
                .iter()
                .any(|(k, s)| k.analyst != me && s.rationale.trim() == *r)),
            "a reason in {me}'s package is not another analyst's rationale of the closed round: {r}"
        );
    }
    for (k, s) in scored {
        if k.analyst != me && !s.rationale.is_empty() && !reasons.contains(&s.rationale.trim()) {
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
        assert_eq!(
            (s.imported, s.unchanged, s.conflicts),
            (cells, 0, 0),
            "{s:?}"
        );
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
    assert!(
        again
            .summary
            .iter()
            .all(|s| s.imported == 0 && s.conflicts == 0)
    );
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
                ..Score::default()
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
    assert!(
        text.contains(&key.mechanism) && text.contains("facilitator"),
        "{text}"
    );
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
    assert_eq!(kept.project.scores.len(), incoming.project.scores.len());
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
    apply(
        &mut other,
        Command::AddMechanism(Mechanism::new("new-one", "A new one")),
    );
    let pkg = make_package(&other, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    let report = merge(&m, &[pkg], &MergePolicy::default()).unwrap_err();
    assert_eq!(report.problems.len(), 1, "{report}");
    let msg = &report.problems[0].message;
    assert!(msg.contains("another master"), "{msg}");
    assert!(
        msg.contains(&format!(
            "criterion \"{}\": scale 0–4 in the master, 0–5 in the package",
            c.id
        )),
        "{msg}"
    );
    assert!(
        msg.contains("mechanism \"new-one\" is in the package but not in the master"),
        "{msg}"
    );

    // A package whose framework was edited after it was made.
    let mut edited = make_package(&m, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    apply(
        &mut edited,
        Command::RemoveMechanism(m.mechanisms[0].id.clone()),
    );
    let report = merge(&m, &[edited], &MergePolicy::default()).unwrap_err();
    assert!(
        report.problems[0]
            .message
            .contains("changed after it was made"),
        "{report}"
    );
}

#[test]
fn other_refusals_are_named() {
    let m = master();
    let pkgs = filled_packages(&m);
    // The same analyst twice.
    let report = merge(
        &m,
        &[pkgs[0].clone(), pkgs[0].clone()],
        &MergePolicy::default(),
    )
    .unwrap_err();
    assert!(report.to_string().contains("imported twice"), "{report}");
    // Not a package at all.
    let report = merge(&m, std::slice::from_ref(&m), &MergePolicy::default()).unwrap_err();
    assert!(
        report.to_string().contains("not a scoring package"),
        "{report}"
    );
    // A package for round 1 after the master moved to round 2.
    let mut later = merge(&m, &pkgs, &MergePolicy::default()).unwrap().project;
    apply(
        &mut later,
        Command::StartRound {
            name: String::new(),
        },
    );
    let report = merge(&later, &pkgs, &MergePolicy::default()).unwrap_err();
    assert!(
        report
            .to_string()
            .contains("round 1, but the master is in round 2"),
        "{report}"
    );
    // A package smuggling another analyst's scores.
    let mut smuggler = pkgs[0].clone();
    let (k, s) = pkgs[1].scores.iter().next().unwrap();
    smuggler.scores.insert(k.clone(), s.clone());
    let report = merge(&m, &[smuggler], &MergePolicy::default()).unwrap_err();
    assert!(
        report
            .to_string()
            .contains("scores of other analysts (analyst-2)"),
        "{report}"
    );
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
        origin: Origin::Unknown,
        derived_from: None,
    };
    apply(&mut pkgs[0], Command::AddSource(new_source.clone()));
    // Another analyst adds the same id: same content is fine, different is a conflict.
    apply(&mut pkgs[1], Command::AddSource(new_source.clone()));
    let mut rival = new_source.clone();
    rival.reliability = Reliability::B;
    apply(&mut pkgs[2], Command::AddSource(rival.clone()));
    // An analyst's edit of a master source is not merged; it is listed.
    let mut regraded = m.sources[0].clone();
    regraded.note = "Re-graded by the analyst.".into();
    apply(
        &mut pkgs[1],
        Command::SetSource {
            index: 0,
            source: regraded,
        },
    );
    let report = merge(&m, &pkgs, &MergePolicy::default()).unwrap_err();
    assert_eq!(report.conflicts.len(), 1, "{report}");
    let c = &report.conflicts[0];
    assert!(matches!(c, Conflict::Source { incoming, from_package, .. }
        if incoming.id == new_source.id && from_package == "analyst-1"));
    assert!(
        c.to_string()
            .contains("analyst-1's and analyst-3's packages"),
        "{c}"
    );
    let out = merge(&m, &pkgs, &MergePolicy::prefer(Prefer::Master)).unwrap();
    assert_eq!(out.project.source(&new_source.id), Some(&new_source));
    assert_eq!(out.project.sources[0], m.sources[0]);
    assert_eq!(out.summary[0].sources_added, 1);
    assert!(
        out.summary[1]
            .ignored
            .iter()
            .any(|i| i.contains(&m.sources[0].id))
    );
    let taken = merge(&m, &pkgs, &MergePolicy::prefer(Prefer::Incoming)).unwrap();
    assert_eq!(taken.project.source(&new_source.id), Some(&rival));
    // Merging the same files again, with the same policy, changes nothing.
    for policy in [Prefer::Master, Prefer::Incoming] {
        let first = merge(&m, &pkgs, &MergePolicy::prefer(policy))
            .unwrap()
            .project;
        let again = merge(&first, &pkgs, &MergePolicy::prefer(policy))
            .unwrap()
            .project;
        assert_eq!(again, first);
    }
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
    apply(
        &mut merged,
        Command::StartRound {
            name: String::new(),
        },
    );
    assert_eq!(merged.workshop.rounds.len(), 1);
    // Round 2 packages start from each analyst's round-1 values.
    let mut pkg = make_package(&merged, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    assert_eq!(pkg.workshop.package.as_ref().unwrap().round, 2);
    assert!(pkg.workshop.discussion.contains("median"));
    assert!(
        pkg.workshop
            .discussion
            .contains("definitions were clarified")
    );
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
    let o = run(&[
        "package",
        s(&master_path),
        "--out-dir",
        s(&out),
        "--analysts",
        "zed",
    ]);
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
        err.contains(&format!(
            "{} / {} / {}",
            key.analyst, key.mechanism, key.criterion
        )),
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
    apply(
        &mut other,
        Command::AddMechanism(Mechanism::new("elsewhere", "Elsewhere")),
    );
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
            let old = pkg
                .scores
                .get(k)
                .and_then(|x| x.value.number())
                .unwrap_or(0.0);
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
    assert!(
        cell_spreads(&p, &p.scores)
            .iter()
            .all(|c| c.stats.as_ref().unwrap().n == 3)
    );
    apply(
        &mut p,
        Command::SetWorkshop {
            rule: ConsensusRule::Median,
            reveal_names: false,
            discussion: "Round 1 discussion: anchors of the concern criteria clarified.".into(),
        },
    );
    apply(
        &mut p,
        Command::StartRound {
            name: "Round 1 (blind)".into(),
        },
    );
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
        assert!(
            pkg.workshop
                .discussion
                .contains("anchors of the concern criteria")
        );
    }
    for (i, f) in files2.iter().enumerate() {
        analyst_scores(f, i as i32, 5);
    }
    let merged2 = dir.path().join("merged-2.json");
    let mut args = vec!["merge", s(&master_path)];
    args.extend(files2.iter().map(|f| s(f)));
    args.extend(["--out", s(&merged2)]);
    let text = ok(&args);
    assert!(
        text.contains("5 imported, 43 unchanged, 0 conflicts"),
        "{text}"
    );

    // Both rounds survive save and load.
    let p2 = load(&merged2);
    assert_eq!(p2.workshop.rounds.len(), 1);
    assert_eq!(p2.workshop.rounds[0].name, "Round 1 (blind)");
    assert_eq!(p2.workshop.rounds[0].scores, round1);
    assert!(p2.workshop.rounds[0].notes.contains("anchors"));
    assert_eq!(
        round_scores(&p2, Some(&p2.workshop.rounds[0].id)),
        Some(&round1)
    );
    assert_ne!(p2.scores, round1);
    let changed = p2
        .scores
        .iter()
        .filter(|(k, s)| round1.get(*k) != Some(*s))
        .count();
    assert_eq!(changed, 15);
    let text = persist::to_canonical_string(&p2);
    assert_eq!(text, std::fs::read_to_string(&merged2).unwrap());
    ok(&["validate", s(&merged2)]);
}

// ───────────────────────────── the workshop sample ─────────────────────────────

/// `sample_projects/workshop-demo.json` is generated by `demo::build()` from the
/// bundled sample, deterministically. To regenerate it after a change here:
/// `WRITE_WORKSHOP_DEMO=1 cargo test --test workshop workshop_demo`.
mod demo {
    use super::*;
    use policy_workbench::compute::agreement::cell_stats;

    pub const MECHANISMS: [&str; 9] = [
        "unpol",
        "interpol",
        "lianyungang-forum",
        "mekong-joint-patrols",
        "europol-agreement",
        "extradition-treaties",
        "police-training",
        "overseas-police-stations",
        "fox-hunt-sky-net",
    ];

    pub const ANALYSTS: [(&str, &str, &str); 5] = [
        (
            "analyst-1",
            "Analyst 1 (think tank)",
            "Fictional workshop participant: a generalist researcher at a think tank.",
        ),
        (
            "analyst-2",
            "Analyst 2 (human-rights NGO)",
            "Fictional workshop participant: researches transnational repression for an NGO.",
        ),
        (
            "analyst-3",
            "Analyst 3 (former police liaison officer)",
            "Fictional workshop participant: served as a police liaison officer abroad.",
        ),
        (
            "analyst-4",
            "Analyst 4 (sinologist)",
            "Fictional workshop participant: a university specialist of Chinese politics.",
        ),
        (
            "analyst-5",
            "Analyst 5 (EU policy officer)",
            "Fictional workshop participant: follows EU-China security relations.",
        ),
    ];

    /// One fact per mechanism and criterion (criteria in framework order), in our words.
    const FACTS: [(&str, [&str; 12]); 9] = [
        (
            "unpol",
            [
                "Peacekeeping policing rests on UN mandates that 129 contributing countries share",
                "China has sent over 2,700 officers since 2000 and runs its own peacekeeping police training centre",
                "UNPOL is a standing UN body whose headquarters employs about 30 Chinese officers",
                "The missions rebuild host-state police and protect Chinese nationals only indirectly",
                "Chinese officers served in eight host countries and China says it trained over 1,000 foreign peacekeeping police",
                "Peacekeeping feeds official messaging about a responsible China, though the paper does not measure its echo at home",
                "Two senior Chinese officers sit on UNPOL's management roster and China paid for the 2022 Chiefs of Police Summit",
                "China trains other countries' peacekeeping police at home, but the paper does not say what the courses teach",
                "Apart from funding a summit and courses, no equipment or loans flow through UNPOL",
                "Deployments happen under UN mandates and with the host state's consent",
                "The paper reports no abuses, although most deployed officers come from the People's Armed Police",
                "UN figures are public, but China's own training claims are not broken down and its 2022 figures do not add up",
            ],
        ),
        (
            "interpol",
            [
                "INTERPOL counts 195 members and Beijing hosted its 2017 General Assembly with delegates from 156 countries",
                "China's statutory contribution rose by 86% between 2017 and 2021 and it funds several operational programmes",
                "INTERPOL is a permanent organisation with a General Assembly, an Executive Committee and national bureaus",
                "INTERPOL serves to locate and arrest suspects rather than to protect Chinese nationals abroad",
                "Chinese voluntary funding backs programmes on terrorism, cybercrime, fraud and trafficking that serve all members",
                "Notices on fugitives support the anti-corruption campaign that the authorities publicise at home",
                "China held the presidency from 2016, won an Executive Committee seat in 2021 and became the fourth-largest statutory contributor",
                "Xi Jinping used the 2017 assembly to call for reform of security governance, yet INTERPOL's rules did not change",
                "Voluntary funds from Chinese bodies and firms finance specific projects inside a budget with many donors",
                "Red notices ask other states to detain people China accuses, which causes friction when the charges look political",
                "NGOs accuse China of misusing red notices to bring back people whose offences turned out to be political",
                "Contributions are published, red-notice use is not, and the president's disappearance in 2018 was never explained",
            ],
        ),
        (
            "lianyungang-forum",
            [
                "The China-founded forum drew police from every continent, the INTERPOL president and the internal security ministers of five countries in 2022",
                "The forum announces five cooperation platforms, but the paper gives no budget and no shared legal text",
                "It has met in recurring editions since 2015 and was relaunched in 2022 under the Ministry of Public Security",
                "Its fifth edition was first meant to secure the Silk Road in Central Asia, and the one private firm invited guards Chinese companies abroad",
                "Partners are offered coordination and training platforms, with no documented result for them",
                "The paper does not say whether the Chinese public knows of the forum or cares about it",
                "China created the forum and its ministry runs it, which gives Beijing the agenda",
                "A meeting of over 100 police academy heads took place alongside the 2022 conference, a channel for Chinese doctrine",
                "Chinese security equipment and technology were showcased to participants, with no evidence of purchases",
                "It is a voluntary conference held on Chinese soil, with no friction reported",
                "The paper lists the forum among the information channels of Fox Hunt and Sky Net, though no case is traced to it",
                "The official website went offline and the 2022 conference never appeared on it",
            ],
        ),
        (
            "mekong-joint-patrols",
            [
                "A December 2011 agreement among four riparian states gives the patrols their legal basis",
                "The partners ran 125 patrols by January 2023 with 12 boats and about 2,700 personnel",
                "A joint headquarters in Xishuangbanna has coordinated the patrols since 2011",
                "The patrols were created after thirteen Chinese sailors were murdered on the river",
                "The patrols fight cross-border crime on a river that Laos, Myanmar and Thailand share with China",
                "The hunt for Naw Kham (Nam Kaw in the paper) was followed closely in China and became a 2014 television series",
                "China hosts the patrols' headquarters in Xishuangbanna, but the paper does not say it commands the joint units",
                "The paper describes operations, not the spread of Chinese norms or training",
                "The paper does not say who provides the boats and crews",
                "The patrols rest on a treaty, yet over 200 Chinese officers joined the manhunt abroad",
                "Naw Kham, the drug lord behind the killings, was extradited to China and sentenced to death",
                "Xinhua publicises the number of patrols and the assets involved",
            ],
        ),
        (
            "europol-agreement",
            [
                "EU-China police cooperation took shape in 2014 and produced a strategic agreement in 2017",
                "The signed agreement sets the purpose, scope and rules for exchanging information",
                "Contact points and regular consultations exist, but no liaison office",
                "The agreement targets organised crime and terrorism, not the protection of Chinese nationals",
                "It helps EU law enforcement against organised crime and terrorism",
                "The paper says nothing about how the agreement is perceived in China",
                "China is one of many EUROPOL partners and one of EUROJUST's 60 contact points",
                "China received European police training rather than shaping EU norms",
                "No equipment or funding is part of the agreement",
                "Both sides negotiated the agreement and consented to it",
                "Sharing operational data with the Ministry of Public Security carries the general risk of political charges",
                "The text of the agreement is public",
            ],
        ),
        (
            "extradition-treaties",
            [
                "China has extradition treaties with 45 states, seven of them in Europe, and its African network grew quickly",
                "Some 45 treaties were ratified by December 2022 on the basis of the 2000 Extradition Law",
                "Each extradition runs case by case through treaty channels, with no standing body",
                "Extradition brings suspects back to China rather than protecting nationals abroad",
                "Partners gain a legal route to recover their own fugitives, though the paper cites no case",
                "Returns of scam operators and corruption suspects support the image of a protective state at home",
                "No international or regional body is attached to these bilateral treaties",
                "African treaties rose from one in 2018 to thirteen in 2021, spreading China's punitive reading of extradition",
                "Treaties are legal instruments with no material component",
                "The treaties are formal and both states consented to them",
                "NGOs warn that the treaties can serve to return people accused of political crimes",
                "The number of treaties is known but individual cases rarely are",
            ],
        ),
        (
            "police-training",
            [
                "Training is offered across Asia, Africa and Central Asia, often under framework agreements",
                "China has 37 police universities and colleges, and 25 institutions take part in its international programme",
                "Programmes are structured and the People's Public Security University holds a yearly international forum",
                "Some courses teach Chinese to officers who deal with Chinese nationals abroad",
                "Over 2,000 African officers were trained in 2018-2021, besides courses for Kyrgyzstan, Rwanda, Myanmar and Laos",
                "The paper says nothing about how training foreigners is presented to the Chinese public",
                "Police academies host international gatherings, including over 100 academy directors in 2022",
                "Courses present the Chinese judicial system, laws and policing methods to foreign officers",
                "Generous Chinese funding makes the courses attractive, and 5,000 more places were pledged in 2023",
                "Training takes place with the partner's consent, mostly in China",
                "Chinese policing practice is taught to forces of states with weak rights records",
                "Several figures are estimates and the curricula are outlined rather than published",
            ],
        ),
        (
            "overseas-police-stations",
            [
                "No agreement was made with host states, and several closed the stations once they were exposed",
                "Local Chinese public security bureaus run them through associations, with no legal basis shared with hosts",
                "The stations form a network of outposts run by local bureaus and backed by online services in China",
                "China presents them as help with paperwork such as driving licences, which is at most incidental protection",
                "Host states were not partners and shut the stations down",
                "Chinese state media hailed the first Nantong centre of 2016 as a policing innovation",
                "No international or regional body is involved",
                "They assert Chinese administrative reach over nationals living abroad",
                "No equipment, loans or funding reaches any host state through them",
                "The Netherlands, Ireland, New York City and Germany closed stations, and the US charged two people in 2023",
                "NGO reports describe pressure on Chinese nationals in Europe and North America through these stations",
                "The stations were deliberately vague, and their photographs vanished after the NGO reports",
            ],
        ),
        (
            "fox-hunt-sky-net",
            [
                "The operations have no dedicated framework and strained relations with the United States",
                "They mobilise the ministry, prosecutors, the discipline commission and the Bank of China, on a contested basis abroad",
                "A national campaign acts abroad through ad hoc and informal channels",
                "The campaigns target nationals abroad rather than protect them",
                "The paper accepts that pursuing fugitives can be legitimate, but the operations serve China's own aims",
                "They are part of the anti-corruption drive that the authorities advertise at home",
                "They use INTERPOL and regional forums as channels without a role of their own in them",
                "They push China's definitions of corruption and repatriation and a punitive approach",
                "These operations target individuals and create no material dependence",
                "In 2015 Washington asked Beijing to stop sending agents on tourist or business visas to arrest people",
                "NGOs report pressure on families, harassment and abductions to force so-called voluntary returns",
                "Much of the activity abroad goes unpublicised and runs through informal networks",
            ],
        ),
    ];

    /// The genuine splits of round 1: (mechanism, criterion, the five scores, why the
    /// group moved in round 2).
    const SPLITS: [(&str, &str, [u8; 5], &str); 6] = [
        (
            "interpol",
            "human-rights-risk",
            [2, 4, 1, 3, 4],
            "the group separated INTERPOL's own safeguards from China's documented use of red notices and rated the latter",
        ),
        (
            "lianyungang-forum",
            "norms-concepts",
            [2, 3, 1, 4, 4],
            "the academy directors' meeting shows an intent to spread doctrine but no proven uptake",
        ),
        (
            "mekong-joint-patrols",
            "sovereignty-friction",
            [1, 3, 0, 2, 3],
            "the patrols are consented by treaty and the manhunt abroad was a single episode",
        ),
        (
            "police-training",
            "norms-concepts",
            [3, 4, 2, 4, 2],
            "the curricula plainly present Chinese law and methods, which meets the marked-influence anchor",
        ),
        (
            "unpol",
            "institutions",
            [3, 1, 3, 3, 1],
            "posts at headquarters and the summit funding show a contributor that shapes part of the agenda",
        ),
        (
            "extradition-treaties",
            "partner-states",
            [2, 0, 3, 1, 3],
            "partners gain a legal route to recover their own fugitives even though the paper gives no cases",
        ),
    ];

    /// Why a discussed cell moved, by criterion (for cells other than the splits).
    fn criterion_reason(c: &str) -> &'static str {
        match c {
            "geopolitical" => {
                "the group agreed to judge the setting by the agreements in force, not by declarations"
            }
            "resources-norms" => {
                "the group agreed to count only the resources and legal texts the paper documents"
            }
            "organisation" => {
                "the anchors were read strictly, so a standing structure needs regular meetings or a secretariat"
            }
            "citizens-abroad" => "the group separated protecting nationals from pursuing them",
            "partner-states" => {
                "the group agreed to credit only benefits that partners actually receive"
            }
            "domestic-population" => {
                "the group agreed to score domestic visibility only where the paper shows coverage in China"
            }
            "institutions" => {
                "the group agreed that posts and hosting count while funding alone does not"
            }
            "norms-concepts" => {
                "the group agreed to look for uptake of Chinese definitions, not only their promotion"
            }
            "material-dependence" => {
                "the group agreed that showcasing equipment is not yet dependence"
            }
            "sovereignty-friction" => {
                "the group agreed that consented cooperation is low friction unless a host protested"
            }
            "human-rights-risk" => {
                "the group agreed to weigh NGO allegations by how specific and corroborated they are"
            }
            _ => {
                "the group agreed that published texts count as openness even when cases stay undisclosed"
            }
        }
    }

    /// The one analyst who keeps their score on a split, with the dissent note.
    const DISSENT: (&str, &str, usize, &str) = (
        "interpol",
        "human-rights-risk",
        1,
        "Analyst 2 (human-rights NGO) keeps 4: the documented red-notice cases are frequent enough to count as a high risk whatever INTERPOL's safeguards.",
    );

    /// Domestic-population scores of the sinologist where the reference did not assess:
    /// the score, the source it rests on and what she read in it (her own reading, not
    /// the paper's).
    fn sinologist_domestic(m: &str) -> Option<(u8, &'static str, &'static str)> {
        match m {
            "unpol" => Some((
                2,
                "uncops-china-2022",
                "China's minister presented its peacekeeping record at the 2022 UN summit as the work of a responsible power, a message made for audiences at home as much as abroad",
            )),
            "lianyungang-forum" => Some((
                1,
                "xinhua-2022-12-01",
                "Xinhua covered the 2022 relaunch, but the forum is a specialist event that gets little attention beyond official outlets",
            )),
            "police-training" => Some((
                2,
                "gsi-paper-2023",
                "The Global Security Initiative paper advertises training places for developing countries as part of China's offer to the world, a theme of official messaging",
            )),
            _ => None,
        }
    }

    /// Cells whose fact states an absence: no analyst scores them above the reference,
    /// so no rationale pairs "there is none" with a higher anchor.
    const CAPPED: [(&str, &str); 19] = [
        ("unpol", "material-dependence"),
        ("interpol", "citizens-abroad"),
        ("lianyungang-forum", "human-rights-risk"),
        ("lianyungang-forum", "resources-norms"),
        ("lianyungang-forum", "partner-states"),
        ("lianyungang-forum", "material-dependence"),
        ("lianyungang-forum", "sovereignty-friction"),
        ("mekong-joint-patrols", "institutions"),
        ("mekong-joint-patrols", "norms-concepts"),
        ("europol-agreement", "citizens-abroad"),
        ("europol-agreement", "material-dependence"),
        ("extradition-treaties", "citizens-abroad"),
        ("extradition-treaties", "material-dependence"),
        ("overseas-police-stations", "geopolitical"),
        ("overseas-police-stations", "citizens-abroad"),
        ("overseas-police-stations", "partner-states"),
        ("overseas-police-stations", "material-dependence"),
        ("fox-hunt-sky-net", "geopolitical"),
        ("fox-hunt-sky-net", "material-dependence"),
    ];

    fn is_concern(c: &str) -> bool {
        matches!(c, "sovereignty-friction" | "human-rights-risk" | "opacity")
    }

    /// An analyst's round-1 value: the reference moved by their leaning and a little
    /// noise, at most one step either way; never above the reference where the fact
    /// states an absence, and never below it on a concern of a mechanism the reference
    /// finds opaque (little being known is not evidence that the concern is small).
    fn nudged(a: usize, m: &str, c: &str, v: f64, opaque: bool) -> f64 {
        let step = (leaning(a, m, c) + noise(a, m, c)).clamp(-1, 1);
        let mut new = (v as i32 + step).clamp(0, 4);
        if CAPPED.contains(&(m, c)) {
            new = new.min(v as i32);
        }
        if opaque && is_concern(c) {
            new = new.max(v as i32);
        }
        f64::from(new)
    }

    fn fnv(s: &str) -> u64 {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in s.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        h
    }

    /// Each analyst's leaning on a criterion (and, for the EU officer, a mechanism).
    fn leaning(a: usize, m: &str, c: &str) -> i32 {
        let concern = is_concern(c);
        match a {
            1 if concern => 1,
            1 if c == "partner-states" => -1,
            2 if matches!(c, "citizens-abroad" | "partner-states" | "organisation") => 1,
            2 if matches!(c, "human-rights-risk" | "opacity") => -1,
            3 if matches!(c, "norms-concepts" | "domestic-population") => 1,
            3 if c == "material-dependence" => -1,
            4 if c == "sovereignty-friction"
                && matches!(
                    m,
                    "interpol"
                        | "europol-agreement"
                        | "overseas-police-stations"
                        | "fox-hunt-sky-net"
                ) =>
            {
                1
            }
            4 if c == "geopolitical" => -1,
            _ => 0,
        }
    }

    fn noise(a: usize, m: &str, c: &str) -> i32 {
        match fnv(&format!("{a}|{m}|{c}")) % 8 {
            0 => -1,
            1 => 1,
            _ => 0,
        }
    }

    fn label(p: &Project, c: &str, v: f64) -> String {
        p.framework
            .criterion(c)
            .and_then(|k| k.scale.anchor(v))
            .map_or_else(|| format_value(v), |a| a.label.to_lowercase())
    }

    /// Why an analyst reads a cell above or below the reference: a reason about the
    /// mechanism, never about how much evidence there is (that is confidence).
    fn why(a: usize, c: &str, ord: std::cmp::Ordering) -> &'static str {
        use std::cmp::Ordering::{Greater, Less};
        match (is_concern(c), ord, a) {
            (false, Greater, 0) => {
                ", a notch above the reference because I credit what the mechanism is built to do as well as what it has done"
            }
            (false, Greater, 1) => {
                ", as the record here is better than the mechanism's critics allow"
            }
            (false, Greater, 2) => {
                ", because in practice such arrangements carry more day-to-day work than the paper describes"
            }
            (false, Greater, 3) => {
                ", since official discourse presents it as a model and that framing is part of what it achieves"
            }
            (false, Greater, _) => ", as European partners experience it",
            (false, Less, 0) => {
                ", a notch below because I count what the paper shows was done, not what was announced"
            }
            (false, Less, 1) => ", since what partners gain comes second to China's own aims",
            (false, Less, 2) => ", as it looks smaller from inside the cooperation",
            (false, Less, 3) => ", because the substance is thinner than the rhetoric",
            (false, Less, _) => ", given how little of it reaches European partners",
            (true, Greater, 0) => {
                ", a notch above the reference because the design leaves room for more than the recorded cases"
            }
            (true, Greater, 1) => {
                ", given the pattern NGO investigations document in China's pursuit of people abroad"
            }
            (true, Greater, 2) => {
                ", because practitioners meet this strain more often than the paper records"
            }
            (true, Greater, 3) => ", since official discourse itself claims this reach",
            (true, Greater, _) => ", as European governments experience it",
            (true, Less, 0) => {
                ", a notch below because the mechanism's own safeguards count for me"
            }
            (true, Less, 1) => ", as nothing ties this mechanism to the abuses NGOs document",
            (true, Less, 2) => ", as it looks smaller from inside the cooperation",
            (true, Less, 3) => {
                ", because official texts bind it more tightly than its critics assume"
            }
            (true, Less, _) => ", given how little of it touches European partners",
            (_, std::cmp::Ordering::Equal, _) => "",
        }
    }

    /// One sentence in the analyst's voice, grounded in the fact: the fact first, as
    /// written (proper names keep their capitals), then the analyst's value and anchor.
    fn rationale(
        p: &Project,
        a: usize,
        c: &str,
        fact: &str,
        v: Option<f64>,
        reference: Option<f64>,
    ) -> String {
        let Some(v) = v else {
            return match a {
                0 => format!("{fact}, so the criterion does not apply."),
                1 => format!("{fact}; not applicable in my reading."),
                2 => format!("{fact}, which makes this criterion irrelevant here."),
                3 => format!("{fact}; I mark it not applicable."),
                _ => format!("{fact}, hence not applicable."),
            };
        };
        let l = label(p, c, v);
        let n = format_value(v);
        let ord = reference.map_or(std::cmp::Ordering::Equal, |r| v.total_cmp(&r));
        let why = why(a, c, ord);
        match a {
            0 if why.is_empty() => format!("{fact}, which fits the anchor '{l}' ({n})."),
            0 => format!("{fact}; I score it {n}, '{l}'{why}."),
            1 => format!("{fact}; from a rights perspective I put it at {n}, '{l}'{why}."),
            2 => format!("{fact}; from operational experience I put it at {n}, '{l}'{why}."),
            3 => format!("{fact}; read against official discourse, it is {n}, '{l}'{why}."),
            _ => format!("{fact}; seen from Brussels, it is {n}, '{l}'{why}."),
        }
    }

    fn revised(a: usize, old: f64, new: f64, reason: &str) -> String {
        let (o, n) = (format_value(old), format_value(new));
        match a {
            0 => format!("Revised from {o} to {n} after the discussion: {reason}."),
            1 => format!("I moved from {o} to {n} in round 2 because {reason}."),
            2 => format!("Round 2 change from {o} to {n}, since {reason}."),
            3 => format!("After the group discussion I went from {o} to {n}: {reason}."),
            _ => format!("Changed from {o} to {n} on reflection, as {reason}."),
        }
    }

    fn fact(m: &str, ci: usize) -> &'static str {
        FACTS
            .iter()
            .find(|(id, _)| *id == m)
            .expect("a fact row per mechanism")
            .1[ci]
    }

    /// The round-1 sheet of analyst `a`.
    fn round1(p: &Project, reference: &Project, a: usize) -> Vec<(ScoreKey, Option<Score>)> {
        let id = ANALYSTS[a].0;
        let mut cells = Vec::new();
        for m in MECHANISMS {
            for (ci, c) in criteria(p).iter().enumerate() {
                let r = reference
                    .score("reference", m, c)
                    .expect("the sample scores every cell");
                let split = SPLITS.iter().find(|s| s.0 == m && s.1 == c);
                let opaque = reference
                    .score("reference", m, "opacity")
                    .and_then(|o| o.value.number())
                    .is_some_and(|o| o >= 3.0);
                let own = (a == 3 && c == "domestic-population")
                    .then(|| sinologist_domestic(m))
                    .flatten();
                let (value, fact, sources) = match (r.value, split, own) {
                    (_, Some(s), _) => (
                        ScoreValue::Value(f64::from(s.2[a])),
                        fact(m, ci),
                        r.sources.clone(),
                    ),
                    (ScoreValue::Value(v), None, _) => (
                        ScoreValue::Value(nudged(a, m, c, v, opaque)),
                        fact(m, ci),
                        r.sources.clone(),
                    ),
                    (ScoreValue::NotApplicable, None, _) => {
                        (ScoreValue::NotApplicable, fact(m, ci), r.sources.clone())
                    }
                    (ScoreValue::NotAssessed, None, Some((v, source, read))) => (
                        ScoreValue::Value(f64::from(v)),
                        read,
                        vec![source.to_string()],
                    ),
                    (ScoreValue::NotAssessed, None, None) => continue,
                };
                let basis = if sources == r.sources {
                    r.basis
                } else {
                    p.suggested_basis(&sources)
                };
                cells.push((
                    ScoreKey::new(id, m, c),
                    Some(Score {
                        value,
                        rationale: rationale(p, a, c, fact, value.number(), r.value.number()),
                        confidence: r.confidence,
                        sources,
                        basis,
                        ..Score::default()
                    }),
                ));
            }
        }
        cells
    }

    fn discussed(
        p: &Project,
        scores: &std::collections::BTreeMap<ScoreKey, Score>,
    ) -> Vec<(String, String, f64)> {
        cell_spreads(p, scores)
            .into_iter()
            .filter_map(|c| {
                let s = c.stats?;
                s.needs_discussion()
                    .then_some((c.mechanism, c.criterion, s.median))
            })
            .collect()
    }

    fn cell_name(p: &Project, m: &str, c: &str) -> String {
        format!(
            "{} — {}",
            p.mechanism(m).unwrap().name,
            p.framework.criterion(c).unwrap().name
        )
    }

    fn apply_all(p: &mut Project, cmds: Vec<Command>) {
        for c in cmds {
            apply(p, c);
        }
    }

    pub fn build() -> Project {
        let reference = persist::load_path(&sample_path()).unwrap().project;
        let mut p = reference.clone();
        let drop: Vec<String> = p
            .mechanisms
            .iter()
            .filter(|m| !MECHANISMS.contains(&m.id.as_str()))
            .map(|m| m.id.clone())
            .collect();
        let mut cmds: Vec<Command> = drop.into_iter().map(Command::RemoveMechanism).collect();
        cmds.extend(
            p.scenarios
                .iter()
                .map(|s| Command::RemoveScenario(s.id.clone())),
        );
        cmds.extend(p.notes.iter().map(|n| Command::RemoveNote(n.id.clone())));
        cmds.push(Command::RemoveAnalyst("reference".into()));
        apply_all(&mut p, cmds);
        // Keep the sources the nine mechanisms cite.
        let cited: std::collections::BTreeSet<String> = p
            .mechanisms
            .iter()
            .flat_map(|m| m.facts.iter().flat_map(|f| f.sources.iter().cloned()))
            .chain(
                reference
                    .scores
                    .iter()
                    .filter(|(k, _)| MECHANISMS.contains(&k.mechanism.as_str()))
                    .flat_map(|(_, s)| s.sources.iter().cloned()),
            )
            .collect();
        let unused: Vec<Command> = p
            .sources
            .iter()
            .filter(|s| !cited.contains(&s.id))
            .map(|s| Command::RemoveSource(s.id.clone()))
            .collect();
        apply_all(&mut p, unused);
        apply(
            &mut p,
            Command::SetInfo(ProjectInfo {
                title: "Workshop demo: China's international police cooperation (sample)".into(),
                description: "A fictional two-round workshop on nine mechanisms of the sample, for trying the disagreement view, agreement statistics, scoring packages and merges. Five invented analysts scored blind in round 1, discussed the widest disagreements, revised in round 2, and the group recorded a consensus for the contested cells. Illustrative, for teaching; not findings of the paper or of IRSEM.".into(),
                author: "Policy Workbench sample".into(),
                created: "2026-11-26".into(),
                modified: "2026-11-26".into(),
            }),
        );
        apply(
            &mut p,
            Command::AddNote(Note {
                id: "about-this-demo".into(),
                title: "About this workshop demo".into(),
                text: "The workshop, its participants and their scores are invented. Scores were generated around the sample's reference scoring with a leaning per participant (more severe on concerns, more generous on responsibility, more attentive to discourse, or to European interests), at most one step from the reference and never above it where the fact records an absence, and six genuine splits; each rationale paraphrases one fact of the paper and gives a reason about the mechanism, not about how much evidence there is (that is what confidence says). The sinologist also scores three cells the reference leaves not assessed, each from a source she cites. Round 1 is kept under the workshop's rounds with its discussion notes; the current scores are round 2, where the contested cells converged. The consensus (median rule, fixed before round 1) is recorded with its spread for the six split cells.".into(),
            }),
        );
        for (id, name, note) in ANALYSTS {
            apply(
                &mut p,
                Command::AddAnalyst(Analyst {
                    id: id.into(),
                    name: name.into(),
                    note: note.into(),
                }),
            );
        }

        // The packages are sealed with a key of the demo's own (random keys would
        // make the sample change on every run); it is removed at the end, so the
        // sample holds none and its first real packages record a fresh one.
        apply(
            &mut p,
            Command::SetPackageKey(Some("00000000000000000000000000000001".into())),
        );

        // Round 1: blind packages, scored alone, merged back.
        let pkgs: Vec<Project> = (0..ANALYSTS.len())
            .map(|a| {
                let mut pkg = make_package(&p, ANALYSTS[a].0, &PackageOptions::default())
                    .unwrap()
                    .project;
                let cells = round1(&pkg, &reference, a);
                apply(&mut pkg, Command::SetScores { cells });
                pkg
            })
            .collect();
        p = merge(&p, &pkgs, &MergePolicy::default()).unwrap().project;
        let r1 = p.scores.clone();
        let hot = discussed(&p, &r1);
        let mut notes = format!(
            "Discussion of round 1 (anonymised). {} cells showed wide disagreement (middle half 2 or more points apart, or fewer than 75% within one point of the median); the group discussed what each anchor requires and which evidence counts, without asking anyone to change.",
            hot.len()
        );
        for (m, c, _) in &hot {
            let s = cell_stats(
                &r1.iter()
                    .filter(|(k, _)| &k.mechanism == m && &k.criterion == c)
                    .filter_map(|(_, s)| s.value.number())
                    .collect::<Vec<_>>(),
            )
            .unwrap();
            let reason = SPLITS
                .iter()
                .find(|x| x.0 == m && x.1 == c)
                .map_or_else(|| criterion_reason(c), |x| x.3);
            notes.push_str(&format!(
                "\n- {}: median {}, middle half {}–{}. Point made: {reason}.",
                cell_name(&p, m, c),
                format_value(s.median),
                format_value(s.q1),
                format_value(s.q3)
            ));
        }
        apply(
            &mut p,
            Command::SetWorkshop {
                rule: ConsensusRule::Median,
                reveal_names: false,
                discussion: notes,
            },
        );
        apply(
            &mut p,
            Command::StartRound {
                name: "Round 1 (blind)".into(),
            },
        );

        // Round 2: each analyst revises the discussed cells in their own package.
        let mut moved = 0;
        let pkgs: Vec<Project> = (0..ANALYSTS.len())
            .map(|a| {
                let id = ANALYSTS[a].0;
                let mut pkg = make_package(&p, id, &PackageOptions::default())
                    .unwrap()
                    .project;
                let mut cells = Vec::new();
                for (m, c, median) in &hot {
                    let key = ScoreKey::new(id, m, c);
                    let Some(old) = pkg.scores.get(&key).cloned() else {
                        continue;
                    };
                    let Some(v) = old.value.number() else {
                        continue;
                    };
                    if (DISSENT.0, DISSENT.1, DISSENT.2) == (m.as_str(), c.as_str(), a) {
                        continue;
                    }
                    let target = median.round();
                    let gap = target - v;
                    let new = if gap.abs() >= 2.0 {
                        v + gap.signum() * (gap.abs() - 1.0)
                    } else if gap.abs() == 1.0 && fnv(&format!("{a}|{m}|{c}|r2")).is_multiple_of(2)
                    {
                        target
                    } else {
                        continue;
                    };
                    let reason = SPLITS
                        .iter()
                        .find(|x| x.0 == m && x.1 == c)
                        .map_or_else(|| criterion_reason(c), |x| x.3);
                    let mut s = old.clone();
                    s.value = ScoreValue::Value(new);
                    s.rationale = revised(a, v, new, reason);
                    cells.push((key, Some(s)));
                }
                moved += cells.len();
                if !cells.is_empty() {
                    apply(&mut pkg, Command::SetScores { cells });
                }
                pkg
            })
            .collect();
        p = merge(&p, &pkgs, &MergePolicy::default()).unwrap().project;
        let still = discussed(&p, &p.scores).len();

        // The consensus of the split cells, with its spread, and one dissent.
        let mut consensus = Vec::new();
        for (m, c, _, _) in SPLITS {
            let values: Vec<f64> = p
                .scores
                .iter()
                .filter(|(k, _)| k.mechanism == m && k.criterion == c)
                .filter_map(|(_, s)| s.value.number())
                .collect();
            let s = cell_stats(&values).unwrap();
            consensus.push((
                (m.to_string(), c.to_string()),
                Some(ConsensusCell {
                    value: ScoreValue::Value(s.median),
                    spread: Some(s.iqr),
                    n: s.n,
                    dissent: if (m, c) == (DISSENT.0, DISSENT.1) {
                        DISSENT.3.to_string()
                    } else {
                        String::new()
                    },
                }),
            ));
        }
        apply(&mut p, Command::SetConsensus { cells: consensus });
        apply(
            &mut p,
            Command::SetWorkshop {
                rule: ConsensusRule::Median,
                reveal_names: false,
                discussion: format!(
                    "Round 2 (current). The analysts revised {moved} scores on the {} cells discussed after round 1; {} still {} the disagreement threshold. The consensus of the six cells that split the group in round 1 is recorded with the median rule chosen before round 1, with its spread; one dissent is kept on INTERPOL's human-rights risk.",
                    hot.len(),
                    if still == 1 {
                        "1 cell".to_string()
                    } else {
                        format!("{still} cells")
                    },
                    if still == 1 { "meets" } else { "meet" }
                ),
            },
        );
        apply(&mut p, Command::SetPackageKey(None));
        p
    }
}

#[test]
fn workshop_demo_is_generated_deterministically_and_canonical() {
    let built = demo::build();
    assert_eq!(demo::build(), built, "the generator is deterministic");
    let text = persist::to_canonical_string(&built);
    let path = root().join("sample_projects/workshop-demo.json");
    if std::env::var_os("WRITE_WORKSHOP_DEMO").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let on_disk = std::fs::read_to_string(&path).unwrap();
    assert!(
        on_disk == text,
        "sample_projects/workshop-demo.json is not what demo::build() makes; regenerate it with WRITE_WORKSHOP_DEMO=1 cargo test --test workshop workshop_demo"
    );
    ok(&["validate", s(&path)]);
    ok(&["fmt", "--check", s(&path)]);
}

#[test]
fn workshop_demo_tells_a_two_round_story() {
    let p = load(&root().join("sample_projects/workshop-demo.json"));
    assert_eq!(p.mechanisms.len(), demo::MECHANISMS.len());
    assert_eq!(p.framework.criterion_count(), 12);
    assert_eq!(p.analysts.len(), 5);
    assert_eq!(p.workshop.rounds.len(), 1);
    let r1 = &p.workshop.rounds[0];
    assert!(!r1.notes.is_empty() && !p.workshop.discussion.is_empty());
    // Every rationale is one sentence.
    for s in p.scores.values().chain(r1.scores.values()) {
        assert!(
            s.rationale.ends_with('.') && !s.rationale.trim_end_matches('.').contains(". "),
            "{}",
            s.rationale
        );
    }
    // Rationales start with a capital (proper names are not lowered), never give thin
    // evidence as the reason for a score (that is confidence), and name only the anchor
    // of their own value.
    for (k, s) in p.scores.iter().chain(r1.scores.iter()) {
        let r = &s.rationale;
        assert!(r.chars().next().is_some_and(char::is_uppercase), "{r}");
        for lowered in [
            " china",
            " chinese",
            " xinhua",
            " interpol",
            " beijing",
            "uN ",
            "xi Jinping",
        ] {
            assert!(!r.contains(lowered), "{lowered:?} in {r}");
        }
        assert!(!r.contains("evidence is thin"), "{r}");
        let (Some(v), Some(c)) = (s.value.number(), p.framework.criterion(&k.criterion)) else {
            continue;
        };
        for a in &c.scale.anchors {
            let quoted = format!("'{}'", a.label.to_lowercase());
            if r.contains(&quoted) {
                assert_eq!(f64::from(a.value), v, "{k:?}: {r}");
            }
        }
    }
    // The spread shrank where the group discussed.
    let before = cell_spreads(&p, &r1.scores);
    let after = cell_spreads(&p, &p.scores);
    let mut discussed = 0;
    for (b, a) in before.iter().zip(&after) {
        let (Some(b), Some(a)) = (&b.stats, &a.stats) else {
            continue;
        };
        if b.needs_discussion() {
            discussed += 1;
            assert!(a.iqr <= b.iqr && a.range <= b.range, "{b:?} → {a:?}");
        }
    }
    assert!(discussed >= 6, "{discussed}");
    let hot = |c: &[policy_workbench::compute::agreement::CellSpread]| {
        c.iter()
            .filter(|x| x.stats.as_ref().is_some_and(|s| s.needs_discussion()))
            .count()
    };
    assert!(hot(&after) < hot(&before));
    // Changed cells explain the change.
    let changed: Vec<&Score> = p
        .scores
        .iter()
        .filter(|(k, s)| r1.scores.get(*k) != Some(*s))
        .map(|(_, s)| s)
        .collect();
    assert!(changed.len() >= 6);
    assert!(changed.iter().all(|s| s.rationale.contains(" to ")));
    // Consensus with spread, and one dissent.
    assert_eq!(p.workshop.consensus.len(), 6);
    assert!(
        p.workshop
            .consensus
            .values()
            .all(|c| c.spread.is_some() && c.n == 5)
    );
    assert_eq!(
        p.workshop
            .consensus
            .values()
            .filter(|c| !c.dissent.is_empty())
            .count(),
        1
    );
    // Agreement improved from round 1 to round 2.
    use policy_workbench::compute::agreement::agreement;
    let a1 = agreement(&p, &r1.scores)
        .overall
        .alpha_ordinal
        .value
        .unwrap();
    let a2 = agreement(&p, &p.scores)
        .overall
        .alpha_ordinal
        .value
        .unwrap();
    assert!(a2 > a1, "{a1} → {a2}");
}

#[test]
fn workshop_demo_packages_do_not_leak() {
    let p = keyed(load(&root().join("sample_projects/workshop-demo.json")));
    for a in &p.analysts {
        let built = make_package(&p, &a.id, &PackageOptions::default()).unwrap();
        assert!(built.warnings.is_empty(), "{:?}", built.warnings);
        let json = persist::to_canonical_string(&built.project);
        assert_no_leak(&json, &p, &a.id);
        assert!(
            built
                .project
                .workshop
                .discussion
                .contains("Round 1 (blind)")
        );
    }
}

#[test]
fn a_package_with_thousands_of_new_sources_is_merged_in_one_step() {
    let m = master();
    let mut pkgs = filled_packages(&m);
    let n = 5_000;
    for i in 0..n {
        pkgs[0].sources.push(Source {
            id: format!("new-src-{i}"),
            citation: format!("Field report {i}"),
            link: String::new(),
            date: String::new(),
            reliability: Reliability::C,
            credibility: 3,
            note: String::new(),
            origin: Origin::Unknown,
            derived_from: None,
        });
    }
    let out = merge(&m, &pkgs, &MergePolicy::default()).unwrap();
    assert_eq!(out.summary[0].sources_added, n);
    assert_eq!(out.project.sources.len(), m.sources.len() + n);
    // One command (and so one snapshot) for all of them: the merge stays linear.
    let adds: Vec<_> = out
        .commands
        .iter()
        .filter(|c| matches!(c, Command::AddSources(_) | Command::AddSource(_)))
        .collect();
    assert_eq!(adds.len(), 1);
    assert!(matches!(adds[0], Command::AddSources(list) if list.len() == n));
}

#[test]
fn what_a_returned_file_carries_beyond_its_cells_is_named_as_ignored() {
    let m = master();
    let mut pkgs = filled_packages(&m);
    let (mech, crit) = (m.mechanisms[0].id.clone(), criteria(&m)[0].clone());
    pkgs[0].scenarios.push(Scenario {
        id: "smuggled".into(),
        name: "Smuggled".into(),
        narrative: String::new(),
        assumptions: vec![],
        group_weights: Default::default(),
        criterion_weights: Default::default(),
        score_overrides: vec![],
        excluded_mechanisms: vec![],
        added_mechanisms: vec![],
    });
    pkgs[0].workshop.consensus.insert(
        (mech, crit),
        ConsensusCell {
            value: ScoreValue::Value(1.0),
            spread: None,
            n: 1,
            dissent: String::new(),
        },
    );
    pkgs[0].notes.push(Note {
        id: "smuggled-note".into(),
        title: "Hi".into(),
        text: String::new(),
    });
    let out = merge(&m, &pkgs, &MergePolicy::default()).unwrap();
    let ignored = out.summary[0].ignored.join("\n");
    for words in [
        "1 scenario;",
        "1 consensus cell;",
        "1 note not in the master",
    ] {
        assert!(ignored.contains(words), "{words}: {ignored}");
    }
    assert!(out.project.scenarios.iter().all(|s| s.id != "smuggled"));
    assert!(
        out.project.workshop.consensus.is_empty()
            || m.workshop.consensus == out.project.workshop.consensus
    );
    assert!(
        out.summary[1].ignored.is_empty(),
        "{:?}",
        out.summary[1].ignored
    );
}

/// Analyst 1's package turned into analyst 2's by hand: the marker, the analyst and
/// every score key renamed.
fn relabelled(pkg: &Project, to: &str) -> Project {
    let mut p = pkg.clone();
    let from = p.analysts[0].id.clone();
    p.analysts[0].id = to.into();
    p.workshop.package.as_mut().unwrap().analyst = to.into();
    p.scores = p
        .scores
        .into_iter()
        .map(|(k, s)| (ScoreKey::new(to, &k.mechanism, &k.criterion), s))
        .collect();
    assert_ne!(from, to);
    p
}

#[test]
fn a_returned_package_is_checked_against_what_was_sent() {
    let m = master();
    let key = m.workshop.package_key.clone().unwrap();
    let pkgs = filled_packages(&m);

    // The seal depends on the key, the analyst, the round and the fingerprint.
    let fp = fingerprint(&m);
    let s = seal(&key, "analyst-1", 1, &fp);
    assert_eq!(s.len(), 32);
    assert_eq!(
        pkgs[0].workshop.package.as_ref().unwrap().seal,
        Some(s.clone())
    );
    for other in [
        seal(&new_package_key(), "analyst-1", 1, &fp),
        seal(&key, "analyst-2", 1, &fp),
        seal(&key, "analyst-1", 2, &fp),
        seal(&key, "analyst-1", 1, "fnv1a64-0000000000000000"),
    ] {
        assert_ne!(other, s);
    }
    // The key stays in the master.
    for p in &pkgs {
        assert!(p.workshop.package_key.is_none());
        assert!(!persist::to_canonical_string(p).contains(&key));
    }

    // Analyst 1's sheet relabelled as analyst 2's is refused, naming who it was sent to;
    // nothing of analyst 2 changes.
    let forged = relabelled(&pkgs[0], "analyst-2");
    let report = merge(&m, &[forged], &MergePolicy::prefer(Prefer::Incoming)).unwrap_err();
    assert_eq!(report.problems.len(), 1, "{report}");
    let msg = &report.problems[0].message;
    assert!(
        msg.contains("sent to \"analyst-1\" for round 1")
            && msg.contains("\"analyst-2\"'s for round 1"),
        "{msg}"
    );
    // The same with the round edited.
    let mut later = pkgs[0].clone();
    later.workshop.package.as_mut().unwrap().round = 2;
    let report = merge(&m, &[later], &MergePolicy::default()).unwrap_err();
    assert!(
        report.problems[0]
            .message
            .contains("sent to \"analyst-1\" for round 1"),
        "{report}"
    );
    // --accept-unsealed does not let a wrong seal through.
    let forged = relabelled(&pkgs[0], "analyst-2");
    let lenient = MergePolicy {
        accept_unsealed: true,
        ..MergePolicy::default()
    };
    assert!(merge(&m, &[forged], &lenient).is_err());

    // A package made from another copy of the master (another key).
    let mut copy = m.clone();
    apply(&mut copy, Command::SetPackageKey(Some(new_package_key())));
    let theirs = make_package(&copy, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    let report = merge(&m, &[theirs], &MergePolicy::default()).unwrap_err();
    assert!(
        report.problems[0]
            .message
            .contains("was not sent from this master"),
        "{report}"
    );

    // No seal in a keyed master: refused, or merged with a warning when accepted.
    let mut bare = pkgs[1].clone();
    bare.workshop.package.as_mut().unwrap().seal = None;
    let report = merge(&m, std::slice::from_ref(&bare), &MergePolicy::default()).unwrap_err();
    let msg = &report.problems[0].message;
    assert!(
        msg.contains("carries no seal") && msg.contains("--accept-unsealed"),
        "{msg}"
    );
    let out = merge(&m, std::slice::from_ref(&bare), &lenient).unwrap();
    assert_eq!(out.summary[0].imported, bare.scores.len());
    assert!(
        out.summary[0].warnings[0].contains("not checked against what was sent"),
        "{:?}",
        out.summary[0].warnings
    );

    // A sealed package and a master that lost its key: refused, or accepted with a warning.
    let mut keyless = m.clone();
    apply(&mut keyless, Command::SetPackageKey(None));
    let report = merge(&keyless, &pkgs[..1], &MergePolicy::default()).unwrap_err();
    assert!(
        report.problems[0]
            .message
            .contains("this master has no package key"),
        "{report}"
    );
    assert_eq!(
        merge(&keyless, &pkgs[..1], &lenient).unwrap().summary[0]
            .warnings
            .len(),
        1
    );

    // Files made before seals existed (neither a key nor a seal): merged, with a warning.
    let mut old = pkgs[2].clone();
    old.workshop.package.as_mut().unwrap().seal = None;
    let out = merge(&keyless, &[old], &MergePolicy::default()).unwrap();
    assert!(
        out.summary[0].warnings[0].contains("earlier version without a seal"),
        "{:?}",
        out.summary[0].warnings
    );

    // The honest packages merge without a warning.
    let out = merge(&m, &pkgs, &MergePolicy::default()).unwrap();
    assert!(out.summary.iter().all(|s| s.warnings.is_empty()));
}

#[test]
fn a_package_key_is_a_valid_secret_and_an_undoable_edit() {
    let mut p = master();
    let before = p.workshop.package_key.clone();
    assert!(package_key_command(&p).is_none(), "the key is made once");
    for bad in ["", "ABCDEF0123456789abcdef0123456789", "123", "zz"] {
        assert!(edit::apply(&mut p, Command::SetPackageKey(Some(bad.into()))).is_err());
    }
    assert_eq!(p.workshop.package_key, before);
    // It round-trips through the file and is refused there when malformed.
    let text = persist::to_canonical_string(&p);
    assert_eq!(persist::load_str(&text).unwrap().project, p);
    let broken = text.replace(before.as_deref().unwrap(), "not-a-key");
    let err = persist::load_str(&broken).unwrap_err().to_string();
    assert!(
        err.contains("workshop.package_key") && err.contains("32 lowercase hex digits"),
        "{err}"
    );
    // A package with a malformed seal is refused when loaded, naming the field.
    let pkg = make_package(&p, "analyst-1", &PackageOptions::default())
        .unwrap()
        .project;
    let text = persist::to_canonical_string(&pkg);
    let seal = pkg.workshop.package.as_ref().unwrap().seal.clone().unwrap();
    let err = persist::load_str(&text.replace(&seal, "XYZ"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("seal") && err.contains("32 lowercase hex digits"),
        "{err}"
    );
    // A project that never made packages has no key in its file.
    let plain = persist::load_path(&sample_path()).unwrap().project;
    assert!(!persist::to_canonical_string(&plain).contains("package_key"));
}

#[test]
fn cli_package_records_the_key_once_and_merge_refuses_a_relabelled_file() {
    let dir = tempfile::tempdir().unwrap();
    let master_path = dir.path().join("master.json");
    let mut m = master();
    apply(&mut m, Command::SetPackageKey(None));
    save(&master_path, &m);
    let out = dir.path().join("packages");
    let text = ok(&["package", s(&master_path), "--out-dir", s(&out)]);
    assert!(text.contains("recorded a package key"), "{text}");
    let with_key = std::fs::read(&master_path).unwrap();
    let keyed_master = load(&master_path);
    let key = keyed_master.workshop.package_key.clone().unwrap();
    assert!(
        dir.path().join("master.json.bak").exists(),
        "the master before the key is kept"
    );
    // Packages again (forced): the same key, the master untouched.
    let text = ok(&["package", s(&master_path), "--out-dir", s(&out), "--force"]);
    assert!(!text.contains("recorded a package key"), "{text}");
    assert_eq!(std::fs::read(&master_path).unwrap(), with_key);
    let pkg1 = load(&out.join("analyst-1.json"));
    assert!(
        !std::fs::read_to_string(out.join("analyst-1.json"))
            .unwrap()
            .contains(&key)
    );

    // Analyst 1 returns a file relabelled as analyst 2's: refused, nothing written.
    let mut filled = pkg1.clone();
    let cells = sheet(&filled, "analyst-1", 0);
    apply(&mut filled, Command::SetScores { cells });
    let forged = dir.path().join("forged.json");
    save(&forged, &relabelled(&filled, "analyst-2"));
    let merged = dir.path().join("merged.json");
    let o = run(&[
        "merge",
        s(&master_path),
        s(&forged),
        "--out",
        s(&merged),
        "--prefer",
        "incoming",
        "--accept-unsealed",
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("forged.json") && err.contains("sent to \"analyst-1\""),
        "{err}"
    );
    assert!(!merged.exists());

    // A file without its seal: refused, then merged with --accept-unsealed and a warning.
    let mut bare = filled.clone();
    bare.workshop.package.as_mut().unwrap().seal = None;
    let bare_path = dir.path().join("bare.json");
    save(&bare_path, &bare);
    let o = run(&["merge", s(&master_path), s(&bare_path), "--out", s(&merged)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--accept-unsealed"), "{}", stderr(&o));
    let o = run(&[
        "merge",
        s(&master_path),
        s(&bare_path),
        "--out",
        s(&merged),
        "--accept-unsealed",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("warning:"), "{}", stderr(&o));
    assert_eq!(
        load(&merged).scores.len(),
        filled.scores.len(),
        "analyst 1's sheet is merged"
    );
}

#[test]
fn cli_package_leaves_a_master_open_in_the_app_alone() {
    let dir = tempfile::tempdir().unwrap();
    let master_path = dir.path().join("master.json");
    let mut m = master();
    apply(&mut m, Command::SetPackageKey(None));
    save(&master_path, &m);
    let before = std::fs::read(&master_path).unwrap();
    let persist::lock::Acquired::Mine(_lock) = persist::lock::acquire(&master_path) else {
        panic!("the test takes the lock")
    };
    let out = dir.path().join("packages");
    let o = run(&["package", s(&master_path), "--out-dir", s(&out)]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(
        err.contains("could not record the package key")
            && err.contains("open in Policy Workbench"),
        "{err}"
    );
    assert_eq!(std::fs::read(&master_path).unwrap(), before);
    assert!(!out.join("analyst-1.json").exists());
}
