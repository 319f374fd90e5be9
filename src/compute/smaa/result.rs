//! The result of a run (`Smaa`): acceptabilities with their standard errors, pairwise
//! winning rates, confidence factors, central weights, and the JSON the CLI prints.

use serde_json::{Value, json};

use super::options::{ScoreUncertainty, SmaaOptions, WeightModel};

/// The result of a run, with everything needed to reproduce it.
#[derive(Clone, Debug, PartialEq)]
pub struct Smaa {
    pub options: SmaaOptions,
    pub generator: &'static str,
    pub chunk_size: usize,
    /// Rows of the effective matrix, in its order.
    pub mechanism_ids: Vec<String>,
    /// Criteria in framework order (flattened).
    pub criterion_ids: Vec<String>,
    /// Group index of each criterion.
    pub criterion_groups: Vec<usize>,
    /// `rank_counts[i][r]`: samples in which mechanism `i` had rank `r + 1`.
    pub rank_counts: Vec<Vec<u64>>,
    /// Samples in which mechanism `i` had no total (coverage below 50 %).
    pub unranked_counts: Vec<u64>,
    /// Mean global criterion weights over the samples where `i` ranked first (sum 1);
    /// `None` when it never did.
    pub central_weights: Vec<Option<Vec<f64>>>,
    /// Share of the confidence-factor samples in which `i` ranks first with its central
    /// weights (exactly 0 or 1 without score uncertainty); `None` when never first.
    pub confidence: Vec<Option<f64>>,
    /// Samples behind `confidence` (0 when it was computed exactly).
    pub confidence_samples: usize,
    /// `pairwise_counts[i][j]`: samples in which `i` ranked strictly ahead of `j`, both
    /// having a total. `None` when not requested.
    pub pairwise_counts: Option<Vec<Vec<u64>>>,
    /// Totals closer than this (0–1 scale) were compared in f64.
    pub f32_resolution: f64,
}

impl Smaa {
    pub(super) fn n(&self) -> f64 {
        self.options.samples.max(1) as f64
    }

    /// Rank acceptability index b(i, rank), rank 1-based: the share of samples in which
    /// mechanism `i` took that rank.
    pub fn acceptability(&self, i: usize, rank: usize) -> f64 {
        self.rank_counts[i][rank - 1] as f64 / self.n()
    }

    /// Standard error of `acceptability(i, rank)`: √(b(1 − b)/N).
    pub fn acceptability_se(&self, i: usize, rank: usize) -> f64 {
        let b = self.acceptability(i, rank);
        (b * (1.0 - b) / self.n()).sqrt()
    }

    /// Every rank's acceptability of mechanism `i` (ranks 1..=m).
    pub fn acceptabilities(&self, i: usize) -> Vec<f64> {
        (1..=self.rank_counts[i].len())
            .map(|r| self.acceptability(i, r))
            .collect()
    }

    /// Share of samples in which mechanism `i` had no total.
    pub fn unranked(&self, i: usize) -> f64 {
        self.unranked_counts[i] as f64 / self.n()
    }

    /// P(i ranks strictly ahead of j), if pairwise counts were requested.
    pub fn beats(&self, i: usize, j: usize) -> Option<f64> {
        self.pairwise_counts
            .as_ref()
            .map(|p| p[i][j] as f64 / self.n())
    }

    /// Standard error of the confidence factor of `i` (0 when computed exactly).
    pub fn confidence_se(&self, i: usize) -> Option<f64> {
        let p = self.confidence[i]?;
        Some(if self.confidence_samples == 0 {
            0.0
        } else {
            (p * (1.0 - p) / self.confidence_samples as f64).sqrt()
        })
    }

    /// Central weights of `i` summed per group (group shares, in framework order).
    pub fn central_group_weights(&self, i: usize) -> Option<Vec<f64>> {
        let w = self.central_weights[i].as_ref()?;
        let groups = self.criterion_groups.iter().max().map_or(0, |g| g + 1);
        let mut out = vec![0.0; groups];
        for (c, &g) in self.criterion_groups.iter().enumerate() {
            out[g] += w[c];
        }
        Some(out)
    }

    /// The machine-readable form (documented in docs/analysis.md).
    pub fn to_json(&self) -> Value {
        let r6 = |x: f64| (x * 1e6).round() / 1e6;
        let weights = match &self.options.weights {
            WeightModel::Fixed => json!({ "model": "fixed" }),
            WeightModel::Uniform {
                level,
                bounds,
                order,
            } => json!({
                "model": "uniform",
                "level": level.as_str(),
                "bounds": bounds.iter().map(|b| json!({"index": b.index, "lo": b.lo, "hi": b.hi})).collect::<Vec<_>>(),
                "order": order,
            }),
        };
        let scores = match self.options.scores {
            ScoreUncertainty::Off => json!({ "model": "off" }),
            ScoreUncertainty::FromConfidence(s) => json!({
                "model": "confidence",
                "distribution": "uniform ± half-width (scale points), clamped to the scale; where several analysts gave a number, one of them drawn first",
                "half_width": { "high": s.high, "moderate": s.moderate, "low": s.low },
            }),
        };
        let mechanisms: Vec<Value> = (0..self.mechanism_ids.len())
            .map(|i| {
                let m = self.rank_counts[i].len();
                json!({
                    "id": self.mechanism_ids[i],
                    "acceptability": (1..=m).map(|r| r6(self.acceptability(i, r))).collect::<Vec<_>>(),
                    "acceptability_se": (1..=m).map(|r| r6(self.acceptability_se(i, r))).collect::<Vec<_>>(),
                    "unranked": r6(self.unranked(i)),
                    "central_weights": self.central_weights[i].as_ref().map(|w| {
                        self.criterion_ids.iter().zip(w).map(|(id, x)| (id.clone(), json!(r6(*x))))
                            .collect::<serde_json::Map<String, Value>>()
                    }),
                    "confidence_factor": self.confidence[i].map(r6),
                    "confidence_factor_se": self.confidence_se(i).map(r6),
                })
            })
            .collect();
        let pairwise = self.pairwise_counts.as_ref().map(|_| {
            json!({
                "reading": "p[i][j] = share of samples in which mechanism i ranks strictly ahead of mechanism j",
                "ids": self.mechanism_ids,
                "p": (0..self.mechanism_ids.len()).map(|i| {
                    (0..self.mechanism_ids.len()).map(|j| r6(self.beats(i, j).unwrap_or(0.0))).collect::<Vec<_>>()
                }).collect::<Vec<_>>(),
            })
        });
        json!({
            "method": "SMAA-2 (Lahdelma & Salminen 2001)",
            "seed": self.options.seed,
            "samples": self.options.samples,
            "settings": self.options.describe(),
            "generator": self.generator,
            "chunk_size": self.chunk_size,
            "options": {
                "weights": weights,
                "score_uncertainty": scores,
                "missing_cells": self.options.missing.as_str(),
                "pairwise": self.options.pairwise,
                "confidence_samples": self.confidence_samples,
            },
            "criteria": self.criterion_ids,
            "mechanisms": mechanisms,
            "pairwise": pairwise,
        })
    }
}
