//! Reading an xls or ods file in a short-lived process of its own: calamine reads those
//! whole and can abort on an absurd allocation, so each is read by `gpwr __czytaj` (the
//! file's bytes on its standard input) with a memory limit and a timeout, and one bad file
//! never takes the batch down.

use crate::error_text;
use crate::workbook::{ExtractError, Limits, RawWorkbook, extract_bytes};
use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// The hidden subcommand of the `gpwr` binary that runs [`serve`].
pub const READER_COMMAND: &str = "__czytaj";
/// Largest answer accepted from a reading process.
const MAX_READER_OUTPUT: u64 = 1024 * 1024 * 1024;
/// Longest time one file may take to read.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Address-space limit of a reading process: an allocation beyond it fails inside that
/// process only.
const READER_MEMORY_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Reads the workbook in `bytes` (an xls or ods file's content) by running `reader` (the
/// `gpwr` binary) as `reader __czytaj` with the bytes on its standard input, within
/// [`READ_TIMEOUT`]: what is read is exactly the content the caller hashed, even if the
/// file changes meanwhile. A crash, a timeout or an answer too large is the file's error.
pub fn read_isolated(reader: &Path, bytes: &[u8]) -> Result<RawWorkbook, ExtractError> {
    let crashed = |detail: String| Err(ExtractError::Corrupt { detail });
    let mut child = match Command::new(reader)
        .arg(READER_COMMAND)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return crashed(format!("nie można uruchomić czytnika: {}", error_text::io(&e))),
    };
    if let Some(mut stdin) = child.stdin.take() {
        // On a thread of its own, so a reader that answers or dies early never blocks this
        // one; the pipe closes when the thread ends, which tells the reader the file is whole.
        let input = bytes.to_vec();
        std::thread::spawn(move || {
            let _ = stdin.write_all(&input);
        });
    }
    let Some(mut stdout) = child.stdout.take() else {
        return crashed("nie można odebrać odpowiedzi czytnika".into());
    };
    let (sender, answer) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        // Bounded: a file whose cells expand enormously must not exhaust this process.
        let mut bytes = Vec::new();
        let read = (&mut stdout).take(MAX_READER_OUTPUT + 1).read_to_end(&mut bytes);
        // Drain the rest so the child can finish; it is reported as too large below.
        let drained = std::io::copy(&mut stdout, &mut std::io::sink());
        let _ = sender.send(read.and(drained).map(|_| bytes));
    });
    // The answer is complete when the child closes its output, that is when it ends.
    let output = match answer.recv_timeout(READ_TIMEOUT) {
        Ok(output) => output.unwrap_or_default(),
        Err(_) => {
            let _ = child.kill();
            let _ = child.wait();
            return crashed(format!("czytanie trwało dłużej niż {} s i zostało przerwane", READ_TIMEOUT.as_secs()));
        }
    };
    let status = child.wait();
    if output.len() as u64 > MAX_READER_OUTPUT {
        return Err(ExtractError::TooLarge { what: "odczytana zawartość przekracza 1 GB".into() });
    }
    match status {
        Ok(status) if status.success() => serde_json::from_slice::<Result<RawWorkbook, ExtractError>>(&output)
            .unwrap_or_else(|_| crashed("czytnik arkuszy dał niepełną odpowiedź (błąd programu gpwr)".into())),
        _ => crashed(
            "czytnik arkuszy przerwał pracę na tym pliku (plik uszkodzony albo zbyt duży po rozpakowaniu)".into(),
        ),
    }
}

/// The reading process's side of [`read_isolated`]: limits its own memory, reads the
/// workbook's bytes from `input` to its end, writes what it read (or why it could not) as
/// JSON to `answer`.
pub fn serve(input: &mut dyn Read, answer: &mut dyn Write) -> std::io::Result<()> {
    limit_memory(READER_MEMORY_BYTES);
    let mut bytes = Vec::new();
    input.read_to_end(&mut bytes)?;
    let result = extract_bytes(&bytes, &Limits::default());
    serde_json::to_writer(&mut *answer, &result).map_err(std::io::Error::other)?;
    answer.flush()
}

#[cfg(unix)]
fn limit_memory(bytes: u64) {
    let limit = libc::rlimit { rlim_cur: bytes as libc::rlim_t, rlim_max: bytes as libc::rlim_t };
    // SAFETY: setrlimit only reads the struct passed by reference; lowering our own limit
    // cannot break memory safety. Failure leaves the limit unchanged, which is acceptable.
    unsafe {
        libc::setrlimit(libc::RLIMIT_AS, &limit);
    }
}

#[cfg(not(unix))]
fn limit_memory(_bytes: u64) {}
