//! `gpwr report`: totals and cross-checks the collected data, writes the consolidated
//! workbook and documents, and prints the failed checks and the headline figures.

use super::Outcome;
use crate::cli::ReportArgs;
use anyhow::Result;
use gpwr::campaign::{self, COLLECTED_DIR, PROGRAM_FILE, REPORT_DIR};
use gpwr::jobs::{self, report::ReportDone, report::ReportRequest};
use gpwr::polish;
use gpwr::report::write::REPORT_XLSX;
use std::path::Path;

/// Builds the consolidated workbook from the collected data.
pub fn run(args: &ReportArgs) -> Result<Outcome> {
    let request = ReportRequest {
        program: campaign::or_default(args.program.as_deref(), PROGRAM_FILE),
        collected: campaign::or_default(args.collected.as_deref(), COLLECTED_DIR),
        out: campaign::or_default(args.out.as_deref(), REPORT_DIR),
        previous: args.previous.clone(),
    };
    let done = match jobs::report::report(&request)? {
        jobs::Outcome::Done(done) => done,
        jobs::Outcome::InvalidDefinition(problems) => {
            let not_done = "Nie utworzono zestawienia: definicja programu ma błędy.";
            return Ok(super::definition_errors(&request.program, &problems, not_done));
        }
    };
    print_failures(&done, &request.out);
    print_figures(&done, &request.out);
    Ok(if done.errors() > 0 { Outcome::DataErrors } else { Outcome::Success })
}

/// The first failed checks; a county or national campaign can fail a check thousands of
/// times, and the workbook has all of them.
fn print_failures(done: &ReportDone, out: &Path) {
    const SHOWN: usize = 30;
    for f in done.failures.iter().take(SHOWN) {
        let who = f.who();
        let values = if f.values.is_empty() { String::new() } else { format!(" [{}]", f.values) };
        eprintln!("{} {} ({who}): {}{values}", f.severity.polish().to_uppercase(), f.check, f.message);
    }
    if done.failures.len() > SHOWN {
        eprintln!(
            "… i {} więcej: wszystkie są w arkuszu „Kontrole” pliku {}",
            polish::thousands((done.failures.len() - SHOWN) as u64),
            out.join(REPORT_XLSX).display()
        );
    }
}

/// The needs, the foster-care figures and where everything is.
fn print_figures(done: &ReportDone, out: &Path) {
    for line in done.figures(out) {
        println!("{line}");
    }
}
