//! The mistakes a programme definition can hold, each with its sheet and cell and a Polish
//! message that quotes the bad value and says how to fix it.

use super::expr::ExprError;
use crate::cell::CellRef;
use std::fmt;

/// Where in the definition workbook a problem sits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Location {
    /// The workbook as a whole (it cannot be opened).
    Workbook,
    /// A whole sheet (it is missing).
    Sheet(String),
    /// One cell.
    Cell(CellRef),
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::Workbook => f.write_str("skoroszyt"),
            Location::Sheet(s) => write!(f, "arkusz „{s}”"),
            Location::Cell(c) => write!(f, "{c}"),
        }
    }
}

/// Whether a problem stops templates from being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Must be fixed; no templates are written.
    Error,
    /// Worth a look; templates are still written.
    Warning,
}

/// One problem found in the definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Where it is.
    pub at: Location,
    /// How serious it is.
    pub severity: Severity,
    /// What it is.
    pub kind: ProblemKind,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "BŁĄD",
            Severity::Warning => "UWAGA",
        };
        write!(f, "{label} {}: {}", self.at, self.kind)
    }
}

/// The kinds of mistakes, with Polish messages quoting the offending value.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ProblemKind {
    /// The file could not be opened as a workbook.
    #[error("nie można otworzyć pliku jako skoroszytu ({detail}). Zapisz go w Excelu lub LibreOffice jako .xlsx.")]
    Unreadable {
        /// Reader's explanation.
        detail: String,
    },
    /// A required sheet is missing.
    #[error("brak arkusza „{sheet}”. Przywróć go (wzór: `gpwr init`).")]
    MissingSheet {
        /// The missing sheet.
        sheet: String,
    },
    /// Required column headers are missing.
    #[error("brak kolumn {columns} w wierszu nagłówków. Przywróć nagłówki dokładnie w tym brzmieniu.")]
    MissingColumns {
        /// Missing headers, quoted and comma-separated.
        columns: String,
    },
    /// A required cell is empty.
    #[error("pusta komórka w kolumnie „{column}”, a jest wymagana.")]
    MissingValue {
        /// The column header.
        column: String,
    },
    /// A required setting is absent.
    #[error("brak ustawienia „{name}”. Dodaj wiersz z tą nazwą w kolumnie „Ustawienie” i wpisz wartość.")]
    MissingSetting {
        /// The setting's name.
        name: String,
    },
    /// A setting name that gpwr does not know.
    #[error("nieznane ustawienie „{name}” (pominięte). Znane ustawienia: {known}.")]
    UnknownSetting {
        /// The name as written.
        name: String,
        /// Known names.
        known: String,
    },
    /// An id with characters that are not allowed.
    #[error("niepoprawny identyfikator „{id}”: {rule}.")]
    InvalidId {
        /// The id as written.
        id: String,
        /// The rule, in Polish.
        rule: &'static str,
    },
    /// An id used twice.
    #[error("identyfikator „{id}” występuje ponownie (pierwszy raz {first}). Identyfikatory muszą być niepowtarzalne.")]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Where it first appeared (`w komórce Wskaźniki!A5`).
        first: String,
    },
    /// A reference to a goal that does not exist.
    #[error("nieznany cel „{id}”. Dodaj go w arkuszu „Cele” albo popraw identyfikator.")]
    UnknownGoal {
        /// The id as written.
        id: String,
    },
    /// A reference to a task that does not exist.
    #[error("nieznane zadanie „{id}”. Dodaj je w arkuszu „Zadania” albo popraw identyfikator.")]
    UnknownTask {
        /// The id as written.
        id: String,
    },
    /// A reference to a group that does not exist.
    #[error("nieznana grupa „{id}”. Dodaj ją w arkuszu „Grupy” albo popraw identyfikator.")]
    UnknownGroup {
        /// The id as written.
        id: String,
    },
    /// A `Raportują` entry that is neither an institution nor a group.
    #[error("„{token}” nie jest ani instytucją (arkusz „Instytucje”), ani grupą (arkusz „Grupy”){hint}.")]
    UnknownReporter {
        /// The entry as written.
        token: String,
        /// A suggestion (` (czy chodziło o „SP3”?)`) or empty.
        hint: String,
    },
    /// An indicator whose reporters resolve to no institution.
    #[error(
        "wskaźnika „{indicator}” nie raportuje żadna instytucja (brak instytucji w grupie: {groups}). Dodaj instytucje do grupy albo wpisz instytucję."
    )]
    NobodyReports {
        /// The indicator id.
        indicator: String,
        /// The empty groups.
        groups: String,
    },
    /// A value outside the allowed list.
    #[error("„{value}” nie jest dozwoloną wartością w kolumnie „{column}”. Dozwolone: {allowed}.")]
    InvalidChoice {
        /// The column header.
        column: String,
        /// The value as written.
        value: String,
        /// The allowed values.
        allowed: &'static str,
    },
    /// Text where a number was expected.
    #[error("„{value}” w kolumnie „{column}” nie jest liczbą.")]
    InvalidNumber {
        /// The column header.
        column: String,
        /// The value as written.
        value: String,
    },
    /// Min greater than max.
    #[error("dolna granica {min} jest większa niż górna {max}.")]
    BoundsReversed {
        /// Lower bound.
        min: String,
        /// Upper bound.
        max: String,
    },
    /// A malformed year or year range.
    #[error("„{value}” nie jest {expected}.")]
    InvalidYear {
        /// The value as written.
        value: String,
        /// What was expected (`rokiem, np. 2025`).
        expected: &'static str,
    },
    /// The report year lies outside the programme years.
    #[error("rok sprawozdawczy {year} nie mieści się w latach programu {years}.")]
    YearOutsideProgram {
        /// Report year.
        year: i32,
        /// Programme years as written.
        years: String,
    },
    /// A malformed date.
    #[error("„{value}” nie jest datą. Wpisz datę, np. 2026-02-13 albo 13.02.2026.")]
    InvalidDate {
        /// The value as written.
        value: String,
    },
    /// A deadline that does not follow the reported year.
    #[error("termin zwrotu {deadline} nie przypada po roku sprawozdawczym {year}.")]
    DeadlineBeforeYearEnd {
        /// The deadline.
        deadline: String,
        /// The report year.
        year: i32,
    },
    /// An e-mail address that does not look like one.
    #[error("„{value}” nie wygląda na adres e-mail.")]
    InvalidEmail {
        /// The value as written.
        value: String,
    },
    /// A check that does not parse.
    #[error("warunek „{condition}” jest niepoprawny: {error}.")]
    CheckSyntax {
        /// The condition as written.
        condition: String,
        /// What is wrong.
        error: ExprError,
    },
    /// A check that names an unknown indicator.
    #[error("warunek odwołuje się do nieznanego wskaźnika „{id}”{hint}.")]
    CheckUnknownIndicator {
        /// The unknown id.
        id: String,
        /// A suggestion or empty.
        hint: String,
    },
    /// A per-institution check whose indicators no single institution reports together.
    #[error(
        "kontrola w zakresie „instytucja” nie sprawdzi niczego: żadna instytucja nie raportuje wszystkich wskaźników {ids}. Zmień zakres na „gmina”."
    )]
    CheckNeverApplies {
        /// The indicator ids of the check.
        ids: String,
    },
    /// An institution that is asked nothing.
    #[error("instytucja „{id}” nie raportuje żadnego wskaźnika; nie dostanie formularza.")]
    InstitutionReportsNothing {
        /// The institution id.
        id: String,
    },
    /// A task without indicators.
    #[error("zadanie „{id}” nie ma żadnego wskaźnika; nikt nie opisze jego realizacji.")]
    TaskWithoutIndicators {
        /// The task id.
        id: String,
    },
    /// A goal without tasks.
    #[error("cel „{id}” nie ma żadnego zadania.")]
    GoalWithoutTasks {
        /// The goal id.
        id: String,
    },
    /// A reference to an institution that does not exist.
    #[error("nieznana instytucja „{id}”{hint}. Wpisz identyfikator z arkusza „Instytucje”.")]
    UnknownInstitution {
        /// The id as written.
        id: String,
        /// ` (czy chodziło o „X”?)` or empty.
        hint: String,
    },
    /// A reference to an indicator that does not exist.
    #[error("nieznany wskaźnik „{id}”{hint}. Wpisz identyfikator z arkusza „Wskaźniki”.")]
    UnknownIndicator {
        /// The id as written.
        id: String,
        /// ` (czy chodziło o „X”?)` or empty.
        hint: String,
    },
    /// A reference to a needs category that does not exist.
    #[error("nieznana kategoria potrzeb „{id}”. Wpisz identyfikator albo nazwę z arkusza „Kategorie potrzeb”.")]
    UnknownNeedCategory {
        /// The category as written.
        id: String,
    },
    /// A breakdown named on an indicator that is not on the `Podziały` sheet.
    #[error("nieznany podział „{id}”{hint}. Wpisz identyfikator z arkusza „Podziały” albo dodaj tam ten podział.")]
    UnknownBreakdown {
        /// The id as written.
        id: String,
        /// ` (czy chodziło o „X”?)` or empty.
        hint: String,
    },
    /// A table named on an indicator that is not on the `Tabele` sheet.
    #[error("nieznana tabela „{id}”{hint}. Wpisz identyfikator z arkusza „Tabele” albo dodaj tam tę tabelę.")]
    UnknownTable {
        /// The id as written.
        id: String,
        /// ` (czy chodziło o „X”?)` or empty.
        hint: String,
    },
    /// A row or column name that the indicator's table does not have.
    #[error(
        "tabela „{table}” nie ma {what} „{value}” (kolumna „{column}”). Wpisz jedną z nazw: {allowed} albo jej numer od 1."
    )]
    UnknownTablePlace {
        /// `Wiersz` or `Kolumna`.
        column: String,
        /// `wiersza` or `kolumny`.
        what: &'static str,
        /// The name as written.
        value: String,
        /// The table's id.
        table: String,
        /// The table's rows or columns, quoted.
        allowed: String,
    },
    /// A list cell (`Kategorie`, `Wiersze`, `Kolumny`) with no item.
    #[error("lista w kolumnie „{column}” jest pusta. Wpisz nazwy oddzielone średnikiem, np. „kobiety; mężczyźni”.")]
    EmptyList {
        /// The list's column.
        column: String,
    },
    /// A check naming a task-state indicator, whose value is a state, not a number.
    #[error(
        "warunek używa wskaźnika „{id}”, który jest stanem realizacji zadania, a nie liczbą; stany są liczone osobno. Usuń go z warunku."
    )]
    CheckOnTaskState {
        /// The indicator's id.
        id: String,
    },
    /// `Wiersz` or `Kolumna` filled in for an indicator that is in no table.
    #[error(
        "wpisano „{column}”, ale kolumna „Tabela” jest pusta. Wpisz identyfikator tabeli z arkusza „Tabele” albo usuń „{column}”."
    )]
    PlaceWithoutTable {
        /// `Wiersz` or `Kolumna`.
        column: String,
    },
    /// Two indicators in the same cell of a table.
    #[error(
        "komórkę „{row}” × „{column}” tabeli „{table}” zajmuje już wskaźnik „{first}”. Każda komórka tabeli to jeden wskaźnik."
    )]
    TableCellTaken {
        /// The table's id.
        table: String,
        /// The row's name.
        row: String,
        /// The column's name.
        column: String,
        /// The indicator already there.
        first: String,
    },
    /// An indicator both in a table and broken down.
    #[error(
        "wskaźnik w tabeli nie może mieć podziału: pokaż części jako kolumny albo wiersze tabeli, albo usuń „Tabela”."
    )]
    BreakdownInTable,
    /// A breakdown on an indicator that is not a number.
    #[error(
        "podział „{breakdown}” wymaga wskaźnika liczbowego (liczba całkowita, kwota, liczba dziesiętna), a ten ma typ „{value_type}”."
    )]
    BreakdownNeedsNumber {
        /// The breakdown's id.
        breakdown: String,
        /// The indicator's type, in Polish.
        value_type: String,
    },
    /// The id generated for a part equals an indicator id already in use.
    #[error(
        "część „{category}” dostałaby identyfikator „{id}”, który ma już inny wskaźnik. Zmień identyfikator tamtego wskaźnika albo nazwę kategorii."
    )]
    PartIdTaken {
        /// The generated id.
        id: String,
        /// The category's name.
        category: String,
    },
    /// A list (categories, rows, columns) with a name that gives no id or repeats another.
    #[error(
        "pozycja „{item}” na liście „{column}” {why}. Każda pozycja musi mieć inną nazwę z literą lub cyfrą; oddzielaj je średnikiem."
    )]
    InvalidListItem {
        /// The list's column (`Kategorie`, `Wiersze`, `Kolumny`).
        column: String,
        /// The item as written.
        item: String,
        /// What is wrong, in Polish (`powtarza się`, `nie ma liter ani cyfr`).
        why: &'static str,
    },
    /// A `z tego` breakdown with fewer than two categories.
    #[error(
        "podział „{id}” typu „z tego” ma mniej niż dwie kategorie, więc nic nie dzieli. Dopisz kategorie oddzielone średnikiem albo wybierz „w tym”."
    )]
    TooFewCategories {
        /// The breakdown's id.
        id: String,
    },
    /// A percent outside 0–100.
    #[error("„{value}” nie jest procentem od 0 do 100. Wpisz samą liczbę, np. 10.")]
    InvalidPercent {
        /// The value as written.
        value: String,
    },
}
