//! Returns against concern: each mechanism's total under a viewpoint that counts what
//! the state gains (and no concern) across, against its total under a viewpoint that
//! reads "higher = more concern" up. The trade-off the net composite folds into one
//! number, shown as two. Viewpoints are found by reading and by which groups they
//! count (`Framework::returns_and_concern`), never by name.

use plotters::prelude::DrawingBackend;

use super::canvas::{Canvas, Res};
use super::frame::{Frame, draw_frame, message, tick_label};
use super::input::{ChartInput, source_note};
use super::options::ChartOptions;
use super::plane::Plane;
use super::quadrant::{Point, draw_bubbles, shared_notes, shared_positions};
use crate::compute::{self, Selection};

pub(crate) fn draw<DB: DrawingBackend>(
    c: &Canvas<DB>,
    input: &ChartInput,
    opts: &ChartOptions,
) -> Res {
    let fw = &input.project.framework;
    let title = "Returns × concern: what each mechanism brings and what it costs";
    // The line under the title names the selection; its viewpoint is not this chart's
    // (the subtitle names the two it plots), so that part is left out.
    let suffix_text = input.title_suffix.map(|s| {
        s.split(" · ")
            .filter(|part| !part.starts_with("Viewpoint:"))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    let suffix = suffix_text.as_deref().filter(|s| !s.is_empty());
    // The frame with a message in place of the plot.
    let say = |text: &str| -> Res {
        let frame = Frame {
            title,
            suffix,
            subtitle: vec![],
            notes: vec![source_note(input)],
        };
        let plot = draw_frame(c, &frame)?;
        message(c, plot, text)
    };
    let Some((returns, concern)) = fw.returns_and_concern() else {
        return say(
            "This chart needs two viewpoints in the framework: one that reads \"higher = better\" \
             and counts no concern group (the returns), and one that reads \"higher = more \
             concern\". Add them in the framework editor, or start from the Lemieux template.",
        );
    };
    let under = |id: &str| {
        compute::analyze(
            input.project,
            &Selection {
                viewpoint: Some(id.to_string()),
                ..input.results.selection.clone()
            },
        )
    };
    let (Ok(x_res), Ok(y_res)) = (under(&returns.id), under(&concern.id)) else {
        return say("The selection names something the project lacks.");
    };

    let mut points: Vec<Point> = Vec::new();
    let mut unplotted: Vec<&str> = Vec::new();
    for (m, y) in x_res.mechanisms.iter().zip(&y_res.mechanisms) {
        match (m.total, y.total) {
            (Some(tx), Some(ty)) if m.id == y.id => points.push(Point {
                name: &m.name,
                kind: m.kind,
                x: tx,
                y: ty,
                size: None,
            }),
            _ => unplotted.push(&m.name),
        }
    }
    let t = opts.quadrant_threshold;
    let mut notes = Vec::new();
    if !unplotted.is_empty() {
        notes.push(format!(
            "Not plotted ({} of {}; too little assessed for a total under one of the two \
             viewpoints): {}.",
            unplotted.len(),
            x_res.mechanisms.len(),
            unplotted.join("; ")
        ));
    }
    let shared = shared_positions(&points);
    notes.extend(shared_notes(&points, &shared));
    notes.push(format!(
        "Across — {}: {}",
        returns.name, returns.perspective
    ));
    notes.push(format!("Up — {}: {}", concern.name, concern.perspective));
    notes.push(source_note(input));
    let frame = Frame {
        title,
        suffix,
        subtitle: vec![format!(
            "Composite totals 0–100: x = {} ({}), y = {} ({}); colour = kind of mechanism. \
             Lines at {}. Bottom right: returns at little concern; top left: concern without returns.",
            returns.name,
            returns.reading.phrase(),
            concern.name,
            concern.reading.phrase(),
            tick_label(t)
        )],
        notes,
    };
    let plot = draw_frame(c, &frame)?;
    let plane = Plane::new(c, plot, false);
    let ly = plane.draw_kinds(c)?;
    let (tx, _) = plane.draw_axes(
        c,
        t,
        (
            &format!("{} total", returns.name),
            &format!("{} total", concern.name),
        ),
    )?;
    let obstacles = plane.draw_captions(c, tx, ("Returns", "Concern"))?;
    let unlabelled = draw_bubbles(c, &plane, &points, &shared, true, &obstacles)?;
    plane.draw_unlabelled(c, &unlabelled, ly)
}
