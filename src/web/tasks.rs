//! The jobs the page starts, run one at a time in the background so the page can follow
//! their progress: each is one call of [`crate::jobs`], and its summary is the text the
//! job itself gives (the same the command line prints).

use super::state::{AppState, Campaign, Task, lock};
use crate::campaign::{
    COLLECTED_DIR, INBOX_DIR, OUTBOX_REMINDERS_DIR, OUTBOX_TEMPLATES_DIR, PROGRAM_FILE, REPORT_DIR, TEMPLATES_DIR,
};
use crate::collect::write::FINDINGS_XLSX;
use crate::jobs::{self, Outcome};
use crate::lock::{Holder, LockError};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A job the page can start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Job {
    /// `gpwr templates`.
    Templates,
    /// `gpwr mail`: the messages with the templates.
    Invitations,
    /// `gpwr collect`.
    Collect,
    /// `gpwr mail --collected`: reminders and corrections.
    Reminders,
    /// `gpwr report`.
    Report,
}

impl Job {
    /// The job named `name` in the page's addresses (`/zadanie/zbieranie`).
    pub fn named(name: &str) -> Option<Job> {
        Some(match name {
            "formularze" => Job::Templates,
            "wiadomosci" => Job::Invitations,
            "zbieranie" => Job::Collect,
            "przypomnienia" => Job::Reminders,
            "zestawienie" => Job::Report,
            _ => return None,
        })
    }

    /// The subcommand it is, as locks and messages name it.
    pub fn command(self) -> &'static str {
        match self {
            Job::Templates => "templates",
            Job::Invitations | Job::Reminders => "mail",
            Job::Collect => "collect",
            Job::Report => "report",
        }
    }

    /// The page that shows it.
    pub fn page(self) -> &'static str {
        match self {
            Job::Templates | Job::Invitations => "/formularze",
            Job::Collect | Job::Reminders => "/zbieranie",
            Job::Report => "/zestawienie",
        }
    }
}

/// Starts `job` on `campaign` in the background, unless a job runs already: then the Polish
/// message of the lock that job holds, naming it (nothing is changed).
pub fn start(state: &Arc<AppState>, campaign: Campaign, job: Job) -> Result<(), String> {
    let mut task = lock(&state.task);
    if let Some(running) = task.as_ref().filter(|t| t.outcome.is_none()) {
        let holder = Holder {
            command: running.job.command().to_string(),
            pid: std::process::id(),
            started: Some(running.started),
        };
        return Err(LockError::Busy { folder: campaign.root.clone(), holder: Some(holder) }.to_string());
    }
    let progress = Arc::new((AtomicUsize::new(0), AtomicUsize::new(0)));
    let started = chrono::Local::now().fixed_offset();
    *task = Some(Task { campaign: campaign.clone(), job, started, progress: progress.clone(), outcome: None });
    drop(task);
    let state = state.clone();
    std::thread::spawn(move || {
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&state, &campaign, job, &progress)))
            .unwrap_or_else(|_| Err("zadanie przerwał błąd programu gpwr; zgłoś go autorom programu".into()));
        if let Some(task) = lock(&state.task).as_mut() {
            task.outcome = Some(outcome);
        }
    });
    Ok(())
}

/// Runs `job`; its summary or why it failed, in Polish.
fn run(
    state: &AppState,
    campaign: &Campaign,
    job: Job,
    progress: &(AtomicUsize, AtomicUsize),
) -> Result<String, String> {
    let at = |name: &str| campaign.path(name);
    let describe = |e: anyhow::Error| crate::error_text::describe(e.as_ref());
    let invalid = |problems: Vec<crate::program::Problem>| {
        let errors = problems.iter().filter(|p| p.severity == crate::program::Severity::Error).count();
        Err(format!(
            "Definicja programu ma {}: popraw ją (strona „Definicja”) i spróbuj ponownie.",
            crate::polish::count(errors, "błąd", "błędy", "błędów")
        ))
    };
    match job {
        Job::Templates => match jobs::templates::templates(&at(PROGRAM_FILE), &at(TEMPLATES_DIR)).map_err(describe)? {
            Outcome::Done(done) => {
                let mut lines = vec![done.summary(&at(TEMPLATES_DIR))];
                lines.extend(done.stale_warnings(&at(TEMPLATES_DIR)));
                Ok(lines.join("\n"))
            }
            Outcome::InvalidDefinition(problems) => invalid(problems),
        },
        Job::Invitations | Job::Reminders => {
            let (collected, out) = match job {
                Job::Reminders => (Some(at(COLLECTED_DIR)), at(OUTBOX_REMINDERS_DIR)),
                _ => (None, at(OUTBOX_TEMPLATES_DIR)),
            };
            let request = jobs::mail::MailRequest {
                program: at(PROGRAM_FILE),
                templates: at(TEMPLATES_DIR),
                templates_named: false,
                collected,
                out: out.clone(),
            };
            let collected = request.collected.clone();
            match jobs::mail::mail(&request).map_err(describe)? {
                Outcome::Done(done) => {
                    let mut lines = vec![done.summary(&out)];
                    lines.extend(done.warnings(collected.as_deref()));
                    Ok(lines.join("\n"))
                }
                Outcome::InvalidDefinition(problems) => invalid(problems),
            }
        }
        Job::Collect => {
            let request = jobs::collect::CollectRequest {
                program: at(PROGRAM_FILE),
                inbox: at(INBOX_DIR),
                out: at(COLLECTED_DIR),
                reader: state.reader.clone(),
            };
            let follow = |done: usize, total: usize| {
                progress.1.store(total, Ordering::Relaxed);
                progress.0.store(done, Ordering::Relaxed);
            };
            match jobs::collect::collect(&request, &follow).map_err(describe)? {
                Outcome::Done(done) => Ok(done.summary(&at(COLLECTED_DIR).join(FINDINGS_XLSX).display().to_string())),
                Outcome::InvalidDefinition(problems) => invalid(problems),
            }
        }
        Job::Report => {
            let request = jobs::report::ReportRequest {
                program: at(PROGRAM_FILE),
                collected: at(COLLECTED_DIR),
                out: at(REPORT_DIR),
                previous: None,
            };
            match jobs::report::report(&request).map_err(describe)? {
                Outcome::Done(done) => {
                    let summary = done.figures(&at(REPORT_DIR)).join("\n");
                    *lock(&state.report) = Some((campaign.clone(), done));
                    Ok(summary)
                }
                Outcome::InvalidDefinition(problems) => invalid(problems),
            }
        }
    }
}
