//! The bundled sample programme, modelled on the seeds (Mielec's structure, Jawor's and
//! Połaniec's cross-checks): the starting point `gpwr init` writes and the tests use.
//!
//! Its source is one readable TSV per definition sheet under `src/sample/`; the committed
//! `samples/program.xlsx` is generated from them and a test keeps the two in step.

use crate::program::sheets;
use crate::program::write::{SheetTable, definition_workbook};
use rust_xlsxwriter::{ExcelDateTime, XlsxError};

const SOURCES: [(&str, &str); 11] = [
    (sheets::SETTINGS, include_str!("sample/01_Ustawienia.tsv")),
    (sheets::GROUPS, include_str!("sample/02_Grupy.tsv")),
    (sheets::INSTITUTIONS, include_str!("sample/03_Instytucje.tsv")),
    (sheets::GOALS, include_str!("sample/04_Cele.tsv")),
    (sheets::TASKS, include_str!("sample/05_Zadania.tsv")),
    (sheets::INDICATORS, include_str!("sample/06_Wskazniki.tsv")),
    (sheets::CHECKS, include_str!("sample/07_Kontrole.tsv")),
    (sheets::NEED_CATEGORIES, include_str!("sample/08_Kategorie_potrzeb.tsv")),
    (sheets::FOSTER_CARE, include_str!("sample/09_Piecza_zastepcza.tsv")),
    (sheets::ASSISTANCE, include_str!("sample/10_Asysta_rodzinna.tsv")),
    (sheets::COORDINATOR_NEEDS, include_str!("sample/11_Potrzeby_koordynatora.tsv")),
];

/// The sample programme's sheets as plain tables.
pub fn sample_tables() -> Vec<SheetTable> {
    SOURCES.iter().map(|(name, tsv)| SheetTable::from_tsv(name, tsv)).collect()
}

/// The sample programme definition as XLSX bytes (always the same bytes).
pub fn sample_program_workbook() -> Result<Vec<u8>, XlsxError> {
    definition_workbook(&sample_tables(), &ExcelDateTime::from_ymd(2026, 1, 2)?)
}
