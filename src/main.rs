//! The `gpwr` binary: parses the command line and hands over to one `cmd` module.

mod cli;
mod cmd;

/// mimalloc: reading thousands of workbooks is allocation-heavy (calamine's cells and
/// strings), and glibc's allocator spent about 9 % of collect's CPU (see BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    cmd::run(cli::parse())
}
