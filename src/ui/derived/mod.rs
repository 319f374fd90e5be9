//! One owner for what the views derive from the project beyond the matrix and the
//! results (those are cached by the session): the robustness of the ranking, the
//! analysts' agreement and cell spreads, how the spread moved since the previous round,
//! the comparison of two selections, and the rank-acceptability (SMAA) job. Each
//! result has one method that recomputes it only when its key — the revision and the
//! selection it depends on — changed, so a frame that changes nothing computes nothing.

mod smaa_job;

pub use smaa_job::{SmaaJob, SmaaProgress};

use std::collections::HashMap;
use std::sync::Arc;

use crate::charts::TornadoBar;
use crate::compute::agreement::{self, Agreement, CellSpread, ScoreMap};
use crate::compute::compare::{self, Comparison, RankPaths};
use crate::compute::{Selection, sensitivity};
use crate::ui::context::Cx;

/// A value and the key it was computed for.
struct Cached<K, V> {
    slot: Option<(K, V)>,
}

impl<K, V> Default for Cached<K, V> {
    fn default() -> Self {
        Cached { slot: None }
    }
}

impl<K: PartialEq, V> Cached<K, V> {
    /// The value for `key`, computed by `make` only when the key changed.
    fn get(&mut self, key: K, make: impl FnOnce() -> V) -> &V {
        if self.slot.as_ref().is_none_or(|(k, _)| *k != key) {
            let v = make();
            self.slot = Some((key, v));
        }
        &self.slot.as_ref().expect("just filled").1
    }
}

/// The robustness of the ranking: the smallest change that would change first place,
/// in words, and the weight stability intervals (as tornado bars, in %).
pub struct Robustness {
    pub sentence: String,
    pub bars: Vec<TornadoBar>,
}

/// The analysts' agreement for a round, and the cells scored by two or more analysts,
/// most disagreement first.
pub struct WorkshopAgreement {
    pub agreement: Agreement,
    /// The bootstrap of each ordinal alpha (interval, P(α < 0.667)).
    pub bootstraps: crate::compute::alpha_bootstrap::Bootstraps,
    pub spreads: Vec<CellSpread>,
}

/// How the analysts' spread moved since the last closed round.
pub struct RoundProgress {
    pub previous: String,
    pub mean_iqr_before: f64,
    pub mean_iqr_now: f64,
    pub wide_before: usize,
    pub wide_now: usize,
}

/// (median, IQR, n) of the analysts' scores per (mechanism id, criterion id).
pub type SpreadMap = HashMap<(String, String), (f64, f64, usize)>;

/// Two selections compared, with the rank paths across all scenarios.
pub type ComparisonResult = Result<(Comparison, RankPaths), String>;

/// Derived results of the open project, each cached by what it depends on.
#[derive(Default)]
pub struct Derived {
    robustness: Cached<(u64, Selection), Robustness>,
    workshop: Cached<(u64, Option<String>), WorkshopAgreement>,
    spread_map: Cached<(u64, Option<String>), Arc<SpreadMap>>,
    progress: Cached<u64, Option<RoundProgress>>,
    comparison: Cached<(u64, Selection, Selection), ComparisonResult>,
    /// Rank acceptability: a run on a worker thread and its last result.
    pub smaa: SmaaJob,
}

impl Derived {
    /// The robustness of the ranking shown (revision and selection of `cx`).
    pub fn robustness(&mut self, cx: &Cx) -> &Robustness {
        let key = (cx.revision, cx.results.selection.clone());
        self.robustness.get(key, || {
            let fw = &cx.project.framework;
            Robustness {
                sentence: sensitivity::first_place_change(fw, cx.matrix).describe(),
                bars: sensitivity::weight_intervals(fw, cx.matrix, sensitivity::RankScope::Top(1))
                    .into_iter()
                    .filter(|w| w.movable)
                    .map(|w| TornadoBar {
                        label: w.label.clone(),
                        low: w.low_share * 100.0,
                        high: w.high_share * 100.0,
                        base: w.current_share * 100.0,
                    })
                    .collect(),
            }
        })
    }

    /// Agreement and cell spreads for the round shown (the current one when none).
    pub fn workshop(&mut self, cx: &Cx) -> &WorkshopAgreement {
        let p = cx.project;
        let round = cx.results.selection.round.clone();
        let key = (cx.revision, round.clone());
        self.workshop.get(key, || {
            let scores = agreement::round_scores(p, round.as_deref()).unwrap_or(&p.scores);
            let mut spreads = agreement::cell_spreads(p, scores);
            spreads.retain(|s| s.stats.as_ref().is_some_and(|x| x.n >= 2));
            spreads.sort_by(|a, b| {
                let k = |s: &CellSpread| {
                    s.stats
                        .as_ref()
                        .map_or((0.0, 1.0), |x| (x.iqr, x.within_one))
                };
                let (ia, wa) = k(a);
                let (ib, wb) = k(b);
                ib.total_cmp(&ia).then(wa.total_cmp(&wb))
            });
            WorkshopAgreement {
                agreement: agreement::agreement(p, scores),
                bootstraps: crate::compute::alpha_bootstrap::ordinal_bootstraps(p, scores),
                spreads,
            }
        })
    }

    /// The cell spreads of `workshop` by cell, for the matrix in spread mode (shared:
    /// the matrix table holds it while the view is borrowed).
    pub fn spread_map(&mut self, cx: &Cx) -> Arc<SpreadMap> {
        let key = (cx.revision, cx.results.selection.round.clone());
        if let Some((k, m)) = &self.spread_map.slot
            && *k == key
        {
            return m.clone();
        }
        let map: SpreadMap = self
            .workshop(cx)
            .spreads
            .iter()
            .filter_map(|s| {
                s.stats.as_ref().map(|st| {
                    (
                        (s.mechanism.clone(), s.criterion.clone()),
                        (st.median, st.iqr, st.n),
                    )
                })
            })
            .collect();
        self.spread_map.get(key, || Arc::new(map)).clone()
    }

    /// The spread of the current scores against the last closed round (None when
    /// there is no closed round).
    pub fn round_progress(&mut self, cx: &Cx) -> Option<&RoundProgress> {
        let p = cx.project;
        self.progress
            .get(cx.revision, || {
                let prev = p.workshop.rounds.last()?;
                let mean_iqr = |scores: &ScoreMap| {
                    let s = agreement::cell_spreads(p, scores);
                    let v: Vec<f64> = s
                        .iter()
                        .filter_map(|c| c.stats.as_ref())
                        .filter(|x| x.n >= 2)
                        .map(|x| x.iqr)
                        .collect();
                    (
                        v.iter().sum::<f64>() / v.len().max(1) as f64,
                        v.iter().filter(|x| **x >= 2.0).count(),
                    )
                };
                let (before, wide_before) = mean_iqr(&prev.scores);
                let (now, wide_now) = mean_iqr(&p.scores);
                Some(RoundProgress {
                    previous: prev.name.clone(),
                    mean_iqr_before: before,
                    mean_iqr_now: now,
                    wide_before,
                    wide_now,
                })
            })
            .as_ref()
    }

    /// Side `a` against side `b`, with the rank paths of `a` across all scenarios.
    pub fn comparison(&mut self, cx: &Cx, a: &Selection, b: &Selection) -> &ComparisonResult {
        let p = cx.project;
        let key = (cx.revision, a.clone(), b.clone());
        self.comparison.get(key, || {
            let columns = compare::baseline_and_scenarios(p, a);
            compare::compare(p, a, b)
                .and_then(|c| compare::rank_paths(p, &columns).map(|r| (c, r)))
                .map_err(|e| e.to_string())
        })
    }
}
