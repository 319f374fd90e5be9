//! `apply`: checks a command against the project's rules (`model::rules`), changes the
//! project and returns the inverse command. Structural commands (add, delete, restore)
//! are undone by a snapshot and checked on the whole project afterwards.

use super::command::{Command, EditError, GroupHeader, WeightsTo};
use crate::model::rules;
use crate::model::*;

fn err<T>(msg: impl Into<String>) -> Result<T, EditError> {
    Err(EditError(msg.into()))
}

/// A rule's message as an edit error.
fn ruled(r: Result<(), String>) -> Result<(), EditError> {
    r.map_err(EditError)
}

fn check_weight(w: f64) -> Result<(), EditError> {
    ruled(rules::check_weight(w))
}

fn check_new_id(
    id: &str,
    taken: impl IntoIterator<Item = String>,
    what: &str,
) -> Result<(), EditError> {
    ruled(rules::check_id(id))?;
    if taken.into_iter().any(|t| t == id) {
        return err(format!("there is already a {what} with the id \"{id}\""));
    }
    Ok(())
}

fn check_mechanism(p: &Project, m: &Mechanism) -> Result<(), EditError> {
    ruled(rules::check_mechanism(m, &|id| p.source(id).is_some()))
}

fn check_criterion(p: &Project, c: &Criterion) -> Result<(), EditError> {
    ruled(rules::check_criterion(c))?;
    let outside = p
        .scores
        .iter()
        .filter(|(k, s)| {
            k.criterion == c.id && s.value.number().is_some_and(|v| !c.scale.contains(v))
        })
        .count()
        + p.scenarios
            .iter()
            .flat_map(|s| &s.score_overrides)
            .filter(|o| {
                o.criterion == c.id && o.score.value.number().is_some_and(|v| !c.scale.contains(v))
            })
            .count();
    if outside > 0 {
        return err(format!(
            "{outside} existing score(s) on \"{}\" would lie outside the new scale; change them first",
            c.name
        ));
    }
    Ok(())
}

fn all_framework_ids(p: &Project) -> Vec<String> {
    p.framework
        .groups
        .iter()
        .flat_map(|g| std::iter::once(g.id.clone()).chain(g.criteria.iter().map(|c| c.id.clone())))
        .collect()
}

fn all_mechanism_ids(p: &Project) -> Vec<String> {
    p.mechanisms
        .iter()
        .map(|m| m.id.clone())
        .chain(
            p.scenarios
                .iter()
                .flat_map(|s| s.added_mechanisms.iter().map(|m| m.id.clone())),
        )
        .collect()
}

fn index_ok<T>(list: &[T], index: usize, what: &str) -> Result<(), EditError> {
    if index < list.len() {
        Ok(())
    } else {
        err(format!("there is no {what} number {}", index + 1))
    }
}

/// Keeps a set's judgements (and, with `weights`, sets the set's weights or a
/// viewpoint's own group weights): the judgements must name items of the set, once
/// each, with values in range. Checked whole before anything changes.
fn set_weighting(
    p: &mut Project,
    target: JudgedSet,
    judgements: Judgements,
    weights: Option<WeightsTo>,
) -> Result<Command, EditError> {
    let fw = &p.framework;
    let (ids, gid): (Vec<&str>, Option<String>) = match target {
        JudgedSet::Groups => (fw.groups.iter().map(|g| g.id.as_str()).collect(), None),
        JudgedSet::Criteria(gi) => {
            index_ok(&fw.groups, gi, "criteria group")?;
            let g = &fw.groups[gi];
            (
                g.criteria.iter().map(|c| c.id.as_str()).collect(),
                Some(g.id.clone()),
            )
        }
    };
    let mut pairs = std::collections::HashSet::new();
    for j in &judgements.pairwise {
        if j.a == j.b || !ids.contains(&j.a.as_str()) || !ids.contains(&j.b.as_str()) {
            return err(format!(
                "\"{}\" against \"{}\" is not a pair of the set",
                j.a, j.b
            ));
        }
        if !pairs.insert((j.a.clone().min(j.b.clone()), j.a.clone().max(j.b.clone()))) {
            return err(format!("\"{}\" and \"{}\" are compared twice", j.a, j.b));
        }
        ruled(rules::check_judgement(j.value))?;
    }
    let mut seen = std::collections::HashSet::new();
    for s in &judgements.swing {
        if !ids.contains(&s.id.as_str()) || !seen.insert(s.id.clone()) {
            return err(format!(
                "the swing of \"{}\" is not one of the set's, or is rated twice",
                s.id
            ));
        }
        ruled(rules::check_swing(s.rank, s.rating))?;
    }
    match &weights {
        None => {}
        Some(WeightsTo::Framework(w)) => {
            if w.len() != ids.len() {
                return err("one weight per item of the set is needed");
            }
            for x in w {
                check_weight(*x)?;
            }
        }
        Some(WeightsTo::Viewpoint { id, group_weights }) => {
            if target != JudgedSet::Groups {
                return err("a viewpoint weighs the criteria groups, not criteria");
            }
            let Some(at) = fw.viewpoints.iter().position(|v| &v.id == id) else {
                return err(format!("there is no viewpoint \"{id}\""));
            };
            let mut next = fw.clone();
            next.viewpoints[at].group_weights = group_weights.clone();
            ruled(rules::check_viewpoints(&next))?;
        }
    }
    let fw = &mut p.framework;
    let old_weights = weights.map(|w| match w {
        WeightsTo::Framework(w) => WeightsTo::Framework(match target {
            JudgedSet::Groups => fw
                .groups
                .iter_mut()
                .zip(w)
                .map(|(g, x)| std::mem::replace(&mut g.weight, x))
                .collect(),
            JudgedSet::Criteria(gi) => fw.groups[gi]
                .criteria
                .iter_mut()
                .zip(w)
                .map(|(c, x)| std::mem::replace(&mut c.weight, x))
                .collect(),
        }),
        WeightsTo::Viewpoint { id, group_weights } => {
            let v = fw
                .viewpoints
                .iter_mut()
                .find(|v| v.id == id)
                .expect("checked above");
            let old = std::mem::replace(&mut v.group_weights, group_weights);
            WeightsTo::Viewpoint {
                id,
                group_weights: old,
            }
        }
    });
    let old = match gid {
        None => std::mem::replace(&mut fw.weighting.groups, judgements),
        Some(gid) => {
            let old = fw.weighting.criteria.remove(&gid).unwrap_or_default();
            if !judgements.is_empty() {
                fw.weighting.criteria.insert(gid, judgements);
            }
            old
        }
    };
    Ok(Command::SetWeighting {
        target,
        judgements: old,
        weights: old_weights,
    })
}

/// Applies a command; returns the command that undoes it.
pub fn apply(p: &mut Project, cmd: Command) -> Result<Command, EditError> {
    use Command::*;
    Ok(match cmd {
        SetScore { key, score } => {
            let cells = vec![(key, score)];
            match apply(p, SetScores { cells })? {
                SetScores { mut cells } => {
                    let (key, score) = cells.pop().expect("one cell in, one cell out");
                    SetScore { key, score }
                }
                other => other,
            }
        }
        SetScores { cells } => {
            ruled(rules::check_score_cells(
                p,
                cells.iter().filter_map(|(k, s)| s.as_ref().map(|s| (k, s))),
            ))?;
            let added = cells
                .iter()
                .filter(|(k, s)| s.is_some() && !p.scores.contains_key(k))
                .count();
            ruled(rules::check_count(
                "scores",
                p.scores.len() + added,
                rules::counts::SCORES,
            ))?;
            let mut inverse = Vec::with_capacity(cells.len());
            for (k, s) in cells.into_iter().rev() {
                let old = match s.filter(|s| !s.is_empty()) {
                    Some(s) => p.scores.insert(k.clone(), s),
                    None => p.scores.remove(&k),
                };
                inverse.push((k, old));
            }
            SetScores { cells: inverse }
        }
        SetInfo(info) => {
            ruled(rules::check_info(&info))?;
            SetInfo(std::mem::replace(&mut p.info, info))
        }
        SetRankingRule(rule) => {
            SetRankingRule(std::mem::replace(&mut p.settings.ranking_rule, rule))
        }
        SetViewpoints {
            viewpoints,
            default,
        } => {
            let mut next = p.framework.clone();
            next.viewpoints = viewpoints;
            next.default_viewpoint = default;
            ruled(rules::check_viewpoints(&next))?;
            let old = std::mem::replace(&mut p.framework.viewpoints, next.viewpoints);
            let old_default =
                std::mem::replace(&mut p.framework.default_viewpoint, next.default_viewpoint);
            SetViewpoints {
                viewpoints: old,
                default: old_default,
            }
        }
        SetFrameworkText { name, description } => {
            ruled(rules::check_framework_text(&name, &description))?;
            let old_name = std::mem::replace(&mut p.framework.name, name);
            let old_desc = std::mem::replace(&mut p.framework.description, description);
            SetFrameworkText {
                name: old_name,
                description: old_desc,
            }
        }
        SetGroup { index, header } => {
            index_ok(&p.framework.groups, index, "criteria group")?;
            ruled(rules::check_group_header(
                &header.name,
                header.weight,
                &header.description,
            ))?;
            let g = &mut p.framework.groups[index];
            let old = GroupHeader::of(g);
            g.name = header.name;
            g.role = header.role;
            g.weight = header.weight;
            g.description = header.description;
            SetGroup { index, header: old }
        }
        SetCriterion {
            group,
            index,
            criterion,
        } => {
            index_ok(&p.framework.groups, group, "criteria group")?;
            index_ok(&p.framework.groups[group].criteria, index, "criterion")?;
            if p.framework.groups[group].criteria[index].id != criterion.id {
                return err("a criterion's id cannot change");
            }
            check_criterion(p, &criterion)?;
            let old = std::mem::replace(&mut p.framework.groups[group].criteria[index], criterion);
            SetCriterion {
                group,
                index,
                criterion: old,
            }
        }
        SetMechanism { index, mechanism } => {
            index_ok(&p.mechanisms, index, "mechanism")?;
            if p.mechanisms[index].id != mechanism.id {
                return err("a mechanism's id cannot change");
            }
            check_mechanism(p, &mechanism)?;
            let old = std::mem::replace(&mut p.mechanisms[index], mechanism);
            SetMechanism {
                index,
                mechanism: old,
            }
        }
        SetSource { index, source } => {
            index_ok(&p.sources, index, "source")?;
            if p.sources[index].id != source.id {
                return err("a source's id cannot change");
            }
            ruled(rules::check_source(&source))?;
            ruled(rules::check_derived_from(&source, &|id| {
                p.source(id).is_some()
            }))?;
            let old = std::mem::replace(&mut p.sources[index], source);
            SetSource { index, source: old }
        }
        SetAnalyst { index, analyst } => {
            index_ok(&p.analysts, index, "analyst")?;
            if p.analysts[index].id != analyst.id {
                return err("an analyst's id cannot change");
            }
            ruled(rules::check_analyst(&analyst))?;
            let old = std::mem::replace(&mut p.analysts[index], analyst);
            SetAnalyst {
                index,
                analyst: old,
            }
        }
        SetScenario { index, scenario } => {
            index_ok(&p.scenarios, index, "scenario")?;
            if p.scenarios[index].id != scenario.id {
                return err("a scenario's id cannot change");
            }
            check_scenario(p, &scenario)?;
            let old = std::mem::replace(&mut p.scenarios[index], scenario);
            SetScenario {
                index,
                scenario: old,
            }
        }
        SetNote { index, note } => {
            index_ok(&p.notes, index, "note")?;
            if p.notes[index].id != note.id {
                return err("a note's id cannot change");
            }
            ruled(rules::check_note(&note))?;
            let old = std::mem::replace(&mut p.notes[index], note);
            SetNote { index, note: old }
        }
        SetWorkshop {
            rule,
            reveal_names,
            discussion,
        } => {
            ruled(rules::check_text(
                "the discussion notes",
                rules::Text::Long,
                &discussion,
            ))?;
            let w = &mut p.workshop;
            if !w.rounds.is_empty() && rule != w.consensus_rule {
                return err(
                    "the consensus rule is chosen before round 1 and cannot change afterwards",
                );
            }
            let old = SetWorkshop {
                rule: w.consensus_rule,
                reveal_names: w.reveal_names,
                discussion: std::mem::take(&mut w.discussion),
            };
            w.consensus_rule = rule;
            w.reveal_names = reveal_names;
            w.discussion = discussion;
            old
        }
        SetPackageKey(key) => {
            if let Some(k) = &key {
                ruled(rules::check_secret("the package key", k))?;
            }
            SetPackageKey(std::mem::replace(&mut p.workshop.package_key, key))
        }
        SetCriterionWeights { group, weights } => {
            index_ok(&p.framework.groups, group, "criteria group")?;
            let g = &mut p.framework.groups[group];
            if weights.len() != g.criteria.len() {
                return err("one weight per criterion of the group is needed");
            }
            for w in &weights {
                check_weight(*w)?;
            }
            let old = g.criteria.iter().map(|c| c.weight).collect();
            for (c, w) in g.criteria.iter_mut().zip(weights) {
                c.weight = w;
            }
            SetCriterionWeights {
                group,
                weights: old,
            }
        }
        SetWeighting {
            target,
            judgements,
            weights,
        } => set_weighting(p, target, judgements, weights)?,
        SetAcknowledgement { finding, reason } => {
            let at = p.acknowledgements.iter().position(|a| a.finding == finding);
            let old = at.map(|i| p.acknowledgements[i].reason.clone());
            match (reason, at) {
                (Some(reason), at) => {
                    let a = Acknowledgement {
                        finding: finding.clone(),
                        reason,
                    };
                    ruled(rules::check_acknowledgement(&a))?;
                    match at {
                        Some(i) => p.acknowledgements[i] = a,
                        None => {
                            ruled(rules::check_count(
                                "acknowledged findings",
                                p.acknowledgements.len() + 1,
                                rules::counts::ACKNOWLEDGEMENTS,
                            ))?;
                            p.acknowledgements.push(a);
                        }
                    }
                }
                (None, Some(i)) => {
                    p.acknowledgements.remove(i);
                }
                (None, None) => {}
            }
            SetAcknowledgement {
                finding,
                reason: old,
            }
        }
        SetExerciseComplete(done) => {
            let Some(e) = p.workshop.exercise.as_mut() else {
                return err("this project is not a student exercise");
            };
            let old = e.complete;
            e.complete = done;
            SetExerciseComplete(old)
        }
        SetConsensus { cells } => {
            for ((m, c), cell) in &cells {
                if let Some(cell) = cell {
                    ruled(rules::check_consensus_cell(p, m, c, cell))?;
                }
            }
            let mut inverse = Vec::with_capacity(cells.len());
            for (k, cell) in cells.into_iter().rev() {
                let old = match cell {
                    Some(c) => p.workshop.consensus.insert(k.clone(), c),
                    None => p.workshop.consensus.remove(&k),
                };
                inverse.push((k, old));
            }
            SetConsensus { cells: inverse }
        }
        structural => {
            let before = p.clone();
            // A restored project is checked whole; other structural commands check
            // what they add, so a run of them stays linear.
            let whole = matches!(structural, Restore(_));
            let checked = apply_structural(p, structural).and_then(|()| {
                if !whole {
                    return Ok(());
                }
                match rules::check_project(p, 1).into_iter().next() {
                    Some(v) => err(v.message),
                    None => Ok(()),
                }
            });
            if let Err(e) = checked {
                *p = before;
                return Err(e);
            }
            Restore(Box::new(before))
        }
    })
}

fn check_scenario(p: &Project, s: &Scenario) -> Result<(), EditError> {
    ruled(rules::check_scenario(p, s))
}

fn apply_structural(p: &mut Project, cmd: Command) -> Result<(), EditError> {
    use Command::*;
    match cmd {
        AddMechanism(m) => {
            check_new_id(&m.id, all_mechanism_ids(p), "mechanism")?;
            check_mechanism(p, &m)?;
            ruled(rules::check_count(
                "mechanisms",
                p.mechanisms.len() + 1,
                rules::counts::MECHANISMS,
            ))?;
            p.mechanisms.push(m);
        }
        RemoveMechanism(id) => {
            let Some(i) = p.mechanisms.iter().position(|m| m.id == id) else {
                return err(format!("there is no mechanism \"{id}\""));
            };
            p.mechanisms.remove(i);
            p.scores.retain(|k, _| k.mechanism != id);
            for r in &mut p.workshop.rounds {
                r.scores.retain(|k, _| k.mechanism != id);
            }
            p.workshop.consensus.retain(|(m, _), _| *m != id);
            for s in &mut p.scenarios {
                s.score_overrides.retain(|o| o.mechanism != id);
                s.excluded_mechanisms.retain(|m| *m != id);
            }
        }
        AddGroup(g) => {
            check_new_id(&g.id, all_framework_ids(p), "group or criterion")?;
            ruled(rules::check_group_header(&g.name, g.weight, &g.description))?;
            ruled(rules::check_count(
                "criteria groups",
                p.framework.groups.len() + 1,
                rules::counts::GROUPS,
            ))?;
            ruled(rules::check_count(
                "criteria in the group",
                g.criteria.len(),
                rules::counts::CRITERIA_PER_GROUP,
            ))?;
            let mut taken = all_framework_ids(p);
            taken.push(g.id.clone());
            for c in &g.criteria {
                check_new_id(&c.id, taken.clone(), "group or criterion")?;
                ruled(rules::check_criterion(c))?;
                taken.push(c.id.clone());
            }
            p.framework.groups.push(g);
        }
        RemoveGroup(id) => {
            let Some(i) = p.framework.groups.iter().position(|g| g.id == id) else {
                return err(format!("there is no group \"{id}\""));
            };
            let g = p.framework.groups.remove(i);
            for c in &g.criteria {
                remove_criterion_refs(p, &c.id);
            }
            p.framework.weighting.forget(&id);
            for s in &mut p.scenarios {
                s.group_weights.remove(&id);
            }
        }
        AddCriterion { group, criterion } => {
            index_ok(&p.framework.groups, group, "criteria group")?;
            check_new_id(&criterion.id, all_framework_ids(p), "group or criterion")?;
            check_criterion(p, &criterion)?;
            ruled(rules::check_count(
                "criteria in the group",
                p.framework.groups[group].criteria.len() + 1,
                rules::counts::CRITERIA_PER_GROUP,
            ))?;
            p.framework.groups[group].criteria.push(criterion);
        }
        RemoveCriterion(id) => {
            let Some((gi, ci)) = p.framework.locate(&id) else {
                return err(format!("there is no criterion \"{id}\""));
            };
            p.framework.groups[gi].criteria.remove(ci);
            remove_criterion_refs(p, &id);
            p.framework.weighting.forget(&id);
        }
        AddSource(s) => {
            check_new_id(&s.id, p.sources.iter().map(|s| s.id.clone()), "source")?;
            ruled(rules::check_source(&s))?;
            ruled(rules::check_derived_from(&s, &|id| p.source(id).is_some()))?;
            ruled(rules::check_count(
                "sources",
                p.sources.len() + 1,
                rules::counts::SOURCES,
            ))?;
            p.sources.push(s);
        }
        AddSources(list) => {
            let mut taken: std::collections::HashSet<&str> =
                p.sources.iter().map(|s| s.id.as_str()).collect();
            for s in &list {
                ruled(rules::check_id(&s.id))?;
                if !taken.insert(s.id.as_str()) {
                    return err(format!(
                        "there is already a source with the id \"{}\"",
                        s.id
                    ));
                }
                ruled(rules::check_source(s))?;
            }
            for s in &list {
                ruled(rules::check_derived_from(s, &|id| taken.contains(id)))?;
            }
            ruled(rules::check_count(
                "sources",
                p.sources.len() + list.len(),
                rules::counts::SOURCES,
            ))?;
            p.sources.extend(list);
        }
        RemoveSource(id) => {
            let Some(i) = p.sources.iter().position(|s| s.id == id) else {
                return err(format!("there is no source \"{id}\""));
            };
            p.sources.remove(i);
            for s in &mut p.sources {
                if s.derived_from.as_deref() == Some(id.as_str()) {
                    s.derived_from = None;
                }
            }
            for s in p.scores.values_mut().chain(
                p.workshop
                    .rounds
                    .iter_mut()
                    .flat_map(|r| r.scores.values_mut()),
            ) {
                s.sources.retain(|x| *x != id);
            }
            for m in p.mechanisms.iter_mut().chain(
                p.scenarios
                    .iter_mut()
                    .flat_map(|s| s.added_mechanisms.iter_mut()),
            ) {
                for f in &mut m.facts {
                    f.sources.retain(|x| *x != id);
                }
            }
            for o in p
                .scenarios
                .iter_mut()
                .flat_map(|s| s.score_overrides.iter_mut())
            {
                o.score.sources.retain(|x| *x != id);
            }
        }
        AddAnalyst(a) => {
            check_new_id(&a.id, p.analysts.iter().map(|a| a.id.clone()), "analyst")?;
            ruled(rules::check_analyst(&a))?;
            ruled(rules::check_count(
                "analysts",
                p.analysts.len() + 1,
                rules::counts::ANALYSTS,
            ))?;
            p.analysts.push(a);
        }
        RemoveAnalyst(id) => {
            let Some(i) = p.analysts.iter().position(|a| a.id == id) else {
                return err(format!("there is no analyst \"{id}\""));
            };
            if p.workshop
                .package
                .as_ref()
                .is_some_and(|pk| pk.analyst == id)
            {
                return err(
                    "this file is the scoring package of that analyst; the analyst cannot be deleted here",
                );
            }
            p.analysts.remove(i);
            p.scores.retain(|k, _| k.analyst != id);
            for r in &mut p.workshop.rounds {
                r.scores.retain(|k, _| k.analyst != id);
            }
        }
        AddScenario(s) => {
            check_new_id(&s.id, p.scenarios.iter().map(|s| s.id.clone()), "scenario")?;
            for m in &s.added_mechanisms {
                check_new_id(&m.id, all_mechanism_ids(p), "mechanism")?;
            }
            check_scenario(p, &s)?;
            ruled(rules::check_count(
                "scenarios",
                p.scenarios.len() + 1,
                rules::counts::SCENARIOS,
            ))?;
            p.scenarios.push(s);
        }
        RemoveScenario(id) => {
            let Some(i) = p.scenarios.iter().position(|s| s.id == id) else {
                return err(format!("there is no scenario \"{id}\""));
            };
            p.scenarios.remove(i);
        }
        AddNote(n) => {
            check_new_id(&n.id, p.notes.iter().map(|n| n.id.clone()), "note")?;
            ruled(rules::check_note(&n))?;
            ruled(rules::check_count(
                "notes",
                p.notes.len() + 1,
                rules::counts::NOTES,
            ))?;
            p.notes.push(n);
        }
        RemoveNote(id) => {
            let Some(i) = p.notes.iter().position(|n| n.id == id) else {
                return err(format!("there is no note \"{id}\""));
            };
            p.notes.remove(i);
        }
        StartRound { name } => {
            if p.workshop.package.is_some() {
                return err(
                    "rounds are started by the facilitator in the master file, not in a scoring package",
                );
            }
            let n = p.workshop.current_round();
            if !name.trim().is_empty() {
                ruled(rules::check_text(
                    "a round's name",
                    rules::Text::Name,
                    &name,
                ))?;
            }
            ruled(rules::check_count(
                "rounds",
                p.workshop.rounds.len() + 1,
                rules::counts::ROUNDS,
            ))?;
            let taken: Vec<&str> = p.workshop.rounds.iter().map(|r| r.id.as_str()).collect();
            let id = unique_slug(&format!("round {n}"), taken.iter().copied());
            let closed = Round {
                id,
                name: if name.trim().is_empty() {
                    format!("Round {n}")
                } else {
                    name
                },
                notes: std::mem::take(&mut p.workshop.discussion),
                scores: p.scores.clone(),
            };
            p.workshop.rounds.push(closed);
        }
        Restore(project) => *p = *project,
        other => unreachable!("not a structural command: {other:?}"),
    }
    Ok(())
}

fn remove_criterion_refs(p: &mut Project, id: &str) {
    p.scores.retain(|k, _| k.criterion != id);
    for r in &mut p.workshop.rounds {
        r.scores.retain(|k, _| k.criterion != id);
    }
    p.workshop.consensus.retain(|(_, c), _| c != id);
    for s in &mut p.scenarios {
        s.criterion_weights.remove(id);
        s.score_overrides.retain(|o| o.criterion != id);
    }
}
