//! Reading maps and free JSON values straight from the text with every key checked:
//! serde keeps the last of two equal keys in a map without a word, and the file types
//! are read without an intermediate `Value` tree on the fast path, so the check that
//! `locate::duplicate_keys` does on the text is done here as the map is built. (The
//! fields of a struct are checked by serde itself: "duplicate field".)

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserializer;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

fn twice<E: de::Error>(key: &str) -> E {
    E::custom(format!(
        "the field \"{key}\" is written twice in the same object; keep one"
    ))
}

/// Id → weight, every key once.
pub fn map<'de, D: Deserializer<'de>>(d: D) -> Result<BTreeMap<String, Number>, D::Error> {
    d.deserialize_map(WeightMap)
}

/// `map`, or `null` (`None`).
pub fn map_or_null<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<BTreeMap<String, Number>>, D::Error> {
    d.deserialize_option(OrNull)
}

struct WeightMap;

impl<'de> Visitor<'de> for WeightMap {
    type Value = BTreeMap<String, Number>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = access.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(twice(&key));
            }
            let v: Number = access.next_value()?;
            out.insert(key, v);
        }
        Ok(out)
    }
}

struct OrNull;

impl<'de> Visitor<'de> for OrNull {
    type Value = Option<BTreeMap<String, Number>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map or null")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        map(d).map(Some)
    }
}

/// Any JSON value whose objects (at every depth) have each key once.
pub fn value<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
    d.deserialize_any(AnyValue)
}

struct AnyValue;

/// One element of a list or one value of an object, read with `AnyValue`.
struct Element(Value);

impl<'de> de::Deserialize<'de> for Element {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        value(d).map(Element)
    }
}

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        value(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(Element(v)) = access.next_element()? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = access.next_key::<String>()? {
            if out.contains_key(&key) {
                return Err(twice(&key));
            }
            let Element(v) = access.next_value()?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Probe {
        #[serde(deserialize_with = "map")]
        m: BTreeMap<String, Number>,
        #[serde(default, deserialize_with = "map_or_null")]
        o: Option<BTreeMap<String, Number>>,
        #[serde(deserialize_with = "value")]
        v: Value,
    }

    fn probe(text: &str) -> Result<Probe, String> {
        serde_json::from_str(text).map_err(|e| e.to_string())
    }

    #[test]
    fn keys_written_twice_are_refused_at_every_depth() {
        let ok =
            probe(r#"{"m": {"a": 1, "b": 2.5}, "o": null, "v": {"x": [1, {"y": null}]}}"#).unwrap();
        assert_eq!(ok.m.len(), 2);
        assert!(ok.o.is_none());
        assert_eq!(ok.v, serde_json::json!({"x": [1, {"y": null}]}));
        let e = probe(r#"{"m": {"a": 1, "a": 2}, "o": null, "v": 1}"#).unwrap_err();
        assert!(e.contains("\"a\" is written twice"), "{e}");
        let e = probe(r#"{"m": {}, "o": {"b": 1, "b": 1}, "v": 1}"#).unwrap_err();
        assert!(e.contains("\"b\" is written twice"), "{e}");
        let e = probe(r#"{"m": {}, "v": [{"k": {"z": 1, "z": 2}}]}"#).unwrap_err();
        assert!(e.contains("\"z\" is written twice"), "{e}");
        // An escaped key is the same key.
        let e = probe(r#"{"m": {"a": 1, "\u0061": 2}, "v": 1}"#).unwrap_err();
        assert!(e.contains("written twice"), "{e}");
    }

    #[test]
    fn a_value_reads_as_serde_json_reads_it() {
        let text = r#"{"a": [1, -2, 3.25, 1e300, "s", true, null], "b": {"c": {}}}"#;
        let ours: Value = value(&mut serde_json::Deserializer::from_str(text)).unwrap();
        let theirs: Value = serde_json::from_str(text).unwrap();
        assert_eq!(ours, theirs);
        // Key order is kept (preserve_order), as serde_json keeps it.
        let text = r#"{"z": 1, "a": 2}"#;
        let ours: Value = value(&mut serde_json::Deserializer::from_str(text)).unwrap();
        assert_eq!(serde_json::to_string(&ours).unwrap(), r#"{"z":1,"a":2}"#);
    }
}
