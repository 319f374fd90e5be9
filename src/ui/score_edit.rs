//! Where a score edit goes and the actions that make it: the analyst in use, or an
//! override of the scenario shown. Shared by the matrix, the inspector and
//! criterion-first scoring.

use crate::edit::Command;
use crate::model::*;
use crate::ui::action::Action;
use crate::ui::context::Cx;
use crate::ui::view_state::ViewState;

/// Where an edit of a cell goes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditTarget {
    /// The analyst in use, in the base assessment.
    Analyst,
    /// An override of the scenario shown (Delete removes the override).
    Scenario(String),
}

/// Scores can be edited for the analyst in use, or as overrides of the scenario shown.
pub fn editable(cx: &Cx, view: &ViewState) -> Result<EditTarget, &'static str> {
    if view.spread {
        return Err(
            "The spread between analysts is shown (read-only). Choose an analyst to edit scores.",
        );
    }
    if view.consensus {
        return Err(
            "The recorded consensus is shown (read-only). Record consensus in the Workshop tab; choose an analyst to edit scores.",
        );
    }
    if view.round.is_some() {
        return Err(
            "A closed round is shown (read-only). Choose the current round to edit scores.",
        );
    }
    if let Some(s) = &view.scenario {
        return Ok(EditTarget::Scenario(s.clone()));
    }
    if view.analyst.is_none() && !cx.project.analysts.is_empty() {
        return Err(
            "The median of all analysts is shown (read-only). Choose an analyst to edit scores.",
        );
    }
    Ok(EditTarget::Analyst)
}

/// Sets cells as overrides of a scenario, in one undo step. A cell set to "not
/// assessed" loses its override (back to the base value).
pub fn push_override_edit(
    cx: &Cx,
    scenario: &str,
    cells: Vec<(String, String, ScoreValue)>,
    out: &mut Vec<Action>,
) {
    let Some((index, s)) = cx.project.scenario_at(scenario) else {
        return;
    };
    let mut s = s.clone();
    for (m, c, v) in cells {
        let pos = s
            .score_overrides
            .iter()
            .position(|o| o.mechanism == m && o.criterion == c);
        match (v, pos) {
            (ScoreValue::NotAssessed, Some(i)) => {
                s.score_overrides.remove(i);
            }
            (ScoreValue::NotAssessed, None) => {}
            (v, Some(i)) => s.score_overrides[i].score.value = v,
            (v, None) => s.score_overrides.push(crate::model::ScoreOverride {
                mechanism: m,
                criterion: c,
                score: Score {
                    value: v,
                    rationale: String::new(),
                    confidence: Confidence::Low,
                    sources: Vec::new(),
                    ..Score::default()
                },
            }),
        }
    }
    out.push(Action::edit(Command::SetScenario { index, scenario: s }));
}

/// Pushes the edits that set a score for the analyst in use, creating a first analyst
/// when the project has none.
pub fn push_score_edit(
    cx: &Cx,
    view: &mut ViewState,
    cells: Vec<(String, String, Option<Score>)>,
    out: &mut Vec<Action>,
) {
    let analyst = match &view.analyst {
        Some(a) => a.clone(),
        None => {
            let a = Analyst {
                id: "analyst-1".into(),
                name: "Analyst 1".into(),
                note: String::new(),
            };
            if cx.project.analyst(&a.id).is_none() {
                out.push(Action::edit(Command::AddAnalyst(a.clone())));
            }
            view.analyst = Some(a.id.clone());
            a.id
        }
    };
    let cells: Vec<(ScoreKey, Option<Score>)> = cells
        .into_iter()
        .map(|(m, c, s)| {
            // Remember which value a kept rationale was written for.
            let s = match (cx.project.score(&analyst, &m, &c), s) {
                (Some(old), Some(new)) => Some(old.edited(new)),
                (_, s) => s,
            };
            (ScoreKey::new(&analyst, &m, &c), s)
        })
        .collect();
    if cells.len() == 1 {
        let (key, score) = cells.into_iter().next().expect("one cell");
        out.push(Action::edit(Command::SetScore { key, score }));
    } else {
        out.push(Action::edit(Command::SetScores { cells }));
    }
}

/// The score the analyst in use has for a cell (or an empty one).
pub fn current_score(cx: &Cx, view: &ViewState, mech: &str, crit: &str) -> Score {
    view.analyst
        .as_deref()
        .and_then(|a| cx.project.score(a, mech, crit))
        .cloned()
        .unwrap_or_default()
}
