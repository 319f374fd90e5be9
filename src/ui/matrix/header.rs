//! The matrix headers: group names with their weight share, sortable name, total and
//! index columns, and criterion names written upwards with their share in the group.

use egui::{Align2, FontId, Sense};
use egui_table::HeaderCellInfo;

use super::table::MatrixDelegate;
use crate::model::*;
use crate::ui::context::Cx;
use crate::ui::view_state::{Sort, SortKey};

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

impl MatrixDelegate<'_, '_> {
    /// A header cell: group names on the first row, sortable column names below.
    pub(super) fn header_ui(&mut self, ui: &mut egui::Ui, cell: &HeaderCellInfo) {
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
}

/// Header names: when every criterion of a group starts with the same words
/// ("Responsibility towards …"), those words are left out ("… partner states"), so
/// narrow columns still tell the criteria apart. The full name is in the tooltip.
pub(super) fn header_names(fw: &Framework) -> Vec<String> {
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
