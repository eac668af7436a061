//! The `Tabele` sheet of the consolidated workbook: every numbered table of the programme
//! as the council report shows it (rows × columns), each cell a live formula over `Dane`,
//! the same formula as the indicator's total in `Podsumowanie`.

use super::aggregate::IndicatorTotal;
use super::data_sheets::DataLayout;
use super::write::{Styles, total_formula};
use crate::layout::{a4, wrapped_height};
use crate::program::{DataTable, Program};
use rust_xlsxwriter::{FormatAlign, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// Width of the column of row names.
const ROW_NAMES_WIDTH: f64 = 48.0;
/// Width of a value column.
const VALUE_WIDTH: f64 = 18.0;

/// Writes `Tabele`: each table's caption, header and rows, its cells formulas over the
/// `Dane` sheets of `layout` with their cached totals.
pub(super) fn tables_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    totals: &[IndicatorTotal],
    layout: &DataLayout,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Tabele")?;
    sheet.set_formula_result_default("");
    let title = format!("Tabele – {} za rok {}", program.settings.program_name, program.settings.report_year);
    sheet.write_string_with_format(0, 0, title, &s.title)?;
    let widest = program.tables.iter().map(|t| t.columns.len()).max().unwrap_or(1);
    sheet.set_column_width(0, ROW_NAMES_WIDTH)?;
    for col in 1..=widest as u16 {
        sheet.set_column_width(col, VALUE_WIDTH)?;
    }
    // The note wraps within the tables' width, so the page is not widened by it.
    let note = "Każda liczba to formuła liczona z arkusza „Dane”, jak „Razem” w arkuszu „Podsumowanie” (kliknij komórkę, by zobaczyć, co sumuje). Puste pole = nikt nie podał liczby; „—” = tej komórki nikt nie raportuje.";
    sheet.merge_range(1, 0, 1, widest as u16, note, &s.note.clone().set_text_wrap())?;
    let width = ROW_NAMES_WIDTH + widest as f64 * VALUE_WIDTH;
    sheet.set_row_height(1, wrapped_height(&[(note, width)], 10.0))?;
    let by_id: BTreeMap<&str, &IndicatorTotal> = totals.iter().map(|t| (t.indicator.as_str(), t)).collect();
    let mut row = 3;
    for table in &program.tables {
        row = write_table(sheet, program, table, &by_id, layout, row, s)? + 1;
    }
    a4(sheet, false);
    Ok(())
}

/// Writes one table from `row` on; returns the row after it.
fn write_table(
    sheet: &mut Worksheet,
    program: &Program,
    table: &DataTable,
    totals: &BTreeMap<&str, &IndicatorTotal>,
    layout: &DataLayout,
    mut row: u32,
    s: &Styles,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, table.caption(), &s.subtitle)?;
    row += 1;
    sheet.write_string_with_format(row, 0, &table.row_header, &s.header)?;
    let mut texts = vec![(table.row_header.as_str(), ROW_NAMES_WIDTH)];
    for (col, name) in table.columns.iter().enumerate() {
        sheet.write_string_with_format(row, 1 + col as u16, name, &s.header)?;
        texts.push((name.as_str(), VALUE_WIDTH));
    }
    sheet.set_row_height(row, wrapped_height(&texts, 10.0).max(27.0))?;
    row += 1;
    for (position, name) in table.rows.iter().enumerate() {
        sheet.write_string_with_format(row, 0, name, &s.text)?;
        for col in 0..table.columns.len() {
            let cell = program.cell_indicator(&table.id, position, col);
            let total = cell.and_then(|i| totals.get(i.id.as_str()));
            match (cell, total) {
                (Some(indicator), Some(total)) => {
                    let id = format!("\"{}\"", indicator.id);
                    let formula = total_formula(indicator, total, &layout.ranges(&indicator.id), &id);
                    sheet.write_formula_with_format(row, 1 + col as u16, formula, s.number(indicator.value_type))?;
                }
                _ => {
                    let dash = s.plain.clone().set_align(FormatAlign::Center);
                    sheet.write_string_with_format(row, 1 + col as u16, "—", &dash)?;
                }
            }
        }
        sheet.set_row_height(row, wrapped_height(&[(name.as_str(), ROW_NAMES_WIDTH)], 10.0).max(15.0))?;
        row += 1;
    }
    Ok(row)
}
