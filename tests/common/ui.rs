//! The desktop app under egui_kittest (no GPU, no display): one harness setup for
//! every UI test, and clicks by accessible label.

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use policy_workbench::app::App;

/// The window size every UI test uses.
pub const SIZE: [f32; 2] = [1400.0, 900.0];

/// The app's root UI in a harness, after three frames.
pub fn harness(app: App) -> Harness<'static, App> {
    let mut h = Harness::builder()
        .with_size(SIZE)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app);
    h.run_steps(3);
    h
}

/// A fresh app with its data folder in `dir`, started on the bundled sample, before
/// its first frame.
pub fn app_in(dir: &std::path::Path) -> Harness<'static, App> {
    app_sized(dir, SIZE)
}

/// `app_in` in a window of another size (e.g. tall enough that a table draws every row).
pub fn app_sized(dir: &std::path::Path, size: [f32; 2]) -> Harness<'static, App> {
    let mut app = App::new(dir.join("data"));
    app.start(None);
    Harness::builder()
        .with_size(size)
        .build_ui_state(|ui, app: &mut App| app.ui_root(ui), app)
}

/// Scrolls the widget labelled `label` into view, lets `settle` frames pass (scrolling
/// is animated), clicks it and runs three frames.
pub fn click_after(h: &mut Harness<'static, App>, label: &str, settle: usize) {
    h.get_by_label(label).scroll_to_me();
    h.run_steps(settle);
    h.get_by_label(label).click();
    h.run_steps(3);
}

/// `click_after` with two frames to settle.
pub fn click(h: &mut Harness<'static, App>, label: &str) {
    click_after(h, label, 2);
}
