//! The `gpwr` binary: parses the command line and hands over to one `cmd` module.

mod cli;
mod cmd;

use clap::Parser;

fn main() -> std::process::ExitCode {
    cmd::run(cli::Cli::parse())
}
