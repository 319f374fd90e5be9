//! The menu bar: File, Edit, View and Help, drawn from the command table (labels,
//! platform shortcut names, enabled state), plus the lists that change with the
//! project (templates, recent files, views).

use crate::ui::action::Action;
use crate::ui::commands::{self, CommandId, Menu};
use crate::ui::context::Cx;
use crate::ui::view_state::{Tab, ViewState};
use Place::{After, AfterItem, Before};

pub fn menu_ui(ui: &mut egui::Ui, cx: &Cx, view: &mut ViewState, out: &mut Vec<Action>) {
    egui::MenuBar::new().ui(ui, |ui| {
        ui.menu_button("File", |ui| {
            commands_ui(
                ui,
                cx,
                view,
                Menu::File,
                out,
                |ui, section, view, out| match section {
                    Before(0) => new_from_template_ui(ui, out),
                    AfterItem(CommandId::OpenPath) => open_recent_ui(ui, cx, out),
                    After(2) => {
                        ui.menu_button("Export charts", |ui| {
                            commands_ui(ui, cx, view, Menu::FileExportCharts, out, |_, _, _, _| {});
                        });
                    }
                    _ => {}
                },
            );
        });
        ui.menu_button("Edit", |ui| {
            commands_ui(ui, cx, view, Menu::Edit, out, |_, _, _, _| {});
        });
        ui.menu_button("View", |ui| {
            commands_ui(ui, cx, view, Menu::View, out, |ui, section, view, _| {
                if section == Before(1) {
                    for t in Tab::ALL {
                        if ui.button(t.label()).clicked() {
                            view.tab = t;
                        }
                    }
                    ui.separator();
                }
            });
        });
        ui.menu_button("Help", |ui| {
            commands_ui(ui, cx, view, Menu::Help, out, |_, _, _, _| {});
        });
    });
}

/// Where a hook of `commands_ui` is called: before or after a section of commands,
/// or after one command.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Place {
    Before(u8),
    After(u8),
    AfterItem(CommandId),
}

/// The commands of `menu` from the table, with separators between sections; `hook`
/// draws what is not a command (submenus of templates, recent files, views).
fn commands_ui(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    menu: Menu,
    out: &mut Vec<Action>,
    mut hook: impl FnMut(&mut egui::Ui, Place, &mut ViewState, &mut Vec<Action>),
) {
    let mut section = None;
    for spec in commands::in_menu(menu) {
        if section != Some(spec.section) {
            if let Some(s) = section {
                hook(ui, After(s), view, out);
                ui.separator();
            }
            hook(ui, Before(spec.section), view, out);
            section = Some(spec.section);
        }
        command_button(ui, cx, view, spec.id, out);
        hook(ui, AfterItem(spec.id), view, out);
    }
    if let Some(s) = section {
        hook(ui, After(s), view, out);
    }
}

/// One menu item: the label, the shortcut in this platform's words, enabled or not.
fn command_button(
    ui: &mut egui::Ui,
    cx: &Cx,
    view: &mut ViewState,
    id: CommandId,
    out: &mut Vec<Action>,
) {
    let mut button = egui::Button::new(id.menu_label(cx.chrome));
    if let Some(text) = commands::shortcut_text(ui.ctx(), id) {
        button = button.shortcut_text(text);
    }
    if ui.add_enabled(id.enabled(cx.chrome), button).clicked() {
        match id.action(cx.chrome) {
            Some(a) => out.push(a),
            None => run_with_view(cx, view, id, out),
        }
    }
}

/// Commands that need the view state (not only an action).
fn run_with_view(cx: &Cx, view: &mut ViewState, id: CommandId, out: &mut Vec<Action>) {
    if id == CommandId::AddMechanism {
        crate::ui::mechanisms::add_mechanism(cx, view, out);
    }
}

fn new_from_template_ui(ui: &mut egui::Ui, out: &mut Vec<Action>) {
    ui.menu_button("New from template", |ui| {
        for id in &crate::bundled::template_ids() {
            let label = match *id {
                "lemieux" => "Lemieux framework (police cooperation)",
                "blank" => "Blank framework",
                other => other,
            };
            if ui.button(label).clicked() {
                out.push(Action::New(id.to_string()));
            }
        }
    });
}

fn open_recent_ui(ui: &mut egui::Ui, cx: &Cx, out: &mut Vec<Action>) {
    ui.menu_button("Open recent", |ui| {
        if cx.chrome.prefs.recent.is_empty() {
            ui.label("(none yet)");
        }
        for p in &cx.chrome.prefs.recent {
            if ui.button(p.display().to_string()).clicked() {
                out.push(Action::Open(p.clone()));
            }
        }
    });
}
