//! Blind scoring packages: from the master project, one file per analyst that holds
//! the framework, mechanisms, sources and notes, that analyst and their own scores
//! only — never another analyst's scores or name, never a consensus; from round 2 on,
//! the other analysts' reasons for the cells to discuss, anonymised (Delphi feedback).

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use crate::compute::agreement::{CellSpread, cell_spreads};
use crate::model::*;

/// What the package's score sheet starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Prefill {
    /// The analyst's own current-round scores in the master: empty in a first round
    /// that has not been scored yet; in a later round, the analyst's values of the
    /// closed round (`StartRound` carries them over), to be revised.
    #[default]
    Current,
    /// A blank sheet: every cell starts not assessed.
    Empty,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PackageOptions {
    pub prefill: Prefill,
}

/// A package and what the facilitator should know about it.
#[derive(Clone, Debug, PartialEq)]
pub struct BuiltPackage {
    pub project: Project,
    /// E.g. a note left out because it names another analyst.
    pub warnings: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PackageError {
    /// The analyst id is not in the master (with the ids that are).
    UnknownAnalyst(String, Vec<String>),
    /// The "master" is itself the package of this analyst.
    MasterIsPackage(String),
    /// The master has no package key yet: set one first (`package_key_command`), so
    /// that merge can check what comes back against what was sent.
    NoPackageKey,
}

impl fmt::Display for PackageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PackageError::UnknownAnalyst(id, known) => write!(
                f,
                "there is no analyst \"{id}\" in the master (analysts: {})",
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            ),
            PackageError::MasterIsPackage(a) => write!(
                f,
                "this file is the scoring package of analyst \"{a}\", not a master project; packages are made from the master"
            ),
            PackageError::NoPackageKey => f.write_str(
                "the master has no package key yet; one must be recorded in it before packages are made"
            ),
        }
    }
}

impl std::error::Error for PackageError {}

/// FNV-1a, 64 bits: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A new random package key: 128 bits as `SECRET_HEX_DIGITS` hex digits.
pub fn new_package_key() -> String {
    use rand::RngExt;
    format!("{:032x}", rand::rng().random::<u128>())
}

/// The command that gives `master` a package key, when it has none yet. Making
/// packages records the key in the master first: merge needs it to check what
/// comes back.
pub fn package_key_command(master: &Project) -> Option<crate::edit::Command> {
    master
        .workshop
        .package_key
        .is_none()
        .then(|| crate::edit::Command::SetPackageKey(Some(new_package_key())))
}

/// The seal of a package for `analyst` and `round` with the master's `fingerprint`:
/// the first 128 bits of SHA-256 over the master's key and those three, in hex. Only
/// the master knows its key, so an analyst cannot turn their package into another
/// analyst's, another round's or another master's; merge recomputes it.
pub fn seal(key: &str, analyst: &str, round: usize, fingerprint: &str) -> String {
    use sha2::{Digest, Sha256};
    let digest = Sha256::new()
        .chain_update(b"policy-workbench package seal\n")
        .chain_update(key.as_bytes())
        .chain_update(b"\n")
        .chain_update(analyst.as_bytes())
        .chain_update(b"\n")
        .chain_update(round.to_string().as_bytes())
        .chain_update(b"\n")
        .chain_update(fingerprint.as_bytes())
        .finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

/// A stable fingerprint of what scores depend on: each criterion's id, scale bounds
/// and direction, and the mechanism ids — each list sorted by id, so reordering,
/// renaming, re-weighting or rewording leaves it unchanged. Written into every
/// package and checked on merge. It detects mismatched files; it is not a security
/// feature.
pub fn fingerprint(project: &Project) -> String {
    let mut criteria: Vec<String> = project
        .framework
        .criteria()
        .map(|(_, c)| {
            format!(
                "{}|{}|{}|{}",
                c.id,
                c.scale.min,
                c.scale.max,
                c.direction.as_str()
            )
        })
        .collect();
    criteria.sort();
    let mut mechanisms: Vec<&str> = project.mechanisms.iter().map(|m| m.id.as_str()).collect();
    mechanisms.sort_unstable();
    let text = format!(
        "criteria\n{}\nmechanisms\n{}\n",
        criteria.join("\n"),
        mechanisms.join("\n")
    );
    format!("fnv1a64-{:016x}", fnv1a64(text.as_bytes()))
}

/// What differs between the master's and a package's framework and mechanisms, in
/// the terms the fingerprint covers (criteria added or removed, scale or direction
/// changed, mechanisms added or removed). Empty when the fingerprints agree.
pub fn structure_differences(master: &Project, package: &Project) -> Vec<String> {
    let mut out = Vec::new();
    let crit = |p: &Project| -> BTreeMap<String, Criterion> {
        p.framework
            .criteria()
            .map(|(_, c)| (c.id.clone(), c.clone()))
            .collect()
    };
    let (a, b) = (crit(master), crit(package));
    for (id, c) in &a {
        match b.get(id) {
            None => out.push(format!(
                "criterion \"{id}\" is in the master but not in the package"
            )),
            Some(d) => {
                if (c.scale.min, c.scale.max) != (d.scale.min, d.scale.max) {
                    out.push(format!(
                        "criterion \"{id}\": scale {}–{} in the master, {}–{} in the package",
                        c.scale.min, c.scale.max, d.scale.min, d.scale.max
                    ));
                }
                if c.direction != d.direction {
                    out.push(format!(
                        "criterion \"{id}\": direction {} in the master, {} in the package",
                        c.direction.as_str(),
                        d.direction.as_str()
                    ));
                }
            }
        }
    }
    for id in b.keys().filter(|id| !a.contains_key(*id)) {
        out.push(format!(
            "criterion \"{id}\" is in the package but not in the master"
        ));
    }
    let mech =
        |p: &Project| -> BTreeSet<String> { p.mechanisms.iter().map(|m| m.id.clone()).collect() };
    let (ma, mb) = (mech(master), mech(package));
    for id in ma.difference(&mb) {
        out.push(format!(
            "mechanism \"{id}\" is in the master but not in the package"
        ));
    }
    for id in mb.difference(&ma) {
        out.push(format!(
            "mechanism \"{id}\" is in the package but not in the master"
        ));
    }
    out
}

/// The id or name of one of `others` that `text` mentions as a whole word
/// (case-insensitive; ids and names shorter than 3 characters are not looked for).
pub(crate) fn mentioned_analyst<'a>(text: &str, others: &[&'a Analyst]) -> Option<&'a str> {
    let hay = text.to_lowercase();
    for a in others {
        for needle in [a.id.as_str(), a.name.trim()] {
            if needle.chars().count() < 3 {
                continue;
            }
            let needle_lc = needle.to_lowercase();
            let mut from = 0;
            while let Some(pos) = hay[from..].find(&needle_lc) {
                let start = from + pos;
                let end = start + needle_lc.len();
                let before = hay[..start].chars().next_back();
                let after = hay[end..].chars().next();
                let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric());
                if !word(before) && !word(after) {
                    return Some(needle);
                }
                from = start + hay[start..].chars().next().map_or(1, char::len_utf8);
            }
        }
    }
    None
}

/// Cuts `s` to at most `max` characters, on a character boundary.
fn truncate_chars(s: &str, max: usize) -> String {
    match s.char_indices().nth(max) {
        Some((i, _)) => s[..i].to_string(),
        None => s.to_string(),
    }
}

/// Texts are limited to 20,000 characters by the file format; the feedback stays below.
const FEEDBACK_BUDGET: usize = 18_000;
const NOTES_BUDGET: usize = 6_000;

fn spread_line(project: &Project, c: &CellSpread) -> Option<String> {
    let s = c.stats.as_ref()?;
    let m = project
        .mechanism(&c.mechanism)
        .map_or(c.mechanism.as_str(), |m| m.name.as_str());
    let k = project
        .framework
        .criterion(&c.criterion)
        .map_or(c.criterion.as_str(), |k| k.name.as_str());
    Some(format!(
        "- {m} — {k}: median {}, middle half {}–{}, {} of {} within ±1 of the median",
        format_value(s.median),
        format_value(s.q1),
        format_value(s.q3),
        (s.within_one * s.n as f64).round() as usize,
        s.n
    ))
}

/// The anonymised results of the last closed round, for the analysts' reference in
/// the next round's packages: per cell the median, the middle half of the scores
/// (first to third quartile) and how many analysts are within ±1 of the median — no
/// names, no individual scores, no minimum or maximum. Cells worth discussing come
/// first. The closed round's discussion notes are added unless they name an analyst.
/// None in the first round.
pub fn previous_round_feedback(master: &Project) -> Option<String> {
    let round = master.workshop.rounds.last()?;
    let spreads = cell_spreads(master, &round.scores);
    let analysts = master
        .analysts
        .iter()
        .filter(|a| round.scores.keys().any(|k| k.analyst == a.id))
        .count();
    let mut text = format!(
        "Results of {} (anonymised, {analysts} analysts): for each cell, the median, the middle half of the scores (first to third quartile) and how many analysts were within ±1 point of the median. These are for reference: score what you now judge right, and say in the rationale why you changed a score.",
        round.name
    );
    let others: Vec<&Analyst> = master.analysts.iter().collect();
    let notes = round.notes.trim();
    if !notes.is_empty() && mentioned_analyst(notes, &others).is_none() {
        text.push_str(&format!(
            "\n\nDiscussion notes of {}:\n{}",
            round.name,
            truncate_chars(notes, NOTES_BUDGET)
        ));
    }
    let (discuss, rest): (Vec<&CellSpread>, Vec<&CellSpread>) = spreads
        .iter()
        .filter(|c| c.stats.is_some())
        .partition(|c| c.stats.as_ref().is_some_and(|s| s.needs_discussion()));
    let mut left_out = 0;
    for (title, cells) in [
        ("Cells with the widest disagreement", discuss),
        ("Other cells", rest),
    ] {
        if cells.is_empty() {
            continue;
        }
        let heading = format!("\n\n{title}:");
        if text.chars().count() + heading.chars().count() > FEEDBACK_BUDGET {
            left_out += cells.len();
            continue;
        }
        text.push_str(&heading);
        for c in cells {
            let Some(line) = spread_line(master, c) else {
                continue;
            };
            if text.chars().count() + line.chars().count() + 1 > FEEDBACK_BUDGET {
                left_out += 1;
                continue;
            }
            text.push('\n');
            text.push_str(&line);
        }
    }
    if left_out > 0 {
        text.push_str(&format!(
            "\n… and {left_out} more cells, left out for length (ask the facilitator)."
        ));
    }
    Some(text)
}

/// The Delphi feedback of `analyst`'s package: the other analysts' rationales in the
/// last closed round for the cells that round left to discuss
/// (`CellStats::needs_discussion`), anonymised — no analyst, no value, and within a
/// cell sorted by text, so the order says nothing about who wrote what. A rationale
/// that names an analyst (id or name, as a whole word) is left out; the second value
/// counts them. Empty in a first round.
pub fn peer_reasons(master: &Project, analyst: &str) -> (Vec<PeerReason>, usize) {
    let Some(round) = master.workshop.rounds.last() else {
        return (Vec::new(), 0);
    };
    let everyone: Vec<&Analyst> = master.analysts.iter().collect();
    let mut out = Vec::new();
    let mut named = 0;
    for cell in cell_spreads(master, &round.scores) {
        if !cell.stats.as_ref().is_some_and(|s| s.needs_discussion()) {
            continue;
        }
        let mut texts: Vec<String> = Vec::new();
        for a in master.analysts.iter().filter(|a| a.id != analyst) {
            let key = ScoreKey::new(&a.id, &cell.mechanism, &cell.criterion);
            let Some(s) = round.scores.get(&key) else {
                continue;
            };
            let text = s.rationale.trim();
            if text.is_empty() {
                continue;
            }
            if mentioned_analyst(text, &everyone).is_some() {
                named += 1;
                continue;
            }
            texts.push(text.to_string());
        }
        texts.sort();
        out.extend(texts.into_iter().map(|rationale| PeerReason {
            mechanism: cell.mechanism.clone(),
            criterion: cell.criterion.clone(),
            rationale,
        }));
    }
    (out, named)
}

/// The blind scoring package of `analyst` for the master's current round.
///
/// Holds: the project info (title marked as a package), the full framework, the
/// mechanisms, the sources, the notes (a note naming another analyst is left out,
/// with a warning), the analyst alone, and the analyst's own current-round scores
/// (or none, with `Prefill::Empty`). Leaves out: every other analyst and their
/// scores, closed rounds, the consensus, the facilitator's discussion notes of the
/// current round, and the scenarios (they stay in the master; a scenario's score
/// overrides are values for cells and would anchor the analyst). In a later round,
/// `workshop.discussion` carries `previous_round_feedback` and `workshop.package.reasons`
/// the other analysts' anonymised reasons for the cells to discuss (`peer_reasons`).
/// `workshop.package` marks the file with the analyst, the round, the master's
/// `fingerprint` and their `seal` made with the master's package key (refused when the
/// master has none yet); the seal covers the analyst, the round and the fingerprint,
/// not the reasons, which are for reading and which merge ignores.
pub fn make_package(
    master: &Project,
    analyst: &str,
    opts: &PackageOptions,
) -> Result<BuiltPackage, PackageError> {
    if let Some(p) = &master.workshop.package {
        return Err(PackageError::MasterIsPackage(p.analyst.clone()));
    }
    let Some(me) = master.analyst(analyst) else {
        return Err(PackageError::UnknownAnalyst(
            analyst.to_string(),
            master.analysts.iter().map(|a| a.id.clone()).collect(),
        ));
    };
    let Some(key) = &master.workshop.package_key else {
        return Err(PackageError::NoPackageKey);
    };
    let others: Vec<&Analyst> = master.analysts.iter().filter(|a| a.id != me.id).collect();
    let round = master.workshop.current_round();
    let mut warnings = Vec::new();
    let scores = match opts.prefill {
        Prefill::Current => master
            .scores
            .iter()
            .filter(|(k, _)| k.analyst == me.id)
            .map(|(k, s)| (k.clone(), s.clone()))
            .collect(),
        Prefill::Empty => BTreeMap::new(),
    };
    let notes = master
        .notes
        .iter()
        .filter(
            |n| match mentioned_analyst(&format!("{}\n{}", n.title, n.text), &others) {
                Some(who) => {
                    warnings.push(format!(
                        "note \"{}\" was left out of {}'s package because it mentions \"{who}\"",
                        n.id, me.id
                    ));
                    false
                }
                None => true,
            },
        )
        .cloned()
        .collect();
    let discussion = match previous_round_feedback(master) {
        Some(text) => {
            if let Some(last) = master.workshop.rounds.last()
                && !last.notes.trim().is_empty()
                && mentioned_analyst(&last.notes, &master.analysts.iter().collect::<Vec<_>>())
                    .is_some()
            {
                warnings.push(format!(
                    "the discussion notes of {} name an analyst and were left out of {}'s package",
                    last.name, me.id
                ));
            }
            text
        }
        None => String::new(),
    };
    let (reasons, named) = peer_reasons(master, &me.id);
    if named > 0 {
        warnings.push(format!(
            "{named} reason(s) of other analysts were left out of {}'s package because they name an analyst",
            me.id
        ));
    }
    let print = fingerprint(master);
    let mut info = master.info.clone();
    info.title = rules::fit(
        rules::Text::Name,
        &format!(
            "{} — scoring package for {} (round {round})",
            master.info.title, me.name
        ),
    );
    let project = Project {
        // The master's acknowledged findings stay with the master.
        acknowledgements: Vec::new(),
        info,
        settings: master.settings.clone(),
        framework: master.framework.clone(),
        mechanisms: master.mechanisms.clone(),
        sources: master.sources.clone(),
        analysts: vec![me.clone()],
        scores,
        scenarios: Vec::new(),
        notes,
        workshop: Workshop {
            consensus_rule: master.workshop.consensus_rule,
            reveal_names: false,
            discussion,
            rounds: Vec::new(),
            consensus: BTreeMap::new(),
            package: Some(Package {
                analyst: me.id.clone(),
                round,
                seal: Some(seal(key, &me.id, round, &print)),
                fingerprint: print,
                reasons,
            }),
            ..Workshop::default()
        },
        merge_conflicts: Vec::new(),
    };
    Ok(BuiltPackage { project, warnings })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn analyst(id: &str, name: &str) -> Analyst {
        Analyst {
            id: id.into(),
            name: name.into(),
            note: String::new(),
        }
    }

    #[test]
    fn mentions_are_whole_words() {
        let a = analyst("analyst-1", "Jane Doe");
        let others = [&a];
        assert_eq!(
            mentioned_analyst("see ANALYST-1.", &others),
            Some("analyst-1")
        );
        assert_eq!(mentioned_analyst("analyst-10 said", &others), None);
        assert_eq!(
            mentioned_analyst("as jane doe argued", &others),
            Some("Jane Doe")
        );
        assert_eq!(mentioned_analyst("nothing here", &others), None);
    }

    #[test]
    fn fingerprint_ignores_order_and_wording() {
        let mut p = crate::bundled::template("lemieux").unwrap();
        p.mechanisms.push(Mechanism::new("b", "B"));
        p.mechanisms.push(Mechanism::new("a", "A"));
        let f = fingerprint(&p);
        let mut q = p.clone();
        q.mechanisms.reverse();
        q.mechanisms[0].name = "Renamed".into();
        q.framework.groups[0].criteria[0].weight = 7.0;
        assert_eq!(fingerprint(&q), f);
        q.framework.groups[0].criteria[0].scale.max = 5;
        assert_ne!(fingerprint(&q), f);
        assert_eq!(structure_differences(&p, &q).len(), 1);
    }
}
