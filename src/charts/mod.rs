//! Charts drawn with plotters, one draw function per chart for the screen (an RGB
//! buffer the app turns into a texture) and for export (PNG and SVG), so what is
//! exported is what is seen. No egui here, no I/O except `write_*`.
//!
//! Every chart draws its own background (light or dark), a title, axis labels or a
//! legend, and uses the Okabe–Ito palette. Sizes are in points multiplied by
//! `ChartOptions::scale` (pixels per point) and by a mild factor that grows type a
//! little on large canvases, so a 200 % render is crisp and a 1600 × 1000 export
//! stays legible when shrunk onto a page.
//!
//! Charts use group roles (requirement, objective, concern), never group names.

/// The public functions of a chart drawn from its own input type: RGB and SVG
/// rendering, and PNG and SVG files written atomically. One definition for every such
/// chart (spread, strip, alpha, acceptability, bump, arrows).
macro_rules! chart_functions {
    ($what:literal, $input:ty, $job:ident, $rgb:ident, $svg:ident, $png_file:ident, $svg_file:ident) => {
        #[doc = concat!("The ", $what, " as an RGB buffer (size, theme and scale from `opts`; its kind is ignored).")]
        pub fn $rgb(input: &$input, opts: &super::ChartOptions) -> Result<Vec<u8>, super::ChartError> {
            super::rgb_job(&super::Job::$job(input), opts)
        }

        #[doc = concat!("The ", $what, " as an SVG document.")]
        pub fn $svg(input: &$input, opts: &super::ChartOptions) -> Result<String, super::ChartError> {
            super::svg_job(&super::Job::$job(input), opts)
        }

        #[doc = concat!("The ", $what, " written as a PNG file, atomically.")]
        pub fn $png_file(
            path: &std::path::Path,
            input: &$input,
            opts: &super::ChartOptions,
        ) -> Result<(), super::ChartError> {
            let rgb = $rgb(input, opts)?;
            super::write_file(path, &super::encode_png(&rgb, opts.width, opts.height)?)
        }

        #[doc = concat!("The ", $what, " written as an SVG file, atomically.")]
        pub fn $svg_file(
            path: &std::path::Path,
            input: &$input,
            opts: &super::ChartOptions,
        ) -> Result<(), super::ChartError> {
            super::write_file(path, $svg(input, opts)?.as_bytes())
        }
    };
}
pub(crate) use chart_functions;

mod acceptability;
mod alpha;
mod arrows;
mod bars;
mod bump;
mod canvas;
mod columns;
mod fonts;
mod frame;
mod geom;
mod heatmap;
mod labels;
mod legend;
mod plane;
mod quadrant;
mod radar;
mod ranking;
mod spread;
mod strip;
mod theme;
mod tornado;

pub use acceptability::{
    AcceptabilityInput, render_acceptability_rgb, render_acceptability_svg,
    write_acceptability_png, write_acceptability_svg,
};
pub use arrows::{
    ArrowsInput, render_arrows_rgb, render_arrows_svg, write_arrows_png, write_arrows_svg,
};
pub use bump::{BumpInput, render_bump_rgb, render_bump_svg, write_bump_png, write_bump_svg};
pub use fonts::{CJK_FONT_CANDIDATES, has_fallback_font};
// Workshop disagreement: the spread heatmap, the strip plot of chosen cells, alpha.
pub use alpha::{
    AlphaInput, AlphaRow, alpha_input, render_alpha_rgb, render_alpha_svg, write_alpha_png,
    write_alpha_svg,
};
pub use spread::{
    SpreadCell, SpreadColumn, SpreadInput, anonymous_analyst_label, render_spread_rgb,
    render_spread_svg, spread_input, write_spread_png, write_spread_svg,
};
pub use strip::{
    STRIP_DEFAULT_CELLS, StripInput, StripRow, render_strip_rgb, render_strip_svg,
    strip_default_cells, strip_input, strip_input_for, write_strip_png, write_strip_svg,
};

use std::path::Path;

use plotters::prelude::*;

use crate::compute::{Matrix, MechanismResult, Results};
use crate::model::Project;
use canvas::{Canvas, Flavor, Res};
use theme::Theme;

/// The charts of a project's results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChartKind {
    /// Selected mechanisms over the criteria (or the group indices).
    Radar,
    /// Group indices per mechanism, one panel per criteria group.
    GroupBars,
    /// The whole effective matrix, mechanisms × criteria.
    Heatmap,
    /// First objective against second objective, bubble = requirements.
    Quadrant,
    /// Mechanisms ranked by composite total.
    Ranking,
}

impl ChartKind {
    pub const ALL: [ChartKind; 5] = [
        ChartKind::Radar,
        ChartKind::GroupBars,
        ChartKind::Heatmap,
        ChartKind::Quadrant,
        ChartKind::Ranking,
    ];

    /// The file name of an exported chart, without extension.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Radar => "radar",
            ChartKind::GroupBars => "bars",
            ChartKind::Heatmap => "heatmap",
            ChartKind::Quadrant => "quadrant",
            ChartKind::Ranking => "ranking",
        }
    }

    /// A short human name, e.g. for a tab or a menu.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Radar => "Radar profile",
            ChartKind::GroupBars => "Group indices",
            ChartKind::Heatmap => "Score heatmap",
            ChartKind::Quadrant => "Objectives quadrant",
            ChartKind::Ranking => "Ranking by composite",
        }
    }

    /// The kind whose `file_stem` is `s`.
    pub fn parse(s: &str) -> Option<ChartKind> {
        ChartKind::ALL.into_iter().find(|k| k.file_stem() == s)
    }
}

/// What to draw and how big.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartOptions {
    pub kind: ChartKind,
    /// Mechanism ids for the radar and the bars, in the order to draw them. Empty:
    /// the radar shows the five best by composite total, the bars show all.
    /// Unknown ids are ignored.
    pub mechanisms: Vec<String>,
    /// The radar's spokes are the group indices instead of the criteria.
    pub radar_over_groups: bool,
    /// Where the quadrant lines are drawn, on the 0–100 index scale.
    pub quadrant_threshold: f64,
    pub dark: bool,
    /// Size of the image in pixels.
    pub width: u32,
    pub height: u32,
    /// Pixels per point: type, lines and margins scale with it.
    pub scale: f32,
}

impl ChartOptions {
    pub fn new(kind: ChartKind) -> ChartOptions {
        ChartOptions {
            kind,
            mechanisms: Vec::new(),
            radar_over_groups: false,
            quadrant_threshold: 50.0,
            dark: false,
            width: 1600,
            height: 1000,
            scale: 1.0,
        }
    }
}

impl Default for ChartOptions {
    fn default() -> Self {
        ChartOptions::new(ChartKind::Radar)
    }
}

/// The data a chart is drawn from: the results of one selection (scenario,
/// analyst) of a project, with the effective matrix behind them.
#[derive(Clone, Copy, Debug)]
pub struct ChartInput<'a> {
    pub project: &'a Project,
    pub matrix: &'a Matrix,
    pub results: &'a Results,
    /// A line under the title, e.g. "Scenario (hypothetical): X".
    pub title_suffix: Option<&'a str>,
}

/// The words of a tornado chart: what the bars mean depends on the analysis.
#[derive(Clone, Copy, Debug)]
pub struct TornadoText<'a> {
    pub title: &'a str,
    pub subtitle: &'a str,
    pub axis: &'a str,
    pub low_label: &'a str,
    pub high_label: &'a str,
}

impl<'a> TornadoText<'a> {
    /// The classic one-input-at-a-time tornado.
    pub fn one_at_a_time(title: &'a str, axis: &'a str) -> TornadoText<'a> {
        TornadoText {
            title,
            subtitle: "Each bar: the result with one input at its low end and at its high end, all else at the base case. Widest first.",
            axis,
            low_label: "Input at its low end",
            high_label: "Input at its high end",
        }
    }

    /// Stability intervals of weights: how far each weight's share can move.
    pub fn weight_stability(title: &'a str) -> TornadoText<'a> {
        TornadoText {
            title,
            subtitle: "Each bar: the range of a weight's share (the other weights rescaled in proportion) over which first place stays the same. The mark is today's share. Narrow bars: fragile. Widest first.",
            axis: "Share of the weight in its level (%)",
            low_label: "Can fall to",
            high_label: "Can rise to",
        }
    }
}

/// A tornado chart with chosen words, as RGB.
pub fn render_tornado_text_rgb(
    bars: &[TornadoBar],
    text: &TornadoText,
    opts: &ChartOptions,
) -> Result<Vec<u8>, ChartError> {
    rgb_job(&Job::Tornado(bars, text), opts)
}

/// A tornado chart with chosen words, as SVG.
pub fn render_tornado_text_svg(
    bars: &[TornadoBar],
    text: &TornadoText,
    opts: &ChartOptions,
) -> Result<String, ChartError> {
    svg_job(&Job::Tornado(bars, text), opts)
}

/// One bar of a tornado chart: the output when one input is at its low and at its
/// high end, and the output at the base case.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoBar {
    pub label: String,
    pub low: f64,
    pub high: f64,
    pub base: f64,
}

/// Why a chart could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ChartError {
    #[error("invalid chart options: {0}")]
    Options(String),
    #[error("the chart font could not be loaded")]
    Font,
    #[error("drawing the chart failed: {0}")]
    Draw(String),
    #[error("encoding the PNG failed: {0}")]
    Encode(String),
    #[error("could not write the chart: {error} ({})", path.display())]
    Io {
        path: std::path::PathBuf,
        error: std::io::Error,
    },
}

/// Largest side of a chart in pixels.
pub const MAX_SIDE: u32 = 8192;
/// Smallest side of a chart in pixels.
pub const MIN_SIDE: u32 = 64;

/// Renders a chart into an RGB buffer of `width × height × 3` bytes, row by row.
pub fn render_rgb(input: &ChartInput, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    rgb_job(&Job::Chart(input), opts)
}

/// Renders a chart as an SVG document.
pub fn render_svg(input: &ChartInput, opts: &ChartOptions) -> Result<String, ChartError> {
    svg_job(&Job::Chart(input), opts)
}

/// Renders a chart as PNG file bytes.
pub fn render_png(input: &ChartInput, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    let rgb = render_rgb(input, opts)?;
    encode_png(&rgb, opts.width, opts.height)
}

/// Renders a chart and writes it as a PNG file, atomically.
pub fn write_png(path: &Path, input: &ChartInput, opts: &ChartOptions) -> Result<(), ChartError> {
    write_file(path, &render_png(input, opts)?)
}

/// Renders a chart and writes it as an SVG file, atomically.
pub fn write_svg(path: &Path, input: &ChartInput, opts: &ChartOptions) -> Result<(), ChartError> {
    write_file(path, render_svg(input, opts)?.as_bytes())
}

/// A tornado chart: one horizontal bar per input, from the output at the input's
/// low end to the output at its high end, around the base case; widest bar on top.
/// Uses the size, theme and scale of `opts` (its kind is ignored).
pub fn render_tornado_rgb(
    bars: &[TornadoBar],
    title: &str,
    axis_label: &str,
    opts: &ChartOptions,
) -> Result<Vec<u8>, ChartError> {
    rgb_job(
        &Job::Tornado(bars, &TornadoText::one_at_a_time(title, axis_label)),
        opts,
    )
}

/// The tornado chart as an SVG document (see `render_tornado_rgb`).
pub fn render_tornado_svg(
    bars: &[TornadoBar],
    title: &str,
    axis_label: &str,
    opts: &ChartOptions,
) -> Result<String, ChartError> {
    svg_job(
        &Job::Tornado(bars, &TornadoText::one_at_a_time(title, axis_label)),
        opts,
    )
}

/// The tornado chart written as a PNG file, atomically.
pub fn write_tornado_png(
    path: &Path,
    bars: &[TornadoBar],
    title: &str,
    axis_label: &str,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    let rgb = render_tornado_rgb(bars, title, axis_label, opts)?;
    write_file(path, &encode_png(&rgb, opts.width, opts.height)?)
}

/// The tornado chart written as an SVG file, atomically.
pub fn write_tornado_svg(
    path: &Path,
    bars: &[TornadoBar],
    title: &str,
    axis_label: &str,
    opts: &ChartOptions,
) -> Result<(), ChartError> {
    let svg = render_tornado_svg(bars, title, axis_label, opts)?;
    write_file(path, svg.as_bytes())
}

/// Encodes an RGB buffer as PNG bytes.
pub fn encode_png(rgb: &[u8], width: u32, height: u32) -> Result<Vec<u8>, ChartError> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let mut out = Vec::with_capacity(rgb.len() / 8);
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::Adaptive)
        .write_image(rgb, width, height, image::ExtendedColorType::Rgb8)
        .map_err(|e| ChartError::Encode(e.to_string()))?;
    Ok(out)
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ChartError> {
    crate::persist::atomic::write_atomic(path, bytes).map_err(|error| ChartError::Io {
        path: path.to_path_buf(),
        error,
    })
}

/// What to draw on a canvas.
enum Job<'a> {
    Chart(&'a ChartInput<'a>),
    Tornado(&'a [TornadoBar], &'a TornadoText<'a>),
    Bump(&'a BumpInput<'a>),
    Arrows(&'a ArrowsInput<'a>),
    Acceptability(&'a AcceptabilityInput),
    Spread(&'a SpreadInput),
    Strip(&'a StripInput),
    Alpha(&'a AlphaInput),
}

fn rgb_job(job: &Job, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
    check(opts)?;
    fonts::ensure()?;
    let (w, h) = (opts.width, opts.height);
    let mut buf = vec![0u8; w as usize * h as usize * 3];
    {
        let area = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
        let c = Canvas::new(
            area,
            Flavor::Bitmap,
            pixel_scale(opts),
            Theme::new(opts.dark),
        );
        draw_job(&c, job, opts)?;
        c.present()?;
    }
    Ok(buf)
}

fn svg_job(job: &Job, opts: &ChartOptions) -> Result<String, ChartError> {
    check(opts)?;
    fonts::ensure()?;
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (opts.width, opts.height)).into_drawing_area();
        let c = Canvas::new(area, Flavor::Svg, pixel_scale(opts), Theme::new(opts.dark));
        draw_job(&c, job, opts)?;
        c.present()?;
    }
    Ok(out)
}

fn draw_job<DB: DrawingBackend>(c: &Canvas<DB>, job: &Job, opts: &ChartOptions) -> Res {
    c.clear()?;
    match job {
        Job::Chart(input) => match opts.kind {
            ChartKind::Radar => radar::draw(c, input, opts),
            ChartKind::GroupBars => bars::draw(c, input, opts),
            ChartKind::Heatmap => heatmap::draw(c, input),
            ChartKind::Quadrant => quadrant::draw(c, input, opts),
            ChartKind::Ranking => ranking::draw(c, input),
        },
        Job::Tornado(bars, text) => tornado::draw(c, bars, text),
        Job::Bump(input) => bump::draw(c, input),
        Job::Arrows(input) => arrows::draw(c, input, opts),
        Job::Acceptability(input) => acceptability::draw(c, input),
        Job::Spread(input) => spread::draw(c, input),
        Job::Strip(input) => strip::draw(c, input),
        Job::Alpha(input) => alpha::draw(c, input),
    }
}

fn check(opts: &ChartOptions) -> Result<(), ChartError> {
    let side = MIN_SIDE..=MAX_SIDE;
    if !side.contains(&opts.width) || !side.contains(&opts.height) {
        return Err(ChartError::Options(format!(
            "a chart must be between {MIN_SIDE} and {MAX_SIDE} pixels wide and high, not {}×{}",
            opts.width, opts.height
        )));
    }
    if !(opts.scale.is_finite() && (0.25..=8.0).contains(&opts.scale)) {
        return Err(ChartError::Options(format!(
            "the scale must be between 0.25 and 8 pixels per point, not {}",
            opts.scale
        )));
    }
    if !(opts.quadrant_threshold.is_finite() && (0.0..=100.0).contains(&opts.quadrant_threshold)) {
        return Err(ChartError::Options(format!(
            "the quadrant threshold must be between 0 and 100, not {}",
            opts.quadrant_threshold
        )));
    }
    Ok(())
}

/// Pixels per point for drawing: the requested scale times a factor that grows type
/// a little on large canvases and shrinks it a little on small ones.
fn pixel_scale(opts: &ChartOptions) -> f64 {
    let s = f64::from(opts.scale);
    let (wp, hp) = (f64::from(opts.width) / s, f64::from(opts.height) / s);
    s * ((wp * hp).sqrt() / 950.0).clamp(0.85, 1.3)
}

// ---- helpers shared by the charts ----

/// The note naming where the numbers come from.
fn source_note(input: &ChartInput) -> String {
    let t = input.project.info.title.trim();
    if t.is_empty() {
        "Source: Policy Workbench assessment.".to_string()
    } else {
        format!("Source: {t} (Policy Workbench).")
    }
}

/// Shorter forms of a mechanism name for tight places, longest first: an acronym
/// given in parentheses ("… (LM-LECC)") when there is one.
fn acronym(name: &str) -> Option<String> {
    let mut rest = name;
    while let Some(open) = rest.find('(') {
        let after = &rest[open + 1..];
        let Some(close) = after.find(')') else { break };
        let inner = after[..close].trim();
        let looks_like_acronym = !inner.is_empty()
            && inner.chars().count() <= 12
            && !inner.contains(' ')
            && inner.chars().filter(|c| c.is_uppercase()).count() >= 2;
        if looks_like_acronym {
            return Some(inner.to_string());
        }
        rest = &after[close + 1..];
    }
    None
}

/// Mechanisms ordered by rank (best first), those without a total last, ties in
/// project order.
fn by_rank(results: &Results) -> Vec<&MechanismResult> {
    let mut v: Vec<&MechanismResult> = results.mechanisms.iter().collect();
    v.sort_by_key(|m| m.rank.unwrap_or(usize::MAX));
    v
}

/// A number on the 0–100 index scale as shown in charts.
fn fmt_index(v: f64) -> String {
    crate::wording::whole(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acronyms_come_from_parentheses() {
        assert_eq!(
            acronym("UN peacekeeping police (UNPOL)").as_deref(),
            Some("UNPOL")
        );
        assert_eq!(
            acronym("Forum on China-Africa Cooperation (FOCAC) police chapter").as_deref(),
            Some("FOCAC")
        );
        assert_eq!(acronym("Police training (incl. places)"), None);
        assert_eq!(acronym("Extradition treaties"), None);
    }

    #[test]
    fn kinds_round_trip_through_file_stems() {
        for k in ChartKind::ALL {
            assert_eq!(ChartKind::parse(k.file_stem()), Some(k));
        }
    }
}
