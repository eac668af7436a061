//! The needs summary and the documents for the council, on the sample: every need of every
//! chosen return exactly once (a superseded duplicate's needs not at all), the coordinator's
//! and the data's own needs, subtotals that add up, the foster-care sheet, and .docx files
//! LibreOffice opens.

use crate::common::*;
use crate::report::sample_report;
use calamine::Data;
use std::collections::BTreeMap;

/// `Potrzeby` data rows (those with a number in `Lp.`): header → text, and the subtotal
/// rows: label → amount.
type NeedRows = (Vec<BTreeMap<String, String>>, Vec<(String, f64)>);

fn needs_sheet(path: &std::path::Path) -> NeedRows {
    let range = sheet(path, "Potrzeby");
    let rows: Vec<Vec<Data>> = range.rows().map(|r| r.to_vec()).collect();
    let header_at = rows.iter().position(|r| r.first().map(text).as_deref() == Some("Lp.")).unwrap();
    let header: Vec<String> = rows[header_at].iter().map(text).collect();
    let mut lines = Vec::new();
    let mut sums = Vec::new();
    for r in &rows[header_at + 1..] {
        match (&r[0], &r[5]) {
            (Data::Float(_), _) => lines.push(header.iter().cloned().zip(r.iter().map(text)).collect()),
            (Data::String(label), Data::Float(v)) if label.starts_with("Razem") || label.starts_with("OGÓŁEM") => {
                sums.push((label.clone(), *v))
            }
            _ => {}
        }
    }
    (lines, sums)
}

#[test]
fn every_need_appears_exactly_once_with_subtotals_that_add_up() {
    let (_tmp, path) = sample_report();
    let (lines, sums) = needs_sheet(&path);
    let expected = read_tsv(&repo().join("tests/fixtures/inbox_expected/needs.tsv"));
    // Every institution need from the chosen returns, once, with its file and cell.
    for e in &expected {
        let origin = format!("{}, {}", e["file"], e["row"].replace('!', "!A"));
        let found: Vec<_> = lines.iter().filter(|l| l["Źródło"] == origin).collect();
        assert_eq!(found.len(), 1, "need at {origin}: {:?}", e["Opis potrzeby"]);
        assert_eq!(found[0]["Potrzeba"], e["Opis potrzeby"]);
    }
    assert!(!lines.iter().any(|l| l["Źródło"].starts_with("Promyk_wersja1")), "superseded duplicate's needs left out");
    // Plus the coordinator's three and the two the data shows.
    let coordinator = lines.iter().filter(|l| l["Źródło"].starts_with("definicja programu")).count();
    let data: Vec<&str> =
        lines.iter().filter(|l| l["Zgłasza"].contains("wyliczenie z danych")).map(|l| l["Potrzeba"].as_str()).collect();
    assert_eq!(coordinator, 3);
    assert_eq!(
        data,
        vec![
            "Zatrudnienie asystenta rodziny: 0,5 etatu",
            "Współfinansowanie pobytu dzieci w pieczy zastępczej w 2026 r."
        ]
    );
    assert_eq!(lines.len(), expected.len() + 3 + 2, "no need twice, none invented");
    // 47 families, 3 posts, limit 15: 3,14 posts needed → half a post at 93 600 zł a year.
    let cost = |what: &str| lines.iter().find(|l| l["Potrzeba"] == what).map(|l| l["Szacowany koszt"].clone()).unwrap();
    assert_eq!(cost("Zatrudnienie asystenta rodziny: 0,5 etatu"), "46800");
    assert_eq!(cost("Współfinansowanie pobytu dzieci w pieczy zastępczej w 2026 r."), "631440");
    // Subtotals: each category's total is the sum of its lines; the grand total of all.
    let sum_of = |pred: &dyn Fn(&&BTreeMap<String, String>) -> bool| -> f64 {
        lines.iter().filter(pred).filter_map(|l| l["Szacowany koszt"].parse::<f64>().ok()).sum()
    };
    let staff = sums.iter().find(|(l, _)| l.contains("„Kadra (asystenci rodziny, specjaliści)”")).unwrap().1;
    // Kadra: MOPS 72 000 + the half post 46 800 + Promyk's educator 38 400.
    assert!((staff - 157_200.0).abs() < 0.005, "Kadra subtotal {staff}");
    let grand = sums.iter().find(|(l, _)| l.starts_with("OGÓŁEM")).unwrap().1;
    assert!((grand - sum_of(&|_| true)).abs() < 0.005, "grand total {grand}");
    assert!((grand - 848_540.50).abs() < 0.005, "grand total {grand}");
    assert!(sums.iter().find(|(l, _)| l.starts_with("OGÓŁEM")).unwrap().0.contains("11 pozycji, w tym 2 bez szacunku"));
}

#[test]
fn the_foster_care_sheet_shows_the_hand_computed_shares_and_the_cross_check() {
    let (_tmp, path) = sample_report();
    let range = sheet(&path, "Piecza zastępcza");
    let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
    let row = |label: &str| rows.iter().find(|r| r.iter().any(|c| c.starts_with(label))).unwrap().clone();
    let total = row("OGÓŁEM");
    assert_eq!((total[2].as_str(), total[3].as_str()), ("61", "60"), "children in care, co-financed");
    assert_eq!((total[9].as_str(), total[10].as_str()), ("434708.44", "631440"));
    assert_eq!(row("Razem rodzinna")[9], "313975.11");
    assert_eq!(row("Razem instytucjonalna")[9], "120733.33");
    // MOPS reported Mielec's 413 985,00: the difference is flagged on the sheet and in Kontrole.
    assert!(row("Kontrola WSPOLFIN")[0].contains("podano 413\u{a0}985,00 zł"), "{:?}", row("Kontrola WSPOLFIN"));
    let checks = sheet(&path, "Kontrole");
    assert!(checks.rows().any(|r| r.iter().any(|c| text(c) == "WSPOLFIN")));
    // The broken row is listed, marked, and not counted.
    let broken = row("Anna Nowak");
    assert!(broken[11].starts_with("NIE WLICZONO"), "{broken:?}");
    assert_eq!(broken[12], "PCPR_poprawione.xlsx, Piecza zastępcza!A65");
    // The child placed in 2010 is listed without a share.
    let old = row("D53");
    assert_eq!((old[9].as_str(), old[11].starts_with("pobyt od 10.09.2010: bez współfinansowania")), ("0", true));
}

#[test]
fn the_documents_open_in_libreoffice_and_read_like_a_report() {
    let (tmp, path) = sample_report();
    let dir = path.parent().unwrap();
    let md = std::fs::read_to_string(dir.join("potrzeby.md")).unwrap();
    assert!(md.starts_with(
        "# Informacja o potrzebach związanych z realizacją zadań z zakresu wspierania rodziny na rok 2026"
    ));
    assert!(md.contains("| **Ogółem** | **11** | **2** | **848\u{a0}540,50** |"), "{md}");
    let draft = zip_part(&dir.join("sprawozdanie.docx"), "word/document.xml");
    for heading in [
        "Wstęp",
        "Cele programu",
        "Realizacja zadań programu w roku 2025",
        "Współfinansowanie pobytu dzieci w pieczy zastępczej",
        "Potrzeby związane z realizacją zadań w roku 2026",
        "Partnerzy realizujący program",
    ] {
        assert!(draft.contains(&format!(">{heading}</w:t>")), "heading {heading}");
    }
    assert!(
        draft.contains("Zadanie nie było realizowane albo realizatorzy nie przekazali informacji"),
        "empty tasks are stated"
    );
    if std::process::Command::new("soffice").arg("--version").output().is_err() {
        skipped("soffice not installed (apt-get install -y libreoffice-writer-nogui)");
        return;
    }
    let out = tmp.path().join("pdf");
    // Calc alone cannot open documents: probe for Writer with a plain text file first, so
    // a machine without it skips instead of failing, and a document Writer refuses fails.
    let probe = tmp.path().join("probe.txt");
    std::fs::write(&probe, "probe").unwrap();
    let _ = std::process::Command::new("soffice")
        .args(["-env:UserInstallation=file:///tmp/gpwr-test-lo-docx", "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(&probe)
        .output();
    if !out.join("probe.pdf").exists() {
        skipped("LibreOffice Writer not installed (apt-get install -y libreoffice-writer-nogui)");
        return;
    }
    let status = std::process::Command::new("soffice")
        .args(["-env:UserInstallation=file:///tmp/gpwr-test-lo-docx", "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(dir.join("sprawozdanie.docx"))
        .arg(dir.join("potrzeby.docx"))
        .output()
        .unwrap();
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    for pdf in ["sprawozdanie.pdf", "potrzeby.pdf"] {
        let bytes = std::fs::read(out.join(pdf)).unwrap_or_else(|e| panic!("{pdf}: {e}"));
        assert!(bytes.starts_with(b"%PDF") && bytes.len() > 10_000, "{pdf}: {} bytes", bytes.len());
    }
}
