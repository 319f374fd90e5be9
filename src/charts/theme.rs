//! Colours: a light and a dark theme, the Okabe–Ito palette (safe for the common
//! forms of colour blindness) and two sequential ramps for the heatmap.

use plotters::style::RGBColor;

use crate::model::Kind;

/// The Okabe–Ito palette (Okabe & Ito 2008), by name.
pub mod okabe_ito {
    use plotters::style::RGBColor;
    pub const ORANGE: RGBColor = RGBColor(0xE6, 0x9F, 0x00);
    pub const SKY_BLUE: RGBColor = RGBColor(0x56, 0xB4, 0xE9);
    pub const BLUISH_GREEN: RGBColor = RGBColor(0x00, 0x9E, 0x73);
    pub const YELLOW: RGBColor = RGBColor(0xF0, 0xE4, 0x42);
    pub const BLUE: RGBColor = RGBColor(0x00, 0x72, 0xB2);
    pub const VERMILLION: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
    pub const REDDISH_PURPLE: RGBColor = RGBColor(0xCC, 0x79, 0xA7);
    pub const GREY: RGBColor = RGBColor(0x99, 0x99, 0x99);
}

use okabe_ito::*;

/// Series colours in the order they are handed out (yellow late: weak on white).
const SERIES: [RGBColor; 8] = [
    BLUE,
    ORANGE,
    BLUISH_GREEN,
    VERMILLION,
    REDDISH_PURPLE,
    SKY_BLUE,
    YELLOW,
    GREY,
];

/// Series colours on a dark background (the dark blue goes late: weak on black).
const SERIES_DARK: [RGBColor; 8] = [
    SKY_BLUE,
    ORANGE,
    BLUISH_GREEN,
    VERMILLION,
    REDDISH_PURPLE,
    YELLOW,
    BLUE,
    GREY,
];

/// Everything a chart needs to know about colour.
#[derive(Clone, Debug)]
pub struct Theme {
    pub dark: bool,
    pub bg: RGBColor,
    /// Main text and outlines.
    pub fg: RGBColor,
    /// Secondary text: subtitles, notes, tick labels.
    pub muted: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// Axis lines and the quadrant threshold lines.
    pub axis: RGBColor,
    /// Alternate row shading.
    pub zebra: RGBColor,
    /// "Not applicable" cells.
    pub na_fill: RGBColor,
    /// Hatching of "not assessed" cells and of non-viable bars.
    pub hatch: RGBColor,
    /// The line stating that a chart shows a hypothetical scenario.
    pub accent: RGBColor,
    /// Ramps for benefit and cost criteria: (low, high).
    pub benefit_ramp: (RGBColor, RGBColor),
    pub cost_ramp: (RGBColor, RGBColor),
}

impl Theme {
    pub fn new(dark: bool) -> Theme {
        if dark {
            Theme {
                dark,
                bg: RGBColor(0x1B, 0x1B, 0x1B),
                fg: RGBColor(0xE8, 0xE8, 0xE8),
                muted: RGBColor(0xA8, 0xA8, 0xA8),
                grid: RGBColor(0x3A, 0x3A, 0x3A),
                axis: RGBColor(0x80, 0x80, 0x80),
                zebra: RGBColor(0x24, 0x24, 0x24),
                na_fill: RGBColor(0x4A, 0x4A, 0x4A),
                hatch: RGBColor(0x8A, 0x8A, 0x8A),
                accent: RGBColor(0xF0, 0xA8, 0x40),
                benefit_ramp: (RGBColor(0x1F, 0x36, 0x4F), RGBColor(0xA6, 0xD4, 0xF2)),
                cost_ramp: (RGBColor(0x4A, 0x2C, 0x14), RGBColor(0xFD, 0xB8, 0x6B)),
            }
        } else {
            Theme {
                dark,
                bg: RGBColor(0xFF, 0xFF, 0xFF),
                fg: RGBColor(0x1A, 0x1A, 0x1A),
                muted: RGBColor(0x55, 0x55, 0x55),
                grid: RGBColor(0xE2, 0xE2, 0xE2),
                axis: RGBColor(0x80, 0x80, 0x80),
                zebra: RGBColor(0xF5, 0xF5, 0xF5),
                na_fill: RGBColor(0xCF, 0xCF, 0xCF),
                hatch: RGBColor(0x9A, 0x9A, 0x9A),
                accent: RGBColor(0xA3, 0x47, 0x00),
                benefit_ramp: (RGBColor(0xE8, 0xF1, 0xFA), RGBColor(0x08, 0x45, 0x94)),
                cost_ramp: (RGBColor(0xFE, 0xEE, 0xDE), RGBColor(0x9A, 0x34, 0x03)),
            }
        }
    }

    /// The colour of the `i`-th series (cycles after eight).
    pub fn series(&self, i: usize) -> RGBColor {
        let p = if self.dark { &SERIES_DARK } else { &SERIES };
        p[i % p.len()]
    }

    /// The colour of a mechanism kind, the same in every chart.
    pub fn kind(&self, k: Kind) -> RGBColor {
        match k {
            Kind::International => {
                if self.dark {
                    SKY_BLUE
                } else {
                    BLUE
                }
            }
            Kind::Regional => ORANGE,
            Kind::Bilateral => BLUISH_GREEN,
            Kind::Unconventional => REDDISH_PURPLE,
        }
    }

    /// A colour on a ramp at `t` in [0, 1].
    pub fn ramp(&self, ramp: (RGBColor, RGBColor), t: f64) -> RGBColor {
        lerp(ramp.0, ramp.1, t)
    }

    /// Text colour readable on `bg`.
    pub fn text_on(&self, bg: RGBColor) -> RGBColor {
        if luminance(bg) > 0.4 {
            RGBColor(0x1A, 0x1A, 0x1A)
        } else {
            RGBColor(0xF4, 0xF4, 0xF4)
        }
    }
}

/// Linear interpolation between two colours in sRGB.
pub fn lerp(a: RGBColor, b: RGBColor, t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |x: u8, y: u8| (f64::from(x) + (f64::from(y) - f64::from(x)) * t).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Relative luminance (WCAG) of a colour, 0 (black) to 1 (white).
pub fn luminance(c: RGBColor) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.04045 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c.0) + 0.7152 * ch(c.1) + 0.0722 * ch(c.2)
}
