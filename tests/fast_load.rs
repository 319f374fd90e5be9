//! The fast loader (`persist::load_fast`: the text read straight into the file types,
//! then the project rules) must accept exactly what the full path
//! (`persist::load_str_checked`: `Value` tree, duplicate keys, migration, schema, rules)
//! accepts, and give the same project. Checked side by side on the goldens, the
//! fixtures, the sample projects and templates, and crafted edge cases: keys written
//! twice (in structs, weight maps and free values), unknown fields, wrong types, every
//! length limit, nesting, versions, and line-level mutations of the sample.

mod common;

use policy_workbench::bundled;
use policy_workbench::generate::{self, GenSpec};
use policy_workbench::persist::{self, CURRENT_VERSION};
use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;
use serde_json::{Value, json};

/// The verdict of both paths on `text`; panics when they disagree. True when accepted.
fn agree(name: &str, text: &str) -> bool {
    let fast = persist::load_fast(text);
    let full = persist::load_str_checked(text);
    let combined = persist::load_str(text);
    assert_eq!(
        combined.is_ok(),
        full.is_ok(),
        "{name}: load_str and the full path disagree"
    );
    match (fast, full) {
        (Some(f), Ok(c)) => {
            assert!(f.project == c.project, "{name}: the two paths differ");
            assert_eq!(f.from_version, c.from_version, "{name}");
            assert!(combined.unwrap().project == c.project, "{name}");
            true
        }
        (None, Err(_)) => false,
        (Some(_), Err(e)) => {
            panic!("{name}: the fast path accepts what the full path refuses: {e}")
        }
        (None, Ok(c)) => {
            assert!(
                c.from_version < CURRENT_VERSION,
                "{name}: the fast path declines a current file that the full path accepts"
            );
            true
        }
    }
}

fn files() -> Vec<(String, String)> {
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
    let spec = GenSpec {
        mechanisms: 20,
        criteria: 7,
        analysts: 3,
        scenarios: 3,
        sources: 9,
        seed: 5,
    };
    files.push((
        "generated".into(),
        persist::to_canonical_string(&generate::project(&spec)),
    ));
    files
}

#[test]
fn every_shipped_and_golden_file_loads_the_same_on_both_paths() {
    for (name, text) in files() {
        assert!(agree(&name, &text), "{name} loads");
        // Its canonical text too, and with a byte-order mark.
        let canonical = persist::to_canonical_string(&persist::load_str(&text).unwrap().project);
        assert!(agree(&format!("{name}, canonical"), &canonical));
        assert!(persist::load_fast(&canonical).is_some(), "{name}: fast");
        assert!(agree(
            &format!("{name}, BOM"),
            &format!("\u{feff}{canonical}")
        ));
    }
    let v1 = std::fs::read_to_string("tests/golden/v1.json").unwrap();
    assert!(
        persist::load_fast(&v1).is_none(),
        "older versions take the full path"
    );
    assert_eq!(persist::load_str(&v1).unwrap().from_version, 1);
}

/// The sample as a `Value`.
fn sample() -> Value {
    serde_json::from_str(bundled::SAMPLE).unwrap()
}

const HOLE: &str = "\"@@raw@@\"";

/// The sample's text with the value at `pointer` replaced by the raw text `raw`.
fn with_raw(doc: &Value, pointer: &str, raw: &str) -> String {
    let mut doc = doc.clone();
    // LAST: the last viewpoint (the one `rich` adds).
    let last = doc["framework"]["viewpoints"]
        .as_array()
        .map_or(0, |l| l.len().saturating_sub(1));
    let pointer = &pointer.replace("LAST", &last.to_string());
    *doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("{pointer} exists")) = json!("@@raw@@");
    let text = serde_json::to_string_pretty(&doc).unwrap();
    assert_eq!(text.matches(HOLE).count(), 1);
    text.replace(HOLE, raw)
}

/// The sample with one scenario and one viewpoint carrying weight maps, and one merge
/// conflict: places where maps and free values are read.
fn rich() -> Value {
    let mut d = sample();
    let group = d["framework"]["groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let crit = d["framework"]["groups"][0]["criteria"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    d["scenarios"][0]["group_weights"] = json!({ group.clone(): 2 });
    d["scenarios"][0]["criterion_weights"] = json!({ crit: 1.5 });
    let viewpoint = json!({
        "id": "vp", "name": "A view", "perspective": "someone", "reading": "benefit",
        "group_weights": { group: 1 }
    });
    match d["framework"]["viewpoints"].as_array_mut() {
        Some(list) => list.push(viewpoint),
        None => d["framework"]["viewpoints"] = json!([viewpoint]),
    }
    d["merge_conflicts"] = json!([{
        "path": "/project/title", "ours": "a", "theirs": {"x": [1, {"y": null}]}
    }]);
    d
}

#[test]
fn the_rich_sample_loads_on_both_paths() {
    let text = serde_json::to_string_pretty(&rich()).unwrap();
    if let Err(e) = persist::load_str_checked(&text) {
        panic!("the rich sample is valid: {e}");
    }
    assert!(agree("rich", &text));
}

#[test]
fn keys_written_twice_are_refused_on_both_paths() {
    let d = rich();
    let group = d["framework"]["groups"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let cases = [
        ("/project/title", r#""a", "title": "b""#.to_string()),
        (
            "/scenarios/0/group_weights",
            format!(r#"{{"{group}": 1, "{group}": 2}}"#),
        ),
        (
            "/scenarios/0/criterion_weights",
            r#"{"x": 1, "x": 1}"#.to_string(),
        ),
        (
            "/framework/viewpoints/LAST/group_weights",
            format!(r#"{{"{group}": 1, "{group}": 1}}"#),
        ),
        (
            "/merge_conflicts/0/theirs",
            r#"{"x": [1, {"y": null, "y": 2}]}"#.to_string(),
        ),
        (
            "/merge_conflicts/0/ours",
            r#"{"a": 1, "\u0061": 1}"#.to_string(),
        ),
        ("/scores/0/value", r#"1, "value": 2"#.to_string()),
        ("/workshop/rounds", r#"[], "rounds": []"#.to_string()),
    ];
    for (at, raw) in cases {
        assert!(
            !agree(&format!("twice at {at}"), &with_raw(&d, at, &raw)),
            "{at}"
        );
    }
    // An escaped key is the same key: once is fine, beside itself it is twice.
    let ok = with_raw(&d, "/merge_conflicts/0/ours", r#"{"\u0061": 1, "b": 2}"#);
    assert!(agree("escaped key", &ok));
    let escaped_field = bundled::SAMPLE.replacen("\"title\"", "\"\\u0074itle\"", 1);
    assert!(agree("escaped field name", &escaped_field));
}

#[test]
fn unknown_fields_wrong_types_and_versions_agree() {
    let d = rich();
    let mut accepted = 0;
    let mut refused = 0;
    let mut count = |ok: bool| {
        if ok { accepted += 1 } else { refused += 1 }
    };
    for at in [
        "",
        "/project",
        "/framework",
        "/framework/groups/0",
        "/framework/groups/0/criteria/0/scale",
        "/mechanisms/0",
        "/scores/0",
        "/workshop",
        "/scenarios/0",
        "/merge_conflicts/0",
        "/framework/viewpoints/0",
    ] {
        let mut doc = d.clone();
        doc.pointer_mut(at).unwrap()["zz_unknown"] = json!(1);
        count(agree(
            &format!("unknown field at {at}"),
            &serde_json::to_string(&doc).unwrap(),
        ));
    }
    // Kinds of value at leaves and containers: a stride of them, a few kinds each
    // (PW_FAST_LOAD_ALL=1: every place, every kind — minutes in a release build).
    let all = std::env::var_os("PW_FAST_LOAD_ALL").is_some();
    let places: Vec<String> = common::json::places(&d)
        .into_iter()
        .map(|(place, _)| place)
        .collect();
    let raws = [
        "null",
        "true",
        "0",
        "1",
        "-1",
        "2.0",
        "1.5",
        "1e2",
        "300",
        "-0",
        "\"\"",
        "\" \"",
        "\"x\"",
        "\"not_assessed\"",
        "[]",
        "{}",
        "[1]",
        "{\"at_least\": 2}",
    ];
    for (i, at) in places.iter().enumerate() {
        let stride = if at.starts_with("/scores/") { 101 } else { 11 };
        if !all && i % stride != 0 {
            continue;
        }
        for (k, raw) in raws.iter().enumerate() {
            if all || (k + i) % (raws.len() / 4) == 0 {
                count(agree(&format!("{raw} at {at}"), &with_raw(&d, at, raw)));
            }
        }
    }
    // Each field left out (a stride of them; every one with PW_FAST_LOAD_ALL).
    for (i, at) in places.iter().enumerate() {
        let stride = if at.starts_with("/scores/") { 101 } else { 11 };
        let (parent, key) = at.rsplit_once('/').expect("a place");
        if !all && i % stride != 0 {
            continue;
        }
        let mut doc = d.clone();
        let Some(Value::Object(map)) = doc.pointer_mut(parent) else {
            continue;
        };
        map.shift_remove(&key.replace("~1", "/").replace("~0", "~"));
        count(agree(
            &format!("{at} left out"),
            &serde_json::to_string(&doc).unwrap(),
        ));
    }
    for v in ["1", "2", "3", "\"2\"", "2.0", "0", "-1", "null", "1e0"] {
        count(agree(
            &format!("schema_version {v}"),
            &with_raw(&d, "/schema_version", v),
        ));
    }
    for (at, v) in [
        ("/sources/0/credibility", "3.0"),
        ("/sources/0/credibility", "1e0"),
        ("/framework/groups/0/criteria/0/scale/min", "0.0"),
        ("/mechanisms/0/start_year", "1800"),
        ("/mechanisms/0/start_year", "1799"),
        ("/mechanisms/0/start_year", "2200"),
        ("/mechanisms/0/start_year", "2201"),
        ("/mechanisms/0/start_year", "2000.5"),
        ("/framework/groups/0/weight", "1e-320"),
        ("/framework/groups/0/weight", "18446744073709551616"),
    ] {
        count(agree(&format!("{v} at {at}"), &with_raw(&d, at, v)));
    }
    assert!(accepted > 20 && refused > 50, "{accepted} / {refused}");
}

#[test]
fn limits_nesting_and_odd_texts_agree() {
    use policy_workbench::model::rules;
    let d = rich();
    let long = |n: usize| format!("\"{}\"", "é".repeat(n));
    for (at, n) in [
        ("/project/title", rules::NAME_MAX_CHARS),
        ("/mechanisms/0/name", rules::NAME_MAX_CHARS),
        ("/project/author", rules::SHORT_MAX_CHARS),
        ("/scores/0/rationale", rules::TEXT_MAX_CHARS),
        (
            "/framework/groups/0/criteria/0/definition",
            rules::TEXT_MAX_CHARS,
        ),
    ] {
        assert!(agree(
            &format!("{at} at the limit"),
            &with_raw(&d, at, &long(n))
        ));
        assert!(!agree(
            &format!("{at} past the limit"),
            &with_raw(&d, at, &long(n + 1))
        ));
    }
    let ids = format!("[{}]", vec!["\"a\""; rules::counts::IDS + 1].join(","));
    agree("too many tags", &with_raw(&d, "/mechanisms/0/tags", &ids));
    for depth in [10, 100, 126, 127, 128, 200, 1000] {
        let raw = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        agree(
            &format!("nesting {depth}"),
            &with_raw(&d, "/merge_conflicts/0/ours", &raw),
        );
    }
    let canonical = serde_json::to_string_pretty(&d).unwrap();
    for (name, text) in [
        ("empty", String::new()),
        ("null", "null".into()),
        ("a list", "[]".into()),
        ("an object", "{}".into()),
        ("trailing space", format!("{canonical}\n\n  ")),
        ("trailing text", format!("{canonical} x")),
        ("two documents", format!("{canonical}{canonical}")),
        ("truncated", canonical[..canonical.len() / 2].to_string()),
    ] {
        agree(name, &text);
    }
}

#[test]
fn line_mutations_of_the_sample_agree() {
    // Drop, repeat or swap lines of the canonical sample: repeated lines make keys
    // written twice, dropped ones missing fields and syntax errors.
    let text = serde_json::to_string_pretty(&rich()).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut rng = Pcg64::seed_from_u64(20);
    let mut accepted = 0;
    for round in 0..150 {
        let mut l = lines.clone();
        let i = rng.random_range(1..l.len() - 1);
        match round % 3 {
            0 => {
                l.remove(i);
            }
            1 => l.insert(i, lines[i]),
            _ => {
                let j = rng.random_range(1..l.len() - 1);
                l.swap(i, j);
            }
        }
        if agree(&format!("mutation {round} at line {i}"), &l.join("\n")) {
            accepted += 1;
        }
    }
    assert!(accepted > 5, "some mutations still load ({accepted})");
}

/// A generated project whose score list (over 1 MB) the fast path reads in pieces on
/// several threads (`persist::split`).
fn large() -> String {
    persist::to_canonical_string(&generate::project(&GenSpec::SPLIT_LIST))
}

#[test]
fn a_large_score_list_read_in_pieces_agrees_with_one_pass() {
    let text = large();
    assert!(agree("large", &text));
    assert!(persist::load_fast(&text).is_some(), "large: fast");
    let list = text.find("\n  \"scores\": [").expect("the list") + 13;
    let end = text.rfind("\n  ],\n  \"scenarios\"").expect("its end") + 3;
    let middle = list + (end - list) / 2;
    let past = |from: &str, to: &str| {
        let at = middle + text[middle..].find(from).expect("a place past the middle");
        format!("{}{to}{}", &text[..at], &text[at + from.len()..])
    };
    let stand_in = "\"score list read apart\"";
    let first_cell = text[list..].find("\n    }").expect("a cell") + list + 6;
    let cases = [
        (
            "compact",
            serde_json::to_string(&serde_json::from_str::<Value>(&text).unwrap()).unwrap(),
        ),
        (
            "the stand-in as the list",
            format!("{}{stand_in}{}", &text[..list], &text[end..]),
        ),
        (
            "the stand-in as a rationale",
            past(
                "\"rationale\": \"",
                &format!("\"rationale\": {stand_in}, \"x\": \""),
            ),
        ),
        (
            "the stand-in in a rationale",
            past(
                "\"rationale\": \"",
                "\"rationale\": \"score list read apart ",
            ),
        ),
        ("a wrong type past the middle", past("\"high\"", "3")),
        (
            "an unknown field past the middle",
            past("\"rationale\"", "\"zz\": 1, \"rationale\""),
        ),
        (
            "a cell written twice across the cut",
            format!(
                "{},{}{}",
                &text[..end - 4],
                &text[list + 1..first_cell],
                &text[end - 4..]
            ),
        ),
        (
            "a trailing comma",
            format!("{},{}", &text[..end - 4], &text[end - 4..]),
        ),
        (
            "an empty value past the middle",
            past("\n    },\n    {", "\n    },\n    ,{"),
        ),
        (
            "a list in the list",
            past("\n    },\n    {", "\n    },\n    [],\n    {"),
        ),
        (
            "a cell cut in two",
            past(
                "\n      \"rationale\"",
                "\n    },\n    {\n      \"rationale\"",
            ),
        ),
        (
            "a key twice past the middle",
            past("\"confidence\"", "\"confidence\": \"low\", \"confidence\""),
        ),
        (
            "the list twice",
            format!("{},\n  \"scores\": []{}", &text[..end], &text[end..]),
        ),
    ];
    let mut accepted = 0;
    for (name, t) in &cases {
        if agree(name, t) {
            accepted += 1;
        }
    }
    assert!(
        accepted >= 2,
        "the compact text and a rationale load ({accepted})"
    );
}
