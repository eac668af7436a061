//! `gpwr mail`: the drafts are parsed back with another MIME implementation (mail-parser,
//! not lettre which wrote them) and checked for recipient, subject, body and attachment,
//! Polish letters included; reminders go only to the missing and to those with errors.

use crate::common::*;
use gpwr::program::write::definition_workbook;
use gpwr::program::{Program, read_program, sheets};
use gpwr::sample::sample_tables;
use mail_parser::{MessageParser, MimeHeaders};
use rust_xlsxwriter::ExcelDateTime;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

/// One parsed draft, with what the tests look at.
#[derive(Debug)]
struct Parsed {
    to: Vec<String>,
    to_name: String,
    from: String,
    reply_to: String,
    subject: String,
    body: String,
    unsent: String,
    /// (name from Content-Disposition, name from Content-Type, bytes)
    attachments: Vec<(String, String, Vec<u8>)>,
}

fn parse(path: &Path) -> Parsed {
    let bytes = fs::read(path).unwrap();
    let message =
        MessageParser::default().parse(&bytes).unwrap_or_else(|| panic!("mail-parser cannot parse {}", path.display()));
    let to = message.to().unwrap_or_else(|| panic!("{} has no To", path.display()));
    Parsed {
        to: to.iter().map(|a| a.address().unwrap_or_default().to_string()).collect(),
        to_name: to.first().and_then(|a| a.name()).unwrap_or_default().to_string(),
        from: message.from().and_then(|f| f.first()).and_then(|a| a.address()).unwrap_or_default().to_string(),
        reply_to: message.reply_to().and_then(|f| f.first()).and_then(|a| a.address()).unwrap_or_default().to_string(),
        subject: message.subject().unwrap_or_default().to_string(),
        body: message.body_text(0).unwrap_or_default().replace("\r\n", "\n"),
        unsent: message.header_raw("X-Unsent").unwrap_or_default().trim().to_string(),
        attachments: message
            .attachments()
            .map(|part| {
                let disposition =
                    part.content_disposition().and_then(|d| d.attribute("filename")).unwrap_or_default().to_string();
                let content_type =
                    part.content_type().and_then(|t| t.attribute("name")).unwrap_or_default().to_string();
                (disposition, content_type, part.contents().to_vec())
            })
            .collect(),
    }
}

fn eml_names(dir: &Path) -> BTreeSet<String> {
    fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".eml"))
        .collect()
}

fn sample_program() -> Program {
    read_program(&repo().join("samples/program.xlsx")).program.expect("the sample programme reads")
}

/// A campaign folder with the sample programme and its templates.
fn campaign_with_templates() -> tempfile::TempDir {
    let dir = temp_dir();
    fs::copy(repo().join("samples/program.xlsx"), dir.path().join("program.xlsx")).unwrap();
    gpwr(dir.path(), &["templates"]).expect_code(0);
    dir
}

#[test]
fn every_institution_gets_its_template_in_a_draft_any_mime_parser_reads() {
    let dir = campaign_with_templates();
    let run = gpwr(dir.path(), &["mail"]).expect_code(0);
    let program = sample_program();
    let outbox = dir.path().join("outbox/formularze");
    let expected: BTreeSet<String> =
        program.institutions.iter().map(|i| format!("GPWR_2025_{}_formularz.eml", i.id)).collect();
    assert_eq!(eml_names(&outbox), expected, "one message per institution\n{}", run.stdout);
    assert_eq!(expected.len(), 17);

    for institution in &program.institutions {
        let parsed = parse(&outbox.join(format!("GPWR_2025_{}_formularz.eml", institution.id)));
        assert_eq!(parsed.to, [institution.email.clone().unwrap()], "{}", institution.id);
        assert_eq!(parsed.to_name, institution.name);
        assert_eq!(parsed.from, "gpwr@mops.example.pl");
        assert_eq!(parsed.reply_to, "gpwr@mops.example.pl", "replies reach the coordinator from any account");
        assert_eq!(parsed.unsent, "1", "Outlook opens it as a draft only with X-Unsent: 1");
        assert_eq!(
            parsed.subject,
            format!("GPWR 2025: formularz do wypełnienia – {} (termin: 13 lutego 2026 r.)", institution.name)
        );
        for expected in [
            "Szanowni Państwo,",
            "„Gminny Program Wspierania Rodziny na lata 2024-2027” (Gmina Miejska Mielec) za 2025 r.",
            &format!("Prosimy o dane Państwa instytucji: {}.", institution.name),
            "odesłać wypełniony plik do 13 lutego 2026 r. na adres gpwr@mops.example.pl",
            "Anna Przykładowa, Dział Specjalistycznej Pracy Socjalnej, tel. 17 000 00 00",
        ] {
            assert!(parsed.body.contains(expected), "{}: body lacks {expected:?}:\n{}", institution.id, parsed.body);
        }
        let template =
            fs::read(dir.path().join("templates_xlsx").join(gpwr::template::template_file_name(&program, institution)))
                .unwrap();
        assert_eq!(parsed.attachments.len(), 1, "{}", institution.id);
        let (disposition_name, type_name, bytes) = &parsed.attachments[0];
        assert_eq!(disposition_name, type_name, "both names decode the same");
        assert!(disposition_name.starts_with(&format!("GPWR 2025 – {} – ", institution.id)), "{disposition_name}");
        assert!(*bytes == template, "{}: the attachment is the template, byte for byte", institution.id);
    }
    // Polish letters, typographic quotes and a slash in the institution's name.
    let promyk = parse(&outbox.join("GPWR_2025_PROMYK_formularz.eml"));
    assert_eq!(promyk.attachments[0].0, "GPWR 2025 – PROMYK – Stowarzyszenie Razem - Świetlica „Promyk”.xlsx");
    let iskierka = parse(&outbox.join("GPWR_2025_ISKIERKA_formularz.eml"));
    assert_eq!(
        iskierka.attachments[0].0,
        "GPWR 2025 – ISKIERKA – Parafialny Zespół Caritas – Świetlica Środowiskowa „Iskierka”.xlsx"
    );
    assert!(promyk.body.contains("Formularz obejmuje 11 wskaźników, a także"), "{}", promyk.body);

    // The coordinator's list, and the same inputs give the same files.
    let list = read_csv(&outbox.join("lista.csv"));
    assert_eq!(list.len(), 17);
    assert!(list.iter().all(|r| r["rodzaj"] == "formularz" && r["uwagi"].is_empty()), "{list:?}");
    let before = hash_tree(&outbox);
    gpwr(dir.path(), &["mail"]).expect_code(0);
    assert_eq!(hash_tree(&outbox), before, "a second run writes the same bytes");
}

#[test]
fn after_collecting_the_sample_only_the_missing_and_those_with_errors_get_mail() {
    let dir = campaign_with_templates();
    copy_tree(&repo().join("samples/inbox"), &dir.path().join("inbox"));
    gpwr(dir.path(), &["collect"]).expect_code(1);
    let run = gpwr(dir.path(), &["mail", "--collected"]).expect_code(0);
    let outbox = dir.path().join("outbox/przypomnienia");

    // Who needs what, from collect's own completeness table.
    let completeness = read_csv(&dir.path().join("collected/kompletnosc.csv"));
    let mut expected = BTreeSet::new();
    for row in &completeness {
        if row["plik"].is_empty() {
            expected.insert(format!("GPWR_2025_{}_przypomnienie.eml", row["instytucja"]));
        } else if row["bledy"] != "0" {
            expected.insert(format!("GPWR_2025_{}_do_poprawy.eml", row["instytucja"]));
        }
    }
    let by_hand: BTreeSet<String> = ["SP11", "MKRPA", "SCK", "MBP", "PPP", "SZR"]
        .iter()
        .map(|id| format!("GPWR_2025_{id}_przypomnienie.eml"))
        .chain(["PCPR", "ZI", "UM"].iter().map(|id| format!("GPWR_2025_{id}_do_poprawy.eml")))
        .collect();
    assert_eq!(expected, by_hand, "the sample's returns as collect sees them");
    assert_eq!(eml_names(&outbox), expected, "{}", run.stdout);

    // Corrections: the errors listed with their cells, the feedback workbook attached.
    let pcpr = parse(&outbox.join("GPWR_2025_PCPR_do_poprawy.eml"));
    assert_eq!(pcpr.to, ["sekretariat@pcpr.example.pl"]);
    assert_eq!(pcpr.subject, "GPWR 2025: formularz do poprawy – Powiatowe Centrum Pomocy Rodzinie w Mielcu");
    assert!(pcpr.body.contains("(plik „PCPR_poprawione.xlsx”)"), "{}", pcpr.body);
    assert!(pcpr.body.contains("znaleźliśmy 7 błędów"), "{}", pcpr.body);
    let numbered: Vec<&str> =
        pcpr.body.lines().filter(|l| l.chars().next().is_some_and(|c| c.is_ascii_digit())).collect();
    assert_eq!(numbered.len(), 7, "one numbered line per error:\n{}", pcpr.body);
    // Where, which indicator, what was typed, and what the institution is asked, formally.
    assert_eq!(
        numbered[0],
        "1. Wskaźniki!E12 („Liczba rodziców uczestniczących w warsztatach i zajęciach kompetencji rodzicielskich”), \
         wpisano „69 518,09 zł”: Wskaźnik liczy osoby, rodziny lub zdarzenia, więc powinien być liczbą całkowitą. \
         Prosimy o poprawienie wartości."
    );
    assert_eq!(
        numbered[1],
        "2. Wskaźniki!E16 („Liczba osób korzystających z poradnictwa prawnego”), wpisano „Na bieżąco”: \
         W polu liczbowym wpisano tekst. Prosimy o wpisanie samej liczby, a wyjaśnień w kolumnie „Komentarz”."
    );
    assert!(pcpr.body.contains("– Wskaźniki!E15 („Liczba osób korzystających z poradnictwa psychologicznego”)"));
    let feedback = fs::read(dir.path().join("collected/do_poprawy/GPWR_2025_PCPR_do_poprawy.xlsx")).unwrap();
    assert_eq!(pcpr.attachments.len(), 1);
    assert_eq!(
        pcpr.attachments[0].0,
        "GPWR 2025 – PCPR – do poprawy – Powiatowe Centrum Pomocy Rodzinie w Mielcu.xlsx"
    );
    assert!(pcpr.attachments[0].2 == feedback, "the feedback workbook, byte for byte");

    // Reminder: why the file that came was refused, and the template again.
    let sp11 = parse(&outbox.join("GPWR_2025_SP11_przypomnienie.eml"));
    assert_eq!(sp11.to, ["sekretariat@sp11.example.pl"]);
    assert!(
        sp11.body.contains(
            "Otrzymaliśmy plik „SP11_2024.xlsx”, ale nie mogliśmy go przyjąć. Przesłany formularz dotyczy innego roku \
             niż bieżące sprawozdanie. Prosimy o wypełnienie formularza z naszej wiadomości."
        ),
        "{}",
        sp11.body
    );
    assert!(
        sp11.body.contains(
            "Prosiliśmy o jego odesłanie do 13 lutego 2026 r., a do tej pory nie otrzymaliśmy formularza, który moglibyśmy przyjąć."
        ),
        "{}",
        sp11.body
    );
    // collect's message ends "Poproś o formularz za rok 2025.": advice to the coordinator.
    assert!(!sp11.body.contains("Poproś") && !sp11.body.contains("pominięto"), "{}", sp11.body);
    assert!(!sp11.body.contains("mógł do nas nie dotrzeć"), "a file did arrive:\n{}", sp11.body);
    let program = sample_program();
    let sp11_institution = program.institutions.iter().find(|i| i.id == "SP11").unwrap();
    let template = fs::read(
        dir.path().join("templates_xlsx").join(gpwr::template::template_file_name(&program, sp11_institution)),
    )
    .unwrap();
    assert_eq!(
        sp11.attachments[0].0,
        "GPWR 2025 – SP11 – Szkoła Podstawowa nr 11 z Oddziałami Integracyjnymi w Mielcu.xlsx"
    );
    assert!(sp11.attachments[0].2 == template);
    let mbp = parse(&outbox.join("GPWR_2025_MBP_przypomnienie.eml"));
    assert!(!mbp.body.contains("Otrzymaliśmy plik"), "MBP sent nothing:\n{}", mbp.body);
    assert!(mbp.body.contains("a do tej pory go nie otrzymaliśmy."), "{}", mbp.body);
    // Refused files nobody can be tied to are pointed out before reminders go.
    assert!(
        run.stderr.contains("SP99.xlsx, notatka.xlsx, pusty.xlsx, uszkodzony.xlsx, zaszyfrowany.xlsx"),
        "{}",
        run.stderr
    );

    // What the coordinator reads keeps where gpwr kept the row; what ZI reads does not.
    let findings = read_csv(&dir.path().join("collected/ustalenia.csv"));
    assert!(findings.iter().any(|f| f["instytucja"] == "ZI" && f["komunikat"].contains("inne_komorki.csv")));
    let feedback = sheet(&dir.path().join("collected/do_poprawy/GPWR_2025_ZI_do_poprawy.xlsx"), "Do poprawy");
    let texts: Vec<String> = feedback.cells().map(|(_, _, d)| text(d)).collect();
    let unknown_row = gpwr::collect::findings::Code::UnknownIndicator.texts().institution;
    assert!(texts.iter().any(|t| t == unknown_row), "the row ZI added is explained formally: {texts:?}");
    assert!(!texts.iter().any(|t| t.contains("inne_komorki.csv") || t.contains("Poproś")), "{texts:?}");
    let zi = parse(&outbox.join("GPWR_2025_ZI_do_poprawy.eml"));
    assert!(!zi.body.contains("inne_komorki.csv"), "{}", zi.body);

    let list = read_csv(&outbox.join("lista.csv"));
    assert_eq!(list.len(), 17);
    let mops = list.iter().find(|r| r["instytucja"] == "MOPS").unwrap();
    assert_eq!((mops["rodzaj"].as_str(), mops["wiadomosc"].as_str()), ("", ""));
    assert_eq!(mops["uwagi"], "formularz bez błędów: nic do wysłania");
}

#[test]
fn institutions_without_a_usable_address_are_listed_instead_of_written_to() {
    let dir = temp_dir();
    let mut tables = sample_tables();
    let institutions = tables.iter_mut().find(|t| t.name == sheets::INSTITUTIONS).unwrap();
    let (id, email) = (institutions.column("ID").unwrap(), institutions.column("E-mail").unwrap());
    for row in &mut institutions.rows {
        match row[id].as_str() {
            "SZR" => row[email] = String::new(),
            "PPP" => row[email] = "poradnia(at)ppp.example.pl".into(),
            "SCK" => row[email] = "biuro@sck.example.pl; dyrektor@sck.example.pl".into(),
            _ => {}
        }
    }
    let workbook = definition_workbook(&tables, &ExcelDateTime::from_ymd(2025, 11, 1).unwrap()).unwrap();
    fs::write(dir.path().join("program.xlsx"), workbook).unwrap();
    gpwr(dir.path(), &["templates"]).expect_code(0);
    let run = gpwr(dir.path(), &["mail"]).expect_code(1);

    let outbox = dir.path().join("outbox/formularze");
    let names = eml_names(&outbox);
    assert_eq!(names.len(), 15, "{names:?}");
    assert!(!names.contains("GPWR_2025_SZR_formularz.eml") && !names.contains("GPWR_2025_PPP_formularz.eml"));
    assert!(run.stderr.contains("SZR (Szpital Specjalistyczny w Mielcu – Szkoła Rodzenia i Poradnia Laktacyjna): brak wiadomości „formularz”: brak adresu e-mail"), "{}", run.stderr);
    assert!(run.stderr.contains("PPP (Poradnia Psychologiczno-Pedagogiczna w Mielcu): brak wiadomości „formularz”: „poradnia(at)ppp.example.pl” nie jest poprawnym adresem e-mail"), "{}", run.stderr);
    let sck = parse(&outbox.join("GPWR_2025_SCK_formularz.eml"));
    assert_eq!(sck.to, ["biuro@sck.example.pl", "dyrektor@sck.example.pl"]);

    let list = read_csv(&outbox.join("lista.csv"));
    let szr = list.iter().find(|r| r["instytucja"] == "SZR").unwrap();
    assert_eq!(szr["wiadomosc"], "");
    assert!(szr["uwagi"].starts_with("brak adresu e-mail"), "{szr:?}");
    // The coordinator's copy of the list, as a workbook.
    let grid = sheet(&outbox.join("lista.xlsx"), "Wiadomości");
    let row = grid.rows().find(|r| text(&r[0]) == "SZR").expect("SZR in lista.xlsx");
    assert_eq!(text(&row[4]), "", "no message file for SZR");
    assert!(text(&row[6]).starts_with("brak adresu e-mail w arkuszu „Instytucje”"), "{row:?}");
}

#[test]
fn templates_of_another_definition_are_not_sent() {
    let dir = campaign_with_templates();
    let mut tables = sample_tables();
    let settings = tables.iter_mut().find(|t| t.name == sheets::SETTINGS).unwrap();
    let value = settings.column("Wartość").unwrap();
    let row = settings.rows.iter_mut().find(|r| r[0] == "Identyfikator programu").unwrap();
    row[value] = "mielec-gpwr-2024-2027-v2".into();
    let workbook = definition_workbook(&tables, &ExcelDateTime::from_ymd(2025, 11, 1).unwrap()).unwrap();
    fs::write(dir.path().join("program.xlsx"), workbook).unwrap();

    let run = gpwr(dir.path(), &["mail"]).expect_code(1);
    assert!(eml_names(&dir.path().join("outbox/formularze")).is_empty());
    assert!(
        run.stderr.contains("jest z programu „mielec-gpwr-2024-2027”: uruchom `gpwr templates`, żeby go odświeżyć"),
        "{}",
        run.stderr
    );
    gpwr(dir.path(), &["templates"]).expect_code(0);
    gpwr(dir.path(), &["mail"]).expect_code(0);
    assert_eq!(eml_names(&dir.path().join("outbox/formularze")).len(), 17);
}

#[test]
fn collected_data_of_another_year_or_with_a_column_missing_is_refused() {
    let dir = campaign_with_templates();
    copy_tree(&repo().join("samples/inbox"), &dir.path().join("inbox"));
    gpwr(dir.path(), &["collect"]).expect_code(1);
    let completeness = dir.path().join("collected/kompletnosc.csv");
    let original = fs::read_to_string(&completeness).unwrap();

    // Last year's campaign folder copied for this year: the definition says 2026 now.
    let mut tables = sample_tables();
    let settings = tables.iter_mut().find(|t| t.name == sheets::SETTINGS).unwrap();
    let value = settings.column("Wartość").unwrap();
    settings.rows.iter_mut().find(|r| r[0] == "Rok sprawozdawczy").unwrap()[value] = "2026".into();
    settings.rows.iter_mut().find(|r| r[0] == "Termin zwrotu").unwrap()[value] = "2027-02-12".into();
    let next_year = dir.path().join("program_2026.xlsx");
    fs::write(&next_year, definition_workbook(&tables, &ExcelDateTime::from_ymd(2026, 11, 1).unwrap()).unwrap())
        .unwrap();
    let run = gpwr(dir.path(), &["mail", "--collected", "--program", "program_2026.xlsx"]).expect_code(3);
    assert!(
        run.stderr.contains("zebrano je dla programu „mielec-gpwr-2024-2027” za rok 2025, a definicja to program „mielec-gpwr-2024-2027” za rok 2026"),
        "{}",
        run.stderr
    );
    assert!(!dir.path().join("outbox/przypomnienia").exists(), "nothing written");

    // A column renamed by hand (and a byte-order mark from a spreadsheet re-save).
    fs::write(&completeness, format!("\u{feff}{}", original.replacen("plik,", "plik_uzyty,", 1))).unwrap();
    let run = gpwr(dir.path(), &["mail", "--collected"]).expect_code(3);
    assert!(run.stderr.contains("brak kolumny „plik”"), "{}", run.stderr);
    fs::write(&completeness, format!("\u{feff}{original}")).unwrap();
    gpwr(dir.path(), &["mail", "--collected"]).expect_code(0);
}
