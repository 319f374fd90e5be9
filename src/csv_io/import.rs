//! A sheet back to scores: decoding, the separator, the header, then the checker.

use super::checker::Checker;
use super::preview::{ImportOptions, ImportPreview, Problem};
use super::sheet::*;
use crate::model::*;

/// Reads a sheet (bytes as saved by a spreadsheet) against a project. Returns the
/// cells that would change, or every problem found; nothing is half-imported.
pub fn import(
    project: &Project,
    bytes: &[u8],
    opts: &ImportOptions,
) -> Result<ImportPreview, Vec<Problem>> {
    let (text, encoding) = decode(bytes);
    let text = text.strip_prefix(BOM).unwrap_or(&text);
    let first_line = text.lines().next().unwrap_or("");
    let delimiter = detect_delimiter(first_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut records: Vec<(usize, Vec<String>)> = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        match rec {
            Ok(r) => records.push((i + 1, r.iter().map(str::to_string).collect())),
            Err(e) => {
                return Err(vec![Problem::new(
                    i + 1,
                    None,
                    format!("the sheet cannot be read as CSV: {e}"),
                )]);
            }
        }
    }
    let Some((_, header)) = records.first() else {
        return Err(vec![Problem::new(1, None, "the sheet is empty")]);
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| unneutralise(h.trim()).to_string())
        .collect();
    let body: Vec<(usize, Vec<String>)> = records[1..]
        .iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .cloned()
        .collect();
    let norm: Vec<String> = header.iter().map(|h| normalise_column(h)).collect();
    let mut ck = Checker::new(project);
    let is_long = norm.iter().any(|h| h == "value");
    let first_is_mech = norm.first().is_some_and(|h| h == "mechanism_id");
    let (layout, rows) = if is_long {
        (Layout::Long, ck.long(&header, &norm, &body))
    } else if first_is_mech {
        (Layout::Wide, ck.wide(&header, &norm, &body, opts))
    } else {
        ck.problems.push(Problem::new(
            1,
            None,
            format!(
                "the first row is not a header this program wrote: a long sheet needs the columns {}; \
                 a wide sheet starts with mechanism_id, mechanism_name and then criterion ids",
                LONG_COLUMNS.join(", ")
            ),
        ));
        (Layout::Long, 0)
    };
    if !ck.problems.is_empty() {
        let mut p = ck.problems;
        if p.len() > MAX_PROBLEMS {
            let more = p.len() - MAX_PROBLEMS;
            p.truncate(MAX_PROBLEMS);
            p.push(Problem::new(
                p.last().map_or(1, |l| l.row),
                None,
                format!("… and {more} more problems"),
            ));
        }
        return Err(p);
    }
    Ok(ImportPreview {
        layout,
        delimiter,
        encoding,
        rows,
        changes: ck.changes,
    })
}

/// The sheet as text: UTF-8 when it is valid UTF-8, else Windows-1252 (what Excel
/// writes for "CSV" without "UTF-8" on Western European systems).
pub(super) fn decode(bytes: &[u8]) -> (String, &'static str) {
    match std::str::from_utf8(bytes) {
        Ok(s) => (s.to_string(), "UTF-8"),
        Err(_) => (bytes.iter().map(|&b| cp1252(b)).collect(), "Windows-1252"),
    }
}

fn cp1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8D}', 'Ž',
        '\u{8F}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9D}',
        'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9F => HIGH[(b - 0x80) as usize],
        _ => char::from(b),
    }
}

/// The separator of the header line: the most frequent of `,`, `;` and tab outside
/// quotes (comma on a tie or when there is none).
pub(super) fn detect_delimiter(line: &str) -> char {
    let mut counts = [(',', 0usize), (';', 0), ('\t', 0)];
    let mut quoted = false;
    for c in line.chars() {
        if c == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(e) = counts.iter_mut().find(|(d, _)| *d == c) {
            e.1 += 1;
        }
    }
    let best = counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .expect("three entries");
    if best.1 == 0 || counts[0].1 == best.1 {
        ','
    } else {
        best.0
    }
}

/// A header cell as a column key: lower case, spaces and dashes as `_`; the short
/// names `analyst`, `mechanism`, `criterion`, `sources` are accepted too.
fn normalise_column(h: &str) -> String {
    let k: String = h
        .trim()
        .to_lowercase()
        .chars()
        .map(|c| if c == ' ' || c == '-' { '_' } else { c })
        .collect();
    match k.as_str() {
        "analyst" => "analyst_id".into(),
        "mechanism" => "mechanism_id".into(),
        "criterion" => "criterion_id".into(),
        "sources" => "source_ids".into(),
        _ => k,
    }
}
