//! The text conversion for `git diff` and `git log -p` (`policy-workbench
//! git-textconv FILE`): one line per item, with names instead of ids, so a changed
//! score reads "INTERPOL / Resources and shared norms = 4 (Documented, confidence
//! moderate) by Reference: …rationale…" rather than as a hunk of JSON.

use crate::model::{Project, ScoreValue};
use crate::wording::{score_words, whole};

/// A text on one line: line breaks become " ¶ ".
fn one_line(s: &str) -> String {
    s.replace("\r\n", "\n").replace(['\n', '\r'], " ¶ ")
}

fn number(x: f64) -> String {
    if x.fract() == 0.0 {
        whole(x)
    } else {
        crate::wording::trimmed(x, 4)
    }
}

fn list(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" [sources: {}]", items.join(", "))
    }
}

/// The whole project as lines of text, in the file's order.
pub fn render(p: &Project) -> String {
    let mut out: Vec<String> = Vec::new();
    let mech_name = |id: &str| {
        p.mechanism(id)
            .map(|m| one_line(&m.name))
            .or_else(|| {
                p.scenarios
                    .iter()
                    .flat_map(|s| &s.added_mechanisms)
                    .find(|m| m.id == id)
                    .map(|m| one_line(&m.name))
            })
            .unwrap_or_else(|| id.to_string())
    };
    let crit = |id: &str| {
        p.framework
            .criteria()
            .find(|(_, c)| c.id == id)
            .map(|(_, c)| c)
    };
    let crit_name = |id: &str| crit(id).map_or_else(|| id.to_string(), |c| one_line(&c.name));
    let analyst_name = |id: &str| {
        p.analyst(id)
            .map_or_else(|| id.to_string(), |a| one_line(&a.name))
    };
    let value = |c: &str, v: ScoreValue| {
        let label = match (v, crit(c)) {
            (ScoreValue::Value(x), Some(c)) => c.scale.anchor(x).map(|a| one_line(&a.label)),
            _ => None,
        };
        match label {
            Some(l) if !l.trim().is_empty() => format!("{} ({l}", score_words(v)),
            _ => format!("{} (", score_words(v)),
        }
    };
    let conf = |open: String, c: &str| {
        if open.ends_with('(') {
            format!("{open}confidence {c})")
        } else {
            format!("{open}, confidence {c})")
        }
    };

    let i = &p.info;
    out.push(format!("Project: {}", one_line(&i.title)));
    out.push(format!("Project description: {}", one_line(&i.description)));
    out.push(format!(
        "Project author: {} · created {} · modified {}",
        one_line(&i.author),
        i.created,
        i.modified
    ));
    out.push(format!(
        "Ranking rule: {}",
        p.settings.ranking_rule.as_str()
    ));
    out.push(format!(
        "Framework: {} — {}",
        one_line(&p.framework.name),
        one_line(&p.framework.description)
    ));
    for g in &p.framework.groups {
        out.push(format!(
            "Group {} ({}, weight {}): {}",
            one_line(&g.name),
            g.role.as_str(),
            number(g.weight),
            one_line(&g.description)
        ));
        for c in &g.criteria {
            let gate = c.gate.map_or(String::new(), |g| {
                format!(", gate at least {}", number(g.at_least))
            });
            out.push(format!(
                "Criterion {} / {} ({}, weight {}, scale {} to {}{gate}): {}",
                one_line(&g.name),
                one_line(&c.name),
                c.direction.as_str(),
                number(c.weight),
                c.scale.min,
                c.scale.max,
                one_line(&c.definition)
            ));
            for a in &c.scale.anchors {
                out.push(format!(
                    "Anchor {} = {} {}: {}",
                    one_line(&c.name),
                    a.value,
                    one_line(&a.label),
                    one_line(&a.descriptor)
                ));
            }
        }
    }
    // Weighting judgements: one line each, by names.
    let group_name = |id: &str| {
        p.framework
            .group(id)
            .map_or_else(|| id.to_string(), |g| one_line(&g.name))
    };
    let sets = std::iter::once((
        "the groups".to_string(),
        &p.framework.weighting.groups,
        true,
    ))
    .chain(
        p.framework
            .weighting
            .criteria
            .iter()
            .map(|(g, j)| (group_name(g), j, false)),
    );
    for (set, j, groups) in sets {
        let name = |id: &str| {
            if groups {
                group_name(id)
            } else {
                crit_name(id)
            }
        };
        for x in &j.pairwise {
            out.push(format!(
                "Pairwise judgement of {set}: {} is {} times as important as {}",
                name(&x.a),
                crate::compute::ahp::judgement_text(x.value),
                name(&x.b)
            ));
        }
        for x in &j.swing {
            out.push(format!(
                "Swing of {set}: {} rank {}, rating {}",
                name(&x.id),
                x.rank,
                number(x.rating)
            ));
        }
    }
    let mechanism = |prefix: &str, m: &crate::model::Mechanism, out: &mut Vec<String>| {
        out.push(format!(
            "{prefix}{} ({}{}): {}",
            one_line(&m.name),
            m.kind.as_str(),
            m.start_year
                .map_or(String::new(), |y| format!(", since {y}")),
            one_line(&m.description)
        ));
        for f in &m.facts {
            out.push(format!(
                "{prefix}{} fact: {}{}",
                one_line(&m.name),
                one_line(&f.text),
                list(&f.sources)
            ));
        }
    };
    for m in &p.mechanisms {
        mechanism("Mechanism ", m, &mut out);
    }
    for s in &p.sources {
        out.push(format!(
            "Source {} ({}{}, {}): {} {} {}",
            s.id,
            s.reliability.as_str(),
            s.credibility,
            s.date,
            one_line(&s.citation),
            s.link,
            one_line(&s.note)
        ));
    }
    for a in &p.analysts {
        out.push(format!(
            "Analyst {}: {}",
            one_line(&a.name),
            one_line(&a.note)
        ));
    }
    for (k, s) in &p.scores {
        out.push(format!(
            "{} / {} = {} by {}: {}{}",
            mech_name(&k.mechanism),
            crit_name(&k.criterion),
            conf(value(&k.criterion, s.value), s.confidence.as_str()),
            analyst_name(&k.analyst),
            one_line(&s.rationale),
            list(&s.sources)
        ));
    }
    for sc in &p.scenarios {
        let name = one_line(&sc.name);
        out.push(format!("Scenario {name}: {}", one_line(&sc.narrative)));
        for a in &sc.assumptions {
            out.push(format!("Scenario {name} assumes: {}", one_line(a)));
        }
        for (g, w) in &sc.group_weights {
            let gname = p
                .framework
                .groups
                .iter()
                .find(|x| x.id == *g)
                .map_or(g.clone(), |x| one_line(&x.name));
            out.push(format!(
                "Scenario {name}: weight of {gname} = {}",
                number(*w)
            ));
        }
        for (c, w) in &sc.criterion_weights {
            out.push(format!(
                "Scenario {name}: weight of {} = {}",
                crit_name(c),
                number(*w)
            ));
        }
        for o in &sc.score_overrides {
            out.push(format!(
                "Scenario {name}: {} / {} = {}: {}{}",
                mech_name(&o.mechanism),
                crit_name(&o.criterion),
                conf(
                    value(&o.criterion, o.score.value),
                    o.score.confidence.as_str()
                ),
                one_line(&o.score.rationale),
                list(&o.score.sources)
            ));
        }
        for m in &sc.excluded_mechanisms {
            out.push(format!("Scenario {name} leaves out {}", mech_name(m)));
        }
        for m in &sc.added_mechanisms {
            mechanism(&format!("Scenario {name} adds "), m, &mut out);
        }
    }
    for n in &p.notes {
        out.push(format!(
            "Note {}: {}",
            one_line(&n.title),
            one_line(&n.text)
        ));
    }
    let w = &p.workshop;
    out.push(format!(
        "Workshop: consensus by {}; discussion: {}",
        w.consensus_rule.as_str(),
        one_line(&w.discussion)
    ));
    for r in &w.rounds {
        out.push(format!(
            "Round {}: {}",
            one_line(&r.name),
            one_line(&r.notes)
        ));
        for (k, s) in &r.scores {
            out.push(format!(
                "Round {} {} / {} = {} by {}: {}",
                one_line(&r.name),
                mech_name(&k.mechanism),
                crit_name(&k.criterion),
                conf(value(&k.criterion, s.value), s.confidence.as_str()),
                analyst_name(&k.analyst),
                one_line(&s.rationale)
            ));
        }
    }
    for ((m, c), cell) in &w.consensus {
        out.push(format!(
            "Consensus {} / {} = {} (from {} analysts): {}",
            mech_name(m),
            crit_name(c),
            score_words(cell.value),
            cell.n,
            one_line(&cell.dissent)
        ));
    }
    for c in &p.merge_conflicts {
        out.push(format!("UNRESOLVED MERGE CONFLICT {}", one_line(&c.line())));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_score_reads_with_names_and_its_anchor() {
        let p = crate::persist::load_str(crate::bundled::SAMPLE)
            .unwrap()
            .project;
        let t = render(&p);
        let (k, s) = p
            .scores
            .iter()
            .find(|(k, _)| k.mechanism == "interpol")
            .unwrap();
        let m = p.mechanism("interpol").unwrap();
        let c = p
            .framework
            .criteria()
            .find(|(_, c)| c.id == k.criterion)
            .unwrap()
            .1;
        let line = t
            .lines()
            .find(|l| l.starts_with(&format!("{} / {} = ", m.name, c.name)))
            .expect("the score's line");
        assert!(
            line.contains(&format!("confidence {}", s.confidence.as_str())),
            "{line}"
        );
        assert!(line.contains(&one_line(&s.rationale)), "{line}");
        assert!(!t.contains("\"schema_version\""));
        // One line per item: a rationale with a line break stays on its line.
        assert_eq!(one_line("a\nb"), "a ¶ b");
    }
}
