//! Drawing a chart onto a canvas and out of it: the public render and write
//! functions of every chart (RGB buffer, SVG document, PNG and SVG files), the check
//! of the options, PNG encoding and atomic writes. The charts themselves draw in
//! their own modules; this one picks the chart and the backend.

use std::path::Path;

use plotters::prelude::*;

use super::acceptability::{self, AcceptabilityInput};
use super::alpha::{self, AlphaInput};
use super::arrows::{self, ArrowsInput};
use super::bars;
use super::bump::{self, BumpInput};
use super::canvas::{Canvas, Flavor, Res};
use super::dumbbell;
use super::error::ChartError;
use super::fonts;
use super::heatmap;
use super::input::ChartInput;
use super::options::{ChartKind, ChartOptions, MAX_SIDE, MIN_SIDE};
use super::quadrant;
use super::radar;
use super::ranking;
use super::returns_concern;
use super::spread::{self, SpreadInput};
use super::strip::{self, StripInput};
use super::theme::Theme;
use super::tornado::{self, TornadoBar, TornadoText};

/// The public functions of a chart drawn from its own input type: RGB and SVG
/// rendering, and PNG and SVG files written atomically. One definition for every such
/// chart (spread, strip, alpha, acceptability, bump, arrows).
macro_rules! chart_functions {
    ($what:literal, $input:ty, $job:ident, $rgb:ident, $svg:ident, $png_file:ident, $svg_file:ident) => {
        #[doc = concat!("The ", $what, " as an RGB buffer (size, theme and scale from `opts`; its kind is ignored).")]
        pub fn $rgb(input: &$input, opts: &ChartOptions) -> Result<Vec<u8>, ChartError> {
            rgb_job(&Job::$job(input), opts)
        }

        #[doc = concat!("The ", $what, " as an SVG document.")]
        pub fn $svg(input: &$input, opts: &ChartOptions) -> Result<String, ChartError> {
            svg_job(&Job::$job(input), opts)
        }

        #[doc = concat!("The ", $what, " written as a PNG file, atomically.")]
        pub fn $png_file(
            path: &std::path::Path,
            input: &$input,
            opts: &ChartOptions,
        ) -> Result<(), ChartError> {
            let rgb = $rgb(input, opts)?;
            write_file(path, &encode_png(&rgb, opts.width, opts.height)?)
        }

        #[doc = concat!("The ", $what, " written as an SVG file, atomically.")]
        pub fn $svg_file(
            path: &std::path::Path,
            input: &$input,
            opts: &ChartOptions,
        ) -> Result<(), ChartError> {
            write_file(path, $svg(input, opts)?.as_bytes())
        }
    };
}

chart_functions!(
    "rank acceptability chart",
    AcceptabilityInput,
    Acceptability,
    render_acceptability_rgb,
    render_acceptability_svg,
    write_acceptability_png,
    write_acceptability_svg
);

chart_functions!(
    "alpha chart",
    AlphaInput,
    Alpha,
    render_alpha_rgb,
    render_alpha_svg,
    write_alpha_png,
    write_alpha_svg
);

chart_functions!(
    "quadrant with arrows",
    ArrowsInput,
    Arrows,
    render_arrows_rgb,
    render_arrows_svg,
    write_arrows_png,
    write_arrows_svg
);

chart_functions!(
    "rank-changes chart",
    BumpInput,
    Bump,
    render_bump_rgb,
    render_bump_svg,
    write_bump_png,
    write_bump_svg
);

chart_functions!(
    "spread heatmap",
    SpreadInput,
    Spread,
    render_spread_rgb,
    render_spread_svg,
    write_spread_png,
    write_spread_svg
);

chart_functions!(
    "distribution per cell",
    StripInput,
    Strip,
    render_strip_rgb,
    render_strip_svg,
    write_strip_png,
    write_strip_svg
);

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
            ChartKind::ReturnsConcern => returns_concern::draw(c, input, opts),
            ChartKind::Ranking => ranking::draw(c, input),
            ChartKind::ClaimedDocumented => dumbbell::draw(c, input),
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
