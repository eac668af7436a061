//! `gpwr demo [FOLDER]`: the whole cycle on the bundled sample in one command, ending with
//! where each result is.

use super::Outcome;
use crate::cli::DemoArgs;
use anyhow::{Context, Result};
use gpwr::campaign::{
    COLLECTED_DIR, INBOX_DIR, OUTBOX_REMINDERS_DIR, OUTBOX_TEMPLATES_DIR, PROGRAM_FILE, REPORT_DIR, TEMPLATES_DIR,
};
use gpwr::collect::findings::Severity;
use gpwr::jobs::demo::{DemoDone, demo};
use gpwr::polish;
use gpwr::report::documents::{NEEDS_DOCX, REPORT_DOCX};
use gpwr::report::write::REPORT_XLSX;
use std::path::Path;

/// Runs the cycle and says where everything is.
pub fn run(args: &DemoArgs) -> Result<Outcome> {
    let reader = std::env::current_exe().context("nie można ustalić położenia programu gpwr")?;
    eprintln!(
        "Przykładowa kampania w folderze {}: formularze, zbieranie, zestawienie, wiadomości…",
        args.folder.display()
    );
    let done = demo(&args.folder, &reader)?;
    print_where(&args.folder, &done);
    Ok(Outcome::Success)
}

fn print_where(folder: &Path, done: &DemoDone) {
    let at = |name: &str| folder.join(name).display().to_string();
    let sent = |mail: &gpwr::jobs::mail::MailDone| mail.files.iter().flatten().count();
    let collection = &done.collected.collection;
    let returned = collection.completeness.iter().filter(|c| c.chosen_file.is_some()).count();
    println!("Gotowe. Cały roczny cykl na przykładowym programie „{}”:", done.collected.program.settings.program_name);
    println!("  1. definicja programu:  {}", at(PROGRAM_FILE));
    println!("  2. formularze ({}):  {}", done.templates.written.len(), at(TEMPLATES_DIR));
    println!("  3. wiadomości z formularzami ({}):  {}", sent(&done.invitations), at(OUTBOX_TEMPLATES_DIR));
    println!("  4. odesłane pliki ({}):  {}", collection.returns.len() + collection.skipped.len(), at(INBOX_DIR));
    println!(
        "  5. zebrane dane: {} z {} instytucji, błędy: {}, ostrzeżenia: {} (celowo, to przykład):  {}",
        returned,
        collection.completeness.len(),
        collection.count(Severity::Error),
        collection.count(Severity::Warning),
        at(COLLECTED_DIR)
    );
    println!("  6. przypomnienia i poprawki ({}):  {}", sent(&done.reminders), at(OUTBOX_REMINDERS_DIR));
    println!(
        "  7. zestawienie, potrzeby ({}), projekt sprawozdania:  {}, {}, {}",
        polish::pln(done.report.needs.total()),
        folder.join(REPORT_DIR).join(REPORT_XLSX).display(),
        folder.join(REPORT_DIR).join(NEEDS_DOCX).display(),
        folder.join(REPORT_DIR).join(REPORT_DOCX).display()
    );
    println!("Własną kampanię zaczniesz poleceniem: gpwr init FOLDER");
}
