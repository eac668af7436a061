//! `gpwr demo`: the whole cycle on the bundled sample in one command, from the binary alone
//! (the inbox is built in), and again over its own earlier folder.

use crate::common::*;

#[test]
fn the_demo_runs_the_whole_cycle_and_says_where_everything_is() {
    let tmp = temp_dir();
    let run = gpwr(tmp.path(), &["demo", "przyklad"]).expect_code(0);
    let demo = tmp.path().join("przyklad");
    for (line, path) in [
        ("  2. formularze (17):  ", "templates_xlsx"),
        ("  3. wiadomości z formularzami (17):  ", "outbox/formularze"),
        ("  5. zebrane dane: 11 z 17 instytucji, ", "collected"),
        ("  6. przypomnienia i poprawki (9):  ", "outbox/przypomnienia"),
    ] {
        let shown =
            run.stdout.lines().find(|l| l.starts_with(line)).unwrap_or_else(|| panic!("{line}\n{}", run.stdout));
        assert!(shown.ends_with(&format!("przyklad/{path}")), "{shown}");
        assert!(demo.join(path).is_dir(), "{path}");
    }
    assert!(run.stdout.contains("przyklad/report/zestawienie.xlsx"), "{}", run.stdout);
    assert_eq!(xlsx_files(&demo.join("templates_xlsx")).len(), 17);
    let completeness = read_csv(&demo.join("collected/kompletnosc.csv"));
    assert_eq!(completeness.iter().filter(|c| !c["plik"].is_empty()).count(), 11);
    for file in ["zestawienie.xlsx", "potrzeby.docx", "potrzeby.md", "sprawozdanie.docx"] {
        assert!(demo.join("report").join(file).is_file(), "{file}");
    }

    // A second demo replaces its own folder; a folder it did not make is refused.
    std::fs::write(demo.join("inbox/dodany.txt"), "x").unwrap();
    gpwr(tmp.path(), &["demo", "przyklad"]).expect_code(0);
    assert!(!demo.join("inbox/dodany.txt").exists(), "the earlier demo folder was replaced");
    std::fs::create_dir(tmp.path().join("moje")).unwrap();
    std::fs::write(tmp.path().join("moje/notatki.txt"), "ważne").unwrap();
    let refused = gpwr(tmp.path(), &["demo", "moje"]).expect_code(3);
    assert!(refused.stderr.contains("nie utworzyło go `gpwr demo`"), "{}", refused.stderr);
    assert_eq!(std::fs::read_to_string(tmp.path().join("moje/notatki.txt")).unwrap(), "ważne");
}
