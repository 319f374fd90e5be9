//! View state: which tab is shown, what is selected, how lists are filtered and
//! sorted, and each view's own state. Not part of the document.

use crate::compute::Selection;
use crate::model::*;
use crate::ui::derived::Derived;
use crate::ui::panel_state::{
    AhpEdit, BasisCache, ChartView, CheckPanel, ComparePanel, CriterionFirst, FeedbackPanel,
    ResultsSort, SmaaSettings, SwingEdit, TextureSlot, TornadoKey, WorkshopPanel,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Matrix,
    Results,
    Charts,
    Scenarios,
    Workshop,
    Check,
    CriterionFirst,
    Learn,
    Feedback,
    Mechanism,
    Framework,
    Sources,
    Project,
}

impl Tab {
    pub const ALL: [Tab; 13] = [
        Tab::Matrix,
        Tab::Results,
        Tab::Charts,
        Tab::Scenarios,
        Tab::Workshop,
        Tab::Check,
        Tab::CriterionFirst,
        Tab::Learn,
        Tab::Feedback,
        Tab::Mechanism,
        Tab::Framework,
        Tab::Sources,
        Tab::Project,
    ];

    /// The views as the tab row groups them: a group's name (None: a group of one view
    /// named by the view itself) and its views, in order. Every view is in one group.
    pub const GROUPS: [(Option<&'static str>, &'static [Tab]); 6] = [
        (
            Some("Assess"),
            &[Tab::Matrix, Tab::Mechanism, Tab::CriterionFirst, Tab::Check],
        ),
        (Some("Analyse"), &[Tab::Results, Tab::Charts]),
        (None, &[Tab::Scenarios]),
        (None, &[Tab::Workshop]),
        (Some("Teach"), &[Tab::Learn, Tab::Feedback]),
        (
            Some("Set up"),
            &[Tab::Framework, Tab::Sources, Tab::Project],
        ),
    ];

    /// Parses a view name as given on the command line.
    pub fn parse(s: &str) -> Option<Tab> {
        Some(match s.to_lowercase().as_str() {
            "matrix" => Tab::Matrix,
            "results" => Tab::Results,
            "charts" => Tab::Charts,
            "scenarios" => Tab::Scenarios,
            "workshop" => Tab::Workshop,
            "check" => Tab::Check,
            "criterion-first" => Tab::CriterionFirst,
            "learn" => Tab::Learn,
            "feedback" => Tab::Feedback,
            "mechanism" => Tab::Mechanism,
            "framework" => Tab::Framework,
            "sources" => Tab::Sources,
            "project" => Tab::Project,
            _ => return None,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Matrix => "Scoring matrix",
            Tab::Results => "Results",
            Tab::Charts => "Charts",
            Tab::Scenarios => "Scenarios",
            Tab::Workshop => "Workshop",
            Tab::Check => "Check",
            Tab::CriterionFirst => "Criterion-first",
            Tab::Learn => "Learn",
            Tab::Feedback => "Feedback",
            Tab::Mechanism => "Mechanism",
            Tab::Framework => "Framework",
            Tab::Sources => "Sources",
            Tab::Project => "Project & notes",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Default)]
pub struct Filter {
    pub search: String,
    pub kind: Option<Kind>,
    pub instrument: Option<Instrument>,
    pub region: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SortKey {
    #[default]
    ProjectOrder,
    Name,
    Kind,
    StartYear,
    Total,
    /// A group index, by group position.
    Group(usize),
    /// A criterion value, by flattened criterion position.
    Criterion(usize),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Sort {
    pub key: SortKey,
    pub descending: bool,
}

/// View state: what is selected and how lists are filtered. Not part of the document.
#[derive(Default)]
pub struct ViewState {
    pub tab: Tab,
    pub mechanism: Option<String>,
    pub criterion: Option<String>,
    /// The other corner of a block selection in the matrix (Shift+arrows, Shift+click).
    pub block_anchor: Option<(String, String)>,
    /// Whose scores are shown and edited; None = median across analysts (read-only).
    pub analyst: Option<String>,
    pub scenario: Option<String>,
    /// A closed round shown instead of the current one (read-only).
    pub round: Option<String>,
    /// Show the recorded consensus (read-only).
    pub consensus: bool,
    /// The viewpoint of the composite; None = the framework's default.
    pub viewpoint: Option<String>,
    /// Colour the matrix by the analysts' spread (IQR) instead of the values (read-only).
    pub spread: bool,
    pub filter: Filter,
    pub sort: Sort,
    pub scroll_to_selection: bool,
    /// Scroll the mechanisms list to the selected mechanism (criterion-first moved on).
    pub list_to_selection: bool,
    /// Hide the group index columns of the matrix; None: hide them when the matrix is
    /// narrow, so score cells keep the room.
    pub hide_indices: Option<bool>,
    pub results_sort: ResultsSort,
    pub chart: ChartView,
    /// The weight stability chart of the results view.
    pub robustness_chart: TextureSlot<TornadoKey>,
    pub criterion_first: CriterionFirst,
    pub smaa: SmaaSettings,
    pub workshop: WorkshopPanel,
    pub compare: ComparePanel,
    /// The scenarios view shows the comparison instead of the editor.
    pub comparing: bool,
    /// The pairwise (AHP) grid being edited in the framework view.
    pub ahp: Option<AhpEdit>,
    /// The swing table being edited in the framework view.
    pub swing: Option<SwingEdit>,
    /// The comparison with a reference scoring (teaching).
    pub feedback: Option<FeedbackPanel>,
    /// The scenario open in the scenarios editor.
    pub scenario_edit: Option<String>,
    /// Move keyboard focus to the score editor (Enter or double-click on a cell).
    pub focus_score_editor: bool,
    pub source_search: String,
    /// The Check view's report and the acknowledgement being written.
    pub check: CheckPanel,
    /// The results' documented-only column and basis shares.
    pub basis_cache: BasisCache,
    pub rows_cache: Option<(RowsKey, Vec<usize>)>,
    /// Results derived from the project for the views, cached by revision.
    pub derived: Derived,
}

#[derive(Clone, Debug, PartialEq)]
pub struct RowsKey {
    pub revision: u64,
    pub selection: Selection,
    pub filter: Filter,
    pub sort: Sort,
}

impl ViewState {
    pub fn selection(&self) -> Selection {
        Selection {
            scenario: self.scenario.clone(),
            analyst: self.analyst.clone(),
            round: self.round.clone(),
            consensus: self.consensus,
            viewpoint: self.viewpoint.clone(),
            documented_only: false,
        }
    }

    /// Fresh view for a newly opened project: with several analysts, the median across
    /// them (what `analyze` and the report show); with one, that analyst's scores.
    pub fn reset_for(&mut self, p: &Project) {
        *self = ViewState::default();
        self.mechanism = p.mechanisms.first().map(|m| m.id.clone());
        self.criterion = p.framework.criteria().next().map(|(_, c)| c.id.clone());
        self.analyst = match p.analysts.as_slice() {
            [only] => Some(only.id.clone()),
            _ => None,
        };
    }

    /// Keeps the selection valid after an edit (something may have been deleted).
    pub fn after_edit(&mut self, p: &Project) {
        if let Some(m) = &self.mechanism
            && p.mechanism(m).is_none()
            && !p
                .scenarios
                .iter()
                .any(|s| s.added_mechanisms.iter().any(|a| &a.id == m))
        {
            self.mechanism = p.mechanisms.first().map(|m| m.id.clone());
            self.block_anchor = None;
        }
        if let Some(c) = &self.criterion
            && p.framework.criterion(c).is_none()
        {
            self.criterion = p.framework.criteria().next().map(|(_, c)| c.id.clone());
            self.block_anchor = None;
        }
        if let Some(a) = &self.analyst
            && p.analyst(a).is_none()
        {
            self.analyst = p.analysts.first().map(|a| a.id.clone());
        }
        if self.analyst.is_none() && p.analysts.len() == 1 {
            self.analyst = Some(p.analysts[0].id.clone());
        }
        if let Some(s) = &self.scenario
            && p.scenario(s).is_none()
        {
            self.scenario = None;
        }
        if let Some(v) = &self.viewpoint
            && p.framework.viewpoint(Some(v)).is_none()
        {
            self.viewpoint = None;
        }
        if let Some(r) = &self.round
            && !p.workshop.rounds.iter().any(|x| &x.id == r)
        {
            self.round = None;
        }
        if self.consensus && p.workshop.consensus.is_empty() {
            self.consensus = false;
        }
    }
}
