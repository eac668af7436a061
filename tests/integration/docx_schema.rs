//! The .docx files gpwr writes by hand (`src/docx.rs`) are valid Office Open XML: every
//! `word/*.xml` part of the sample report's `potrzeby.docx` and `sprawozdanie.docx`, and of a
//! document using every kind of block (odd inputs included), validates with xmllint against the
//! ECMA-376 transitional WordprocessingML schema in `tests/fixtures/ooxml/`, and so do the
//! package's content types, relationships and application properties. A control shows the
//! schema check rejects parts out of schema order. Without xmllint the tests say SKIPPED.

use crate::common::*;
use crate::report::sample_report;
use gpwr::docx::{Block, Column, Document, Properties, Row, Span, Table};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The schema (a file in `tests/fixtures/ooxml/`) a .docx entry is validated against, if any.
/// `docProps/core.xml` has none here: its schema needs the Dublin Core schemas.
fn schema_for(entry: &str) -> Option<&'static str> {
    let word_part = entry.strip_prefix("word/").is_some_and(|rest| !rest.contains('/') && rest.ends_with(".xml"));
    if word_part {
        Some("validate-wml.xsd")
    } else if entry.ends_with(".rels") {
        Some("opc-relationships.xsd")
    } else if entry == "[Content_Types].xml" {
        Some("opc-contentTypes.xsd")
    } else if entry == "docProps/app.xml" {
        Some("shared-documentPropertiesExtended.xsd")
    } else {
        None
    }
}

/// True when xmllint runs here; otherwise says SKIPPED.
fn xmllint_available() -> bool {
    if Command::new("xmllint").arg("--version").output().is_err() {
        skipped("xmllint not installed (apt-get install -y libxml2-utils): .docx parts not validated");
        return false;
    }
    true
}

/// Validates `files` against `schema` (a file in `tests/fixtures/ooxml/`) without network
/// access; `Err` holds xmllint's complaints.
fn xmllint(schema: &str, files: &[PathBuf]) -> Result<(), String> {
    let schema = repo().join("tests/fixtures/ooxml").join(schema);
    let output =
        Command::new("xmllint").args(["--nonet", "--noout", "--schema"]).arg(&schema).args(files).output().unwrap();
    if output.status.success() {
        return Ok(());
    }
    let complaints: String = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter(|line| !line.ends_with(" validates"))
        .take(40)
        .collect::<Vec<_>>()
        .join("\n");
    Err(format!("xmllint --schema {} (exit {:?}):\n{complaints}", schema.display(), output.status.code()))
}

/// Unpacks the .docx `bytes` into `dir` and validates each entry that has a schema; panics
/// with the complaints of every failing schema. Returns the entries validated.
fn assert_valid_docx(bytes: &[u8], dir: &Path) -> Vec<String> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut by_schema: std::collections::BTreeMap<&str, Vec<PathBuf>> = std::collections::BTreeMap::new();
    let mut validated = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let Some(schema) = schema_for(&name) else { continue };
        let path = dir.join(&name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::io::copy(&mut entry, &mut std::fs::File::create(&path).unwrap()).unwrap();
        by_schema.entry(schema).or_default().push(path);
        validated.push(name);
    }
    let failures: Vec<String> = by_schema.iter().filter_map(|(schema, files)| xmllint(schema, files).err()).collect();
    assert!(failures.is_empty(), "{}: parts that do not validate:\n{}", dir.display(), failures.join("\n\n"));
    validated
}

#[test]
fn the_report_documents_validate_against_the_ooxml_schemas() {
    if !xmllint_available() {
        return;
    }
    let (tmp, workbook) = sample_report();
    for name in ["potrzeby.docx", "sprawozdanie.docx"] {
        let bytes = std::fs::read(workbook.with_file_name(name)).unwrap();
        let validated = assert_valid_docx(&bytes, &tmp.path().join("parts").join(name));
        for part in ["word/document.xml", "word/styles.xml", "word/numbering.xml", "word/settings.xml"] {
            assert!(validated.iter().any(|v| v == part), "{name}: {part} not validated ({validated:?})");
        }
        assert_eq!(validated.len(), 10, "{name}: {validated:?}");
    }
}

/// A document with every kind of block, the edge cases of each, and text that needs cleaning.
fn every_block() -> Document {
    let long = "zażółć gęślą jaźń ".repeat(200);
    let table = Table::new(
        vec![Column::left("Zadanie", 3.0), Column::right("Kwota", f64::NAN), Column::center("Uwagi", -1.0)],
        vec![
            Row::section("Obszar A"),
            Row::normal(["Asystent & <rodzina>", "12 500,00", "dwie\nlinie\tz tabulatorem"]),
            Row::normal(["tylko pierwsza"]),
            Row::normal(["a", "b", "c", "nadmiarowa"]),
            Row::section(""),
            Row::subtotal(["Razem A", "12 500,00"]),
            Row::total(["Ogółem", "12 500,00", ""]),
        ],
    )
    .with_caption("Tabela 1. Koszty");
    Document {
        properties: Properties { language: String::new(), ..Properties::new("Raport & <x>", "MOPS", "") },
        blocks: vec![
            Block::PageBreak,
            Block::TitlePage {
                lines: vec!["Raport".into(), "Gmina\r\nX".into()],
                footer_lines: vec!["Marzec 2026".into()],
            },
            Block::heading(0, "Wstęp"),
            Block::heading(2, "Podrozdział"),
            Block::heading(7, "Poziom"),
            Block::paragraph([
                Span::plain("Tekst \u{1}"),
                Span::bold("ważny"),
                Span::italic("pochylony"),
                Span { text: "oba".into(), bold: true, italic: true },
                Span::plain(""),
            ]),
            Block::text(long.as_str()),
            Block::note("Brak danych.\nDruga linia."),
            Block::Bullets(vec![
                vec![Span::plain("pierwszy")],
                vec![Span::bold("drugi"), Span::plain("\tdalej")],
                vec![],
            ]),
            Block::Bullets(vec![]),
            Block::Paragraph(vec![]),
            Block::PageBreak,
            Block::PageBreak,
            Block::Table(table.clone()),
            Block::Table(table),
            Block::Table(Table::new(vec![], vec![Row::normal(["x"])]).with_caption("Bez kolumn")),
            Block::Table(Table::new(vec![Column::left("Pusta", 1.0)], vec![])),
            Block::PageBreak,
            Block::TitlePage { lines: vec![], footer_lines: vec![] },
            Block::TitlePage { lines: vec!["Załącznik".into()], footer_lines: vec![] },
            Block::text("koniec"),
            Block::PageBreak,
        ],
    }
}

#[test]
fn every_kind_of_block_validates_against_the_ooxml_schemas() {
    if !xmllint_available() {
        return;
    }
    let tmp = temp_dir();
    let with_title = every_block();
    let mut without_title = every_block();
    without_title.blocks.retain(|b| !matches!(b, Block::TitlePage { .. }));
    for (name, doc) in [("with_title", with_title), ("without_title", without_title), ("empty", Document::default())] {
        let bytes = gpwr::docx::to_docx(&doc).unwrap();
        let validated = assert_valid_docx(&bytes, &tmp.path().join(name));
        assert!(validated.iter().any(|v| v == "word/document.xml"), "{name}: {validated:?}");
    }
}

#[test]
fn the_schema_check_rejects_a_part_out_of_schema_order() {
    if !xmllint_available() {
        return;
    }
    let tmp = temp_dir();
    let valid = "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p>\
                 <w:pPr><w:pStyle w:val=\"Note\"/><w:jc w:val=\"left\"/></w:pPr>\
                 <w:r><w:t xml:space=\"preserve\">x</w:t></w:r></w:p></w:body></w:document>";
    let swapped = valid.replace(
        "<w:pStyle w:val=\"Note\"/><w:jc w:val=\"left\"/>",
        "<w:jc w:val=\"left\"/><w:pStyle w:val=\"Note\"/>",
    );
    let unknown_value = valid.replace("w:val=\"left\"", "w:val=\"middle\"");
    let mut files = Vec::new();
    for (name, xml) in [("valid.xml", valid), ("swapped.xml", &swapped), ("unknown_value.xml", &unknown_value)] {
        let path = tmp.path().join(name);
        std::fs::write(&path, xml).unwrap();
        files.push(path);
    }
    xmllint("validate-wml.xsd", &files[..1]).unwrap();
    let swapped = xmllint("validate-wml.xsd", &files[1..2]).unwrap_err();
    assert!(swapped.contains("pStyle") && swapped.contains("not expected"), "{swapped}");
    let unknown_value = xmllint("validate-wml.xsd", &files[2..]).unwrap_err();
    assert!(unknown_value.contains("middle"), "{unknown_value}");
}
