//! Scenario comparison: totals, ranks, attribution and sentences on a project whose
//! numbers are computed by hand (tests/fixtures/scenarios.json); the `compare` command
//! (table, JSON, exit codes); the comparison charts (bump, arrows, rank acceptability)
//! as PNG and SVG, and `export --scenario`.
//!
//! The fixture: one analyst; groups Requirements (r1), Responsibility (o1), Influence
//! (i1) and Concerns (c1, c2, cost), weight 1 each, every criterion weight 1, scales
//! 0–4. An index is value/4·100 (concerns: the mean of c1 and c2 on the same scale),
//! and the total is (R + O + I + (100 − C)) / 4.
//!
//! | mech. | r1 o1 i1 c1 c2 | R   O   I   C    | total  | rank |
//! |-------|----------------|------------------|--------|------|
//! | Alpha | 4  4  2  4  3  | 100 100 50 87.5  | 65.625 | 2    |
//! | Bravo | 2  2  4  0  0  | 50  50  100 0    | 75     | 1    |
//! | Charlie | 3 2 2 2 2    | 75  50  50  50   | 56.25  | 4    |
//! | Delta | 2  3  2  1  1  | 50  75  50  25   | 62.5   | 3    |
//! | Echo  | 1  1  1  2  0  | 25  25  25  25   | 37.5   | 5    |
//!
//! Scenario s1 "Concerns first": the concerns group weighs 2, so a total is
//! (R + O + I + 2(100 − C)) / 5; Charlie's i1 rises 2 → 3; Echo is excluded; Foxtrot
//! (r1 4, o1 2, i1 2, c1 1, c2 1: R 100, O 50, I 50, C 25) is added.
//!   Alpha (250 + 25)/5 = 55; Bravo (200 + 200)/5 = 80; Charlie (75+50+75 + 100)/5 = 60;
//!   Delta (175 + 150)/5 = 65; Foxtrot (200 + 150)/5 = 70.
//!   Ranks: Bravo 1, Foxtrot 2, Delta 3, Charlie 4, Alpha 5.
//!   Weight alone (baseline scores): Alpha 55 (−10.625), Bravo 80 (+5), Charlie 55
//!   (−1.25), Delta 65 (+2.5). Charlie's score alone (weights 1): (75+50+75+50)/4 = 62.5
//!   (+6.25). Charlie's interaction: 3.75 − (−1.25 + 6.25) = −1.25.
//!
//! Scenario s2 "Friction weighs more": c1 weighs 3 in its group, so C = (3·c1 + c2)/16
//! ·100; Delta's o1 falls 3 → 1; Bravo is excluded.
//!   Alpha: C = 93.75, (250 + 6.25)/4 = 64.0625; Charlie: C = 50, 56.25; Delta: O = 25,
//!   C = 25, (50+25+50+75)/4 = 50; Echo: C = 37.5, (75 + 62.5)/4 = 34.375.
//!   Ranks: Alpha 1, Charlie 2, Delta 3, Echo 4.

mod common;

use std::collections::HashSet;
use std::path::Path;

use common::*;
use policy_workbench::charts::{
    self, AcceptabilityInput, ArrowsInput, BumpInput, ChartKind, ChartOptions,
};
use policy_workbench::compute::compare::{
    self, Change, Comparison, Explanation, Presence, rank_paths,
};
use policy_workbench::compute::{self, Selection, smaa};
use policy_workbench::model::{Project, ScoreValue};

fn fixture_project() -> Project {
    policy_workbench::persist::load_path(&fixture("scenarios.json"))
        .expect("the fixture loads")
        .project
}

fn sel(id: Option<&str>) -> Selection {
    Selection {
        scenario: id.map(str::to_string),
        ..Selection::default()
    }
}

fn cmp(p: &Project, a: Option<&str>, b: Option<&str>) -> Comparison {
    compare::compare(p, &sel(a), &sel(b)).expect("known scenarios")
}

fn close(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-9, "{a} != {b}");
}

fn explanation<'a>(c: &'a Comparison, id: &str) -> &'a Explanation {
    c.explanation(id)
        .unwrap_or_else(|| panic!("{id} is explained"))
}

/// Δrank = |passed by| + |new ahead| − |passed| − |left ahead|, for every mechanism
/// ranked on both sides.
fn check_rank_identity(c: &Comparison) {
    for e in &c.explanations {
        if let (Some(a), Some(b)) = (e.baseline_rank, e.scenario_rank) {
            let d = b as i64 - a as i64;
            let parts = e.passed_by.len() as i64 + e.new_ahead.len() as i64
                - e.passed.len() as i64
                - e.left_ahead.len() as i64;
            assert_eq!(d, parts, "{}: {e:?}", e.mechanism_id);
        }
    }
    // And the mechanisms that do not appear in the explanations did not move.
    for m in &c.mechanisms {
        if c.explanation(&m.id).is_none() {
            assert_eq!(m.rank_delta(), Some(0), "{}", m.id);
            assert!(m.total_delta().unwrap().abs() < 1e-9, "{}", m.id);
        }
    }
}

#[test]
fn base_against_scenario_one_by_hand() {
    let p = fixture_project();
    let c = cmp(&p, None, Some("s1"));
    assert_eq!(c.baseline.label, "Base assessment");
    assert!(!c.baseline.hypothetical);
    assert_eq!(c.scenario.label, "Concerns first");
    assert!(c.scenario.hypothetical);

    // Rows: baseline rank order, then the scenario's own.
    let ids: Vec<&str> = c.mechanisms.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["b", "a", "d", "c", "e", "f"]);
    let totals = |id: &str| {
        let m = c.mechanism(id).unwrap();
        (
            m.baseline.as_ref().and_then(|v| v.total),
            m.scenario.as_ref().and_then(|v| v.total),
            m.baseline.as_ref().and_then(|v| v.rank),
            m.scenario.as_ref().and_then(|v| v.rank),
        )
    };
    assert_eq!(totals("a"), (Some(65.625), Some(55.0), Some(2), Some(5)));
    assert_eq!(totals("b"), (Some(75.0), Some(80.0), Some(1), Some(1)));
    assert_eq!(totals("c"), (Some(56.25), Some(60.0), Some(4), Some(4)));
    assert_eq!(totals("d"), (Some(62.5), Some(65.0), Some(3), Some(3)));
    assert_eq!(totals("e"), (Some(37.5), None, Some(5), None));
    assert_eq!(totals("f"), (None, Some(70.0), None, Some(2)));
    let a = c.mechanism("a").unwrap();
    assert_eq!(a.rank_delta(), Some(3));
    close(a.total_delta().unwrap(), -10.625);
    // Group indices on both sides (framework order: req, resp, infl, con).
    let cm = c.mechanism("c").unwrap();
    assert_eq!(
        cm.baseline.as_ref().unwrap().groups,
        vec![Some(75.0), Some(50.0), Some(50.0), Some(50.0)]
    );
    assert_eq!(
        cm.scenario.as_ref().unwrap().groups,
        vec![Some(75.0), Some(50.0), Some(75.0), Some(50.0)]
    );
    let e = c.mechanism("e").unwrap();
    assert_eq!(e.presence, Presence::BaselineOnly);
    assert_eq!(e.presence_reason, "excluded in the scenario");
    let f = c.mechanism("f").unwrap();
    assert_eq!(f.presence, Presence::ScenarioOnly);
    assert_eq!(f.presence_reason, "added in the scenario");

    // What differs.
    assert_eq!(c.changes.len(), 4, "{:#?}", c.changes);
    assert!(matches!(
        &c.changes[0],
        Change::GroupWeight { id, from, to, .. } if id == "con" && *from == 1.0 && *to == 2.0
    ));
    match &c.changes[1] {
        Change::Score {
            mechanism_id,
            criterion_id,
            from,
            to,
            overridden_in_scenario,
            overridden_in_baseline,
            rationale,
            ..
        } => {
            assert_eq!((mechanism_id.as_str(), criterion_id.as_str()), ("c", "i1"));
            assert_eq!(
                (*from, *to),
                (ScoreValue::Value(2.0), ScoreValue::Value(3.0))
            );
            assert!(*overridden_in_scenario && !*overridden_in_baseline);
            assert_eq!(
                rationale.as_deref(),
                Some("Charlie joins the regional secretariat.")
            );
        }
        other => panic!("{other:?}"),
    }
    let texts: Vec<String> = c.changes.iter().map(Change::describe).collect();
    assert_eq!(
        texts,
        [
            "The weight of the group 'Concerns' doubled from 1 to 2.",
            "'Charlie': 'Institutional influence' score rose 2 → 3.",
            "'Echo' is excluded in the scenario.",
            "'Foxtrot' is added in the scenario.",
        ]
    );

    // What moved and why: the biggest rank move first, then by total moved; then
    // those on one side only.
    let order: Vec<&str> = c
        .explanations
        .iter()
        .map(|e| e.mechanism_id.as_str())
        .collect();
    assert_eq!(order, ["a", "b", "c", "d", "e", "f"]);

    let ea = explanation(&c, "a");
    assert_eq!(ea.contributions.len(), 1);
    assert_eq!(ea.contributions[0].change, 0);
    close(ea.contributions[0].effect.unwrap(), -10.625);
    // With the weight alone: Bravo 80, Delta 65, Alpha and Charlie 55 → rank 3 (tied).
    assert_eq!(ea.contributions[0].rank_alone, Some(3));
    close(ea.interaction.unwrap(), 0.0);
    assert_eq!(ea.passed_by, ["d", "c"]);
    assert_eq!(ea.new_ahead, ["f"]);
    assert!(ea.passed.is_empty() && ea.left_ahead.is_empty());
    assert_eq!(
        ea.text,
        "Rank 2 → 5, total 66 → 55 (−11): the weight of the group 'Concerns' doubled \
         from 1 to 2 (−10.6 points). 'Delta' and 'Charlie' passed it. 'Foxtrot' (added in \
         the scenario) now ranks ahead of it."
    );

    let ec = explanation(&c, "c");
    assert_eq!(ec.contributions.len(), 2);
    close(ec.contributions[0].effect.unwrap(), -1.25);
    assert_eq!(ec.contributions[0].rank_alone, Some(3));
    assert_eq!(ec.contributions[1].change, 1);
    close(ec.contributions[1].effect.unwrap(), 6.25);
    // Charlie's score alone: Charlie 62.5 ties Delta for third.
    assert_eq!(ec.contributions[1].rank_alone, Some(3));
    close(ec.interaction.unwrap(), -1.25);
    assert_eq!(ec.passed, ["a"]);
    assert_eq!(ec.new_ahead, ["f"]);
    assert_eq!(
        ec.text,
        "Rank 4 (unchanged), total 56 → 60 (+4): the weight of the group 'Concerns' \
         doubled from 1 to 2 (−1.3 points); its 'Institutional influence' score rose 2 → 3 \
         (+6.3); together the changes take 1.3 more off than their separate effects. It passed 'Alpha'. 'Foxtrot' (added in the \
         scenario) now ranks ahead of it."
    );

    let eb = explanation(&c, "b");
    close(eb.contributions[0].effect.unwrap(), 5.0);
    assert_eq!(
        eb.text,
        "Rank 1 (unchanged), total 75 → 80 (+5): the weight of the group 'Concerns' \
         doubled from 1 to 2 (+5.0 points)."
    );
    assert_eq!(
        explanation(&c, "e").text,
        "Excluded in the scenario (rank 5, total 38 in the baseline)."
    );
    assert_eq!(
        explanation(&c, "f").text,
        "Added in the scenario: rank 2, total 70 in the scenario."
    );
    check_rank_identity(&c);

    // How stable each side is: the sensitivity module's own sentence.
    let fw = &p.framework;
    let mb = compute::effective_matrix(&p, &sel(None)).unwrap();
    let ms = compute::effective_matrix(&p, &sel(Some("s1"))).unwrap();
    assert_eq!(
        c.baseline_stability.describe(),
        compute::sensitivity::first_place_change(fw, &mb).describe()
    );
    assert_eq!(
        c.scenario_stability.describe(),
        compute::sensitivity::first_place_change(fw, &ms).describe()
    );
    assert!(
        c.baseline_stability
            .describe()
            .starts_with("'Bravo' is first.")
    );
}

#[test]
fn base_against_scenario_two_by_hand() {
    let p = fixture_project();
    let c = cmp(&p, None, Some("s2"));
    let kinds: Vec<&str> = c.changes.iter().map(Change::kind_str).collect();
    assert_eq!(kinds, ["criterion_weight", "score", "baseline_only"]);
    assert_eq!(
        c.changes[0].describe(),
        "The weight of 'Sovereignty friction' tripled from 1 to 3."
    );
    assert_eq!(
        c.changes[1].describe(),
        "'Delta': 'Protection of nationals' score fell 3 → 1."
    );

    let ea = explanation(&c, "a");
    assert_eq!((ea.baseline_rank, ea.scenario_rank), (Some(2), Some(1)));
    close(ea.scenario_total.unwrap(), 64.0625);
    close(ea.contributions[0].effect.unwrap(), -1.5625);
    assert_eq!(ea.left_ahead, ["b"]);
    assert_eq!(
        ea.text,
        "Rank 2 → 1, total 66 → 64 (−2): the weight of 'Sovereignty friction' tripled \
         from 1 to 3 (−1.6 points). 'Bravo' (excluded in the scenario) is no longer ranked \
         ahead of it."
    );
    // Charlie's total does not move (c1 = c2, so their weights do not matter): the
    // weight change is not listed; its rank rises because others moved.
    let ec = explanation(&c, "c");
    assert!(ec.contributions.is_empty(), "{:?}", ec.contributions);
    assert_eq!(ec.interaction, None);
    assert_eq!(
        ec.text,
        "Rank 4 → 2, total unchanged (56). It passed 'Delta'. 'Bravo' (excluded in the \
         scenario) is no longer ranked ahead of it."
    );
    let ed = explanation(&c, "d");
    assert_eq!(ed.contributions.len(), 1);
    close(ed.contributions[0].effect.unwrap(), -12.5);
    assert_eq!(ed.contributions[0].rank_alone, Some(4));
    assert_eq!(
        ed.text,
        "Rank 3 (unchanged), total 63 → 50 (−13): its 'Protection of nationals' score \
         fell 3 → 1 (−12.5 points). 'Charlie' passed it. 'Bravo' (excluded in the scenario) \
         is no longer ranked ahead of it."
    );
    let ee = explanation(&c, "e");
    close(ee.contributions[0].effect.unwrap(), -3.125);
    assert_eq!((ee.baseline_rank, ee.scenario_rank), (Some(5), Some(4)));
    check_rank_identity(&c);
}

#[test]
fn a_scenario_can_be_the_baseline() {
    let p = fixture_project();
    let c = cmp(&p, Some("s1"), Some("s2"));
    assert!(c.baseline.hypothetical && c.scenario.hypothetical);
    let kinds: Vec<&str> = c.changes.iter().map(Change::kind_str).collect();
    assert_eq!(
        kinds,
        [
            "group_weight",
            "criterion_weight",
            "score",
            "score",
            "baseline_only",
            "baseline_only",
            "scenario_only"
        ]
    );
    // Charlie's i1 goes back to the base value: overridden in the baseline only.
    match &c.changes[2] {
        Change::Score {
            mechanism_id,
            overridden_in_scenario,
            overridden_in_baseline,
            rationale,
            ..
        } => {
            assert_eq!(mechanism_id, "c");
            assert!(!overridden_in_scenario && *overridden_in_baseline);
            assert_eq!(rationale, &None);
        }
        other => panic!("{other:?}"),
    }
    let reasons: Vec<(&str, &str)> = c
        .mechanisms
        .iter()
        .filter(|m| m.presence != Presence::Both)
        .map(|m| (m.id.as_str(), m.presence_reason.as_str()))
        .collect();
    assert_eq!(
        reasons,
        [
            ("b", "excluded in the scenario"),
            ("f", "added in the baseline scenario only"),
            ("e", "excluded in the baseline scenario"),
        ]
    );
    // Alpha: 55 in s1, 64.0625 in s2. Alone from s1: concerns back to 1 → 65.625
    // (+10.625); c1 weight 3 with concerns at 2 → (250 + 2·6.25)/5 = 52.5 (−2.5);
    // interaction 9.0625 − 8.125 = 0.9375.
    let ea = explanation(&c, "a");
    assert_eq!((ea.baseline_rank, ea.scenario_rank), (Some(5), Some(1)));
    let effects: Vec<f64> = ea.contributions.iter().map(|x| x.effect.unwrap()).collect();
    assert_eq!(effects.len(), 2);
    close(effects[0], 10.625);
    close(effects[1], -2.5);
    close(ea.interaction.unwrap(), 0.9375);
    check_rank_identity(&c);
}

#[test]
fn the_same_selection_on_both_sides_moves_nothing() {
    let p = fixture_project();
    let c = cmp(&p, Some("s1"), Some("s1"));
    assert!(c.changes.is_empty());
    assert!(c.explanations.is_empty());
    let unknown = compare::compare(&p, &sel(None), &sel(Some("nope"))).unwrap_err();
    assert!(unknown.to_string().contains("nope"));
}

#[test]
fn the_sample_comparisons_are_consistent() {
    let p = policy_workbench::bundled::sample();
    for s in &p.scenarios {
        let c = cmp(&p, None, Some(&s.id));
        check_rank_identity(&c);
        assert_eq!(c.mechanisms.len(), p.mechanisms.len());
        // Every score override of the scenario that changes a value is a change.
        let scores = c
            .changes
            .iter()
            .filter(|x| matches!(x, Change::Score { .. }))
            .count();
        assert_eq!(scores, s.score_overrides.len(), "{}", s.id);
        // Per mechanism, the effects plus the interaction give the total change.
        for e in &c.explanations {
            if let (Some(a), Some(b), Some(i)) = (e.baseline_total, e.scenario_total, e.interaction)
            {
                let sum: f64 = e.contributions.iter().filter_map(|x| x.effect).sum();
                assert!((sum + i - (b - a)).abs() < 1e-9, "{}", e.mechanism_id);
            }
        }
        // Deterministic.
        assert_eq!(c, cmp(&p, None, Some(&s.id)));
    }
    let c = cmp(&p, None, Some("europe-closes-stations"));
    let stations = explanation(&c, "overseas-police-stations");
    assert!(
        stations
            .text
            .contains("its 'Organisational structure' score fell 2 → 0"),
        "{}",
        stations.text
    );
}

// ---------------------------------------------------------------------------------
// The command line

fn compare_cli(args: &[&str]) -> std::process::Output {
    let f = fixture("scenarios.json");
    let mut v = vec!["compare", f.to_str().unwrap()];
    v.extend_from_slice(args);
    run(&v)
}

#[test]
fn cli_prints_the_table_the_reasons_and_the_stability() {
    let o = compare_cli(&["--scenarios", "base,s1"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Baseline: Base assessment"), "{out}");
    assert!(
        out.contains("Scenario: Concerns first (hypothetical)"),
        "{out}"
    );
    let rows: Vec<&str> = out.lines().collect();
    let row = |name: &str| {
        rows.iter()
            .find(|l| l.trim_end().ends_with(name) || l.contains(&format!("{name}  [")))
            .unwrap_or_else(|| panic!("a row for {name}: {out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(row("Alpha"), ["2", "5", "↓3", "66", "55", "-11", "Alpha"]);
    assert_eq!(row("Bravo"), ["1", "1", "=", "75", "80", "+5", "Bravo"]);
    assert_eq!(row("Charlie"), ["4", "4", "=", "56", "60", "+4", "Charlie"]);
    assert_eq!(
        row("Echo"),
        [
            "5",
            "—",
            "38",
            "Echo",
            "[excluded",
            "in",
            "the",
            "scenario]"
        ]
    );
    assert_eq!(
        row("Foxtrot"),
        [
            "—",
            "2",
            "70",
            "Foxtrot",
            "[added",
            "in",
            "the",
            "scenario]"
        ]
    );
    // Order: table, differences, reasons, stability.
    let pos = |s: &str| out.find(s).unwrap_or_else(|| panic!("\"{s}\" in {out}"));
    assert!(pos("What differs (4):") < pos("What moved and why:"));
    assert!(pos("What moved and why:") < pos("How stable each ranking is"));
    assert!(out.contains("  - The weight of the group 'Concerns' doubled from 1 to 2."));
    assert!(out.contains("    Rationale: Charlie joins the regional secretariat."));
    assert!(out.contains(
        "  Alpha: Rank 2 → 5, total 66 → 55 (−11): the weight of the group 'Concerns' doubled from 1 to 2 (−10.6 points)."
    ));
    assert!(out.contains("  Baseline: 'Bravo' is first."), "{out}");
    assert!(out.contains("  Scenario: 'Bravo' is first."), "{out}");

    // One id compares it with the base assessment.
    let single = compare_cli(&["--scenarios", "s1"]);
    assert_eq!(single.status.code(), Some(0));
    assert_eq!(stdout(&single), out);
}

#[test]
fn cli_json_is_machine_readable() {
    let o = compare_cli(&["--scenarios", "s1,s2", "--json"]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["baseline"]["scenario"], "s1");
    assert_eq!(v["baseline"]["hypothetical"], true);
    assert_eq!(v["scenario"]["label"], "Friction weighs more");
    assert_eq!(v["changes"][0]["kind"], "group_weight");
    assert_eq!(v["changes"][0]["group"], "con");
    assert_eq!(v["changes"][0]["from"], 2.0);
    assert_eq!(v["changes"][3]["kind"], "score");
    assert_eq!(v["changes"][3]["mechanism"], "d");
    assert_eq!(v["changes"][3]["to"], 1.0);
    assert_eq!(
        v["changes"][3]["rationale"],
        "Delta's consular desk closes."
    );
    let mechs = v["mechanisms"].as_array().unwrap();
    let a = mechs.iter().find(|m| m["id"] == "a").unwrap();
    assert_eq!(a["presence"], "both");
    assert_eq!(a["baseline"]["rank"], 5);
    assert_eq!(a["scenario"]["rank"], 1);
    assert_eq!(a["scenario"]["total"], 64.0625);
    assert_eq!(a["rank_change"], -4);
    assert_eq!(a["total_change"], 9.0625);
    assert_eq!(a["scenario"]["groups"]["con"], 93.75);
    let f = mechs.iter().find(|m| m["id"] == "f").unwrap();
    assert_eq!(f["presence"], "baseline_only");
    assert!(f["scenario"].is_null());
    let ea = v["explanations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["mechanism"] == "a")
        .unwrap();
    assert_eq!(ea["contributions"][0]["effect"], 10.625);
    assert_eq!(ea["interaction"], 0.9375);
    assert!(ea["text"].as_str().unwrap().starts_with("Rank 5 → 1"));
    assert!(
        v["stability"]["baseline"]
            .as_str()
            .unwrap()
            .contains("is first")
    );
}

#[test]
fn cli_errors_use_the_exit_codes() {
    let o = compare_cli(&["--scenarios", "base,nope"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope"), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("s1, s2"),
        "names the scenarios: {}",
        stderr(&o)
    );
    let o = compare_cli(&["--scenarios", "s1,s2,base"]);
    assert_eq!(o.status.code(), Some(2));
    let o = compare_cli(&["--scenarios", "s1", "--analyst", "zed"]);
    assert_eq!(o.status.code(), Some(2));
    let o = compare_cli(&[]);
    assert_eq!(o.status.code(), Some(2), "--scenarios is required");
    let tmp = tempfile::tempdir().unwrap();
    let bad = write(tmp.path(), "bad.json", "{ not json");
    let o = run(&["compare", bad.to_str().unwrap(), "--scenarios", "s1"]);
    assert_eq!(o.status.code(), Some(1));
}

// ---------------------------------------------------------------------------------
// Charts

fn distinct_colours(rgb: &[u8]) -> usize {
    rgb.chunks_exact(3)
        .map(|p| (p[0], p[1], p[2]))
        .collect::<HashSet<_>>()
        .len()
}

fn ink_share(rgb: &[u8]) -> f64 {
    let bg = &rgb[..3];
    rgb.chunks_exact(3).filter(|p| *p != bg).count() as f64 / (rgb.len() / 3) as f64
}

fn check_png(path: &Path, w: u32, h: u32) {
    let img = image::open(path)
        .unwrap_or_else(|e| panic!("{} decodes: {e}", path.display()))
        .to_rgb8();
    assert_eq!(img.dimensions(), (w, h), "{}", path.display());
    assert!(distinct_colours(img.as_raw()) > 40, "{}", path.display());
    assert!(ink_share(img.as_raw()) > 0.02, "{}", path.display());
}

/// Text nodes of a well-formed SVG of the given size.
fn svg_texts(svg: &str, w: u32, h: u32) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.attribute("width"), Some(w.to_string().as_str()));
    assert_eq!(root.attribute("height"), Some(h.to_string().as_str()));
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect()
}

fn opts(w: u32, h: u32, dark: bool) -> ChartOptions {
    let mut o = ChartOptions::new(ChartKind::Quadrant);
    o.width = w;
    o.height = h;
    o.dark = dark;
    o
}

fn gallery() -> Option<std::path::PathBuf> {
    std::env::var_os("PW_CHART_GALLERY").map(std::path::PathBuf::from)
}

fn acceptability_of(p: &Project, sel: &Selection, samples: usize) -> AcceptabilityInput {
    let m = compute::effective_matrix(p, sel).unwrap();
    let run = smaa::smaa(&p.framework, &m, &smaa::SmaaOptions::new(samples, 7)).unwrap();
    AcceptabilityInput::from_smaa(&run, &m, &p.info.title)
}

#[test]
fn every_comparison_chart_exports_as_png_and_svg() {
    let p = fixture_project();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let cols = compare::baseline_and_scenarios(&p, &Selection::default());
    let paths = rank_paths(&p, &cols).unwrap();
    assert_eq!(paths.columns.len(), 3);
    let c = cmp(&p, None, Some("s1"));
    let acc = acceptability_of(&p, &Selection::default(), 2000);
    let o = opts(1000, 700, false);

    let bump = BumpInput::new(&paths, &p.info.title);
    charts::write_bump_png(&dir.join("bump.png"), &bump, &o).unwrap();
    charts::write_bump_svg(&dir.join("bump.svg"), &bump, &o).unwrap();
    check_png(&dir.join("bump.png"), 1000, 700);
    let t = svg_texts(
        &std::fs::read_to_string(dir.join("bump.svg")).unwrap(),
        1000,
        700,
    );
    for want in [
        "How the ranking changes across scenarios",
        "Baseline",
        "Hypothetical scenario",
        "Concerns first",
        "Friction weighs more",
        "Alpha",
        "Foxtrot",
        "↑1",
        "Charlie",
    ] {
        assert!(
            t.iter().any(|x| x.contains(want)),
            "bump shows \"{want}\": {t:?}"
        );
    }
    assert!(
        t.iter()
            .any(|x| x.contains("Not ranked in “Concerns first”: Echo (excluded)")),
        "{t:?}"
    );

    let arrows = ArrowsInput {
        project: &p,
        comparison: &c,
        title_suffix: None,
    };
    charts::write_arrows_png(&dir.join("arrows.png"), &arrows, &o).unwrap();
    charts::write_arrows_svg(&dir.join("arrows.svg"), &arrows, &o).unwrap();
    check_png(&dir.join("arrows.png"), 1000, 700);
    let t = svg_texts(
        &std::fs::read_to_string(dir.join("arrows.svg")).unwrap(),
        1000,
        700,
    );
    for want in [
        "Responsibility × Influence: how the mechanisms move",
        "Scenario (hypothetical): Concerns first",
        "Charlie",
        "High on both",
        "In the baseline only (ring with a cross): Echo.",
        "In the scenario only (bubble without a ring): Foxtrot.",
    ] {
        assert!(
            t.iter().any(|x| x.contains(want)),
            "arrows show \"{want}\": {t:?}"
        );
    }

    charts::write_acceptability_png(&dir.join("acc.png"), &acc, &o).unwrap();
    charts::write_acceptability_svg(&dir.join("acc.svg"), &acc, &o).unwrap();
    check_png(&dir.join("acc.png"), 1000, 700);
    let t = svg_texts(
        &std::fs::read_to_string(dir.join("acc.svg")).unwrap(),
        1000,
        700,
    );
    assert!(
        t.iter()
            .any(|x| x.contains("2,000 Monte Carlo samples (seed 7)")),
        "{t:?}"
    );
    for want in ["Bravo", "Echo", "rank 1", "Share of the samples"] {
        assert!(
            t.iter().any(|x| x.contains(want)),
            "acceptability shows \"{want}\""
        );
    }
    // Nothing else was left in the folder (atomic writes leave no temporary files).
    assert_eq!(std::fs::read_dir(dir).unwrap().count(), 6);
}

#[test]
fn acceptability_rows_are_sorted_by_first_rank_share() {
    let input = AcceptabilityInput {
        names: vec!["Low".into(), "High".into(), "Middle".into()],
        shares: vec![
            vec![0.1, 0.3, 0.6],
            vec![0.7, 0.2, 0.1],
            vec![0.2, 0.5, 0.3],
        ],
        unranked: vec![0.0, 0.0, 0.0],
        samples: 10_000,
        seed: 42,
        method: "criterion weights drawn uniformly; scores fixed".into(),
        title_suffix: None,
        project_title: "T".into(),
    };
    let svg = charts::render_acceptability_svg(&input, &opts(900, 500, false)).unwrap();
    let t = svg_texts(&svg, 900, 500);
    let pos = |s: &str| t.iter().position(|x| x == s).unwrap();
    assert!(
        pos("High") < pos("Middle") && pos("Middle") < pos("Low"),
        "{t:?}"
    );
    assert!(t.contains(&"70%".to_string()));
    assert!(
        t.iter()
            .any(|x| x.contains("10,000 Monte Carlo samples (seed 42)"))
    );
    // Nothing to show: a message, not an error.
    let empty = AcceptabilityInput::default();
    let svg = charts::render_acceptability_svg(&empty, &opts(600, 400, true)).unwrap();
    assert!(svg.contains("No rank acceptability results"));
}

/// The charts of the bundled sample in both themes and at a small size; set
/// PW_CHART_GALLERY=/some/dir to look at them.
#[test]
fn sample_comparison_charts_render_in_every_theme_and_size() {
    let p = policy_workbench::bundled::sample();
    let base = Selection::default();
    let all = rank_paths(&p, &compare::baseline_and_scenarios(&p, &base)).unwrap();
    let acc = acceptability_of(&p, &base, 4000);
    let gallery = gallery();
    for (w, h, dark) in [(1600, 1000, false), (1600, 1000, true), (800, 600, false)] {
        let o = opts(w, h, dark);
        let tag = format!("{}-{w}", if dark { "dark" } else { "light" });
        let mut jobs: Vec<(String, Vec<u8>)> = Vec::new();
        let bump = BumpInput::new(&all, &p.info.title);
        jobs.push((
            format!("bump-all-{tag}"),
            charts::render_bump_rgb(&bump, &o).unwrap(),
        ));
        let svg = charts::render_bump_svg(&bump, &o).unwrap();
        let t = svg_texts(&svg, w, h);
        assert!(t.iter().any(|x| x.starts_with("Hypothetical")));
        for s in &p.scenarios {
            let pair = rank_paths(&p, &[base.clone(), sel(Some(&s.id))]).unwrap();
            let bump = BumpInput::new(&pair, &p.info.title);
            jobs.push((
                format!("bump-{}-{tag}", s.id),
                charts::render_bump_rgb(&bump, &o).unwrap(),
            ));
            let c = cmp(&p, None, Some(&s.id));
            let arrows = ArrowsInput {
                project: &p,
                comparison: &c,
                title_suffix: None,
            };
            jobs.push((
                format!("arrows-{}-{tag}", s.id),
                charts::render_arrows_rgb(&arrows, &o).unwrap(),
            ));
            let svg = charts::render_arrows_svg(&arrows, &o).unwrap();
            svg_texts(&svg, w, h);
        }
        jobs.push((
            format!("acceptability-{tag}"),
            charts::render_acceptability_rgb(&acc, &o).unwrap(),
        ));
        for (name, rgb) in jobs {
            assert_eq!(rgb.len(), (w * h * 3) as usize);
            let bg = &rgb[..3];
            if dark {
                assert!(bg.iter().all(|&c| c < 60), "{name}: dark background");
            } else {
                assert_eq!(bg, [255, 255, 255], "{name}: white background");
            }
            assert!(distinct_colours(&rgb) > 40, "{name}");
            if let Some(dir) = &gallery {
                let png = charts::encode_png(&rgb, w, h).unwrap();
                std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
            }
        }
    }
}

#[test]
fn export_of_a_scenario_adds_the_comparison_charts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("out");
    let f = fixture("scenarios.json");
    let o = run(&[
        "export",
        f.to_str().unwrap(),
        "--out",
        dir.to_str().unwrap(),
        "--scenario",
        "s1",
        "--format",
        "png,svg",
        "--width",
        "900",
        "--height",
        "600",
    ]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    let printed = stdout(&o);
    for stem in ["bump", "arrows"] {
        let png = dir.join(format!("{stem}.png"));
        let svg = dir.join(format!("{stem}.svg"));
        assert!(printed.contains(&png.display().to_string()), "{printed}");
        assert!(printed.contains(&svg.display().to_string()), "{printed}");
        check_png(&png, 900, 600);
        let t = svg_texts(&std::fs::read_to_string(&svg).unwrap(), 900, 600);
        assert!(
            t.iter()
                .any(|x| x.contains("Scenario (hypothetical): Concerns first")),
            "{stem}: {t:?}"
        );
    }
    // Without a scenario: no comparison charts.
    let plain = tmp.path().join("plain");
    let o = run(&[
        "export",
        f.to_str().unwrap(),
        "--out",
        plain.to_str().unwrap(),
        "--width",
        "400",
        "--height",
        "300",
    ]);
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
    assert!(!plain.join("bump.png").exists());
    assert!(!plain.join("arrows.png").exists());
}

#[test]
fn crowded_comparisons_still_render_at_small_sizes() {
    // The sample three times over (87 mechanisms, long names), at 800 × 600.
    let mut p = policy_workbench::bundled::sample();
    let base = p.mechanisms.clone();
    let scores = p.scores.clone();
    for k in 2..=3 {
        for m in &base {
            let mut copy = m.clone();
            copy.id = format!("{}-{k}", m.id);
            copy.name = format!("{} — variant number {k} with an even longer name", m.name);
            p.mechanisms.push(copy);
        }
        for (key, s) in &scores {
            let mut key = key.clone();
            key.mechanism = format!("{}-{k}", key.mechanism);
            p.scores.insert(key, s.clone());
        }
    }
    let paths = rank_paths(
        &p,
        &compare::baseline_and_scenarios(&p, &Selection::default()),
    )
    .unwrap();
    let c = cmp(&p, None, Some("europe-closes-stations"));
    check_rank_identity(&c);
    let o = opts(800, 600, false);
    let bump = BumpInput::new(&paths, &p.info.title);
    let arrows = ArrowsInput {
        project: &p,
        comparison: &c,
        title_suffix: None,
    };
    let jobs = [
        ("crowded-bump", charts::render_bump_rgb(&bump, &o).unwrap()),
        (
            "crowded-arrows",
            charts::render_arrows_rgb(&arrows, &o).unwrap(),
        ),
    ];
    for (name, rgb) in jobs {
        assert!(distinct_colours(&rgb) > 40, "{name}");
        if let Some(dir) = gallery() {
            let png = charts::encode_png(&rgb, 800, 600).unwrap();
            std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
        }
    }
    for svg in [
        charts::render_bump_svg(&bump, &o).unwrap(),
        charts::render_arrows_svg(&arrows, &o).unwrap(),
    ] {
        svg_texts(&svg, 800, 600);
    }
}

/// Every change of a total shown is the difference of the two totals shown, in the
/// command's table and in "what moved and why": a reader's arithmetic always adds up,
/// even where the unrounded change rounds the other way (56.4 → 56.6 reads +1).
#[test]
fn shown_changes_add_up_in_the_table_and_the_prose() {
    let sample = sample_path();
    for scenario in ["europe-closes-stations", "gsi-training-delivered"] {
        let o = run(&[
            "compare",
            sample.to_str().unwrap(),
            "--scenarios",
            &format!("base,{scenario}"),
        ]);
        assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(&o));
        let out = stdout(&o);
        let mut checked = 0;
        let num = |s: &str| s.replace('−', "-").replace('±', "").parse::<i64>().ok();
        for line in out.lines() {
            // Table rows: rank (range), rank (range), move, total, total, change, name.
            let f: Vec<&str> = line.split_whitespace().collect();
            let mv = f
                .iter()
                .position(|t| t.starts_with('↑') || t.starts_with('↓') || *t == "=");
            if let Some(i) = mv
                && f.len() > i + 3
                && let (Some(a), Some(b), Some(d)) = (num(f[i + 1]), num(f[i + 2]), num(f[i + 3]))
            {
                assert_eq!(b - a, d, "{line}");
                checked += 1;
            }
            // Prose: "total 56 → 57 (+1)".
            for part in line.split("total ").skip(1) {
                let w: Vec<&str> = part.split_whitespace().collect();
                if w.len() >= 4
                    && w[1] == "→"
                    && let (Some(a), Some(b)) = (num(w[0]), num(w[2].trim_end_matches(',')))
                    && let Some(d) = num(w[3].trim_matches(|c| c == '(' || c == ')' || c == ','))
                {
                    assert_eq!(b - a, d, "{line}");
                    checked += 1;
                }
            }
        }
        assert!(
            checked >= 20,
            "{scenario}: {checked} changes checked in\n{out}"
        );
    }
}
