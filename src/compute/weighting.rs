//! The weighting judgements kept in a framework, read against its weights: for each
//! set of items (the groups, or one group's criteria), the pairwise (AHP) weights with
//! their consistency, the swing weights, and whether either is in use — i.e. whether
//! the weights the analysis uses are the ones the judgements give (docs/analysis.md,
//! "Judgements kept in the file"). A direct weight edit therefore leaves the
//! judgements kept but not applied, and applying them again puts them back in use.
//! Also which viewpoint the groups' judgements can weigh instead of the framework, and
//! the group weights they give it.

use std::collections::BTreeMap;

use crate::compute::ahp::{self, Ahp, PairwiseMatrix};
use crate::compute::swing::{self, Swing};
use crate::model::{Framework, JudgedSet, Judgements, Viewpoint};

/// What a direct weight edit does to the judgements kept for the set, said where a
/// weight is edited directly (docs/analysis.md, "Judgements kept in the file").
pub const DIRECT_EDIT_NOTE: &str = "Editing a weight directly keeps the saved pairwise and swing judgements in the file, but they no longer set the weights: they are shown as “kept, not applied” until you apply them again from the pairwise or swing view.";

/// Two weightings are the same when every share differs by less than this.
pub const SAME_SHARE: f64 = 1e-9;

/// What the pairwise judgements of one set give.
#[derive(Clone, Debug, PartialEq)]
pub struct PairwiseReading {
    /// Pairs of current items judged, and pairs there are.
    pub judged: usize,
    pub needed: usize,
    /// The weights and consistency, when every pair is judged.
    pub result: Option<Ahp>,
    /// Why there is no result.
    pub problem: Option<String>,
    /// The weights in use are these judgements' weights.
    pub in_use: bool,
}

/// What the swing judgements of one set give.
#[derive(Clone, Debug, PartialEq)]
pub struct SwingReading {
    pub rated: usize,
    pub needed: usize,
    /// The weights (summing to 1), when every swing is rated consistently.
    pub weights: Option<Vec<f64>>,
    pub problem: Option<String>,
    pub in_use: bool,
}

/// One set of items with its weights and what its judgements give.
#[derive(Clone, Debug, PartialEq)]
pub struct TargetReading {
    pub target: JudgedSet,
    /// Item ids and names, in framework order.
    pub ids: Vec<String>,
    pub names: Vec<String>,
    /// The weights in use, as shares summing to 1 (all 0 when they sum to 0).
    pub shares: Vec<f64>,
    pub pairwise: Option<PairwiseReading>,
    pub swing: Option<SwingReading>,
}

impl TargetReading {
    /// Which method set the weights in use: "pairwise", "swing" or "direct".
    pub fn method(&self) -> &'static str {
        if self.pairwise.as_ref().is_some_and(|p| p.in_use) {
            "pairwise"
        } else if self.swing.as_ref().is_some_and(|s| s.in_use) {
            "swing"
        } else {
            "direct"
        }
    }
}

fn shares(w: &[f64]) -> Vec<f64> {
    let sum: f64 = w.iter().sum();
    if sum > 0.0 {
        w.iter().map(|x| x / sum).collect()
    } else {
        vec![0.0; w.len()]
    }
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < SAME_SHARE)
}

/// The items of a set: (ids, names, weights). None for a group that does not exist.
pub fn items(fw: &Framework, target: &JudgedSet) -> Option<(Vec<String>, Vec<String>, Vec<f64>)> {
    match target {
        JudgedSet::Groups => Some((
            fw.groups.iter().map(|g| g.id.clone()).collect(),
            fw.groups.iter().map(|g| g.name.clone()).collect(),
            fw.groups.iter().map(|g| g.weight).collect(),
        )),
        JudgedSet::Criteria(gi) => fw.groups.get(*gi).map(|g| {
            (
                g.criteria.iter().map(|c| c.id.clone()).collect(),
                g.criteria.iter().map(|c| c.name.clone()).collect(),
                g.criteria.iter().map(|c| c.weight).collect(),
            )
        }),
    }
}

/// The viewpoint whose own group weights the groups' judgements can set instead of
/// the framework's: the viewpoint `chosen` (the one the results view shows) when it is
/// one of `fw`'s and weighs the groups itself. A viewpoint without group weights of its
/// own uses the framework's, so it follows the weights applied to the framework.
pub fn viewpoint_to_weigh<'a>(
    fw: &'a Framework,
    target: JudgedSet,
    chosen: &str,
) -> Option<&'a Viewpoint> {
    if target != JudgedSet::Groups {
        return None;
    }
    fw.viewpoints
        .iter()
        .find(|v| v.id == chosen && v.group_weights.is_some())
}

/// A viewpoint's own group weights from weights aligned with the group `ids`: a group
/// weighing 0 is left out, i.e. not counted under the viewpoint.
pub fn viewpoint_group_weights(ids: &[String], weights: &[f64]) -> BTreeMap<String, f64> {
    ids.iter()
        .zip(weights)
        .filter(|(_, w)| **w > 0.0)
        .map(|(id, w)| (id.clone(), *w))
        .collect()
}

/// The judgements kept for a set.
pub fn judgements(fw: &Framework, target: &JudgedSet) -> Judgements {
    match target {
        JudgedSet::Groups => fw.weighting.groups.clone(),
        JudgedSet::Criteria(gi) => fw
            .groups
            .get(*gi)
            .map(|g| fw.weighting.of_group(&g.id))
            .unwrap_or_default(),
    }
}

/// The pairwise judgements of `j` as the upper triangle over `ids` (a₀₁, a₀₂, …), with
/// None for a pair not judged.
pub fn upper(ids: &[String], j: &Judgements) -> Vec<Option<f64>> {
    let mut out = Vec::new();
    for (i, a) in ids.iter().enumerate() {
        for b in &ids[i + 1..] {
            out.push(j.pairwise.iter().find_map(|p| {
                if &p.a == a && &p.b == b {
                    Some(p.value)
                } else if &p.a == b && &p.b == a {
                    Some(1.0 / p.value)
                } else {
                    None
                }
            }));
        }
    }
    out
}

/// The swing of each item of `ids` (None when not rated).
pub fn swings(ids: &[String], j: &Judgements) -> Vec<Option<Swing>> {
    ids.iter()
        .map(|id| {
            j.swing.iter().find(|s| &s.id == id).map(|s| Swing {
                rank: s.rank,
                rating: s.rating,
            })
        })
        .collect()
}

/// Reads one set: None when the set does not exist.
pub fn read_target(fw: &Framework, target: JudgedSet) -> Option<TargetReading> {
    let (ids, names, weights) = items(fw, &target)?;
    let j = judgements(fw, &target);
    let shares = shares(&weights);
    let n = ids.len();
    let pairwise = (!j.pairwise.is_empty()).then(|| {
        let up = upper(&ids, &j);
        let judged = up.iter().filter(|v| v.is_some()).count();
        let needed = up.len();
        let (result, problem) = if judged < needed {
            (
                None,
                Some(format!(
                    "{judged} of {needed} pairs are judged: judge every pair to get weights"
                )),
            )
        } else {
            let values: Vec<f64> = up.into_iter().flatten().collect();
            match PairwiseMatrix::from_upper(n, &values) {
                Ok(m) => (Some(ahp::weigh(&m)), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        let in_use = result.as_ref().is_some_and(|r| same(&r.weights, &shares));
        PairwiseReading {
            judged,
            needed,
            result,
            problem,
            in_use,
        }
    });
    let swing = (!j.swing.is_empty()).then(|| {
        let sw = swings(&ids, &j);
        let rated = sw.iter().filter(|s| s.is_some()).count();
        let (weights, problem) = if rated < n {
            (
                None,
                Some(format!(
                    "{rated} of {n} swings are rated: rate every swing to get weights"
                )),
            )
        } else {
            let all: Vec<Swing> = sw.into_iter().flatten().collect();
            match swing::weigh(&all) {
                Ok(w) => (Some(w), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        let in_use = weights.as_ref().is_some_and(|w| same(w, &shares));
        SwingReading {
            rated,
            needed: n,
            weights,
            problem,
            in_use,
        }
    });
    Some(TargetReading {
        target,
        ids,
        names,
        shares,
        pairwise,
        swing,
    })
}

/// Every set that has judgements kept: the groups first, then each group in order.
pub fn read(fw: &Framework) -> Vec<TargetReading> {
    std::iter::once(JudgedSet::Groups)
        .chain((0..fw.groups.len()).map(JudgedSet::Criteria))
        .filter(|t| !judgements(fw, t).is_empty())
        .filter_map(|t| read_target(fw, t))
        .collect()
}

/// How the status of a set's judgements reads, for the app and the report: e.g.
/// "pairwise judgements in use" or "pairwise judgements kept, not applied: the
/// weights were edited directly since".
pub fn status_line(r: &TargetReading) -> String {
    let mut parts = Vec::new();
    if let Some(p) = &r.pairwise {
        parts.push(if p.in_use {
            "pairwise judgements in use".to_string()
        } else if p.result.is_some() {
            "pairwise judgements kept, not applied (the weights were set otherwise since)"
                .to_string()
        } else {
            format!(
                "pairwise judgements kept, incomplete ({} of {} pairs)",
                p.judged, p.needed
            )
        });
    }
    if let Some(s) = &r.swing {
        parts.push(if s.in_use {
            "swing judgements in use".to_string()
        } else if s.weights.is_some() {
            "swing judgements kept, not applied (the weights were set otherwise since)".to_string()
        } else {
            format!(
                "swing judgements kept, incomplete ({} of {} rated)",
                s.rated, s.needed
            )
        });
    }
    if parts.is_empty() {
        "direct weights (no judgements kept)".into()
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Criterion, Group, PairJudgement, Role, SwingJudgement};

    fn fw() -> Framework {
        let mut g = Group {
            id: "g".into(),
            name: "G".into(),
            role: Role::Objective,
            weight: 1.0,
            description: String::new(),
            criteria: vec![Criterion::new("a", "A"), Criterion::new("b", "B")],
        };
        g.criteria[0].weight = 3.0;
        g.criteria[1].weight = 1.0;
        Framework {
            groups: vec![g],
            ..Framework::default()
        }
    }

    #[test]
    fn judgements_in_use_follow_the_weights() {
        let mut f = fw();
        let j = f.weighting.criteria.entry("g".into()).or_default();
        // b is 1/3 as important as a: weights 0.75 / 0.25 = the weights 3 : 1.
        j.pairwise.push(PairJudgement {
            a: "b".into(),
            b: "a".into(),
            value: 1.0 / 3.0,
        });
        j.swing.push(SwingJudgement {
            id: "a".into(),
            rank: 1,
            rating: 100.0,
        });
        let r = read_target(&f, JudgedSet::Criteria(0)).unwrap();
        let p = r.pairwise.as_ref().unwrap();
        assert!(p.in_use);
        assert!((p.result.as_ref().unwrap().weights[0] - 0.75).abs() < 1e-12);
        let s = r.swing.as_ref().unwrap();
        assert_eq!((s.rated, s.needed, s.in_use), (1, 2, false));
        assert_eq!(r.method(), "pairwise");
        // A direct edit: kept, not applied.
        f.groups[0].criteria[0].weight = 2.0;
        let r = read_target(&f, JudgedSet::Criteria(0)).unwrap();
        assert!(!r.pairwise.as_ref().unwrap().in_use);
        assert_eq!(r.method(), "direct");
        assert!(status_line(&r).contains("kept, not applied"));
        assert_eq!(read(&f).len(), 1);
    }

    #[test]
    fn a_viewpoint_weighs_the_groups_it_counts() {
        let ids: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let w = viewpoint_group_weights(&ids, &[0.6, 0.0, 0.4]);
        // b weighs 0: left out, so not counted.
        assert_eq!(
            w.into_iter().collect::<Vec<_>>(),
            vec![("a".to_string(), 0.6), ("c".to_string(), 0.4)]
        );
        let mut f = fw();
        let own = Viewpoint {
            id: "own".into(),
            group_weights: Some(BTreeMap::new()),
            ..Viewpoint::default()
        };
        let framework_s = Viewpoint {
            id: "fw".into(),
            ..Viewpoint::default()
        };
        f.viewpoints = vec![own, framework_s];
        assert_eq!(
            viewpoint_to_weigh(&f, JudgedSet::Groups, "own").map(|v| v.id.as_str()),
            Some("own")
        );
        // Without weights of its own, a viewpoint follows the framework's; criteria are
        // not weighed by viewpoints; an id the framework does not have is no viewpoint.
        assert!(viewpoint_to_weigh(&f, JudgedSet::Groups, "fw").is_none());
        assert!(viewpoint_to_weigh(&f, JudgedSet::Criteria(0), "own").is_none());
        assert!(viewpoint_to_weigh(&f, JudgedSet::Groups, "as-weighted").is_none());
    }
}
