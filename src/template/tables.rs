//! Writes the `Tabele` sheet of a template: each numbered table the institution reports in,
//! as the grid councils' reports show (rows × columns), every value cell with its own
//! validation and, in a hidden column right before it, its indicator id, so a row moved,
//! sorted or inserted by the institution still reads back cell by cell.

use super::identity::TemplateIdentity;
use super::layout::{NOT_YOURS, SHEET_TABLES};
use super::sheet::{Build, TemplateSheet};
use super::write::{Styles, protection, value_validation};
use crate::layout::wrapped_height;
use crate::program::{DataTable, Institution, Program};
use rust_xlsxwriter::{FormatAlign, XlsxError};

/// Width of the column of row names.
const ROW_NAMES_WIDTH: f64 = 46.0;
/// Width of a value column.
const VALUE_WIDTH: f64 = 18.0;
/// The first row of the first table (zero-based); above it are title, stamp and note.
const FIRST_TABLE_ROW: u32 = 4;

/// The column holding the ids of the table's `column`-th value column (hidden).
pub fn id_column(column: usize) -> u16 {
    1 + 2 * column as u16
}

/// The column of the table's `column`-th values (the id column's right neighbour).
pub fn value_column(column: usize) -> u16 {
    id_column(column) + 1
}

/// The `Tabele` sheet of `institution`'s template, holding `tables` (the institution's, in
/// definition order; at least one).
pub(super) fn tables_sheet(
    program: &Program,
    institution: &Institution,
    identity: &TemplateIdentity,
    tables: &[&DataTable],
    s: &Styles,
    build: Build,
) -> Result<TemplateSheet, XlsxError> {
    let widest = tables.iter().map(|t| t.columns.len()).max().unwrap_or(1);
    let last_col = value_column(widest - 1);
    let mut sheet = TemplateSheet::new(SHEET_TABLES, build)?;
    sheet.set_column_width(0, ROW_NAMES_WIDTH)?;
    for column in 0..widest {
        sheet.set_column_width(id_column(column), 3.0)?.hide_column(id_column(column))?;
        sheet.set_column_width(value_column(column), VALUE_WIDTH)?;
    }
    sheet.a4(false);
    sheet.set_header(&format!(
        "&L&8{}&R&8{} – rok {}",
        program.settings.program_name, institution.name, program.settings.report_year
    ));
    let title = format!("Tabele za rok {} – {}", program.settings.report_year, institution.name);
    // The sheet is as narrow as its tables: a long institution name wraps instead of being
    // cut off at the page's edge.
    let width = ROW_NAMES_WIDTH + widest as f64 * VALUE_WIDTH;
    sheet.merge_range(0, 0, 0, last_col, &title, &s.title.clone().set_text_wrap().set_align(FormatAlign::Top))?;
    // A 14-point bold character is about 1.6 times as wide as a body one.
    sheet.set_row_height(0, wrapped_height(&[(&title, width / 1.6)], 14.0).max(20.0))?;
    sheet.write_string_with_format(1, 0, identity.stamp(), &s.stamp)?;
    let note = format!(
        "Wpisz liczby w żółte komórki tabel (same liczby, bez słów). Komórki z „{NOT_YOURS}” wypełnia inna instytucja. Gdy liczby nie ma, wpisz w komórkę „nie dotyczy” albo „brak danych” (nie 0)."
    );
    sheet.merge_range(2, 0, 2, last_col, &note, &s.note)?;
    sheet.set_row_height(2, wrapped_height(&[(&note, width)], 10.0))?;
    let mut row = FIRST_TABLE_ROW;
    for table in tables {
        row = write_table(&mut sheet, program, institution, table, row, s)? + 1;
    }
    sheet.protect_with_options(&protection());
    Ok(sheet)
}

/// Writes `table` from `row` on: caption, header and one row per table row. Returns the
/// row after it.
fn write_table(
    sheet: &mut TemplateSheet,
    program: &Program,
    institution: &Institution,
    table: &DataTable,
    mut row: u32,
    s: &Styles,
) -> Result<u32, XlsxError> {
    let last_col = value_column(table.columns.len() - 1);
    let caption = table.caption();
    sheet.merge_range(row, 0, row, last_col, &caption, &s.subtitle)?;
    let width = ROW_NAMES_WIDTH + table.columns.len() as f64 * VALUE_WIDTH;
    sheet.set_row_height(row, wrapped_height(&[(&caption, width * 0.9)], 11.0).max(18.0))?;
    row += 1;
    sheet.write_string_with_format(row, 0, &table.row_header, &s.header)?;
    let mut texts = vec![(table.row_header.as_str(), ROW_NAMES_WIDTH)];
    for (column, name) in table.columns.iter().enumerate() {
        sheet.write_blank(row, id_column(column), &s.header)?;
        sheet.write_string_with_format(row, value_column(column), name, &s.header)?;
        texts.push((name.as_str(), VALUE_WIDTH));
    }
    sheet.set_row_height(row, wrapped_height(&texts, 10.0).max(27.0))?;
    row += 1;
    for (position, name) in table.rows.iter().enumerate() {
        write_table_row(sheet, program, institution, table, position, row, s)?;
        sheet.set_row_height(row, wrapped_height(&[(name.as_str(), ROW_NAMES_WIDTH)], 10.0).max(18.0))?;
        row += 1;
    }
    Ok(row)
}

/// Writes the `position`-th row of `table` at `row`: its name, then per column either the
/// hidden id and the value cell, or `—` where another institution reports.
fn write_table_row(
    sheet: &mut TemplateSheet,
    program: &Program,
    institution: &Institution,
    table: &DataTable,
    position: usize,
    row: u32,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, 0, &table.rows[position], &s.cell)?;
    for column in 0..table.columns.len() {
        let (id_col, value_col) = (id_column(column), value_column(column));
        // Among the institution's own indicators (indexed), not every indicator's reporters.
        let indicator = program
            .indicators_for(&institution.id)
            .find(|i| i.cell.as_ref().is_some_and(|c| c.table == table.id && c.row == position && c.column == column));
        match indicator {
            Some(indicator) => {
                sheet.write_string_with_format(row, id_col, &indicator.id, &s.id)?;
                sheet.write_blank(row, value_col, &s.value(indicator.value_type))?;
                sheet.add_data_validation_with((row, value_col), || value_validation(indicator, row, value_col))?;
            }
            None => {
                sheet.write_blank(row, id_col, &s.id)?;
                let dash = s.cell.clone().set_align(FormatAlign::Center).set_font_color(rust_xlsxwriter::Color::Gray);
                sheet.write_string_with_format(row, value_col, NOT_YOURS, &dash)?;
            }
        }
    }
    Ok(())
}
