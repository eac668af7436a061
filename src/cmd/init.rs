//! `gpwr init DIR`: creates a campaign folder with the sample programme definition.

use super::Outcome;
use crate::cli::InitArgs;
use anyhow::{Context, Result, bail};
use gpwr::campaign::{self, PROGRAM_FILE};
use gpwr::lock::RunLock;
use gpwr::output::write_atomically;
use gpwr::sample::sample_program_workbook;
use std::fs;

/// Creates the folder layout and writes `program.xlsx` and a Polish read-me.
pub fn run(args: &InitArgs) -> Result<Outcome> {
    let dir = &args.dir;
    let program = dir.join(PROGRAM_FILE);
    let _lock = RunLock::acquire("init", &[&program], &[])?;
    if program.exists() {
        bail!("{} już istnieje; nie nadpisuję definicji programu. Wybierz inny folder.", program.display());
    }
    for sub in [campaign::TEMPLATES_DIR, campaign::INBOX_DIR, campaign::COLLECTED_DIR, campaign::REPORT_DIR] {
        fs::create_dir_all(dir.join(sub))
            .with_context(|| format!("nie można utworzyć folderu {}", dir.join(sub).display()))?;
    }
    let bytes = sample_program_workbook().context("nie można zbudować przykładowej definicji programu")?;
    write_atomically(&program, &bytes).with_context(|| format!("nie można zapisać {}", program.display()))?;
    let readme = dir.join("CZYTAJ_MNIE.txt");
    if !readme.exists() {
        let name = gpwr::program::read_program(&program).program.map(|p| p.settings.program_name).unwrap_or_default();
        write_atomically(&readme, campaign::readme(&name).as_bytes())
            .with_context(|| format!("nie można zapisać {}", readme.display()))?;
    }
    println!("Utworzono folder kampanii {}.", dir.display());
    println!(
        "Przykładowa definicja programu: {}. Uzupełnij ją, a potem w tym folderze uruchom: gpwr templates",
        program.display()
    );
    Ok(Outcome::Success)
}
