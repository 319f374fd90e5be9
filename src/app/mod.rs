//! The desktop app (feature "gui").

use std::path::PathBuf;
use std::process::ExitCode;

pub struct Launch {
    pub file: Option<PathBuf>,
    pub window_size: Option<(f32, f32)>,
    pub data_dir: Option<PathBuf>,
}

pub fn run(_launch: Launch) -> ExitCode {
    ExitCode::SUCCESS
}
