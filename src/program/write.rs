//! Writes a programme definition workbook from plain tables: header styling, filters,
//! drop-down lists on every choice column and explanations of the settings, so the
//! coordinator edits it comfortably in Excel or LibreOffice.

use super::sheets;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationErrorStyle, DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Worksheet, XlsxError,
};

/// One sheet as plain text: its name, its header row and its data rows.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetTable {
    /// Sheet name.
    pub name: String,
    /// Column headers.
    pub headers: Vec<String>,
    /// Data rows, each as long as `headers` (shorter rows are padded with empty cells).
    pub rows: Vec<Vec<String>>,
}

impl SheetTable {
    /// Parses tab-separated text whose first line is the header row.
    pub fn from_tsv(name: &str, tsv: &str) -> SheetTable {
        let mut lines = tsv.lines().filter(|l| !l.trim().is_empty());
        let headers = lines.next().unwrap_or_default().split('\t').map(|h| h.trim().to_string()).collect();
        let rows = lines.map(|l| l.split('\t').map(|c| c.trim().to_string()).collect()).collect();
        SheetTable { name: name.to_string(), headers, rows }
    }

    /// The column index of `header`.
    pub fn column(&self, header: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == header)
    }
}

/// Explanations shown next to each setting of the key/value sheets.
const SETTING_NOTES: [(&str, &str); 26] = [
    (
        "Identyfikator programu",
        "Krótki, stały identyfikator wpisywany do formularzy (litery bez polskich znaków, cyfry, - _ .). Nie zmieniaj w trakcie zbierania danych.",
    ),
    ("Gmina", "Pełna nazwa gminy."),
    ("Nazwa programu", "Nazwa programu, jak w uchwale."),
    ("Lata programu", "Np. 2024-2027."),
    ("Uchwała", "Uchwała rady, która przyjęła program (nieobowiązkowe)."),
    ("Jednostka koordynująca", "Ośrodek koordynujący (MOPS/OPS/GOPS)."),
    ("Koordynator", "Osoba, do której instytucje odsyłają formularze i dzwonią z pytaniami."),
    ("E-mail koordynatora", "Adres, na który instytucje odsyłają formularze."),
    ("Telefon koordynatora", "Nieobowiązkowe."),
    ("Rok sprawozdawczy", "Rok, którego dotyczą dane."),
    ("Termin zwrotu", "Data, do której instytucje odsyłają formularze."),
    (
        "Instytucja prowadząca pieczę",
        "Identyfikator instytucji (zwykle PCPR), której formularz dostaje tabelę umieszczeń dzieci w pieczy zastępczej.",
    ),
    ("Udział gminy w 1. roku pobytu (%)", "Art. 191 ust. 9 ustawy: 10."),
    ("Udział gminy w 2. roku pobytu (%)", "Art. 191 ust. 9 ustawy: 30."),
    ("Udział gminy od 3. roku pobytu (%)", "Art. 191 ust. 9 ustawy: 50 (w trzecim i kolejnych latach)."),
    (
        "Współfinansowanie umieszczeń od",
        "Pobyt rozpoczęty przed tą datą nie jest współfinansowany (ustawowo 1.01.2012).",
    ),
    (
        "Wskaźnik: wydatki gminy ogółem",
        "Wskaźnik, w którym MOPS podaje wydatki na współfinansowanie; gpwr porównuje go z wyliczeniem z tabeli umieszczeń.",
    ),
    ("Wskaźnik: wydatki na pieczę rodzinną", "Jak wyżej, dla rodzinnej pieczy zastępczej (nieobowiązkowe)."),
    ("Wskaźnik: wydatki na pieczę instytucjonalną", "Jak wyżej, dla placówek (nieobowiązkowe)."),
    ("Wskaźnik: liczba dzieci", "Wskaźnik z liczbą dzieci, za które gmina współfinansuje pobyt (nieobowiązkowe)."),
    ("Zadanie", "Zadanie programu, do którego należy ta potrzeba (nieobowiązkowe)."),
    (
        "Kategoria potrzeb",
        "Kategoria potrzeb (arkusz „Kategorie potrzeb”), pod którą trafi wyliczona potrzeba na przyszły rok.",
    ),
    ("Wskaźnik: rodziny pod opieką asystentów", "Wskaźnik: rodziny pod opieką asystentów na 31.12."),
    ("Wskaźnik: etaty asystentów", "Wskaźnik: etaty asystentów rodziny na 31.12."),
    (
        "Limit rodzin na etat asystenta",
        "Art. 15 ust. 3 ustawy: najwyżej 15 rodzin na asystenta. Powyżej limitu gpwr dopisze potrzebę zatrudnienia.",
    ),
    ("Roczny koszt etatu asystenta (zł)", "Do wyceny potrzeby: wynagrodzenie z pochodnymi za rok (nieobowiązkowe)."),
];

/// Drop-down choices per (sheet, column).
const CHOICES: [(&str, &str, &[&str]); 10] = [
    (sheets::INDICATORS, "Typ", &["liczba całkowita", "kwota", "liczba dziesiętna", "tak/nie", "status zadania"]),
    (sheets::BREAKDOWNS, "Rodzaj", &["z tego", "w tym"]),
    (sheets::INDICATORS, "Okres", &["w ciągu roku", "stan na 31.12"]),
    (sheets::INDICATORS, "Łączenie", &["suma", "zgodność", "maksimum"]),
    (sheets::INDICATORS, "Wymagany", &["tak", "nie"]),
    (sheets::CHECKS, "Waga", &["błąd", "ostrzeżenie"]),
    (sheets::CHECKS, "Zakres", &["instytucja", "gmina"]),
    (sheets::INSTITUTIONS, "Grupa", &[]),
    (sheets::TASKS, "Cel", &[]),
    (sheets::COORDINATOR_NEEDS, "Priorytet", &["wysoki", "średni", "niski"]),
];

/// Columns whose drop-down lists come from another sheet's `ID` column.
const REFERENCES: [(&str, &str, &str); 7] = [
    (sheets::INDICATORS, "Podział", sheets::BREAKDOWNS),
    (sheets::INDICATORS, "Tabela", sheets::TABLES),
    (sheets::INSTITUTIONS, "Grupa", sheets::GROUPS),
    (sheets::TASKS, "Cel", sheets::GOALS),
    (sheets::INDICATORS, "Zadanie", sheets::TASKS),
    (sheets::COORDINATOR_NEEDS, "Kategoria", sheets::NEED_CATEGORIES),
    (sheets::COORDINATOR_NEEDS, "Zadanie", sheets::TASKS),
];

/// Rows below the header that receive drop-down lists (room for the coordinator to add).
const EDITABLE_ROWS: u32 = 1000;

/// Builds a definition workbook. `created` fixes the document's creation date, so the
/// same tables always give the same bytes.
pub fn definition_workbook(tables: &[SheetTable], created: &ExcelDateTime) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = crate::layout::workbook();
    workbook.set_properties(
        &DocProperties::new()
            .set_title("Definicja programu GPWR")
            .set_comment("Edytuj w Excelu lub LibreOffice; opis kolumn: docs/program-definition.md")
            .set_creation_datetime(created),
    );
    let formats = DefinitionFormats::new();
    for table in tables {
        write_definition_sheet(workbook.add_worksheet(), table, &formats)?;
    }
    workbook.save_to_buffer()
}

/// The formats of a definition workbook's cells.
struct DefinitionFormats {
    header: Format,
    wrap: Format,
    note: Format,
    date: Format,
    plain: Format,
}

impl DefinitionFormats {
    /// The header, wrapped-text, note, date and plain formats.
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_font_color(Color::White)
            .set_background_color(Color::RGB(0x1F4E79))
            .set_border(FormatBorder::Thin);
        let wrap = Format::new().set_text_wrap().set_align(FormatAlign::Top);
        let note = wrap.clone().set_italic().set_font_color(Color::RGB(0x595959));
        let date = Format::new().set_num_format("dd.mm.yyyy").set_align(FormatAlign::Left).set_align(FormatAlign::Top);
        let plain = Format::new().set_align(FormatAlign::Top);
        DefinitionFormats { header, wrap, note, date, plain }
    }
}

/// Writes one table as a sheet: headers, typed cells, notes, sizes, filter and drop-downs.
fn write_definition_sheet(
    sheet: &mut Worksheet,
    table: &SheetTable,
    formats: &DefinitionFormats,
) -> Result<(), XlsxError> {
    sheet.set_name(&table.name)?;
    // Key/value sheets (`Ustawienie`, `Wartość`) get typed values and explanations.
    let is_settings = table.headers == ["Ustawienie", "Wartość"];
    let mut headers = table.headers.clone();
    if is_settings {
        headers.push("Objaśnienie".to_string());
    }
    for (col, h) in headers.iter().enumerate() {
        sheet.write_string_with_format(0, col as u16, h, &formats.header)?;
    }
    write_definition_rows(sheet, table, is_settings, formats)?;
    let widths = set_column_widths(sheet, table, &headers, is_settings)?;
    set_row_heights(sheet, table, &widths, is_settings)?;
    crate::layout::a4(sheet, true);
    sheet.set_repeat_rows(0, 0)?;
    sheet.set_freeze_panes(1, 0)?;
    if !table.rows.is_empty() && !is_settings {
        sheet.autofilter(0, 0, table.rows.len() as u32, headers.len() as u16 - 1)?;
    }
    add_choice_lists(sheet, table)?;
    add_reference_lists(sheet, table)
}

/// The explanation of the setting a key/value row names in its first cell, if there is one.
fn setting_note(cells: &[String]) -> Option<&'static str> {
    SETTING_NOTES.iter().find(|(name, _)| cells.first().is_some_and(|c| c == name)).map(|(_, note)| *note)
}

/// Writes the data rows below the header, with each setting's explanation after its value.
fn write_definition_rows(
    sheet: &mut Worksheet,
    table: &SheetTable,
    is_settings: bool,
    formats: &DefinitionFormats,
) -> Result<(), XlsxError> {
    for (r, cells) in table.rows.iter().enumerate() {
        let row = r as u32 + 1;
        for (col, value) in cells.iter().enumerate() {
            let column = table.headers.get(col).map(String::as_str).unwrap_or("");
            write_typed(sheet, row, col as u16, column, value, is_settings, formats)?;
        }
        if is_settings && let Some(text) = setting_note(cells) {
            sheet.write_string_with_format(row, table.headers.len() as u16, text, &formats.note)?;
        }
    }
    Ok(())
}

/// Sets each column's width from its longest text (the explanation column is fixed) and
/// returns the widths.
fn set_column_widths(
    sheet: &mut Worksheet,
    table: &SheetTable,
    headers: &[String],
    is_settings: bool,
) -> Result<Vec<f64>, XlsxError> {
    let mut widths = Vec::new();
    for (col, h) in headers.iter().enumerate() {
        let longest = std::iter::once(h.chars().count())
            .chain(table.rows.iter().filter_map(|r| r.get(col)).map(|v| v.chars().count()))
            .max()
            .unwrap_or(8);
        let width =
            if is_settings && col == headers.len() - 1 { 70.0 } else { (longest as f64 + 2.0).clamp(8.0, 60.0) };
        sheet.set_column_width(col as u16, width)?;
        widths.push(width);
    }
    Ok(widths)
}

/// Sets each data row's height so its wrapped texts, explanation included, fit.
fn set_row_heights(
    sheet: &mut Worksheet,
    table: &SheetTable,
    widths: &[f64],
    is_settings: bool,
) -> Result<(), XlsxError> {
    for (r, cells) in table.rows.iter().enumerate() {
        let mut texts: Vec<(&str, f64)> = cells.iter().zip(widths).map(|(c, w)| (c.as_str(), *w)).collect();
        if is_settings && let Some(note) = setting_note(cells) {
            texts.push((note, widths[widths.len() - 1]));
        }
        sheet.set_row_height(r as u32 + 1, crate::layout::wrapped_height(&texts, 11.0))?;
    }
    Ok(())
}

/// Adds the fixed drop-down lists of [`CHOICES`] to this sheet's choice columns.
fn add_choice_lists(sheet: &mut Worksheet, table: &SheetTable) -> Result<(), XlsxError> {
    for (_, column, choices) in CHOICES.iter().filter(|(s, _, c)| *s == table.name && !c.is_empty()) {
        if let Some(col) = table.column(column) {
            let dv = DataValidation::new()
                .allow_list_strings(choices)?
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("Wartość spoza listy")?
                .set_error_message(format!("Dozwolone: {}.", choices.join(", ")))?;
            sheet.add_data_validation(1, col as u16, EDITABLE_ROWS, col as u16, &dv)?;
        }
    }
    Ok(())
}

/// Adds the drop-down lists of [`REFERENCES`] that offer another sheet's ids.
fn add_reference_lists(sheet: &mut Worksheet, table: &SheetTable) -> Result<(), XlsxError> {
    for (_, column, source) in REFERENCES.iter().filter(|(s, _, _)| *s == table.name) {
        if let Some(col) = table.column(column) {
            let dv = DataValidation::new()
                .allow_list_formula(Formula::new(format!("='{source}'!$A$2:$A${}", EDITABLE_ROWS + 1)))
                .set_error_style(DataValidationErrorStyle::Warning)
                .set_error_title("Nieznany identyfikator")?
                .set_error_message(format!("Wybierz identyfikator z arkusza „{source}”."))?;
            sheet.add_data_validation(1, col as u16, EDITABLE_ROWS, col as u16, &dv)?;
        }
    }
    Ok(())
}

/// Writes numbers as numbers (bounds, the report year) and ISO dates as dates; the rest as text.
fn write_typed(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    column: &str,
    value: &str,
    is_settings: bool,
    formats: &DefinitionFormats,
) -> Result<(), XlsxError> {
    let DefinitionFormats { plain, wrap, date, .. } = formats;
    if value.is_empty() {
        return Ok(());
    }
    let numeric_column =
        matches!(column, "Min" | "Max" | "Szacowany koszt (zł)") || (is_settings && column == "Wartość");
    if numeric_column {
        if let Ok(n) = value.parse::<f64>() {
            // In settings a number sits among text values; align it with them.
            let format = if is_settings { plain.clone().set_align(FormatAlign::Left) } else { plain.clone() };
            sheet.write_number_with_format(row, col, n, &format)?;
            return Ok(());
        }
        if let Ok(d) = chrono::NaiveDate::parse_from_str(value, "%Y-%m-%d") {
            use chrono::Datelike;
            let dt = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8)?;
            sheet.write_datetime_with_format(row, col, &dt, date)?;
            return Ok(());
        }
    }
    let format = if value.chars().count() > 40 { wrap } else { plain };
    sheet.write_string_with_format(row, col, value, format)?;
    Ok(())
}
