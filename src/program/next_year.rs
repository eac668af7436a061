//! Last year's definition for the next campaign: every sheet as it was, the report year and
//! the return deadline moved on by one year, written anew like any definition.

use super::read::parse_date;
use super::sheets;
use super::write::{SheetTable, definition_workbook};
use crate::cell::cell_text;
use calamine::{Data, Reader, open_workbook_auto_from_rs};
use chrono::Datelike;
use rust_xlsxwriter::ExcelDateTime;

/// Why last year's definition could not be carried over. Messages are Polish.
#[derive(Debug, thiserror::Error)]
pub enum NextYearError {
    /// The file is not a workbook gpwr can read.
    #[error("plik nie jest definicją programu w formacie Excel: {0}")]
    Unreadable(String),
    /// It has no `Ustawienia` sheet with a `Rok sprawozdawczy`.
    #[error("w pliku nie ma arkusza „Ustawienia” z rokiem sprawozdawczym; to nie jest definicja programu gpwr")]
    NotADefinition,
    /// Writing the new workbook failed.
    #[error("nie można zapisać nowej definicji")]
    Write(#[from] rust_xlsxwriter::XlsxError),
}

/// The definition in `bytes` (an xlsx) with `Rok sprawozdawczy` and `Termin zwrotu` one
/// year later, as a new definition workbook.
pub fn moved_on(bytes: &[u8]) -> Result<Vec<u8>, NextYearError> {
    let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| NextYearError::Unreadable(crate::error_text::workbook_open(&e)))?;
    let mut tables = Vec::new();
    let mut year = None;
    for name in sheets::ALL {
        let Ok(range) = book.worksheet_range(name) else { continue };
        let mut rows = range.rows().map(|row| row.to_vec());
        let headers: Vec<String> = rows.next().unwrap_or_default().iter().map(text).collect();
        let mut rows: Vec<Vec<Data>> = rows.collect();
        if name == sheets::SETTINGS {
            year = move_settings_on(&mut rows);
        }
        let rows = rows.iter().map(|row| row.iter().map(text).collect()).collect();
        tables.push(SheetTable { name: name.to_string(), headers, rows });
    }
    let year = year.ok_or(NextYearError::NotADefinition)?;
    let created = ExcelDateTime::from_ymd(year as u16 + 1, 1, 2)?;
    Ok(definition_workbook(&tables, &created)?)
}

/// Moves the report year and the deadline of the `Ustawienie`/`Wartość` rows on by one
/// year; returns the new report year.
fn move_settings_on(rows: &mut [Vec<Data>]) -> Option<i32> {
    let mut year = None;
    for row in rows.iter_mut().filter(|row| row.len() >= 2) {
        match text(&row[0]).as_str() {
            "Rok sprawozdawczy" => {
                let next = text(&row[1]).parse::<i32>().ok()? + 1;
                row[1] = Data::String(next.to_string());
                year = Some(next);
            }
            "Termin zwrotu" => {
                if let Some(date) = parse_date(&row[1]).and_then(|d| d.with_year(d.year() + 1)) {
                    row[1] = Data::String(date.format("%Y-%m-%d").to_string());
                }
            }
            _ => {}
        }
    }
    year
}

fn text(data: &Data) -> String {
    cell_text(data).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::read_program_from;

    #[test]
    fn the_sample_moves_on_by_one_year_and_keeps_everything_else() {
        let bytes = crate::sample::sample_program_workbook().unwrap();
        let next = moved_on(&bytes).unwrap();
        let read = |bytes: &[u8]| {
            let mut book = open_workbook_auto_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
            read_program_from(&mut book)
        };
        let (before, after) = (read(&bytes), read(&next));
        let (before, after) = (before.program.unwrap(), after.program.expect("the next year's definition reads"));
        assert_eq!(after.settings.report_year, before.settings.report_year + 1);
        assert_eq!(after.settings.return_deadline.to_string(), "2027-02-13");
        assert_eq!(after.indicators, before.indicators);
        assert_eq!(after.institutions, before.institutions);
        assert!(matches!(moved_on(b"nie arkusz"), Err(NextYearError::Unreadable(_))));
    }
}
