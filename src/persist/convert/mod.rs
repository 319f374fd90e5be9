//! Hand-written conversion between the file types and the domain model. Reading only
//! translates; the rules a project obeys are checked by `model::rules`, in one place.

mod from_file;
mod to_file;

use serde_json::Number;

pub use from_file::from_file;
pub use to_file::to_file;

/// A JSON number for a value: whole numbers without ".0", so files stay tidy.
pub fn num(x: f64) -> Number {
    if x.is_finite() && x.fract() == 0.0 && x.abs() < 9.0e15 {
        Number::from(x as i64)
    } else {
        Number::from_f64(x).unwrap_or_else(|| Number::from(0))
    }
}
