//! Where each institution stands after `collect`, read back from `kompletnosc.csv` and
//! `ustalenia.csv` by header name: missing, returned with errors, or fine; and what to
//! tell it.

use super::MailError;
use crate::collect::findings::Severity;
use crate::collect::write::COMPLETENESS_CSV;
use crate::csv::{self, Record};
use crate::program::Program;
use std::collections::BTreeMap;
use std::path::Path;

/// An institution's return, as far as the messages are concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReturnState {
    /// No return was used (none came, or every file was rejected).
    Missing,
    /// The return used has errors.
    HasErrors,
    /// The return used has no errors (warnings or notes at most).
    Fine,
}

/// One finding of `collect` that concerns the institution.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    /// Error or warning.
    pub severity: Severity,
    /// The file it is in.
    pub file: String,
    /// `Wskaźniki!E12`, or the sheet alone, or empty for the whole file.
    pub location: String,
    /// The indicator's id, if it concerns one.
    pub indicator: String,
    /// What was typed, if it concerns a cell.
    pub original: String,
    /// What is wrong and what to do.
    pub message: String,
}

/// What `collect` found, as far as the messages are concerned.
#[derive(Debug, Clone, PartialEq)]
pub struct Collected {
    /// Each institution's status, by id.
    pub statuses: BTreeMap<String, Status>,
    /// Files in the inbox that were refused and could not be tied to any institution of the
    /// programme (unreadable, encrypted, not a spreadsheet, an unknown institution id): one
    /// of them may be a late return.
    pub unattributed: Vec<String>,
}

/// Where one institution stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Status {
    /// Missing, with errors, or fine.
    pub state: ReturnState,
    /// The file used, if any.
    pub file: Option<String>,
    /// How many warnings the file used has.
    pub warnings: usize,
    /// Errors and warnings in the file used, errors first, in the order collect reported them.
    pub to_fix: Vec<Issue>,
    /// Errors that made collect reject other files of this institution (another year,
    /// another programme…).
    pub rejected: Vec<Issue>,
}

/// Reads one CSV of collect's and checks that it has `columns`.
fn read_records(dir: &Path, name: &str, columns: &[&str]) -> Result<Vec<Record>, MailError> {
    let path = dir.join(name);
    let unreadable = |detail: String| MailError::CollectedUnreadable { path: path.display().to_string(), detail };
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(crate::polish::io_error(&e)))?;
    let records = csv::parse(&text);
    if let Some(first) = records.first()
        && let Some(missing) = columns.iter().find(|c| first.column(c).is_none())
    {
        return Err(unreadable(format!(
            "brak kolumny „{missing}” (jest: {}); plik zmieniono albo zapisała go starsza wersja gpwr",
            first.header().join(", ")
        )));
    }
    Ok(records)
}

fn severity(polish: &str) -> Option<Severity> {
    [Severity::Error, Severity::Warning, Severity::Info].into_iter().find(|s| s.polish() == polish)
}

/// Reads the status of every institution of `program` from the collect output in `dir`.
/// Fails when the files are missing, lack a column, or were collected for another
/// programme, year or list of institutions.
pub fn read(program: &Program, dir: &Path) -> Result<Collected, MailError> {
    let completeness =
        read_records(dir, COMPLETENESS_CSV, &["instytucja", "plik", "bledy", "ostrzezenia", "program", "rok"])?;
    let findings = read_records(
        dir,
        "ustalenia.csv",
        &["waga", "instytucja", "plik", "arkusz", "komorka", "wskaznik", "tekst_oryginalny", "komunikat"],
    )?;
    let mismatch = |detail: String| MailError::CollectedMismatch {
        path: dir.join(COMPLETENESS_CSV).display().to_string(),
        detail,
    };
    let settings = &program.settings;
    if let Some(other) = completeness
        .iter()
        .find(|r| r["program"] != settings.program_id || r["rok"] != settings.report_year.to_string())
    {
        return Err(mismatch(format!(
            "zebrano je dla programu „{}” za rok {}, a definicja to program „{}” za rok {}",
            &other["program"], &other["rok"], settings.program_id, settings.report_year
        )));
    }
    let mut listed: BTreeMap<&str, &Record> = BTreeMap::new();
    for record in &completeness {
        listed.entry(&record["instytucja"]).or_insert(record);
    }
    let unknown: Vec<&str> =
        listed.keys().copied().filter(|id| !program.institutions.iter().any(|i| i.id == *id)).collect();
    let absent: Vec<&str> = program
        .institutions
        .iter()
        .filter(|i| program.indicators_for(&i.id).next().is_some() && !listed.contains_key(i.id.as_str()))
        .map(|i| i.id.as_str())
        .collect();
    if !unknown.is_empty() || !absent.is_empty() {
        let mut detail = Vec::new();
        if !unknown.is_empty() {
            detail.push(format!("instytucji {} nie ma w definicji", unknown.join(", ")));
        }
        if !absent.is_empty() {
            detail.push(format!("instytucji {} nie ma w zebranych danych", absent.join(", ")));
        }
        return Err(mismatch(detail.join("; ")));
    }

    let mut statuses = BTreeMap::new();
    for (id, record) in listed {
        let file = Some(record["plik"].to_string()).filter(|f| !f.is_empty());
        let issues = |wanted: &dyn Fn(&Record, Severity) -> bool| -> Vec<Issue> {
            let mut issues: Vec<Issue> = findings
                .iter()
                .filter(|f| &f["instytucja"] == id)
                .filter_map(|f| {
                    let severity = severity(&f["waga"])?;
                    wanted(f, severity).then(|| Issue {
                        severity,
                        file: f["plik"].to_string(),
                        location: match (&f["arkusz"], &f["komorka"]) {
                            ("", _) => String::new(),
                            (sheet, "") => sheet.to_string(),
                            (sheet, cell) => format!("{sheet}!{cell}"),
                        },
                        indicator: f["wskaznik"].to_string(),
                        original: f["tekst_oryginalny"].to_string(),
                        message: f["komunikat"].to_string(),
                    })
                })
                .collect();
            issues.sort_by_key(|issue| issue.severity != Severity::Error);
            issues
        };
        let to_fix = match &file {
            Some(used) => issues(&|f, severity| &f["plik"] == used && severity != Severity::Info),
            None => vec![],
        };
        let rejected = issues(&|f, severity| {
            severity == Severity::Error && !f["plik"].is_empty() && Some(&f["plik"]) != file.as_deref()
        });
        let errors: usize = record["bledy"].parse().unwrap_or(0);
        let warnings: usize = record["ostrzezenia"].parse().unwrap_or(0);
        let state = match &file {
            None => ReturnState::Missing,
            Some(_) if errors > 0 || to_fix.iter().any(|i| i.severity == Severity::Error) => ReturnState::HasErrors,
            Some(_) => ReturnState::Fine,
        };
        statuses.insert(id.to_string(), Status { state, file, warnings, to_fix, rejected });
    }
    let mut unattributed: Vec<String> = findings
        .iter()
        .filter(|f| !f["plik"].is_empty() && &f["waga"] == Severity::Error.polish())
        .filter(|f| !program.institutions.iter().any(|i| i.id == f["instytucja"]))
        .map(|f| f["plik"].to_string())
        .collect();
    unattributed.sort();
    unattributed.dedup();
    Ok(Collected { statuses, unattributed })
}
