//! What to analyse (`Selection`: scenario, analyst, round or consensus), the error for a
//! selection that names something the project does not have, and the line that says
//! what a selection shows.

/// What to analyse: which scenario (None = base assessment) and whose scores
/// (None = the median across analysts), from which round (None = the current one),
/// or the consensus the workshop recorded.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Selection {
    pub scenario: Option<String>,
    pub analyst: Option<String>,
    /// The id of a closed round whose scores to use instead of the current ones.
    pub round: Option<String>,
    /// Use the recorded consensus (analyst and round are then ignored).
    pub consensus: bool,
    /// The viewpoint of the composite (its id); None: the framework's default.
    pub viewpoint: Option<String>,
    /// "To be" rather than "to appear": count only scores whose basis is documented or
    /// mixed; claim and unknown scores are treated as not assessed (scenario overrides
    /// and the recorded consensus are not filtered).
    pub documented_only: bool,
}

/// A selection that names something the project does not have.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SelectionError {
    UnknownScenario(String, Vec<String>),
    UnknownAnalyst(String, Vec<String>),
    UnknownRound(String, Vec<String>),
    UnknownViewpoint(String, Vec<String>),
}

impl std::fmt::Display for SelectionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &Vec<String>| {
            if v.is_empty() {
                "none".to_string()
            } else {
                v.join(", ")
            }
        };
        match self {
            SelectionError::UnknownScenario(id, known) => {
                write!(
                    f,
                    "there is no scenario \"{id}\" in this project (scenarios: {})",
                    list(known)
                )
            }
            SelectionError::UnknownAnalyst(id, known) => {
                write!(
                    f,
                    "there is no analyst \"{id}\" in this project (analysts: {})",
                    list(known)
                )
            }
            SelectionError::UnknownRound(id, known) => write!(
                f,
                "there is no closed round \"{id}\" in this project (rounds: {})",
                list(known)
            ),
            SelectionError::UnknownViewpoint(id, known) => write!(
                f,
                "there is no viewpoint \"{id}\" in this framework (viewpoints: {})",
                list(known)
            ),
        }
    }
}

impl std::error::Error for SelectionError {}

/// Whose scores a result rests on, in words: "median across 3 analysts", "analyst
/// Ana", or, with one analyst, "Ana's scores (the only analyst)" — never a median of
/// one.
pub fn whose_scores(project: &crate::model::Project, sel: &Selection) -> String {
    let n = project.analysts.len();
    match sel.analyst.as_deref().and_then(|id| project.analyst(id)) {
        Some(a) if n > 1 => format!("analyst {}", a.name),
        Some(a) => format!("{}'s scores (the only analyst)", a.name),
        None => match &project.analysts[..] {
            [] => "no analyst yet".to_string(),
            [a] => format!("{}'s scores (the only analyst)", a.name),
            _ => format!("median across {n} analysts"),
        },
    }
}

/// The line that says what a result or chart shows when it is not the base assessment
/// with every analyst's scores, e.g. "Scenario (hypothetical): X · Scores of analyst A only".
pub fn selection_line(project: &crate::model::Project, sel: &Selection) -> Option<String> {
    let mut parts = Vec::new();
    // The viewpoint, when the framework offers more than its own weights.
    if !project.framework.viewpoints.is_empty()
        && let Some(v) = project.framework.viewpoint(sel.viewpoint.as_deref())
    {
        parts.push(viewpoint_line(&v));
    }
    if let Some(s) = sel.scenario.as_deref().and_then(|id| project.scenario(id)) {
        parts.push(format!(
            "Scenario (hypothetical): {}",
            crate::wording::without_hypothetical(&s.name)
        ));
    }
    if sel.consensus {
        parts.push("Consensus recorded by the workshop".to_string());
    } else {
        if let Some(r) = sel
            .round
            .as_deref()
            .and_then(|id| project.workshop.rounds.iter().find(|r| r.id == id))
        {
            parts.push(format!("Scores of {}", r.name));
        }
        if let Some(a) = sel.analyst.as_deref().and_then(|id| project.analyst(id))
            && project.analysts.len() > 1
        {
            parts.push(format!("Scores of analyst {} only", a.name));
        }
        if sel.documented_only {
            parts.push(
                "Documented and mixed scores only (claims and unknown basis left out)".to_string(),
            );
        }
    }
    (!parts.is_empty()).then(|| parts.join(" · "))
}

/// "Viewpoint: Returns for China (higher = better)".
pub fn viewpoint_line(v: &crate::model::Viewpoint) -> String {
    format!("Viewpoint: {} ({})", v.name, v.reading.phrase())
}
