//! `gpwr report`: totals and cross-checks the collected data and writes the consolidated
//! workbook.

use super::Outcome;
use crate::cli::ReportArgs;
use anyhow::{Context, Result};
use gpwr::campaign::{self, COLLECTED_DIR, PROGRAM_FILE, REPORT_DIR};
use gpwr::lock::RunLock;
use gpwr::output::{StagedDir, check_apart_from_inputs, check_replaceable};
use gpwr::polish;
use gpwr::program::CheckSeverity;
use gpwr::report::documents::{NEEDS_DOCX, NEEDS_MD, REPORT_DOCX, draft_report, needs_document};
use gpwr::report::foster::FosterCare;
use gpwr::report::needs::NeedsSummary;
use gpwr::report::write::{REPORT_XLSX, report_workbook};
use gpwr::report::{aggregate, checks, load};

/// Builds the consolidated workbook from the collected data.
pub fn run(args: &ReportArgs) -> Result<Outcome> {
    let program_path = campaign::or_default(args.program.as_deref(), PROGRAM_FILE);
    let collected_dir = campaign::or_default(args.collected.as_deref(), COLLECTED_DIR);
    let out = campaign::or_default(args.out.as_deref(), REPORT_DIR);
    super::require_program(&program_path)?;
    let mut inputs = vec![collected_dir.as_path(), program_path.as_path()];
    inputs.extend(args.previous.as_deref());
    check_apart_from_inputs(&out, &inputs).map_err(anyhow::Error::msg)?;
    let _lock = RunLock::acquire("report", &[&out], &inputs)?;
    check_replaceable(&out).map_err(anyhow::Error::msg)?;
    let previous = match &args.previous {
        Some(path) => Some(gpwr::report::previous::read_previous(path)?),
        None => None,
    };
    let Some(program) =
        super::program_or_errors(&program_path, "Nie utworzono zestawienia: definicja programu ma błędy.")
    else {
        return Ok(Outcome::DataErrors);
    };
    let collected = load(&collected_dir)?;
    let totals = aggregate::totals(&program, &collected.frame).context("nie można zsumować wskaźników")?;
    let mut failures =
        checks::run(&program, &collected.frame, &totals, &collected.rows).context("nie można policzyć kontroli")?;
    if let Some(previous) = &previous {
        failures.extend(checks::year_over_year(&program, &totals, previous));
    }
    let foster = FosterCare::compute(&program, &collected.placements);
    if let Some(foster) = &foster {
        failures.extend(foster.cross_check(&program, &totals, &collected.rows));
    }
    let needs = NeedsSummary::build(&program, &collected.needs, &totals, foster.as_ref());
    let task_summaries = aggregate::by_task_and_goal(&program, &totals).context("nie można zsumować zadań i celów")?;
    let cannot_write = || format!("nie można zapisać zestawienia w {}", out.display());
    let staged = StagedDir::new(&out).with_context(cannot_write)?;
    let workbook = report_workbook(
        &program,
        &collected,
        &totals,
        &failures,
        previous.as_ref(),
        &task_summaries,
        &needs,
        foster.as_ref(),
        staged.path(),
    )
    .context("nie można zbudować zestawienia")?;
    let needs_doc = needs_document(&program, &needs);
    let draft = draft_report(&program, &collected, &totals, &needs, foster.as_ref());
    let files = vec![
        (REPORT_XLSX.to_string(), workbook),
        (NEEDS_DOCX.to_string(), gpwr::docx::to_docx(&needs_doc).context("nie można zbudować potrzeby.docx")?),
        (NEEDS_MD.to_string(), gpwr::docx::to_markdown(&needs_doc).into_bytes()),
        (REPORT_DOCX.to_string(), gpwr::docx::to_docx(&draft).context("nie można zbudować sprawozdanie.docx")?),
    ];
    for (name, bytes) in &files {
        staged.write(name, bytes).with_context(cannot_write)?;
    }
    staged.commit().with_context(cannot_write)?;
    let errors = failures.iter().filter(|f| f.severity == CheckSeverity::Error).count();
    let warnings = failures.len() - errors;
    // A county or national campaign can fail a check thousands of times: the terminal gets
    // the first ones, the workbook all of them.
    const SHOWN: usize = 30;
    for f in failures.iter().take(SHOWN) {
        let who = f.institution.as_deref().unwrap_or("gmina");
        let values = if f.values.is_empty() { String::new() } else { format!(" [{}]", f.values) };
        eprintln!("{} {} ({who}): {}{values}", f.severity.polish().to_uppercase(), f.check, f.message);
    }
    if failures.len() > SHOWN {
        eprintln!(
            "… i {} więcej: wszystkie są w arkuszu „Kontrole” pliku {}",
            polish::thousands((failures.len() - SHOWN) as u64),
            out.join(REPORT_XLSX).display()
        );
    }
    let incomplete = totals.iter().filter(|t| !t.complete()).count();
    println!(
        "Potrzeby na rok {}: {} ({}), szacowany koszt {}. Projekt sprawozdania: {}.",
        needs.year,
        out.join(NEEDS_DOCX).display(),
        polish::count(needs.lines.len(), "pozycja", "pozycje", "pozycji"),
        polish::pln(needs.total()),
        out.join(REPORT_DOCX).display()
    );
    if let Some(foster) = &foster {
        println!(
            "Piecza zastępcza: udział gminy {} {}, prognoza na {} {}.",
            foster.year,
            polish::pln(foster.this_year.share()),
            foster.year + 1,
            polish::pln(foster.next_year.share())
        );
    }
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
