//! The views' derived results are computed once per key (revision and selection): a
//! frame that changes nothing recomputes nothing, an edit recomputes.
#![cfg(feature = "gui")]

use policy_workbench::compute::Selection;
use policy_workbench::session::Session;
use policy_workbench::ui::derived::Derived;
use policy_workbench::ui::prefs::Prefs;
use policy_workbench::ui::{Chrome, Cx};

/// Runs `f` with a drawing context for the session's base selection.
fn with_cx<R>(s: &mut Session, f: impl FnOnce(&Cx) -> R) -> R {
    let (matrix, results) = s.derived(&Selection::default()).unwrap();
    let prefs = Prefs::default();
    let chrome = Chrome {
        dirty: false,
        display_name: String::new(),
        path: None,
        status: "",
        prefs: &prefs,
        undo_label: None,
        redo_label: None,
        dialog_open: false,
        modal_open: false,
        warnings: 0,
    };
    let cx = Cx {
        project: s.project(),
        matrix: &matrix,
        results: &results,
        revision: s.revision(),
        chrome: &chrome,
    };
    f(&cx)
}

#[test]
fn each_result_is_computed_once_per_revision() {
    let mut s = Session::sample();
    let mut d = Derived::default();
    let sentence = with_cx(&mut s, |cx| d.robustness(cx).sentence.clone());
    assert!(!sentence.is_empty());
    let spreads = with_cx(&mut s, |cx| d.spread_map(cx));
    let spreads_again = with_cx(&mut s, |cx| d.spread_map(cx));
    assert!(
        std::sync::Arc::ptr_eq(&spreads, &spreads_again),
        "same revision: the cached result"
    );

    // An edit (any command) moves the revision: the next call recomputes.
    let title = format!("{} (edited)", s.project().info.title);
    let mut info = s.project().info.clone();
    info.title = title;
    s.apply(policy_workbench::edit::Command::SetInfo(info), None)
        .unwrap();
    let spreads_after = with_cx(&mut s, |cx| d.spread_map(cx));
    assert!(!std::sync::Arc::ptr_eq(&spreads, &spreads_after));
}
