//! The tidy table row by row, read from the same polars frame the report aggregates
//! (`dane.parquet`), so the report holds the table once: the `Dane` and `Macierz` sheets and
//! the sources the checks cite read its columns here, as `dane.csv` shows them.

use polars::prelude::*;

/// Name of the number column of the tidy table.
const VALUE_COLUMN: &str = "wartosc";

/// The tidy table's columns by name: its text columns, and `wartosc` as a number. The
/// columns share their memory with the frame they come from.
pub struct ValueTable {
    names: Vec<String>,
    texts: Vec<StringChunked>,
    numbers: Option<Float64Chunked>,
    height: usize,
}

impl ValueTable {
    /// The text columns of `frame` and its number column `wartosc`; a column of any other
    /// type reads as absent.
    pub fn new(frame: &DataFrame) -> ValueTable {
        let mut table = ValueTable { names: vec![], texts: vec![], numbers: None, height: frame.height() };
        for column in frame.columns() {
            if column.name().as_str() == VALUE_COLUMN {
                table.numbers = column.f64().ok().cloned();
            } else if let Ok(text) = column.str() {
                table.names.push(column.name().to_string());
                table.texts.push(text.clone());
            }
        }
        table
    }

    /// How many rows the table has.
    pub fn len(&self) -> usize {
        self.height
    }

    /// Whether the table has no rows.
    pub fn is_empty(&self) -> bool {
        self.height == 0
    }

    /// The position of the text column `name`, the same for every row (`wartosc` is not a
    /// text column: see [`ValueRow::value`]).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.names.iter().position(|n| n == name)
    }

    /// The row at `index` (from 0; below [`ValueTable::len`]).
    pub fn row(&self, index: usize) -> ValueRow<'_> {
        ValueRow { table: self, index }
    }

    /// Every row, in table order.
    pub fn rows(&self) -> impl Iterator<Item = ValueRow<'_>> {
        (0..self.height).map(|index| ValueRow { table: self, index })
    }
}

/// One row of the tidy table.
#[derive(Clone, Copy)]
pub struct ValueRow<'a> {
    table: &'a ValueTable,
    index: usize,
}

impl<'a> ValueRow<'a> {
    /// The text in column `column` (see [`ValueTable::column`]).
    pub fn field(&self, column: usize) -> &'a str {
        self.table.texts[column].get(self.index).unwrap_or_default()
    }

    /// The text under `name` (`instytucja`, `status`, `plik`, …); empty when the table has
    /// no such text column.
    pub fn text(&self, name: &str) -> &'a str {
        self.table.column(name).map(|column| self.field(column)).unwrap_or_default()
    }

    /// The reported number, as `dane.csv` holds it; `None` when nothing was reported.
    pub fn value(&self) -> Option<f64> {
        self.table.numbers.as_ref()?.get(self.index).map(as_in_csv)
    }
}

/// A number as it reads back from `dane.csv`, where collect writes it as
/// `cell::format_number` does: the same number, except that −0 is written `0`.
fn as_in_csv(value: f64) -> f64 {
    if value == 0.0 { 0.0 } else { value }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sheets show each number as it would read back from `dane.csv`.
    #[test]
    fn a_number_reads_as_it_reads_back_from_the_csv() {
        let numbers = [0.0, -0.0, 1.0, -7.0, 0.1 + 0.2, 69_518.09, 1e15, 1e300, -2.5e-8, 5e-324, f64::MAX];
        for n in numbers {
            let from_csv: f64 = crate::cell::format_number(n).parse().unwrap();
            assert_eq!(as_in_csv(n).to_bits(), from_csv.to_bits(), "{n:e}");
        }
    }

    /// Text columns are read by name and position, `wartosc` as a number, and a column the
    /// table lacks reads as empty.
    #[test]
    fn columns_are_read_by_name() {
        let frame = df!(
            "instytucja" => ["SP1", "SP2"],
            "wartosc" => [Some(12.5), None],
            "status" => ["wartosc", "nie_dotyczy"],
        )
        .unwrap();
        let table = ValueTable::new(&frame);
        let rows: Vec<ValueRow> = table.rows().collect();
        assert_eq!(table.len(), 2);
        assert_eq!(rows[1].text("status"), "nie_dotyczy");
        assert_eq!(rows[0].field(table.column("instytucja").unwrap()), "SP1");
        assert_eq!((rows[0].value(), rows[1].value()), (Some(12.5), None));
        assert_eq!(rows[0].text("plik"), "");
        assert_eq!(table.column("wartosc"), None);
    }
}
