//! Workshop and teaching files: blind scoring packages out, analysts' files merged
//! in (conflicts to the user), a student exercise, and the comparison with a reference.

use std::path::{Path, PathBuf};

use super::dialogs::absolute;
use super::state::App;
use crate::edit::Command;
use crate::ui::modal_state::Modal;
use crate::ui::panel_state::FeedbackPanel;
use crate::ui::view_state::Tab;

impl App {
    /// Writes one blind package per analyst into `dir` (`<analyst-id>.json`).
    pub fn write_packages(&mut self, dir: &Path) {
        // The key that seals the packages goes into the master first (one undo
        // step); merge checks each returned package against it.
        let key_recorded = match crate::workshop::package_key_command(self.session.project()) {
            Some(cmd) => {
                self.edit(cmd, None);
                true
            }
            None => false,
        };
        let project = self.session.project().clone();
        if let Err(e) = std::fs::create_dir_all(dir) {
            self.modal = Some(Modal::SaveFailed {
                message: format!("could not create {}: {e}", dir.display()),
            });
            return;
        }
        let mut written = 0;
        for a in &project.analysts {
            match crate::workshop::make_package(
                &project,
                &a.id,
                &crate::workshop::PackageOptions::default(),
            ) {
                Ok(pkg) => {
                    let path = dir.join(format!("{}.json", a.id));
                    if let Err(e) = crate::persist::save_path(&path, &pkg.project) {
                        self.modal = Some(Modal::SaveFailed {
                            message: e.to_string(),
                        });
                        return;
                    }
                    written += 1;
                }
                Err(e) => {
                    self.status = e.to_string();
                    return;
                }
            }
        }
        self.status = format!(
            "Wrote {written} scoring packages to {}",
            absolute(dir).display()
        );
        if key_recorded {
            self.status.push_str(
                " — the master now holds the key that checks them when they come back: save it",
            );
        }
    }

    /// Loads returned analyst files and merges them; conflicts go to the user.
    pub fn start_merge(&mut self, paths: &[PathBuf]) {
        let mut incoming = Vec::new();
        for p in paths {
            match crate::persist::load_path(p) {
                Ok(l) => incoming.push(l.project),
                Err(e) => {
                    self.modal = Some(Modal::LoadFailed {
                        path: p.clone(),
                        problems: e.problems(),
                    });
                    return;
                }
            }
        }
        self.pending_merge = Some((paths.to_vec(), incoming, Vec::new()));
        self.finish_merge(Vec::new());
    }

    /// Runs the merge with the user's decisions (one per listed conflict).
    pub(super) fn finish_merge(&mut self, choices: Vec<Option<crate::workshop::Prefer>>) {
        use crate::workshop::{MergePolicy, merge};
        let Some((paths, incoming, conflicts)) = self.pending_merge.take() else {
            return;
        };
        let mut policy = MergePolicy::default();
        for (c, choice) in conflicts.iter().zip(&choices) {
            if let Some(ch) = choice {
                policy.resolve(c, *ch);
            }
        }
        match merge(self.session.project(), &incoming, &policy) {
            Ok(outcome) => {
                self.modal = None;
                let n: usize = outcome.summary.iter().map(|s| s.imported).sum();
                let warnings: Vec<&str> = outcome
                    .summary
                    .iter()
                    .flat_map(|s| s.warnings.iter().map(String::as_str))
                    .collect();
                self.edit(Command::Restore(Box::new(outcome.project)), None);
                self.status = format!(
                    "Merged {} file(s): {n} scores imported (one undo step)",
                    paths.len()
                );
                for w in warnings {
                    self.status.push_str(&format!(". Warning: {w}"));
                }
            }
            Err(report) => {
                let rows = report
                    .conflicts
                    .iter()
                    .map(|c| (c.to_string(), policy.choice_for(c)))
                    .collect();
                let problems = report.problems.iter().map(ToString::to_string).collect();
                self.pending_merge = Some((paths, incoming, report.conflicts));
                self.modal = Some(Modal::Merge { rows, problems });
            }
        }
    }

    /// Writes a student exercise made from the open project (the reference stays
    /// here), with the same defaults as `policy-workbench exercise`; the status says
    /// what was left out.
    pub fn write_exercise(&mut self, path: &Path) {
        if self.session.path() == Some(path) {
            self.modal = Some(Modal::SaveFailed {
                message: "an exercise cannot replace the project it is made from; choose another file name".into(),
            });
            return;
        }
        let (exercise, stripped) = crate::teaching::make_exercise(
            self.session.project(),
            &crate::teaching::ExerciseOptions::default(),
        );
        match crate::persist::save_path(path, &exercise) {
            Ok(()) => {
                self.status = format!(
                    "Wrote the student exercise {}. {}",
                    path.display(),
                    stripped.describe()
                )
            }
            Err(e) => {
                self.modal = Some(Modal::SaveFailed {
                    message: e.to_string(),
                })
            }
        }
    }

    /// Compares the open scoring (each of its analysts) with a reference file and shows
    /// the feedback — the same comparison as `policy-workbench feedback`.
    pub fn compare_with_reference(&mut self, path: &Path) {
        match crate::persist::load_path(path) {
            Ok(r) => {
                let result = crate::teaching::feedback(self.session.project(), &r.project)
                    .map_err(|e| e.to_string());
                self.status = match &result {
                    Ok(fb) => format!(
                        "Compared with {} in {}",
                        fb.reference_phrase(),
                        path.display()
                    ),
                    Err(e) => format!("Could not compare with {}: {e}", path.display()),
                };
                self.view.feedback = Some(FeedbackPanel {
                    reference: path.file_name().map_or_else(
                        || path.display().to_string(),
                        |n| n.to_string_lossy().into_owned(),
                    ),
                    result,
                });
                self.view.tab = Tab::Feedback;
            }
            Err(e) => {
                self.modal = Some(Modal::LoadFailed {
                    path: path.to_path_buf(),
                    problems: e.problems(),
                })
            }
        }
    }
}
