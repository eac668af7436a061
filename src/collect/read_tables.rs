//! Reads the `Tabele` sheet of a returned form: each value cell of a numbered table is found
//! by the indicator id hidden in the cell to its left, never by its row or column, so rows
//! an institution sorted, moved or inserted change nothing; everything else typed is kept.

use super::findings::{Code, Finding};
use super::read::read_value;
use super::{CollectedValue, Return};
use crate::program::{Indicator, Institution, Program};
use crate::template::layout::SHEET_TABLES;
use crate::template::template_texts;
use crate::workbook::{RawSheet, RawWorkbook};
use std::collections::{BTreeMap, BTreeSet};

/// Reads every table cell `institution` reports from the `Tabele` sheet of `raw`.
pub(super) fn read_tables(program: &Program, institution: &Institution, raw: &RawWorkbook, ret: &mut Return) {
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
    let template = template_texts(program, institution);
    let known_texts: BTreeSet<&str> =
        template.sheet(SHEET_TABLES).map(|t| t.iter().map(|(_, _, text)| text).collect()).unwrap_or_default();
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let mut value_cells: BTreeSet<(u32, u32)> = BTreeSet::new();
    // Id cells first, so that their value cells are known before the rest is sorted out.
    for cell in &sheet.cells {
        let Some(indicator) = cell.value.text().and_then(|t| cells.get(t.as_str()).copied()) else { continue };
        value_cells.insert((cell.row, cell.col + 1));
        read_cell(indicator, sheet, (cell.row, cell.col), &mut seen, ret);
    }
    keep_other_cells(sheet, &known_texts, &cells, &value_cells, ret);
    for (id, indicator) in &cells {
        if !seen.contains_key(id) {
            report_missing_cell(indicator, program, ret);
        }
    }
}

/// Reads the value right of the id cell at `at` for `indicator`; a repeated id is kept aside.
fn read_cell<'a>(
    indicator: &'a Indicator,
    sheet: &RawSheet,
    (row, col): (u32, u32),
    seen: &mut BTreeMap<&'a str, String>,
    ret: &mut Return,
) {
    let value_at = sheet.cell_ref(row, col + 1).a1();
    if let Some(first) = seen.get(indicator.id.as_str()) {
        ret.push(
            Finding::new(
                Code::RowRepeated,
                format!(
                    "komórka tabeli „{}” występuje drugi raz (pierwsza w {first}); użyto pierwszej, tę zapisano w inne_komorki.csv",
                    indicator.id
                ),
            )
            .at(&sheet.name, Some(value_at))
            .indicator(&indicator.id),
        );
        if let Some(value) = sheet.cell(row, col + 1) {
            ret.other(sheet, value, "powtórzona komórka tabeli");
        }
        return;
    }
    seen.insert(indicator.id.as_str(), format!("{}!{value_at}", sheet.name));
    let value = sheet.cell(row, col + 1);
    let collected = read_value(indicator, value, None, None, None, &sheet.name, &value_at, ret);
    ret.values.push(collected);
}

/// Keeps every cell that is neither an id, a value cell nor a text of the template.
fn keep_other_cells(
    sheet: &RawSheet,
    known_texts: &BTreeSet<&str>,
    cells: &BTreeMap<&str, &Indicator>,
    value_cells: &BTreeSet<(u32, u32)>,
    ret: &mut Return,
) {
    for cell in &sheet.cells {
        if value_cells.contains(&(cell.row, cell.col)) {
            continue;
        }
        let Some(text) = cell.value.text() else { continue };
        if known_texts.contains(text.as_str()) || cells.contains_key(text.as_str()) {
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
