//! Scores to and from spreadsheets as CSV (documented in docs/csv.md).
//!
//! - **Long** sheets: one row per analyst × mechanism × criterion, with value,
//!   confidence, rationale and sources. They round-trip: export → import changes
//!   nothing.
//! - **Wide** sheets: mechanisms × criteria for one analyst (or the median across
//!   analysts, for reading only). Importing one sets the values only.
//!
//! Exports are UTF-8 with a byte-order mark (so Excel keeps accents), CRLF line ends,
//! and every cell that a spreadsheet would run as a formula (starting with `=`, `+`,
//! `-`, `@`, tab or carriage return) prefixed with an apostrophe, which the import
//! strips again.
//!
//! Imports check every row like the project loader does and either return a preview
//! of the cells that change (`ImportPreview`, turned into one undoable
//! `edit::Command::SetScores`) or every problem with its row and column; never half a
//! sheet. Pure: bytes in, strings or structs out; no I/O.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::compute::{self, Selection, SelectionError};
use crate::edit::Command;
use crate::model::*;

/// The columns of a long sheet, in export order.
pub const LONG_COLUMNS: [&str; 9] = [
    "analyst_id",
    "mechanism_id",
    "mechanism_name",
    "criterion_id",
    "criterion_name",
    "value",
    "confidence",
    "rationale",
    "source_ids",
];

/// Text of a score value in a sheet.
pub const NOT_ASSESSED: &str = "not assessed";
pub const NOT_APPLICABLE: &str = "not applicable";

/// Longest rationale accepted (as in the file format).
pub const MAX_TEXT: usize = 20_000;

/// At most this many problems are returned; the last one says how many more there were.
pub const MAX_PROBLEMS: usize = 500;

const BOM: char = '\u{FEFF}';

// ---------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------

/// How a sheet is laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// One row per analyst × mechanism × criterion.
    Long,
    /// One row per mechanism, one column per criterion, for one analyst or the median.
    Wide,
}

/// What to export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportOptions {
    pub layout: Layout,
    /// Long: only this analyst's rows. Wide: this analyst's values (None: the median
    /// across analysts, which cannot be imported back).
    pub analyst: Option<String>,
    /// `b','` (default) or `b';'` (what French or German Excel expects).
    pub delimiter: u8,
}

impl Default for ExportOptions {
    fn default() -> Self {
        ExportOptions {
            layout: Layout::Long,
            analyst: None,
            delimiter: b',',
        }
    }
}

/// The sheet as text: BOM, CRLF line ends, formula-like cells neutralised.
pub fn export(project: &Project, opts: &ExportOptions) -> Result<String, SelectionError> {
    compute::check_selection(
        project,
        &Selection {
            analyst: opts.analyst.clone(),
            ..Selection::default()
        },
    )?;
    let rows = match opts.layout {
        Layout::Long => long_rows(project, opts.analyst.as_deref()),
        Layout::Wide => wide_rows(project, opts.analyst.as_deref())?,
    };
    Ok(write_rows(&rows, opts.delimiter))
}

/// A number as written in a sheet: no trailing ".0", full precision otherwise.
pub fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// A score value as written in a sheet.
pub fn value_text(v: ScoreValue) -> String {
    match v {
        ScoreValue::Value(x) => number_text(x),
        ScoreValue::NotAssessed => NOT_ASSESSED.to_string(),
        ScoreValue::NotApplicable => NOT_APPLICABLE.to_string(),
    }
}

fn long_rows(p: &Project, analyst: Option<&str>) -> Vec<Vec<String>> {
    let mut rows = vec![LONG_COLUMNS.iter().map(|s| s.to_string()).collect()];
    let criteria: Vec<&Criterion> = p.framework.criteria().map(|(_, c)| c).collect();
    for a in p
        .analysts
        .iter()
        .filter(|a| analyst.is_none_or(|id| a.id == id))
    {
        for m in &p.mechanisms {
            for c in &criteria {
                let s = p.score(&a.id, &m.id, &c.id);
                rows.push(vec![
                    a.id.clone(),
                    m.id.clone(),
                    m.name.clone(),
                    c.id.clone(),
                    c.name.clone(),
                    value_text(s.map_or(ScoreValue::NotAssessed, |s| s.value)),
                    s.map_or_else(String::new, |s| s.confidence.as_str().to_string()),
                    s.map_or_else(String::new, |s| s.rationale.clone()),
                    s.map_or_else(String::new, |s| s.sources.join(";")),
                ]);
            }
        }
    }
    rows
}

fn wide_rows(p: &Project, analyst: Option<&str>) -> Result<Vec<Vec<String>>, SelectionError> {
    let sel = Selection {
        analyst: analyst.map(str::to_string),
        ..Selection::default()
    };
    let matrix = compute::effective_matrix(p, &sel)?;
    let criteria: Vec<&Criterion> = p.framework.criteria().map(|(_, c)| c).collect();
    let mut head = vec!["mechanism_id".to_string(), "mechanism_name".to_string()];
    head.extend(criteria.iter().map(|c| c.id.clone()));
    let label = match analyst {
        Some(a) => format!("analyst: {a}"),
        None => format!(
            "median of {} (read only)",
            match p.analysts.len() {
                1 => "1 analyst".to_string(),
                n => format!("{n} analysts"),
            }
        ),
    };
    let mut names = vec![label, String::new()];
    names.extend(criteria.iter().map(|c| c.name.clone()));
    let mut rows = vec![head, names];
    for (ri, row) in matrix.rows.iter().enumerate() {
        let mut r = vec![row.mechanism_id.clone(), row.name.clone()];
        r.extend(matrix.cells[ri].iter().map(|c| value_text(c.value)));
        rows.push(r);
    }
    Ok(rows)
}

fn write_rows(rows: &[Vec<String>], delimiter: u8) -> String {
    let mut w = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c)))
            .expect("writing to memory does not fail");
    }
    let bytes = w.into_inner().expect("writing to memory does not fail");
    let mut out = String::with_capacity(bytes.len() + 3);
    out.push(BOM);
    out.push_str(&String::from_utf8(bytes).expect("the cells are UTF-8"));
    out
}

fn formula_start(c: char) -> bool {
    matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')
}

/// Whether a cell needs the apostrophe: it starts like a formula, or it is apostrophes
/// followed by such a start (so that the import's stripping is exact).
fn needs_prefix(cell: &str) -> bool {
    cell.trim_start_matches('\'')
        .chars()
        .next()
        .is_some_and(formula_start)
}

/// A cell made safe to open in a spreadsheet: `=1+2` → `'=1+2`.
pub fn neutralise(cell: &str) -> String {
    if needs_prefix(cell) {
        format!("'{cell}")
    } else {
        cell.to_string()
    }
}

/// The cell as it was before `neutralise`: `'=1+2` → `=1+2`; other cells unchanged.
pub fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_prefix(rest) => rest,
        _ => cell,
    }
}

// ---------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------

/// One thing wrong with a sheet: where (row as a spreadsheet numbers it, the header
/// being row 1; the column as the sheet names it) and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub row: usize,
    pub column: Option<String>,
    pub message: String,
}

impl Problem {
    fn new(row: usize, column: Option<&str>, message: impl Into<String>) -> Problem {
        Problem {
            row,
            column: column.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "row {}, column {c}: {}", self.row, self.message),
            None => write!(f, "row {}: {}", self.row, self.message),
        }
    }
}

/// A cell of an analyst's sheet that the import would change (`None` = no score,
/// i.e. not assessed without rationale or sources).
#[derive(Clone, Debug, PartialEq)]
pub struct CellChange {
    pub key: ScoreKey,
    pub old: Option<Score>,
    pub new: Option<Score>,
    /// The sheet row it comes from.
    pub row: usize,
}

impl CellChange {
    /// One line for a preview, e.g. "ana / mekong / geopolitical: 3 → 4, confidence
    /// moderate → high, rationale changed".
    pub fn describe(&self) -> String {
        let empty = Score::default();
        let old = self.old.as_ref().unwrap_or(&empty);
        let new = self.new.as_ref().unwrap_or(&empty);
        let mut what = Vec::new();
        if old.value != new.value {
            what.push(format!(
                "{} → {}",
                value_text(old.value),
                value_text(new.value)
            ));
        }
        if old.confidence != new.confidence && self.old.is_some() && self.new.is_some() {
            what.push(format!(
                "confidence {} → {}",
                old.confidence.as_str(),
                new.confidence.as_str()
            ));
        }
        if old.rationale != new.rationale {
            what.push(
                if old.rationale.is_empty() {
                    "rationale added"
                } else if new.rationale.is_empty() {
                    "rationale removed"
                } else {
                    "rationale changed"
                }
                .to_string(),
            );
        }
        if old.sources != new.sources {
            what.push(format!(
                "sources [{}] → [{}]",
                old.sources.join(";"),
                new.sources.join(";")
            ));
        }
        if what.is_empty() {
            what.push("confidence set".to_string());
        }
        format!(
            "{} / {} / {}: {}",
            self.key.analyst,
            self.key.mechanism,
            self.key.criterion,
            what.join(", ")
        )
    }
}

/// What an import would do, for the app to show before applying it.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportPreview {
    pub layout: Layout,
    /// The separator found in the header line.
    pub delimiter: char,
    /// "UTF-8" or "Windows-1252" (a sheet saved by Excel as plain "CSV").
    pub encoding: &'static str,
    /// Data rows read (empty rows skipped).
    pub rows: usize,
    /// Only the cells that change, in sheet order.
    pub changes: Vec<CellChange>,
}

impl ImportPreview {
    /// The change as one undoable command; None when nothing changes.
    pub fn command(&self) -> Option<Command> {
        (!self.changes.is_empty()).then(|| Command::SetScores {
            cells: self
                .changes
                .iter()
                .map(|c| (c.key.clone(), c.new.clone()))
                .collect(),
        })
    }

    /// One line, e.g. "120 rows read (long sheet, ';'-separated, UTF-8): 3 scores change".
    pub fn summary(&self) -> String {
        let n = self.changes.len();
        format!(
            "{} row{} read ({} sheet, '{}'-separated, {}): {}",
            self.rows,
            if self.rows == 1 { "" } else { "s" },
            match self.layout {
                Layout::Long => "long",
                Layout::Wide => "wide",
            },
            if self.delimiter == '\t' {
                "tab".to_string()
            } else {
                self.delimiter.to_string()
            },
            self.encoding,
            match n {
                0 => "no score changes".to_string(),
                1 => "1 score changes".to_string(),
                n => format!("{n} scores change"),
            }
        )
    }
}

/// Options of an import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// The analyst a wide sheet belongs to when its second row does not say
    /// ("analyst: ID"). Ignored for long sheets, whose rows name their analyst.
    pub analyst: Option<String>,
}

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
fn decode(bytes: &[u8]) -> (String, &'static str) {
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
fn detect_delimiter(line: &str) -> char {
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

/// Parses a value cell (the one parser for cell text, shared with the matrix).
fn parse_value(s: &str) -> Result<ScoreValue, String> {
    ScoreValue::parse(s)
}

struct Checker<'a> {
    p: &'a Project,
    analysts: HashSet<&'a str>,
    mechanisms: HashSet<&'a str>,
    criteria: HashMap<&'a str, &'a Criterion>,
    sources: HashSet<&'a str>,
    seen: HashMap<ScoreKey, usize>,
    problems: Vec<Problem>,
    changes: Vec<CellChange>,
}

/// The fields of one row, as far as the sheet gives them; None = column absent, keep.
struct Fields {
    value: ScoreValue,
    confidence: Option<Option<Confidence>>,
    rationale: Option<String>,
    sources: Option<Vec<String>>,
}

impl<'a> Checker<'a> {
    fn new(p: &'a Project) -> Checker<'a> {
        Checker {
            p,
            analysts: p.analysts.iter().map(|a| a.id.as_str()).collect(),
            mechanisms: p.mechanisms.iter().map(|m| m.id.as_str()).collect(),
            criteria: p
                .framework
                .criteria()
                .map(|(_, c)| (c.id.as_str(), c))
                .collect(),
            sources: p.sources.iter().map(|s| s.id.as_str()).collect(),
            seen: HashMap::new(),
            problems: Vec::new(),
            changes: Vec::new(),
        }
    }

    fn problem(&mut self, row: usize, col: Option<&str>, msg: impl Into<String>) {
        self.problems.push(Problem::new(row, col, msg));
    }

    fn list(ids: impl Iterator<Item = &'a str>) -> String {
        let v: Vec<&str> = ids.collect();
        match v.len() {
            0 => "none".to_string(),
            n if n > 12 => format!("{}, … ({n} in all)", v[..12].join(", ")),
            _ => v.join(", "),
        }
    }

    fn check_analyst(&mut self, row: usize, col: &str, id: &str) -> bool {
        if id.is_empty() {
            self.problem(row, Some(col), "the analyst id is empty");
            return false;
        }
        if !self.analysts.contains(id) {
            let known = Self::list(self.p.analysts.iter().map(|a| a.id.as_str()));
            self.problem(
                row,
                Some(col),
                format!(
                    "there is no analyst “{id}” in the project (analysts: {known}); add the analyst \
                     to the project first, or correct the id"
                ),
            );
            return false;
        }
        true
    }

    fn check_mechanism(&mut self, row: usize, col: &str, id: &str) -> bool {
        if id.is_empty() {
            self.problem(row, Some(col), "the mechanism id is empty");
            return false;
        }
        if !self.mechanisms.contains(id) {
            self.problem(
                row,
                Some(col),
                format!("there is no mechanism “{id}” in the project"),
            );
            return false;
        }
        true
    }

    fn check_value(
        &mut self,
        row: usize,
        col: &str,
        crit: Option<&Criterion>,
        cell: &str,
    ) -> Option<ScoreValue> {
        match parse_value(cell) {
            Ok(ScoreValue::Value(v)) => {
                if let Some(c) = crit
                    && !c.scale.contains(v)
                {
                    self.problem(
                        row,
                        Some(col),
                        format!(
                            "{} is off the scale of “{}” ({} to {})",
                            number_text(v),
                            c.name,
                            c.scale.min,
                            c.scale.max
                        ),
                    );
                    return None;
                }
                Some(ScoreValue::Value(v))
            }
            Ok(v) => Some(v),
            Err(msg) => {
                let msg = match crit {
                    Some(c) => format!(
                        "{msg} (the scale of “{}” is {} to {})",
                        c.name, c.scale.min, c.scale.max
                    ),
                    None => msg,
                };
                self.problem(row, Some(col), msg);
                None
            }
        }
    }

    /// Records the cell: duplicates are problems; a change is kept for the preview.
    fn record(&mut self, row: usize, col: &str, key: ScoreKey, f: Fields) {
        if let Some(first) = self.seen.get(&key) {
            let first = *first;
            self.problem(
                row,
                Some(col),
                format!(
                    "analyst “{}”, mechanism “{}”, criterion “{}” appears twice (first in row {first})",
                    key.analyst, key.mechanism, key.criterion
                ),
            );
            return;
        }
        self.seen.insert(key.clone(), row);
        let old = self.p.scores.get(&key).filter(|s| !s.is_empty()).cloned();
        let base = old.clone().unwrap_or_default();
        let new = Score {
            value: f.value,
            confidence: match f.confidence {
                Some(Some(c)) => c,
                _ => base.confidence,
            },
            rationale: f.rationale.unwrap_or(base.rationale),
            sources: f.sources.unwrap_or(base.sources),
        };
        let new = (!new.is_empty()).then_some(new);
        if let Some(n) = &new {
            let crit = self.criteria.get(key.criterion.as_str()).copied();
            let sources = &self.sources;
            if let Err(m) = rules::check_score(n, crit, &|id| sources.contains(id)) {
                self.problem(row, Some(col), m);
                return;
            }
        }
        if new != old {
            self.changes.push(CellChange { key, old, new, row });
        }
    }

    fn long(&mut self, header: &[String], norm: &[String], body: &[(usize, Vec<String>)]) -> usize {
        let mut col: HashMap<&str, usize> = HashMap::new();
        for (i, k) in norm.iter().enumerate() {
            if !LONG_COLUMNS.contains(&k.as_str()) {
                self.problem(
                    1,
                    Some(&header[i]),
                    format!(
                        "unknown column (a typo?); the columns are {}",
                        LONG_COLUMNS.join(", ")
                    ),
                );
                continue;
            }
            if col.insert(k.as_str(), i).is_some() {
                self.problem(1, Some(&header[i]), "this column appears twice");
            }
        }
        for required in ["analyst_id", "mechanism_id", "criterion_id", "value"] {
            if !col.contains_key(required) {
                self.problem(1, Some(required), "this column is missing");
            }
        }
        if !self.problems.is_empty() {
            return body.len();
        }
        let name = |k: &str| header[col[k]].clone();
        for (row, cells) in body {
            let row = *row;
            if cells.len() > header.len()
                && cells[header.len()..].iter().any(|c| !c.trim().is_empty())
            {
                self.problem(
                    row,
                    None,
                    format!(
                        "the row has {} cells but the header has {} (a decimal comma in a \
                         comma-separated sheet must be quoted, or use ';' as the separator)",
                        cells.len(),
                        header.len()
                    ),
                );
                continue;
            }
            let get = |k: &str| -> Option<String> {
                col.get(k)
                    .map(|&i| unneutralise(cells.get(i).map_or("", String::as_str)).to_string())
            };
            let analyst = get("analyst_id").unwrap_or_default().trim().to_string();
            let mechanism = get("mechanism_id").unwrap_or_default().trim().to_string();
            let criterion = get("criterion_id").unwrap_or_default().trim().to_string();
            let mut ok = self.check_analyst(row, &name("analyst_id"), &analyst);
            ok &= self.check_mechanism(row, &name("mechanism_id"), &mechanism);
            let crit = self.criteria.get(criterion.as_str()).copied();
            if criterion.is_empty() {
                self.problem(
                    row,
                    Some(&name("criterion_id")),
                    "the criterion id is empty",
                );
                ok = false;
            } else if crit.is_none() {
                self.problem(
                    row,
                    Some(&name("criterion_id")),
                    format!("there is no criterion “{criterion}” in the framework"),
                );
                ok = false;
            }
            let value =
                self.check_value(row, &name("value"), crit, &get("value").unwrap_or_default());
            let confidence = match get("confidence") {
                None => None,
                Some(c) if c.trim().is_empty() => Some(None),
                Some(c) => match Confidence::parse(&c.trim().to_lowercase()) {
                    Some(c) => Some(Some(c)),
                    None => {
                        self.problem(
                            row,
                            Some(&name("confidence")),
                            format!(
                                "“{}” is not a confidence: write low, moderate or high",
                                c.trim()
                            ),
                        );
                        ok = false;
                        None
                    }
                },
            };
            let rationale = get("rationale").map(|r| r.replace("\r\n", "\n"));
            if let Some(r) = &rationale
                && r.chars().count() > MAX_TEXT
            {
                self.problem(
                    row,
                    Some(&name("rationale")),
                    format!("the rationale is longer than {MAX_TEXT} characters"),
                );
                ok = false;
            }
            let sources = match get("source_ids") {
                None => None,
                Some(s) => {
                    let ids: Vec<String> = s
                        .split([';', ',', ' ', '\n', '\r', '\t'])
                        .filter(|x| !x.is_empty())
                        .map(str::to_string)
                        .collect();
                    let mut seen = HashSet::new();
                    for id in &ids {
                        if !self.sources.contains(id.as_str()) {
                            self.problem(
                                row,
                                Some(&name("source_ids")),
                                format!("there is no source “{id}” in the project"),
                            );
                            ok = false;
                        } else if !seen.insert(id.as_str()) {
                            self.problem(
                                row,
                                Some(&name("source_ids")),
                                format!("the source “{id}” is listed twice"),
                            );
                            ok = false;
                        }
                    }
                    Some(ids)
                }
            };
            let Some(value) = value else { continue };
            if !ok {
                continue;
            }
            self.record(
                row,
                &name("criterion_id"),
                ScoreKey::new(&analyst, &mechanism, &criterion),
                Fields {
                    value,
                    confidence,
                    rationale,
                    sources,
                },
            );
        }
        body.len()
    }

    fn wide(
        &mut self,
        header: &[String],
        norm: &[String],
        body: &[(usize, Vec<String>)],
        opts: &ImportOptions,
    ) -> usize {
        // Columns: mechanism_id, [mechanism_name], criterion ids…
        let mut crit_cols: Vec<(usize, &'a Criterion)> = Vec::new();
        let mut seen_cols = HashSet::new();
        for (i, k) in norm.iter().enumerate().skip(1) {
            if k == "mechanism_name" && i == 1 {
                continue;
            }
            let id = header[i].trim();
            match self.criteria.get(id).copied() {
                Some(c) => {
                    if !seen_cols.insert(id.to_string()) {
                        self.problem(1, Some(&header[i]), "this criterion appears twice");
                    }
                    crit_cols.push((i, c));
                }
                None if id.is_empty() => {}
                None => self.problem(
                    1,
                    Some(&header[i]),
                    format!("there is no criterion “{id}” in the framework"),
                ),
            }
        }
        // The label row: "analyst: ID", or the median (read only).
        let mut analyst = opts.analyst.clone();
        let mut rows = body;
        if let Some((row, cells)) = body.first() {
            let label = unneutralise(cells.first().map_or("", String::as_str)).trim();
            let lower = label.to_lowercase();
            if lower.starts_with("median") {
                self.problem(
                    *row,
                    Some(&header[0]),
                    "this sheet holds the median across analysts, which cannot be imported; \
                     export one analyst's sheet (--analyst ID) to edit and import it",
                );
                return body.len();
            }
            if let Some(rest) = lower.strip_prefix("analyst") {
                let id = rest.trim_start_matches([':', '=', ' ']).trim();
                let id = label[label.len() - id.len()..].to_string();
                if let Some(given) = &opts.analyst
                    && *given != id
                {
                    self.problem(
                        *row,
                        Some(&header[0]),
                        format!("the sheet belongs to analyst “{id}”, not “{given}”"),
                    );
                }
                analyst = Some(id);
                rows = &body[1..];
            }
        }
        let Some(analyst) = analyst else {
            self.problem(
                2,
                Some(&header[0]),
                "a wide sheet must say whose scores it holds: its second row starts with \
                 “analyst: ID” (or name the analyst with --analyst)",
            );
            return body.len();
        };
        let row_label = body.first().map_or(2, |(r, _)| *r);
        if !self.check_analyst(row_label, &header[0], &analyst) || !self.problems.is_empty() {
            return body.len();
        }
        for (row, cells) in rows {
            let row = *row;
            if cells.len() > header.len()
                && cells[header.len()..].iter().any(|c| !c.trim().is_empty())
            {
                self.problem(
                    row,
                    None,
                    format!(
                        "the row has {} cells but the header has {} (a decimal comma in a \
                         comma-separated sheet must be quoted, or use ';' as the separator)",
                        cells.len(),
                        header.len()
                    ),
                );
                continue;
            }
            let mech = unneutralise(cells.first().map_or("", String::as_str))
                .trim()
                .to_string();
            if !self.check_mechanism(row, &header[0], &mech) {
                continue;
            }
            for (i, c) in &crit_cols {
                let cell = unneutralise(cells.get(*i).map_or("", String::as_str)).to_string();
                let Some(value) = self.check_value(row, &header[*i], Some(c), &cell) else {
                    continue;
                };
                self.record(
                    row,
                    &header[0],
                    ScoreKey::new(&analyst, &mech, &c.id),
                    Fields {
                        value,
                        confidence: None,
                        rationale: None,
                        sources: None,
                    },
                );
            }
        }
        rows.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formula_cells_are_neutralised_and_restored_exactly() {
        for cell in [
            "=1+2", "+33 1 23", "-1", "@SUM(A1)", "\tx", "\rx", "'=x", "''-x", "'plain", "plain",
            "", "a=b",
        ] {
            assert_eq!(unneutralise(&neutralise(cell)), cell, "{cell:?}");
        }
        assert_eq!(neutralise("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(neutralise("'=x"), "''=x");
        assert_eq!(neutralise("'plain"), "'plain");
        assert_eq!(unneutralise("'plain"), "'plain");
    }

    #[test]
    fn values_accept_decimal_commas_and_words() {
        assert_eq!(parse_value("2,5"), Ok(ScoreValue::Value(2.5)));
        assert_eq!(parse_value(" 3 "), Ok(ScoreValue::Value(3.0)));
        assert_eq!(parse_value("-1,25"), Ok(ScoreValue::Value(-1.25)));
        assert_eq!(parse_value(""), Ok(ScoreValue::NotAssessed));
        assert_eq!(parse_value("Not Assessed"), Ok(ScoreValue::NotAssessed));
        assert_eq!(parse_value("not_applicable"), Ok(ScoreValue::NotApplicable));
        assert!(parse_value("1,2,3").is_err());
        assert!(parse_value("high").is_err());
        assert!(parse_value("NaN").is_err());
        assert!(parse_value("inf").is_err());
    }

    #[test]
    fn delimiter_comes_from_the_header_line() {
        assert_eq!(detect_delimiter("a,b,c"), ',');
        assert_eq!(detect_delimiter("a;b;c"), ';');
        assert_eq!(detect_delimiter("\"a;b\",c"), ',');
        assert_eq!(detect_delimiter("a;b,c;d"), ';');
        assert_eq!(detect_delimiter("a\tb\tc"), '\t');
        assert_eq!(detect_delimiter("abc"), ',');
    }

    #[test]
    fn windows_1252_is_decoded() {
        let (s, enc) = decode(b"caf\xe9 \x80");
        assert_eq!(s, "café €");
        assert_eq!(enc, "Windows-1252");
    }
}
