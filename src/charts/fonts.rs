//! The fonts of the charts. DejaVu Sans (bundled) draws what it covers: Latin, Greek,
//! Cyrillic, arrows and symbols. plotters draws a string in one font and has no
//! fallback, so text in other scripts (Chinese, Japanese, Korean) is split into runs
//! and those runs are drawn in a fallback font, in bitmaps only (an SVG names a
//! generic family and the viewer falls back by itself).
//!
//! The fallback is a system CJK font, looked up once among the usual places (the same
//! fonts the window uses) or named by `PW_CHART_FONT`; this lookup is the only file
//! the charts read. Without one, such text degrades to empty boxes, as before.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};
use plotters::style::{FontStyle, register_font};

use super::error::ChartError;

/// The family every chart names: DejaVu Sans in bitmaps, a generic sans-serif in SVG
/// (the viewer's own).
pub(crate) const FAMILY: &str = "sans-serif";
/// The family of the fallback font in bitmaps.
pub(crate) const FALLBACK: &str = "pw-fallback";

/// Where CJK fonts usually are (Debian, Fedora, Arch, macOS, Windows).
pub const CJK_FONT_CANDIDATES: &[&str] = &[
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/wenquanyi/wqy-microhei/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Light.ttc",
    "C:\\Windows\\Fonts\\msyh.ttc",
    "C:\\Windows\\Fonts\\simsun.ttc",
];

/// A font in the form plotters draws and ab_glyph reads.
pub(crate) struct Face {
    font: FontRef<'static>,
    /// Line height (ascent − descent) over the em: the bitmap backend scales glyphs
    /// by the line height, not by the em.
    pub height_per_em: f64,
}

impl Face {
    fn new(bytes: &'static [u8]) -> Option<Face> {
        let font = FontRef::try_from_slice(bytes).ok()?;
        let em = f64::from(font.units_per_em()?);
        let height_per_em = f64::from(font.height_unscaled()) / em;
        Some(Face {
            font,
            height_per_em,
        })
    }

    /// True when the font has a glyph for `c`.
    pub fn covers(&self, c: char) -> bool {
        self.font.glyph_id(c).0 != 0
    }
}

/// What `ensure` registered.
struct Fonts {
    dejavu: Face,
    fallback: Option<Face>,
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// Registers DejaVu Sans (regular and bold) as plotters' "sans-serif" and the
/// fallback font, once.
pub(crate) fn ensure() -> Result<(), ChartError> {
    let fonts = FONTS.get_or_init(|| {
        let ok = register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok();
        let dejavu = Face::new(dejavu::sans::regular())?;
        ok.then(|| Fonts {
            dejavu,
            fallback: load_fallback(),
        })
    });
    if fonts.is_some() {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// The first fallback font found, registered under `FALLBACK` (regular and bold: the
/// same face).
fn load_fallback() -> Option<Face> {
    let named = std::env::var("PW_CHART_FONT").ok();
    let bytes = named
        .iter()
        .map(String::as_str)
        .chain(CJK_FONT_CANDIDATES.iter().copied())
        .find_map(|p| std::fs::read(p).ok())?;
    // plotters keeps registered fonts for the life of the program.
    let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
    let face = Face::new(bytes)?;
    let ok = register_font(FALLBACK, FontStyle::Normal, bytes).is_ok()
        && register_font(FALLBACK, FontStyle::Bold, bytes).is_ok();
    ok.then_some(face)
}

/// True when a fallback font for other scripts is in use.
pub fn has_fallback_font() -> bool {
    ensure().is_ok()
        && FONTS
            .get()
            .and_then(Option::as_ref)
            .is_some_and(|f| f.fallback.is_some())
}

/// Which font draws a run of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    Main,
    Fallback,
}

/// Line height over the em of the font that draws `which`.
pub(crate) fn height_per_em(which: Which) -> f64 {
    let fonts = FONTS.get().and_then(Option::as_ref);
    match (which, fonts) {
        (
            Which::Fallback,
            Some(Fonts {
                fallback: Some(f), ..
            }),
        ) => f.height_per_em,
        (_, Some(f)) => f.dejavu.height_per_em,
        (_, None) => 2384.0 / 2048.0,
    }
}

/// `text` split into runs by the font that draws them: DejaVu Sans where it has the
/// glyph (or where the fallback has none either), the fallback elsewhere. One run when
/// there is no fallback font.
pub(crate) fn runs(text: &str) -> Vec<(&str, Which)> {
    let fonts = FONTS.get().and_then(Option::as_ref);
    let Some((dejavu, fallback)) = fonts.and_then(|f| f.fallback.as_ref().map(|b| (&f.dejavu, b)))
    else {
        return vec![(text, Which::Main)];
    };
    if text.is_ascii() {
        return vec![(text, Which::Main)];
    }
    let which = |c: char| {
        if !dejavu.covers(c) && fallback.covers(c) {
            Which::Fallback
        } else {
            Which::Main
        }
    };
    let mut out: Vec<(&str, Which)> = Vec::new();
    let mut start = 0;
    let mut current: Option<Which> = None;
    for (i, c) in text.char_indices() {
        // Spaces and punctuation between two fallback characters stay in their run.
        let w = if c.is_whitespace() && current == Some(Which::Fallback) {
            Which::Fallback
        } else {
            which(c)
        };
        match current {
            Some(cur) if cur != w => {
                out.push((&text[start..i], cur));
                start = i;
                current = Some(w);
            }
            None => current = Some(w),
            _ => {}
        }
    }
    if let Some(cur) = current {
        out.push((&text[start..], cur));
    }
    out
}
