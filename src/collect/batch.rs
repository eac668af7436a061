//! Reading and interpreting every inbox file on all cores. An xlsx (nearly every return) is
//! read in this process, its sheets streamed cell by cell within [`Limits`], a reader panic
//! caught and made a finding; xls and ods are read in a process of their own
//! ([`super::isolated`]). Each file is interpreted as soon as it is read and its cells
//! dropped, so memory grows with the number of values, not with the size of files.

use super::inbox::InboxEntry;
use super::isolated::read_isolated;
use super::memory::{Recall, content_hash};
use super::{InboxFile, Return, read_file, unreadable};
use crate::program::Program;
use crate::workbook::{ExtractError, Format, Limits, RawWorkbook, detect_format, extract_as, read_bytes};
use rayon::prelude::*;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// One inbox file after reading: what it gave, and the hash of its content when it was read
/// whole (the key the next collect remembers it by).
pub struct FileRead {
    /// The content hash ([`content_hash`]), if the file's bytes were read and parsed.
    pub content: Option<String>,
    /// What the file gave.
    pub ret: Return,
}

/// Reads and interprets every file in `entries` (xls and ods through `reader`, the `gpwr`
/// binary), as many at a time as there are cores, taking from `recall` what an unchanged
/// file gave last time; `progress(done, total)` is called after each. The files come back in
/// `entries`' order, one per file whatever happened to it; the error is gpwr's own failure
/// outside any one file.
pub fn read_all(
    program: &Program,
    entries: &[InboxEntry],
    reader: &Path,
    recall: &Recall,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Vec<FileRead>, BatchFailed> {
    let done = AtomicUsize::new(0);
    // A panic on a file is caught per file and becomes its finding, its message unprinted.
    crate::guard::quietly(|| {
        entries
            .par_iter()
            .map(|entry| {
                let read = read_one(program, entry, reader, recall);
                progress(done.fetch_add(1, Ordering::Relaxed) + 1, entries.len());
                read
            })
            .collect()
    })
    .map_err(|_| BatchFailed)
}

/// Reads one file: remembered if its content is, otherwise read and interpreted.
fn read_one(program: &Program, entry: &InboxEntry, reader: &Path, recall: &Recall) -> FileRead {
    let limits = Limits::default();
    let file = |content| InboxFile {
        relative: entry.relative.clone(),
        extension: entry.extension.clone(),
        file_time: entry.file_time,
        content,
    };
    let bytes = match read_bytes(&entry.path, &limits) {
        Ok(bytes) => bytes,
        Err(error) => return FileRead { content: None, ret: interpret(program, &file(Err(error))) },
    };
    let content = content_hash(&bytes);
    if let Some(mut ret) = recall.recall(&entry.relative, &content) {
        // The content is the same; the file's time may not be.
        ret.file_time = entry.file_time;
        return FileRead { content: Some(content), ret };
    }
    let parsed = parse(&bytes, reader);
    // A file the reader failed on is not remembered: the failure may be this machine's (a
    // reader that timed out or could not start), so the next collect tries it again.
    let content = parsed.is_ok().then_some(content);
    FileRead { content, ret: interpret(program, &file(parsed)) }
}

/// gpwr failed while reading the inbox, outside any one file (a bug).
#[derive(Debug, thiserror::Error)]
#[error("czytanie plików przerwał błąd programu gpwr; nic nie zapisano. Zgłoś go autorom programu")]
pub struct BatchFailed;

/// Interprets a file; a bug that panics on one file becomes that file's finding.
fn interpret(program: &Program, file: &InboxFile) -> Return {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file(program, file)))
        .unwrap_or_else(|_| failed(&file.relative, file.file_time))
}

/// The return of a file that gpwr itself failed on (a bug): a finding, not a lost file.
fn failed(relative: &str, file_time: Option<u64>) -> Return {
    let mut ret = Return::new(relative, None, None);
    ret.file_time = file_time;
    ret.push(unreadable(&ExtractError::Corrupt {
        detail: "odczytanie zawartości przerwał błąd programu gpwr; zgłoś go, dołączając plik".into(),
    }));
    ret
}

/// Parses a file's `bytes`: an xlsx here, anything else in a process of its own.
fn parse(bytes: &[u8], reader: &Path) -> Result<RawWorkbook, ExtractError> {
    let limits = Limits::default();
    match detect_format(bytes)? {
        Format::Xlsx => std::panic::catch_unwind(|| extract_as(Format::Xlsx, bytes, &limits)).unwrap_or_else(|_| {
            Err(ExtractError::Corrupt {
                detail: "czytnik arkuszy przerwał pracę na tym pliku (plik uszkodzony)".into(),
            })
        }),
        Format::Xls | Format::Ods => read_isolated(reader, bytes),
    }
}
