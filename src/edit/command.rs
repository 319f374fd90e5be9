//! What can be done to a project: the `Command`s, their labels for the Edit menu, and
//! why one was refused.

use std::fmt;

use crate::model::*;

/// The header fields of a criteria group (its criteria are edited separately).
#[derive(Clone, Debug, PartialEq)]
pub struct GroupHeader {
    pub name: String,
    pub role: Role,
    pub weight: f64,
    pub description: String,
}

impl GroupHeader {
    pub fn of(g: &Group) -> GroupHeader {
        GroupHeader {
            name: g.name.clone(),
            role: g.role,
            weight: g.weight,
            description: g.description.clone(),
        }
    }
}

/// Which weights a `Command::SetWeighting` sets.
#[derive(Clone, Debug, PartialEq)]
pub enum WeightsTo {
    /// The set's own weights in the framework, one per item in the set's order.
    Framework(Vec<f64>),
    /// The own group weights of the viewpoint `id` (the groups only; the framework's
    /// weights stay as they are): by group id, a group it does not list is not
    /// counted; None, it uses the framework's own group weights.
    Viewpoint {
        id: String,
        group_weights: Option<std::collections::BTreeMap<String, f64>>,
    },
}

#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Sets one score; `None` (or an empty score) removes it (= not assessed).
    SetScore {
        key: ScoreKey,
        score: Option<Score>,
    },
    /// Sets many scores at once (a paste, a fill): one undo step.
    SetScores {
        cells: Vec<(ScoreKey, Option<Score>)>,
    },
    SetInfo(ProjectInfo),
    /// The ranking rule for missing data (a project setting).
    SetRankingRule(RankingRule),
    SetFrameworkText {
        name: String,
        description: String,
    },
    /// Replaces the framework's viewpoints and which one is the default.
    SetViewpoints {
        viewpoints: Vec<Viewpoint>,
        default: Option<String>,
    },
    SetGroup {
        index: usize,
        header: GroupHeader,
    },
    /// Replaces a criterion (its id must stay the same).
    SetCriterion {
        group: usize,
        index: usize,
        criterion: Criterion,
    },
    /// Replaces a mechanism (its id must stay the same).
    SetMechanism {
        index: usize,
        mechanism: Mechanism,
    },
    SetSource {
        index: usize,
        source: Source,
    },
    SetAnalyst {
        index: usize,
        analyst: Analyst,
    },
    SetScenario {
        index: usize,
        scenario: Scenario,
    },
    SetNote {
        index: usize,
        note: Note,
    },
    AddMechanism(Mechanism),
    RemoveMechanism(String),
    AddGroup(Group),
    RemoveGroup(String),
    AddCriterion {
        group: usize,
        criterion: Criterion,
    },
    RemoveCriterion(String),
    AddSource(Source),
    /// Adds many sources at once (a merged package's new sources): one step, and one
    /// snapshot however many there are.
    AddSources(Vec<Source>),
    RemoveSource(String),
    AddAnalyst(Analyst),
    RemoveAnalyst(String),
    AddScenario(Scenario),
    RemoveScenario(String),
    AddNote(Note),
    RemoveNote(String),
    /// Workshop settings: the consensus rule, whether names are shown, the discussion notes.
    SetWorkshop {
        rule: ConsensusRule,
        reveal_names: bool,
        discussion: String,
    },
    /// Sets (or, with None, removes) the master's key for sealing scoring packages.
    SetPackageKey(Option<String>),
    /// Closes the current round (its scores and discussion are kept in the file) and
    /// starts the next; analysts re-score from their values of the closed round.
    StartRound {
        name: String,
    },
    /// Records (or, with None, removes) the consensus of cells, keyed by (mechanism, criterion).
    SetConsensus {
        cells: Vec<((String, String), Option<ConsensusCell>)>,
    },
    /// Sets the weights of every criterion of a group at once (pairwise weighting).
    SetCriterionWeights {
        group: usize,
        weights: Vec<f64>,
    },
    /// Keeps the weighting judgements (pairwise, swing) of a set of items — the groups
    /// or one group's criteria — and, with `weights`, sets weights from them (the
    /// set's own, or a viewpoint's own group weights): one undo step.
    SetWeighting {
        target: JudgedSet,
        judgements: Judgements,
        weights: Option<WeightsTo>,
    },
    /// Marks a student exercise as complete (or not): results are then shown.
    SetExerciseComplete(bool),
    /// Acknowledges a finding of the assessment check with a reason (or, with None,
    /// withdraws the acknowledgement).
    SetAcknowledgement {
        finding: String,
        reason: Option<String>,
    },
    /// Puts back a whole earlier state: the inverse of structural commands.
    Restore(Box<Project>),
}

impl Command {
    /// A short description for the Edit menu ("Undo set score").
    pub fn label(&self) -> &'static str {
        match self {
            Command::SetScore { .. } => "set score",
            Command::SetScores { .. } => "set scores",
            Command::SetInfo(_) => "edit project info",
            Command::SetRankingRule(_) => "change the ranking rule",
            Command::SetFrameworkText { .. } => "edit framework",
            Command::SetViewpoints { .. } => "edit viewpoints",
            Command::SetGroup { .. } => "edit group",
            Command::SetCriterion { .. } => "edit criterion",
            Command::SetMechanism { .. } => "edit mechanism",
            Command::SetSource { .. } => "edit source",
            Command::SetAnalyst { .. } => "edit analyst",
            Command::SetScenario { .. } => "edit scenario",
            Command::SetNote { .. } => "edit note",
            Command::AddMechanism(_) => "add mechanism",
            Command::RemoveMechanism(_) => "delete mechanism",
            Command::AddGroup(_) => "add group",
            Command::RemoveGroup(_) => "delete group",
            Command::AddCriterion { .. } => "add criterion",
            Command::RemoveCriterion(_) => "delete criterion",
            Command::AddSource(_) => "add source",
            Command::AddSources(_) => "add sources",
            Command::RemoveSource(_) => "delete source",
            Command::AddAnalyst(_) => "add analyst",
            Command::RemoveAnalyst(_) => "delete analyst",
            Command::AddScenario(_) => "add scenario",
            Command::RemoveScenario(_) => "delete scenario",
            Command::AddNote(_) => "add note",
            Command::RemoveNote(_) => "delete note",
            Command::SetWorkshop { .. } => "edit workshop settings",
            Command::SetPackageKey(_) => "record the package key",
            Command::StartRound { .. } => "start the next round",
            Command::SetConsensus { .. } => "record consensus",
            Command::SetExerciseComplete(_) => "mark the exercise complete",
            Command::SetAcknowledgement { .. } => "acknowledge a finding",
            Command::SetCriterionWeights { .. } => "set weights by pairwise comparison",
            Command::SetWeighting { weights: None, .. } => "keep weighting judgements",
            Command::SetWeighting {
                weights: Some(WeightsTo::Viewpoint { .. }),
                ..
            } => "set a viewpoint's weights from judgements",
            Command::SetWeighting { .. } => "set weights from judgements",
            Command::Restore(_) => "restore",
        }
    }
}

/// Why a command was refused; the project is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EditError(pub String);

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EditError {}
