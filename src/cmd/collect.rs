//! `gpwr collect`: reads and interprets every returned workbook in the inbox on all cores,
//! then writes the outputs as a whole.
//!
//! An xlsx (nearly every return) is read in this process: its sheets are streamed cell by
//! cell within [`Limits`], and a reader panic is caught and becomes a finding. xls and ods
//! are read whole by calamine, which can abort on an absurd allocation, so each of those
//! files is read in its own short-lived process with a memory limit and a timeout; one bad
//! file never takes the batch down. Each file is interpreted as soon as it is read and its
//! cells dropped, so memory grows with the number of values, not with the size of files.

use super::Outcome;
use crate::cli::{CollectArgs, ReadWorkbookArgs};
use anyhow::{Context, Result};
use gpwr::campaign::{self, COLLECTED_DIR, INBOX_DIR, PROGRAM_FILE};
use gpwr::collect::findings::Severity;
use gpwr::collect::inbox::{InboxEntry, list_inbox};
use gpwr::collect::write::{FINDINGS_XLSX, write_outputs};
use gpwr::collect::{Collection, InboxFile, Return, assemble, read_file};
use gpwr::lock::RunLock;
use gpwr::output::{StagedDir, check_apart_from_inputs, check_replaceable};
use gpwr::polish;
use gpwr::program::Program;
use gpwr::workbook::{ExtractError, Format, Limits, RawWorkbook, detect_format, extract_as, extract_file, read_bytes};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Largest answer accepted from a reading process.
const MAX_READER_OUTPUT: u64 = 1024 * 1024 * 1024;
/// Longest time one file may take to read.
const READ_TIMEOUT: Duration = Duration::from_secs(120);
/// Address-space limit of a reading process: an allocation beyond it fails inside that
/// process only.
const READER_MEMORY_BYTES: u64 = 4 * 1024 * 1024 * 1024;

/// Collects the inbox and writes the outputs.
pub fn run(args: &CollectArgs) -> Result<Outcome> {
    let program_path = campaign::or_default(args.program.as_deref(), PROGRAM_FILE);
    let inbox = campaign::or_default(args.inbox.as_deref(), INBOX_DIR);
    let out = campaign::or_default(args.out.as_deref(), COLLECTED_DIR);
    super::require_program(&program_path)?;
    if !inbox.is_dir() {
        anyhow::bail!(
            "nie ma folderu {} z odesłanymi plikami. Utwórz go i wrzuć do niego załączniki albo podaj --inbox.",
            inbox.display()
        );
    }
    let inputs = [inbox.as_path(), program_path.as_path()];
    check_apart_from_inputs(&out, &inputs).map_err(anyhow::Error::msg)?;
    let _lock = RunLock::acquire("collect", &[&out], &inputs)?;
    check_replaceable(&out).map_err(anyhow::Error::msg)?;
    let Some(program) = super::program_or_errors(
        &program_path,
        "Nie zebrano danych: definicja programu ma błędy. Popraw je (zob. `gpwr templates`).",
    ) else {
        return Ok(Outcome::DataErrors);
    };
    let listing = list_inbox(&inbox).with_context(|| format!("nie można odczytać folderu {}", inbox.display()))?;
    let returns = read_all(&program, &listing.spreadsheets);
    let mut collection = assemble(&program, returns, listing.skipped.clone(), listing.ignored.clone());
    collection.findings.extend(listing.findings());
    let cannot_write = || format!("nie można zapisać wyników w {}", out.display());
    let staged = StagedDir::new(&out).with_context(cannot_write)?;
    write_outputs(&program, &collection, &|name, bytes| staged.write(name, bytes)).with_context(cannot_write)?;
    staged.commit().with_context(cannot_write)?;

    let summary = summary(&collection, &out.join(FINDINGS_XLSX).display().to_string());
    if args.json {
        eprintln!("{summary}");
        let json = serde_json::json!({
            "program": program.settings.program_id,
            "rok": program.settings.report_year,
            "kompletnosc": collection.completeness,
            "pliki": collection.returns.iter().map(|r| serde_json::json!({
                "plik": r.file, "instytucja": r.institution, "uzyty": r.chosen, "odczytany": r.accepted,
            })).collect::<Vec<_>>(),
            "pominiete": collection.skipped,
            "ustalenia": collection.all_findings().collect::<Vec<_>>(),
        });
        let mut stdout = std::io::stdout().lock();
        serde_json::to_writer_pretty(&mut stdout, &json)?;
        writeln!(stdout)?;
    } else {
        print_errors(&collection);
        println!("{summary}");
    }
    Ok(if collection.count(Severity::Error) > 0 { Outcome::DataErrors } else { Outcome::Success })
}

/// Per file with errors: one line with the counts and its first few errors.
fn print_errors(collection: &Collection) {
    const SHOWN_PER_FILE: usize = 3;
    for ret in &collection.returns {
        let errors: Vec<_> = ret.findings.iter().filter(|f| f.severity == Severity::Error).collect();
        if errors.is_empty() {
            continue;
        }
        let who = ret.institution.as_deref().map(|i| format!(" ({i})")).unwrap_or_default();
        eprintln!("{}{who}: {}", ret.file, polish::count(errors.len(), "błąd", "błędy", "błędów"));
        for finding in errors.iter().take(SHOWN_PER_FILE) {
            let at = finding.location();
            let at = if at.is_empty() { String::new() } else { format!(" {at}") };
            eprintln!("  {}{at}: {}", finding.code, finding.message);
        }
        if errors.len() > SHOWN_PER_FILE {
            eprintln!("  … i {} więcej", errors.len() - SHOWN_PER_FILE);
        }
    }
}

fn summary(collection: &Collection, findings_path: &str) -> String {
    let returned = collection.completeness.iter().filter(|c| c.chosen_file.is_some()).count();
    let missing: Vec<&str> =
        collection.completeness.iter().filter(|c| c.chosen_file.is_none()).map(|c| c.institution.as_str()).collect();
    let mut text = format!(
        "Odczytano {} z {} instytucji ({}); błędy: {}, ostrzeżenia: {}. Szczegóły: {findings_path}",
        returned,
        collection.completeness.len(),
        polish::count(collection.returns.len(), "plik", "pliki", "plików"),
        collection.count(Severity::Error),
        collection.count(Severity::Warning),
    );
    if !missing.is_empty() {
        text.push_str(&format!("\nNie przysłały: {}", missing.join(", ")));
    }
    text
}

/// Name of the threads that read files (seen in a debugger or `top -H`).
const READER_THREAD: &str = "gpwr-czytnik";

/// Reads and interprets every file, as many at a time as there are cores. The returns come
/// back in `entries`' order.
fn read_all(program: &Program, entries: &[InboxEntry]) -> Vec<Return> {
    let progress = if std::io::stderr().is_terminal() {
        let bar = ProgressBar::new(entries.len() as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} plików  {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Return>>> = Mutex::new(vec![None; entries.len()]);
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(entries.len().max(1));
    // Panics on a file are caught per file and become its finding; their messages are not printed.
    let scope = gpwr::guard::quietly(|| {
        std::thread::scope(|scope| {
            for _ in 0..workers {
                let work = || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(entry) = entries.get(i) else { break };
                        let file = InboxFile {
                            relative: entry.relative.clone(),
                            extension: entry.extension.clone(),
                            file_time: entry.file_time,
                            content: read_entry(entry),
                        };
                        let ret = interpret(program, &file);
                        drop(file);
                        results.lock().unwrap_or_else(|poisoned| poisoned.into_inner())[i] = Some(ret);
                        progress.set_message(entry.relative.clone());
                        progress.inc(1);
                    }
                };
                if std::thread::Builder::new().name(READER_THREAD.into()).spawn_scoped(scope, work).is_err() {
                    // No thread to be had: the calling thread does the work.
                    work();
                }
            }
        })
    });
    scope.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    progress.finish_and_clear();
    let results = results.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    entries
        .iter()
        .zip(results)
        .map(|(entry, ret)| ret.unwrap_or_else(|| failed(&entry.relative, entry.file_time)))
        .collect()
}

/// Interprets a file; a bug that panics on one file becomes that file's finding.
fn interpret(program: &Program, file: &InboxFile) -> Return {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| read_file(program, file)))
        .unwrap_or_else(|_| failed(&file.relative, file.file_time))
}

/// The return of a file that gpwr itself failed on (a bug): a finding, not a lost file.
fn failed(relative: &str, file_time: Option<u64>) -> Return {
    let mut ret = Return::new(relative, None, None);
    ret.file_time = file_time;
    ret.push(gpwr::collect::unreadable(&ExtractError::Corrupt {
        detail: "odczytanie zawartości przerwał błąd programu gpwr; zgłoś go, dołączając plik".into(),
    }));
    ret
}

/// Reads one file: an xlsx here, anything else in a child process (see the module doc).
fn read_entry(entry: &InboxEntry) -> Result<RawWorkbook, ExtractError> {
    let limits = Limits::default();
    let bytes = read_bytes(&entry.path, &limits)?;
    match detect_format(&bytes)? {
        Format::Xlsx => std::panic::catch_unwind(|| extract_as(Format::Xlsx, &bytes, &limits)).unwrap_or_else(|_| {
            Err(ExtractError::Corrupt {
                detail: "czytnik arkuszy przerwał pracę na tym pliku (plik uszkodzony)".into(),
            })
        }),
        Format::Xls | Format::Ods => read_isolated(entry),
    }
}

/// Reads one file in a child process (`gpwr __czytaj FILE`) with a memory limit and a timeout.
fn read_isolated(entry: &InboxEntry) -> Result<RawWorkbook, ExtractError> {
    let crashed = |detail: String| Err(ExtractError::Corrupt { detail });
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return crashed(format!("nie można uruchomić czytnika: {}", gpwr::error_text::io(&e))),
    };
    let mut child = match Command::new(exe)
        .arg("__czytaj")
        .arg(&entry.path)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
    {
        Ok(child) => child,
        Err(e) => return crashed(format!("nie można uruchomić czytnika: {}", gpwr::error_text::io(&e))),
    };
    let mut stdout = child.stdout.take().expect("stdout is piped");
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

/// The child side of [`read_isolated`]: limits its own memory, reads, prints JSON.
pub fn read_workbook_worker(args: &ReadWorkbookArgs) -> Result<Outcome> {
    limit_memory(READER_MEMORY_BYTES);
    let result = extract_file(&args.file, &Limits::default());
    let mut stdout = std::io::stdout().lock();
    serde_json::to_writer(&mut stdout, &result)?;
    stdout.flush()?;
    Ok(Outcome::Success)
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
