//! The state each view keeps between frames besides the selection: sort orders,
//! chart options and their textures, the SMAA settings, the workshop cell under
//! discussion, the two sides of a comparison, criterion-first progress, the
//! pairwise (AHP) grid and the swing table being edited and the assessment check. Not part of the document; derived results live in `ui::derived`.

use crate::charts::{ChartKind, ChartOptions};
use crate::compute::Selection;
use crate::compute::ahp;
use crate::compute::smaa::{
    DEFAULT_SAMPLES, DEFAULT_SEED, MissingCells, ScoreSpread, ScoreUncertainty, SmaaOptions,
    WeightLevel, WeightModel,
};
use crate::compute::swing::{self, Swing};
use crate::compute::weighting;
use crate::model::{Framework, JudgedSet, PairJudgement, SwingJudgement};

/// The Check view: the check's report cached by revision, and the acknowledgement
/// being written (the finding's id and the reason so far).
#[derive(Default)]
pub struct CheckPanel {
    pub cache: Option<(u64, crate::check::Report)>,
    pub acknowledging: Option<(String, String)>,
}

/// The results' "to appear or to be" figures (`compute::basis`), cached by revision
/// and selection.
pub type BasisCache = Option<((u64, Selection), Vec<crate::compute::basis::MechanismBasis>)>;

/// A chart texture and what it was drawn for.
pub type TextureSlot<K> = Option<(K, egui::TextureHandle)>;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ResultsSort {
    #[default]
    Rank,
    Name,
    Group(usize),
    Missing,
}

/// The workshop charts (several analysts): drawn from the analysts' spread.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkshopChart {
    Spread,
    Strip,
    Alpha,
}

impl WorkshopChart {
    pub const ALL: [WorkshopChart; 3] = [
        WorkshopChart::Spread,
        WorkshopChart::Strip,
        WorkshopChart::Alpha,
    ];

    pub fn title(self) -> &'static str {
        match self {
            WorkshopChart::Spread => "Spread per cell (IQR)",
            WorkshopChart::Strip => "Scores per cell",
            WorkshopChart::Alpha => "Agreement per criterion (α)",
        }
    }

    /// The file name without extension, as `export` writes it.
    pub fn file_stem(self) -> &'static str {
        match self {
            WorkshopChart::Spread => "spread",
            WorkshopChart::Strip => "strip",
            WorkshopChart::Alpha => "alpha",
        }
    }
}

pub struct ChartView {
    pub kind: ChartKind,
    /// A workshop chart shown instead of `kind`.
    pub workshop: Option<WorkshopChart>,
    /// Mechanisms for the radar and the bars (empty: the chart's default choice).
    pub mechanisms: Vec<String>,
    pub radar_over_groups: bool,
    pub threshold: f64,
    pub export_width: u32,
    pub export_height: u32,
    pub export_scale: f32,
    /// The chart on screen and what it was drawn for.
    pub texture: Option<(ChartKey, egui::TextureHandle)>,
    pub error: Option<String>,
    /// How long the last render took (shown to help judge the cost of a chart).
    pub last_render_ms: f64,
}

impl Default for ChartView {
    fn default() -> Self {
        ChartView {
            kind: ChartKind::Quadrant,
            workshop: None,
            mechanisms: Vec::new(),
            radar_over_groups: false,
            threshold: 50.0,
            export_width: 1600,
            export_height: 1000,
            export_scale: 1.0,
            texture: None,
            error: None,
            last_render_ms: 0.0,
        }
    }
}

/// What the chart texture was drawn for.
#[derive(Clone, Debug, PartialEq)]
pub struct ChartKey {
    pub workshop: Option<WorkshopChart>,
    pub revision: u64,
    pub selection: Selection,
    pub opts: ChartOptions,
}

impl ChartView {
    /// The options as shown on screen, at a given size in pixels.
    pub fn options(&self, width: u32, height: u32, scale: f32, dark: bool) -> ChartOptions {
        let mut o = ChartOptions::new(self.kind);
        o.mechanisms = self.mechanisms.clone();
        o.radar_over_groups = self.radar_over_groups;
        o.quadrant_threshold = self.threshold;
        o.width = width;
        o.height = height;
        o.scale = scale;
        o.dark = dark;
        o
    }

    /// The options for export: the chosen size and scale, light theme.
    pub fn export_options(&self, kind: ChartKind) -> ChartOptions {
        let mut o = self.options(
            self.export_width,
            self.export_height,
            self.export_scale,
            false,
        );
        o.kind = kind;
        o
    }
}

/// State of criterion-first scoring.
#[derive(Default)]
pub struct CriterionFirst {
    pub criterion: Option<String>,
    pub order: Vec<String>,
    pub pos: usize,
    pub seed: u64,
    /// Cells (mechanism, criterion) answered in this session: their score is shown;
    /// any other cell's existing score stays hidden until the student answers (blind).
    pub answered: std::collections::BTreeSet<(String, String)>,
    /// The mechanism the card showed last, so a click in the mechanisms list (which
    /// changes the selection) moves the card there, and the card moves the selection.
    pub shown: Option<String>,
}

/// The comparison with a reference scoring shown in the Feedback view.
pub struct FeedbackPanel {
    /// The reference file's name.
    pub reference: String,
    /// The comparison, or why the file could not be compared.
    pub result: Result<crate::teaching::Feedback, String>,
}

/// The pairwise grid being edited: the set it weighs, the upper triangle of
/// judgements row by row, and the text of each judgement as typed (a value between
/// Saaty's points such as "2.5" or "1/3.5" is typed, not picked).
pub struct AhpEdit {
    pub target: JudgedSet,
    pub upper: Vec<f64>,
    pub texts: Vec<String>,
}

impl AhpEdit {
    /// Opens the judgements kept for the set; a pair not judged yet starts from the
    /// current weights (their ratio rounded to Saaty's scale).
    pub fn open(fw: &Framework, target: JudgedSet) -> Option<AhpEdit> {
        let (ids, _, weights) = weighting::items(fw, &target)?;
        let kept = weighting::upper(&ids, &weighting::judgements(fw, &target));
        let n = weights.len();
        let mut upper = Vec::new();
        let mut k = 0;
        for i in 0..n {
            for j in i + 1..n {
                upper.push(kept[k].unwrap_or_else(|| {
                    let ratio = if weights[j] > 0.0 && weights[i] > 0.0 {
                        weights[i] / weights[j]
                    } else {
                        1.0
                    };
                    ahp::nearest_scale_value(ratio)
                }));
                k += 1;
            }
        }
        let texts = upper.iter().map(|v| ahp::judgement_text(*v)).collect();
        Some(AhpEdit {
            target,
            upper,
            texts,
        })
    }

    /// The grid as judgements over `ids` (every pair, `a` before `b` in list order).
    pub fn judgements(&self, ids: &[String]) -> Vec<PairJudgement> {
        let mut out = Vec::new();
        let mut k = 0;
        for (i, a) in ids.iter().enumerate() {
            for b in &ids[i + 1..] {
                if let Some(v) = self.upper.get(k) {
                    out.push(PairJudgement {
                        a: a.clone(),
                        b: b.clone(),
                        value: *v,
                    });
                }
                k += 1;
            }
        }
        out
    }
}

/// The swing table being edited: one (rank, rating) per item of the set.
pub struct SwingEdit {
    pub target: JudgedSet,
    pub swings: Vec<Swing>,
}

impl SwingEdit {
    /// Opens the swings kept for the set; an item not rated yet starts from the current
    /// weights (ranked by weight, rated in proportion to the largest).
    pub fn open(fw: &Framework, target: JudgedSet) -> Option<SwingEdit> {
        let (ids, _, weights) = weighting::items(fw, &target)?;
        let kept = weighting::swings(&ids, &weighting::judgements(fw, &target));
        let start = swing::from_weights(&weights);
        let swings = kept
            .into_iter()
            .zip(start)
            .map(|(k, s)| k.unwrap_or(s))
            .collect();
        Some(SwingEdit { target, swings })
    }

    pub fn judgements(&self, ids: &[String]) -> Vec<SwingJudgement> {
        ids.iter()
            .zip(&self.swings)
            .map(|(id, s)| SwingJudgement {
                id: id.clone(),
                rank: s.rank,
                rating: s.rating,
            })
            .collect()
    }
}

/// The SMAA options chosen in the results view (the run itself is in `ui::derived`).
/// They start as `SmaaOptions::standard`, the settings of the command line and the
/// report.
pub struct SmaaSettings {
    pub samples: usize,
    pub seed: u64,
    pub groups_level: bool,
    pub score_uncertainty: bool,
    pub spread: ScoreSpread,
    pub draw_missing: bool,
}

impl Default for SmaaSettings {
    fn default() -> Self {
        let o = SmaaOptions::standard(DEFAULT_SAMPLES, DEFAULT_SEED);
        SmaaSettings {
            samples: o.samples,
            seed: o.seed,
            groups_level: false,
            score_uncertainty: true,
            spread: match o.scores {
                ScoreUncertainty::FromConfidence(s) => s,
                ScoreUncertainty::Off => ScoreSpread::default(),
            },
            draw_missing: o.missing == MissingCells::Drawn,
        }
    }
}

impl SmaaSettings {
    pub fn options(&self) -> SmaaOptions {
        let mut o = SmaaOptions::standard(self.samples, self.seed);
        if self.groups_level {
            o.weights = WeightModel::Uniform {
                level: WeightLevel::Groups,
                bounds: Vec::new(),
                order: None,
            };
        }
        o.scores = if self.score_uncertainty {
            ScoreUncertainty::FromConfidence(self.spread)
        } else {
            ScoreUncertainty::Off
        };
        o.missing = if self.draw_missing {
            MissingCells::Drawn
        } else {
            MissingCells::Skipped
        };
        o
    }
}

/// The workshop view: the cell opened for discussion and its dissent note.
#[derive(Default)]
pub struct WorkshopPanel {
    /// The cell opened for discussion (mechanism, criterion).
    pub cell: Option<(String, String)>,
    pub dissent: String,
}

/// What a comparison chart was drawn for: revision, both sides, width, dark theme.
pub type CompareChartKey = (u64, Selection, Selection, u32, bool);

/// The comparison of two selections: the sides chosen and the chart textures.
#[derive(Default)]
pub struct ComparePanel {
    /// The two sides: None = base assessment.
    pub a: Option<String>,
    pub b: Option<String>,
    pub bump: TextureSlot<CompareChartKey>,
    pub arrows: TextureSlot<CompareChartKey>,
}

/// What the tornado texture was drawn for: revision, selection, size, dark theme.
pub type TornadoKey = (u64, Selection, u32, u32, bool);
