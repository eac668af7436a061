//! Reads and validates a programme definition workbook, collecting every problem at once.

use super::expr::{Condition, is_indicator_id};
use super::problems::{Location, Problem, ProblemKind, Severity};
use super::read_grouping::Grouping;
use super::sheets;
use super::*;
use crate::cell::{CellRef, cell_text};
use crate::table::{Row, Table, fold};
use crate::workbook::{Format, detect_format};
use calamine::{Data, Range, Reader, Sheets};
use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};
use std::path::Path;

/// The outcome of reading a definition: the programme when it has no errors, and every
/// problem found (errors and warnings) in sheet order.
#[derive(Debug)]
pub struct ProgramReading {
    /// The programme, present only when no problem is an error.
    pub program: Option<Program>,
    /// Every problem found.
    pub problems: Vec<Problem>,
}

impl ProgramReading {
    /// The programme, or every problem (warnings too) when it has errors.
    pub fn into_result(self) -> Result<Program, Vec<Problem>> {
        self.program.ok_or(self.problems)
    }

    /// The problems that prevent templates from being written.
    pub fn errors(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Error)
    }

    /// The problems worth a look that do not stop anything.
    pub fn warnings(&self) -> impl Iterator<Item = &Problem> {
        self.problems.iter().filter(|p| p.severity == Severity::Warning)
    }
}

/// Opens `path` and reads the definition from it.
pub fn read_program(path: &Path) -> ProgramReading {
    match std::fs::read(path) {
        Ok(bytes) => read_program_bytes(&bytes),
        Err(e) => unreadable_file(&e),
    }
}

/// Reads the definition from `bytes`, a definition file's content, told xlsx, xls or ods by
/// what it holds (as every workbook gpwr reads, [`detect_format`]): a caller that also hashes
/// the definition parses and hashes the same bytes.
pub fn read_program_bytes(bytes: &[u8]) -> ProgramReading {
    let format = match detect_format(bytes) {
        Ok(format) => format,
        Err(e) => return unreadable(e.to_string()),
    };
    match open_as(format, std::io::Cursor::new(bytes)) {
        Ok(mut sheets) => read_program_from(&mut sheets),
        Err(e) => unreadable(crate::error_text::workbook_open(&e)),
    }
}

/// The workbook in `data`, opened with calamine's reader for `format`.
fn open_as<RS: Read + Seek>(format: Format, data: RS) -> Result<Sheets<RS>, calamine::Error> {
    use calamine::open_workbook_from_rs;
    Ok(match format {
        Format::Xlsx => Sheets::Xlsx(open_workbook_from_rs(data).map_err(calamine::Error::Xlsx)?),
        Format::Xls => Sheets::Xls(open_workbook_from_rs(data).map_err(calamine::Error::Xls)?),
        Format::Ods => Sheets::Ods(open_workbook_from_rs(data).map_err(calamine::Error::Ods)?),
    })
}

/// The reading of a definition whose file could not be read (`error`): one error saying why.
pub fn unreadable_file(error: &std::io::Error) -> ProgramReading {
    unreadable(crate::error_text::io(error))
}

/// The reading of a definition that could not be opened: one error, `detail` saying why.
fn unreadable(detail: String) -> ProgramReading {
    ProgramReading {
        program: None,
        problems: vec![Problem {
            at: Location::Workbook,
            severity: Severity::Error,
            kind: ProblemKind::Unreadable { detail },
        }],
    }
}

/// Reads the definition from an open workbook.
pub fn read_program_from<RS: Read + Seek>(workbook: &mut Sheets<RS>) -> ProgramReading {
    let mut ranges: HashMap<&'static str, Range<Data>> = HashMap::new();
    let mut reader = DefinitionReader::default();
    let names = workbook.sheet_names();
    for sheet in sheets::ALL {
        // Sheet names are matched ignoring case and surrounding spaces.
        let found = names.iter().find(|n| crate::table::normalize_header(n) == crate::table::normalize_header(sheet));
        match found.map(|n| workbook.worksheet_range(n)) {
            Some(Ok(range)) => {
                ranges.insert(sheet, range);
            }
            Some(Err(e)) => reader.problem(
                Location::Sheet(sheet.to_string()),
                Severity::Error,
                ProblemKind::Unreadable { detail: crate::error_text::workbook_open(&e) },
            ),
            None if sheets::OPTIONAL.contains(&sheet) => {}
            None => reader.problem(
                Location::Sheet(sheet.to_string()),
                Severity::Error,
                ProblemKind::MissingSheet { sheet: sheet.to_string() },
            ),
        }
    }
    let program = reader.read(&ranges);
    let has_errors = reader.problems.iter().any(|p| p.severity == Severity::Error);
    ProgramReading { program: if has_errors { None } else { program }, problems: reader.problems }
}

pub(super) const ID_RULE: &str = "dozwolone są litery bez polskich znaków, cyfry, „_” i „-”";
const TASK_ID_RULE: &str = "dozwolone są litery bez polskich znaków, cyfry, „.”, „_” i „-”";
const INDICATOR_ID_RULE: &str = "identyfikator zaczyna się literą, dalej litery bez polskich znaków, cyfry, „.” i „_”";

#[derive(Default)]
pub(super) struct DefinitionReader {
    pub(super) problems: Vec<Problem>,
}

/// Ids already seen in one namespace, with where each first appeared.
#[derive(Default)]
pub(super) struct IdRegistry {
    pub(super) seen: HashMap<String, CellRef>,
    case_insensitive: bool,
}

impl IdRegistry {
    pub(super) fn key(&self, id: &str) -> String {
        if self.case_insensitive { id.to_lowercase() } else { id.to_string() }
    }
}

impl DefinitionReader {
    pub(super) fn problem(&mut self, at: Location, severity: Severity, kind: ProblemKind) {
        self.problems.push(Problem { at, severity, kind });
    }

    pub(super) fn error(&mut self, at: CellRef, kind: ProblemKind) {
        self.problem(Location::Cell(at), Severity::Error, kind);
    }

    pub(super) fn warning(&mut self, at: CellRef, kind: ProblemKind) {
        self.problem(Location::Cell(at), Severity::Warning, kind);
    }

    pub(super) fn table<'a>(
        &mut self,
        ranges: &'a HashMap<&'static str, Range<Data>>,
        sheet: &str,
        required: &[&str],
    ) -> Option<Table<'a>> {
        let range = ranges.get(sheet)?;
        match Table::locate(sheet, range, required) {
            Ok(table) => Some(table),
            Err(missing) => {
                let columns = missing.iter().map(|m| format!("„{m}”")).collect::<Vec<_>>().join(", ");
                self.error(
                    CellRef::new(sheet, range.start().map(|s| s.0).unwrap_or(0), 0),
                    ProblemKind::MissingColumns { columns },
                );
                None
            }
        }
    }

    /// The text under `column`, or an error if it is empty.
    pub(super) fn required(&mut self, row: &Row, column: &str) -> Option<String> {
        let text = row.text(column);
        if text.is_none() {
            self.error(row.cell_ref(column), ProblemKind::MissingValue { column: column.to_string() });
        }
        text
    }

    /// A required id: checked against `valid`, and registered as unique in `registry`.
    pub(super) fn id(
        &mut self,
        row: &Row,
        registry: &mut IdRegistry,
        valid: fn(&str) -> bool,
        rule: &'static str,
    ) -> Option<String> {
        let id = self.required(row, "ID")?;
        let at = row.cell_ref("ID");
        if !valid(&id) {
            self.error(at, ProblemKind::InvalidId { id, rule });
            return None;
        }
        let key = registry.key(&id);
        if let Some(first) = registry.seen.get(&key) {
            self.error(at, ProblemKind::DuplicateId { id, first: format!("w komórce {first}") });
            return None;
        }
        registry.seen.insert(key, at);
        Some(id)
    }

    pub(super) fn choice<T: Copy>(
        &mut self,
        row: &Row,
        column: &str,
        options: &[(&str, T)],
        allowed: &'static str,
        default: Option<T>,
    ) -> Option<T> {
        let Some(value) = row.text(column) else {
            if default.is_none() {
                self.error(row.cell_ref(column), ProblemKind::MissingValue { column: column.to_string() });
            }
            return default;
        };
        let folded = fold(&value);
        match options.iter().find(|(name, _)| fold(name) == folded) {
            Some((_, t)) => Some(*t),
            None => {
                self.error(
                    row.cell_ref(column),
                    ProblemKind::InvalidChoice { column: column.to_string(), value, allowed },
                );
                None
            }
        }
    }

    fn number(&mut self, row: &Row, column: &str) -> Option<f64> {
        self.number_at(row.raw(column)?, row.cell_ref(column), column)
    }

    /// A number cell, or text like `1 234,5`; an error naming `what` otherwise.
    fn number_at(&mut self, data: &Data, at: CellRef, what: &str) -> Option<f64> {
        let parsed = match data {
            Data::Int(i) => Some(*i as f64),
            Data::Float(f) => Some(*f),
            other => {
                cell_text(other).and_then(|t| t.replace([' ', '\u{a0}'], "").replace(',', ".").parse::<f64>().ok())
            }
        };
        if parsed.is_none() {
            self.error(
                at,
                ProblemKind::InvalidNumber { column: what.to_string(), value: cell_text(data).unwrap_or_default() },
            );
        }
        parsed
    }

    fn email(&mut self, row: &Row, column: &str) -> Option<String> {
        let value = row.text(column)?;
        if !looks_like_email(&value) {
            self.warning(row.cell_ref(column), ProblemKind::InvalidEmail { value: value.clone() });
        }
        Some(value)
    }

    fn read(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Option<Program> {
        let settings = self.settings(ranges);
        let groups = self.groups(ranges);
        let institutions = self.institutions(ranges, &groups);
        let goals = self.goals(ranges);
        let tasks = self.tasks(ranges, &goals);
        let breakdowns = self.breakdowns(ranges);
        let tables = self.tables(ranges);
        let context = IndicatorContext {
            tasks: &tasks,
            groups: &groups,
            institutions: &institutions,
            breakdowns: &breakdowns,
            tables: &tables,
        };
        let (indicators, declared_indicators) = self.indicators(ranges, &context);
        let checks = self.checks(ranges, &indicators, &declared_indicators);
        let need_categories = self.need_categories(ranges);
        let refs = References {
            institutions: &institutions,
            tasks: &tasks,
            indicators: &indicators,
            need_categories: &need_categories,
        };
        let foster_care = self.foster_care(ranges, &refs);
        let assistance = self.assistance(ranges, &refs);
        let coordinator_needs = self.coordinator_needs(ranges, &refs);
        self.completeness(&goals, &tasks, &indicators, &institutions);
        let index = ProgramIndex::of(&institutions, &indicators);
        Some(Program {
            settings: settings?,
            groups,
            institutions,
            goals,
            tasks,
            indicators,
            checks,
            need_categories,
            foster_care,
            assistance,
            coordinator_needs,
            breakdowns,
            tables,
            index,
        })
    }

    /// The `Ustawienia` sheet: every setting checked, the settings only when none is missing.
    fn settings(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Option<Settings> {
        const NAMES: [&str; 11] = [
            "Identyfikator programu",
            "Gmina",
            "Nazwa programu",
            "Lata programu",
            "Uchwała",
            "Jednostka koordynująca",
            "Koordynator",
            "E-mail koordynatora",
            "Telefon koordynatora",
            "Rok sprawozdawczy",
            "Termin zwrotu",
        ];
        const OPTIONAL: [&str; 2] = ["Uchwała", "Telefon koordynatora"];
        let (values, header_at) = self.key_values(ranges, sheets::SETTINGS, &NAMES)?;
        let kv = KeyValues { values: &values, header_at: &header_at };
        let mut missing = self.missing_settings(&kv, &NAMES, &OPTIONAL);
        let program_id = kv.text("Identyfikator programu").unwrap_or_default();
        if !self.valid_program_id(&kv, &program_id) {
            missing = true;
        }
        let (program_years, report_year) = self.program_and_report_years(&kv);
        let deadline = self.return_deadline(&kv, report_year);
        let email = kv.text("E-mail koordynatora").unwrap_or_default();
        if !email.is_empty() && !looks_like_email(&email) {
            self.warning(kv.at("E-mail koordynatora"), ProblemKind::InvalidEmail { value: email.clone() });
        }
        if missing {
            return None;
        }
        Some(Settings {
            program_id,
            municipality: kv.text("Gmina")?,
            program_name: kv.text("Nazwa programu")?,
            program_years: program_years?,
            resolution: kv.text("Uchwała"),
            coordinating_unit: kv.text("Jednostka koordynująca")?,
            coordinator: kv.text("Koordynator")?,
            coordinator_email: email,
            coordinator_phone: kv.text("Telefon koordynatora"),
            report_year: report_year?,
            return_deadline: deadline?,
        })
    }

    /// Reports every required setting left empty, at the header; true if any is.
    fn missing_settings(&mut self, kv: &KeyValues, names: &[&str], optional: &[&str]) -> bool {
        let mut missing = false;
        for name in names.iter().filter(|n| !optional.contains(n)) {
            if kv.text(name).is_none() {
                self.error(kv.header_at.clone(), ProblemKind::MissingSetting { name: name.to_string() });
                missing = true;
            }
        }
        missing
    }

    /// Whether `program_id` (possibly empty) uses only the characters allowed in it; reports it if not.
    fn valid_program_id(&mut self, kv: &KeyValues, program_id: &str) -> bool {
        if !program_id.is_empty() && !program_id.chars().all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c)) {
            self.error(
                kv.at("Identyfikator programu"),
                ProblemKind::InvalidId { id: program_id.to_string(), rule: TASK_ID_RULE },
            );
            return false;
        }
        true
    }

    /// `Lata programu` and `Rok sprawozdawczy`, each checked, and the year checked to lie
    /// within the programme's years.
    fn program_and_report_years(&mut self, kv: &KeyValues) -> (Option<(i32, i32)>, Option<i32>) {
        let years_text = kv.text("Lata programu").unwrap_or_default();
        let program_years = parse_year_range(&years_text);
        if program_years.is_none() && !years_text.is_empty() {
            self.error(
                kv.at("Lata programu"),
                ProblemKind::InvalidYear { value: years_text.clone(), expected: "zakresem lat, np. 2024-2027" },
            );
        }
        let year_text = kv.text("Rok sprawozdawczy").unwrap_or_default();
        let report_year = year_text.parse::<i32>().ok().filter(|y| (2000..=2100).contains(y));
        if report_year.is_none() && !year_text.is_empty() {
            self.error(
                kv.at("Rok sprawozdawczy"),
                ProblemKind::InvalidYear { value: year_text.clone(), expected: "rokiem, np. 2025" },
            );
        }
        if let (Some((from, to)), Some(year)) = (program_years, report_year)
            && (year < from || year > to)
        {
            self.error(kv.at("Rok sprawozdawczy"), ProblemKind::YearOutsideProgram { year, years: years_text });
        }
        (program_years, report_year)
    }

    /// `Termin zwrotu` as a date, checked to fall after the reported year.
    fn return_deadline(&mut self, kv: &KeyValues, report_year: Option<i32>) -> Option<NaiveDate> {
        let deadline = kv.values.get("Termin zwrotu").and_then(|(d, at)| {
            let parsed = parse_date(d);
            if parsed.is_none() {
                self.error(at.clone(), ProblemKind::InvalidDate { value: cell_text(d).unwrap_or_default() });
            }
            parsed
        });
        if let (Some(deadline), Some(year)) = (deadline, report_year)
            && deadline.year() <= year
        {
            self.error(
                kv.at("Termin zwrotu"),
                ProblemKind::DeadlineBeforeYearEnd { deadline: deadline.format("%d.%m.%Y").to_string(), year },
            );
        }
        deadline
    }

    /// A two-column `Ustawienie` / `Wartość` sheet: each known name's value and cell, and
    /// the header cell; unknown names get a warning.
    fn key_values(
        &mut self,
        ranges: &HashMap<&'static str, Range<Data>>,
        sheet: &str,
        names: &[&'static str],
    ) -> Option<(SettingValues, CellRef)> {
        let table = self.table(ranges, sheet, &["Ustawienie", "Wartość"])?;
        let mut values = HashMap::new();
        for row in table.rows() {
            let Some(name) = row.text("Ustawienie") else { continue };
            match names.iter().find(|n| fold(n) == fold(&name)) {
                Some(known) => {
                    if let Some(value) = row.raw("Wartość") {
                        values.insert(*known, (value.clone(), row.cell_ref("Wartość")));
                    }
                }
                None => self.warning(
                    row.cell_ref("Ustawienie"),
                    ProblemKind::UnknownSetting {
                        name,
                        known: names.iter().map(|n| format!("„{n}”")).collect::<Vec<_>>().join(", "),
                    },
                ),
            }
        }
        Some((values, table.header_ref("Ustawienie")))
    }

    fn groups(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Vec<Group> {
        let Some(table) = self.table(ranges, sheets::GROUPS, &["ID", "Nazwa"]) else { return vec![] };
        let mut registry = IdRegistry { case_insensitive: true, ..Default::default() };
        let mut groups = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_simple_id, ID_RULE);
            let name = self.required(&row, "Nazwa");
            if let (Some(id), Some(name)) = (id, name) {
                groups.push(Group { id, name });
            }
        }
        groups
    }

    fn institutions(&mut self, ranges: &HashMap<&'static str, Range<Data>>, groups: &[Group]) -> Vec<Institution> {
        let Some(table) = self.table(ranges, sheets::INSTITUTIONS, &["ID", "Nazwa", "Grupa"]) else { return vec![] };
        // Institution ids name template files, so they must differ ignoring case (Windows),
        // and must not equal a group id, since `Raportują` mixes both (matched exactly there).
        let mut registry = IdRegistry { case_insensitive: true, ..Default::default() };
        let mut institutions = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_simple_id, ID_RULE);
            if let Some(id) = &id
                && groups.iter().any(|g| &g.id == id)
            {
                self.error(
                    row.cell_ref("ID"),
                    ProblemKind::DuplicateId {
                        id: id.clone(),
                        first: format!("jako grupa w arkuszu „{}”", sheets::GROUPS),
                    },
                );
            }
            let name = self.required(&row, "Nazwa");
            let group = self.required(&row, "Grupa");
            if let Some(g) = &group
                && !groups.iter().any(|x| &x.id == g)
            {
                self.error(row.cell_ref("Grupa"), ProblemKind::UnknownGroup { id: g.clone() });
            }
            let email = self.email(&row, "E-mail");
            if let (Some(id), Some(name), Some(group)) = (id, name, group) {
                institutions.push(Institution {
                    id,
                    name,
                    group,
                    email,
                    contact_person: row.text("Osoba kontaktowa"),
                    phone: row.text("Telefon"),
                });
            }
        }
        institutions
    }

    fn goals(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Vec<Goal> {
        let Some(table) = self.table(ranges, sheets::GOALS, &["ID", "Nazwa"]) else { return vec![] };
        let mut registry = IdRegistry::default();
        let mut goals = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_task_id, TASK_ID_RULE);
            let name = self.required(&row, "Nazwa");
            if let (Some(id), Some(name)) = (id, name) {
                goals.push(Goal { id, name });
            }
        }
        goals
    }

    fn tasks(&mut self, ranges: &HashMap<&'static str, Range<Data>>, goals: &[Goal]) -> Vec<Task> {
        let Some(table) = self.table(ranges, sheets::TASKS, &["ID", "Cel", "Nazwa"]) else { return vec![] };
        let mut registry = IdRegistry::default();
        let mut tasks = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_task_id, TASK_ID_RULE);
            let goal = self.required(&row, "Cel");
            if let Some(g) = &goal
                && !goals.iter().any(|x| &x.id == g)
            {
                self.error(row.cell_ref("Cel"), ProblemKind::UnknownGoal { id: g.clone() });
            }
            let name = self.required(&row, "Nazwa");
            if let (Some(id), Some(goal), Some(name)) = (id, goal, name) {
                tasks.push(Task { id, goal, name });
            }
        }
        tasks
    }

    /// The `Wskaźniki` sheet: every indicator, each broken-down one followed by its parts,
    /// and every well-formed id (generated part ids included).
    fn indicators(
        &mut self,
        ranges: &HashMap<&'static str, Range<Data>>,
        context: &IndicatorContext,
    ) -> (Vec<Indicator>, Vec<String>) {
        const REQUIRED: [&str; 8] = ["ID", "Zadanie", "Nazwa", "Jednostka", "Typ", "Okres", "Raportują", "Łączenie"];
        let Some(table) = self.table(ranges, sheets::INDICATORS, &REQUIRED) else { return (vec![], vec![]) };
        let mut registry = IdRegistry::default();
        let mut indicators = Vec::new();
        let mut breakdown_cells = HashMap::new();
        let mut taken_cells = HashMap::new();
        for row in table.rows() {
            let Some((indicator, grouping)) = self.indicator(&row, &mut registry, context) else { continue };
            if let Some(cell) = &grouping.cell {
                self.claim_cell(&indicator.id, cell, context.tables, &mut taken_cells);
            }
            if let Some((_, at)) = grouping.breakdown {
                breakdown_cells.insert(indicator.id.clone(), at);
            }
            indicators.push(indicator);
        }
        let indicators = self.with_parts(indicators, &breakdown_cells, context.breakdowns, &mut registry);
        // Every well-formed id, including rows with other mistakes, so that a check naming
        // such an indicator is not reported a second time as "unknown".
        let declared = registry.seen.into_keys().collect();
        (indicators, declared)
    }

    /// One `Wskaźniki` row as an indicator, reporting every mistake in it in column order.
    fn indicator(
        &mut self,
        row: &Row,
        registry: &mut IdRegistry,
        context: &IndicatorContext,
    ) -> Option<(Indicator, Grouping)> {
        let id = self.id(row, registry, is_indicator_id, INDICATOR_ID_RULE);
        let task = self.required(row, "Zadanie");
        if let Some(t) = &task
            && !context.tasks.iter().any(|x| &x.id == t)
        {
            self.error(row.cell_ref("Zadanie"), ProblemKind::UnknownTask { id: t.clone() });
        }
        let label = self.required(row, "Nazwa");
        let unit = self.required(row, "Jednostka");
        let value_type = self.indicator_value_type(row);
        let period = self.indicator_period(row);
        let combine = self.indicator_combine(row);
        let required = self.choice(row, "Wymagany", &[("tak", true), ("nie", false)], "„tak”, „nie”", Some(false));
        let (min, max) = self.indicator_bounds(row);
        let reporters = self.reporters(row, id.as_deref(), context.groups, context.institutions);
        let grouping = self.grouping(row, value_type, context.breakdowns, context.tables);
        let (
            Some(id),
            Some(task),
            Some(label),
            Some(unit),
            Some(value_type),
            Some(period),
            Some(combine),
            Some(required),
            Some((as_written, reported_by)),
        ) = (id, task, label, unit, value_type, period, combine, required, reporters)
        else {
            return None;
        };
        let indicator = Indicator {
            id,
            task,
            label,
            unit,
            value_type,
            period,
            reported_by,
            reporters_as_written: as_written,
            combine,
            min,
            max,
            required,
            hint: row.text("Objaśnienie"),
            breakdown: grouping.breakdown.as_ref().map(|(id, _)| id.clone()),
            part_of: None,
            cell: grouping.cell.as_ref().map(|(cell, _)| cell.clone()),
        };
        Some((indicator, grouping))
    }

    /// The indicator's `Typ`: what kind of number its value is.
    fn indicator_value_type(&mut self, row: &Row) -> Option<ValueType> {
        self.choice(
            row,
            "Typ",
            &[
                ("liczba całkowita", ValueType::WholeCount),
                ("całkowita", ValueType::WholeCount),
                ("kwota", ValueType::Amount),
                ("kwota zł", ValueType::Amount),
                ("liczba dziesiętna", ValueType::Decimal),
                ("dziesiętna", ValueType::Decimal),
                ("tak/nie", ValueType::YesNo),
                ("status zadania", ValueType::TaskStatus),
                ("stan realizacji", ValueType::TaskStatus),
            ],
            "„liczba całkowita”, „kwota”, „liczba dziesiętna”, „tak/nie”, „status zadania”",
            None,
        )
    }

    /// The indicator's `Okres`: counted over the year or as of 31 December.
    fn indicator_period(&mut self, row: &Row) -> Option<Period> {
        self.choice(
            row,
            "Okres",
            &[("w ciągu roku", Period::Flow), ("stan na 31.12", Period::Stock), ("stan na 31 grudnia", Period::Stock)],
            "„w ciągu roku”, „stan na 31.12”",
            None,
        )
    }

    /// The indicator's `Łączenie`: how institutions' values combine into the municipality's.
    fn indicator_combine(&mut self, row: &Row) -> Option<Combine> {
        self.choice(
            row,
            "Łączenie",
            &[("suma", Combine::Sum), ("zgodność", Combine::MustAgree), ("maksimum", Combine::Max)],
            "„suma”, „zgodność”, „maksimum”",
            None,
        )
    }

    /// The indicator's optional `Min` and `Max`, with an error when they are reversed.
    fn indicator_bounds(&mut self, row: &Row) -> (Option<f64>, Option<f64>) {
        let min = self.number(row, "Min");
        let max = self.number(row, "Max");
        if let (Some(lo), Some(hi)) = (min, max)
            && lo > hi
        {
            self.error(
                row.cell_ref("Min"),
                ProblemKind::BoundsReversed { min: crate::polish::number(lo), max: crate::polish::number(hi) },
            );
        }
        (min, max)
    }

    /// Parses `Raportują` into the entries as written and the institutions they resolve to.
    fn reporters(
        &mut self,
        row: &Row,
        indicator: Option<&str>,
        groups: &[Group],
        institutions: &[Institution],
    ) -> Option<(Vec<String>, Vec<String>)> {
        let text = self.required(row, "Raportują")?;
        let at = row.cell_ref("Raportują");
        let entries: Vec<String> =
            text.split([',', ';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect();
        let mut ok = true;
        let mut empty_groups = Vec::new();
        for entry in &entries {
            let is_institution = institutions.iter().any(|i| &i.id == entry);
            let group = groups.iter().find(|g| &g.id == entry);
            if let Some(g) = group
                && !institutions.iter().any(|i| i.group == g.id)
            {
                empty_groups.push(format!("„{}”", g.id));
            }
            if !is_institution && group.is_none() {
                let candidates = institutions.iter().map(|i| i.id.as_str()).chain(groups.iter().map(|g| g.id.as_str()));
                self.error(
                    at.clone(),
                    ProblemKind::UnknownReporter { token: entry.clone(), hint: suggestion(entry, candidates) },
                );
                ok = false;
            }
        }
        let reported_by: Vec<String> = institutions
            .iter()
            .filter(|i| entries.iter().any(|e| e == &i.id || e == &i.group))
            .map(|i| i.id.clone())
            .collect();
        if ok && reported_by.is_empty() {
            self.error(
                at,
                ProblemKind::NobodyReports {
                    indicator: indicator.unwrap_or("?").to_string(),
                    groups: empty_groups.join(", "),
                },
            );
            return None;
        }
        ok.then_some((entries, reported_by))
    }

    fn checks(
        &mut self,
        ranges: &HashMap<&'static str, Range<Data>>,
        indicators: &[Indicator],
        declared: &[String],
    ) -> Vec<Check> {
        const REQUIRED: [&str; 5] = ["ID", "Warunek", "Waga", "Zakres", "Komunikat"];
        let Some(table) = self.table(ranges, sheets::CHECKS, &REQUIRED) else { return vec![] };
        let mut registry = IdRegistry::default();
        let mut checks = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_task_id, TASK_ID_RULE);
            let text = self.required(&row, "Warunek");
            let condition = text.as_ref().and_then(|t| match Condition::parse(t) {
                Ok(c) => Some(c),
                Err(error) => {
                    self.error(row.cell_ref("Warunek"), ProblemKind::CheckSyntax { condition: t.clone(), error });
                    None
                }
            });
            let severity = self.choice(
                &row,
                "Waga",
                &[("błąd", CheckSeverity::Error), ("ostrzeżenie", CheckSeverity::Warning)],
                "„błąd”, „ostrzeżenie”",
                None,
            );
            let scope = self.choice(
                &row,
                "Zakres",
                &[("instytucja", CheckScope::EachInstitution), ("gmina", CheckScope::Municipality)],
                "„instytucja”, „gmina”",
                None,
            );
            let message = self.required(&row, "Komunikat");
            let mut refs_ok = true;
            if let Some(c) = &condition {
                for unknown in c.indicator_ids().into_iter().filter(|id| !declared.iter().any(|d| d == id)) {
                    let hint = suggestion(unknown, declared.iter().map(String::as_str));
                    self.error(
                        row.cell_ref("Warunek"),
                        ProblemKind::CheckUnknownIndicator { id: unknown.to_string(), hint },
                    );
                    refs_ok = false;
                }
                let ids = c.indicator_ids();
                for id in ids
                    .iter()
                    .filter(|id| indicators.iter().any(|i| i.id == **id && i.value_type == ValueType::TaskStatus))
                {
                    self.error(row.cell_ref("Warunek"), ProblemKind::CheckOnTaskState { id: id.to_string() });
                    refs_ok = false;
                }
                let all_parsed = ids.iter().all(|id| indicators.iter().any(|i| i.id == *id));
                if refs_ok && all_parsed && scope == Some(CheckScope::EachInstitution) {
                    let applies = indicators.iter().flat_map(|i| i.reported_by.iter()).any(|inst| {
                        ids.iter().all(|id| indicators.iter().any(|i| i.id == *id && i.reported_by.contains(inst)))
                    });
                    if !applies {
                        self.warning(
                            row.cell_ref("Zakres"),
                            ProblemKind::CheckNeverApplies {
                                ids: ids.iter().map(|i| format!("„{i}”")).collect::<Vec<_>>().join(", "),
                            },
                        );
                    }
                }
            }
            if let (Some(id), Some(text), Some(condition), Some(severity), Some(scope), Some(message), true) =
                (id, text, condition, severity, scope, message, refs_ok)
            {
                checks.push(Check { id, text, condition, severity, scope, message });
            }
        }
        checks
    }

    fn need_categories(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Vec<NeedCategory> {
        let Some(table) = self.table(ranges, sheets::NEED_CATEGORIES, &["ID", "Nazwa"]) else { return vec![] };
        let mut registry = IdRegistry::default();
        let mut categories = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_simple_id, ID_RULE);
            let name = self.required(&row, "Nazwa");
            if let (Some(id), Some(name)) = (id, name) {
                categories.push(NeedCategory { id, name });
            }
        }
        categories
    }

    /// The `Piecza zastępcza` sheet, if present.
    fn foster_care(
        &mut self,
        ranges: &HashMap<&'static str, Range<Data>>,
        refs: &References,
    ) -> Option<FosterCareSettings> {
        const REPORTER: &str = "Instytucja prowadząca pieczę";
        const RATES: [&str; 3] = [
            "Udział gminy w 1. roku pobytu (%)",
            "Udział gminy w 2. roku pobytu (%)",
            "Udział gminy od 3. roku pobytu (%)",
        ];
        const SINCE: &str = "Współfinansowanie umieszczeń od";
        const INDICATORS: [&str; 4] = [
            "Wskaźnik: wydatki gminy ogółem",
            "Wskaźnik: wydatki na pieczę rodzinną",
            "Wskaźnik: wydatki na pieczę instytucjonalną",
            "Wskaźnik: liczba dzieci",
        ];
        let names = [
            REPORTER,
            RATES[0],
            RATES[1],
            RATES[2],
            SINCE,
            INDICATORS[0],
            INDICATORS[1],
            INDICATORS[2],
            INDICATORS[3],
            "Zadanie",
            "Kategoria potrzeb",
        ];
        let (values, header_at) = self.key_values(ranges, sheets::FOSTER_CARE, &names)?;
        let kv = KeyValues { values: &values, header_at: &header_at };
        let reporter = match kv.text(REPORTER) {
            Some(id) => self.institution_ref(&kv, REPORTER, &id, refs),
            None => {
                self.error(header_at.clone(), ProblemKind::MissingSetting { name: REPORTER.to_string() });
                None
            }
        };
        let mut rates = crate::foster_care::Rates::default();
        for (i, name) in RATES.iter().enumerate() {
            let Some((data, at)) = values.get(name) else { continue };
            let text = cell_text(data).unwrap_or_default();
            let percent = match data {
                Data::Int(n) => Some(*n as f64),
                // A cell formatted as percent holds 0.1 for 10 %.
                Data::Float(f) if *f > 0.0 && *f < 1.0 => Some(f * 100.0),
                Data::Float(f) => Some(*f),
                _ => text.trim_end_matches('%').trim().replace(',', ".").parse::<f64>().ok(),
            }
            .filter(|p| (0.0..=100.0).contains(p) && p.fract() == 0.0);
            match percent {
                Some(p) => rates.percent_by_year_of_stay[i] = p as u32,
                None => self.error(at.clone(), ProblemKind::InvalidPercent { value: text }),
            }
        }
        if let Some((data, at)) = values.get(SINCE) {
            match parse_date(data) {
                Some(d) => rates.not_before = d,
                None => self.error(at.clone(), ProblemKind::InvalidDate { value: cell_text(data).unwrap_or_default() }),
            }
        }
        let [total, family, institutional, children] =
            INDICATORS.map(|name| kv.text(name).and_then(|id| self.indicator_ref(&kv, name, &id, refs)));
        Some(FosterCareSettings {
            reporter: reporter?,
            rates,
            task: kv.text("Zadanie").and_then(|id| self.task_ref(&kv, "Zadanie", &id, refs)),
            need_category: kv
                .text("Kategoria potrzeb")
                .and_then(|c| self.category_ref(&kv, "Kategoria potrzeb", &c, refs)),
            reported_total: total,
            reported_family: family,
            reported_institutional: institutional,
            reported_children: children,
        })
    }

    /// The `Asysta rodzinna` sheet, if present.
    fn assistance(
        &mut self,
        ranges: &HashMap<&'static str, Range<Data>>,
        refs: &References,
    ) -> Option<AssistanceSettings> {
        const FAMILIES: &str = "Wskaźnik: rodziny pod opieką asystentów";
        const ASSISTANTS: &str = "Wskaźnik: etaty asystentów";
        const LIMIT: &str = "Limit rodzin na etat asystenta";
        const COST: &str = "Roczny koszt etatu asystenta (zł)";
        let names = [FAMILIES, ASSISTANTS, LIMIT, COST, "Zadanie", "Kategoria potrzeb"];
        let (values, header_at) = self.key_values(ranges, sheets::ASSISTANCE, &names)?;
        let kv = KeyValues { values: &values, header_at: &header_at };
        let required = |this: &mut Self, name: &str| {
            let text = kv.text(name);
            if text.is_none() {
                this.error(header_at.clone(), ProblemKind::MissingSetting { name: name.to_string() });
            }
            text
        };
        let families = required(self, FAMILIES).and_then(|id| self.indicator_ref(&kv, FAMILIES, &id, refs));
        let assistants = required(self, ASSISTANTS).and_then(|id| self.indicator_ref(&kv, ASSISTANTS, &id, refs));
        let limit = required(self, LIMIT).and_then(|_| self.key_number(&kv, LIMIT)).filter(|l| *l > 0.0);
        let yearly_cost = kv.text(COST).and_then(|_| self.key_number(&kv, COST));
        Some(AssistanceSettings {
            families: families?,
            assistants: assistants?,
            limit: limit?,
            yearly_cost,
            task: kv.text("Zadanie").and_then(|id| self.task_ref(&kv, "Zadanie", &id, refs)),
            need_category: kv
                .text("Kategoria potrzeb")
                .and_then(|c| self.category_ref(&kv, "Kategoria potrzeb", &c, refs)),
        })
    }

    /// The `Potrzeby koordynatora` sheet: the same columns as an institution's `Potrzeby`.
    fn coordinator_needs(
        &mut self,
        ranges: &HashMap<&'static str, Range<Data>>,
        refs: &References,
    ) -> Vec<CoordinatorNeed> {
        use sheets::NEED_HEADERS;
        let Some(table) = self.table(ranges, sheets::COORDINATOR_NEEDS, &[NEED_HEADERS[0]]) else { return vec![] };
        let mut needs = Vec::new();
        for row in table.rows() {
            let Some(description) = self.required(&row, NEED_HEADERS[0]) else { continue };
            let category = row.text(NEED_HEADERS[1]).and_then(|c| match find_need_category(refs.need_categories, &c) {
                Some(k) => Some(k.id.clone()),
                None => {
                    self.error(row.cell_ref(NEED_HEADERS[1]), ProblemKind::UnknownNeedCategory { id: c });
                    None
                }
            });
            let task = row
                .text(NEED_HEADERS[2])
                .map(|t| t.split_whitespace().next().unwrap_or_default().trim_end_matches('.').to_string());
            if let Some(t) = &task
                && !refs.tasks.iter().any(|x| &x.id == t)
            {
                self.error(row.cell_ref(NEED_HEADERS[2]), ProblemKind::UnknownTask { id: t.clone() });
            }
            let cost = row.raw(NEED_HEADERS[3]).and_then(|_| self.number(&row, NEED_HEADERS[3]));
            needs.push(CoordinatorNeed {
                cell: row.cell_ref(NEED_HEADERS[0]).to_string(),
                description,
                category,
                task,
                cost,
                priority: row.text(NEED_HEADERS[4]),
                justification: row.text(NEED_HEADERS[5]),
            });
        }
        needs
    }

    /// `id` if it is one of `known`; otherwise an error at the setting's cell, built by `problem`
    /// from the id and a ` (czy chodziło o „X”?)` hint.
    fn reference<'k>(
        &mut self,
        kv: &KeyValues,
        name: &str,
        id: &str,
        known: impl Iterator<Item = &'k str> + Clone,
        problem: impl FnOnce(String, String) -> ProblemKind,
    ) -> Option<String> {
        if known.clone().any(|k| k == id) {
            return Some(id.to_string());
        }
        let hint = suggestion(id, known);
        self.error(kv.at(name), problem(id.to_string(), hint));
        None
    }

    fn institution_ref(&mut self, kv: &KeyValues, name: &str, id: &str, refs: &References) -> Option<String> {
        let known = refs.institutions.iter().map(|i| i.id.as_str());
        self.reference(kv, name, id, known, |id, hint| ProblemKind::UnknownInstitution { id, hint })
    }

    fn indicator_ref(&mut self, kv: &KeyValues, name: &str, id: &str, refs: &References) -> Option<String> {
        let known = refs.indicators.iter().map(|i| i.id.as_str());
        self.reference(kv, name, id, known, |id, hint| ProblemKind::UnknownIndicator { id, hint })
    }

    fn task_ref(&mut self, kv: &KeyValues, name: &str, id: &str, refs: &References) -> Option<String> {
        let known = refs.tasks.iter().map(|t| t.id.as_str());
        self.reference(kv, name, id, known, |id, _| ProblemKind::UnknownTask { id })
    }

    fn category_ref(&mut self, kv: &KeyValues, name: &str, text: &str, refs: &References) -> Option<String> {
        let found = find_need_category(refs.need_categories, text).map(|c| c.id.clone());
        if found.is_none() {
            self.error(kv.at(name), ProblemKind::UnknownNeedCategory { id: text.to_string() });
        }
        found
    }

    fn key_number(&mut self, kv: &KeyValues, name: &str) -> Option<f64> {
        let (data, at) = kv.values.get(name)?;
        self.number_at(data, at.clone(), name)
    }

    /// Warnings for parts of the structure nobody will fill in.
    fn completeness(&mut self, goals: &[Goal], tasks: &[Task], indicators: &[Indicator], institutions: &[Institution]) {
        let at = |sheet: &str| Location::Sheet(sheet.to_string());
        for goal in goals.iter().filter(|g| !tasks.iter().any(|t| t.goal == g.id)) {
            self.problem(at(sheets::GOALS), Severity::Warning, ProblemKind::GoalWithoutTasks { id: goal.id.clone() });
        }
        for task in tasks.iter().filter(|t| !indicators.iter().any(|i| i.task == t.id)) {
            self.problem(
                at(sheets::TASKS),
                Severity::Warning,
                ProblemKind::TaskWithoutIndicators { id: task.id.clone() },
            );
        }
        let reporting: HashSet<&str> =
            indicators.iter().flat_map(|i| i.reported_by.iter()).map(String::as_str).collect();
        for inst in institutions.iter().filter(|inst| !reporting.contains(inst.id.as_str())) {
            self.problem(
                at(sheets::INSTITUTIONS),
                Severity::Warning,
                ProblemKind::InstitutionReportsNothing { id: inst.id.clone() },
            );
        }
    }
}

/// Values of a key/value sheet: known setting name → (value, its cell).
type SettingValues = HashMap<&'static str, (Data, CellRef)>;

/// What an indicator row may refer to.
struct IndicatorContext<'a> {
    tasks: &'a [Task],
    groups: &'a [Group],
    institutions: &'a [Institution],
    breakdowns: &'a [Breakdown],
    tables: &'a [DataTable],
}

/// What the optional sheets may refer to.
struct References<'a> {
    institutions: &'a [Institution],
    tasks: &'a [Task],
    indicators: &'a [Indicator],
    need_categories: &'a [NeedCategory],
}

/// A key/value sheet's values, with the cell to point at when one is missing.
struct KeyValues<'a> {
    values: &'a HashMap<&'static str, (Data, CellRef)>,
    header_at: &'a CellRef,
}

impl KeyValues<'_> {
    fn text(&self, name: &str) -> Option<String> {
        self.values.get(name).and_then(|(d, _)| cell_text(d))
    }

    fn at(&self, name: &str) -> CellRef {
        self.values.get(name).map(|(_, at)| at.clone()).unwrap_or_else(|| self.header_at.clone())
    }
}

/// An id of ASCII letters, digits, `_` and `-`.
pub(super) fn is_simple_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

fn is_task_id(id: &str) -> bool {
    !id.is_empty() && id.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c))
}

fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else { return false };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !text.contains(char::is_whitespace)
}

fn parse_year_range(text: &str) -> Option<(i32, i32)> {
    let (a, b) = text.split_once(['-', '–', '—'])?;
    let (a, b) = (a.trim().parse::<i32>().ok()?, b.trim().parse::<i32>().ok()?);
    ((2000..=2100).contains(&a) && a <= b && b <= 2100).then_some((a, b))
}

/// A date from a date cell, or from text in ISO (`2026-02-13`) or Polish (`13.02.2026`) form.
pub(crate) fn parse_date(data: &Data) -> Option<NaiveDate> {
    match data {
        Data::DateTime(dt) => dt.as_datetime().map(|d| d.date()),
        Data::DateTimeIso(s) => NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok(),
        other => {
            let text = cell_text(other)?;
            let text = text.trim_end_matches("r.").trim();
            NaiveDate::parse_from_str(text, "%Y-%m-%d").or_else(|_| NaiveDate::parse_from_str(text, "%d.%m.%Y")).ok()
        }
    }
}

/// ` (czy chodziło o „X”?)` for the closest candidate (case-insensitive match or an edit
/// distance of at most 2), otherwise empty.
pub(super) fn suggestion<'a>(wrong: &str, candidates: impl Iterator<Item = &'a str>) -> String {
    let wrong_lower = wrong.to_lowercase();
    let best = candidates
        .map(|c| (edit_distance(&wrong_lower, &c.to_lowercase()), c))
        .filter(|(d, _)| *d <= 2)
        .min_by_key(|(d, c)| (*d, c.to_string()));
    match best {
        Some((_, c)) => format!(" (czy chodziło o „{c}”?)"),
        None => String::new(),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb)).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

use chrono::Datelike;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_accepts_missing_diacritics_and_case() {
        assert_eq!(fold("  Zgodność "), fold("zgodnosc"));
        assert_eq!(fold("Stan na  31.12"), "stan na 31.12");
    }

    #[test]
    fn year_ranges_and_dates() {
        assert_eq!(parse_year_range("2024-2027"), Some((2024, 2027)));
        assert_eq!(parse_year_range("2024 – 2027"), Some((2024, 2027)));
        assert_eq!(parse_year_range("2027-2024"), None);
        assert_eq!(parse_date(&Data::String("13.02.2026 r.".into())), NaiveDate::from_ymd_opt(2026, 2, 13));
        assert_eq!(parse_date(&Data::String("2026-02-13".into())), NaiveDate::from_ymd_opt(2026, 2, 13));
        assert_eq!(parse_date(&Data::String("luty".into())), None);
    }

    #[test]
    fn suggestions_find_near_misses() {
        assert_eq!(suggestion("SP33", ["SP3", "MOPS"].into_iter()), " (czy chodziło o „SP3”?)");
        assert_eq!(suggestion("mops", ["SP3", "MOPS"].into_iter()), " (czy chodziło o „MOPS”?)");
        assert_eq!(suggestion("BIBLIOTEKA", ["SP3", "MOPS"].into_iter()), "");
    }
}
