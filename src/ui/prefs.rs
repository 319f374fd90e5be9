//! The user's preferences as the UI reads them (theme, recent files, panels). Loading
//! and saving them is the app shell's job (`app::prefs`).

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(default)]
pub struct Prefs {
    pub theme: Theme,
    pub recent: Vec<PathBuf>,
    pub show_mechanisms: bool,
    pub show_inspector: bool,
    pub mechanisms_width: f32,
    pub inspector_width: f32,
}

impl Default for Prefs {
    fn default() -> Self {
        Prefs {
            theme: Theme::Light,
            recent: Vec::new(),
            show_mechanisms: true,
            show_inspector: true,
            mechanisms_width: 240.0,
            inspector_width: 340.0,
        }
    }
}

pub const MAX_RECENT: usize = 10;
