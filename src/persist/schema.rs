//! Structural check of a parsed document against docs/project.schema.json. It reports
//! every type, range and shape problem at once (serde would stop at the first).

use std::sync::OnceLock;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::problem::{Problem, pointer_segments};

/// The JSON Schema of the current file version, as shipped in docs/.
pub const SCHEMA_TEXT: &str = include_str!("../../docs/project.schema.json");

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema: Value = serde_json::from_str(SCHEMA_TEXT).expect("bundled schema is JSON");
        jsonschema::validator_for(&schema).expect("bundled schema is valid")
    })
}

/// Every structural problem of `doc` (empty when it matches the schema).
pub fn check(doc: &Value, limit: usize) -> Vec<Problem> {
    let mut out = Vec::new();
    for e in validator().iter_errors(doc) {
        if out.len() >= limit {
            break;
        }
        explain(&e, &mut out);
    }
    out.truncate(limit);
    out
}

/// One problem per error; an object that matches none of a field's forms (e.g.
/// `null` or a package marker) is explained by what is wrong inside it, when only
/// one form has the object's shape.
fn explain(e: &jsonschema::ValidationError<'_>, out: &mut Vec<Problem>) {
    let pointer = e.instance_path().as_str().to_string();
    if let ValidationErrorKind::OneOfNotValid { context } = e.kind() {
        let inside: Vec<&Vec<jsonschema::ValidationError<'static>>> = context
            .iter()
            .filter(|branch| {
                !branch.is_empty()
                    && branch
                        .iter()
                        .all(|b| b.instance_path().as_str().len() > pointer.len())
            })
            .collect();
        if let [branch] = inside.as_slice() {
            for b in branch.iter() {
                explain(b, out);
            }
            return;
        }
    }
    let message = describe(e.kind(), &pointer, e.instance().as_ref());
    out.push(Problem::new(pointer, message));
}

fn json_kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "nothing (null)",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn type_name(t: &str) -> &'static str {
    match t {
        "string" => "text",
        "number" => "a number",
        "integer" => "a whole number",
        "boolean" => "true or false",
        "array" => "a list",
        "object" => "an object",
        "null" => "null",
        _ => "another type",
    }
}

fn show(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 60 {
        let cut: String = s.chars().take(57).collect();
        format!("{cut}…")
    } else {
        s
    }
}

fn describe(kind: &ValidationErrorKind, pointer: &str, instance: &Value) -> String {
    let field = pointer_segments(pointer)
        .last()
        .cloned()
        .unwrap_or_default();
    match kind {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => type_name(&t.to_string()).to_string(),
                TypeKind::Multiple(ts) => ts
                    .iter()
                    .map(|t| type_name(&t.to_string()).to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!(
                "expected {expected}, found {} {}",
                json_kind(instance),
                show(instance)
            )
        }
        ValidationErrorKind::Required { property } => {
            format!("the field {property} is missing")
        }
        ValidationErrorKind::AdditionalProperties { unexpected } => {
            let names: Vec<String> = unexpected.iter().map(|u| format!("\"{u}\"")).collect();
            format!(
                "unknown field {} (a typo? this version of the format does not know it)",
                names.join(", ")
            )
        }
        ValidationErrorKind::Enum { options } => {
            let opts: Vec<String> = options
                .as_array()
                .map(|a| a.iter().map(|o| o.to_string()).collect())
                .unwrap_or_default();
            format!(
                "{} is not allowed here; use one of {}",
                show(instance),
                opts.join(", ")
            )
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("must be {expected_value}, found {}", show(instance))
        }
        ValidationErrorKind::Minimum { limit }
        | ValidationErrorKind::ExclusiveMinimum { limit } => {
            format!(
                "{} is too small (the lowest allowed is {limit})",
                show(instance)
            )
        }
        ValidationErrorKind::Maximum { limit }
        | ValidationErrorKind::ExclusiveMaximum { limit } => {
            format!(
                "{} is too large (the highest allowed is {limit})",
                show(instance)
            )
        }
        ValidationErrorKind::MaxLength { limit } => {
            format!("this text is longer than the {limit} characters allowed")
        }
        ValidationErrorKind::MinLength { .. } => "this text must not be empty".to_string(),
        ValidationErrorKind::MaxItems { limit } => {
            format!("this list has more than the {limit} entries allowed")
        }
        ValidationErrorKind::Pattern { pattern } if pattern.as_str() == "\\S" => {
            "this name must contain a visible character, not only spaces".to_string()
        }
        ValidationErrorKind::Pattern { pattern } if pattern.as_str() == "^[0-9a-f]{32}$" => {
            format!(
                "{} is not a package key or seal: it must be 32 lowercase hex digits, as the program writes them",
                show(instance)
            )
        }
        ValidationErrorKind::Pattern { .. } => format!(
            "{} is not a valid id: use 1–64 lower-case letters, digits and '-', starting with a letter or digit",
            show(instance)
        ),
        ValidationErrorKind::PropertyNames { .. } => {
            "a key here is not a valid id (lower-case letters, digits and '-')".to_string()
        }
        ValidationErrorKind::OneOfNotValid { .. } | ValidationErrorKind::AnyOf { .. } => {
            match field.as_str() {
                "value" => format!(
                    "{} is not a score: use a number on the criterion's scale, \"not_assessed\" or \"not_applicable\"",
                    show(instance)
                ),
                "start_year" => format!(
                    "{} is not a year: use a whole number between 1800 and 2200, or null",
                    show(instance)
                ),
                "gate" => format!(
                    "{} is not a gate: use null or {{\"at_least\": 2}}",
                    show(instance)
                ),
                _ => format!("{} does not have an allowed form", show(instance)),
            }
        }
        other => format!("{} is not allowed here ({other:?})", show(instance)),
    }
}
