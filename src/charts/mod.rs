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

mod acceptability;
mod alpha;
mod arrows;
mod bars;
mod bump;
mod canvas;
mod columns;
mod dumbbell;
mod error;
mod fonts;
mod frame;
mod geom;
mod heatmap;
mod input;
mod labels;
mod legend;
mod options;
mod plane;
mod quadrant;
mod radar;
mod ranking;
mod render;
mod returns_concern;
mod spread;
mod strip;
mod text;
mod theme;
mod tornado;

pub use acceptability::AcceptabilityInput;
pub use arrows::ArrowsInput;
pub use bump::BumpInput;
pub use error::ChartError;
pub use fonts::{CJK_FONT_CANDIDATES, draws_glyph};
pub use input::ChartInput;
pub use options::{ChartKind, ChartOptions, MAX_SIDE, MIN_SIDE};
pub use render::{
    encode_png, render_acceptability_rgb, render_acceptability_svg, render_alpha_rgb,
    render_alpha_svg, render_arrows_rgb, render_arrows_svg, render_bump_rgb, render_bump_svg,
    render_png, render_rgb, render_spread_rgb, render_spread_svg, render_strip_rgb,
    render_strip_svg, render_svg, render_tornado_rgb, render_tornado_svg, render_tornado_text_rgb,
    render_tornado_text_svg, write_acceptability_png, write_acceptability_svg, write_alpha_png,
    write_alpha_svg, write_arrows_png, write_arrows_svg, write_bump_png, write_bump_svg, write_png,
    write_spread_png, write_spread_svg, write_strip_png, write_strip_svg, write_svg,
    write_tornado_png, write_tornado_svg,
};
pub use tornado::{TornadoBar, TornadoText};
// Workshop disagreement: the spread heatmap, the strip plot of chosen cells, alpha.
pub use alpha::{AlphaInput, AlphaRow, alpha_input};
pub use spread::{SpreadCell, SpreadColumn, SpreadInput, anonymous_analyst_label, spread_input};
pub use strip::{
    STRIP_DEFAULT_CELLS, StripInput, StripRow, strip_default_cells, strip_input, strip_input_for,
};
