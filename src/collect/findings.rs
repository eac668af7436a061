//! Findings of `gpwr collect`: a stable code, a severity, where (institution, file, sheet,
//! cell), the original text and a Polish message. Codes are part of gpwr's interface
//! (scripts filter on them) and are listed in the README; never rename one.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Severity {
    /// The data is wrong or missing and must be corrected (makes the exit code 1).
    #[serde(rename = "blad")]
    Error,
    /// Probably wrong, or read with an assumption: check it.
    #[serde(rename = "ostrzezenie")]
    Warning,
    /// For the record: read as expected, with a note.
    #[serde(rename = "informacja")]
    Info,
}

impl Severity {
    /// The severity whose [`Severity::polish`] word is `word` (as read back from `ustalenia.csv`).
    pub fn from_polish(word: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info].into_iter().find(|s| s.polish() == word)
    }

    /// Polish name, as shown to the coordinator: `błąd`, `ostrzeżenie`, `informacja`.
    pub fn polish(self) -> &'static str {
        match self {
            Severity::Error => "błąd",
            Severity::Warning => "ostrzeżenie",
            Severity::Info => "informacja",
        }
    }
}

macro_rules! codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $severity:ident; )*) => {
        /// Every kind of finding, with its stable code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code {
            $( $(#[$doc])* $variant, )*
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code whose [`Code::as_str`] is `code` (as read back from `ustalenia.csv`).
            pub fn from_code(code: &str) -> Option<Code> {
                Code::ALL.iter().copied().find(|c| c.as_str() == code)
            }

            /// The stable code string.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            /// The severity findings of this code have.
            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }
        }
    };
}

codes! {
    /// A file in the inbox that is not a spreadsheet by its extension; not read.
    FileSkipped = "PLIK_POMINIETY", Info;
    /// A subfolder of the inbox that could not be listed (permissions); its files were not read.
    FolderUnreadable = "FOLDER_NIECZYTELNY", Error;
    /// A zero-byte file.
    FileEmpty = "PLIK_PUSTY", Error;
    /// The content is not a spreadsheet (text, PDF, Word…), whatever the extension says.
    FileNotSpreadsheet = "PLIK_NIE_ARKUSZ", Error;
    /// Damaged or truncated; or the reader failed on it.
    FileCorrupt = "PLIK_USZKODZONY", Error;
    /// The file could not be read from the disk (permissions, removed while collecting).
    FileUnreadable = "PLIK_NIECZYTELNY", Error;
    /// A symbolic link in the inbox that leads outside it; not followed.
    LinkOutsideInbox = "LACZE_POZA_FOLDEREM", Error;
    /// A symbolic link in the inbox that leads nowhere (its target is gone, or links form a loop).
    LinkBroken = "LACZE_ZERWANE", Error;
    /// Protected by a password to open.
    FileEncrypted = "PLIK_ZASZYFROWANY", Error;
    /// Over a size limit (file, unpacked size, cells), e.g. a zip bomb.
    FileTooLarge = "PLIK_ZA_DUZY", Error;
    /// The content's format differs from the extension (an .xlsx renamed .xls); read anyway.
    FormatMismatch = "FORMAT_INNY_NIZ_ROZSZERZENIE", Info;
    /// No gpwr identity: not made from a gpwr template.
    NoIdentity = "BRAK_IDENTYFIKATORA", Error;
    /// The identity's copies (properties, hidden sheet, stamp) disagree; the majority is used.
    IdentityInconsistent = "IDENTYFIKATOR_NIESPOJNY", Warning;
    /// A template of another programme.
    OtherProgramme = "INNY_PROGRAM", Error;
    /// A template for another year.
    OtherYear = "INNY_ROK", Error;
    /// An institution the definition does not list.
    UnknownInstitution = "NIEZNANA_INSTYTUCJA", Error;
    /// The template was made from a different list of indicators; read by indicator id.
    CatalogueChanged = "ZMIENIONY_KATALOG", Warning;
    /// Another file of the same institution was chosen; this one is not used.
    Duplicate = "DUPLIKAT", Warning;
    /// A value that differs between two files of the same institution.
    VersionsDiffer = "ROZNICA_MIEDZY_WERSJAMI", Info;
    /// The institution has not returned its template.
    NotReturned = "BRAK_ZWROTU", Warning;
    /// A template sheet is missing.
    SheetMissing = "BRAK_ARKUSZA", Error;
    /// A required column header (`ID`, `Wartość`) is missing.
    ColumnMissing = "BRAK_KOLUMNY", Error;
    /// A sheet that is not in the template; its cells are kept in `inne_komorki.csv`.
    ExtraSheet = "DODATKOWY_ARKUSZ", Info;
    /// An indicator's row is missing (deleted, or its id overwritten).
    RowMissing = "BRAK_WIERSZA", Error;
    /// The same indicator id appears in two rows; the first is used.
    RowRepeated = "WIERSZ_POWTORZONY", Error;
    /// A row whose id this institution was not asked for; kept in `inne_komorki.csv`.
    UnknownIndicator = "NIEZNANY_WSKAZNIK", Warning;
    /// A typed cell outside the input cells; kept in `inne_komorki.csv`.
    CellOutsideForm = "KOMORKA_POZA_FORMULARZEM", Info;
    /// A number read from text ("12 rodzin", "69 518,09 zł"); the original is kept.
    NumberFromText = "LICZBA_Z_TEKSTU", Info;
    /// An approximate number ("ok. 470"), read as the number.
    Approximate = "WARTOSC_PRZYBLIZONA", Warning;
    /// One separator followed by exactly three digits ("1.234", "1,000"): read the Polish way
    /// (dot = thousands, comma = decimal), but check it.
    AmbiguousNumber = "NIEJEDNOZNACZNA_LICZBA", Warning;
    /// Text with no number ("Na bieżąco"); kept as text, no value.
    TextNotNumber = "TEKST_ZAMIAST_LICZBY", Error;
    /// A lone "-": read as "brak danych", never as 0.
    Dash = "KRESKA", Warning;
    /// A date in a number cell (Excel turns a typed "3.5" into 3 May).
    DateNotNumber = "DATA_ZAMIAST_LICZBY", Error;
    /// A negative value.
    Negative = "UJEMNA_WARTOSC", Error;
    /// A fraction in a whole-count cell.
    FractionInCount = "ULAMEK_W_LICZBIE_CALKOWITEJ", Error;
    /// More than two decimals in an amount in PLN; kept as typed.
    TooManyDecimals = "ZA_DUZO_MIEJSC_PO_PRZECINKU", Warning;
    /// Outside the plausibility bounds of the definition.
    OutOfBounds = "POZA_ZAKRESEM", Warning;
    /// A yes/no cell with something other than "tak"/"nie".
    NotYesNo = "NIE_TAK_NIE", Error;
    /// A task-state cell with something other than one of the states.
    NotTaskStatus = "NIE_STAN_ZADANIA", Error;
    /// A formula without a stored result (saved by a program that does not calculate).
    FormulaWithoutResult = "FORMULA_BEZ_WYNIKU", Error;
    /// A spreadsheet error value such as `#DIV/0!`.
    CellError = "BLAD_W_KOMORCE", Error;
    /// A required value is empty and no reason ("nie dotyczy", "brak danych") is given.
    RequiredMissing = "BRAK_WYMAGANEJ_WARTOSCI", Error;
    /// A part of a breakdown with a number under a whole marked "nie dotyczy".
    PartWithoutWhole = "CZESC_BEZ_CALOSCI", Warning;
    /// Both a value and "nie dotyczy"/"brak danych"; the value is used.
    ValueAndReason = "WARTOSC_I_POWOD_BRAKU", Warning;
    /// "nie dotyczy"/"brak danych" typed in the value cell instead of chosen in its column.
    ReasonInValueCell = "POWOD_BRAKU_W_POLU_WARTOSCI", Info;
    /// A reason column holding something other than the two choices.
    UnknownReason = "NIEZNANY_POWOD_BRAKU", Warning;
    /// An activity row with a date or number that cannot be read; kept as text.
    ActivityInvalid = "DZIALANIE_NIEPOPRAWNE", Warning;
    /// A need row with a cost, category or task that cannot be read; kept as text.
    NeedInvalid = "POTRZEBA_NIEPOPRAWNA", Warning;
    /// An activity dated outside the reported year.
    DateOutsideYear = "DATA_POZA_ROKIEM", Warning;
    /// Text holding what looks like a PESEL number (masked in every output) or a name with
    /// an address: personal data must not be sent.
    PersonalData = "MOZLIWE_DANE_OSOBOWE", Warning;
    /// Invisible control or text-direction characters; written out as `[U+XXXX]` in the outputs.
    ControlCharacters = "ZNAKI_STERUJACE", Warning;
    /// Text that a spreadsheet would run as a formula (`=…`, `+…`, `@…`, `-2+3`); kept as text only.
    FormulaLikeText = "TEKST_JAK_FORMULA", Warning;
    /// Text longer than a spreadsheet cell holds (32 767 characters); its beginning is kept.
    TextTooLong = "TEKST_ZA_DLUGI", Warning;
    /// A foster-care placement row with a missing or unreadable code, form, date or cost, or
    /// an end before its start; kept as typed, left out of the co-financing.
    PlacementInvalid = "UMIESZCZENIE_NIEPOPRAWNE", Error;
    /// The rows of one placement (same child code, form and placement date) state its monthly
    /// expenses inconsistently: from a day before the placement or after its end, two rows
    /// from one day, different end dates, or no amount from the placement date (or 1 January);
    /// kept as typed, left out of the co-financing.
    PlacementCostsInvalid = "WYDATKI_UMIESZCZENIA_NIEPOPRAWNE", Error;
    /// Two placements of the same child code overlap in time.
    PlacementsOverlap = "UMIESZCZENIA_NAKLADAJA_SIE", Error;
    /// A placement that ended before, or began after, the reported year.
    PlacementOutsideYear = "UMIESZCZENIE_POZA_ROKIEM", Warning;
    /// A child code that looks like a name or a PESEL number instead of a code.
    ChildCodePersonal = "KOD_DZIECKA_DANE_OSOBOWE", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let code = String::deserialize(d)?;
        Code::from_code(&code).ok_or_else(|| serde::de::Error::custom(format!("nieznany kod ustalenia {code}")))
    }
}

/// Where a finding is, as shown to people: `Wskaźniki!E12`, the sheet alone, or empty for
/// the whole file (an empty `sheet` or `cell` means none).
pub fn location(sheet: &str, cell: &str) -> String {
    match (sheet, cell) {
        ("", _) => String::new(),
        (sheet, "") => sheet.to_string(),
        (sheet, cell) => format!("{sheet}!{cell}"),
    }
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// The stable code.
    #[serde(rename = "kod")]
    pub code: Code,
    /// The severity (from the code).
    #[serde(rename = "waga")]
    pub severity: Severity,
    /// The institution id, when known.
    #[serde(rename = "instytucja")]
    pub institution: Option<String>,
    /// The file, relative to the inbox; `None` for an institution that sent nothing.
    #[serde(rename = "plik")]
    pub file: Option<String>,
    /// The sheet.
    #[serde(rename = "arkusz")]
    pub sheet: Option<String>,
    /// The cell in Excel notation, e.g. `E12`.
    #[serde(rename = "komorka")]
    pub cell: Option<String>,
    /// The indicator id, when the finding is about one.
    #[serde(rename = "wskaznik")]
    pub indicator: Option<String>,
    /// What was in the cell, as typed.
    #[serde(rename = "tekst_oryginalny")]
    pub original: Option<String>,
    /// What is wrong and what to do, in Polish.
    #[serde(rename = "komunikat")]
    pub message: String,
}

impl Finding {
    /// A finding of `code` with `message`; place it with the builder methods.
    pub fn new(code: Code, message: impl Into<String>) -> Self {
        Finding {
            code,
            severity: code.severity(),
            institution: None,
            file: None,
            sheet: None,
            cell: None,
            indicator: None,
            original: None,
            message: message.into(),
        }
    }

    /// Sets the file.
    pub fn file(mut self, file: &str) -> Self {
        self.file = Some(file.to_string());
        self
    }

    /// Sets the institution.
    pub fn institution(mut self, id: Option<&str>) -> Self {
        self.institution = id.map(str::to_string);
        self
    }

    /// Sets the sheet and cell (`cell` in A1 notation).
    pub fn at(mut self, sheet: &str, cell: Option<String>) -> Self {
        self.sheet = Some(sheet.to_string());
        self.cell = cell;
        self
    }

    /// Sets the indicator.
    pub fn indicator(mut self, id: &str) -> Self {
        self.indicator = Some(id.to_string());
        self
    }

    /// Sets the original text.
    pub fn original(mut self, text: Option<String>) -> Self {
        self.original = text;
        self
    }

    /// `Wskaźniki!E12`, `Wskaźniki` or empty.
    pub fn location(&self) -> String {
        location(self.sheet.as_deref().unwrap_or_default(), self.cell.as_deref().unwrap_or_default())
    }
}

impl fmt::Display for Finding {
    /// `BŁĄD PLIK_PUSTY pusty.xlsx Wskaźniki!E12: message`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.severity.polish().to_uppercase(), self.code)?;
        if let Some(file) = &self.file {
            write!(f, " {file}")?;
        } else if let Some(inst) = &self.institution {
            write!(f, " {inst}")?;
        }
        let location = self.location();
        if !location.is_empty() {
            write!(f, " {location}")?;
        }
        write!(f, ": {}", self.message)
    }
}
