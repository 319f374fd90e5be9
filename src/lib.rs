//! Policy Workbench: score the mechanisms a state uses against an analytic framework,
//! compare policy scenarios, and plot the results.
//!
//! The domain core (`model`, `compute`, `persist`, `bundled`) has no GUI code; the
//! desktop app lives behind the default `gui` feature.

pub mod bundled;
pub mod charts;
pub mod cli;
pub mod compute;
pub mod csv_io;
pub mod edit;
pub mod generate;
pub mod model;
pub mod persist;
pub mod report;
pub mod session;
pub mod teaching;
pub mod terminal;
#[cfg(feature = "gui")]
pub mod ui;
pub mod wording;
pub mod workshop;

#[cfg(feature = "gui")]
pub mod app;
