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
    if let (false, Some(collected)) = (done.unattributed.is_empty(), &request.collected) {
        eprintln!(
            "UWAGA: w folderze z odesłanymi plikami są pliki, których nie udało się przypisać żadnej instytucji: {}. \
             Sprawdź je przed wysłaniem przypomnień: któryś może być spóźnionym formularzem (szczegóły: {}).",
            done.unattributed.join(", "),
            collected.join(gpwr::collect::write::FINDINGS_XLSX).display()
        );
    }
    print_summary(&done, &request.out);
    let unsent = done.plan.iter().filter(|p| matches!(p.action, Action::CannotSend(..))).count();
    Ok(if unsent > 0 { Outcome::DataErrors } else { Outcome::Success })
}

/// Where the messages are, who gets one, who needs none, and who cannot be written to.
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
    for planned in &done.plan {
        if let Action::CannotSend(purpose, why) = &planned.action {
            eprintln!(
                "UWAGA: {} ({}): brak wiadomości „{}”: {why}",
                planned.institution,
                planned.name,
                purpose.polish()
            );
        }
        if planned.action == Action::NothingToSend {
            continue;
        }
        for note in &planned.notes {
            eprintln!("UWAGA: {} ({}): {note}", planned.institution, planned.name);
        }
    }
}
