//! The file types of the current schema version. They mirror docs/project.schema.json
//! and are converted by hand to and from the domain types (see `convert/`), so the
//! model can change without changing the format. Older versions are raised to this
//! one as JSON by `migrate.rs` before they reach these types.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Number;

use super::unique;

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    pub schema_version: u32,
    #[serde(deserialize_with = "obj")]
    pub project: InfoFile,
    #[serde(deserialize_with = "obj")]
    pub framework: FrameworkFile,
    #[serde(deserialize_with = "obj_list")]
    pub mechanisms: Vec<MechanismFile>,
    #[serde(deserialize_with = "obj_list")]
    pub sources: Vec<SourceFile>,
    #[serde(deserialize_with = "obj_list")]
    pub analysts: Vec<AnalystFile>,
    #[serde(deserialize_with = "score_list")]
    pub scores: Vec<ScoreFile>,
    #[serde(deserialize_with = "obj_list")]
    pub scenarios: Vec<ScenarioFile>,
    #[serde(deserialize_with = "obj_list")]
    pub notes: Vec<NoteFile>,
    #[serde(deserialize_with = "obj")]
    pub workshop: WorkshopFile,
    /// Findings of the check acknowledged with a reason; written only when there are
    /// some (so older files are unchanged).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "obj_list")]
    pub acknowledgements: Vec<AcknowledgementFile>,
    /// Conflicts recorded by the git merge driver; written only when there are some,
    /// so every other file stays byte-identical.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "obj_list")]
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
/// Read as a JSON value whose objects have no key twice (see `unique`).
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<serde_json::Value>, D::Error> {
    unique::value(d).map(Some)
}

/// Objects only: serde's derived structs also read a list (`[…]`, in field order),
/// which the schema refuses. Nested structs are read through `obj` and `obj_list` too.
#[repr(transparent)]
pub struct Obj<T>(pub T);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Obj<T> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(std::marker::PhantomData<T>);
        impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for V<T> {
            type Value = T;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData)).map(Obj)
    }
}

fn obj<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(d: D) -> Result<T, D::Error> {
    Obj::<T>::deserialize(d).map(|o| o.0)
}

fn obj_list<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Vec<T>, D::Error> {
    Vec::<Obj<T>>::deserialize(d).map(|v| v.into_iter().map(|o| o.0).collect())
}

thread_local! {
    /// The address of the stand-in string (`SCORES_STAND_IN`) that the fast loader put
    /// where the score list was while it reads the list apart (`persist::split`), or 0.
    /// The top-level `scores` field takes the stand-in only at this address, and then
    /// sets it back to 0.
    pub static SCORES_APART: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// The text of the stand-in for a score list read apart.
pub const SCORES_STAND_IN: &str = "score list read apart";

/// The top-level score list: `obj_list`, or, while `SCORES_APART` is set on this
/// thread, the stand-in string at that address (an empty list; the cells come apart).
fn score_list<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ScoreFile>, D::Error> {
    let at = SCORES_APART.with(|a| a.get());
    if at == 0 {
        return obj_list(d);
    }
    struct V(usize);
    impl<'de> serde::de::Visitor<'de> for V {
        type Value = Vec<ScoreFile>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("the stand-in for the score list")
        }
        fn visit_borrowed_str<E: serde::de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            if v.as_ptr() as usize == self.0 && v == SCORES_STAND_IN {
                SCORES_APART.with(|a| a.set(0));
                Ok(Vec::new())
            } else {
                Err(E::custom("not the stand-in for the score list"))
            }
        }
    }
    d.deserialize_str(V(at))
}

/// `null` or an object (a required field unless the field also says `default`).
fn obj_or_null<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<Obj<T>>::deserialize(d).map(|o| o.map(|x| x.0))
}

/// A required field that may be `null` (serde alone would also read it when absent).
fn nullable<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    Option::<T>::deserialize(d)
}

/// An optional field that may be absent (`None`, by `default`) but not `null`: the
/// schema refuses `null` there, and serde alone would read it as absent.
fn not_null<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// A map whose keys must all differ (serde would keep the last of two silently).
fn unique_map<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<BTreeMap<String, Number>, D::Error> {
    unique::map(d)
}

/// `unique_map`, or `null`.
fn unique_map_or_null<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, Number>>, D::Error> {
    unique::map_or_null(d)
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub ranking_rule: Option<String>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct FrameworkFile {
    pub id: String,
    pub name: String,
    pub description: String,
    #[serde(deserialize_with = "obj_list")]
    pub groups: Vec<GroupFile>,
    /// Written only when the framework lists viewpoints (older files have none and
    /// are analysed with the framework's own weights, "As weighted").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[serde(deserialize_with = "obj_list")]
    pub viewpoints: Vec<ViewpointFile>,
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(deserialize_with = "unique_map_or_null")]
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
    #[serde(deserialize_with = "obj_list")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub coding: Option<String>,
    pub direction: String,
    pub weight: Number,
    #[serde(deserialize_with = "obj")]
    pub scale: ScaleFile,
    #[serde(deserialize_with = "obj_or_null")]
    pub gate: Option<GateFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScaleFile {
    pub min: i32,
    pub max: i32,
    #[serde(deserialize_with = "obj_list")]
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
    #[serde(deserialize_with = "nullable")]
    pub start_year: Option<i32>,
    pub tags: Vec<String>,
    #[serde(deserialize_with = "obj_list")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub origin: Option<String>,
    /// The source this one relays; written only when there is one.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
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
#[derive(Serialize, Debug, Clone)]
#[serde(untagged)]
pub enum ValueFile {
    Number(Number),
    Status(String),
}

/// Read as `#[serde(untagged)]` would (a number, else a text), without buffering the
/// value first: scores are the bulk of a file.
impl<'de> Deserialize<'de> for ValueFile {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = ValueFile;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a number or a text")
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ValueFile, E> {
                Ok(ValueFile::Number(v.into()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ValueFile, E> {
                Ok(ValueFile::Number(v.into()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ValueFile, E> {
                Number::from_f64(v)
                    .map(ValueFile::Number)
                    .ok_or_else(|| E::custom("not a finite number"))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ValueFile, E> {
                Ok(ValueFile::Status(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<ValueFile, E> {
                Ok(ValueFile::Status(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A text that is mostly one of a few words (a score's confidence and basis): one of
/// them is kept without an allocation, any other text as read. Reads and writes as a
/// plain string (`String`'s reading, with the same message for anything else).
#[derive(Debug, Clone, PartialEq)]
pub struct Word(pub std::borrow::Cow<'static, str>);

impl Word {
    const KNOWN: [&'static str; 7] = [
        "low",
        "moderate",
        "high",
        "claim",
        "documented",
        "mixed",
        "unknown",
    ];

    fn known(s: &str) -> Option<Word> {
        Word::KNOWN
            .iter()
            .find(|w| **w == s)
            .map(|w| Word(std::borrow::Cow::Borrowed(w)))
    }
}

impl From<&'static str> for Word {
    fn from(s: &'static str) -> Word {
        Word(std::borrow::Cow::Borrowed(s))
    }
}

impl std::ops::Deref for Word {
    type Target = str;
    fn deref(&self) -> &str {
        &self.0
    }
}

impl Serialize for Word {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Word {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Word;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Word, E> {
                Ok(Word::known(v).unwrap_or_else(|| Word(v.to_string().into())))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Word, E> {
                Ok(Word::known(&v).unwrap_or(Word(v.into())))
            }
            fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Word, E> {
                match std::str::from_utf8(v) {
                    Ok(s) => self.visit_str(s),
                    Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
                }
            }
            fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Word, E> {
                match String::from_utf8(v) {
                    Ok(s) => self.visit_string(s),
                    Err(e) => Err(E::invalid_value(
                        serde::de::Unexpected::Bytes(&e.into_bytes()),
                        &self,
                    )),
                }
            }
        }
        d.deserialize_string(V)
    }
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ScoreFile {
    pub analyst: String,
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueFile,
    pub rationale: String,
    pub confidence: Word,
    pub sources: Vec<String>,
    /// Whose word the score rests on; written only when not "unknown".
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub basis: Option<Word>,
    /// The value the rationale was written for; written only when it differs from
    /// the value.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub rationale_for: Option<ValueFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OverrideFile {
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueFile,
    pub rationale: String,
    pub confidence: Word,
    pub sources: Vec<String>,
    /// Whose word the score rests on; written only when not "unknown".
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
    pub basis: Option<Word>,
    /// The value the rationale was written for; written only when it differs from
    /// the value.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(deserialize_with = "unique_map")]
    pub group_weights: BTreeMap<String, Number>,
    #[serde(deserialize_with = "unique_map")]
    pub criterion_weights: BTreeMap<String, Number>,
    #[serde(deserialize_with = "obj_list")]
    pub score_overrides: Vec<OverrideFile>,
    pub excluded_mechanisms: Vec<String>,
    #[serde(deserialize_with = "obj_list")]
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
    #[serde(deserialize_with = "obj_list")]
    pub rounds: Vec<RoundFile>,
    #[serde(deserialize_with = "obj_list")]
    pub consensus: Vec<ConsensusFile>,
    #[serde(deserialize_with = "obj_or_null")]
    pub package: Option<PackageFile>,
    /// Optional in files written before it existed; always written.
    #[serde(default)]
    #[serde(deserialize_with = "obj_or_null")]
    pub exercise: Option<ExerciseFile>,
    /// Written only once the master has made a package (so files without packages
    /// are unchanged); never in a package.
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
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
    #[serde(deserialize_with = "obj_list")]
    pub scores: Vec<ScoreFile>,
}

#[derive(Serialize, Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct ConsensusFile {
    pub mechanism: String,
    pub criterion: String,
    pub value: ValueFile,
    #[serde(deserialize_with = "nullable")]
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
    #[serde(
        default,
        deserialize_with = "not_null",
        skip_serializing_if = "Option::is_none"
    )]
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
