//! Scores to and from spreadsheets (CSV): the library and the real binary.

mod common;

use common::*;
use policy_workbench::csv_io::{self, ExportOptions, ImportOptions, Layout};
use policy_workbench::edit;
use policy_workbench::model::{Confidence, Project, ScoreKey, ScoreValue};
use serde_json::{Value, json};

fn load(path: &std::path::Path) -> Project {
    policy_workbench::persist::load_path(path).unwrap().project
}

fn hand_json() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("hand.json")).unwrap()).unwrap()
}

/// hand.json with two sources and some rationale, so that every column is exercised.
fn hand_with_sources(dir: &std::path::Path) -> std::path::PathBuf {
    let mut v = hand_json();
    v["sources"] = json!([
        { "id": "s-one", "citation": "One", "link": "", "date": "", "reliability": "B",
          "credibility": 2, "note": "" },
        { "id": "s-two", "citation": "Two", "link": "", "date": "", "reliability": "C",
          "credibility": 3, "note": "" }
    ]);
    v["scores"][0]["rationale"] =
        json!("Line one, with a comma; and a semicolon.\nLine \"two\" — é à ü 中文");
    v["scores"][0]["sources"] = json!(["s-one", "s-two"]);
    v["scores"][0]["confidence"] = json!("high");
    v["scores"][1]["rationale"] = json!("=HYPERLINK(\"http://evil.example\",\"click\")");
    v["scores"][2]["rationale"] = json!("+33 1 23 45 67 89");
    v["scores"][3]["rationale"] = json!("-1 is not a score here");
    v["scores"][4]["rationale"] = json!("@SUM(A1:A9)");
    v["scores"][5]["rationale"] = json!("\tstarts with a tab");
    v["scores"][6]["rationale"] = json!("'=already quoted");
    let p = dir.join("hand-src.json");
    std::fs::write(&p, serde_json::to_string_pretty(&v).unwrap()).unwrap();
    p
}

fn cells(csv_text: &str) -> Vec<Vec<String>> {
    let body = csv_text
        .strip_prefix('\u{feff}')
        .expect("starts with a BOM");
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(body.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

#[test]
fn long_export_has_a_row_per_analyst_mechanism_criterion_and_round_trips() {
    let dir = tempfile::tempdir().unwrap();
    let f = hand_with_sources(dir.path());
    let p = load(&f);
    let text = csv_io::export(&p, &ExportOptions::default()).unwrap();
    assert!(text.starts_with('\u{feff}'), "UTF-8 BOM");
    assert!(text.contains("\r\n"), "CRLF line ends");
    let rows = cells(&text);
    assert_eq!(rows[0], csv_io::LONG_COLUMNS.to_vec());
    let n = p.analysts.len() * p.mechanisms.len() * p.framework.criterion_count();
    assert_eq!(rows.len(), 1 + n);
    let first = &rows[1];
    assert_eq!(first[0..6], ["a", "m1", "One", "r1", "R1", "4"]);
    assert_eq!(first[6], "high");
    assert!(first[7].contains("中文") && first[7].contains('\n'));
    assert_eq!(first[8], "s-one;s-two");
    assert!(rows.iter().any(|r| r[5] == "not applicable"));
    assert!(rows.iter().any(|r| r[5] == "not assessed"));

    let preview = csv_io::import(&p, text.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(preview.changes.is_empty(), "{:#?}", preview.changes);
    assert_eq!(preview.rows, n);
    assert_eq!(preview.layout, Layout::Long);
    assert!(preview.command().is_none());

    // The sample too, and one analyst's sheet.
    let sample = policy_workbench::bundled::sample();
    let text = csv_io::export(&sample, &ExportOptions::default()).unwrap();
    let preview = csv_io::import(&sample, text.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(preview.changes.is_empty(), "{:#?}", &preview.changes[..1]);
    let opts = ExportOptions {
        analyst: Some("b".into()),
        delimiter: b';',
        ..ExportOptions::default()
    };
    let text = csv_io::export(&p, &opts).unwrap();
    assert!(text.lines().nth(1).unwrap().starts_with("b;m1;One;r1;R1;"));
    assert!(
        csv_io::import(&p, text.as_bytes(), &ImportOptions::default())
            .unwrap()
            .changes
            .is_empty()
    );
}

#[test]
fn formula_cells_are_neutralised_on_export_and_restored_on_import() {
    let dir = tempfile::tempdir().unwrap();
    let p = load(&hand_with_sources(dir.path()));
    let text = csv_io::export(&p, &ExportOptions::default()).unwrap();
    let rows = cells(&text);
    for r in &rows {
        for c in r {
            assert!(
                !c.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "a live formula cell: {c:?}"
            );
        }
    }
    let rationale = |m: &str, c: &str| {
        rows.iter()
            .find(|r| r[0] == "a" && r[1] == m && r[3] == c)
            .unwrap()[7]
            .clone()
    };
    assert_eq!(
        rationale("m1", "r2"),
        "'=HYPERLINK(\"http://evil.example\",\"click\")"
    );
    assert_eq!(rationale("m1", "o1"), "'+33 1 23 45 67 89");
    assert_eq!(rationale("m1", "o2"), "'-1 is not a score here");
    assert_eq!(rationale("m1", "c1"), "'@SUM(A1:A9)");
    assert_eq!(rationale("m2", "r1"), "'\tstarts with a tab");
    assert_eq!(rationale("m2", "r2"), "''=already quoted");
    // Import strips the apostrophes back: nothing changes.
    let preview = csv_io::import(&p, text.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(preview.changes.is_empty(), "{:#?}", preview.changes);
}

#[test]
fn a_french_sheet_imports_semicolons_decimal_commas_bom_crlf_and_quoted_newlines() {
    let p = load(&fixture("hand.json"));
    let sheet = "\u{feff}analyst_id;mechanism_id;mechanism_name;criterion_id;criterion_name;value;confidence;rationale;source_ids\r\n\
a;m1;One;r1;R1;2,5;Moderate;\"Sécurité intérieure ; coopération\r\nrenforcée — « oui »\";\r\n\
a;m3;Three;o1;O1;3;low;;\r\n\
b;m1;One;c1;C1;not applicable;;;\r\n\
;;;;;;;;\r\n";
    let preview = csv_io::import(&p, sheet.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.delimiter, ';');
    assert_eq!(preview.rows, 3, "the empty row is skipped");
    assert_eq!(preview.changes.len(), 3, "{:#?}", preview.changes);
    let c = &preview.changes[0];
    assert_eq!(c.key, ScoreKey::new("a", "m1", "r1"));
    let new = c.new.as_ref().unwrap();
    assert_eq!(new.value, ScoreValue::Value(2.5));
    assert_eq!(new.confidence, Confidence::Moderate);
    assert_eq!(
        new.rationale,
        "Sécurité intérieure ; coopération\nrenforcée — « oui »"
    );
    assert_eq!(
        c.old.as_ref().unwrap().value,
        ScoreValue::Value(4.0),
        "the preview shows the old score"
    );
    let c = &preview.changes[1];
    assert!(c.old.is_none());
    assert_eq!(c.new.as_ref().unwrap().confidence, Confidence::Low);
    assert_eq!(
        preview.changes[2].new.as_ref().unwrap().value,
        ScoreValue::NotApplicable
    );

    // One undo step: apply, then the inverse puts everything back.
    let mut q = p.clone();
    let inverse = edit::apply(&mut q, preview.command().unwrap()).unwrap();
    assert_eq!(
        q.score("a", "m1", "r1").unwrap().value,
        ScoreValue::Value(2.5)
    );
    edit::apply(&mut q, inverse).unwrap();
    assert_eq!(q, p);

    // The same sheet saved by Excel as plain "CSV" (Windows-1252, no BOM).
    let latin: Vec<u8> = sheet
        .trim_start_matches('\u{feff}')
        .chars()
        .map(|c| match c {
            '—' => 0x97,
            c => u8::try_from(u32::from(c)).unwrap(),
        })
        .collect();
    let preview = csv_io::import(&p, &latin, &ImportOptions::default()).unwrap();
    assert_eq!(preview.encoding, "Windows-1252");
    assert_eq!(
        preview.changes[0].new.as_ref().unwrap().rationale,
        "Sécurité intérieure ; coopération\nrenforcée — « oui »"
    );
}

#[test]
fn a_sheet_with_three_problems_lists_all_three_and_imports_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = hand_with_sources(dir.path());
    let p = load(&f);
    let sheet = "analyst_id,mechanism_id,criterion_id,value,confidence,source_ids\n\
zed,m1,r1,3,high,\n\
a,m1,r1,7,high,\n\
a,m2,o1,2,high,s-one;nope\n\
a,m3,o1,3,low,s-two\n";
    let problems = csv_io::import(&p, sheet.as_bytes(), &ImportOptions::default()).unwrap_err();
    let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
    assert_eq!(problems.len(), 3, "{text:#?}");
    assert_eq!(
        (problems[0].row, problems[0].column.as_deref()),
        (2, Some("analyst_id"))
    );
    assert!(
        text[0].contains("zed") && text[0].contains("a, b, c"),
        "{}",
        text[0]
    );
    assert_eq!(
        (problems[1].row, problems[1].column.as_deref()),
        (3, Some("value"))
    );
    assert!(text[1].contains("off the scale"), "{}", text[1]);
    assert_eq!(
        (problems[2].row, problems[2].column.as_deref()),
        (4, Some("source_ids"))
    );
    assert!(text[2].contains("nope"));

    // The command line refuses the whole sheet, lists every problem, exits 1.
    let s = write(dir.path(), "bad.csv", sheet);
    let out = dir.path().join("new.json");
    let o = run(&[
        "csv-import",
        f.to_str().unwrap(),
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("row 2, column analyst_id"), "{err}");
    assert!(err.contains("row 3, column value"), "{err}");
    assert!(err.contains("row 4, column source_ids"), "{err}");
    assert!(err.contains("nothing imported"), "{err}");
    assert!(!out.exists(), "nothing written");
}

#[test]
fn other_problems_are_named_too() {
    let p = load(&fixture("hand.json"));
    let check = |sheet: &str, want: &[(usize, Option<&str>, &str)]| {
        let problems =
            csv_io::import(&p, sheet.as_bytes(), &ImportOptions::default()).expect_err("refused");
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(problems.len(), want.len(), "{text:#?}");
        for (pr, (row, col, words)) in problems.iter().zip(want) {
            assert_eq!(pr.row, *row, "{text:#?}");
            assert_eq!(pr.column.as_deref(), *col, "{text:#?}");
            assert!(pr.message.contains(words), "{text:#?}");
        }
    };
    check(
        "analyst_id,mechanism_id,criterion_id,value,confidence\na,m1,r1,2,sure\na,m9,r1,2,low\na,m1,zz,2,low\n",
        &[
            (2, Some("confidence"), "low, moderate or high"),
            (3, Some("mechanism_id"), "m9"),
            (4, Some("criterion_id"), "zz"),
        ],
    );
    check(
        "analyst_id,mechanism_id,criterion_id,value\na,m1,r1,2\na,m1,r1,3\n",
        &[(3, Some("criterion_id"), "twice (first in row 2)")],
    );
    check(
        "analyst_id,mechanism_id,criterion_id,value,confidnce\na,m1,r1,2,low\n",
        &[(1, Some("confidnce"), "unknown column")],
    );
    check(
        "analyst_id,mechanism_id,value\na,m1,2\n",
        &[(1, Some("criterion_id"), "missing")],
    );
    check(
        "analyst_id,mechanism_id,criterion_id,value\na,m1,r1,2,5\n",
        &[(2, None, "decimal comma")],
    );
    check(
        "analyst_id,mechanism_id,criterion_id,value\na,m1,r1,high\n",
        &[(2, Some("value"), "not a score")],
    );
    check("", &[(1, None, "empty")]);
    check("hello,world\n1,2\n", &[(1, None, "header")]);
}

#[test]
fn wide_sheets_export_and_import_values() {
    let p = load(&fixture("hand.json"));
    let opts = ExportOptions {
        layout: Layout::Wide,
        analyst: Some("a".into()),
        ..ExportOptions::default()
    };
    let text = csv_io::export(&p, &opts).unwrap();
    let rows = cells(&text);
    assert_eq!(
        rows[0],
        [
            "mechanism_id",
            "mechanism_name",
            "r1",
            "r2",
            "o1",
            "o2",
            "c1"
        ]
    );
    assert_eq!(rows[1], ["analyst: a", "", "R1", "R2", "O1", "O2", "C1"]);
    assert_eq!(rows[2], ["m1", "One", "4", "2", "4", "0", "0"]);
    assert_eq!(rows.len(), 2 + p.mechanisms.len());
    let preview = csv_io::import(&p, text.as_bytes(), &ImportOptions::default()).unwrap();
    assert!(preview.changes.is_empty(), "{:#?}", preview.changes);
    assert_eq!(preview.layout, Layout::Wide);

    // Changing a value keeps the rest of the score.
    let edited = text.replace("m1,One,4,2,4,0,0", "m1,One,3,2,4,0,0");
    let preview = csv_io::import(&p, edited.as_bytes(), &ImportOptions::default()).unwrap();
    assert_eq!(preview.changes.len(), 1);
    assert_eq!(preview.changes[0].key, ScoreKey::new("a", "m1", "r1"));
    let (old, new) = (
        preview.changes[0].old.clone().unwrap(),
        preview.changes[0].new.clone().unwrap(),
    );
    assert_eq!(new.value, ScoreValue::Value(3.0));
    assert_eq!(
        (new.confidence, new.rationale),
        (old.confidence, old.rationale)
    );

    // The median sheet is for reading: it shows medians and cannot be imported.
    let median = csv_io::export(
        &p,
        &ExportOptions {
            layout: Layout::Wide,
            ..ExportOptions::default()
        },
    )
    .unwrap();
    let rows = cells(&median);
    assert!(rows[1][0].starts_with("median of 3 analysts"));
    let m2 = rows.iter().find(|r| r[0] == "m2").unwrap();
    assert_eq!(m2[2], "3", "median of 1, 3, 4");
    assert_eq!(m2[4], "2.5", "median of 2 and 3");
    let err = csv_io::import(&p, median.as_bytes(), &ImportOptions::default()).unwrap_err();
    assert!(err[0].message.contains("median"), "{err:?}");
}

#[test]
fn cli_export_import_round_trip_force_and_dry_run() {
    let dir = tempfile::tempdir().unwrap();
    let f = hand_with_sources(dir.path());
    let sheet = dir.path().join("scores.csv");
    let o = run(&[
        "csv-export",
        f.to_str().unwrap(),
        "--out",
        sheet.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("60 rows"), "{}", stdout(&o));

    // Refuses to overwrite without --force.
    let before = std::fs::read(&sheet).unwrap();
    let o = run(&[
        "csv-export",
        f.to_str().unwrap(),
        "--out",
        sheet.to_str().unwrap(),
        "--wide",
        "--analyst",
        "a",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert_eq!(std::fs::read(&sheet).unwrap(), before);
    let o = run(&[
        "csv-export",
        f.to_str().unwrap(),
        "--out",
        dir.path().join("x.csv").to_str().unwrap(),
        "--analyst",
        "zed",
    ]);
    assert_eq!(o.status.code(), Some(2), "unknown analyst");

    // Round trip through the command line: no changes, a valid file.
    let out = dir.path().join("new.json");
    let o = run(&[
        "csv-import",
        f.to_str().unwrap(),
        sheet.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("no score changes"), "{}", stdout(&o));
    assert_eq!(load(&out), load(&f));

    // An edited sheet: the summary lists the change; the new file has it.
    let text = std::fs::read_to_string(&sheet).unwrap();
    let edited = text.replacen("a,m1,One,r1,R1,4,high", "a,m1,One,r1,R1,1,low", 1);
    assert_ne!(edited, text);
    std::fs::write(&sheet, edited).unwrap();
    let o = run(&[
        "csv-import",
        f.to_str().unwrap(),
        sheet.to_str().unwrap(),
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("a / m1 / r1: 4 → 1, confidence high → low"),
        "{}",
        stdout(&o)
    );
    assert!(stdout(&o).contains("nothing written"));
    let o = run(&[
        "csv-import",
        f.to_str().unwrap(),
        sheet.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "exists: needs --force");
    let o = run(&[
        "csv-import",
        f.to_str().unwrap(),
        sheet.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("1 score changes"), "{}", stdout(&o));
    let new = load(&out);
    assert_eq!(
        new.score("a", "m1", "r1").unwrap().value,
        ScoreValue::Value(1.0)
    );
    assert_eq!(
        new.score("a", "m1", "r1").unwrap().confidence,
        Confidence::Low
    );
    assert_eq!(
        load(&f).score("a", "m1", "r1").unwrap().value,
        ScoreValue::Value(4.0)
    );

    // A missing sheet is an I/O error.
    let o = run(&[
        "csv-import",
        f.to_str().unwrap(),
        "/definitely/not/here.csv",
        "--dry-run",
    ]);
    assert_eq!(o.status.code(), Some(2));
}
