//! The matrix keyboard: arrows move (Shift extends a block), digits, Delete and N set
//! the selected cell, Enter opens the rationale; copy and paste of a block.

use egui::Key;

use super::block::clamp_block;
use super::paste::paste;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::score_edit::{
    EditTarget, current_score, editable, push_override_edit, push_score_edit,
};
use crate::ui::view_state::ViewState;

pub(super) fn keyboard(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    rows: &[usize],
    criteria: &[(usize, &Criterion)],
    out: &mut Vec<Action>,
) {
    let ctx = ui.ctx().clone();
    if cx.chrome.modal_open || ctx.text_edit_focused() || ctx.memory(|m| m.focused().is_some()) {
        return;
    }
    let row_of = |m: &str| {
        rows.iter()
            .position(|&i| cx.matrix.rows[i].mechanism_id == m)
    };
    let col_of = |c: &str| criteria.iter().position(|(_, x)| x.id == c);
    let (Some(r), Some(c)) = (
        view.mechanism.as_deref().and_then(row_of),
        view.criterion.as_deref().and_then(col_of),
    ) else {
        return;
    };
    let events = ctx.input(|i| i.events.clone());
    let mut new = (r, c);
    let mut extend = false;
    for e in &events {
        match e {
            egui::Event::Key {
                key,
                pressed: true,
                modifiers,
                ..
            } => {
                if modifiers.command || modifiers.alt {
                    continue;
                }
                extend = modifiers.shift;
                match key {
                    Key::ArrowUp => new.0 = new.0.saturating_sub(1),
                    Key::ArrowDown => new.0 = (new.0 + 1).min(rows.len().saturating_sub(1)),
                    Key::ArrowLeft => new.1 = new.1.saturating_sub(1),
                    Key::ArrowRight => new.1 = (new.1 + 1).min(criteria.len() - 1),
                    Key::Delete | Key::Backspace => set_value(
                        cx,
                        view,
                        rows,
                        criteria,
                        (r, c),
                        ScoreValue::NotAssessed,
                        out,
                    ),
                    Key::N => set_value(
                        cx,
                        view,
                        rows,
                        criteria,
                        (r, c),
                        ScoreValue::NotApplicable,
                        out,
                    ),
                    Key::Enter => view.focus_score_editor = true,
                    _ => {
                        if let Some(d) = digit(*key) {
                            set_value(
                                cx,
                                view,
                                rows,
                                criteria,
                                (r, c),
                                ScoreValue::Value(f64::from(d)),
                                out,
                            );
                        }
                    }
                }
            }
            egui::Event::Copy => {
                if let Some((r0, r1, c0, c1)) = clamp_block(view, rows, cx, criteria) {
                    let text: Vec<String> = (r0..=r1)
                        .map(|ri| {
                            (c0..=c1)
                                .map(|ci| match cx.matrix.cells[rows[ri]][ci].value {
                                    ScoreValue::Value(v) => format_value(v),
                                    ScoreValue::NotApplicable => "n/a".into(),
                                    ScoreValue::NotAssessed => String::new(),
                                })
                                .collect::<Vec<_>>()
                                .join("\t")
                        })
                        .collect();
                    ctx.copy_text(text.join("\n"));
                    out.push(Action::Status(format!(
                        "Copied {} × {} cells",
                        r1 - r0 + 1,
                        c1 - c0 + 1
                    )));
                }
            }
            egui::Event::Paste(text) => paste(cx, view, rows, criteria, (r, c), text, out),
            _ => {}
        }
    }
    if new != (r, c) {
        if extend {
            if view.block_anchor.is_none() {
                view.block_anchor = Some((
                    cx.matrix.rows[rows[r]].mechanism_id.clone(),
                    criteria[c].1.id.clone(),
                ));
            }
        } else {
            view.block_anchor = None;
        }
        view.mechanism = Some(cx.matrix.rows[rows[new.0]].mechanism_id.clone());
        view.criterion = Some(criteria[new.1].1.id.clone());
        view.scroll_to_selection = true;
    }
}

fn digit(k: Key) -> Option<u8> {
    Some(match k {
        Key::Num0 => 0,
        Key::Num1 => 1,
        Key::Num2 => 2,
        Key::Num3 => 3,
        Key::Num4 => 4,
        Key::Num5 => 5,
        Key::Num6 => 6,
        Key::Num7 => 7,
        Key::Num8 => 8,
        Key::Num9 => 9,
        _ => return None,
    })
}

fn set_value(
    cx: &Cx,
    view: &mut ViewState,
    rows: &[usize],
    criteria: &[(usize, &Criterion)],
    (r, c): (usize, usize),
    value: ScoreValue,
    out: &mut Vec<Action>,
) {
    let target = match editable(cx, view) {
        Ok(t) => t,
        Err(why) => {
            out.push(Action::Status(why.into()));
            return;
        }
    };
    let mech = cx.matrix.rows[rows[r]].mechanism_id.clone();
    let crit = criteria[c].1;
    if let ScoreValue::Value(v) = value
        && !crit.scale.contains(v)
    {
        out.push(Action::Status(format!(
            "{} is outside the scale of “{}” ({}–{})",
            format_value(v),
            crit.name,
            crit.scale.min,
            crit.scale.max
        )));
        return;
    }
    if let EditTarget::Scenario(sc) = target {
        push_override_edit(cx, &sc, vec![(mech, crit.id.clone(), value)], out);
        return;
    }
    let mut s = current_score(cx, view, &mech, &crit.id);
    s.value = value;
    push_score_edit(cx, view, vec![(mech, crit.id.clone(), Some(s))], out);
}
