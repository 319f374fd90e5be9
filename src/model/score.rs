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

    /// Short text for tables: the number, "n/a" or "–".
    pub fn short(self) -> String {
        match self {
            ScoreValue::Value(v) => format_value(v),
            ScoreValue::NotAssessed => "–".to_string(),
            ScoreValue::NotApplicable => "n/a".to_string(),
        }
    }
}

/// Formats a score without a trailing ".0" for whole numbers.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e9 {
        format!("{}", v as i64)
    } else {
        format!("{v:.2}")
            .trim_end_matches('0')
            .trim_end_matches('.')
            .to_string()
    }
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

#[derive(Clone, Debug, PartialEq)]
pub struct Score {
    pub value: ScoreValue,
    pub rationale: String,
    pub confidence: Confidence,
    pub sources: Vec<String>,
}

impl Default for Score {
    fn default() -> Self {
        Score {
            value: ScoreValue::NotAssessed,
            rationale: String::new(),
            confidence: Confidence::Moderate,
            sources: Vec::new(),
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
}
