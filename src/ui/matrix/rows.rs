//! The matrix rows shown: the mechanisms after the filter and the sort, cached by
//! revision, selection, filter and sort.

use crate::model::*;
use crate::ui::context::Cx;
use crate::ui::view_state::{RowsKey, SortKey, ViewState};

/// Indices into `cx.matrix.rows` after filter and sort, cached by revision, selection,
/// filter and sort.
pub fn visible_rows(cx: &Cx, view: &mut ViewState) -> Vec<usize> {
    let key = RowsKey {
        revision: cx.revision,
        selection: cx.results.selection.clone(),
        filter: view.filter.clone(),
        sort: view.sort,
    };
    if let Some((k, rows)) = &view.rows_cache
        && *k == key
    {
        return rows.clone();
    }
    let rows = compute_rows(cx, view);
    view.rows_cache = Some((key, rows.clone()));
    rows
}

pub(super) fn mechanism_of<'a>(p: &'a Project, id: &str) -> Option<&'a Mechanism> {
    p.mechanism(id).or_else(|| {
        p.scenarios
            .iter()
            .flat_map(|s| &s.added_mechanisms)
            .find(|m| m.id == id)
    })
}

fn compute_rows(cx: &Cx, view: &ViewState) -> Vec<usize> {
    let f = &view.filter;
    let needle = f.search.trim().to_lowercase();
    let mut rows: Vec<usize> = (0..cx.matrix.rows.len())
        .filter(|&i| {
            let Some(m) = mechanism_of(cx.project, &cx.matrix.rows[i].mechanism_id) else {
                return false;
            };
            (needle.is_empty()
                || m.name.to_lowercase().contains(&needle)
                || m.description.to_lowercase().contains(&needle)
                || m.partners
                    .iter()
                    .any(|p| p.to_lowercase().contains(&needle))
                || m.tags.iter().any(|t| t.to_lowercase().contains(&needle)))
                && f.kind.is_none_or(|k| m.kind == k)
                && f.instrument.is_none_or(|ins| m.instruments.contains(&ins))
                && f.region.as_ref().is_none_or(|r| m.regions.contains(r))
        })
        .collect();
    let sort = view.sort;
    let num = |x: Option<f64>| x.unwrap_or(f64::NEG_INFINITY);
    match sort.key {
        SortKey::ProjectOrder => {}
        SortKey::Name => rows.sort_by_key(|&i| cx.matrix.rows[i].name.to_lowercase()),
        SortKey::Kind => rows.sort_by_key(|&i| cx.matrix.rows[i].kind),
        SortKey::StartYear => rows.sort_by_key(|&i| {
            mechanism_of(cx.project, &cx.matrix.rows[i].mechanism_id)
                .and_then(|m| m.start_year)
                .unwrap_or(i32::MAX)
        }),
        SortKey::Total => rows.sort_by(|&a, &b| {
            num(cx.results.mechanisms[b].total).total_cmp(&num(cx.results.mechanisms[a].total))
        }),
        SortKey::Group(g) => rows.sort_by(|&a, &b| {
            let x = |i: usize| {
                num(cx.results.mechanisms[i]
                    .groups
                    .get(g)
                    .and_then(|gi| gi.index))
            };
            x(b).total_cmp(&x(a))
        }),
        SortKey::Criterion(c) => rows.sort_by(|&a, &b| {
            let x = |i: usize| {
                num(cx.matrix.cells[i]
                    .get(c)
                    .and_then(|cell| cell.value.number()))
            };
            x(b).total_cmp(&x(a))
        }),
    }
    if sort.descending {
        rows.reverse();
    }
    rows
}
