//! Workshop data: earlier scoring rounds, the consensus the group recorded, and, in a
//! blind scoring package, which analyst the file is for.

use std::collections::BTreeMap;

use super::score::{Score, ScoreKey, ScoreValue};

/// How the consensus value of a cell is proposed from the analysts' scores. Chosen
/// before round 1 and stored, so the rule is not picked after seeing the results.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ConsensusRule {
    #[default]
    Median,
    Mean,
}

impl ConsensusRule {
    pub fn as_str(self) -> &'static str {
        match self {
            ConsensusRule::Median => "median",
            ConsensusRule::Mean => "mean",
        }
    }

    pub fn parse(s: &str) -> Option<ConsensusRule> {
        match s {
            "median" => Some(ConsensusRule::Median),
            "mean" => Some(ConsensusRule::Mean),
            _ => None,
        }
    }
}

/// A closed scoring round, kept in the file.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Round {
    pub id: String,
    pub name: String,
    /// The discussion notes of that round.
    pub notes: String,
    pub scores: BTreeMap<ScoreKey, Score>,
}

/// The value the group agreed for one cell, with the spread behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct ConsensusCell {
    pub value: ScoreValue,
    /// Interquartile range of the analysts' scores when the consensus was recorded.
    pub spread: Option<f64>,
    /// How many analysts scored the cell.
    pub n: usize,
    /// A dissent note, when an analyst disagrees with the consensus.
    pub dissent: String,
}

/// Marks a blind scoring package: the file holds one analyst's sheet only.
#[derive(Clone, Debug, PartialEq)]
pub struct Package {
    pub analyst: String,
    /// The round the package is for (1 = first).
    pub round: usize,
    /// A fingerprint of the master's framework and mechanisms, checked on merge.
    pub fingerprint: String,
    /// A keyed hash of the analyst, the round and the fingerprint, made with the
    /// master's `package_key`: merge recomputes it, so a package whose analyst, round
    /// or fingerprint was edited, or that came from another copy of the master, is
    /// refused. None in packages made before seals existed.
    pub seal: Option<String>,
    /// Delphi feedback: the other analysts' reasons, anonymised, for the cells the
    /// last closed round left to discuss. For reading only: not sealed, and merge
    /// takes nothing from them. Empty in a first round.
    pub reasons: Vec<PeerReason>,
}

/// One other analyst's rationale for a cell, without who gave it or their value.
#[derive(Clone, Debug, PartialEq)]
pub struct PeerReason {
    pub mechanism: String,
    pub criterion: String,
    pub rationale: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Workshop {
    pub consensus_rule: ConsensusRule,
    /// Show analysts' names in the disagreement view (default: Analyst A, B, …).
    pub reveal_names: bool,
    /// Discussion notes of the current round.
    pub discussion: String,
    /// Closed rounds, oldest first; the current round's scores are `Project::scores`.
    pub rounds: Vec<Round>,
    /// Keyed by (mechanism id, criterion id).
    pub consensus: BTreeMap<(String, String), ConsensusCell>,
    pub package: Option<Package>,
    /// Set in a student exercise file: totals stay hidden until `complete`.
    pub exercise: Option<Exercise>,
    /// The master's secret for sealing packages (32 hex digits), set when its first
    /// package is made. Never written into a package.
    pub package_key: Option<String>,
}

/// A teaching exercise: the student scores blind, then compares with a reference.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Exercise {
    /// The student marked the scoring complete: results and charts are shown.
    pub complete: bool,
}

impl Workshop {
    /// The number of the round being scored now (1 = first).
    pub fn current_round(&self) -> usize {
        self.rounds.len() + 1
    }
}
