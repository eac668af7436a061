//! The consolidated workbook (Polish): `Podsumowanie` with totals as real formulas over
//! `Dane` (results cached, so finance staff can click a total and see what it sums),
//! `Dane` with every value and where it came from, `Macierz`, `Kontrole`, `Kompletność`,
//! `Opisy` and `Działania`. Text typed by institutions is always written as text.

use super::Collected;
use super::aggregate::{IndicatorTotal, TaskSummary};
use super::checks::{CheckFailure, pl_number};
use super::data_sheets::{DataColumns, DataLayout, DataRanges, DataSheet};
use super::foster::{CHECK_ID as FOSTER_CHECK, FosterCare};
use super::needs::{NO_GOAL, NeedsSummary};
use super::values::{ValueRow, ValueTable};
use crate::foster_care::{CareKind, Grosze};
use crate::layout::{a4, cell_text, wrapped_height};
use crate::polish;
use crate::program::{CheckSeverity, Combine, Indicator, Program, TaskStatus, ValueType};
use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Formula, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// Name of the consolidated workbook.
pub const REPORT_XLSX: &str = "zestawienie.xlsx";

/// Polish labels of the status codes in `dane.csv`, as shown in `Dane` and used by the
/// `Podsumowanie` formulas.
pub fn status_label(code: &str) -> &str {
    match code {
        "wartosc" => "wartość",
        "nie_dotyczy" => "nie dotyczy",
        "brak_danych" => "brak danych",
        "puste" => "puste",
        "tekst" => "tekst",
        "blad" => "błąd",
        "brak_wiersza" => "brak wiersza",
        "brak_formularza" => "brak formularza",
        other => other,
    }
}

pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) note: Format,
    pub(super) subtitle: Format,
    pub(super) header: Format,
    pub(super) text: Format,
    pub(super) part: Format,
    pub(super) plain: Format,
    pub(super) goal: Format,
    pub(super) count: Format,
    pub(super) amount: Format,
    pub(super) decimal: Format,
    pub(super) change: Format,
    pub(super) error: Format,
    pub(super) warning: Format,
    pub(super) marker: Format,
    pub(super) status: Format,
}

/// Every format of the consolidated workbook.
pub(super) fn styles() -> Styles {
    let base = Format::new().set_font_name("Calibri").set_font_size(10).set_align(FormatAlign::Top);
    let cell = base.clone().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF));
    Styles {
        title: Format::new().set_font_name("Calibri").set_font_size(14).set_bold().set_font_color(Color::RGB(0x1F4E79)),
        note: base.clone().set_italic().set_font_color(Color::RGB(0x595959)),
        subtitle: base.clone().set_bold().set_font_size(11),
        header: base
            .clone()
            .set_bold()
            .set_text_wrap()
            .set_font_color(Color::White)
            .set_background_color(Color::RGB(0x1F4E79))
            .set_border(FormatBorder::Thin),
        text: cell.clone().set_text_wrap(),
        part: cell.clone().set_text_wrap().set_indent(1),
        plain: cell.clone(),
        goal: cell.clone().set_bold().set_text_wrap().set_background_color(Color::RGB(0xDDEBF7)),
        count: cell.clone().set_num_format("#,##0"),
        amount: cell.clone().set_num_format("#,##0.00\\ \"zł\""),
        decimal: cell.clone().set_num_format("#,##0.0#"),
        change: cell.clone().set_num_format("+#,##0.##;-#,##0.##;0"),
        error: cell.clone().set_text_wrap().set_background_color(Color::RGB(0xF8CBAD)),
        marker: cell.clone().set_align(FormatAlign::Right),
        // A task state is stored as its code and shown as its name.
        status: cell.clone().set_num_format(format!(
            "[={}]\"{}\";[={}]\"{}\";\"{}\"",
            TaskStatus::Done.code(),
            TaskStatus::Done.polish(),
            TaskStatus::InProgress.code(),
            TaskStatus::InProgress.polish(),
            TaskStatus::NotDone.polish()
        )),
        warning: cell.set_text_wrap().set_background_color(Color::RGB(0xFFF2CC)),
    }
}

impl Styles {
    /// The format of a number of `value_type`.
    pub(super) fn number(&self, value_type: ValueType) -> &Format {
        match value_type {
            ValueType::Amount => &self.amount,
            ValueType::Decimal => &self.decimal,
            ValueType::WholeCount | ValueType::YesNo => &self.count,
            ValueType::TaskStatus => &self.status,
        }
    }

    /// The format of a reported number `n`: that of its type, except that a fraction
    /// reported for a whole count shows its decimals instead of being rounded out of sight
    /// (collect flags it; the auditor must see what was counted).
    fn number_shown(&self, value_type: ValueType, n: f64) -> &Format {
        match value_type {
            ValueType::WholeCount | ValueType::YesNo if n.fract() != 0.0 => &self.decimal,
            other => self.number(other),
        }
    }
}

/// Column headers with widths; returns the header row index + 1 (first data row).
pub(super) fn headers(sheet: &mut Worksheet, row: u32, columns: &[(&str, f64)], s: &Styles) -> Result<u32, XlsxError> {
    for (col, (title, width)) in columns.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
        sheet.write_string_with_format(row, col as u16, *title, &s.header)?;
    }
    sheet.set_row_height(row, 27)?;
    sheet.set_freeze_panes(row + 1, 0)?;
    sheet.set_repeat_rows(row, row)?;
    Ok(row + 1)
}

pub(super) fn title(sheet: &mut Worksheet, text: &str, note: &str, s: &Styles) -> Result<(), XlsxError> {
    sheet.write_string_with_format(0, 0, text, &s.title)?;
    sheet.write_string_with_format(1, 0, note, &s.note)?;
    Ok(())
}

/// First data row (0-based) of `Podsumowanie`: one row per indicator, in definition order.
const SUMMARY_FIRST_ROW: u32 = 4;

/// Everything the consolidated workbook shows.
#[derive(Clone, Copy)]
pub struct ReportParts<'a> {
    /// The programme.
    pub program: &'a Program,
    /// What collect wrote.
    pub collected: &'a Collected,
    /// One total per indicator.
    pub totals: &'a [IndicatorTotal],
    /// Every failed check.
    pub failures: &'a [CheckFailure],
    /// Last year's totals, for the change column.
    pub previous: Option<&'a BTreeMap<String, f64>>,
    /// Completeness per goal and task.
    pub task_summaries: &'a [TaskSummary],
    /// The needs for next year.
    pub needs: &'a NeedsSummary,
    /// The foster-care co-financing, when computed.
    pub foster: Option<&'a FosterCare>,
    /// Data rows a `Dane` sheet holds before the data continues on the next
    /// ([`DATA_ROWS_PER_SHEET`](super::data_sheets::DATA_ROWS_PER_SHEET); lower only in tests).
    pub data_rows_per_sheet: usize,
}

/// Builds the consolidated workbook; `scratch_dir` takes the temporary files of its large sheets.
///
/// rust_xlsxwriter panics when it cannot write those files (a full disk): that panic comes
/// back as the I/O error it names, or as [`XlsxError::ParameterError`] for any other panic.
pub fn report_workbook(parts: &ReportParts, scratch_dir: &std::path::Path) -> Result<Vec<u8>, XlsxError> {
    crate::guard::quietly(|| build_report_workbook(parts, scratch_dir)).unwrap_or_else(|panic| {
        Err(crate::guard::io_error_in(&panic)
            .map(XlsxError::IoError)
            .unwrap_or_else(|| XlsxError::ParameterError("budowa zestawienia przerwana".into())))
    })
}

fn build_report_workbook(parts: &ReportParts, scratch_dir: &std::path::Path) -> Result<Vec<u8>, XlsxError> {
    let ReportParts { program, collected, totals, failures, previous, task_summaries, needs, foster, .. } = *parts;
    let s = styles();
    let mut book = crate::layout::workbook();
    // Large sheets are written row by row to an unnamed file here, beside the outputs.
    book.set_tempdir(scratch_dir)?;
    book.set_properties(
        &rust_xlsxwriter::DocProperties::new()
            .set_title(format!("Zestawienie GPWR za rok {}", program.settings.report_year))
            .set_company(&program.settings.coordinating_unit)
            .set_creation_datetime(&ExcelDateTime::from_ymd(program.settings.report_year as u16 + 1, 1, 1)?),
    );
    let values = ValueTable::new(&collected.frame);
    let layout = DataLayout::new(program, &values, parts.data_rows_per_sheet);
    summary_sheet(book.add_worksheet(), program, totals, failures, previous, &layout, &s)?;
    if !program.tables.is_empty() {
        super::tables_sheet::tables_sheet(book.add_worksheet(), program, totals, &layout, &s)?;
    }
    tasks_sheet(book.add_worksheet(), program, task_summaries, &s)?;
    needs_sheet(book.add_worksheet(), program, needs, &s)?;
    if let Some(foster) = foster {
        foster_care_sheet(book.add_worksheet(), program, foster, failures, &s)?;
    }
    // The two sheets that grow with the number of institutions are written row by row
    // to a temporary file instead of being held in memory whole.
    for data in &layout.sheets {
        data_sheet(book.add_worksheet_with_low_memory()?, program, &values, data, &s)?;
    }
    matrix_sheet(book.add_worksheet_with_low_memory()?, program, collected, &s)?;
    checks_sheet(book.add_worksheet(), failures, &s)?;
    completeness_sheet(book.add_worksheet(), collected, &s)?;
    descriptions_sheet(book.add_worksheet(), program, collected, &s)?;
    activities_sheet(book.add_worksheet(), program, collected, &s)?;
    charts_sheet(book.add_worksheet(), program, totals, previous, &s)?;
    book.save_to_buffer()
}

/// `Dane` columns: the formulas of `Podsumowanie` refer to E (indicator), J (value) and K
/// (status).
const DATA_COLUMNS: [(&str, &str, f64); 16] = [
    ("instytucja", "Instytucja", 10.0),
    ("nazwa_instytucji", "Nazwa instytucji", 30.0),
    ("cel", "Cel", 5.0),
    ("zadanie", "Zadanie", 8.0),
    ("wskaznik", "ID", 28.0),
    ("nazwa_wskaznika", "Wskaźnik", 44.0),
    ("jednostka", "Jednostka", 10.0),
    ("typ", "Typ", 12.0),
    ("okres", "Okres", 12.0),
    ("wartosc", "Wartość", 14.0),
    ("status", "Stan", 13.0),
    ("tekst_oryginalny", "Wpisano", 16.0),
    ("powod_braku", "Brak wartości", 12.0),
    ("komentarz", "Komentarz", 30.0),
    ("plik", "Plik", 30.0),
    ("komorka", "Komórka", 14.0),
];

/// One `Dane` sheet: the rows of the tidy table `values` that `data` lists, every column as
/// text except the value.
fn data_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    values: &ValueTable,
    data: &DataSheet,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name(&data.name)?;
    let columns: Vec<(&str, f64)> = DATA_COLUMNS.iter().map(|(_, t, w)| (*t, *w)).collect();
    let first = headers(sheet, 0, &columns, s)?;
    let types: BTreeMap<&str, ValueType> = program.indicators.iter().map(|i| (i.id.as_str(), i.value_type)).collect();
    let fields: Vec<Option<usize>> = DATA_COLUMNS.iter().map(|(key, _, _)| values.column(key)).collect();
    for (i, record) in data.rows.iter().map(|&position| values.row(position)).enumerate() {
        let row = first + i as u32;
        let mut number_col = None;
        let value = record.value();
        for (col, (key, _, _)) in DATA_COLUMNS.iter().enumerate() {
            let text = fields[col].map(|field| record.field(field)).unwrap_or_default();
            let col = col as u16;
            match (*key, value) {
                ("wartosc", Some(n)) => {
                    let value_type = types.get(record.text("wskaznik")).copied().unwrap_or(ValueType::Decimal);
                    number_col = Some(col);
                    sheet.write_number_with_format(row, col, n, s.number_shown(value_type, n))?
                }
                ("status", _) => sheet.write_string(row, col, status_label(text))?,
                _ => sheet.write_string(row, col, text)?,
            };
        }
        // The text cells' look is set per run of columns, not per cell: a Format is hashed
        // on every lookup, and Dane has millions of cells at national scale.
        let last = DATA_COLUMNS.len() as u16 - 1;
        match number_col {
            // `wartosc` is neither the first nor the last column.
            Some(col) => {
                sheet.set_range_format(row, 0, row, col - 1, &s.plain)?;
                sheet.set_range_format(row, col + 1, row, last, &s.plain)?;
            }
            None => {
                sheet.set_range_format(row, 0, row, last, &s.plain)?;
            }
        }
    }
    if !data.rows.is_empty() {
        sheet.autofilter(0, 0, data.rows.len() as u32, DATA_COLUMNS.len() as u16 - 1)?;
    }
    a4(sheet, true);
    Ok(())
}

/// Per indicator, the checks that failed on it, each once and in the order first seen, with
/// how many times it failed when more than once (a check run for each institution can fail
/// for thousands of them): `ZAKRES (1 234×), K04`.
fn failed_checks_by_indicator(failures: &[CheckFailure]) -> BTreeMap<&str, String> {
    let mut counted: BTreeMap<&str, Vec<(&str, usize)>> = BTreeMap::new();
    for f in failures {
        for id in &f.indicators {
            let checks = counted.entry(id.as_str()).or_default();
            match checks.iter_mut().find(|(check, _)| *check == f.check) {
                Some((_, times)) => *times += 1,
                None => checks.push((f.check.as_str(), 1)),
            }
        }
    }
    counted
        .into_iter()
        .map(|(id, checks)| {
            let shown: Vec<String> = checks
                .into_iter()
                .map(|(check, times)| match times {
                    1 => check.to_string(),
                    n => format!("{check} ({}×)", polish::thousands(n as u64)),
                })
                .collect();
            (id, shown.join(", "))
        })
        .collect()
}

/// `Podsumowanie` columns.
const SUMMARY_COLUMNS: [(&str, f64); 16] = [
    ("Cel", 6.0),
    ("Zadanie", 8.0),
    ("ID", 28.0),
    ("Wskaźnik", 48.0),
    ("Jednostka", 11.0),
    ("Okres", 12.0),
    ("Łączenie", 11.0),
    ("Razem", 15.0),
    ("Podały", 8.0),
    ("Oczekiwane", 10.0),
    ("Nie dotyczy", 9.0),
    ("Brak liczby", 9.0),
    ("Kompletność", 18.0),
    ("Poprzedni rok", 14.0),
    ("Zmiana", 13.0),
    ("Kontrole", 24.0),
];

/// `Podsumowanie`: one row per indicator with its total as a formula over `Dane`, its
/// completeness, last year's value and the checks that failed on it.
fn summary_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    totals: &[IndicatorTotal],
    failures: &[CheckFailure],
    previous: Option<&BTreeMap<String, f64>>,
    layout: &DataLayout,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Podsumowanie")?;
    // An empty cached result must read as "nothing reported", not as rust_xlsxwriter's default 0.
    sheet.set_formula_result_default("");
    title(
        sheet,
        &format!("{} – zestawienie za rok {}", program.settings.program_name, program.settings.report_year),
        &format!(
            "{}. Kolumna „Razem” to formuły liczone z arkusza „Dane” (kliknij, by zobaczyć, co sumują). Puste „Razem” = nikt nie podał liczby; „niepełne” = nie wszystkie instytucje podały dane.",
            program.settings.municipality
        ),
        s,
    )?;
    let first = headers(sheet, SUMMARY_FIRST_ROW - 1, &SUMMARY_COLUMNS, s)?;
    // Ids cannot wrap: the column is as wide as the longest (a breakdown's parts are long).
    let longest = program.indicators.iter().map(|i| i.id.chars().count()).max().unwrap_or(0);
    sheet.set_column_width(2, (longest as f64 * 0.95).clamp(SUMMARY_COLUMNS[2].1, 48.0))?;
    let failing = failed_checks_by_indicator(failures);
    let mut row = first;
    for (indicator, total) in program.indicators.iter().zip(totals) {
        summary_labels(sheet, row, program, indicator, s)?;
        summary_counts(sheet, row, indicator, total, &layout.ranges(&indicator.id), s)?;
        summary_completeness_and_change(sheet, row, indicator, total, previous, s)?;
        let checks = failing.get(indicator.id.as_str()).cloned().unwrap_or_default();
        let style = if checks.is_empty() { &s.text } else { &s.error };
        sheet.write_string_with_format(row, 15, if checks.is_empty() { "OK" } else { &checks }, style)?;
        let states = if indicator.value_type == ValueType::TaskStatus { total.states_text() } else { String::new() };
        let texts = [(indicator.label.as_str(), 48.0), (checks.as_str(), 24.0), (states.as_str(), 15.0)];
        sheet.set_row_height(row, wrapped_height(&texts, 10.0).max(15.0))?;
        row += 1;
    }
    if row > first {
        sheet.autofilter(first - 1, 0, row - 1, SUMMARY_COLUMNS.len() as u16 - 1)?;
    }
    a4(sheet, true);
    Ok(())
}

/// Writes the describing columns of an indicator's `Podsumowanie` row: goal, task, id,
/// label, unit, period and combine rule.
fn summary_labels(
    sheet: &mut Worksheet,
    row: u32,
    program: &Program,
    indicator: &crate::program::Indicator,
    s: &Styles,
) -> Result<(), XlsxError> {
    let task = program.task(&indicator.task);
    // A breakdown's parts sit indented under their whole.
    let label_format = if indicator.part_of.is_some() { &s.part } else { &s.text };
    let mut write_text =
        |col: u16, text: &str, format| sheet.write_string_with_format(row, col, text, format).map(|_| ());
    write_text(0, task.map(|t| t.goal.as_str()).unwrap_or_default(), &s.text)?;
    write_text(1, &indicator.task, &s.text)?;
    write_text(2, &indicator.id, &s.text)?;
    write_text(3, &indicator.label, label_format)?;
    write_text(4, &indicator.unit, &s.text)?;
    write_text(5, indicator.period.polish(), &s.text)?;
    write_text(6, indicator.combine.polish(), &s.text)
}

/// Writes the formula columns of an indicator's `Podsumowanie` row, each with its cached
/// result: the total by the combine rule, and how many reported, were expected, did not
/// apply and are missing.
fn summary_counts(
    sheet: &mut Worksheet,
    row: u32,
    indicator: &crate::program::Indicator,
    total: &IndicatorTotal,
    ranges: &DataRanges,
    s: &Styles,
) -> Result<(), XlsxError> {
    let excel_row = row + 1;
    let id = format!("$C{excel_row}");
    let count = ranges.sum_of(|c| reported_in(c, &id));
    // A task's states are a text that wraps; a number takes its type's format.
    let format = if indicator.value_type == ValueType::TaskStatus { &s.text } else { s.number(indicator.value_type) };
    sheet.write_formula_with_format(row, 7, total_formula(indicator, total, ranges, &id), format)?;
    sheet.write_formula_with_format(
        row,
        8,
        Formula::new(format!("={count}")).set_result(total.reporting.to_string()),
        &s.count,
    )?;
    let expected = ranges.sum_of(|c| format!("COUNTIFS({},{id})", c.ids));
    sheet.write_formula_with_format(
        row,
        9,
        Formula::new(format!("={expected}")).set_result(total.expected.to_string()),
        &s.count,
    )?;
    let not_applicable = ranges.sum_of(|c| format!("COUNTIFS({},{id},{},\"nie dotyczy\")", c.ids, c.status));
    sheet.write_formula_with_format(
        row,
        10,
        Formula::new(format!("={not_applicable}")).set_result(total.not_applicable.to_string()),
        &s.count,
    )?;
    sheet.write_formula_with_format(
        row,
        11,
        Formula::new(format!("=J{excel_row}-I{excel_row}-K{excel_row}")).set_result(total.missing.to_string()),
        &s.count,
    )?;
    Ok(())
}

/// How many rows of the `Dane` sheet `c` give the indicator whose id is in `id` as a value
/// (a formula part).
fn reported_in(c: &DataColumns, id: &str) -> String {
    format!("COUNTIFS({},{id},{},\"wartość\")", c.ids, c.status)
}

/// The formula of an indicator's total over `Dane`, by its combine rule (a task state's
/// counts as text), with its cached result; `id` is the cell or the quoted text holding the
/// indicator's id.
pub(super) fn total_formula(indicator: &Indicator, total: &IndicatorTotal, ranges: &DataRanges, id: &str) -> Formula {
    let count_in = |c: &DataColumns| reported_in(c, id);
    let count = ranges.sum_of(count_in);
    let of_values = |function: &'static str| {
        move |c: &DataColumns| format!("{function}({},{},{id},{},\"wartość\")", c.values, c.ids, c.status)
    };
    let formula = match indicator.combine {
        _ if indicator.value_type == ValueType::TaskStatus => {
            let counts = TaskStatus::ALL.map(|state| {
                let count = ranges.sum_of(|c| {
                    format!("COUNTIFS({},{id},{},\"wartość\",{},{})", c.ids, c.status, c.values, state.code())
                });
                format!("\"{}: \"&{count}", state.polish())
            });
            format!("=IF({count}=0,\"\",{})", counts.join("&\"; \"&"))
        }
        Combine::Sum => format!("=IF({count}=0,\"\",{})", ranges.sum_of(of_values("SUMIFS"))),
        Combine::Max => {
            format!("=IF({count}=0,\"\",{})", ranges.combined("MAX", "-9E+307", of_values("MAXIFS"), count_in))
        }
        Combine::MustAgree => format!(
            "=IF({count}=0,\"\",IF({max}={min},{max},\"niezgodne\"))",
            max = ranges.combined("MAX", "-9E+307", of_values("MAXIFS"), count_in),
            min = ranges.combined("MIN", "9E+307", of_values("MINIFS"), count_in)
        ),
    };
    let cached = match total.total {
        Some(v) => crate::cell::format_number(v),
        None if indicator.value_type == ValueType::TaskStatus && total.reporting > 0 => total.states_text(),
        None if total.disagrees() => "niezgodne".to_string(),
        None => String::new(),
    };
    Formula::new(formula).set_result(cached)
}

/// Writes whether an indicator's data is complete and, when last year's workbook is known,
/// last year's value and the change as a formula.
fn summary_completeness_and_change(
    sheet: &mut Worksheet,
    row: u32,
    indicator: &crate::program::Indicator,
    total: &IndicatorTotal,
    previous: Option<&BTreeMap<String, f64>>,
    s: &Styles,
) -> Result<(), XlsxError> {
    let excel_row = row + 1;
    let completeness = if total.complete() {
        "pełne".to_string()
    } else {
        format!("niepełne: brak {} z {}", total.missing, total.expected)
    };
    sheet.write_string_with_format(row, 12, &completeness, if total.complete() { &s.text } else { &s.warning })?;
    if let Some(before) = previous.and_then(|p| p.get(&indicator.id)) {
        sheet.write_number_with_format(row, 13, *before, s.number(indicator.value_type))?;
        if total.total.is_some() {
            // The change is a formula too, so it follows the total.
            sheet.write_formula_with_format(
                row,
                14,
                Formula::new(format!("=IF(H{excel_row}=\"\",\"\",H{excel_row}-N{excel_row})"))
                    .set_result(crate::cell::format_number(total.total.unwrap_or_default() - before)),
                &s.change,
            )?;
        }
    }
    Ok(())
}

/// Columns in a worksheet (Excel's and LibreOffice's limit).
const MAX_COLUMNS: usize = 16_384;

fn matrix_sheet(sheet: &mut Worksheet, program: &Program, collected: &Collected, s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Macierz")?;
    title(
        sheet,
        "Wskaźniki × instytucje",
        "Liczba = podana wartość; n/d = nie dotyczy; b.d. = brak danych; — = brak formularza; puste pole = instytucja nie raportuje wskaźnika.",
        s,
    )?;
    let institutions: Vec<&str> = program.reporting_institutions().map(|i| i.id.as_str()).collect();
    if institutions.len() + 2 > MAX_COLUMNS {
        sheet.write_string_with_format(
            3,
            0,
            format!(
                "Instytucji jest {}, a arkusz mieści {} kolumn: macierzy nie da się tu pokazać. Te same wartości są w arkuszu „Dane” (filtruj po kolumnie ID).",
                polish::thousands(institutions.len() as u64),
                polish::thousands(MAX_COLUMNS as u64)
            ),
            &s.note,
        )?;
        return Ok(());
    }
    let mut columns: Vec<(&str, f64)> = vec![("ID", 28.0), ("Wskaźnik", 40.0)];
    columns.extend(institutions.iter().map(|i| (*i, 14.0)));
    let first = headers(sheet, 3, &columns, s)?;
    sheet.set_freeze_panes(first, 2)?;
    let values = ValueTable::new(&collected.frame);
    let index = super::checks::source_index(&values);
    let column_of: BTreeMap<&str, u16> =
        institutions.iter().enumerate().map(|(c, inst)| (*inst, 2 + c as u16)).collect();
    for (r, indicator) in program.indicators.iter().enumerate() {
        let row = first + r as u32;
        sheet.write_string_with_format(row, 0, &indicator.id, &s.plain)?;
        sheet.write_string_with_format(row, 1, &indicator.label, &s.plain)?;
        // Left to right, as the row is written out as soon as the next one starts.
        let mut cells: Vec<(u16, ValueRow)> = indicator
            .reported_by
            .iter()
            .filter_map(|inst| {
                Some((*column_of.get(inst.as_str())?, *index.get(&(inst.as_str(), indicator.id.as_str()))?))
            })
            .collect();
        cells.sort_by_key(|(col, _)| *col);
        cells.dedup_by_key(|(col, _)| *col);
        let mut cells = cells.into_iter().peekable();
        // Every cell of the grid gets its border, the empty ones too, so it reads as a table:
        // a run of empty cells at once (a format is hashed on every lookup, and the grid has
        // a million cells at national scale).
        let last = 1 + institutions.len() as u16;
        let mut col = 2;
        while col <= last {
            let Some((_, record)) = cells.next_if(|(c, _)| *c == col) else {
                let empty_until = cells.peek().map_or(last, |(next, _)| next - 1);
                sheet.set_range_format(row, col, row, empty_until, &s.plain)?;
                col = empty_until + 1;
                continue;
            };
            let here = col;
            col += 1;
            match (record.value(), record.text("status")) {
                (Some(n), _) => {
                    sheet.write_number_with_format(row, here, n, s.number_shown(indicator.value_type, n))?
                }
                (_, "nie_dotyczy") => sheet.write_string_with_format(row, here, "n/d", &s.marker)?,
                (_, "brak_danych") => sheet.write_string_with_format(row, here, "b.d.", &s.marker)?,
                (_, "brak_formularza") => sheet.write_string_with_format(row, here, "—", &s.marker)?,
                (_, other) => sheet.write_string_with_format(row, here, status_label(other), &s.warning)?,
            };
        }
    }
    a4(sheet, true);
    Ok(())
}

fn checks_sheet(sheet: &mut Worksheet, failures: &[CheckFailure], s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Kontrole")?;
    title(
        sheet,
        "Niespełnione kontrole",
        "Każdy wiersz: która kontrola, dla kogo, jakie wartości i skąd pochodzą.",
        s,
    )?;
    let columns = [
        ("Kontrola", 11.0),
        ("Waga", 11.0),
        ("Instytucja", 11.0),
        ("Warunek", 36.0),
        ("Komunikat", 50.0),
        ("Wartości", 22.0),
        ("Źródła (instytucja, wskaźnik = wartość, plik, komórka)", 70.0),
    ];
    let first = headers(sheet, 3, &columns, s)?;
    for (i, f) in failures.iter().enumerate() {
        let row = first + i as u32;
        let style = if f.severity == CheckSeverity::Error { &s.error } else { &s.warning };
        let cells = [f.check.as_str(), f.severity.polish(), f.who(), &f.condition, &f.message, &f.values, &f.sources];
        for (col, text) in cells.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, cell_text(text, "w arkuszu Dane"), style)?;
        }
        let wrapped: Vec<(&str, f64)> = cells.iter().copied().zip(columns.iter().map(|(_, w)| *w)).collect();
        sheet.set_row_height(row, wrapped_height(&wrapped, 10.0).max(15.0))?;
    }
    if failures.is_empty() {
        sheet.write_string_with_format(first, 0, "Wszystkie kontrole spełnione.", &s.note)?;
    } else {
        sheet.autofilter(first - 1, 0, first + failures.len() as u32 - 1, columns.len() as u16 - 1)?;
    }
    a4(sheet, true);
    Ok(())
}

fn completeness_sheet(sheet: &mut Worksheet, collected: &Collected, s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Kompletność")?;
    title(sheet, "Kompletność", "Kto przysłał formularz, który plik użyto i ile problemów w nim znaleziono.", s)?;
    let columns = [
        ("Instytucja", 11.0),
        ("Nazwa", 48.0),
        ("Stan", 14.0),
        ("Użyty plik", 36.0),
        ("Inne pliki", 30.0),
        ("Błędy", 8.0),
        ("Ostrzeżenia", 11.0),
    ];
    let first = headers(sheet, 3, &columns, s)?;
    for (i, r) in collected.completeness.iter().enumerate() {
        let row = first + i as u32;
        let returned = !r["plik"].is_empty();
        let style = if returned { &s.text } else { &s.error };
        sheet.write_string_with_format(row, 0, &r["instytucja"], style)?;
        sheet.write_string_with_format(row, 1, &r["nazwa"], style)?;
        sheet.write_string_with_format(row, 2, if returned { "przysłała" } else { "brak formularza" }, style)?;
        sheet.write_string_with_format(row, 3, &r["plik"], style)?;
        sheet.write_string_with_format(row, 4, &r["inne_pliki"], style)?;
        sheet.write_number_with_format(row, 5, r["bledy"].parse().unwrap_or(0.0), &s.count)?;
        sheet.write_number_with_format(row, 6, r["ostrzezenia"].parse().unwrap_or(0.0), &s.count)?;
        sheet.set_row_height(row, wrapped_height(&[(&r["nazwa"], 48.0), (&r["inne_pliki"], 30.0)], 10.0).max(15.0))?;
    }
    a4(sheet, true);
    Ok(())
}

/// Position of a task in the definition, for grouping by goal and task.
fn task_order(program: &Program, task: &str) -> usize {
    program.tasks.iter().position(|t| t.id == task).unwrap_or(usize::MAX)
}

fn descriptions_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    collected: &Collected,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Opisy")?;
    title(sheet, "Opisy realizacji zadań", "Pogrupowane według celów i zadań, jak w sprawozdaniu.", s)?;
    let first = headers(sheet, 3, &[("Instytucja", 12.0), ("Opis", 100.0), ("Źródło", 30.0)], s)?;
    let mut rows: Vec<&crate::records::Record> = collected.descriptions.iter().collect();
    rows.sort_by_key(|r| task_order(program, &r["zadanie"]));
    grouped_rows(
        sheet,
        program,
        first,
        &rows,
        |r| vec![r["instytucja"].to_string(), r["opis"].to_string(), format!("{} {}", &r["plik"], &r["komorka"])],
        &[12.0, 100.0, 30.0],
        s,
    )?;
    a4(sheet, true);
    Ok(())
}

fn activities_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    collected: &Collected,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Działania")?;
    title(sheet, "Działania", "Działania zgłoszone przez instytucje, według celów i zadań.", s)?;
    let widths = [12.0, 40.0, 11.0, 11.0, 11.0, 50.0];
    let first = headers(
        sheet,
        3,
        &[
            ("Instytucja", widths[0]),
            ("Nazwa", widths[1]),
            ("Od", widths[2]),
            ("Do", widths[3]),
            ("Uczestnicy", widths[4]),
            ("Opis", widths[5]),
        ],
        s,
    )?;
    let mut rows: Vec<&crate::records::Record> = collected.activities.iter().collect();
    rows.sort_by_key(|r| task_order(program, &r["zadanie"]));
    grouped_rows(
        sheet,
        program,
        first,
        &rows,
        |r| {
            let participants = if r["liczba_uczestnikow"].is_empty() {
                r["liczba_uczestnikow_tekst"].to_string()
            } else {
                pl_number(r["liczba_uczestnikow"].parse().unwrap_or(0.0))
            };
            vec![
                r["instytucja"].to_string(),
                r["nazwa"].to_string(),
                r["data_od"].to_string(),
                r["data_do"].to_string(),
                participants,
                r["opis"].to_string(),
            ]
        },
        &widths,
        s,
    )?;
    a4(sheet, true);
    Ok(())
}

/// Writes records under goal and task title rows.
fn grouped_rows(
    sheet: &mut Worksheet,
    program: &Program,
    first: u32,
    rows: &[&crate::records::Record],
    cells: impl Fn(&crate::records::Record) -> Vec<String>,
    widths: &[f64],
    s: &Styles,
) -> Result<(), XlsxError> {
    let mut row = first;
    let mut last_task: Option<&str> = None;
    let last_col = widths.len() as u16 - 1;
    for record in rows {
        let task = &record["zadanie"];
        if last_task != Some(task) {
            let title = match program.task(task) {
                Some(t) => format!("Cel {} – zadanie {}. {}", t.goal, t.id, t.name),
                None if task.is_empty() => "Bez wskazanego zadania".to_string(),
                None => task.to_string(),
            };
            sheet.merge_range(row, 0, row, last_col, &title, &s.goal)?;
            row += 1;
            last_task = Some(task);
        }
        let texts = cells(record);
        for (col, text) in texts.iter().enumerate() {
            sheet.write_string_with_format(row, col as u16, text, &s.text)?;
        }
        let wrapped: Vec<(&str, f64)> = texts.iter().map(String::as_str).zip(widths.iter().copied()).collect();
        sheet.set_row_height(row, wrapped_height(&wrapped, 10.0).max(15.0))?;
        row += 1;
    }
    Ok(())
}

/// Charts where people would rather look than read: money by indicator (this year against
/// last year when known) and how complete the data is per goal. Each chart reads a small
/// table on the same sheet whose cells are formulas over `Podsumowanie`.
fn charts_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    totals: &[IndicatorTotal],
    previous: Option<&BTreeMap<String, f64>>,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Wykresy")?;
    title(sheet, "Wykresy", "Tabele obok wykresów są formułami z arkusza „Podsumowanie”.", s)?;
    let below = amounts_chart(sheet, program, totals, previous, s)?;
    completeness_chart(sheet, program, totals, below, s)?;
    a4(sheet, true);
    Ok(())
}

/// Writes the table of money indicators (this year, and last year when known) and its bar
/// chart; returns the first free row below both.
fn amounts_chart(
    sheet: &mut Worksheet,
    program: &Program,
    totals: &[IndicatorTotal],
    previous: Option<&BTreeMap<String, f64>>,
    s: &Styles,
) -> Result<u32, XlsxError> {
    use rust_xlsxwriter::{Chart, ChartType};
    let first = headers(sheet, 3, &[("Kwoty (zł)", 44.0), ("Ten rok", 15.0), ("Poprzedni rok", 15.0)], s)?;
    sheet.set_freeze_panes(0, 0)?;
    let mut row = first;
    for (i, (indicator, total)) in program.indicators.iter().zip(totals).enumerate() {
        if indicator.value_type != ValueType::Amount {
            continue;
        }
        let summary_row = SUMMARY_FIRST_ROW + i as u32 + 1;
        sheet.write_string_with_format(row, 0, program.full_label(indicator), &s.text)?;
        let now = total.total.map(crate::cell::format_number).unwrap_or_default();
        sheet.write_formula_with_format(
            row,
            1,
            Formula::new(format!("=Podsumowanie!H{summary_row}")).set_result(now),
            &s.amount,
        )?;
        if let Some(before) = previous.and_then(|p| p.get(&indicator.id)) {
            let formula =
                Formula::new(format!("=Podsumowanie!N{summary_row}")).set_result(crate::cell::format_number(*before));
            sheet.write_formula_with_format(row, 2, formula, &s.amount)?;
        }
        row += 1;
    }
    if row > first {
        let mut chart = Chart::new(ChartType::Bar);
        chart.title().set_name("Kwoty według wskaźników (zł)");
        chart
            .add_series()
            .set_name(&format!("{}", program.settings.report_year))
            .set_categories(("Wykresy", first, 0, row - 1, 0))
            .set_values(("Wykresy", first, 1, row - 1, 1));
        if previous.is_some() {
            chart
                .add_series()
                .set_name(&format!("{}", program.settings.report_year - 1))
                .set_categories(("Wykresy", first, 0, row - 1, 0))
                .set_values(("Wykresy", first, 2, row - 1, 2));
        }
        chart.set_width(760).set_height(120 + 28 * (row - first));
        sheet.insert_chart(3, 4, &chart)?;
    }
    // Default rows are 20 px high.
    let first_chart_rows = if row > first { (120 + 28 * (row - first)).div_ceil(20) } else { 0 };
    Ok((row + 2).max(3 + first_chart_rows + 2))
}

/// Writes, from row `start`, the table of complete and incomplete indicators per goal and
/// its stacked column chart.
fn completeness_chart(
    sheet: &mut Worksheet,
    program: &Program,
    totals: &[IndicatorTotal],
    start: u32,
    s: &Styles,
) -> Result<(), XlsxError> {
    use rust_xlsxwriter::{Chart, ChartType};
    let first = headers(sheet, start, &[("Kwoty (zł)", 44.0), ("Pełne dane", 15.0), ("Niepełne", 15.0)], s)?;
    sheet.write_string_with_format(start, 0, "Cel", &s.header)?;
    sheet.set_freeze_panes(0, 0)?;
    let mut row = first;
    for goal in &program.goals {
        let of_goal: Vec<&IndicatorTotal> = program
            .indicators
            .iter()
            .zip(totals)
            .filter(|(i, _)| program.task(&i.task).is_some_and(|t| t.goal == goal.id))
            .map(|(_, t)| t)
            .collect();
        let complete = of_goal.iter().filter(|t| t.complete()).count();
        sheet.write_string_with_format(row, 0, format!("Cel {}", goal.id), &s.text)?;
        sheet.write_number_with_format(row, 1, complete as f64, &s.count)?;
        sheet.write_number_with_format(row, 2, (of_goal.len() - complete) as f64, &s.count)?;
        row += 1;
    }
    let mut chart = Chart::new(ChartType::ColumnStacked);
    chart.title().set_name("Kompletność danych według celów (liczba wskaźników)");
    for (col, name) in [(1u16, "Pełne dane"), (2u16, "Niepełne")] {
        chart.add_series().set_name(name).set_categories(("Wykresy", first, 0, row - 1, 0)).set_values((
            "Wykresy",
            first,
            col,
            row - 1,
            col,
        ));
    }
    chart.set_width(760).set_height(360);
    sheet.insert_chart(start, 4, &chart)?;
    Ok(())
}

fn tasks_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    summaries: &[TaskSummary],
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Cele i zadania")?;
    title(
        sheet,
        "Cele i zadania",
        "Wskaźniki różnych jednostek się nie sumują: tu widać, ile wskaźników ma pełne dane i ile liczb wpłynęło z oczekiwanych (bez „nie dotyczy”).",
        s,
    )?;
    let columns = [
        ("Cel / zadanie", 70.0),
        ("Wskaźniki", 10.0),
        ("Z pełnymi danymi", 12.0),
        ("Liczby podane", 11.0),
        ("Liczby oczekiwane", 12.0),
        ("Odsetek", 9.0),
    ];
    let first = headers(sheet, 3, &columns, s)?;
    let percent = s.count.clone().set_num_format("0%");
    for (i, summary) in summaries.iter().enumerate() {
        let row = first + i as u32;
        let (label, style) = match &summary.task {
            None => (
                format!(
                    "Cel {}. {}",
                    summary.goal,
                    program.goal(&summary.goal).map(|g| g.name.as_str()).unwrap_or_default()
                ),
                &s.goal,
            ),
            Some(task) => (
                format!("Zadanie {task}. {}", program.task(task).map(|t| t.name.as_str()).unwrap_or_default()),
                &s.text,
            ),
        };
        sheet.write_string_with_format(row, 0, &label, style)?;
        for (col, n) in
            [(1u16, summary.indicators), (2, summary.complete), (3, summary.reported), (4, summary.expected)]
        {
            sheet.write_number_with_format(row, col, n as f64, &s.count)?;
        }
        let excel_row = row + 1;
        let share = if summary.expected == 0 { 0.0 } else { summary.reported as f64 / summary.expected as f64 };
        sheet.write_formula_with_format(
            row,
            5,
            Formula::new(format!("=IF(E{excel_row}=0,\"\",D{excel_row}/E{excel_row})"))
                .set_result(crate::cell::format_number(share)),
            &percent,
        )?;
        sheet.set_row_height(row, wrapped_height(&[(&label, 70.0)], 10.0).max(15.0))?;
    }
    a4(sheet, false);
    Ok(())
}

/// Grosze as the złoty number a cell holds.
fn zl(grosze: Grosze) -> f64 {
    grosze as f64 / 100.0
}

/// A cached formula result as rust_xlsxwriter wants it.
fn cached(grosze: Grosze) -> String {
    format!("{:.2}", zl(grosze))
}

/// `Potrzeby` column widths; the row heights of wrapped text follow them.
const NEEDS_WIDTHS: [f64; 8] = [5.0, 46.0, 26.0, 9.0, 9.0, 15.0, 44.0, 30.0];

/// The looks of the category, subtotal and total rows of `Potrzeby`.
struct NeedsStyles {
    subtotal_text: Format,
    subtotal_amount: Format,
    total_amount: Format,
    total_text: Format,
    category_row: Format,
}

impl NeedsStyles {
    /// The looks derived from the sheet's cell styles.
    fn new(s: &Styles) -> NeedsStyles {
        NeedsStyles {
            subtotal_text: s.goal.clone(),
            subtotal_amount: s.amount.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)),
            total_amount: s.amount.clone().set_bold().set_background_color(Color::RGB(0xBDD7EE)),
            total_text: s.text.clone().set_bold().set_background_color(Color::RGB(0xBDD7EE)),
            category_row: s.header.clone().set_background_color(Color::RGB(0x2E75B6)),
        }
    }
}

/// Where writing `Potrzeby` has got to: the next row and the number of the last need.
struct NeedsCursor {
    row: u32,
    number: u32,
}

/// `Potrzeby`: the needs by category and goal, with subtotals and the grand total as formulas.
fn needs_sheet(sheet: &mut Worksheet, program: &Program, needs: &NeedsSummary, s: &Styles) -> Result<(), XlsxError> {
    sheet.set_name("Potrzeby")?;
    title(
        sheet,
        &format!("Potrzeby na rok {}", needs.year),
        "Potrzeby realizatorów (arkusze „Potrzeby”), koordynatora (definicja programu) i wynikające z danych; według kategorii i celów. Sumy są formułami.",
        s,
    )?;
    let titles = ["Lp.", "Potrzeba", "Zgłasza", "Zadanie", "Priorytet", "Szacowany koszt", "Uzasadnienie", "Źródło"];
    let columns: Vec<(&str, f64)> = titles.into_iter().zip(NEEDS_WIDTHS).collect();
    let first = headers(sheet, 3, &columns, s)?;
    let looks = NeedsStyles::new(s);
    let mut at = NeedsCursor { row: first, number: 0 };
    let mut category_cells = Vec::new();
    for group in needs.groups(program) {
        category_cells.push(needs_category(sheet, program, &group, &mut at, &looks, s)?);
    }
    let row = at.row;
    let label = format!(
        "OGÓŁEM potrzeby na rok {} ({} pozycji, w tym {} bez szacunku kosztu)",
        needs.year,
        needs.lines.len(),
        needs.uncosted()
    );
    sheet.merge_range(row, 0, row, 4, &label, &looks.total_text)?;
    let sum = if category_cells.is_empty() { "=0".to_string() } else { format!("={}", category_cells.join("+")) };
    sheet.write_formula_with_format(
        row,
        5,
        Formula::new(sum).set_result(cached(needs.total())),
        &looks.total_amount,
    )?;
    a4(sheet, true);
    Ok(())
}

/// Writes one category of needs: its title row, its goals, and its total as the sum of the
/// goals' subtotals; returns the cell of the total.
fn needs_category(
    sheet: &mut Worksheet,
    program: &Program,
    group: &super::needs::CategoryGroup,
    at: &mut NeedsCursor,
    looks: &NeedsStyles,
    s: &Styles,
) -> Result<String, XlsxError> {
    sheet.merge_range(at.row, 0, at.row, 7, &format!("Kategoria: {}", group.name), &looks.category_row)?;
    at.row += 1;
    let mut goal_cells = Vec::new();
    for goal in &group.goals {
        goal_cells.push(needs_goal(sheet, program, goal, at, looks, s)?);
    }
    let row = at.row;
    let label = if group.uncosted > 0 {
        format!("Razem kategoria „{}” (bez {} nieoszacowanych)", group.name, group.uncosted)
    } else {
        format!("Razem kategoria „{}”", group.name)
    };
    sheet.merge_range(row, 0, row, 4, &label, &looks.total_text)?;
    sheet.write_formula_with_format(
        row,
        5,
        Formula::new(format!("={}", goal_cells.join("+"))).set_result(cached(group.subtotal)),
        &looks.total_amount,
    )?;
    at.row += 2;
    Ok(format!("F{}", row + 1))
}

/// Writes the needs of one goal within a category: the goal's title row, each need, and the
/// subtotal as a formula; returns the cell of the subtotal.
fn needs_goal(
    sheet: &mut Worksheet,
    program: &Program,
    goal: &super::needs::GoalGroup,
    at: &mut NeedsCursor,
    looks: &NeedsStyles,
    s: &Styles,
) -> Result<String, XlsxError> {
    let goal_name = goal
        .goal
        .as_deref()
        .and_then(|g| program.goal(g))
        .map_or(NO_GOAL.to_string(), |g| format!("Cel {}. {}", g.id, g.name));
    sheet.merge_range(at.row, 0, at.row, 7, &goal_name, &s.goal)?;
    sheet.set_row_height(at.row, wrapped_height(&[(&goal_name, 150.0)], 10.0).max(15.0))?;
    at.row += 1;
    let first_line = at.row;
    for line in &goal.lines {
        at.number += 1;
        need_row(sheet, at.row, at.number, line, s)?;
        at.row += 1;
    }
    let row = at.row;
    let label = format!("Razem {}", goal.goal.as_deref().map_or("bez celu".to_string(), |g| format!("cel {g}")));
    sheet.merge_range(row, 0, row, 4, &label, &looks.subtotal_text)?;
    sheet.write_formula_with_format(
        row,
        5,
        Formula::new(format!("=SUM(F{}:F{})", first_line + 1, row)).set_result(cached(goal.subtotal)),
        &looks.subtotal_amount,
    )?;
    at.row += 1;
    Ok(format!("F{}", row + 1))
}

/// Writes need number `number` at `row`: what, who raised it, task, priority, cost,
/// justification and origin.
fn need_row(
    sheet: &mut Worksheet,
    row: u32,
    number: u32,
    line: &super::needs::NeedLine,
    s: &Styles,
) -> Result<(), XlsxError> {
    let who = match line.source {
        super::needs::NeedSource::Institution => format!("{} ({})", line.raised_by_name, line.raised_by),
        other => format!("{} ({})", line.raised_by_name, other.polish()),
    };
    let mut justification = line.justification.clone().unwrap_or_default();
    if let Some(c) = &line.category_text {
        justification = format!("{justification} [kategoria podana: {c}]").trim().to_string();
    }
    sheet.write_number_with_format(row, 0, number as f64, &s.count)?;
    let texts = [
        (1, line.description.clone()),
        (2, who),
        (3, line.task.clone().unwrap_or_default()),
        (4, line.priority.clone().unwrap_or_default()),
        (6, justification),
        (7, line.origin.clone()),
    ];
    for (col, text) in &texts {
        sheet.write_string_with_format(row, *col, text, &s.text)?;
    }
    match (line.cost, &line.cost_text) {
        (Some(cost), _) => sheet.write_number_with_format(row, 5, zl(cost), &s.amount)?,
        (None, Some(text)) => sheet.write_string_with_format(row, 5, text, &s.text)?,
        (None, None) => sheet.write_string_with_format(row, 5, "nie oszacowano", &s.text)?,
    };
    let wrapped: Vec<(&str, f64)> = texts.iter().map(|(c, t)| (t.as_str(), NEEDS_WIDTHS[*c as usize])).collect();
    sheet.set_row_height(row, wrapped_height(&wrapped, 10.0).max(15.0))?;
    Ok(())
}

/// `Piecza zastępcza`: totals by form of care, the verdict of the cross-check against the
/// reported figures, and every placement.
fn foster_care_sheet(
    sheet: &mut Worksheet,
    program: &Program,
    foster: &FosterCare,
    failures: &[CheckFailure],
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.set_name("Piecza zastępcza")?;
    foster_care_title(sheet, program, foster, s)?;
    let row = foster_totals_table(sheet, foster, 3, s)?;
    let row = foster_verdict(sheet, foster, failures, row, s)?;
    placements_table(sheet, foster, row, s)?;
    sheet.set_freeze_panes(4, 1)?;
    a4(sheet, true);
    Ok(())
}

/// Writes the title of `Piecza zastępcza` and the note on the co-financing rates.
fn foster_care_title(
    sheet: &mut Worksheet,
    program: &Program,
    foster: &FosterCare,
    s: &Styles,
) -> Result<(), XlsxError> {
    let (year, next) = (foster.year, foster.year + 1);
    let rates = program.foster_care.as_ref().map(|f| f.rates.clone()).unwrap_or_default();
    title(
        sheet,
        &format!("Współfinansowanie pieczy zastępczej {year} i prognoza na {next}"),
        &format!(
            "Udział gminy: {} % w 1. roku pobytu, {} % w 2., {} % od 3. (art. 191 ust. 9); pobyt rozpoczęty przed {} bez współfinansowania. Wydatki dzielone na dni pobytu w miesiącu, każdy dzień według miesięcznych wydatków obowiązujących w tym dniu.",
            rates.percent(1),
            rates.percent(2),
            rates.percent(3),
            rates.not_before.format("%d.%m.%Y")
        ),
        s,
    )
}

/// The bold, shaded look of the subtotal and total rows of the foster-care totals.
struct TotalStyles {
    amount: Format,
    count: Format,
    text: Format,
}

impl TotalStyles {
    /// The subtotal look derived from the sheet's cell styles.
    fn new(s: &Styles) -> TotalStyles {
        TotalStyles {
            amount: s.amount.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)),
            count: s.count.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)),
            text: s.text.clone().set_bold().set_background_color(Color::RGB(0xDDEBF7)),
        }
    }
}

/// Writes the totals by form of care from `row`: a header, each form with a subtotal per
/// kind of care, and the overall total; returns the row after a blank one.
fn foster_totals_table(sheet: &mut Worksheet, foster: &FosterCare, mut row: u32, s: &Styles) -> Result<u32, XlsxError> {
    let (year, next) = (foster.year, foster.year + 1);
    let bold = TotalStyles::new(s);
    let summary_headers = [
        "Forma pieczy",
        "Dzieci w pieczy",
        "Współfinansowane",
        &format!("Wydatki {year}") as &str,
        &format!("Udział gminy {year}"),
        &format!("Prognoza udziału {next}"),
    ];
    let summary_cols: [u16; 6] = [1, 2, 3, 8, 9, 10];
    for (title, col) in summary_headers.iter().zip(summary_cols) {
        sheet.write_string_with_format(row, col, *title, &s.header)?;
    }
    sheet.write_string_with_format(row, 0, "", &s.header)?;
    sheet.set_row_height(row, 27)?;
    row += 1;
    for kind in [CareKind::Family, CareKind::Institutional] {
        row = foster_kind_rows(sheet, foster, kind, row, &bold, s)?;
    }
    sheet.write_string_with_format(row, 1, "OGÓŁEM (dzieci liczone raz, także po zmianie formy pieczy)", &bold.text)?;
    sheet.write_number_with_format(row, 2, foster.this_year.children as f64, &bold.count)?;
    sheet.write_number_with_format(row, 3, foster.this_year.co_financed_children as f64, &bold.count)?;
    sheet.write_number_with_format(row, 8, zl(foster.this_year.cost()), &bold.amount)?;
    sheet.write_number_with_format(row, 9, zl(foster.this_year.share()), &bold.amount)?;
    sheet.write_number_with_format(row, 10, zl(foster.next_year.share()), &bold.amount)?;
    Ok(row + 2)
}

/// Writes one row per form of care of `kind` from `row`, then their subtotal as formulas;
/// returns the row after the subtotal.
fn foster_kind_rows(
    sheet: &mut Worksheet,
    foster: &FosterCare,
    kind: CareKind,
    mut row: u32,
    bold: &TotalStyles,
    s: &Styles,
) -> Result<u32, XlsxError> {
    let first = row;
    for (form, t) in foster.this_year.by_form.iter().filter(|(f, _)| f.kind() == kind) {
        let projected = foster.next_year.by_form.get(form).map_or(0, |n| n.share);
        sheet.write_string_with_format(row, 1, form.polish(), &s.text)?;
        sheet.write_number_with_format(row, 2, t.children as f64, &s.count)?;
        sheet.write_number_with_format(row, 3, t.co_financed_children as f64, &s.count)?;
        sheet.write_number_with_format(row, 8, zl(t.cost), &s.amount)?;
        sheet.write_number_with_format(row, 9, zl(t.share), &s.amount)?;
        sheet.write_number_with_format(row, 10, zl(projected), &s.amount)?;
        row += 1;
    }
    sheet.write_string_with_format(row, 1, format!("Razem {}", kind.polish()), &bold.text)?;
    let sum = |col: &str, value: f64, format: &Format, sheet: &mut Worksheet, c: u16| {
        let formula = if row > first { format!("=SUM({col}{}:{col}{})", first + 1, row) } else { "=0".to_string() };
        sheet
            .write_formula_with_format(row, c, Formula::new(formula).set_result(format!("{value}")), format)
            .map(|_| ())
    };
    let this_year = foster.this_year.kind(kind);
    sum("C", this_year.children as f64, &bold.count, sheet, 2)?;
    sum("D", this_year.co_financed_children as f64, &bold.count, sheet, 3)?;
    sum("I", zl(this_year.cost), &bold.amount, sheet, 8)?;
    sum("J", zl(this_year.share), &bold.amount, sheet, 9)?;
    sum("K", zl(foster.next_year.kind(kind).share), &bold.amount, sheet, 10)?;
    Ok(row + 1)
}

/// Writes at `row` what the cross-check against the reported figures found; returns the
/// row after a blank one.
fn foster_verdict(
    sheet: &mut Worksheet,
    foster: &FosterCare,
    failures: &[CheckFailure],
    row: u32,
    s: &Styles,
) -> Result<u32, XlsxError> {
    let checks: Vec<&CheckFailure> = failures.iter().filter(|f| f.check == FOSTER_CHECK).collect();
    let verdict = if !foster.reported() {
        "Brak tabeli umieszczeń: nie można porównać z wydatkami podanymi przez koordynatora.".to_string()
    } else if checks.is_empty() {
        "Kontrola WSPOLFIN: wydatki i liczba dzieci podane we wskaźnikach zgadzają się z wyliczeniem (±1 zł)."
            .to_string()
    } else {
        format!("Kontrola WSPOLFIN: {}", checks.iter().map(|c| c.message.as_str()).collect::<Vec<_>>().join(" "))
    };
    let style = if checks.is_empty() { &s.text } else { &s.warning };
    sheet.merge_range(row, 0, row, 12, &verdict, style)?;
    sheet.set_row_height(row, wrapped_height(&[(&verdict, 200.0)], 10.0).max(15.0))?;
    Ok(row + 2)
}

/// Writes every placement from `row`, under a header that also sets the column widths.
fn placements_table(sheet: &mut Worksheet, foster: &FosterCare, mut row: u32, s: &Styles) -> Result<(), XlsxError> {
    let (year, next) = (foster.year, foster.year + 1);
    let widths = [11.0, 40.0, 12.0, 12.0, 12.0, 9.0, 14.0, 9.0, 15.0, 15.0, 15.0, 30.0, 34.0];
    let columns = [
        "Kod dziecka",
        "Forma pieczy",
        "Umieszczenie",
        "Zakończenie",
        "Początek pobytu",
        "Rok pobytu 31.12",
        "Wydatki miesięczne",
        "Dni w roku",
        &format!("Wydatki {year}") as &str,
        &format!("Udział gminy {year}"),
        &format!("Prognoza {next}"),
        "Uwagi",
        "Źródło",
    ];
    for (col, (title, width)) in columns.iter().zip(widths).enumerate() {
        sheet.set_column_width(col as u16, width)?;
        sheet.write_string_with_format(row, col as u16, *title, &s.header)?;
    }
    sheet.set_row_height(row, 27)?;
    sheet.set_repeat_rows(row, row)?;
    row += 1;
    for line in &foster.lines {
        let r = line.record();
        let cells: Vec<&str> = line.records.iter().map(|r| &r["komorka"]).collect();
        let source = format!("{}, {}", &r["plik"], cells.join(", "));
        match &line.computed {
            Some(computed) => computed_placement_row(sheet, row, line, computed, source, s)?,
            None => unusable_placement_row(sheet, row, r, source, s)?,
        }
        row += 1;
    }
    Ok(())
}

/// Writes at `row` a usable placement: its dates, year of stay, days and shares; its
/// monthly expense as a number, or, when it changed, as text listing each amount with the
/// date it applies from ("2 400,00 zł; od 29.06.2025: 2 700,00 zł").
fn computed_placement_row(
    sheet: &mut Worksheet,
    row: u32,
    line: &super::foster::PlacementLine,
    computed: &super::foster::Computed,
    source: String,
    s: &Styles,
) -> Result<(), XlsxError> {
    let super::foster::Computed { placement: p, this_year: this, next_year: next_share } = computed;
    let mut notes: Vec<&str> = Vec::new();
    for r in &line.records {
        if !r["uwagi"].is_empty() && !notes.contains(&&r["uwagi"]) {
            notes.push(&r["uwagi"]);
        }
    }
    let mut notes = notes.join("; ");
    if this.no_share.is_some() {
        notes =
            format!("pobyt od {}: bez współfinansowania. {notes}", p.stay_began.format("%d.%m.%Y")).trim().to_string();
    }
    let date = |d: chrono::NaiveDate| d.format("%d.%m.%Y").to_string();
    let texts = [
        (0u16, p.child.clone()),
        (1, p.form.polish().to_string()),
        (2, date(p.placed)),
        (3, p.ended.map(date).unwrap_or_default()),
        (4, date(p.stay_began)),
        (11, notes),
        (12, source),
    ];
    for (col, text) in &texts {
        sheet.write_string_with_format(row, *col, text, &s.text)?;
    }
    match this.last_year_of_stay() {
        Some(n) => sheet.write_number_with_format(row, 5, n as f64, &s.count)?,
        None => sheet.write_string_with_format(row, 5, "", &s.text)?,
    };
    match p.monthly_costs.as_slice() {
        [only] => sheet.write_number_with_format(row, 6, zl(only.amount), &s.amount)?,
        costs => {
            let listed: Vec<String> = costs
                .iter()
                .enumerate()
                .map(|(i, c)| match i {
                    0 => polish::pln(c.amount),
                    _ => format!("od {}: {}", date(c.from), polish::pln(c.amount)),
                })
                .collect();
            sheet.write_string_with_format(row, 6, listed.join("; "), &s.text)?
        }
    };
    let days: u32 = this.months.iter().map(|m| m.days).sum();
    sheet.write_number_with_format(row, 7, days as f64, &s.count)?;
    sheet.write_number_with_format(row, 8, zl(this.cost), &s.amount)?;
    sheet.write_number_with_format(row, 9, zl(this.share), &s.amount)?;
    sheet.write_number_with_format(row, 10, zl(next_share.share), &s.amount)?;
    Ok(())
}

/// Writes at `row` a placement collect marked unusable, as typed and flagged as not counted.
fn unusable_placement_row(
    sheet: &mut Worksheet,
    row: u32,
    r: &crate::records::Record,
    source: String,
    s: &Styles,
) -> Result<(), XlsxError> {
    let cost = if r["wydatki_tekst"].is_empty() {
        r["wydatki_miesiecznie"].to_string()
    } else {
        r["wydatki_tekst"].to_string()
    };
    let texts = [
        (0u16, r["kod_dziecka"].to_string()),
        (1, r["forma_pieczy"].to_string()),
        (2, r["data_umieszczenia"].to_string()),
        (3, r["data_zakonczenia"].to_string()),
        (6, cost),
        (11, format!("NIE WLICZONO: wiersz niepoprawny (zob. ustalenia collect). {}", &r["uwagi"]).trim().to_string()),
        (12, source),
    ];
    for col in 0..13u16 {
        let text = texts.iter().find(|(c, _)| *c == col).map(|(_, t)| t.as_str()).unwrap_or("");
        sheet.write_string_with_format(row, col, text, &s.warning)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fraction typed for a whole count (flagged by collect) must not be rounded out of
    /// sight in Dane and Macierz: 69 518,09 is not shown as 69 518.
    #[test]
    fn a_fraction_in_a_whole_count_shows_its_decimals() {
        let s = styles();
        assert_eq!(s.number_shown(ValueType::WholeCount, 69_518.09), &s.decimal);
        assert_eq!(s.number_shown(ValueType::WholeCount, 69_518.0), &s.count);
        assert_eq!(s.number_shown(ValueType::Amount, 69_518.09), &s.amount);
    }

    /// A check that fails for many institutions is named once per indicator, with its count.
    #[test]
    fn a_check_failing_for_many_institutions_is_counted_not_repeated() {
        let failure = |check: &str, institution: usize, indicators: &[&str]| CheckFailure {
            check: check.into(),
            severity: CheckSeverity::Warning,
            institution: Some(format!("SP{institution}")),
            condition: String::new(),
            indicators: indicators.iter().map(|i| i.to_string()).collect(),
            message: String::new(),
            values: String::new(),
            sources: String::new(),
        };
        let mut failures: Vec<CheckFailure> = (0..1234).map(|i| failure("ZAKRES", i, &["C1.x"])).collect();
        failures.insert(5, failure("K04", 0, &["C1.x", "C1.y"]));
        let shown = failed_checks_by_indicator(&failures);
        assert_eq!(shown["C1.x"], "ZAKRES (1\u{a0}234×), K04");
        assert_eq!(shown["C1.y"], "K04");
        assert_eq!(shown.len(), 2);
    }

    /// A check that fails for the whole municipality lists every institution's value; at
    /// national scale that is far beyond what a cell holds, and the workbook must still be
    /// written, with the list cut and a note saying where the rest is.
    #[test]
    fn a_source_list_longer_than_a_cell_is_cut_not_fatal() {
        let sources: Vec<String> =
            (0..5_000).map(|i| format!("SP{i} C1.x = {i} (SP{i}.xlsx Wskaźniki!E{})", i + 7)).collect();
        let failure = CheckFailure {
            check: "K1".into(),
            severity: CheckSeverity::Error,
            institution: None,
            condition: "C1.x <= C1.y".into(),
            indicators: vec!["C1.x".into()],
            message: "za dużo".into(),
            values: "lewa strona 1, prawa strona 0".into(),
            sources: sources.join("; "),
        };
        assert!(failure.sources.chars().count() > 32_767);
        let mut book = crate::layout::workbook();
        checks_sheet(book.add_worksheet(), &[failure], &styles()).expect("the sheet is written");
        let bytes = book.save_to_buffer().expect("the workbook is saved");
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut strings = String::new();
        std::io::Read::read_to_string(&mut zip.by_name("xl/sharedStrings.xml").unwrap(), &mut strings).unwrap();
        assert!(strings.contains("SP0 C1.x = 0 (SP0.xlsx Wskaźniki!E7)"), "the list starts as written");
        assert!(strings.contains("[tekst skrócony; całość w arkuszu Dane]"), "and says it was cut");
        assert!(!strings.contains("SP4999 "), "the end is cut off");
    }
}
