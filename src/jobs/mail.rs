//! The `mail` job: one e-mail draft (`.eml`) per institution that needs a message, with the
//! lists for the coordinator, written into an outbox folder as a whole. Without collected
//! data the drafts carry the templates; with it, reminders and corrections.

use super::Outcome;
use crate::mail::outbox::write_outbox;
use crate::mail::{self, Action, Planned, Purpose};
use crate::output::StagedDir;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Where the drafts come from and go.
#[derive(Debug, Clone)]
pub struct MailRequest {
    /// The programme definition.
    pub program: PathBuf,
    /// The templates folder.
    pub templates: PathBuf,
    /// Whether the templates folder was named (then it must exist even for reminders).
    pub templates_named: bool,
    /// What `collect` wrote: reminders and corrections instead of invitations.
    pub collected: Option<PathBuf>,
    /// The outbox folder, replaced as a whole.
    pub out: PathBuf,
}

/// What the job prepared.
#[derive(Debug)]
pub struct MailDone {
    /// One entry per reporting institution: what it gets, or why it cannot.
    pub plan: Vec<Planned>,
    /// The `.eml` file name of each entry of `plan` that has a message.
    pub files: Vec<Option<String>>,
    /// Refused inbox files tied to no institution (after collect): one may be a late return.
    pub unattributed: Vec<String>,
}

/// Prepares the drafts of `request` and writes the outbox.
pub fn mail(request: &MailRequest) -> Result<Outcome<MailDone>> {
    super::require_program(&request.program)?;
    let mut reads = vec![request.program.as_path(), request.templates.as_path()];
    reads.extend(request.collected.as_deref());
    let _lock = super::lock_output("mail", &request.out, &reads)?;
    let program = match super::program_or_problems(&request.program) {
        Ok(program) => program,
        Err(problems) => return Ok(Outcome::InvalidDefinition(problems)),
    };
    let from = mail::sender(&program.settings)?;
    let (plan, unattributed, inputs) = match &request.collected {
        Some(collected) => plan_reminders(&program, request, collected)?,
        None => {
            if !request.templates.is_dir() {
                anyhow::bail!(
                    "nie ma folderu z formularzami {}. Uruchom najpierw `gpwr templates` albo podaj --templates.",
                    request.templates.display()
                );
            }
            (mail::invitations(&program, &request.templates), vec![], vec![request.templates.clone()])
        }
    };
    let mut inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    inputs.push(&request.program);
    let out = &request.out;
    let date = mail::newest_modification(&inputs);
    let cannot_write = || format!("nie można zapisać wiadomości w {}", out.display());
    let staged = StagedDir::new(out).with_context(cannot_write)?;
    let files = write_outbox(&program, &plan, &from, date, &|name, bytes| staged.write(name, bytes))
        .with_context(cannot_write)?;
    staged.commit().with_context(cannot_write)?;
    Ok(Outcome::Done(MailDone { plan, files, unattributed }))
}

/// The reminders and corrections after `collect`, the refused files tied to nobody, and the
/// folders they were made from.
fn plan_reminders(
    program: &crate::program::Program,
    request: &MailRequest,
    collected: &Path,
) -> Result<(Vec<Planned>, Vec<String>, Vec<PathBuf>)> {
    // The templates are attached to reminders when they are there; named, they must be.
    let templates = (request.templates_named || request.templates.is_dir()).then_some(request.templates.as_path());
    if let Some(dir) = templates.filter(|d| !d.is_dir()) {
        anyhow::bail!("nie ma folderu z formularzami {}", dir.display());
    }
    let reminders = mail::reminders(program, collected, templates)?;
    let mut inputs = vec![collected.to_path_buf(), collected.join(crate::collect::write::FEEDBACK_DIR)];
    inputs.extend(templates.map(PathBuf::from));
    Ok((reminders.plan, reminders.unattributed, inputs))
}

impl MailDone {
    /// The messages written, each with the entry of the plan it is for.
    pub fn written(&self) -> impl Iterator<Item = (&str, &Planned)> {
        self.files.iter().zip(&self.plan).filter_map(|(name, planned)| Some((name.as_deref()?, planned)))
    }

    /// `Przygotowano 9 wiadomości (przypomnienia: 6, do poprawy: 3) w … Lista: …; jak je wysłać: …`
    pub fn summary(&self, out: &Path) -> String {
        use crate::mail::outbox::{HOW_TO_SEND, LIST_XLSX};
        let count = |purpose| self.written().filter(|(_, p)| sent_purpose(p) == Some(purpose)).count();
        let kinds: Vec<String> = [
            ("z formularzem", Purpose::Invitation),
            ("przypomnienia", Purpose::Reminder),
            ("do poprawy", Purpose::Corrections),
        ]
        .into_iter()
        .filter_map(|(label, purpose)| Some(count(purpose)).filter(|n| *n > 0).map(|n| format!("{label}: {n}")))
        .collect();
        let kinds = if kinds.is_empty() { String::new() } else { format!(" ({})", kinds.join(", ")) };
        let messages = crate::polish::count(self.written().count(), "wiadomość", "wiadomości", "wiadomości");
        format!(
            "Przygotowano {messages}{kinds} w {}. Lista: {}; jak je wysłać: {}",
            out.display(),
            out.join(LIST_XLSX).display(),
            out.join(HOW_TO_SEND).display()
        )
    }
}

impl MailDone {
    /// What the coordinator must look at before sending: refused inbox files tied to no
    /// institution (one may be a late return; their details in `collected`'s findings),
    /// institutions that cannot be written to, and notes on the messages.
    pub fn warnings(&self, collected: Option<&Path>) -> Vec<String> {
        let mut warnings = Vec::new();
        if let (false, Some(collected)) = (self.unattributed.is_empty(), collected) {
            warnings.push(format!(
                "UWAGA: w folderze z odesłanymi plikami są pliki, których nie udało się przypisać żadnej instytucji: {}. \
                 Sprawdź je przed wysłaniem przypomnień: któryś może być spóźnionym formularzem (szczegóły: {}).",
                self.unattributed.join(", "),
                collected.join(crate::collect::write::FINDINGS_XLSX).display()
            ));
        }
        for planned in &self.plan {
            if let Action::CannotSend(purpose, why) = &planned.action {
                warnings.push(format!(
                    "UWAGA: {} ({}): brak wiadomości „{}”: {why}",
                    planned.institution,
                    planned.name,
                    purpose.polish()
                ));
            }
            if planned.action != Action::NothingToSend {
                let notes = planned.notes.iter();
                warnings.extend(notes.map(|note| format!("UWAGA: {} ({}): {note}", planned.institution, planned.name)));
            }
        }
        warnings
    }

    /// Institutions that need a message and cannot get one.
    pub fn unsent(&self) -> usize {
        self.plan.iter().filter(|p| matches!(p.action, Action::CannotSend(..))).count()
    }
}

/// What a planned entry's message is, if it has one.
fn sent_purpose(planned: &Planned) -> Option<Purpose> {
    match &planned.action {
        Action::Send(draft) => Some(draft.purpose),
        _ => None,
    }
}
