//! The search: walking outwards from the current share between candidate crossings
//! until the ranking changes (stability intervals), and the smallest weight move and
//! score change that change who is first.

use super::crossings::{TIE_EPS, Track, crossings, fast_ranks};
use super::tracks::{Cell3, Ctx, oriented, positive};
use super::types::{
    RankChange, ScoreFlip, Shift, WeightFlip, WeightInterval, WeightTarget, weight_targets,
};

impl Ctx<'_> {
    /// Pairs of rows whose crossings can change the ranking in the first `k` places.
    ///
    /// Before the first change, the first `k` places hold only mechanisms ranked `k` or
    /// better now, so a change needs a crossing that involves one of them (or a jump at
    /// a coverage breakpoint, checked separately). When every ranked mechanism matters
    /// (`k ≥ rows`), the first pair to swap is always one of neighbouring rank classes.
    pub(super) fn candidate_pairs(&self, k: usize) -> Vec<(usize, usize)> {
        let mut pairs = Vec::new();
        if k >= self.n {
            // Classes of equal current rank; the unranked rows form a last class.
            let mut classes: Vec<&[usize]> = Vec::new();
            let mut i = 0;
            while i < self.order0.len() {
                let r0 = self.rank0[self.order0[i]];
                let mut j = i;
                while j < self.order0.len() && self.rank0[self.order0[j]] == r0 {
                    j += 1;
                }
                classes.push(&self.order0[i..j]);
                i = j;
            }
            for w in classes.windows(2) {
                for &x in w[0] {
                    for &y in w[1] {
                        pairs.push((x, y));
                    }
                }
            }
        } else {
            let top: Vec<bool> = (0..self.n)
                .map(|r| self.rank0[r].is_some_and(|x| x <= k))
                .collect();
            for x in (0..self.n).filter(|&x| top[x]) {
                for (y, &y_top) in top.iter().enumerate() {
                    if y != x && (!y_top || y > x) {
                        pairs.push((x, y));
                    }
                }
            }
        }
        pairs
    }

    /// Whether the ranking at `totals` differs from the current one in a way that
    /// counts: some mechanism ranked within the first `k` places has a better rank than
    /// it has now (no total = no rank = worst), or, for the whole ranking (`all`), a
    /// mechanism ranked now has no total. Ties that only separate never count.
    pub(super) fn find_event(
        &self,
        totals: &[Option<f64>],
        k: usize,
        all: bool,
        buf: &mut Vec<f64>,
    ) -> Option<(Shift, Vec<Option<usize>>)> {
        let ranks = fast_ranks(totals, buf);
        let rt = |x: usize| ranks[x].unwrap_or(usize::MAX);
        let key0 = |x: usize| self.rank0[x].unwrap_or(usize::MAX);
        let riser = (0..self.n)
            .filter(|&b| rt(b) <= k && rt(b) < key0(b))
            .min_by_key(|&b| (rt(b), b));
        if let Some(b) = riser {
            let ahead = (0..self.n)
                .filter(|&a| key0(a) < key0(b) && rt(a) >= rt(b))
                .min_by_key(|&a| (key0(a), a));
            return Some((Shift::Rises { row: b, ahead }, ranks));
        }
        if all && let Some(a) = (0..self.n).find(|&a| self.rank0[a].is_some() && ranks[a].is_none())
        {
            return Some((Shift::LosesTotal { row: a }, ranks));
        }
        None
    }

    /// Walks from the current share `p` towards `end` (0 or 1) through the candidate
    /// points; returns the bound and the change there, if any.
    pub(super) fn walk(
        &self,
        tracks: &[Track],
        mut cands: Vec<f64>,
        p: f64,
        end: f64,
        k: usize,
        raw: &dyn Fn(f64) -> f64,
    ) -> (f64, Option<RankChange>) {
        if p == end {
            return (p, None);
        }
        let up = end > p;
        if up {
            cands.sort_by(f64::total_cmp);
        } else {
            cands.sort_by(|a, b| b.total_cmp(a));
        }
        let mut buf = Vec::with_capacity(self.n);
        let mut totals = vec![None; self.n];
        let mut prev = p;
        let all = k == usize::MAX;
        let change = |at: f64, shift: Shift, ranks: &[Option<usize>]| RankChange {
            share: at,
            raw: raw(at),
            first_after: (0..self.n).filter(|&r| ranks[r] == Some(1)).collect(),
            shift,
        };
        for next in cands.into_iter().chain(std::iter::once(end)) {
            let gap = if up { next - prev } else { prev - next };
            if !positive(gap) {
                continue;
            }
            let mid = 0.5 * (prev + next);
            for (t, tr) in totals.iter_mut().zip(tracks) {
                *t = tr.at(mid);
            }
            if let Some((shift, ranks)) = self.find_event(&totals, k, all, &mut buf) {
                return (prev, Some(change(prev, shift, &ranks)));
            }
            prev = next;
        }
        // The end itself, evaluated exactly.
        for (t, tr) in totals.iter_mut().zip(tracks) {
            *t = if up { tr.at1 } else { tr.at0 };
        }
        if let Some((shift, ranks)) = self.find_event(&totals, k, all, &mut buf) {
            return (end, Some(change(end, shift, &ranks)));
        }
        (end, None)
    }

    pub(super) fn interval(
        &self,
        target: WeightTarget,
        k: usize,
        pairs: &[(usize, usize)],
    ) -> WeightInterval {
        let (w, others) = self.level(target);
        let total = w + others;
        let p = if total > 0.0 { w / total } else { 0.0 };
        let label = self.label(target);
        if !positive(others) {
            return WeightInterval {
                target,
                label,
                movable: false,
                current_share: p,
                low_share: p,
                high_share: p,
                current_raw: w,
                low_raw: w,
                high_raw: w,
                low_change: None,
                high_change: None,
            };
        }
        let raw = move |t: f64| {
            if t == p {
                w
            } else if t >= 1.0 {
                f64::INFINITY
            } else {
                t * others / (1.0 - t)
            }
        };
        let tracks = self.tracks(target, others);
        let (mut up, mut down) = (Vec::new(), Vec::new());
        let mut sort_in = |x: f64| {
            if x > p {
                up.push(x);
            } else if x < p {
                down.push(x);
            }
        };
        for tr in &tracks {
            if let Some(s) = tr.split {
                sort_in(s);
            }
        }
        let mut roots = Vec::new();
        for &(x, y) in pairs {
            roots.clear();
            crossings(&tracks[x], &tracks[y], &mut roots);
            for &r in &roots {
                sort_in(r);
            }
        }
        let (high, high_change) = self.walk(&tracks, up, p, 1.0, k, &raw);
        let (low, low_change) = self.walk(&tracks, down, p, 0.0, k, &raw);
        WeightInterval {
            target,
            label,
            movable: true,
            current_share: p,
            low_share: low,
            high_share: high,
            current_raw: w,
            low_raw: raw(low),
            high_raw: raw(high),
            low_change,
            high_change,
        }
    }

    pub(super) fn weight_flips(&self, first: &[usize]) -> Vec<WeightFlip> {
        let pairs = self.candidate_pairs(1);
        let mut found: Vec<(f64, WeightFlip)> = Vec::new();
        for target in weight_targets(self.fw) {
            let iv = self.interval(target, 1, &pairs);
            for ch in [&iv.low_change, &iv.high_change].into_iter().flatten() {
                let flip = WeightFlip {
                    target,
                    label: iv.label.clone(),
                    from_share: iv.current_share,
                    to_share: ch.share,
                    from_raw: iv.current_raw,
                    to_raw: ch.raw,
                    old_first: first.to_vec(),
                    new_first: ch.first_after.clone(),
                    old_first_names: self.names(first),
                    new_first_names: self.names(&ch.first_after),
                };
                found.push(((ch.share - iv.current_share).abs(), flip));
            }
        }
        let Some(min) = found.iter().map(|(d, _)| *d).min_by(f64::total_cmp) else {
            return Vec::new();
        };
        found
            .into_iter()
            .filter(|(d, _)| *d <= min + TIE_EPS)
            .map(|(_, f)| f)
            .collect()
    }

    pub(super) fn score_flips(&self, first: &[usize]) -> Vec<ScoreFlip> {
        let cw = &self.m.weights.criteria;
        let gw = &self.m.weights.groups;
        let is_first = |r: usize| self.rank0[r] == Some(1);
        // The two best totals overall, and the two best among rows not first now.
        let top2 = |filter: &dyn Fn(usize) -> bool| {
            let mut best: [Option<(f64, usize)>; 2] = [None, None];
            for r in (0..self.n).filter(|&r| filter(r)) {
                let Some(v) = self.total0[r] else { continue };
                if best[0].is_none_or(|(b, _)| v > b) {
                    best[1] = best[0];
                    best[0] = Some((v, r));
                } else if best[1].is_none_or(|(b, _)| v > b) {
                    best[1] = Some((v, r));
                }
            }
            best
        };
        let all2 = top2(&|_| true);
        let rest2 = top2(&|r| !is_first(r));
        let other = |best: &[Option<(f64, usize)>; 2], r: usize| match best[0] {
            Some((_, x)) if x == r => best[1],
            b => b,
        };
        // Does row r at total `t` bring a mechanism that is not first now into first place?
        let flips = |r: usize, t: f64| {
            let max_new = other(&all2, r).map_or(t, |(v, _)| v.max(t));
            // As `competition_ranks`: first unless someone is more than TIE_EPS ahead.
            let in_first = |v: f64| max_new <= v + TIE_EPS;
            (!is_first(r) && in_first(t)) || other(&rest2, r).is_some_and(|(v, _)| in_first(v))
        };
        // Pass 1: for each cell, the nearest level that flips.
        let mut cands: Vec<(f64, usize, usize, f64, f64)> = Vec::new(); // steps, row, ci, to, total
        for r in 0..self.n {
            let Some(t0) = self.total0[r] else { continue };
            let den: f64 = self.groups0[r]
                .iter()
                .enumerate()
                .filter(|(h, st)| gw[*h] > 0.0 && st.applicable && st.d.is_some())
                .map(|(h, _)| gw[h])
                .sum();
            for (ci, cell) in self.cells[r].iter().enumerate() {
                let Cell3::Value(v, o) = *cell else { continue };
                let g = self.crit_group[ci];
                let st = self.groups0[r][g];
                if !(gw[g] > 0.0 && st.applicable && st.d.is_some() && cw[ci] > 0.0) {
                    continue;
                }
                let sign = if self.concern[g] { -1.0 } else { 1.0 };
                let coef = sign * gw[g] * 100.0 * cw[ci] / st.wsum / den;
                let c = self.crits[ci];
                let role = self.fw.groups[g].role;
                let mut best: Option<(f64, f64, f64)> = None;
                for level in c.scale.min..=c.scale.max {
                    let to = f64::from(level);
                    let steps = (to - v).abs();
                    if steps < 1e-12 || best.is_some_and(|(s, _, _)| s <= steps) {
                        continue;
                    }
                    let t = t0 + coef * (oriented(c, role, to) - o);
                    if flips(r, t) {
                        best = Some((steps, to, t));
                    }
                }
                if let Some((steps, to, t)) = best {
                    cands.push((steps, r, ci, to, t));
                }
            }
        }
        let Some(min) = cands.iter().map(|c| c.0).min_by(f64::total_cmp) else {
            return Vec::new();
        };
        // Pass 2: describe the smallest ones.
        cands
            .into_iter()
            .filter(|c| c.0 <= min + 1e-9)
            .map(|(steps, r, ci, to, t)| {
                let total = |x: usize| if x == r { Some(t) } else { self.total0[x] };
                let max_new = (0..self.n)
                    .filter_map(total)
                    .fold(f64::NEG_INFINITY, f64::max);
                let new_first: Vec<usize> = (0..self.n)
                    .filter(|&x| total(x).is_some_and(|v| max_new <= v + TIE_EPS))
                    .collect();
                let Cell3::Value(from, _) = self.cells[r][ci] else {
                    unreachable!("only scored cells are candidates")
                };
                ScoreFlip {
                    row: r,
                    criterion: ci,
                    mechanism_name: self.m.rows[r].name.clone(),
                    criterion_name: self.crits[ci].name.clone(),
                    from_value: from,
                    to_value: to,
                    steps,
                    old_first: first.to_vec(),
                    old_first_names: self.names(first),
                    new_first_names: self.names(&new_first),
                    new_first,
                }
            })
            .collect()
    }
}
