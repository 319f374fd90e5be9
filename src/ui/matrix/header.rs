//! The matrix headers: group names with their weight share, sortable name, total and
//! index columns, and criterion names written upwards with their share in the group.

use egui::{Align2, FontId, Sense};
use egui_table::HeaderCellInfo;

use super::table::MatrixDelegate;
use crate::model::*;
use crate::ui::context::Cx;
use crate::ui::view_state::{Sort, SortKey};

impl MatrixDelegate<'_, '_> {
    /// A criterion header: the name written upwards over up to three lines, broken
    /// between words (the shared first words of its group left out only when the
    /// whole name does not fit), the weight share under it; click to sort, hover for
    /// the definition.
    #[allow(clippy::too_many_arguments)]
    fn vertical_header(
        &mut self,
        ui: &mut egui::Ui,
        name: &str,
        short: &str,
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
        let share_h = 14.0;
        let room = (rect.height() - share_h - 6.0).max(20.0);
        let galley = header_galley(ui.ctx(), &[name, short], room, color);
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
                    // Short: the column is narrow when the group indices are hidden.
                    "0–100".to_string()
                } else {
                    let (gi, _) = self.criteria[col - self.first_crit];
                    let g = &fw.groups[gi];
                    let share = share(self.cx.matrix.weights.groups[gi], &self.cx.matrix.weights.groups);
                    // Name and share only (the role is in the column headers' hover), so more
                    // of the name fits; the whole text shows on hover when cut.
                    format!("{} · {}", g.name, crate::wording::whole_percent(share))
                };
                ui.add(egui::Label::new(egui::RichText::new(text).strong()).truncate());
                return;
            }
            if col == 0 {
                self.sort_header(ui, "Name", "Mechanism name", SortKey::Name);
            } else if col == 1 {
                let hover = format!(
                    "Composite total (0–100) under the viewpoint “{}”: {}. Depends on the weights.",
                    self.cx.results.viewpoint.name,
                    self.cx.results.viewpoint.how_counted(fw)
                );
                self.sort_header(ui, "Total", &hover, SortKey::Total);
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
                let short = self.header_names[ci].clone();
                self.vertical_header(ui, &c.name, &short, &crate::wording::whole_percent(share), &hover, SortKey::Criterion(ci));
            }
        });
    }
}

/// Most lines a criterion header takes (the column is about three lines wide).
const HEADER_LINES: usize = 3;

/// The first of `names` that fits in `HEADER_LINES` lines of `room` points, broken
/// between words; when none does, the last one, cut with "…" at the end.
fn header_galley(
    ctx: &egui::Context,
    names: &[&str],
    room: f32,
    color: egui::Color32,
) -> std::sync::Arc<egui::Galley> {
    let layout = |text: &str| {
        let mut job = egui::text::LayoutJob::simple(
            text.to_string(),
            FontId::proportional(12.0),
            color,
            room,
        );
        job.wrap = egui::text::TextWrapping {
            max_width: room,
            max_rows: HEADER_LINES,
            break_anywhere: false,
            overflow_character: Some('…'),
        };
        ctx.fonts_mut(|f| f.layout_job(job))
    };
    let mut galley = layout(names.first().copied().unwrap_or_default());
    for n in names.iter().skip(1) {
        if !galley.elided && !split_mid_word(&galley) {
            break;
        }
        galley = layout(n);
    }
    galley
}

/// Whether a line of `galley` ends inside a word (a word too long for the line).
fn split_mid_word(galley: &egui::Galley) -> bool {
    galley.rows.windows(2).any(|w| {
        let (a, b) = (w[0].text(), w[1].text());
        !a.ends_with(char::is_whitespace)
            && !b.starts_with(char::is_whitespace)
            && a.chars().last().is_some_and(char::is_alphanumeric)
            && b.chars().next().is_some_and(char::is_alphanumeric)
    })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Every criterion of the sample and of each template in its header: the whole
    /// name when it fits in three lines, else the name without its group's shared first
    /// words, and no line break inside a word.
    #[test]
    fn criterion_headers_wrap_between_words() {
        let ctx = egui::Context::default();
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .textures_delta
            .clear();
        let room = super::super::HEADER_H - 14.0 - 6.0;
        let mut projects = vec![crate::bundled::sample()];
        projects.extend(
            crate::bundled::template_ids()
                .into_iter()
                .filter_map(crate::bundled::template),
        );
        let mut whole = 0;
        let mut all = 0;
        for p in &projects {
            let short = header_names(&p.framework);
            for ((_, c), s) in p.framework.criteria().zip(&short) {
                let g = header_galley(&ctx, &[&c.name, s], room, egui::Color32::BLACK);
                assert!(g.rows.len() <= HEADER_LINES, "{}", c.name);
                assert!(
                    !split_mid_word(&g),
                    "{}: {:?}",
                    c.name,
                    g.rows.iter().map(|r| r.text()).collect::<Vec<_>>()
                );
                let shown: Vec<String> = g
                    .rows
                    .iter()
                    .flat_map(|r| {
                        r.text()
                            .split_whitespace()
                            .map(String::from)
                            .collect::<Vec<_>>()
                    })
                    .collect();
                let full: Vec<String> = c.name.split_whitespace().map(String::from).collect();
                all += 1;
                if shown == full {
                    whole += 1;
                } else {
                    let alt: Vec<String> = s.split_whitespace().map(String::from).collect();
                    assert_eq!(shown, alt, "{}: the whole name or its short form", c.name);
                }
                // Three lines of 12-point text fit across the column.
                assert!(g.size().y <= super::super::CELL_W, "{}", c.name);
            }
        }
        assert_eq!(
            whole, all,
            "every name of the sample and the templates is shown whole"
        );
    }

    #[test]
    fn a_word_cut_across_lines_is_detected() {
        let ctx = egui::Context::default();
        ctx.run_ui(egui::RawInput::default(), |_| {})
            .textures_delta
            .clear();
        let g = header_galley(
            &ctx,
            &["Requirementsrequirements"],
            40.0,
            egui::Color32::BLACK,
        );
        assert!(g.rows.len() > 1);
        assert!(split_mid_word(&g));
    }
}
