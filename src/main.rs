//! The `gpwr` binary: parses the command line and hands over to one `cmd` module.

mod cli;
mod cmd;

fn main() -> std::process::ExitCode {
    cmd::run(cli::parse())
}
