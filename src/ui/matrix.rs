//! The scoring matrix: mechanisms × criteria grouped under their criteria groups, with
//! the composite total and group indices beside the name. Rows and columns are
//! virtualised by egui_table, so only what is visible is laid out.

use egui::{Align2, FontId, Key, Sense};
use egui_table::{CellInfo, Column, HeaderCellInfo, HeaderRow, Table, TableDelegate};

use super::{Action, Cx, RowsKey, Sort, SortKey, ViewState, style};
use crate::compute::Cell;
use crate::edit::Command;
use crate::model::*;

const NAME_W: f32 = 230.0;
const TOTAL_W: f32 = 64.0;
const INDEX_W: f32 = 78.0;
const CELL_W: f32 = 58.0;
const ROW_H: f32 = 30.0;
/// Height of the column-name header row: criterion names are written upwards.
const HEADER_H: f32 = 140.0;

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

fn mechanism_of<'a>(p: &'a Project, id: &str) -> Option<&'a Mechanism> {
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

/// Where an edit of a cell goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditTarget {
    /// The analyst in use, in the base assessment.
    Analyst,
    /// An override of the scenario shown (Delete removes the override).
    Scenario(String),
}

/// Scores can be edited for the analyst in use, or as overrides of the scenario shown.
pub fn editable(cx: &Cx, view: &ViewState) -> Result<EditTarget, &'static str> {
    if view.spread {
        return Err(
            "The spread between analysts is shown (read-only). Choose an analyst to edit scores.",
        );
    }
    if view.consensus {
        return Err(
            "The recorded consensus is shown (read-only). Record consensus in the Workshop tab; choose an analyst to edit scores.",
        );
    }
    if view.round.is_some() {
        return Err(
            "A closed round is shown (read-only). Choose the current round to edit scores.",
        );
    }
    if let Some(s) = &view.scenario {
        return Ok(EditTarget::Scenario(s.clone()));
    }
    if view.analyst.is_none() && !cx.project.analysts.is_empty() {
        return Err(
            "The median of all analysts is shown (read-only). Choose an analyst to edit scores.",
        );
    }
    Ok(EditTarget::Analyst)
}

/// Sets cells as overrides of a scenario, in one undo step. A cell set to "not
/// assessed" loses its override (back to the base value).
pub fn push_override_edit(
    cx: &Cx,
    scenario: &str,
    cells: Vec<(String, String, ScoreValue)>,
    out: &mut Vec<Action>,
) {
    let Some((index, s)) = cx
        .project
        .scenarios
        .iter()
        .enumerate()
        .find(|(_, s)| s.id == scenario)
    else {
        return;
    };
    let mut s = s.clone();
    for (m, c, v) in cells {
        let pos = s
            .score_overrides
            .iter()
            .position(|o| o.mechanism == m && o.criterion == c);
        match (v, pos) {
            (ScoreValue::NotAssessed, Some(i)) => {
                s.score_overrides.remove(i);
            }
            (ScoreValue::NotAssessed, None) => {}
            (v, Some(i)) => s.score_overrides[i].score.value = v,
            (v, None) => s.score_overrides.push(crate::model::ScoreOverride {
                mechanism: m,
                criterion: c,
                score: Score {
                    value: v,
                    rationale: String::new(),
                    confidence: Confidence::Low,
                    sources: Vec::new(),
                },
            }),
        }
    }
    out.push(Action::edit(Command::SetScenario { index, scenario: s }));
}

/// Pushes the edits that set a score for the analyst in use, creating a first analyst
/// when the project has none.
pub fn push_score_edit(
    cx: &Cx,
    view: &mut ViewState,
    cells: Vec<(String, String, Option<Score>)>,
    out: &mut Vec<Action>,
) {
    let analyst = match &view.analyst {
        Some(a) => a.clone(),
        None => {
            let a = Analyst {
                id: "analyst-1".into(),
                name: "Analyst 1".into(),
                note: String::new(),
            };
            if cx.project.analyst(&a.id).is_none() {
                out.push(Action::edit(Command::AddAnalyst(a.clone())));
            }
            view.analyst = Some(a.id.clone());
            a.id
        }
    };
    let cells: Vec<(ScoreKey, Option<Score>)> = cells
        .into_iter()
        .map(|(m, c, s)| (ScoreKey::new(&analyst, &m, &c), s))
        .collect();
    if cells.len() == 1 {
        let (key, score) = cells.into_iter().next().expect("one cell");
        out.push(Action::edit(Command::SetScore { key, score }));
    } else {
        out.push(Action::edit(Command::SetScores { cells }));
    }
}

/// The score the analyst in use has for a cell (or an empty one).
pub fn current_score(cx: &Cx, view: &ViewState, mech: &str, crit: &str) -> Score {
    view.analyst
        .as_deref()
        .and_then(|a| cx.project.score(a, mech, crit))
        .cloned()
        .unwrap_or_default()
}

pub fn matrix_tab_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    toolbar_ui(ui, cx, view, out);
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

    let narrow = ui.available_width() < 980.0;
    let hide = view.hide_indices.unwrap_or(narrow);
    let g = if hide || super::teaching::results_hidden(cx.project) {
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
    let spread = view.spread.then(|| {
        super::workshop_view::spreads(cx, view)
            .iter()
            .filter_map(|s| {
                s.stats.as_ref().map(|st| {
                    (
                        (s.mechanism.clone(), s.criterion.clone()),
                        (st.median, st.iqr, st.n),
                    )
                })
            })
            .collect()
    });
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

/// Whose scores and which scenario are shown (shared by the matrix and results).
pub fn selection_toolbar_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    ui.horizontal_wrapped(|ui| selection_combos_ui(ui, cx, view));
}

fn selection_combos_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState) {
    let label = ui.label("Scores of");
    let current = view
        .analyst
        .as_deref()
        .and_then(|a| cx.project.analyst(a))
        .map_or("All analysts (median)".to_string(), |a| a.name.clone());
    egui::ComboBox::from_id_salt("analyst-choice")
        .selected_text(current)
        .show_ui(ui, |ui| {
            for a in &cx.project.analysts {
                ui.selectable_value(&mut view.analyst, Some(a.id.clone()), &a.name);
            }
            if cx.project.analysts.len() > 1 || cx.project.analysts.is_empty() {
                ui.selectable_value(&mut view.analyst, None, "All analysts (median)");
            }
        })
        .response
        .labelled_by(label.id);
    ui.separator();
    let label = ui.label("Scenario");
    let current = view
        .scenario
        .as_deref()
        .and_then(|s| cx.project.scenario(s))
        .map_or("Base assessment".to_string(), |s| {
            format!("{} (hypothetical)", s.name)
        });
    egui::ComboBox::from_id_salt("scenario-choice")
        .selected_text(current)
        .show_ui(ui, |ui| {
            ui.selectable_value(&mut view.scenario, None, "Base assessment");
            for s in &cx.project.scenarios {
                ui.selectable_value(
                    &mut view.scenario,
                    Some(s.id.clone()),
                    format!("{} (hypothetical)", s.name),
                );
            }
        })
        .response
        .labelled_by(label.id);
}

fn toolbar_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    ui.horizontal_wrapped(|ui| {
        if super::teaching::results_hidden(cx.project) {
            if ui.button("Mark my scoring complete").on_hover_text("Shows totals, indices and charts; then compare with the reference (File menu)").clicked() {
                out.push(Action::edit(Command::SetExerciseComplete(true)));
            }
            ui.separator();
        }
        selection_combos_ui(ui, cx, view);
        ui.separator();
        let mut show = !view.hide_indices.unwrap_or(ui.available_width() < 700.0);
        if ui.checkbox(&mut show, "Group indices").changed() {
            view.hide_indices = Some(!show);
        }
        ui.weak("Keyboard…").on_hover_text(
            "Click a cell, then: arrows move (Shift extends a block), a digit sets the value, Delete clears it to not assessed, N marks not applicable, Enter opens the rationale. Ctrl+C copies the block as tab-separated text; Ctrl+V pastes a block from a spreadsheet (one undo step).",
        );
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
        ui.weak("L/M/H confidence");
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

fn clamp_block(
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

/// Parses one pasted cell: a number (decimal comma allowed), n/a, or empty / – for not assessed.
pub fn parse_cell(text: &str) -> Result<ScoreValue, String> {
    let t = text.trim();
    match t.to_lowercase().as_str() {
        "" | "-" | "–" | "—" | "not assessed" | "not_assessed" => {
            return Ok(ScoreValue::NotAssessed);
        }
        "n/a" | "na" | "not applicable" | "not_applicable" => return Ok(ScoreValue::NotApplicable),
        _ => {}
    }
    t.replace(',', ".")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(ScoreValue::Value)
        .ok_or_else(|| format!("\"{t}\" is not a score"))
}

fn keyboard(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    rows: &[usize],
    criteria: &[(usize, &Criterion)],
    out: &mut Vec<Action>,
) {
    let ctx = ui.ctx().clone();
    if ctx.text_edit_focused() || ctx.memory(|m| m.focused().is_some()) {
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

fn paste(
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
            let value = match parse_cell(raw) {
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

/// (median, IQR, n) of the analysts' scores per (mechanism id, criterion id).
type SpreadMap = std::collections::HashMap<(String, String), (f64, f64, usize)>;

struct MatrixDelegate<'a, 'b> {
    cx: &'a Cx<'b>,
    view: &'a mut ViewState,
    rows: &'a [usize],
    criteria: &'a [(usize, &'b Criterion)],
    first_crit: usize,
    dark: bool,
    /// The selected block (rows and columns in view order), computed once per frame.
    block: Option<(usize, usize, usize, usize)>,
    /// In spread mode: (median, IQR, n) per (mechanism, criterion).
    spread: Option<SpreadMap>,
    /// Criterion names for the headers, without the words all criteria of a group share.
    header_names: Vec<String>,
}

impl MatrixDelegate<'_, '_> {
    /// A criterion header: the name written upwards (the whole height to fit long
    /// names), the weight share under it; click to sort, hover for the definition.
    fn vertical_header(
        &mut self,
        ui: &mut egui::Ui,
        name: &str,
        share: &str,
        hover: &str,
        key: SortKey,
    ) {
        let rect = ui.max_rect();
        let resp = ui.interact(rect, ui.scope_id().with(("vh", name)), Sense::click());
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, name));
        let active = self.view.sort.key == key;
        let color = if active {
            ui.visuals().strong_text_color()
        } else {
            ui.visuals().text_color()
        };
        let font = FontId::proportional(12.0);
        let share_h = 14.0;
        // Fit the name into the height left above the share, with an ellipsis.
        let room = (rect.height() - share_h - 6.0).max(20.0);
        let mut text = name.to_string();
        let mut galley = ui
            .painter()
            .layout_no_wrap(text.clone(), font.clone(), color);
        while galley.size().x > room && text.chars().count() > 2 {
            let keep = text.chars().count() - 2;
            text = format!(
                "{}…",
                text.chars().take(keep).collect::<String>().trim_end()
            );
            galley = ui
                .painter()
                .layout_no_wrap(text.clone(), font.clone(), color);
        }
        let base = egui::pos2(
            rect.center().x - galley.size().y / 2.0,
            rect.bottom() - share_h - 2.0,
        );
        ui.painter().add(
            egui::epaint::TextShape::new(base, galley, color)
                .with_angle(-std::f32::consts::FRAC_PI_2),
        );
        let arrow = if active {
            if self.view.sort.descending {
                " ↑"
            } else {
                " ↓"
            }
        } else {
            ""
        };
        ui.painter().text(
            egui::pos2(rect.center().x, rect.bottom() - 1.0),
            Align2::CENTER_BOTTOM,
            format!("{share}{arrow}"),
            FontId::proportional(10.5),
            ui.visuals().weak_text_color(),
        );
        if resp
            .on_hover_text(format!("{hover}\nClick to sort"))
            .clicked()
        {
            self.view.sort = if active {
                Sort {
                    key,
                    descending: !self.view.sort.descending,
                }
            } else {
                Sort {
                    key,
                    descending: false,
                }
            };
        }
    }

    fn sort_header(&mut self, ui: &mut egui::Ui, text: &str, hover: &str, key: SortKey) {
        let active = self.view.sort.key == key;
        let arrow = if active {
            if self.view.sort.descending {
                " (asc)"
            } else {
                " (desc)"
            }
        } else {
            ""
        };
        let r = ui.add(
            egui::Label::new(
                egui::RichText::new(format!("{text}{arrow}"))
                    .strong()
                    .size(12.0),
            )
            .sense(Sense::click())
            .wrap(),
        );
        let r = r.on_hover_text(format!("{hover}\nClick to sort"));
        if r.clicked() {
            self.view.sort = if active {
                Sort {
                    key,
                    descending: !self.view.sort.descending,
                }
            } else {
                Sort {
                    key,
                    descending: false,
                }
            };
        }
    }
}

impl TableDelegate for MatrixDelegate<'_, '_> {
    fn header_cell_ui(&mut self, ui: &mut egui::Ui, cell: &HeaderCellInfo) {
        let fw = &self.cx.project.framework;
        egui::Frame::NONE.inner_margin(egui::Margin::symmetric(4, 2)).show(ui, |ui| {
            let col = cell.col_range.start;
            if cell.row_nr == 0 {
                let text = if col == 0 {
                    "Mechanism".to_string()
                } else if col == 1 {
                    "Results (0–100)".to_string()
                } else {
                    let (gi, _) = self.criteria[col - self.first_crit];
                    let g = &fw.groups[gi];
                    let share = share(self.cx.matrix.weights.groups[gi], &self.cx.matrix.weights.groups);
                    format!("{} · {} · {}", g.name, g.role.as_str(), crate::wording::whole_percent(share))
                };
                ui.add(egui::Label::new(egui::RichText::new(text).strong()).truncate());
                return;
            }
            if col == 0 {
                self.sort_header(ui, "Name", "Mechanism name", SortKey::Name);
            } else if col == 1 {
                self.sort_header(ui, "Total", "Composite total (0–100; concern groups count inverted). Depends on the weights.", SortKey::Total);
            } else if col < self.first_crit {
                let gi = col - 2;
                let g = &fw.groups[gi];
                let up = if g.role == Role::Concern { "\n(higher = worse)" } else { "" };
                let hover = if g.role == Role::Concern {
                    format!("{} index: higher = more concern", g.name)
                } else {
                    format!("{} index (0–100)", g.name)
                };
                self.sort_header(ui, &format!("{}{up}", short(&g.name, 22)), &hover, SortKey::Group(gi));
            } else {
                let ci = col - self.first_crit;
                let (gi, c) = self.criteria[ci];
                let within = weights_in_group(self.cx, gi);
                let share = share(self.cx.matrix.weights.criteria[ci], &within);
                let dir = if c.direction == Direction::Cost { " (cost)" } else { "" };
                let hover = format!("{}{dir}\n{}\nWeight {} ({} of its group)", c.name, c.definition, format_value(self.cx.matrix.weights.criteria[ci]), crate::wording::whole_percent(share));
                let name = self.header_names[ci].clone();
                self.vertical_header(ui, &name, &crate::wording::whole_percent(share), &hover, SortKey::Criterion(ci));
            }
        });
    }

    fn row_ui(&mut self, ui: &mut egui::Ui, row_nr: u64) {
        let i = self.rows[row_nr as usize];
        if self.view.mechanism.as_deref() == Some(self.cx.matrix.rows[i].mechanism_id.as_str()) {
            ui.painter().rect_filled(
                ui.max_rect(),
                0.0,
                ui.visuals().selection.bg_fill.gamma_multiply(0.25),
            );
        } else if row_nr % 2 == 1 {
            ui.painter()
                .rect_filled(ui.max_rect(), 0.0, ui.visuals().faint_bg_color);
        }
    }

    fn cell_ui(&mut self, ui: &mut egui::Ui, cell: &CellInfo) {
        let ri = self.rows[cell.row_nr as usize];
        let row = &self.cx.matrix.rows[ri];
        let res = &self.cx.results.mechanisms[ri];
        let col = cell.col_nr;
        if col == 0 {
            let selected = self.view.mechanism.as_deref() == Some(row.mechanism_id.as_str());
            let label = if row.added {
                format!("{} (added by scenario)", row.name)
            } else {
                row.name.clone()
            };
            ui.add_space(2.0);
            let r = ui.add(
                egui::Button::selectable(selected, egui::RichText::new(label.clone())).truncate(),
            );
            let r = r.on_hover_text(format!("{} — {}", row.name, row.kind.label()));
            if r.clicked() {
                self.view.mechanism = Some(row.mechanism_id.clone());
                self.view.block_anchor = None;
            }
            if r.double_clicked() {
                self.view.tab = super::Tab::Mechanism;
            }
            return;
        }
        if col == 1 && super::teaching::results_hidden(self.cx.project) {
            ui.painter().text(
                ui.max_rect().center(),
                Align2::CENTER_CENTER,
                "hidden",
                FontId::proportional(11.0),
                ui.visuals().weak_text_color(),
            );
            return;
        }
        if col == 1 {
            let rect = ui.max_rect();
            let text = match res.total {
                Some(t) => crate::wording::one_decimal(t),
                None => "—".into(),
            };
            let rank = res.rank.map_or(String::new(), |r| format!("#{r}"));
            let color = ui.visuals().strong_text_color();
            ui.painter().text(
                rect.left_center() + egui::vec2(4.0, -5.0),
                Align2::LEFT_CENTER,
                &text,
                FontId::proportional(13.0),
                color,
            );
            ui.painter().text(
                rect.left_center() + egui::vec2(4.0, 8.0),
                Align2::LEFT_CENTER,
                &rank,
                FontId::proportional(10.0),
                ui.visuals().weak_text_color(),
            );
            if !res.viable() {
                ui.painter().text(
                    rect.right_center() - egui::vec2(4.0, 0.0),
                    Align2::RIGHT_CENTER,
                    "!",
                    FontId::proportional(15.0),
                    style::error_color(ui),
                );
            }
            let hover = format!(
                "{}\nComposite total: {text} (coverage {})\nRank {}\n{} scored, {} not assessed, {} not applicable, {} low confidence{}",
                row.name,
                crate::wording::whole_percent(res.total_coverage),
                res.rank.map_or("—".to_string(), |r| r.to_string()),
                res.scored,
                res.not_assessed,
                res.not_applicable,
                res.low_confidence,
                if res.viable() {
                    String::new()
                } else {
                    format!(
                        "\nNot viable: fails the gate on {}",
                        res.failed_gates
                            .iter()
                            .map(|g| g.criterion_id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    )
                }
            );
            ui.interact(rect, ui.scope_id().with(("total", ri)), Sense::hover())
                .on_hover_text(hover);
            return;
        }
        if col < self.first_crit {
            let gi = col - 2;
            let Some(g) = res.groups.get(gi) else { return };
            let rect = ui.max_rect();
            let text = g.index.map_or("—".to_string(), crate::wording::whole);
            ui.painter().text(
                rect.center(),
                Align2::CENTER_CENTER,
                &text,
                FontId::proportional(13.0),
                ui.visuals().text_color(),
            );
            ui.interact(rect, ui.scope_id().with(("group", ri, gi)), Sense::hover())
                .on_hover_text(format!(
                    "Index {text} · coverage {}",
                    crate::wording::whole_percent(g.coverage)
                ));
            return;
        }
        let ci = col - self.first_crit;
        let (_, crit) = self.criteria[ci];
        let c = &self.cx.matrix.cells[ri][ci];
        self.score_cell(
            ui,
            ri,
            row.mechanism_id.as_str(),
            crit,
            c,
            cell.row_nr as usize,
            ci,
        );
    }

    fn default_row_height(&self) -> f32 {
        ROW_H
    }
}

impl MatrixDelegate<'_, '_> {
    #[allow(clippy::too_many_arguments)]
    fn score_cell(
        &mut self,
        ui: &mut egui::Ui,
        ri: usize,
        mech: &str,
        crit: &Criterion,
        c: &Cell,
        vis_row: usize,
        ci: usize,
    ) {
        let rect = ui.max_rect().shrink(1.0);
        if let Some(map) = &self.spread {
            let (fill, text, hover) = match map.get(&(mech.to_string(), crit.id.clone())) {
                Some((median, iqr, n)) => (
                    style::spread_fill(self.dark, *iqr),
                    format_value(*median),
                    format!(
                        "median {} · IQR {} · n = {n}",
                        format_value(*median),
                        crate::wording::one_decimal(*iqr)
                    ),
                ),
                None => (
                    style::empty_fill(self.dark),
                    "–".to_string(),
                    "fewer than two analysts scored it".to_string(),
                ),
            };
            ui.painter().rect_filled(rect, 2.0, fill);
            ui.painter().text(
                rect.center(),
                Align2::CENTER_CENTER,
                &text,
                FontId::proportional(14.0),
                style::text_on(fill),
            );
            let id = ui.scope_id().with(("spread", mech, &crit.id));
            let label = format!("{} / {}", self.cx.matrix.rows[ri].name, crit.name);
            let resp = ui.interact(rect, id, Sense::click());
            resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
            if resp.on_hover_text(format!("{label}\n{hover}")).clicked() {
                self.view.mechanism = Some(mech.to_string());
                self.view.criterion = Some(crit.id.clone());
                self.view.workshop.cell = Some((mech.to_string(), crit.id.clone()));
            }
            let _ = (vis_row, ci);
            return;
        }
        let (fill, text) = match c.value {
            ScoreValue::Value(v) => (
                style::cell_fill(self.dark, crit.direction, crit.scale.normalise(v)),
                format_value(v),
            ),
            ScoreValue::NotAssessed => (style::empty_fill(self.dark), "–".into()),
            ScoreValue::NotApplicable => (style::empty_fill(self.dark), "n/a".into()),
        };
        let p = ui.painter();
        p.rect_filled(rect, 2.0, fill);
        let fg = if c.value.number().is_some() {
            style::text_on(fill)
        } else {
            ui.visuals().weak_text_color()
        };
        p.text(
            rect.center() - egui::vec2(6.0, 2.0),
            Align2::CENTER_CENTER,
            &text,
            FontId::proportional(15.0),
            fg,
        );
        if let Some(conf) = c.confidence {
            let letter = &conf.as_str()[..1].to_uppercase();
            p.text(
                rect.right_top() + egui::vec2(-3.0, 2.0),
                Align2::RIGHT_TOP,
                letter,
                FontId::proportional(9.5),
                fg,
            );
        }
        // Markers: a dot for "has rationale", a small square for "has sources".
        let base = rect.left_bottom() + egui::vec2(5.0, -5.0);
        if c.has_rationale {
            p.circle_filled(base, 2.5, fg);
        }
        if c.has_sources {
            let r = egui::Rect::from_center_size(base + egui::vec2(8.0, 0.0), egui::vec2(5.0, 5.0));
            p.rect_filled(r, 0.0, fg);
        }
        if c.overridden {
            p.rect_stroke(
                rect,
                2.0,
                egui::Stroke::new(1.5, style::warn_color(ui)),
                egui::StrokeKind::Inside,
            );
        }
        if let Some((r0, r1, c0, c1)) = self.block
            && (r0..=r1).contains(&vis_row)
            && (c0..=c1).contains(&ci)
        {
            let stroke = if self.view.mechanism.as_deref() == Some(mech)
                && self.view.criterion.as_deref() == Some(crit.id.as_str())
            {
                style::selection_stroke(ui)
            } else {
                egui::Stroke::new(1.0, ui.visuals().selection.stroke.color)
            };
            p.rect_stroke(rect, 2.0, stroke, egui::StrokeKind::Inside);
        }
        let id = ui.scope_id().with(("cell", mech, &crit.id));
        let resp = ui.interact(rect, id, Sense::click());
        let name = &self.cx.matrix.rows[ri].name;
        let label = format!("{name} / {}", crit.name);
        let value_text = match c.value {
            ScoreValue::Value(_) => format!(
                "{text}{}",
                c.confidence
                    .map_or(String::new(), |x| format!(", {} confidence", x.as_str()))
            ),
            ScoreValue::NotAssessed => "not assessed".into(),
            ScoreValue::NotApplicable => "not applicable".into(),
        };
        resp.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, &label));
        let anchor = crit
            .scale
            .anchor(c.value.number().unwrap_or(f64::NAN))
            .map(|a| format!(" — {}", a.label))
            .unwrap_or_default();
        let resp = resp.on_hover_text(format!(
            "{label}\n{value_text}{anchor}\n{}{}",
            if c.has_rationale {
                "has rationale"
            } else {
                "no rationale"
            },
            if c.has_sources {
                ", has sources"
            } else {
                ", no sources"
            }
        ));
        if resp.clicked() {
            let shift = ui.input(|i| i.modifiers.shift);
            if shift {
                if self.view.block_anchor.is_none()
                    && let (Some(m), Some(cr)) =
                        (self.view.mechanism.clone(), self.view.criterion.clone())
                {
                    self.view.block_anchor = Some((m, cr));
                }
            } else {
                self.view.block_anchor = None;
            }
            self.view.mechanism = Some(mech.to_string());
            self.view.criterion = Some(crit.id.clone());
            ui.memory_mut(|m| m.surrender_focus(id));
        }
        if resp.double_clicked() {
            self.view.focus_score_editor = true;
        }
    }
}

/// Header names: when every criterion of a group starts with the same words
/// ("Responsibility towards …"), those words are left out ("… partner states"), so
/// narrow columns still tell the criteria apart. The full name is in the tooltip.
fn header_names(fw: &Framework) -> Vec<String> {
    let mut out = Vec::new();
    for g in &fw.groups {
        let words: Vec<Vec<&str>> = g
            .criteria
            .iter()
            .map(|c| c.name.split_whitespace().collect())
            .collect();
        let mut common = 0;
        if words.len() >= 2 {
            while words
                .iter()
                .all(|w| w.len() > common + 1 && w[common] == words[0][common])
            {
                common += 1;
            }
        }
        for (c, w) in g.criteria.iter().zip(&words) {
            out.push(if common > 0 {
                format!("… {}", w[common..].join(" "))
            } else {
                c.name.clone()
            });
        }
    }
    out
}

fn short(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let cut: String = s.chars().take(n.saturating_sub(1)).collect();
        format!("{cut}…")
    }
}

fn share(w: f64, all: &[f64]) -> f64 {
    let sum: f64 = all.iter().sum();
    if sum > 0.0 { w / sum } else { 0.0 }
}

fn weights_in_group(cx: &Cx, gi: usize) -> Vec<f64> {
    cx.project
        .framework
        .criteria()
        .enumerate()
        .filter(|(_, (g, _))| *g == gi)
        .map(|(ci, _)| cx.matrix.weights.criteria[ci])
        .collect()
}
