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
    let (text, encoding) = decode(bytes).map_err(|p| vec![p])?;
    let text = text.strip_prefix(BOM).unwrap_or(&text);
    if let Some(row) = unclosed_quote(text) {
        return Err(vec![Problem::new(
            row,
            None,
            "a quoted cell that starts in this row is never closed: the sheet ends inside \
             quotes (a missing \" or a file cut short); nothing was imported",
        )]);
    }
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
    // A row with more or fewer cells than the header has shifted (a decimal comma in a
    // comma-separated sheet, a lost separator) or lost columns: never guess which.
    let body: Vec<(usize, Vec<String>)> = body
        .into_iter()
        .filter(|(row, cells)| {
            let same = cells.len() == header.len();
            if !same {
                ck.problem(
                    *row,
                    None,
                    format!(
                        "the row has {} cells but the header has {}: a cell was added or lost \
                         (a decimal comma in a comma-separated sheet must be quoted, or use ';' \
                         as the separator); nothing was imported",
                        cells.len(),
                        header.len()
                    ),
                );
            }
            same
        })
        .collect();
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
        let more = p.len().saturating_sub(MAX_PROBLEMS) + ck.dropped;
        if more > 0 {
            p.truncate(MAX_PROBLEMS);
            let mut last = Problem::new(
                p.last().map_or(1, |l| l.row),
                None,
                format!("… and {more} more problems"),
            );
            last.more = more;
            p.push(last);
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

/// The sheet as text, by its encoding: UTF-8 (with or without a BOM), UTF-16 with a
/// BOM (little or big endian), or Windows-1252 (what Excel writes for "CSV" without
/// "UTF-8" on Western European systems) — the last only when no part of the file reads
/// as UTF-8 beyond ASCII, so one stray byte never turns a UTF-8 sheet into mojibake.
pub(super) fn decode(bytes: &[u8]) -> Result<(String, &'static str), Problem> {
    let utf16 = |rest: &[u8], le: bool, name| {
        if !rest.len().is_multiple_of(2) {
            return Err(Problem::new(
                1,
                None,
                format!("the sheet says it is {name} but ends in the middle of a character"),
            ));
        }
        let units: Vec<u16> = rest
            .chunks_exact(2)
            .map(|c| {
                if le {
                    u16::from_le_bytes([c[0], c[1]])
                } else {
                    u16::from_be_bytes([c[0], c[1]])
                }
            })
            .collect();
        String::from_utf16(&units)
            .map(|t| (t, name))
            .map_err(|_| Problem::new(1, None, format!("the sheet says it is {name} but is not")))
    };
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(rest, true, "UTF-16 (little endian)");
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(rest, false, "UTF-16 (big endian)");
    }
    let with_bom = bytes.starts_with(&[0xEF, 0xBB, 0xBF]);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((s.to_string(), "UTF-8")),
        Err(e) => {
            let utf8_beyond_ascii = with_bom || bytes.utf8_chunks().any(|c| !c.valid().is_ascii());
            if utf8_beyond_ascii {
                let at = e.valid_up_to();
                let row = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
                Err(Problem::new(
                    row,
                    None,
                    format!(
                        "the sheet is UTF-8 text but byte {} (0x{:02X}) is not UTF-8: it mixes \
                         encodings; save it again as \"CSV UTF-8\"",
                        at + 1,
                        bytes[at]
                    ),
                ))
            } else {
                Ok((bytes.iter().map(|&b| cp1252(b)).collect(), "Windows-1252"))
            }
        }
    }
}

/// The row (line, counting quoted line breaks as part of their row) where a quoted cell
/// opens that is never closed, if any.
fn unclosed_quote(text: &str) -> Option<usize> {
    let mut row = 1;
    let mut quoted = false;
    let mut opened = 0;
    for c in text.chars() {
        match c {
            '"' => {
                quoted = !quoted;
                if quoted {
                    opened = row;
                }
            }
            '\n' if !quoted => row += 1,
            _ => {}
        }
    }
    quoted.then_some(opened)
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
