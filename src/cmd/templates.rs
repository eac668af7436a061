//! `gpwr templates`: validates the programme definition and writes one template per
//! institution; with any error in the definition, nothing is written.

use super::Outcome;
use crate::cli::TemplatesArgs;
use anyhow::{Context, Result};
use gpwr::campaign::{self, PROGRAM_FILE, TEMPLATES_DIR};
use gpwr::lock::RunLock;
use gpwr::output::StagedFiles;
use gpwr::polish;
use gpwr::program::read_program;
use gpwr::template::{template_file_name, template_workbook};
use std::collections::BTreeSet;
use std::fs;

/// Reads the definition, reports every problem, and writes the templates if there are no errors.
pub fn run(args: &TemplatesArgs) -> Result<Outcome> {
    let program_path = campaign::or_default(args.program.as_deref(), PROGRAM_FILE);
    let out = campaign::or_default(args.out.as_deref(), TEMPLATES_DIR);
    super::require_program(&program_path)?;
    let _lock = RunLock::acquire("templates", &[&out], &[&program_path])?;
    let reading = read_program(&program_path);
    for problem in &reading.problems {
        eprintln!("{}: {problem}", program_path.display());
    }
    let Some(program) = reading.program else {
        eprintln!(
            "Nie utworzono żadnego formularza: definicja programu ma {}. Popraw je i uruchom polecenie ponownie.",
            polish::count(reading.errors().count(), "błąd", "błędy", "błędów")
        );
        return Ok(Outcome::DataErrors);
    };

    // Build every workbook on all cores (a county-wide campaign has thousands) and write each
    // to a temporary file as soon as it is built; only when all are built are they renamed
    // into place, so a failure leaves the folder as it was.
    let reporting: Vec<_> = program.reporting_institutions().collect();
    fs::create_dir_all(&out).with_context(|| format!("nie można utworzyć folderu {}", out.display()))?;
    let staged = StagedFiles::new(&out);
    let built = gpwr::parallel::map_in_order(&reporting, |&institution| {
        let name = template_file_name(&program, institution);
        let bytes = template_workbook(&program, institution)
            .with_context(|| format!("nie można zbudować formularza dla {}", institution.id))?;
        staged.write(&name, &bytes).with_context(|| format!("nie można zapisać {name} w {}", out.display()))?;
        Ok::<_, anyhow::Error>((name, institution))
    });
    let files = built.into_iter().collect::<Result<Vec<_>>>()?;
    staged.commit().with_context(|| format!("nie można zapisać formularzy w {}", out.display()))?;

    let written: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    let stale: Vec<String> = fs::read_dir(&out)?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("GPWR_") && n.ends_with(".xlsx") && !written.contains(n.as_str()))
        .collect();
    let count = polish::count(files.len(), "formularz", "formularze", "formularzy");
    println!("Utworzono {count} w {} (rok {}):", out.display(), program.settings.report_year);
    for (name, institution) in &files {
        let indicators =
            polish::count(program.indicators_for(&institution.id).count(), "wskaźnik", "wskaźniki", "wskaźników");
        println!("  {name}  ({indicators})");
    }
    for name in stale {
        eprintln!(
            "UWAGA: {name} w {} nie pochodzi z bieżącej definicji (stary formularz?). Nie wysyłaj go.",
            out.display()
        );
    }
    Ok(Outcome::Success)
}
