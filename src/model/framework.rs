//! The analytic framework: criteria groups with roles, criteria with anchored scales, viewpoints, and the weighting judgements (pairwise, swing) kept for reopening.

/// What a criteria group stands for in the analysis. Computations and charts use
/// roles, never group names, so an edited or blank framework keeps working.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    /// A precondition for cooperation (Lemieux's requirements).
    Requirement,
    /// An aim pursued through the mechanism (e.g. responsible state, influence).
    Objective,
    /// A cost: higher means more concern; counts inverted in the composite.
    Concern,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Requirement, Role::Objective, Role::Concern];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Requirement => "requirement",
            Role::Objective => "objective",
            Role::Concern => "concern",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Requirement => "Requirement",
            Role::Objective => "Objective",
            Role::Concern => "Concern (higher = worse)",
        }
    }
}

/// Whether a higher score is better (benefit) or worse (cost).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Direction {
    Benefit,
    Cost,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Benefit => "benefit",
            Direction::Cost => "cost",
        }
    }

    pub fn parse(s: &str) -> Option<Direction> {
        match s {
            "benefit" => Some(Direction::Benefit),
            "cost" => Some(Direction::Cost),
            _ => None,
        }
    }
}

/// One described level of an anchored scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Anchor {
    pub value: i32,
    pub label: String,
    pub descriptor: String,
}

/// An ordinal scale with integer bounds and an optional descriptor per level.
#[derive(Clone, Debug, PartialEq)]
pub struct Scale {
    pub min: i32,
    pub max: i32,
    pub anchors: Vec<Anchor>,
}

impl Scale {
    /// Largest number of levels a scale may have (`max - min <= MAX_SPAN`).
    pub const MAX_SPAN: i32 = 100;

    pub fn zero_to_four(labels: [&str; 5]) -> Scale {
        Scale {
            min: 0,
            max: 4,
            anchors: labels
                .iter()
                .enumerate()
                .map(|(i, l)| Anchor {
                    value: i as i32,
                    label: (*l).to_string(),
                    descriptor: String::new(),
                })
                .collect(),
        }
    }

    pub fn anchor(&self, value: f64) -> Option<&Anchor> {
        self.anchors.iter().find(|a| f64::from(a.value) == value)
    }

    pub fn contains(&self, value: f64) -> bool {
        value.is_finite() && value >= f64::from(self.min) && value <= f64::from(self.max)
    }

    /// Position of `value` on the scale as a share in [0, 1].
    pub fn normalise(&self, value: f64) -> f64 {
        let span = f64::from(self.max - self.min);
        if span <= 0.0 {
            return 0.0;
        }
        ((value - f64::from(self.min)) / span).clamp(0.0, 1.0)
    }
}

/// A precondition on a criterion: below `at_least`, the mechanism is flagged not viable.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gate {
    pub at_least: f64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Criterion {
    pub id: String,
    pub name: String,
    pub definition: String,
    pub teaching: String,
    /// Coding guidance: when a cell is 0, when not applicable, when not assessed, an
    /// example.
    pub coding: String,
    pub direction: Direction,
    /// Weight relative to the other criteria of the same group (finite, ≥ 0).
    pub weight: f64,
    pub scale: Scale,
    pub gate: Option<Gate>,
}

impl Criterion {
    pub fn new(id: &str, name: &str) -> Criterion {
        Criterion {
            id: id.to_string(),
            name: name.to_string(),
            definition: String::new(),
            teaching: String::new(),
            coding: String::new(),
            direction: Direction::Benefit,
            weight: 1.0,
            scale: Scale::zero_to_four(["None", "Low", "Medium", "High", "Very high"]),
            gate: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// Weight of the group in the composite total (finite, ≥ 0).
    pub weight: f64,
    pub description: String,
    pub criteria: Vec<Criterion>,
}

/// Which way a viewpoint's composite reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum TotalReading {
    /// Higher = better for whoever the viewpoint speaks for; concern groups count
    /// inverted (100 − index).
    #[default]
    Benefit,
    /// Higher = more concern; rank 1 is the most concerning. Concern groups count as
    /// they are, the other groups inverted.
    Concern,
}

impl TotalReading {
    pub fn as_str(self) -> &'static str {
        match self {
            TotalReading::Benefit => "benefit",
            TotalReading::Concern => "concern",
        }
    }

    pub fn parse(s: &str) -> Option<TotalReading> {
        match s {
            "benefit" => Some(TotalReading::Benefit),
            "concern" => Some(TotalReading::Concern),
            _ => None,
        }
    }

    /// How a total of this reading reads, for headers and legends.
    pub fn phrase(self) -> &'static str {
        match self {
            TotalReading::Benefit => "higher = better",
            TotalReading::Concern => "higher = more concern",
        }
    }
}

/// Whose interest a composite total measures: a named set of group weights, a
/// statement of the perspective and which way the total reads.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Viewpoint {
    pub id: String,
    pub name: String,
    /// One sentence: whose perspective, what counts and what does not.
    pub perspective: String,
    pub reading: TotalReading,
    /// The weight of each group it counts, by group id; a group it does not list does
    /// not count. None: the framework's own group weights (edited in the results view).
    pub group_weights: Option<std::collections::BTreeMap<String, f64>>,
}

impl Viewpoint {
    /// The viewpoint of a framework that lists none: its own group weights, read as
    /// "higher = better" (how every earlier file was analysed).
    pub fn as_weighted() -> Viewpoint {
        Viewpoint {
            id: "as-weighted".into(),
            name: "As weighted".into(),
            perspective: "The framework's own group weights, as every group is counted in the composite (concern groups inverted).".into(),
            reading: TotalReading::Benefit,
            group_weights: None,
        }
    }

    /// How the groups count in this viewpoint's composite, for headers and notes:
    /// "concern groups counted inverted", "concern groups not counted", "concern
    /// groups as they are" or "concern groups as they are, the others inverted" —
    /// only what is true of the groups it counts in `fw`.
    pub fn how_counted(&self, fw: &Framework) -> &'static str {
        let counted = |concern: bool| {
            fw.groups.iter().any(|g| {
                (g.role == Role::Concern) == concern && self.group_weight(&g.id, g.weight) > 0.0
            })
        };
        match (self.reading, counted(true), counted(false)) {
            (TotalReading::Benefit, true, _) => "concern groups counted inverted",
            (TotalReading::Benefit, false, _) => "concern groups not counted",
            (TotalReading::Concern, _, true) => {
                "higher = more concern: concern groups as they are, the others inverted"
            }
            (TotalReading::Concern, _, false) => {
                "higher = more concern: concern groups as they are"
            }
        }
    }

    /// The weight this viewpoint gives a group whose own weight is `own`.
    pub fn group_weight(&self, group_id: &str, own: f64) -> f64 {
        match &self.group_weights {
            None => own,
            Some(w) => w.get(group_id).copied().unwrap_or(0.0),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub description: String,
    pub groups: Vec<Group>,
    /// The perspectives a composite can take (empty: one, `Viewpoint::as_weighted`).
    pub viewpoints: Vec<Viewpoint>,
    /// The viewpoint shown first (None: the first listed).
    pub default_viewpoint: Option<String>,
    /// The analyst's weighting judgements (pairwise, swing), kept so they can be
    /// reopened and revised; the weights themselves stay in the groups and criteria.
    pub weighting: Weighting,
}

/// Which set of items a weighting sets: the criteria groups, or the criteria of one
/// group (by index).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JudgedSet {
    Groups,
    Criteria(usize),
}

/// One pairwise (AHP) judgement: item `a` is `value` times as important as item `b`
/// (a value below 1 favours `b`). Accepted values: 1/9 ≤ value ≤ 9 (docs/analysis.md).
#[derive(Clone, Debug, PartialEq)]
pub struct PairJudgement {
    pub a: String,
    pub b: String,
    pub value: f64,
}

/// One swing judgement: the swing from the worst to the best level of item `id`,
/// ranked (1 = the swing that matters most) and rated 0–100 against the top swing.
#[derive(Clone, Debug, PartialEq)]
pub struct SwingJudgement {
    pub id: String,
    pub rank: u32,
    pub rating: f64,
}

/// The judgements kept for one set of items (a group's criteria, or the groups).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Judgements {
    pub pairwise: Vec<PairJudgement>,
    pub swing: Vec<SwingJudgement>,
}

impl Judgements {
    pub fn is_empty(&self) -> bool {
        self.pairwise.is_empty() && self.swing.is_empty()
    }
}

/// Every set of weighting judgements of a framework. Whether they are in use is not
/// stored: it is read from the weights (`compute::weighting`), so a direct weight edit
/// leaves them kept but not applied, and undo or a merge never disagree with it.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Weighting {
    /// Judgements among the criteria groups.
    pub groups: Judgements,
    /// Judgements among each group's criteria, by group id (no empty entries).
    pub criteria: std::collections::BTreeMap<String, Judgements>,
}

impl Weighting {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty() && self.criteria.values().all(Judgements::is_empty)
    }

    /// The judgements of a group's criteria (empty when none are kept).
    pub fn of_group(&self, group_id: &str) -> Judgements {
        self.criteria.get(group_id).cloned().unwrap_or_default()
    }

    /// Drops every judgement naming `id` (a group or criterion being deleted).
    pub fn forget(&mut self, id: &str) {
        self.criteria.remove(id);
        for j in std::iter::once(&mut self.groups).chain(self.criteria.values_mut()) {
            j.pairwise.retain(|p| p.a != id && p.b != id);
            j.swing.retain(|s| s.id != id);
        }
        self.criteria.retain(|_, j| !j.is_empty());
    }
}

impl Framework {
    /// Every criterion with the index of its group, in display order.
    pub fn criteria(&self) -> impl Iterator<Item = (usize, &Criterion)> {
        self.groups
            .iter()
            .enumerate()
            .flat_map(|(gi, g)| g.criteria.iter().map(move |c| (gi, c)))
    }

    pub fn criterion_count(&self) -> usize {
        self.groups.iter().map(|g| g.criteria.len()).sum()
    }

    pub fn criterion(&self, id: &str) -> Option<&Criterion> {
        self.criteria().map(|(_, c)| c).find(|c| c.id == id)
    }

    /// (group index, criterion index within the group) of a criterion id.
    pub fn locate(&self, criterion_id: &str) -> Option<(usize, usize)> {
        self.groups.iter().enumerate().find_map(|(gi, g)| {
            g.criteria
                .iter()
                .position(|c| c.id == criterion_id)
                .map(|ci| (gi, ci))
        })
    }

    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The viewpoints that plot the paper's trade-off: the first that reads "higher =
    /// better" and counts no concern group (returns), and the first that reads "higher
    /// = more concern". None when the framework lacks either.
    pub fn returns_and_concern(&self) -> Option<(&Viewpoint, &Viewpoint)> {
        let counts = |v: &Viewpoint, g: &Group| v.group_weight(&g.id, g.weight) > 0.0;
        let returns = self.viewpoints.iter().find(|v| {
            v.reading == TotalReading::Benefit
                && self.groups.iter().any(|g| counts(v, g))
                && !self
                    .groups
                    .iter()
                    .any(|g| g.role == Role::Concern && counts(v, g))
        })?;
        let concern = self
            .viewpoints
            .iter()
            .find(|v| v.reading == TotalReading::Concern)?;
        Some((returns, concern))
    }

    /// Every viewpoint a composite can take, the default first when none is listed
    /// (`Viewpoint::as_weighted`).
    pub fn all_viewpoints(&self) -> Vec<Viewpoint> {
        if self.viewpoints.is_empty() {
            vec![Viewpoint::as_weighted()]
        } else {
            self.viewpoints.clone()
        }
    }

    /// The viewpoint with this id, or the default one for None. None when the id is
    /// not one of the framework's viewpoints.
    pub fn viewpoint(&self, id: Option<&str>) -> Option<Viewpoint> {
        if self.viewpoints.is_empty() {
            let v = Viewpoint::as_weighted();
            return id.is_none_or(|id| id == v.id).then_some(v);
        }
        match id.or(self.default_viewpoint.as_deref()) {
            Some(id) => self.viewpoints.iter().find(|v| v.id == id).cloned(),
            None => self.viewpoints.first().cloned(),
        }
    }
}
