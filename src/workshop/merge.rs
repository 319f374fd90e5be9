//! Merging scoring packages back into the master: the package analyst's scores are
//! imported (the analyst added when the master lacks them), sources new in a package
//! are added, and every conflict is listed. Nothing is applied while a conflict has
//! no decision; merging the same packages again changes nothing.
//!
//! The result is built with `edit::apply`, so it keeps every invariant of a project;
//! `MergeOutcome::commands` are those commands, for an app that wants to apply them
//! to an open session (or it applies `Command::Restore(outcome.project)` as one step).

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt;

use super::package::{fingerprint, seal, structure_differences};
use crate::edit::{self, Command};
use crate::model::*;

/// Which side wins a conflict.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Prefer {
    /// The package's score (or source) replaces the master's.
    Incoming,
    /// The master keeps its score (or source).
    Master,
}

impl Prefer {
    pub fn as_str(self) -> &'static str {
        match self {
            Prefer::Incoming => "incoming",
            Prefer::Master => "master",
        }
    }

    pub fn parse(s: &str) -> Option<Prefer> {
        match s {
            "incoming" => Some(Prefer::Incoming),
            "master" => Some(Prefer::Master),
            _ => None,
        }
    }
}

/// Identifies a conflict across calls of `merge`, for per-conflict decisions.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ConflictId {
    /// A score cell of one analyst.
    Score(ScoreKey),
    /// A source with the same id and different content, brought by `analyst`'s package.
    Source { analyst: String, id: String },
}

/// How conflicts are decided: a decision per conflict (the app's conflict list) first,
/// then the blanket preference (`--prefer`), else the conflict stays open and the
/// merge is refused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MergePolicy {
    pub prefer: Option<Prefer>,
    pub choices: BTreeMap<ConflictId, Prefer>,
    /// Merge packages that cannot be checked against what was sent (no seal, or a
    /// master without its package key), with a warning, instead of refusing them. A
    /// seal that does not match is refused all the same.
    pub accept_unsealed: bool,
}

impl MergePolicy {
    /// Decide every conflict the same way.
    pub fn prefer(p: Prefer) -> MergePolicy {
        MergePolicy {
            prefer: Some(p),
            ..MergePolicy::default()
        }
    }

    /// Decide one conflict (overrides the blanket preference for it).
    pub fn resolve(&mut self, conflict: &Conflict, choice: Prefer) {
        self.choices.insert(conflict.id(), choice);
    }

    /// The decision in force for a conflict, if any.
    pub fn choice_for(&self, conflict: &Conflict) -> Option<Prefer> {
        self.choices.get(&conflict.id()).copied().or(self.prefer)
    }
}

/// A cell, or a source, where the master and a package disagree.
#[derive(Clone, Debug, PartialEq)]
pub enum Conflict {
    /// The master already has a different score for the package's analyst. `None`
    /// means no score (not assessed).
    Score {
        key: ScoreKey,
        /// Index of the package in the `incoming` list.
        file: usize,
        master: Option<Score>,
        incoming: Option<Score>,
    },
    /// A source new to the master, added by two packages with the same id but
    /// different content.
    Source {
        analyst: String,
        file: usize,
        /// The version merged first, from `from_package`.
        master: Source,
        incoming: Source,
        /// The analyst whose package brought the version merged first.
        from_package: String,
    },
}

impl Conflict {
    pub fn id(&self) -> ConflictId {
        match self {
            Conflict::Score { key, .. } => ConflictId::Score(key.clone()),
            Conflict::Source {
                analyst, incoming, ..
            } => ConflictId::Source {
                analyst: analyst.clone(),
                id: incoming.id.clone(),
            },
        }
    }

    /// Index of the package in the `incoming` list.
    pub fn file(&self) -> usize {
        match self {
            Conflict::Score { file, .. } | Conflict::Source { file, .. } => *file,
        }
    }

    pub fn analyst(&self) -> &str {
        match self {
            Conflict::Score { key, .. } => &key.analyst,
            Conflict::Source { analyst, .. } => analyst,
        }
    }
}

fn score_text(s: Option<&Score>) -> String {
    match s {
        None => "no score".to_string(),
        Some(s) => {
            let mut t = format!("{} ({} confidence", s.value.short(), s.confidence.as_str());
            if !s.rationale.trim().is_empty() {
                let r: String = s.rationale.chars().take(160).collect();
                let more = if s.rationale.chars().count() > 160 {
                    "…"
                } else {
                    ""
                };
                t.push_str(&format!(", \"{r}{more}\""));
            }
            t.push(')');
            t
        }
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::Score {
                key,
                master,
                incoming,
                ..
            } => write!(
                f,
                "{} / {} / {}: master has {}, package has {}",
                key.analyst,
                key.mechanism,
                key.criterion,
                score_text(master.as_ref()),
                score_text(incoming.as_ref())
            ),
            Conflict::Source {
                analyst,
                master,
                incoming,
                from_package,
                ..
            } => write!(
                f,
                "source \"{}\" added by {from_package}'s and {analyst}'s packages with different content: {:?} ({}{}) vs {:?} ({}{})",
                incoming.id,
                master.citation,
                master.reliability.as_str(),
                master.credibility,
                incoming.citation,
                incoming.reliability.as_str(),
                incoming.credibility
            ),
        }
    }
}

/// What a merge did (or would do) with one package.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AnalystSummary {
    pub analyst: String,
    /// Index of the package in the `incoming` list.
    pub file: usize,
    /// The analyst was not in the master and was added.
    pub added_analyst: bool,
    /// Cells set (or cleared) from the package, without conflict.
    pub imported: usize,
    /// Cells where the master already had exactly the package's score.
    pub unchanged: usize,
    /// Cells the package left as they were when the round started while the master
    /// changed them since: the master's score is kept (later rounds only).
    pub master_newer: usize,
    /// Conflicts found (score and source conflicts).
    pub conflicts: usize,
    /// Of those, decided for the package and for the master.
    pub took_incoming: usize,
    pub kept_master: usize,
    /// Sources new to the master.
    pub sources_added: usize,
    /// Differences in the package's framework, mechanism or source texts (names,
    /// definitions, weights, facts, citations…): never merged, the master's are kept.
    pub ignored: Vec<String>,
    /// What the reader of the merge should know, e.g. that the package could not be
    /// checked against what was sent.
    pub warnings: Vec<String>,
}

/// A problem that makes the input unmergeable, with the package it concerns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeProblem {
    /// Index in the `incoming` list; None for the master.
    pub file: Option<usize>,
    pub message: String,
}

impl fmt::Display for MergeProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// Why nothing was merged: problems with the files, or conflicts without a decision.
/// `conflicts` lists every conflict found (decided or not), `unresolved` those with no
/// decision; `summary` says what the merge would do.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeReport {
    pub problems: Vec<MergeProblem>,
    pub conflicts: Vec<Conflict>,
    pub unresolved: Vec<ConflictId>,
    pub summary: Vec<AnalystSummary>,
}

impl fmt::Display for MergeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.problems.is_empty() {
            write!(
                f,
                "nothing was merged: {} problem{}",
                self.problems.len(),
                if self.problems.len() == 1 { "" } else { "s" }
            )?;
            for p in &self.problems {
                write!(f, "\n  - {p}")?;
            }
            return Ok(());
        }
        write!(
            f,
            "nothing was merged: {} conflict{} without a decision (choose with --prefer incoming|master, or decide each one)",
            self.unresolved.len(),
            if self.unresolved.len() == 1 { "" } else { "s" }
        )?;
        for c in &self.conflicts {
            if self.unresolved.contains(&c.id()) {
                write!(f, "\n  - {c}")?;
            }
        }
        Ok(())
    }
}

impl std::error::Error for MergeReport {}

/// The merged project and what happened.
#[derive(Clone, Debug, PartialEq)]
pub struct MergeOutcome {
    pub project: Project,
    /// The commands that turn the master into `project`, in order.
    pub commands: Vec<Command>,
    pub summary: Vec<AnalystSummary>,
    /// Every conflict with the decision applied.
    pub resolved: Vec<(Conflict, Prefer)>,
}

/// Checks a package's seal against the master's key: a refusal, a warning, or
/// nothing when it matches.
enum SealCheck {
    Sealed,
    Refused(String),
    Warning(String),
}

fn check_seal(master: &Project, mark: &Package, accept_unsealed: bool) -> SealCheck {
    let who = &mark.analyst;
    let unchecked = |why: &str| {
        if accept_unsealed {
            SealCheck::Warning(format!(
                "the package of \"{who}\" was not checked against what was sent ({why}); merged as written because unsealed packages were accepted"
            ))
        } else {
            SealCheck::Refused(format!(
                "the package of \"{who}\" cannot be checked against what was sent: {why}. Make the packages again from this master, or, if you trust this file, merge with --accept-unsealed"
            ))
        }
    };
    match (&master.workshop.package_key, &mark.seal) {
        (Some(key), Some(s)) => {
            if *s == seal(key, who, mark.round, &mark.fingerprint) {
                return SealCheck::Sealed;
            }
            // Whose package it really is, when its analyst or round was edited.
            let fingerprints = [mark.fingerprint.clone(), fingerprint(master)];
            let rounds = 1..=master.workshop.current_round().max(mark.round);
            let sent = master.analysts.iter().find_map(|a| {
                rounds.clone().find_map(|r| {
                    fingerprints
                        .iter()
                        .any(|f| seal(key, &a.id, r, f) == *s)
                        .then_some((a.id.as_str(), r))
                })
            });
            SealCheck::Refused(match sent {
                Some((to, r)) if to != who || r != mark.round => format!(
                    "this package was sent to \"{to}\" for round {r}, but it now says it is \"{who}\"'s for round {}: it was edited after it was sent",
                    mark.round
                ),
                _ => format!(
                    "the package of \"{who}\" was not sent from this master (its seal does not match): it comes from another copy of the master, or its analyst, round or fingerprint were edited after it was sent"
                ),
            })
        }
        (Some(_), None) => unchecked(
            "it carries no seal (it was made by an earlier version, or before this master recorded its package key)",
        ),
        (None, Some(_)) => unchecked(
            "this master has no package key, so it is not the master the package was made from, or that master was not saved after the packages were made",
        ),
        (None, None) => SealCheck::Warning(format!(
            "the package of \"{who}\" was made by an earlier version without a seal: its analyst and round are taken as written"
        )),
    }
}

/// Checks that `pkg` is a package of `master` that can be merged now.
fn check_package(
    master: &Project,
    pkg: &Project,
    file: usize,
    accept_unsealed: bool,
    out: &mut Vec<MergeProblem>,
) {
    let problem = |out: &mut Vec<MergeProblem>, message: String| {
        out.push(MergeProblem {
            file: Some(file),
            message,
        })
    };
    let Some(mark) = &pkg.workshop.package else {
        problem(
            out,
            "this is not a scoring package (it has no workshop.package marker); packages are made with `policy-workbench package`".into(),
        );
        return;
    };
    let who = &mark.analyst;
    if let SealCheck::Refused(message) = check_seal(master, mark, accept_unsealed) {
        // A package sent to someone else: the rest would only repeat it.
        problem(out, message);
        return;
    }
    let master_fp = fingerprint(master);
    let content_fp = fingerprint(pkg);
    let differences = structure_differences(master, pkg);
    if mark.fingerprint != master_fp {
        let mut msg = format!(
            "the package of \"{who}\" was made from another master, or before the master's framework or mechanisms changed (its fingerprint {} is not this master's {master_fp})",
            mark.fingerprint
        );
        if differences.is_empty() {
            msg.push_str("; the framework and mechanism ids now match, so the fingerprint was edited by hand");
        } else {
            msg.push_str(": ");
            msg.push_str(&differences.join("; "));
        }
        problem(out, msg);
    } else if content_fp != master_fp {
        problem(
            out,
            format!(
                "the framework or mechanisms in the package of \"{who}\" were changed after it was made: {}",
                differences.join("; ")
            ),
        );
    }
    let round = master.workshop.current_round();
    if mark.round != round {
        problem(
            out,
            format!(
                "the package of \"{who}\" is for round {}, but the master is in round {round}",
                mark.round
            ),
        );
    }
    let strangers: BTreeSet<&str> = pkg
        .scores
        .keys()
        .filter(|k| &k.analyst != who)
        .map(|k| k.analyst.as_str())
        .collect();
    if !strangers.is_empty() {
        problem(
            out,
            format!(
                "the package of \"{who}\" holds scores of other analysts ({}); a package carries one analyst's scores only",
                strangers.into_iter().collect::<Vec<_>>().join(", ")
            ),
        );
    }
    if pkg.analyst(who).is_none() {
        problem(
            out,
            format!("the package is for analyst \"{who}\", who is not in its list of analysts"),
        );
    }
}

/// What the merge takes from a returned file is its analyst's cells (and new sources):
/// everything else it carries beyond what was sent is named here as ignored —
/// differences in framework and mechanism texts, and scenarios, consensus, closed
/// rounds, notes or an exercise mark that a package never holds.
fn ignored_differences(master: &Project, pkg: &Project) -> Vec<String> {
    use crate::compute::diff::{Change, diff};
    let mut out = Vec::new();
    let mut carried = |n: usize, what: &str, why: &str| {
        if n > 0 {
            out.push(format!(
                "the file carries {n} {what}{}; ignored ({why})",
                if n == 1 { "" } else { "s" }
            ));
        }
    };
    carried(
        pkg.scenarios.len(),
        "scenario",
        "scenarios are edited in the master",
    );
    carried(
        pkg.workshop.consensus.len(),
        "consensus cell",
        "the consensus is recorded in the master",
    );
    carried(
        pkg.workshop.rounds.len(),
        "closed round",
        "rounds are closed in the master",
    );
    carried(
        pkg.notes
            .iter()
            .filter(|n| !master.notes.contains(n))
            .count(),
        "note not in the master",
        "notes are edited in the master",
    );
    carried(
        usize::from(pkg.workshop.exercise.is_some()),
        "student-exercise mark",
        "a package is not an exercise",
    );
    out.extend(
        diff(master, pkg)
            .into_iter()
            .filter(|c| {
                matches!(
                    c,
                    Change::Framework(..)
                        | Change::GroupChanged { .. }
                        | Change::CriterionChanged { .. }
                        | Change::MechanismChanged { .. }
                )
            })
            .map(|c| format!("{c} (the master's text is kept)")),
    );
    out
}

fn apply(p: &mut Project, cmd: Command, commands: &mut Vec<Command>) -> Result<(), String> {
    edit::apply(p, cmd.clone()).map_err(|e| e.0)?;
    commands.push(cmd);
    Ok(())
}

/// Merges the packages `incoming` into `master` (see the module doc and
/// docs/workshop.md for the rules).
///
/// Refused, with every problem listed, when a file is not a package of this master
/// (fingerprint, framework or mechanisms differ — the differences are named), is for
/// another round, carries other analysts' scores, or when two files are for the same
/// analyst. Refused, with every conflict listed, when a conflict has no decision in
/// `policy`.
///
/// A score cell of the package's analyst is compared in three ways: M (the master's
/// score now), I (the package's) and, from round 2 on, B (the analyst's score in the
/// last closed round, which is what the current round started from). I = M: unchanged.
/// M = B (the master has not changed the cell in this round; in round 1, the master has
/// no score): I is imported, including clearing a score the analyst removed. I = B ≠ M:
/// the master changed the cell and the package did not, the master's is kept. Otherwise
/// it is a conflict. Missing scores count as "no score" in all of this.
pub fn merge(
    master: &Project,
    incoming: &[Project],
    policy: &MergePolicy,
) -> Result<MergeOutcome, MergeReport> {
    let mut problems = Vec::new();
    if let Some(pk) = &master.workshop.package {
        problems.push(MergeProblem {
            file: None,
            message: format!(
                "the master is itself the scoring package of \"{}\"; merge into the master project",
                pk.analyst
            ),
        });
    }
    let mut seen: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, pkg) in incoming.iter().enumerate() {
        check_package(master, pkg, i, policy.accept_unsealed, &mut problems);
        if let Some(mark) = &pkg.workshop.package {
            if let Some(first) = seen.get(mark.analyst.as_str()) {
                problems.push(MergeProblem {
                    file: Some(i),
                    message: format!(
                        "analyst \"{}\" is imported twice in this merge (files {} and {}); merge one package per analyst",
                        mark.analyst,
                        first + 1,
                        i + 1
                    ),
                });
            } else {
                seen.insert(&mark.analyst, i);
            }
        }
    }
    if !problems.is_empty() {
        return Err(MergeReport {
            problems,
            conflicts: Vec::new(),
            unresolved: Vec::new(),
            summary: Vec::new(),
        });
    }

    let base: Option<&BTreeMap<ScoreKey, Score>> = master.workshop.rounds.last().map(|r| &r.scores);
    let mut p = master.clone();
    let mut commands = Vec::new();
    let mut conflicts = Vec::new();
    let mut resolved = Vec::new();
    let mut unresolved = Vec::new();
    let mut summary = Vec::new();
    // Sources added or replaced during this merge: id → analyst whose package brought it.
    let mut added_by: BTreeMap<String, String> = BTreeMap::new();
    let fail = |file: usize, e: String| MergeProblem {
        file: Some(file),
        message: format!("the package could not be applied: {e}"),
    };
    let mut apply_problems = Vec::new();

    for (file, pkg) in incoming.iter().enumerate() {
        let who = pkg
            .workshop
            .package
            .as_ref()
            .expect("checked above")
            .analyst
            .clone();
        let mark = pkg.workshop.package.as_ref().expect("checked above");
        let warnings = match check_seal(master, mark, policy.accept_unsealed) {
            SealCheck::Warning(w) => vec![w],
            _ => Vec::new(),
        };
        let mut sum = AnalystSummary {
            analyst: who.clone(),
            file,
            ignored: ignored_differences(master, pkg),
            warnings,
            ..AnalystSummary::default()
        };
        let mut decide = |c: Conflict, sum: &mut AnalystSummary| -> Option<Prefer> {
            sum.conflicts += 1;
            let choice = policy.choice_for(&c);
            match choice {
                Some(Prefer::Incoming) => sum.took_incoming += 1,
                Some(Prefer::Master) => sum.kept_master += 1,
                None => unresolved.push(c.id()),
            }
            if let Some(ch) = choice {
                resolved.push((c.clone(), ch));
            }
            conflicts.push(c);
            choice
        };

        if p.analyst(&who).is_none() {
            let a = pkg.analyst(&who).cloned().expect("checked above");
            if let Err(e) = apply(&mut p, Command::AddAnalyst(a), &mut commands) {
                apply_problems.push(fail(file, e));
                continue;
            }
            sum.added_analyst = true;
        }

        // Where each source of the merged project is, and the package's new ones, added
        // in one step after the loop (linear in the number of sources).
        let place: HashMap<&str, usize> = p
            .sources
            .iter()
            .enumerate()
            .map(|(i, x)| (x.id.as_str(), i))
            .collect();
        let mut new_sources: Vec<Source> = Vec::new();
        let mut changed_sources: Vec<(usize, Source)> = Vec::new();
        let mut seen_new: HashSet<&str> = HashSet::new();
        for s in &pkg.sources {
            // Sources of the master are the master's: a package's different copy is
            // not merged (it may be an analyst's edit or an old copy; there is no
            // telling), it is listed.
            if let Some(original) = master.source(&s.id) {
                if original != s {
                    sum.ignored.push(format!(
                        "source \"{}\" differs from the master's; the master's is kept (sources are edited in the master)",
                        s.id
                    ));
                }
                continue;
            }
            match place.get(s.id.as_str()) {
                None => {
                    if seen_new.insert(s.id.as_str()) {
                        new_sources.push(s.clone());
                    }
                }
                Some(&index) if p.sources[index] != *s => {
                    let c = Conflict::Source {
                        analyst: who.clone(),
                        file,
                        master: p.sources[index].clone(),
                        incoming: s.clone(),
                        from_package: added_by.get(&s.id).cloned().unwrap_or_default(),
                    };
                    if decide(c, &mut sum) == Some(Prefer::Incoming) {
                        changed_sources.push((index, s.clone()));
                    }
                }
                Some(_) => {}
            }
        }
        drop(place);
        if !new_sources.is_empty() {
            let ids: Vec<String> = new_sources.iter().map(|s| s.id.clone()).collect();
            let n = new_sources.len();
            match apply(&mut p, Command::AddSources(new_sources), &mut commands) {
                Ok(()) => {
                    sum.sources_added += n;
                    for id in ids {
                        added_by.insert(id, who.clone());
                    }
                }
                Err(e) => apply_problems.push(fail(file, e)),
            }
        }
        for (index, source) in changed_sources {
            let id = source.id.clone();
            match apply(&mut p, Command::SetSource { index, source }, &mut commands) {
                Ok(()) => {
                    added_by.insert(id, who.clone());
                }
                Err(e) => apply_problems.push(fail(file, e)),
            }
        }

        let mine = |m: &BTreeMap<ScoreKey, Score>| -> BTreeMap<ScoreKey, Score> {
            m.iter()
                .filter(|(k, _)| k.analyst == who)
                .map(|(k, s)| (k.clone(), s.clone()))
                .collect()
        };
        let (m_scores, i_scores) = (mine(&p.scores), mine(&pkg.scores));
        let b_scores = base.map(mine);
        let keys: BTreeSet<&ScoreKey> = m_scores
            .keys()
            .chain(i_scores.keys())
            .chain(b_scores.iter().flat_map(|b| b.keys()))
            .collect();
        let mut cells = Vec::new();
        for key in keys {
            let (m, i) = (m_scores.get(key), i_scores.get(key));
            if m == i {
                if m.is_some() {
                    sum.unchanged += 1;
                }
                continue;
            }
            // None: no closed round, the base is unknown (round 1).
            let b = b_scores.as_ref().map(|b| b.get(key));
            let fast_forward = match b {
                Some(b) => m == b,
                None => m.is_none(),
            };
            if fast_forward {
                sum.imported += 1;
                cells.push((key.clone(), i.cloned()));
                continue;
            }
            if b.is_some_and(|b| i == b) {
                sum.master_newer += 1;
                continue;
            }
            let c = Conflict::Score {
                key: key.clone(),
                file,
                master: m.cloned(),
                incoming: i.cloned(),
            };
            if decide(c, &mut sum) == Some(Prefer::Incoming) {
                cells.push((key.clone(), i.cloned()));
            }
        }
        if !cells.is_empty()
            && let Err(e) = apply(&mut p, Command::SetScores { cells }, &mut commands)
        {
            apply_problems.push(fail(file, e));
        }
        summary.push(sum);
    }

    if !apply_problems.is_empty() || !unresolved.is_empty() {
        return Err(MergeReport {
            problems: apply_problems,
            conflicts,
            unresolved,
            summary,
        });
    }
    Ok(MergeOutcome {
        project: p,
        commands,
        summary,
        resolved,
    })
}
