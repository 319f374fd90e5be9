//! The assessment report (HTML and Markdown), run as the real binary on real files.

mod common;

use common::*;
use policy_workbench::report::{escape_html, escape_markdown};
use serde_json::{Value, json};

/// Tags that never close in HTML.
const VOID: [&str; 6] = ["meta", "br", "hr", "img", "input", "link"];

/// A tolerant well-formedness check: every element that opens also closes, in order
/// (void elements and `<x/>` aside); the contents of <style> are skipped. Returns the
/// element names seen.
fn check_balanced(html: &str) -> Vec<String> {
    let mut stack: Vec<String> = Vec::new();
    let mut seen = Vec::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        let after = &rest[open + 1..];
        let close = after
            .find('>')
            .unwrap_or_else(|| panic!("unclosed tag near {:?}", &after[..after.len().min(80)]));
        let tag = &after[..close];
        rest = &after[close + 1..];
        if tag.starts_with('!') {
            continue;
        }
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        assert!(!name.is_empty(), "a bare '<' in the text: <{tag}>");
        if closing {
            let top = stack
                .pop()
                .unwrap_or_else(|| panic!("</{name}> closes nothing"));
            assert_eq!(top, name, "</{name}> closes <{top}>");
        } else if !tag.ends_with('/') && !VOID.contains(&name.as_str()) {
            if name == "style" {
                let end = rest.find("</style>").expect("style closes");
                rest = &rest[end..];
            }
            stack.push(name.clone());
        }
        seen.push(name);
    }
    assert!(stack.is_empty(), "left open: {stack:?}");
    seen
}

fn report(args: &[&str]) -> (std::process::Output, String) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r.html");
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--out", out.to_str().unwrap()]);
    let o = run(&all);
    let text = std::fs::read_to_string(&out).unwrap_or_default();
    (o, text)
}

fn hand() -> Value {
    serde_json::from_str(&std::fs::read_to_string(fixture("hand.json")).unwrap()).unwrap()
}

fn write_json(dir: &std::path::Path, name: &str, v: &Value) -> std::path::PathBuf {
    write(dir, name, &serde_json::to_string_pretty(v).unwrap())
}

#[test]
fn html_report_of_the_sample_is_complete_and_self_contained() {
    let sample = sample_path();
    let (o, html) = report(&[sample.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(html.starts_with("<!DOCTYPE html>"));
    let tags = check_balanced(&html);
    for t in ["html", "head", "body", "table", "svg", "figure", "h1", "h2"] {
        assert!(tags.iter().any(|x| x == t), "<{t}> in the report");
    }
    let p = policy_workbench::bundled::sample();
    assert!(html.contains(&escape_html(&p.info.title)), "title");
    for m in &p.mechanisms {
        assert!(
            html.contains(&format!("id=\"m-{}\">{}</h3>", m.id, escape_html(&m.name))),
            "section for {}",
            m.name
        );
    }
    for (g, s) in p.sources.iter().enumerate() {
        assert!(
            html.contains(&format!("<li id=\"src-{}\">", g + 1)),
            "{}",
            s.id
        );
    }
    assert!(
        html.contains("href=\"#src-1\""),
        "numbered references link to the list"
    );
    for section in [
        "id=\"summary\"",
        "id=\"framework\"",
        "id=\"results\"",
        "id=\"charts\"",
        "id=\"robustness\"",
        "id=\"mechanisms\"",
        "id=\"sources\"",
    ] {
        assert!(html.contains(section), "{section}");
    }
    for chart in ["quadrant", "bars", "ranking", "heatmap", "tornado"] {
        assert!(
            html.contains(&format!("id=\"chart-{chart}\"")),
            "{chart} chart"
        );
    }
    assert!(html.matches("<svg").count() >= 5);
    // Self-contained and inert: no scripts, no remote or local loads.
    let lower = html.to_ascii_lowercase();
    for bad in [
        "<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", " src=",
    ] {
        assert!(!lower.contains(bad), "{bad} in the report");
    }
    assert!(lower.contains("content-security-policy"));
    // Prints cleanly: print rules and page breaks before the major sections.
    assert!(html.contains("@media print"));
    assert!(html.contains("<h2 id=\"results\" class=\"page\">"));
    // The composite comes with its caveat; concerns read the right way.
    assert!(html.contains("The total is a composite."));
    assert!(html.contains("(higher = more concern)"));
    assert!(html.contains("Smallest change of the first place."));
}

#[test]
fn hostile_project_text_is_escaped_and_unsafe_links_are_text() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = hand();
    v["sources"] = json!([
        { "id": "evil", "citation": "Evil <b>citation</b>", "link": "javascript:alert(1)",
          "date": "", "reliability": "E", "credibility": 5, "note": "" },
        { "id": "data", "citation": "Data link", "link": "data:text/html,<script>alert(1)</script>",
          "date": "", "reliability": "F", "credibility": 6, "note": "" },
        { "id": "good", "citation": "Good", "link": "https://example.org/a?b=1&c=2",
          "date": "2020", "reliability": "A", "credibility": 1, "note": "" }
    ]);
    v["scores"][0]["rationale"] = json!("<script>alert(1)</script> & \"quotes\"");
    v["scores"][0]["sources"] = json!(["evil", "good"]);
    v["mechanisms"][0]["name"] = json!("One <img src=x onerror=alert(1)> | pipe");
    v["project"]["title"] = json!("Title </title><script>alert(2)</script>");
    let f = write_json(dir.path(), "evil.json", &v);

    let (o, html) = report(&[f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_balanced(&html);
    let lower = html.to_ascii_lowercase();
    assert!(!lower.contains("<script"), "no script element");
    assert!(!lower.contains("<img"), "no img element");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;"));
    assert!(html.contains("One &lt;img src=x onerror=alert(1)&gt; | pipe"));
    assert!(
        !lower.contains("href=\"javascript:"),
        "javascript: is not a link"
    );
    assert!(!lower.contains("href=\"data:"), "data: is not a link");
    assert!(html.contains("javascript:alert(1)"), "shown as text");
    assert!(html.contains("<a href=\"https://example.org/a?b=1&amp;c=2\""));
    assert!(html.contains("Evil &lt;b&gt;citation&lt;/b&gt;"));

    // The Markdown variant escapes too.
    let md_path = dir.path().join("r.md");
    let o = run(&[
        "report",
        f.to_str().unwrap(),
        "--out",
        md_path.to_str().unwrap(),
        "--no-charts",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&md_path).unwrap();
    // Every '<' from the project is backslash-escaped; the only raw ones are ours
    // (line breaks in table cells and link destinations).
    for (i, _) in md.match_indices('<') {
        let ok = md[..i].ends_with('\\')
            || md[i..].starts_with("<br>")
            || md[i..].starts_with("<https://");
        assert!(
            ok,
            "raw '<' at {:?}",
            &md[i.saturating_sub(20)..(i + 20).min(md.len())]
        );
    }
    assert!(md.contains("\\<script\\>alert(1)\\</script\\>"));
    assert!(md.contains("One \\<img src=x onerror=alert(1)\\> \\| pipe"));
    assert!(
        !md.contains("](<javascript"),
        "no Markdown link to javascript:"
    );
    assert!(md.contains("[https://example.org/a?b=1\\&c=2](<https://example.org/a?b=1&c=2>)"));
}

#[test]
fn markdown_report_has_the_tables_and_writes_its_charts_beside_it() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("brief.md");
    let o = run(&[
        "report",
        sample_path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.starts_with("# "));
    assert!(md.contains("## Results"));
    assert!(
        md.contains("| Rank | Mechanism | Composite |"),
        "results table"
    );
    assert!(md.contains("| ---: | --- | ---: |"), "alignment row");
    assert!(md.contains("| Criterion | Score | Confidence | Rationale and sources |"));
    assert!(md.contains("## Sources"));
    assert!(md.contains("\\[1\\]"), "source references");
    for chart in ["quadrant", "bars", "ranking", "heatmap", "tornado"] {
        let rel = format!("brief-charts/{chart}.svg");
        assert!(md.contains(&format!("(<{rel}>)")), "{rel} referenced");
        let svg = std::fs::read_to_string(dir.path().join(&rel)).unwrap();
        assert!(svg.starts_with("<svg"));
    }
    let p = policy_workbench::bundled::sample();
    for m in &p.mechanisms {
        let heading = format!("### {}\n", escape_markdown(&m.name));
        assert!(md.contains(&heading), "{heading}");
    }
    // Every table row has as many cells as its header.
    let mut cols = None;
    for line in md.lines() {
        if line.starts_with('|') {
            let n = line.matches(" |").count();
            match cols {
                None => cols = Some(n),
                Some(c) => assert_eq!(c, n, "{line}"),
            }
        } else {
            cols = None;
        }
    }

    // Without --force nothing is overwritten, not even the charts.
    std::fs::write(&out, "precious").unwrap();
    let o = run(&[
        "report",
        sample_path().to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
}

#[test]
fn report_cli_exit_codes_and_force() {
    let dir = tempfile::tempdir().unwrap();
    let hand = fixture("hand.json");
    let out = dir.path().join("r.html");
    let args = |extra: &[&str]| {
        let mut v = vec![
            "report".to_string(),
            hand.to_str().unwrap().to_string(),
            "--out".into(),
            out.to_str().unwrap().into(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    let run_v = |v: Vec<String>| bin().args(v).output().unwrap();

    let o = run_v(args(&[]));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("wrote"));
    std::fs::write(&out, "precious").unwrap();
    let o = run_v(args(&[]));
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "precious");
    let o = run_v(args(&["--force"]));
    assert_eq!(o.status.code(), Some(0));
    assert!(
        std::fs::read_to_string(&out)
            .unwrap()
            .starts_with("<!DOCTYPE html>")
    );

    for bad in [
        &["--scenario", "nope", "--force"][..],
        &["--analyst", "zed", "--force"],
        &["--compare", "nope", "--force"],
    ] {
        let o = run_v(args(bad));
        assert_eq!(o.status.code(), Some(2), "{bad:?}: {}", stderr(&o));
        assert!(stderr(&o).contains("nope") || stderr(&o).contains("zed"));
    }
    // The format comes from the extension, or --format.
    let odd = dir.path().join("report.txt");
    let o = run(&[
        "report",
        hand.to_str().unwrap(),
        "--out",
        odd.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--format"));
    let o = run(&[
        "report",
        hand.to_str().unwrap(),
        "--out",
        odd.to_str().unwrap(),
        "--format",
        "md",
        "--no-charts",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(std::fs::read_to_string(&odd).unwrap().contains("| Rank |"));

    // A broken project is invalid input (1); a missing one an I/O error (2).
    let broken = write(dir.path(), "broken.json", "{ not json");
    let o = run(&[
        "report",
        broken.to_str().unwrap(),
        "--out",
        dir.path().join("b.html").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "report",
        "/definitely/not/here.json",
        "--out",
        dir.path().join("c.html").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(!dir.path().join("b.html").exists() && !dir.path().join("c.html").exists());
}

#[test]
fn comparison_and_workshop_agreement_sections() {
    let hand = fixture("hand.json");
    let (o, html) = report(&[hand.to_str().unwrap(), "--compare", "s1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_balanced(&html);
    // Scenario comparison, labelled hypothetical, with what moved.
    assert!(html.contains("id=\"comparison-s1\""));
    assert!(html.contains("(hypothetical)"));
    assert!(
        html.contains("excluded by the scenario"),
        "m4 is excluded in s1"
    );
    assert!(html.contains("What moved."));
    // Three analysts: the workshop section with the spread per criterion.
    assert!(html.contains("id=\"agreement\""));
    assert!(html.contains("Median MAD"));
    assert!(html.contains("Krippendorff&#39;s α (ordinal)"));
    assert!(html.contains("Kendall&#39;s W"));
    assert!(html.contains("Most disputed cells"));
    assert!(html.contains("A 1 · B 3 · C 4"), "m2 × r1 scored 1, 3, 4");
    assert!(html.contains("median of 3"));
    // Rank acceptability is in by default, with its settings named…
    assert!(html.contains("id=\"smaa\""), "SMAA by default");
    assert!(html.contains("10,000 samples, seed 1;"));
    // The random generator is named in the technical notes at the end, not in the
    // main text.
    let notes_at = html
        .find("id=\"technical-notes\"")
        .expect("technical notes");
    let generator = html.find("ChaCha8").expect("generator named");
    assert!(generator > notes_at, "the generator only in the notes");
    assert!(html[notes_at..].contains("analyze FILE --smaa 10000"));
    // …and left out when asked.
    let (o, html) = report(&[hand.to_str().unwrap(), "--no-smaa", "--no-charts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(html.contains("was not run"), "no SMAA with --no-smaa");
    // Every scenario is compared by default; --no-compare leaves them out.
    assert!(
        html.contains("id=\"comparison-s1\""),
        "scenarios by default"
    );
    let (o, html) = report(&[hand.to_str().unwrap(), "--no-compare", "--no-charts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        !html.contains("id=\"comparison-"),
        "no comparison with --no-compare"
    );
    assert!(!html.contains("(hypothetical)"));

    // One analyst: no workshop section, the report says whose scores.
    let (o, html) = report(&[hand.to_str().unwrap(), "--analyst", "b", "--no-charts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(html.contains("Scores of analyst B only"));
    assert!(!html.contains("<svg"), "--no-charts");

    // A scenario report is labelled hypothetical at the top.
    let (o, html) = report(&[hand.to_str().unwrap(), "--scenario", "s1"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(html.contains("Hypothetical scenario."));
}

#[test]
fn rank_acceptability_section_carries_seed_and_samples() {
    let hand = fixture("hand.json");
    let (o, html) = report(&[
        hand.to_str().unwrap(),
        "--smaa",
        "2000",
        "--seed",
        "7",
        "--no-charts",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_balanced(&html);
    assert!(html.contains("Rank acceptability (SMAA-2)"));
    assert!(html.contains("2,000 samples"));
    assert!(html.contains("seed 7"));
    assert!(html.contains("<th class=\"num\">Rank 1</th>"));
}

#[test]
fn library_reports_on_a_blank_project_without_panicking() {
    use policy_workbench::compute::Selection;
    use policy_workbench::report::{self, ReportOptions};
    let blank = policy_workbench::bundled::template("blank").unwrap();
    let opts = ReportOptions::new(Selection::default());
    let html = report::html_report(&blank, &opts).unwrap();
    check_balanced(&html);
    assert!(html.contains("No mechanism has a composite total"));
    let md = report::markdown_report(&blank, &opts, None).unwrap();
    assert!(md.charts.is_empty(), "no chart folder: charts omitted");
    assert!(md.text.contains("omitted"));
    let lemieux = policy_workbench::bundled::template("lemieux").unwrap();
    check_balanced(&report::html_report(&lemieux, &opts).unwrap());
    let bad = ReportOptions {
        compare_scenarios: vec!["nope".into()],
        ..ReportOptions::new(Selection::default())
    };
    assert!(report::html_report(&blank, &bad).is_err());
}

#[test]
fn a_right_to_left_override_in_a_name_is_isolated_and_long_words_wrap() {
    let dir = tempfile::tempdir().unwrap();
    let mut v = hand();
    v["mechanisms"][0]["name"] = json!("Evil \u{202E}name");
    v["scores"][0]["rationale"] = json!(format!("see {}", "x".repeat(300)));
    let f = write_json(dir.path(), "rtl.json", &v);
    let (o, html) = report(&[f.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    check_balanced(&html);
    assert!(
        html.contains("<bdi>Evil <span class=\"ctl\""),
        "the name is isolated and its override shown, not acting"
    );
    // Outside the charts (each SVG text element is its own paragraph), no override acts.
    let mut prose = String::new();
    for (i, part) in html.split("<svg").enumerate() {
        prose.push_str(if i == 0 {
            part
        } else {
            part.split_once("</svg>").map_or("", |x| x.1)
        });
    }
    assert!(
        !prose.contains('\u{202E}'),
        "an override acts in the report's text"
    );
    assert!(html.contains("overflow-wrap: anywhere"));
}

#[test]
fn the_workshop_section_draws_the_workshop_charts() {
    let demo =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("sample_projects/workshop-demo.json");
    let p = policy_workbench::persist::load_path(&demo).unwrap().project;
    let opts = policy_workbench::report::ReportOptions::new(Default::default());
    let html = policy_workbench::report::html_report(&p, &opts).unwrap();
    let agreement = html.find("id=\"agreement\"").expect("the workshop section");
    for stem in ["alpha", "spread"] {
        let at = html
            .find(&format!("id=\"chart-{stem}\""))
            .unwrap_or_else(|| panic!("the {stem} chart"));
        assert!(at > agreement, "{stem} is in the workshop section");
        let figure = &html[at..at + html[at..].find("</figure>").unwrap()];
        assert!(figure.contains("<svg"), "{stem} is drawn");
        for a in &p.analysts {
            assert!(!figure.contains(&a.name), "{stem} anonymised: {}", a.name);
        }
    }
    // One analyst: no workshop charts.
    let single = policy_workbench::bundled::sample();
    let html = policy_workbench::report::html_report(&single, &opts).unwrap();
    assert!(!html.contains("id=\"chart-alpha\"") && !html.contains("id=\"chart-spread\""));
}
