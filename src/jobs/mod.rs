//! One function per job of the yearly cycle (init, templates, collect, report, mail, and the
//! demo that runs them all on the sample), shared
//! by the command line and the web page: each takes its paths, takes its locks
//! ([`crate::lock`]), checks its inputs, does the work, writes its outputs whole
//! ([`crate::output`]) and returns what it found for the face to show. None of them prints;
//! every error message is Polish (shown with [`crate::error_text::describe`]).

pub mod collect;
#[cfg(feature = "analysis")]
pub mod demo;
pub mod init;
pub mod mail;
#[cfg(feature = "analysis")]
pub mod report;
pub mod templates;

use crate::output::{check_apart_from_inputs, check_replaceable};
use crate::program::Problem;
use crate::program::{Program, read_program};
use std::path::Path;

/// How a job that depends on the programme definition ended.
#[derive(Debug)]
pub enum Outcome<T> {
    /// The job ran; what it found.
    Done(T),
    /// The definition has errors: nothing was read or written. Every problem, warnings too.
    InvalidDefinition(Vec<Problem>),
}

/// Fails with advice when the programme definition is not there.
fn require_program(path: &Path) -> anyhow::Result<()> {
    if !path.exists() {
        anyhow::bail!(
            "nie ma pliku {}. Uruchom polecenie w folderze kampanii (utworzonym przez `gpwr init`) albo podaj --program.",
            path.display()
        );
    }
    Ok(())
}

/// The programme at `path`, or every problem of it when it has errors.
fn program_or_problems(path: &Path) -> Result<Program, Vec<Problem>> {
    read_program(path).into_result()
}

/// Takes the locks of a run of `command` writing the folder `out` from `inputs`, after
/// checking that `out` lies apart from the inputs (before locking, so no lock file lands
/// among them) and, under the lock, that it may be replaced.
fn lock_output(command: &str, out: &Path, inputs: &[&Path]) -> anyhow::Result<crate::lock::RunLock> {
    check_apart_from_inputs(out, inputs).map_err(anyhow::Error::msg)?;
    let lock = crate::lock::RunLock::acquire(command, &[out], inputs)?;
    check_replaceable(out).map_err(anyhow::Error::msg)?;
    Ok(lock)
}
