//! One gpwr run at a time per folder: a run that writes takes an exclusive lock on the
//! folder its outputs live in (in a campaign, the campaign itself), a run that reads what
//! another writes takes a shared one, so two runs can never replace the same outputs at
//! once, nor one read a folder while another swaps it.
//!
//! The locks are the operating system's advisory file locks (`flock` on Unix,
//! `LockFileEx` on Windows, through the standard library's `File::try_lock`): the kernel
//! releases them when the process ends in any way, killed included, so a crash never
//! leaves a lock that blocks the next run, and no lock file ever has to be removed or
//! judged stale. The lock file, `.gpwr-blokada`, stays in the folder; it holds who has it
//! (command, process, start time) for the message the next run shows.

use crate::error_text;
use std::collections::BTreeMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The lock file in a folder whose contents gpwr writes.
pub const LOCK_FILE: &str = ".gpwr-blokada";

/// Size of the record of who holds a lock: written whole at the start of the file, in one
/// write, so that readers holding a shared lock never interleave their records.
const RECORD_BYTES: usize = 256;

/// The locks of one run, released when dropped (or when the process ends).
#[derive(Debug)]
pub struct RunLock {
    /// The open lock files; closing them releases the locks.
    _held: Vec<File>,
}

/// Who holds a lock, as its record says.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    /// The subcommand (`collect`, `report`…).
    pub command: String,
    /// The process id.
    pub pid: u32,
    /// When it took the lock.
    pub started: Option<chrono::DateTime<chrono::FixedOffset>>,
}

/// Why a run could not take its locks. Messages are Polish and say what to do.
#[derive(Debug, thiserror::Error)]
pub enum LockError {
    /// Another run holds the lock.
    #[error("{}", busy_message(.folder, .holder.as_ref()))]
    Busy {
        /// The folder whose lock is held.
        folder: PathBuf,
        /// Who holds it, when its record could be read and the process still runs.
        holder: Option<Holder>,
    },
    /// The folder cannot be written to (read-only, no permission, full).
    #[error("nie można zapisywać w folderze {}: {reason}", .folder.display())]
    Unwritable {
        /// The folder.
        folder: PathBuf,
        /// Why, in Polish.
        reason: String,
    },
}

impl RunLock {
    /// Takes the locks of a run of `command`: exclusive on the folder of each path in
    /// `writes`, shared on the folder of each path in `reads` (a folder both written and
    /// read is locked once, exclusively). Never waits: when another run holds one, nothing
    /// is kept and the error names that run.
    ///
    /// A folder only read is locked only where a lock file already is, that is where gpwr
    /// has written (a campaign, an output folder's parent): reading an inbox in the user's
    /// Downloads leaves nothing there. The first run to write into a new place makes the
    /// file.
    pub fn acquire(command: &str, writes: &[&Path], reads: &[&Path]) -> Result<RunLock, LockError> {
        let mut folders: BTreeMap<PathBuf, bool> = BTreeMap::new();
        for path in writes {
            let folder = lock_folder(path);
            fs::create_dir_all(&folder).map_err(|e| unwritable(&folder, &e))?;
            let folder = fs::canonicalize(&folder).map_err(|e| unwritable(&folder, &e))?;
            folders.insert(folder, true);
        }
        for path in reads {
            if let Ok(folder) = fs::canonicalize(lock_folder(path)) {
                folders.entry(folder).or_insert(false);
            }
        }
        let record = record(command);
        let mut held = Vec::new();
        // A fixed order (the map's) and no waiting: two runs can never deadlock.
        for (folder, exclusive) in folders {
            let Some(mut file) = open_lock_file(&folder, exclusive)? else { continue };
            match try_lock(&file, exclusive) {
                Ok(()) => {}
                Err(fs::TryLockError::WouldBlock) => {
                    // Named by its record, or gone by now: then one more try.
                    let holder = wait_for_holder(&folder.join(LOCK_FILE));
                    if holder.is_some() || try_lock(&file, exclusive).is_err() {
                        return Err(LockError::Busy { folder, holder });
                    }
                }
                Err(fs::TryLockError::Error(e)) if exclusive && !locks_unsupported(&e) => {
                    return Err(unwritable(&folder, &e));
                }
                // A file system without locks (some network shares), or a folder only read:
                // nothing better to do than to go on unlocked.
                Err(fs::TryLockError::Error(_)) => continue,
            }
            // Informational only: a record that cannot be written leaves the message vaguer.
            let _ = file.seek(SeekFrom::Start(0)).and_then(|_| file.write_all(&record));
            held.push(file);
        }
        Ok(RunLock { _held: held })
    }
}

/// The folder whose lock guards `path`: the folder it lies in (for `.`, the folder above).
fn lock_folder(path: &Path) -> PathBuf {
    let path = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    crate::output::parent_of(&path).to_path_buf()
}

fn try_lock(file: &File, exclusive: bool) -> Result<(), fs::TryLockError> {
    if exclusive { file.try_lock() } else { file.try_lock_shared() }
}

/// The file system cannot lock files (a network share without a lock service).
fn locks_unsupported(error: &std::io::Error) -> bool {
    #[cfg(unix)]
    if matches!(error.raw_os_error(), Some(libc::ENOLCK | libc::EOPNOTSUPP | libc::ENOSYS)) {
        return true;
    }
    error.kind() == std::io::ErrorKind::Unsupported
}

/// Opens the lock file of `folder`: for writing, creating it; for reading, only one that is
/// there (`None` otherwise, or where it cannot be opened: a read-only share).
fn open_lock_file(folder: &Path, exclusive: bool) -> Result<Option<File>, LockError> {
    let path = folder.join(LOCK_FILE);
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(exclusive).truncate(false);
    hide_on_windows(&mut options);
    match options.open(&path) {
        Ok(file) => Ok(Some(file)),
        Err(e) if exclusive => Err(unwritable(folder, &e)),
        Err(_) => Ok(File::open(&path).ok()),
    }
}

#[cfg(windows)]
fn hide_on_windows(options: &mut OpenOptions) {
    use std::os::windows::fs::OpenOptionsExt;
    const FILE_ATTRIBUTE_HIDDEN: u32 = 0x2;
    options.attributes(FILE_ATTRIBUTE_HIDDEN);
}

#[cfg(not(windows))]
fn hide_on_windows(_options: &mut OpenOptions) {}

fn unwritable(folder: &Path, error: &std::io::Error) -> LockError {
    LockError::Unwritable { folder: folder.to_path_buf(), reason: error_text::io(error) }
}

/// This process's record: command, process id, start time, padded to [`RECORD_BYTES`].
fn record(command: &str) -> Vec<u8> {
    let started = chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, false);
    let mut bytes = format!("{command}\n{}\n{started}\n", std::process::id()).into_bytes();
    bytes.truncate(RECORD_BYTES);
    bytes.resize(RECORD_BYTES, b' ');
    bytes
}

/// The holder of the lock file at `path`. A run that has just taken the lock writes its
/// record a moment later: until then the file names nobody or a run that has ended, so a
/// few looks are taken, 20 ms apart.
fn wait_for_holder(path: &Path) -> Option<Holder> {
    for _ in 0..10 {
        if let Some(holder) = read_holder(path) {
            return Some(holder);
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    None
}

/// The holder named in the lock file at `path`, if its record reads and its process runs.
/// (On Windows a locked file cannot be read by others: the message is then unnamed.)
fn read_holder(path: &Path) -> Option<Holder> {
    let mut text = String::new();
    File::open(path).ok()?.read_to_string(&mut text).ok()?;
    let mut lines = text.lines();
    let command = lines.next()?.trim().to_string();
    let pid: u32 = lines.next()?.trim().parse().ok()?;
    let started = lines.next().and_then(|t| chrono::DateTime::parse_from_rfc3339(t.trim()).ok());
    (!command.is_empty() && process_alive(pid)).then_some(Holder { command, pid, started })
}

/// True unless process `pid` certainly no longer runs. Where that cannot be asked (not
/// Unix), only this process counts as running: gpwr asks about other runs' leftovers only
/// while it holds their folder's lock, so no other run can be writing them.
pub(crate) fn process_alive(pid: u32) -> bool {
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
        // SAFETY: signal 0 sends nothing; it only asks whether the process exists.
        let answer = unsafe { libc::kill(pid, 0) };
        answer == 0 || std::io::Error::last_os_error().raw_os_error() == Some(libc::EPERM)
    }
    #[cfg(not(unix))]
    {
        pid == std::process::id()
    }
}

/// What a run of `command` is doing, in Polish: `zbieranie danych`.
pub fn activity(command: &str) -> &'static str {
    match command {
        "init" => "zakładanie kampanii",
        "templates" => "tworzenie formularzy",
        "collect" => "zbieranie danych",
        "report" => "tworzenie zestawienia",
        "mail" => "przygotowywanie wiadomości",
        "demo" => "przykład (gpwr demo)",
        "upload" => "zapisywanie przesłanych plików",
        _ => "praca gpwr",
    }
}

fn busy_message(folder: &Path, holder: Option<&Holder>) -> String {
    let what = match holder {
        Some(holder) => {
            let since = holder.started.map(|t| format!(", od {}", since(t))).unwrap_or_default();
            format!(
                "Trwa już {} (gpwr {}, proces {}{since}) w folderze {}",
                activity(&holder.command),
                holder.command,
                holder.pid,
                folder.display()
            )
        }
        None => format!("Inne uruchomienie gpwr pracuje właśnie w folderze {}", folder.display()),
    };
    format!("{what}. Poczekaj, aż się zakończy, i uruchom polecenie ponownie; niczego nie zmieniono.")
}

/// A start time as the user reads it: `godz. 10:31:02` today, with the date otherwise.
fn since(started: chrono::DateTime<chrono::FixedOffset>) -> String {
    let local = started.with_timezone(&chrono::Local);
    let time = local.format("%H:%M:%S");
    if local.date_naive() == chrono::Local::now().date_naive() {
        format!("godz. {time}")
    } else {
        format!("{} godz. {time}", crate::polish::date(local.date_naive()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_writer_is_refused_with_the_first_ones_name_until_the_first_ends() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("collected");
        let first = RunLock::acquire("collect", &[&out], &[]).unwrap();
        let refused = RunLock::acquire("report", &[&tmp.path().join("report")], &[&out]).unwrap_err();
        let message = refused.to_string();
        // On Windows a locked file cannot be read by others: the message names nobody there.
        #[cfg(unix)]
        assert!(
            message.starts_with(&format!(
                "Trwa już zbieranie danych (gpwr collect, proces {}, od godz. ",
                std::process::id()
            )),
            "{message}"
        );
        assert!(message.ends_with("uruchom polecenie ponownie; niczego nie zmieniono."), "{message}");
        drop(first);
        RunLock::acquire("report", &[&tmp.path().join("report")], &[&out]).unwrap();
    }

    #[test]
    fn readers_share_and_a_writer_waits_for_none_of_them() {
        let tmp = tempfile::tempdir().unwrap();
        let templates = tmp.path().join("formularze");
        let outbox = tmp.path().join("poczta").join("formularze");
        drop(RunLock::acquire("templates", &[&templates], &[]).unwrap());
        let a = RunLock::acquire("mail", &[&outbox], &[&templates]).unwrap();
        let b = RunLock::acquire("mail", &[&tmp.path().join("inna").join("x")], &[&templates]).unwrap();
        let writer = RunLock::acquire("templates", &[&templates], &[]).unwrap_err();
        assert!(matches!(writer, LockError::Busy { .. }), "{writer}");
        drop((a, b));
        RunLock::acquire("templates", &[&templates], &[]).unwrap();
    }

    #[test]
    fn a_folder_only_read_gets_no_lock_file_of_its_own() {
        let tmp = tempfile::tempdir().unwrap();
        let (downloads, out) = (tmp.path().join("Pobrane"), tmp.path().join("wyniki").join("collected"));
        std::fs::create_dir(&downloads).unwrap();
        let missing = tmp.path().join("nie_ma").join("inbox");
        RunLock::acquire("collect", &[&out], &[&downloads.join("zwroty"), &missing]).unwrap();
        assert!(!downloads.join(LOCK_FILE).exists(), "reading leaves nothing beside the inbox");
        assert!(!tmp.path().join("nie_ma").exists(), "reading creates no folder");
        assert!(tmp.path().join("wyniki").join(LOCK_FILE).exists(), "writing makes the lock file");
    }
}
