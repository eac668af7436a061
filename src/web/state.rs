//! What the server remembers between requests: its token, the campaign open, the job
//! running in the background with its progress, the last report and a message for the
//! next page.

use super::ServeOptions;
use crate::campaign;
use crate::jobs::report::ReportDone;
use anyhow::{Context, Result};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicUsize;
use std::sync::{Arc, Mutex, MutexGuard};

/// A campaign folder and where its parts are.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// The folder.
    pub root: PathBuf,
}

impl Campaign {
    /// The campaign in `folder`, if it holds a programme definition.
    pub fn at(folder: &Path) -> Option<Campaign> {
        folder.join(campaign::PROGRAM_FILE).is_file().then(|| Campaign { root: folder.to_path_buf() })
    }

    /// A path inside the campaign (`campaign::*` names).
    pub fn path(&self, name: &str) -> PathBuf {
        self.root.join(name)
    }
}

/// A job run in the background, and how it ended.
#[derive(Debug)]
pub struct Task {
    /// The campaign it runs on.
    pub campaign: Campaign,
    /// Which job.
    pub job: super::tasks::Job,
    /// When it started.
    pub started: chrono::DateTime<chrono::FixedOffset>,
    /// Files read so far (collect) and of how many.
    pub progress: Arc<(AtomicUsize, AtomicUsize)>,
    /// `None` while it runs; then its summary, or why it failed (both Polish).
    pub outcome: Option<Result<String, String>>,
}

/// The server's state, shared by all requests.
pub struct AppState {
    /// The secret every request carries.
    pub token: String,
    /// `Host` values a request may carry: this server's loopback address only.
    pub allowed_hosts: [String; 2],
    /// The port listened on.
    pub port: u16,
    /// Where the server was started: new campaigns are made here.
    pub start: PathBuf,
    /// The `gpwr` binary (reads xls/ods in processes of their own).
    pub reader: PathBuf,
    /// The campaign open.
    pub campaign: Mutex<Option<Campaign>>,
    /// The last background job.
    pub task: Mutex<Option<Task>>,
    /// The last report made here, for the page, with the campaign it is of.
    pub report: Mutex<Option<(Campaign, ReportDone)>>,
    /// Messages for the next page: (is it an error, text).
    pub flash: Mutex<Vec<(bool, String)>>,
}

impl AppState {
    /// The state of a server started with `options`, listening on `port`.
    pub fn new(options: &ServeOptions, port: u16) -> Result<AppState> {
        let start = std::path::absolute(&options.folder).context("nie można ustalić folderu startowego")?;
        Ok(AppState {
            token: new_token()?,
            allowed_hosts: [format!("127.0.0.1:{port}"), format!("localhost:{port}")],
            port,
            campaign: Mutex::new(Campaign::at(&start)),
            start,
            reader: options.reader.clone(),
            task: Mutex::new(None),
            report: Mutex::new(None),
            flash: Mutex::new(Vec::new()),
        })
    }

    /// The campaign open, if any.
    pub fn campaign(&self) -> Option<Campaign> {
        lock(&self.campaign).clone()
    }

    /// Leaves `message` for the next page (after any left before it).
    pub fn say(&self, error: bool, message: impl Into<String>) {
        lock(&self.flash).push((error, message.into()));
    }

    /// Takes the messages left for this page: their texts, and whether any is an error.
    pub fn take_flash(&self) -> Option<(bool, String)> {
        let messages = std::mem::take(&mut *lock(&self.flash));
        let error = messages.iter().any(|(error, _)| *error);
        let text: Vec<String> = messages.into_iter().map(|(_, text)| text).collect();
        (!text.is_empty()).then(|| (error, text.join("\n")))
    }

    /// Opens `campaign` instead of the one open, unless a job runs (a Polish refusal then).
    pub fn switch_to(&self, campaign: Campaign) -> Result<(), String> {
        if lock(&self.task).as_ref().is_some_and(|t| t.outcome.is_none()) {
            return Err("Trwa zadanie w otwartej kampanii; poczekaj, aż się zakończy, i spróbuj ponownie.".into());
        }
        *lock(&self.campaign) = Some(campaign);
        Ok(())
    }
}

/// A mutex's guard, whether or not a thread panicked while holding it (the state stays
/// usable: every value in it is whole at all times).
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// 32 random bytes as hex: the address's token.
fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|_| anyhow::anyhow!("nie można wylosować klucza dostępu"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
