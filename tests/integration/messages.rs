//! What people read is Polish and addressed to them: an institution gets the formal text
//! of each finding code (no advice meant for the coordinator, no names of inbox files), and
//! no library English reaches anyone, also for a truncated zip, an encrypted file and a
//! broken .ods.

use crate::common::*;
use gpwr::collect::findings::Code;
use std::path::Path;

/// Every file name in `dir` and its subfolders.
fn names_under(dir: &Path) -> Vec<String> {
    hash_tree(dir).keys().map(|relative| relative.rsplit('/').next().unwrap_or(relative).to_string()).collect()
}

#[test]
fn institutions_read_formal_texts_and_nobody_reads_library_english() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    let inbox = campaign.join("inbox");
    copy_tree(&repo().join("samples/inbox"), &inbox);
    for hostile in ["uciety.xlsx", "haslo.xlsx"] {
        std::fs::copy(repo().join("tests/fixtures/hostile").join(hostile), inbox.join(hostile)).unwrap();
    }
    let ods = std::fs::read(repo().join("samples/inbox/SP3 - odpowiedź.ods")).unwrap();
    std::fs::write(inbox.join("SP3_urwany.ods"), &ods[..ods.len() / 2]).unwrap();
    gpwr(&campaign, &["templates"]).expect_code(0);
    let collect = gpwr(&campaign, &["collect"]).expect_code(1);
    gpwr(&campaign, &["mail", "--collected"]).expect_code(0);

    // The damaged files are described in Polish, and nothing anyone reads is English.
    let findings = read_csv(&campaign.join("collected/ustalenia.csv"));
    for (file, code) in
        [("uciety.xlsx", "PLIK_USZKODZONY"), ("haslo.xlsx", "PLIK_ZASZYFROWANY"), ("SP3_urwany.ods", "PLIK_USZKODZONY")]
    {
        assert!(findings.iter().any(|f| f["plik"] == file && f["kod"] == code), "{file}: {code}");
    }
    let messages: String = findings.iter().map(|f| format!("{}\n", f["komunikat"])).collect();
    assert_no_english(&messages, "ustalenia.csv");
    assert_no_english(&format!("{}{}", collect.stdout, collect.stderr), "collect's output");

    let inbox_names = names_under(&inbox);
    let institution_texts: Vec<&str> = Code::ALL.iter().map(|c| c.texts().institution).collect();
    let check = |text: &str, what: &str| {
        assert!(
            !text.contains("Poproś") && !text.contains("inne_komorki"),
            "{what}: advice for the coordinator: {text}"
        );
        for name in &inbox_names {
            assert!(!text.contains(name.as_str()), "{what}: inbox file {name} named in: {text}");
        }
        assert_no_english(text, what);
    };
    // The feedback workbooks: every request is one of the codes' institution texts.
    let feedback = campaign.join("collected/do_poprawy");
    for workbook in xlsx_files(&feedback) {
        let grid = sheet(&workbook, "Do poprawy");
        let header = grid.rows().position(|r| r.iter().any(|d| text(d) == "O co prosimy")).expect("header");
        let col = grid.rows().nth(header).unwrap().iter().position(|d| text(d) == "O co prosimy").unwrap();
        for row in grid.rows().skip(header + 1) {
            let request = text(&row[col]);
            assert!(institution_texts.contains(&request.as_str()), "{}: {request}", workbook.display());
            check(&request, &workbook.display().to_string());
        }
    }
    // The letters: what is asked after each listed place, and the whole body's language.
    let outbox = campaign.join("outbox/przypomnienia");
    let mut letters = 0;
    for entry in std::fs::read_dir(&outbox).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "eml") {
            continue;
        }
        let bytes = std::fs::read(&path).unwrap();
        let message = mail_parser::MessageParser::default().parse(&bytes).unwrap();
        let body = message.body_text(0).unwrap_or_default().to_string();
        assert_no_english(&body, &path.display().to_string());
        for line in body.lines().filter(|l| l.starts_with(|c: char| c.is_ascii_digit()) || l.starts_with('–')) {
            let request = line.rsplit_once("”: ").or_else(|| line.split_once(": ")).map_or(line, |(_, r)| r);
            check(request, &path.display().to_string());
        }
        letters += 1;
    }
    assert!(letters >= 9, "reminders and corrections were written: {letters}");
}

#[test]
fn a_wrong_command_line_and_the_help_are_polish() {
    let tmp = temp_dir();
    let run = gpwr(tmp.path(), &["collect", "--bad"]).expect_code(2);
    assert!(run.stderr.starts_with("Błąd: nieznana opcja „--bad”\n"), "{}", run.stderr);
    let run = gpwr(tmp.path(), &["colect"]).expect_code(2);
    assert!(run.stderr.starts_with("Błąd: nieznane polecenie „colect”; czy chodziło o „collect”?"), "{}", run.stderr);
    let run = gpwr(tmp.path(), &["init"]).expect_code(2);
    assert!(run.stderr.starts_with("Błąd: brakuje argumentu „<FOLDER>”"), "{}", run.stderr);
    let help = gpwr(tmp.path(), &["collect", "--help"]).expect_code(0);
    assert!(
        help.stdout.contains("Użycie: gpwr collect [OPCJE]\n") && help.stdout.contains("\nOpcje:\n"),
        "{}",
        help.stdout
    );
    let top = gpwr(tmp.path(), &["--help"]).expect_code(0);
    assert!(top.stdout.contains("\nPolecenia:\n") && top.stdout.contains("Wyświetla pomoc"), "{}", top.stdout);
    for text in [&run.stderr, &help.stdout, &top.stdout] {
        for english in ["Usage", "Options", "Commands", "Arguments", "error:", "Print help", "[OPTIONS]"] {
            assert!(!text.contains(english), "{english:?} in:\n{text}");
        }
    }
}
