//! Breakdowns, numbered tables and task states, as the seeds report them: every part and
//! table cell comes back at its indicator, Połaniec's 77 persons whose forms of support add
//! up to 72 are flagged where they were typed, a missing part decides nothing, rows an
//! institution moved in a table change nothing, and the draft report shows the tables and
//! states; plus the definition's mistakes about them, each at its cell.

use crate::common::*;
use crate::report::{sample_report, summary};
use calamine::Reader;
use gpwr::cell::column_letters;
use gpwr::program::sheets;
use gpwr::program::write::{SheetTable, definition_workbook};
use gpwr::sample::sample_tables;
use rust_xlsxwriter::ExcelDateTime;
use std::collections::BTreeMap;
use std::path::Path;

/// Sets `header` in data row `row` (0-based) of `sheet`; returns the cell, e.g. `Wskaźniki!M4`.
fn set(tables: &mut [SheetTable], sheet: &str, row: usize, header: &str, value: &str) -> String {
    let table = tables.iter_mut().find(|t| t.name == sheet).unwrap();
    let col = table.column(header).unwrap_or_else(|| panic!("{sheet} has no column {header}"));
    table.rows[row][col] = value.to_string();
    format!("{sheet}!{}{}", column_letters(col as u32), row + 2)
}

/// Sets `header` of indicator `id` on `Wskaźniki`; returns the cell.
fn set_indicator(tables: &mut [SheetTable], id: &str, header: &str, value: &str) -> String {
    let row = indicator_row(tables, id);
    set(tables, sheets::INDICATORS, row, header, value)
}

/// The data row (0-based) of indicator `id` on `Wskaźniki`.
fn indicator_row(tables: &[SheetTable], id: &str) -> usize {
    let table = tables.iter().find(|t| t.name == sheets::INDICATORS).unwrap();
    table.rows.iter().position(|r| r[0] == id).unwrap_or_else(|| panic!("no indicator {id}"))
}

#[test]
fn mistakes_in_breakdowns_and_tables_are_reported_at_their_cells() {
    let mut def = sample_tables();
    let mut expected: Vec<(String, &str)> = vec![
        // The "z tego" of a breakdown with one category is reported at its categories.
        (set(&mut def, sheets::BREAKDOWNS, 2, "Rodzaj", "z tego").replace("!D", "!C"), "ma mniej niż dwie kategorie"),
        (set_indicator(&mut def, "C2.praca.fundusz_pracy", "Podział", "formy"), "nieznany podział „formy”"),
        (set_indicator(&mut def, "C3.wypoczynek.stan", "Podział", "formy_fp"), "wymaga wskaźnika liczbowego"),
        (
            set_indicator(&mut def, "C2.aktywizacja.programy.dzieci", "Wiersz", "praca socjalna"),
            "komórkę „praca socjalna” × „Liczba dzieci w rodzinach” tabeli „aktywizacja” zajmuje już wskaźnik „C2.aktywizacja.praca_socjalna.dzieci”",
        ),
        (
            set_indicator(&mut def, "C3.specjalisci.psycholog", "Kolumna", "Liczba osób"),
            "tabela „specjalisci” nie ma kolumny „Liczba osób” (kolumna „Kolumna”)",
        ),
        (set_indicator(&mut def, "C1.analiza.rodziny", "Wiersz", "1"), "kolumna „Tabela” jest pusta"),
    ];
    // The cell-taken error sits at the second claimant's `Tabela` cell, not at `Wiersz`.
    expected[3].0 = expected[3].0.replace("!O", "!N");
    // An indicator whose id a generated part would take: the error is at the whole's `Podział`.
    let indicators = def.iter_mut().find(|t| t.name == sheets::INDICATORS).unwrap();
    let mut clash =
        indicators.rows[indicator_row(std::slice::from_ref(indicators), "C2.poradnictwo.psycholog")].clone();
    clash[0] = "C2.poradnictwo.osoby.kobiety".into();
    indicators.rows.push(clash);
    let whole = indicator_row(&def, "C2.poradnictwo.osoby");
    let podzial = def.iter().find(|t| t.name == sheets::INDICATORS).unwrap().column("Podział").unwrap();
    expected.push((
        format!("Wskaźniki!{}{}", column_letters(podzial as u32), whole + 2),
        "„C2.poradnictwo.osoby.kobiety”, który ma już inny wskaźnik",
    ));

    let tmp = temp_dir();
    let bytes = definition_workbook(&def, &ExcelDateTime::from_ymd(2026, 1, 2).unwrap()).unwrap();
    std::fs::write(tmp.path().join("zly.xlsx"), bytes).unwrap();
    let run = gpwr(tmp.path(), &["templates", "--program", "zly.xlsx", "--out", "out"]).expect_code(1);
    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": BŁĄD ")).collect();
    for (cell, message) in &expected {
        assert!(
            errors.iter().any(|l| l.contains(&format!("BŁĄD {cell}: ")) && l.contains(message)),
            "expected an error at {cell} saying {message:?}; got:\n{}",
            errors.join("\n")
        );
    }
    assert_eq!(errors.len(), expected.len(), "exactly the mistakes made:\n{}", errors.join("\n"));
}

/// The cells of sheet `name` of the workbook at `path` as text, row by row.
fn grid(path: &Path, name: &str) -> Vec<Vec<String>> {
    sheet(path, name).rows().map(|r| r.iter().map(text).collect()).collect()
}

/// The failed checks of `Kontrole` with code `code`: (who, values, sources).
fn failures(path: &Path, code: &str) -> Vec<(String, String, String)> {
    grid(path, "Kontrole")
        .into_iter()
        .filter(|r| r.first().map(String::as_str) == Some(code))
        .map(|r| (r[2].clone(), r[5].clone(), r[6].clone()))
        .collect()
}

#[test]
fn every_part_and_table_cell_comes_back_and_polaniec_is_flagged_where_it_was_typed() {
    let (_tmp, path) = sample_report();
    let rows = summary(&path);
    let total = |id: &str| rows[id]["Razem"].clone();
    // Mielec's counselling: 2 439 persons, 1 409 women and 1 030 men, right under the whole.
    assert_eq!(
        ["C2.poradnictwo.osoby", "C2.poradnictwo.osoby.kobiety", "C2.poradnictwo.osoby.mezczyzni"].map(total),
        ["2439", "1409", "1030"]
    );
    assert_eq!(rows["C2.poradnictwo.osoby.kobiety"]["Wskaźnik"], "z tego: kobiety");
    let ids: Vec<String> = grid(&path, "Podsumowanie").into_iter().map(|r| r[2].clone()).collect();
    let whole = ids.iter().position(|id| id == "C2.poradnictwo.osoby").unwrap();
    assert_eq!(ids[whole + 1..whole + 3], ["C2.poradnictwo.osoby.kobiety", "C2.poradnictwo.osoby.mezczyzni"]);
    // Połaniec's labour office: 77, and its six forms of support part by part.
    let parts = [
        ("prace_interwencyjne", "27"),
        ("wyposazenie_lub_doposazenie_stanowiska_pracy", "3"),
        ("bon_na_zasiedlenie", "5"),
        ("staz", "32"),
        ("prace_spolecznie_uzyteczne", "1"),
        ("srodki_na_podjecie_dzialalnosci_gospodarczej", "4"),
    ];
    assert_eq!(total("C2.praca.fundusz_pracy"), "77");
    for (part, value) in parts {
        assert_eq!(total(&format!("C2.praca.fundusz_pracy.{part}")), value, "{part}");
    }
    // 72 ≠ 77: flagged at PUP, citing each part's file and cell (once: PUP alone reports it,
    // so the municipality's totals are its figures).
    let flagged = failures(&path, "PODZIAL");
    assert_eq!(flagged.iter().map(|f| f.0.as_str()).collect::<Vec<_>>(), ["PUP"], "{flagged:?}");
    assert_eq!(flagged[0].1, "części razem 72, całość 77");
    for cell in ["E15", "E16", "E17", "E18", "E19", "E20", "E21"] {
        assert!(flagged[0].2.contains(&format!("(stare/PUP.xlsx Wskaźniki!{cell})")), "{cell} in {}", flagged[0].2);
    }
    assert!(flagged[0].2.contains("PUP C2.praca.fundusz_pracy.staz = 32"), "{}", flagged[0].2);
    // Parts that add up (Mielec) and a "w tym" part below its whole (31 of 236) are not flagged.
    assert!(flagged.iter().all(|f| !f.2.contains("C2.poradnictwo") && !f.2.contains("C1.nk")), "{flagged:?}");
    assert_eq!(rows["C2.poradnictwo.osoby"]["Kontrole"], "OK");
    assert_eq!(rows["C1.nk.interwencje.naruszenie_praw_dziecka"]["Razem"], "31");
    // Task states are counted: MOPS and KPP ("Na bieżąco") in progress, PUP done.
    assert_eq!(total("C1.wspolpraca.stan"), "zrealizowano: 1; w trakcie: 2; nie zrealizowano: 0");
    assert_eq!(total("C3.wypoczynek.stan"), "zrealizowano: 2; w trakcie: 0; nie zrealizowano: 0");
    // Jaworzno's tables on their own sheet, cell by cell (PCPR's 15 join MOPS's 42).
    let tables = grid(&path, "Tabele");
    let row_of =
        |name: &str| tables.iter().find(|r| r[0] == name).unwrap_or_else(|| panic!("no row {name}"))[1..3].to_vec();
    assert!(
        tables
            .iter()
            .any(|r| r[0] == "Tabela Nr 1. Rodziny z dziećmi objęte działaniami aktywizacji zawodowej i społecznej")
    );
    assert_eq!(row_of("praca socjalna"), ["10", "21"]);
    assert_eq!(row_of("prace społecznie użyteczne"), ["6", "11"]);
    assert_eq!(row_of("programy aktywizacji zawodowej i społecznej"), ["5", "9"]);
    assert_eq!(row_of("wsparcie asystenta rodziny")[0], "106");
    assert_eq!(row_of("wsparcie pracownika socjalnego")[0], "529");
    assert_eq!(row_of("wsparcie psychologa")[0], "57");
    let formulas = open(&path).worksheet_formula("Tabele").unwrap();
    assert!(
        formulas
            .used_cells()
            .any(|(_, _, f)| f.contains("SUMIFS(Dane!$J$2:") && f.contains("\"C3.specjalisci.psycholog\""))
    );
}

/// Collects and reports the sample inbox with `replaced` files put in place of sample files
/// (inbox path → fixture under `tests/fixtures/grouping`); returns the temp dir.
fn report_with(replaced: &[(&str, &str)]) -> tempfile::TempDir {
    let tmp = temp_dir();
    let inbox = tmp.path().join("inbox");
    copy_tree(&repo().join("samples/inbox"), &inbox);
    for (target, fixture) in replaced {
        std::fs::copy(repo().join("tests/fixtures/grouping").join(fixture), inbox.join(target)).unwrap();
    }
    let program = repo().join("samples/program.xlsx");
    let program = program.to_str().unwrap();
    gpwr(tmp.path(), &["collect", "--program", program, "--inbox", "inbox", "--out", "collected"]).expect_code(1);
    gpwr(tmp.path(), &["report", "--program", program, "--collected", "collected", "--out", "report"]).expect_code(1);
    tmp
}

/// The cells of MOPS's `Tabele` kept in `inne_komorki.csv` of the collect in `dir`: (cell, text).
fn kept_on_mops_tables(dir: &Path) -> Vec<(String, String)> {
    read_csv(&dir.join("collected/inne_komorki.csv"))
        .into_iter()
        .filter(|r| r["plik"] == "Sprawozdanie MOPS 2025.xlsx" && r["arkusz"] == "Tabele")
        .map(|r| (r["komorka"].clone(), r["tekst"].clone()))
        .collect()
}

#[test]
fn rows_an_institution_moved_or_inserted_in_a_table_change_nothing() {
    let tmp = report_with(&[("Sprawozdanie MOPS 2025.xlsx", "MOPS_tabele_przestawione.xlsx")]);
    let rows = read_csv(&tmp.path().join("collected/dane.csv"));
    let mops: BTreeMap<&str, (&str, &str)> = rows
        .iter()
        .filter(|r| r["instytucja"] == "MOPS" && r["komorka"].starts_with("Tabele!"))
        .map(|r| (r["wskaznik"].as_str(), (r["wartosc"].as_str(), r["komorka"].as_str())))
        .collect();
    // openpyxl put "programy" first, inserted "inne programy" under it and sorted Tabela Nr 2
    // by value: each value is still at its indicator, read from where it now is.
    let expected = [
        ("C2.aktywizacja.programy.rodziny", ("5", "Tabele!C7")),
        ("C2.aktywizacja.programy.dzieci", ("9", "Tabele!E7")),
        ("C2.aktywizacja.praca_socjalna.rodziny", ("10", "Tabele!C9")),
        ("C2.aktywizacja.praca_socjalna.dzieci", ("21", "Tabele!E9")),
        ("C2.aktywizacja.prace_spoleczne.rodziny", ("6", "Tabele!C10")),
        ("C2.aktywizacja.prace_spoleczne.dzieci", ("11", "Tabele!E10")),
        ("C3.specjalisci.pracownik_socjalny", ("529", "Tabele!C14")),
        ("C3.specjalisci.asystent", ("106", "Tabele!C15")),
        ("C3.specjalisci.psycholog", ("42", "Tabele!C16")),
    ];
    assert_eq!(mops, BTreeMap::from(expected));
    // The inserted row is kept, with a finding at each of its cells, and counts nowhere.
    let kept = kept_on_mops_tables(tmp.path());
    assert_eq!(
        kept,
        [("A8".to_string(), "inne programy".to_string()), ("C8".into(), "2".into()), ("E8".into(), "3".into())]
    );
    let rows = summary(&tmp.path().join("report/zestawienie.xlsx"));
    assert_eq!(rows["C2.aktywizacja.programy.rodziny"]["Razem"], "5");
}

#[test]
fn a_missing_part_leaves_the_breakdown_undecided_not_failed() {
    let tmp = report_with(&[("stare/PUP.xlsx", "PUP_bez_stazu.xlsx")]);
    let path = tmp.path().join("report/zestawienie.xlsx");
    let rows = summary(&path);
    assert_eq!(rows["C2.praca.fundusz_pracy"]["Razem"], "77");
    assert_eq!(rows["C2.praca.fundusz_pracy.staz"]["Razem"], "", "missing is missing, never 0");
    assert_eq!(rows["C2.praca.fundusz_pracy.staz"]["Kompletność"], "niepełne: brak 1 z 1");
    assert_eq!(failures(&path, "PODZIAL"), [], "27 + 3 + 5 + ? + 1 + 4 against 77 decides nothing");
}

#[test]
fn the_draft_report_shows_the_numbered_tables_and_the_states_of_tasks() {
    let (tmp, _) = sample_report();
    let text = docx_paragraphs(&tmp.path().join("report/sprawozdanie.docx"));
    let at =
        |wanted: &str| text.iter().position(|p| p == wanted).unwrap_or_else(|| panic!("no {wanted:?} in {text:#?}"));
    // Tabela Nr 1 under Z2.5, its header and rows with the figures, cell after cell.
    let table = at("Tabela Nr 1. Rodziny z dziećmi objęte działaniami aktywizacji zawodowej i społecznej");
    assert!(at("Zadanie Z2.5. Aktywizacja zawodowa rodziców") < table);
    assert_eq!(
        text[table + 1..table + 13],
        [
            "Działania aktywizacji zawodowej i społecznej",
            "Liczba rodzin z dziećmi",
            "Liczba dzieci w rodzinach",
            "praca socjalna",
            "10",
            "21",
            "prace społecznie użyteczne",
            "6",
            "11",
            "programy aktywizacji zawodowej i społecznej",
            "5",
            "9"
        ]
    );
    let table = at("Tabela Nr 2. Rodziny objęte pomocą specjalistów");
    assert!(at("Zadanie Z3.5. Praca socjalna z rodziną przeżywającą trudności opiekuńczo-wychowawcze") < table);
    assert_eq!(text[table + 7..table + 9], ["wsparcie psychologa", "57"]);
    // The states of a task, institution by institution.
    assert!(text.contains(
        &"Stan realizacji: stała współpraca z zespołem interdyscyplinarnym, sądem, kuratorami i placówkami oświatowymi: zrealizowano – Powiatowy Urząd Pracy w Mielcu; w trakcie – Miejski Ośrodek Pomocy Społecznej w Mielcu, Komenda Powiatowa Policji w Mielcu.".to_string()
    ), "{text:#?}");
    assert!(text.iter().any(|p| p.starts_with("Stan realizacji: wypoczynek letni i zimowy dzieci")
        && p.contains("zrealizowano – Miejski Ośrodek Sportu i Rekreacji w Mielcu, Urząd Miejski w Mielcu – Wydział Spraw Społecznych i Zdrowia;")
        && p.ends_with("brak informacji – Samorządowe Centrum Kultury w Mielcu, Miejska Biblioteka Publiczna w Mielcu.")));
}

#[test]
fn a_table_row_copied_to_insert_another_reads_the_filled_copy_and_loses_nothing() {
    let tmp = report_with(&[("Sprawozdanie MOPS 2025.xlsx", "MOPS_tabela_kopia_wiersza.xlsx")]);
    let rows = read_csv(&tmp.path().join("collected/dane.csv"));
    let psychologist =
        rows.iter().find(|r| r["instytucja"] == "MOPS" && r["wskaznik"] == "C3.specjalisci.psycholog").unwrap();
    // The original row emptied, its copy below filled: the copy's value counts, once.
    assert_eq!((psychologist["wartosc"].as_str(), psychologist["komorka"].as_str()), ("50", "Tabele!C16"));
    // The id pasted into the last column (no cell beside it) does not count, and the formula
    // saved without a result is kept.
    let kept = kept_on_mops_tables(tmp.path());
    assert!(kept.contains(&("C18".to_string(), "C7*2".to_string())), "{kept:?}");
    let findings = read_csv(&tmp.path().join("collected/ustalenia.csv"));
    assert!(
        !findings.iter().any(|f| f["plik"] == "Sprawozdanie MOPS 2025.xlsx" && f["kod"] == "BRAK_WYMAGANEJ_WARTOSCI"),
        "the filled copy answers the required cell"
    );
}

#[test]
fn a_whole_that_does_not_apply_settles_its_empty_parts_and_flags_the_given_ones() {
    let tmp = report_with(&[("Sprawozdanie MOPS 2025.xlsx", "MOPS_calosc_nie_dotyczy.xlsx")]);
    let rows = read_csv(&tmp.path().join("collected/dane.csv"));
    let status =
        |id: &str| rows.iter().find(|r| r["instytucja"] == "MOPS" && r["wskaznik"] == id).unwrap()["status"].clone();
    assert_eq!(status("C2.poradnictwo.osoby"), "nie_dotyczy");
    assert_eq!(status("C2.poradnictwo.osoby.kobiety"), "nie_dotyczy", "an empty part of such a whole does not apply");
    assert_eq!(status("C2.poradnictwo.osoby.mezczyzni"), "wartosc");
    let findings = read_csv(&tmp.path().join("collected/ustalenia.csv"));
    let about = |id: &str| -> Vec<String> {
        findings.iter().filter(|f| f["wskaznik"] == id).map(|f| f["kod"].clone()).collect()
    };
    assert_eq!(about("C2.poradnictwo.osoby.kobiety"), Vec::<String>::new(), "not demanded");
    assert_eq!(about("C2.poradnictwo.osoby.mezczyzni"), ["CZESC_BEZ_CALOSCI"]);
    let flagged = findings.iter().find(|f| f["kod"] == "CZESC_BEZ_CALOSCI").unwrap();
    assert_eq!((flagged["arkusz"].as_str(), flagged["komorka"].as_str()), ("Wskaźniki", "E49"));
}
