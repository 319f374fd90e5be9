//! Colours shared by the panels: cell fills for benefit and cost criteria (two
//! distinct sequential hues), readable text on them, warnings.

use egui::Color32;

use crate::model::Direction;

fn lerp(a: Color32, b: Color32, t: f32) -> Color32 {
    let t = t.clamp(0.0, 1.0);
    let m = |x: u8, y: u8| (f32::from(x) + (f32::from(y) - f32::from(x)) * t).round() as u8;
    Color32::from_rgb(m(a.r(), b.r()), m(a.g(), b.g()), m(a.b(), b.b()))
}

/// Fill for a scored cell at `share` (0–1) of its scale. Benefit criteria are blue,
/// cost criteria orange, so the two read differently at a glance.
pub fn cell_fill(dark: bool, direction: Direction, share: f64) -> Color32 {
    let t = share as f32;
    match (direction, dark) {
        (Direction::Benefit, false) => lerp(
            Color32::from_rgb(0xee, 0xf3, 0xfb),
            Color32::from_rgb(0x1f, 0x5f, 0xa8),
            t,
        ),
        (Direction::Benefit, true) => lerp(
            Color32::from_rgb(0x1e, 0x28, 0x36),
            Color32::from_rgb(0x3d, 0x7f, 0xd1),
            t,
        ),
        (Direction::Cost, false) => lerp(
            Color32::from_rgb(0xfd, 0xf0, 0xe6),
            Color32::from_rgb(0xb8, 0x49, 0x1a),
            t,
        ),
        (Direction::Cost, true) => lerp(
            Color32::from_rgb(0x33, 0x24, 0x1c),
            Color32::from_rgb(0xd0, 0x66, 0x2e),
            t,
        ),
    }
}

/// Black or white, whichever reads better on `fill`.
pub fn text_on(fill: Color32) -> Color32 {
    let l = 0.299 * f32::from(fill.r()) + 0.587 * f32::from(fill.g()) + 0.114 * f32::from(fill.b());
    if l > 140.0 {
        Color32::from_gray(20)
    } else {
        Color32::from_gray(245)
    }
}

/// Fill for a cell without a value (not assessed / not applicable).
pub fn empty_fill(dark: bool) -> Color32 {
    if dark {
        Color32::from_gray(38)
    } else {
        Color32::from_gray(246)
    }
}

pub fn warn_color(ui: &egui::Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(0xf0, 0xb4, 0x29)
    } else {
        Color32::from_rgb(0xa0, 0x5a, 0x00)
    }
}

pub fn error_color(ui: &egui::Ui) -> Color32 {
    ui.visuals().error_fg_color
}

/// Accent for the selected cell's outline.
pub fn selection_stroke(ui: &egui::Ui) -> egui::Stroke {
    egui::Stroke::new(2.0, ui.visuals().selection.stroke.color)
}

/// Fill for the analysts' spread of a cell (IQR, in scale points): pale when they
/// agree, strong purple from 2 points apart.
pub fn spread_fill(dark: bool, iqr: f64) -> Color32 {
    let t = (iqr / 2.0).clamp(0.0, 1.0) as f32;
    if dark {
        lerp(
            Color32::from_rgb(0x26, 0x22, 0x30),
            Color32::from_rgb(0x9b, 0x6b, 0xd6),
            t,
        )
    } else {
        lerp(
            Color32::from_rgb(0xf4, 0xf0, 0xfa),
            Color32::from_rgb(0x6a, 0x3d, 0x9a),
            t,
        )
    }
}
