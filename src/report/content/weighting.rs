//! How the weights were set: for each set with judgements kept in the file (the
//! groups, a group's criteria), whether they are in use, the pairwise judgements with
//! the consistency ratio and the random index it divides by, and the swings with the
//! weights they give.

use super::Draft;
use crate::compute::ahp::{self, RANDOM_INDEX};
use crate::compute::weighting::{self, TargetReading};
use crate::model::JudgedSet;
use crate::report::doc::{Block, Table, Tone, strong, text};
use crate::wording::{fixed, percent_one_decimal, trimmed};

impl<'a> Draft<'a> {
    pub(super) fn weighting(&mut self) {
        let fw = self.fw();
        let sets = weighting::read(fw);
        if sets.is_empty() {
            return;
        }
        self.h3(Some("weighting".into()), "How the weights were set");
        let ri: Vec<String> = (3..=RANDOM_INDEX.len())
            .map(|n| format!("{n}: {}", fixed(RANDOM_INDEX[n - 1], 2)))
            .collect();
        self.para(
            Tone::Note,
            vec![text(format!(
                "Pairwise (AHP) weights are the principal eigenvector of the judgements; the \
                 consistency ratio CR = CI / RI(n), acceptable up to 0.10, with Saaty's random \
                 index RI(n) ({}; 0 for one or two items). Swing weights are each swing's \
                 rating over the sum of the ratings. Judgements are “in use” when the weights \
                 above are the ones they give; a weight edited directly since leaves them kept, \
                 not applied.",
                ri.join(", ")
            ))],
        );
        for t in &sets {
            self.weighting_set(t);
        }
    }

    fn weighting_set(&mut self, t: &TargetReading) {
        let fw = self.fw();
        let title = match t.target {
            JudgedSet::Groups => "The criteria groups".to_string(),
            JudgedSet::Criteria(gi) => format!("The criteria of {}", fw.groups[gi].name),
        };
        self.para(
            Tone::Plain,
            vec![
                strong(title),
                text(format!(": {}.", weighting::status_line(t))),
            ],
        );
        let name = |id: &str| {
            t.ids
                .iter()
                .position(|x| x == id)
                .map_or_else(|| id.to_string(), |i| t.names[i].clone())
        };
        let j = weighting::judgements(fw, &t.target);
        if let Some(p) = &t.pairwise {
            let rows = j
                .pairwise
                .iter()
                .map(|x| {
                    vec![
                        vec![text(name(&x.a))],
                        vec![text(ahp::judgement_text(x.value))],
                        vec![text(name(&x.b))],
                    ]
                })
                .collect();
            self.out.push(Block::Table(Table {
                head: vec!["Item".into(), "Times as important as".into(), "Item".into()],
                rows,
                numeric: vec![false, true, false],
                class: "weighting",
            }));
            let line = match (&p.result, &p.problem) {
                (Some(r), _) => format!(
                    "Pairwise weights: {}. Consistency ratio {} (λmax {}, CI {}, RI({}) {}){}.",
                    t.names
                        .iter()
                        .zip(&r.weights)
                        .map(|(n, w)| format!("{n} {}", percent_one_decimal(*w)))
                        .collect::<Vec<_>>()
                        .join(", "),
                    fixed(r.cr, 3),
                    fixed(r.lambda_max, 3),
                    fixed(r.ci, 3),
                    t.ids.len(),
                    fixed(r.ri, 2),
                    if r.acceptable() {
                        ": acceptable"
                    } else {
                        ": above 0.10, the judgements contradict each other"
                    }
                ),
                (None, Some(e)) => format!("No pairwise weights: {e}."),
                (None, None) => String::new(),
            };
            self.para(Tone::Note, vec![text(line)]);
        }
        if let Some(s) = &t.swing {
            let rows = t
                .ids
                .iter()
                .enumerate()
                .filter_map(|(i, id)| {
                    let x = j.swing.iter().find(|x| &x.id == id)?;
                    Some(vec![
                        vec![text(t.names[i].clone())],
                        vec![text(x.rank.to_string())],
                        vec![text(trimmed(x.rating, 1))],
                        vec![text(
                            s.weights
                                .as_ref()
                                .map_or_else(|| "—".into(), |w| percent_one_decimal(w[i])),
                        )],
                    ])
                })
                .collect();
            self.out.push(Block::Table(Table {
                head: vec![
                    "Swing (worst → best)".into(),
                    "Rank".into(),
                    "Rating".into(),
                    "Weight".into(),
                ],
                rows,
                numeric: vec![false, true, true, true],
                class: "weighting",
            }));
            if let Some(e) = &s.problem {
                self.para(Tone::Note, vec![text(format!("No swing weights: {e}."))]);
            }
        }
    }
}
