//! Policy Workbench: score the mechanisms a state uses against an analytic framework,
//! compare policy scenarios, and plot the results.
//!
//! The domain core (`model`, `edit`, `compute`, `persist`, `charts`, `report`,
//! `csv_io`, `workshop`, `teaching`, `wording`, `generate`, `bundled`, `session`) has no
//! GUI code; the command line is `cli`; the desktop app (`app`, `ui`) lives behind the
//! default `gui` feature. ARCHITECTURE.md has the map.

pub mod bundled;
pub mod charts;
pub mod check;
pub mod cli;
pub mod compute;
pub mod csv_io;
pub mod edit;
pub mod generate;
pub mod gitmerge;
pub mod model;
pub mod persist;
pub mod report;
pub mod rounding;
pub mod session;
pub mod teaching;
pub mod terminal;
#[cfg(feature = "gui")]
pub mod ui;
pub mod wording;
pub mod workshop;

#[cfg(feature = "gui")]
pub mod app;
