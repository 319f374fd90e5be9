//! Fonts: egui's bundled fonts cover Latin, Greek and Cyrillic; Chinese, Japanese and
//! Korean text (the sample's sources have Chinese titles) needs a system font. We look
//! for common CJK fonts and add the first found as a fallback, so no text shows as
//! empty boxes where the system has a font for it.

use std::sync::Arc;

// The places CJK fonts usually are: the charts look in the same ones.
use crate::charts::CJK_FONT_CANDIDATES as CANDIDATES;

/// Installs the app's fonts: egui's defaults, then DejaVu Sans (bundled: arrows,
/// symbols, more scripts), then a system CJK font when one exists. Returns the CJK
/// font's path, if any.
pub fn install(ctx: &egui::Context) -> Option<&'static str> {
    let mut fonts = egui::FontDefinitions::default();
    let mut fallbacks = vec![(
        "dejavu-sans".to_owned(),
        egui::FontData::from_static(dejavu::sans::regular()),
    )];
    let cjk = CANDIDATES
        .iter()
        .find_map(|p| std::fs::read(p).ok().map(|b| (*p, b)));
    let found = cjk.as_ref().map(|(p, _)| *p);
    if let Some((_, bytes)) = cjk {
        fallbacks.push(("cjk-fallback".to_owned(), egui::FontData::from_owned(bytes)));
    }
    for (name, data) in fallbacks {
        fonts.font_data.insert(name.clone(), Arc::new(data));
        for family in [egui::FontFamily::Proportional, egui::FontFamily::Monospace] {
            fonts.families.entry(family).or_default().push(name.clone());
        }
    }
    ctx.set_fonts(fonts);
    found
}
