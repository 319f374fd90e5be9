//! Git as the shared store (docs/git.md): `merge-file`, the merge driver git calls
//! with `%O %A %B %P`; `git-setup`, which registers it and the text conversion in a
//! repository; and `git-textconv`, the line-per-item text `git diff` shows.

use std::path::{Path, PathBuf};
use std::process::Command as Process;

use clap::Args;

use super::exit;
use crate::gitmerge::{self, project::looks_like_project};
use crate::persist;

/// The name of the merge driver and of the diff driver in git's configuration.
pub const DRIVER: &str = "policy-workbench";

#[derive(Args, Debug)]
pub struct MergeFileArgs {
    /// The common ancestor (git's %O); empty or missing when both sides added the file.
    pub base: PathBuf,
    /// Our version (git's %A); the result is written here.
    pub ours: PathBuf,
    /// Their version (git's %B).
    pub theirs: PathBuf,
    /// The file's path in the repository (git's %P), for messages.
    #[arg(long, value_name = "P")]
    pub path: Option<String>,
}

#[derive(Args, Debug)]
pub struct GitSetupArgs {
    /// Files the drivers apply to (default *.json; other JSON files are merged as
    /// text and shown as they are). Repeat for several patterns.
    #[arg(long, value_name = "GLOB")]
    pub pattern: Vec<String>,
}

#[derive(Args, Debug)]
pub struct TextconvArgs {
    pub file: PathBuf,
}

/// Reads a text file for the merge; None when it does not exist (a missing BASE).
fn read(path: &Path) -> Result<Option<String>, String> {
    if !path.exists() {
        return Ok(None);
    }
    let bytes =
        persist::input::read_file(path, persist::max_file_bytes()).map_err(|e| e.to_string())?;
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| format!("{} is not UTF-8 text", path.display()))
}

pub fn merge_file(a: &MergeFileArgs) -> u8 {
    let shown = a
        .path
        .clone()
        .unwrap_or_else(|| a.ours.display().to_string());
    let fail = |why: String| {
        say_err!(
            "policy-workbench merge-file {shown}: {why}; {} was not changed",
            a.ours.display()
        );
        exit::USAGE_OR_IO
    };
    let base = match read(&a.base) {
        Ok(b) => b,
        Err(e) => return fail(e),
    };
    let ours = match read(&a.ours) {
        Ok(Some(o)) => o,
        Ok(None) => return fail(format!("{} does not exist", a.ours.display())),
        Err(e) => return fail(e),
    };
    let theirs = match read(&a.theirs) {
        Ok(Some(t)) => t,
        Ok(None) => return fail(format!("{} does not exist", a.theirs.display())),
        Err(e) => return fail(e),
    };
    // Other JSON caught by the pattern (on any side) is merged as text; a side that
    // looks like a project but does not load stops the merge below.
    let base_other = base
        .as_deref()
        .is_some_and(|b| !b.trim().is_empty() && !looks_like_project(b));
    if !looks_like_project(&ours) || !looks_like_project(&theirs) || base_other {
        return merge_as_text(a, base.is_some(), &shown);
    }
    match gitmerge::merge_projects(base.as_deref(), &ours, &theirs) {
        Err(e) => fail(e.to_string()),
        Ok(m) => {
            if let Err(e) = persist::atomic::write_atomic(&a.ours, m.text.as_bytes()) {
                return fail(format!("could not write the result ({e})"));
            }
            if m.conflicts.is_empty() {
                exit::OK
            } else {
                say_err!(
                    "{shown}: {} recorded in the file (it is a valid project that keeps our side); resolve each (docs/git.md), then `git add` the file:",
                    crate::wording::plural(m.conflicts.len(), "conflict", "conflicts")
                );
                for c in m.conflicts.iter().take(20) {
                    let line = crate::model::MergeConflict {
                        path: c.path.clone(),
                        base: c.base.clone(),
                        ours: c.ours.clone(),
                        theirs: c.theirs.clone(),
                    }
                    .line();
                    say_err!("  - {line}");
                }
                if m.conflicts.len() > 20 {
                    say_err!("  - … and {} more", m.conflicts.len() - 20);
                }
                exit::INVALID
            }
        }
    }
}

/// Other JSON (or any other file the pattern caught): `git merge-file`'s text merge,
/// written through the atomic writer.
fn merge_as_text(a: &MergeFileArgs, has_base: bool, shown: &str) -> u8 {
    let empty;
    let base: &Path = if has_base {
        &a.base
    } else {
        empty = match tempfile::NamedTempFile::new() {
            Ok(f) => f,
            Err(e) => {
                say_err!("{shown}: could not make an empty base ({e}); nothing was changed");
                return exit::USAGE_OR_IO;
            }
        };
        empty.path()
    };
    let out = Process::new("git")
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
        ])
        .arg(&a.ours)
        .arg(base)
        .arg(&a.theirs)
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            say_err!(
                "{shown}: not a project file, and git merge-file could not run ({e}); nothing was changed"
            );
            return exit::USAGE_OR_IO;
        }
    };
    let code = out.status.code().unwrap_or(-1);
    if !(0..=127).contains(&code) {
        say_err!(
            "{shown}: git merge-file failed: {}; nothing was changed",
            String::from_utf8_lossy(&out.stderr).trim()
        );
        return exit::USAGE_OR_IO;
    }
    if let Err(e) = persist::atomic::write_atomic(&a.ours, &out.stdout) {
        say_err!("{shown}: could not write the result ({e}); nothing was changed");
        return exit::USAGE_OR_IO;
    }
    if code == 0 { exit::OK } else { exit::INVALID }
}

/// `git-textconv FILE`: a project as one line per item; any other file as it is.
pub fn textconv(a: &TextconvArgs) -> u8 {
    let bytes = match persist::input::read_file(&a.file, persist::max_file_bytes()) {
        Ok(b) => b,
        Err(e) => {
            say_err!("{e}");
            return exit::USAGE_OR_IO;
        }
    };
    let text = String::from_utf8_lossy(&bytes);
    let out = match persist::load_str(&text) {
        Ok(l) => gitmerge::textconv::render(&l.project),
        Err(_) => text.into_owned(),
    };
    super::write_stdout(&out)
}

/// A path quoted for the shell git runs drivers with.
fn shell_quote(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn git(args: &[&str]) -> Result<String, String> {
    let out = Process::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("git could not run ({e})"))?;
    if out.status.success() {
        Ok(String::from_utf8_lossy(&out.stdout).trim_end().to_string())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
    }
}

pub fn git_setup(a: &GitSetupArgs) -> u8 {
    let top = match git(&["rev-parse", "--show-toplevel"]) {
        Ok(t) => PathBuf::from(t),
        Err(e) => {
            say_err!("git-setup must run inside a git repository: {e}");
            return exit::USAGE_OR_IO;
        }
    };
    let exe = match std::env::current_exe() {
        Ok(p) => p.display().to_string(),
        Err(e) => {
            say_err!("could not tell where this program is ({e})");
            return exit::USAGE_OR_IO;
        }
    };
    let exe = shell_quote(&exe);
    let settings = [
        (
            format!("merge.{DRIVER}.name"),
            "Policy Workbench project files".to_string(),
        ),
        (
            format!("merge.{DRIVER}.driver"),
            format!("{exe} merge-file %O %A %B --path %P"),
        ),
        (format!("merge.{DRIVER}.recursive"), DRIVER.to_string()),
        (
            format!("diff.{DRIVER}.textconv"),
            format!("{exe} git-textconv"),
        ),
    ];
    for (key, value) in &settings {
        let now = git(&["config", "--local", "--get", key]).ok();
        if now.as_deref() == Some(value.as_str()) {
            say!("git config {key} is already set");
            continue;
        }
        if let Err(e) = git(&["config", "--local", key, value]) {
            say_err!("could not set git config {key}: {e}");
            return exit::USAGE_OR_IO;
        }
        say!("set git config {key} = {value}");
    }
    let patterns = if a.pattern.is_empty() {
        vec!["*.json".to_string()]
    } else {
        a.pattern.clone()
    };
    let attrs = top.join(".gitattributes");
    let current = std::fs::read_to_string(&attrs).unwrap_or_default();
    let mut text = current.clone();
    let mut added = Vec::new();
    for p in &patterns {
        let line = format!("{p} merge={DRIVER} diff={DRIVER}");
        if current.lines().any(|l| l.trim() == line) {
            say!("{} already has \"{line}\"", attrs.display());
            continue;
        }
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&line);
        text.push('\n');
        added.push(line);
    }
    if !added.is_empty() {
        if let Err(e) = persist::atomic::write_atomic(&attrs, text.as_bytes()) {
            say_err!("could not write {}: {e}", attrs.display());
            return exit::USAGE_OR_IO;
        }
        for l in &added {
            say!("added \"{l}\" to {}", attrs.display());
        }
        say!(
            "commit .gitattributes so everyone's clones use it (each clone runs git-setup once for the config)"
        );
    }
    say!(
        "To undo: git config --remove-section merge.{DRIVER}; git config --remove-section diff.{DRIVER}; and delete the \"merge={DRIVER} diff={DRIVER}\" lines from .gitattributes"
    );
    exit::OK
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_path_is_quoted_for_the_shell() {
        assert_eq!(shell_quote("/opt/pw/bin"), "'/opt/pw/bin'");
        assert_eq!(shell_quote("/a b/it's"), "'/a b/it'\\''s'");
    }
}
