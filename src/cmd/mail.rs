//! `gpwr mail`: writes the e-mail drafts (one `.eml` per institution) into an outbox
//! folder, with a list for the coordinator, and says who could not be written to.

use super::Outcome;
use crate::cli::MailArgs;
use anyhow::{Context, Result};
use gpwr::campaign::{self, OUTBOX_REMINDERS_DIR, OUTBOX_TEMPLATES_DIR, PROGRAM_FILE, TEMPLATES_DIR};
use gpwr::lock::RunLock;
use gpwr::mail::outbox::{HOW_TO_SEND, LIST_XLSX, write_outbox};
use gpwr::mail::{self, Action, Planned, Purpose};
use gpwr::output::{StagedDir, check_apart_from_inputs, check_replaceable};
use gpwr::polish;
use std::path::PathBuf;

/// Prepares the drafts and reports who gets what.
pub fn run(args: &MailArgs) -> Result<Outcome> {
    let program_path = campaign::or_default(args.program.as_deref(), PROGRAM_FILE);
    super::require_program(&program_path)?;
    let templates_dir = campaign::or_default(args.templates.as_deref(), TEMPLATES_DIR);
    let default_out = if args.collected.is_some() { OUTBOX_REMINDERS_DIR } else { OUTBOX_TEMPLATES_DIR };
    let out = campaign::or_default(args.out.as_deref(), default_out);
    let mut reads = vec![program_path.as_path(), templates_dir.as_path()];
    reads.extend(args.collected.as_deref());
    check_apart_from_inputs(&out, &reads).map_err(anyhow::Error::msg)?;
    let _lock = RunLock::acquire("mail", &[&out], &reads)?;
    let Some(program) =
        super::program_or_errors(&program_path, "Nie przygotowano żadnej wiadomości: definicja programu ma błędy.")
    else {
        return Ok(Outcome::DataErrors);
    };
    let from = mail::sender(&program.settings)?;

    let (plan, mut inputs): (Vec<Planned>, Vec<PathBuf>) = match &args.collected {
        Some(collected) => {
            // The templates are attached to reminders when they are there; asked for by
            // name, they must be.
            let templates = (args.templates.is_some() || templates_dir.is_dir()).then_some(templates_dir.as_path());
            if let Some(dir) = templates.filter(|d| !d.is_dir()) {
                anyhow::bail!("nie ma folderu z formularzami {}", dir.display());
            }
            let reminders = mail::reminders(&program, collected, templates)?;
            if !reminders.unattributed.is_empty() {
                eprintln!(
                    "UWAGA: w folderze z odesłanymi plikami są pliki, których nie udało się przypisać żadnej instytucji: {}. \
                     Sprawdź je przed wysłaniem przypomnień: któryś może być spóźnionym formularzem (szczegóły: {}).",
                    reminders.unattributed.join(", "),
                    collected.join(gpwr::collect::write::FINDINGS_XLSX).display()
                );
            }
            let plan = reminders.plan;
            let mut inputs = vec![collected.clone(), collected.join(gpwr::collect::write::FEEDBACK_DIR)];
            inputs.extend(templates.map(PathBuf::from));
            (plan, inputs)
        }
        None => {
            if !templates_dir.is_dir() {
                anyhow::bail!(
                    "nie ma folderu z formularzami {}. Uruchom najpierw `gpwr templates` albo podaj --templates.",
                    templates_dir.display()
                );
            }
            (mail::invitations(&program, &templates_dir), vec![templates_dir.clone()])
        }
    };
    inputs.push(program_path.clone());
    let input_paths: Vec<&std::path::Path> = inputs.iter().map(PathBuf::as_path).collect();
    check_apart_from_inputs(&out, &input_paths).map_err(anyhow::Error::msg)?;
    check_replaceable(&out).map_err(anyhow::Error::msg)?;
    let date = mail::newest_modification(&input_paths);

    let cannot_write = || format!("nie można zapisać wiadomości w {}", out.display());
    let staged = StagedDir::new(&out).with_context(cannot_write)?;
    let names = write_outbox(&program, &plan, &from, date, &|name, bytes| staged.write(name, bytes))
        .with_context(cannot_write)?;
    staged.commit().with_context(cannot_write)?;

    let written: Vec<(String, &Planned)> =
        names.into_iter().zip(&plan).filter_map(|(name, planned)| Some((name?, planned))).collect();
    print_summary(&plan, &written, &out);
    let unsent = plan.iter().filter(|p| matches!(p.action, Action::CannotSend(..))).count();
    Ok(if unsent > 0 { Outcome::DataErrors } else { Outcome::Success })
}

fn print_summary(plan: &[Planned], written: &[(String, &Planned)], out: &std::path::Path) {
    let count = |purpose: Purpose| written.iter().filter(|(_, p)| sent_purpose(p) == Some(purpose)).count();
    let messages = polish::count(written.len(), "wiadomość", "wiadomości", "wiadomości");
    let (invitations, reminders, corrections) =
        (count(Purpose::Invitation), count(Purpose::Reminder), count(Purpose::Corrections));
    let mut kinds = Vec::new();
    if invitations > 0 {
        kinds.push(format!("z formularzem: {invitations}"));
    }
    if reminders > 0 {
        kinds.push(format!("przypomnienia: {reminders}"));
    }
    if corrections > 0 {
        kinds.push(format!("do poprawy: {corrections}"));
    }
    let kinds = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
    println!(
        "Przygotowano {messages}{kinds} w {}. Lista: {}; jak je wysłać: {}",
        out.display(),
        out.join(LIST_XLSX).display(),
        out.join(HOW_TO_SEND).display()
    );
    for (name, planned) in written {
        println!("  {name}  → {}", planned.address);
    }
    let fine = plan.iter().filter(|p| p.action == Action::NothingToSend).count();
    if fine > 0 {
        println!(
            "Bez wiadomości (formularz bez błędów): {}",
            polish::count(fine, "instytucja", "instytucje", "instytucji")
        );
    }
    for planned in plan {
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

fn sent_purpose(planned: &Planned) -> Option<Purpose> {
    match &planned.action {
        Action::Send(draft) => Some(draft.purpose),
        _ => None,
    }
}
