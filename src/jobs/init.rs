//! The `init` job: a new campaign folder with the sample programme definition, so that inside
//! it every other job runs with no arguments.

use crate::campaign::{self, PROGRAM_FILE};
use crate::lock::RunLock;
use crate::output::write_atomically;
use crate::sample::sample_program_workbook;
use anyhow::{Context, Result, bail};
use std::fs;
use std::path::{Path, PathBuf};

/// Creates the campaign layout in `dir` (which may exist but must hold no programme) and
/// writes the sample `program.xlsx` and a Polish read-me. Returns the path of the definition.
pub fn init(dir: &Path) -> Result<PathBuf> {
    let bytes = sample_program_workbook().context("nie można zbudować przykładowej definicji programu")?;
    init_with(dir, &bytes)
}

/// [`init`] with the definition `bytes` (e.g. last year's, moved on by
/// [`crate::program::next_year::moved_on`]) instead of the sample.
pub fn init_with(dir: &Path, bytes: &[u8]) -> Result<PathBuf> {
    let program = dir.join(PROGRAM_FILE);
    let _lock = RunLock::acquire("init", &[&program], &[])?;
    if program.exists() {
        bail!("{} już istnieje; nie nadpisuję definicji programu. Wybierz inny folder.", program.display());
    }
    for sub in [campaign::TEMPLATES_DIR, campaign::INBOX_DIR, campaign::COLLECTED_DIR, campaign::REPORT_DIR] {
        fs::create_dir_all(dir.join(sub))
            .with_context(|| format!("nie można utworzyć folderu {}", dir.join(sub).display()))?;
    }
    write_atomically(&program, bytes).with_context(|| format!("nie można zapisać {}", program.display()))?;
    let readme = dir.join("CZYTAJ_MNIE.txt");
    if !readme.exists() {
        let name = crate::program::read_program(&program).program.map(|p| p.settings.program_name).unwrap_or_default();
        write_atomically(&readme, campaign::readme(&name).as_bytes())
            .with_context(|| format!("nie można zapisać {}", readme.display()))?;
    }
    Ok(program)
}
