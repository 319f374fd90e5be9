//! The matrix table (egui_table delegate): row backgrounds, the name, total and index
//! cells, and the score cells with their colour, markers, selection and hover text.

use std::sync::Arc;

use egui::{Align2, FontId, Sense};
use egui_table::{CellInfo, HeaderCellInfo, TableDelegate};

use crate::compute::Cell;
use crate::model::*;
use crate::ui::context::Cx;
use crate::ui::derived::SpreadMap;
use crate::ui::style;
use crate::ui::view_state::{Tab, ViewState};

/// Height of a matrix row.
pub(super) const ROW_H: f32 = 30.0;

pub(super) struct MatrixDelegate<'a, 'b> {
    pub(super) cx: &'a Cx<'b>,
    pub(super) view: &'a mut ViewState,
    pub(super) rows: &'a [usize],
    pub(super) criteria: &'a [(usize, &'b Criterion)],
    pub(super) first_crit: usize,
    pub(super) dark: bool,
    /// The selected block (rows and columns in view order), computed once per frame.
    pub(super) block: Option<(usize, usize, usize, usize)>,
    /// In spread mode: (median, IQR, n) per (mechanism, criterion).
    pub(super) spread: Option<Arc<SpreadMap>>,
    /// Criterion names for the headers, without the words all criteria of a group share.
    pub(super) header_names: Vec<String>,
}

impl TableDelegate for MatrixDelegate<'_, '_> {
    fn header_cell_ui(&mut self, ui: &mut egui::Ui, cell: &HeaderCellInfo) {
        self.header_ui(ui, cell);
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
                self.view.tab = Tab::Mechanism;
            }
            return;
        }
        if col == 1 && crate::teaching::results_hidden(self.cx.project) {
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
                Some(t) => crate::wording::points(t),
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
                        "\nNot viable: {}",
                        crate::compute::gates::fails_phrase(&crate::compute::gates::failures(
                            &self.cx.project.framework,
                            res
                        ))
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
        // The basis in the top-left corner: C claim, D documented, C+D mixed.
        if let Some(b) = c.basis
            && b != Basis::Unknown
        {
            let letter = match b {
                Basis::Claim => "C",
                Basis::Documented => "D",
                _ => "C+D",
            };
            p.text(
                rect.left_top() + egui::vec2(3.0, 2.0),
                Align2::LEFT_TOP,
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
            "{label}\n{value_text}{anchor}\n{}{}{}",
            if c.has_rationale {
                "has rationale"
            } else {
                "no rationale"
            },
            if c.has_sources {
                ", has sources"
            } else {
                ", no sources"
            },
            match c.basis {
                Some(b) if b != Basis::Unknown => format!("\nbasis: {}", b.as_str()),
                _ => String::new(),
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
