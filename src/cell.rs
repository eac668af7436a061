//! A spreadsheet cell apart from any file format: its value as read ([`CellValue`]), its
//! address as shown to users ([`CellRef`]) and its text as a person reads it. The readers of
//! workbooks ([`crate::workbook`]) and of tables by header ([`crate::table`]) both build on it.

use calamine::{Data, DataRef};
use serde::{Deserialize, Serialize};

/// A cell address in Excel notation with its sheet, as shown to users: `Wskaźniki!E12`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CellRef {
    /// Sheet name as it appears on the tab.
    pub sheet: String,
    /// Zero-based row index.
    pub row: u32,
    /// Zero-based column index.
    pub col: u32,
}

impl CellRef {
    /// Builds a reference from zero-based coordinates.
    pub fn new(sheet: &str, row: u32, col: u32) -> Self {
        CellRef { sheet: sheet.to_string(), row, col }
    }

    /// The address without the sheet, e.g. `E12`.
    pub fn a1(&self) -> String {
        format!("{}{}", column_letters(self.col), self.row + 1)
    }
}

impl std::fmt::Display for CellRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}!{}", self.sheet, self.a1())
    }
}

/// Excel column letters for a zero-based column index: 0 → `A`, 26 → `AA`.
pub fn column_letters(col: u32) -> String {
    let mut n = col + 1;
    let mut letters = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    letters.reverse();
    String::from_utf8(letters).expect("ASCII letters")
}

/// The text of a cell as a person would read it: integral floats without `.0`,
/// booleans as `tak`/`nie`, errors as their code; `None` for empty or blank text.
pub fn cell_text(data: &Data) -> Option<String> {
    CellValue::from_data(data).text()
}

/// Formats a float the way a spreadsheet shows a plain number: no trailing `.0`.
pub fn format_number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

/// A cell's value as read, independent of the file format.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum CellValue {
    /// No value (a formula without a cached result reads as this).
    Empty,
    /// Text, as typed.
    Text(String),
    /// Any number (xls integers, floats, ods booleans saved as numbers).
    Number(f64),
    /// A boolean.
    Bool(bool),
    /// A date or date-time, ISO 8601 (`2025-05-03` or `2025-05-03 10:00:00`).
    Date(String),
    /// A spreadsheet error such as `#DIV/0!`.
    Error(String),
}

impl CellValue {
    /// The value as a person reads it (numbers without a trailing `.0`); `None` when empty.
    pub fn text(&self) -> Option<String> {
        let text = match self {
            CellValue::Empty => return None,
            CellValue::Text(t) => t.trim().to_string(),
            CellValue::Number(n) => format_number(*n),
            CellValue::Bool(b) => if *b { "tak" } else { "nie" }.to_string(),
            CellValue::Date(d) | CellValue::Error(d) => d.clone(),
        };
        if text.is_empty() { None } else { Some(text) }
    }

    /// The format-independent value of a cell streamed by calamine.
    pub(crate) fn from_data_ref(value: &DataRef<'_>) -> CellValue {
        match value {
            DataRef::Empty => CellValue::Empty,
            DataRef::String(s) => CellValue::Text(s.clone()),
            DataRef::SharedString(s) => CellValue::Text(s.to_string()),
            DataRef::Int(i) => CellValue::Number(*i as f64),
            DataRef::Float(f) => finite(*f),
            DataRef::Bool(b) => CellValue::Bool(*b),
            DataRef::DateTime(dt) => date_value(dt),
            DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => CellValue::Date(s.clone()),
            DataRef::Error(e) => CellValue::Error(error_code(e)),
        }
    }

    /// The format-independent value of a calamine cell.
    pub fn from_data(value: &Data) -> CellValue {
        match value {
            Data::Empty => CellValue::Empty,
            Data::String(s) => CellValue::Text(s.clone()),
            Data::Int(i) => CellValue::Number(*i as f64),
            Data::Float(f) => finite(*f),
            Data::Bool(b) => CellValue::Bool(*b),
            Data::DateTime(dt) => date_value(dt),
            Data::DateTimeIso(s) | Data::DurationIso(s) => CellValue::Date(s.clone()),
            Data::Error(e) => CellValue::Error(error_code(e)),
        }
    }

    /// The calamine value, for code that indexes sheets by header ([`crate::table::Table`]).
    pub fn to_data(&self) -> Data {
        match self {
            CellValue::Empty => Data::Empty,
            CellValue::Text(t) | CellValue::Error(t) => Data::String(t.clone()),
            CellValue::Number(n) => Data::Float(*n),
            CellValue::Bool(b) => Data::Bool(*b),
            CellValue::Date(d) => Data::DateTimeIso(d.clone()),
        }
    }
}

/// A number, or an error value for infinities and NaN (which JSON cannot carry).
fn finite(value: f64) -> CellValue {
    if value.is_finite() { CellValue::Number(value) } else { CellValue::Error("#NUM!".into()) }
}

fn date_value(dt: &calamine::ExcelDateTime) -> CellValue {
    match dt.as_datetime() {
        Some(d) if d.time() == chrono::NaiveTime::MIN => CellValue::Date(d.date().to_string()),
        Some(d) => CellValue::Date(d.to_string()),
        None => CellValue::Number(dt.as_f64()),
    }
}

/// The code a spreadsheet shows for an error value: `#DIV/0!`.
fn error_code(e: &calamine::CellErrorType) -> String {
    use calamine::CellErrorType::*;
    match e {
        Div0 => "#DIV/0!",
        NA => "#N/A",
        Name => "#NAME?",
        Null => "#NULL!",
        Num => "#NUM!",
        Ref => "#REF!",
        Value => "#VALUE!",
        GettingData => "#GETTING_DATA",
    }
    .to_string()
}
