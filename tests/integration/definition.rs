//! A broken programme definition: every mistake is reported with sheet and cell, nothing
//! spurious is added, and no template is written.

use crate::common::*;
use gpwr::cell::column_letters;
use gpwr::program::sheets;
use gpwr::program::write::{SheetTable, definition_workbook};
use gpwr::sample::sample_tables;
use rust_xlsxwriter::ExcelDateTime;

/// Tables of the sample programme with helpers to break them and to name the cell broken.
struct Definition(Vec<SheetTable>);

impl Definition {
    fn table(&mut self, sheet: &str) -> &mut SheetTable {
        self.0.iter_mut().find(|t| t.name == sheet).unwrap()
    }

    /// Sets `header` in data row `row` (0-based) and returns the Excel address, e.g. `Wskaźniki!H4`.
    fn set(&mut self, sheet: &str, row: usize, header: &str, value: &str) -> String {
        let table = self.table(sheet);
        let col = table.column(header).unwrap_or_else(|| panic!("{sheet} has no column {header}"));
        table.rows[row][col] = value.to_string();
        format!("{sheet}!{}{}", column_letters(col as u32), row + 2)
    }

    fn get(&mut self, sheet: &str, row: usize, header: &str) -> String {
        let table = self.table(sheet);
        let col = table.column(header).unwrap();
        table.rows[row][col].clone()
    }
}

#[test]
fn every_mistake_is_reported_with_its_cell_and_no_template_is_written() {
    let mut def = Definition(sample_tables());
    let first_institution = def.get(sheets::INSTITUTIONS, 0, "ID");
    let first_indicator = def.get(sheets::INDICATORS, 0, "ID");
    // An institution whose group has other members, so moving it empties no group.
    let institutions = def.table(sheets::INSTITUTIONS).clone();
    let group_col = institutions.column("Grupa").unwrap();
    let shared_group_row = (0..institutions.rows.len())
        .find(|&r| institutions.rows.iter().filter(|o| o[group_col] == institutions.rows[r][group_col]).count() > 1)
        .expect("the sample has a group with two institutions");

    // (cell, text that must appear in the message about that cell)
    let mut expected: Vec<(String, String)> = vec![
        (
            def.set(sheets::INSTITUTIONS, shared_group_row, "Grupa", "szkoly_wiejskie"),
            "nieznana grupa „szkoly_wiejskie”".into(),
        ),
        (def.set(sheets::TASKS, 0, "Cel", "C9"), "nieznany cel „C9”".into()),
        (
            def.set(sheets::INDICATORS, 1, "ID", &first_indicator),
            format!("identyfikator „{first_indicator}” występuje ponownie"),
        ),
        (
            def.set(sheets::INDICATORS, 2, "Raportują", &format!("{first_institution}, SP99")),
            "„SP99” nie jest ani instytucją".into(),
        ),
        (def.set(sheets::INDICATORS, 3, "Zadanie", "Z9.9"), "nieznane zadanie „Z9.9”".into()),
        (
            def.set(sheets::INDICATORS, 4, "Typ", "liczba"),
            "„liczba” nie jest dozwoloną wartością w kolumnie „Typ”".into(),
        ),
        (def.set(sheets::INDICATORS, 6, "ID", "6.rodziny"), "niepoprawny identyfikator „6.rodziny”".into()),
        (
            def.set(sheets::CHECKS, 0, "Warunek", "C1.nieistniejacy >= 0"),
            "nieznanego wskaźnika „C1.nieistniejacy”".into(),
        ),
        (
            def.set(sheets::CHECKS, 1, "Warunek", "(C1.asystent.rodziny + >= 3"),
            "warunek „(C1.asystent.rodziny + >= 3” jest niepoprawny".into(),
        ),
        (
            def.set(sheets::CHECKS, 2, "Waga", "krytyczny"),
            "„krytyczny” nie jest dozwoloną wartością w kolumnie „Waga”".into(),
        ),
    ];
    // The optional sheets: foster care, assistance, the coordinator's needs.
    expected.push((
        def.set(sheets::FOSTER_CARE, 0, "Wartość", "PCPR2"),
        "nieznana instytucja „PCPR2” (czy chodziło o „PCPR”?)".into(),
    ));
    expected.push((def.set(sheets::FOSTER_CARE, 1, "Wartość", "110"), "„110” nie jest procentem".into()));
    expected.push((
        def.set(sheets::ASSISTANCE, 0, "Wartość", "C1.asystent.rodzinyy"),
        "nieznany wskaźnik „C1.asystent.rodzinyy”".into(),
    ));
    expected.push((
        def.set(sheets::COORDINATOR_NEEDS, 0, "Kategoria", "bogactwo"),
        "nieznana kategoria potrzeb „bogactwo”".into(),
    ));
    let min_cell = def.set(sheets::INDICATORS, 5, "Min", "100");
    def.set(sheets::INDICATORS, 5, "Max", "10");
    expected.push((min_cell, "dolna granica 100 jest większa niż górna 10".into()));
    // A group nobody belongs to: the indicator reported only by it is reported by nobody.
    def.table(sheets::GROUPS).rows.push(vec!["pusta".into(), "Grupa bez instytucji".into()]);
    expected.push((def.set(sheets::INDICATORS, 7, "Raportują", "pusta"), "nie raportuje żadna instytucja".into()));
    // A missing required setting.
    let settings = def.table(sheets::SETTINGS);
    settings.rows.retain(|r| r[0] != "Termin zwrotu");
    expected.push(("Ustawienia!A1".into(), "brak ustawienia „Termin zwrotu”".into()));

    let tmp = temp_dir();
    let bytes = definition_workbook(&def.0, &ExcelDateTime::from_ymd(2026, 1, 2).unwrap()).unwrap();
    std::fs::write(tmp.path().join("zly.xlsx"), bytes).unwrap();
    let run = gpwr(tmp.path(), &["templates", "--program", "zly.xlsx", "--out", "out"]).expect_code(1);

    let errors: Vec<&str> = run.stderr.lines().filter(|l| l.contains(": BŁĄD ")).collect();
    for (cell, message) in &expected {
        assert!(
            errors.iter().any(|l| l.contains(&format!("BŁĄD {cell}: ")) && l.contains(message.as_str())),
            "expected an error at {cell} saying {message:?}; got:\n{}",
            errors.join("\n")
        );
    }
    assert_eq!(errors.len(), expected.len(), "exactly the mistakes made, nothing spurious:\n{}", errors.join("\n"));
    assert!(run.stderr.contains("Nie utworzono żadnego formularza"), "{}", run.stderr);
    let out = tmp.path().join("out");
    assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none(), "no template may be written");
}

#[test]
fn a_file_that_is_not_a_workbook_is_reported_not_crashed_on() {
    let tmp = temp_dir();
    std::fs::write(tmp.path().join("program.xlsx"), "to nie jest arkusz").unwrap();
    let run = gpwr(tmp.path(), &["templates"]).expect_code(1);
    assert!(run.stderr.contains("nie można otworzyć pliku jako skoroszytu"), "{}", run.stderr);
}

#[test]
fn outside_a_campaign_folder_the_message_says_what_to_do() {
    let tmp = temp_dir();
    let run = gpwr(tmp.path(), &["templates"]).expect_code(3);
    assert!(run.stderr.contains("nie ma pliku program.xlsx") && run.stderr.contains("gpwr init"), "{}", run.stderr);
}

#[test]
fn init_refuses_to_overwrite_a_programme() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let before = std::fs::read(tmp.path().join("k/program.xlsx")).unwrap();
    let run = gpwr(tmp.path(), &["init", "k"]).expect_code(3);
    assert!(run.stderr.contains("już istnieje"), "{}", run.stderr);
    assert_eq!(std::fs::read(tmp.path().join("k/program.xlsx")).unwrap(), before);
}

#[test]
fn help_shows_an_example_for_each_command() {
    let tmp = temp_dir();
    for command in ["init", "templates"] {
        let run = gpwr(tmp.path(), &[command, "--help"]).expect_code(0);
        assert!(
            run.stdout.contains(&format!("gpwr {command}")) && run.stdout.contains("Przykład"),
            "{command}: {}",
            run.stdout
        );
    }
}

#[test]
fn the_sample_defines_co_financing_rates_the_assistant_limit_and_the_coordinators_needs() {
    let program = gpwr::program::read_program(&repo().join("samples/program.xlsx")).program.unwrap();
    let foster = program.foster_care.as_ref().expect("Piecza zastępcza");
    assert_eq!(foster.reporter, "PCPR");
    assert_eq!(foster.rates.percent_by_year_of_stay, vec![10, 30, 50]);
    assert_eq!(foster.rates.not_before.to_string(), "2012-01-01");
    assert_eq!(foster.reported_total.as_deref(), Some("C3.piecza.wydatki"));
    assert_eq!(foster.need_category.as_deref(), Some("piecza"));
    let assistance = program.assistance.as_ref().expect("Asysta rodzinna");
    assert_eq!((assistance.limit, assistance.yearly_cost), (15.0, Some(93_600.0)));
    assert_eq!(assistance.families, "C1.asystent.rodziny_31_12");
    let needs: Vec<_> =
        program.coordinator_needs.iter().map(|n| (n.cell.as_str(), n.category.as_deref(), n.cost)).collect();
    assert_eq!(
        needs,
        vec![
            ("Potrzeby koordynatora!A2", Some("szkolenia"), Some(12_000.0)),
            ("Potrzeby koordynatora!A3", Some("placowki"), Some(18_500.0)),
            ("Potrzeby koordynatora!A4", Some("profilaktyka"), None),
        ]
    );
}
