//! Beyond a sheet's rows: when the values outgrow one `Dane` sheet (Excel's 1 048 576 rows,
//! lowered here through `GPWR_WIERSZE_DANE`), they continue on `Dane (2)`, `Dane (3)`, …,
//! every value on exactly one sheet, and every total's formula reads the sheets holding its
//! indicator, so LibreOffice recalculates the same totals gpwr cached.

use crate::common::*;
use crate::report::{assert_recalculated_as_cached, sample_report_with, summary};
use calamine::Reader;
use gpwr::jobs::report::DATA_ROWS_VARIABLE;

#[test]
fn values_beyond_a_sheets_rows_continue_on_further_sheets_and_every_total_still_holds() {
    let (tmp, path) = sample_report_with(&[(DATA_ROWS_VARIABLE, "5")]);
    let csv = read_csv(&tmp.path().join("collected/dane.csv"));
    let mut book = open(&path);
    let data_sheets: Vec<String> = book.sheet_names().into_iter().filter(|n| n.starts_with("Dane")).collect();
    // 216 values, 5 a sheet, an indicator's rows kept together unless longer than a sheet.
    assert_eq!(data_sheets[..3], ["Dane", "Dane (2)", "Dane (3)"]);
    assert!(data_sheets.len() >= 216 / 5, "{} sheets", data_sheets.len());
    let mut seen = Vec::new();
    for name in &data_sheets {
        let range = book.worksheet_range(name).unwrap();
        let rows: Vec<Vec<String>> = range.rows().skip(1).map(|r| r.iter().map(text).collect()).collect();
        assert!(!rows.is_empty() && rows.len() <= 5, "{name}: {} rows", rows.len());
        seen.extend(rows.into_iter().map(|r| (r[0].clone(), r[4].clone())));
    }
    seen.sort();
    let mut expected: Vec<(String, String)> =
        csv.iter().map(|r| (r["instytucja"].clone(), r["wskaznik"].clone())).collect();
    expected.sort();
    assert_eq!(seen, expected, "every value on exactly one Dane sheet");
    // Nine institutions report whether they signed an agreement: more than a sheet holds, so
    // its formula sums two sheets.
    let formulas = book.worksheet_formula("Podsumowanie").unwrap();
    let rows = summary(&path);
    let row = rows.keys().position(|id| id == "C1.wspolpraca.porozumienie").unwrap();
    let (at, _) = sheet(&path, "Podsumowanie")
        .rows()
        .enumerate()
        .find(|(_, r)| text(&r[2]) == "C1.wspolpraca.porozumienie")
        .unwrap();
    let count = formulas.get_value((at as u32, 8)).cloned().unwrap_or_default();
    assert_eq!(count.matches("COUNTIFS(").count(), 2, "{count} (row {row})");
    assert_eq!(rows["C1.wspolpraca.porozumienie"]["Oczekiwane"], "9");
    assert_eq!(rows["C2.poradnictwo.osoby"]["Razem"], "2439");
    if std::process::Command::new("soffice").arg("--version").output().is_err() {
        skipped("soffice not installed (apt-get install -y libreoffice-calc-nogui): recalculation not compared");
        return;
    }
    assert_eq!(assert_recalculated_as_cached(tmp.path(), &path), 108 * 5);
}

#[test]
fn an_indicator_whose_numbers_miss_a_sheet_still_recalculates_to_its_total() {
    // One row a sheet: every indicator reported twice spans sheets, and a sheet holding only
    // a text (PCPR's "2025-05-03" for the children returned from foster care, whose total
    // must agree with MOPS's) has none of its numbers, where MAXIFS and MINIFS give 0.
    let (tmp, path) = sample_report_with(&[(DATA_ROWS_VARIABLE, "1")]);
    let rows = summary(&path);
    assert_eq!(rows["C3.piecza.powroty"]["Razem"], "4");
    if std::process::Command::new("soffice").arg("--version").output().is_err() {
        skipped("soffice not installed (apt-get install -y libreoffice-calc-nogui): recalculation not compared");
        return;
    }
    assert_eq!(assert_recalculated_as_cached(tmp.path(), &path), 108 * 5);
}
