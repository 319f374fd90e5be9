//! The file types of the current schema version. They mirror docs/project.schema.json
//! and are converted by hand to and from the domain types (see `convert/`), so the
//! model can change without changing the format. Older versions are raised to this
//! one as JSON by `migrate.rs` before they reach these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Number;

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub schema_version: u32,
    pub project: InfoFile,
    pub framework: FrameworkFile,
    pub mechanisms: Vec<MechanismFile>,
    pub sources: Vec<SourceFile>,
    pub analysts: Vec<AnalystFile>,
    pub scores: Vec<ScoreFile>,
    pub scenarios: Vec<ScenarioFile>,
    pub notes: Vec<NoteFile>,
    pub workshop: WorkshopFile,
    /// Findings of the check acknowledged with a reason; written only when there are
    /// some (so older files are unchanged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub acknowledgements: Vec<AcknowledgementFile>,
    /// Conflicts recorded by the git merge driver; written only when there are some,
    /// so every other file stays byte-identical.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub merge_conflicts: Vec<MergeConflictFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AcknowledgementFile {
    pub finding: String,
    pub reason: String,
}

/// One recorded merge conflict. A side is absent where the item did not exist on it;
/// `null` is a value like any other.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MergeConflictFile {
    pub path: String,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub base: Option<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub ours: Option<serde_json::Value>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub theirs: Option<serde_json::Value>,
}

/// A field that is present (even as `null`) is `Some`; an absent one is `None` (default).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    serde_json::Value::deserialize(d).map(Some)
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct InfoFile {
    pub title: String,
    pub description: String,
    pub author: String,
    pub created: String,
    pub modified: String,
    /// The ranking rule for missing data; omitted when it is the default
    /// ("rank-assessed"), so files written before it existed stay byte-identical.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ranking_rule: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub id: String,
    pub name: String,
    pub description: String,
    pub groups: Vec<GroupFile>,
    /// Written only when the framework lists viewpoints (older files have none and
    /// are analysed with the framework's own weights, "As weighted").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub viewpoints: Vec<ViewpointFile>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_viewpoint: Option<String>,
    /// The weighting judgements (pairwise, swing); written only when some are kept
    /// (older files have none and load unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weighting: Option<WeightingFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct WeightingFile {
    /// Judgements among the groups.
    #[serde(default, skip_serializing_if = "JudgementsFile::is_empty")]
    pub groups: JudgementsFile,
    /// Judgements among each group's criteria, by group id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub criteria: BTreeMap<String, JudgementsFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone, Default)]
#[serde(deny_unknown_fields)]
pub struct JudgementsFile {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pairwise: Vec<PairJudgementFile>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub swing: Vec<SwingJudgementFile>,
}

impl JudgementsFile {
    pub fn is_empty(&self) -> bool {
        self.pairwise.is_empty() && self.swing.is_empty()
    }
}

/// `a` is `value` times as important as `b`.
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PairJudgementFile {
    pub a: String,
    pub b: String,
    pub value: Number,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SwingJudgementFile {
    pub id: String,
    pub rank: u32,
    pub rating: Number,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ViewpointFile {
    pub id: String,
    pub name: String,
    pub perspective: String,
    pub reading: String,
    /// Group id → weight; null: the framework's own group weights.
    pub group_weights: Option<std::collections::BTreeMap<String, Number>>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct GroupFile {
    pub id: String,
    pub name: String,
    pub role: String,
    pub weight: Number,
    pub description: String,
    pub criteria: Vec<CriterionFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct CriterionFile {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub teaching: String,
    /// Coding guidance; written only when not empty (so older files are unchanged).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coding: Option<String>,
    pub direction: String,
    pub weight: Number,
    pub scale: ScaleFile,
    pub gate: Option<GateFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScaleFile {
    pub min: i32,
    pub max: i32,
    pub anchors: Vec<AnchorFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AnchorFile {
    pub value: i32,
    pub label: String,
    pub descriptor: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct GateFile {
    pub at_least: Number,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MechanismFile {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub instruments: Vec<String>,
    pub regions: Vec<String>,
    pub partners: Vec<String>,
    pub start_year: Option<i32>,
    pub tags: Vec<String>,
    pub facts: Vec<FactFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FactFile {
    pub text: String,
    pub sources: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SourceFile {
    pub id: String,
    pub citation: String,
    pub link: String,
    pub date: String,
    pub reliability: String,
    pub credibility: u8,
    pub note: String,
    /// Who speaks; written only when known ("unknown" when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// The source this one relays; written only when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derived_from: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AnalystFile {
    pub id: String,
    pub name: String,
    pub note: String,
}

/// A score value: a number, or the text "not_assessed" / "not_applicable".
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum ValueFile {
    Number(Number),
    Status(String),
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScoreFile {
    pub analyst: String,
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueFile,
    pub rationale: String,
    pub confidence: String,
    pub sources: Vec<String>,
    /// Whose word the score rests on; written only when not "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// The value the rationale was written for; written only when it differs from
    /// the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale_for: Option<ValueFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OverrideFile {
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueFile,
    pub rationale: String,
    pub confidence: String,
    pub sources: Vec<String>,
    /// Whose word the score rests on; written only when not "unknown".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// The value the rationale was written for; written only when it differs from
    /// the value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rationale_for: Option<ValueFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub id: String,
    pub name: String,
    pub hypothetical: bool,
    pub narrative: String,
    pub assumptions: Vec<String>,
    pub group_weights: BTreeMap<String, Number>,
    pub criterion_weights: BTreeMap<String, Number>,
    pub score_overrides: Vec<OverrideFile>,
    pub excluded_mechanisms: Vec<String>,
    pub added_mechanisms: Vec<MechanismFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct NoteFile {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// Workshop data (added in version 2).
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct WorkshopFile {
    pub consensus_rule: String,
    pub reveal_names: bool,
    pub discussion: String,
    pub rounds: Vec<RoundFile>,
    pub consensus: Vec<ConsensusFile>,
    pub package: Option<PackageFile>,
    /// Optional in files written before it existed; always written.
    #[serde(default)]
    pub exercise: Option<ExerciseFile>,
    /// Written only once the master has made a package (so files without packages
    /// are unchanged); never in a package.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package_key: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExerciseFile {
    pub complete: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RoundFile {
    pub id: String,
    pub name: String,
    pub notes: String,
    pub scores: Vec<ScoreFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ConsensusFile {
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueFile,
    pub spread: Option<Number>,
    pub n: u32,
    pub dissent: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PackageFile {
    pub analyst: String,
    pub round: u32,
    pub fingerprint: String,
    /// Optional in packages made before seals existed; written when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seal: Option<String>,
    /// The other analysts' anonymised reasons for the cells to discuss (Delphi
    /// feedback); written only when there are some.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reasons: Vec<PeerReasonFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PeerReasonFile {
    pub mechanism: String,
    pub criterion: String,
    pub rationale: String,
}
