//! The app's state: the open session, the view, preferences, the modal shown, the
//! dialog in flight, and work waiting for the user (a chart export, a merge).

use std::path::PathBuf;

use super::dialogs::PendingDialog;
use super::prefs::{Prefs, Theme};
use super::recovery;
use crate::charts::ChartOptions;
use crate::compute::Selection;
use crate::session::Session;
use crate::ui::modal_state::{Guarded, Modal, PathPurpose};
use crate::ui::panel_state::WorkshopChart;
use crate::ui::view_state::ViewState;

/// Charts to export, captured when the user asked (what was on screen then).
#[derive(Clone, Debug, PartialEq)]
pub struct ExportJob {
    pub selection: Selection,
    /// One entry per chart kind, with its export options.
    pub charts: Vec<ChartOptions>,
    /// Workshop charts (several analysts), drawn with the options of `workshop_options`.
    pub workshop: Vec<WorkshopChart>,
    pub workshop_options: ChartOptions,
    pub svg: bool,
}

impl ExportJob {
    pub(super) fn extension(&self) -> &'static str {
        if self.svg { "svg" } else { "png" }
    }

    pub(super) fn single(&self) -> bool {
        self.charts.len() + self.workshop.len() == 1
    }

    /// The file name of the only chart of a one-chart job.
    pub(super) fn single_name(&self) -> String {
        let stem = match (self.charts.first(), self.workshop.first()) {
            (Some(o), _) => o.kind.file_stem(),
            (None, Some(w)) => w.file_stem(),
            (None, None) => "chart",
        };
        format!("{stem}.{}", self.extension())
    }
}

pub struct App {
    pub session: Session,
    pub view: ViewState,
    pub prefs: Prefs,
    pub data_dir: PathBuf,
    pub modal: Option<Modal>,
    /// A short message for the status bar.
    pub status: String,
    pub(super) dialog: Option<(PathPurpose, PendingDialog)>,
    pub(super) lock: Option<crate::persist::lock::Lock>,
    pub recovery: recovery::Recovery,
    pub(super) pending_export: Option<ExportJob>,
    /// Returned files waiting for the user's conflict decisions.
    pub(super) pending_merge: Option<(
        Vec<PathBuf>,
        Vec<crate::model::Project>,
        Vec<crate::workshop::Conflict>,
    )>,
    /// Set when the user confirmed closing; the next close request is allowed.
    pub(super) allow_close: bool,
    /// What to do after a Save As chosen from the unsaved-changes prompt.
    pub(super) after_save: Option<Guarded>,
    pub(super) title: String,
    pub(super) applied_theme: Option<Theme>,
    /// True once the user asked to quit (and confirmed, if there were unsaved changes).
    pub quit_requested: bool,
    pub(super) was_focused: bool,
    pub(super) fonts_installed: bool,
    /// A large file being read on a worker thread; the open project stays usable.
    pub(super) loading: Option<LoadJob>,
    /// The cold-start switch, when on: close once the first frame is painted.
    pub(super) first_frame: Option<super::first_frame::FirstFrame>,
}

/// A file being opened on a worker thread: where, how big, since when, and the
/// channel its result comes back on.
pub struct LoadJob {
    pub path: PathBuf,
    pub bytes: u64,
    pub started: std::time::Instant,
    /// The open project's revision when the reading started: edited since, it is kept.
    pub revision: u64,
    pub rx: std::sync::mpsc::Receiver<Result<Session, crate::persist::LoadError>>,
}

impl App {
    pub fn new(data_dir: PathBuf) -> App {
        let prefs = Prefs::load(&data_dir);
        let data_dir_for_recovery = data_dir.clone();
        App {
            session: Session::sample(),
            view: ViewState::default(),
            prefs,
            data_dir,
            modal: None,
            status: String::new(),
            dialog: None,
            lock: None,
            recovery: recovery::Recovery::new(&data_dir_for_recovery),
            pending_export: None,
            pending_merge: None,
            allow_close: false,
            after_save: None,
            title: String::new(),
            applied_theme: None,
            quit_requested: false,
            was_focused: false,
            fonts_installed: false,
            loading: None,
            first_frame: None,
        }
    }
}
