//! Collection templates: one XLSX per institution with only what that institution reports,
//! typed, validated and protected, in Polish; plus the identity `collect` recognises it by.

pub mod identity;
mod sheet;
mod tables;
mod write;

pub use write::{
    SheetTexts, TemplateTexts, reports_placements, tables_note, task_id_of_choice, template_file_name, template_texts,
    template_workbook,
};

/// Sheet names and column headers of a template, shared by the writer and by `collect`,
/// which finds everything by these names, never by position.
pub mod layout {
    /// The instructions sheet.
    pub const SHEET_INSTRUCTIONS: &str = "Instrukcja";
    /// The indicator values sheet.
    pub const SHEET_INDICATORS: &str = "Wskaźniki";
    /// The activities sheet.
    pub const SHEET_ACTIVITIES: &str = "Działania";
    /// The needs sheet.
    pub const SHEET_NEEDS: &str = "Potrzeby";
    /// The numbered tables sheet (only when the institution reports a table cell).
    pub const SHEET_TABLES: &str = "Tabele";
    /// `Tabele`: the text on the template's empty cells of a table the institution does not
    /// fill (another institution reports them).
    pub const NOT_YOURS: &str = "—";

    /// `Wskaźniki`: indicator id, or `opis:<task id>` on a task description row.
    pub const COL_ID: &str = "ID";
    /// `Wskaźniki`: indicator label.
    pub const COL_LABEL: &str = "Wskaźnik";
    /// `Wskaźniki`: unit.
    pub const COL_UNIT: &str = "Jednostka";
    /// `Wskaźniki`: stock or flow.
    pub const COL_PERIOD: &str = "Okres";
    /// `Wskaźniki`: the value typed by the institution (or the task description).
    pub const COL_VALUE: &str = "Wartość";
    /// `Wskaźniki`: `nie dotyczy` / `brak danych` instead of a value.
    pub const COL_NO_VALUE: &str = "Brak wartości";
    /// `Wskaźniki`: free comment.
    pub const COL_COMMENT: &str = "Komentarz";
    /// The ordered headers of `Wskaźniki`.
    pub const INDICATOR_HEADERS: [&str; 7] =
        [COL_ID, COL_LABEL, COL_UNIT, COL_PERIOD, COL_VALUE, COL_NO_VALUE, COL_COMMENT];
    /// Prefix of the `ID` cell on a task description row: `opis:Z1.1`.
    pub const DESCRIPTION_ID_PREFIX: &str = "opis:";
    /// The two ways to say "there is no number here", distinct from 0.
    pub const NO_VALUE_CHOICES: [&str; 2] = ["nie dotyczy", "brak danych"];

    /// `Działania` headers.
    pub const ACTIVITY_HEADERS: [&str; 6] =
        ["Zadanie", "Nazwa działania", "Data od", "Data do", "Liczba uczestników", "Opis i uwagi"];
    /// Input rows on `Działania`.
    pub const ACTIVITY_ROWS: u32 = 200;

    /// `Potrzeby` headers: the columns of the coordinator's own needs in the definition.
    pub use crate::program::sheets::NEED_HEADERS;
    /// Input rows on `Potrzeby`.
    pub const NEED_ROWS: u32 = 50;
    /// Priorities offered on `Potrzeby`.
    pub const PRIORITIES: [&str; 3] = ["wysoki", "średni", "niski"];

    /// The foster-care placements sheet (only in the template of the institution that runs
    /// foster care, usually PCPR).
    pub const SHEET_PLACEMENTS: &str = "Piecza zastępcza";
    /// `Piecza zastępcza` headers. The last, `Wydatki obowiązują od`, states a change of the
    /// monthly expense: a placement whose expense changed takes one row per amount, each with
    /// the same child code, form and placement date and the day its amount applies from
    /// (empty: from the placement date). One optional column keeps a placement's other data
    /// in one shape whether its expense changed or not, keeps the sheet a plain list PCPR can
    /// paste from its own records (no second table to match rows with), and stands after
    /// `Uwagi` so the other columns stay where templates sent earlier have them: a return
    /// without it reads as before (columns are found by their headers).
    pub const PLACEMENT_HEADERS: [&str; 7] = [
        "Kod dziecka",
        "Forma pieczy",
        "Data umieszczenia",
        "Data zakończenia",
        "Miesięczne wydatki (zł)",
        "Uwagi",
        "Wydatki obowiązują od",
    ];
    /// Input rows on `Piecza zastępcza`.
    pub const PLACEMENT_ROWS: u32 = 300;

    /// Labels of the "who filled this in" cells on `Instrukcja` (column A; input in column B).
    pub const PREPARER_LABELS: [&str; 4] = ["Sporządził(a)", "Telefon", "E-mail", "Data sporządzenia"];
}
