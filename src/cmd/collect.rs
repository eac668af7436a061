//! `gpwr collect`: reads every returned workbook in the inbox, each in its own short-lived
//! process (so a reader crash or an absurd allocation on one file cannot take the batch
//! down), on all cores, then interprets them and writes the outputs as a whole.

use super::Outcome;
use crate::cli::{CollectArgs, ReadWorkbookArgs};
use anyhow::{Context, Result};
use gpwr::campaign::{self, COLLECTED_DIR, INBOX_DIR, PROGRAM_FILE};
use gpwr::collect::findings::{Code, Finding, Severity};
use gpwr::collect::inbox::{InboxEntry, list_inbox};
use gpwr::collect::write::{FINDINGS_XLSX, outputs};
use gpwr::collect::{Collection, InboxFile, collect};
use gpwr::output::{check_replaceable, replace_dir_atomically};
use gpwr::polish;
use gpwr::program::read_program;
use gpwr::workbook::{ExtractError, Limits, RawWorkbook, extract_file};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

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
    if !program_path.exists() {
        anyhow::bail!(
            "nie ma pliku {}. Uruchom polecenie w folderze kampanii (utworzonym przez `gpwr init`) albo podaj --program.",
            program_path.display()
        );
    }
    if !inbox.is_dir() {
        anyhow::bail!(
            "nie ma folderu {} z odesłanymi plikami. Utwórz go i wrzuć do niego załączniki albo podaj --inbox.",
            inbox.display()
        );
    }
    if let Err(reason) = check_replaceable(&out, &[&inbox, &program_path]) {
        anyhow::bail!(reason);
    }
    let reading = read_program(&program_path);
    let Some(program) = reading.program else {
        for problem in reading.errors() {
            eprintln!("{}: {problem}", program_path.display());
        }
        eprintln!("Nie zebrano danych: definicja programu ma błędy. Popraw je (zob. `gpwr templates`).");
        return Ok(Outcome::DataErrors);
    };
    let listing = list_inbox(&inbox).with_context(|| format!("nie można odczytać folderu {}", inbox.display()))?;
    let files = read_all(&listing.spreadsheets);
    let mut collection = collect(&program, files, listing.skipped.clone(), listing.ignored.clone());
    for dir in &listing.unreadable_dirs {
        collection.findings.push(
            Finding::new(
                Code::FolderUnreadable,
                "nie można odczytać tego podfolderu (brak uprawnień?); jego pliki pominięto",
            )
            .file(dir),
        );
    }
    let files = outputs(&program, &collection).context("nie można zbudować plików wynikowych")?;
    replace_dir_atomically(&out, &files).with_context(|| format!("nie można zapisać wyników w {}", out.display()))?;

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

/// Reads every file in a separate process, as many at a time as there are cores.
fn read_all(entries: &[InboxEntry]) -> Vec<InboxFile> {
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
    let results: Mutex<Vec<Option<Result<RawWorkbook, ExtractError>>>> = Mutex::new(vec![None; entries.len()]);
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2).min(entries.len().max(1));
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    let Some(entry) = entries.get(i) else { break };
                    let content = read_isolated(entry);
                    results.lock().expect("no reader panics while holding the lock")[i] = Some(content);
                    progress.set_message(entry.relative.clone());
                    progress.inc(1);
                }
            });
        }
    });
    progress.finish_and_clear();
    let results = results.into_inner().expect("readers finished");
    entries
        .iter()
        .zip(results)
        .map(|(entry, content)| InboxFile {
            relative: entry.relative.clone(),
            extension: entry.extension.clone(),
            file_time: entry.file_time,
            content: content.unwrap_or(Err(ExtractError::Corrupt { detail: "nie odczytano".into() })),
        })
        .collect()
}

/// Reads one file in a child process (`gpwr __czytaj FILE`) with a memory limit and a timeout.
fn read_isolated(entry: &InboxEntry) -> Result<RawWorkbook, ExtractError> {
    let crashed = |detail: String| Err(ExtractError::Corrupt { detail });
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(_) => return extract_file(&entry.path, &Limits::default()),
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
        Err(e) => return crashed(format!("nie można uruchomić czytnika: {e}")),
    };
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let reader = std::thread::spawn(move || {
        // Bounded: a file whose cells expand enormously must not exhaust this process.
        let mut bytes = Vec::new();
        (&mut stdout).take(MAX_READER_OUTPUT + 1).read_to_end(&mut bytes)?;
        // Drain the rest so the child can finish; it is reported as too large below.
        std::io::copy(&mut stdout, &mut std::io::sink())?;
        Ok::<_, std::io::Error>(bytes)
    });
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break Some(status),
            Ok(None) if started.elapsed() > READ_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(5)),
            Err(_) => {
                let _ = child.kill();
                let _ = child.wait();
                break None;
            }
        }
    };
    let output = reader.join().ok().and_then(|r| r.ok()).unwrap_or_default();
    if output.len() as u64 > MAX_READER_OUTPUT {
        return Err(ExtractError::TooLarge { what: "odczytana zawartość przekracza 1 GB".into() });
    }
    match status {
        None => crashed(format!("czytanie trwało dłużej niż {} s i zostało przerwane", READ_TIMEOUT.as_secs())),
        Some(status) if !status.success() => crashed(
            "czytnik arkuszy przerwał pracę na tym pliku (plik uszkodzony albo zbyt duży po rozpakowaniu)".into(),
        ),
        Some(_) => serde_json::from_slice::<Result<RawWorkbook, ExtractError>>(&output)
            .unwrap_or_else(|e| crashed(format!("niepoprawna odpowiedź czytnika: {e}"))),
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
