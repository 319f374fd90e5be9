//! The file types of the current schema version. They mirror docs/project.schema.json
//! and are converted by hand to and from the domain types (see `convert.rs`), so the
//! model can change without changing the format. Older versions are raised to this
//! one as JSON by `migrate.rs` before they reach these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Number;

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FileV1 {
    pub schema_version: u32,
    pub project: InfoV1,
    pub framework: FrameworkV1,
    pub mechanisms: Vec<MechanismV1>,
    pub sources: Vec<SourceV1>,
    pub analysts: Vec<AnalystV1>,
    pub scores: Vec<ScoreV1>,
    pub scenarios: Vec<ScenarioV1>,
    pub notes: Vec<NoteV1>,
    pub workshop: WorkshopV2,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct InfoV1 {
    pub title: String,
    pub description: String,
    pub author: String,
    pub created: String,
    pub modified: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FrameworkV1 {
    pub id: String,
    pub name: String,
    pub description: String,
    pub groups: Vec<GroupV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct GroupV1 {
    pub id: String,
    pub name: String,
    pub role: String,
    pub weight: Number,
    pub description: String,
    pub criteria: Vec<CriterionV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct CriterionV1 {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub teaching: String,
    pub direction: String,
    pub weight: Number,
    pub scale: ScaleV1,
    pub gate: Option<GateV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScaleV1 {
    pub min: i32,
    pub max: i32,
    pub anchors: Vec<AnchorV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AnchorV1 {
    pub value: i32,
    pub label: String,
    pub descriptor: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct GateV1 {
    pub at_least: Number,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct MechanismV1 {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: String,
    pub instruments: Vec<String>,
    pub regions: Vec<String>,
    pub partners: Vec<String>,
    pub start_year: Option<i32>,
    pub tags: Vec<String>,
    pub facts: Vec<FactV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FactV1 {
    pub text: String,
    pub sources: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct SourceV1 {
    pub id: String,
    pub citation: String,
    pub link: String,
    pub date: String,
    pub reliability: String,
    pub credibility: u8,
    pub note: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct AnalystV1 {
    pub id: String,
    pub name: String,
    pub note: String,
}

/// A score value: a number, or the text "not_assessed" / "not_applicable".
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(untagged)]
pub enum ValueV1 {
    Number(Number),
    Status(String),
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScoreV1 {
    pub analyst: String,
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueV1,
    pub rationale: String,
    pub confidence: String,
    pub sources: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OverrideV1 {
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueV1,
    pub rationale: String,
    pub confidence: String,
    pub sources: Vec<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScenarioV1 {
    pub id: String,
    pub name: String,
    pub hypothetical: bool,
    pub narrative: String,
    pub assumptions: Vec<String>,
    pub group_weights: BTreeMap<String, Number>,
    pub criterion_weights: BTreeMap<String, Number>,
    pub score_overrides: Vec<OverrideV1>,
    pub excluded_mechanisms: Vec<String>,
    pub added_mechanisms: Vec<MechanismV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct NoteV1 {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// Workshop data (added in version 2).
#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct WorkshopV2 {
    pub consensus_rule: String,
    pub reveal_names: bool,
    pub discussion: String,
    pub rounds: Vec<RoundV2>,
    pub consensus: Vec<ConsensusV2>,
    pub package: Option<PackageV2>,
    /// Optional in files written before it existed; always written.
    #[serde(default)]
    pub exercise: Option<ExerciseV2>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ExerciseV2 {
    pub complete: bool,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RoundV2 {
    pub id: String,
    pub name: String,
    pub notes: String,
    pub scores: Vec<ScoreV1>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ConsensusV2 {
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueV1,
    pub spread: Option<Number>,
    pub n: u32,
    pub dissent: String,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PackageV2 {
    pub analyst: String,
    pub round: u32,
    pub fingerprint: String,
}
