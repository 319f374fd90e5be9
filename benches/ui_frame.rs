//! Frame time of the real app UI, driven headlessly through `egui::Context`: run a
//! frame, then tessellate (what a frame costs the CPU before the GPU gets it).
//! Scenarios: idle matrix, scrolling the matrix, dragging a group weight (one merged
//! command per frame, as a drag produces). Prints median and p99 per frame.
//!
//!     cargo bench --bench ui_frame

use std::time::{Duration, Instant};

use egui::{Event, MouseWheelSource, MouseWheelUnit, Pos2, RawInput, Rect, TouchPhase, Vec2};
use policy_workbench::app::App;
use policy_workbench::edit::{Command, GroupHeader};
use policy_workbench::generate::{self, GenSpec};
use policy_workbench::model::Project;
use policy_workbench::session::{Origin, Session};
use policy_workbench::ui::Action;

const W: f32 = 1280.0;
const H: f32 = 800.0;

struct Rig {
    ctx: egui::Context,
    app: App,
    t: f64,
}

impl Rig {
    fn new(project: Project, data: &std::path::Path) -> Rig {
        let mut app = App::new(data.to_path_buf());
        app.session = Session::new(
            project,
            Origin::Untitled {
                suggested_name: "bench.json".into(),
            },
        );
        app.view.reset_for(app.session.project());
        let mut rig = Rig {
            ctx: egui::Context::default(),
            app,
            t: 0.0,
        };
        for _ in 0..5 {
            rig.frame(Vec::new());
        }
        rig
    }

    fn frame(&mut self, events: Vec<Event>) -> Duration {
        self.t += 1.0 / 60.0;
        let raw = RawInput {
            screen_rect: Some(Rect::from_min_size(Pos2::ZERO, Vec2::new(W, H))),
            time: Some(self.t),
            events,
            ..RawInput::default()
        };
        let start = Instant::now();
        let app = &mut self.app;
        let out = self.ctx.run_ui(raw, |ui| app.ui_root(ui));
        let prims = self.ctx.tessellate(out.shapes, out.pixels_per_point);
        let took = start.elapsed();
        std::hint::black_box(prims);
        took
    }
}

fn stats(mut v: Vec<Duration>) -> (f64, f64) {
    v.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(v[v.len() / 2]);
    let p99 = ms(v[((v.len() as f64 * 0.99) as usize).min(v.len() - 1)]);
    (median, p99)
}

fn wheel(dy: f32) -> Vec<Event> {
    vec![
        Event::PointerMoved(Pos2::new(700.0, 450.0)),
        Event::MouseWheel {
            unit: MouseWheelUnit::Point,
            delta: Vec2::new(0.0, dy),
            phase: TouchPhase::Move,
            source: MouseWheelSource::Wheel,
            modifiers: egui::Modifiers::NONE,
        },
    ]
}

fn run(name: &str, project: Project, frames: usize) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut rig = Rig::new(project, dir.path());

    let idle: Vec<Duration> = (0..frames).map(|_| rig.frame(Vec::new())).collect();

    let scroll: Vec<Duration> = (0..frames)
        .map(|i| rig.frame(wheel(if (i / 60) % 2 == 0 { -40.0 } else { 40.0 })))
        .collect();

    let drag: Vec<Duration> = (0..frames)
        .map(|i| {
            let p = rig.app.session.project();
            let mut header = GroupHeader::of(&p.framework.groups[0]);
            header.weight = 1.0 + (i % 50) as f64 * 0.05;
            rig.app.handle(vec![Action::merged(
                Command::SetGroup { index: 0, header },
                "bench-drag",
            )]);
            rig.frame(vec![Event::PointerMoved(Pos2::new(700.0, 450.0))])
        })
        .collect();

    for (what, v) in [
        ("idle matrix", idle),
        ("scrolling", scroll),
        ("dragging a weight", drag),
    ] {
        let (median, p99) = stats(v);
        println!(
            "{name:<28} {what:<18} median {median:6.2} ms   p99 {p99:6.2} ms   ({frames} frames)"
        );
    }
}

fn main() {
    println!("ui_frame: CPU time per frame (egui run + tessellate), window {W}×{H}");
    run(
        "sample (29 × 12, 1 analyst)",
        policy_workbench::bundled::sample(),
        300,
    );
    let large = generate::project(&GenSpec::LARGE);
    run("large (500 × 40 × 12 × 6)", large, 300);
}
