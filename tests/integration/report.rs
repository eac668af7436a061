//! `gpwr report` on the collected sample inbox: totals checked against sums done by hand
//! (with an institution missing and one answering "nie dotyczy"), the agreement rule, the
//! formulas behind the totals, LibreOffice recalculating them to the same numbers, and the
//! same inputs giving the same cells.

use crate::common::*;
use calamine::{Data, Reader};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Collects the sample inbox and builds the report in a temp dir; returns it and the workbook path.
pub fn sample_report() -> (tempfile::TempDir, PathBuf) {
    sample_report_with(&[])
}

/// [`sample_report`] with the environment variables `env` set for the report.
pub fn sample_report_with(env: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let tmp = temp_dir();
    let program = repo().join("samples/program.xlsx");
    let program = program.to_str().unwrap();
    let inbox = repo().join("samples/inbox");
    gpwr(tmp.path(), &["collect", "--program", program, "--inbox", inbox.to_str().unwrap(), "--out", "collected"])
        .expect_code(1);
    // The sample holds a disagreement (PCPR typed "1 234" children in foster care): exit 1.
    let args = ["report", "--program", program, "--collected", "collected", "--out", "report"];
    let run = gpwr_with_env(tmp.path(), &args, env).expect_code(1);
    assert!(run.stdout.contains("zestawienie.xlsx"), "{}", run.stdout);
    let path = tmp.path().join("report/zestawienie.xlsx");
    (tmp, path)
}

/// `Podsumowanie` rows by indicator id: header → cell text.
pub fn summary(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let range = sheet(path, "Podsumowanie");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    let header_at = rows.iter().position(|r| r.first().map(String::as_str) == Some("Cel")).expect("header row");
    let header = rows[header_at].clone();
    rows[header_at + 1..]
        .iter()
        .map(|r| (r[2].clone(), header.iter().cloned().zip(r.iter().cloned()).collect()))
        .collect()
}

#[test]
fn totals_match_sums_done_by_hand() {
    let (_tmp, path) = sample_report();
    let rows = summary(&path);
    // C3.wypoczynek.wydarzenia: MOPS 3 + SP3 4 + MOSIR 7 = 14; SP6 "nie dotyczy"; SP11, SCK
    // and MBP sent nothing: 3 of 7 reported, the total says it is incomplete.
    let r = &rows["C3.wypoczynek.wydarzenia"];
    let got = [&r["Razem"], &r["Podały"], &r["Oczekiwane"], &r["Nie dotyczy"], &r["Brak liczby"], &r["Kompletność"]];
    assert_eq!(got, ["14", "3", "7", "1", "3", "niepełne: brak 3 z 7"].map(String::from).each_ref());
    // C2.edukacja.rodzice: MOPS 46 + SP3 85 + SP6 40 + MOSIR 30 + PCPR 69518,09 (typed
    // "69 518,09 zł" into a count; collect flags it, the sum still shows it).
    assert_eq!(rows["C2.edukacja.rodzice"]["Razem"], "69719.09");
    // C3.szkolenia.godziny, decimals: MOPS 86,5 + SP3 40,5 + KPP 31,5 + PCPR 1234 +
    // PROMYK 19,5 + ISKIERKA 12; SP6 "brak danych" counts as missing, not as 0.
    let r = &rows["C3.szkolenia.godziny"];
    assert_eq!(
        (r["Razem"].as_str(), r["Brak liczby"].as_str()),
        ("1424", "3"),
        "SP6 brak danych, SP11 and PPP sent nothing"
    );
    // The same fact from MOPS, police and the team: 71 each, not 213.
    let r = &rows["C1.nk.rodziny"];
    assert_eq!((r["Razem"].as_str(), r["Kompletność"].as_str(), r["Kontrole"].as_str()), ("71", "pełne", "OK"));
    // MOPS 58 against PCPR 1234 children in foster care: no total, and a failed check.
    let r = &rows["C3.piecza.dzieci"];
    assert_eq!((r["Razem"].as_str(), r["Kontrole"].as_str()), ("niezgodne", "ZGODNOSC"));
    // Nobody reported: empty, not 0.
    assert_eq!(rows["C5.szkola_rodzenia.uczestnicy"]["Razem"], "");
    // Parts equal the whole (MOPS: 300 776,55 + 113 208,45 = 413 985,00), so K10 holds; but
    // PCPR's placements give 434 708,44 zł, which only the co-financing check WSPOLFIN flags.
    assert_eq!(rows["C3.piecza.wydatki"]["Razem"], "413985");
    assert_eq!(rows["C3.piecza.wydatki"]["Kontrole"], "WSPOLFIN");

    // Rolled up to tasks (by hand): Z1.1 has 3 indicators, MOPS reported all 3, PPP sent
    // nothing for its 2; Z3.2: 9 + 6 (7 asked, SP6 "nie dotyczy") + 1 numbers asked, 6 + 3 + 1
    // came, and the task's state asked of UM and the three cultural institutions, of whom UM
    // and MOSIR answered.
    let tasks = sheet(&path, "Cele i zadania");
    let task_row = |prefix: &str| -> Vec<String> {
        tasks.rows().map(|r| r.iter().map(text).collect::<Vec<_>>()).find(|r| r[0].starts_with(prefix)).unwrap()[1..5]
            .to_vec()
    };
    assert_eq!(task_row("Zadanie Z1.1."), ["3", "1", "3", "5"]);
    assert_eq!(task_row("Zadanie Z3.2."), ["4", "1", "12", "20"]);

    let checks = sheet(&path, "Kontrole");
    let failed: Vec<Vec<String>> = checks.rows().skip(4).map(|r| r.iter().map(text).collect()).collect();
    let codes: Vec<&str> = failed.iter().map(|f| f[0].as_str()).collect();
    // 47 families on 3 posts (K04), the labour office's 77 persons whose forms of support add
    // up to 72 (PODZIAL, at PUP, the only one reporting them), PCPR's 400 days, the
    // foster-care disagreement, and the three co-financing figures that differ from PCPR's
    // placements.
    assert_eq!(codes, ["K04", "PODZIAL", "ZAKRES", "ZGODNOSC", "WSPOLFIN", "WSPOLFIN", "WSPOLFIN"], "{failed:?}");
    let failed = &failed[2..];
    // PCPR's 400 days of waiting against the definition's maximum of 365.
    assert_eq!(
        failed[0][..6],
        ["ZAKRES", "ostrzeżenie", "PCPR", "C2.poradnictwo.oczekiwanie_dni <= 365"]
            .iter()
            .map(|s| s.to_string())
            .chain([failed[0][4].clone(), "400 (granica 365)".into()])
            .collect::<Vec<_>>()[..]
    );
    let failed = &failed[1..];
    assert_eq!(failed[0][0], "ZGODNOSC");
    assert!(
        failed[0][6].contains("MOPS C3.piecza.dzieci = 58")
            && failed[0][6].contains("PCPR C3.piecza.dzieci = 1\u{a0}234"),
        "{:?}",
        failed[0][6]
    );
    assert!(
        failed[0][6].contains("PCPR_poprawione.xlsx Wskaźniki!"),
        "sources name the file and cell: {}",
        failed[0][6]
    );
}

#[test]
fn totals_are_formulas_over_the_data_sheet_and_text_is_never_a_formula() {
    let (tmp, path) = sample_report();
    let mut book = open(&path);
    let formulas = book.worksheet_formula("Podsumowanie").unwrap();
    let all: Vec<&String> = formulas.used_cells().map(|(_, _, f)| f).collect();
    assert!(
        all.iter().any(|f| f.contains("SUMIFS(Dane!$J$2:$J$") && f.contains("Dane!$E$2:$E$")),
        "Razem sums the Dane sheet: {:?}",
        all.first()
    );
    let charts = zip_part(&path, "xl/charts/chart1.xml") + &zip_part(&path, "xl/charts/chart2.xml");
    assert!(charts.contains("Wykresy!$B$5"), "the money chart reads the table beside it");
    let data = formulas_of(&mut book, "Dane");
    assert!(data.is_empty(), "Dane holds no formulas: {data:?}");
    // Every row of the collected table is in Dane, with its file and cell.
    let csv = read_csv(&tmp.path().join("collected/dane.csv"));
    let dane = sheet(&path, "Dane");
    assert_eq!(dane.height() - 1, csv.len());
    let header: Vec<String> = dane.rows().next().unwrap().iter().map(text).collect();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    let typed = dane
        .rows()
        .find(|r| text(&r[at("Wpisano")]) == "Na bieżąco" && text(&r[at("Instytucja")]) == "PCPR")
        .expect("typed text is kept");
    assert_eq!(text(&typed[at("Komórka")]), "Wskaźniki!E16");
    assert!(matches!(typed[at("Wartość")], Data::Empty), "text is not turned into a value");
}

fn formulas_of(book: &mut calamine::Sheets<std::io::BufReader<std::fs::File>>, name: &str) -> Vec<String> {
    book.worksheet_formula(name).unwrap().used_cells().map(|(_, _, f)| f.clone()).collect()
}

#[test]
fn same_inputs_give_the_same_cells() {
    let (_a, first) = sample_report();
    let (_b, second) = sample_report();
    for name in [
        "Podsumowanie",
        "Cele i zadania",
        "Dane",
        "Macierz",
        "Kontrole",
        "Kompletność",
        "Opisy",
        "Działania",
        "Wykresy",
        "Potrzeby",
        "Piecza zastępcza",
    ] {
        let (x, y) = (sheet(&first, name), sheet(&second, name));
        let cells = |r: &calamine::Range<Data>| {
            r.rows().map(|row| row.iter().map(text).collect::<Vec<_>>()).collect::<Vec<_>>()
        };
        assert_eq!(cells(&x), cells(&y), "sheet {name}");
    }
    for document in ["potrzeby.docx", "potrzeby.md", "sprawozdanie.docx"] {
        let read = |p: &Path| std::fs::read(p.with_file_name(document)).unwrap();
        assert!(read(&first) == read(&second), "{document} differs between two runs");
    }
}

/// LibreOffice recalculates the totals from `Dane` (cached results removed first) and
/// gets what gpwr cached. Needs `soffice`; without it the test says so and does nothing.
#[test]
fn libreoffice_recalculates_the_same_totals() {
    if std::process::Command::new("soffice").arg("--version").output().is_err() {
        skipped("soffice not installed (apt-get install -y libreoffice-calc-nogui)");
        return;
    }
    let (tmp, path) = sample_report();
    let compared = assert_recalculated_as_cached(tmp.path(), &path);
    assert_eq!(compared, 108 * 5, "every indicator's five formulas compared");
}

/// Strips every cached result of `Podsumowanie` in the workbook at `path`, lets LibreOffice
/// recalculate it (in `dir`) and asserts every total and count equals what gpwr cached;
/// returns how many formulas were compared.
pub fn assert_recalculated_as_cached(dir: &Path, path: &Path) -> usize {
    let cached = summary(path);
    let stripped = dir.join("bez_wynikow.xlsx");
    strip_cached_results(path, &stripped, "xl/worksheets/sheet1.xml");
    let status = std::process::Command::new("soffice")
        .args(["--headless", &format!("-env:UserInstallation=file://{}/lo", dir.display())])
        .args(["--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,1"])
        .arg("--outdir")
        .arg(dir)
        .arg(&stripped)
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let recalculated =
        gpwr::records::parse_rows(&std::fs::read_to_string(dir.join("bez_wynikow-Podsumowanie.csv")).unwrap());
    let mut compared = 0;
    let mut wrong = Vec::new();
    for row in recalculated.iter().filter(|r| r.len() > 11 && cached.contains_key(&r[2])) {
        let mine = &cached[&row[2]];
        for (col, name) in [(7, "Razem"), (8, "Podały"), (9, "Oczekiwane"), (10, "Nie dotyczy"), (11, "Brak liczby")] {
            let (a, b) = (mine[name].as_str(), row[col].as_str());
            let same =
                a == b || matches!((a.parse::<f64>(), b.parse::<f64>()), (Ok(x), Ok(y)) if (x - y).abs() < 0.005);
            if !same {
                wrong.push(format!("{} {name}: gpwr {a:?}, LibreOffice {b:?}", row[2]));
            }
            compared += 1;
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    compared
}

/// Copies the workbook at `from` to `to` without the cached formula results of `part`.
fn strip_cached_results(from: &Path, to: &Path, part: &str) {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        std::io::Read::read_to_end(&mut entry, &mut bytes).unwrap();
        if name == part {
            let xml = String::from_utf8(bytes).unwrap();
            let mut cleaned = String::new();
            let mut rest = xml.as_str();
            while let Some(at) = rest.find("</f><v>") {
                let end = rest[at..].find("</v>").unwrap() + at + 4;
                cleaned.push_str(&rest[..at + 4]);
                rest = &rest[end..];
            }
            cleaned.push_str(rest);
            bytes = cleaned.into_bytes();
        }
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut out, &bytes).unwrap();
    }
    out.finish().unwrap();
}

/// A small programme holding the seeds' own figures: Jawor's addiction consultation point
/// (316 persons, breakdown 46 + 84 + 15 + 14 + 33 = 192), Jawor's police and MOPS (89
/// Niebieska Karta families each), Połaniec's labour office (77 persons, forms of support
/// 27 + 3 + 5 + 32 + 1 + 4 = 72) and Mielec's foster care (300 776,55 + 113 208,45 =
/// 413 985,00 zł).
#[test]
fn checks_fire_where_the_seeds_disagree_and_stay_quiet_where_they_agree() {
    use gpwr::program::sheets;
    use gpwr::program::write::{SheetTable, definition_workbook};
    use gpwr::report::{aggregate, checks};
    use polars::prelude::*;
    let table = |name: &str, headers: &[&str], rows: &[&[&str]]| SheetTable {
        name: name.to_string(),
        headers: headers.iter().map(|h| h.to_string()).collect(),
        rows: rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect(),
    };
    let settings = gpwr::sample::sample_tables().into_iter().find(|t| t.name == sheets::SETTINGS).unwrap();
    let indicator = |id: &'static str, who: &'static str, kind: &'static str, combine: &'static str| {
        [id, "Z1.1", id, "osoby", kind, "w ciągu roku", who, combine, "", "", "tak", ""]
    };
    let indicators = [
        indicator("J.punkt.osoby", "MOPS_J", "liczba całkowita", "suma"),
        indicator("J.punkt.narkotyki", "MOPS_J", "liczba całkowita", "suma"),
        indicator("J.punkt.alkohol", "MOPS_J", "liczba całkowita", "suma"),
        indicator("J.punkt.inne", "MOPS_J", "liczba całkowita", "suma"),
        indicator("J.punkt.rodziny", "MOPS_J", "liczba całkowita", "suma"),
        indicator("J.punkt.zainteresowani", "MOPS_J", "liczba całkowita", "suma"),
        indicator("J.nk.rodziny", "MOPS_J, KPP_J", "liczba całkowita", "zgodność"),
        indicator("P.pup.osoby", "PUP_P", "liczba całkowita", "suma"),
        indicator("P.pup.prace", "PUP_P", "liczba całkowita", "suma"),
        indicator("P.pup.doposazenie", "PUP_P", "liczba całkowita", "suma"),
        indicator("P.pup.bon", "PUP_P", "liczba całkowita", "suma"),
        indicator("P.pup.staz", "PUP_P", "liczba całkowita", "suma"),
        indicator("P.pup.psu", "PUP_P", "liczba całkowita", "suma"),
        indicator("P.pup.dzialalnosc", "PUP_P", "liczba całkowita", "suma"),
        indicator("M.piecza.wydatki", "MOPS_M", "kwota", "suma"),
        indicator("M.piecza.rodzinna", "MOPS_M", "kwota", "suma"),
        indicator("M.piecza.instytucjonalna", "MOPS_M", "kwota", "suma"),
    ];
    let stock = [
        "J.asystent.rodziny_31_12",
        "Z1.1",
        "Rodziny pod opieką na 31.12",
        "rodziny",
        "liczba całkowita",
        "stan na 31.12",
        "MOPS_J",
        "suma",
        "",
        "",
        "nie",
        "",
    ];
    let mut indicator_rows: Vec<&[&str]> = indicators.iter().map(|r| r.as_slice()).collect();
    indicator_rows.push(stock.as_slice());
    let tables = vec![
        settings,
        table(
            sheets::GROUPS,
            &["ID", "Nazwa"],
            &[&["mops", "Ośrodki pomocy"], &["policja", "Policja"], &["pup", "Urząd pracy"]],
        ),
        table(
            sheets::INSTITUTIONS,
            &["ID", "Nazwa", "Grupa", "E-mail", "Osoba kontaktowa", "Telefon"],
            &[
                &["MOPS_J", "MOPS w Jaworze", "mops", "", "", ""],
                &["KPP_J", "KPP w Jaworze", "policja", "", "", ""],
                &["PUP_P", "PUP (Połaniec)", "pup", "", "", ""],
                &["MOPS_M", "MOPS w Mielcu", "mops", "", "", ""],
            ],
        ),
        table(sheets::GOALS, &["ID", "Nazwa"], &[&["C1", "Cel"]]),
        table(sheets::TASKS, &["ID", "Cel", "Nazwa"], &[&["Z1.1", "C1", "Zadanie"]]),
        table(
            sheets::INDICATORS,
            &[
                "ID",
                "Zadanie",
                "Nazwa",
                "Jednostka",
                "Typ",
                "Okres",
                "Raportują",
                "Łączenie",
                "Min",
                "Max",
                "Wymagany",
                "Objaśnienie",
            ],
            &indicator_rows,
        ),
        table(
            sheets::CHECKS,
            &["ID", "Warunek", "Waga", "Zakres", "Komunikat"],
            &[
                &[
                    "JAWOR",
                    "J.punkt.narkotyki + J.punkt.alkohol + J.punkt.inne + J.punkt.rodziny + J.punkt.zainteresowani = J.punkt.osoby",
                    "ostrzeżenie",
                    "instytucja",
                    "Części nie sumują się do całości.",
                ],
                &[
                    "POLANIEC",
                    "P.pup.prace + P.pup.doposazenie + P.pup.bon + P.pup.staz + P.pup.psu + P.pup.dzialalnosc = P.pup.osoby",
                    "ostrzeżenie",
                    "instytucja",
                    "Formy wsparcia nie sumują się do liczby osób.",
                ],
                &[
                    "MIELEC",
                    "M.piecza.rodzinna + M.piecza.instytucjonalna = M.piecza.wydatki",
                    "błąd",
                    "gmina",
                    "Części wydatków nie sumują się do całości.",
                ],
                &[
                    "STAN",
                    "J.punkt.osoby + J.asystent.rodziny_31_12 >= 0",
                    "ostrzeżenie",
                    "gmina",
                    "Sumuje stan z przepływem.",
                ],
            ],
        ),
        table(sheets::NEED_CATEGORIES, &["ID", "Nazwa"], &[&["inne", "Inne"]]),
    ];
    let tmp = temp_dir();
    let path = tmp.path().join("seeds.xlsx");
    std::fs::write(
        &path,
        definition_workbook(&tables, &rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 2).unwrap()).unwrap(),
    )
    .unwrap();
    let reading = gpwr::program::read_program(&path);
    let program = reading.program.unwrap_or_else(|| panic!("{:?}", reading.problems));

    let values: &[(&str, &str, f64)] = &[
        ("MOPS_J", "J.punkt.osoby", 316.0),
        ("MOPS_J", "J.punkt.narkotyki", 46.0),
        ("MOPS_J", "J.punkt.alkohol", 84.0),
        ("MOPS_J", "J.punkt.inne", 15.0),
        ("MOPS_J", "J.punkt.rodziny", 14.0),
        ("MOPS_J", "J.punkt.zainteresowani", 33.0),
        ("MOPS_J", "J.nk.rodziny", 89.0),
        ("KPP_J", "J.nk.rodziny", 89.0),
        ("PUP_P", "P.pup.osoby", 77.0),
        ("PUP_P", "P.pup.prace", 27.0),
        ("PUP_P", "P.pup.doposazenie", 3.0),
        ("PUP_P", "P.pup.bon", 5.0),
        ("PUP_P", "P.pup.staz", 32.0),
        ("PUP_P", "P.pup.psu", 1.0),
        ("PUP_P", "P.pup.dzialalnosc", 4.0),
        ("MOPS_M", "M.piecza.wydatki", 413985.00),
        ("MOPS_M", "M.piecza.rodzinna", 300776.55),
        ("MOPS_M", "M.piecza.instytucjonalna", 113208.45),
    ];
    let frame = df!(
        "instytucja" => values.iter().map(|v| v.0).collect::<Vec<_>>(),
        "wskaznik" => values.iter().map(|v| v.1).collect::<Vec<_>>(),
        "wartosc" => values.iter().map(|v| Some(v.2)).collect::<Vec<_>>(),
        "status" => values.iter().map(|_| "wartosc").collect::<Vec<_>>(),
        "plik" => values.iter().map(|v| format!("{}.xlsx", v.0)).collect::<Vec<_>>(),
        "komorka" => (0..values.len()).map(|i| format!("Wskaźniki!E{}", i + 7)).collect::<Vec<_>>(),
    )
    .unwrap();
    let totals = aggregate::totals(&program, &frame).unwrap();
    let total = |id: &str| totals.iter().find(|t| t.indicator == id).unwrap().total;
    assert_eq!(total("J.nk.rodziny"), Some(89.0), "the same fact from police and MOPS is not summed");
    assert_eq!(total("M.piecza.wydatki"), Some(413985.0));
    let failures = checks::run(&program, &frame, &totals).unwrap();
    let fired: Vec<(&str, Option<&str>, &str)> =
        failures.iter().map(|f| (f.check.as_str(), f.institution.as_deref(), f.values.as_str())).collect();
    assert_eq!(
        fired,
        vec![
            ("JAWOR", Some("MOPS_J"), "lewa strona 192, prawa strona 316"),
            ("POLANIEC", Some("PUP_P"), "lewa strona 72, prawa strona 77"),
            ("OKRES", None, ""),
        ],
        "Mielec's parts add up and Jawor's police and MOPS agree; only the check adding a stock to a flow is flagged"
    );
    assert!(
        failures[0].sources.contains("MOPS_J J.punkt.osoby = 316 (MOPS_J.xlsx Wskaźniki!E7)"),
        "{}",
        failures[0].sources
    );
}

#[test]
fn last_years_workbook_gives_the_change_and_flags_large_ones() {
    let (tmp, _) = sample_report();
    // Last year's consolidated workbook, as gpwr wrote it: `Podsumowanie` with `ID` and `Razem`.
    let previous = tmp.path().join("zestawienie_2024.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let last_year = book.add_worksheet().set_name("Podsumowanie").unwrap();
    last_year.write_string(3, 2, "ID").unwrap();
    last_year.write_string(3, 7, "Razem").unwrap();
    last_year.write_string(3, 0, "Cel").unwrap();
    for (row, (id, value)) in
        [("C1.nk.rodziny", 20.0), ("C3.wypoczynek.wydarzenia", 10.0), ("C3.piecza.wydatki", 413985.0)]
            .iter()
            .enumerate()
    {
        last_year.write_string(4 + row as u32, 2, *id).unwrap();
        last_year.write_number(4 + row as u32, 7, *value).unwrap();
    }
    book.save(&previous).unwrap();
    let with_previous = |out: &str, previous: &Path| {
        let program = repo().join("samples/program.xlsx");
        let (program, previous) = (program.to_str().unwrap(), previous.to_str().unwrap());
        gpwr(
            tmp.path(),
            &["report", "--program", program, "--collected", "collected", "--out", out, "--previous", previous],
        )
    };
    with_previous("report2", &previous).expect_code(1);
    let path = tmp.path().join("report2/zestawienie.xlsx");
    let rows = summary(&path);
    let r = &rows["C3.wypoczynek.wydarzenia"];
    assert_eq!(
        (r["Poprzedni rok"].as_str(), r["Zmiana"].as_str(), r["Kontrole"].as_str()),
        ("10", "4", "OK"),
        "14 after 10: ordinary"
    );
    let r = &rows["C1.nk.rodziny"];
    assert_eq!((r["Poprzedni rok"].as_str(), r["Zmiana"].as_str(), r["Kontrole"].as_str()), ("20", "51", "RDR"));
    assert_eq!(rows["C3.piecza.wydatki"]["Zmiana"], "0");
    let checks = sheet(&path, "Kontrole");
    let rdr: Vec<Vec<String>> =
        checks.rows().map(|r| r.iter().map(text).collect::<Vec<_>>()).filter(|r| r[0] == "RDR").collect();
    assert_eq!(rdr.len(), 1, "{rdr:?}");
    assert_eq!(rdr[0][5], "poprzednio 20, teraz 71 (+255%)");
    // Last year's file inside the output folder would be replaced: refused, and kept.
    std::fs::create_dir(tmp.path().join("stare")).unwrap();
    let kept = tmp.path().join("stare/zestawienie_2024.xlsx");
    std::fs::copy(&previous, &kept).unwrap();
    let run = with_previous("stare", &kept).expect_code(3);
    assert!(run.stderr.contains("pokrywa się") && run.stderr.contains("zestawienie_2024.xlsx"), "{}", run.stderr);
    assert!(kept.exists());
}

/// `Macierz` reads as a table: every cell of an indicator's row has a style (the border),
/// the institutions that do not report it too.
#[test]
fn the_matrix_is_a_full_grid() {
    let (_tmp, path) = sample_report();
    let grid = sheet(&path, "Macierz");
    let header = grid.rows().find(|r| text(&r[0]) == "ID").expect("header row");
    let institutions = header.iter().skip(2).filter(|c| !text(c).is_empty()).count();
    assert_eq!(institutions, 17);
    let xml = worksheet_xml(&path, "Macierz");
    // The first indicator row: ID, label and one cell per institution, each styled.
    let row_start = xml.find("<c r=\"A5\"").expect("first indicator row");
    let row = &xml[row_start..row_start + xml[row_start..].find("</row>").unwrap()];
    let cells = tags(row, "c");
    assert_eq!(cells.len(), 2 + institutions, "{row}");
    assert!(cells.iter().all(|c| attribute(c, "s").is_some()), "{row}");
}
