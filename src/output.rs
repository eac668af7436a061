//! Writes output files whole or not at all: to temporary files or a temporary folder beside
//! the targets, made durable with one flush of the file system, then put in place by a
//! rename (a file) or an atomic exchange (a folder), so an interrupted run never leaves half
//! a workbook nor half a folder of them, and a reader never finds the folder missing.
//!
//! Temporary names carry the process id and a counter (`.collected.gpwr-new-4242-0`), so
//! two runs can never write into each other's files even when they ignore the lock of
//! [`crate::lock`]; what a run that ended left behind is removed (or, for a folder whose
//! swap a crash interrupted, put back) by the next run.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// Writes `bytes` to `path` atomically (same-directory temporary file, flush, rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = parent_of(path);
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staged = StagedFiles::new(dir);
    staged.write(&name, bytes)?;
    staged.commit()
}

/// The tag of a temporary file of [`StagedFiles`].
const TMP_TAG: &str = ".gpwr-tmp";
/// The tag of the folder a [`StagedDir`] writes into.
const NEW_TAG: &str = ".gpwr-new";
/// The tag of the folder a [`StagedDir`] moves the old one to where folders cannot be
/// exchanged atomically.
const OLD_TAG: &str = ".gpwr-old";

/// `-PID-N`: unique to this write among every run, and naming the run that made it.
fn unique_suffix() -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("-{}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed))
}

/// Whether `name` is a temporary name with `tag` (`.x.gpwr-new-PID-N`) left by a run that
/// has ended. A name without the run's process id was left by an older gpwr.
fn abandoned(name: &str, tag: &str) -> bool {
    let Some((_, rest)) = name.rsplit_once(tag) else { return false };
    if !name.starts_with('.') {
        return false;
    }
    if rest.is_empty() {
        return true;
    }
    let mut parts = rest.strip_prefix('-').unwrap_or("x").split('-');
    match (parts.next().map(str::parse::<u32>), parts.next().map(str::parse::<u64>), parts.next()) {
        (Some(Ok(pid)), Some(Ok(_)), None) => !crate::lock::process_alive(pid),
        _ => false,
    }
}

/// Files being written into a folder, each atomically: each goes to a temporary file as
/// soon as it is built (from any thread), and [`StagedFiles::commit`] flushes them all to
/// disk at once (one flush for thousands of templates instead of one each) and renames them
/// into place. Each file is replaced whole; the folder's other files stay. Dropped without a
/// commit, the temporary files are removed. Files already renamed by a failed commit stay
/// (each is whole).
#[derive(Debug)]
pub struct StagedFiles {
    dir: PathBuf,
    /// (temporary file, final name), in the order written.
    written: std::sync::Mutex<Vec<(PathBuf, String)>>,
}

impl StagedFiles {
    /// Starts writing files into `dir` (which must exist), removing the temporary files
    /// that runs which have ended left there.
    pub fn new(dir: &Path) -> StagedFiles {
        for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
            if abandoned(&entry.file_name().to_string_lossy(), TMP_TAG) {
                let _ = fs::remove_file(entry.path());
            }
        }
        StagedFiles { dir: dir.to_path_buf(), written: Default::default() }
    }

    /// Writes the file `name` (a plain file name) to its temporary file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let tmp = self.dir.join(format!(".{name}{TMP_TAG}{}", unique_suffix()));
        let result = write_new(&tmp, bytes);
        // Recorded even on failure, so the drop removes what was partly written.
        self.written.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((tmp, name.to_string()));
        result
    }

    /// Makes every file durable and renames it into place.
    pub fn commit(self) -> std::io::Result<()> {
        let written = self.written.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let temporary: Vec<&Path> = written.iter().map(|(tmp, _)| tmp.as_path()).collect();
        make_durable(&self.dir, &temporary)?;
        for (tmp, name) in written.iter() {
            fs::rename(tmp, self.dir.join(name))?;
        }
        sync_folder(&self.dir);
        Ok(())
    }
}

impl Drop for StagedFiles {
    fn drop(&mut self) {
        // After a commit the temporary names are gone and this removes nothing; after a
        // failure it removes whatever temporary file is left.
        for (tmp, _) in self.written.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()).iter() {
            let _ = fs::remove_file(tmp);
        }
    }
}

/// Creates (or truncates) `path` and writes `bytes`, without waiting for the disk.
fn write_new(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    fs::File::create(path)?.write_all(bytes)
}

/// Waits until `files`, just written under `dir`, are on disk. On Linux one `syncfs` of
/// `dir`'s file system does it for every file at once; elsewhere each file is flushed.
fn make_durable(dir: &Path, files: &[&Path]) -> std::io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        let _ = files;
        let handle = fs::File::open(dir)?;
        // SAFETY: syncfs only reads the descriptor, which `handle` keeps open for the call.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        for file in files {
            fs::File::open(file)?.sync_all()?;
        }
        Ok(())
    }
}

/// Makes the renames in `dir` durable (a folder's entries are flushed apart from its
/// files on Unix). Best effort: the renames are done either way.
fn sync_folder(dir: &Path) {
    #[cfg(unix)]
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// The marker file gpwr puts in every folder it replaces as a whole.
pub const OUTPUT_MARKER: &str = ".gpwr-wyniki";

/// Checks that the output folder `dir` neither is nor contains nor lies inside any of
/// `inputs`, so that neither writing it nor locking it (see [`crate::lock`]) touches an
/// input. Returns a Polish reason when it does. Call it before taking the lock.
pub fn check_apart_from_inputs(dir: &Path, inputs: &[&Path]) -> Result<(), String> {
    let target = resolved(dir);
    for input in inputs {
        let input = resolved(input);
        if target == input || input.starts_with(&target) || target.starts_with(&input) {
            return Err(format!(
                "folder wyników {} pokrywa się z danymi wejściowymi ({}); wskaż inny folder w --out",
                dir.display(),
                input.display()
            ));
        }
    }
    Ok(())
}

/// `path` with every symbolic link resolved, also when it does not exist yet: the nearest
/// existing folder above it resolved, the rest appended (so `link-to-inbox/wyniki` is seen
/// to lie inside the inbox).
fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut existing = absolute.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = fs::canonicalize(existing) {
            return rest.iter().rev().fold(real, |path, part| path.join(part));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                existing = parent;
            }
            _ => return absolute,
        }
    }
}

/// Checks that `dir` may be replaced: it does not exist, or is a real folder (not a file,
/// not a link) that is empty or holds [`OUTPUT_MARKER`] (so it was written by gpwr). Returns
/// a Polish reason when it may not. Call it under the lock, since another run may be
/// replacing the folder.
pub fn check_replaceable(dir: &Path) -> Result<(), String> {
    if let Ok(meta) = fs::symlink_metadata(dir)
        && !meta.is_dir()
    {
        return Err(format!(
            "{} nie jest zwykłym folderem (to plik albo skrót do innego miejsca); gpwr zapisuje wyniki tylko \
             w zwykłym folderze. Wskaż inny folder w --out.",
            dir.display()
        ));
    }
    if let Ok(mut entries) = fs::read_dir(dir)
        && entries.next().is_some()
        && !dir.join(OUTPUT_MARKER).exists()
    {
        return Err(format!(
            "folder {} nie jest pusty, a nie ma w nim znacznika gpwr ({OUTPUT_MARKER}): nie zapisał go gpwr \
             albo jego zapis przerwała starsza wersja programu. gpwr go nie zastąpi, żeby nie skasować innych plików. \
             Wskaż pusty folder w --out albo, jeśli są w nim tylko wyniki gpwr, usuń go lub zmień jego nazwę \
             i uruchom polecenie ponownie.",
            dir.display()
        ));
    }
    Ok(())
}

/// A folder being replaced as a whole. Files are written into a sibling temporary folder as
/// soon as they are built (so they need not all be held in memory), and [`StagedDir::commit`]
/// makes them durable and exchanges the two folders in one step, so that at every instant
/// the target is either the old folder whole or the new one whole, marker included. Dropped
/// without a commit, the temporary folder is removed and the old contents stay.
///
/// Where the system cannot exchange two folders atomically (not Linux, or a file system
/// without `RENAME_EXCHANGE`), the old folder is first renamed aside; a crash between the two
/// renames leaves it there, and the next run puts it back.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Starts replacing `dir` (see [`check_replaceable`] for when that is allowed): first
    /// repairs what a run that ended half-way left beside it (see [`repair_leftovers`]).
    pub fn new(dir: &Path) -> std::io::Result<StagedDir> {
        let parent = parent_of(dir);
        fs::create_dir_all(parent)?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        repair_leftovers(dir)?;
        let suffix = unique_suffix();
        let staged = StagedDir {
            target: dir.to_path_buf(),
            staging: parent.join(format!(".{name}{NEW_TAG}{suffix}")),
            old: parent.join(format!(".{name}{OLD_TAG}{suffix}")),
            committed: false,
        };
        fs::create_dir(&staged.staging)?;
        staged.write(
            OUTPUT_MARKER,
            "Folder zapisany przez gpwr; jego zawartość jest zastępowana w całości.\n".as_bytes(),
        )?;
        Ok(staged)
    }

    /// The temporary folder the files go to before the commit; also the place for scratch
    /// files that must not outlive the run (they are on the same disk as the outputs).
    pub fn path(&self) -> &Path {
        &self.staging
    }

    /// Writes one file, `relative` to the folder (`/`-separated subfolders are created).
    /// Callable from several threads at once for different files.
    pub fn write(&self, relative: &str, bytes: &[u8]) -> std::io::Result<()> {
        let path = self.staging.join(relative);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        write_new(&path, bytes)
    }

    /// Takes file `relative` over unchanged from the folder being replaced, when its bytes
    /// are still what `unchanged` expects: linked when the file system allows (no bytes
    /// written) and checked through the link, so a file saved over the old one meanwhile is
    /// seen; copied otherwise. `Ok(false)` when the old folder has no such file or it has
    /// changed. Callable from several threads at once for different files.
    pub fn keep_previous(&self, relative: &str, unchanged: &dyn Fn(&[u8]) -> bool) -> std::io::Result<bool> {
        let previous = self.target.join(relative);
        if !previous.is_file() {
            return Ok(false);
        }
        let path = self.staging.join(relative);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        if fs::hard_link(&previous, &path).is_ok() {
            if fs::read(&path).is_ok_and(|bytes| unchanged(&bytes)) {
                return Ok(true);
            }
            fs::remove_file(&path)?;
            return Ok(false);
        }
        match fs::read(&previous) {
            Ok(bytes) if unchanged(&bytes) => write_new(&path, &bytes).map(|()| true),
            _ => Ok(false),
        }
    }

    /// Makes everything written durable and puts it in place of the old folder, which is
    /// then removed.
    pub fn commit(mut self) -> std::io::Result<()> {
        // Where one flush covers the file system, the folder need not be listed.
        let files = if cfg!(target_os = "linux") { vec![] } else { files_under(&self.staging)? };
        make_durable(&self.staging, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>())?;
        swap_in(&self.staging, &self.target, &self.old)?;
        self.committed = true;
        sync_folder(parent_of(&self.target));
        // The old folder now lies at the staging path (or, without an exchange, at the old
        // path). The new one is in place whatever happens here; a folder that cannot be
        // removed now is removed by the next run.
        for replaced in [&self.staging, &self.old] {
            if replaced.exists() {
                let _ = fs::remove_dir_all(replaced);
            }
        }
        Ok(())
    }
}

/// The folder `path` lies in; `.` for a bare name.
pub(crate) fn parent_of(path: &Path) -> &Path {
    path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."))
}

/// Puts the folder `new` at `target`: an atomic exchange when `target` exists (leaving the
/// old folder at `new`), a rename when it does not; `old` is the aside name where the
/// system cannot exchange.
fn swap_in(new: &Path, target: &Path, old: &Path) -> std::io::Result<()> {
    // Two attempts: a target that appears between them (a run ignoring the lock) is exchanged.
    for _ in 0..2 {
        match exchange(new, target) {
            Ok(()) => return Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && new.exists() => match fs::rename(new, target) {
                Ok(()) => return Ok(()),
                Err(e)
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::DirectoryNotEmpty | std::io::ErrorKind::AlreadyExists
                    ) =>
                {
                    continue;
                }
                Err(e) => return Err(e),
            },
            Err(e) if exchange_unsupported(&e) => return swap_by_renames(new, target, old),
            Err(e) => return Err(e),
        }
    }
    exchange(new, target)
}

/// Exchanges two paths atomically (Linux `renameat2` with `RENAME_EXCHANGE`).
#[cfg(target_os = "linux")]
fn exchange(a: &Path, b: &Path) -> std::io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = |p: &Path| std::ffi::CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other);
    let (a, b) = (c_path(a)?, c_path(b)?);
    // SAFETY: both paths are valid NUL-terminated strings that live for the call.
    let result =
        unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
    if result == 0 { Ok(()) } else { Err(std::io::Error::last_os_error()) }
}

#[cfg(not(target_os = "linux"))]
fn exchange(_a: &Path, _b: &Path) -> std::io::Result<()> {
    Err(std::io::Error::from(std::io::ErrorKind::Unsupported))
}

/// The system or the file system cannot exchange two folders.
fn exchange_unsupported(error: &std::io::Error) -> bool {
    #[cfg(target_os = "linux")]
    if matches!(error.raw_os_error(), Some(libc::EINVAL | libc::ENOSYS | libc::EOPNOTSUPP)) {
        return true;
    }
    error.kind() == std::io::ErrorKind::Unsupported
}

/// The swap without an exchange: the old folder aside, the new one in, the old one back if
/// that fails. A crash between the two renames is repaired by [`repair_leftovers`].
fn swap_by_renames(new: &Path, target: &Path, old: &Path) -> std::io::Result<()> {
    let had_target = target.exists();
    if had_target {
        fs::rename(target, old)?;
    }
    if let Err(e) = fs::rename(new, target) {
        if had_target {
            let _ = fs::rename(old, target);
        }
        return Err(e);
    }
    Ok(())
}

/// Cleans up beside `dir` after runs that ended half-way: when `dir` is missing but a
/// complete old folder was set aside by an interrupted swap, it is put back; then the
/// temporary folders of runs that have ended are removed. Folders of runs still going are
/// left alone.
pub fn repair_leftovers(dir: &Path) -> std::io::Result<()> {
    let parent = parent_of(dir);
    let Some(name) = dir.file_name().map(|n| n.to_string_lossy().into_owned()) else { return Ok(()) };
    let mut set_aside = Vec::new();
    let mut staging = Vec::new();
    for entry in fs::read_dir(parent).into_iter().flatten().flatten() {
        let entry_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = entry_name.strip_prefix(&format!(".{name}")) else { continue };
        if let Some(suffix) = rest.strip_prefix(OLD_TAG).filter(|_| abandoned(&entry_name, OLD_TAG)) {
            set_aside.push((entry.path(), parent.join(format!(".{name}{NEW_TAG}{suffix}"))));
        } else if rest.starts_with(NEW_TAG) && abandoned(&entry_name, NEW_TAG) {
            staging.push(entry.path());
        }
    }
    // Only a crash between the two renames leaves an old folder set aside beside its new
    // one: then the old one is whole and current. Set aside alone, it is an old folder a
    // finished swap failed to remove, never to be brought back.
    if !dir.exists()
        && let Some((old, _)) = set_aside.iter().find(|(_, new)| new.exists())
    {
        fs::rename(old, dir)?;
    }
    // Best effort: a leftover that cannot be removed now is tried again by the next run.
    for leftover in set_aside.iter().map(|(old, _)| old).chain(&staging).filter(|p| p.exists()) {
        let _ = fs::remove_dir_all(leftover);
    }
    Ok(())
}

/// Every file under `dir`, in its subfolders too.
fn files_under(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(files_under(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}

impl Drop for StagedDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.staging);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    }

    #[test]
    fn staged_files_appear_only_on_commit() {
        let tmp = tempfile::tempdir().unwrap();
        fs::write(tmp.path().join("a.xlsx"), "old").unwrap();
        let staged = StagedFiles::new(tmp.path());
        staged.write("a.xlsx", b"new a").unwrap();
        staged.write("b.xlsx", b"new b").unwrap();
        assert_eq!(fs::read_to_string(tmp.path().join("a.xlsx")).unwrap(), "old", "nothing replaced before the commit");
        drop(staged);
        assert_eq!(names(tmp.path()), ["a.xlsx"], "an abandoned run leaves no temporary file");

        let staged = StagedFiles::new(tmp.path());
        staged.write("a.xlsx", b"new a").unwrap();
        staged.write("b.xlsx", b"new b").unwrap();
        staged.commit().unwrap();
        assert_eq!(names(tmp.path()), ["a.xlsx", "b.xlsx"]);
        assert_eq!(fs::read_to_string(tmp.path().join("a.xlsx")).unwrap(), "new a");
    }

    #[test]
    fn a_staged_folder_replaces_the_old_one_whole_or_not_at_all() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("wyniki");
        let first = StagedDir::new(&out).unwrap();
        first.write("dane.csv", b"1").unwrap();
        first.write("do_poprawy/SP3.xlsx", b"x").unwrap();
        first.commit().unwrap();
        assert_eq!(names(&out), [OUTPUT_MARKER, "dane.csv", "do_poprawy"]);

        let abandoned = StagedDir::new(&out).unwrap();
        abandoned.write("dane.csv", b"2").unwrap();
        drop(abandoned);
        assert_eq!(fs::read_to_string(out.join("dane.csv")).unwrap(), "1", "the old folder stays");
        assert_eq!(names(tmp.path()), ["wyniki"], "and the staging folder is gone");

        let second = StagedDir::new(&out).unwrap();
        second.write("dane.csv", b"3").unwrap();
        second.commit().unwrap();
        assert_eq!(names(&out), [OUTPUT_MARKER, "dane.csv"], "nothing of the old folder is left");
        assert_eq!(names(tmp.path()), ["wyniki"]);
    }

    /// Only where folders are exchanged atomically; elsewhere the fallback's window between
    /// its two renames is what the lock protects.
    #[cfg(target_os = "linux")]
    #[test]
    fn writers_that_ignore_the_lock_never_leave_the_folder_missing_or_half_replaced() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("collected");
        let write_run = |tag: &str| {
            let staged = StagedDir::new(&out).unwrap();
            staged.write("dane.csv", tag.as_bytes()).unwrap();
            staged.write("do_poprawy/SP3.xlsx", tag.as_bytes()).unwrap();
            staged.commit().unwrap();
        };
        write_run("start");
        let done = std::sync::atomic::AtomicBool::new(false);
        let checks = std::sync::atomic::AtomicUsize::new(0);
        std::thread::scope(|scope| {
            for writer in 0..2 {
                let (write_run, done) = (&write_run, &done);
                scope.spawn(move || {
                    for round in 0..40 {
                        write_run(&format!("{writer}.{round}"));
                    }
                    done.store(true, Ordering::SeqCst);
                });
            }
            scope.spawn(|| {
                while !done.load(Ordering::SeqCst) {
                    // Each look is one path lookup, that is one instant.
                    assert!(out.join(OUTPUT_MARKER).is_file(), "the marker is always there");
                    let data = fs::read_to_string(out.join("dane.csv")).expect("dane.csv is always there");
                    assert!(data == "start" || data.contains('.'), "a whole file: {data:?}");
                    assert!(out.join("do_poprawy/SP3.xlsx").is_file(), "the subfolder is always there");
                    checks.fetch_add(1, Ordering::Relaxed);
                }
            });
        });
        assert!(checks.load(Ordering::Relaxed) > 10, "the watcher looked while the writers ran");
        assert_eq!(names(tmp.path()), ["collected"], "no temporary folder is left");
    }

    #[test]
    fn a_swap_interrupted_between_its_renames_is_repaired_by_the_next_run() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("wyniki");
        let first = StagedDir::new(&out).unwrap();
        first.write("dane.csv", b"1").unwrap();
        first.commit().unwrap();
        // What a run killed between the renames of [`swap_by_renames`] leaves: the old folder
        // set aside, a complete new one not yet in place (the process id is none that runs),
        // and a staging folder of an older gpwr.
        fs::rename(&out, tmp.path().join(".wyniki.gpwr-old-4000000000-0")).unwrap();
        fs::create_dir(tmp.path().join(".wyniki.gpwr-new-4000000000-0")).unwrap();
        fs::create_dir(tmp.path().join(".wyniki.gpwr-new")).unwrap();
        let next = StagedDir::new(&out).unwrap();
        assert_eq!(fs::read_to_string(out.join("dane.csv")).unwrap(), "1", "the old folder is back");
        drop(next);
        assert_eq!(names(tmp.path()), ["wyniki"], "and nothing else is left");

        // An old folder set aside alone was left by a swap that finished: never brought back.
        fs::rename(&out, tmp.path().join(".wyniki.gpwr-old-4000000000-1")).unwrap();
        drop(StagedDir::new(&out).unwrap());
        assert!(!out.join("dane.csv").exists(), "the outdated folder stays gone");
        assert_eq!(names(tmp.path()), Vec::<String>::new());
        fs::create_dir(&out).unwrap();
        fs::write(out.join("dane.csv"), "1").unwrap();

        // The fallback swap itself, as on systems without an atomic exchange.
        let new = tmp.path().join("nowy");
        fs::create_dir(&new).unwrap();
        fs::write(new.join("dane.csv"), "2").unwrap();
        swap_by_renames(&new, &out, &tmp.path().join("stary")).unwrap();
        assert_eq!(fs::read_to_string(out.join("dane.csv")).unwrap(), "2");
        assert_eq!(fs::read_to_string(tmp.path().join("stary/dane.csv")).unwrap(), "1");
    }

    #[test]
    fn a_temporary_name_is_abandoned_only_when_its_run_has_ended() {
        let me = std::process::id();
        assert!(!abandoned(&format!(".dane.csv.gpwr-tmp-{me}-3"), TMP_TAG), "this run is alive");
        assert!(abandoned(".dane.csv.gpwr-tmp-4000000000-3", TMP_TAG));
        assert!(abandoned(".dane.csv.gpwr-tmp", TMP_TAG), "an older gpwr's name");
        assert!(!abandoned("dane.csv.gpwr-tmp", TMP_TAG), "not a hidden name: not ours");
        assert!(!abandoned(".dane.csv.gpwr-tmp-x", TMP_TAG));
    }
}
