//! `policy-workbench check`: the check of a whole assessment (docs/check.md), as text
//! or JSON; exit 0 when no unacknowledged warning remains, 1 otherwise, 2 on usage or
//! I/O errors (a file that cannot be read or is not a valid project included).

use std::path::Path;

use super::exit;
use crate::check::{self, Severity};
use crate::persist;
use crate::wording::plural;

pub fn run(file: &Path, as_json: bool) -> u8 {
    let project = match persist::load_path(file) {
        Ok(l) => l.project,
        Err(e) => {
            say_err!("{}: {e}", file.display());
            return exit::USAGE_OR_IO;
        }
    };
    let report = check::check(&project);
    if as_json {
        println!(
            "{}",
            crate::terminal::json(
                &serde_json::to_string_pretty(&report.to_json()).expect("JSON values serialise")
            )
        );
    } else {
        let warnings = report.count(Severity::Warning);
        let open = report.open_warnings();
        say!(
            "{}: {} ({} acknowledged), {}",
            file.display(),
            plural(warnings, "warning", "warnings"),
            warnings - open,
            plural(report.count(Severity::Note), "note", "notes")
        );
        for f in &report.findings {
            say!();
            let mark = match &f.acknowledged {
                Some(_) => " (acknowledged)",
                None => "",
            };
            say!(
                "{} [{}]{mark} {}",
                f.severity().as_str(),
                f.rule.code(),
                f.place.text
            );
            say!("  What: {}", f.what);
            say!("  Why:  {}", f.rule.why());
            say!("  Fix:  {}", f.rule.fix());
            if let Some(r) = &f.acknowledged {
                say!("  Acknowledged: {r}");
            }
            say!("  Id:   {}", f.id);
        }
        for id in &report.stale_acknowledgements {
            say!();
            say!("An acknowledgement matches no finding any more: {id}");
        }
    }
    if report.open_warnings() > 0 {
        exit::INVALID
    } else {
        exit::OK
    }
}
