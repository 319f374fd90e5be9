//! The migration chain: a file of version N is raised step by step to the current
//! version before it is checked and converted. Each step is a pure function on the
//! parsed JSON; every version has a golden file under tests/golden/.

use serde_json::Value;

use super::problem::Problem;

/// The version this build writes.
pub const CURRENT_VERSION: u64 = 2;

/// Why a document could not be brought to the current version.
#[derive(Debug, Clone, PartialEq)]
pub enum MigrateError {
    /// Written by a newer Policy Workbench: refused, never rewritten.
    Newer { found: u64 },
    /// No usable `schema_version`.
    Missing(Problem),
}

type Step = fn(Value) -> Result<Value, Problem>;

/// `STEPS[i]` migrates version `i + 1` to `i + 2`.
const STEPS: &[Step] = &[v1_to_v2];

/// Version 2 adds the workshop object (rounds, consensus, blind packages).
fn v1_to_v2(mut doc: Value) -> Result<Value, Problem> {
    let obj = doc
        .as_object_mut()
        .ok_or_else(|| Problem::new("", "a project file must be a JSON object"))?;
    if obj.contains_key("workshop") {
        return Err(Problem::new(
            "/workshop",
            "a version 1 file cannot have a \"workshop\" field (it came with version 2)",
        ));
    }
    obj.insert(
        "workshop".into(),
        serde_json::json!({
            "consensus_rule": "median",
            "reveal_names": false,
            "discussion": "",
            "rounds": [],
            "consensus": [],
            "package": null
        }),
    );
    Ok(doc)
}

/// Reads `schema_version` and applies every step up to the current version.
/// Returns the migrated document and the version it was written in.
pub fn migrate(mut doc: Value) -> Result<(Value, u64), MigrateError> {
    let Some(obj) = doc.as_object() else {
        return Err(MigrateError::Missing(Problem::new(
            "",
            "a project file must be a JSON object ({ … }) with a schema_version",
        )));
    };
    let found = match obj.get("schema_version") {
        None => {
            return Err(MigrateError::Missing(Problem::new(
                "",
                "the field \"schema_version\" is missing: this does not look like a Policy Workbench project",
            )));
        }
        Some(v) => match v.as_u64() {
            Some(n) if n >= 1 => n,
            _ => {
                return Err(MigrateError::Missing(Problem::new(
                    "/schema_version",
                    format!("schema_version must be a whole number from 1, found {v}"),
                )));
            }
        },
    };
    if found > CURRENT_VERSION {
        return Err(MigrateError::Newer { found });
    }
    let mut version = found;
    while version < CURRENT_VERSION {
        let step = STEPS[(version - 1) as usize];
        doc = step(doc).map_err(MigrateError::Missing)?;
        version += 1;
        doc["schema_version"] = Value::from(version);
    }
    Ok((doc, found))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn v1_gains_an_empty_workshop() {
        let (doc, from) = migrate(json!({"schema_version": 1, "x": 1})).unwrap();
        assert_eq!(from, 1);
        assert_eq!(doc["schema_version"], 2);
        assert_eq!(doc["workshop"]["rounds"], json!([]));
        assert_eq!(doc["workshop"]["consensus_rule"], "median");
        assert_eq!(doc["x"], 1, "everything else is kept");
    }

    #[test]
    fn chain_covers_every_version() {
        assert_eq!(STEPS.len() as u64, CURRENT_VERSION - 1);
    }

    #[test]
    fn newer_version_is_refused() {
        let doc = json!({"schema_version": CURRENT_VERSION + 1});
        assert_eq!(
            migrate(doc),
            Err(MigrateError::Newer {
                found: CURRENT_VERSION + 1
            })
        );
    }

    #[test]
    fn missing_or_bad_version_is_a_problem() {
        assert!(matches!(migrate(json!({})), Err(MigrateError::Missing(_))));
        assert!(matches!(
            migrate(json!({"schema_version": "one"})),
            Err(MigrateError::Missing(p)) if p.pointer == "/schema_version"
        ));
        assert!(matches!(migrate(json!([1])), Err(MigrateError::Missing(_))));
    }
}
