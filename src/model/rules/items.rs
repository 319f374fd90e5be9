//! The checks of one item (a mechanism, a source, a score…): used alone by
//! `edit::apply`, and by the whole-project walk.

use std::collections::HashSet;

use super::limits::*;
use super::walk::{Seg, Walk, first};
use crate::model::*;

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
    w.text("coding", "a criterion's coding rule", Text::Long, &c.coding);
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
    if let Some(up) = &s.derived_from {
        w.result(&[Seg::Key("derived_from")], check_id(up));
    }
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

/// The source a source relays: an existing source, not itself.
pub fn check_derived_from(s: &Source, source_exists: &dyn Fn(&str) -> bool) -> Result<(), String> {
    let mut w = Walk::new();
    derived_from_into(&mut w, s, source_exists);
    first(w.out)
}

pub(super) fn derived_from_into(w: &mut Walk, s: &Source, source_exists: &dyn Fn(&str) -> bool) {
    let Some(up) = &s.derived_from else { return };
    if *up == s.id {
        w.push(
            &[Seg::Key("derived_from")],
            format!("the source \"{up}\" cannot derive from itself"),
        );
    } else if !source_exists(up) {
        w.push(
            &[Seg::Key("derived_from")],
            format!("the source \"{up}\" it derives from does not exist in this project"),
        );
    }
}

/// An acknowledged finding on its own: the finding's id and the reason.
pub fn check_acknowledgement(a: &Acknowledgement) -> Result<(), String> {
    let mut w = Walk::new();
    acknowledgement_into(&mut w, a);
    first(w.out)
}

pub(super) fn acknowledgement_into(w: &mut Walk, a: &Acknowledgement) {
    w.text(
        "finding",
        "an acknowledged finding's id",
        Text::Name,
        &a.finding,
    );
    w.text(
        "reason",
        "the reason for acknowledging a finding",
        Text::Long,
        &a.reason,
    );
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
    if let Some(ScoreValue::Value(v)) = s.rationale_for
        && (!v.is_finite() || v.abs() > f64::from(SCALE_BOUND))
    {
        w.push(
            &[Seg::Key("rationale_for")],
            format!(
                "{} is not a score value (scores lie within ±{SCALE_BOUND})",
                crate::model::format_value(v)
            ),
        );
    }
    w.text("rationale", "a rationale", Text::Long, &s.rationale);
    w.count("sources", "sources", s.sources.len(), counts::IDS);
    w.refs("sources", &s.sources, source_exists, "source");
}

pub(super) fn value_into(w: &mut Walk, value: ScoreValue, criterion: Option<&Criterion>) {
    let ScoreValue::Value(v) = value else { return };
    let shown = || crate::model::format_value(v);
    if !v.is_finite() || v.abs() > f64::from(SCALE_BOUND) {
        w.push(
            &[Seg::Key("value")],
            format!(
                "{} is not a score value (scores lie within ±{SCALE_BOUND})",
                shown()
            ),
        );
    } else if let Some(c) = criterion
        && !c.scale.contains(v)
    {
        w.push(
            &[Seg::Key("value")],
            format!(
                "{} is outside the scale of \"{}\" ({}–{})",
                shown(),
                c.name,
                c.scale.min,
                c.scale.max
            ),
        );
    }
}
