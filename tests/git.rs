//! The git merge driver with the real `git` binary, in temporary repositories set up
//! by `policy-workbench git-setup`: merges that plain text merging would stop on go
//! through, clashes stop git with a valid file that records them, a side that does not
//! load leaves OURS as it was, and `git diff` reads in names. Skipped with a note when
//! git is not installed (CI installs it: .ci/run).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use policy_workbench::edit::{Command as Edit, apply};
use policy_workbench::model::*;
use policy_workbench::persist;

const BIN: &str = env!("CARGO_BIN_EXE_policy-workbench");
const FILE: &str = "assessment.json";

fn have_git() -> bool {
    let ok = Command::new("git")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: git is not installed; the git merge driver tests are skipped");
    }
    ok
}

fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .env("GIT_AUTHOR_NAME", "Analyst")
        .env("GIT_AUTHOR_EMAIL", "analyst@example.invalid")
        .env("GIT_COMMITTER_NAME", "Analyst")
        .env("GIT_COMMITTER_EMAIL", "analyst@example.invalid")
        .output()
        .expect("git runs")
}

fn ok(dir: &Path, args: &[&str]) -> String {
    let o = git(dir, args);
    assert!(
        o.status.success(),
        "git {args:?}: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn pw(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("HOME", dir)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("the binary runs")
}

fn load(dir: &Path) -> Project {
    persist::load_path(&dir.join(FILE))
        .expect("the file loads")
        .project
}

fn save(dir: &Path, p: &Project) {
    std::fs::write(dir.join(FILE), persist::to_canonical_string(p)).unwrap();
}

fn set(p: &mut Project, m: &str, c: &str, v: Option<f64>) {
    let score = v.map(|x| Score {
        value: ScoreValue::Value(x),
        rationale: format!("scored {x}"),
        ..Score::default()
    });
    apply(
        p,
        Edit::SetScore {
            key: ScoreKey::new("reference", m, c),
            score,
        },
    )
    .unwrap();
}

fn value(p: &Project, m: &str, c: &str) -> Option<ScoreValue> {
    p.score("reference", m, c).map(|s| s.value)
}

/// A repository with the sample (two cells of INTERPOL left empty) on `main`, set up
/// for the driver, and branches `ours` and `theirs` from it.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    ok(&dir, &["init", "-q", "-b", "main"]);
    ok(&dir, &["config", "commit.gpgsign", "false"]);
    let setup = pw(&dir, &["git-setup"]);
    assert!(
        setup.status.success(),
        "{}",
        String::from_utf8_lossy(&setup.stderr)
    );
    let mut p = persist::load_str(policy_workbench::bundled::SAMPLE)
        .unwrap()
        .project;
    set(&mut p, "interpol", "geopolitical", None);
    set(&mut p, "interpol", "organisation", None);
    save(&dir, &p);
    ok(&dir, &["add", "."]);
    ok(&dir, &["commit", "-q", "-m", "base"]);
    ok(&dir, &["branch", "theirs"]);
    ok(&dir, &["checkout", "-q", "-b", "ours"]);
    (tmp, dir)
}

fn commit_on(dir: &Path, branch: &str, edit: impl FnOnce(&mut Project)) {
    ok(dir, &["checkout", "-q", branch]);
    let mut p = load(dir);
    edit(&mut p);
    save(dir, &p);
    ok(dir, &["commit", "-q", "-am", branch]);
}

fn merge(dir: &Path) -> Output {
    ok(dir, &["checkout", "-q", "ours"]);
    git(dir, &["merge", "--no-edit", "theirs"])
}

#[test]
fn git_setup_is_idempotent_and_says_how_to_undo() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    let again = pw(&dir, &["git-setup"]);
    let out = String::from_utf8_lossy(&again.stdout);
    assert!(again.status.success());
    assert!(out.contains("already"), "{out}");
    assert!(out.contains("To undo"), "{out}");
    let attrs = std::fs::read_to_string(dir.join(".gitattributes")).unwrap();
    assert_eq!(
        attrs,
        "*.json merge=policy-workbench diff=policy-workbench\n"
    );
    let driver = ok(&dir, &["config", "merge.policy-workbench.driver"]);
    assert!(
        driver.starts_with('\'') && driver.contains("merge-file %O %A %B"),
        "{driver}"
    );
    assert_eq!(
        ok(&dir, &["config", "merge.policy-workbench.recursive"]).trim(),
        "policy-workbench"
    );
}

#[test]
fn changes_that_collide_as_text_merge_by_item() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    commit_on(&dir, "ours", |p| {
        apply(
            p,
            Edit::AddMechanism(Mechanism::new("ours-new", "Ours new mechanism")),
        )
        .unwrap();
        set(p, "ours-new", "geopolitical", Some(2.0));
        set(p, "interpol", "geopolitical", Some(3.0));
        p.framework.groups[0].criteria[0].weight = 2.0;
    });
    commit_on(&dir, "theirs", |p| {
        apply(
            p,
            Edit::AddMechanism(Mechanism::new("theirs-new", "Theirs new mechanism")),
        )
        .unwrap();
        set(p, "theirs-new", "opacity", Some(1.0));
        set(p, "interpol", "organisation", Some(4.0));
        p.framework.groups[0].criteria[1].weight = 3.0;
        p.sources[0].note = "checked again".into();
    });
    // As plain text, these changes collide.
    let show = |rev: &str| ok(&dir, &["show", &format!("{rev}:{FILE}")]);
    let tmp2 = tempfile::tempdir().unwrap();
    for (name, rev) in [("o", "ours"), ("b", "main"), ("t", "theirs")] {
        std::fs::write(tmp2.path().join(name), show(rev)).unwrap();
    }
    let text = git(tmp2.path(), &["merge-file", "-p", "o", "b", "t"]);
    assert_ne!(
        text.status.code(),
        Some(0),
        "plain text merging would stop here"
    );

    let m = merge(&dir);
    assert!(m.status.success(), "{}", String::from_utf8_lossy(&m.stderr));
    let v = pw(&dir, &["validate", FILE]);
    assert_eq!(
        v.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&v.stdout)
    );
    let p = load(&dir);
    assert!(p.mechanism("ours-new").is_some() && p.mechanism("theirs-new").is_some());
    assert_eq!(
        value(&p, "ours-new", "geopolitical"),
        Some(ScoreValue::Value(2.0))
    );
    assert_eq!(
        value(&p, "theirs-new", "opacity"),
        Some(ScoreValue::Value(1.0))
    );
    assert_eq!(
        value(&p, "interpol", "geopolitical"),
        Some(ScoreValue::Value(3.0))
    );
    assert_eq!(
        value(&p, "interpol", "organisation"),
        Some(ScoreValue::Value(4.0))
    );
    assert_eq!(p.framework.groups[0].criteria[0].weight, 2.0);
    assert_eq!(p.framework.groups[0].criteria[1].weight, 3.0);
    assert_eq!(p.sources[0].note, "checked again");
    assert!(p.merge_conflicts.is_empty());
    let fmt = pw(&dir, &["fmt", "--check", FILE]);
    assert_eq!(fmt.status.code(), Some(0), "the result is canonical");
}

#[test]
fn the_same_cell_changed_differently_stops_git_with_a_valid_file() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    commit_on(&dir, "ours", |p| {
        set(p, "interpol", "geopolitical", Some(1.0))
    });
    commit_on(&dir, "theirs", |p| {
        set(p, "interpol", "geopolitical", Some(3.0))
    });
    let m = merge(&dir);
    assert!(!m.status.success(), "git reports the conflict");
    let text = std::fs::read_to_string(dir.join(FILE)).unwrap();
    assert!(!text.contains("<<<<<<<"));
    serde_json::from_str::<serde_json::Value>(&text).expect("valid JSON");
    let p = load(&dir);
    assert_eq!(
        value(&p, "interpol", "geopolitical"),
        Some(ScoreValue::Value(1.0))
    );
    let v = pw(&dir, &["validate", FILE]);
    let out = String::from_utf8_lossy(&v.stdout);
    assert_eq!(v.status.code(), Some(1), "{out}");
    assert!(
        out.contains("unresolved conflict")
            && out.contains("scores[reference/interpol/geopolitical]"),
        "{out}"
    );
}

#[test]
fn an_edit_against_a_deletion_is_a_conflict() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    commit_on(&dir, "ours", |p| set(p, "unpol", "geopolitical", Some(0.0)));
    commit_on(&dir, "theirs", |p| {
        apply(p, Edit::RemoveMechanism("unpol".into())).unwrap();
    });
    let m = merge(&dir);
    assert!(!m.status.success());
    let p = load(&dir);
    assert!(
        p.mechanism("unpol").is_some(),
        "our edited cell keeps its mechanism"
    );
    assert!(
        p.merge_conflicts
            .iter()
            .any(|c| c.path == "mechanisms[unpol]" && c.theirs.is_none())
    );
}

#[test]
fn two_additions_under_one_id_are_a_conflict_and_nothing_is_lost() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    commit_on(&dir, "ours", |p| {
        apply(
            p,
            Edit::AddMechanism(Mechanism::new("new-desk", "Our desk")),
        )
        .unwrap();
    });
    commit_on(&dir, "theirs", |p| {
        apply(
            p,
            Edit::AddMechanism(Mechanism::new("new-desk", "Their desk")),
        )
        .unwrap();
    });
    let m = merge(&dir);
    assert!(!m.status.success());
    let p = load(&dir);
    assert_eq!(p.mechanism("new-desk").unwrap().name, "Our desk");
    let c = p
        .merge_conflicts
        .iter()
        .find(|c| c.path == "mechanisms[new-desk]")
        .unwrap();
    assert_eq!(c.theirs.as_ref().unwrap()["name"], "Their desk");
}

#[test]
fn a_theirs_that_does_not_load_exits_2_and_leaves_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("base"), policy_workbench::bundled::SAMPLE).unwrap();
    std::fs::write(d.join("ours"), policy_workbench::bundled::SAMPLE).unwrap();
    let broken =
        policy_workbench::bundled::SAMPLE.replacen("\"mechanisms\"", "\"mechanisms\" 1", 1);
    std::fs::write(d.join("theirs"), &broken).unwrap();
    let newer = policy_workbench::bundled::SAMPLE.replacen(
        "\"schema_version\": 2",
        "\"schema_version\": 9",
        1,
    );
    std::fs::write(d.join("newer"), &newer).unwrap();
    for theirs in ["theirs", "newer"] {
        let o = pw(d, &["merge-file", "base", "ours", theirs, "--path", FILE]);
        assert_eq!(
            o.status.code(),
            Some(2),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(String::from_utf8_lossy(&o.stderr).contains("was not changed"));
        assert_eq!(
            std::fs::read_to_string(d.join("ours")).unwrap(),
            policy_workbench::bundled::SAMPLE
        );
    }
    assert!(
        !d.join("ours.bak").exists(),
        "no backup file left beside git's temporary file"
    );
}

#[test]
fn other_json_and_a_missing_base_follow_git_merge_file() {
    if !have_git() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(
        d.join("base"),
        "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("ours"),
        "{\n  \"a\": 10,\n  \"b\": 2,\n  \"c\": 3\n}\n",
    )
    .unwrap();
    std::fs::write(
        d.join("theirs"),
        "{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 30\n}\n",
    )
    .unwrap();
    let o = pw(d, &["merge-file", "base", "ours", "theirs"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(d.join("ours")).unwrap(),
        "{\n  \"a\": 10,\n  \"b\": 2,\n  \"c\": 30\n}\n"
    );
    // A project on one side only (the file was other JSON before): merged as text.
    std::fs::write(
        d.join("ours"),
        "{\n  \"a\": 10,\n  \"b\": 2,\n  \"c\": 3\n}\n",
    )
    .unwrap();
    std::fs::write(d.join("theirs"), policy_workbench::bundled::SAMPLE).unwrap();
    let o = pw(d, &["merge-file", "base", "ours", "theirs"]);
    assert_eq!(o.status.code(), Some(1), "a text conflict");
    assert!(
        std::fs::read_to_string(d.join("ours"))
            .unwrap()
            .contains("<<<<<<< ours")
    );
    // Both sides added the same project: an empty base is no error.
    std::fs::write(d.join("empty"), "").unwrap();
    std::fs::write(d.join("ours"), policy_workbench::bundled::SAMPLE).unwrap();
    std::fs::write(d.join("theirs"), policy_workbench::bundled::SAMPLE).unwrap();
    let o = pw(d, &["merge-file", "empty", "ours", "theirs"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = pw(d, &["merge-file", "no-such-base", "ours", "theirs"]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn git_diff_shows_names() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    let mut p = load(&dir);
    set(&mut p, "interpol", "geopolitical", Some(4.0));
    save(&dir, &p);
    let diff = ok(&dir, &["diff"]);
    let name = p.mechanism("interpol").unwrap().name.clone();
    let crit = p
        .framework
        .criteria()
        .find(|(_, c)| c.id == "geopolitical")
        .unwrap()
        .1
        .name
        .clone();
    assert!(
        diff.lines()
            .any(|l| l.starts_with('+') && l.contains(&format!("{name} / {crit} = 4"))),
        "{diff}"
    );
    assert!(!diff.contains("\"criterion\""), "{diff}");
}

#[test]
fn a_criss_cross_merge_uses_the_driver_for_its_common_ancestors_too() {
    if !have_git() {
        return;
    }
    let (_tmp, dir) = repo();
    commit_on(&dir, "ours", |p| {
        set(p, "interpol", "geopolitical", Some(1.0))
    });
    let a = ok(&dir, &["rev-parse", "HEAD"]).trim().to_string();
    commit_on(&dir, "theirs", |p| {
        set(p, "interpol", "organisation", Some(2.0))
    });
    // Each branch merges the other's first commit: two common ancestors.
    ok(&dir, &["checkout", "-q", "ours"]);
    ok(&dir, &["merge", "-q", "--no-edit", "theirs"]);
    ok(&dir, &["checkout", "-q", "theirs"]);
    ok(&dir, &["merge", "-q", "--no-edit", &a]);
    commit_on(&dir, "ours", |p| set(p, "unpol", "geopolitical", Some(3.0)));
    commit_on(&dir, "theirs", |p| {
        set(p, "unpol", "organisation", Some(0.0))
    });
    let bases = ok(&dir, &["merge-base", "--all", "ours", "theirs"]);
    assert_eq!(bases.lines().count(), 2, "a criss-cross history");
    let m = merge(&dir);
    assert!(m.status.success(), "{}", String::from_utf8_lossy(&m.stderr));
    let p = load(&dir);
    assert_eq!(
        value(&p, "interpol", "geopolitical"),
        Some(ScoreValue::Value(1.0))
    );
    assert_eq!(
        value(&p, "interpol", "organisation"),
        Some(ScoreValue::Value(2.0))
    );
    assert_eq!(
        value(&p, "unpol", "geopolitical"),
        Some(ScoreValue::Value(3.0))
    );
    assert_eq!(
        value(&p, "unpol", "organisation"),
        Some(ScoreValue::Value(0.0))
    );
    assert!(p.merge_conflicts.is_empty());
}
