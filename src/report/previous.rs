//! Year over year: reads last year's consolidated workbook written by gpwr (its
//! `Podsumowanie` sheet, by header name) and flags changes that are large for the size of
//! the numbers: 3 → 7 is ordinary in a small municipality, 300 → 700 is not.

use crate::cell::cell_text;
use crate::table::Table;
use calamine::{Reader, open_workbook_auto};
use std::collections::BTreeMap;
use std::path::Path;

/// Why last year's workbook could not be used. Messages are Polish.
#[derive(Debug, thiserror::Error)]
pub enum PreviousError {
    /// The file cannot be opened as a workbook.
    #[error("nie można otworzyć zeszłorocznego zestawienia {path}: {detail}")]
    Unreadable {
        /// The file.
        path: String,
        /// What the reader said.
        detail: String,
    },
    /// It is not a gpwr consolidated workbook.
    #[error("{path} nie jest zestawieniem gpwr: brak arkusza „Podsumowanie” z kolumnami „ID” i „Razem”")]
    NotAReport {
        /// The file.
        path: String,
    },
}

/// Last year's totals by indicator id (indicators without a number are absent).
pub fn read_previous(path: &Path) -> Result<BTreeMap<String, f64>, PreviousError> {
    let shown = path.display().to_string();
    let mut book = open_workbook_auto(path)
        .map_err(|e| PreviousError::Unreadable { path: shown.clone(), detail: crate::error_text::workbook_open(&e) })?;
    let range = book.worksheet_range("Podsumowanie").map_err(|_| PreviousError::NotAReport { path: shown.clone() })?;
    let table = Table::locate("Podsumowanie", &range, &["ID", "Razem"])
        .map_err(|_| PreviousError::NotAReport { path: shown })?;
    Ok(table
        .rows()
        .filter_map(|row| {
            let id = row.text("ID")?;
            let value = match row.raw("Razem")? {
                calamine::Data::Float(f) => *f,
                calamine::Data::Int(i) => *i as f64,
                other => cell_text(other)?.replace(',', ".").parse().ok()?,
            };
            Some((id, value))
        })
        .collect())
}

/// True when a change from `previous` to `current` deserves a look: at least 10 in absolute
/// terms and at least half of last year's value (or anything from 0 to 10 or more).
pub fn is_large_change(previous: f64, current: f64) -> bool {
    let change = (current - previous).abs();
    change >= 10.0 && (previous == 0.0 || change / previous.abs() >= 0.5)
}

#[cfg(test)]
mod tests {
    use super::is_large_change;

    #[test]
    fn small_counts_may_move_large_ones_may_not() {
        assert!(!is_large_change(3.0, 7.0), "3 → 7 is ordinary");
        assert!(is_large_change(300.0, 700.0));
        assert!(!is_large_change(100.0, 140.0));
        assert!(is_large_change(100.0, 160.0));
        assert!(is_large_change(100.0, 40.0));
        assert!(!is_large_change(0.0, 3.0));
        assert!(is_large_change(0.0, 50.0));
        assert!(!is_large_change(413985.0, 413985.0));
    }
}
