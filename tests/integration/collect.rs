//! `gpwr collect` end to end: broken files beside good ones, the inbox left untouched,
//! values filled in by other programs coming back exactly, and every messy case getting its
//! finding at its cell.

use crate::common::*;
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// Findings from `--json` output as (file, code, location) triples.
fn findings(json: &Value) -> Vec<(String, String, String)> {
    json["ustalenia"]
        .as_array()
        .expect("ustalenia is a list")
        .iter()
        .map(|f| {
            let location = match (f["arkusz"].as_str(), f["komorka"].as_str()) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.to_string(),
                _ => String::new(),
            };
            let file = f["plik"].as_str().or(f["instytucja"].as_str()).unwrap_or_default().to_string();
            (file, f["kod"].as_str().unwrap_or_default().to_string(), location)
        })
        .collect()
}

fn codes_of(all: &[(String, String, String)], file: &str) -> Vec<String> {
    all.iter().filter(|(f, _, _)| f == file).map(|(_, c, _)| c.clone()).collect()
}

/// An xlsx-shaped zip whose one sheet unpacks to `unpacked_mb` megabytes of spaces.
fn zip_bomb(path: &Path, unpacked_mb: usize) {
    let file = std::fs::File::create(path).unwrap();
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("[Content_Types].xml", options).unwrap();
    zip.write_all(
        b"<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>",
    )
    .unwrap();
    zip.start_file("xl/workbook.xml", options).unwrap();
    zip.write_all(b"<?xml version=\"1.0\"?><workbook/>").unwrap();
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    let chunk = vec![b' '; 1024 * 1024];
    for _ in 0..unpacked_mb {
        zip.write_all(&chunk).unwrap();
    }
    zip.finish().unwrap();
}

/// A real workbook with one cell at A1 and one at XFD1048576: a naive reader would
/// allocate a 17-billion-cell grid for it.
fn far_cells(path: &Path) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "tu").unwrap();
    sheet.write_string(1_048_575, 16_383, "i tam").unwrap();
    book.save(path).unwrap();
}

#[test]
fn broken_files_get_findings_and_the_good_ones_are_collected() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    let inbox = campaign.join("inbox");
    std::fs::copy(sample_template("SP3"), inbox.join("SP3.xlsx")).unwrap();
    std::fs::copy(sample_template("KPP"), inbox.join("KPP.xlsx")).unwrap();
    std::fs::write(inbox.join("pusty.xlsx"), b"").unwrap();
    std::fs::write(inbox.join("notatka.xlsx"), "Dzień dobry, w załączniku przesyłam sprawozdanie.\n").unwrap();
    let template = std::fs::read(sample_template("SP6")).unwrap();
    std::fs::write(inbox.join("uszkodzony.xlsx"), &template[..template.len() / 2]).unwrap();
    let xls = std::fs::read(repo().join("tests/fixtures/resaved/KPP.libreoffice.xls")).unwrap();
    std::fs::write(inbox.join("uszkodzony.xls"), &xls[..xls.len() / 3]).unwrap();
    std::fs::copy(repo().join("tests/fixtures/bad/zaszyfrowany.xlsx"), inbox.join("zaszyfrowany.xlsx")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/bad/panika.xls"), inbox.join("panika.xls")).unwrap();
    std::fs::copy(repo().join("tests/fixtures/bad/komorki.ods"), inbox.join("komorki.ods")).unwrap();
    zip_bomb(&inbox.join("bomba.xlsx"), 64);
    far_cells(&inbox.join("daleko.xlsx"));
    std::fs::write(inbox.join("skan.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    std::fs::write(inbox.join("~$SP3.xlsx"), b"lock").unwrap();
    let before = hash_tree(&inbox);

    let run = gpwr(&campaign, &["collect", "--json"]).expect_code(1);
    let json: Value = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout));
    let all = findings(&json);
    let expected = [
        ("pusty.xlsx", "PLIK_PUSTY"),
        ("notatka.xlsx", "PLIK_NIE_ARKUSZ"),
        ("uszkodzony.xlsx", "PLIK_USZKODZONY"),
        ("uszkodzony.xls", "PLIK_USZKODZONY"),
        ("zaszyfrowany.xlsx", "PLIK_ZASZYFROWANY"),
        ("bomba.xlsx", "PLIK_ZA_DUZY"),
        ("komorki.ods", "PLIK_ZA_DUZY"),
        ("panika.xls", "PLIK_USZKODZONY"),
        ("daleko.xlsx", "BRAK_IDENTYFIKATORA"),
        ("skan.pdf", "PLIK_POMINIETY"),
    ];
    for (file, code) in expected {
        assert_eq!(
            codes_of(&all, file),
            vec![code.to_string()],
            "{file}: expected only {code}, got {:?}",
            codes_of(&all, file)
        );
    }
    assert!(codes_of(&all, "~$SP3.xlsx").is_empty(), "lock files are ignored silently");
    let chosen: BTreeMap<&str, Option<&str>> = json["kompletnosc"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["instytucja"].as_str().unwrap(), c["plik"].as_str()))
        .collect();
    assert_eq!(chosen["SP3"], Some("SP3.xlsx"));
    assert_eq!(chosen["KPP"], Some("KPP.xlsx"));
    assert_eq!(chosen["SP6"], None);
    // The good files' rows are in the tidy table.
    let rows = read_csv(&campaign.join("collected/dane.csv"));
    let sp3 = rows.iter().filter(|r| r["instytucja"] == "SP3" && r["plik"] == "SP3.xlsx").count();
    assert_eq!(sp3, 12, "every SP3 indicator has a row from SP3.xlsx");
    assert!(run.stderr.contains("Nie przysłały") || run.stderr.contains("Odczytano"), "{}", run.stderr);
    assert_eq!(hash_tree(&inbox), before, "the inbox is never modified");
}
