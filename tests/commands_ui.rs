//! The command table drives the menus, the keys and Help ▸ Keyboard shortcuts: every
//! shortcut is shown in its menu item and in Help, in this platform's words, and
//! pressing it runs the command; an open modal owns the keyboard.
#![cfg(feature = "gui")]

mod common;

use common::ui::{app_in, click};
use egui_kittest::kittest::Queryable;
use policy_workbench::model::ScoreValue;
use policy_workbench::ui::commands::{COMMANDS, CommandId, Menu, all_shortcuts_text};

fn menu_name(m: Menu) -> &'static str {
    match m {
        Menu::File | Menu::FileExportCharts => "File",
        Menu::Edit => "Edit",
        Menu::View => "View",
        Menu::Help => "Help",
    }
}

#[test]
fn every_shortcut_is_in_its_menu_item_and_in_help() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    let ctx = h.ctx.clone();
    let keyed: Vec<_> = COMMANDS
        .iter()
        .filter(|s| !s.shortcuts.is_empty())
        .collect();
    assert!(keyed.len() >= 6, "open, save, save as, new, undo, redo");
    for spec in &keyed {
        // A fresh project: Undo and Redo show their plain labels.
        let shown = format!("{} {}", spec.label, ctx.format_shortcut(&spec.shortcuts[0]));
        click(&mut h, menu_name(spec.menu));
        assert!(
            h.query_by_label(&shown).is_some(),
            "the {} menu shows “{shown}”",
            menu_name(spec.menu)
        );
        // Close the menu again.
        h.key_press(egui::Key::Escape);
        h.run_steps(3);
    }
    click(&mut h, "Help");
    click(&mut h, "Keyboard shortcuts and how to score");
    for spec in &keyed {
        let keys = all_shortcuts_text(&ctx, spec);
        assert!(
            h.query_by_label(&keys).is_some(),
            "Help lists {keys} for {}",
            spec.label
        );
        assert!(h.query_by_label(spec.label).is_some(), "{}", spec.label);
    }
}

#[test]
fn shortcut_names_follow_the_platform() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(1);
    let ctx = h.ctx.clone();
    let save = CommandId::Save.spec().shortcuts[0];
    ctx.set_os(egui::os::OperatingSystem::Nix);
    assert_eq!(ctx.format_shortcut(&save), "Ctrl+S");
    ctx.set_os(egui::os::OperatingSystem::Mac);
    let mac = ctx.format_shortcut(&save);
    assert!(mac.contains("Cmd") || mac.contains('⌘'), "{mac}");
}

#[test]
fn ctrl_z_after_an_edit_undoes_it_and_a_modal_owns_the_keyboard() {
    let dir = tempfile::tempdir().unwrap();
    let mut h = app_in(dir.path());
    h.run_steps(3);
    let (m, c, cell) = {
        let p = h.state().session.project();
        let m = &p.mechanisms[0];
        let c = &p.framework.groups[0].criteria[0];
        (
            m.id.clone(),
            c.id.clone(),
            format!("{} / {}", m.name, c.name),
        )
    };
    let value = |h: &egui_kittest::Harness<'static, policy_workbench::app::App>| {
        let app = h.state();
        let a = app.view.analyst.clone().unwrap();
        app.session.project().score(&a, &m, &c).map(|s| s.value)
    };
    click(&mut h, &cell);
    let original = value(&h);
    h.key_press(egui::Key::Num0);
    h.run_steps(3);
    assert_eq!(value(&h), Some(ScoreValue::Value(0.0)));
    h.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    h.run_steps(3);
    assert_eq!(value(&h), original, "Ctrl+Z undid the edit");

    // With the Help modal open, neither the shortcuts nor the matrix keys act.
    click(&mut h, "Help");
    click(&mut h, "Keyboard shortcuts and how to score");
    assert!(h.state().modal.is_some());
    h.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    h.run_steps(3);
    h.key_press(egui::Key::Num1);
    h.run_steps(3);
    assert_eq!(value(&h), original, "nothing changed behind the modal");
}
