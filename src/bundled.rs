//! Templates and the sample project, embedded in the binary so it works from any
//! folder. The bundled sample opens as an untitled copy and is never written back.

use crate::model::Project;
use crate::persist;

/// The bundled templates: (id, file text).
pub const TEMPLATES: &[(&str, &str)] = &[
    ("lemieux", include_str!("../templates/lemieux.json")),
    ("blank", include_str!("../templates/blank.json")),
];

/// The sample project from IRSEM Research Paper No. 135.
pub const SAMPLE: &str = include_str!("../sample_projects/china-police-cooperation.json");

/// File name suggested when the bundled sample is saved.
pub const SAMPLE_FILE_NAME: &str = "china-police-cooperation.json";

pub fn template_ids() -> Vec<&'static str> {
    TEMPLATES.iter().map(|(id, _)| *id).collect()
}

/// Loads a bundled template by id.
pub fn template(id: &str) -> Option<Project> {
    TEMPLATES
        .iter()
        .find(|(t, _)| *t == id)
        .map(|(_, text)| load_bundled(text))
}

pub fn sample() -> Project {
    load_bundled(SAMPLE)
}

fn load_bundled(text: &str) -> Project {
    // The bundled files are checked by the test suite; a failure here is a build bug.
    persist::load_str(text)
        .unwrap_or_else(|e| panic!("a bundled project file is invalid: {e}"))
        .project
}
