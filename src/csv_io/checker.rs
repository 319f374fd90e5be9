//! Row by row: every id, value, confidence and source of a sheet checked against the
//! project and its rules, each problem with its row and column.

use std::collections::{HashMap, HashSet};

use super::preview::{CellChange, ImportOptions, Problem};
use super::sheet::*;
use crate::model::*;

pub(super) struct Checker<'a> {
    p: &'a Project,
    analysts: HashSet<&'a str>,
    mechanisms: HashSet<&'a str>,
    criteria: HashMap<&'a str, &'a Criterion>,
    sources: HashSet<&'a str>,
    seen: HashMap<ScoreKey, usize>,
    pub(super) problems: Vec<Problem>,
    /// Problems found beyond those kept.
    pub(super) dropped: usize,
    pub(super) changes: Vec<CellChange>,
}

/// The fields of one row, as far as the sheet gives them; None = column absent, keep.
struct Fields {
    value: ScoreValue,
    confidence: Option<Option<Confidence>>,
    rationale: Option<String>,
    sources: Option<Vec<String>>,
    /// None = column absent or cell empty, keep.
    basis: Option<Basis>,
}

impl<'a> Checker<'a> {
    pub(super) fn new(p: &'a Project) -> Checker<'a> {
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
            dropped: 0,
            changes: Vec::new(),
        }
    }

    /// Records a problem; past `MAX_PROBLEMS` only counts it (a sheet of a million bad
    /// rows must not hold a million messages).
    pub(super) fn problem(&mut self, row: usize, col: Option<&str>, msg: impl Into<String>) {
        if self.problems.len() < MAX_PROBLEMS {
            self.problems.push(Problem::new(row, col, msg));
        } else {
            self.dropped += 1;
        }
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
                    "there is no analyst “{}” in the project (analysts: {known}); add the analyst \
                     to the project first, or correct the id",
                    excerpt(id)
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
                format!("there is no mechanism “{}” in the project", excerpt(id)),
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
            rationale: match f.rationale {
                Some(r) if r != base.rationale.replace("\r\n", "\n") => r,
                _ => base.rationale.clone(),
            },
            sources: f.sources.unwrap_or(base.sources.clone()),
            basis: f.basis.unwrap_or(base.basis),
            rationale_for: base.rationale_for,
        };
        let new = base.edited(new);
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

    pub(super) fn long(
        &mut self,
        header: &[String],
        norm: &[String],
        body: &[(usize, Vec<String>)],
    ) -> usize {
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
                    format!(
                        "there is no criterion “{}” in the framework",
                        excerpt(&criterion)
                    ),
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
                                excerpt(c.trim())
                            ),
                        );
                        ok = false;
                        None
                    }
                },
            };
            // Line breaks as LF; a rationale that differs from the project's only in its
            // line endings is kept as it is (see `record`).
            let rationale = get("rationale").map(|r| r.replace("\r\n", "\n"));
            if let Some(r) = &rationale
                && let Err(m) = rules::check_text("the rationale", rules::Text::Long, r)
            {
                self.problem(row, Some(&name("rationale")), m);
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
                                format!("there is no source “{}” in the project", excerpt(id)),
                            );
                            ok = false;
                        } else if !seen.insert(id.as_str()) {
                            self.problem(
                                row,
                                Some(&name("source_ids")),
                                format!("the source “{}” is listed twice", excerpt(id)),
                            );
                            ok = false;
                        }
                    }
                    Some(ids)
                }
            };
            let basis = match get("basis") {
                None => None,
                Some(b) if b.trim().is_empty() => None,
                Some(b) => match Basis::parse(&b.trim().to_lowercase()) {
                    Some(b) => Some(b),
                    None => {
                        self.problem(
                            row,
                            Some(&name("basis")),
                            format!(
                                "“{}” is not a basis: write claim, documented, mixed or unknown",
                                excerpt(b.trim())
                            ),
                        );
                        ok = false;
                        None
                    }
                },
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
                    basis,
                },
            );
        }
        body.len()
    }

    pub(super) fn wide(
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
                    format!("there is no criterion “{}” in the framework", excerpt(id)),
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
                        format!(
                            "the sheet belongs to analyst “{}”, not “{}”",
                            excerpt(&id),
                            excerpt(given)
                        ),
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
                        basis: None,
                    },
                );
            }
        }
        rows.len()
    }
}
