//! Group indices, composite total, ranks and gates from an effective matrix; rank ranges
//! under missing data (best and worst totals with the not-assessed cells at either end of
//! their scale) and the ranking rule.

use super::matrix::{Cell, Matrix, Weights, effective_matrix};
use super::selection::{Selection, SelectionError};
use super::stats;
use crate::model::*;

/// Below this share of (weighted) assessed criteria, an index is not computed.
pub const MIN_COVERAGE: f64 = 0.5;

/// A 0–100 index for one criteria group of one mechanism.
#[derive(Clone, Debug, PartialEq)]
pub struct GroupIndex {
    pub group_id: String,
    pub role: Role,
    /// None when coverage is below `MIN_COVERAGE` or nothing applies.
    pub index: Option<f64>,
    /// Weighted share of the applicable criteria that are assessed (0–1).
    pub coverage: f64,
}

/// A gate (precondition) that a mechanism does not meet.
#[derive(Clone, Debug, PartialEq)]
pub struct GateResult {
    pub criterion_id: String,
    pub at_least: f64,
    /// The value it has, or None when not assessed (the gate cannot be checked).
    pub value: Option<f64>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct MechanismResult {
    pub id: String,
    pub name: String,
    pub kind: Kind,
    /// Composite total on 0–100 (concern groups counted inverted), if computable.
    pub total: Option<f64>,
    /// Weighted share of the composite's groups that have an index (0–1).
    pub total_coverage: f64,
    /// Competition rank by total (1 = best); None without a total.
    pub rank: Option<usize>,
    pub groups: Vec<GroupIndex>,
    pub not_assessed: usize,
    pub not_applicable: usize,
    pub low_confidence: usize,
    pub scored: usize,
    /// Gates failed (value below the threshold).
    pub failed_gates: Vec<GateResult>,
    /// Gates that cannot be checked because the criterion is not assessed.
    pub unchecked_gates: Vec<GateResult>,
    /// The total with every open cell (see `open_cells`) at the favourable end of its
    /// scale; equal to the total as assessed when nothing is open.
    pub best_total: Option<f64>,
    /// The same at the unfavourable end.
    pub worst_total: Option<f64>,
    /// The best and worst rank the open cells of every mechanism allow (best first);
    /// the rank as assessed may lie outside it (see docs/analysis.md).
    pub rank_range: Option<(usize, usize)>,
    /// Some not-assessed cell could move the total (`open_cells` > 0).
    pub partial: bool,
    /// Not-assessed applicable cells of positive weight in the groups that count.
    pub open_cells: usize,
    /// A counted group (weight > 0, some applicable criterion) has no index.
    pub incomplete: bool,
    /// Left without a total and a rank by `RankingRule::UnrankIncomplete`.
    pub unranked_by_rule: bool,
}

impl MechanismResult {
    /// Not viable when any requirement gate fails, whatever the total.
    pub fn viable(&self) -> bool {
        self.failed_gates.is_empty()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Results {
    pub selection: Selection,
    /// The ranking rule the ranks follow (from the project's settings).
    pub ranking_rule: RankingRule,
    /// Whose interest the totals measure, and which way they read.
    pub viewpoint: Viewpoint,
    /// In the order of the effective matrix rows.
    pub mechanisms: Vec<MechanismResult>,
}

/// Oriented share in [0,1] of a criterion's value within its group: for concern
/// groups higher = more concern; for the others higher = better.
fn oriented(c: &Criterion, role: Role, v: f64) -> f64 {
    let x = c.scale.normalise(v);
    let cost = c.direction == Direction::Cost;
    let concern = role == Role::Concern;
    if cost == concern { x } else { 1.0 - x }
}

/// Computes results for a selection of the project.
pub fn analyze(project: &Project, sel: &Selection) -> Result<Results, SelectionError> {
    let m = effective_matrix(project, sel)?;
    Ok(results_from_matrix(&project.framework, &m, sel))
}

/// What the composite formula gives for one row of values.
struct Composite {
    groups: Vec<GroupIndex>,
    total: Option<f64>,
    total_coverage: f64,
    /// A counted group (weight > 0, some applicable criterion) has no index.
    incomplete: bool,
}

/// Group indices and the composite total of one row, `value(ci)` giving each
/// criterion's value (flattened framework order). The one total formula: the results,
/// and the best and worst cases of a rank range, all go through it.
fn composite(
    fw: &Framework,
    criteria: &[(usize, &Criterion)],
    weights: &Weights,
    reading: TotalReading,
    value: impl Fn(usize) -> ScoreValue,
) -> Composite {
    let mut groups = Vec::with_capacity(fw.groups.len());
    let mut num = 0.0;
    let mut den = 0.0;
    let mut den_all = 0.0;
    let mut incomplete = false;
    for (gi, g) in fw.groups.iter().enumerate() {
        let (mut wsum, mut wapplicable, mut acc) = (0.0, 0.0, 0.0);
        for (ci, (cgi, c)) in criteria.iter().enumerate() {
            if *cgi != gi {
                continue;
            }
            let w = weights.criteria[ci];
            match value(ci) {
                ScoreValue::Value(v) => {
                    wsum += w;
                    wapplicable += w;
                    acc += w * oriented(c, g.role, v);
                }
                ScoreValue::NotAssessed => wapplicable += w,
                ScoreValue::NotApplicable => {}
            }
        }
        let coverage = if wapplicable > 0.0 {
            wsum / wapplicable
        } else {
            0.0
        };
        let index = (wsum > 0.0 && coverage + 1e-12 >= MIN_COVERAGE).then(|| 100.0 * acc / wsum);
        let gw = weights.groups[gi];
        if gw > 0.0 && wapplicable > 0.0 {
            den_all += gw;
            if let Some(ix) = index {
                let d = if counts_inverted(g.role, reading) {
                    100.0 - ix
                } else {
                    ix
                };
                num += gw * d;
                den += gw;
            } else {
                incomplete = true;
            }
        }
        groups.push(GroupIndex {
            group_id: g.id.clone(),
            role: g.role,
            index,
            coverage,
        });
    }
    let total_coverage = if den_all > 0.0 { den / den_all } else { 0.0 };
    let total = (den > 0.0 && total_coverage + 1e-12 >= MIN_COVERAGE).then(|| num / den);
    Composite {
        groups,
        total,
        total_coverage,
        incomplete,
    }
}

/// True when a group's index counts as 100 − index in a composite of this reading:
/// concern groups in a "higher = better" total, the other groups in a "higher = more
/// concern" total.
pub fn counts_inverted(role: Role, reading: TotalReading) -> bool {
    (role == Role::Concern) != (reading == TotalReading::Concern)
}

/// The end of a criterion's scale that raises (`favourable`) or lowers the composite
/// total, honouring the criterion's direction, its group's role and the reading.
fn scale_end(c: &Criterion, role: Role, reading: TotalReading, favourable: bool) -> f64 {
    let (lo, hi) = (f64::from(c.scale.min), f64::from(c.scale.max));
    let good = |v: f64| {
        let x = oriented(c, role, v);
        if counts_inverted(role, reading) {
            1.0 - x
        } else {
            x
        }
    };
    let hi_better = good(hi) >= good(lo);
    if hi_better == favourable { hi } else { lo }
}

/// The not-assessed cells that could move a row's total: applicable criteria of
/// positive weight in a group that counts (weight > 0, some applicable criterion).
fn open_cells(
    fw: &Framework,
    criteria: &[(usize, &Criterion)],
    weights: &Weights,
    cells: &[Cell],
) -> Vec<bool> {
    let counted: Vec<bool> = (0..fw.groups.len())
        .map(|gi| {
            weights.groups[gi] > 0.0
                && criteria.iter().enumerate().any(|(ci, (g, _))| {
                    *g == gi
                        && weights.criteria[ci] > 0.0
                        && cells[ci].value != ScoreValue::NotApplicable
                })
        })
        .collect();
    criteria
        .iter()
        .enumerate()
        .map(|(ci, (g, _))| {
            counted[*g] && weights.criteria[ci] > 0.0 && cells[ci].value == ScoreValue::NotAssessed
        })
        .collect()
}

/// Rank ranges: best rank = 1 + the others whose worst total exceeds this one's best
/// (beyond `TIE_EPS`), worst rank = 1 + the others whose best total exceeds this one's
/// worst. Every mechanism with a best and worst total counts, ranked or not.
pub fn rank_ranges(bounds: &[Option<(f64, f64)>]) -> Vec<Option<(usize, usize)>> {
    const TIE_EPS: f64 = 1e-9;
    bounds
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let (best, worst) = (*b)?;
            let others = bounds
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .filter_map(|(_, o)| *o);
            let above_best = others
                .clone()
                .filter(|(_, ow)| *ow > best + TIE_EPS)
                .count();
            let above_worst = others.filter(|(ob, _)| *ob > worst + TIE_EPS).count();
            Some((1 + above_best, 1 + above_worst))
        })
        .collect()
}

/// Computes results from an effective matrix (weights and the ranking rule taken from
/// the matrix).
pub fn results_from_matrix(fw: &Framework, m: &Matrix, sel: &Selection) -> Results {
    let criteria: Vec<(usize, &Criterion)> = fw.criteria().collect();
    let reading = m.viewpoint.reading;
    let mut out = Vec::with_capacity(m.rows.len());
    let mut bounds = Vec::with_capacity(m.rows.len());
    for (ri, row) in m.rows.iter().enumerate() {
        let cells = &m.cells[ri];
        let Composite {
            groups,
            total,
            total_coverage,
            incomplete,
        } = composite(fw, &criteria, &m.weights, reading, |ci| cells[ci].value);
        let open = open_cells(fw, &criteria, &m.weights, cells);
        let open_count = open.iter().filter(|o| **o).count();
        let filled = |favourable: bool| {
            composite(fw, &criteria, &m.weights, reading, |ci| {
                if open[ci] {
                    let (g, c) = criteria[ci];
                    ScoreValue::Value(scale_end(c, fw.groups[g].role, reading, favourable))
                } else {
                    cells[ci].value
                }
            })
            .total
        };
        let (best_total, worst_total) = if open_count == 0 {
            (total, total)
        } else {
            (filled(true), filled(false))
        };
        bounds.push(best_total.zip(worst_total));
        let unranked_by_rule = incomplete && m.ranking_rule == RankingRule::UnrankIncomplete;

        let mut r = MechanismResult {
            id: row.mechanism_id.clone(),
            name: row.name.clone(),
            kind: row.kind,
            total: if unranked_by_rule { None } else { total },
            total_coverage,
            rank: None,
            groups,
            not_assessed: 0,
            not_applicable: 0,
            low_confidence: 0,
            scored: 0,
            failed_gates: Vec::new(),
            unchecked_gates: Vec::new(),
            best_total,
            worst_total,
            rank_range: None,
            partial: open_count > 0,
            open_cells: open_count,
            incomplete,
            unranked_by_rule,
        };
        for (ci, (_, c)) in criteria.iter().enumerate() {
            let cell = &cells[ci];
            match cell.value {
                ScoreValue::Value(_) => r.scored += 1,
                ScoreValue::NotAssessed => r.not_assessed += 1,
                ScoreValue::NotApplicable => r.not_applicable += 1,
            }
            if cell.value.number().is_some() && cell.confidence == Some(Confidence::Low) {
                r.low_confidence += 1;
            }
            if let Some(gate) = c.gate {
                let g = GateResult {
                    criterion_id: c.id.clone(),
                    at_least: gate.at_least,
                    value: cell.value.number(),
                };
                match cell.value {
                    ScoreValue::Value(v) if v < gate.at_least => r.failed_gates.push(g),
                    ScoreValue::Value(_) | ScoreValue::NotApplicable => {}
                    ScoreValue::NotAssessed => r.unchecked_gates.push(g),
                }
            }
        }
        out.push(r);
    }
    let totals: Vec<Option<f64>> = out.iter().map(|r| r.total).collect();
    for (r, rank) in out.iter_mut().zip(stats::competition_ranks(&totals)) {
        r.rank = rank;
    }
    for (r, range) in out.iter_mut().zip(rank_ranges(&bounds)) {
        r.rank_range = range;
    }
    Results {
        selection: sel.clone(),
        ranking_rule: m.ranking_rule,
        viewpoint: m.viewpoint.clone(),
        mechanisms: out,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crit(id: &str, dir: Direction) -> Criterion {
        let mut c = Criterion::new(id, id);
        c.direction = dir;
        c
    }

    fn group(id: &str, role: Role, w: f64, criteria: Vec<Criterion>) -> Group {
        Group {
            id: id.into(),
            name: id.into(),
            role,
            weight: w,
            description: String::new(),
            criteria,
        }
    }

    fn fw_of(groups: Vec<Group>) -> Framework {
        Framework {
            id: "t".into(),
            name: "t".into(),
            description: String::new(),
            groups,
            ..Framework::default()
        }
    }

    /// Rows of `Some(value)` / `None` (not assessed) / NaN (not applicable).
    fn matrix(fw: &Framework, rule: RankingRule, rows: &[(&str, Vec<Option<f64>>)]) -> Matrix {
        Matrix {
            rows: rows
                .iter()
                .map(|(n, _)| crate::compute::Row {
                    mechanism_id: n.to_string(),
                    name: n.to_string(),
                    kind: Kind::Bilateral,
                    added: false,
                })
                .collect(),
            cells: std::sync::Arc::new(
                rows.iter()
                    .map(|(_, v)| {
                        v.iter()
                            .map(|x| Cell {
                                value: match x {
                                    Some(v) if v.is_nan() => ScoreValue::NotApplicable,
                                    Some(v) => ScoreValue::Value(*v),
                                    None => ScoreValue::NotAssessed,
                                },
                                ..Cell::EMPTY
                            })
                            .collect()
                    })
                    .collect(),
            ),
            weights: Weights {
                groups: fw.groups.iter().map(|g| g.weight).collect(),
                criteria: fw.criteria().map(|(_, c)| c.weight).collect(),
            },
            ranking_rule: rule,
            viewpoint: Viewpoint::as_weighted(),
        }
    }

    fn close(a: Option<f64>, b: f64) {
        let a = a.expect("a value");
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    /// The counter-example: groups A and B of weight 1; A one criterion, B
    /// three. X = A 4 (index 100), B (0, not assessed, not assessed): B's coverage is
    /// 1/3, so B has no index and the total as assessed is A's, 100. Filled in, B is
    /// (0+4+4)/3 → 66.7 at best, 0 at worst: the total is 83.3 to 50, all below 100.
    /// Y is fully assessed at 2 everywhere: 50.
    fn counter_example(rule: RankingRule) -> Results {
        let b = Direction::Benefit;
        let fw = fw_of(vec![
            group("A", Role::Requirement, 1.0, vec![crit("a", b)]),
            group(
                "B",
                Role::Objective,
                1.0,
                vec![crit("b1", b), crit("b2", b), crit("b3", b)],
            ),
        ]);
        let m = matrix(
            &fw,
            rule,
            &[
                ("X", vec![Some(4.0), Some(0.0), None, None]),
                ("Y", vec![Some(2.0), Some(2.0), Some(2.0), Some(2.0)]),
            ],
        );
        results_from_matrix(&fw, &m, &Selection::default())
    }

    #[test]
    fn counter_example_total_lies_outside_its_range() {
        let r = counter_example(RankingRule::RankAssessed);
        let (x, y) = (&r.mechanisms[0], &r.mechanisms[1]);
        close(x.total, 100.0);
        close(x.best_total, 250.0 / 3.0);
        close(x.worst_total, 50.0);
        assert!(x.partial && x.incomplete && !x.unranked_by_rule);
        assert_eq!(x.open_cells, 2);
        assert_eq!(x.rank, Some(1));
        // X: nobody's worst beats 83.3; Y's best (50) does not beat X's worst (50).
        assert_eq!(x.rank_range, Some((1, 1)));
        // Y: X's worst (50) ties Y's 50, X's best (83.3) beats it.
        assert_eq!(y.rank, Some(2));
        assert_eq!(y.rank_range, Some((1, 2)));
        assert!(!y.partial && !y.incomplete);
        assert_eq!((y.best_total, y.worst_total), (y.total, y.total));
    }

    #[test]
    fn unranked_rule_leaves_the_incomplete_without_a_rank_but_with_a_range() {
        let r = counter_example(RankingRule::UnrankIncomplete);
        assert_eq!(r.ranking_rule, RankingRule::UnrankIncomplete);
        let (x, y) = (&r.mechanisms[0], &r.mechanisms[1]);
        assert!(x.unranked_by_rule);
        assert_eq!((x.total, x.rank), (None, None));
        // Its range still counts, for it and for the others.
        assert_eq!(x.rank_range, Some((1, 1)));
        close(x.best_total, 250.0 / 3.0);
        assert_eq!(y.rank, Some(1));
        assert_eq!(y.rank_range, Some((1, 2)));
    }

    /// P (objective, weight 2): p1 benefit, p2 cost. C (concern, weight 1): c1 cost,
    /// so a higher c1 is more concern and its favourable end is 0.
    ///   M1 = (4, 0, n.a.):  P 100, C no index → total 100; c1 at 0 → 100, at 4 →
    ///        (2·100 + 0)/3 = 66.7.
    ///   M2 = (n.a., 2, 2):  P coverage ½, index 50; C 50 → total 50; p1 at 4 → P 75,
    ///        (150 + 50)/3 = 66.7; at 0 → P 25, (50 + 50)/3 = 33.3.
    ///   M3 = (2, 2, 2): 50 (tied with M2 as assessed).  M4 = (4, 0, 0): 100 (tied
    ///        with M1).
    /// Ranges: M1 best 1, worst 1 + |{M4 (100)}| = 2 (M2's best 66.7 only ties);
    /// M2 best 1 + |{M4}| = 2 (M1's worst ties), worst 1 + |{M1, M3, M4}| = 4;
    /// M3 best 1 + |{M1, M4}| = 3, worst 1 + |{M1, M2, M4}| = 4; M4 1–1.
    type Rows = Vec<(&'static str, Vec<Option<f64>>)>;

    fn four() -> (Framework, Rows) {
        let fw = fw_of(vec![
            group(
                "P",
                Role::Objective,
                2.0,
                vec![crit("p1", Direction::Benefit), crit("p2", Direction::Cost)],
            ),
            group("C", Role::Concern, 1.0, vec![crit("c1", Direction::Cost)]),
        ]);
        let rows = vec![
            ("M1", vec![Some(4.0), Some(0.0), None]),
            ("M2", vec![None, Some(2.0), Some(2.0)]),
            ("M3", vec![Some(2.0), Some(2.0), Some(2.0)]),
            ("M4", vec![Some(4.0), Some(0.0), Some(0.0)]),
        ];
        (fw, rows)
    }

    #[test]
    fn ranges_with_ties_directions_and_gaps_on_several_mechanisms() {
        let (fw, rows) = four();
        let m = matrix(&fw, RankingRule::RankAssessed, &rows);
        let r = results_from_matrix(&fw, &m, &Selection::default());
        let get = |i: usize| &r.mechanisms[i];
        close(get(0).total, 100.0);
        close(get(0).best_total, 100.0);
        close(get(0).worst_total, 200.0 / 3.0);
        close(get(1).total, 50.0);
        close(get(1).best_total, 200.0 / 3.0);
        close(get(1).worst_total, 100.0 / 3.0);
        let ranks: Vec<_> = r.mechanisms.iter().map(|m| m.rank).collect();
        assert_eq!(ranks, [Some(1), Some(3), Some(3), Some(1)]);
        let ranges: Vec<_> = r.mechanisms.iter().map(|m| m.rank_range).collect();
        assert_eq!(
            ranges,
            [Some((1, 2)), Some((2, 4)), Some((3, 4)), Some((1, 1))]
        );
        let flags: Vec<_> = r
            .mechanisms
            .iter()
            .map(|m| (m.partial, m.open_cells, m.incomplete))
            .collect();
        assert_eq!(
            flags,
            [
                (true, 1, true),
                (true, 1, false),
                (false, 0, false),
                (false, 0, false)
            ]
        );

        // Under the other rule only M1 (concern group without an index) drops out.
        let m = matrix(&fw, RankingRule::UnrankIncomplete, &rows);
        let r = results_from_matrix(&fw, &m, &Selection::default());
        let ranks: Vec<_> = r.mechanisms.iter().map(|m| m.rank).collect();
        assert_eq!(ranks, [None, Some(2), Some(2), Some(1)]);
        let ranges2: Vec<_> = r.mechanisms.iter().map(|m| m.rank_range).collect();
        assert_eq!(ranges2, ranges);
    }

    #[test]
    fn gaps_that_cannot_move_the_total_are_not_partial() {
        // A not-assessed cell in a group of weight 0, and one of weight 0 in a
        // counted group, change nothing: not partial, no range beyond the total.
        let b = Direction::Benefit;
        let mut zero = crit("z", b);
        zero.weight = 0.0;
        let fw = fw_of(vec![
            group("A", Role::Objective, 1.0, vec![crit("a", b), zero]),
            group("Off", Role::Objective, 0.0, vec![crit("o", b)]),
        ]);
        let m = matrix(
            &fw,
            RankingRule::UnrankIncomplete,
            &[
                ("M", vec![Some(3.0), None, None]),
                ("N", vec![Some(1.0), Some(f64::NAN), Some(f64::NAN)]),
            ],
        );
        let r = results_from_matrix(&fw, &m, &Selection::default());
        for x in &r.mechanisms {
            assert!(
                !x.partial && !x.incomplete && !x.unranked_by_rule,
                "{}",
                x.id
            );
            assert_eq!(x.best_total, x.total);
            assert_eq!(x.worst_total, x.total);
        }
        assert_eq!(r.mechanisms[0].rank_range, Some((1, 1)));
        assert_eq!(r.mechanisms[1].rank_range, Some((2, 2)));
    }

    #[test]
    fn rank_ranges_from_bounds() {
        // (best, worst): the third has no bounds (nothing counts) and no range.
        let r = rank_ranges(&[
            Some((80.0, 40.0)),
            Some((60.0, 50.0)),
            None,
            Some((30.0, 30.0)),
        ]);
        assert_eq!(r, [Some((1, 2)), Some((1, 2)), None, Some((3, 3))]);
    }
}
