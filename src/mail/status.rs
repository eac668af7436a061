//! Where each institution stands after `collect`, read back from `kompletnosc.csv` and
//! `ustalenia.csv` by header name: missing, returned with errors, or fine; and what to
//! tell it.

use super::MailError;
use crate::collect::findings::{Code, Severity, location};
use crate::collect::write::{COMPLETENESS_CSV, FINDINGS_CSV};
use crate::program::Program;
use crate::records::{self, Record};
use std::collections::{BTreeMap, BTreeSet};
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
    /// The finding's code (`None` for a code this version of gpwr does not know).
    pub code: Option<Code>,
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
    /// What is wrong and what to do, as said to the coordinator.
    pub message: String,
}

impl Issue {
    /// What is asked of the institution about it, in the formal register.
    pub fn request(&self) -> &'static str {
        self.code.map_or("Prosimy o sprawdzenie tego miejsca w formularzu.", |code| code.texts().institution)
    }
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
    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(crate::error_text::io(&e)))?;
    let records = records::parse(&text);
    if let Some(first) = records.first()
        && let Some(missing) = columns.iter().find(|c| first.column(c).is_none())
    {
        return Err(unreadable(format!(
            "brak kolumny „{missing}” (jest: {}); plik zmieniono albo zapisała go starsza wersja gpwr",
            first.header().collect::<Vec<_>>().join(", ")
        )));
    }
    Ok(records)
}

/// Reads the status of every institution of `program` from the collect output in `dir`.
/// Fails when the files are missing, lack a column, or were collected for another
/// programme, year or list of institutions.
pub fn read(program: &Program, dir: &Path) -> Result<Collected, MailError> {
    let completeness =
        read_records(dir, COMPLETENESS_CSV, &["instytucja", "plik", "bledy", "ostrzezenia", "program", "rok"])?;
    let findings = read_records(
        dir,
        FINDINGS_CSV,
        &["kod", "waga", "instytucja", "plik", "arkusz", "komorka", "wskaznik", "tekst_oryginalny", "komunikat"],
    )?;
    let mismatch = |detail: String| MailError::CollectedMismatch {
        path: dir.join(COMPLETENESS_CSV).display().to_string(),
        detail,
    };
    let listed = listed_institutions(program, &completeness).map_err(mismatch)?;
    let known: BTreeSet<&str> = program.institutions.iter().map(|i| i.id.as_str()).collect();
    let (mut by_institution, unattributed) = issues_by_institution(&findings, &known);
    let statuses = listed
        .into_iter()
        .map(|(id, record)| (id.to_string(), status(record, by_institution.remove(id).unwrap_or_default())))
        .collect();
    Ok(Collected { statuses, unattributed: unattributed.into_iter().collect() })
}

/// The completeness record of each institution, by id, after checking that they were
/// collected for this programme, year and list of institutions (the reason, when not).
fn listed_institutions<'a>(
    program: &Program,
    completeness: &'a [Record],
) -> Result<BTreeMap<&'a str, &'a Record>, String> {
    let settings = &program.settings;
    if let Some(other) = completeness
        .iter()
        .find(|r| r["program"] != settings.program_id || r["rok"] != settings.report_year.to_string())
    {
        return Err(format!(
            "zebrano je dla programu „{}” za rok {}, a definicja to program „{}” za rok {}",
            &other["program"], &other["rok"], settings.program_id, settings.report_year
        ));
    }
    let mut listed: BTreeMap<&str, &Record> = BTreeMap::new();
    for record in completeness {
        listed.entry(&record["instytucja"]).or_insert(record);
    }
    let known: BTreeSet<&str> = program.institutions.iter().map(|i| i.id.as_str()).collect();
    let unknown: Vec<&str> = listed.keys().copied().filter(|id| !known.contains(id)).collect();
    let absent: Vec<&str> =
        program.reporting_institutions().map(|i| i.id.as_str()).filter(|id| !listed.contains_key(id)).collect();
    let mut detail = Vec::new();
    if !unknown.is_empty() {
        detail.push(format!("instytucji {} nie ma w definicji", unknown.join(", ")));
    }
    if !absent.is_empty() {
        detail.push(format!("instytucji {} nie ma w zebranych danych", absent.join(", ")));
    }
    if detail.is_empty() { Ok(listed) } else { Err(detail.join("; ")) }
}

/// Errors and warnings by institution, in the order collect reported them (one pass: a
/// county-wide collection has tens of thousands of findings), and the refused files tied
/// to no `known` institution.
fn issues_by_institution<'a>(
    findings: &'a [Record],
    known: &BTreeSet<&str>,
) -> (BTreeMap<&'a str, Vec<Issue>>, BTreeSet<String>) {
    let mut by_institution: BTreeMap<&str, Vec<Issue>> = BTreeMap::new();
    let mut unattributed = BTreeSet::new();
    for f in findings {
        let Some(severity) = Severity::from_polish(&f["waga"]).filter(|s| *s != Severity::Info) else { continue };
        if !known.contains(&f["instytucja"]) {
            if severity == Severity::Error && !f["plik"].is_empty() {
                unattributed.insert(f["plik"].to_string());
            }
            continue;
        }
        by_institution.entry(&f["instytucja"]).or_default().push(Issue {
            code: Code::from_code(&f["kod"]),
            severity,
            file: f["plik"].to_string(),
            location: location(&f["arkusz"], &f["komorka"]),
            indicator: f["wskaznik"].to_string(),
            original: f["tekst_oryginalny"].to_string(),
            message: f["komunikat"].to_string(),
        });
    }
    (by_institution, unattributed)
}

/// One institution's status from its completeness `record` and its `issues`: those of the
/// file used are to fix (errors first), errors of its other files say why they were refused.
fn status(record: &Record, issues: Vec<Issue>) -> Status {
    let file = Some(record["plik"].to_string()).filter(|f| !f.is_empty());
    let (mut to_fix, mut rejected) = (Vec::new(), Vec::new());
    for issue in issues {
        if Some(&issue.file) == file.as_ref() {
            to_fix.push(issue);
        } else if issue.severity == Severity::Error && !issue.file.is_empty() {
            rejected.push(issue);
        }
    }
    to_fix.sort_by_key(|issue| issue.severity != Severity::Error);
    let errors: usize = record["bledy"].parse().unwrap_or(0);
    let warnings: usize = record["ostrzezenia"].parse().unwrap_or(0);
    let state = match &file {
        None => ReturnState::Missing,
        Some(_) if errors > 0 || to_fix.iter().any(|i| i.severity == Severity::Error) => ReturnState::HasErrors,
        Some(_) => ReturnState::Fine,
    };
    Status { state, file, warnings, to_fix, rejected }
}
