//! Writes one institution's collection template: `Instrukcja`, `Wskaźniki`, `Działania`,
//! `Potrzeby` and the hidden `_gpwr` sheet, all in Polish, protected without a password.

use super::identity::{HIDDEN_SHEET, TemplateIdentity};
use super::layout::*;
use super::sheet::{Build, TemplateSheet};
use crate::file_name::safe_stem;
use crate::foster_care::CareForm;
use crate::layout::wrapped_height;
use crate::program::{Goal, Indicator, Institution, Period, Program, Settings, Task, ValueType};
use chrono::{Datelike, NaiveDate, Weekday};
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DataValidationRule, DocProperties, ExcelDateTime, Format,
    FormatAlign, FormatBorder, Formula, ProtectionOptions, XlsxError,
};
use std::collections::BTreeMap;

/// The template's file name: `GPWR_2025_SP3_Szkola_Podstawowa_nr_3.xlsx`, ASCII only.
pub fn template_file_name(program: &Program, institution: &Institution) -> String {
    format!(
        "GPWR_{}_{}_{}.xlsx",
        program.settings.report_year,
        safe_stem(&institution.id, 30),
        safe_stem(&institution.name, 60)
    )
}

/// Builds `institution`'s template as XLSX bytes. The output depends only on the inputs.
pub fn template_workbook(program: &Program, institution: &Institution) -> Result<Vec<u8>, XlsxError> {
    let identity = TemplateIdentity::for_institution(program, institution);
    let mut workbook = crate::layout::workbook();
    let settings = &program.settings;
    let mut properties = DocProperties::new()
        .set_title(format!("GPWR {} – {}", settings.report_year, institution.name))
        .set_subject(format!("Sprawozdanie z realizacji: {}", settings.program_name))
        .set_author(&settings.coordinating_unit)
        .set_company(&settings.municipality)
        .set_keywords("GPWR, wspieranie rodziny, sprawozdanie")
        // Fixed, so the same definition always yields the same bytes: January after the
        // reported year, when the campaign is sent out.
        .set_creation_datetime(&ExcelDateTime::from_ymd(settings.report_year as u16 + 1, 1, 1)?);
    for (key, value) in identity.pairs() {
        properties = properties.set_custom_property(format!("gpwr.{key}"), value.as_str());
    }
    workbook.set_properties(&properties);

    for sheet in template_sheets(program, institution, &identity, Build::Workbook)? {
        if let Some(worksheet) = sheet.into_worksheet() {
            workbook.push_worksheet(worksheet);
        }
    }
    workbook.save_to_buffer()
}

/// The texts `institution`'s template holds, sheet by sheet, exactly as a reader of
/// [`template_workbook`]'s bytes finds them (trimmed), without writing the workbook.
pub fn template_texts(program: &Program, institution: &Institution) -> TemplateTexts {
    let identity = TemplateIdentity::for_institution(program, institution);
    // Texts-only sheets touch no worksheet, so nothing in them can fail.
    let sheets = template_sheets(program, institution, &identity, Build::TextsOnly).unwrap_or_default();
    TemplateTexts {
        sheets: sheets.into_iter().map(|sheet| (sheet.name().to_string(), SheetTexts(sheet.into_texts()))).collect(),
    }
}

/// Every sheet of `institution`'s template, in workbook order.
fn template_sheets(
    program: &Program,
    institution: &Institution,
    identity: &TemplateIdentity,
    build: Build,
) -> Result<Vec<TemplateSheet>, XlsxError> {
    let styles = Styles::new();
    let lists = Lists::new(program, institution);
    let mut sheets = vec![
        instructions_sheet(program, institution, identity, &styles, build)?,
        indicators_sheet(program, institution, identity, &styles, build)?,
        activities_sheet(program, institution, &lists, &styles, build)?,
        needs_sheet(program, institution, &lists, &styles, build)?,
    ];
    let tables = program.tables_for(&institution.id);
    if !tables.is_empty() {
        sheets.insert(2, super::tables::tables_sheet(program, institution, identity, &tables, &styles, build)?);
    }
    if reports_placements(program, institution) {
        sheets.push(placements_sheet(program, institution, &lists, &styles, build)?);
    }
    sheets.push(hidden_sheet(identity, &lists, build)?);
    Ok(sheets)
}

/// What a template holds as text, by sheet (see [`template_texts`]).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct TemplateTexts {
    sheets: Vec<(String, SheetTexts)>,
}

impl TemplateTexts {
    /// The texts of the sheet called `name` (exactly).
    pub fn sheet(&self, name: &str) -> Option<&SheetTexts> {
        self.sheets.iter().find(|(n, _)| n == name).map(|(_, texts)| texts)
    }
}

/// One template sheet's texts by (row, column), zero-based, in row-major order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SheetTexts(BTreeMap<(u32, u32), String>);

impl SheetTexts {
    /// The text at `(row, col)`, if the template has one there.
    pub fn at(&self, row: u32, col: u32) -> Option<&str> {
        self.0.get(&(row, col)).map(String::as_str)
    }

    /// Every (row, column, text), in row-major order.
    pub fn iter(&self) -> impl Iterator<Item = (u32, u32, &str)> {
        self.0.iter().map(|((row, col), text)| (*row, *col, text.as_str()))
    }
}

/// The formats used across the template.
pub(super) struct Styles {
    pub(super) title: Format,
    pub(super) subtitle: Format,
    pub(super) text: Format,
    pub(super) label: Format,
    pub(super) stamp: Format,
    pub(super) header: Format,
    pub(super) goal: Format,
    pub(super) task: Format,
    pub(super) id: Format,
    pub(super) cell: Format,
    pub(super) part: Format,
    pub(super) input_text: Format,
    pub(super) input_choice: Format,
    pub(super) input_date: Format,
    pub(super) input_long_text: Format,
    pub(super) note: Format,
    pub(super) plain: Format,
    pub(super) hint: Format,
}

const INPUT_FILL: u32 = 0xFFF4C2;
const HEADER_FILL: u32 = 0x1F4E79;
const GOAL_FILL: u32 = 0x2E75B6;
const TASK_FILL: u32 = 0xDDEBF7;

impl Styles {
    /// Every format of the template.
    pub(super) fn new() -> Self {
        let base = Format::new().set_font_name("Calibri").set_font_size(10).set_align(FormatAlign::Top);
        let input = base
            .clone()
            .set_unlocked()
            .set_background_color(Color::RGB(INPUT_FILL))
            .set_border(FormatBorder::Thin)
            .set_border_color(Color::RGB(0xBFBFBF));
        Styles {
            title: base.clone().set_bold().set_font_size(14).set_font_color(Color::RGB(HEADER_FILL)),
            subtitle: base.clone().set_bold().set_font_size(11),
            text: base.clone().set_text_wrap(),
            label: base.clone().set_bold().set_text_wrap(),
            stamp: base.clone().set_font_size(7).set_font_color(Color::RGB(0x808080)),
            header: base
                .clone()
                .set_bold()
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(HEADER_FILL))
                .set_text_wrap()
                .set_border(FormatBorder::Thin),
            goal: base
                .clone()
                .set_bold()
                .set_font_size(11)
                .set_font_color(Color::White)
                .set_background_color(Color::RGB(GOAL_FILL))
                .set_text_wrap(),
            task: base.clone().set_bold().set_background_color(Color::RGB(TASK_FILL)).set_text_wrap(),
            id: base
                .clone()
                .set_font_size(8)
                .set_font_color(Color::RGB(0x595959))
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF)),
            cell: base.clone().set_text_wrap().set_border(FormatBorder::Thin).set_border_color(Color::RGB(0xBFBFBF)),
            part: base
                .clone()
                .set_text_wrap()
                .set_indent(2)
                .set_border(FormatBorder::Thin)
                .set_border_color(Color::RGB(0xBFBFBF)),
            input_text: input.clone().set_text_wrap().set_num_format("@"),
            input_choice: input.clone(),
            input_date: input.clone().set_num_format("dd.mm.yyyy"),
            input_long_text: input.set_text_wrap().set_num_format("@"),
            note: base.clone().set_italic().set_font_color(Color::RGB(0x595959)).set_text_wrap(),
            plain: Format::new().set_font_name("Calibri").set_font_size(10),
            hint: Format::new()
                .set_font_name("Calibri")
                .set_font_size(9)
                .set_italic()
                .set_font_color(Color::RGB(0x595959)),
        }
    }

    /// The value cell's format: number format by type.
    pub(super) fn value(&self, value_type: ValueType) -> Format {
        let input = self.input_choice.clone();
        match value_type {
            ValueType::WholeCount => input.set_num_format("#,##0"),
            ValueType::Amount => input.set_num_format("#,##0.00\\ \"zł\""),
            ValueType::Decimal => input.set_num_format("#,##0.0##"),
            ValueType::YesNo => input.set_align(FormatAlign::Center),
            ValueType::TaskStatus => input.set_text_wrap(),
        }
    }
}

/// The drop-down lists, kept on the hidden sheet so their length is not limited.
struct Lists {
    tasks: Vec<String>,
    categories: Vec<String>,
    care_forms: Vec<String>,
}

const LIST_TASKS_COL: u16 = 3;
const LIST_CATEGORIES_COL: u16 = 4;
const LIST_CARE_FORMS_COL: u16 = 5;

/// Whether `institution` reports foster-care placements (the definition names it).
pub fn reports_placements(program: &Program, institution: &Institution) -> bool {
    program.foster_care.as_ref().is_some_and(|f| f.reporter == institution.id)
}

impl Lists {
    fn new(program: &Program, institution: &Institution) -> Self {
        Lists {
            tasks: program.tasks_for(&institution.id).iter().map(|t| task_choice(&t.id, &t.name)).collect(),
            categories: program.need_categories.iter().map(|c| c.name.clone()).collect(),
            care_forms: if reports_placements(program, institution) {
                CareForm::ALL.iter().map(|f| f.polish().to_string()).collect()
            } else {
                vec![]
            },
        }
    }

    fn formula(col: u16, len: usize) -> Formula {
        let letter = crate::cell::column_letters(col as u32);
        Formula::new(format!("='{HIDDEN_SHEET}'!${letter}$2:${letter}${}", len + 1))
    }
}

/// A task as offered in drop-downs: `Z1.1 – Analiza sytuacji rodzin`; `collect` takes the id
/// before the dash. Long names are shortened: Excel shows list entries on one line.
pub(crate) fn task_choice(id: &str, name: &str) -> String {
    let short: String = name.chars().take(90).collect();
    let ellipsis = if name.chars().count() > 90 { "…" } else { "" };
    format!("{id} – {short}{ellipsis}")
}

/// The task id of a drop-down entry: `Z1.2` from `Z1.2 – Asysta rodzinna…`, `Z1.2.` or `Z1.2`.
pub fn task_id_of_choice(text: &str) -> &str {
    text.split_whitespace().next().unwrap_or(text).trim_end_matches('.')
}

/// The template sheets' protection: formats of rows and columns may change, nothing else.
pub(super) fn protection() -> ProtectionOptions {
    ProtectionOptions { format_columns: true, format_rows: true, ..ProtectionOptions::default() }
}

fn polish_weekday(date: NaiveDate) -> &'static str {
    match date.weekday() {
        Weekday::Mon => "poniedziałek",
        Weekday::Tue => "wtorek",
        Weekday::Wed => "środa",
        Weekday::Thu => "czwartek",
        Weekday::Fri => "piątek",
        Weekday::Sat => "sobota",
        Weekday::Sun => "niedziela",
    }
}

/// Column widths (characters) of `Instrukcja`.
const INSTRUCTION_WIDTHS: [f64; 2] = [24.0, 84.0];

/// Column widths (characters) of `Wskaźniki`, in the order of [`INDICATOR_HEADERS`].
const INDICATOR_WIDTHS: [f64; 7] = [16.0, 56.0, 11.0, 12.0, 14.0, 14.0, 32.0];

/// The `Instrukcja` sheet: what the form is, how to fill it in, who prepared it, and the
/// form's identifier.
fn instructions_sheet(
    program: &Program,
    institution: &Institution,
    identity: &TemplateIdentity,
    s: &Styles,
    build: Build,
) -> Result<TemplateSheet, XlsxError> {
    let settings = &program.settings;
    let mut sheet = TemplateSheet::new(SHEET_INSTRUCTIONS, build)?;
    sheet.set_active();
    sheet.set_column_width(0, INSTRUCTION_WIDTHS[0])?;
    sheet.set_column_width(1, INSTRUCTION_WIDTHS[1])?;
    sheet.set_screen_gridlines(false);
    sheet.a4(false);

    let year = settings.report_year;
    sheet.write_string_with_format(0, 0, format!("Sprawozdanie za rok {year}"), &s.title)?;
    sheet.write_string_with_format(1, 0, &settings.program_name, &s.subtitle)?;

    let mut row = write_instruction_facts(&mut sheet, &instruction_facts(program, institution), 3, s)?;
    row += 1;
    row = write_filling_steps(&mut sheet, &filling_steps(program, institution), row, s)?;
    row += 1;
    row = write_preparer_fields(&mut sheet, settings.report_year, row, s)?;

    row += 1;
    sheet.write_string_with_format(row, 0, "Identyfikator formularza (nie zmieniać):", &s.stamp)?;
    sheet.write_string_with_format(row + 1, 0, identity.stamp(), &s.stamp)?;
    sheet.protect_with_options(&protection());
    Ok(sheet)
}

/// The facts at the top of `Instrukcja`, as (label, value): who fills the form in for whom,
/// the period, the deadline, the contact, how much there is to fill in and the legal basis.
fn instruction_facts(program: &Program, institution: &Institution) -> Vec<(&'static str, String)> {
    let settings = &program.settings;
    let year = settings.report_year;
    let deadline = settings.return_deadline;
    let indicators: Vec<&Indicator> = program.indicators_for(&institution.id).collect();
    let required = indicators.iter().filter(|i| i.required).count();
    vec![
        ("Formularz dla", institution.name.clone()),
        ("Prosi o wypełnienie", format!("{}, {}", settings.coordinating_unit, settings.municipality)),
        ("Okres sprawozdawczy", format!("od 1 stycznia do 31 grudnia {year} r.")),
        ("Termin zwrotu", format!("{} ({})", deadline.format("%d.%m.%Y"), polish_weekday(deadline))),
        ("Kontakt", coordinator_contact(settings)),
        (
            "Do wypełnienia",
            format!(
                "{} (w tym wymaganych, oznaczonych *: {})",
                crate::polish::count(indicators.len(), "wskaźnik", "wskaźniki", "wskaźników"),
                required
            ),
        ),
        ("Podstawa", legal_basis(settings)),
    ]
}

/// The coordinator's name, e-mail and, when given, phone.
fn coordinator_contact(settings: &Settings) -> String {
    let mut contact = format!("{}, e-mail: {}", settings.coordinator, settings.coordinator_email);
    if let Some(phone) = &settings.coordinator_phone {
        contact.push_str(&format!(", tel. {phone}"));
    }
    contact
}

/// The statute requiring the report and, when given, the resolution adopting the programme.
fn legal_basis(settings: &Settings) -> String {
    let mut basis = String::from(
        "Art. 179 ust. 1 ustawy z dnia 9 czerwca 2011 r. o wspieraniu rodziny i systemie pieczy zastępczej: \
         roczne sprawozdanie z realizacji zadań z zakresu wspierania rodziny wraz z informacją o potrzebach.",
    );
    if let Some(resolution) = &settings.resolution {
        basis.push_str(&format!(" Program przyjęty: {resolution}."));
    }
    basis
}

/// Writes the facts as label/value rows from `row`, each tall enough for its text; returns
/// the row after them.
fn write_instruction_facts(
    sheet: &mut TemplateSheet,
    facts: &[(&str, String)],
    mut row: u32,
    s: &Styles,
) -> Result<u32, XlsxError> {
    for (label, value) in facts {
        sheet.write_string_with_format(row, 0, *label, &s.label)?;
        sheet.write_string_with_format(row, 1, value, &s.text)?;
        sheet.set_row_height(
            row,
            wrapped_height(&[(label, INSTRUCTION_WIDTHS[0]), (value, INSTRUCTION_WIDTHS[1])], 10.0),
        )?;
        row += 1;
    }
    Ok(row)
}

/// The numbered steps of „Jak wypełnić”; the placements step is empty for institutions
/// that report no placements.
fn filling_steps(program: &Program, institution: &Institution) -> [String; 10] {
    let settings = &program.settings;
    let deadline = settings.return_deadline;
    [
        format!("Arkusz „{SHEET_INDICATORS}”: wpisz wartości w żółte pola kolumny „{COL_VALUE}”. Wpisuj same liczby, bez słów „rodzin”, „osób” czy „zł” (np. 12, a nie „12 rodzin”)."),
        format!("Jeśli wskaźnik Państwa nie dotyczy albo nie macie danych, zostaw „{COL_VALUE}” pustą i wybierz z listy w kolumnie „{COL_NO_VALUE}”: „nie dotyczy” lub „brak danych”. Wpisz 0 tylko wtedy, gdy naprawdę było zero."),
        "„stan na 31.12” oznacza liczbę w ostatnim dniu roku; „w ciągu roku” oznacza łącznie przez cały rok (każdą rodzinę lub osobę licz raz).".to_string(),
        "Pod każdym zadaniem opisz krótko, co zrobiono: jakie formy wsparcia, dla kogo, z jakim skutkiem.".to_string(),
        format!("Arkusz „{SHEET_ACTIVITIES}”: wydarzenia, kampanie, projekty i zajęcia (zadanie z listy, nazwa, daty, liczba uczestników)."),
        format!("Arkusz „{SHEET_NEEDS}”: czego potrzeba w przyszłym roku, z kategorią i szacowanym kosztem, jeśli jest znany."),
        if reports_placements(program, institution) {
            format!("Arkusz „{SHEET_PLACEMENTS}”: dzieci z gminy w pieczy zastępczej (kod dziecka, forma pieczy, daty, miesięczne wydatki): na tej podstawie gmina wylicza swój udział i potrzeby na przyszły rok.")
        } else {
            String::new()
        },
        "Nie wpisuj danych osobowych: imion i nazwisk podopiecznych, numerów PESEL, adresów. Podajemy tylko liczby i opisy ogólne.".to_string(),
        format!("Nie zmieniaj nazw arkuszy ani kolumny „{COL_ID}”. Plik możesz zapisać pod dowolną nazwą, także jako .xls lub .ods (LibreOffice)."),
        format!("Wypełniony plik odeślij e-mailem na adres {} do dnia {}.", settings.coordinator_email, deadline.format("%d.%m.%Y")),
    ]
}

/// Writes „Jak wypełnić” and its non-empty steps, numbered, from `row`; returns the row
/// after them.
fn write_filling_steps(
    sheet: &mut TemplateSheet,
    steps: &[String],
    mut row: u32,
    s: &Styles,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, "Jak wypełnić", &s.subtitle)?;
    row += 1;
    for (i, step) in steps.iter().filter(|s| !s.is_empty()).enumerate() {
        sheet.write_string_with_format(row, 0, format!("{}.", i + 1), &s.label)?;
        sheet.write_string_with_format(row, 1, step, &s.text)?;
        sheet.set_row_height(row, wrapped_height(&[(step, INSTRUCTION_WIDTHS[1])], 10.0))?;
        row += 1;
    }
    Ok(row)
}

/// Writes „Osoba sporządzająca” and an input field per preparer detail from `row` (the date
/// checked to fall in or after `report_year`); returns the row after them.
fn write_preparer_fields(
    sheet: &mut TemplateSheet,
    report_year: i32,
    mut row: u32,
    s: &Styles,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(row, 0, "Osoba sporządzająca", &s.subtitle)?;
    row += 1;
    for label in PREPARER_LABELS {
        sheet.write_string_with_format(row, 0, label, &s.label)?;
        if label == "Data sporządzenia" {
            sheet.write_blank(row, 1, &s.input_date)?;
            let dv = DataValidation::new()
                .allow_date(DataValidationRule::GreaterThanOrEqualTo(ExcelDateTime::from_ymd(
                    report_year as u16,
                    1,
                    1,
                )?))
                .set_error_title("Niepoprawna data")?
                .set_error_message("Wpisz datę, np. 10.02.2026.")?;
            sheet.add_data_validation(row, 1, row, 1, &dv)?;
        } else {
            sheet.write_blank(row, 1, &s.input_text)?;
        }
        row += 1;
    }
    Ok(row)
}

/// Column of `Wartość` on `Wskaźniki` as written (readers find it by header, not by this).
const VALUE_COL: u16 = 4;

/// Where the header row of `Wskaźniki` is (zero-based); rows above it are title and hints.
const INDICATOR_HEADER_ROW: u32 = 3;

/// The `Wskaźniki` sheet: per goal and task of this institution, a row per indicator with
/// its value fields, then a field for describing what was done.
fn indicators_sheet(
    program: &Program,
    institution: &Institution,
    identity: &TemplateIdentity,
    s: &Styles,
    build: Build,
) -> Result<TemplateSheet, XlsxError> {
    let mut sheet = TemplateSheet::new(SHEET_INDICATORS, build)?;
    let columns = IndicatorColumns::new(program, institution);
    for (col, width) in columns.widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.a4(true);
    sheet.set_header(&format!(
        "&L&8{}&R&8{} – rok {}",
        program.settings.program_name, institution.name, program.settings.report_year
    ));
    write_indicators_heading(&mut sheet, program, institution, identity, columns.last_col, s)?;
    let no_value = no_value_validation()?;

    let mut row = INDICATOR_HEADER_ROW + 1;
    for goal in &program.goals {
        let tasks: Vec<_> = program.tasks_for(&institution.id).into_iter().filter(|t| t.goal == goal.id).collect();
        if tasks.is_empty() {
            continue;
        }
        write_goal_title(&mut sheet, goal, row, &columns, s)?;
        row += 1;
        for task in tasks {
            write_task_title(&mut sheet, task, row, &columns, s)?;
            row += 1;
            for indicator in program.listed_indicators_for(&institution.id).filter(|i| i.task == task.id) {
                write_indicator_row(&mut sheet, indicator, row, &columns, &no_value, s)?;
                row += 1;
            }
            if let Some(note) = tables_note(program, &institution.id, &task.id) {
                sheet.write_blank(row, 0, &s.id)?;
                sheet.merge_range(row, 1, row, columns.last_col, &note, &s.note)?;
                row += 1;
            }
            write_task_description(&mut sheet, task, row, columns.last_col, s)?;
            row += 1;
        }
    }
    sheet.protect_with_options(&protection());
    Ok(sheet)
}

/// The column widths of one institution's `Wskaźniki`, their sum and the last column.
struct IndicatorColumns {
    widths: [f64; 7],
    full_width: f64,
    last_col: u16,
}

impl IndicatorColumns {
    /// [`INDICATOR_WIDTHS`] with the `ID` column sized to this institution's ids.
    fn new(program: &Program, institution: &Institution) -> Self {
        let mut widths = INDICATOR_WIDTHS;
        widths[0] = id_column_width(program, institution);
        let full_width: f64 = widths.iter().sum();
        IndicatorColumns { widths, full_width, last_col: (INDICATOR_HEADERS.len() - 1) as u16 }
    }
}

/// Writes the title, the form's identifier, the filling note and the frozen header row.
fn write_indicators_heading(
    sheet: &mut TemplateSheet,
    program: &Program,
    institution: &Institution,
    identity: &TemplateIdentity,
    last_col: u16,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.merge_range(
        0,
        0,
        0,
        last_col,
        &format!("Wskaźniki za rok {} – {}", program.settings.report_year, institution.name),
        &s.title,
    )?;
    sheet.write_string_with_format(1, 0, identity.stamp(), &s.stamp)?;
    sheet.merge_range(
        2,
        0,
        2,
        last_col,
        &format!(
            "Wpisz liczby w żółte pola kolumny „{COL_VALUE}” (same liczby, bez słów). Brak wartości? Zostaw pole puste i wybierz „nie dotyczy” albo „brak danych” w kolumnie „{COL_NO_VALUE}”. * – wartość wymagana."
        ),
        &s.note,
    )?;
    sheet.set_row_height(2, 27)?;
    for (col, header) in INDICATOR_HEADERS.iter().enumerate() {
        sheet.write_string_with_format(INDICATOR_HEADER_ROW, col as u16, *header, &s.header)?;
    }
    sheet.set_row_height(INDICATOR_HEADER_ROW, 27)?;
    sheet.set_freeze_panes(INDICATOR_HEADER_ROW + 1, 0)?;
    sheet.set_repeat_rows(INDICATOR_HEADER_ROW, INDICATOR_HEADER_ROW)?;
    Ok(())
}

/// The drop-down of `Brak wartości`: „nie dotyczy” or „brak danych”.
fn no_value_validation() -> Result<DataValidation, XlsxError> {
    DataValidation::new()
        .allow_list_strings(&NO_VALUE_CHOICES)?
        .set_input_title("Gdy nie ma liczby")?
        .set_input_message("Wybierz „nie dotyczy” albo „brak danych” tylko wtedy, gdy pole „Wartość” zostaje puste.")?
        .set_error_title("Wybierz z listy")?
        .set_error_message("Dozwolone: „nie dotyczy” albo „brak danych”.")
}

/// Writes a goal's title row across B:G, so the `ID` column holds nothing but indicator and
/// description ids.
fn write_goal_title(
    sheet: &mut TemplateSheet,
    goal: &Goal,
    row: u32,
    columns: &IndicatorColumns,
    s: &Styles,
) -> Result<(), XlsxError> {
    let title = format!("Cel {}. {}", goal.id, goal.name);
    sheet.write_blank(row, 0, &s.goal)?;
    sheet.merge_range(row, 1, row, columns.last_col, &title, &s.goal)?;
    sheet.set_row_height(row, wrapped_height(&[(&title, (columns.full_width - columns.widths[0]) * 0.9)], 11.0))?;
    Ok(())
}

/// Writes a task's title row across B:G.
fn write_task_title(
    sheet: &mut TemplateSheet,
    task: &Task,
    row: u32,
    columns: &IndicatorColumns,
    s: &Styles,
) -> Result<(), XlsxError> {
    let title = format!("Zadanie {}. {}", task.id, task.name);
    sheet.write_blank(row, 0, &s.task)?;
    sheet.merge_range(row, 1, row, columns.last_col, &title, &s.task)?;
    sheet.set_row_height(row, wrapped_height(&[(&title, columns.full_width - columns.widths[0])], 10.0))?;
    Ok(())
}

/// Writes an indicator's row: id, name (with its hint), unit, period, and the value,
/// no-value and comment fields with their validations.
fn write_indicator_row(
    sheet: &mut TemplateSheet,
    indicator: &Indicator,
    row: u32,
    columns: &IndicatorColumns,
    no_value: &DataValidation,
    s: &Styles,
) -> Result<(), XlsxError> {
    let widths = &columns.widths;
    let title = if indicator.required { format!("{} *", indicator.label) } else { indicator.label.clone() };
    // A breakdown's parts sit indented under their whole.
    let label_format = if indicator.part_of.is_some() { &s.part } else { &s.cell };
    sheet.write_string_with_format(row, 0, &indicator.id, &s.id)?;
    // The hint is a second, smaller line: its height is estimated at its own size.
    let mut height = wrapped_height(&[(&title, widths[1]), (&indicator.unit, widths[2])], 10.0);
    match &indicator.hint {
        Some(hint) => {
            let hint_line = format!("\n{hint}");
            sheet.write_rich_string_with_format(
                row,
                1,
                &[(&s.plain, title.as_str()), (&s.hint, hint_line.as_str())],
                label_format,
            )?;
            height += wrapped_height(&[(hint, widths[1] * 10.0 / 8.0)], 8.0) - 3.0;
        }
        None => sheet.write_string_with_format(row, 1, &title, label_format).map(|_| ())?,
    }
    sheet.write_string_with_format(row, 2, &indicator.unit, &s.cell)?;
    sheet.write_string_with_format(row, 3, indicator.period.polish(), &s.cell)?;
    sheet.set_row_height(row, height.max(15.0))?;
    sheet.write_blank(row, VALUE_COL, &s.value(indicator.value_type))?;
    sheet.add_data_validation_with((row, VALUE_COL), || value_validation(indicator, row, VALUE_COL))?;
    sheet.write_blank(row, 5, &s.input_choice)?;
    sheet.add_data_validation(row, 5, row, 5, no_value)?;
    sheet.write_blank(row, 6, &s.input_text)?;
    Ok(())
}

/// The note on `Wskaźniki` under a task whose numbers `institution_id` gives in the
/// `Tabele` sheet: `Liczby do tego zadania wpisz w arkuszu „Tabele”: Tabela Nr 1.`
pub fn tables_note(program: &Program, institution_id: &str, task_id: &str) -> Option<String> {
    // The tables of the institution's own cells (indexed) in this task.
    let in_task: std::collections::HashSet<&str> = program
        .indicators_for(institution_id)
        .filter(|i| i.task == task_id)
        .filter_map(|i| i.cell.as_ref().map(|c| c.table.as_str()))
        .collect();
    if in_task.is_empty() {
        return None;
    }
    let numbers: Vec<String> = program
        .tables_for(institution_id)
        .iter()
        .filter(|t| in_task.contains(t.id.as_str()))
        .map(|t| format!("Tabela Nr {}", t.number))
        .collect();
    (!numbers.is_empty())
        .then(|| format!("Liczby do tego zadania wpisz w arkuszu „{SHEET_TABLES}”: {}.", numbers.join(", ")))
}

/// Writes a task's description row: the id cell says which task, the text goes under
/// `Wartość`, merged to the last column.
fn write_task_description(
    sheet: &mut TemplateSheet,
    task: &Task,
    row: u32,
    last_col: u16,
    s: &Styles,
) -> Result<(), XlsxError> {
    sheet.write_string_with_format(row, 0, format!("{DESCRIPTION_ID_PREFIX}{}", task.id), &s.id)?;
    sheet.write_string_with_format(
        row,
        1,
        "Opis realizacji zadania: co zrobiono, dla kogo, z jakim skutkiem (krótko, bez danych osobowych)",
        &s.note,
    )?;
    sheet.write_blank(row, 2, &s.cell)?;
    sheet.write_blank(row, 3, &s.cell)?;
    sheet.merge_range(row, 4, row, last_col, "", &s.input_long_text)?;
    let description = DataValidation::new()
        .allow_text_length(DataValidationRule::LessThanOrEqualTo(3000))
        .set_input_title("Opis realizacji zadania")?
        .set_input_message("Kilka zdań: formy wsparcia, odbiorcy, efekty. Bez imion, nazwisk i numerów PESEL.")?
        .set_error_title("Za długi opis")?
        .set_error_message("Opis może mieć najwyżej 3000 znaków. Szczegóły wpisz w arkuszu „Działania”.")?;
    sheet.add_data_validation(row, 4, row, last_col, &description)?;
    sheet.set_row_height(row, 60)?;
    Ok(())
}

/// The width of the `ID` column: wide enough for the longest indicator or description id
/// this institution's sheet holds (ids are written in an 8-point font).
fn id_column_width(program: &Program, institution: &Institution) -> f64 {
    let longest = program
        .indicators_for(&institution.id)
        .map(|i| i.id.chars().count())
        .chain(program.tasks_for(&institution.id).iter().map(|t| DESCRIPTION_ID_PREFIX.len() + t.id.chars().count()))
        .max()
        .unwrap_or(0);
    (longest as f64 * 0.8 + 2.0).clamp(INDICATOR_WIDTHS[0], 40.0)
}

/// Input message, error message and rule for a value cell, by type and bounds.
pub(super) fn value_validation(indicator: &Indicator, row: u32, col: u16) -> Result<DataValidation, XlsxError> {
    let fmt = crate::polish::number;
    let lower = indicator.min.unwrap_or(0.0);
    let range_text = match indicator.max {
        Some(hi) => format!("od {} do {}", fmt(lower), fmt(hi)),
        None => format!("nie mniejsza niż {}", fmt(lower)),
    };
    let (title, rule_text, dv) = match indicator.value_type {
        ValueType::WholeCount => {
            let lo = lower.ceil() as i32;
            let rule = match indicator.max {
                Some(hi) => DataValidationRule::Between(lo, hi.floor() as i32),
                None => DataValidationRule::GreaterThanOrEqualTo(lo),
            };
            (
                "Liczba całkowita",
                format!("liczba całkowita {range_text}, np. 12"),
                DataValidation::new().allow_whole_number(rule),
            )
        }
        ValueType::Decimal => {
            let rule = match indicator.max {
                Some(hi) => DataValidationRule::Between(lower, hi),
                None => DataValidationRule::GreaterThanOrEqualTo(lower),
            };
            ("Liczba", format!("liczba {range_text}, np. 12,5"), DataValidation::new().allow_decimal_number(rule))
        }
        ValueType::Amount => {
            // Decimal rules cannot require two decimals, so the amount rule is a formula
            // relative to this very cell.
            let cell = format!("{}{}", crate::cell::column_letters(col as u32), row + 1);
            let mut formula = format!("=AND(ISNUMBER({cell}),{cell}>={lower},ROUND({cell},2)={cell}");
            if let Some(hi) = indicator.max {
                formula.push_str(&format!(",{cell}<={hi}"));
            }
            formula.push(')');
            (
                "Kwota w zł",
                format!("kwota w złotych {range_text}, najwyżej 2 miejsca po przecinku, np. 1250,50"),
                DataValidation::new().allow_custom(Formula::new(formula)),
            )
        }
        ValueType::YesNo => (
            "Tak albo nie",
            "„tak” albo „nie” z listy".to_string(),
            DataValidation::new().allow_list_strings(&["tak", "nie"])?,
        ),
        ValueType::TaskStatus => (
            "Stan realizacji zadania",
            "stan z listy: zrealizowano, w trakcie (także gdy zadanie jest stałe), nie zrealizowano albo nie dotyczy"
                .to_string(),
            DataValidation::new().allow_list_strings(&crate::program::TaskStatus::CHOICES)?,
        ),
    };
    let mut input = format!("Wpisz: {rule_text}. {}.", indicator.period.polish_hint());
    if let Some(hint) = &indicator.hint {
        input.push(' ');
        input.push_str(hint);
    }
    let error = match indicator.value_type {
        ValueType::TaskStatus => format!("Wybierz {rule_text}."),
        // A table has no column for a reason: it is typed in the cell, which Excel allows
        // after a warning.
        _ if indicator.cell.is_some() => format!(
            "Tu wpisz {rule_text}, bez słów i jednostek. Gdy liczby nie ma, wpisz w tę komórkę „nie dotyczy” albo „brak danych” i wybierz „Tak”."
        ),
        _ => format!(
            "Tu wpisz {rule_text}, bez słów i jednostek. Gdy nie ma wartości, zostaw puste i wybierz „nie dotyczy” lub „brak danych” w kolumnie obok."
        ),
    };
    let style =
        if indicator.cell.is_some() { DataValidationErrorStyle::Warning } else { DataValidationErrorStyle::Stop };
    dv.set_error_style(style)
        .set_input_title(title)?
        .set_input_message(truncate_chars(&input, 255))?
        .set_error_title("Niepoprawna wartość")?
        .set_error_message(truncate_chars(&error, 255))
}

fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut t: String = text.chars().take(max - 1).collect();
    t.push('…');
    t
}

impl Period {
    /// A one-line explanation for input messages.
    fn polish_hint(self) -> &'static str {
        match self {
            Period::Flow => "Łącznie w ciągu roku",
            Period::Stock => "Stan w dniu 31 grudnia",
        }
    }
}

/// The common frame of the table sheets (`Działania`, `Potrzeby`, `Piecza zastępcza`): title
/// and note across the columns, the header row (frozen, repeated when printed, the first
/// `frozen_columns` columns kept in view) and `rows` blank input rows formatted per column.
/// Returns the sheet and its first and last input row.
#[allow(clippy::too_many_arguments)]
fn input_table(
    name: &str,
    title: &str,
    note: &str,
    headers: &[&str],
    widths: &[f64],
    formats: &[&Format],
    rows: u32,
    frozen_columns: u16,
    s: &Styles,
    build: Build,
) -> Result<(TemplateSheet, u32, u32), XlsxError> {
    let mut sheet = TemplateSheet::new(name, build)?;
    for (col, width) in widths.iter().enumerate() {
        sheet.set_column_width(col as u16, *width)?;
    }
    sheet.a4(true);
    let last_col = (headers.len() - 1) as u16;
    sheet.merge_range(0, 0, 0, last_col, title, &s.title)?;
    sheet.merge_range(1, 0, 1, last_col, note, &s.note)?;
    sheet.set_row_height(1, wrapped_height(&[(note, widths.iter().sum())], 10.0).max(27.0))?;
    let header_row = 2;
    for (col, header) in headers.iter().enumerate() {
        sheet.write_string_with_format(header_row, col as u16, *header, &s.header)?;
    }
    sheet.set_row_height(header_row, 27)?;
    sheet.set_freeze_panes(header_row + 1, frozen_columns)?;
    sheet.set_repeat_rows(header_row, header_row)?;
    let (first, last) = (header_row + 1, header_row + rows);
    for (col, format) in formats.iter().enumerate() {
        sheet.blank_column(first, last, col as u16, format)?;
    }
    Ok((sheet, first, last))
}

fn activities_sheet(
    program: &Program,
    institution: &Institution,
    lists: &Lists,
    s: &Styles,
    build: Build,
) -> Result<TemplateSheet, XlsxError> {
    let year = program.settings.report_year;
    let whole_count = s.value(ValueType::WholeCount);
    let (mut sheet, first, last) = input_table(
        SHEET_ACTIVITIES,
        &format!("Działania w roku {year} – {}", institution.name),
        "Wydarzenia, kampanie, projekty, zajęcia i szkolenia: jedno działanie w wierszu. Zadanie wybierz z listy; datę wpisz jako dd.mm.rrrr; „Data do” tylko dla działań trwających dłużej niż jeden dzień.",
        &ACTIVITY_HEADERS,
        &[34.0, 40.0, 12.0, 12.0, 12.0, 44.0],
        &[&s.input_choice, &s.input_text, &s.input_date, &s.input_date, &whole_count, &s.input_text],
        ACTIVITY_ROWS,
        0,
        s,
        build,
    )?;
    if !lists.tasks.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(Lists::formula(LIST_TASKS_COL, lists.tasks.len()))
            .set_input_title("Zadanie programu")?
            .set_input_message("Wybierz z listy zadanie, w ramach którego prowadzono działanie.")?
            .set_error_title("Wybierz z listy")?
            .set_error_message("Wybierz zadanie z listy rozwijanej.")?;
        sheet.add_data_validation(first, 0, last, 0, &dv)?;
    }
    let (jan1, dec31) = (ExcelDateTime::from_ymd(year as u16, 1, 1)?, ExcelDateTime::from_ymd(year as u16, 12, 31)?);
    let date_dv = DataValidation::new()
        .allow_date(DataValidationRule::Between(jan1, dec31))
        .set_input_title("Data")?
        .set_input_message(format!("Data w roku {year}, np. 15.06.{year}."))?
        .set_error_title("Data spoza roku")?
        .set_error_message(format!("Wpisz datę z roku sprawozdawczego {year} w postaci dd.mm.rrrr."))?;
    sheet.add_data_validation(first, 2, last, 3, &date_dv)?;
    let people_dv = DataValidation::new()
        .allow_whole_number(DataValidationRule::GreaterThanOrEqualTo(0))
        .set_input_title("Liczba uczestników")?
        .set_input_message("Sama liczba osób, np. 26. Jeśli nie liczono, zostaw puste.")?
        .set_error_title("Niepoprawna liczba")?
        .set_error_message("Wpisz liczbę całkowitą nie mniejszą niż 0, bez słów.")?;
    sheet.add_data_validation(first, 4, last, 4, &people_dv)?;
    sheet.protect_with_options(&protection());
    Ok(sheet)
}

fn needs_sheet(
    program: &Program,
    institution: &Institution,
    lists: &Lists,
    s: &Styles,
    build: Build,
) -> Result<TemplateSheet, XlsxError> {
    let next_year = program.settings.report_year + 1;
    let amount = s.value(ValueType::Amount);
    let (mut sheet, first, last) = input_table(
        SHEET_NEEDS,
        &format!("Potrzeby na rok {next_year} – {}", institution.name),
        "Czego potrzeba, by lepiej wspierać rodziny w przyszłym roku: jedna potrzeba w wierszu. Koszt wpisz w złotych, jeśli jest znany (same liczby); zadanie jest nieobowiązkowe.",
        &NEED_HEADERS,
        &[46.0, 26.0, 30.0, 15.0, 10.0, 40.0],
        &[&s.input_long_text, &s.input_choice, &s.input_choice, &amount, &s.input_choice, &s.input_long_text],
        NEED_ROWS,
        0,
        s,
        build,
    )?;
    if !lists.categories.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(Lists::formula(LIST_CATEGORIES_COL, lists.categories.len()))
            .set_error_title("Wybierz z listy")?
            .set_error_message("Wybierz kategorię z listy rozwijanej.")?;
        sheet.add_data_validation(first, 1, last, 1, &dv)?;
    }
    if !lists.tasks.is_empty() {
        let dv = DataValidation::new()
            .allow_list_formula(Lists::formula(LIST_TASKS_COL, lists.tasks.len()))
            .set_error_title("Wybierz z listy")?
            .set_error_message("Wybierz zadanie z listy rozwijanej albo zostaw puste.")?;
        sheet.add_data_validation(first, 2, last, 2, &dv)?;
    }
    let cost_dv = DataValidation::new()
        .allow_custom(Formula::new(format!("=AND(ISNUMBER(D{n}),D{n}>=0,ROUND(D{n},2)=D{n})", n = first + 1)))
        .set_input_title("Szacowany koszt")?
        .set_input_message("Kwota w złotych, np. 12500 albo 12500,50. Bez „zł”.")?
        .set_error_title("Niepoprawna kwota")?
        .set_error_message(
            "Wpisz kwotę w złotych (liczba nie mniejsza niż 0, najwyżej 2 miejsca po przecinku), bez „zł”.",
        )?;
    sheet.add_data_validation(first, 3, last, 3, &cost_dv)?;
    let priority_dv = DataValidation::new()
        .allow_list_strings(&PRIORITIES)?
        .set_error_title("Wybierz z listy")?
        .set_error_message("Priorytet: wysoki, średni albo niski.")?;
    sheet.add_data_validation(first, 4, last, 4, &priority_dv)?;
    sheet.protect_with_options(&protection());
    Ok(sheet)
}

fn placements_sheet(
    program: &Program,
    institution: &Institution,
    lists: &Lists,
    s: &Styles,
    build: Build,
) -> Result<TemplateSheet, XlsxError> {
    let year = program.settings.report_year;
    let rates = program.foster_care.as_ref().map(|f| f.rates.clone()).unwrap_or_default();
    let note = format!(
        "Jeden wiersz na umieszczenie: każde dziecko z gminy ({}), które w roku {year} przebywało w pieczy zastępczej choćby jeden dzień. \
         Zamiast imienia i nazwiska wpisz kod (np. D01); nie wpisuj danych osobowych ani numeru PESEL. \
         Gdy dziecko zmieniło formę pieczy, wpisz dwa wiersze z tym samym kodem. \
         „Data zakończenia” to ostatni dzień pobytu; zostaw pustą, jeśli pobyt trwa. \
         „Miesięczne wydatki” to koszt opieki i wychowania dziecka za pełny miesiąc; gmina współfinansuje go w 1. roku pobytu w {}%, w 2. w {}%, od 3. w {}%.",
        program.settings.municipality,
        rates.percent(1),
        rates.percent(2),
        rates.percent(3),
    );
    let amount = s.value(ValueType::Amount);
    let (mut sheet, first, last) = input_table(
        SHEET_PLACEMENTS,
        &format!("Dzieci z gminy w pieczy zastępczej w roku {year} – {}", institution.name),
        &note,
        &PLACEMENT_HEADERS,
        &[12.0, 44.0, 14.0, 14.0, 16.0, 40.0, 16.0],
        &[&s.input_text, &s.input_choice, &s.input_date, &s.input_date, &amount, &s.input_long_text, &s.input_date],
        PLACEMENT_ROWS,
        1,
        s,
        build,
    )?;
    let n = first + 1;
    let code_dv = DataValidation::new()
        .allow_custom(Formula::new(format!("=AND(LEN(A{n})<=10,ISERROR(VALUE(A{n})))")))
        .set_input_title("Kod dziecka")?
        .set_input_message("Kod, np. D01 (litery i cyfry, najwyżej 10 znaków). Bez imienia, nazwiska i PESEL.")?
        .set_error_title("Tylko kod dziecka")?
        .set_error_message(
            "Wpisz kod z literą, np. D01, najwyżej 10 znaków. Nie wpisuj imienia, nazwiska ani numeru PESEL.",
        )?;
    sheet.add_data_validation(first, 0, last, 0, &code_dv)?;
    let form_dv = DataValidation::new()
        .allow_list_formula(Lists::formula(LIST_CARE_FORMS_COL, lists.care_forms.len()))
        .set_input_title("Forma pieczy")?
        .set_input_message("Wybierz z listy formę pieczy zastępczej.")?
        .set_error_title("Wybierz z listy")?
        .set_error_message("Wybierz formę pieczy z listy rozwijanej.")?;
    sheet.add_data_validation(first, 1, last, 1, &form_dv)?;
    placement_money_and_date_validations(&mut sheet, year, first, last)?;
    sheet.protect_with_options(&protection());
    Ok(sheet)
}

/// The validations of the dates and the monthly expense on `Piecza zastępcza`, rows
/// `first..=last`.
fn placement_money_and_date_validations(
    sheet: &mut TemplateSheet,
    year: i32,
    first: u32,
    last: u32,
) -> Result<(), XlsxError> {
    let n = first + 1;
    let (earliest, dec31) = (ExcelDateTime::from_ymd(1990, 1, 1)?, ExcelDateTime::from_ymd(year as u16, 12, 31)?);
    let placed_dv = DataValidation::new()
        .allow_date(DataValidationRule::Between(earliest, dec31.clone()))
        .set_input_title("Data umieszczenia")?
        .set_input_message("Pierwszy dzień pobytu w tej formie pieczy, np. 15.03.2022.")?
        .set_error_title("Niepoprawna data")?
        .set_error_message(format!("Wpisz datę nie późniejszą niż 31.12.{year}, w postaci dd.mm.rrrr."))?;
    sheet.add_data_validation(first, 2, last, 2, &placed_dv)?;
    let ended_dv = DataValidation::new()
        .allow_custom(Formula::new(format!("=AND(ISNUMBER(D{n}),D{n}>=C{n},YEAR(D{n})>={year})")))
        .set_input_title("Data zakończenia")?
        .set_input_message(format!(
            "Ostatni dzień pobytu, jeśli zakończył się w {year} r. albo jest już znany; puste, jeśli pobyt trwa."
        ))?
        .set_error_title("Niepoprawna data")?
        .set_error_message(format!(
            "Wpisz datę nie wcześniejszą niż data umieszczenia i nie wcześniejszą niż 1.01.{year}."
        ))?;
    sheet.add_data_validation(first, 3, last, 3, &ended_dv)?;
    let cost_dv = DataValidation::new()
        .allow_custom(Formula::new(format!("=AND(ISNUMBER(E{n}),E{n}>=0,E{n}<=100000,ROUND(E{n},2)=E{n})")))
        .set_input_title("Miesięczne wydatki")?
        .set_input_message("Koszt za pełny miesiąc w złotych, np. 3100 albo 3100,50. Bez „zł”.")?
        .set_error_title("Niepoprawna kwota")?
        .set_error_message("Wpisz kwotę w złotych od 0 do 100 000, najwyżej 2 miejsca po przecinku, bez „zł”.")?;
    sheet.add_data_validation(first, 4, last, 4, &cost_dv)?;
    let next = year + 1;
    let from_dv = DataValidation::new()
        .allow_custom(Formula::new(format!(
            "=AND(ISNUMBER(G{n}),G{n}>=C{n},OR(D{n}=\"\",G{n}<=D{n}),YEAR(G{n})<={next})"
        )))
        .set_input_title("Wydatki obowiązują od")?
        .set_input_message(
            "Tylko przy zmianie miesięcznych wydatków: dopisz wiersz z tym samym kodem, formą i datą umieszczenia, nową kwotą i tu datą, od której obowiązuje. Puste = od daty umieszczenia.",
        )?
        .set_error_title("Niepoprawna data")?
        .set_error_message(format!(
            "Wpisz datę nie wcześniejszą niż data umieszczenia, nie późniejszą niż data zakończenia i nie późniejszą niż 31.12.{next}, w postaci dd.mm.rrrr."
        ))?;
    sheet.add_data_validation(first, 6, last, 6, &from_dv)?;
    Ok(())
}

fn hidden_sheet(identity: &TemplateIdentity, lists: &Lists, build: Build) -> Result<TemplateSheet, XlsxError> {
    let mut sheet = TemplateSheet::new(HIDDEN_SHEET, build)?;
    sheet.write_string(0, 0, "GPWR: dane techniczne formularza, nie zmieniać")?;
    for (i, (key, value)) in identity.pairs().iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, *key)?;
        sheet.write_string(i as u32 + 1, 1, value)?;
    }
    sheet.write_string(0, LIST_TASKS_COL, "zadania")?;
    for (i, task) in lists.tasks.iter().enumerate() {
        sheet.write_string(i as u32 + 1, LIST_TASKS_COL, task)?;
    }
    sheet.write_string(0, LIST_CATEGORIES_COL, "kategorie")?;
    for (i, category) in lists.categories.iter().enumerate() {
        sheet.write_string(i as u32 + 1, LIST_CATEGORIES_COL, category)?;
    }
    if !lists.care_forms.is_empty() {
        sheet.write_string(0, LIST_CARE_FORMS_COL, "formy pieczy")?;
        for (i, form) in lists.care_forms.iter().enumerate() {
            sheet.write_string(i as u32 + 1, LIST_CARE_FORMS_COL, form)?;
        }
    }
    sheet.set_hidden();
    sheet.protect_with_options(&protection());
    Ok(sheet)
}
