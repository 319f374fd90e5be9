//! Panels and widgets. UI code reads the project and derived results and pushes
//! `Action`s; it never changes the project itself (see `App::handle`).
//!
//! Module rule: this file only declares modules and re-exports; no module below imports
//! one that imports it back (tests/module_graph.rs checks it). The shared types are in
//! leaf modules: `action`, `context`, `view_state`, `panel_state`, `modal_state`,
//! `prefs`, `derived`.

pub mod action;
mod ahp_view;
pub mod charts_view;
mod check_view;
pub mod commands;
mod compare_view;
pub mod context;
pub mod derived;
mod editors;
pub mod glossary;
mod inspector;
pub mod matrix;
mod mechanisms;
mod menu;
mod merge_conflicts;
pub mod modal_state;
mod modals;
pub mod panel_state;
pub mod prefs;
mod results;
mod scenarios;
mod score_edit;
mod selection_bar;
mod shell;
pub mod smaa_view;
mod status;
pub mod style;
mod swing_view;
mod teaching;
pub mod view_state;
mod weighting_apply;
mod workshop_view;

pub use action::{Action, RecoverChoice, UnsavedChoice};
pub use context::{Chrome, Cx};
pub use matrix::visible_rows;
pub use modal_state::{Guarded, Modal, PathPurpose, RecoverOffer};
pub use shell::app_ui;
pub use view_state::{Filter, RowsKey, Sort, SortKey, Tab, ViewState};
