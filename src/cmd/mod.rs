//! One module per subcommand, each with a `run` entry point; this module dispatches and
//! turns outcomes into exit codes.

mod collect;
mod demo;
mod init;
mod mail;
mod report;
mod serve;
mod templates;

use crate::cli::{Cli, Command};
use std::process::ExitCode;

/// What a command concluded, mapped to the documented exit codes.
pub enum Outcome {
    /// Done, no errors in the data (exit 0).
    Success,
    /// Done or stopped because the data has errors (exit 1).
    DataErrors,
}

/// Prints the errors of the definition at `path` and `not_done`; the outcome of a command
/// that did not run because of them.
fn definition_errors(path: &std::path::Path, problems: &[gpwr::program::Problem], not_done: &str) -> Outcome {
    let errors = problems.iter().filter(|p| p.severity == gpwr::program::Severity::Error);
    for problem in errors {
        eprintln!("{}: {problem}", path.display());
    }
    eprintln!("{not_done}");
    Outcome::DataErrors
}

/// Exit code for a failure of gpwr itself (I/O, a bug); 2 is clap's code for usage errors.
const EXIT_TOOL_FAILURE: u8 = 3;

/// Runs the chosen subcommand and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command.unwrap_or_else(|| Command::Serve(Default::default())) {
        Command::Serve(args) => serve::run(&args),
        Command::Init(args) => init::run(&args),
        Command::Templates(args) => templates::run(&args),
        Command::Collect(args) => collect::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Mail(args) => mail::run(&args),
        Command::Demo(args) => demo::run(&args),
        Command::ReadWorkbook(args) => collect::read_workbook_worker(&args),
    };
    match result {
        Ok(Outcome::Success) => ExitCode::SUCCESS,
        Ok(Outcome::DataErrors) => ExitCode::from(1),
        Err(error) => {
            eprintln!("Błąd: {}", gpwr::error_text::describe(error.as_ref()));
            ExitCode::from(EXIT_TOOL_FAILURE)
        }
    }
}
