//! The command table: every user command's label, keyboard shortcuts, menu place and
//! when it is enabled, defined once. The menus, the key handling and Help ▸ Keyboard
//! shortcuts all read it; shortcut names follow the platform (⌘ on macOS) through
//! `egui::Context::format_shortcut`.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::ui::action::Action;
use crate::ui::context::Chrome;
use crate::ui::modal_state::Modal;
use crate::ui::prefs::Theme;

/// A command the user can give from a menu or the keyboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum CommandId {
    NewDefault,
    Open,
    OpenPath,
    OpenSample,
    Save,
    SaveAs,
    SaveToPath,
    ExportReport,
    ExportCsv,
    ImportCsv,
    ImportPackages,
    ExportChartsPng,
    ExportChartsSvg,
    PrepareExercise,
    CompareReference,
    Quit,
    Undo,
    Redo,
    AddMechanism,
    ToggleTheme,
    ToggleMechanisms,
    ToggleInspector,
    Help,
    Glossary,
    About,
}

/// Where a command sits in the menu bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Menu {
    File,
    /// File ▸ Export charts.
    FileExportCharts,
    Edit,
    View,
    Help,
}

/// One row of the command table.
pub struct CommandSpec {
    pub id: CommandId,
    /// The menu label (Undo, Redo and the toggles add to it: see `menu_label`).
    pub label: &'static str,
    /// Keyboard shortcuts; the first is shown in the menu.
    pub shortcuts: &'static [KeyboardShortcut],
    pub menu: Menu,
    /// Commands of one menu in the same section are drawn together; a separator
    /// goes between sections.
    pub section: u8,
    /// Whether the shortcut works while a text field has the focus (undo and redo
    /// do not: a focused text field has its own).
    pub in_text_field: bool,
}

const CMD: Modifiers = Modifiers::COMMAND;
const CMD_SHIFT: Modifiers = Modifiers::COMMAND.plus(Modifiers::SHIFT);

const fn spec(id: CommandId, label: &'static str, menu: Menu, section: u8) -> CommandSpec {
    CommandSpec {
        id,
        label,
        shortcuts: &[],
        menu,
        section,
        in_text_field: true,
    }
}

const fn keyed(
    id: CommandId,
    label: &'static str,
    menu: Menu,
    section: u8,
    shortcuts: &'static [KeyboardShortcut],
) -> CommandSpec {
    CommandSpec {
        id,
        label,
        shortcuts,
        menu,
        section,
        in_text_field: true,
    }
}

/// Every command, in menu order.
pub static COMMANDS: &[CommandSpec] = &[
    keyed(
        CommandId::NewDefault,
        "New from the Lemieux template",
        Menu::File,
        0,
        &[KeyboardShortcut::new(CMD, Key::N)],
    ),
    keyed(
        CommandId::Open,
        "Open…",
        Menu::File,
        0,
        &[KeyboardShortcut::new(CMD, Key::O)],
    ),
    spec(CommandId::OpenPath, "Open a path…", Menu::File, 0),
    spec(
        CommandId::OpenSample,
        "Open the sample project",
        Menu::File,
        0,
    ),
    keyed(
        CommandId::Save,
        "Save",
        Menu::File,
        1,
        &[KeyboardShortcut::new(CMD, Key::S)],
    ),
    keyed(
        CommandId::SaveAs,
        "Save as…",
        Menu::File,
        1,
        &[KeyboardShortcut::new(CMD_SHIFT, Key::S)],
    ),
    spec(CommandId::SaveToPath, "Save to a path…", Menu::File, 1),
    spec(
        CommandId::ExportReport,
        "Export report (HTML or Markdown)…",
        Menu::File,
        2,
    ),
    spec(CommandId::ExportCsv, "Export scores to CSV…", Menu::File, 2),
    spec(
        CommandId::ImportCsv,
        "Import scores from CSV…",
        Menu::File,
        2,
    ),
    spec(
        CommandId::ImportPackages,
        "Import analyst files (workshop)…",
        Menu::File,
        2,
    ),
    spec(
        CommandId::ExportChartsPng,
        "All charts as PNG to a folder…",
        Menu::FileExportCharts,
        0,
    ),
    spec(
        CommandId::ExportChartsSvg,
        "All charts as SVG to a folder…",
        Menu::FileExportCharts,
        0,
    ),
    spec(
        CommandId::PrepareExercise,
        "Prepare a student exercise…",
        Menu::File,
        3,
    ),
    spec(
        CommandId::CompareReference,
        "Compare with a reference scoring…",
        Menu::File,
        3,
    ),
    spec(CommandId::Quit, "Quit", Menu::File, 4),
    CommandSpec {
        id: CommandId::Undo,
        label: "Undo",
        shortcuts: &[KeyboardShortcut::new(CMD, Key::Z)],
        menu: Menu::Edit,
        section: 0,
        in_text_field: false,
    },
    CommandSpec {
        id: CommandId::Redo,
        label: "Redo",
        shortcuts: &[
            KeyboardShortcut::new(CMD_SHIFT, Key::Z),
            KeyboardShortcut::new(CMD, Key::Y),
        ],
        menu: Menu::Edit,
        section: 0,
        in_text_field: false,
    },
    spec(CommandId::AddMechanism, "Add mechanism", Menu::Edit, 1),
    spec(CommandId::ToggleTheme, "Dark theme", Menu::View, 1),
    spec(
        CommandId::ToggleMechanisms,
        "Mechanisms panel",
        Menu::View,
        1,
    ),
    spec(CommandId::ToggleInspector, "Inspector", Menu::View, 1),
    spec(
        CommandId::Help,
        "Keyboard shortcuts and how to score",
        Menu::Help,
        0,
    ),
    spec(CommandId::Glossary, "Glossary", Menu::Help, 0),
    spec(CommandId::About, "About Policy Workbench", Menu::Help, 0),
];

/// Copy and paste in this platform's words ("Ctrl+C", "⌘C"): the matrix copies and
/// pastes blocks of cells.
pub fn copy_paste_text(ctx: &egui::Context) -> (String, String) {
    (
        ctx.format_shortcut(&KeyboardShortcut::new(CMD, Key::C)),
        ctx.format_shortcut(&KeyboardShortcut::new(CMD, Key::V)),
    )
}

/// The keys of the scoring matrix (not commands: they act on the selected cells).
pub fn matrix_keys(ctx: &egui::Context) -> Vec<(String, &'static str)> {
    let (copy, paste) = copy_paste_text(ctx);
    vec![
        (
            "0 – 9".into(),
            "set the value (within the criterion's scale)",
        ),
        (
            "Delete / Backspace".into(),
            "not assessed (never counted as 0)",
        ),
        (
            "N".into(),
            "not applicable (the criterion is left out of the index)",
        ),
        (
            "Enter, or double-click".into(),
            "write the rationale in the inspector",
        ),
        ("Arrows (Shift extends)".into(), "move, select a block"),
        (
            format!("{copy} / {paste}"),
            "copy or paste a block (tab-separated, from a spreadsheet)",
        ),
    ]
}

impl CommandId {
    pub fn spec(self) -> &'static CommandSpec {
        COMMANDS
            .iter()
            .find(|s| s.id == self)
            .expect("every command is in the table")
    }

    /// The label as the menu shows it now (what Undo would undo, what a toggle does).
    pub fn menu_label(self, chrome: &Chrome) -> String {
        let prefs = chrome.prefs;
        match self {
            CommandId::Undo => chrome
                .undo_label
                .map_or("Undo".to_string(), |l| format!("Undo {l}")),
            CommandId::Redo => chrome
                .redo_label
                .map_or("Redo".to_string(), |l| format!("Redo {l}")),
            CommandId::ToggleTheme => if prefs.theme == Theme::Dark {
                "Light theme"
            } else {
                "Dark theme"
            }
            .into(),
            CommandId::ToggleMechanisms => if prefs.show_mechanisms {
                "Hide mechanisms panel"
            } else {
                "Show mechanisms panel"
            }
            .into(),
            CommandId::ToggleInspector => if prefs.show_inspector {
                "Hide inspector"
            } else {
                "Show inspector"
            }
            .into(),
            _ => self.spec().label.to_string(),
        }
    }

    /// Whether the command can run now.
    pub fn enabled(self, chrome: &Chrome) -> bool {
        match self {
            CommandId::Undo => chrome.undo_label.is_some(),
            CommandId::Redo => chrome.redo_label.is_some(),
            _ => true,
        }
    }

    /// The action the command pushes (None: the command needs the view; see the menu).
    pub fn action(self, chrome: &Chrome) -> Option<Action> {
        let prefs = chrome.prefs;
        Some(match self {
            CommandId::NewDefault => Action::New("lemieux".into()),
            CommandId::Open => Action::OpenDialog,
            CommandId::OpenPath => Action::OpenPathPrompt,
            CommandId::OpenSample => Action::New("sample".into()),
            CommandId::Save => Action::Save,
            CommandId::SaveAs => Action::SaveAs,
            CommandId::SaveToPath => Action::SaveAsPathPrompt,
            CommandId::ExportReport => Action::ExportReport,
            CommandId::ExportCsv => Action::ExportCsv,
            CommandId::ImportCsv => Action::ImportCsv,
            CommandId::ImportPackages => Action::ImportPackages,
            CommandId::ExportChartsPng | CommandId::ExportChartsSvg => Action::ExportCharts {
                kinds: crate::charts::ChartKind::ALL.to_vec(),
                svg: self == CommandId::ExportChartsSvg,
            },
            CommandId::PrepareExercise => Action::PrepareExercise,
            CommandId::CompareReference => Action::CompareReference,
            CommandId::Quit => Action::Quit,
            CommandId::Undo => Action::Undo,
            CommandId::Redo => Action::Redo,
            CommandId::AddMechanism => return None,
            CommandId::ToggleTheme => Action::SetTheme(if prefs.theme == Theme::Dark {
                Theme::Light
            } else {
                Theme::Dark
            }),
            CommandId::ToggleMechanisms => Action::TogglePanel {
                mechanisms: true,
                inspector: false,
            },
            CommandId::ToggleInspector => Action::TogglePanel {
                mechanisms: false,
                inspector: true,
            },
            CommandId::Help => Action::Modal(Modal::Help),
            CommandId::Glossary => Action::Modal(Modal::Glossary),
            CommandId::About => Action::About,
        })
    }
}

/// The commands of one menu, in order.
pub fn in_menu(menu: Menu) -> impl Iterator<Item = &'static CommandSpec> {
    COMMANDS.iter().filter(move |s| s.menu == menu)
}

/// The shortcut text of a command for this platform ("Ctrl+S", "⌘S"), if it has one.
pub fn shortcut_text(ctx: &egui::Context, id: CommandId) -> Option<String> {
    id.spec().shortcuts.first().map(|s| ctx.format_shortcut(s))
}

/// Every shortcut of a command for this platform, joined ("Ctrl+Shift+Z, Ctrl+Y").
pub fn all_shortcuts_text(ctx: &egui::Context, spec: &CommandSpec) -> String {
    spec.shortcuts
        .iter()
        .map(|s| ctx.format_shortcut(s))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The commands whose shortcut was pressed this frame (the key events are consumed).
/// Chords with more modifiers are matched first, since egui matches Ctrl+Z on a
/// Ctrl+Shift+Z press too. With a text field focused, commands that the field
/// handles itself (undo, redo) are left to it.
pub fn pressed(ctx: &egui::Context) -> Vec<CommandId> {
    let text_focused = ctx.text_edit_focused();
    let mut keyed: Vec<(&KeyboardShortcut, CommandId)> = COMMANDS
        .iter()
        .filter(|s| s.in_text_field || !text_focused)
        .flat_map(|s| s.shortcuts.iter().map(move |k| (k, s.id)))
        .collect();
    let weight = |m: &Modifiers| {
        usize::from(m.shift) + usize::from(m.alt) + usize::from(m.ctrl) + usize::from(m.command)
    };
    keyed.sort_by_key(|(k, _)| std::cmp::Reverse(weight(&k.modifiers)));
    let mut out = Vec::new();
    ctx.input_mut(|i| {
        for (k, id) in keyed {
            if i.consume_shortcut(k) && !out.contains(&id) {
                out.push(id);
            }
        }
    });
    out
}
