//! The English wording of sensitivity results: the sentences that say which single
//! weight move or score change would change who is first. The maths lives in the
//! sibling modules; this file only turns their results into prose.

use super::types::{FirstChange, ScoreFlip, WeightFlip, WeightTarget};
use crate::model::format_value;
use crate::wording::{and_list, trimmed};

impl WeightFlip {
    /// One English sentence, e.g. "Raising the weight of 'Opacity' from 8.3% to 15.2%
    /// of its group (+6.9 points; raw weight 1 → 1.94) would make 'X' first instead
    /// of 'Y'."
    pub fn describe(&self) -> String {
        let up = self.to_share > self.from_share;
        let verb = if up { "Raising" } else { "Lowering" };
        let (what, level) = match self.target {
            WeightTarget::Group(_) => (
                format!("the weight of the group '{}'", self.label),
                "of the composite",
            ),
            WeightTarget::Criterion(_) => {
                (format!("the weight of '{}'", self.label), "of its group")
            }
        };
        let delta = self.to_share - self.from_share;
        let digits = share_digits(delta.abs());
        let raw = if self.to_raw.is_finite() {
            format!(
                "raw weight {} → {}",
                fmt_raw(self.from_raw),
                fmt_raw(self.to_raw)
            )
        } else {
            format!("all other weights {level} at zero")
        };
        format!(
            "{verb} {what} from {} to {} {level} ({}{} points; {raw}) would {}.",
            fmt_pct(self.from_share, digits),
            fmt_pct(self.to_share, digits),
            if up { "+" } else { "−" },
            trimmed(100.0 * delta.abs(), digits),
            outcome_verb(&self.old_first_names, &self.new_first_names),
        )
    }
}

impl ScoreFlip {
    /// One English sentence, e.g. "If 'Mekong patrols' scored 2 instead of 3 on
    /// 'Organisational structure', 'Z' would be first instead of 'Y'."
    pub fn describe(&self) -> String {
        format!(
            "If '{}' scored {} instead of {} on '{}', {}.",
            self.mechanism_name,
            format_value(self.to_value),
            format_value(self.from_value),
            self.criterion_name,
            outcome_clause(&self.old_first_names, &self.new_first_names),
        )
    }
}

impl FirstChange {
    /// A short paragraph in plain English.
    pub fn describe(&self) -> String {
        if self.first.is_empty() {
            return "No mechanism has a composite total, so there is no first place to change."
                .to_string();
        }
        let mut out = if self.first_names.len() == 1 {
            format!("'{}' is first.", self.first_names[0])
        } else {
            format!("{} share first place.", quoted_list(&self.first_names))
        };
        out.push(' ');
        match self.by_weight.first() {
            Some(w) => {
                out.push_str(&w.describe());
                push_others(&mut out, self.by_weight.len() - 1, "weight move");
            }
            None => out.push_str(
                "No single weight, moved anywhere between 0% and 100% of its level, changes who is first.",
            ),
        }
        out.push(' ');
        match self.by_score.first() {
            Some(s) => {
                out.push_str(&s.describe());
                push_others(&mut out, self.by_score.len() - 1, "score change");
            }
            None => out.push_str("No single score change within its scale changes who is first."),
        }
        out
    }
}

fn quoted_list(names: &[String]) -> String {
    if names.is_empty() {
        return "nothing".to_string();
    }
    let q: Vec<String> = names.iter().map(|n| format!("'{n}'")).collect();
    and_list(&q)
}

/// (newcomers, still first).
fn split_first(old: &[String], new: &[String]) -> (Vec<String>, Vec<String>) {
    let newcomers = new.iter().filter(|n| !old.contains(n)).cloned().collect();
    let kept = new.iter().filter(|n| old.contains(n)).cloned().collect();
    (newcomers, kept)
}

/// "make 'X' first instead of 'Y'" (after "would").
fn outcome_verb(old: &[String], new: &[String]) -> String {
    let (newcomers, kept) = split_first(old, new);
    if !kept.is_empty() {
        format!(
            "make {} share first place with {}",
            quoted_list(&newcomers),
            quoted_list(&kept)
        )
    } else if newcomers.len() > 1 {
        format!(
            "make {} share first place instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    } else {
        format!(
            "make {} first instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    }
}

/// "'X' would be first instead of 'Y'".
fn outcome_clause(old: &[String], new: &[String]) -> String {
    let (newcomers, kept) = split_first(old, new);
    if !kept.is_empty() {
        format!(
            "{} would share first place with {}",
            quoted_list(&newcomers),
            quoted_list(&kept)
        )
    } else if newcomers.len() > 1 {
        format!(
            "{} would share first place instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    } else {
        format!(
            "{} would be first instead of {}",
            quoted_list(&newcomers),
            quoted_list(old)
        )
    }
}

fn push_others(out: &mut String, n: usize, what: &str) {
    match n {
        0 => {}
        1 => out.push_str(&format!(" One other {what} of the same size would too.")),
        n => out.push_str(&format!(" {n} other {what}s of the same size would too.")),
    }
}

/// Decimals needed to show a move of `delta` (share) in percentage points.
fn share_digits(delta: f64) -> usize {
    let pts = 100.0 * delta;
    if pts >= 0.1 {
        1
    } else if pts >= 0.01 {
        2
    } else {
        3
    }
}

fn fmt_pct(share: f64, digits: usize) -> String {
    format!("{}%", trimmed(100.0 * share, digits))
}

fn fmt_raw(x: f64) -> String {
    format_value(x)
}
