//! The block selection of the matrix: the selected cell and the anchor of a
//! Shift-extended block, in view rows and columns.

use crate::model::Criterion;
use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

/// (first row, last row, first column, last column) of the block, in view order.
pub(super) fn clamp_block(
    view: &ViewState,
    rows: &[usize],
    cx: &Cx,
    criteria: &[(usize, &Criterion)],
) -> Option<(usize, usize, usize, usize)> {
    let row_of = |m: &str| {
        rows.iter()
            .position(|&i| cx.matrix.rows[i].mechanism_id == m)
    };
    let col_of = |c: &str| criteria.iter().position(|(_, x)| x.id == c);
    let r = row_of(view.mechanism.as_deref()?)?;
    let c = col_of(view.criterion.as_deref()?)?;
    let (ar, ac) = match &view.block_anchor {
        Some((m, c2)) => (row_of(m).unwrap_or(r), col_of(c2).unwrap_or(c)),
        None => (r, c),
    };
    Some((r.min(ar), r.max(ar), c.min(ac), c.max(ac)))
}
