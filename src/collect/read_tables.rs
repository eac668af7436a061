//! Reads the `Tabele` sheet of a returned form: each value cell of a numbered table is found
//! by the indicator id hidden in the cell to its left, never by its row or column, so rows
//! an institution sorted, moved or inserted change nothing; everything else typed is kept.

use super::findings::{Code, Finding};
use super::read::read_value;
use super::{CollectedValue, Return};
use crate::program::{Indicator, Institution, Program};
use crate::template::TemplateTexts;
use crate::template::layout::SHEET_TABLES;
use crate::workbook::{CellValue, RawSheet, RawWorkbook};
use std::collections::{BTreeMap, BTreeSet};

/// Reads every table cell `institution` reports from the `Tabele` sheet of `raw`, whose
/// template holds `template`.
pub(super) fn read_tables(
    program: &Program,
    institution: &Institution,
    template: &TemplateTexts,
    raw: &RawWorkbook,
    ret: &mut Return,
) {
    let cells: BTreeMap<&str, &Indicator> =
        program.indicators_for(&institution.id).filter(|i| i.cell.is_some()).map(|i| (i.id.as_str(), i)).collect();
    let Some(sheet) = raw.sheet(SHEET_TABLES) else {
        ret.push(Finding::new(
            Code::SheetMissing,
            format!(
                "brak arkusza „{SHEET_TABLES}”: nie odczytano wartości z tabel. Poproś o odesłanie całego formularza."
            ),
        ));
        for id in cells.keys() {
            ret.values.push(CollectedValue::missing_row(id));
        }
        return;
    };
    // The template's own texts by column: rows move, columns do not.
    let known_texts: BTreeSet<(u32, &str)> =
        template.sheet(SHEET_TABLES).map(|t| t.iter().map(|(_, col, text)| (col, text)).collect()).unwrap_or_default();
    let places = id_places(sheet, &cells);
    let mut value_cells: BTreeSet<(u32, u32)> = BTreeSet::new();
    for (id, at) in &places {
        value_cells.extend(at.iter().map(|&(row, col)| (row, col + 1)));
        read_cell(cells[id], sheet, at, ret);
    }
    keep_other_cells(sheet, &known_texts, &cells, &value_cells, ret);
    for (id, indicator) in &cells {
        if !places.contains_key(id) {
            report_missing_cell(indicator, program, ret);
        }
    }
}

/// Where each table indicator's id is hidden on `sheet`, in reading order; an id in the
/// sheet's last column has no value cell beside it and does not count.
fn id_places<'a>(sheet: &RawSheet, cells: &BTreeMap<&'a str, &Indicator>) -> BTreeMap<&'a str, Vec<(u32, u32)>> {
    let mut places: BTreeMap<&'a str, Vec<(u32, u32)>> = BTreeMap::new();
    for cell in sheet.cells.iter().filter(|c| c.col + 1 < LAST_COLUMN) {
        let Some(text) = cell.value.text() else { continue };
        if let Some((id, _)) = cells.get_key_value(text.as_str()) {
            places.entry(id).or_default().push((cell.row, cell.col));
        }
    }
    places
}

/// The number of columns of a sheet (XFD is the last).
const LAST_COLUMN: u32 = 16_384;

/// Reads `indicator`'s value right of its id: of the places `at` where the id is, the first
/// whose value cell was filled (a row copied to insert another keeps the id), or else the
/// first; another filled place is kept aside with a finding.
fn read_cell(indicator: &Indicator, sheet: &RawSheet, at: &[(u32, u32)], ret: &mut Return) {
    let filled = |place: &&(u32, u32)| {
        sheet.cell(place.0, place.1 + 1).is_some_and(|c| c.value != CellValue::Empty || c.formula.is_some())
    };
    let &(row, col) = at.iter().find(filled).unwrap_or(&at[0]);
    let value_at = sheet.cell_ref(row, col + 1).a1();
    let value = sheet.cell(row, col + 1);
    let earlier_findings = ret.findings.len();
    let collected = read_value(indicator, value, None, None, None, &sheet.name, &value_at, ret);
    ret.values.push(collected);
    // "nie dotyczy" typed in a table cell is how a table says it: not worth a note. Only the
    // findings this cell just gave are looked at (a table may have thousands of cells).
    let this_cell = ret.findings.split_off(earlier_findings);
    ret.findings.extend(this_cell.into_iter().filter(|f| f.code != Code::ReasonInValueCell));
    for &(other_row, other_col) in at.iter().filter(filled).filter(|&&place| place != (row, col)) {
        let other_at = sheet.cell_ref(other_row, other_col + 1).a1();
        ret.push(
            Finding::new(
                Code::RowRepeated,
                format!(
                    "komórka tabeli „{}” występuje drugi raz (użyto {}!{value_at}); tę zapisano w inne_komorki.csv",
                    indicator.id, sheet.name
                ),
            )
            .at(&sheet.name, Some(other_at))
            .indicator(&indicator.id),
        );
        if let Some(other) = sheet.cell(other_row, other_col + 1) {
            ret.other(sheet, other, "powtórzona komórka tabeli");
        }
    }
}

/// Keeps every cell that is neither an id, a value cell nor a text of the template.
fn keep_other_cells(
    sheet: &RawSheet,
    known_texts: &BTreeSet<(u32, &str)>,
    cells: &BTreeMap<&str, &Indicator>,
    value_cells: &BTreeSet<(u32, u32)>,
    ret: &mut Return,
) {
    for cell in &sheet.cells {
        if value_cells.contains(&(cell.row, cell.col)) {
            continue;
        }
        let Some(text) = cell.value.text().or_else(|| cell.formula.clone()) else { continue };
        if known_texts.contains(&(cell.col, text.as_str())) || cells.contains_key(text.as_str()) {
            continue;
        }
        ret.push(
            Finding::new(
                Code::CellOutsideForm,
                "wpis poza polami tabel; zachowano go w inne_komorki.csv, sprawdź, czy nie należy do którejś komórki tabeli",
            )
            .at(&sheet.name, Some(sheet.cell_ref(cell.row, cell.col).a1()))
            .original(Some(text)),
        );
        ret.other(sheet, cell, "poza polami tabel");
    }
}

/// Reports a table cell of the institution whose hidden id was not found, and records it as missing.
fn report_missing_cell(indicator: &Indicator, program: &Program, ret: &mut Return) {
    let place = indicator.cell.as_ref().and_then(|c| {
        let table = program.table(&c.table)?;
        Some(format!(
            "{}, wiersz „{}”, kolumna „{}”",
            table.caption(),
            table.rows.get(c.row)?,
            table.columns.get(c.column)?
        ))
    });
    ret.push(
        Finding::new(
            Code::RowMissing,
            format!(
                "brak komórki tabeli „{}” ({}): wiersz tabeli usunięto albo wyczyszczono jego ukryte kolumny. Przywróć wiersz z formularza.",
                indicator.id,
                place.unwrap_or_else(|| indicator.label.clone())
            ),
        )
        .at(SHEET_TABLES, None)
        .indicator(&indicator.id),
    );
    ret.values.push(CollectedValue::missing_row(&indicator.id));
}
