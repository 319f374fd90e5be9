//! Scores to a sheet: long (one row per score) or wide (mechanisms × criteria).

use super::sheet::*;
use crate::compute::{self, Selection, SelectionError};
use crate::model::*;

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
                    s.map_or_else(String::new, |s| s.basis.as_str().to_string()),
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
