//! The binary: with a command, the command line (`cli::run`); without one, the desktop
//! app on the given file or the bundled sample.

use std::process::ExitCode;

use clap::Parser;
use policy_workbench::cli::{self, Args};

fn main() -> ExitCode {
    // First thing: the cold-start switch counts from here too (app::first_frame).
    let main_began = std::time::Instant::now();
    // Behave like other command-line tools when the output is closed early
    // (`policy-workbench analyze … | head`): stop quietly instead of panicking.
    #[cfg(unix)]
    // SAFETY: restoring the default action of SIGPIPE at start-up, before any thread.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let args = Args::parse();
    match args.command {
        Some(command) => cli::run(command),
        None => open_gui(args, main_began),
    }
}

#[cfg(feature = "gui")]
fn open_gui(args: Args, main_began: std::time::Instant) -> ExitCode {
    policy_workbench::app::run(policy_workbench::app::Launch {
        file: args.file,
        window_size: args.window_size,
        data_dir: args.data_dir,
        view: args.view,
        dark: args.dark,
        main_began,
    })
}

#[cfg(not(feature = "gui"))]
fn open_gui(_args: Args, _main_began: std::time::Instant) -> ExitCode {
    eprintln!(
        "this build has no desktop app (built without the \"gui\" feature); use a command, see --help"
    );
    ExitCode::from(cli::exit::USAGE_OR_IO)
}
