//! Requirement gates in words: the gates a mechanism fails, named by criterion, and
//! how its viability changes from one selection to another ("becomes not viable:
//! fails 'Organisational structure' (0 < 1)"). Pure; numbers through `crate::wording`.

use super::results::MechanismResult;
use crate::model::Framework;
use crate::wording::{and_list, trimmed};

/// A gate a mechanism fails: its criterion (id and name), the threshold and the value
/// below it.
#[derive(Clone, Debug, PartialEq)]
pub struct GateFailure {
    pub criterion_id: String,
    pub criterion_name: String,
    pub at_least: f64,
    pub value: f64,
}

/// The gates `m` fails, named from the framework (a criterion the framework no longer
/// has is named by its id), in framework order.
pub fn failures(fw: &Framework, m: &MechanismResult) -> Vec<GateFailure> {
    m.failed_gates
        .iter()
        .filter_map(|g| {
            let value = g.value?;
            let name = fw
                .criteria()
                .find(|(_, c)| c.id == g.criterion_id)
                .map_or_else(|| g.criterion_id.clone(), |(_, c)| c.name.clone());
            Some(GateFailure {
                criterion_id: g.criterion_id.clone(),
                criterion_name: name,
                at_least: g.at_least,
                value,
            })
        })
        .collect()
}

/// "fails 'Organisational structure' (0 < 1)", "fails 'A' (0 < 1) and 'B' (0.5 < 1)";
/// empty when nothing fails.
pub fn fails_phrase(f: &[GateFailure]) -> String {
    if f.is_empty() {
        return String::new();
    }
    let parts: Vec<String> = f
        .iter()
        .map(|g| {
            format!(
                "'{}' ({} < {})",
                g.criterion_name,
                trimmed(g.value, 2),
                trimmed(g.at_least, 2)
            )
        })
        .collect();
    format!("fails {}", and_list(&parts))
}

/// How a mechanism's viability compares between a baseline and a scenario.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Viability {
    /// Viable on every side it is on.
    Viable,
    /// On one side only, and not viable there.
    NotViable,
    /// Viable in the baseline, fails a gate in the scenario.
    BecomesNotViable,
    /// Fails a gate in the baseline, viable in the scenario.
    BecomesViable,
    /// Fails a gate on both sides.
    NotViableBoth,
}

impl Viability {
    /// Machine name: viable, not_viable, becomes_not_viable, becomes_viable,
    /// not_viable_both.
    pub fn as_str(self) -> &'static str {
        match self {
            Viability::Viable => "viable",
            Viability::NotViable => "not_viable",
            Viability::BecomesNotViable => "becomes_not_viable",
            Viability::BecomesViable => "becomes_viable",
            Viability::NotViableBoth => "not_viable_both",
        }
    }

    /// Whether it differs between the two sides.
    pub fn changed(self) -> bool {
        matches!(self, Viability::BecomesNotViable | Viability::BecomesViable)
    }
}

/// The viability of a mechanism from the gates it fails on each side (None: not on
/// that side).
pub fn viability(baseline: Option<&[GateFailure]>, scenario: Option<&[GateFailure]>) -> Viability {
    match (baseline, scenario) {
        (Some(b), Some(s)) => match (b.is_empty(), s.is_empty()) {
            (true, true) => Viability::Viable,
            (true, false) => Viability::BecomesNotViable,
            (false, true) => Viability::BecomesViable,
            (false, false) => Viability::NotViableBoth,
        },
        (Some(f), None) | (None, Some(f)) if !f.is_empty() => Viability::NotViable,
        _ => Viability::Viable,
    }
}

/// The viability in words, without the mechanism's name, or None when it is viable on
/// every side it is on: "becomes not viable: fails 'Organisational structure' (0 < 1)",
/// "becomes viable: no longer fails 'Organisational structure' (0 < 1 in the
/// baseline)", "not viable on both sides: fails …", "not viable in the scenario: fails …".
pub fn viability_text(
    baseline: Option<&[GateFailure]>,
    scenario: Option<&[GateFailure]>,
) -> Option<String> {
    let v = viability(baseline, scenario);
    let b = baseline.unwrap_or(&[]);
    let s = scenario.unwrap_or(&[]);
    Some(match v {
        Viability::Viable => return None,
        Viability::BecomesNotViable => format!("becomes not viable: {}", fails_phrase(s)),
        Viability::BecomesViable => {
            let parts: Vec<String> = b
                .iter()
                .map(|g| {
                    format!(
                        "'{}' ({} < {} in the baseline)",
                        g.criterion_name,
                        trimmed(g.value, 2),
                        trimmed(g.at_least, 2)
                    )
                })
                .collect();
            format!("becomes viable: no longer fails {}", and_list(&parts))
        }
        Viability::NotViableBoth => {
            let same = b.len() == s.len()
                && b.iter()
                    .zip(s)
                    .all(|(x, y)| x.criterion_id == y.criterion_id && x.value == y.value);
            if same {
                format!("not viable on both sides: {}", fails_phrase(s))
            } else {
                format!(
                    "not viable on both sides: {} in the baseline, {} in the scenario",
                    fails_phrase(b),
                    fails_phrase(s).trim_start_matches("fails ")
                )
            }
        }
        Viability::NotViable if baseline.is_some() => {
            format!("not viable in the baseline: {}", fails_phrase(b))
        }
        Viability::NotViable => format!("not viable in the scenario: {}", fails_phrase(s)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, value: f64) -> GateFailure {
        GateFailure {
            criterion_id: name.to_lowercase(),
            criterion_name: name.to_string(),
            at_least: 1.0,
            value,
        }
    }

    #[test]
    fn each_change_in_words() {
        let none: &[GateFailure] = &[];
        let org = [f("Organisational structure", 0.0)];
        let two = [
            f("Geopolitical environment", 0.0),
            f("Organisational structure", 0.5),
        ];
        assert_eq!(viability_text(Some(none), Some(none)), None);
        assert_eq!(viability_text(Some(none), None), None);
        assert_eq!(
            viability_text(Some(none), Some(&org)).unwrap(),
            "becomes not viable: fails 'Organisational structure' (0 < 1)"
        );
        assert_eq!(
            viability_text(Some(&org), Some(none)).unwrap(),
            "becomes viable: no longer fails 'Organisational structure' (0 < 1 in the baseline)"
        );
        assert_eq!(
            viability_text(Some(&org), Some(&org)).unwrap(),
            "not viable on both sides: fails 'Organisational structure' (0 < 1)"
        );
        assert_eq!(
            viability_text(Some(&org), Some(&two)).unwrap(),
            "not viable on both sides: fails 'Organisational structure' (0 < 1) in the baseline, \
             'Geopolitical environment' (0 < 1) and 'Organisational structure' (0.5 < 1) in the scenario"
        );
        assert_eq!(
            viability_text(None, Some(&org)).unwrap(),
            "not viable in the scenario: fails 'Organisational structure' (0 < 1)"
        );
        assert_eq!(viability(Some(&org), None), Viability::NotViable);
        assert!(viability(Some(none), Some(&org)).changed());
        assert!(!viability(Some(&org), Some(&two)).changed());
    }
}
