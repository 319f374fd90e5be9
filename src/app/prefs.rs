//! UI preferences (theme, recent files, panels), kept as a small JSON file in the data
//! folder. Documents are never stored here. The types live in `ui::prefs`; this module
//! reads and writes them.

use std::path::{Path, PathBuf};

pub use crate::ui::prefs::{MAX_RECENT, Prefs, Theme};

impl Prefs {
    fn file(dir: &Path) -> PathBuf {
        dir.join("preferences.json")
    }

    /// Reads preferences; anything missing or unreadable falls back to defaults.
    pub fn load(dir: &Path) -> Prefs {
        std::fs::read_to_string(Self::file(dir))
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default()
    }

    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        crate::persist::atomic::write_atomic(&Self::file(dir), text.as_bytes())
    }

    pub fn add_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        self.recent.retain(|p| *p != path);
        self.recent.insert(0, path);
        self.recent.truncate(MAX_RECENT);
    }
}

/// The default data folder: $XDG_DATA_HOME/policy-workbench or ~/.local/share/policy-workbench.
pub fn default_data_dir() -> PathBuf {
    if let Some(x) = std::env::var_os("XDG_DATA_HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(x).join("policy-workbench");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|x| !x.is_empty()) {
        return PathBuf::from(h).join(".local/share/policy-workbench");
    }
    std::env::temp_dir().join("policy-workbench")
}
