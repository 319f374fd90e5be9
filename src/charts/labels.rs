//! Greedy placement of point labels (used by the quadrant chart).
//!
//! Each label tries positions around its point, nearest first: eight directions on a
//! first ring just outside the mark, then on wider rings (those get a leader line).
//! On each ring it tries its texts from longest to shortest (full name, acronym,
//! shortened name). A position is taken when its rectangle stays inside the bounds,
//! overlaps no label placed before and no obstacle (captions), and keeps clear of
//! every mark. A label that finds no position is skipped, never drawn over another.

use super::geom::Rect;

/// A point that wants a label.
#[derive(Clone, Debug)]
pub struct LabelRequest {
    /// Centre of the mark, in pixels.
    pub x: f64,
    pub y: f64,
    /// Radius of the mark: labels keep clear of it.
    pub r: f64,
    /// Candidate texts with their widths in pixels, preferred first.
    pub texts: Vec<(String, f64)>,
    /// Height of the label box in pixels.
    pub height: f64,
}

/// Where a label went.
#[derive(Clone, Debug, PartialEq)]
pub struct Placement {
    pub text: String,
    pub rect: Rect,
    /// The label is away from its mark: draw a leader line.
    pub leader: bool,
}

/// How many rings of positions are tried around each point.
const RINGS: usize = 5;

/// Places labels greedily in the order given (earlier requests win). `gap` is the
/// distance kept between a mark and its label. Returns one entry per request.
pub fn place_labels(
    requests: &[LabelRequest],
    obstacles: &[Rect],
    bounds: Rect,
    gap: f64,
) -> Vec<Option<Placement>> {
    let mut taken: Vec<Rect> = Vec::with_capacity(requests.len());
    let mut out = Vec::with_capacity(requests.len());
    for i in 0..requests.len() {
        let found = place_one(i, requests, obstacles, &taken, bounds, gap);
        if let Some(p) = &found {
            taken.push(p.rect);
        }
        out.push(found);
    }
    out
}

fn place_one(
    index: usize,
    requests: &[LabelRequest],
    obstacles: &[Rect],
    taken: &[Rect],
    bounds: Rect,
    gap: f64,
) -> Option<Placement> {
    let req = &requests[index];
    let h = req.height;
    // Labels may touch but keep a hair of air between them.
    let pad = (h * 0.08).max(0.5);
    for ring in 0..RINGS {
        let d = req.r + gap + ring as f64 * h * 1.15;
        for (text, w) in &req.texts {
            for rect in candidates(req.x, req.y, d, *w, h) {
                if !bounds.contains(&rect) {
                    continue;
                }
                let padded = rect.inflate(pad);
                if taken.iter().any(|t| t.overlaps(&padded)) {
                    continue;
                }
                if obstacles.iter().any(|o| o.overlaps(&rect)) {
                    continue;
                }
                // Keep clear of every mark, with a margin, so that a label never
                // sits against another point and reads as its label.
                let near_mark = requests.iter().enumerate().any(|(j, o)| {
                    let margin = if j == index { gap * 0.5 } else { gap * 1.5 };
                    circle_overlaps(&rect, o.x, o.y, o.r + margin)
                });
                if near_mark {
                    continue;
                }
                // A label without a leader line must read as its own mark's: no
                // other mark may be nearly as close to it as its own.
                if ring == 0 {
                    let own = clearance(&rect, req.x, req.y, req.r);
                    let ambiguous = requests
                        .iter()
                        .enumerate()
                        .any(|(j, o)| j != index && clearance(&rect, o.x, o.y, o.r) < own + h);
                    if ambiguous {
                        continue;
                    }
                }
                return Some(Placement {
                    text: text.clone(),
                    rect,
                    leader: ring > 0,
                });
            }
        }
    }
    None
}

/// The gap between the rectangle and the edge of the circle (x, y, r); negative when
/// they overlap.
fn clearance(rect: &Rect, x: f64, y: f64, r: f64) -> f64 {
    let (nx, ny) = rect.nearest(x, y);
    ((nx - x).powi(2) + (ny - y).powi(2)).sqrt() - r
}

/// True when the circle (x, y, r) and the rectangle share an area.
fn circle_overlaps(rect: &Rect, x: f64, y: f64, r: f64) -> bool {
    let (nx, ny) = rect.nearest(x, y);
    (nx - x).powi(2) + (ny - y).powi(2) < r * r
}

/// Label rectangles of size w × h at distance d from (x, y): right, left, above,
/// below, then the four diagonals.
fn candidates(x: f64, y: f64, d: f64, w: f64, h: f64) -> [Rect; 8] {
    let k = d * std::f64::consts::FRAC_1_SQRT_2;
    [
        Rect::sized(x + d, y - h / 2.0, w, h),
        Rect::sized(x - d - w, y - h / 2.0, w, h),
        Rect::sized(x - w / 2.0, y - d - h, w, h),
        Rect::sized(x - w / 2.0, y + d, w, h),
        Rect::sized(x + k, y - k - h, w, h),
        Rect::sized(x + k, y + k, w, h),
        Rect::sized(x - k - w, y - k - h, w, h),
        Rect::sized(x - k - w, y + k, w, h),
    ]
}

/// Labels stacked in one column (e.g. at the ends of a bump chart): each label is a
/// band of `height` pixels centred at its `ys` entry. Tried in `order` (earlier wins);
/// a label is kept when its band overlaps none kept before. Returns one flag per label.
pub fn pick_column_labels(ys: &[f64], order: &[usize], height: f64) -> Vec<bool> {
    let mut keep = vec![false; ys.len()];
    let mut taken: Vec<(f64, f64)> = Vec::new();
    let half = height / 2.0;
    for &i in order {
        let Some(&y) = ys.get(i) else { continue };
        let (a, b) = (y - half, y + half);
        if taken.iter().all(|&(t0, t1)| b <= t0 || a >= t1) {
            taken.push((a, b));
            keep[i] = true;
        }
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(x: f64, y: f64, name: &str) -> LabelRequest {
        LabelRequest {
            x,
            y,
            r: 6.0,
            texts: vec![
                (name.to_string(), name.len() as f64 * 7.0),
                (name[..3].to_string(), 21.0),
            ],
            height: 14.0,
        }
    }

    #[test]
    fn a_lone_point_gets_its_full_label_beside_it() {
        let bounds = Rect::new(0.0, 0.0, 400.0, 300.0);
        let p = place_labels(&[req(100.0, 100.0, "Alpha mechanism")], &[], bounds, 3.0);
        let p = p[0].as_ref().expect("placed");
        assert_eq!(p.text, "Alpha mechanism");
        assert!(!p.leader);
        assert!(p.rect.x0 > 100.0, "to the right first");
    }

    #[test]
    fn dense_cluster_yields_no_overlapping_labels() {
        // 60 points crowded into a 200 × 150 patch of a 500 × 400 plot, several on
        // the very same spot, with long names.
        let bounds = Rect::new(0.0, 0.0, 500.0, 400.0);
        let mut reqs = Vec::new();
        for i in 0..60 {
            let x = 150.0 + f64::from((i * 37) % 200);
            let y = 120.0 + f64::from((i * 53) % 150);
            let (x, y) = if i % 7 == 0 { (250.0, 200.0) } else { (x, y) };
            reqs.push(req(x, y, &format!("Mechanism number {i} with a long name")));
        }
        let marks: Vec<Rect> = reqs
            .iter()
            .map(|r| Rect::new(r.x - 4.0, r.y - 4.0, r.x + 4.0, r.y + 4.0))
            .collect();
        let placed = place_labels(&reqs, &marks, bounds, 3.0);
        let rects: Vec<Rect> = placed.iter().flatten().map(|p| p.rect).collect();
        assert!(
            rects.len() >= 20,
            "most labels find a place: {}",
            rects.len()
        );
        assert!(
            placed.iter().any(|p| p.is_none()),
            "the case is dense enough to skip some"
        );
        for (i, a) in rects.iter().enumerate() {
            assert!(bounds.contains(a), "label {i} inside the plot");
            for b in &rects[i + 1..] {
                assert!(!a.overlaps(b), "{a:?} overlaps {b:?}");
            }
            for m in &marks {
                assert!(!a.overlaps(m), "{a:?} covers a mark {m:?}");
            }
        }
    }
    #[test]
    fn a_label_beside_its_mark_is_never_nearer_another_mark() {
        // Two marks a label-height apart on a diagonal: the first mark's label may
        // not sit to the right, where it would touch the second mark as closely as its
        // own; it goes elsewhere or gets a leader line.
        let bounds = Rect::new(0.0, 0.0, 400.0, 300.0);
        let reqs = [
            req(100.0, 100.0, "Alpha mechanism"),
            req(135.0, 122.0, "Beta"),
        ];
        let placed = place_labels(&reqs, &[], bounds, 3.0);
        for (i, p) in placed.iter().enumerate() {
            let p = p.as_ref().expect("placed");
            if p.leader {
                continue;
            }
            let own = clearance(&p.rect, reqs[i].x, reqs[i].y, reqs[i].r);
            let other = &reqs[1 - i];
            let theirs = clearance(&p.rect, other.x, other.y, other.r);
            assert!(theirs >= own + 14.0, "label {i}: own {own}, other {theirs}");
        }
    }

    #[test]
    fn column_labels_never_overlap_and_priority_wins() {
        // Rows 10 px apart, labels 14 px high: row 3 is asked for first and keeps
        // its label, so rows 2 and 4 lose theirs.
        let ys: Vec<f64> = (0..6).map(|i| 10.0 * f64::from(i)).collect();
        let keep = pick_column_labels(&ys, &[3, 0, 1, 2, 4, 5], 14.0);
        assert_eq!(keep, vec![true, false, false, true, false, true]);
        let all = pick_column_labels(&ys, &[0, 1, 2, 3, 4, 5], 10.0);
        assert!(all.iter().all(|k| *k), "touching bands do not overlap");
    }
}
