//! The places in a JSON value, by JSON Pointer (RFC 6901), for tests that change a
//! file one place at a time.

use serde_json::Value;

/// Every place below `v` (not `v` itself), depth first, a container before what it
/// holds, with its pointer (`~` written `~0`, `/` written `~1`).
pub fn places(v: &Value) -> Vec<(String, &Value)> {
    fn walk<'a>(v: &'a Value, at: &str, out: &mut Vec<(String, &'a Value)>) {
        let children: Vec<(String, &Value)> = match v {
            Value::Array(list) => list
                .iter()
                .enumerate()
                .map(|(i, x)| (format!("{at}/{i}"), x))
                .collect(),
            Value::Object(map) => map
                .iter()
                .map(|(k, x)| {
                    (
                        format!("{at}/{}", k.replace('~', "~0").replace('/', "~1")),
                        x,
                    )
                })
                .collect(),
            _ => Vec::new(),
        };
        for (place, x) in children {
            out.push((place.clone(), x));
            walk(x, &place, out);
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}
