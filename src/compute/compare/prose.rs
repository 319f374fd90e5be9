//! The English of a comparison: each change as a sentence or a clause, and the
//! paragraph that explains one mechanism's move. Numbers go through `crate::wording`.

use crate::wording::{and_list_more, capitalise, change_points, points, score_words, signed};

use super::types::{Change, Explanation, MechanismComparison, Presence, TIE_EPS};
use crate::model::{ScoreValue, format_value};

/// Effects smaller than this (in points of total) are not named in a sentence.
const SHOW_EPS: f64 = 0.05;
/// Names listed in a sentence before "and N others".
const MAX_NAMES: usize = 3;

impl Change {
    /// One English sentence, e.g. "The weight of the group 'Concerns' doubled (1 → 2)."
    pub fn describe(&self) -> String {
        match self {
            Change::GroupWeight { .. } | Change::CriterionWeight { .. } => {
                format!("{}.", capitalise(&self.phrase()))
            }
            Change::Score { mechanism_name, .. } => {
                format!(
                    "'{mechanism_name}': {}.",
                    self.phrase().trim_start_matches("its ")
                )
            }
            Change::Membership {
                mechanism_name,
                reason,
                ..
            } => format!("'{mechanism_name}' is {reason}."),
        }
    }

    /// The change as a clause, e.g. "the weight of the group 'Concerns' doubled
    /// (1 → 2)" or "its 'Opacity' score rose 2 → 4".
    pub(super) fn phrase(&self) -> String {
        match self {
            Change::GroupWeight { name, from, to, .. } => {
                format!(
                    "the weight of the group '{name}' {}",
                    weight_verb(*from, *to)
                )
            }
            Change::CriterionWeight { name, from, to, .. } => {
                format!("the weight of '{name}' {}", weight_verb(*from, *to))
            }
            Change::Score {
                criterion_name,
                from,
                to,
                ..
            } => format!("its '{criterion_name}' score {}", score_verb(*from, *to)),
            Change::Membership {
                mechanism_name,
                reason,
                ..
            } => format!("'{mechanism_name}' is {reason}"),
        }
    }
}

pub(super) fn side_summary(where_: &str, rank: Option<usize>, total: Option<f64>) -> String {
    match (rank, total) {
        (Some(r), Some(t)) => format!("rank {r}, total {} {where_}", points(t)),
        _ => format!("no total {where_}: too little assessed"),
    }
}

pub(super) fn explanation_text(
    e: &Explanation,
    changes: &[Change],
    passed: &[&MechanismComparison],
    passed_by: &[&MechanismComparison],
    left: &[&MechanismComparison],
    new: &[&MechanismComparison],
    scen_total: f64,
) -> String {
    let rank = match (e.baseline_rank, e.scenario_rank) {
        (Some(a), Some(b)) if a == b => format!("Rank {a} (unchanged)"),
        (Some(a), Some(b)) => format!("Rank {a} → {b}"),
        (Some(a), None) => format!("Rank {a} → no total (too little assessed)"),
        (None, Some(b)) => format!("No total → rank {b}"),
        (None, None) => "No total on either side".to_string(),
    };
    let total = match (e.baseline_total, e.scenario_total) {
        (Some(x), Some(y)) if (x - y).abs() <= TIE_EPS => {
            format!("total unchanged ({})", points(x))
        }
        (Some(x), Some(y)) if points(x) == points(y) => format!(
            "total {} → {} (moved by less than half a point)",
            points(x),
            points(y)
        ),
        (Some(x), Some(y)) => format!(
            "total {} → {} ({})",
            points(x),
            points(y),
            change_points(x, y)
        ),
        _ => String::new(),
    };
    let mut head = rank;
    if !total.is_empty() {
        head.push_str(", ");
        head.push_str(&total);
    }
    let mut items: Vec<String> = Vec::new();
    for c in &e.contributions {
        let phrase = changes[c.change].phrase();
        match c.effect {
            Some(x) if x.abs() >= SHOW_EPS => {
                let unit = if items.is_empty() { " points" } else { "" };
                items.push(format!("{phrase} ({}{unit})", signed(x)));
            }
            Some(_) if matches!(changes[c.change], Change::Score { .. }) => {
                items.push(format!("{phrase} (no effect on the total)"));
            }
            Some(_) => {}
            None => items.push(phrase),
        }
    }
    if let Some(i) = e.interaction
        && i.abs() >= SHOW_EPS
    {
        // The part no single change explains: said in words, not as "interaction".
        let both = crate::wording::one_decimal(i.abs());
        items.push(if i > 0.0 {
            format!("together the changes add {both} more than their separate effects")
        } else {
            format!("together the changes take {both} more off than their separate effects")
        });
    }
    let mut out = head;
    if items.is_empty() {
        out.push('.');
    } else {
        out.push_str(": ");
        out.push_str(&items.join("; "));
        out.push('.');
    }
    let mut rank_parts: Vec<String> = Vec::new();
    if !passed.is_empty() {
        let level: Vec<&MechanismComparison> = passed
            .iter()
            .copied()
            .filter(|o| {
                o.scenario
                    .as_ref()
                    .and_then(|v| v.total)
                    .is_some_and(|t| (t - scen_total).abs() <= TIE_EPS)
            })
            .collect();
        let strict: Vec<&MechanismComparison> = passed
            .iter()
            .copied()
            .filter(|o| !level.iter().any(|l| l.id == o.id))
            .collect();
        if !strict.is_empty() {
            rank_parts.push(format!("It passed {}", names(&strict)));
        }
        if !level.is_empty() {
            rank_parts.push(format!("It drew level with {}", names(&level)));
        }
    }
    if !passed_by.is_empty() {
        rank_parts.push(format!("{} passed it", capitalise_quote(&names(passed_by))));
    }
    if !left.is_empty() {
        let parts: Vec<String> = left
            .iter()
            .take(MAX_NAMES)
            .map(|o| {
                let why = if o.presence == Presence::BaselineOnly {
                    o.presence_reason.clone()
                } else {
                    "no total in the scenario".to_string()
                };
                format!("'{}' ({why})", o.name)
            })
            .collect();
        let more = left.len().saturating_sub(MAX_NAMES);
        let list = and_list_more(&parts, more);
        let verb = if left.len() == 1 { "is" } else { "are" };
        rank_parts.push(format!("{list} {verb} no longer ranked ahead of it"));
    }
    if !new.is_empty() {
        let parts: Vec<String> = new
            .iter()
            .take(MAX_NAMES)
            .map(|o| {
                let why = if o.presence == Presence::ScenarioOnly {
                    o.presence_reason.clone()
                } else {
                    "no total in the baseline".to_string()
                };
                format!("'{}' ({why})", o.name)
            })
            .collect();
        let more = new.len().saturating_sub(MAX_NAMES);
        let list = and_list_more(&parts, more);
        let verb = if new.len() == 1 { "ranks" } else { "rank" };
        rank_parts.push(format!("{list} now {verb} ahead of it"));
    }
    for p in rank_parts {
        out.push(' ');
        out.push_str(&p);
        out.push('.');
    }
    out
}

pub(super) fn names(list: &[&MechanismComparison]) -> String {
    let parts: Vec<String> = list
        .iter()
        .take(MAX_NAMES)
        .map(|o| format!("'{}'", o.name))
        .collect();
    and_list_more(&parts, list.len().saturating_sub(MAX_NAMES))
}

/// Capitalises the first letter unless the text starts with a quoted name.
pub(super) fn capitalise_quote(s: &str) -> String {
    if s.starts_with('\'') {
        s.to_string()
    } else {
        capitalise(s)
    }
}

pub(super) fn weight_verb(from: f64, to: f64) -> String {
    let arrow = format!("from {} to {}", format_value(from), format_value(to));
    let ratio = if from > 0.0 { to / from } else { f64::NAN };
    let near = |x: f64| (ratio - x).abs() < 1e-9;
    let verb = if near(2.0) {
        "doubled"
    } else if near(3.0) {
        "tripled"
    } else if near(0.5) {
        "halved"
    } else if to > from {
        "rose"
    } else {
        "fell"
    };
    format!("{verb} {arrow}")
}

pub(super) fn score_verb(from: ScoreValue, to: ScoreValue) -> String {
    match (from, to) {
        (ScoreValue::Value(a), ScoreValue::Value(b)) => {
            let verb = if b > a { "rose" } else { "fell" };
            format!("{verb} {} → {}", format_value(a), format_value(b))
        }
        _ => format!("changed from {} to {}", score_words(from), score_words(to)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs() {
        assert_eq!(weight_verb(1.0, 2.0), "doubled from 1 to 2");
        assert_eq!(weight_verb(2.0, 1.0), "halved from 2 to 1");
        assert_eq!(weight_verb(1.0, 1.5), "rose from 1 to 1.5");
        assert_eq!(weight_verb(1.0, 0.0), "fell from 1 to 0");
        assert_eq!(weight_verb(0.0, 1.0), "rose from 0 to 1");
        assert_eq!(
            score_verb(ScoreValue::Value(2.0), ScoreValue::NotAssessed),
            "changed from 2 to not assessed"
        );
        assert_eq!(
            score_verb(ScoreValue::Value(3.0), ScoreValue::Value(0.0)),
            "fell 3 → 0"
        );
    }
}
