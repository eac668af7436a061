//! Reads a worksheet as a table whose columns are found by header name, never by position.
//!
//! Coordinators and institutions reorder columns, insert notes and leave blank rows; the
//! readers of the programme definition and of returned templates only ever ask for
//! "the cell under `Wartość` in this row", together with its address for messages.

use crate::cell::{CellRef, cell_text};
use calamine::{Data, Range};

/// Normalises a header for comparison: trimmed, inner whitespace folded, lower case.
pub fn normalize_header(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Folds case, Polish diacritics and every kind of space, so "Nie  Dotyczy" = "nie dotyczy".
pub fn fold(text: &str) -> String {
    // One pass, no intermediate strings: it runs on every text of every return.
    let mut folded = String::with_capacity(text.len());
    let mut space_pending = false;
    for c in text.chars() {
        let plain = match c {
            'ą' | 'Ą' => 'a',
            'ć' | 'Ć' => 'c',
            'ę' | 'Ę' => 'e',
            'ł' | 'Ł' => 'l',
            'ń' | 'Ń' => 'n',
            'ó' | 'Ó' => 'o',
            'ś' | 'Ś' => 's',
            'ź' | 'Ź' | 'ż' | 'Ż' => 'z',
            c if c.is_whitespace() => {
                space_pending = true;
                continue;
            }
            c => c,
        };
        if space_pending && !folded.is_empty() {
            folded.push(' ');
        }
        space_pending = false;
        if plain.is_ascii() {
            folded.push(plain.to_ascii_lowercase());
        } else {
            folded.extend(plain.to_lowercase());
        }
    }
    folded
}

/// True if `a` and `b` are the same once [folded](fold).
pub fn same_folded(a: &str, b: &str) -> bool {
    a == b || fold(a) == fold(b)
}

/// One worksheet with its header row located and its columns indexed by header name.
pub struct Table<'a> {
    sheet: String,
    range: &'a Range<Data>,
    header_row: u32,
    columns: Vec<(String, u32)>,
}

/// One data row of a [`Table`].
pub struct Row<'t, 'a> {
    table: &'t Table<'a>,
    /// Absolute zero-based row index in the sheet.
    pub row: u32,
}

impl<'a> Table<'a> {
    /// Indexes `range` using the first row that contains every one of `required` headers
    /// (searching the first 30 rows). Returns the missing headers if no row has them all.
    pub fn locate(sheet: &str, range: &'a Range<Data>, required: &[&str]) -> Result<Self, Vec<String>> {
        let Some((start_row, start_col)) = range.start() else {
            return Err(required.iter().map(|s| s.to_string()).collect());
        };
        let wanted: Vec<String> = required.iter().map(|h| normalize_header(h)).collect();
        let mut best_missing: Option<Vec<String>> = None;
        for (offset, cells) in range.rows().take(30).enumerate() {
            let columns: Vec<(String, u32)> = cells
                .iter()
                .enumerate()
                .filter_map(|(i, c)| cell_text(c).map(|t| (normalize_header(&t), start_col + i as u32)))
                .collect();
            if columns.is_empty() {
                continue;
            }
            let missing: Vec<String> = required
                .iter()
                .zip(&wanted)
                .filter(|(_, w)| !columns.iter().any(|(name, _)| name == *w))
                .map(|(h, _)| h.to_string())
                .collect();
            if missing.is_empty() {
                return Ok(Table { sheet: sheet.to_string(), range, header_row: start_row + offset as u32, columns });
            }
            if best_missing.as_ref().is_none_or(|b| missing.len() < b.len()) {
                best_missing = Some(missing);
            }
        }
        Err(best_missing.unwrap_or_else(|| required.iter().map(|s| s.to_string()).collect()))
    }

    /// The sheet's name.
    pub fn sheet(&self) -> &str {
        &self.sheet
    }

    /// Zero-based column index of a header, if present.
    pub fn column(&self, header: &str) -> Option<u32> {
        let wanted = normalize_header(header);
        self.columns.iter().find(|(name, _)| *name == wanted).map(|(_, c)| *c)
    }

    /// Address of the header cell itself (for "column missing" messages), or of the header row.
    pub fn header_ref(&self, header: &str) -> CellRef {
        CellRef::new(&self.sheet, self.header_row, self.column(header).unwrap_or(0))
    }

    /// Data rows below the header that hold at least one non-empty cell.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_, 'a>> {
        let end = self.range.end().map(|(r, _)| r).unwrap_or(self.header_row);
        ((self.header_row + 1)..=end)
            .map(move |row| Row { table: self, row })
            .filter(|r| r.table.columns.iter().any(|(_, c)| r.raw_at(*c).is_some_and(|d| cell_text(d).is_some())))
    }
}

impl Row<'_, '_> {
    fn raw_at(&self, col: u32) -> Option<&Data> {
        self.table.range.get_value((self.row, col))
    }

    /// The raw cell under `header`, or `None` when the column is absent or the cell empty.
    pub fn raw(&self, header: &str) -> Option<&Data> {
        let col = self.table.column(header)?;
        self.raw_at(col).filter(|d| !matches!(d, Data::Empty))
    }

    /// The trimmed text under `header`, `None` when empty.
    pub fn text(&self, header: &str) -> Option<String> {
        self.raw(header).and_then(cell_text)
    }

    /// The address of the cell under `header` in this row (column A if the header is absent).
    pub fn cell_ref(&self, header: &str) -> CellRef {
        CellRef::new(&self.table.sheet, self.row, self.table.column(header).unwrap_or(0))
    }
}

#[cfg(test)]
mod tests {
    use super::{fold, same_folded};

    #[test]
    fn fold_ignores_case_diacritics_and_every_kind_of_space() {
        assert_eq!(fold("  Nie\u{a0}\u{202f} Dotyczy\t"), "nie dotyczy");
        assert_eq!(fold("ŻÓŁĆ gęślą JAŹŃ"), "zolc gesla jazn");
        assert_eq!(fold("Straße İ"), "straße i\u{307}");
        assert_eq!(fold(" \n "), "");
        assert!(same_folded("Działania", "dzialania "));
        assert!(!same_folded("Działania", "Dział ania"));
    }
}
