//! `report`: totals every indicator by its combine rule, runs the cross-checks, and builds
//! the consolidated workbook finance staff audit. Input is what `collect` wrote: the tidy
//! table (`dane.parquet`, read once: aggregated with polars and read row by row for the
//! cell-by-cell sheets) and the side tables.

pub mod aggregate;
pub mod checks;
pub mod data_sheets;
pub mod documents;
pub mod foster;
pub mod needs;
pub mod previous;
mod tables_sheet;
mod task_figures;
pub mod values;
pub mod write;
pub mod year_on_year;

use crate::collect::write::VALUES_PARQUET;
use crate::records::{self, Record};
use polars::prelude::*;
use std::path::Path;

/// Why the collected data could not be loaded. Messages are Polish.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A file `collect` writes is missing or unreadable.
    #[error("nie można odczytać {path}: {detail}. Uruchom najpierw `gpwr collect`.")]
    Missing {
        /// The file.
        path: String,
        /// What went wrong.
        detail: String,
    },
}

/// Everything `collect` wrote that the report uses.
pub struct Collected {
    /// The tidy table: aggregated with polars, and read row by row
    /// ([`values::ValueTable`]) for the cell-by-cell sheets and the checks' sources.
    pub frame: DataFrame,
    /// Task descriptions (`opisy.csv`).
    pub descriptions: Vec<Record>,
    /// Needs (`potrzeby.csv`).
    pub needs: Vec<Record>,
    /// Foster-care placements (`piecza.csv`).
    pub placements: Vec<Record>,
    /// Activities (`dzialania.csv`).
    pub activities: Vec<Record>,
    /// Per-institution completeness (`kompletnosc.csv`).
    pub completeness: Vec<Record>,
    /// Collect's findings (`ustalenia.csv`).
    pub findings: Vec<Record>,
}

fn read_records(dir: &Path, name: &str) -> Result<Vec<Record>, LoadError> {
    let path = dir.join(name);
    std::fs::read_to_string(&path)
        .map(|text| records::parse(&text))
        .map_err(|e| LoadError::Missing { path: path.display().to_string(), detail: crate::error_text::io(&e) })
}

/// Loads the outputs of `collect` from `dir`.
pub fn load(dir: &Path) -> Result<Collected, LoadError> {
    let parquet = dir.join(VALUES_PARQUET);
    let missing = |detail: String| LoadError::Missing { path: parquet.display().to_string(), detail };
    let file = std::fs::File::open(&parquet).map_err(|e| missing(crate::error_text::io(&e)))?;
    let frame = ParquetReader::new(file).finish().map_err(|e| {
        missing(match e {
            PolarsError::IO { error, .. } => crate::error_text::io(&error),
            _ => "plik jest uszkodzony albo nie jest tabelą zapisaną przez gpwr".to_string(),
        })
    })?;
    Ok(Collected {
        frame,
        descriptions: read_records(dir, "opisy.csv")?,
        activities: read_records(dir, "dzialania.csv")?,
        needs: read_records(dir, "potrzeby.csv")?,
        placements: read_records(dir, crate::collect::write::PLACEMENTS_CSV)?,
        completeness: read_records(dir, crate::collect::write::COMPLETENESS_CSV)?,
        findings: read_records(dir, crate::collect::write::FINDINGS_CSV)?,
    })
}
