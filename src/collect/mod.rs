//! `collect`: turns the inbox (every file institutions sent back) into one tidy table of
//! values plus findings, choosing deterministically between several versions of the same
//! institution's return and reporting who has not returned.
//!
//! Reading a file's bytes is [`crate::workbook`]'s job (run where a crash cannot take the
//! batch down); this module only interprets what was read, so it is pure and testable.

pub mod batch;
pub mod finding_texts;
pub mod findings;
pub mod inbox;
pub mod isolated;
pub mod memory;
pub mod number;
mod parts;
mod placements;
pub mod read;
mod read_tables;
pub mod screen;
pub mod write;

use crate::program::Program;
use crate::workbook::{ExtractError, Format, RawWorkbook};
use findings::{Code, Finding, Severity};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// What became of an indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ValueStatus {
    /// A number (yes/no as 1/0).
    #[serde(rename = "wartosc")]
    Value,
    /// "nie dotyczy".
    #[serde(rename = "nie_dotyczy")]
    NotApplicable,
    /// "brak danych" (also a lone "-").
    #[serde(rename = "brak_danych")]
    NoData,
    /// Nothing typed, no reason given.
    #[serde(rename = "puste")]
    Empty,
    /// Text that is not a number; kept in `original`.
    #[serde(rename = "tekst")]
    Text,
    /// An error value or a formula without a result.
    #[serde(rename = "blad")]
    Error,
    /// The indicator's row is missing from the returned file.
    #[serde(rename = "brak_wiersza")]
    RowMissing,
    /// The institution has not returned its template.
    #[serde(rename = "brak_formularza")]
    NotReturned,
}

impl ValueStatus {
    /// The code used in outputs (`wartosc`, `nie_dotyczy`, …).
    pub fn code(self) -> &'static str {
        match self {
            ValueStatus::Value => "wartosc",
            ValueStatus::NotApplicable => "nie_dotyczy",
            ValueStatus::NoData => "brak_danych",
            ValueStatus::Empty => "puste",
            ValueStatus::Text => "tekst",
            ValueStatus::Error => "blad",
            ValueStatus::RowMissing => "brak_wiersza",
            ValueStatus::NotReturned => "brak_formularza",
        }
    }

    /// Polish words for messages.
    pub fn polish(self) -> &'static str {
        match self {
            ValueStatus::Value => "wartość",
            ValueStatus::NotApplicable => "nie dotyczy",
            ValueStatus::NoData => "brak danych",
            ValueStatus::Empty => "puste",
            ValueStatus::Text => "tekst",
            ValueStatus::Error => "błąd",
            ValueStatus::RowMissing => "brak wiersza",
            ValueStatus::NotReturned => "brak formularza",
        }
    }
}

/// One indicator's value as returned by one institution.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CollectedValue {
    /// The indicator id.
    pub indicator: String,
    /// The number read (yes/no: 1/0), if any.
    pub value: Option<f64>,
    /// What was typed, when it was not a plain number.
    pub original: Option<String>,
    /// What the value is.
    pub status: ValueStatus,
    /// The "Brak wartości" choice, as typed.
    pub reason: Option<String>,
    /// The comment cell.
    pub comment: Option<String>,
    /// Where the value cell is, e.g. `Wskaźniki!E12`.
    pub cell: Option<String>,
}

/// A task description.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Description {
    /// The task id.
    pub task: String,
    /// The text.
    pub text: String,
    /// Where it is.
    pub cell: String,
}

/// One row of `Działania`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    /// Where the row starts, e.g. `Działania!A5`.
    pub cell: String,
    /// Task id.
    pub task: Option<String>,
    /// Name of the activity.
    pub name: Option<String>,
    /// Start date (ISO), or the text typed if it is not a date.
    pub date_from: Option<String>,
    /// End date, likewise.
    pub date_to: Option<String>,
    /// Number of participants.
    pub participants: Option<f64>,
    /// What was typed for participants, when not a plain number.
    pub participants_text: Option<String>,
    /// Description and notes.
    pub notes: Option<String>,
}

/// One row of `Potrzeby`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Need {
    /// Where the row starts.
    pub cell: String,
    /// What is needed.
    pub description: Option<String>,
    /// Category as typed/chosen.
    pub category: Option<String>,
    /// Task id.
    pub task: Option<String>,
    /// Estimated cost in PLN.
    pub cost: Option<f64>,
    /// What was typed for the cost, when not a plain number.
    pub cost_text: Option<String>,
    /// Priority.
    pub priority: Option<String>,
    /// Justification.
    pub justification: Option<String>,
}

/// One row of `Piecza zastępcza`: a child's placement in foster care.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlacementRow {
    /// Where the row starts.
    pub cell: String,
    /// The child's code.
    pub child: Option<String>,
    /// The form of care: its standard name when recognised, otherwise the text typed.
    pub form: Option<String>,
    /// Placement date (ISO), or the text typed.
    pub placed: Option<String>,
    /// End date (ISO), or the text typed.
    pub ended: Option<String>,
    /// Monthly expense in PLN.
    pub monthly_cost: Option<f64>,
    /// What was typed for the expense, when not a plain number.
    pub monthly_cost_text: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// The first day the row's monthly expense applies (ISO): the date typed in
    /// `Wydatki obowiązują od`, or the placement date when that is empty; the text typed when
    /// it is not a date.
    pub costs_from: Option<String>,
    /// The last day the row's monthly expense applies (ISO), for a usable row: the day before
    /// the same placement's next expense, or its end date; `None` while it continues.
    pub costs_until: Option<String>,
    /// Whether every field was read, so the row enters the co-financing.
    pub usable: bool,
}

/// A typed cell outside the input cells, kept so nothing is lost.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OtherCell {
    /// Sheet name.
    pub sheet: String,
    /// Cell, e.g. `H10`.
    pub cell: String,
    /// Its text (or formula).
    pub text: String,
    /// Why it is here.
    pub reason: String,
}

/// Everything read from one file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Return {
    /// Path relative to the inbox, with `/` separators.
    pub file: String,
    /// Format found in the content.
    pub format: Option<Format>,
    /// Saved-at time inside the file.
    pub modified: Option<String>,
    /// File modification time (seconds since 1970), used to order versions; not kept with
    /// what the file gave (a copy of the same content has another time).
    #[serde(skip)]
    pub file_time: Option<u64>,
    /// The institution, when recognised.
    pub institution: Option<String>,
    /// True if this file's values are for this programme, year and a known institution.
    pub accepted: bool,
    /// True if chosen as the institution's return (false for superseded duplicates).
    pub chosen: bool,
    /// Values in the order found.
    pub values: Vec<CollectedValue>,
    /// Task descriptions.
    pub descriptions: Vec<Description>,
    /// Activities.
    pub activities: Vec<Activity>,
    /// Needs.
    pub needs: Vec<Need>,
    /// Foster-care placements.
    pub placements: Vec<PlacementRow>,
    /// Who filled it in (label, value).
    pub preparer: Vec<(String, String)>,
    /// Other typed cells.
    pub other_cells: Vec<OtherCell>,
    /// Findings about this file.
    pub findings: Vec<Finding>,
}

impl Return {
    /// An empty return for `file`.
    pub fn new(file: &str, format: Option<Format>, modified: Option<String>) -> Self {
        Return {
            file: file.to_string(),
            format,
            modified,
            file_time: None,
            institution: None,
            accepted: false,
            chosen: false,
            values: vec![],
            descriptions: vec![],
            activities: vec![],
            needs: vec![],
            placements: vec![],
            preparer: vec![],
            other_cells: vec![],
            findings: vec![],
        }
    }

    /// Adds a finding, filling in this file and institution.
    pub fn push(&mut self, finding: Finding) {
        let finding = finding.file(&self.file).institution(self.institution.as_deref());
        self.findings.push(finding);
    }

    /// The value of `indicator`, if this file has a row for it.
    pub fn value(&self, indicator: &str) -> Option<&CollectedValue> {
        self.values.iter().find(|v| v.indicator == indicator)
    }
}

/// A file found in the inbox, with what reading it gave.
#[derive(Debug)]
pub struct InboxFile {
    /// Path relative to the inbox, `/`-separated.
    pub relative: String,
    /// Lower-case extension without the dot.
    pub extension: String,
    /// File modification time (seconds since 1970).
    pub file_time: Option<u64>,
    /// The extracted workbook, or why it could not be read.
    pub content: Result<RawWorkbook, ExtractError>,
}

/// How one institution stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Completeness {
    /// Institution id.
    #[serde(rename = "instytucja")]
    pub institution: String,
    /// Institution name.
    #[serde(rename = "nazwa")]
    pub name: String,
    /// The file used, if any.
    #[serde(rename = "plik")]
    pub chosen_file: Option<String>,
    /// Other files of the same institution, not used.
    #[serde(rename = "inne_pliki")]
    pub other_files: Vec<String>,
    /// When the file used was saved, as recorded inside it, in UTC (`2026-01-27T09:30:00Z`).
    #[serde(rename = "zapisano")]
    pub saved: Option<String>,
    /// Errors in the chosen file.
    #[serde(rename = "bledy")]
    pub errors: usize,
    /// Warnings in the chosen file.
    #[serde(rename = "ostrzezenia")]
    pub warnings: usize,
}

/// The result of a collection.
#[derive(Debug, Clone, Serialize)]
pub struct Collection {
    /// Every file read, in path order.
    pub returns: Vec<Return>,
    /// Files skipped without reading (not spreadsheets by extension), with findings.
    pub skipped: Vec<String>,
    /// Editor lock files ignored.
    pub lock_files: Vec<String>,
    /// One entry per institution of the definition, in its order.
    pub completeness: Vec<Completeness>,
    /// Findings not tied to a file (institutions that sent nothing).
    pub findings: Vec<Finding>,
    /// Index in `returns` of each institution's chosen return.
    #[serde(skip)]
    chosen_index: BTreeMap<String, usize>,
}

impl Collection {
    /// Every finding: per file in path order, then the rest.
    pub fn all_findings(&self) -> impl Iterator<Item = &Finding> {
        self.returns.iter().flat_map(|r| r.findings.iter()).chain(self.findings.iter())
    }

    /// Number of findings of `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.all_findings().filter(|f| f.severity == severity).count()
    }

    /// The chosen return of `institution`.
    pub fn chosen(&self, institution: &str) -> Option<&Return> {
        self.chosen_index.get(institution).map(|&i| &self.returns[i])
    }
}

/// Interprets every inbox file and decides, per institution, which return counts (see
/// [`read_file`] and [`assemble`], which the command runs apart so files are interpreted
/// as they are read).
pub fn collect(program: &Program, files: Vec<InboxFile>, skipped: Vec<String>, lock_files: Vec<String>) -> Collection {
    let returns = files.iter().map(|file| read_file(program, file)).collect();
    assemble(program, returns, skipped, lock_files)
}

/// Interprets one inbox file: what reading it gave, against the programme.
pub fn read_file(program: &Program, file: &InboxFile) -> Return {
    let mut ret = match &file.content {
        Ok(raw) => read::read_return(program, &file.relative, &file.extension, raw),
        Err(error) => {
            let mut ret = Return::new(&file.relative, None, None);
            ret.push(unreadable(error));
            ret
        }
    };
    ret.file_time = file.file_time;
    // Findings raised before the identity was known get the institution too.
    let institution = ret.institution.clone();
    for finding in ret.findings.iter_mut().filter(|f| f.institution.is_none()) {
        finding.institution = institution.clone();
    }
    ret
}

/// Puts the interpreted files together (in path order, as `returns` must be): chooses one
/// return per institution, compares it with the others, and says who has not returned.
pub fn assemble(
    program: &Program,
    mut returns: Vec<Return>,
    skipped: Vec<String>,
    lock_files: Vec<String>,
) -> Collection {
    let mut extra_findings = Vec::new();
    for name in &skipped {
        extra_findings.push(
            Finding::new(Code::FileSkipped, "to nie jest arkusz kalkulacyjny (.xlsx, .xlsm, .xls, .ods); pominięto")
                .file(name),
        );
    }
    let by_institution = accepted_by_institution(&returns);
    let chosen_index = choose_returns(&mut returns, &by_institution);
    let completeness =
        completeness_of_institutions(program, &returns, &by_institution, &chosen_index, &mut extra_findings);
    Collection { returns, skipped, lock_files, completeness, findings: extra_findings, chosen_index }
}

/// The indices of the accepted returns, per institution, in path order.
fn accepted_by_institution(returns: &[Return]) -> BTreeMap<String, Vec<usize>> {
    let mut by_institution: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, r) in returns.iter().enumerate().filter(|(_, r)| r.accepted) {
        by_institution.entry(r.institution.clone().unwrap_or_default()).or_default().push(i);
    }
    by_institution
}

/// Chooses one return per institution: newest by the time saved inside the file, then by
/// file time, then by name; the others are listed with what differs. Returns the index of
/// each institution's chosen return.
fn choose_returns(returns: &mut [Return], by_institution: &BTreeMap<String, Vec<usize>>) -> BTreeMap<String, usize> {
    let mut chosen_index = BTreeMap::new();
    for (institution, indices) in by_institution {
        let mut ordered = indices.clone();
        ordered.sort_by(|&a, &b| {
            let (ra, rb) = (&returns[a], &returns[b]);
            (saved_at(ra), ra.file_time, &ra.file).cmp(&(saved_at(rb), rb.file_time, &rb.file)).reverse()
        });
        let chosen = ordered[0];
        returns[chosen].chosen = true;
        chosen_index.insert(institution.clone(), chosen);
        for &other in &ordered[1..] {
            let why = explain_choice(&returns[chosen], &returns[other]);
            let chosen_file = returns[chosen].file.clone();
            returns[other].push(Finding::new(
                Code::Duplicate,
                format!("ta sama instytucja przysłała też „{chosen_file}”; użyto tamtego pliku ({why}), ten pominięto"),
            ));
            for d in version_differences(&returns[chosen], &returns[other]) {
                returns[other].push(d);
            }
        }
    }
    chosen_index
}

/// One finding per indicator whose value in the superseded `other` return differs from the
/// one in the `chosen` return.
fn version_differences(chosen: &Return, other: &Return) -> Vec<Finding> {
    other
        .values
        .iter()
        .filter_map(|old| {
            let new = chosen.value(&old.indicator)?;
            (shown_value(old) != shown_value(new)).then(|| {
                Finding::new(
                    Code::VersionsDiffer,
                    format!(
                        "„{}”: w tym pliku {}, w użytym „{}” {} ({})",
                        old.indicator,
                        shown_value(old),
                        chosen.file,
                        shown_value(new),
                        new.cell.clone().unwrap_or_default()
                    ),
                )
                .at(
                    crate::template::layout::SHEET_INDICATORS,
                    old.cell.as_ref().map(|c| c.rsplit('!').next().unwrap_or(c).to_string()),
                )
                .indicator(&old.indicator)
                .original(Some(shown_value(old)))
            })
        })
        .collect()
}

/// A value as shown when comparing versions: what was typed, the number, or the status.
fn shown_value(v: &CollectedValue) -> String {
    match (v.value, &v.original) {
        (_, Some(o)) => o.clone(),
        (Some(n), None) => crate::polish::number(n),
        (None, None) => v.status.polish().to_string(),
    }
}

/// How each institution of the definition stands; adds a finding for each that has not
/// returned its form.
fn completeness_of_institutions(
    program: &Program,
    returns: &[Return],
    by_institution: &BTreeMap<String, Vec<usize>>,
    chosen_index: &BTreeMap<String, usize>,
    extra_findings: &mut Vec<Finding>,
) -> Vec<Completeness> {
    program
        .institutions
        .iter()
        .map(|inst| {
            let files: Vec<&Return> =
                by_institution.get(&inst.id).into_iter().flatten().map(|&i| &returns[i]).collect();
            let chosen = chosen_index.get(&inst.id).map(|&i| &returns[i]);
            if chosen.is_none() {
                extra_findings.push(
                    Finding::new(
                        Code::NotReturned,
                        format!("{} nie przysłała formularza (albo żaden jej plik nie dał się odczytać)", inst.name),
                    )
                    .institution(Some(&inst.id)),
                );
            }
            Completeness {
                institution: inst.id.clone(),
                name: inst.name.clone(),
                chosen_file: chosen.map(|r| r.file.clone()),
                other_files: files.iter().filter(|r| !r.chosen).map(|r| r.file.clone()).collect(),
                saved: chosen.and_then(saved_at).map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                errors: chosen.map_or(0, |r| r.findings.iter().filter(|f| f.severity == Severity::Error).count()),
                warnings: chosen.map_or(0, |r| r.findings.iter().filter(|f| f.severity == Severity::Warning).count()),
            }
        })
        .collect()
}

/// The save time recorded inside the file, in UTC. Excel and LibreOffice's xlsx/xls write
/// UTC (`…Z`); ODS writes local time without a zone, taken here as Polish winter time
/// (UTC+1), as returns come in January and February.
fn saved_at(r: &Return) -> Option<chrono::NaiveDateTime> {
    saved_at_utc(r.modified.as_deref()?)
}

/// Parses `2026-01-27T09:30:00Z`, `…+01:00` or a zoneless `2026-01-27T10:30:00.123` to UTC.
pub fn saved_at_utc(text: &str) -> Option<chrono::NaiveDateTime> {
    let text = text.trim();
    if let Ok(with_zone) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(with_zone.naive_utc());
    }
    let local = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f")
        .or_else(|_| chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S%.f"))
        .ok()?;
    Some(local - chrono::Duration::hours(1))
}

fn explain_choice(chosen: &Return, other: &Return) -> String {
    match (saved_at(chosen), saved_at(other)) {
        (Some(a), Some(b)) if a != b => {
            format!("zapisany później: {} wobec {} (UTC)", a.format("%d.%m.%Y %H:%M"), b.format("%d.%m.%Y %H:%M"))
        }
        _ if chosen.file_time != other.file_time => "nowszy według daty pliku".to_string(),
        _ => "ta sama data zapisu; wybrano według nazwy pliku".to_string(),
    }
}

/// The finding for a file that could not be read.
pub fn unreadable(error: &ExtractError) -> Finding {
    let code = match error {
        ExtractError::EmptyFile => Code::FileEmpty,
        ExtractError::NotASpreadsheet { .. } => Code::FileNotSpreadsheet,
        ExtractError::Encrypted => Code::FileEncrypted,
        ExtractError::TooLarge { .. } => Code::FileTooLarge,
        ExtractError::Corrupt { .. } => Code::FileCorrupt,
        ExtractError::Unreadable { .. } => Code::FileUnreadable,
    };
    let advice = match error {
        ExtractError::Encrypted => "Poproś o plik bez hasła.",
        ExtractError::TooLarge { .. } => "Poproś o odesłanie samego formularza.",
        ExtractError::Unreadable { .. } => {
            "Sprawdź ten plik w folderze z odesłanymi plikami (uprawnienia, czy nie jest otwarty w innym programie) \
             i uruchom zbieranie ponownie."
        }
        _ => "Poproś instytucję o ponowne przesłanie formularza.",
    };
    Finding::new(code, format!("{error}. {advice}"))
}

#[cfg(test)]
mod tests {
    use super::saved_at_utc;

    #[test]
    fn save_times_with_and_without_zone_compare_in_utc() {
        let xlsx = saved_at_utc("2026-01-27T09:30:00Z").unwrap();
        let ods_local = saved_at_utc("2026-01-27T10:00:00.123456789").unwrap();
        assert!(ods_local < saved_at_utc("2026-01-27T09:31:00Z").unwrap());
        assert_eq!(saved_at_utc("2026-01-27T10:30:00+01:00"), Some(xlsx));
        assert!(ods_local < xlsx + chrono::Duration::minutes(1));
        assert_eq!(saved_at_utc("wczoraj"), None);
    }
}
