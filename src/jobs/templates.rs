//! The `templates` job: validates the programme definition and writes one template per
//! reporting institution; with any error in the definition, nothing is written.

use super::Outcome;
use crate::lock::RunLock;
use crate::output::StagedFiles;
use crate::program::read_program;
use crate::program::{Problem, Severity};
use crate::template::{template_file_name, template_workbook};
use anyhow::{Context, Result};
use rayon::prelude::*;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// What the job wrote.
#[derive(Debug)]
pub struct TemplatesDone {
    /// The definition's warnings (nothing stopped).
    pub warnings: Vec<Problem>,
    /// The year the templates ask about.
    pub year: i32,
    /// Each template written: file name, institution id, number of indicators it asks.
    pub written: Vec<(String, String, usize)>,
    /// Template-like files in the folder that the definition no longer produces.
    pub stale: Vec<String>,
}

/// Reads the definition at `program_path` and, if it has no errors, writes the templates
/// into `out`: each built on all cores (a county-wide campaign has thousands) and written to
/// a temporary file, renamed into place only when all are built.
pub fn templates(program_path: &Path, out: &Path) -> Result<Outcome<TemplatesDone>> {
    super::require_program(program_path)?;
    let _lock = RunLock::acquire("templates", &[out], &[program_path])?;
    let reading = read_program(program_path);
    let Some(program) = reading.program else { return Ok(Outcome::InvalidDefinition(reading.problems)) };
    let reporting: Vec<_> = program.reporting_institutions().collect();
    fs::create_dir_all(out).with_context(|| format!("nie można utworzyć folderu {}", out.display()))?;
    let staged = StagedFiles::new(out);
    let written = reporting
        .par_iter()
        .map(|&institution| {
            let name = template_file_name(&program, institution);
            let bytes = template_workbook(&program, institution)
                .with_context(|| format!("nie można zbudować formularza dla {}", institution.id))?;
            staged.write(&name, &bytes).with_context(|| format!("nie można zapisać {name} w {}", out.display()))?;
            Ok((name, institution.id.clone(), program.indicators_for(&institution.id).count()))
        })
        .collect::<Result<Vec<_>>>()?;
    staged.commit().with_context(|| format!("nie można zapisać formularzy w {}", out.display()))?;
    let stale = stale_templates(out, &written.iter().map(|(name, _, _)| name.as_str()).collect());
    let warnings = reading.problems.into_iter().filter(|p| p.severity == Severity::Warning).collect();
    Ok(Outcome::Done(TemplatesDone { warnings, year: program.settings.report_year, written, stale }))
}

/// The `GPWR_*.xlsx` files in `out` that are not among `written`.
fn stale_templates(out: &Path, written: &BTreeSet<&str>) -> Vec<String> {
    let mut stale: Vec<String> = fs::read_dir(out)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("GPWR_") && n.ends_with(".xlsx") && !written.contains(n.as_str()))
        .collect();
    stale.sort();
    stale
}

impl TemplatesDone {
    /// `Utworzono 17 formularzy w templates_xlsx (rok 2025).`
    pub fn summary(&self, out: &Path) -> String {
        let count = crate::polish::count(self.written.len(), "formularz", "formularze", "formularzy");
        format!("Utworzono {count} w {} (rok {}).", out.display(), self.year)
    }

    /// Why each stale template should not be sent.
    pub fn stale_warnings(&self, out: &Path) -> Vec<String> {
        self.stale
            .iter()
            .map(|name| {
                format!(
                    "UWAGA: {name} w {} nie pochodzi z bieżącej definicji (stary formularz?). Nie wysyłaj go.",
                    out.display()
                )
            })
            .collect()
    }
}
