//! The rank-acceptability options of `analyze` and `report`: one set of flags and one
//! set of defaults (`SmaaOptions::standard`), the same as the app's.

use crate::compute::smaa::{
    DEFAULT_SAMPLES, DEFAULT_SEED, MissingCells, ScoreUncertainty, SmaaOptions, WeightLevel,
    WeightModel,
};

// `--smaa` alone means the default sample count (clap wants it as a literal).
const _: () = assert!(DEFAULT_SAMPLES == 10_000);

#[derive(clap::Args, Debug, Clone, Default)]
pub struct SmaaFlags {
    /// Also compute SMAA-2 rank acceptability with N Monte Carlo samples (10,000 when
    /// N is left out). By default the weights are drawn uniformly, scores vary within
    /// their confidence and across analysts, and not-assessed cells are drawn over
    /// their scale, as in the app (docs/analysis.md).
    #[arg(long, value_name = "N", num_args = 0..=1, default_missing_value = "10000")]
    pub smaa: Option<usize>,
    /// Seed of the rank-acceptability run (recorded with the results).
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SEED)]
    pub seed: u64,
    /// Rank acceptability: draw group weights (criteria keep their shares within
    /// their group) instead of criterion weights.
    #[arg(long, requires = "smaa")]
    pub smaa_groups: bool,
    /// Rank acceptability: vary the weights only (scores as assessed, not-assessed
    /// cells left out).
    #[arg(long, requires = "smaa")]
    pub smaa_weights_only: bool,
    /// Rank acceptability: leave not-assessed cells out instead of drawing them.
    #[arg(long, requires = "smaa")]
    pub smaa_skip_missing: bool,
    /// Score uncertainty is on by default now; kept so that older scripts still run.
    #[arg(long, requires = "smaa", hide = true)]
    pub smaa_scores: bool,
}

impl SmaaFlags {
    /// The options of the run, or None without `--smaa`.
    pub fn options(&self) -> Option<SmaaOptions> {
        self.smaa.map(|samples| self.options_for(samples))
    }

    /// The options of the run, with the default sample count without `--smaa` (the
    /// report includes rank acceptability unless told not to).
    pub fn options_or_default(&self) -> SmaaOptions {
        self.options_for(self.smaa.unwrap_or(DEFAULT_SAMPLES))
    }

    fn options_for(&self, samples: usize) -> SmaaOptions {
        let mut o = SmaaOptions::standard(samples, self.seed);
        if self.smaa_groups {
            o.weights = WeightModel::Uniform {
                level: WeightLevel::Groups,
                bounds: Vec::new(),
                order: None,
            };
        }
        if self.smaa_weights_only {
            o.scores = ScoreUncertainty::Off;
            o.missing = MissingCells::Skipped;
        }
        if self.smaa_skip_missing {
            o.missing = MissingCells::Skipped;
        }
        o
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_standard_options() {
        let f = SmaaFlags {
            smaa: Some(DEFAULT_SAMPLES),
            seed: DEFAULT_SEED,
            ..SmaaFlags::default()
        };
        assert_eq!(
            f.options(),
            Some(SmaaOptions::standard(DEFAULT_SAMPLES, DEFAULT_SEED))
        );
        let w = SmaaFlags {
            smaa_weights_only: true,
            ..f
        };
        let o = w.options().unwrap();
        assert_eq!(o.scores, ScoreUncertainty::Off);
        assert_eq!(o.missing, MissingCells::Skipped);
    }
}
