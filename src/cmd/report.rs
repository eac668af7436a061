//! `gpwr report`: totals and cross-checks the collected data and writes the consolidated
//! workbook.

use super::Outcome;
use crate::cli::ReportArgs;
use anyhow::{Context, Result};
use gpwr::campaign::{self, COLLECTED_DIR, PROGRAM_FILE, REPORT_DIR};
use gpwr::output::{check_replaceable, replace_dir_atomically};
use gpwr::polish;
use gpwr::program::{CheckSeverity, read_program};
use gpwr::report::write::{REPORT_XLSX, report_workbook};
use gpwr::report::{aggregate, checks, load};

/// Builds the consolidated workbook from the collected data.
pub fn run(args: &ReportArgs) -> Result<Outcome> {
    let program_path = campaign::or_default(args.program.as_deref(), PROGRAM_FILE);
    let collected_dir = campaign::or_default(args.collected.as_deref(), COLLECTED_DIR);
    let out = campaign::or_default(args.out.as_deref(), REPORT_DIR);
    if !program_path.exists() {
        anyhow::bail!(
            "nie ma pliku {}. Uruchom polecenie w folderze kampanii (utworzonym przez `gpwr init`) albo podaj --program.",
            program_path.display()
        );
    }
    let mut inputs = vec![collected_dir.as_path(), program_path.as_path()];
    inputs.extend(args.previous.as_deref());
    if let Err(reason) = check_replaceable(&out, &inputs) {
        anyhow::bail!(reason);
    }
    let previous = match &args.previous {
        Some(path) => Some(gpwr::report::previous::read_previous(path)?),
        None => None,
    };
    let reading = read_program(&program_path);
    let Some(program) = reading.program else {
        for problem in reading.errors() {
            eprintln!("{}: {problem}", program_path.display());
        }
        eprintln!("Nie utworzono zestawienia: definicja programu ma błędy.");
        return Ok(Outcome::DataErrors);
    };
    let collected = load(&collected_dir)?;
    let totals = aggregate::totals(&program, &collected.frame).context("nie można zsumować wskaźników")?;
    let mut failures =
        checks::run(&program, &collected.frame, &totals, &collected.rows).context("nie można policzyć kontroli")?;
    if let Some(previous) = &previous {
        failures.extend(checks::year_over_year(&program, &totals, previous));
    }
    let task_summaries = aggregate::by_task_and_goal(&program, &totals).context("nie można zsumować zadań i celów")?;
    let workbook = report_workbook(&program, &collected, &totals, &failures, previous.as_ref(), &task_summaries)
        .context("nie można zbudować zestawienia")?;
    replace_dir_atomically(&out, &[(REPORT_XLSX.to_string(), workbook)])
        .with_context(|| format!("nie można zapisać zestawienia w {}", out.display()))?;
    let errors = failures.iter().filter(|f| f.severity == CheckSeverity::Error).count();
    let warnings = failures.len() - errors;
    for f in &failures {
        let who = f.institution.as_deref().unwrap_or("gmina");
        let values = if f.values.is_empty() { String::new() } else { format!(" [{}]", f.values) };
        eprintln!("{} {} ({who}): {}{values}", f.severity.polish().to_uppercase(), f.check, f.message);
    }
    let incomplete = totals.iter().filter(|t| !t.complete()).count();
    println!(
        "Zestawienie: {} ({}; {} z niepełnymi danymi). Niespełnione kontrole: {}, {}.",
        out.join(REPORT_XLSX).display(),
        polish::count(totals.len(), "wskaźnik", "wskaźniki", "wskaźników"),
        incomplete,
        polish::count(errors, "błąd", "błędy", "błędów"),
        polish::count(warnings, "ostrzeżenie", "ostrzeżenia", "ostrzeżeń")
    );
    Ok(if errors > 0 { Outcome::DataErrors } else { Outcome::Success })
}
