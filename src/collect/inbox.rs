//! Lists the inbox: every file under it (recursively, in a stable order), sorted into
//! spreadsheets to read, editor lock and system files to ignore, and other files to report
//! as skipped. Symbolic links are followed only to files inside the inbox. Never writes to
//! the inbox.

use super::findings::{Code, Finding};
use crate::error_text;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// Extensions read as spreadsheets (the content decides the real format).
pub const SPREADSHEET_EXTENSIONS: [&str; 5] = ["xlsx", "xlsm", "xls", "ods", "xlsb"];

/// A spreadsheet file to read.
#[derive(Debug, Clone, PartialEq)]
pub struct InboxEntry {
    /// Full path.
    pub path: PathBuf,
    /// Path relative to the inbox, `/`-separated.
    pub relative: String,
    /// Lower-case extension.
    pub extension: String,
    /// Modification time, seconds since 1970.
    pub file_time: Option<u64>,
}

/// What the inbox holds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct InboxListing {
    /// Spreadsheets, sorted by relative path.
    pub spreadsheets: Vec<InboxEntry>,
    /// Other files (not spreadsheets by extension), relative paths.
    pub skipped: Vec<String>,
    /// Editor lock files and system files, ignored silently but counted.
    pub ignored: Vec<String>,
    /// Subfolders that could not be listed.
    pub unreadable_dirs: Vec<String>,
    /// Symbolic links that were not followed, relative paths, with why.
    pub links: Vec<(String, LinkProblem)>,
}

/// Why a symbolic link in the inbox was not followed.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkProblem {
    /// It leads outside the inbox (to this path).
    Outside {
        /// Where it leads.
        target: String,
    },
    /// It leads nowhere: its target is gone, or links form a loop.
    Broken {
        /// Why, in Polish.
        reason: String,
    },
}

impl InboxListing {
    /// The findings about the listing itself: folders that could not be listed and links
    /// that were not followed (the skipped files are reported with the returns).
    pub fn findings(&self) -> Vec<Finding> {
        let folders = self.unreadable_dirs.iter().map(|dir| {
            Finding::new(
                Code::FolderUnreadable,
                "nie można odczytać tego podfolderu (brak uprawnień?); jego pliki pominięto",
            )
            .file(dir)
        });
        let links = self.links.iter().map(|(link, problem)| match problem {
            LinkProblem::Outside { target } => Finding::new(
                Code::LinkOutsideInbox,
                format!(
                    "to łącze symboliczne prowadzi poza folder z odesłanymi plikami ({target}); gpwr go nie otwiera. \
                     Jeśli to odesłany formularz, skopiuj sam plik do tego folderu."
                ),
            )
            .file(link),
            LinkProblem::Broken { reason } => Finding::new(
                Code::LinkBroken,
                format!(
                    "to łącze symboliczne nie prowadzi do żadnego pliku ({reason}). \
                     Usuń je albo skopiuj w to miejsce właściwy plik."
                ),
            )
            .file(link),
        });
        folders.chain(links).collect()
    }
}

/// Where a symbolic link in the inbox leads.
enum Link {
    /// A file inside the inbox, at this real path.
    File(PathBuf),
    /// A folder inside the inbox: its files are listed where they are.
    Folder,
    /// Not followed.
    Refused(LinkProblem),
}

/// Resolves the link at `path` against the inbox's real path `root`.
fn follow_link(root: &Path, path: &Path) -> Link {
    let target = match std::fs::canonicalize(path) {
        Ok(target) => target,
        Err(e) => return Link::Refused(LinkProblem::Broken { reason: error_text::io(&e) }),
    };
    if !target.starts_with(root) {
        return Link::Refused(LinkProblem::Outside { target: target.display().to_string() });
    }
    if target.is_dir() { Link::Folder } else { Link::File(target) }
}

fn relative_path(inbox: &Path, path: &Path) -> String {
    path.strip_prefix(inbox)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// True if the file starts like a zip (xlsx, ods) or OLE (xls) container.
fn looks_like_workbook(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let Ok(mut file) = std::fs::File::open(path) else { return false };
    if file.read_exact(&mut head).is_err() {
        return false;
    }
    head.starts_with(b"PK\x03\x04") || head == [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]
}

/// True for `~$name.xlsx` (Excel), `.~lock.name.ods#` (LibreOffice) and system clutter.
pub fn is_lock_or_system_file(name: &str) -> bool {
    name.starts_with("~$")
        || name.starts_with("._")
        || (name.starts_with(".~lock.") && name.ends_with('#'))
        || matches!(name.to_lowercase().as_str(), ".ds_store" | "thumbs.db" | "desktop.ini")
}

/// Lists `inbox` recursively. Symbolic links are followed only to files inside the inbox
/// (read from their real path); links to folders are not followed.
pub fn list_inbox(inbox: &Path) -> std::io::Result<InboxListing> {
    let root = std::fs::canonicalize(inbox)?;
    let mut listing = InboxListing::default();
    let mut pending = vec![inbox.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            // The inbox itself must be readable; an unreadable subfolder is reported, not fatal.
            Err(e) if dir == inbox => return Err(e),
            Err(_) => {
                listing.unreadable_dirs.push(relative_path(inbox, &dir));
                continue;
            }
        };
        for entry in entries.flatten() {
            let mut path = entry.path();
            let Ok(kind) = entry.file_type() else { continue };
            if kind.is_symlink() {
                let relative = relative_path(inbox, &path);
                match follow_link(&root, &path) {
                    Link::File(target) => path = target,
                    Link::Folder => {
                        listing.ignored.push(relative);
                        continue;
                    }
                    Link::Refused(problem) => {
                        listing.links.push((relative, problem));
                        continue;
                    }
                }
            }
            if kind.is_dir() {
                if entry.file_name() != "__MACOSX" {
                    pending.push(path);
                }
                continue;
            }
            let relative = relative_path(inbox, &entry.path());
            let name = entry.file_name().to_string_lossy().into_owned();
            if is_lock_or_system_file(&name) {
                listing.ignored.push(relative);
                continue;
            }
            let extension =
                Path::new(&name).extension().map(|e| e.to_string_lossy().to_lowercase()).unwrap_or_default();
            // A workbook renamed to another extension (or none) is still read: the content decides.
            if !SPREADSHEET_EXTENSIONS.contains(&extension.as_str()) && !looks_like_workbook(&path) {
                listing.skipped.push(relative);
                continue;
            }
            let file_time = std::fs::metadata(&path)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_secs());
            listing.spreadsheets.push(InboxEntry { path, relative, extension, file_time });
        }
    }
    listing.spreadsheets.sort_by(|a, b| a.relative.cmp(&b.relative));
    listing.skipped.sort();
    listing.ignored.sort();
    listing.links.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(listing)
}

#[cfg(test)]
mod tests {
    use super::is_lock_or_system_file;

    #[test]
    fn lock_files_are_recognised() {
        assert!(is_lock_or_system_file("~$Sprawozdanie MOPS 2025.xlsx"));
        assert!(is_lock_or_system_file(".~lock.SP3 - odpowiedź.ods#"));
        assert!(is_lock_or_system_file("Thumbs.db"));
        assert!(is_lock_or_system_file("._SP3.xlsx"), "macOS resource fork");
        assert!(!is_lock_or_system_file("SP3.xlsx"));
        assert!(!is_lock_or_system_file(".~lock.SP3.ods"));
    }
}
