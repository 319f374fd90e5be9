//! The whole-project walk: every rule of `rules` applied to every item, with unique
//! ids, references and workshop state, each problem with its place.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::items::*;
use super::limits::*;
use super::walk::{Seg, Violation, Walk, first};
use crate::model::*;

/// Every rule of a whole project, with the place of each problem (at most `limit`).
/// An empty list means the project can be saved and read back.
pub fn check_project(p: &Project, limit: usize) -> Vec<Violation> {
    let mut w = Walk::new();
    project_into(&mut w, p);
    w.out.truncate(limit);
    w.out
}

fn project_into(w: &mut Walk, p: &Project) {
    w.inside(&[Seg::Key("project")], |w| info_into(w, &p.info));

    let source_ids: HashSet<&str> = p.sources.iter().map(|s| s.id.as_str()).collect();
    let source_exists = |id: &str| source_ids.contains(id);
    let mech_ids: HashSet<&str> = p.mechanisms.iter().map(|m| m.id.as_str()).collect();
    let analyst_ids: HashSet<&str> = p.analysts.iter().map(|a| a.id.as_str()).collect();

    w.inside(&[Seg::Key("framework")], |w| {
        framework_into(w, &p.framework)
    });

    w.count(
        "mechanisms",
        "mechanisms",
        p.mechanisms.len(),
        counts::MECHANISMS,
    );
    let mut seen = HashSet::new();
    for (i, m) in p.mechanisms.iter().enumerate() {
        w.inside(&[Seg::Key("mechanisms"), Seg::Index(i)], |w| {
            w.unique(&mut seen, &m.id, "mechanism");
            mechanism_into(w, m, &source_exists);
        });
    }

    w.count("sources", "sources", p.sources.len(), counts::SOURCES);
    let mut seen = HashSet::new();
    for (i, s) in p.sources.iter().enumerate() {
        w.inside(&[Seg::Key("sources"), Seg::Index(i)], |w| {
            w.unique(&mut seen, &s.id, "source");
            source_into(w, s);
            derived_from_into(w, s, &source_exists);
        });
    }

    w.count("analysts", "analysts", p.analysts.len(), counts::ANALYSTS);
    let mut seen = HashSet::new();
    for (i, a) in p.analysts.iter().enumerate() {
        w.inside(&[Seg::Key("analysts"), Seg::Index(i)], |w| {
            w.unique(&mut seen, &a.id, "analyst");
            if let Err(m) = check_analyst(a) {
                w.push(&[], m);
            }
        });
    }

    let refs = Refs {
        framework: &p.framework,
        analysts: &analyst_ids,
        mechanisms: &mech_ids,
        sources: &source_ids,
    };
    w.count("scores", "scores", p.scores.len(), counts::SCORES);
    w.inside(&[Seg::Key("scores")], |w| scores_into(w, &refs, &p.scores));

    w.count(
        "scenarios",
        "scenarios",
        p.scenarios.len(),
        counts::SCENARIOS,
    );
    let mut seen = HashSet::new();
    for (i, s) in p.scenarios.iter().enumerate() {
        w.inside(&[Seg::Key("scenarios"), Seg::Index(i)], |w| {
            w.unique(&mut seen, &s.id, "scenario");
            scenario_into(w, s, &refs);
        });
    }

    w.count("notes", "notes", p.notes.len(), counts::NOTES);
    let mut seen = HashSet::new();
    for (i, n) in p.notes.iter().enumerate() {
        w.inside(&[Seg::Key("notes"), Seg::Index(i)], |w| {
            w.unique(&mut seen, &n.id, "note");
            note_into(w, n);
        });
    }

    w.count(
        "acknowledgements",
        "acknowledged findings",
        p.acknowledgements.len(),
        counts::ACKNOWLEDGEMENTS,
    );
    let mut seen = HashSet::new();
    for (i, a) in p.acknowledgements.iter().enumerate() {
        w.inside(&[Seg::Key("acknowledgements"), Seg::Index(i)], |w| {
            acknowledgement_into(w, a);
            if !seen.insert(a.finding.as_str()) {
                w.push(
                    &[Seg::Key("finding")],
                    format!("the finding \"{}\" is acknowledged twice", a.finding),
                );
            }
        });
    }

    w.inside(&[Seg::Key("workshop")], |w| {
        workshop_into(w, &p.workshop, &refs)
    });

    w.count(
        "merge_conflicts",
        "recorded merge conflicts",
        p.merge_conflicts.len(),
        counts::MERGE_CONFLICTS,
    );
    for (i, c) in p.merge_conflicts.iter().enumerate() {
        w.inside(&[Seg::Key("merge_conflicts"), Seg::Index(i)], |w| {
            w.text("path", "a conflict's path", Text::Long, &c.path);
        });
    }
}

fn framework_into(w: &mut Walk, fw: &Framework) {
    w.id(&fw.id);
    w.text("name", "the framework's name", Text::Name, &fw.name);
    w.text(
        "description",
        "the framework's description",
        Text::Long,
        &fw.description,
    );
    w.count("groups", "criteria groups", fw.groups.len(), counts::GROUPS);
    // Groups and criteria share one namespace of ids.
    let mut seen = HashSet::new();
    for (gi, g) in fw.groups.iter().enumerate() {
        w.inside(&[Seg::Key("groups"), Seg::Index(gi)], |w| {
            w.unique(&mut seen, &g.id, "group/criterion");
            w.id(&g.id);
            w.text("name", "a group's name", Text::Name, &g.name);
            w.weight(&[Seg::Key("weight")], g.weight);
            w.text(
                "description",
                "a group's description",
                Text::Long,
                &g.description,
            );
            w.count(
                "criteria",
                "criteria in the group",
                g.criteria.len(),
                counts::CRITERIA_PER_GROUP,
            );
            for (ci, c) in g.criteria.iter().enumerate() {
                w.inside(&[Seg::Key("criteria"), Seg::Index(ci)], |w| {
                    w.unique(&mut seen, &c.id, "group/criterion");
                    criterion_into(w, c);
                });
            }
        });
    }
    viewpoints_into(w, fw);
    w.inside(&[Seg::Key("weighting")], |w| weighting_into(w, fw));
}

/// The weighting judgements: each names items of its set (the groups, or the criteria
/// of its group), once per pair or item, with values in range.
fn weighting_into(w: &mut Walk, fw: &Framework) {
    let groups: Vec<&str> = fw.groups.iter().map(|g| g.id.as_str()).collect();
    w.inside(&[Seg::Key("groups")], |w| {
        judgements_into(w, &fw.weighting.groups, &groups, "group");
    });
    for (gid, j) in &fw.weighting.criteria {
        w.inside(
            &[Seg::Key("criteria"), Seg::Entry(gid.clone())],
            |w| match fw.group(gid) {
                None => w.push(
                    &[],
                    format!(
                        "judgements are kept for a group \"{gid}\" the framework does not have"
                    ),
                ),
                Some(g) => {
                    let ids: Vec<&str> = g.criteria.iter().map(|c| c.id.as_str()).collect();
                    judgements_into(w, j, &ids, "criterion of the group");
                }
            },
        );
    }
}

fn judgements_into(w: &mut Walk, j: &Judgements, items: &[&str], what: &str) {
    w.count(
        "pairwise",
        "pairwise judgements",
        j.pairwise.len(),
        counts::PAIRWISE,
    );
    w.count("swing", "swings", j.swing.len(), counts::SWINGS);
    let mut pairs = HashSet::new();
    for (k, p) in j.pairwise.iter().enumerate() {
        w.inside(&[Seg::Key("pairwise"), Seg::Index(k)], |w| {
            for id in [&p.a, &p.b] {
                if !items.contains(&id.as_str()) {
                    w.push(&[], format!("the judgement names \"{id}\", not a {what}"));
                }
            }
            if p.a == p.b {
                w.push(&[], format!("\"{}\" is compared with itself", p.a));
            }
            let key = if p.a < p.b {
                (p.a.clone(), p.b.clone())
            } else {
                (p.b.clone(), p.a.clone())
            };
            if !pairs.insert(key) {
                w.push(
                    &[],
                    format!("\"{}\" and \"{}\" are compared twice", p.a, p.b),
                );
            }
            if let Err(e) = check_judgement(p.value) {
                w.push(&[Seg::Key("value")], e);
            }
        });
    }
    let mut seen = HashSet::new();
    for (k, s) in j.swing.iter().enumerate() {
        w.inside(&[Seg::Key("swing"), Seg::Index(k)], |w| {
            if !items.contains(&s.id.as_str()) {
                w.push(&[], format!("the swing names \"{}\", not a {what}", s.id));
            }
            if !seen.insert(s.id.clone()) {
                w.push(&[], format!("the swing of \"{}\" is rated twice", s.id));
            }
            if let Err(e) = check_swing(s.rank, s.rating) {
                w.push(&[], e);
            }
        });
    }
}

/// The first problem of a framework's viewpoints (as `check_project` finds them), for
/// an edit that replaces them.
pub fn check_viewpoints(fw: &Framework) -> Result<(), String> {
    let mut w = Walk::new();
    viewpoints_into(&mut w, fw);
    first(w.out)
}

/// The framework's viewpoints: ids, texts, group weights of existing groups, and a
/// default that names one of them.
fn viewpoints_into(w: &mut Walk, fw: &Framework) {
    w.count(
        "viewpoints",
        "viewpoints",
        fw.viewpoints.len(),
        counts::VIEWPOINTS,
    );
    let mut seen = HashSet::new();
    for (vi, v) in fw.viewpoints.iter().enumerate() {
        w.inside(&[Seg::Key("viewpoints"), Seg::Index(vi)], |w| {
            w.unique(&mut seen, &v.id, "viewpoint");
            w.id(&v.id);
            w.text("name", "a viewpoint's name", Text::Name, &v.name);
            w.text(
                "perspective",
                "a viewpoint's perspective",
                Text::Long,
                &v.perspective,
            );
            if let Some(weights) = &v.group_weights {
                for (g, x) in weights {
                    let at = [Seg::Key("group_weights"), Seg::Entry(g.clone())];
                    if fw.group(g).is_none() {
                        w.push(
                            &at,
                            format!(
                                "the viewpoint weighs a group \"{g}\" the framework does not have"
                            ),
                        );
                    }
                    w.weight(&at, *x);
                }
            }
        });
    }
    if let Some(d) = &fw.default_viewpoint
        && !fw.viewpoints.iter().any(|v| &v.id == d)
    {
        w.push(
            &[Seg::Key("default_viewpoint")],
            format!("the default viewpoint \"{d}\" is not one of the framework's viewpoints"),
        );
    }
}

/// What references may point at.
struct Refs<'a> {
    framework: &'a Framework,
    analysts: &'a HashSet<&'a str>,
    mechanisms: &'a HashSet<&'a str>,
    sources: &'a HashSet<&'a str>,
}

fn scores_into(w: &mut Walk, refs: &Refs, scores: &BTreeMap<ScoreKey, Score>) {
    let source_exists = |id: &str| refs.sources.contains(id);
    // The first criterion of an id, as `Framework::criterion` finds it.
    let mut criteria: HashMap<&str, &Criterion> = HashMap::new();
    for (_, c) in refs.framework.criteria() {
        criteria.entry(c.id.as_str()).or_insert(c);
    }
    // In key order, neighbouring cells mostly share their analyst and mechanism: each
    // is looked up when it changes.
    let mut analyst = None;
    let mut mechanism = None;
    for (k, s) in scores {
        let found = Found {
            analyst: known(&mut analyst, &k.analyst, refs.analysts),
            mechanism: known(&mut mechanism, &k.mechanism, refs.mechanisms),
            criterion: criteria.get(k.criterion.as_str()).copied(),
        };
        w.inside_lazy(
            || Seg::Score(k.clone()),
            |w| cell_into(w, k, s, &found, &source_exists),
        );
    }
}

/// Whether `id` is in `set`, looked up only when it differs from the last one asked.
fn known<'a>(last: &mut Option<(&'a str, bool)>, id: &'a str, set: &HashSet<&str>) -> bool {
    match *last {
        Some((was, found)) if was == id => found,
        _ => {
            let found = set.contains(id);
            *last = Some((id, found));
            found
        }
    }
}

/// What a score cell's key refers to, as found in the project.
struct Found<'a> {
    analyst: bool,
    mechanism: bool,
    criterion: Option<&'a Criterion>,
}

fn cell_into(
    w: &mut Walk,
    k: &ScoreKey,
    s: &Score,
    found: &Found,
    source_exists: &dyn Fn(&str) -> bool,
) {
    if !found.analyst {
        w.push(
            &[Seg::Key("analyst")],
            format!(
                "the analyst \"{}\" is not in the list of analysts",
                k.analyst
            ),
        );
    }
    if !found.mechanism {
        w.push(
            &[Seg::Key("mechanism")],
            format!(
                "the mechanism \"{}\" is not in the list of mechanisms",
                k.mechanism
            ),
        );
    }
    if found.criterion.is_none() {
        w.push(
            &[Seg::Key("criterion")],
            format!("the criterion \"{}\" is not in the framework", k.criterion),
        );
    }
    score_into(w, s, found.criterion, source_exists);
}

fn scenario_into(w: &mut Walk, s: &Scenario, refs: &Refs) {
    let fw = refs.framework;
    let source_exists = |id: &str| refs.sources.contains(id);
    w.id(&s.id);
    w.text("name", "a scenario's name", Text::Name, &s.name);
    w.text(
        "narrative",
        "a scenario's narrative",
        Text::Long,
        &s.narrative,
    );
    w.count(
        "assumptions",
        "assumptions",
        s.assumptions.len(),
        counts::ASSUMPTIONS,
    );
    for (i, a) in s.assumptions.iter().enumerate() {
        w.result(
            &[Seg::Key("assumptions"), Seg::Index(i)],
            check_text("an assumption", Text::Long, a),
        );
    }
    for (key, map, is_known, what) in [
        (
            "group_weights",
            &s.group_weights,
            (&|k: &str| fw.group(k).is_some()) as &dyn Fn(&str) -> bool,
            "criteria group",
        ),
        (
            "criterion_weights",
            &s.criterion_weights,
            &|k: &str| fw.criterion(k).is_some(),
            "criterion",
        ),
    ] {
        for (k, weight) in map {
            let here = [Seg::Key(key), Seg::Entry(k.clone())];
            if !is_known(k) {
                w.push(
                    &here,
                    format!("there is no {what} \"{k}\" in the framework"),
                );
            }
            w.weight(&here, *weight);
        }
    }
    w.count(
        "added_mechanisms",
        "added mechanisms",
        s.added_mechanisms.len(),
        counts::ADDED_MECHANISMS,
    );
    let mut added = HashSet::new();
    for (i, m) in s.added_mechanisms.iter().enumerate() {
        w.inside(&[Seg::Key("added_mechanisms"), Seg::Index(i)], |w| {
            if refs.mechanisms.contains(m.id.as_str()) {
                w.push(
                    &[Seg::Key("id")],
                    format!(
                        "the added mechanism \"{}\" already exists in the base assessment",
                        m.id
                    ),
                );
            }
            w.unique(&mut added, &m.id, "added mechanism");
            mechanism_into(w, m, &source_exists);
        });
    }
    w.count(
        "score_overrides",
        "score overrides",
        s.score_overrides.len(),
        counts::OVERRIDES,
    );
    let mut cells = HashSet::new();
    for (i, o) in s.score_overrides.iter().enumerate() {
        w.inside(&[Seg::Key("score_overrides"), Seg::Index(i)], |w| {
            if !refs.mechanisms.contains(o.mechanism.as_str())
                && !added.contains(o.mechanism.as_str())
            {
                w.push(
                    &[Seg::Key("mechanism")],
                    format!(
                        "the mechanism \"{}\" is neither in the project nor added by this scenario",
                        o.mechanism
                    ),
                );
            }
            if !cells.insert((o.mechanism.as_str(), o.criterion.as_str())) {
                w.push(
                    &[],
                    format!(
                        "mechanism \"{}\" / criterion \"{}\" is overridden twice",
                        o.mechanism, o.criterion
                    ),
                );
            }
            let c = fw.criterion(&o.criterion);
            if c.is_none() {
                w.push(
                    &[Seg::Key("criterion")],
                    format!("the criterion \"{}\" is not in the framework", o.criterion),
                );
            }
            score_into(w, &o.score, c, &source_exists);
        });
    }
    w.count(
        "excluded_mechanisms",
        "excluded mechanisms",
        s.excluded_mechanisms.len(),
        counts::IDS,
    );
    w.refs(
        "excluded_mechanisms",
        &s.excluded_mechanisms,
        &|id: &str| refs.mechanisms.contains(id),
        "mechanism",
    );
}

fn workshop_into(w: &mut Walk, ws: &Workshop, refs: &Refs) {
    w.text(
        "discussion",
        "the discussion notes",
        Text::Long,
        &ws.discussion,
    );
    w.count("rounds", "rounds", ws.rounds.len(), counts::ROUNDS);
    let mut seen = HashSet::new();
    for (i, r) in ws.rounds.iter().enumerate() {
        w.inside(&[Seg::Key("rounds"), Seg::Index(i)], |w| {
            w.unique(&mut seen, &r.id, "round");
            w.id(&r.id);
            w.text("name", "a round's name", Text::Name, &r.name);
            w.text("notes", "a round's notes", Text::Long, &r.notes);
            w.count("scores", "scores", r.scores.len(), counts::SCORES);
            w.inside(&[Seg::Key("scores")], |w| scores_into(w, refs, &r.scores));
        });
    }
    w.count(
        "consensus",
        "consensus cells",
        ws.consensus.len(),
        counts::CONSENSUS,
    );
    for ((m, c), cell) in &ws.consensus {
        w.inside(
            &[Seg::Key("consensus"), Seg::Cell(m.clone(), c.clone())],
            |w| consensus_into(w, refs, m, c, cell),
        );
    }
    if let Some(p) = &ws.package {
        w.inside(&[Seg::Key("package")], |w| {
            if !refs.analysts.contains(p.analyst.as_str()) {
                w.push(
                    &[Seg::Key("analyst")],
                    format!(
                        "the package is for analyst \"{}\", who is not in the list of analysts",
                        p.analyst
                    ),
                );
            }
            if !(1..=PACKAGE_ROUND_MAX).contains(&p.round) {
                w.push(
                    &[Seg::Key("round")],
                    format!("a package's round must be from 1 to {PACKAGE_ROUND_MAX}"),
                );
            }
            w.text(
                "fingerprint",
                "the package's fingerprint",
                Text::Fingerprint,
                &p.fingerprint,
            );
            if let Some(seal) = &p.seal {
                hex_secret(w, "seal", "a package's seal", seal);
            }
            w.count(
                "reasons",
                "reasons of other analysts",
                p.reasons.len(),
                counts::REASONS,
            );
            for (i, r) in p.reasons.iter().enumerate() {
                w.inside(&[Seg::Key("reasons"), Seg::Index(i)], |w| {
                    if !refs.mechanisms.contains(r.mechanism.as_str()) {
                        w.push(
                            &[Seg::Key("mechanism")],
                            format!("the mechanism \"{}\" is not in the project", r.mechanism),
                        );
                    }
                    if refs.framework.criterion(&r.criterion).is_none() {
                        w.push(
                            &[Seg::Key("criterion")],
                            format!("the criterion \"{}\" is not in the framework", r.criterion),
                        );
                    }
                    w.text("rationale", "a reason", Text::Long, &r.rationale);
                });
            }
        });
    }
    if let Some(key) = &ws.package_key {
        hex_secret(w, "package_key", "the package key", key);
    }
}

/// A package key or seal, checked in place.
fn hex_secret(w: &mut Walk, key: &'static str, what: &str, value: &str) {
    if let Err(message) = check_secret(what, value) {
        w.push(&[Seg::Key(key)], message);
    }
}

/// Builds the reference sets of a project once.
fn with_refs<T>(p: &Project, f: impl FnOnce(&Refs) -> T) -> T {
    let source_ids: HashSet<&str> = p.sources.iter().map(|s| s.id.as_str()).collect();
    let mech_ids: HashSet<&str> = p.mechanisms.iter().map(|m| m.id.as_str()).collect();
    let analyst_ids: HashSet<&str> = p.analysts.iter().map(|a| a.id.as_str()).collect();
    f(&Refs {
        framework: &p.framework,
        analysts: &analyst_ids,
        mechanisms: &mech_ids,
        sources: &source_ids,
    })
}

/// A scenario of project `p` (it may be new or replace one with the same id).
pub fn check_scenario(p: &Project, s: &Scenario) -> Result<(), String> {
    let mut w = Walk::new();
    with_refs(p, |refs| scenario_into(&mut w, s, refs));
    first(w.out)
}

/// Score cells about to be written into project `p`'s base scores.
pub fn check_score_cells<'a>(
    p: &Project,
    cells: impl IntoIterator<Item = (&'a ScoreKey, &'a Score)>,
) -> Result<(), String> {
    let cells: Vec<(&ScoreKey, &Score)> = cells.into_iter().collect();
    let mut w = Walk::new();
    fn check<'p>(
        w: &mut Walk,
        cells: &[(&ScoreKey, &Score)],
        found: &dyn Fn(&ScoreKey) -> Found<'p>,
        source_exists: &dyn Fn(&str) -> bool,
    ) {
        for (k, s) in cells {
            cell_into(w, k, s, &found(k), source_exists);
            if !w.out.is_empty() {
                break;
            }
        }
    }
    if cells.len() > 64 {
        // A paste or an import: the project's ids as sets, built once.
        with_refs(p, |refs| {
            check(
                &mut w,
                &cells,
                &|k| Found {
                    analyst: refs.analysts.contains(k.analyst.as_str()),
                    mechanism: refs.mechanisms.contains(k.mechanism.as_str()),
                    criterion: refs.framework.criterion(&k.criterion),
                },
                &|id| refs.sources.contains(id),
            )
        });
    } else {
        // A keystroke in the matrix: direct look-ups, no pass over the whole project.
        check(
            &mut w,
            &cells,
            &|k| Found {
                analyst: p.analyst(&k.analyst).is_some(),
                mechanism: p.mechanism(&k.mechanism).is_some(),
                criterion: p.framework.criterion(&k.criterion),
            },
            &|id| p.source(id).is_some(),
        );
    }
    first(w.out)
}

/// Consensus cells about to be recorded in project `p`.
pub fn check_consensus_cell(
    p: &Project,
    mechanism: &str,
    criterion: &str,
    cell: &ConsensusCell,
) -> Result<(), String> {
    let mut w = Walk::new();
    with_refs(p, |refs| {
        consensus_into(&mut w, refs, mechanism, criterion, cell)
    });
    first(w.out)
}

fn consensus_into(w: &mut Walk, refs: &Refs, m: &str, c: &str, cell: &ConsensusCell) {
    if !refs.mechanisms.contains(m) {
        w.push(
            &[Seg::Key("mechanism")],
            format!("the mechanism \"{m}\" does not exist"),
        );
    }
    let crit = refs.framework.criterion(c);
    if crit.is_none() {
        w.push(
            &[Seg::Key("criterion")],
            format!("the criterion \"{c}\" is not in the framework"),
        );
    }
    value_into(w, cell.value, crit);
    if cell
        .spread
        .is_some_and(|x| !x.is_finite() || !(0.0..=SPREAD_MAX).contains(&x))
    {
        w.push(
            &[Seg::Key("spread")],
            format!(
                "the spread must be a number from 0 to {}",
                SPREAD_MAX as u64
            ),
        );
    }
    if cell.n > CONSENSUS_N_MAX {
        w.push(
            &[Seg::Key("n")],
            format!("at most {CONSENSUS_N_MAX} analysts can stand behind a consensus"),
        );
    }
    w.text("dissent", "the dissent", Text::Long, &cell.dissent);
}
