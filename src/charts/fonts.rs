//! The fonts of the charts. DejaVu Sans (bundled) draws what it covers: Latin, Greek,
//! Cyrillic, arrows and many symbols. plotters draws a string in one font and has no
//! fallback, so text is split into runs by the font that has its glyphs, and each run
//! is drawn in its own font, in bitmaps only (an SVG names a generic family and the
//! viewer falls back by itself). In bitmaps the canvas draws the glyphs itself
//! (`Canvas::raster_run`, with ab_glyph), on one baseline at sub-pixel positions.
//!
//! The fallback fonts form an ordered list, looked up once: the fonts named by
//! `PW_CHART_FONT` (one path, or several separated like `PATH`), then the first system
//! CJK font found (Chinese, Japanese, Korean; the same fonts the window uses), then the
//! system symbol fonts found (Symbola, Noto Sans Symbols 2, monochrome Noto Emoji,
//! Segoe UI Symbol, Apple Symbols: emoji and pictographs). Each character is drawn by
//! the first font that covers it, DejaVu Sans first; a character no font covers draws
//! as DejaVu Sans's empty box. These lookups are the only files the charts read.
//!
//! Emoji are drawn in outline: colour emoji fonts (bitmap or layered glyphs) cannot be
//! drawn by the rasteriser, and there is no text shaping, so an emoji sequence draws
//! as its visible parts. Variation selectors (U+FE00–FE0F, U+E0100–E01EF), the zero
//! width joiner (U+200D) and tag characters (U+E0020–E007F) are left out, and so is a
//! skin-tone modifier (U+1F3FB–1F3FF) after another character (monochrome glyphs have
//! no skin tone): "👮\u{200D}♀\u{FE0F}" draws as 👮♀, a family as its members side by
//! side, a flag as its two regional letters. Measuring (`runs`) leaves out the same
//! characters, so layouts match what is drawn.

use std::sync::OnceLock;

use ab_glyph::{Font as _, FontRef};
use plotters::style::{FontStyle, register_font};

use super::error::ChartError;

/// The family every chart names: DejaVu Sans in bitmaps, a generic sans-serif in SVG
/// (the viewer's own).
pub(crate) const FAMILY: &str = "sans-serif";
/// The families of the fallback fonts in bitmaps, in order; at most this many are used.
const FALLBACKS: [&str; 4] = [
    "pw-fallback-1",
    "pw-fallback-2",
    "pw-fallback-3",
    "pw-fallback-4",
];

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

/// Where monochrome (outline) symbol and emoji fonts usually are (Debian, Fedora,
/// Arch, macOS, Windows). Every one found is used, in this order, after the CJK font.
pub const SYMBOL_FONT_CANDIDATES: &[&str] = &[
    // Symbola: Debian `fonts-symbola`, Fedora `gdouros-symbola-fonts`, Arch (AUR).
    "/usr/share/fonts/truetype/ancient-scripts/Symbola_hint.ttf",
    "/usr/share/fonts/gdouros-symbola/Symbola.ttf",
    "/usr/share/fonts/TTF/Symbola.ttf",
    // Noto Sans Symbols 2: Debian `fonts-noto-core`, Fedora, Arch `noto-fonts`.
    "/usr/share/fonts/truetype/noto/NotoSansSymbols2-Regular.ttf",
    "/usr/share/fonts/google-noto/NotoSansSymbols2-Regular.ttf",
    "/usr/share/fonts/noto/NotoSansSymbols2-Regular.ttf",
    // Monochrome Noto Emoji (not the colour one).
    "/usr/share/fonts/truetype/noto/NotoEmoji-Regular.ttf",
    "/usr/share/fonts/noto/NotoEmoji-Regular.ttf",
    "/System/Library/Fonts/Apple Symbols.ttf",
    "C:\\Windows\\Fonts\\seguisym.ttf",
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
    dejavu_bold: Face,
    /// The fallback fonts in order; the i-th is registered as `FALLBACKS[i]`.
    fallbacks: Vec<Face>,
}

impl Fonts {
    /// The font that draws `c`: DejaVu Sans when it covers it, else the first
    /// fallback that does, else DejaVu Sans (an empty box).
    fn which(&self, c: char) -> Which {
        if self.dejavu.covers(c) {
            return Which::Main;
        }
        self.fallbacks
            .iter()
            .position(|f| f.covers(c))
            .map_or(Which::Main, Which::Fallback)
    }
}

static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();

/// Registers DejaVu Sans (regular and bold) as plotters' "sans-serif" and the
/// fallback fonts, once.
pub(crate) fn ensure() -> Result<(), ChartError> {
    let fonts = FONTS.get_or_init(|| {
        let ok = register_font(FAMILY, FontStyle::Normal, dejavu::sans::regular()).is_ok()
            && register_font(FAMILY, FontStyle::Bold, dejavu::sans::bold()).is_ok();
        let dejavu = Face::new(dejavu::sans::regular())?;
        let dejavu_bold = Face::new(dejavu::sans::bold())?;
        ok.then(|| Fonts {
            dejavu,
            dejavu_bold,
            fallbacks: load_fallbacks(),
        })
    });
    if fonts.is_some() {
        Ok(())
    } else {
        Err(ChartError::Font)
    }
}

/// The fallback fonts found, in order: those named by `PW_CHART_FONT`, the first CJK
/// font, every symbol font; each registered under its `FALLBACKS` family (regular
/// and bold: the same face). Files that are missing or not fonts are passed over.
fn load_fallbacks() -> Vec<Face> {
    let named: Vec<String> = std::env::var_os("PW_CHART_FONT")
        .map(|v| {
            std::env::split_paths(&v)
                .filter_map(|p| p.to_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let cjk = CJK_FONT_CANDIDATES
        .iter()
        .find(|p| std::path::Path::new(p).is_file());
    let paths = named
        .iter()
        .map(String::as_str)
        .chain(cjk.copied())
        .chain(SYMBOL_FONT_CANDIDATES.iter().copied());
    let mut seen: Vec<&str> = Vec::new();
    let mut faces = Vec::new();
    for path in paths {
        if faces.len() == FALLBACKS.len() {
            break;
        }
        if seen.contains(&path) {
            continue;
        }
        seen.push(path);
        let Ok(bytes) = std::fs::read(path) else {
            continue;
        };
        // plotters keeps registered fonts for the life of the program.
        let bytes: &'static [u8] = Box::leak(bytes.into_boxed_slice());
        let Some(face) = Face::new(bytes) else {
            continue;
        };
        let family = FALLBACKS[faces.len()];
        if register_font(family, FontStyle::Normal, bytes).is_ok()
            && register_font(family, FontStyle::Bold, bytes).is_ok()
        {
            faces.push(face);
        }
    }
    faces
}

fn fonts() -> Option<&'static Fonts> {
    FONTS.get().and_then(Option::as_ref)
}

/// True when the bitmap charts draw `c` with a glyph of its own (DejaVu Sans or a
/// fallback font has one), not as an empty box.
pub fn draws_glyph(c: char) -> bool {
    ensure().is_ok()
        && fonts().is_some_and(|f| f.dejavu.covers(c) || f.fallbacks.iter().any(|b| b.covers(c)))
}

/// Which font draws a run of text: DejaVu Sans or the i-th fallback font.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Which {
    Main,
    Fallback(usize),
}

/// The font that draws a run (bold DejaVu Sans when asked; the fallback fonts have
/// one weight), for the charts' own glyph drawing in bitmaps.
pub(crate) fn font_of(which: Which, bold: bool) -> Option<&'static FontRef<'static>> {
    let fonts = fonts()?;
    match which {
        Which::Fallback(i) => fonts.fallbacks.get(i).map(|f| &f.font),
        Which::Main if bold => Some(&fonts.dejavu_bold.font),
        Which::Main => Some(&fonts.dejavu.font),
    }
}

/// The plotters family of a run.
pub(crate) fn family(which: Which) -> &'static str {
    match which {
        Which::Main => FAMILY,
        Which::Fallback(i) => FALLBACKS.get(i).copied().unwrap_or(FAMILY),
    }
}

/// Line height over the em of the font that draws `which`.
pub(crate) fn height_per_em(which: Which) -> f64 {
    let fonts = fonts();
    let fallback = match which {
        Which::Fallback(i) => fonts.and_then(|f| f.fallbacks.get(i)),
        Which::Main => None,
    };
    match (fallback, fonts) {
        (Some(face), _) => face.height_per_em,
        (None, Some(f)) => f.dejavu.height_per_em,
        (None, None) => 2384.0 / 2048.0,
    }
}

/// `text` split into runs by the font that draws them (see `Fonts::which`), with the
/// characters that draw nothing left out (see `invisible`). One run for ASCII text.
pub(crate) fn runs(text: &str) -> Vec<(String, Which)> {
    if text.is_ascii() {
        return vec![(text.to_string(), Which::Main)];
    }
    match fonts() {
        Some(f) => split(text, |c| f.which(c)),
        None => split(text, |_| Which::Main),
    }
}

/// True for a character that a monochrome font without shaping should not draw:
/// variation selectors, the zero width joiner, tag characters, and a skin-tone
/// modifier that follows another character (`prev`).
fn invisible(c: char, prev: Option<char>) -> bool {
    matches!(c,
        '\u{FE00}'..='\u{FE0F}' | '\u{E0100}'..='\u{E01EF}' | '\u{200D}' | '\u{E0020}'..='\u{E007F}')
        || (matches!(c, '\u{1F3FB}'..='\u{1F3FF}') && prev.is_some_and(|p| !p.is_whitespace()))
}

/// `text` split into runs by `which`, leaving out the invisible characters (the text
/// on both sides of one stays in one run when one font draws it, so it measures and
/// draws as if the character were not there). Spaces after a character of a fallback
/// font stay in its run.
fn split(text: &str, which: impl Fn(char) -> Which) -> Vec<(String, Which)> {
    let mut out: Vec<(String, Which)> = Vec::new();
    let mut prev: Option<char> = None;
    for c in text.chars() {
        let skip = invisible(c, prev);
        prev = Some(c);
        if skip {
            continue;
        }
        let w = match out.last() {
            Some((_, Which::Fallback(f))) if c.is_whitespace() => Which::Fallback(*f),
            _ => which(c),
        };
        match out.last_mut() {
            Some((run, cur)) if *cur == w => run.push(c),
            _ => out.push((c.to_string(), w)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stand-in for three fonts: ASCII and ♀ in DejaVu Sans, Han in the first
    /// fallback, emoji in the second.
    fn fake(c: char) -> Which {
        match c {
            '\u{4E00}'..='\u{9FFF}' => Which::Fallback(0),
            '\u{1F300}'..='\u{1FAFF}' => Which::Fallback(1),
            _ => Which::Main,
        }
    }

    /// The runs of `text` with the stand-in fonts, the fonts drawing each run.
    fn runs_of(text: &str) -> Vec<(String, Which)> {
        split(text, fake)
    }

    fn owned(runs: &[(&str, Which)]) -> Vec<(String, Which)> {
        runs.iter().map(|(t, w)| (t.to_string(), *w)).collect()
    }

    #[test]
    fn each_character_goes_to_the_first_font_that_covers_it() {
        use Which::{Fallback, Main};
        assert_eq!(
            runs_of("Police 🚓 liaison"),
            owned(&[("Police ", Main), ("🚓 ", Fallback(1)), ("liaison", Main)])
        );
        assert_eq!(
            runs_of("中国 警务🚓🚑 x"),
            owned(&[
                ("中国 警务", Fallback(0)),
                ("🚓🚑 ", Fallback(1)),
                ("x", Main)
            ])
        );
        assert_eq!(runs_of("abc"), owned(&[("abc", Main)]));
        assert_eq!(runs_of(""), owned(&[]));
    }

    #[test]
    fn joiners_selectors_and_modifiers_are_left_out() {
        use Which::{Fallback, Main};
        // Police officer, woman: 👮 ZWJ ♀ VS16.
        assert_eq!(
            runs_of("a 👮\u{200D}♀\u{FE0F} b"),
            owned(&[("a ", Main), ("👮", Fallback(1)), ("♀ b", Main)])
        );
        // A skin tone after a base goes; a lone one stays.
        assert_eq!(runs_of("👍🏽 🏽"), owned(&[("👍 🏽", Fallback(1))]));
        // Text style selector after a symbol; a subdivision flag's tags.
        assert_eq!(runs_of("☎\u{FE0E}"), owned(&[("☎", Main)]));
        assert_eq!(
            runs_of("🏴\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}"),
            owned(&[("🏴", Fallback(1))])
        );
        assert_eq!(runs_of("\u{FE0F}\u{200D}"), owned(&[]));
    }
}
