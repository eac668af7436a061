//! Reads any workbook an institution returns (xlsx, xlsm, xls, ods: whatever its name says)
//! into a plain, format-independent list of cells, within limits, so that nothing later
//! depends on the format or can be made to allocate without bound.
//!
//! The format is detected from the content, not the extension. Zip-based formats are
//! checked against their declared unpacked sizes before calamine touches them; xlsx sheets
//! are streamed cell by cell, so a cell at `XFD1048576` costs one cell, not a 17-billion-cell
//! grid. What cannot be bounded here (xls parsing, ods expansion) is meant to run in a
//! separate process: see `gpwr`'s `collect` command.

use crate::cell::CellRef;
pub use crate::cell::CellValue;
use crate::error_text;
use calamine::{Data, Ods, Range, Reader, SheetVisible, Xls, Xlsx, open_workbook_from_rs};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Seek};
use std::path::Path;

/// The spreadsheet formats gpwr reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// Office Open XML (`.xlsx`, `.xlsm`).
    Xlsx,
    /// Excel 97-2003 (`.xls`).
    Xls,
    /// OpenDocument (`.ods`).
    Ods,
}

impl Format {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
        }
    }

    /// True if `extension` (lower case, no dot) is one this format is normally saved with.
    pub fn matches_extension(self, extension: &str) -> bool {
        match self {
            Format::Xlsx => matches!(extension, "xlsx" | "xlsm"),
            Format::Xls => extension == "xls",
            Format::Ods => extension == "ods",
        }
    }
}

/// One non-empty cell (or a formula cell, even without a cached result).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawCell {
    /// Zero-based row.
    pub row: u32,
    /// Zero-based column.
    pub col: u32,
    /// The value (for a formula: its cached result).
    pub value: CellValue,
    /// The formula, if the cell holds one.
    pub formula: Option<String>,
}

/// One sheet's cells, sorted by row, then column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawSheet {
    /// The sheet name.
    pub name: String,
    /// True if hidden (or very hidden).
    pub hidden: bool,
    /// Cells in row-major order.
    pub cells: Vec<RawCell>,
}

/// The largest sheet area gpwr turns into a grid; cells beyond it are still kept as cells.
pub const GRID_ROWS: u32 = 10_000;
/// See [`GRID_ROWS`].
pub const GRID_COLS: u32 = 200;

impl RawSheet {
    /// The cells within `GRID_ROWS` × `GRID_COLS` as a calamine range (for header lookups).
    pub fn grid(&self) -> Range<Data> {
        let cells: Vec<calamine::Cell<Data>> = self
            .cells
            .iter()
            .filter(|c| c.row < GRID_ROWS && c.col < GRID_COLS && c.value != CellValue::Empty)
            .map(|c| calamine::Cell::new((c.row, c.col), c.value.to_data()))
            .collect();
        Range::from_sparse(cells)
    }

    /// The cell at `(row, col)`, if it holds anything.
    pub fn cell(&self, row: u32, col: u32) -> Option<&RawCell> {
        self.cells.binary_search_by(|c| (c.row, c.col).cmp(&(row, col))).ok().map(|i| &self.cells[i])
    }

    /// The address of `(row, col)` on this sheet.
    pub fn cell_ref(&self, row: u32, col: u32) -> CellRef {
        CellRef::new(&self.name, row, col)
    }
}

/// A whole workbook as read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RawWorkbook {
    /// The format found in the content.
    pub format: Format,
    /// Custom document properties (name → value as text).
    pub custom_properties: BTreeMap<String, String>,
    /// When the file says it was last saved (`dcterms:modified` or the format's equivalent).
    pub modified: Option<String>,
    /// Sheets in workbook order.
    pub sheets: Vec<RawSheet>,
}

impl RawWorkbook {
    /// The sheet called `name` (exactly, then ignoring case, Polish diacritics and spaces).
    pub fn sheet(&self, name: &str) -> Option<&RawSheet> {
        self.sheets.iter().find(|s| s.name == name).or_else(|| {
            let wanted = crate::table::fold(name);
            self.sheets.iter().find(|s| crate::table::fold(&s.name) == wanted)
        })
    }
}

/// Limits that keep a hostile or broken file from taking the run down.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// Largest file accepted, in bytes.
    pub max_file_bytes: u64,
    /// Largest total unpacked size of a zip-based workbook, in bytes.
    pub max_unpacked_bytes: u64,
    /// Largest unpacked/packed ratio of one zip entry.
    pub max_compression_ratio: u64,
    /// Most cells read from one sheet.
    pub max_cells_per_sheet: usize,
    /// Most sheets read.
    pub max_sheets: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_bytes: 50 * 1024 * 1024,
            max_unpacked_bytes: 300 * 1024 * 1024,
            max_compression_ratio: 200,
            max_cells_per_sheet: 500_000,
            max_sheets: 100,
        }
    }
}

/// Why a file could not be read. Messages are Polish: they reach the coordinator.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum ExtractError {
    /// The file has no bytes at all.
    #[error("plik jest pusty (0 bajtów)")]
    EmptyFile,
    /// The content is not a spreadsheet (e.g. text, PDF, a Word document).
    #[error("plik nie jest arkuszem kalkulacyjnym ({what})")]
    NotASpreadsheet {
        /// What it looks like instead.
        what: String,
    },
    /// The workbook is protected by a password to open.
    #[error("plik jest zabezpieczony hasłem do otwarcia")]
    Encrypted,
    /// A size limit was exceeded.
    #[error("plik przekracza limit: {what}")]
    TooLarge {
        /// Which limit, with the numbers.
        what: String,
    },
    /// The content is damaged or truncated.
    #[error("plik jest uszkodzony lub niekompletny ({detail})")]
    Corrupt {
        /// What is wrong, in Polish.
        detail: String,
    },
    /// The file could not be read from the disk (no permission, removed meanwhile).
    #[error("nie można odczytać pliku z dysku: {reason}")]
    Unreadable {
        /// Why, in Polish.
        reason: String,
    },
}

/// Detects the format from the first bytes and, for zip files, the entries.
pub fn detect_format(bytes: &[u8]) -> Result<Format, ExtractError> {
    const OLE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    if bytes.is_empty() {
        return Err(ExtractError::EmptyFile);
    }
    if bytes.starts_with(&OLE) {
        // An encrypted xlsx is an OLE container holding an `EncryptedPackage` stream.
        let marker: Vec<u8> = "EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        if bytes.windows(marker.len()).any(|w| w == marker.as_slice()) {
            return Err(ExtractError::Encrypted);
        }
        return Ok(Format::Xls);
    }
    if bytes.starts_with(b"PK") {
        let archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_damage)?;
        let has = |name: &str| archive.index_for_name(name).is_some();
        if has("xl/workbook.xml") {
            return Ok(Format::Xlsx);
        }
        if has("xl/workbook.bin") {
            return Err(ExtractError::NotASpreadsheet { what: "skoroszyt binarny .xlsb: zapisz go jako .xlsx".into() });
        }
        if has("content.xml") && has("mimetype") {
            return Ok(Format::Ods);
        }
        let what = if has("word/document.xml") {
            "dokument Word"
        } else if has("content.xml") {
            "dokument OpenDocument, który nie jest arkuszem"
        } else {
            "archiwum zip"
        };
        return Err(ExtractError::NotASpreadsheet { what: what.into() });
    }
    let what = if bytes.starts_with(b"%PDF") {
        "dokument PDF"
    } else if bytes.starts_with(b"{\\rtf") {
        "dokument RTF"
    } else if bytes.starts_with(b"<") {
        "plik HTML lub XML"
    } else if std::str::from_utf8(&bytes[..bytes.len().min(4096)]).is_ok() {
        "plik tekstowy"
    } else {
        "nieznany format"
    };
    Err(ExtractError::NotASpreadsheet { what: what.into() })
}

/// Checks a zip's declared sizes against the limits before anything unpacks it.
fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), ExtractError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(zip_damage)?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let entry = archive.by_index_raw(i).map_err(zip_damage)?;
        let (packed, unpacked) = (entry.compressed_size(), entry.size());
        total = total.saturating_add(unpacked);
        if unpacked > 1024 * 1024 && unpacked / packed.max(1) > limits.max_compression_ratio {
            return Err(ExtractError::TooLarge {
                what: format!(
                    "część „{}” rozpakowuje się z {} do {} (bomba zip?)",
                    entry.name().map(|n| n.into_owned()).unwrap_or_default(),
                    human_bytes(packed),
                    human_bytes(unpacked)
                ),
            });
        }
    }
    if total > limits.max_unpacked_bytes {
        return Err(ExtractError::TooLarge {
            what: format!(
                "po rozpakowaniu {} (dozwolone {})",
                human_bytes(total),
                human_bytes(limits.max_unpacked_bytes)
            ),
        });
    }
    Ok(())
}

/// `12,3 MB`-style sizes for messages.
pub fn human_bytes(bytes: u64) -> String {
    const MB: f64 = 1024.0 * 1024.0;
    if bytes as f64 >= MB * 1024.0 {
        format!("{:.1} GB", bytes as f64 / MB / 1024.0).replace('.', ",")
    } else if bytes as f64 >= MB {
        format!("{:.1} MB", bytes as f64 / MB).replace('.', ",")
    } else {
        format!("{} KB", bytes.div_ceil(1024))
    }
}

/// Reads the file at `path` (see [`extract_bytes`]).
pub fn extract_file(path: &Path, limits: &Limits) -> Result<RawWorkbook, ExtractError> {
    extract_bytes(&read_bytes(path, limits)?, limits)
}

/// The bytes of the file at `path`, refused beyond `limits.max_file_bytes`.
pub fn read_bytes(path: &Path, limits: &Limits) -> Result<Vec<u8>, ExtractError> {
    let size = std::fs::metadata(path).map_err(|e| unreadable_file(&e))?.len();
    if size > limits.max_file_bytes {
        return Err(ExtractError::TooLarge {
            what: format!("plik ma {} (dozwolone {})", human_bytes(size), human_bytes(limits.max_file_bytes)),
        });
    }
    std::fs::read(path).map_err(|e| unreadable_file(&e))
}

/// Reads a workbook from its bytes: detects the format, checks limits, reads every sheet.
pub fn extract_bytes(bytes: &[u8], limits: &Limits) -> Result<RawWorkbook, ExtractError> {
    extract_as(detect_format(bytes)?, bytes, limits)
}

/// [`extract_bytes`] for bytes whose format [`detect_format`] has already found.
pub fn extract_as(format: Format, bytes: &[u8], limits: &Limits) -> Result<RawWorkbook, ExtractError> {
    let corrupt = |e: &dyn std::fmt::Display| reader_error(e.to_string());
    match format {
        Format::Xlsx => {
            check_zip(bytes, limits)?;
            let mut book: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| corrupt(&e))?;
            let props = book.workbook_properties().ok();
            let metadata = sheet_list(book.sheets_metadata(), limits)?;
            let mut sheets = Vec::new();
            for (name, hidden) in metadata {
                let mut reader = book.worksheet_cells_reader(&name).map_err(|e| corrupt(&e))?;
                let mut cells = Vec::new();
                while let Some(cell) = reader.next_cell_with_formula().map_err(|e| corrupt(&e))? {
                    let value = CellValue::from_data_ref(&cell.value);
                    let formula = cell.formula.filter(|f| !f.trim().is_empty());
                    if value == CellValue::Empty && formula.is_none() {
                        continue;
                    }
                    if cells.len() == limits.max_cells_per_sheet {
                        return Err(too_many_cells(&name, limits));
                    }
                    cells.push(RawCell { row: cell.pos.0, col: cell.pos.1, value, formula });
                }
                sheets.push(finish_sheet(name, hidden, cells));
            }
            Ok(workbook(format, props, sheets))
        }
        Format::Ods => {
            check_zip(bytes, limits)?;
            let book: Ods<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e: calamine::OdsError| {
                // calamine refuses sheets that expand beyond its own cell limit.
                if e.to_string().contains("limit") {
                    ExtractError::TooLarge { what: "arkusz rozwija się do zbyt wielu komórek".to_string() }
                } else {
                    corrupt(&e)
                }
            })?;
            let props = book.workbook_properties().ok();
            read_by_ranges(format, book, props, limits)
        }
        Format::Xls => {
            let mut book: Xls<_> = open_workbook_from_rs(Cursor::new(bytes)).map_err(|e| match e {
                calamine::XlsError::Password => ExtractError::Encrypted,
                other => corrupt(&other),
            })?;
            let props = book.workbook_properties().ok();
            read_by_ranges(format, book, props, limits)
        }
    }
}

/// A reader's error: a part that unpacks beyond its declared size is a zip bomb with lying
/// headers (the zip reader stops it at the declared size); anything else is damage, told in
/// Polish (the reader's own text is English).
fn reader_error(detail: String) -> ExtractError {
    if detail.contains("larger than its declared uncompressed size") {
        ExtractError::TooLarge {
            what: "część archiwum rozpakowuje się do większego rozmiaru, niż deklaruje jej nagłówek (bomba zip?)"
                .to_string(),
        }
    } else {
        ExtractError::Corrupt { detail: error_text::workbook_damage(&detail) }
    }
}

/// A zip container that cannot be opened.
fn zip_damage(error: zip::result::ZipError) -> ExtractError {
    match error {
        zip::result::ZipError::Io(e) => unreadable_file(&e),
        other => ExtractError::Corrupt { detail: error_text::workbook_damage(&other.to_string()) },
    }
}

/// A file that cannot be read from the disk.
fn unreadable_file(error: &std::io::Error) -> ExtractError {
    ExtractError::Unreadable { reason: error_text::io(error) }
}

fn too_many_cells(sheet: &str, limits: &Limits) -> ExtractError {
    ExtractError::TooLarge {
        what: format!("arkusz „{sheet}” ma ponad {} wypełnionych komórek", limits.max_cells_per_sheet),
    }
}

fn sheet_list(metadata: &[calamine::Sheet], limits: &Limits) -> Result<Vec<(String, bool)>, ExtractError> {
    if metadata.len() > limits.max_sheets {
        return Err(ExtractError::TooLarge {
            what: format!("{} arkuszy (dozwolone {})", metadata.len(), limits.max_sheets),
        });
    }
    Ok(metadata
        .iter()
        .filter(|s| s.typ == calamine::SheetType::WorkSheet)
        .map(|s| (s.name.clone(), s.visible != SheetVisible::Visible))
        .collect())
}

fn read_by_ranges<RS: Read + Seek, R: Reader<RS>>(
    format: Format,
    mut book: R,
    props: Option<calamine::WorkbookProperties>,
    limits: &Limits,
) -> Result<RawWorkbook, ExtractError>
where
    R::Error: std::fmt::Display,
{
    let metadata = sheet_list(book.sheets_metadata(), limits)?;
    let mut sheets = Vec::new();
    for (name, hidden) in metadata {
        let range = book.worksheet_range(&name).map_err(|e| reader_error(e.to_string()))?;
        // Formulas are optional: a reader that cannot give them still gives values.
        let formulas = book.worksheet_formula(&name).ok();
        let mut cells = Vec::new();
        for (row, col, value) in range.used_cells() {
            let (row, col) =
                (row as u32 + range.start().unwrap_or((0, 0)).0, col as u32 + range.start().unwrap_or((0, 0)).1);
            let value = CellValue::from_data(value);
            if value == CellValue::Empty {
                continue;
            }
            if cells.len() == limits.max_cells_per_sheet {
                return Err(too_many_cells(&name, limits));
            }
            cells.push(RawCell { row, col, value, formula: None });
        }
        if let Some(formulas) = formulas {
            let (r0, c0) = formulas.start().unwrap_or((0, 0));
            let index: BTreeMap<(u32, u32), usize> =
                cells.iter().enumerate().map(|(i, c)| ((c.row, c.col), i)).collect();
            for (row, col, formula) in formulas.used_cells() {
                if formula.trim().is_empty() {
                    continue;
                }
                let (row, col) = (row as u32 + r0, col as u32 + c0);
                match index.get(&(row, col)) {
                    Some(&i) => cells[i].formula = Some(formula.clone()),
                    None if cells.len() >= limits.max_cells_per_sheet => return Err(too_many_cells(&name, limits)),
                    None => cells.push(RawCell { row, col, value: CellValue::Empty, formula: Some(formula.clone()) }),
                }
            }
        }
        sheets.push(finish_sheet(name, hidden, cells));
    }
    Ok(workbook(format, props, sheets))
}

fn finish_sheet(name: String, hidden: bool, mut cells: Vec<RawCell>) -> RawSheet {
    cells.sort_by_key(|c| (c.row, c.col));
    cells.dedup_by_key(|c| (c.row, c.col));
    RawSheet { name, hidden, cells }
}

fn workbook(format: Format, props: Option<calamine::WorkbookProperties>, sheets: Vec<RawSheet>) -> RawWorkbook {
    let (custom_properties, modified) = match props {
        Some(p) => (p.custom_properties.into_iter().collect(), p.modified.filter(|m| !m.trim().is_empty())),
        None => (BTreeMap::new(), None),
    };
    RawWorkbook { format, custom_properties, modified, sheets }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_detected_by_content() {
        assert_eq!(detect_format(b""), Err(ExtractError::EmptyFile));
        assert!(
            matches!(detect_format(b"Dzien dobry"), Err(ExtractError::NotASpreadsheet { what }) if what == "plik tekstowy")
        );
        assert!(
            matches!(detect_format(b"%PDF-1.4\n"), Err(ExtractError::NotASpreadsheet { what }) if what == "dokument PDF")
        );
        assert!(matches!(detect_format(b"PK\x03\x04trunc"), Err(ExtractError::Corrupt { .. })));
        let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert_eq!(detect_format(&ole), Ok(Format::Xls));
        ole.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(detect_format(&ole), Err(ExtractError::Encrypted));
    }

    #[test]
    fn sizes_read_like_a_person_writes_them() {
        assert_eq!(human_bytes(500), "1 KB");
        assert_eq!(human_bytes(3 * 1024 * 1024 / 2), "1,5 MB");
    }
}
