//! The scoring matrix: mechanisms × criteria grouped under their criteria groups, with
//! the composite total and group indices beside the name. Rows and columns are
//! virtualised by egui_table, so only what is visible is laid out.

mod block;
mod header;
mod keyboard;
mod paste;
mod rows;
mod table;

pub use rows::visible_rows;

use egui::Sense;
use egui_table::{Column, HeaderRow, Table};

use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::modal_state::Modal;
use crate::ui::style;
use crate::ui::view_state::ViewState;
use block::clamp_block;
use header::header_names;
use keyboard::keyboard;
use table::MatrixDelegate;

const NAME_W: f32 = 230.0;
const TOTAL_W: f32 = 64.0;
const INDEX_W: f32 = 78.0;
const CELL_W: f32 = 58.0;
/// Height of the column-name header row: criterion names are written upwards.
const HEADER_H: f32 = 156.0;

/// Below this width of the matrix area the group index columns are hidden unless the
/// user ticks "Group indices" (one threshold: the checkbox shows what the matrix does).
const INDICES_MIN_WIDTH: f32 = 980.0;

/// Whether the group index columns are hidden in a matrix area `width` points wide.
fn indices_hidden(view: &ViewState, width: f32) -> bool {
    view.hide_indices.unwrap_or(width < INDICES_MIN_WIDTH)
}

pub fn matrix_tab_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    let width = ui.available_width();
    toolbar_ui(ui, cx, view, width, out);
    if let Some(s) = view
        .scenario
        .as_deref()
        .and_then(|s| cx.project.scenario(s))
    {
        ui.colored_label(
            style::warn_color(ui),
            format!("Hypothetical scenario: {} — overridden cells are outlined; a value typed here becomes an override of this scenario (Delete removes it).", s.name),
        );
    }
    let rows = visible_rows(cx, view);
    let criteria: Vec<(usize, &Criterion)> = cx.project.framework.criteria().collect();
    if criteria.is_empty() {
        ui.label("The framework has no criteria yet. Add criteria groups and criteria in the Framework tab.");
        return;
    }
    if cx.matrix.rows.is_empty() {
        ui.label(
            "No mechanisms yet. Use “Add mechanism” in the mechanisms panel or the Edit menu.",
        );
        return;
    }
    keyboard(ui, cx, view, &rows, &criteria, out);
    legend_ui(ui);

    let hide = indices_hidden(view, width);
    let g = if hide || crate::teaching::results_hidden(cx.project) {
        0
    } else {
        cx.project.framework.groups.len()
    };
    // Minimum widths matter: egui's sizing pass shrinks columns to their content,
    // and painted cells report none.
    let mut columns = vec![
        Column::new(NAME_W).range(160.0..=600.0).resizable(true),
        Column::new(TOTAL_W)
            .range(TOTAL_W..=TOTAL_W)
            .resizable(false),
    ];
    columns.extend((0..g).map(|_| {
        Column::new(INDEX_W)
            .range(INDEX_W..=INDEX_W)
            .resizable(false)
    }));
    columns.extend(
        criteria
            .iter()
            .map(|_| Column::new(CELL_W).range(CELL_W..=160.0).resizable(true)),
    );
    let first_crit = 2 + g;
    let mut groups = vec![0..1, 1..first_crit];
    let mut start = first_crit;
    for grp in &cx.project.framework.groups {
        if !grp.criteria.is_empty() {
            groups.push(start..start + grp.criteria.len());
            start += grp.criteria.len();
        }
    }
    let mut scroll_to = None;
    if view.scroll_to_selection {
        view.scroll_to_selection = false;
        let r = view.mechanism.as_ref().and_then(|m| {
            rows.iter()
                .position(|&i| cx.matrix.rows[i].mechanism_id == *m)
        });
        let c = view
            .criterion
            .as_ref()
            .and_then(|c| criteria.iter().position(|(_, x)| x.id == *c));
        scroll_to = Some((r, c.map(|c| c + first_crit)));
    }
    let mut table = Table::new()
        .id_salt("scoring-matrix")
        .num_rows(rows.len() as u64)
        .columns(columns)
        .num_sticky_cols(1)
        .headers([
            HeaderRow {
                height: 22.0,
                groups,
            },
            HeaderRow::new(HEADER_H),
        ]);
    if let Some((r, c)) = scroll_to {
        if let Some(r) = r {
            table = table.scroll_to_row(r as u64, None);
        }
        if let Some(c) = c {
            table = table.scroll_to_column(c, None);
        }
    }
    let block = clamp_block(view, &rows, cx, &criteria);
    let spread = view.spread.then(|| view.derived.spread_map(cx));
    let mut delegate = MatrixDelegate {
        spread,
        header_names: header_names(&cx.project.framework),
        block,
        cx,
        view,
        rows: &rows,
        criteria: &criteria,
        first_crit,
        dark: ui.visuals().dark_mode,
    };
    table.show(ui, &mut delegate);
}

fn toolbar_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, width: f32, out: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        if crate::teaching::results_hidden(cx.project) {
            if ui.button("Mark my scoring complete").on_hover_text("Shows totals, indices and charts; then compare with the reference (File menu). Asks first, with how many cells you scored.").clicked() {
                let p = cx.project;
                let analyst = view
                    .analyst
                    .clone()
                    .or_else(|| p.analysts.first().map(|a| a.id.clone()))
                    .unwrap_or_default();
                let (scored, cells) = crate::teaching::progress(p, &analyst);
                out.push(Action::Modal(Modal::ConfirmComplete { scored, cells }));
            }
            ui.separator();
        }
        crate::ui::selection_bar::selection_combos_ui(ui, cx, view);
        ui.separator();
        let mut show = !indices_hidden(view, width);
        if ui.checkbox(&mut show, "Group indices").changed() {
            view.hide_indices = Some(!show);
        }
        let (copy, paste) = crate::ui::commands::copy_paste_text(ui.ctx());
        ui.weak("Keyboard…").on_hover_text(format!(
            "Click a cell, then: arrows move (Shift extends a block), a digit sets the value, Delete clears it to not assessed, N marks not applicable, Enter opens the rationale. {copy} copies the block as tab-separated text; {paste} pastes a block from a spreadsheet (one undo step).",
        ));
    });
}

fn legend_ui(ui: &mut egui::Ui) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let dark = ui.visuals().dark_mode;
        for (dir, text) in [
            (Direction::Benefit, "benefit"),
            (Direction::Cost, "cost (higher = worse)"),
        ] {
            let (r, _) = ui.allocate_exact_size(egui::vec2(32.0, 12.0), Sense::hover());
            for i in 0..4 {
                let x0 = r.left() + i as f32 * 8.0;
                let rect =
                    egui::Rect::from_min_size(egui::pos2(x0, r.top()), egui::vec2(8.0, 12.0));
                ui.painter().rect_filled(
                    rect,
                    0.0,
                    style::cell_fill(dark, dir, f64::from(i) / 3.0),
                );
            }
            ui.weak(text);
            ui.add_space(6.0);
        }
        ui.weak("L/M/H confidence · C/D/C+D basis (claim, documented, mixed)");
        let (r, _) = ui.allocate_exact_size(egui::vec2(8.0, 12.0), Sense::hover());
        ui.painter()
            .circle_filled(r.center(), 2.5, ui.visuals().text_color());
        ui.weak("rationale");
        let (r, _) = ui.allocate_exact_size(egui::vec2(8.0, 12.0), Sense::hover());
        ui.painter().rect_filled(
            egui::Rect::from_center_size(r.center(), egui::vec2(5.0, 5.0)),
            0.0,
            ui.visuals().text_color(),
        );
        ui.weak("sources · – not assessed · n/a · ! gate failed");
    });
}
