//! What to draw and how big: the kinds of results chart, the chart options and the
//! limits on a chart's size.

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
    /// Total under a returns viewpoint against total under a concern viewpoint.
    ReturnsConcern,
    /// Mechanisms ranked by composite total.
    Ranking,
    /// Claimed vs documented: the total from every score beside the total from
    /// documented and mixed scores only, one dumbbell per mechanism.
    ClaimedDocumented,
}

impl ChartKind {
    pub const ALL: [ChartKind; 7] = [
        ChartKind::Radar,
        ChartKind::GroupBars,
        ChartKind::Heatmap,
        ChartKind::Quadrant,
        ChartKind::ReturnsConcern,
        ChartKind::Ranking,
        ChartKind::ClaimedDocumented,
    ];

    /// The file name of an exported chart, without extension.
    pub fn file_stem(self) -> &'static str {
        match self {
            ChartKind::Radar => "radar",
            ChartKind::GroupBars => "bars",
            ChartKind::Heatmap => "heatmap",
            ChartKind::Quadrant => "quadrant",
            ChartKind::ReturnsConcern => "returns-vs-concern",
            ChartKind::Ranking => "ranking",
            ChartKind::ClaimedDocumented => "claimed-vs-documented",
        }
    }

    /// A short human name, e.g. for a tab or a menu.
    pub fn title(self) -> &'static str {
        match self {
            ChartKind::Radar => "Radar profile",
            ChartKind::GroupBars => "Group indices",
            ChartKind::Heatmap => "Score heatmap",
            ChartKind::Quadrant => "Objectives quadrant",
            ChartKind::ReturnsConcern => "Returns × concern",
            ChartKind::Ranking => "Ranking by composite",
            ChartKind::ClaimedDocumented => "Claimed vs documented",
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

/// Largest side of a chart in pixels.
pub const MAX_SIDE: u32 = 8192;
/// Smallest side of a chart in pixels.
pub const MIN_SIDE: u32 = 64;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_through_file_stems() {
        for k in ChartKind::ALL {
            assert_eq!(ChartKind::parse(k.file_stem()), Some(k));
        }
    }
}
