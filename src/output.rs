//! Writes output files whole or not at all: to temporary files beside the targets, made
//! durable with one flush of the file system, then renamed into place, so an interrupted run
//! never leaves half a workbook (nor half a folder of them).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` atomically (same-directory temporary file, flush, rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let staged = StagedFiles::new(dir);
    staged.write(&name, bytes)?;
    staged.commit()
}

/// Files being written into a folder, each atomically: each goes to a temporary file as
/// soon as it is built (from any thread), and [`StagedFiles::commit`] flushes them all to
/// disk at once (one flush for thousands of templates instead of one each) and renames them
/// into place. Dropped without a commit, the temporary files are removed. Files already
/// renamed by a failed commit stay (each is whole).
#[derive(Debug)]
pub struct StagedFiles {
    dir: PathBuf,
    /// (temporary file, final name), in the order written.
    written: std::sync::Mutex<Vec<(PathBuf, String)>>,
}

impl StagedFiles {
    /// Starts writing files into `dir` (which must exist).
    pub fn new(dir: &Path) -> StagedFiles {
        StagedFiles { dir: dir.to_path_buf(), written: Default::default() }
    }

    /// Writes the file `name` (a plain file name) to its temporary file.
    pub fn write(&self, name: &str, bytes: &[u8]) -> std::io::Result<()> {
        let tmp = self.dir.join(format!(".{name}.gpwr-tmp"));
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

/// The marker file gpwr puts in every folder it replaces as a whole.
pub const OUTPUT_MARKER: &str = ".gpwr-wyniki";

/// Checks that `dir` may be replaced: it does not exist, is empty, or holds
/// [`OUTPUT_MARKER`] (so it was written by gpwr); and it neither is nor contains nor lies
/// inside any of `protected` (inputs). Returns a Polish reason when it may not.
pub fn check_replaceable(dir: &Path, protected: &[&Path]) -> Result<(), String> {
    let absolute = |p: &Path| fs::canonicalize(p).unwrap_or_else(|_| std::path::absolute(p).unwrap_or(p.to_path_buf()));
    let target = absolute(dir);
    for input in protected {
        let input = absolute(input);
        if target == input || input.starts_with(&target) || target.starts_with(&input) {
            return Err(format!(
                "folder wyników {} pokrywa się z danymi wejściowymi ({}); wskaż inny folder w --out",
                dir.display(),
                input.display()
            ));
        }
    }
    if let Ok(mut entries) = fs::read_dir(dir)
        && entries.next().is_some()
        && !dir.join(OUTPUT_MARKER).exists()
    {
        return Err(format!(
            "folder {} nie jest pusty i nie został utworzony przez gpwr; jego zawartość zostałaby zastąpiona. Wskaż pusty folder w --out.",
            dir.display()
        ));
    }
    Ok(())
}

/// A folder being replaced as a whole. Files are written into a sibling temporary folder as
/// soon as they are built (so they need not all be held in memory), and [`StagedDir::commit`]
/// makes them durable and swaps the folder in by renames. Dropped without a commit, the
/// temporary folder is removed and the old contents stay.
#[derive(Debug)]
pub struct StagedDir {
    target: PathBuf,
    staging: PathBuf,
    old: PathBuf,
    committed: bool,
}

impl StagedDir {
    /// Starts replacing `dir` (see [`check_replaceable`] for when that is allowed).
    pub fn new(dir: &Path) -> std::io::Result<StagedDir> {
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(parent)?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
        let staged = StagedDir {
            target: dir.to_path_buf(),
            staging: parent.join(format!(".{name}.gpwr-new")),
            old: parent.join(format!(".{name}.gpwr-old")),
            committed: false,
        };
        // A crash between the two renames of a commit leaves only the old folder: put it back.
        if !dir.exists() && staged.old.exists() {
            fs::rename(&staged.old, dir)?;
        }
        for leftover in [&staged.staging, &staged.old] {
            if leftover.exists() {
                fs::remove_dir_all(leftover)?;
            }
        }
        fs::create_dir_all(&staged.staging)?;
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

    /// Makes everything written durable and puts it in place of the old folder.
    pub fn commit(mut self) -> std::io::Result<()> {
        // Where one flush covers the file system, the folder need not be listed.
        let files = if cfg!(target_os = "linux") { vec![] } else { files_under(&self.staging)? };
        make_durable(&self.staging, &files.iter().map(PathBuf::as_path).collect::<Vec<_>>())?;
        if self.target.exists() {
            fs::rename(&self.target, &self.old)?;
        }
        if let Err(e) = fs::rename(&self.staging, &self.target) {
            let _ = fs::rename(&self.old, &self.target);
            return Err(e);
        }
        self.committed = true;
        if self.old.exists() {
            fs::remove_dir_all(&self.old)?;
        }
        Ok(())
    }
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
}
