//! The JSON Schema in docs/ and the project rules (`model::rules`) must accept exactly
//! the same documents. Two checks: every limit written in the schema is the rules'
//! constant, and on the goldens, the fixtures and crafted edge cases (each limit, at it
//! and one past it) the schema's verdict equals the rules' verdict.

mod common;

use policy_workbench::bundled;
use policy_workbench::model::rules::{self, counts};
use policy_workbench::persist::{self, schema};
use serde_json::{Value, json};

/// Every limit keyword of the schema, by the place where it is written.
fn schema_limits() -> Vec<(String, f64)> {
    fn walk(v: &Value, at: &str, out: &mut Vec<(String, f64)>) {
        match v {
            Value::Object(map) => {
                for (k, x) in map {
                    let here = format!("{at}/{k}");
                    let limit = matches!(
                        k.as_str(),
                        "maxLength" | "minLength" | "maxItems" | "minimum" | "maximum"
                    );
                    match (limit, x.as_f64()) {
                        (true, Some(n)) => out.push((here, n)),
                        _ => walk(x, &here, out),
                    }
                }
            }
            Value::Array(list) => {
                for (i, x) in list.iter().enumerate() {
                    walk(x, &format!("{at}/{i}"), out);
                }
            }
            _ => {}
        }
    }
    let doc: Value = serde_json::from_str(schema::SCHEMA_TEXT).unwrap();
    let mut out = Vec::new();
    walk(&doc, "", &mut out);
    out
}

/// Where each limit of the schema comes from in the rules (by the end of its place).
fn rule_for(place: &str) -> Option<f64> {
    let n = |x: usize| Some(x as f64);
    let table: &[(&str, Option<f64>)] = &[
        ("/$defs/name/minLength", n(1)),
        ("/$defs/name/maxLength", n(rules::NAME_MAX_CHARS)),
        ("/$defs/short/maxLength", n(rules::SHORT_MAX_CHARS)),
        ("/$defs/text/maxLength", n(rules::TEXT_MAX_CHARS)),
        ("/citation/minLength", n(1)),
        ("/citation/maxLength", n(rules::TEXT_MAX_CHARS)),
        ("/fingerprint/maxLength", n(rules::FINGERPRINT_MAX_CHARS)),
        ("/viewpoints/maxItems", n(counts::VIEWPOINTS)),
        ("/$defs/weight/minimum", Some(0.0)),
        ("/$defs/weight/maximum", Some(rules::WEIGHT_MAX)),
        ("/$defs/ids/maxItems", n(counts::IDS)),
        ("/$defs/short_list/maxItems", n(counts::SHORT_LIST)),
        ("/instruments/maxItems", n(counts::INSTRUMENTS)),
        ("/facts/maxItems", n(counts::FACTS)),
        (
            "/start_year/oneOf/1/minimum",
            Some(f64::from(rules::START_YEAR_MIN)),
        ),
        (
            "/start_year/oneOf/1/maximum",
            Some(f64::from(rules::START_YEAR_MAX)),
        ),
        (
            "/credibility/minimum",
            Some(f64::from(rules::CREDIBILITY_MIN)),
        ),
        (
            "/credibility/maximum",
            Some(f64::from(rules::CREDIBILITY_MAX)),
        ),
        ("/groups/maxItems", n(counts::GROUPS)),
        ("/criteria/maxItems", n(counts::CRITERIA_PER_GROUP)),
        ("/anchors/maxItems", n(counts::ANCHORS)),
        ("/properties/mechanisms/maxItems", n(counts::MECHANISMS)),
        ("/properties/sources/maxItems", n(counts::SOURCES)),
        ("/properties/analysts/maxItems", n(counts::ANALYSTS)),
        ("/scores/maxItems", n(counts::SCORES)),
        ("/properties/scenarios/maxItems", n(counts::SCENARIOS)),
        ("/assumptions/maxItems", n(counts::ASSUMPTIONS)),
        ("/score_overrides/maxItems", n(counts::OVERRIDES)),
        ("/added_mechanisms/maxItems", n(counts::ADDED_MECHANISMS)),
        ("/properties/notes/maxItems", n(counts::NOTES)),
        (
            "/properties/acknowledgements/maxItems",
            n(counts::ACKNOWLEDGEMENTS),
        ),
        ("/rounds/maxItems", n(counts::ROUNDS)),
        ("/consensus/maxItems", n(counts::CONSENSUS)),
        ("/merge_conflicts/maxItems", n(counts::MERGE_CONFLICTS)),
        ("/spread/oneOf/1/minimum", Some(0.0)),
        ("/spread/oneOf/1/maximum", Some(rules::SPREAD_MAX)),
        ("/n/minimum", Some(0.0)),
        ("/n/maximum", n(rules::CONSENSUS_N_MAX)),
        ("/round/minimum", Some(1.0)),
        ("/round/maximum", n(rules::PACKAGE_ROUND_MAX)),
        ("/pairwise/maxItems", n(counts::PAIRWISE)),
        ("/swing/maxItems", n(counts::SWINGS)),
        ("/reasons/maxItems", n(counts::REASONS)),
        (
            "/pairwise/items/properties/value/minimum",
            Some(rules::JUDGEMENT_MIN),
        ),
        (
            "/pairwise/items/properties/value/maximum",
            Some(rules::JUDGEMENT_MAX),
        ),
        ("/rank/minimum", Some(1.0)),
        ("/rank/maximum", Some(f64::from(rules::SWING_RANK_MAX))),
        ("/rating/minimum", Some(0.0)),
        ("/rating/maximum", Some(rules::SWING_RATING_MAX)),
    ];
    let bound = f64::from(rules::SCALE_BOUND);
    if let Some((_, v)) = table.iter().find(|(end, _)| place.ends_with(end)) {
        return *v;
    }
    // Scale bounds, anchor levels, gates and score values: ±SCALE_BOUND.
    let scale_like = ["/min/", "/max/", "/value/", "/at_least/", "/score_value/"];
    if scale_like.iter().any(|s| place.contains(s)) {
        if place.ends_with("/minimum") {
            return Some(-bound);
        }
        if place.ends_with("/maximum") {
            return Some(bound);
        }
    }
    None
}

#[test]
fn every_limit_in_the_schema_is_the_rules_constant() {
    let limits = schema_limits();
    assert!(limits.len() > 40, "the walk found the schema's limits");
    for (place, value) in limits {
        let Some(expected) = rule_for(&place) else {
            panic!(
                "the schema limit {place} = {value} has no rule: add it to model::rules and to this table"
            );
        };
        assert_eq!(
            value, expected,
            "{place}: the schema says {value}, the rules {expected}"
        );
    }
}

#[test]
fn the_id_pattern_is_the_rules_id_syntax() {
    let doc: Value = serde_json::from_str(schema::SCHEMA_TEXT).unwrap();
    let pattern = doc["$defs"]["id"]["pattern"].as_str().unwrap();
    assert_eq!(
        pattern,
        format!("^[a-z0-9][a-z0-9-]{{0,{}}}$", rules::ID_MAX_LEN - 1)
    );
}

/// The sample as a migrated document.
fn sample() -> Value {
    serde_json::from_str(bundled::SAMPLE).unwrap()
}

/// (schema accepts, rules accept) for a document.
fn verdicts(doc: &Value) -> (bool, bool) {
    let by_schema = schema::check(doc, 5).is_empty();
    let by_rules = persist::convert_checked(doc).is_ok();
    (by_schema, by_rules)
}

fn text(n: usize) -> Value {
    Value::String("é".repeat(n))
}

type Edit = Box<dyn Fn(&mut Value)>;

/// Crafted edge cases: each limit at its value (accepted) and one past it (refused).
fn edge_cases() -> Vec<(String, Edit, bool)> {
    let mut cases: Vec<(String, Edit, bool)> = Vec::new();
    let mut both = |name: &str, at: Edit, past: Edit| {
        cases.push((format!("{name} at the limit"), at, true));
        cases.push((format!("{name} past the limit"), past, false));
    };
    let (name, short, long) = (
        rules::NAME_MAX_CHARS,
        rules::SHORT_MAX_CHARS,
        rules::TEXT_MAX_CHARS,
    );
    both(
        "a mechanism's name",
        Box::new(move |d| d["mechanisms"][0]["name"] = text(name)),
        Box::new(move |d| d["mechanisms"][0]["name"] = text(name + 1)),
    );
    both(
        "the project's title",
        Box::new(move |d| d["project"]["title"] = text(name)),
        Box::new(move |d| d["project"]["title"] = text(name + 1)),
    );
    both(
        "a criterion's definition",
        Box::new(move |d| d["framework"]["groups"][0]["criteria"][0]["definition"] = text(long)),
        Box::new(move |d| {
            d["framework"]["groups"][0]["criteria"][0]["definition"] = text(long + 1)
        }),
    );
    both(
        "the author",
        Box::new(move |d| d["project"]["author"] = text(short)),
        Box::new(move |d| d["project"]["author"] = text(short + 1)),
    );
    both(
        "a region",
        Box::new(move |d| d["mechanisms"][1]["regions"] = json!([text(short)])),
        Box::new(move |d| d["mechanisms"][1]["regions"] = json!([text(short + 1)])),
    );
    both(
        "a rationale",
        Box::new(move |d| d["scores"][0]["rationale"] = text(long)),
        Box::new(move |d| d["scores"][0]["rationale"] = text(long + 1)),
    );
    both(
        "a citation",
        Box::new(move |d| d["sources"][0]["citation"] = json!(" ")),
        Box::new(move |d| d["sources"][0]["citation"] = json!("")),
    );
    both(
        "a name of spaces",
        Box::new(move |d| d["analysts"][0]["name"] = json!(" a ")),
        Box::new(move |d| d["analysts"][0]["name"] = json!(" \t ")),
    );
    for (blank, visible) in [("\u{feff}", "\u{85}"), ("\u{a0}\u{3000}", "\u{200b}")] {
        both(
            "a name of invisible characters",
            Box::new(move |d| d["analysts"][0]["name"] = json!(visible)),
            Box::new(move |d| d["analysts"][0]["name"] = json!(blank)),
        );
    }
    let id = rules::ID_MAX_LEN;
    both(
        "a note's id",
        Box::new(move |d| d["notes"] = json!([{"id": "n".repeat(id), "title": "t", "text": ""}])),
        Box::new(move |d| {
            d["notes"] = json!([{"id": "n".repeat(id + 1), "title": "t", "text": ""}])
        }),
    );
    both(
        "an id's first character",
        Box::new(move |d| d["notes"] = json!([{"id": "0-a", "title": "t", "text": ""}])),
        Box::new(move |d| d["notes"] = json!([{"id": "-a", "title": "t", "text": ""}])),
    );
    both(
        "a group weight",
        Box::new(move |d| d["framework"]["groups"][0]["weight"] = json!(rules::WEIGHT_MAX)),
        Box::new(move |d| d["framework"]["groups"][0]["weight"] = json!(rules::WEIGHT_MAX + 1.0)),
    );
    both(
        "a scale bound",
        Box::new(move |d| {
            d["framework"]["groups"][0]["criteria"][0]["scale"] =
                json!({"min": -rules::SCALE_BOUND, "max": -rules::SCALE_BOUND + 4, "anchors": []});
            strip_scores_of(d, 0);
        }),
        Box::new(move |d| {
            d["framework"]["groups"][0]["criteria"][0]["scale"] = json!({"min": -rules::SCALE_BOUND - 1, "max": -rules::SCALE_BOUND + 3, "anchors": []});
            strip_scores_of(d, 0);
        }),
    );
    both(
        "a pairwise judgement",
        Box::new(move |d| {
            let (a, b) = criterion_pair(d);
            d["framework"]["weighting"] = json!({"criteria": {group0(d): {"pairwise": [{"a": a, "b": b, "value": rules::JUDGEMENT_MAX}]}}});
        }),
        Box::new(move |d| {
            let (a, b) = criterion_pair(d);
            d["framework"]["weighting"] = json!({"criteria": {group0(d): {"pairwise": [{"a": a, "b": b, "value": rules::JUDGEMENT_MAX + 0.5}]}}});
        }),
    );
    both(
        "a small pairwise judgement",
        Box::new(move |d| {
            let (a, b) = criterion_pair(d);
            d["framework"]["weighting"] = json!({"criteria": {group0(d): {"pairwise": [{"a": a, "b": b, "value": rules::JUDGEMENT_MIN}]}}});
        }),
        Box::new(move |d| {
            let (a, b) = criterion_pair(d);
            d["framework"]["weighting"] =
                json!({"criteria": {group0(d): {"pairwise": [{"a": a, "b": b, "value": 0.11}]}}});
        }),
    );
    both(
        "a swing's rating",
        Box::new(move |d| {
            let (a, _) = criterion_pair(d);
            d["framework"]["weighting"] = json!({"criteria": {group0(d): {"swing": [{"id": a, "rank": 1, "rating": rules::SWING_RATING_MAX}]}}});
        }),
        Box::new(move |d| {
            let (a, _) = criterion_pair(d);
            d["framework"]["weighting"] = json!({"criteria": {group0(d): {"swing": [{"id": a, "rank": 1, "rating": rules::SWING_RATING_MAX + 1.0}]}}});
        }),
    );
    both(
        "a swing's rank",
        Box::new(move |d| {
            let (a, _) = criterion_pair(d);
            d["framework"]["weighting"] = json!({"criteria": {group0(d): {"swing": [{"id": a, "rank": rules::SWING_RANK_MAX, "rating": 100}]}}});
        }),
        Box::new(move |d| {
            let (a, _) = criterion_pair(d);
            d["framework"]["weighting"] =
                json!({"criteria": {group0(d): {"swing": [{"id": a, "rank": 0, "rating": 100}]}}});
        }),
    );
    both(
        "a start year",
        Box::new(move |d| d["mechanisms"][0]["start_year"] = json!(rules::START_YEAR_MAX)),
        Box::new(move |d| d["mechanisms"][0]["start_year"] = json!(rules::START_YEAR_MAX + 1)),
    );
    both(
        "a credibility grade",
        Box::new(move |d| d["sources"][0]["credibility"] = json!(rules::CREDIBILITY_MAX)),
        Box::new(move |d| d["sources"][0]["credibility"] = json!(rules::CREDIBILITY_MAX + 1)),
    );
    both(
        "the number of notes",
        Box::new(move |d| d["notes"] = notes(counts::NOTES)),
        Box::new(move |d| d["notes"] = notes(counts::NOTES + 1)),
    );
    both(
        "the number of assumptions",
        Box::new(move |d| d["scenarios"][0]["assumptions"] = json!(vec!["a"; counts::ASSUMPTIONS])),
        Box::new(move |d| {
            d["scenarios"][0]["assumptions"] = json!(vec!["a"; counts::ASSUMPTIONS + 1])
        }),
    );
    both(
        "a criterion's coding rule",
        Box::new(move |d| d["framework"]["groups"][0]["criteria"][0]["coding"] = text(long)),
        Box::new(move |d| d["framework"]["groups"][0]["criteria"][0]["coding"] = text(long + 1)),
    );
    both(
        "a source's origin",
        Box::new(move |d| d["sources"][0]["origin"] = json!("assessed_state")),
        Box::new(move |d| d["sources"][0]["origin"] = json!("state")),
    );
    both(
        "the source a source derives from",
        Box::new(move |d| {
            let up = d["sources"][1]["id"].clone();
            d["sources"][0]["derived_from"] = up;
        }),
        Box::new(move |d| d["sources"][0]["derived_from"] = json!("-x")),
    );
    both(
        "a score's basis",
        Box::new(move |d| d["scores"][0]["basis"] = json!("documented")),
        Box::new(move |d| d["scores"][0]["basis"] = json!("proven")),
    );
    both(
        "an override's basis",
        Box::new(move |d| d["scenarios"][0]["score_overrides"][0]["basis"] = json!("claim")),
        Box::new(move |d| d["scenarios"][0]["score_overrides"][0]["basis"] = json!("")),
    );
    both(
        "the value a rationale was written for",
        Box::new(move |d| d["scores"][0]["rationale_for"] = json!(-rules::SCALE_BOUND)),
        Box::new(move |d| d["scores"][0]["rationale_for"] = json!(-rules::SCALE_BOUND - 1)),
    );
    both(
        "an acknowledgement's reason",
        Box::new(move |d| {
            d["acknowledgements"] = json!([{"finding": "no-source:a/b/c", "reason": text(long)}])
        }),
        Box::new(move |d| {
            d["acknowledgements"] =
                json!([{"finding": "no-source:a/b/c", "reason": text(long + 1)}])
        }),
    );
    both(
        "an acknowledged finding's id",
        Box::new(move |d| d["acknowledgements"] = json!([{"finding": text(name), "reason": ""}])),
        Box::new(move |d| d["acknowledgements"] = json!([{"finding": " ", "reason": ""}])),
    );
    let hex = |n: usize| "0123456789abcdef".repeat(3)[..n].to_string();
    both(
        "a package key's length",
        Box::new(move |d| d["workshop"]["package_key"] = json!(hex(rules::SECRET_HEX_DIGITS))),
        Box::new(move |d| d["workshop"]["package_key"] = json!(hex(rules::SECRET_HEX_DIGITS + 1))),
    );
    both(
        "a package key's digits",
        Box::new(move |d| {
            d["workshop"]["package_key"] = json!("f".repeat(rules::SECRET_HEX_DIGITS))
        }),
        Box::new(move |d| {
            d["workshop"]["package_key"] = json!("F".repeat(rules::SECRET_HEX_DIGITS))
        }),
    );
    cases
}

/// The first group's id, and the ids of its first two criteria.
fn group0(d: &Value) -> String {
    d["framework"]["groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn criterion_pair(d: &Value) -> (String, String) {
    let c = &d["framework"]["groups"][0]["criteria"];
    (
        c[0]["id"].as_str().unwrap().to_string(),
        c[1]["id"].as_str().unwrap().to_string(),
    )
}

fn notes(n: usize) -> Value {
    Value::Array(
        (0..n)
            .map(|i| json!({"id": format!("n{i}"), "title": "", "text": ""}))
            .collect(),
    )
}

/// Removes the scores and overrides of the first criterion, so its scale can change.
fn strip_scores_of(d: &mut Value, criterion: usize) {
    let id = d["framework"]["groups"][0]["criteria"][criterion]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let keep = |s: &Value| s["criterion"] != id.as_str();
    let scores = d["scores"].as_array_mut().unwrap();
    scores.retain(keep);
    for sc in d["scenarios"].as_array_mut().unwrap() {
        sc["score_overrides"].as_array_mut().unwrap().retain(keep);
        if let Some(w) = sc["criterion_weights"].as_object_mut() {
            w.remove(&id);
        }
    }
    if let Some(g) = d["framework"]["groups"][0]["criteria"][criterion].get_mut("gate") {
        *g = Value::Null;
    }
}

#[test]
fn schema_and_rules_agree_on_every_edge_case() {
    let base = sample();
    assert_eq!(verdicts(&base), (true, true), "the sample passes both");
    for (name, edit, accepted) in edge_cases() {
        let mut doc = base.clone();
        edit(&mut doc);
        let (by_schema, by_rules) = verdicts(&doc);
        assert_eq!(
            (by_schema, by_rules),
            (accepted, accepted),
            "{name}: schema accepts = {by_schema}, rules accept = {by_rules}; {:?}",
            persist::convert_checked(&doc).err()
        );
    }
}

#[test]
fn goldens_fixtures_and_bundled_files_pass_both() {
    let mut files: Vec<(String, String)> = bundled::TEMPLATES
        .iter()
        .map(|(n, t)| (format!("template {n}"), t.to_string()))
        .collect();
    files.push(("sample".into(), bundled::SAMPLE.into()));
    for dir in ["tests/golden", "tests/fixtures", "sample_projects"] {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.extension().is_some_and(|x| x == "json") {
                files.push((
                    p.display().to_string(),
                    std::fs::read_to_string(&p).unwrap(),
                ));
            }
        }
    }
    for (name, text) in files {
        let doc: Value = serde_json::from_str(&text).unwrap();
        let Ok((doc, _)) = persist::migrate::migrate(doc) else {
            panic!("{name} migrates")
        };
        assert_eq!(verdicts(&doc), (true, true), "{name}");
    }
}

#[test]
fn whatever_the_rules_accept_the_schema_accepts_on_mutated_samples() {
    // A cheap fuzz: blank, lengthen or drop fields all over the sample; the rules may
    // refuse more than the schema (references, unique ids, scales), never less.
    let base = sample();
    let places: Vec<String> = common::json::places(&base)
        .into_iter()
        .filter(|(_, v)| v.is_string())
        .map(|(place, _)| place)
        .collect();
    let mut checked = 0;
    for (i, place) in places.iter().enumerate().step_by(7) {
        for variant in 0..3 {
            let mut doc = base.clone();
            let Some(v) = doc.pointer_mut(place) else {
                continue;
            };
            *v = match variant {
                0 => json!(""),
                1 => text(rules::TEXT_MAX_CHARS + 1 + i % 3),
                _ => json!("  "),
            };
            let (by_schema, by_rules) = verdicts(&doc);
            assert!(
                by_schema || !by_rules,
                "{place} variant {variant}: the rules accept what the schema refuses"
            );
            if by_schema && !by_rules {
                let problems = persist::convert_checked(&doc).unwrap_err();
                assert!(
                    problems
                        .iter()
                        .all(|p| !p.to_string().contains("characters long")),
                    "{place}: a length rule the schema does not state: {problems:?}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 100, "{checked} mutations checked");
}
