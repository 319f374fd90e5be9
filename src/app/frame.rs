//! One frame of the app: fonts and theme, the dialog poll, shortcuts and dropped
//! files, the window title, the derived results, the UI, the actions applied, and the
//! recovery tick.

use std::path::{Path, PathBuf};

use super::fonts;
use super::prefs::Theme;
use super::state::App;
use crate::ui;
use crate::ui::action::Action;

impl App {
    pub(super) fn window_title(&self) -> String {
        format!(
            "{}{} — {} — Policy Workbench",
            if self.session.is_dirty() { "* " } else { "" },
            self.session.display_name(),
            self.session.project().info.title
        )
    }

    /// One frame of the whole app, without eframe (tests drive this directly).
    pub fn ui_root(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        if !self.fonts_installed {
            fonts::install(&ctx);
            self.fonts_installed = true;
        }
        if self.applied_theme != Some(self.prefs.theme) {
            ctx.set_theme(match self.prefs.theme {
                Theme::Light => egui::Theme::Light,
                Theme::Dark => egui::Theme::Dark,
            });
            self.applied_theme = Some(self.prefs.theme);
        }
        self.poll_dialog();
        if self.dialog.is_some() {
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if self.poll_loading() {
            if let Some(line) = self.loading_line() {
                self.status = line;
            }
            ctx.request_repaint_after(std::time::Duration::from_millis(200));
        }

        // An open modal owns the keyboard: no command shortcuts behind it.
        let shortcuts = if self.modal.is_none() {
            ui::commands::pressed(&ctx)
        } else {
            Vec::new()
        };
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        // A file dropped on an open modal would replace it (a merge's decisions, say).
        let dropped_file = dropped
            .into_iter()
            .next()
            .filter(|_| self.modal.is_none())
            .map(Action::Open);

        let title = self.window_title();
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }

        let (matrix, results) = match self.session.derived(&self.view.selection()) {
            Ok(d) => d,
            Err(e) => {
                // The chosen analyst or scenario no longer exists (e.g. after undo).
                self.status = e.to_string();
                self.view.analyst = None;
                self.view.scenario = None;
                self.view.round = None;
                self.view.consensus = false;
                self.session
                    .derived(&self.view.selection())
                    .expect("the base selection always exists")
            }
        };
        let warnings = self.session.warnings();
        let chrome = ui::Chrome {
            warnings,
            dirty: self.session.is_dirty(),
            display_name: self.session.display_name(),
            path: self.session.path().map(Path::to_path_buf),
            status: &self.status,
            prefs: &self.prefs,
            undo_label: self.session.history().undo_label(),
            redo_label: self.session.history().redo_label(),
            dialog_open: self.dialog.is_some(),
            modal_open: self.modal.is_some(),
        };
        let mut actions: Vec<Action> = shortcuts
            .into_iter()
            .filter_map(|id| id.action(&chrome))
            .collect();
        actions.extend(dropped_file);
        let cx = ui::Cx {
            project: self.session.project(),
            matrix: &matrix,
            results: &results,
            revision: self.session.revision(),
            chrome: &chrome,
        };
        ui::app_ui(ui, &cx, &mut self.view, self.modal.as_mut(), &mut actions);
        self.handle(actions);

        let focused = ctx.input(|i| i.focused);
        let focus_lost = self.was_focused && !focused;
        self.was_focused = focused;
        if let Some(after) = self.recovery.tick(&self.session, focus_lost) {
            ctx.request_repaint_after(after);
        }
    }
}
