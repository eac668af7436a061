//! `gpwr report --previous`: the draft council report says, in each task's section after
//! its indicator table, what changed since last year, in Polish with the verb agreeing with
//! the indicator's label; the consolidated workbook keeps its change column.

use crate::common::*;
use crate::report::sample_report;
use std::path::Path;

/// Writes last year's consolidated workbook as gpwr does: `Podsumowanie` with `ID` and
/// `Razem` under a title.
fn last_years_workbook(path: &Path, totals: &[(&str, f64)]) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet().set_name("Podsumowanie").unwrap();
    sheet.write_string(0, 0, "Podsumowanie wskaźników za rok 2024").unwrap();
    sheet.write_string(3, 0, "Cel").unwrap();
    sheet.write_string(3, 2, "ID").unwrap();
    sheet.write_string(3, 7, "Razem").unwrap();
    for (row, (id, value)) in totals.iter().enumerate() {
        sheet.write_string(4 + row as u32, 2, *id).unwrap();
        sheet.write_number(4 + row as u32, 7, *value).unwrap();
    }
    book.save(path).unwrap();
}

#[test]
fn the_draft_report_says_what_changed_since_last_year() {
    let (tmp, _) = sample_report();
    let without = docx_paragraphs(&tmp.path().join("report/sprawozdanie.docx"));
    assert!(!without.iter().any(|p| p.contains("W porównaniu z rokiem")), "no comparison without --previous");
    let previous = tmp.path().join("zestawienie_2024.xlsx");
    last_years_workbook(
        &previous,
        &[
            ("C1.asystent.rodziny", 42.0),
            ("C1.asystent.ponad_rok", 20.0),
            ("C1.asystent.dofinansowanie", 58_320.5),
            ("C1.asystent.zakonczone", 18.0),
            ("C1.asystent.zak_cel", 8.0),
            ("C1.wspolpraca.porozumienie", 3.0),
            ("C1.swietlice.godziny", 20.0),
            ("C1.swietlice.dotacja", 200_000.0),
            ("C2.poradnictwo.oczekiwanie_dni", 410.0),
            ("C2.alkohol.wnioski", 5.0),
            ("C3.piecza.wydatki", 400_000.0),
            ("C3.piecza.wydatki_rodzinna", 300_776.55),
            ("C4.dozywianie.wydatki", 600_000.0),
        ],
    );
    let program = repo().join("samples/program.xlsx");
    let args = ["report", "--program", program.to_str().unwrap(), "--collected", "collected", "--out", "report2"];
    gpwr(tmp.path(), &[&args[..], &["--previous", previous.to_str().unwrap()]].concat()).expect_code(1);
    let text = docx_paragraphs(&tmp.path().join("report2/sprawozdanie.docx"));
    let at = |wanted: &str| {
        text.iter().position(|p| p == wanted).unwrap_or_else(|| panic!("no paragraph {wanted:?} in {text:#?}"))
    };
    // Z1.2: rise, counted plural said as its number, no change for an amount, a "w tym" part.
    let z12 = at("Zadanie Z1.2. Asysta rodzinna: propagowanie roli asystenta rodziny i zapewnienie jego wsparcia");
    let lead = at("W porównaniu z rokiem 2024:");
    let z13 = text.iter().position(|p| p.starts_with("Zadanie Z1.3.")).unwrap();
    let sentences = [
        "Liczba rodzin objętych wsparciem asystenta rodziny wzrosła z\u{a0}42 do\u{a0}49 (o\u{a0}7).",
        "Dofinansowanie z programu „Asystent rodziny” nie zmieniło się (58\u{a0}320,50 zł).",
        "Liczba rodzin, z którymi asystent pracował powyżej 1 roku, spadła z\u{a0}20 do\u{a0}18 (o\u{a0}2).",
        "Liczba rodzin, z którymi zakończono pracę asystenta w ciągu roku, nie zmieniła się (18).",
        "W tym z powodu osiągnięcia celów planu pracy: wzrost z\u{a0}8 do\u{a0}10 (o\u{a0}2).",
    ];
    let mut last = lead;
    for sentence in sentences {
        let here = at(sentence);
        assert!(here > last && here < z13, "{sentence:?} in order after the lead-in of Z1.2");
        last = here;
    }
    assert!(z12 < lead && text[z12..lead].iter().any(|p| p == "Wskaźnik"), "the lead-in follows Z1.2's table");
    for sentence in [
        "Liczba godzin otwarcia placówki w tygodniu wzrosła z\u{a0}20 do\u{a0}22,5 (o\u{a0}2,5).",
        "Dotacje gminy dla placówek wsparcia dziennego wzrosły z\u{a0}200\u{a0}000,00 zł do\u{a0}250\u{a0}000,46 zł (o\u{a0}50\u{a0}000,46 zł).",
        "Najdłuższy czas oczekiwania na pierwszą wizytę u specjalisty spadł z\u{a0}410 do\u{a0}400 (o\u{a0}10).",
        "Wydatki gminy na współfinansowanie pieczy zastępczej wzrosły z\u{a0}400\u{a0}000,00 zł do\u{a0}413\u{a0}985,00 zł (o\u{a0}13\u{a0}985,00 zł).",
        "W tym na rodzinną pieczę zastępczą: bez zmian (300\u{a0}776,55 zł).",
        "Wydatki na dożywianie dzieci spadły z\u{a0}600\u{a0}000,00 zł do\u{a0}512\u{a0}340,18 zł (o\u{a0}87\u{a0}659,82 zł).",
    ] {
        at(sentence);
    }
    // Yes/no indicators and those without a number this year ("brak danych") get none.
    for label in ["Czy instytucja ma podpisane porozumienie", "Liczba wniosków o zobowiązanie do leczenia"] {
        let said: Vec<_> = text.iter().filter(|p| p.starts_with(label)).collect();
        assert!(!said.is_empty() && said.iter().all(|p| !p.contains(" z ") || !p.ends_with(").")), "{said:?}");
    }
    assert_eq!(text.iter().filter(|p| *p == "W porównaniu z rokiem 2024:").count(), 5, "Z1.2, Z1.5, Z2.2, Z3.7, Z4.4");
}
