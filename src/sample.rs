//! The bundled sample programme, modelled on the seeds (Mielec's structure, Jawor's and
//! Połaniec's cross-checks): the starting point `gpwr init` writes and the tests use.
//!
//! Its source is one readable TSV per definition sheet under `src/sample/`; the committed
//! `samples/program.xlsx` is generated from them and a test keeps the two in step. The
//! sample inbox (`samples/inbox/`, returns filled in by openpyxl and LibreOffice, messy and
//! broken ones included) is built into the binary too, for `gpwr demo`.

use crate::program::sheets;
use crate::program::write::{SheetTable, definition_workbook};
use rust_xlsxwriter::{ExcelDateTime, XlsxError};

const SOURCES: [(&str, &str); 13] = [
    (sheets::SETTINGS, include_str!("sample/01_Ustawienia.tsv")),
    (sheets::GROUPS, include_str!("sample/02_Grupy.tsv")),
    (sheets::INSTITUTIONS, include_str!("sample/03_Instytucje.tsv")),
    (sheets::GOALS, include_str!("sample/04_Cele.tsv")),
    (sheets::TASKS, include_str!("sample/05_Zadania.tsv")),
    (sheets::BREAKDOWNS, include_str!("sample/05a_Podzialy.tsv")),
    (sheets::TABLES, include_str!("sample/05b_Tabele.tsv")),
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

/// The sample inbox: (path relative to the inbox, `/`-separated; bytes) of every file in
/// `samples/inbox/`, so that `gpwr demo` runs the whole cycle from the binary alone.
pub const SAMPLE_INBOX: [(&str, &[u8]); 21] = [
    ("ISKIERKA.xls", include_bytes!("../samples/inbox/ISKIERKA.xls")),
    ("KPP_GPWR.xls", include_bytes!("../samples/inbox/KPP_GPWR.xls")),
    ("MOSIR.xlsx", include_bytes!("../samples/inbox/MOSIR.xlsx")),
    ("PCPR_poprawione.xlsx", include_bytes!("../samples/inbox/PCPR_poprawione.xlsx")),
    ("Promyk_wersja1.xlsx", include_bytes!("../samples/inbox/Promyk_wersja1.xlsx")),
    ("Promyk_wersja2_POPRAWIONA.xlsx", include_bytes!("../samples/inbox/Promyk_wersja2_POPRAWIONA.xlsx")),
    ("SP11_2024.xlsx", include_bytes!("../samples/inbox/SP11_2024.xlsx")),
    ("SP3 - odpowiedź.ods", include_bytes!("../samples/inbox/SP3 - odpowiedź.ods")),
    ("SP99.xlsx", include_bytes!("../samples/inbox/SP99.xlsx")),
    ("Sprawozdanie MOPS 2025.xlsx", include_bytes!("../samples/inbox/Sprawozdanie MOPS 2025.xlsx")),
    ("UM.xlsx", include_bytes!("../samples/inbox/UM.xlsx")),
    ("ZI.xlsx", include_bytes!("../samples/inbox/ZI.xlsx")),
    ("inny_program.xlsx", include_bytes!("../samples/inbox/inny_program.xlsx")),
    ("notatka.xlsx", include_bytes!("../samples/inbox/notatka.xlsx")),
    ("pusty.xlsx", include_bytes!("../samples/inbox/pusty.xlsx")),
    ("skan.pdf", include_bytes!("../samples/inbox/skan.pdf")),
    ("sp6.xlsx", include_bytes!("../samples/inbox/sp6.xlsx")),
    ("stare/PUP.xlsx", include_bytes!("../samples/inbox/stare/PUP.xlsx")),
    ("uszkodzony.xlsx", include_bytes!("../samples/inbox/uszkodzony.xlsx")),
    ("zaszyfrowany.xlsx", include_bytes!("../samples/inbox/zaszyfrowany.xlsx")),
    ("~$Sprawozdanie MOPS 2025.xlsx", include_bytes!("../samples/inbox/~$Sprawozdanie MOPS 2025.xlsx")),
];

#[cfg(test)]
mod tests {
    /// A file's size and FNV-1a hash: enough to tell two versions apart, short enough to read.
    fn summary(bytes: &[u8]) -> String {
        let hash =
            bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
        format!("{} B, fnv {hash:016x}", bytes.len())
    }

    #[test]
    fn the_bundled_inbox_is_the_sample_inbox_file_for_file() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/inbox");
        let mut on_disk = Vec::new();
        let mut pending = vec![dir.clone()];
        while let Some(d) = pending.pop() {
            for entry in std::fs::read_dir(&d).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    let relative = path.strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
                    on_disk.push((relative, summary(&std::fs::read(&path).unwrap())));
                }
            }
        }
        on_disk.sort();
        let bundled: Vec<(String, String)> =
            super::SAMPLE_INBOX.iter().map(|(name, bytes)| (name.to_string(), summary(bytes))).collect();
        assert_eq!(bundled, on_disk, "SAMPLE_INBOX lists samples/inbox/ file for file: add or remove the entries");
    }
}
