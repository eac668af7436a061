//! Collecting again as returns trickle in: what each unchanged file gave is taken from the
//! memory kept in the collected folder, only new or changed files are read, and the
//! outputs are byte for byte those of a collect that reads everything; a changed definition
//! forgets the memory.

use crate::common::*;
use gpwr::collect::memory::MEMORY_FILE;
use std::path::Path;

/// Runs `gpwr collect` of the sample programme from `inbox` into `out` (both under `dir`).
fn collect(dir: &Path, program: &str, inbox: &str, out: &str) {
    let run = gpwr(dir, &["collect", "--program", program, "--inbox", inbox, "--out", out]);
    assert!(run.code == 0 || run.code == 1, "collect failed: {}\n{}", run.stdout, run.stderr);
}

/// A temporary campaign folder with the sample programme and inbox.
fn sample_campaign() -> tempfile::TempDir {
    let tmp = temp_dir();
    std::fs::copy(repo().join("samples/program.xlsx"), tmp.path().join("program.xlsx")).unwrap();
    copy_tree(&repo().join("samples/inbox"), &tmp.path().join("inbox"));
    tmp
}

#[test]
fn a_second_collect_with_one_more_return_equals_a_full_collect() {
    let tmp = sample_campaign();
    // First without MOPS's return, which then arrives.
    let mops = tmp.path().join("inbox/Sprawozdanie MOPS 2025.xlsx");
    let held_back = std::fs::read(&mops).unwrap();
    std::fs::remove_file(&mops).unwrap();
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    assert!(tmp.path().join("collected").join(MEMORY_FILE).is_file(), "the memory is kept with the outputs");
    std::fs::write(&mops, held_back).unwrap();
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    // A collect that remembers nothing, of the same inbox.
    collect(tmp.path(), "program.xlsx", "inbox", "full");
    assert_eq!(hash_tree(&tmp.path().join("collected")), hash_tree(&tmp.path().join("full")));
}

#[test]
fn unchanged_files_come_from_the_memory_until_the_file_or_the_definition_changes() {
    let tmp = sample_campaign();
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    let memory = tmp.path().join("collected").join(MEMORY_FILE);
    let remembered = std::fs::read_to_string(&memory).unwrap();
    // MOPS reported 152 families (C1.analiza.rodziny); make the memory say 153.
    let marker = "\"indicator\":\"C1.analiza.rodziny\",\"value\":152.0";
    assert_eq!(remembered.matches(marker).count(), 1, "the memory holds MOPS's value once");
    std::fs::write(&memory, remembered.replace(marker, "\"indicator\":\"C1.analiza.rodziny\",\"value\":153.0"))
        .unwrap();
    let mops_value = |dir: &str| {
        let rows = read_csv(&tmp.path().join(dir).join("dane.csv"));
        rows.iter().find(|r| r["instytucja"] == "MOPS" && r["wskaznik"] == "C1.analiza.rodziny").unwrap()["wartosc"]
            .clone()
    };
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    assert_eq!(mops_value("collected"), "153", "an unchanged file is not read again");
    // The same content under a new time is still the same file.
    let mops = tmp.path().join("inbox/Sprawozdanie MOPS 2025.xlsx");
    let bytes = std::fs::read(&mops).unwrap();
    std::fs::remove_file(&mops).unwrap();
    std::fs::write(&mops, &bytes).unwrap();
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    assert_eq!(mops_value("collected"), "153");
    // A definition saved again (one byte more) forgets everything: MOPS's 152 is read anew.
    let mut definition = std::fs::read(tmp.path().join("program.xlsx")).unwrap();
    definition.push(0);
    std::fs::write(tmp.path().join("program2.xlsx"), &definition).unwrap();
    assert!(std::fs::read_to_string(&memory).unwrap().contains("\"value\":153.0"), "the memory keeps what it gave");
    collect(tmp.path(), "program2.xlsx", "inbox", "collected");
    assert_eq!(mops_value("collected"), "152", "another definition reads every file again");
}

#[test]
fn a_feedback_workbook_saved_over_by_the_coordinator_is_built_anew() {
    let tmp = sample_campaign();
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    let feedback_dir = tmp.path().join("collected").join(gpwr::collect::write::FEEDBACK_DIR);
    let mut feedback: Vec<_> = std::fs::read_dir(&feedback_dir).unwrap().map(|e| e.unwrap().path()).collect();
    feedback.sort();
    let edited = feedback.first().expect("the sample gives at least one feedback workbook");
    // As if opened and saved in Excel: same name, other bytes.
    std::fs::write(edited, b"zapisany w Excelu").unwrap();
    collect(tmp.path(), "program.xlsx", "inbox", "collected");
    collect(tmp.path(), "program.xlsx", "inbox", "full");
    let (again, full) = (hash_tree(&tmp.path().join("collected")), hash_tree(&tmp.path().join("full")));
    let name = format!("{}/{}", gpwr::collect::write::FEEDBACK_DIR, edited.file_name().unwrap().to_string_lossy());
    assert_eq!(again.get(&name), full.get(&name), "{name} is built again, not carried over");
    assert_eq!(again, full);
}
