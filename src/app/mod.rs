//! The desktop app (feature "gui"): the eframe shell, the frame loop, file handling
//! and the one place where UI actions are applied (`App::handle`).

mod dialogs;
mod exports;
mod files;
pub mod first_frame;
mod fonts;
mod frame;
mod handle;
mod path_flow;
pub mod prefs;
pub mod recovery;
mod state;
mod workshop_files;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::ui;
pub use crate::ui::modal_state::{Guarded, Modal, PathPurpose};
pub use files::BACKGROUND_BYTES;
use prefs::Theme;
pub use state::{App, ExportJob, LoadJob};

/// How the app was started.
pub struct Launch {
    pub file: Option<PathBuf>,
    pub window_size: Option<(f32, f32)>,
    pub data_dir: Option<PathBuf>,
    /// The view to open on (a tab name), for screenshots and tests.
    pub view: Option<String>,
    /// Dark theme for this run (does not change the saved preference).
    pub dark: bool,
    /// When `main` began (the cold-start switch counts from it, `first_frame`).
    pub main_began: std::time::Instant,
}

/// Starts the window; returns when it closes.
pub fn run(launch: Launch) -> ExitCode {
    let data_dir = launch
        .data_dir
        .clone()
        .unwrap_or_else(prefs::default_data_dir);
    let size = launch.window_size.unwrap_or((1280.0, 800.0));
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_inner_size([size.0, size.1])
            .with_min_inner_size([640.0, 400.0])
            .with_title("Policy Workbench")
            .with_app_id("policy-workbench")
            .with_drag_and_drop(true),
        persist_window: false,
        // egui's own layout memory (panel widths, open sections) lives in the data
        // folder too, so --data-dir isolates everything.
        persistence_path: Some(data_dir.join("layout.ron")),
        ..Default::default()
    };
    let file = launch.file.clone();
    let view = launch.view.clone();
    let dark = launch.dark;
    let first_frame = first_frame::FirstFrame::from_env(launch.main_began);
    let result = eframe::run_native(
        "Policy Workbench",
        options,
        Box::new(move |_cc| {
            let mut app = App::new(data_dir);
            app.first_frame = first_frame;
            app.start(file.as_deref());
            if dark {
                app.prefs.theme = Theme::Dark;
            }
            if let Some(v) = view.as_deref() {
                match ui::Tab::parse(v) {
                    Some(t) => app.view.tab = t,
                    None => app.status = format!("There is no view \"{v}\""),
                }
            }
            Ok(Box::new(app))
        }),
    );
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("could not open the window: {e}");
            ExitCode::from(crate::cli::exit::USAGE_OR_IO)
        }
    }
}

impl eframe::App for App {
    fn on_exit(&mut self, _gl: Option<&eframe::glow::Context>) {
        // A clean exit leaves no recovery copy; unsaved work that the user did not
        // discard stays recoverable.
        if !self.session.is_dirty() {
            self.recovery.forget();
        }
        self.recovery.flush();
    }

    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if let Some(report) = self.first_frame.as_mut().and_then(|f| f.on_frame(&ctx)) {
            eprintln!("{report}");
            self.first_frame = None;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        }
        if ctx.input(|i| i.viewport().close_requested())
            && !self.allow_close
            && self.session.is_dirty()
        {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved {
                then: Guarded::Quit,
            });
        }
        self.ui_root(ui);
        if self.quit_requested {
            self.quit_requested = false;
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
        }
    }
}
