//! Reads one returned workbook against the programme: recognises it by its embedded
//! identity, finds every value by indicator id (never by row position), interprets what was
//! typed, and keeps every other typed cell so nothing is lost.

use super::findings::{Code, Finding};
use super::number::{TextReading, read_text};
use super::{Activity, CollectedValue, Description, Need, OtherCell, Return, ValueStatus};
use crate::cell::column_letters;
use crate::program::{Indicator, Institution, Program, ValueType};
use crate::table::{Table, fold, same_folded};
use crate::template::identity::{HIDDEN_SHEET, TemplateIdentity, catalogue_fingerprint, read_identity};
use crate::template::layout::*;
use crate::template::{SheetTexts, TemplateTexts, task_id_of_choice, template_texts};
use crate::workbook::{CellValue, RawCell, RawSheet, RawWorkbook};
use std::collections::{BTreeMap, BTreeSet};

/// Reads `raw` (the file `file`, relative to the inbox, with its extension `extension`).
pub fn read_return(program: &Program, file: &str, extension: &str, raw: &RawWorkbook) -> Return {
    let mut ret = Return::new(file, Some(raw.format), raw.modified.clone());
    report_format_mismatch(extension, raw, &mut ret);
    let Some(institution) = accept_identity(program, raw, &mut ret) else { return ret };
    let (screened, findings) = super::screen::screen(raw);
    for finding in findings {
        ret.push(finding);
    }
    read_form_sheets(program, institution, screened.as_ref(), &mut ret);
    ret
}

/// Notes a file whose content is in another format than its extension says.
fn report_format_mismatch(extension: &str, raw: &RawWorkbook, ret: &mut Return) {
    if !raw.format.matches_extension(extension) {
        ret.push(Finding::new(
            Code::FormatMismatch,
            format!(
                "plik ma rozszerzenie .{extension}, ale jest w formacie .{}; odczytano go mimo to",
                raw.format.extension()
            ),
        ));
    }
}

/// Recognises the file by its embedded identity and accepts it when it is this programme's
/// form for this year from a known institution; returns that institution.
fn accept_identity<'p>(program: &'p Program, raw: &RawWorkbook, ret: &mut Return) -> Option<&'p Institution> {
    let reading = read_identity(raw);
    let Some(identity) = reading.identity().cloned() else {
        ret.push(Finding::new(
            Code::NoIdentity,
            "nie znaleziono identyfikatora GPWR: to nie jest formularz wygenerowany przez gpwr (albo skopiowano go bez arkusza „Instrukcja” i pieczątki GPWR-ID). Poproś instytucję o odesłanie danych w jej formularzu.",
        ));
        return None;
    };
    ret.institution = Some(identity.institution_id.clone());
    if reading.sources_disagree() {
        let sources: Vec<String> = reading
            .found
            .iter()
            .map(|(s, id)| format!("{s}: instytucja {}, rok {}", id.institution_id, id.report_year))
            .collect();
        ret.push(Finding::new(
            Code::IdentityInconsistent,
            format!(
                "kopie identyfikatora się różnią ({}); przyjęto instytucję {}",
                sources.join("; "),
                identity.institution_id
            ),
        ));
    }
    let institution = known_institution_this_year(program, &identity, ret)?;
    if identity.catalogue_fingerprint != catalogue_fingerprint(program, &institution.id) {
        ret.push(Finding::new(
            Code::CatalogueChanged,
            "formularz powstał z innej listy wskaźników niż obecna definicja; wartości odczytano według identyfikatorów, brakujące wiersze zgłoszono osobno",
        ));
    }
    ret.accepted = true;
    Some(institution)
}

/// The identity's institution when the form is for this programme and year and the
/// institution is in the definition; otherwise says why the file is skipped.
fn known_institution_this_year<'p>(
    program: &'p Program,
    identity: &TemplateIdentity,
    ret: &mut Return,
) -> Option<&'p Institution> {
    if identity.program_id != program.settings.program_id {
        ret.push(Finding::new(
            Code::OtherProgramme,
            format!(
                "formularz programu „{}”, a zbierane są dane programu „{}”; pominięto go",
                identity.program_id, program.settings.program_id
            ),
        ));
        return None;
    }
    if identity.report_year != program.settings.report_year {
        ret.push(Finding::new(
            Code::OtherYear,
            format!(
                "formularz za rok {}, a zbierane są dane za rok {}; pominięto go. Poproś o formularz za rok {}.",
                identity.report_year, program.settings.report_year, program.settings.report_year
            ),
        ));
        return None;
    }
    let institution = program.institution(&identity.institution_id);
    if institution.is_none() {
        ret.push(Finding::new(
            Code::UnknownInstitution,
            format!(
                "instytucji „{}” nie ma w arkuszu „Instytucje” definicji programu; pominięto formularz",
                identity.institution_id
            ),
        ));
    }
    institution
}

/// Reads every sheet of an accepted form, then keeps what was typed outside its tables and
/// on sheets the form does not have.
fn read_form_sheets(program: &Program, institution: &Institution, raw: &RawWorkbook, ret: &mut Return) {
    let mut expected_sheets = vec![SHEET_INSTRUCTIONS, SHEET_INDICATORS, SHEET_ACTIVITIES, SHEET_NEEDS, HIDDEN_SHEET];
    // What the template holds, rebuilt once per return: typed cells are told from it.
    let template = template_texts(program, institution);
    read_indicators(program, &institution.id, raw, ret);
    if !program.tables_for(&institution.id).is_empty() {
        expected_sheets.push(SHEET_TABLES);
        super::read_tables::read_tables(program, institution, &template, raw, ret);
    }
    super::parts::settle_parts_of_inapplicable_wholes(program, ret);
    read_activities(program, raw, ret);
    read_needs(program, raw, ret);
    if crate::template::reports_placements(program, institution) {
        expected_sheets.push(SHEET_PLACEMENTS);
        super::placements::read_placements(program, raw, ret);
    }
    read_preparer(raw, ret);
    record_cells_outside_tables(&template, raw, ret);
    record_extra_sheets(raw, &expected_sheets, ret);
}

/// Keeps every cell of the non-empty sheets that are not among `expected_sheets`.
fn record_extra_sheets(raw: &RawWorkbook, expected_sheets: &[&str], ret: &mut Return) {
    for sheet in &raw.sheets {
        if expected_sheets.iter().any(|s| same_folded(s, &sheet.name)) || sheet.cells.is_empty() {
            continue;
        }
        ret.push(
            Finding::new(
                Code::ExtraSheet,
                format!(
                    "arkusz „{}” nie pochodzi z formularza; jego {} komórek zapisano w inne_komorki.csv",
                    sheet.name,
                    sheet.cells.len()
                ),
            )
            .at(&sheet.name, None),
        );
        for cell in &sheet.cells {
            ret.other(sheet, cell, "dodatkowy arkusz");
        }
    }
}

/// Reads the `Wskaźniki` sheet: every indicator row by its id, the task descriptions, and
/// what was typed elsewhere; reports the indicators whose row is missing.
fn read_indicators(program: &Program, institution: &str, raw: &RawWorkbook, ret: &mut Return) {
    let Some(sheet) = raw.sheet(SHEET_INDICATORS) else {
        ret.push(Finding::new(
            Code::SheetMissing,
            format!("brak arkusza „{SHEET_INDICATORS}”: nie odczytano żadnej wartości. Poproś o odesłanie całego formularza."),
        ));
        return;
    };
    let Some(cols) = locate_indicator_columns(sheet, ret) else { return };
    let mut rows: BTreeMap<u32, Vec<&RawCell>> = BTreeMap::new();
    for cell in sheet.cells.iter().filter(|c| c.row > cols.header_row) {
        rows.entry(cell.row).or_default().push(cell);
    }
    let mut reader = IndicatorRows::new(program, institution, sheet, cols);
    for (row, cells) in rows {
        reader.read_row(row, cells, ret);
    }
    reader.report_missing_rows(ret);
}

/// Where the columns of the `Wskaźniki` table are.
struct IndicatorColumns {
    /// The row of the headers.
    header_row: u32,
    /// `ID`.
    id: u32,
    /// `Wartość`.
    value: u32,
    /// `Brak wartości`, if present.
    reason: Option<u32>,
    /// `Komentarz`, if present.
    comment: Option<u32>,
    /// Every column of the template's table.
    template: BTreeSet<u32>,
    /// The columns a person types into.
    input: BTreeSet<u32>,
}

/// Finds the `Wskaźniki` table's columns by their headers, or reports the missing ones.
fn locate_indicator_columns(sheet: &RawSheet, ret: &mut Return) -> Option<IndicatorColumns> {
    let grid = sheet.grid();
    let table = match Table::locate(&sheet.name, &grid, &[COL_ID, COL_VALUE]) {
        Ok(t) => t,
        Err(missing) => {
            ret.push(
                Finding::new(
                    Code::ColumnMissing,
                    format!(
                        "w arkuszu brak nagłówka kolumny {}: nie odczytano wartości. Przywróć nagłówki formularza.",
                        missing.iter().map(|m| format!("„{m}”")).collect::<Vec<_>>().join(", ")
                    ),
                )
                .at(&sheet.name, None),
            );
            return None;
        }
    };
    let col = |h: &str| table.column(h);
    let (id, value) = (col(COL_ID).unwrap_or(0), col(COL_VALUE).unwrap_or(4));
    let reason = col(COL_NO_VALUE);
    let comment = col(COL_COMMENT);
    Some(IndicatorColumns {
        header_row: table_header(&table),
        id,
        value,
        reason,
        comment,
        template: INDICATOR_HEADERS.iter().filter_map(|h| col(h)).collect(),
        input: [Some(value), reason, comment].into_iter().flatten().collect(),
    })
}

fn table_header(table: &Table) -> u32 {
    table.header_ref(COL_ID).row
}

/// Reads the rows of the `Wskaźniki` table one by one, remembering which indicators were found.
struct IndicatorRows<'a> {
    program: &'a Program,
    institution: &'a str,
    sheet: &'a RawSheet,
    cols: IndicatorColumns,
    /// The institution's indicators by id.
    indicators: BTreeMap<&'a str, &'a Indicator>,
    /// The goal and task title rows the template has.
    titles: BTreeSet<String>,
    /// Where each indicator's row was first found.
    seen: BTreeMap<String, String>,
}

impl<'a> IndicatorRows<'a> {
    /// A reader of `sheet`'s rows for `institution`'s indicators.
    fn new(program: &'a Program, institution: &'a str, sheet: &'a RawSheet, cols: IndicatorColumns) -> Self {
        let indicators = program.listed_indicators_for(institution).map(|i| (i.id.as_str(), i)).collect();
        let titles = program
            .goals
            .iter()
            .map(|g| format!("Cel {}. {}", g.id, g.name))
            .chain(program.tasks.iter().map(|t| format!("Zadanie {}. {}", t.id, t.name)))
            .chain(program.tasks.iter().filter_map(|t| crate::template::tables_note(program, institution, &t.id)))
            .collect();
        IndicatorRows { program, institution, sheet, cols, indicators, titles, seen: BTreeMap::new() }
    }

    /// The A1 name of column `col` in `row`.
    fn at(row: u32, col: u32) -> String {
        format!("{}{}", column_letters(col), row + 1)
    }

    /// Reads one row according to what its `ID` cell holds.
    fn read_row(&mut self, row: u32, cells: Vec<&RawCell>, ret: &mut Return) {
        let id = self.sheet.cell(row, self.cols.id).and_then(|c| c.value.text());
        match id.as_deref() {
            Some(id) if id.starts_with(DESCRIPTION_ID_PREFIX) => {
                let task = id[DESCRIPTION_ID_PREFIX.len()..].trim().to_string();
                self.read_description_row(row, task, &cells, ret);
            }
            Some(id) if self.indicators.contains_key(id) => self.read_indicator_row(row, id, &cells, ret),
            Some(other_id) => self.record_unknown_row(row, other_id, &cells, ret),
            None => self.record_untagged_cells(row, &cells, ret),
        }
    }

    /// Reads the description of `task`, typed into the merged input starting under `Wartość`.
    fn read_description_row(&self, row: u32, task: String, cells: &[&RawCell], ret: &mut Return) {
        let (sheet, cols) = (self.sheet, &self.cols);
        for cell in cells.iter().filter(|c| c.col != cols.id && !(c.col < cols.value && cols.template.contains(&c.col)))
        {
            match cell.value.text() {
                Some(text) if cell.col == cols.value => ret.descriptions.push(Description {
                    task: task.clone(),
                    text,
                    cell: format!("{}!{}", sheet.name, Self::at(row, cell.col)),
                }),
                _ => ret.other(sheet, cell, "komórka w wierszu opisu poza polem opisu"),
            }
        }
    }

    /// Reads the value, reason and comment of indicator `id`; a repeated row is kept aside.
    fn read_indicator_row(&mut self, row: u32, id: &str, cells: &[&RawCell], ret: &mut Return) {
        let (sheet, cols) = (self.sheet, &self.cols);
        let at = |c: u32| Self::at(row, c);
        if let Some(first) = self.seen.get(id) {
            ret.push(
                Finding::new(
                    Code::RowRepeated,
                    format!("wskaźnik „{id}” występuje drugi raz (pierwszy w {first}); użyto pierwszego wiersza, ten zapisano w inne_komorki.csv"),
                )
                .at(&sheet.name, Some(at(cols.id)))
                .indicator(id),
            );
            for cell in cells.iter().filter(|c| c.col != cols.id) {
                ret.other(sheet, cell, "powtórzony wiersz wskaźnika");
            }
            return;
        }
        self.seen.insert(id.to_string(), format!("{}!{}", sheet.name, at(cols.id)));
        let value = sheet.cell(row, cols.value);
        let reason = cols.reason.and_then(|c| sheet.cell(row, c)).and_then(|c| c.value.text());
        let comment = cols.comment.and_then(|c| sheet.cell(row, c)).and_then(|c| c.value.text());
        let reason_at = cols.reason.map(&at);
        let indicator = self.indicators[id];
        let collected = read_value(indicator, value, reason, reason_at, comment, &sheet.name, &at(cols.value), ret);
        ret.values.push(collected);
        for cell in cells.iter().filter(|c| !cols.template.contains(&c.col)) {
            ret.other(sheet, cell, "komórka poza kolumnami formularza");
        }
    }

    /// Keeps a row whose id is not one of the institution's indicators.
    fn record_unknown_row(&self, row: u32, other_id: &str, cells: &[&RawCell], ret: &mut Return) {
        let sheet = self.sheet;
        let message = if self.program.indicators.iter().any(|i| i.id == other_id) {
            format!("wskaźnik „{other_id}” nie należy do tej instytucji; wiersz zapisano w inne_komorki.csv")
        } else {
            format!("nieznany identyfikator „{other_id}”; wiersz zapisano w inne_komorki.csv")
        };
        let original = self.cols.input.iter().filter_map(|c| sheet.cell(row, *c)).find_map(|c| c.value.text());
        ret.push(
            Finding::new(Code::UnknownIndicator, message)
                .at(&sheet.name, Some(Self::at(row, self.cols.id)))
                .original(original),
        );
        for cell in cells {
            ret.other(sheet, cell, "wiersz z nieznanym identyfikatorem");
        }
    }

    /// Keeps what was typed in a row without an id, except the template's goal and task titles.
    fn record_untagged_cells(&self, row: u32, cells: &[&RawCell], ret: &mut Return) {
        for cell in cells {
            let text = cell.value.text().unwrap_or_default();
            let is_title = self.titles.contains(&text);
            if !is_title {
                ret.push(
                    Finding::new(
                        Code::CellOutsideForm,
                        "wpis poza polami formularza; zachowano go w inne_komorki.csv, sprawdź, czy nie należy do któregoś wskaźnika",
                    )
                    .at(&self.sheet.name, Some(Self::at(row, cell.col)))
                    .original(cell.value.text()),
                );
                ret.other(self.sheet, cell, "poza polami formularza");
            }
        }
    }

    /// Reports every indicator of the institution whose row was not found, and records it as missing.
    fn report_missing_rows(&self, ret: &mut Return) {
        for indicator in self.program.listed_indicators_for(self.institution) {
            if !self.seen.contains_key(&indicator.id) {
                ret.push(
                    Finding::new(
                        Code::RowMissing,
                        format!(
                            "brak wiersza wskaźnika „{}” ({}): wiersz usunięto albo zmieniono jego ID. Przywróć wiersz z formularza.",
                            indicator.id, indicator.label
                        ),
                    )
                    .at(&self.sheet.name, None)
                    .indicator(&indicator.id),
                );
                ret.values.push(CollectedValue::missing_row(&indicator.id));
            }
        }
    }
}

/// Interprets one indicator's value cell, reason and comment.
#[allow(clippy::too_many_arguments)]
pub(super) fn read_value(
    indicator: &Indicator,
    cell: Option<&RawCell>,
    reason: Option<String>,
    reason_at: Option<String>,
    comment: Option<String>,
    sheet: &str,
    at: &str,
    ret: &mut Return,
) -> CollectedValue {
    let mut out = CollectedValue {
        indicator: indicator.id.clone(),
        value: None,
        original: None,
        status: ValueStatus::Empty,
        reason: reason.clone(),
        comment,
        cell: Some(format!("{sheet}!{at}")),
    };
    let finding = |code: Code, message: String, original: &Option<String>| {
        Finding::new(code, message).at(sheet, Some(at.to_string())).indicator(&indicator.id).original(original.clone())
    };
    let value = cell.map(|c| c.value.clone()).unwrap_or(CellValue::Empty);
    let formula = cell.and_then(|c| c.formula.clone());
    out.original = match (&value, &formula) {
        (CellValue::Empty, Some(f)) => Some(format!("={}", f.trim_start_matches('='))),
        (CellValue::Text(_) | CellValue::Date(_) | CellValue::Error(_) | CellValue::Bool(_), _) => value.text(),
        _ => None,
    };
    let number = read_value_cell(indicator.value_type, &value, formula.is_some(), &mut out, &finding, ret);
    if let Some(n) = number {
        out.value = Some(n);
        out.status = ValueStatus::Value;
        check_number(indicator, n, &out.original, &finding, ret);
    }
    apply_reason(indicator, reason.as_deref(), reason_at, sheet, at, &mut out, ret);
    report_required_missing(indicator, &out, sheet, at, ret);
    out
}

/// Reads the value cell: the number it holds (yes/no as 1/0), if any; otherwise sets the
/// status and says what is wrong.
fn read_value_cell(
    value_type: ValueType,
    value: &CellValue,
    has_formula: bool,
    out: &mut CollectedValue,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) -> Option<f64> {
    match (value, value_type) {
        (CellValue::Empty, _) if has_formula => {
            out.status = ValueStatus::Error;
            ret.push(finding(
                Code::FormulaWithoutResult,
                "komórka zawiera formułę bez zapisanego wyniku (plik zapisał program, który nie przelicza formuł); wpisz wartość liczbą albo zapisz plik w Excelu/LibreOffice".into(),
                &out.original,
            ));
            None
        }
        (CellValue::Empty, _) => None,
        (CellValue::Error(e), _) => {
            out.status = ValueStatus::Error;
            ret.push(finding(
                Code::CellError,
                format!("komórka zawiera błąd {e}; wpisz wartość liczbą"),
                &out.original,
            ));
            None
        }
        (CellValue::Date(d), ValueType::YesNo) | (CellValue::Date(d), _) => {
            out.status = ValueStatus::Text;
            ret.push(finding(
                Code::DateNotNumber,
                format!("w komórce jest data {d} zamiast liczby (arkusz zamienia np. „3.5” na 3 maja); wpisz liczbę z przecinkiem: 3,5"),
                &out.original,
            ));
            None
        }
        (_, ValueType::TaskStatus) => read_task_status(&value.text().unwrap_or_default(), out, finding, ret),
        (CellValue::Bool(b), ValueType::YesNo) => Some(if *b { 1.0 } else { 0.0 }),
        (CellValue::Number(n), ValueType::YesNo) if *n == 0.0 || *n == 1.0 => Some(*n),
        (_, ValueType::YesNo) => read_yes_no_text(&value.text().unwrap_or_default(), out, finding, ret),
        (CellValue::Number(n), _) => Some(*n),
        (CellValue::Bool(_), _) => {
            out.status = ValueStatus::Text;
            ret.push(finding(
                Code::TextNotNumber,
                "w komórce jest wartość logiczna zamiast liczby; wpisz liczbę".into(),
                &out.original,
            ));
            None
        }
        (CellValue::Text(text), _) => read_number_text(text, out, finding, ret),
    }
}

/// Reads a yes/no answer typed as text (or as a number other than 1 and 0).
fn read_yes_no_text(
    text: &str,
    out: &mut CollectedValue,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) -> Option<f64> {
    match fold(text).as_str() {
        "tak" | "t" | "yes" | "prawda" | "true" => Some(1.0),
        "nie" | "n" | "no" | "falsz" | "false" => Some(0.0),
        _ => {
            match read_text(text) {
                TextReading::NotApplicable => reason_typed(out, ValueStatus::NotApplicable, finding, ret),
                TextReading::NoData => reason_typed(out, ValueStatus::NoData, finding, ret),
                _ => {
                    out.status = ValueStatus::Text;
                    out.original = Some(text.to_string());
                    ret.push(finding(
                        Code::NotYesNo,
                        format!("„{text}” nie jest odpowiedzią „tak” ani „nie”; wybierz z listy"),
                        &out.original,
                    ));
                }
            }
            None
        }
    }
}

/// Reads the state of a task chosen (or typed) in its cell: its code, or "nie dotyczy" as
/// the not-applicable state, or a finding for anything else (the text is kept).
fn read_task_status(
    text: &str,
    out: &mut CollectedValue,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) -> Option<f64> {
    if let Some(status) = crate::program::TaskStatus::parse(text) {
        out.original = Some(text.trim().to_string());
        return Some(status.code());
    }
    match read_text(text) {
        TextReading::NotApplicable => out.status = ValueStatus::NotApplicable,
        TextReading::NoData => out.status = ValueStatus::NoData,
        _ => {
            out.status = ValueStatus::Text;
            out.original = Some(text.to_string());
            ret.push(finding(
                Code::NotTaskStatus,
                format!(
                    "„{}” nie jest stanem realizacji zadania; wybierz z listy „zrealizowano”, „w trakcie”, „nie zrealizowano” albo „nie dotyczy”",
                    text.trim()
                ),
                &out.original,
            ));
        }
    }
    None
}

/// Reads a number typed as text, or the reason, dash or text typed instead of it.
fn read_number_text(
    text: &str,
    out: &mut CollectedValue,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) -> Option<f64> {
    match read_text(text) {
        TextReading::Number { value, approximate, ambiguous } => {
            report_number_from_text(text, value, approximate, ambiguous, &out.original, finding, ret);
            return Some(value);
        }
        TextReading::NotApplicable => reason_typed(out, ValueStatus::NotApplicable, finding, ret),
        TextReading::NoData => reason_typed(out, ValueStatus::NoData, finding, ret),
        TextReading::Dash => {
            out.status = ValueStatus::NoData;
            ret.push(finding(
                Code::Dash,
                "wpisano „-”: przyjęto „brak danych”, nie 0. Jeśli chodziło o zero, wpisz 0; jeśli wskaźnik nie dotyczy instytucji, wybierz „nie dotyczy”.".into(),
                &out.original,
            ));
        }
        TextReading::Text => {
            out.status = ValueStatus::Text;
            ret.push(finding(
                Code::TextNotNumber,
                format!("„{}” nie jest liczbą; tekst zachowano, ale nie wchodzi do sum. Wpisz liczbę, a opis przenieś do komentarza.", text.trim()),
                &out.original,
            ));
        }
    }
    None
}

/// Says how a number typed as text was read: ambiguously, approximately or plainly.
fn report_number_from_text(
    text: &str,
    value: f64,
    approximate: bool,
    ambiguous: bool,
    original: &Option<String>,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) {
    let shown = crate::polish::number(value);
    if ambiguous {
        ret.push(finding(
            Code::AmbiguousNumber,
            format!(
                "„{}” odczytano jako {shown} (w polskim zapisie kropka oddziela tysiące, przecinek części dziesiętne); jeśli chodziło o co innego, popraw wartość",
                text.trim()
            ),
            original,
        ));
    } else if approximate {
        ret.push(finding(
            Code::Approximate,
            format!("wartość przybliżona „{}”: odczytano {shown}; jeśli znasz dokładną liczbę, wpisz ją", text.trim()),
            original,
        ));
    } else {
        ret.push(finding(
            Code::NumberFromText,
            format!("liczbę wpisano jako tekst „{}”: odczytano {shown}", text.trim()),
            original,
        ));
    }
}

/// Applies the `Brak wartości` column: the status of an empty value, or a finding when it
/// contradicts the value or is not one of the choices.
fn apply_reason(
    indicator: &Indicator,
    reason: Option<&str>,
    reason_at: Option<String>,
    sheet: &str,
    at: &str,
    out: &mut CollectedValue,
    ret: &mut Return,
) {
    match reason.map(read_text) {
        None => {}
        Some(r @ (TextReading::NotApplicable | TextReading::NoData)) => {
            let status = if r == TextReading::NotApplicable { ValueStatus::NotApplicable } else { ValueStatus::NoData };
            if out.status == ValueStatus::Value {
                ret.push(
                    Finding::new(
                        Code::ValueAndReason,
                        format!(
                            "podano wartość i jednocześnie „{}”; przyjęto wartość. Usuń jedno z nich.",
                            reason.unwrap_or_default()
                        ),
                    )
                    .at(sheet, Some(at.to_string()))
                    .indicator(&indicator.id),
                );
            } else if out.status == ValueStatus::Empty {
                out.status = status;
            }
        }
        Some(_) => ret.push(
            Finding::new(
                Code::UnknownReason,
                format!(
                    "w kolumnie „{COL_NO_VALUE}” wpisano „{}”; wybierz „nie dotyczy” albo „brak danych”",
                    reason.unwrap_or_default()
                ),
            )
            .at(sheet, Some(reason_at.unwrap_or_else(|| at.to_string())))
            .indicator(&indicator.id)
            .original(reason.map(str::to_string)),
        ),
    }
}

/// Reports a required indicator left without a value or a reason.
fn report_required_missing(indicator: &Indicator, out: &CollectedValue, sheet: &str, at: &str, ret: &mut Return) {
    if out.status == ValueStatus::Empty && indicator.required {
        ret.push(
            Finding::new(
                Code::RequiredMissing,
                format!(
                    "brak wymaganej wartości „{}”; {}",
                    indicator.label,
                    match indicator.value_type {
                        ValueType::TaskStatus => "wybierz stan realizacji z listy".to_string(),
                        _ if indicator.cell.is_some() => {
                            "wpisz liczbę albo „nie dotyczy”/„brak danych” w tę komórkę tabeli".to_string()
                        }
                        ValueType::YesNo => {
                            format!("wybierz „tak” lub „nie” albo wybierz „nie dotyczy”/„brak danych” w kolumnie „{COL_NO_VALUE}”")
                        }
                        _ => format!("wpisz liczbę albo wybierz „nie dotyczy”/„brak danych” w kolumnie „{COL_NO_VALUE}”"),
                    }
                ),
            )
            .at(sheet, Some(at.to_string()))
            .indicator(&indicator.id),
        );
    }
}

fn reason_typed(
    out: &mut CollectedValue,
    status: ValueStatus,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) {
    out.status = status;
    ret.push(finding(
        Code::ReasonInValueCell,
        format!(
            "„{}” wpisano w polu wartości; przyjęto „{}”",
            out.original.clone().unwrap_or_default(),
            status.polish()
        ),
        &out.original,
    ));
}

fn check_number(
    indicator: &Indicator,
    n: f64,
    original: &Option<String>,
    finding: &dyn Fn(Code, String, &Option<String>) -> Finding,
    ret: &mut Return,
) {
    let shown = crate::polish::number;
    if matches!(indicator.value_type, ValueType::YesNo | ValueType::TaskStatus) {
        return;
    }
    // Findings about a plain number still show what was in the cell.
    let original = &original.clone().or_else(|| Some(crate::polish::number(n)));
    if n < 0.0 && indicator.min.is_none_or(|m| m >= 0.0) {
        ret.push(finding(
            Code::Negative,
            format!("wartość ujemna {}; liczby i kwoty nie mogą być ujemne", shown(n)),
            original,
        ));
        return;
    }
    if indicator.value_type == ValueType::WholeCount && n.fract() != 0.0 {
        ret.push(finding(
            Code::FractionInCount,
            format!(
                "{} nie jest liczbą całkowitą, a „{}” liczy się w całości ({})",
                shown(n),
                indicator.label,
                indicator.unit
            ),
            original,
        ));
    }
    if indicator.value_type == ValueType::Amount && ((n * 100.0).round() - n * 100.0).abs() > 1e-6 {
        ret.push(finding(
            Code::TooManyDecimals,
            format!(
                "kwota {} ma więcej niż 2 miejsca po przecinku; zachowano ją bez zaokrąglania, sprawdź grosze",
                shown(n)
            ),
            original,
        ));
    }
    let below = indicator.min.is_some_and(|m| n < m);
    let above = indicator.max.is_some_and(|m| n > m);
    if below || above {
        let range = match (indicator.min, indicator.max) {
            (Some(lo), Some(hi)) => format!("od {} do {}", shown(lo), shown(hi)),
            (Some(lo), None) => format!("co najmniej {}", shown(lo)),
            (None, Some(hi)) => format!("od 0 do {}", shown(hi)),
            (None, None) => String::new(),
        };
        ret.push(finding(
            Code::OutOfBounds,
            format!("wartość {} jest poza zakresem wiarygodności ({range}); sprawdź ją", shown(n)),
            original,
        ));
    }
}

/// Text of a cell by header, or `None`.
pub(super) fn text_at(sheet: &RawSheet, row: u32, col: Option<u32>) -> Option<String> {
    col.and_then(|c| sheet.cell(row, c)).and_then(|c| c.value.text())
}

/// Data rows of a table sheet: every row below the header with at least one cell.
pub(super) fn data_rows(sheet: &RawSheet, header_row: u32) -> BTreeMap<u32, Vec<&RawCell>> {
    let mut rows: BTreeMap<u32, Vec<&RawCell>> = BTreeMap::new();
    for cell in sheet.cells.iter().filter(|c| c.row > header_row && c.value.text().is_some()) {
        rows.entry(cell.row).or_default().push(cell);
    }
    rows
}

/// The date in `col` of `row` (ISO), or the text typed, and whether it is a date (an empty
/// cell is `(None, true)`).
pub(super) fn read_date(sheet: &RawSheet, row: u32, col: Option<u32>) -> (Option<String>, bool) {
    let Some(cell) = col.and_then(|c| sheet.cell(row, c)) else { return (None, true) };
    match &cell.value {
        CellValue::Date(d) => (Some(d.get(..10).unwrap_or(d).to_string()), true),
        CellValue::Empty => (None, true),
        other => {
            let text = other.text().unwrap_or_default();
            let parsed = chrono::NaiveDate::parse_from_str(text.trim_end_matches("r.").trim(), "%d.%m.%Y")
                .or_else(|_| chrono::NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d"));
            match parsed {
                Ok(d) => (Some(d.to_string()), true),
                Err(_) => (Some(text), false),
            }
        }
    }
}

/// The number in `col` of `row`, the text typed when it was not a plain number, and whether
/// it is a number not below zero (an empty cell is `(None, None, true)`).
pub(super) fn read_count(sheet: &RawSheet, row: u32, col: Option<u32>) -> (Option<f64>, Option<String>, bool) {
    let Some(cell) = col.and_then(|c| sheet.cell(row, c)) else { return (None, None, true) };
    match &cell.value {
        CellValue::Number(n) => (Some(*n), None, *n >= 0.0),
        CellValue::Empty => (None, None, true),
        other => {
            let text = other.text();
            match text.as_deref().map(read_text) {
                Some(TextReading::Number { value, .. }) => (Some(value), text, value >= 0.0),
                _ => (None, text, false),
            }
        }
    }
}

fn read_activities(program: &Program, raw: &RawWorkbook, ret: &mut Return) {
    let Some(sheet) = raw.sheet(SHEET_ACTIVITIES) else { return };
    let grid = sheet.grid();
    let Ok(table) = Table::locate(&sheet.name, &grid, &[ACTIVITY_HEADERS[0], ACTIVITY_HEADERS[1]]) else {
        for cell in &sheet.cells {
            ret.other(sheet, cell, "arkusz Działania bez nagłówków");
        }
        return;
    };
    let header_row = table.header_ref(ACTIVITY_HEADERS[0]).row;
    let cols: Vec<Option<u32>> = ACTIVITY_HEADERS.iter().map(|h| table.column(h)).collect();
    for (row, cells) in data_rows(sheet, header_row) {
        let (date_from, ok_from) = read_date(sheet, row, cols[2]);
        let (date_to, ok_to) = read_date(sheet, row, cols[3]);
        let (participants, participants_text, ok_count) = read_count(sheet, row, cols[4]);
        let task = text_at(sheet, row, cols[0]);
        let ok_task = task.as_deref().is_none_or(|t| program.task(task_id_of_choice(t)).is_some());
        let mut problems = Vec::new();
        if !ok_from || !ok_to {
            problems.push((if ok_from { cols[3] } else { cols[2] }, "datę (wpisz dd.mm.rrrr)"));
        }
        if !ok_count {
            problems.push((cols[4], "liczbę uczestników"));
        }
        if !ok_task {
            problems.push((cols[0], "zadanie (wybierz z listy)"));
        }
        report_unreadable(ret, sheet, row, Code::ActivityInvalid, "w działaniu", &problems);
        for (date, header) in [(&date_from, ACTIVITY_HEADERS[2]), (&date_to, ACTIVITY_HEADERS[3])] {
            let year = date.as_deref().and_then(|d| d.get(..4)).and_then(|y| y.parse::<i32>().ok());
            if let Some(year) = year.filter(|y| *y != program.settings.report_year) {
                let col = table.column(header).unwrap_or(0);
                ret.push(
                    Finding::new(
                        Code::DateOutsideYear,
                        format!(
                            "data z roku {year} w sprawozdaniu za rok {}; sprawdź datę",
                            program.settings.report_year
                        ),
                    )
                    .at(&sheet.name, Some(format!("{}{}", column_letters(col), row + 1)))
                    .original(date.clone()),
                );
            }
        }
        ret.activities.push(Activity {
            cell: format!("{}!A{}", sheet.name, row + 1),
            task: task.map(|t| known_task_or_text(program, t)),
            name: text_at(sheet, row, cols[1]),
            date_from,
            date_to,
            participants,
            participants_text,
            notes: text_at(sheet, row, cols[5]),
        });
        for cell in cells.into_iter().filter(|c| !cols.contains(&Some(c.col))) {
            ret.other(sheet, cell, "poza kolumnami arkusza Działania");
        }
    }
}

/// One finding for a table row with cells that could not be read, at the first such cell.
fn report_unreadable(
    ret: &mut Return,
    sheet: &RawSheet,
    row: u32,
    code: Code,
    what: &str,
    problems: &[(Option<u32>, &str)],
) {
    let Some((first_col, _)) = problems.first() else { return };
    let list = problems.iter().map(|(_, p)| *p).collect::<Vec<_>>().join(", ");
    ret.push(
        Finding::new(code, format!("{what} w wierszu {} nie udało się odczytać: {list}; zachowano tekst", row + 1))
            .at(&sheet.name, Some(sheet.cell_ref(row, first_col.unwrap_or(0)).a1())),
    );
}

/// The task id when `text` names a known task, otherwise the text itself (never lost).
fn known_task_or_text(program: &Program, text: String) -> String {
    let id = task_id_of_choice(&text);
    if program.task(id).is_some() { id.to_string() } else { text }
}

fn read_needs(program: &Program, raw: &RawWorkbook, ret: &mut Return) {
    let Some(sheet) = raw.sheet(SHEET_NEEDS) else { return };
    let grid = sheet.grid();
    let Ok(table) = Table::locate(&sheet.name, &grid, &[NEED_HEADERS[0], NEED_HEADERS[3]]) else {
        for cell in &sheet.cells {
            ret.other(sheet, cell, "arkusz Potrzeby bez nagłówków");
        }
        return;
    };
    let header_row = table.header_ref(NEED_HEADERS[0]).row;
    let cols: Vec<Option<u32>> = NEED_HEADERS.iter().map(|h| table.column(h)).collect();
    for (row, cells) in data_rows(sheet, header_row) {
        let (cost, cost_text, ok_cost) = read_count(sheet, row, cols[3]);
        let category = text_at(sheet, row, cols[1]);
        let ok_category = category.as_deref().is_none_or(|c| program.need_category(c).is_some());
        let task = text_at(sheet, row, cols[2]);
        let ok_task = task.as_deref().is_none_or(|t| program.task(task_id_of_choice(t)).is_some());
        let mut problems = Vec::new();
        if !ok_cost {
            problems.push((cols[3], "kosztu (wpisz kwotę w zł, samą liczbę)"));
        }
        if !ok_category {
            problems.push((cols[1], "kategorii (wybierz z listy)"));
        }
        if !ok_task {
            problems.push((cols[2], "zadania (wybierz z listy)"));
        }
        report_unreadable(ret, sheet, row, Code::NeedInvalid, "w potrzebie", &problems);
        ret.needs.push(Need {
            cell: format!("{}!A{}", sheet.name, row + 1),
            description: text_at(sheet, row, cols[0]),
            category,
            task: task.map(|t| known_task_or_text(program, t)),
            cost,
            cost_text,
            priority: text_at(sheet, row, cols[4]),
            justification: text_at(sheet, row, cols[5]),
        });
        for cell in cells.into_iter().filter(|c| !cols.contains(&Some(c.col))) {
            ret.other(sheet, cell, "poza kolumnami arkusza Potrzeby");
        }
    }
}

/// Keeps what was typed outside the tables: anywhere on `Instrukcja` except the preparer
/// fields, and above the header rows of the other sheets. "Typed" means: different from
/// what the template, rebuilt from the definition, has in that place.
fn record_cells_outside_tables(template: &TemplateTexts, raw: &RawWorkbook, ret: &mut Return) {
    let header_row = |sheet: &RawSheet, first_header: &str| {
        sheet.cells.iter().find(|c| c.value.text().is_some_and(|t| same_folded(&t, first_header))).map(|c| c.row)
    };
    let template_header_row = |sheet: &SheetTexts, first_header: &str| {
        sheet.iter().find(|(_, _, text)| same_folded(text, first_header)).map(|(row, _, _)| row)
    };
    let preparer_cells: BTreeSet<(u32, u32)> = raw
        .sheet(SHEET_INSTRUCTIONS)
        .map(|sheet| preparer_labels(sheet).map(|(cell, _)| (cell.row, cell.col + 1)).collect())
        .unwrap_or_default();
    let areas = [
        (SHEET_INSTRUCTIONS, None),
        (SHEET_INDICATORS, Some(COL_ID)),
        (SHEET_ACTIVITIES, Some(ACTIVITY_HEADERS[0])),
        (SHEET_NEEDS, Some(NEED_HEADERS[0])),
        (SHEET_PLACEMENTS, Some(PLACEMENT_HEADERS[0])),
    ];
    for (name, first_header) in areas {
        let (Some(sheet), Some(original)) = (raw.sheet(name), template.sheet(name)) else { continue };
        // Rows above the table may have moved if rows were inserted: align on the header.
        let (limit, shift) = match first_header {
            None => (u32::MAX, 0i64),
            Some(h) => match (header_row(sheet, h), template_header_row(original, h)) {
                (Some(here), Some(there)) => (here, there as i64 - here as i64),
                _ => continue,
            },
        };
        for cell in sheet.cells.iter().filter(|c| c.row <= limit) {
            if name == SHEET_INSTRUCTIONS && preparer_cells.contains(&(cell.row, cell.col)) {
                continue;
            }
            let Ok(row) = u32::try_from(cell.row as i64 + shift) else { continue };
            let Some(text) = cell.value.text() else { continue };
            if original.at(row, cell.col) != Some(text.as_str()) {
                ret.push(
                    Finding::new(
                        Code::CellOutsideForm,
                        "wpis poza polami formularza; zachowano go w inne_komorki.csv, sprawdź, czy nie należy do któregoś wskaźnika",
                    )
                    .at(&sheet.name, Some(sheet.cell_ref(cell.row, cell.col).a1()))
                    .original(Some(text)),
                );
                ret.other(sheet, cell, "poza tabelą formularza");
            }
        }
    }
}

/// Who filled the form in: the cells right of the `PREPARER_LABELS` on `Instrukcja`.
fn read_preparer(raw: &RawWorkbook, ret: &mut Return) {
    let Some(sheet) = raw.sheet(SHEET_INSTRUCTIONS) else { return };
    for (cell, label) in preparer_labels(sheet) {
        if let Some(value) = sheet.cell(cell.row, cell.col + 1).and_then(|c| c.value.text()) {
            ret.preparer.push((label, value));
        }
    }
}

/// The cells of `sheet` holding one of the `PREPARER_LABELS`, with their text.
fn preparer_labels(sheet: &RawSheet) -> impl Iterator<Item = (&RawCell, String)> {
    let labels = PREPARER_LABELS.map(fold);
    sheet.cells.iter().filter_map(move |cell| {
        let CellValue::Text(text) = &cell.value else { return None };
        labels.contains(&fold(text)).then(|| (cell, text.trim().to_string()))
    })
}

impl Return {
    /// Keeps `cell` of `sheet` in `inne_komorki.csv`, saying `reason`.
    pub(super) fn other(&mut self, sheet: &RawSheet, cell: &RawCell, reason: &str) {
        if let Some(text) = cell.value.text().or_else(|| cell.formula.clone()) {
            self.other_cells.push(OtherCell {
                sheet: sheet.name.clone(),
                cell: sheet.cell_ref(cell.row, cell.col).a1(),
                text,
                reason: reason.to_string(),
            });
        }
    }
}

impl CollectedValue {
    pub(super) fn missing_row(indicator: &str) -> Self {
        CollectedValue {
            indicator: indicator.to_string(),
            value: None,
            original: None,
            status: ValueStatus::RowMissing,
            reason: None,
            comment: None,
            cell: None,
        }
    }
}
