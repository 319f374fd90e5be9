//! The rules every project obeys, defined once: text lengths, counts, id syntax, scale
//! bounds, weights, unique ids, references and workshop state.
//!
//! Everything that makes or changes a project checks against these functions: the file
//! converter (`persist`), `edit::apply`, CSV import, blind packages, student exercises
//! and the workshop merge. The JSON Schema in `docs/project.schema.json` states the same
//! limits for other tools; `tests/rules_schema.rs` fails when the two disagree.
//!
//! Item checks (`check_mechanism`, `check_source`, …) take one item and report what is
//! wrong with it, relative to the item; `check_project` walks a whole project and
//! reports every problem with its place. Nothing here does I/O.

use std::collections::HashSet;

use super::*;

mod whole;

pub use whole::{check_consensus_cell, check_project, check_scenario, check_score_cells};

/// Longest id, in bytes (ids are ASCII).
pub const ID_MAX_LEN: usize = 64;
/// Longest name or title that must not be empty (characters).
pub const NAME_MAX_CHARS: usize = 300;
/// Longest short text: author, dates, labels, regions, note titles (characters).
pub const SHORT_MAX_CHARS: usize = 300;
/// Longest free text: descriptions, rationales, citations, notes (characters).
pub const TEXT_MAX_CHARS: usize = 20_000;
/// Longest package fingerprint (characters).
pub const FINGERPRINT_MAX_CHARS: usize = 200;
/// Scale bounds, anchor levels, gates and score values lie within ±this.
pub const SCALE_BOUND: i32 = 1000;
/// Largest weight.
pub const WEIGHT_MAX: f64 = 1_000_000.0;
/// Plausible start years of a mechanism.
pub const START_YEAR_MIN: i32 = 1800;
pub const START_YEAR_MAX: i32 = 2200;
/// Information credibility grades (1 = confirmed … 6 = cannot be judged).
pub const CREDIBILITY_MIN: u8 = 1;
pub const CREDIBILITY_MAX: u8 = 6;
/// Largest consensus spread and number of analysts behind a consensus cell.
pub const SPREAD_MAX: f64 = 10_000.0;
pub const CONSENSUS_N_MAX: usize = 100_000;
/// Workshop rounds a package may name.
pub const PACKAGE_ROUND_MAX: usize = 100;

/// How many of each kind of item a project may hold.
pub mod counts {
    pub const GROUPS: usize = 100;
    pub const CRITERIA_PER_GROUP: usize = 1000;
    pub const ANCHORS: usize = 101;
    pub const MECHANISMS: usize = 100_000;
    pub const SOURCES: usize = 100_000;
    pub const ANALYSTS: usize = 1000;
    pub const SCORES: usize = 5_000_000;
    pub const SCENARIOS: usize = 1000;
    pub const ASSUMPTIONS: usize = 1000;
    pub const OVERRIDES: usize = 1_000_000;
    pub const ADDED_MECHANISMS: usize = 100_000;
    pub const NOTES: usize = 10_000;
    pub const ROUNDS: usize = 100;
    pub const CONSENSUS: usize = 1_000_000;
    pub const INSTRUMENTS: usize = 20;
    pub const FACTS: usize = 10_000;
    /// Regions, partners, tags of a mechanism.
    pub const SHORT_LIST: usize = 1000;
    /// Source ids of a score or fact; excluded mechanisms of a scenario.
    pub const IDS: usize = 100_000;
}

/// The kinds of text a project holds, each with its length rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text {
    /// Must contain a visible character; at most `NAME_MAX_CHARS`.
    Name,
    /// May be empty; at most `SHORT_MAX_CHARS`.
    Short,
    /// May be empty; at most `TEXT_MAX_CHARS`.
    Long,
    /// Must not be empty; at most `TEXT_MAX_CHARS`.
    Citation,
    /// May be empty; at most `FINGERPRINT_MAX_CHARS`.
    Fingerprint,
}

impl Text {
    pub const fn max_chars(self) -> usize {
        match self {
            Text::Name => NAME_MAX_CHARS,
            Text::Short => SHORT_MAX_CHARS,
            Text::Long | Text::Citation => TEXT_MAX_CHARS,
            Text::Fingerprint => FINGERPRINT_MAX_CHARS,
        }
    }
}

/// True for the characters that do not make a name visible: the white space and line
/// ends of JSON Schema's regular expressions (ECMAScript `\s`), so that the schema's
/// `"pattern": "\\S"` and this rule agree on every text.
pub fn is_blank_char(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\u{b}' | '\u{c}' | '\r' | ' ' | '\u{a0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200a}'
                | '\u{2028}'
                | '\u{2029}'
                | '\u{202f}'
                | '\u{205f}'
                | '\u{3000}'
                | '\u{feff}'
    )
}

/// Checks one text; `what` names it for the message ("the name", "a rationale").
pub fn check_text(what: &str, kind: Text, value: &str) -> Result<(), String> {
    let empty = match kind {
        Text::Name => value.chars().all(is_blank_char),
        Text::Citation => value.is_empty(),
        _ => false,
    };
    if empty {
        return Err(format!("{what} must not be empty"));
    }
    let max = kind.max_chars();
    // Cheap bound first: a text of at most `max` bytes has at most `max` characters.
    if value.len() > max {
        let n = value.chars().count();
        if n > max {
            return Err(format!(
                "{what} is {n} characters long; at most {max} are allowed"
            ));
        }
    }
    Ok(())
}

/// A generated text (a title made from another) cut to fit `kind`: at most its length,
/// ending in "…" when cut. For texts the user types, refuse instead (`check_text`).
pub fn fit(kind: Text, s: &str) -> String {
    let max = kind.max_chars();
    match s.char_indices().nth(max) {
        None => s.to_string(),
        Some(_) => {
            let cut = s.char_indices().nth(max - 1).map_or(s.len(), |(i, _)| i);
            format!("{}…", s[..cut].trim_end())
        }
    }
}

/// Checks the number of items of a list; `what` names the items ("mechanisms").
pub fn check_count(what: &str, n: usize, max: usize) -> Result<(), String> {
    if n > max {
        Err(format!("there are {n} {what}; at most {max} are allowed"))
    } else {
        Ok(())
    }
}

/// Checks a weight: finite, from 0 to `WEIGHT_MAX`.
pub fn check_weight(w: f64) -> Result<(), String> {
    if w.is_finite() && (0.0..=WEIGHT_MAX).contains(&w) {
        Ok(())
    } else {
        Err(format!(
            "a weight must be a finite number from 0 to {}, found {w}",
            WEIGHT_MAX as u64
        ))
    }
}

/// Checks an id's syntax (see `is_valid_id`).
pub fn check_id(id: &str) -> Result<(), String> {
    if is_valid_id(id) {
        Ok(())
    } else {
        let shown: String = id.chars().take(70).collect();
        Err(format!(
            "\"{shown}\" is not a valid id: use 1 to {ID_MAX_LEN} lower-case letters, digits and '-', not starting with '-'"
        ))
    }
}

/// One step of the place of a problem inside a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Seg {
    /// A field of an object (as named in the file).
    Key(&'static str),
    /// An item of a list.
    Index(usize),
    /// An entry of a map keyed by id (scenario weights).
    Entry(String),
    /// A score cell of a score map (the project's scores or a round's).
    Score(ScoreKey),
    /// A consensus cell (mechanism, criterion).
    Cell(String, String),
}

/// A broken rule and where: the place follows the file's layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub at: Vec<Seg>,
    pub message: String,
}

/// Collects violations under a current place.
pub(super) struct Walk {
    pub(super) at: Vec<Seg>,
    pub(super) out: Vec<Violation>,
}

impl Walk {
    pub(super) fn new() -> Walk {
        Walk {
            at: Vec::new(),
            out: Vec::new(),
        }
    }

    pub(super) fn push(&mut self, field: &[Seg], message: impl Into<String>) {
        let mut at = self.at.clone();
        at.extend_from_slice(field);
        self.out.push(Violation {
            at,
            message: message.into(),
        });
    }

    pub(super) fn result(&mut self, field: &[Seg], r: Result<(), String>) {
        if let Err(m) = r {
            self.push(field, m);
        }
    }

    pub(super) fn text(&mut self, key: &'static str, what: &str, kind: Text, value: &str) {
        self.result(&[Seg::Key(key)], check_text(what, kind, value));
    }

    pub(super) fn count(&mut self, key: &'static str, what: &str, n: usize, max: usize) {
        self.result(&[Seg::Key(key)], check_count(what, n, max));
    }

    pub(super) fn weight(&mut self, field: &[Seg], w: f64) {
        self.result(field, check_weight(w));
    }

    pub(super) fn id(&mut self, id: &str) {
        self.result(&[Seg::Key("id")], check_id(id));
    }

    /// Runs `f` with `segs` appended to the current place.
    pub(super) fn inside(&mut self, segs: &[Seg], f: impl FnOnce(&mut Walk)) {
        let depth = self.at.len();
        self.at.extend_from_slice(segs);
        f(self);
        self.at.truncate(depth);
    }

    /// Reports a repeated id in a list of ids (`seen` spans the namespace).
    pub(super) fn unique<'a>(&mut self, seen: &mut HashSet<&'a str>, id: &'a str, what: &str) {
        if !seen.insert(id) {
            self.push(
                &[Seg::Key("id")],
                format!("the {what} id \"{id}\" is used twice; ids must be unique"),
            );
        }
    }

    pub(super) fn refs(
        &mut self,
        key: &'static str,
        ids: &[String],
        known: &dyn Fn(&str) -> bool,
        what: &str,
    ) {
        for (i, id) in ids.iter().enumerate() {
            if !known(id) {
                self.push(
                    &[Seg::Key(key), Seg::Index(i)],
                    format!("the {what} \"{id}\" does not exist in this project"),
                );
            }
        }
    }
}

pub(super) fn first(mut v: Vec<Violation>) -> Result<(), String> {
    if v.is_empty() {
        Ok(())
    } else {
        Err(v.swap_remove(0).message)
    }
}

// ------------------------------------------------------------------ item checks

/// The project's title, description, author and dates.
pub fn check_info(info: &ProjectInfo) -> Result<(), String> {
    let mut w = Walk::new();
    info_into(&mut w, info);
    first(w.out)
}

pub(super) fn info_into(w: &mut Walk, info: &ProjectInfo) {
    w.text("title", "the project's title", Text::Name, &info.title);
    w.text(
        "description",
        "the project's description",
        Text::Long,
        &info.description,
    );
    w.text("author", "the author", Text::Short, &info.author);
    w.text("created", "the creation date", Text::Short, &info.created);
    w.text(
        "modified",
        "the modification date",
        Text::Short,
        &info.modified,
    );
}

/// The framework's name and description.
pub fn check_framework_text(name: &str, description: &str) -> Result<(), String> {
    check_text("the framework's name", Text::Name, name)?;
    check_text("the framework's description", Text::Long, description)
}

/// A group's own fields (not its criteria).
pub fn check_group_header(name: &str, weight: f64, description: &str) -> Result<(), String> {
    check_text("a group's name", Text::Name, name)?;
    check_weight(weight)?;
    check_text("a group's description", Text::Long, description)
}

/// A criterion on its own (its id's uniqueness and existing scores are checked by the caller).
pub fn check_criterion(c: &Criterion) -> Result<(), String> {
    let mut w = Walk::new();
    criterion_into(&mut w, c);
    first(w.out)
}

pub(super) fn criterion_into(w: &mut Walk, c: &Criterion) {
    w.id(&c.id);
    w.text("name", "a criterion's name", Text::Name, &c.name);
    w.text(
        "definition",
        "a criterion's definition",
        Text::Long,
        &c.definition,
    );
    w.text(
        "teaching",
        "a criterion's teaching text",
        Text::Long,
        &c.teaching,
    );
    w.weight(&[Seg::Key("weight")], c.weight);
    w.inside(&[Seg::Key("scale")], |w| scale_into(w, &c.scale));
    if let Some(g) = c.gate
        && !c.scale.contains(g.at_least)
    {
        w.push(
            &[Seg::Key("gate"), Seg::Key("at_least")],
            format!(
                "the gate {} lies outside the scale {}–{}",
                g.at_least, c.scale.min, c.scale.max
            ),
        );
    }
}

pub(super) fn scale_into(w: &mut Walk, s: &Scale) {
    for (key, v) in [("min", s.min), ("max", s.max)] {
        if v.abs() > SCALE_BOUND {
            w.push(
                &[Seg::Key(key)],
                format!("{v} is beyond the largest scale bound (±{SCALE_BOUND})"),
            );
        }
    }
    if s.min >= s.max {
        w.push(
            &[Seg::Key("max")],
            format!(
                "the top of the scale ({}) must be above its bottom ({})",
                s.max, s.min
            ),
        );
    } else if i64::from(s.max) - i64::from(s.min) > i64::from(Scale::MAX_SPAN) {
        w.push(
            &[Seg::Key("max")],
            format!(
                "a scale may have at most {} steps, this one has {}",
                Scale::MAX_SPAN,
                i64::from(s.max) - i64::from(s.min)
            ),
        );
    }
    w.count(
        "anchors",
        "described levels",
        s.anchors.len(),
        counts::ANCHORS,
    );
    let mut levels = HashSet::new();
    for (i, a) in s.anchors.iter().enumerate() {
        let here = [Seg::Key("anchors"), Seg::Index(i)];
        if a.value < s.min || a.value > s.max {
            w.push(
                &[here[0].clone(), here[1].clone(), Seg::Key("value")],
                format!(
                    "the anchor for level {} lies outside the scale {}–{}",
                    a.value, s.min, s.max
                ),
            );
        }
        if !levels.insert(a.value) {
            w.push(
                &[here[0].clone(), here[1].clone(), Seg::Key("value")],
                format!("level {} is described twice", a.value),
            );
        }
        w.inside(&here, |w| {
            w.text("label", "a level's label", Text::Short, &a.label);
            w.text(
                "descriptor",
                "a level's descriptor",
                Text::Long,
                &a.descriptor,
            );
        });
    }
}

/// A mechanism; `source_exists` tells which source ids resolve.
pub fn check_mechanism(m: &Mechanism, source_exists: &dyn Fn(&str) -> bool) -> Result<(), String> {
    let mut w = Walk::new();
    mechanism_into(&mut w, m, source_exists);
    first(w.out)
}

pub(super) fn mechanism_into(w: &mut Walk, m: &Mechanism, source_exists: &dyn Fn(&str) -> bool) {
    w.id(&m.id);
    w.text("name", "a mechanism's name", Text::Name, &m.name);
    w.text(
        "description",
        "a mechanism's description",
        Text::Long,
        &m.description,
    );
    w.count(
        "instruments",
        "instruments",
        m.instruments.len(),
        counts::INSTRUMENTS,
    );
    for (i, ins) in m.instruments.iter().enumerate() {
        if m.instruments[..i].contains(ins) {
            w.push(
                &[Seg::Key("instruments"), Seg::Index(i)],
                format!("the instrument \"{}\" is listed twice", ins.as_str()),
            );
        }
    }
    for (key, list) in [
        ("regions", &m.regions),
        ("partners", &m.partners),
        ("tags", &m.tags),
    ] {
        w.count(key, key, list.len(), counts::SHORT_LIST);
        for (i, t) in list.iter().enumerate() {
            w.result(
                &[Seg::Key(key), Seg::Index(i)],
                check_text("an entry of the list", Text::Short, t),
            );
        }
    }
    if let Some(y) = m.start_year
        && !(START_YEAR_MIN..=START_YEAR_MAX).contains(&y)
    {
        w.push(
            &[Seg::Key("start_year")],
            format!("{y} is not a plausible start year ({START_YEAR_MIN}–{START_YEAR_MAX})"),
        );
    }
    w.count("facts", "facts", m.facts.len(), counts::FACTS);
    for (i, f) in m.facts.iter().enumerate() {
        w.inside(&[Seg::Key("facts"), Seg::Index(i)], |w| {
            w.text("text", "a fact", Text::Long, &f.text);
            w.count("sources", "sources", f.sources.len(), counts::IDS);
            w.refs("sources", &f.sources, source_exists, "source");
        });
    }
}

/// A source on its own.
pub fn check_source(s: &Source) -> Result<(), String> {
    let mut w = Walk::new();
    source_into(&mut w, s);
    first(w.out)
}

pub(super) fn source_into(w: &mut Walk, s: &Source) {
    w.id(&s.id);
    w.text(
        "citation",
        "a source's citation",
        Text::Citation,
        &s.citation,
    );
    w.text("link", "a source's link", Text::Long, &s.link);
    w.text("date", "a source's date", Text::Short, &s.date);
    if !(CREDIBILITY_MIN..=CREDIBILITY_MAX).contains(&s.credibility) {
        w.push(
            &[Seg::Key("credibility")],
            format!("credibility must be a number from {CREDIBILITY_MIN} to {CREDIBILITY_MAX}"),
        );
    }
    w.text("note", "a source's note", Text::Long, &s.note);
}

/// An analyst on their own.
pub fn check_analyst(a: &Analyst) -> Result<(), String> {
    let mut w = Walk::new();
    w.id(&a.id);
    w.text("name", "an analyst's name", Text::Name, &a.name);
    w.text("note", "an analyst's note", Text::Long, &a.note);
    first(w.out)
}

/// A note on its own.
pub fn check_note(n: &Note) -> Result<(), String> {
    let mut w = Walk::new();
    note_into(&mut w, n);
    first(w.out)
}

pub(super) fn note_into(w: &mut Walk, n: &Note) {
    w.id(&n.id);
    w.text("title", "a note's title", Text::Short, &n.title);
    w.text("text", "a note", Text::Long, &n.text);
}

/// A score's value, rationale and sources; `scale` is its criterion's (None when the
/// criterion is unknown, which the caller reports).
pub fn check_score(
    s: &Score,
    criterion: Option<&Criterion>,
    source_exists: &dyn Fn(&str) -> bool,
) -> Result<(), String> {
    let mut w = Walk::new();
    score_into(&mut w, s, criterion, source_exists);
    first(w.out)
}

pub(super) fn score_into(
    w: &mut Walk,
    s: &Score,
    criterion: Option<&Criterion>,
    source_exists: &dyn Fn(&str) -> bool,
) {
    value_into(w, s.value, criterion);
    w.text("rationale", "a rationale", Text::Long, &s.rationale);
    w.count("sources", "sources", s.sources.len(), counts::IDS);
    w.refs("sources", &s.sources, source_exists, "source");
}

pub(super) fn value_into(w: &mut Walk, value: ScoreValue, criterion: Option<&Criterion>) {
    let ScoreValue::Value(v) = value else { return };
    let shown = crate::model::format_value(v);
    if !v.is_finite() || v.abs() > f64::from(SCALE_BOUND) {
        w.push(
            &[Seg::Key("value")],
            format!("{shown} is not a score value (scores lie within ±{SCALE_BOUND})"),
        );
    } else if let Some(c) = criterion
        && !c.scale.contains(v)
    {
        w.push(
            &[Seg::Key("value")],
            format!(
                "{shown} is outside the scale of \"{}\" ({}–{})",
                c.name, c.scale.min, c.scale.max
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_limits_count_characters_not_bytes() {
        let ok = "é".repeat(NAME_MAX_CHARS);
        assert!(check_text("the name", Text::Name, &ok).is_ok());
        let long = "é".repeat(NAME_MAX_CHARS + 1);
        let e = check_text("the name", Text::Name, &long).unwrap_err();
        assert!(
            e.contains("301 characters") && e.contains("at most 300"),
            "{e}"
        );
        assert!(check_text("the name", Text::Name, "  ").is_err());
        assert!(check_text("a note", Text::Short, "").is_ok());
        assert!(check_text("a citation", Text::Citation, "").is_err());
        assert!(check_text("a citation", Text::Citation, " ").is_ok());
        let cut = fit(Text::Name, &"é".repeat(NAME_MAX_CHARS + 5));
        assert_eq!(cut.chars().count(), NAME_MAX_CHARS);
        assert!(cut.ends_with('…') && check_text("t", Text::Name, &cut).is_ok());
        assert_eq!(fit(Text::Name, "short"), "short");
    }

    #[test]
    fn weights_ids_and_counts() {
        assert!(check_weight(0.0).is_ok());
        assert!(check_weight(WEIGHT_MAX).is_ok());
        assert!(check_weight(WEIGHT_MAX * 1.01).is_err());
        assert!(check_weight(-0.1).is_err());
        assert!(check_weight(f64::NAN).is_err());
        assert!(check_id("a-1").is_ok());
        assert!(check_id("-a").is_err());
        assert!(check_id(&"a".repeat(ID_MAX_LEN + 1)).is_err());
        assert!(check_count("notes", 3, 2).is_err());
    }

    #[test]
    fn the_bundled_sample_keeps_every_rule() {
        let p = crate::persist::load_str(crate::bundled::SAMPLE)
            .unwrap()
            .project;
        assert_eq!(check_project(&p, 100), vec![]);
    }

    #[test]
    fn a_dangling_reference_and_a_long_name_are_both_reported_with_their_place() {
        let mut p = crate::persist::load_str(crate::bundled::SAMPLE)
            .unwrap()
            .project;
        p.mechanisms[2].name = "x".repeat(NAME_MAX_CHARS + 1);
        p.mechanisms[0].facts.push(Fact {
            text: "t".into(),
            sources: vec!["no-such-source".into()],
        });
        let v = check_project(&p, 100);
        assert!(v.iter().any(|v| v.at
            == [Seg::Key("mechanisms"), Seg::Index(2), Seg::Key("name")]
            && v.message.contains("at most 300")));
        assert!(
            v.iter()
                .any(|v| v.at[..2] == [Seg::Key("mechanisms"), Seg::Index(0)]
                    && v.message.contains("no-such-source"))
        );
    }
}
