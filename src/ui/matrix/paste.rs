//! Paste of a block of cells from a spreadsheet (tab-separated text), as one undo
//! step. Each cell is read by the one cell parser, `ScoreValue::parse`, shared with
//! CSV import.

use super::block::clamp_block;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::score_edit::{
    EditTarget, current_score, editable, push_override_edit, push_score_edit,
};
use crate::ui::view_state::ViewState;

pub(super) fn paste(
    cx: &Cx,
    view: &mut ViewState,
    rows: &[usize],
    criteria: &[(usize, &Criterion)],
    (r, c): (usize, usize),
    text: &str,
    out: &mut Vec<Action>,
) {
    let target = match editable(cx, view) {
        Ok(t) => t,
        Err(why) => {
            out.push(Action::Status(why.into()));
            return;
        }
    };
    let (r, c) = clamp_block(view, rows, cx, criteria).map_or((r, c), |(r0, _, c0, _)| (r0, c0));
    let lines: Vec<&str> = text
        .trim_end_matches(['\n', '\r'])
        .split('\n')
        .map(|l| l.trim_end_matches('\r'))
        .collect();
    let mut cells = Vec::new();
    for (dr, line) in lines.iter().enumerate() {
        for (dc, raw) in line.split('\t').enumerate() {
            let (ri, ci) = (r + dr, c + dc);
            if ri >= rows.len() || ci >= criteria.len() {
                out.push(Action::Status("The pasted block does not fit: it reaches past the last row or column; nothing was pasted".into()));
                return;
            }
            let crit = criteria[ci].1;
            let mech = &cx.matrix.rows[rows[ri]].mechanism_id;
            let value = match ScoreValue::parse(raw) {
                Ok(v) => v,
                Err(e) => {
                    out.push(Action::Status(format!(
                        "Pasted row {}, column {}: {e}; nothing was pasted",
                        dr + 1,
                        dc + 1
                    )));
                    return;
                }
            };
            if let ScoreValue::Value(v) = value
                && !crit.scale.contains(v)
            {
                out.push(Action::Status(format!(
                    "Pasted row {}, column {}: {} is outside the scale of “{}”; nothing was pasted",
                    dr + 1,
                    dc + 1,
                    format_value(v),
                    crit.name
                )));
                return;
            }
            let mut s = current_score(cx, view, mech, &crit.id);
            s.value = value;
            cells.push((mech.clone(), crit.id.clone(), Some(s)));
        }
    }
    let n = cells.len();
    if n > 0 {
        if let EditTarget::Scenario(sc) = target {
            let values = cells
                .into_iter()
                .map(|(m, c, s)| (m, c, s.map_or(ScoreValue::NotAssessed, |s| s.value)))
                .collect();
            push_override_edit(cx, &sc, values, out);
        } else {
            push_score_edit(cx, view, cells, out);
        }
        out.push(Action::Status(format!("Pasted {n} cells (one undo step)")));
    }
}
