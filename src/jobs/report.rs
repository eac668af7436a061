//! The `report` job: totals and cross-checks the collected data, computes the foster-care
//! co-financing and the needs, and writes the consolidated workbook and the documents.

use super::Outcome;
use crate::output::StagedDir;
use crate::polish;
use crate::report::aggregate::{self, IndicatorTotal};
use crate::report::checks::{self, CheckFailure};
use crate::report::documents::{NEEDS_DOCX, NEEDS_MD, REPORT_DOCX, draft_report, needs_document};
use crate::report::foster::FosterCare;
use crate::report::needs::NeedsSummary;
use crate::report::write::{REPORT_XLSX, ReportParts, report_workbook};
use crate::report::{Collected, load};
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Where a report reads and writes.
#[derive(Debug, Clone)]
pub struct ReportRequest {
    /// The programme definition.
    pub program: PathBuf,
    /// What `collect` wrote.
    pub collected: PathBuf,
    /// The output folder, replaced as a whole.
    pub out: PathBuf,
    /// Last year's `zestawienie.xlsx`, for the year-on-year comparison.
    pub previous: Option<PathBuf>,
}

/// What a report found.
#[derive(Debug)]
pub struct ReportDone {
    /// The programme reported on.
    pub program: crate::program::Program,
    /// Every failed check, in the order of the definition.
    pub failures: Vec<CheckFailure>,
    /// One total per indicator.
    pub totals: Vec<IndicatorTotal>,
    /// The needs for next year.
    pub needs: NeedsSummary,
    /// The foster-care co-financing, when PCPR's placements were collected.
    pub foster: Option<FosterCare>,
}

/// Builds the consolidated workbook and the documents from what `collect` wrote.
pub fn report(request: &ReportRequest) -> Result<Outcome<ReportDone>> {
    super::require_program(&request.program)?;
    let mut inputs = vec![request.collected.as_path(), request.program.as_path()];
    inputs.extend(request.previous.as_deref());
    let _lock = super::lock_output("report", &request.out, &inputs)?;
    let previous = match &request.previous {
        Some(path) => Some(crate::report::previous::read_previous(path)?),
        None => None,
    };
    let program = match super::program_or_problems(&request.program) {
        Ok(program) => program,
        Err(problems) => return Ok(Outcome::InvalidDefinition(problems)),
    };
    let collected = load(&request.collected)?;
    let totals = aggregate::totals(&program, &collected.frame).context("nie można zsumować wskaźników")?;
    let mut failures = checks::run(&program, &collected.frame, &totals).context("nie można policzyć kontroli")?;
    if let Some(previous) = &previous {
        failures.extend(checks::year_over_year(&program, &totals, previous));
    }
    let foster = FosterCare::compute(&program, &collected.placements);
    if let Some(foster) = &foster {
        failures.extend(foster.cross_check(&program, &totals, &collected.frame));
    }
    let needs = NeedsSummary::build(&program, &collected.needs, &totals, foster.as_ref());
    let done = ReportDone { program, failures, totals, needs, foster };
    write_report(&collected, &done, previous.as_ref(), &request.out)?;
    Ok(Outcome::Done(done))
}

/// The environment variable that lowers the rows a `Dane` sheet holds, so that tests can
/// show the data continuing on further sheets without a million rows.
pub const DATA_ROWS_VARIABLE: &str = "GPWR_WIERSZE_DANE";

/// Data rows per `Dane` sheet: Excel's limit, or a positive number from
/// [`DATA_ROWS_VARIABLE`] (for tests).
fn data_rows_per_sheet() -> usize {
    let limit = crate::report::data_sheets::DATA_ROWS_PER_SHEET;
    let lowered = std::env::var(DATA_ROWS_VARIABLE).ok().and_then(|v| v.parse::<usize>().ok());
    lowered.filter(|&n| n >= 1).map_or(limit, |n| n.min(limit))
}

/// Writes `zestawienie.xlsx`, `potrzeby.docx`, `potrzeby.md` and `sprawozdanie.docx` into
/// `out`, as a whole.
fn write_report(
    collected: &Collected,
    done: &ReportDone,
    previous: Option<&std::collections::BTreeMap<String, f64>>,
    out: &Path,
) -> Result<()> {
    let program = &done.program;
    let task_summaries =
        aggregate::by_task_and_goal(program, &done.totals).context("nie można zsumować zadań i celów")?;
    let cannot_write = || format!("nie można zapisać zestawienia w {}", out.display());
    let staged = StagedDir::new(out).with_context(cannot_write)?;
    let foster = done.foster.as_ref();
    let parts = ReportParts {
        program,
        collected,
        totals: &done.totals,
        failures: &done.failures,
        previous,
        task_summaries: &task_summaries,
        needs: &done.needs,
        foster,
        data_rows_per_sheet: data_rows_per_sheet(),
    };
    // The workbook on one core, the documents on the other. The workbook is built under
    // `guard::quietly`, which silences panics anywhere meanwhile: the documents are guarded
    // too, so that a panic in them is an error told in Polish, not a silent crash.
    let (workbook, documents) = rayon::join(
        || report_workbook(&parts, staged.path()),
        || {
            crate::guard::quietly(|| {
                let needs_doc = needs_document(program, &done.needs);
                let draft = draft_report(program, collected, &done.totals, &done.needs, foster, previous);
                let needs_docx = crate::docx::to_docx(&needs_doc).context("nie można zbudować potrzeby.docx")?;
                let draft_docx = crate::docx::to_docx(&draft).context("nie można zbudować sprawozdanie.docx")?;
                anyhow::Ok((needs_docx, crate::docx::to_markdown(&needs_doc).into_bytes(), draft_docx))
            })
            .unwrap_or_else(|_| Err(anyhow::anyhow!("budowa dokumentów sprawozdania przerwana (błąd gpwr)")))
        },
    );
    let (needs_docx, needs_md, draft_docx) = documents?;
    let files = [
        (REPORT_XLSX, workbook.context("nie można zbudować zestawienia")?),
        (NEEDS_DOCX, needs_docx),
        (NEEDS_MD, needs_md),
        (REPORT_DOCX, draft_docx),
    ];
    for (name, bytes) in &files {
        staged.write(name, bytes).with_context(cannot_write)?;
    }
    staged.commit().with_context(cannot_write)
}

impl ReportDone {
    /// Errors among the failed checks.
    pub fn errors(&self) -> usize {
        self.failures.iter().filter(|f| f.severity == crate::program::CheckSeverity::Error).count()
    }

    /// Warnings among the failed checks.
    pub fn warnings(&self) -> usize {
        self.failures.len() - self.errors()
    }

    /// The headline figures, one sentence each, naming the files in `out`: the needs, the
    /// foster-care co-financing (when computed) and the consolidated workbook.
    pub fn figures(&self, out: &Path) -> Vec<String> {
        let needs = &self.needs;
        let mut lines = vec![format!(
            "Potrzeby na rok {}: {} ({}), szacowany koszt {}. Projekt sprawozdania: {}.",
            needs.year,
            out.join(NEEDS_DOCX).display(),
            polish::count(needs.lines.len(), "pozycja", "pozycje", "pozycji"),
            polish::pln(needs.total()),
            out.join(REPORT_DOCX).display()
        )];
        if let Some(foster) = &self.foster {
            lines.push(format!(
                "Piecza zastępcza: udział gminy za {} r.: {}, prognoza na {} r.: {}.",
                foster.year,
                polish::pln(foster.this_year.share()),
                foster.year + 1,
                polish::pln(foster.next_year.share())
            ));
        }
        let incomplete = self.totals.iter().filter(|t| !t.complete()).count();
        lines.push(format!(
            "Zestawienie: {} ({}; {} z niepełnymi danymi). Niespełnione kontrole: {}, {}.",
            out.join(REPORT_XLSX).display(),
            polish::count(self.totals.len(), "wskaźnik", "wskaźniki", "wskaźników"),
            incomplete,
            polish::count(self.errors(), "błąd", "błędy", "błędów"),
            polish::count(self.warnings(), "ostrzeżenie", "ostrzeżenia", "ostrzeżeń")
        ));
        lines
    }
}
