//! Scores: one judgement per analyst × mechanism × criterion.

/// The value of one score. "Not assessed" and "not applicable" are never 0.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ScoreValue {
    Value(f64),
    NotAssessed,
    NotApplicable,
}

impl ScoreValue {
    pub fn number(self) -> Option<f64> {
        match self {
            ScoreValue::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Reads a value typed or pasted into a cell, or read from a sheet — the one parser
    /// for cell text. A number (decimal point, or a single decimal comma as French or
    /// German spreadsheets write it; spaces inside are ignored); empty, "-", "–", "—",
    /// "not assessed" → not assessed; "n/a", "na", "not applicable" → not applicable.
    /// Look-alike spaces (no-break, narrow) count as spaces; case is ignored.
    pub fn parse(text: &str) -> Result<ScoreValue, String> {
        let spaced: String = text
            .chars()
            .map(|c| if c.is_whitespace() { ' ' } else { c })
            .collect();
        let t = spaced.trim();
        let words: Vec<&str> = t.split(' ').filter(|w| !w.is_empty()).collect();
        let lower = words.join(" ").to_lowercase();
        match lower.as_str() {
            "" | "-" | "–" | "—" | "not assessed" | "not_assessed" => {
                return Ok(ScoreValue::NotAssessed);
            }
            "n/a" | "na" | "not applicable" | "not_applicable" => {
                return Ok(ScoreValue::NotApplicable);
            }
            _ => {}
        }
        let mut num: String = words.concat();
        if let Some((a, b)) = num.split_once(',')
            && !b.contains(',')
            && !num.contains('.')
            && !b.is_empty()
            && b.chars().all(|c| c.is_ascii_digit())
            && a.trim_start_matches(['-', '+'])
                .chars()
                .all(|c| c.is_ascii_digit())
        {
            num = format!("{a}.{b}");
        }
        match num.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(ScoreValue::Value(v)),
            _ => Err(format!(
                "“{}” is not a score: write a number, “not assessed” or “not applicable”",
                super::text::excerpt(t, 40)
            )),
        }
    }

    /// Short text for tables: the number, "n/a" or "–".
    pub fn short(self) -> String {
        match self {
            ScoreValue::Value(v) => format_value(v),
            ScoreValue::NotAssessed => "–".to_string(),
            ScoreValue::NotApplicable => "n/a".to_string(),
        }
    }
}

/// Formats a score with at most two decimals, halves away from zero (the rounding rule
/// of every number shown, `rounding`), without trailing zeros: "3", "2.5", "2.13".
pub fn format_value(v: f64) -> String {
    crate::rounding::trimmed(v, 2)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::Low, Confidence::Moderate, Confidence::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }

    pub fn parse(s: &str) -> Option<Confidence> {
        Confidence::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// Identifies one cell of one analyst's sheet.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScoreKey {
    pub analyst: String,
    pub mechanism: String,
    pub criterion: String,
}

impl ScoreKey {
    pub fn new(analyst: &str, mechanism: &str, criterion: &str) -> ScoreKey {
        ScoreKey {
            analyst: analyst.to_string(),
            mechanism: mechanism.to_string(),
            criterion: criterion.to_string(),
        }
    }
}

/// Whose word a score rests on: the assessed state's own statements (directly or
/// relayed by others), independent evidence, both, or not said (older files).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Basis {
    /// Rests on what the assessed state says about itself, directly or relayed.
    Claim,
    /// Rests on evidence independent of the assessed state.
    Documented,
    /// Rests on both.
    Mixed,
    /// Not said (the default, and what older files read as).
    #[default]
    Unknown,
}

impl Basis {
    pub const ALL: [Basis; 4] = [
        Basis::Claim,
        Basis::Documented,
        Basis::Mixed,
        Basis::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Claim => "claim",
            Basis::Documented => "documented",
            Basis::Mixed => "mixed",
            Basis::Unknown => "unknown",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Basis::Claim => "Claim (the assessed state's word)",
            Basis::Documented => "Documented (independent evidence)",
            Basis::Mixed => "Mixed",
            Basis::Unknown => "Unknown",
        }
    }

    pub fn parse(s: &str) -> Option<Basis> {
        Basis::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub value: ScoreValue,
    pub rationale: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
    /// Whose word the score rests on.
    pub basis: Basis,
    /// The value the rationale was written for, when the value has changed since
    /// (None: the rationale was written for the current value).
    pub rationale_for: Option<ScoreValue>,
}

impl Default for Score {
    fn default() -> Self {
        Score {
            value: ScoreValue::NotAssessed,
            rationale: String::new(),
            confidence: Confidence::Moderate,
            sources: Vec::new(),
            basis: Basis::Unknown,
            rationale_for: None,
        }
    }
}

impl Score {
    /// A score that carries nothing: not assessed, no rationale, no sources.
    pub fn is_empty(&self) -> bool {
        self.value == ScoreValue::NotAssessed
            && self.rationale.is_empty()
            && self.sources.is_empty()
    }

    /// This score after an edit to `next`: when the value changed but the rationale
    /// did not, remember which value the rationale was written for; a rewritten
    /// rationale (or a value back where the rationale was written) clears the mark.
    pub fn edited(&self, mut next: Score) -> Score {
        if next.rationale != self.rationale {
            next.rationale_for = None;
        } else if next.value != self.value && !self.rationale.trim().is_empty() {
            let written_for = self.rationale_for.unwrap_or(self.value);
            next.rationale_for = (written_for != next.value).then_some(written_for);
        }
        next
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn scores_round_as_every_other_number() {
        // Two decimals, halves away from zero, as `wording` (Rust's `{:.2}` reads
        // 2.125 as "2.12").
        for (v, shown) in [
            (3.0, "3"),
            (2.5, "2.5"),
            (2.125, "2.13"),
            (2.333_333, "2.33"),
        ] {
            assert_eq!(format_value(v), shown);
        }
        for k in -400..=400 {
            let v = f64::from(k) / 160.0;
            assert_eq!(format_value(v), crate::wording::trimmed(v, 2), "{v}");
        }
    }

    use super::*;

    #[test]
    fn one_parser_reads_every_way_of_writing_a_value() {
        let v = |s: &str| ScoreValue::parse(s).unwrap();
        assert_eq!(v("3"), ScoreValue::Value(3.0));
        assert_eq!(v(" 2,5 "), ScoreValue::Value(2.5));
        assert_eq!(v("2.5"), ScoreValue::Value(2.5));
        assert_eq!(v("-1"), ScoreValue::Value(-1.0));
        for na in [
            "",
            "–",
            "-",
            "—",
            "Not assessed",
            "not_assessed",
            "not\u{a0}assessed",
        ] {
            assert_eq!(v(na), ScoreValue::NotAssessed, "{na:?}");
        }
        for na in [
            "n/a",
            "NA",
            "not applicable",
            "not_applicable",
            "not\u{202f}applicable",
        ] {
            assert_eq!(v(na), ScoreValue::NotApplicable, "{na:?}");
        }
        assert!(ScoreValue::parse("1,2,3").is_err());
        assert!(ScoreValue::parse("inf").is_err());
        let long = ScoreValue::parse(&"x".repeat(10_000)).unwrap_err();
        assert!(
            long.len() < 200,
            "the message quotes a short excerpt: {long}"
        );
    }
}
