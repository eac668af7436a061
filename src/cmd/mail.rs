//! `gpwr mail`: writes the e-mail drafts (one `.eml` per institution) into an outbox
//! folder, with a list for the coordinator, and says who could not be written to.

use super::Outcome;
use crate::cli::MailArgs;
use anyhow::Result;
use gpwr::campaign::{self, OUTBOX_REMINDERS_DIR, OUTBOX_TEMPLATES_DIR, PROGRAM_FILE, TEMPLATES_DIR};
use gpwr::jobs::{self, mail::MailDone, mail::MailRequest};
use gpwr::mail::Action;
use gpwr::polish;

/// Prepares the drafts and reports who gets what.
pub fn run(args: &MailArgs) -> Result<Outcome> {
    let default_out = if args.collected.is_some() { OUTBOX_REMINDERS_DIR } else { OUTBOX_TEMPLATES_DIR };
    let request = MailRequest {
        program: campaign::or_default(args.program.as_deref(), PROGRAM_FILE),
        templates: campaign::or_default(args.templates.as_deref(), TEMPLATES_DIR),
        templates_named: args.templates.is_some(),
        collected: args.collected.clone(),
        out: campaign::or_default(args.out.as_deref(), default_out),
    };
    let done = match jobs::mail::mail(&request)? {
        jobs::Outcome::Done(done) => done,
        jobs::Outcome::InvalidDefinition(problems) => {
            let not_done = "Nie przygotowano żadnej wiadomości: definicja programu ma błędy.";
            return Ok(super::definition_errors(&request.program, &problems, not_done));
        }
    };
    print_summary(&done, &request.out);
    for warning in done.warnings(request.collected.as_deref()) {
        eprintln!("{warning}");
    }
    Ok(if done.unsent() > 0 { Outcome::DataErrors } else { Outcome::Success })
}

/// Where the messages are, who gets one and who needs none.
fn print_summary(done: &MailDone, out: &std::path::Path) {
    println!("{}", done.summary(out));
    for (name, planned) in done.written() {
        println!("  {name}  → {}", planned.address);
    }
    let fine = done.plan.iter().filter(|p| p.action == Action::NothingToSend).count();
    if fine > 0 {
        println!(
            "Bez wiadomości (formularz bez błędów): {}",
            polish::count(fine, "instytucja", "instytucje", "instytucji")
        );
    }
}
