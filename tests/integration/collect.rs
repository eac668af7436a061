//! `gpwr collect` end to end: broken files beside good ones, the inbox left untouched,
//! values filled in by other programs coming back exactly, and every messy case getting its
//! finding at its cell.

use crate::common::*;
use gpwr::program::TaskStatus;
use serde_json::Value;
use std::collections::BTreeMap;

#[test]
fn every_finding_code_is_documented_in_the_readme() {
    let readme = std::fs::read_to_string(repo().join("README.md")).unwrap();
    let missing: Vec<&str> = gpwr::collect::findings::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|c| !readme.contains(&format!("| `{c}` |")))
        .collect();
    assert!(missing.is_empty(), "README.md does not document: {missing:?}");
    for code in ["| 0 |", "| 1 |", "| 2 |", "| 3 |"] {
        assert!(readme.contains(code), "README.md documents exit code {code}");
    }
}

/// Collects a copy of the bundled sample inbox into `out/`; returns the temp dir.
fn collect_sample_inbox() -> (tempfile::TempDir, Value) {
    let tmp = temp_dir();
    let inbox = tmp.path().join("inbox");
    copy_tree(&repo().join("samples/inbox"), &inbox);
    let before = hash_tree(&inbox);
    let program = repo().join("samples/program.xlsx");
    let run = gpwr(
        tmp.path(),
        &["collect", "--program", program.to_str().unwrap(), "--inbox", "inbox", "--out", "out", "--json"],
    )
    .expect_code(1);
    assert_eq!(hash_tree(&inbox), before, "the inbox is never modified");
    let json = serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}\n{}", run.stdout));
    (tmp, json)
}

fn expected(name: &str) -> Vec<BTreeMap<String, String>> {
    read_tsv(&repo().join("tests/fixtures/inbox_expected").join(name))
}

#[test]
fn values_filled_in_by_other_programs_come_back_exactly() {
    let (tmp, _) = collect_sample_inbox();
    let out = tmp.path().join("out");
    let rows = read_csv(&out.join("dane.csv"));
    let by_key: BTreeMap<(String, String), &BTreeMap<String, String>> =
        rows.iter().map(|r| ((r["instytucja"].clone(), r["wskaznik"].clone()), r)).collect();
    let mut wrong = Vec::new();
    let values = expected("values.tsv");
    assert_eq!(
        values.len(),
        125,
        "expectations cover MOPS (tables too), SP3 (ods), KPP (xls), SP6, MOSIR, PUP, PCPR's table"
    );
    for e in &values {
        let want_value = match e["value"].as_str() {
            "tak" => "1".to_string(),
            "nie" => "0".to_string(),
            // A task's state is kept as its code; the text typed stays beside it.
            v => TaskStatus::parse(v).map_or(v.to_string(), |state| state.code().to_string()),
        };
        let want = format!("{} {} {} {}", e["file"], e["cell"], want_value, e["status"]);
        let got = match by_key.get(&(e["institution"].clone(), e["indicator"].clone())) {
            Some(r) => format!("{} {} {} {}", r["plik"], r["komorka"], r["wartosc"], r["status"]),
            None => "no row".into(),
        };
        if want != got {
            wrong.push(format!("{} {}: expected {want:?}, got {got:?}", e["institution"], e["indicator"]));
        }
    }
    assert!(wrong.is_empty(), "{} of {} values differ:\n{}", wrong.len(), values.len(), wrong.join("\n"));

    // Descriptions and comments.
    let descriptions = read_csv(&out.join("opisy.csv"));
    for e in expected("descriptions.tsv") {
        if e["kind"] == "opis" {
            let task = e["key"].trim_start_matches("opis:");
            let found = descriptions.iter().find(|d| d["instytucja"] == "MOPS" && d["zadanie"] == task);
            assert_eq!(
                found.map(|d| (d["opis"].as_str(), d["komorka"].as_str())),
                Some((e["text"].as_str(), e["cell"].as_str())),
                "{task}"
            );
        } else {
            let row = by_key[&("MOPS".to_string(), e["key"].clone())];
            assert_eq!(row["komentarz"], e["text"], "comment of {}", e["key"]);
        }
    }
    // Activities and needs, with dates, numbers and task ids.
    let activities = read_csv(&out.join("dzialania.csv"));
    let want = expected("activities.tsv");
    assert_eq!(activities.len(), want.len());
    for (got, e) in activities.iter().zip(&want) {
        let task = e["Zadanie"].split_whitespace().next().unwrap_or_default();
        assert_eq!(
            (
                got["zadanie"].as_str(),
                got["nazwa"].as_str(),
                got["data_od"].as_str(),
                got["data_do"].as_str(),
                got["liczba_uczestnikow"].as_str()
            ),
            (
                task,
                e["Nazwa działania"].as_str(),
                e["Data od"].as_str(),
                e["Data do"].as_str(),
                e["Liczba uczestników"].as_str()
            )
        );
        assert_eq!(got["komorka"], e["row"].replace('!', "!A"));
    }
    let placements = read_csv(&out.join("piecza.csv"));
    let want = expected("placements.tsv");
    assert_eq!(placements.len(), want.len(), "every placement row, the broken one too");
    for (got, e) in placements.iter().zip(&want) {
        let fields = |r: &std::collections::BTreeMap<String, String>, keys: [&str; 5]| keys.map(|k| r[k].clone());
        assert_eq!(
            fields(
                got,
                ["kod_dziecka", "forma_pieczy", "data_umieszczenia", "data_zakonczenia", "wydatki_miesiecznie"]
            ),
            fields(
                e,
                ["Kod dziecka", "Forma pieczy", "Data umieszczenia", "Data zakończenia", "Miesięczne wydatki (zł)"]
            ),
            "{}",
            e["row"]
        );
        assert_eq!(got["komorka"], e["row"].replace('!', "!A"));
        assert_eq!(got["poprawny"], if e["Forma pieczy"] == "babcia" { "nie" } else { "tak" });
        // Each line's expense applies from the date typed (the placement date when empty) to
        // the day before the same placement's next expense, or to its end.
        let from = |r: &BTreeMap<String, String>| {
            Some(r.get("Wydatki obowiązują od").map_or("", String::as_str))
                .filter(|t| !t.is_empty())
                .unwrap_or(&r["Data umieszczenia"])
                .to_string()
        };
        assert_eq!(got["wydatki_od"], from(e), "{}", e["row"]);
        let same = |o: &&BTreeMap<String, String>| {
            ["Kod dziecka", "Forma pieczy", "Data umieszczenia"].iter().all(|k| o[*k] == e[*k])
        };
        let next = want.iter().filter(same).map(from).filter(|f| *f > from(e)).min();
        let until = match next {
            Some(next) => {
                (chrono::NaiveDate::parse_from_str(&next, "%Y-%m-%d").unwrap() - chrono::Days::new(1)).to_string()
            }
            None => e["Data zakończenia"].clone(),
        };
        if got["poprawny"] == "tak" {
            assert_eq!(got["wydatki_do"], until, "{}", e["row"]);
        }
    }
    let needs = read_csv(&out.join("potrzeby.csv"));
    let want = expected("needs.tsv");
    assert_eq!(needs.len(), want.len());
    for (got, e) in needs.iter().zip(&want) {
        assert_eq!(
            (got["opis"].as_str(), got["kategoria"].as_str(), got["koszt"].as_str(), got["priorytet"].as_str()),
            (
                e["Opis potrzeby"].as_str(),
                e["Kategoria"].as_str(),
                e["Szacowany koszt (zł)"].as_str(),
                e["Priorytet"].as_str()
            )
        );
    }
}

#[test]
fn every_messy_case_gets_its_finding_at_its_cell() {
    let (tmp, json) = collect_sample_inbox();
    let all = findings(&json);
    let pcpr = "PCPR_poprawione.xlsx";
    let cases: &[(&str, &str, &str)] = &[
        ("ISKIERKA.xls", "", "FORMAT_INNY_NIZ_ROZSZERZENIE"),
        (pcpr, "Wskaźniki!E7", "LICZBA_Z_TEKSTU"),
        (pcpr, "Wskaźniki!H10", "KOMORKA_POZA_FORMULARZEM"),
        (pcpr, "Wskaźniki!E12", "LICZBA_Z_TEKSTU"),
        (pcpr, "Wskaźniki!E12", "ULAMEK_W_LICZBIE_CALKOWITEJ"),
        (pcpr, "Wskaźniki!E15", "WARTOSC_PRZYBLIZONA"),
        (pcpr, "Wskaźniki!E16", "TEKST_ZAMIAST_LICZBY"),
        (pcpr, "Wskaźniki!E17", "POZA_ZAKRESEM"),
        (pcpr, "Wskaźniki!E21", "KRESKA"),
        (pcpr, "Wskaźniki!B22", "KOMORKA_POZA_FORMULARZEM"),
        (pcpr, "Wskaźniki!E23", "UJEMNA_WARTOSC"),
        (pcpr, "Wskaźniki!E29", "ULAMEK_W_LICZBIE_CALKOWITEJ"),
        (pcpr, "Wskaźniki!E30", "LICZBA_Z_TEKSTU"),
        (pcpr, "Wskaźniki!E33", "LICZBA_Z_TEKSTU"),
        (pcpr, "Wskaźniki!E34", "TEKST_ZAMIAST_LICZBY"),
        (pcpr, "Wskaźniki!E35", "DATA_ZAMIAST_LICZBY"),
        (pcpr, "Piecza zastępcza!B65", "UMIESZCZENIE_NIEPOPRAWNE"),
        (pcpr, "Piecza zastępcza!A65", "KOD_DZIECKA_DANE_OSOBOWE"),
        ("UM.xlsx", "Wskaźniki!E7", "ZA_DUZO_MIEJSC_PO_PRZECINKU"),
        ("UM.xlsx", "Wskaźniki!E11", "FORMULA_BEZ_WYNIKU"),
        ("UM.xlsx", "Wskaźniki!E16", "LICZBA_Z_TEKSTU"),
        ("UM.xlsx", "Wskaźniki!E22", "LICZBA_Z_TEKSTU"),
        ("ZI.xlsx", "Wskaźniki", "BRAK_WIERSZA"),
        ("ZI.xlsx", "Wskaźniki!A10", "NIEZNANY_WSKAZNIK"),
        ("Promyk_wersja1.xlsx", "", "DUPLIKAT"),
        ("SP11_2024.xlsx", "", "INNY_ROK"),
        ("inny_program.xlsx", "", "INNY_PROGRAM"),
        ("SP99.xlsx", "", "NIEZNANA_INSTYTUCJA"),
        ("pusty.xlsx", "", "PLIK_PUSTY"),
        ("notatka.xlsx", "", "PLIK_NIE_ARKUSZ"),
        ("uszkodzony.xlsx", "", "PLIK_USZKODZONY"),
        ("zaszyfrowany.xlsx", "", "PLIK_ZASZYFROWANY"),
        ("skan.pdf", "", "PLIK_POMINIETY"),
    ];
    let missing: Vec<String> = cases
        .iter()
        .filter(|(file, at, code)| !all.iter().any(|(f, c, l)| f == file && c == code && l == at))
        .map(|(file, at, code)| {
            let got: Vec<_> = all.iter().filter(|(f, _, _)| f == file).map(|(_, c, l)| format!("{c}@{l}")).collect();
            format!("{file} {at}: expected {code}, got {got:?}")
        })
        .collect();
    assert!(
        missing.is_empty(),
        "{} of {} cases without their finding:\n{}",
        missing.len(),
        cases.len(),
        missing.join("\n")
    );
    // The two versions of Promyk's form: the newer one wins, and what differs is listed.
    let differ: Vec<&str> = all
        .iter()
        .filter(|(f, c, _)| f == "Promyk_wersja1.xlsx" && c == "ROZNICA_MIEDZY_WERSJAMI")
        .map(|(_, _, l)| l.as_str())
        .collect();
    assert_eq!(differ.len(), 2, "two values differ between the versions: {differ:?}");

    // Values read from messy cells.
    let rows = read_csv(&tmp.path().join("out/dane.csv"));
    let value = |inst: &str, id: &str| {
        let r = rows.iter().find(|r| r["instytucja"] == inst && r["wskaznik"] == id).unwrap();
        (r["wartosc"].clone(), r["status"].clone(), r["tekst_oryginalny"].clone(), r["plik"].clone())
    };
    let v = |s: &str| s.to_string();
    assert_eq!(value("PCPR", "C1.wspolpraca.grupy_diagnostyczne"), (v("12"), v("wartosc"), v("12 rodzin"), v(pcpr)));
    assert_eq!(value("UM", "C3.wypoczynek.koszt"), (v("12500"), v("wartosc"), v("12 500,00 zł"), v("UM.xlsx")));
    assert_eq!(value("UM", "C4.uczniowie.stypendia_kwota"), (v("1234.5"), v("wartosc"), v("1.234,50"), v("UM.xlsx")));
    assert_eq!(value("UM", "C1.swietlice.dotacja").0, "250000.456", "amounts are kept as typed, not rounded");
    assert_eq!(value("PCPR", "C2.poradnictwo.oczekiwanie_dni").0, "400");
    assert_eq!(value("ZI", "C1.nk.dzieci").0, "112", "a sorted row keeps its value");
    assert_eq!(value("ZI", "C1.nk.grupy_robocze").1, "brak_wiersza");
    assert_eq!(
        value("PROMYK", "C1.swietlice.dzieci"),
        (v("42"), v("wartosc"), v(""), v("Promyk_wersja2_POPRAWIONA.xlsx"))
    );
    assert_eq!(value("SCK", "C2.edukacja.dzieci").1, "brak_formularza");
    let at = |cell: &str| {
        let r = rows.iter().find(|r| r["plik"] == pcpr && r["komorka"] == cell).unwrap();
        (r["wartosc"].clone(), r["status"].clone(), r["tekst_oryginalny"].clone())
    };
    assert_eq!(at("Wskaźniki!E16"), (v(""), v("tekst"), v("Na bieżąco")), "text is kept, not turned into 0");
    assert_eq!(at("Wskaźniki!E21"), (v(""), v("brak_danych"), v("-")), "a dash is not 0");
    assert_eq!(at("Wskaźniki!E15"), (v("470"), v("wartosc"), v("ok. 470")));
    assert_eq!(at("Wskaźniki!E33"), (v("1234"), v("wartosc"), v("1\u{a0}234")));
    assert_eq!(at("Wskaźniki!E35"), (v(""), v("tekst"), v("2025-05-03")));
    // Typed cells outside the form are kept.
    let others = read_csv(&tmp.path().join("out/inne_komorki.csv"));
    for (file, cell, text) in
        [(pcpr, "H10", "do uzupełnienia"), (pcpr, "B22", "wiersz dodany przez PCPR"), ("ZI.xlsx", "E10", "5")]
    {
        assert!(
            others.iter().any(|o| o["plik"] == file && o["komorka"] == cell && o["tekst"] == text),
            "{file} {cell} {text:?} not in inne_komorki.csv"
        );
    }
    // Feedback for institutions with problems, none for clean ones.
    let feedback: Vec<String> = std::fs::read_dir(tmp.path().join("out/do_poprawy"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(feedback.contains(&"GPWR_2025_PCPR_do_poprawy.xlsx".to_string()), "{feedback:?}");
    assert!(!feedback.iter().any(|f| f.contains("_MOPS_")), "MOPS returned a clean form: {feedback:?}");
}

#[test]
fn collecting_the_same_inbox_twice_gives_the_same_bytes() {
    let (first, _) = collect_sample_inbox();
    let (second, _) = collect_sample_inbox();
    assert_eq!(hash_tree(&first.path().join("out")), hash_tree(&second.path().join("out")));
}

#[test]
fn the_parquet_table_matches_the_csv() {
    use polars::prelude::*;
    let (tmp, _) = collect_sample_inbox();
    let file = std::fs::File::open(tmp.path().join("out/dane.parquet")).unwrap();
    let frame = ParquetReader::new(file).finish().unwrap();
    let csv = read_csv(&tmp.path().join("out/dane.csv"));
    assert_eq!(frame.height(), csv.len());
    let ids = frame.column("wskaznik").unwrap().str().unwrap().clone();
    let institutions = frame.column("instytucja").unwrap().str().unwrap().clone();
    let values = frame.column("wartosc").unwrap().f64().unwrap().clone();
    let row = (0..frame.height())
        .find(|&i| institutions.get(i) == Some("MOPS") && ids.get(i) == Some("C3.piecza.wydatki"))
        .expect("MOPS C3.piecza.wydatki");
    assert_eq!(values.get(row), Some(413985.0));
}

#[test]
fn dates_outside_the_year_and_pesel_numbers_are_flagged_where_they_are() {
    use gpwr::collect::read::read_return;
    use gpwr::workbook::{CellValue, Limits, RawCell, extract_file};
    let program = gpwr::program::read_program(&repo().join("samples/program.xlsx")).program.unwrap();
    let mut raw = extract_file(&sample_template("SP3"), &Limits::default()).unwrap();
    let put = |raw: &mut gpwr::workbook::RawWorkbook, sheet: &str, row: u32, col: u32, value: CellValue| {
        let sheet = raw.sheets.iter_mut().find(|s| s.name == sheet).unwrap();
        sheet.cells.push(RawCell { row, col, value, formula: None });
        sheet.cells.sort_by_key(|c| (c.row, c.col));
    };
    // Działania: header on row 4 (index 3); one activity dated in the previous year.
    put(&mut raw, "Działania", 4, 0, CellValue::Text("Z2.1".into()));
    put(&mut raw, "Działania", 4, 1, CellValue::Text("Warsztaty dla rodziców".into()));
    put(&mut raw, "Działania", 4, 2, CellValue::Date("2024-10-31".into()));
    put(&mut raw, "Działania", 4, 4, CellValue::Number(12.0));
    put(&mut raw, "Działania", 5, 1, CellValue::Text("Festyn rodzinny".into()));
    put(&mut raw, "Działania", 5, 4, CellValue::Text("kilkadziesiąt".into()));
    // A comment naming a child by PESEL next to the first indicator.
    let first_row = raw
        .sheet("Wskaźniki")
        .unwrap()
        .cells
        .iter()
        .find(|c| c.value.text().as_deref() == Some("C1.wspolpraca.grupy_diagnostyczne"))
        .unwrap()
        .row;
    put(&mut raw, "Wskaźniki", first_row, 6, CellValue::Text("dotyczy dziecka 44051401458".into()));
    // A note typed on the instructions sheet, and the preparer's name in its field.
    put(&mut raw, "Instrukcja", 1, 3, CellValue::Text("Dane wstępne, korekta w marcu".into()));
    let preparer_row = raw
        .sheet("Instrukcja")
        .unwrap()
        .cells
        .iter()
        .find(|c| c.value.text().as_deref() == Some("Sporządził(a)"))
        .unwrap()
        .row;
    put(&mut raw, "Instrukcja", preparer_row, 1, CellValue::Text("Ewa Kamińska".into()));
    let ret = read_return(&program, "SP3.xlsx", "xlsx", &raw);
    let outside: Vec<String> =
        ret.findings.iter().filter(|f| f.code.as_str() == "KOMORKA_POZA_FORMULARZEM").map(|f| f.location()).collect();
    assert_eq!(outside, vec!["Instrukcja!D2".to_string()], "only the typed note, not the template's own text");
    assert!(ret.other_cells.iter().any(|o| o.cell == "D2" && o.text == "Dane wstępne, korekta w marcu"));
    assert_eq!(ret.preparer, vec![("Sporządził(a)".to_string(), "Ewa Kamińska".to_string())]);
    let found: Vec<(String, String)> =
        ret.findings.iter().map(|f| (f.code.as_str().to_string(), f.location())).collect();
    assert!(found.contains(&("DATA_POZA_ROKIEM".into(), "Działania!C5".into())), "{found:?}");
    assert!(found.contains(&("MOZLIWE_DANE_OSOBOWE".into(), format!("Wskaźniki!G{}", first_row + 1))), "{found:?}");
    let comment = ret.values.iter().find(|v| v.indicator == "C1.wspolpraca.grupy_diagnostyczne").unwrap();
    assert_eq!(comment.comment.as_deref(), Some("dotyczy dziecka [PESEL ukryty 1]"), "the number is masked");
    assert!(found.contains(&("DZIALANIE_NIEPOPRAWNE".into(), "Działania!E6".into())), "{found:?}");
    assert_eq!(ret.activities.len(), 2);
    assert_eq!(ret.activities[1].participants_text.as_deref(), Some("kilkadziesiąt"), "kept as typed");
    assert_eq!(ret.activities[0].date_from.as_deref(), Some("2024-10-31"), "the date is kept as typed");
}

#[test]
fn the_output_folder_never_overwrites_inputs_or_foreign_folders() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    std::fs::copy(sample_template("SP3"), campaign.join("inbox/SP3.xlsx")).unwrap();
    let before = hash_tree(&campaign.join("inbox"));
    for out in ["inbox", ".", "inbox/wyniki"] {
        let run = gpwr(&campaign, &["collect", "--out", out]).expect_code(3);
        assert!(run.stderr.contains("pokrywa się z danymi wejściowymi"), "--out {out}: {}", run.stderr);
    }
    std::fs::create_dir(campaign.join("moje")).unwrap();
    std::fs::write(campaign.join("moje/notatki.txt"), "ważne").unwrap();
    let run = gpwr(&campaign, &["collect", "--out", "moje"]).expect_code(3);
    assert!(run.stderr.contains("nie jest pusty"), "{}", run.stderr);
    assert_eq!(std::fs::read_to_string(campaign.join("moje/notatki.txt")).unwrap(), "ważne");
    assert_eq!(hash_tree(&campaign.join("inbox")), before);
    // Its own folder is replaced run after run.
    gpwr(&campaign, &["collect"]).expect_code(1);
    gpwr(&campaign, &["collect"]).expect_code(1);
    assert!(campaign.join("collected/dane.csv").exists());
}

#[test]
fn a_definition_that_cannot_be_read_is_a_definition_error_for_collect_as_for_templates() {
    let tmp = temp_dir();
    copy_tree(&repo().join("samples/inbox"), &tmp.path().join("inbox"));
    // A folder where the definition should be: it exists, but cannot be read as a file.
    std::fs::create_dir(tmp.path().join("program.xlsx")).unwrap();
    let collect = gpwr(tmp.path(), &["collect", "--program", "program.xlsx", "--inbox", "inbox", "--out", "collected"]);
    let templates = gpwr(tmp.path(), &["templates", "--program", "program.xlsx", "--out", "templates"]);
    for (run, not_done) in [(&collect, "Nie zebrano danych: definicja programu ma błędy"), (&templates, "definicja")]
    {
        assert_eq!(run.code, 1, "exit code; stderr:\n{}", run.stderr);
        assert!(run.stderr.contains("program.xlsx: "), "the file is named:\n{}", run.stderr);
        assert!(run.stderr.contains(not_done), "expected {not_done:?} in:\n{}", run.stderr);
        assert!(!run.stderr.contains("os error"), "no system text:\n{}", run.stderr);
    }
    let problem = |run: &Run| run.stderr.lines().next().unwrap_or_default().to_string();
    assert_eq!(problem(&collect), problem(&templates), "both say the same of the file");
    assert!(!tmp.path().join("collected").exists(), "nothing written");
}
