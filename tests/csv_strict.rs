//! A sheet is read strictly: a malformed row, a shifted column, an unclosed quote or a
//! mixed encoding is a problem with its row, never a changed score; messages quote at
//! most an excerpt and count every problem; an unedited export imports as no change.

use policy_workbench::bundled;
use policy_workbench::csv_io::{self, ExportOptions, ImportOptions};
use policy_workbench::model::{Project, ScoreKey, ScoreValue};
use proptest::prelude::*;

fn sample() -> Project {
    bundled::sample()
}

/// The sample's scores of its first analyst as a long, comma-separated sheet.
fn sheet(p: &Project) -> String {
    csv_io::export(
        p,
        &ExportOptions {
            analyst: Some(p.analysts[0].id.clone()),
            ..ExportOptions::default()
        },
    )
    .unwrap()
}

fn import(p: &Project, text: &[u8]) -> Result<csv_io::ImportPreview, Vec<csv_io::Problem>> {
    csv_io::import(p, text, &ImportOptions::default())
}

fn problems(p: &Project, text: &[u8]) -> String {
    let e = import(p, text).expect_err("the sheet is refused");
    e.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The lines of a sheet (rows of the sample have no line break inside their cells
/// except where a rationale has one; the first data rows are used below).
fn lines(text: &str) -> Vec<String> {
    text.split("\r\n").map(str::to_string).collect()
}

#[test]
fn an_unedited_export_imports_as_no_change() {
    let p = sample();
    let preview = import(&p, sheet(&p).as_bytes()).unwrap();
    assert_eq!(preview.changes, vec![]);
}

#[test]
fn a_rationale_with_windows_line_ends_comes_back_unchanged() {
    let mut p = sample();
    let key = p.scores.keys().next().unwrap().clone();
    p.scores.get_mut(&key).unwrap().rationale = "first line\r\nsecond line".into();
    let preview = import(&p, sheet(&p).as_bytes()).unwrap();
    assert_eq!(preview.changes, vec![], "line ends alone are not a change");
}

#[test]
fn an_unclosed_quote_is_refused_with_its_row() {
    let p = sample();
    let mut l = lines(&sheet(&p));
    l[3].push_str(",\"never closed");
    let text = l.join("\r\n");
    let msg = problems(&p, text.as_bytes());
    assert!(msg.contains("never closed"), "{msg}");
}

#[test]
fn a_row_with_too_few_or_too_many_cells_changes_nothing() {
    let p = sample();
    let base = lines(&sheet(&p));
    // Too few: the last cells (confidence, rationale, sources) lost.
    let mut short = base.clone();
    let cut: Vec<&str> = short[2].split(',').take(6).collect();
    short[2] = cut.join(",");
    let msg = problems(&p, short.join("\r\n").as_bytes());
    assert!(
        msg.contains("row 3") && msg.contains("cells but the header has"),
        "{msg}"
    );
    // Too many, hidden behind an empty trailing cell.
    let mut long = base.clone();
    long[4].push(',');
    let msg = problems(&p, long.join("\r\n").as_bytes());
    assert!(
        msg.contains("row 5") && msg.contains("cells but the header has"),
        "{msg}"
    );
    // A decimal comma in a comma-separated sheet shifts the row.
    let mut comma = base;
    let mut cells: Vec<String> = comma[6].split(',').map(str::to_string).collect();
    cells[5] = "2,5".into();
    comma[6] = cells.join(",");
    let msg = problems(&p, comma.join("\r\n").as_bytes());
    assert!(msg.contains("row 7"), "{msg}");
}

#[test]
fn utf16_sheets_are_read_and_a_stray_byte_in_utf8_is_refused() {
    let p = sample();
    let text = sheet(&p);
    let body = text.strip_prefix('\u{feff}').unwrap();
    let mut le = vec![0xFF, 0xFE];
    let mut be = vec![0xFE, 0xFF];
    for u in body.encode_utf16() {
        le.extend(u.to_le_bytes());
        be.extend(u.to_be_bytes());
    }
    for bytes in [le, be] {
        let preview = import(&p, &bytes).unwrap();
        assert_eq!(preview.changes, vec![]);
        assert!(
            preview.encoding.starts_with("UTF-16"),
            "{}",
            preview.encoding
        );
    }
    let mut mixed = text.into_bytes();
    let at = mixed.len() / 2;
    mixed.insert(at, 0xE9);
    let msg = problems(&p, &mixed);
    assert!(msg.contains("mixes encodings"), "{msg}");
}

#[test]
fn a_huge_cell_is_quoted_as_an_excerpt() {
    let p = sample();
    let mut l = lines(&sheet(&p));
    let mut cells: Vec<String> = l[1].split(',').map(str::to_string).collect();
    cells[5] = "9".repeat(1_000_000);
    cells[2] = "x".repeat(1_000_000);
    l[1] = cells.join(",");
    let msg = problems(&p, l.join("\r\n").as_bytes());
    assert!(msg.len() < 2_000, "the message is {} bytes", msg.len());
}

#[test]
fn every_problem_is_counted_even_past_the_list() {
    let p = sample();
    let header = lines(&sheet(&p))[0].clone();
    let mut text = header;
    let n = 20_000;
    for i in 0..n {
        text.push_str(&format!("\r\nnobody,m{i},,c,,1,low,,"));
    }
    let e = import(&p, text.as_bytes()).unwrap_err();
    assert!(e.len() <= 501);
    assert!(
        csv_io::problem_total(&e) >= n,
        "{}",
        csv_io::problem_total(&e)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Export, change one cell's value in the sheet's text, import: exactly that score
    /// changes (and nothing else, rationales with their line ends included).
    #[test]
    fn editing_one_value_in_the_sheet_changes_exactly_that_score(row in 1usize..200, value in 0u8..5) {
        let mut p = sample();
        let key = p.scores.keys().next().unwrap().clone();
        p.scores.get_mut(&key).unwrap().rationale = "kept\r\nas is, with a comma".into();
        let text = sheet(&p);
        let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(
            text.strip_prefix('\u{feff}').unwrap().as_bytes());
        let mut rows: Vec<Vec<String>> = rdr.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
        let row = 1 + row % (rows.len() - 1);
        let old = rows[row][5].clone();
        let new = value.to_string();
        rows[row][5] = new.clone();
        let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(vec![]);
        for r in &rows {
            w.write_record(r).unwrap();
        }
        let edited = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let preview = import(&p, edited.as_bytes()).unwrap();
        let key = ScoreKey::new(&rows[row][0], &rows[row][1], &rows[row][3]);
        if old == new {
            prop_assert_eq!(preview.changes.len(), 0);
        } else {
            prop_assert_eq!(preview.changes.len(), 1);
            prop_assert_eq!(&preview.changes[0].key, &key);
            let got = preview.changes[0].new.as_ref().map(|s| s.value);
            prop_assert_eq!(got, Some(ScoreValue::Value(f64::from(value))));
        }
    }
}
