//! How numbers and lists read in English, everywhere the product shows them: the
//! app, the command line, the charts and the report. Pure (no egui, no I/O).
//!
//! # How numbers are rounded
//!
//! Totals, group indices and changes of a total are shown in whole points ([`points`]):
//! they rest on level scales (0–4 in the Lemieux template) and low-confidence cells, so
//! a decimal would claim a precision the data do not carry. Contributions to a change,
//! spreads and standard errors have one decimal; percentages one decimal or none.
//! There is one rule for all of them: **halves are rounded away from zero** on the
//! decimal value, e.g. `(x * 10.0).round() / 10.0` (see [`round1`]), so 56.5 reads "57",
//! 56.25 with one decimal "56.3", and −0.25 "−0.3". (Rust's `{:.1}` alone would round
//! the binary value half to even, giving "56.2".) A value within 1e-9 of a half counts
//! as the half, so that totals that tie read the same whatever order their sums took.
//! A value that rounds to zero never reads with a minus sign. The rule itself lives in
//! `rounding` (which the model's formatting of scores uses too).
//!
//! # Signs
//!
//! In prose (explanations, the report) a signed difference reads "+3.8", "−1.3"
//! (typographic minus) or "±0.0" ([`signed`]); in plain-text tables it reads "+3.8",
//! "-1.3" or "0.0" ([`signed_plain`]), so that columns stay ASCII.

use crate::model::{ScoreValue, format_value};
use crate::rounding::round_scaled;
pub use crate::rounding::{fixed, trimmed};

/// `x` rounded to one decimal, halves away from zero (56.25 → 56.3, −0.25 → −0.3).
pub fn round1(x: f64) -> f64 {
    round_scaled(x, 10.0) / 10.0
}

/// A number with one decimal: "56.3", "55.0", "0.0" (spreads, standard errors,
/// contributions to a change). Negative values use the ASCII minus ("-1.3").
pub fn one_decimal(x: f64) -> String {
    fixed(x, 1)
}

/// A total or a group index (0–100) in whole points, the precision level scales can
/// carry: "56" for 56.25, "57" for 56.5.
pub fn points(x: f64) -> String {
    whole(x)
}

/// As [`points`], "—" when there is no value.
pub fn points_or_dash(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), points)
}

/// An agreement coefficient (Krippendorff's alpha): three decimals, cut towards minus
/// infinity rather than rounded, so that the number shown always agrees with its
/// reading against the 0.667 and 0.8 thresholds (0.7996 is "tentative": "0.799", not
/// "0.80"). The one exception to halves-away-from-zero, for that reason.
pub fn alpha_value(v: f64) -> String {
    let t = (v * 1000.0 + 1e-9).floor() / 1000.0;
    let t = if t == 0.0 { 0.0 } else { t };
    format!("{t:.3}")
}

/// A scenario's name without a leading "Hypothetical:" (for places that already say
/// "hypothetical"), with a capital first letter: "Hypothetical: the stations close" →
/// "The stations close".
pub fn without_hypothetical(label: &str) -> String {
    let lower = label.to_lowercase();
    let rest = ["hypothetical:", "hypothetical –", "hypothetical -"]
        .iter()
        .find(|p| lower.starts_with(*p))
        .map_or(label, |p| label[p.len()..].trim_start());
    let mut chars = rest.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => label.to_string(),
    }
}

/// The change between two totals as the reader sees it: the difference of the two
/// totals as shown (each rounded to whole points), so that "56 → 57 (+1)" always adds
/// up. The unrounded change may be smaller (56.4 → 56.6) or larger; contributions keep
/// one decimal for that reason. In prose: "+1", "−2", "±0".
pub fn change_points(before: f64, after: f64) -> String {
    signed_points(shown_points(after) - shown_points(before))
}

/// As [`change_points`], for a plain-text table: "+1", "-2", "0".
pub fn change_points_plain(before: f64, after: f64) -> String {
    signed_points_plain(shown_points(after) - shown_points(before))
}

/// A total as shown, as a number: whole points, halves away from zero.
pub fn shown_points(x: f64) -> f64 {
    let r = round_scaled(x, 1.0);
    if r == 0.0 { 0.0 } else { r }
}

/// A change of a total in whole points, in prose: "+4", "−1", "±0".
pub fn signed_points(x: f64) -> String {
    let s = whole(x.abs());
    if s == "0" {
        "±0".to_string()
    } else if x > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

/// A change of a total in whole points, in a plain-text table: "+4", "-1", "0".
pub fn signed_points_plain(x: f64) -> String {
    let s = whole(x.abs());
    if s == "0" {
        s
    } else if x > 0.0 {
        format!("+{s}")
    } else {
        format!("-{s}")
    }
}

/// As [`one_decimal`], "—" when there is no value.
pub fn one_decimal_or_dash(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), one_decimal)
}

/// A signed difference in prose, one decimal: "+3.8", "−1.3" (typographic minus), and
/// "±0.0" when it rounds to zero.
pub fn signed(x: f64) -> String {
    let s = one_decimal(x.abs());
    if s == "0.0" {
        "±0.0".to_string()
    } else if x > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

/// A signed difference in a plain-text table, one decimal: "+3.8", "-1.3", and "0.0"
/// when it rounds to zero.
pub fn signed_plain(x: f64) -> String {
    let s = one_decimal(x.abs());
    if s == "0.0" {
        s
    } else if x > 0.0 {
        format!("+{s}")
    } else {
        format!("-{s}")
    }
}

/// A share (0–1) as a percentage with one decimal: "33.3%", "25.0%".
pub fn percent_one_decimal(share: f64) -> String {
    format!("{}%", one_decimal(100.0 * share))
}

/// A share (0–1) as a percentage with at most one decimal: "25%", "33.3%".
pub fn percent(share: f64) -> String {
    let s = one_decimal(100.0 * share);
    format!("{}%", s.strip_suffix(".0").unwrap_or(&s))
}

/// A share (0–1) as a whole percentage: "13%" for 0.125.
pub fn whole_percent(share: f64) -> String {
    format!("{}%", whole(100.0 * share))
}

/// A number rounded to a whole: "13" for 12.5, "0" for −0.4.
pub fn whole(x: f64) -> String {
    fixed(x, 0)
}

/// A count with thousands separators: "12,345".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// "a", "a and b", "a, b and c"; empty for no items.
pub fn and_list(items: &[String]) -> String {
    match items.len() {
        0 => String::new(),
        1 => items[0].clone(),
        n => format!("{} and {}", items[..n - 1].join(", "), items[n - 1]),
    }
}

/// The items shown and how many more were left out: "a, b and c",
/// "a, b and one other", "a, b, c and 4 others".
pub fn and_list_more(shown: &[String], more: usize) -> String {
    let mut v: Vec<String> = shown.to_vec();
    match more {
        0 => {}
        1 => v.push("one other".to_string()),
        n => v.push(format!("{n} others")),
    }
    and_list(&v)
}

/// A rank range: "2–17", or "4" when it is one rank.
pub fn rank_span((best, worst): (usize, usize)) -> String {
    if best == worst {
        best.to_string()
    } else {
        format!("{best}–{worst}")
    }
}

/// A rank with its range where a table has one cell for both: "4 (2–17)"; "4" when
/// the range is that rank alone; "— (2–17)" for a mechanism without a rank.
pub fn rank_with_range(rank: Option<usize>, range: Option<(usize, usize)>) -> String {
    let r = rank.map_or("—".to_string(), |r| r.to_string());
    match range {
        Some(x) if x != (rank.unwrap_or(0), rank.unwrap_or(0)) => {
            format!("{r} ({})", rank_span(x))
        }
        _ => r,
    }
}

/// A rank with its range in a sentence: "rank 4, could be 2–17 with its 3
/// not-assessed cells"; "rank 4, could be 3–6 with other mechanisms' not-assessed
/// cells" when its own are all assessed; "unranked, could be …" without a rank.
pub fn rank_range_phrase(
    rank: Option<usize>,
    range: Option<(usize, usize)>,
    open_cells: usize,
) -> String {
    let head = rank.map_or("unranked".to_string(), |r| format!("rank {r}"));
    match range {
        Some(x) if x != (rank.unwrap_or(0), rank.unwrap_or(0)) => {
            let why = if open_cells > 0 {
                format!(
                    "its {}",
                    plural(open_cells, "not-assessed cell", "not-assessed cells")
                )
            } else {
                "other mechanisms' not-assessed cells".to_string()
            };
            format!("{head}, could be {} with {why}", rank_span(x))
        }
        _ => head,
    }
}

/// A score in a sentence: "3", "2.5", "not assessed", "not applicable".
pub fn score_words(v: ScoreValue) -> String {
    match v {
        ScoreValue::Value(x) => format_value(x),
        ScoreValue::NotAssessed => "not assessed".to_string(),
        ScoreValue::NotApplicable => "not applicable".to_string(),
    }
}

/// The text with its first letter in upper case: "the weight…" → "The weight…".
pub fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "1 criterion", "3 criteria".
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scenario_name_loses_its_hypothetical_prefix_once() {
        assert_eq!(
            without_hypothetical("Hypothetical: the stations close"),
            "The stations close"
        );
        assert_eq!(without_hypothetical("hypothetical – X"), "X");
        assert_eq!(without_hypothetical("Concerns first"), "Concerns first");
        assert_eq!(without_hypothetical("Hypothetical:"), "Hypothetical:");
    }

    #[test]
    fn a_change_is_the_difference_of_the_totals_shown() {
        // 56.4 → 56.6 reads "56 → 57": the change reads +1, not ±0.
        assert_eq!(points(56.4), "56");
        assert_eq!(points(56.6), "57");
        assert_eq!(change_points(56.4, 56.6), "+1");
        assert_eq!(change_points_plain(56.4, 56.6), "+1");
        // 58.4 → 56.6 reads "58 → 57": −1, where the unrounded −1.8 would read −2.
        assert_eq!(change_points(58.4, 56.6), "−1");
        assert_eq!(change_points(30.5, 27.4), "−4");
        assert_eq!(change_points_plain(56.2, 56.4), "0");
        assert_eq!(change_points(56.2, 56.4), "±0");
    }

    #[test]
    fn halves_round_away_from_zero() {
        assert_eq!(one_decimal(56.25), "56.3");
        assert_eq!(one_decimal(0.05), "0.1");
        assert_eq!(one_decimal(-0.04), "0.0");
        assert_eq!(one_decimal(-0.05), "-0.1");
        assert_eq!(one_decimal(-0.0), "0.0");
        assert_eq!(one_decimal(55.0), "55.0");
        assert_eq!(one_decimal(62.5), "62.5");
        assert_eq!(one_decimal(10.625), "10.6");
        assert_eq!(one_decimal_or_dash(None), "—");
        assert_eq!(round1(56.25), 56.3);
    }

    #[test]
    fn totals_that_tie_read_the_same() {
        // Two sums of the same total in another order: 62.5 and 62.49999999999999.
        let (a, b) = (62.5, 62.5 - 4.0 * f64::EPSILON * 62.5);
        assert!(b < a);
        assert_eq!(points(a), "63");
        assert_eq!(points(b), "63");
        assert_eq!(shown_points(b), 63.0);
        assert_eq!(one_decimal(0.25 - 1e-15), "0.3");
        assert_eq!(signed_points_plain(-(62.5 - 1e-13)), "-63");
        // Beyond the tolerance the value is what it is.
        assert_eq!(points(62.499), "62");
        assert_eq!(one_decimal(0.2499), "0.2");
    }

    #[test]
    fn rank_ranges_read() {
        assert_eq!(rank_with_range(Some(4), Some((2, 17))), "4 (2–17)");
        assert_eq!(rank_with_range(Some(4), Some((4, 4))), "4");
        assert_eq!(rank_with_range(Some(1), Some((2, 2))), "1 (2)");
        assert_eq!(rank_with_range(None, Some((2, 5))), "— (2–5)");
        assert_eq!(rank_with_range(None, None), "—");
        assert_eq!(
            rank_range_phrase(Some(4), Some((2, 17)), 3),
            "rank 4, could be 2–17 with its 3 not-assessed cells"
        );
        assert_eq!(
            rank_range_phrase(Some(4), Some((3, 6)), 0),
            "rank 4, could be 3–6 with other mechanisms' not-assessed cells"
        );
        assert_eq!(
            rank_range_phrase(None, Some((2, 5)), 1),
            "unranked, could be 2–5 with its 1 not-assessed cell"
        );
        assert_eq!(rank_range_phrase(Some(2), Some((2, 2)), 0), "rank 2");
    }

    #[test]
    fn signs() {
        assert_eq!(signed(-10.625), "−10.6");
        assert_eq!(signed(6.25), "+6.3");
        assert_eq!(signed(0.01), "±0.0");
        assert_eq!(signed(-0.04), "±0.0");
        assert_eq!(signed_plain(-10.625), "-10.6");
        assert_eq!(signed_plain(3.75), "+3.8");
        assert_eq!(signed_plain(-0.04), "0.0");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(0.25), "25%");
        assert_eq!(percent(1.0 / 3.0), "33.3%");
        assert_eq!(percent(0.5625), "56.3%");
        assert_eq!(percent_one_decimal(0.25), "25.0%");
        assert_eq!(whole_percent(0.125), "13%");
        assert_eq!(whole(-0.4), "0");
        assert_eq!(fixed(0.125, 2), "0.13");
        assert_eq!(fixed(-0.004, 2), "0.00");
        assert_eq!(trimmed(6.25, 1), "6.3");
        assert_eq!(trimmed(15.0, 2), "15");
        assert_eq!(trimmed(0.125, 2), "0.13");
        assert_eq!(trimmed(-0.001, 2), "0");
    }

    #[test]
    fn lists() {
        let p = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(and_list(&p(&[])), "");
        assert_eq!(and_list(&p(&["a"])), "a");
        assert_eq!(and_list(&p(&["a", "b", "c"])), "a, b and c");
        assert_eq!(and_list_more(&p(&["a", "b"]), 1), "a, b and one other");
        assert_eq!(
            and_list_more(&p(&["a", "b", "c"]), 4),
            "a, b, c and 4 others"
        );
        assert_eq!(plural(1, "cell", "cells"), "1 cell");
        assert_eq!(capitalise("éa b"), "Éa b");
        assert_eq!(score_words(ScoreValue::NotApplicable), "not applicable");
        assert_eq!(score_words(ScoreValue::Value(2.5)), "2.5");
    }
}
