//! Plain geometry in pixels: rectangles and points. No drawing.

/// An axis-aligned rectangle in pixels, `x0 <= x1`, `y0 <= y1` (y grows downwards).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
}

impl Rect {
    pub fn new(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect {
        Rect {
            x0: x0.min(x1),
            y0: y0.min(y1),
            x1: x0.max(x1),
            y1: y0.max(y1),
        }
    }

    /// A rectangle of size `w` × `h` with its top-left corner at (x, y).
    pub fn sized(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect::new(x, y, x + w.max(0.0), y + h.max(0.0))
    }

    pub fn w(&self) -> f64 {
        self.x1 - self.x0
    }

    pub fn h(&self) -> f64 {
        self.y1 - self.y0
    }

    pub fn cx(&self) -> f64 {
        (self.x0 + self.x1) / 2.0
    }

    pub fn cy(&self) -> f64 {
        (self.y0 + self.y1) / 2.0
    }

    /// True when the two rectangles share more than a boundary line.
    pub fn overlaps(&self, o: &Rect) -> bool {
        self.x0 < o.x1 && o.x0 < self.x1 && self.y0 < o.y1 && o.y0 < self.y1
    }

    /// True when `o` lies entirely inside this rectangle.
    pub fn contains(&self, o: &Rect) -> bool {
        o.x0 >= self.x0 && o.x1 <= self.x1 && o.y0 >= self.y0 && o.y1 <= self.y1
    }

    /// The rectangle grown by `d` on every side (shrunk for negative `d`, never
    /// below zero size).
    pub fn inflate(&self, d: f64) -> Rect {
        let dx = d.max(-self.w() / 2.0);
        let dy = d.max(-self.h() / 2.0);
        Rect::new(self.x0 - dx, self.y0 - dy, self.x1 + dx, self.y1 + dy)
    }

    /// The point of the rectangle closest to (x, y).
    pub fn nearest(&self, x: f64, y: f64) -> (f64, f64) {
        (x.clamp(self.x0, self.x1), y.clamp(self.y0, self.y1))
    }
}
