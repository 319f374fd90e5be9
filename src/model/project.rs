//! The project: framework, mechanisms, sources, analysts, scores, scenarios, notes.

use std::collections::BTreeMap;

use super::conflict::MergeConflict;
use super::framework::Framework;
use super::score::{Basis, Score, ScoreKey};
use super::workshop::Workshop;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    International,
    Regional,
    Bilateral,
    Unconventional,
}

impl Kind {
    pub const ALL: [Kind; 4] = [
        Kind::International,
        Kind::Regional,
        Kind::Bilateral,
        Kind::Unconventional,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::International => "international",
            Kind::Regional => "regional",
            Kind::Bilateral => "bilateral",
            Kind::Unconventional => "unconventional",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::International => "International",
            Kind::Regional => "Regional",
            Kind::Bilateral => "Bilateral",
            Kind::Unconventional => "Unconventional",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Instrument {
    Training,
    Equipment,
    JointOperation,
    InformationExchange,
    LegalInstrument,
    Institution,
    Other,
}

impl Instrument {
    pub const ALL: [Instrument; 7] = [
        Instrument::Training,
        Instrument::Equipment,
        Instrument::JointOperation,
        Instrument::InformationExchange,
        Instrument::LegalInstrument,
        Instrument::Institution,
        Instrument::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Instrument::Training => "training",
            Instrument::Equipment => "equipment",
            Instrument::JointOperation => "joint_operation",
            Instrument::InformationExchange => "information_exchange",
            Instrument::LegalInstrument => "legal_instrument",
            Instrument::Institution => "institution",
            Instrument::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Instrument::Training => "Training",
            Instrument::Equipment => "Equipment",
            Instrument::JointOperation => "Joint operation",
            Instrument::InformationExchange => "Information exchange",
            Instrument::LegalInstrument => "Legal instrument",
            Instrument::Institution => "Institution",
            Instrument::Other => "Other",
        }
    }

    pub fn parse(s: &str) -> Option<Instrument> {
        Instrument::ALL.into_iter().find(|i| i.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Fact {
    pub text: String,
    pub sources: Vec<String>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Mechanism {
    pub id: String,
    pub name: String,
    pub description: String,
    pub kind: Kind,
    pub instruments: Vec<Instrument>,
    pub regions: Vec<String>,
    pub partners: Vec<String>,
    pub start_year: Option<i32>,
    pub tags: Vec<String>,
    pub facts: Vec<Fact>,
}

impl Mechanism {
    pub fn new(id: &str, name: &str) -> Mechanism {
        Mechanism {
            id: id.to_string(),
            name: name.to_string(),
            description: String::new(),
            kind: Kind::Bilateral,
            instruments: Vec::new(),
            regions: Vec::new(),
            partners: Vec::new(),
            start_year: None,
            tags: Vec::new(),
            facts: Vec::new(),
        }
    }
}

/// Reliability of a source (Admiralty grading A–F).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reliability {
    A,
    B,
    C,
    D,
    E,
    F,
}

impl Reliability {
    pub const ALL: [Reliability; 6] = [
        Reliability::A,
        Reliability::B,
        Reliability::C,
        Reliability::D,
        Reliability::E,
        Reliability::F,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Reliability::A => "A",
            Reliability::B => "B",
            Reliability::C => "C",
            Reliability::D => "D",
            Reliability::E => "E",
            Reliability::F => "F",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Reliability::A => "completely reliable",
            Reliability::B => "usually reliable",
            Reliability::C => "fairly reliable",
            Reliability::D => "not usually reliable",
            Reliability::E => "unreliable",
            Reliability::F => "reliability cannot be judged",
        }
    }

    pub fn parse(s: &str) -> Option<Reliability> {
        Reliability::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Credibility of the information (1 confirmed … 6 cannot be judged).
pub fn credibility_meaning(c: u8) -> &'static str {
    match c {
        1 => "confirmed",
        2 => "probably true",
        3 => "possibly true",
        4 => "doubtful",
        5 => "improbable",
        _ => "truth cannot be judged",
    }
}

/// Who speaks in a source: the assessed state itself, a partner or host government,
/// an international organisation, independent research, the press, an advocacy
/// organisation, or not known (the default, and what older files read as).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Origin {
    /// The assessed state: its government, agencies, officials, state media.
    AssessedState,
    /// A partner or host government (and its agencies).
    PartnerGovernment,
    /// An international or regional organisation (UN bodies, Interpol, ASEAN…).
    InternationalOrg,
    /// Independent research: academic work, think tanks.
    IndependentResearch,
    /// Independent press.
    Press,
    /// An advocacy organisation (human rights groups, campaigns).
    Advocacy,
    #[default]
    Unknown,
}

impl Origin {
    pub const ALL: [Origin; 7] = [
        Origin::AssessedState,
        Origin::PartnerGovernment,
        Origin::InternationalOrg,
        Origin::IndependentResearch,
        Origin::Press,
        Origin::Advocacy,
        Origin::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Origin::AssessedState => "assessed_state",
            Origin::PartnerGovernment => "partner_government",
            Origin::InternationalOrg => "international_org",
            Origin::IndependentResearch => "independent_research",
            Origin::Press => "press",
            Origin::Advocacy => "advocacy",
            Origin::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Origin::AssessedState => "Assessed state",
            Origin::PartnerGovernment => "Partner government",
            Origin::InternationalOrg => "International organisation",
            Origin::IndependentResearch => "Independent research",
            Origin::Press => "Press",
            Origin::Advocacy => "Advocacy organisation",
            Origin::Unknown => "Unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Origin> {
        Origin::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub id: String,
    pub citation: String,
    pub link: String,
    pub date: String,
    pub reliability: Reliability,
    /// 1 (confirmed) to 6 (cannot be judged).
    pub credibility: u8,
    pub note: String,
    /// Who speaks in the source.
    pub origin: Origin,
    /// The source this one relays or derives from (a source id), so reports tracing
    /// to one original count once.
    pub derived_from: Option<String>,
}

impl Source {
    /// The grade as analysts write it, e.g. "B2".
    pub fn grade(&self) -> String {
        format!("{}{}", self.reliability.as_str(), self.credibility)
    }
}

impl Project {
    /// Who speaks in a source: the origin of the original it derives from (following
    /// `derived_from` to the end of the chain), or its own when the original's is
    /// unknown. A research paper relaying an official statement is still the
    /// assessed state's word. Unknown for a missing id.
    pub fn origin_of(&self, id: &str) -> Origin {
        let mut origin = Origin::Unknown;
        let mut at = Some(id);
        let mut steps = 0;
        while let Some(here) = at
            && let Some(s) = self.source(here)
            && steps <= self.sources.len()
        {
            if s.origin != Origin::Unknown {
                origin = s.origin;
            }
            at = s.derived_from.as_deref();
            steps += 1;
        }
        origin
    }

    /// The suggested basis of a score citing these sources (see `suggest_basis`).
    pub fn suggested_basis(&self, sources: &[String]) -> Basis {
        let origins: Vec<Origin> = sources.iter().map(|s| self.origin_of(s)).collect();
        suggest_basis(&origins)
    }
}

/// What the basis of a score citing sources of these origins would be: every source
/// from the assessed state → claim; none from it and none unknown → documented; some
/// from it and some independent → mixed; no sources, or unknown origins and no
/// independent source beside the state's → unknown.
pub fn suggest_basis(origins: &[Origin]) -> Basis {
    let state = origins
        .iter()
        .filter(|o| **o == Origin::AssessedState)
        .count();
    let unknown = origins.iter().filter(|o| **o == Origin::Unknown).count();
    let other = origins.len() - state - unknown;
    match (state, other, unknown) {
        (s, 0, 0) if s > 0 => Basis::Claim,
        (0, o, 0) if o > 0 => Basis::Documented,
        (s, o, _) if s > 0 && o > 0 => Basis::Mixed,
        _ => Basis::Unknown,
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Analyst {
    pub id: String,
    pub name: String,
    pub note: String,
}

/// A scenario's replacement of one (aggregated) cell.
#[derive(Clone, Debug, PartialEq)]
pub struct ScoreOverride {
    pub mechanism: String,
    pub criterion: String,
    pub score: Score,
}

/// A hypothetical variation applied on top of the base assessment; it never
/// changes the base.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Scenario {
    pub id: String,
    pub name: String,
    pub narrative: String,
    pub assumptions: Vec<String>,
    pub group_weights: BTreeMap<String, f64>,
    pub criterion_weights: BTreeMap<String, f64>,
    pub score_overrides: Vec<ScoreOverride>,
    pub excluded_mechanisms: Vec<String>,
    pub added_mechanisms: Vec<Mechanism>,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Note {
    pub id: String,
    pub title: String,
    pub text: String,
}

/// A finding of the assessment check that the analyst has looked at and accepts, with
/// the reason; `finding` is the finding's id (see `check`).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Acknowledgement {
    pub finding: String,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct ProjectInfo {
    pub title: String,
    pub description: String,
    pub author: String,
    pub created: String,
    pub modified: String,
}

/// How the ranking treats missing data (docs/analysis.md, "Missing data and ranks").
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
pub enum RankingRule {
    /// Rank every mechanism that has a total on what is assessed, and flag the gaps
    /// with a rank range.
    #[default]
    RankAssessed,
    /// Leave unranked every mechanism with a counted group that has no index.
    UnrankIncomplete,
}

impl RankingRule {
    pub const ALL: [RankingRule; 2] = [RankingRule::RankAssessed, RankingRule::UnrankIncomplete];

    /// The value in the file.
    pub fn as_str(self) -> &'static str {
        match self {
            RankingRule::RankAssessed => "rank-assessed",
            RankingRule::UnrankIncomplete => "unrank-incomplete",
        }
    }

    pub fn parse(s: &str) -> Option<RankingRule> {
        RankingRule::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// A short label for a choice in the app.
    pub fn label(self) -> &'static str {
        match self {
            RankingRule::RankAssessed => "Rank on what is assessed, and flag the gaps",
            RankingRule::UnrankIncomplete => "Leave unranked a mechanism with a group missing",
        }
    }

    /// The rule as one line for the header of every output.
    pub fn line(self) -> &'static str {
        match self {
            RankingRule::RankAssessed => {
                "Ranking rule: rank on what is assessed; a rank range shows where the not-assessed cells could put it"
            }
            RankingRule::UnrankIncomplete => {
                "Ranking rule: a mechanism with a counted group that has no index is left unranked"
            }
        }
    }
}

/// Project-wide analysis settings.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Settings {
    pub ranking_rule: RankingRule,
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Project {
    pub info: ProjectInfo,
    pub settings: Settings,
    pub framework: Framework,
    pub mechanisms: Vec<Mechanism>,
    pub sources: Vec<Source>,
    pub analysts: Vec<Analyst>,
    /// Keyed by (analyst, mechanism, criterion). A missing key means not assessed.
    pub scores: BTreeMap<ScoreKey, Score>,
    pub scenarios: Vec<Scenario>,
    pub notes: Vec<Note>,
    pub workshop: Workshop,
    /// Findings of the assessment check acknowledged with a reason.
    pub acknowledgements: Vec<Acknowledgement>,
    /// Conflicts the git merge driver recorded and nobody has resolved yet.
    pub merge_conflicts: Vec<MergeConflict>,
}

impl Project {
    pub fn mechanism(&self, id: &str) -> Option<&Mechanism> {
        self.mechanisms.iter().find(|m| m.id == id)
    }

    pub fn source(&self, id: &str) -> Option<&Source> {
        self.sources.iter().find(|s| s.id == id)
    }

    pub fn scenario(&self, id: &str) -> Option<&Scenario> {
        self.scenarios.iter().find(|s| s.id == id)
    }

    /// A scenario with its place in the list (what `SetScenario` takes).
    pub fn scenario_at(&self, id: &str) -> Option<(usize, &Scenario)> {
        self.scenarios.iter().enumerate().find(|(_, s)| s.id == id)
    }

    pub fn analyst(&self, id: &str) -> Option<&Analyst> {
        self.analysts.iter().find(|a| a.id == id)
    }

    pub fn score(&self, analyst: &str, mechanism: &str, criterion: &str) -> Option<&Score> {
        self.scores
            .get(&ScoreKey::new(analyst, mechanism, criterion))
    }
}

/// Turns a name into an id slug: lower-case ASCII letters, digits and '-'.
pub fn slugify(name: &str) -> String {
    let mut out = String::new();
    for ch in name.chars() {
        let c = ch.to_ascii_lowercase();
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let mut s = out.trim_end_matches('-').to_string();
    s.truncate(48);
    let s = s.trim_end_matches('-').to_string();
    if s.is_empty() { "item".to_string() } else { s }
}

/// A slug based on `name` that is not in `taken` (adds -2, -3, … when needed).
pub fn unique_slug<'a>(name: &str, taken: impl Iterator<Item = &'a str> + Clone) -> String {
    let base = slugify(name);
    let mut candidate = base.clone();
    let mut n = 2;
    while taken.clone().any(|t| t == candidate) {
        candidate = format!("{base}-{n}");
        n += 1;
    }
    candidate
}

/// True when `s` is a valid id: 1–64 of [a-z0-9-], starting with a letter or digit.
pub fn is_valid_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
}
