//! The outputs of `collect`: the tidy value table the report step consumes (CSV), the side
//! tables (descriptions, activities, needs, every other typed cell), the findings as CSV and
//! as a workbook the coordinator can filter, and one feedback workbook per institution
//! listing what to correct and where. Everything is built in memory, in a fixed order.

use super::findings::{Code, Finding, Severity};
use super::{Collection, Completeness, Return, ValueStatus};
use crate::cell::format_number;
use crate::file_name::safe_stem;
use crate::layout::{a4, cell_text, wrapped_height};
use crate::program::Program;
use crate::records::Writer as CsvWriter;
use rayon::prelude::*;
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Worksheet, XlsxError};
use std::borrow::Cow;

/// Name of the tidy value table.
pub const VALUES_CSV: &str = "dane.csv";
/// Header of [`VALUES_CSV`]; the report step reads columns by these names.
pub const VALUES_HEADER: [&str; 16] = [
    "instytucja",
    "nazwa_instytucji",
    "cel",
    "zadanie",
    "wskaznik",
    "nazwa_wskaznika",
    "jednostka",
    "typ",
    "okres",
    "wartosc",
    "status",
    "tekst_oryginalny",
    "powod_braku",
    "komentarz",
    "plik",
    "komorka",
];
/// Name of the tidy value table as Parquet.
pub const VALUES_PARQUET: &str = "dane.parquet";
/// Name of the findings workbook.
pub const FINDINGS_XLSX: &str = "ustalenia.xlsx";
/// Every finding, one row each (what later steps read back).
pub const FINDINGS_CSV: &str = "ustalenia.csv";
/// Folder of per-institution feedback workbooks.
pub const FEEDBACK_DIR: &str = "do_poprawy";

/// Per-institution completeness: the file used, other files, errors and warnings, and the
/// programme and year collected for (so later steps can refuse another year's data).
pub const COMPLETENESS_CSV: &str = "kompletnosc.csv";

/// Where the feedback workbook of `institution_id` goes, relative to the output folder
/// (`do_poprawy/GPWR_2025_PCPR_do_poprawy.xlsx`).
pub fn feedback_file_name(program: &Program, institution_id: &str) -> String {
    format!("{FEEDBACK_DIR}/{}", feedback_workbook_name(program, institution_id))
}

/// The name of an institution's feedback workbook in [`FEEDBACK_DIR`].
pub fn feedback_workbook_name(program: &Program, institution_id: &str) -> String {
    format!("GPWR_{}_{}_do_poprawy.xlsx", program.settings.report_year, safe_stem(institution_id, 30))
}

fn opt(text: &Option<String>) -> String {
    text.clone().unwrap_or_default()
}

fn num(value: Option<f64>) -> String {
    value.map(format_number).unwrap_or_default()
}

/// An output file: its path relative to the output folder, and its bytes.
pub type OutputFile = (String, Vec<u8>);

/// Where [`write_outputs`] puts each file (path relative to the output folder, bytes).
/// Called from several threads at once, each time for a different file.
pub type Put<'a> = dyn Fn(&str, &[u8]) -> std::io::Result<()> + Sync + 'a;

/// Takes over an output of the previous collect: given the file and the hash of what it is
/// built from, keeps the previous file when it was built from the same and is still as
/// written, and gives the hash of its bytes (`Ok(Some(written))`).
pub type Keep<'a> = dyn Fn(&str, &str) -> std::io::Result<Option<String>> + Sync + 'a;

/// What a feedback workbook was built from and what was written, as hashes: the next
/// collect takes the file over only when both still hold (a coordinator may have opened
/// and saved it).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OutputKey {
    /// The hash of what the workbook is made of (institution, file, findings).
    pub made_of: String,
    /// The hash of the workbook's bytes as written.
    pub written: String,
}

/// The key of each feedback workbook, by file (see [`write_outputs`]).
pub type OutputKeys = std::collections::BTreeMap<String, OutputKey>;

/// Builds every output file and hands it to `put` as soon as it is built, so a national
/// campaign's outputs are never all in memory at once; a feedback workbook whose content
/// `keep` still has from the previous collect is taken over instead. The files are built
/// on all cores: the tables and the findings workbook side by side with the feedback
/// workbooks. Returns the key of every feedback workbook, for the next collect.
pub fn write_outputs(
    program: &Program,
    collection: &Collection,
    put: &Put,
    keep: &Keep,
) -> Result<OutputKeys, OutputError> {
    let (tables, feedback) =
        rayon::join(|| write_tables(program, collection, put), || write_feedback(program, collection, put, keep));
    tables.and(feedback)
}

/// One output built and handed to `put`.
type OutputJob<'a> = Box<dyn Fn() -> Result<(), OutputError> + Send + Sync + 'a>;

/// The tables (CSV, Parquet) and the findings workbook, each built as a job of its own.
fn write_tables(program: &Program, collection: &Collection, put: &Put) -> Result<(), OutputError> {
    let text = |name: &'static str, build: fn(&Collection) -> String| -> OutputJob {
        Box::new(move || Ok(put(name, build(collection).as_bytes())?))
    };
    let mut jobs: Vec<OutputJob> = vec![
        Box::new(|| Ok(put(VALUES_CSV, values_csv(program, collection).as_bytes())?)),
        Box::new(|| Ok(put(FINDINGS_CSV, findings_csv(collection.all_findings()).as_bytes())?)),
        Box::new(|| Ok(put(COMPLETENESS_CSV, completeness_csv(program, collection).as_bytes())?)),
        text("opisy.csv", descriptions_csv),
        text("dzialania.csv", activities_csv),
        text("potrzeby.csv", needs_csv),
        text(PLACEMENTS_CSV, placements_csv),
        text("inne_komorki.csv", other_cells_csv),
    ];
    #[cfg(feature = "analysis")]
    jobs.push(Box::new(|| Ok(put(VALUES_PARQUET, &values_parquet(program, collection)?)?)));
    // The findings workbook, the longest (about 0.45 s of a collect run again at N = 10 000),
    // on this thread; the rest for whichever core is free, so nothing waits behind it.
    let (findings, rest) = rayon::join(
        || Ok(put(FINDINGS_XLSX, &findings_workbook(program, collection)?)?),
        || jobs.par_iter().try_for_each(|job| job()),
    );
    findings.and(rest)
}

/// One feedback workbook per institution with something to fix: the bulk of the work for a
/// large campaign, and the part a collect run again mostly takes over.
fn write_feedback(
    program: &Program,
    collection: &Collection,
    put: &Put,
    keep: &Keep,
) -> Result<OutputKeys, OutputError> {
    let to_fix: Vec<(&Completeness, &Return, Vec<&Finding>)> = collection
        .completeness
        .iter()
        .filter_map(|c| {
            let ret = collection.chosen(&c.institution)?;
            let to_fix: Vec<&Finding> = ret.findings.iter().filter(|f| f.severity != Severity::Info).collect();
            (!to_fix.is_empty()).then_some((c, ret, to_fix))
        })
        .collect();
    to_fix
        .par_iter()
        .map(|(c, ret, findings)| {
            let name = feedback_file_name(program, &c.institution);
            // Within one definition and gpwr (the memory's scope) the workbook is made of these.
            let made_of = serde_json::to_vec(&(&c.name, &ret.file, findings)).unwrap_or_default();
            let made_of = super::memory::content_hash(&made_of);
            let written = match keep(&name, &made_of)? {
                Some(written) => written,
                None => {
                    let bytes = feedback_workbook(program, &c.name, &ret.file, findings)?;
                    put(&name, &bytes)?;
                    super::memory::content_hash(&bytes)
                }
            };
            Ok((name, OutputKey { made_of, written }))
        })
        .collect()
}

/// Every output file in memory, ordered by path (see [`write_outputs`]).
pub fn outputs(program: &Program, collection: &Collection) -> Result<Vec<OutputFile>, OutputError> {
    let files = std::sync::Mutex::new(Vec::new());
    let put = |name: &str, bytes: &[u8]| {
        files.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push((name.to_string(), bytes.to_vec()));
        Ok(())
    };
    write_outputs(program, collection, &put, &|_, _| Ok(None))?;
    let mut files = files.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner());
    files.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(files)
}

/// Why the outputs could not be built.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    /// Building a workbook failed.
    #[error("nie można zbudować skoroszytu")]
    Xlsx(#[from] XlsxError),
    /// Building the Parquet table failed.
    #[cfg(feature = "analysis")]
    #[error("nie można zbudować tabeli Parquet")]
    Parquet(#[from] polars::error::PolarsError),
    /// A built file could not be written.
    #[error("nie można zapisać pliku")]
    Io(#[from] std::io::Error),
}

/// One row of the tidy table: its cells in [`VALUES_HEADER`] order, and `wartosc` as a number.
type ValueRow<'a> = ([Cow<'a, str>; VALUES_HEADER.len()], Option<f64>);

/// The tidy table's rows, borrowed from the programme and the collection and made one at a
/// time: at national scale the table has millions of cells, and holding them all would
/// dominate the memory of a collect.
fn value_rows<'a>(program: &'a Program, collection: &'a Collection) -> impl Iterator<Item = ValueRow<'a>> {
    let text = |t: &'a Option<String>| Cow::Borrowed(t.as_deref().unwrap_or_default());
    program.institutions.iter().flat_map(move |institution| {
        let chosen = collection.chosen(&institution.id);
        program.indicators_for(&institution.id).map(move |indicator| {
            let goal = Cow::Borrowed(program.task(&indicator.task).map(|t| t.goal.as_str()).unwrap_or_default());
            let value = chosen.and_then(|r| r.value(&indicator.id));
            let status = match (chosen, value) {
                (None, _) => ValueStatus::NotReturned,
                (Some(_), Some(v)) => v.status,
                (Some(_), None) => ValueStatus::RowMissing,
            };
            let cells = [
                Cow::Borrowed(institution.id.as_str()),
                Cow::Borrowed(institution.name.as_str()),
                goal,
                Cow::Borrowed(indicator.task.as_str()),
                Cow::Borrowed(indicator.id.as_str()),
                Cow::Borrowed(indicator.label.as_str()),
                Cow::Borrowed(indicator.unit.as_str()),
                Cow::Borrowed(indicator.value_type.polish()),
                Cow::Borrowed(indicator.period.polish()),
                Cow::Owned(num(value.and_then(|v| v.value))),
                Cow::Borrowed(status.code()),
                value.map(|v| text(&v.original)).unwrap_or_default(),
                value.map(|v| text(&v.reason)).unwrap_or_default(),
                value.map(|v| text(&v.comment)).unwrap_or_default(),
                chosen.map(|r| Cow::Borrowed(r.file.as_str())).unwrap_or_default(),
                value.map(|v| text(&v.cell)).unwrap_or_default(),
            ];
            (cells, value.and_then(|v| v.value))
        })
    })
}

fn values_csv(program: &Program, collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&VALUES_HEADER);
    for (cells, _) in value_rows(program, collection) {
        csv.row(cells);
    }
    csv.into_string()
}

/// The tidy table as Parquet, built column by column in one pass over the rows.
#[cfg(feature = "analysis")]
fn values_parquet(program: &Program, collection: &Collection) -> Result<Vec<u8>, polars::error::PolarsError> {
    use polars::prelude::*;
    let value_col = VALUES_HEADER.iter().position(|h| *h == "wartosc").unwrap_or(9);
    let mut texts: Vec<StringChunkedBuilder> =
        VALUES_HEADER.iter().map(|name| StringChunkedBuilder::new((*name).into(), 0)).collect();
    let mut values: Vec<Option<f64>> = Vec::new();
    for (cells, value) in value_rows(program, collection) {
        for (builder, cell) in texts.iter_mut().zip(&cells) {
            builder.append_value(cell.as_ref());
        }
        values.push(value);
    }
    let mut columns: Vec<Column> = texts.into_iter().map(|builder| builder.finish().into_column()).collect();
    columns[value_col] = Column::new(VALUES_HEADER[value_col].into(), values);
    let mut frame = DataFrame::new(columns.first().map_or(0, Column::len), columns)?;
    let mut bytes = Vec::new();
    // Serialised on this thread: polars' own pool would fight the feedback workbooks built
    // alongside for the same cores (measured: 1.8 s against 0.05 s for 130 000 rows).
    ParquetWriter::new(&mut bytes).set_parallel(false).finish(&mut frame)?;
    Ok(bytes)
}

fn descriptions_csv(collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&["instytucja", "zadanie", "opis", "plik", "komorka"]);
    for r in collection.returns.iter().filter(|r| r.chosen) {
        for d in &r.descriptions {
            csv.row([opt(&r.institution), d.task.clone(), d.text.clone(), r.file.clone(), d.cell.clone()]);
        }
    }
    csv.into_string()
}

fn activities_csv(collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&[
        "instytucja",
        "zadanie",
        "nazwa",
        "data_od",
        "data_do",
        "liczba_uczestnikow",
        "liczba_uczestnikow_tekst",
        "opis",
        "plik",
        "komorka",
    ]);
    for r in collection.returns.iter().filter(|r| r.chosen) {
        for a in &r.activities {
            csv.row([
                opt(&r.institution),
                opt(&a.task),
                opt(&a.name),
                opt(&a.date_from),
                opt(&a.date_to),
                num(a.participants),
                opt(&a.participants_text),
                opt(&a.notes),
                r.file.clone(),
                a.cell.clone(),
            ]);
        }
    }
    csv.into_string()
}

fn needs_csv(collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&[
        "instytucja",
        "opis",
        "kategoria",
        "zadanie",
        "koszt",
        "koszt_tekst",
        "priorytet",
        "uzasadnienie",
        "plik",
        "komorka",
    ]);
    for r in collection.returns.iter().filter(|r| r.chosen) {
        for n in &r.needs {
            csv.row([
                opt(&r.institution),
                opt(&n.description),
                opt(&n.category),
                opt(&n.task),
                num(n.cost),
                opt(&n.cost_text),
                opt(&n.priority),
                opt(&n.justification),
                r.file.clone(),
                n.cell.clone(),
            ]);
        }
    }
    csv.into_string()
}

/// The foster-care placements table `report` computes the co-financing from: one line per
/// row of the template, that is per placement and monthly expense. `wydatki_od` and
/// `wydatki_do` give the days the line's `wydatki_miesiecznie` applies to (the typed date or
/// the placement date; the day before the same placement's next expense, or its end date,
/// empty while it continues), so an auditor can check each period by hand: a placement whose
/// expense changed is several lines with the same child code, form and placement date.
pub const PLACEMENTS_CSV: &str = "piecza.csv";

fn placements_csv(collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&[
        "instytucja",
        "kod_dziecka",
        "forma_pieczy",
        "data_umieszczenia",
        "data_zakonczenia",
        "wydatki_miesiecznie",
        "wydatki_tekst",
        "uwagi",
        "poprawny",
        "plik",
        "komorka",
        // Added after the first release: at the end, so scripts reading by position still work.
        "wydatki_od",
        "wydatki_do",
    ]);
    for r in collection.returns.iter().filter(|r| r.chosen) {
        for p in &r.placements {
            csv.row([
                opt(&r.institution),
                opt(&p.child),
                opt(&p.form),
                opt(&p.placed),
                opt(&p.ended),
                num(p.monthly_cost),
                opt(&p.monthly_cost_text),
                opt(&p.notes),
                if p.usable { "tak" } else { "nie" }.to_string(),
                r.file.clone(),
                p.cell.clone(),
                opt(&p.costs_from),
                opt(&p.costs_until),
            ]);
        }
    }
    csv.into_string()
}

fn other_cells_csv(collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&["instytucja", "plik", "uzyty", "arkusz", "komorka", "tekst", "powod"]);
    for r in &collection.returns {
        for c in &r.other_cells {
            csv.row([
                opt(&r.institution),
                r.file.clone(),
                if r.chosen { "tak" } else { "nie" }.to_string(),
                c.sheet.clone(),
                c.cell.clone(),
                c.text.clone(),
                c.reason.clone(),
            ]);
        }
    }
    csv.into_string()
}

const FINDING_HEADER: [&str; 9] =
    ["kod", "waga", "instytucja", "plik", "arkusz", "komorka", "wskaznik", "tekst_oryginalny", "komunikat"];

fn finding_cells(f: &Finding) -> [String; 9] {
    [
        f.code.as_str().to_string(),
        f.severity.polish().to_string(),
        opt(&f.institution),
        opt(&f.file),
        opt(&f.sheet),
        opt(&f.cell),
        opt(&f.indicator),
        opt(&f.original),
        f.message.clone(),
    ]
}

fn findings_csv<'a>(findings: impl Iterator<Item = &'a Finding>) -> String {
    let mut csv = CsvWriter::new(&FINDING_HEADER);
    for f in findings {
        csv.row(finding_cells(f));
    }
    csv.into_string()
}

fn completeness_csv(program: &Program, collection: &Collection) -> String {
    let mut csv = CsvWriter::new(&[
        "instytucja",
        "nazwa",
        "plik",
        "inne_pliki",
        "bledy",
        "ostrzezenia",
        "program",
        "rok",
        "zapisano",
    ]);
    for c in &collection.completeness {
        csv.row([
            c.institution.clone(),
            c.name.clone(),
            opt(&c.chosen_file),
            c.other_files.join("; "),
            c.errors.to_string(),
            c.warnings.to_string(),
            program.settings.program_id.clone(),
            program.settings.report_year.to_string(),
            opt(&c.saved),
        ]);
    }
    csv.into_string()
}

struct Styles {
    title: Format,
    note: Format,
    header: Format,
    cell: Format,
    error: Format,
    warning: Format,
}

fn styles() -> Styles {
    let base = Format::new().set_font_name("Calibri").set_font_size(10).set_text_wrap().set_align(FormatAlign::Top);
    Styles {
        title: Format::new().set_font_name("Calibri").set_font_size(14).set_bold().set_font_color(Color::RGB(0x1F4E79)),
        note: base.clone().set_italic().set_font_color(Color::RGB(0x595959)),
        header: base.clone().set_bold().set_font_color(Color::White).set_background_color(Color::RGB(0x1F4E79)),
        cell: base.clone().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF)),
        error: base
            .clone()
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF))
            .set_background_color(Color::RGB(0xF8CBAD)),
        warning: base
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF))
            .set_background_color(Color::RGB(0xFFF2CC)),
    }
}

/// Writes a header row and data rows as a filterable table with frozen headers.
fn table_sheet(
    sheet: &mut Worksheet,
    first_row: u32,
    headers: &[&str],
    widths: &[f64],
    rows: &[(Vec<String>, Option<Severity>)],
    numeric: &[usize],
    s: &Styles,
) -> Result<(), XlsError> {
    // A worksheet holds 1 048 576 rows; the CSV next to it keeps everything.
    let rows = &rows[..rows.len().min(1_048_000 - first_row as usize)];
    for (col, (header, width)) in headers.iter().zip(widths).enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(first_row, col as u16, *header, &s.header)?;
    }
    for (i, (cells, severity)) in rows.iter().enumerate() {
        let row = first_row + 1 + i as u32;
        let style = match severity {
            Some(Severity::Error) => &s.error,
            Some(Severity::Warning) => &s.warning,
            _ => &s.cell,
        };
        let wrapped: Vec<(&str, f64)> = cells.iter().map(String::as_str).zip(widths.iter().copied()).collect();
        sheet.set_row_height(row, wrapped_height(&wrapped, 10.0).max(15.0))?;
        for (col, text) in cells.iter().enumerate() {
            match numeric.contains(&col).then(|| text.parse::<f64>().ok()).flatten() {
                Some(n) => sheet.write_number_with_format(row, col as u16, n, style)?,
                None => sheet.write_string_with_format(row, col as u16, cell_text(text, "w pliku CSV"), style)?,
            };
        }
    }
    sheet.set_freeze_panes(first_row + 1, 0)?;
    if !rows.is_empty() {
        sheet.autofilter(first_row, 0, first_row + rows.len() as u32, headers.len() as u16 - 1)?;
    }
    sheet.set_repeat_rows(first_row, first_row)?;
    a4(sheet, true);
    Ok(())
}

type XlsError = XlsxError;

const FINDING_TITLES: [&str; 9] =
    ["Kod", "Waga", "Instytucja", "Plik", "Arkusz", "Komórka", "Wskaźnik", "Wpisano", "Co zrobić"];
const FINDING_WIDTHS: [f64; 9] = [31.0, 11.0, 10.0, 28.0, 11.0, 8.0, 26.0, 16.0, 70.0];

/// `ustalenia.xlsx`: a summary, every finding, the meaning of each code found, the
/// completeness and the list of files.
fn findings_workbook(program: &Program, collection: &Collection) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let mut book = crate::layout::workbook();
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(format!("Ustalenia zbierania danych GPWR {}", program.settings.report_year))
            .set_creation_datetime(&ExcelDateTime::from_ymd(program.settings.report_year as u16 + 1, 1, 1)?),
    );
    // The sheets are built on all cores (a collect run again waits mostly for this file),
    // then put in order.
    type SheetBuild<'a> = Box<dyn Fn(&mut Worksheet) -> Result<(), XlsxError> + Send + Sync + 'a>;
    let sheets: [(&str, SheetBuild); 5] = [
        ("Podsumowanie", Box::new(|sheet| findings_summary_sheet(sheet, program, collection, &s))),
        ("Ustalenia", Box::new(|sheet| findings_sheet(sheet, collection, &s))),
        ("Objaśnienia kodów", Box::new(|sheet| codes_sheet(sheet, collection, &s))),
        ("Kompletność", Box::new(|sheet| completeness_sheet(sheet, collection, &s))),
        ("Pliki", Box::new(|sheet| files_sheet(sheet, collection, &s))),
    ];
    let built: Vec<Worksheet> = sheets
        .par_iter()
        .map(|(name, build)| {
            let mut sheet = Worksheet::new();
            sheet.set_name(*name)?;
            build(&mut sheet)?;
            Ok(sheet)
        })
        .collect::<Result<_, XlsxError>>()?;
    for sheet in built {
        book.push_worksheet(sheet);
    }
    book.save_to_buffer()
}

/// `Ustalenia` of `ustalenia.xlsx`: every finding, one a row.
fn findings_sheet(sheet: &mut Worksheet, collection: &Collection, s: &Styles) -> Result<(), XlsxError> {
    let rows: Vec<(Vec<String>, Option<Severity>)> =
        collection.all_findings().map(|f| (finding_cells(f).to_vec(), Some(f.severity))).collect();
    table_sheet(sheet, 0, &FINDING_TITLES, &FINDING_WIDTHS, &rows, &[], s)
}

/// `Podsumowanie` of `ustalenia.xlsx`: the counts of institutions, files and findings.
fn findings_summary_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    collection: &Collection,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_column_width(0, 48)?;
    sheet.set_column_width(1, 14)?;
    sheet.write_string_with_format(
        0,
        0,
        format!("Zbieranie danych za rok {}", program.settings.report_year),
        &s.title,
    )?;
    sheet.write_string_with_format(1, 0, &program.settings.program_name, &s.note)?;
    let returned = collection.completeness.iter().filter(|c| c.chosen_file.is_some()).count();
    let lines: [(&str, usize); 8] = [
        ("Instytucje w programie", collection.completeness.len()),
        ("Przysłały formularz", returned),
        ("Nie przysłały", collection.completeness.len() - returned),
        ("Odczytane pliki", collection.returns.len()),
        ("Pominięte pliki (nie arkusze)", collection.skipped.len()),
        ("Błędy", collection.count(Severity::Error)),
        ("Ostrzeżenia", collection.count(Severity::Warning)),
        ("Informacje", collection.count(Severity::Info)),
    ];
    for (i, (label, n)) in lines.iter().enumerate() {
        sheet.write_string_with_format(3 + i as u32, 0, *label, &s.cell)?;
        sheet.write_number_with_format(3 + i as u32, 1, *n as f64, &s.cell)?;
    }
    sheet.write_string_with_format(
        12,
        0,
        "Arkusz „Ustalenia”: każdy problem z plikiem, arkuszem i komórką (filtruj po kolumnach). „Objaśnienia kodów”: co znaczy każdy kod i co przekazujemy instytucji. „Kompletność”: kto przysłał, kto nie. „Pliki”: każdy odczytany plik.",
        &s.note,
    )?;
    sheet.set_row_height(12, 52)?;
    a4(sheet, false);
    Ok(())
}

/// `Objaśnienia kodów`: each code found in this collection with its two texts.
fn codes_sheet(sheet: &mut Worksheet, collection: &Collection, s: &Styles) -> Result<(), XlsxError> {
    let found: std::collections::BTreeSet<Code> = collection.all_findings().map(|f| f.code).collect();
    let rows: Vec<(Vec<String>, Option<Severity>)> = found
        .into_iter()
        .map(|code| {
            let texts = code.texts();
            let cells = [code.as_str(), code.severity().polish(), texts.coordinator, texts.institution];
            (cells.map(str::to_string).to_vec(), Some(code.severity()))
        })
        .collect();
    let headers = ["Kod", "Waga", "Co to znaczy i co zrobić", "Co przekazujemy instytucji"];
    table_sheet(sheet, 0, &headers, &[31.0, 11.0, 70.0, 70.0], &rows, &[], s)
}

/// `Kompletność`: per institution the file used, the others, and the counts.
fn completeness_sheet(sheet: &mut Worksheet, collection: &Collection, s: &Styles) -> Result<(), XlsxError> {
    let rows: Vec<(Vec<String>, Option<Severity>)> = collection
        .completeness
        .iter()
        .map(|c| {
            let severity = if c.chosen_file.is_none() || c.errors > 0 {
                Some(Severity::Error)
            } else if c.warnings > 0 {
                Some(Severity::Warning)
            } else {
                None
            };
            let cells = vec![
                c.institution.clone(),
                c.name.clone(),
                c.chosen_file.clone().unwrap_or_else(|| "— brak —".into()),
                c.other_files.join("; "),
                c.errors.to_string(),
                c.warnings.to_string(),
            ];
            (cells, severity)
        })
        .collect();
    let headers = ["Instytucja", "Nazwa", "Użyty plik", "Inne pliki (nieużyte)", "Błędy", "Ostrzeżenia"];
    table_sheet(sheet, 0, &headers, &[11.0, 50.0, 36.0, 36.0, 8.0, 11.0], &rows, &[4, 5], s)
}

/// `Pliki`: every file read, its format, institution and what became of it.
fn files_sheet(sheet: &mut Worksheet, collection: &Collection, s: &Styles) -> Result<(), XlsxError> {
    let rows: Vec<(Vec<String>, Option<Severity>)> = collection
        .returns
        .iter()
        .map(|r| {
            let state = if r.chosen {
                "użyty"
            } else if r.accepted {
                "pominięty (inna wersja)"
            } else {
                "nieodczytany"
            };
            let cells = vec![
                r.file.clone(),
                r.format.map(|f| f.extension().to_string()).unwrap_or_default(),
                opt(&r.institution),
                state.to_string(),
                opt(&r.modified),
                r.findings.len().to_string(),
            ];
            (cells, None)
        })
        .collect();
    let headers = ["Plik", "Format", "Instytucja", "Stan", "Zapisany (wg pliku)", "Ustalenia"];
    table_sheet(sheet, 0, &headers, &[44.0, 8.0, 11.0, 22.0, 22.0, 10.0], &rows, &[5], s)
}

/// A one-sheet workbook for people: a title, a note under it, and a table with a header
/// row, frozen and filtered, rows marked red (`Some(Error)`) or yellow (`Some(Warning)`),
/// printed landscape on A4. Used for lists other commands hand to the coordinator.
pub fn list_workbook(
    program: &Program,
    sheet_name: &str,
    title: &str,
    note: &str,
    columns: &[(&str, f64)],
    rows: &[(Vec<String>, Option<Severity>)],
) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let mut book = crate::layout::workbook();
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new().set_title(title).set_creation_datetime(&ExcelDateTime::from_ymd(
            program.settings.report_year as u16 + 1,
            1,
            1,
        )?),
    );
    let sheet = book.add_worksheet().set_name(sheet_name)?;
    let last_col = columns.len().saturating_sub(1) as u16;
    sheet.merge_range(0, 0, 0, last_col, title, &s.title)?;
    sheet.merge_range(1, 0, 1, last_col, note, &s.note)?;
    sheet.set_row_height(1, 30)?;
    let (headers, widths): (Vec<&str>, Vec<f64>) = columns.iter().copied().unzip();
    table_sheet(sheet, 3, &headers, &widths, rows, &[], &s)?;
    book.save_to_buffer()
}

fn feedback_workbook(program: &Program, name: &str, file: &str, findings: &[&Finding]) -> Result<Vec<u8>, XlsxError> {
    let s = styles();
    let mut book = crate::layout::small_workbook();
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(format!("Do poprawy: {name}"))
            .set_creation_datetime(&ExcelDateTime::from_ymd(program.settings.report_year as u16 + 1, 1, 1)?),
    );
    let sheet = book.add_worksheet().set_name("Do poprawy")?;
    sheet.merge_range(
        0,
        0,
        0,
        4,
        &format!("Do poprawy w sprawozdaniu za rok {}: {name}", program.settings.report_year),
        &s.title,
    )?;
    let contact = match &program.settings.coordinator_phone {
        Some(phone) => {
            format!("{}, {}, tel. {phone}", program.settings.coordinator, program.settings.coordinator_email)
        }
        None => format!("{}, {}", program.settings.coordinator, program.settings.coordinator_email),
    };
    sheet.merge_range(
        1,
        0,
        1,
        4,
        &format!(
            "Plik „{file}”. Prosimy o poprawienie wskazanych komórek w formularzu i ponowne przesłanie go. Pytania: {contact}."
        ),
        &s.note,
    )?;
    sheet.set_row_height(1, 30)?;
    let rows: Vec<(Vec<String>, Option<Severity>)> = findings
        .iter()
        .map(|f| {
            let label = f
                .indicator
                .as_ref()
                .and_then(|id| program.indicators.iter().find(|i| &i.id == id))
                .map(|i| i.label.clone())
                .unwrap_or_default();
            (
                vec![
                    f.location(),
                    label,
                    opt(&f.original),
                    f.severity.polish().to_string(),
                    f.code.texts().institution.to_string(),
                ],
                Some(f.severity),
            )
        })
        .collect();
    table_sheet(
        sheet,
        3,
        &["Gdzie", "Wskaźnik", "Wpisano", "Waga", "O co prosimy"],
        &[18.0, 44.0, 18.0, 11.0, 70.0],
        &rows,
        &[],
        &s,
    )?;
    book.save_to_buffer()
}
