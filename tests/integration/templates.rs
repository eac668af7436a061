//! `gpwr init` and `gpwr templates`: one workbook per institution holding exactly its
//! indicators, with validation, protection and an identity that survives re-saves.

use crate::common::*;
use calamine::Reader;
use gpwr::program::{Program, ValueType, read_program};
use gpwr::template::identity::{IdentitySource, TemplateIdentity, read_identity};
use gpwr::template::layout::*;
use gpwr::template::template_file_name;
use gpwr::workbook::{Limits, extract_file};
use std::collections::BTreeSet;
use std::path::Path;

fn sample_program() -> Program {
    let reading = read_program(&repo().join("samples/program.xlsx"));
    assert!(reading.errors().next().is_none(), "sample has errors: {:?}", reading.problems);
    reading.program.unwrap()
}

/// The indicator ids in the `ID` column of `Wskaźniki`, and the task ids of description rows.
fn ids_in_template(path: &Path) -> (Vec<String>, Vec<String>) {
    let range = sheet(path, SHEET_INDICATORS);
    let table = gpwr::table::Table::locate(SHEET_INDICATORS, &range, &[COL_ID, COL_VALUE])
        .unwrap_or_else(|missing| panic!("{}: headers missing: {missing:?}", path.display()));
    let mut indicators = Vec::new();
    let mut descriptions = Vec::new();
    for row in table.rows() {
        match row.text(COL_ID) {
            Some(id) if id.starts_with(DESCRIPTION_ID_PREFIX) => {
                descriptions.push(id[DESCRIPTION_ID_PREFIX.len()..].to_string())
            }
            Some(id) => indicators.push(id),
            None => {}
        }
    }
    (indicators, descriptions)
}

/// The indicator ids hidden on the `Tabele` sheet of the template at `path` (none without it).
fn table_ids_in_template(path: &Path, program: &Program) -> BTreeSet<String> {
    let raw = extract_file(path, &Limits::default()).unwrap();
    let Some(tables) = raw.sheet(SHEET_TABLES) else { return BTreeSet::new() };
    tables
        .cells
        .iter()
        .filter_map(|c| c.value.text())
        .filter(|t| program.indicators.iter().any(|i| &i.id == t))
        .collect()
}

#[test]
fn init_then_templates_gives_each_institution_exactly_its_indicators() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "kampania"]).expect_code(0);
    let campaign = tmp.path().join("kampania");
    for dir in ["templates_xlsx", "inbox", "collected", "report"] {
        assert!(campaign.join(dir).is_dir(), "{dir} missing");
    }
    let run = gpwr(&campaign, &["templates"]).expect_code(0);

    let program = sample_program();
    let files = xlsx_files(&campaign.join("templates_xlsx"));
    assert_eq!(files.len(), program.institutions.len(), "one template per institution; stdout:\n{}", run.stdout);
    assert!(program.institutions.len() >= 12);
    for institution in &program.institutions {
        let path = campaign.join("templates_xlsx").join(template_file_name(&program, institution));
        assert!(path.exists(), "no template for {}: {}", institution.id, path.display());
        let (got, described_tasks) = ids_in_template(&path);
        let expected: Vec<String> = program.listed_indicators_for(&institution.id).map(|i| i.id.clone()).collect();
        assert_eq!(got, expected, "indicators of {}", institution.id);
        let in_tables: BTreeSet<String> =
            program.indicators_for(&institution.id).filter(|i| i.cell.is_some()).map(|i| i.id.clone()).collect();
        assert_eq!(table_ids_in_template(&path, &program), in_tables, "table cells of {}", institution.id);
        let expected_tasks: Vec<String> = program.tasks_for(&institution.id).iter().map(|t| t.id.clone()).collect();
        assert_eq!(described_tasks, expected_tasks, "task description rows of {}", institution.id);

        let identity = read_identity(&extract_file(&path, &Limits::default()).unwrap());
        assert_eq!(identity.identity(), Some(&TemplateIdentity::for_institution(&program, institution)));
        assert_eq!(identity.found.len(), 3, "identity in all three places: {identity:?}");
        assert!(!identity.sources_disagree());
    }
}

#[test]
fn template_sheets_headers_and_file_names() {
    let program = sample_program();
    let dir = repo().join("templates_xlsx");
    for path in xlsx_files(&dir) {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) && name.len() <= 110,
            "file name not portable: {name}"
        );
        let workbook = open(&path);
        let sheets = workbook.sheet_names();
        for expected in [SHEET_INSTRUCTIONS, SHEET_INDICATORS, SHEET_ACTIVITIES, SHEET_NEEDS] {
            assert!(sheets.iter().any(|s| s == expected), "{name}: no sheet {expected} in {sheets:?}");
        }
        let range = sheet(&path, SHEET_INDICATORS);
        let header_row = range.rows().position(|r| r.iter().any(|c| text(c) == COL_ID)).expect("header row");
        let headers: Vec<String> = range.rows().nth(header_row).unwrap().iter().map(text).collect();
        assert_eq!(headers, INDICATOR_HEADERS.to_vec(), "{name}");
        let activities = sheet(&path, SHEET_ACTIVITIES);
        assert!(
            activities.rows().any(|r| r.iter().map(text).collect::<Vec<_>>() == ACTIVITY_HEADERS.to_vec()),
            "{name}: Działania headers"
        );
        let needs = sheet(&path, SHEET_NEEDS);
        assert!(
            needs.rows().any(|r| r.iter().map(text).collect::<Vec<_>>() == NEED_HEADERS.to_vec()),
            "{name}: Potrzeby headers"
        );
    }
    // The institution whose name holds quotes and a slash still gets a plain file name.
    let tricky = program
        .institutions
        .iter()
        .find(|i| i.name.contains('/') || i.name.contains('"'))
        .expect("sample has a tricky name");
    let file = template_file_name(&program, tricky);
    assert!(dir.join(&file).exists(), "{file}");
}

/// `cellXfs` entries of `styles.xml`, in index order.
fn cell_formats(path: &Path) -> Vec<String> {
    let styles = zip_part(path, "xl/styles.xml");
    let start = styles.find("<cellXfs").unwrap();
    let end = styles[start..].find("</cellXfs>").unwrap() + start;
    let section = &styles[start..end];
    section.split("<xf ").skip(1).map(|s| s.to_string()).collect()
}

#[test]
fn value_cells_have_typed_validation_and_only_inputs_are_unlocked() {
    let program = sample_program();
    let dir = repo().join("templates_xlsx");
    let mut seen_types = BTreeSet::new();
    for institution in &program.institutions {
        let path = dir.join(template_file_name(&program, institution));
        let xml = worksheet_xml(&path, SHEET_INDICATORS);
        let protection = tags(&xml, "sheetProtection");
        assert_eq!(protection.len(), 1, "{}: sheet protection", institution.id);
        assert!(attribute(protection[0], "password").is_none(), "protected without a password");
        assert_eq!(attribute(protection[0], "sheet"), Some("1"));

        let validations = tags(&xml, "dataValidation");
        let formats = cell_formats(&path);
        let range = sheet(&path, SHEET_INDICATORS);
        let (row0, _) = range.start().unwrap();
        let id_col = range.rows().find_map(|r| r.iter().position(|c| text(c) == COL_ID)).unwrap();
        for (offset, cells) in range.rows().enumerate() {
            let id = text(&cells[id_col]);
            let Some(indicator) = program.indicators.iter().find(|i| i.id == id) else { continue };
            let cell = format!("E{}", row0 as usize + offset + 1);
            let dv = validations
                .iter()
                .find(|v| attribute(v, "sqref") == Some(cell.as_str()))
                .unwrap_or_else(|| panic!("{}: no validation on {cell} ({id})", institution.id));
            let expected_type = match indicator.value_type {
                ValueType::WholeCount => "whole",
                ValueType::Decimal => "decimal",
                ValueType::Amount => "custom",
                ValueType::YesNo | ValueType::TaskStatus => "list",
            };
            assert_eq!(attribute(dv, "type"), Some(expected_type), "{cell} ({id})");
            assert!(attribute(dv, "promptTitle").is_some() && attribute(dv, "error").is_some(), "{cell}: messages");
            seen_types.insert(expected_type);
            if indicator.value_type == ValueType::WholeCount && indicator.min.is_none() {
                // `between` is the default operator in XLSX and is then not written.
                assert_eq!(
                    attribute(dv, "operator"),
                    if indicator.max.is_some() { None } else { Some("greaterThanOrEqual") }
                );
            }
            // The value cell is unlocked; the label cell next to it is locked.
            let style_of = |col: &str| -> usize {
                let r = format!("<c r=\"{col}{}\"", row0 as usize + offset + 1);
                let tag = &xml[xml.find(&r).unwrap_or_else(|| panic!("no cell {r}"))..];
                attribute(&tag[..tag.find('>').unwrap()], "s").unwrap_or("0").parse().unwrap()
            };
            assert!(formats[style_of("E")].contains("locked=\"0\""), "{cell} must be unlocked");
            assert!(!formats[style_of("B")].contains("locked=\"0\""), "label next to {cell} must stay locked");
        }
    }
    assert_eq!(seen_types, BTreeSet::from(["custom", "decimal", "list", "whole"]), "sample covers every value type");

    // The hidden sheet is hidden and the identity is in the custom properties.
    let any = xlsx_files(&dir).remove(0);
    let workbook_xml = zip_part(&any, "xl/workbook.xml");
    let hidden = tags(&workbook_xml, "sheet").into_iter().find(|t| attribute(t, "name") == Some("_gpwr")).unwrap();
    assert_eq!(attribute(hidden, "state"), Some("hidden"));
    assert!(zip_part(&any, "docProps/custom.xml").contains("gpwr.program"));
}

#[test]
fn committed_samples_are_in_step_with_the_code() {
    let regenerate = "regenerate with: cargo run -- init scratch/k && cp scratch/k/program.xlsx samples/ && \
                      cargo run -- templates --program samples/program.xlsx --out templates_xlsx";
    let sample = gpwr::sample::sample_program_workbook().unwrap();
    let committed = std::fs::read(repo().join("samples/program.xlsx")).unwrap();
    assert!(sample == committed, "samples/program.xlsx differs from the code's sample; {regenerate}");

    let tmp = temp_dir();
    let program = repo().join("samples/program.xlsx");
    gpwr(tmp.path(), &["templates", "--program", program.to_str().unwrap(), "--out", "out"]).expect_code(0);
    let fresh = xlsx_files(&tmp.path().join("out"));
    let committed = xlsx_files(&repo().join("templates_xlsx"));
    let names = |v: &[std::path::PathBuf]| v.iter().map(|p| p.file_name().unwrap().to_owned()).collect::<Vec<_>>();
    assert_eq!(names(&fresh), names(&committed), "template file names; {regenerate}");
    for (a, b) in fresh.iter().zip(&committed) {
        assert!(std::fs::read(a).unwrap() == std::fs::read(b).unwrap(), "{} differs; {regenerate}", b.display());
    }
}

#[test]
fn templates_resaved_by_libreoffice_keep_their_identity() {
    let program = sample_program();
    let dir = repo().join("tests/fixtures/resaved");
    let mut checked = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().unwrap().to_string_lossy().into_owned();
        // Fixture names: <institution id>.<how>.<ext>, e.g. SP3.libreoffice.ods
        let stem = path.file_name().unwrap().to_string_lossy().into_owned();
        let institution_id = stem.split('.').next().unwrap();
        let institution =
            program.institution(institution_id).unwrap_or_else(|| panic!("unknown institution in {stem}"));
        let reading = read_identity(&extract_file(&path, &Limits::default()).unwrap());
        let expected = TemplateIdentity::for_institution(&program, institution);
        assert_eq!(reading.identity(), Some(&expected), "{stem}: {reading:?}");
        assert!(!reading.sources_disagree(), "{stem}: {reading:?}");
        let sources: Vec<IdentitySource> = reading.found.iter().map(|(s, _)| *s).collect();
        assert!(sources.contains(&IdentitySource::VisibleStamp), "{stem}: stamp survives: {sources:?}");
        if ext != "xls" {
            assert_eq!(sources.len(), 3, "{stem}: all three sources survive: {sources:?}");
        }
        // Indicator rows survive the re-save too.
        if ext != "csv" {
            let (ids, _) = ids_in_template(&path);
            let expected_ids: Vec<String> =
                program.listed_indicators_for(institution_id).map(|i| i.id.clone()).collect();
            assert_eq!(ids, expected_ids, "{stem}");
        }
        checked.push(ext);
    }
    checked.sort();
    checked.dedup();
    assert_eq!(checked, vec!["ods", "xls", "xlsx"], "fixtures cover every re-save format");
}

/// `collect` tells typed cells from the template's own by `template_texts`, which builds the
/// template without writing it: it must hold exactly what a reader finds in the written
/// workbook, on every sheet, for every institution (PCPR's has the placements sheet).
#[test]
fn template_texts_are_what_the_written_template_holds() {
    let program = sample_program();
    let mut compared = 0;
    for institution in &program.institutions {
        let bytes = gpwr::template::template_workbook(&program, institution).unwrap();
        let written = gpwr::workbook::extract_bytes(&bytes, &Limits::default()).unwrap();
        let texts = gpwr::template::template_texts(&program, institution);
        for sheet in &written.sheets {
            let expected: Vec<(u32, u32, String)> =
                sheet.cells.iter().filter_map(|c| Some((c.row, c.col, c.value.text()?))).collect();
            let got: Vec<(u32, u32, String)> = texts
                .sheet(&sheet.name)
                .unwrap_or_else(|| panic!("{}: no texts for sheet {}", institution.id, sheet.name))
                .iter()
                .map(|(row, col, text)| (row, col, text.to_string()))
                .collect();
            assert_eq!(got, expected, "{} / {}", institution.id, sheet.name);
            compared += expected.len();
        }
    }
    assert!(compared > 17 * 40, "only {compared} texts compared");
}

#[test]
fn a_long_institution_name_wraps_in_the_narrow_tables_sheet_title() {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["templates", "--program", repo().join("samples/program.xlsx").to_str().unwrap(), "--out", "t"])
        .expect_code(0);
    let program = sample_program();
    let pcpr = program.institution("PCPR").unwrap();
    // "Tabele za rok 2025 – Powiatowe Centrum Pomocy Rodzinie w Mielcu" does not fit the
    // sheet's two printed columns on one line.
    let xml = worksheet_xml(&tmp.path().join("t").join(template_file_name(&program, pcpr)), SHEET_TABLES);
    let title_row = tags(&xml, "row").into_iter().find(|r| attribute(r, "r") == Some("1")).expect("row 1");
    let height: f64 = attribute(title_row, "ht").expect("a set height").parse().unwrap();
    assert!(height >= 2.0 * 14.0, "the title row holds two lines of 14 pt: got {height} pt in {title_row}");
    assert!(xml.contains("<mergeCell ref=\"A1:"), "the title spans the sheet's columns");
}
