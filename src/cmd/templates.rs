//! `gpwr templates`: validates the programme definition and writes one template per
//! institution; with any error in the definition, nothing is written.

use super::Outcome;
use crate::cli::TemplatesArgs;
use anyhow::Result;
use gpwr::campaign::{self, PROGRAM_FILE, TEMPLATES_DIR};
use gpwr::jobs;
use gpwr::polish;
use gpwr::program::Severity;

/// Reads the definition, reports every problem, and writes the templates if there are no errors.
pub fn run(args: &TemplatesArgs) -> Result<Outcome> {
    let program_path = campaign::or_default(args.program.as_deref(), PROGRAM_FILE);
    let out = campaign::or_default(args.out.as_deref(), TEMPLATES_DIR);
    let done = match jobs::templates::templates(&program_path, &out)? {
        jobs::Outcome::Done(done) => done,
        jobs::Outcome::InvalidDefinition(problems) => {
            for problem in &problems {
                eprintln!("{}: {problem}", program_path.display());
            }
            let errors = problems.iter().filter(|p| p.severity == Severity::Error).count();
            eprintln!(
                "Nie utworzono żadnego formularza: definicja programu ma {}. Popraw je i uruchom polecenie ponownie.",
                polish::count(errors, "błąd", "błędy", "błędów")
            );
            return Ok(Outcome::DataErrors);
        }
    };
    for problem in &done.warnings {
        eprintln!("{}: {problem}", program_path.display());
    }
    println!("{}", done.summary(&out));
    for (name, _, indicators) in &done.written {
        println!("  {name}  ({})", polish::count(*indicators, "wskaźnik", "wskaźniki", "wskaźników"));
    }
    for warning in done.stale_warnings(&out) {
        eprintln!("{warning}");
    }
    Ok(Outcome::Success)
}
