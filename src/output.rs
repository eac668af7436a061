//! Writes output files whole or not at all: to a temporary file beside the target, then
//! renamed into place, so an interrupted run never leaves half a workbook.

use std::fs;
use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically (same-directory temporary file, flush, rename).
pub fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{name}.gpwr-tmp"));
    let result = (|| {
        let mut file = fs::File::create(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result
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

/// Replaces the contents of `dir` with `files` (relative path, bytes) as a whole: everything
/// is written to a sibling temporary folder first, then swapped in by renames. On failure
/// the old contents stay.
pub fn replace_dir_atomically(dir: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(parent)?;
    let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "out".into());
    let tmp = parent.join(format!(".{name}.gpwr-new"));
    let old = parent.join(format!(".{name}.gpwr-old"));
    // A crash between the two renames below leaves only the old folder: put it back first.
    if !dir.exists() && old.exists() {
        fs::rename(&old, dir)?;
    }
    for leftover in [&tmp, &old] {
        if leftover.exists() {
            fs::remove_dir_all(leftover)?;
        }
    }
    let written = (|| {
        fs::create_dir_all(&tmp)?;
        fs::write(tmp.join(OUTPUT_MARKER), "Folder zapisany przez gpwr; jego zawartość jest zastępowana w całości.\n")?;
        for (relative, bytes) in files {
            let path = tmp.join(relative);
            if let Some(p) = path.parent() {
                fs::create_dir_all(p)?;
            }
            let mut file = fs::File::create(&path)?;
            file.write_all(bytes)?;
            file.sync_all()?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = fs::remove_dir_all(&tmp);
        return Err(e);
    }
    if dir.exists() {
        fs::rename(dir, &old)?;
    }
    if let Err(e) = fs::rename(&tmp, dir) {
        let _ = fs::rename(&old, dir);
        return Err(e);
    }
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    Ok(())
}
