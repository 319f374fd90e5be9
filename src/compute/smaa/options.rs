//! What a run is asked to do: the weight model (free, bounded, fixed), the score
//! uncertainty, the number of samples and the seed; and why a request is refused.

use super::constants::DEFAULT_CONFIDENCE_SAMPLES;
use crate::model::Confidence;

/// Which weights are drawn.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum WeightLevel {
    /// One weight per criterion, uniform on the simplex of the criteria that count.
    #[default]
    Criteria,
    /// One weight per group, uniform on the simplex of the groups that count; the
    /// criteria keep their shares within their group.
    Groups,
}

impl WeightLevel {
    pub fn as_str(self) -> &'static str {
        match self {
            WeightLevel::Criteria => "criteria",
            WeightLevel::Groups => "groups",
        }
    }

    /// "criterion" or "group", for a sentence.
    pub fn noun(self) -> &'static str {
        match self {
            WeightLevel::Criteria => "criterion",
            WeightLevel::Groups => "group",
        }
    }
}

/// Bounds on one weight of the sampled level, as a share of the level (0–1).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WeightBound {
    /// Flat criterion index (level `Criteria`) or group index (level `Groups`).
    pub index: usize,
    pub lo: f64,
    pub hi: f64,
}

/// How the weights of a sample are drawn.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightModel {
    /// The weights in force (no weight uncertainty; use with score uncertainty).
    Fixed,
    /// Uniform on the simplex of the level's weights that count (a criterion or group
    /// whose current weight is 0 stays at 0), restricted to the bounds and, when an
    /// order is given, to weights that decrease along it.
    Uniform {
        level: WeightLevel,
        bounds: Vec<WeightBound>,
        /// Indices of the level (flat criterion or group indices) from most to least
        /// important; must list every weight that counts, once.
        order: Option<Vec<usize>>,
    },
}

impl Default for WeightModel {
    fn default() -> Self {
        WeightModel::Uniform {
            level: WeightLevel::Criteria,
            bounds: Vec::new(),
            order: None,
        }
    }
}

/// Half-widths, in scale points, of the uniform noise added to a score of each
/// confidence.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScoreSpread {
    pub high: f64,
    pub moderate: f64,
    pub low: f64,
}

impl Default for ScoreSpread {
    /// ±0.25, ±0.5 and ±1 scale point: even a high-confidence score is a judgement
    /// on a level scale, so it may move a quarter level; a low-confidence one may move
    /// to the next level up or down.
    fn default() -> Self {
        ScoreSpread {
            high: 0.25,
            moderate: 0.5,
            low: 1.0,
        }
    }
}

impl ScoreSpread {
    pub(super) fn half_width(&self, c: Option<Confidence>) -> f64 {
        match c {
            Some(Confidence::High) => self.high,
            Some(Confidence::Moderate) => self.moderate,
            // A number without a confidence cannot come from a project; count it low.
            Some(Confidence::Low) | None => self.low,
        }
    }
}

/// Score uncertainty: off, or uniform noise within each cell's confidence, clamped to
/// the scale. Where several analysts gave a cell a number, each sample first draws one
/// of them (equally likely), then that analyst's value with the noise of their
/// confidence, so the analysts' spread is part of the uncertainty.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ScoreUncertainty {
    #[default]
    Off,
    FromConfidence(ScoreSpread),
}

/// What a sample does with a not-assessed cell of an applicable criterion.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum MissingCells {
    /// Left out, as in the totals as assessed (group indices over what is assessed).
    #[default]
    Skipped,
    /// Drawn uniformly over the whole levels of its scale, so that a mechanism's gaps
    /// can cost or help it.
    Drawn,
}

impl MissingCells {
    pub fn as_str(self) -> &'static str {
        match self {
            MissingCells::Skipped => "skipped",
            MissingCells::Drawn => "drawn",
        }
    }
}

/// The one set of defaults of the app, the command line and the report.
pub const DEFAULT_SAMPLES: usize = 10_000;
pub const DEFAULT_SEED: u64 = 1;

#[derive(Clone, Debug, PartialEq)]
pub struct SmaaOptions {
    pub samples: usize,
    pub seed: u64,
    pub weights: WeightModel,
    pub scores: ScoreUncertainty,
    pub missing: MissingCells,
    /// Also count pairwise winning probabilities (costs O(mechanisms²) per sample).
    pub pairwise: bool,
    /// Samples of the confidence-factor pass (score uncertainty only); `None` =
    /// `min(samples, DEFAULT_CONFIDENCE_SAMPLES)`.
    pub confidence_samples: Option<usize>,
}

impl SmaaOptions {
    /// Weights only: uniform criterion weights, scores as they are, not-assessed
    /// cells skipped, with pairwise probabilities. For the settings every output uses,
    /// see `standard`.
    pub fn new(samples: usize, seed: u64) -> SmaaOptions {
        SmaaOptions {
            samples,
            seed,
            weights: WeightModel::default(),
            scores: ScoreUncertainty::Off,
            missing: MissingCells::Skipped,
            pairwise: true,
            confidence_samples: None,
        }
    }

    /// The settings of the app, `analyze --smaa` and the report unless told otherwise:
    /// uniform criterion weights, scores varied within their confidence and across
    /// analysts (`ScoreSpread::default`), not-assessed cells drawn over their scale.
    pub fn standard(samples: usize, seed: u64) -> SmaaOptions {
        SmaaOptions {
            scores: ScoreUncertainty::FromConfidence(ScoreSpread::default()),
            missing: MissingCells::Drawn,
            ..SmaaOptions::new(samples, seed)
        }
    }

    /// The settings in words, for every output that shows a result: samples, seed,
    /// weights, score uncertainty and missing cells.
    pub fn describe(&self) -> String {
        format!(
            "{} samples, seed {}; {}",
            crate::wording::thousands(self.samples),
            self.seed,
            self.method()
        )
    }

    /// The weights, score uncertainty and missing cells in words (`describe` without
    /// the samples and the seed).
    pub fn method(&self) -> String {
        let weights = match &self.weights {
            WeightModel::Fixed => "weights fixed".to_string(),
            WeightModel::Uniform {
                level,
                bounds,
                order,
            } => {
                let mut t = format!("{} weights drawn uniformly", level.noun());
                if !bounds.is_empty() {
                    t.push_str(" within bounds");
                }
                if order.is_some() {
                    t.push_str(", in a fixed order of importance");
                }
                t
            }
        };
        let scores = match self.scores {
            ScoreUncertainty::Off => "scores as assessed".to_string(),
            ScoreUncertainty::FromConfidence(s) => format!(
                "scores varied within their confidence (±{} / ±{} / ±{} scale points for high / moderate / low) and across analysts",
                crate::wording::trimmed(s.high, 2),
                crate::wording::trimmed(s.moderate, 2),
                crate::wording::trimmed(s.low, 2)
            ),
        };
        let missing = match self.missing {
            MissingCells::Skipped => "not-assessed cells left out",
            MissingCells::Drawn => "not-assessed cells drawn over their scale's levels",
        };
        format!("{weights}; {scores}; {missing}")
    }

    /// Samples of the confidence-factor pass (0 without score uncertainty, where the
    /// confidence factor is computed exactly).
    pub fn effective_confidence_samples(&self) -> usize {
        match self.scores {
            ScoreUncertainty::Off => 0,
            ScoreUncertainty::FromConfidence(_) => self
                .confidence_samples
                .unwrap_or(self.samples.min(DEFAULT_CONFIDENCE_SAMPLES)),
        }
    }

    /// The value `progress` reaches when a run completes (for a progress bar).
    pub fn work(&self) -> u64 {
        (self.samples + self.effective_confidence_samples()) as u64
    }
}

/// Why a run did not produce a result.
#[derive(Clone, Debug, PartialEq)]
pub enum SmaaError {
    /// The options or the matrix do not allow a run; the message says why.
    Invalid(String),
    /// The cancel flag was set.
    Cancelled,
}

impl std::fmt::Display for SmaaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SmaaError::Invalid(m) => write!(f, "rank acceptability: {m}"),
            SmaaError::Cancelled => write!(f, "rank acceptability: cancelled"),
        }
    }
}

impl std::error::Error for SmaaError {}

pub(super) fn invalid<T>(msg: impl Into<String>) -> Result<T, SmaaError> {
    Err(SmaaError::Invalid(msg.into()))
}
