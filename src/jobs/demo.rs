//! The `demo` job: the whole yearly cycle on the bundled sample, in a folder of its own —
//! a campaign made by `init`, the templates, the sample inbox written from the binary,
//! collect, report and both rounds of e-mails — so a newcomer sees every output at once.

use super::Outcome;
use super::collect::{CollectDone, CollectRequest};
use super::mail::{MailDone, MailRequest};
use super::report::{ReportDone, ReportRequest};
use super::templates::TemplatesDone;
use crate::campaign::{
    COLLECTED_DIR, INBOX_DIR, OUTBOX_REMINDERS_DIR, OUTBOX_TEMPLATES_DIR, PROGRAM_FILE, REPORT_DIR, TEMPLATES_DIR,
};
use crate::lock::RunLock;
use crate::sample::SAMPLE_INBOX;
use anyhow::{Context, Result, bail};
use std::fs;
use std::path::Path;

/// The mark of a folder `demo` made, which a later `demo` may replace.
pub const DEMO_MARKER: &str = ".gpwr-demo";

/// What each step of the cycle gave.
#[derive(Debug)]
pub struct DemoDone {
    /// The templates written.
    pub templates: TemplatesDone,
    /// The collection of the sample inbox.
    pub collected: CollectDone,
    /// The consolidated report.
    pub report: ReportDone,
    /// The e-mails with the templates.
    pub invitations: MailDone,
    /// The reminders and corrections after collecting.
    pub reminders: MailDone,
}

/// Runs the cycle in `folder` (created; an earlier demo folder is replaced, any other
/// non-empty folder refused), reading xls and ods through `reader` (the `gpwr` binary).
pub fn demo(folder: &Path, reader: &Path) -> Result<DemoDone> {
    // Held to the end: two demos in one folder never run at once.
    let _lock = RunLock::acquire("demo", &[folder], &[])?;
    prepare(folder)?;
    let at = |name: &str| folder.join(name);
    let templates = done(super::templates::templates(&at(PROGRAM_FILE), &at(TEMPLATES_DIR))?)?;
    let request = CollectRequest {
        program: at(PROGRAM_FILE),
        inbox: at(INBOX_DIR),
        out: at(COLLECTED_DIR),
        reader: reader.to_path_buf(),
    };
    let collected = done(super::collect::collect(&request, &|_, _| {})?)?;
    let request =
        ReportRequest { program: at(PROGRAM_FILE), collected: at(COLLECTED_DIR), out: at(REPORT_DIR), previous: None };
    let report = done(super::report::report(&request)?)?;
    let mail = |collected: Option<&str>, out: &str| {
        let request = MailRequest {
            program: at(PROGRAM_FILE),
            templates: at(TEMPLATES_DIR),
            templates_named: true,
            collected: collected.map(at),
            out: at(out),
        };
        done(super::mail::mail(&request)?)
    };
    let invitations = mail(None, OUTBOX_TEMPLATES_DIR)?;
    let reminders = mail(Some(COLLECTED_DIR), OUTBOX_REMINDERS_DIR)?;
    Ok(DemoDone { templates, collected, report, invitations, reminders })
}

/// Makes `folder` a fresh campaign of the sample with its inbox filled.
fn prepare(folder: &Path) -> Result<()> {
    if folder.join(DEMO_MARKER).is_file() {
        // Not while a command works inside the earlier demo.
        let campaign = RunLock::acquire("demo", &[&folder.join(PROGRAM_FILE)], &[])?;
        fs::remove_dir_all(folder)
            .with_context(|| format!("nie można usunąć poprzedniego przykładu {}", folder.display()))?;
        drop(campaign);
    } else if fs::read_dir(folder).is_ok_and(|mut entries| entries.next().is_some()) {
        bail!(
            "folder {} nie jest pusty i nie utworzyło go `gpwr demo`; podaj inny folder, np. `gpwr demo gpwr-przyklad`.",
            folder.display()
        );
    }
    super::init::init(folder)?;
    fs::write(folder.join(DEMO_MARKER), "Folder przykładu gpwr (gpwr demo); kolejne `gpwr demo` go zastąpi.\n")
        .with_context(|| format!("nie można zapisać w {}", folder.display()))?;
    for (relative, bytes) in SAMPLE_INBOX {
        let path = folder.join(INBOX_DIR).join(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("nie można utworzyć folderu {}", parent.display()))?;
        }
        fs::write(&path, bytes).with_context(|| format!("nie można zapisać {}", path.display()))?;
    }
    Ok(())
}

/// The result of a step; the bundled sample definition has no errors, so a step that says
/// otherwise is a fault of this build.
fn done<T>(outcome: Outcome<T>) -> Result<T> {
    match outcome {
        Outcome::Done(done) => Ok(done),
        Outcome::InvalidDefinition(problems) => bail!(
            "przykładowa definicja programu ma błędy ({}): błąd programu gpwr, zgłoś go",
            problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
        ),
    }
}
