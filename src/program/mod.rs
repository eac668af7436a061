//! The programme definition: settings, institutions, goals → tasks → indicators, cross-checks
//! and needs categories, as read (and validated) from the workbook the coordinator edits.

pub mod expr;
pub mod grouping;
pub mod next_year;
mod problems;
mod read;
mod read_grouping;
pub mod write;

pub use problems::{Location, Problem, ProblemKind, Severity};
pub use read::{ProgramReading, read_program, read_program_bytes, read_program_from, unreadable_file};

use chrono::NaiveDate;
use expr::Condition;
pub use grouping::{Breakdown, DataTable, PartOf, PartsRule, TableCell, TaskStatus};
use std::collections::{HashMap, HashSet};

/// Sheet and column names of the definition workbook (see `docs/program-definition.md`).
pub mod sheets {
    /// Settings sheet.
    pub const SETTINGS: &str = "Ustawienia";
    /// Groups of institutions.
    pub const GROUPS: &str = "Grupy";
    /// Institutions.
    pub const INSTITUTIONS: &str = "Instytucje";
    /// Goals.
    pub const GOALS: &str = "Cele";
    /// Tasks.
    pub const TASKS: &str = "Zadania";
    /// Indicators.
    pub const INDICATORS: &str = "Wskaźniki";
    /// Cross-checks.
    pub const CHECKS: &str = "Kontrole";
    /// Needs categories.
    pub const NEED_CATEGORIES: &str = "Kategorie potrzeb";
    /// Foster-care co-financing settings (optional).
    pub const FOSTER_CARE: &str = "Piecza zastępcza";
    /// Family-assistant caseload settings (optional).
    pub const ASSISTANCE: &str = "Asysta rodzinna";
    /// The coordinator's own needs for next year (optional).
    pub const COORDINATOR_NEEDS: &str = "Potrzeby koordynatora";
    /// Breakdowns of indicators into parts (optional).
    pub const BREAKDOWNS: &str = "Podziały";
    /// Numbered tables of indicators (optional).
    pub const TABLES: &str = "Tabele";
    /// Every sheet, in workbook order.
    pub const ALL: [&str; 13] = [
        SETTINGS,
        GROUPS,
        INSTITUTIONS,
        GOALS,
        TASKS,
        BREAKDOWNS,
        TABLES,
        INDICATORS,
        CHECKS,
        NEED_CATEGORIES,
        FOSTER_CARE,
        ASSISTANCE,
        COORDINATOR_NEEDS,
    ];
    /// Sheets a definition may leave out.
    pub const OPTIONAL: [&str; 7] =
        [BREAKDOWNS, TABLES, CHECKS, NEED_CATEGORIES, FOSTER_CARE, ASSISTANCE, COORDINATOR_NEEDS];
    /// The columns of a list of needs: `Potrzeby koordynatora` here, and `Potrzeby` in every
    /// institution's template.
    pub const NEED_HEADERS: [&str; 6] =
        ["Opis potrzeby", "Kategoria", "Zadanie", "Szacowany koszt (zł)", "Priorytet", "Uzasadnienie"];
}

/// Programme-wide settings from the `Ustawienia` sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// Short stable id written into every template (`mielec-gpwr-2024-2027`).
    pub program_id: String,
    /// Municipality (`Gmina Miejska Mielec`).
    pub municipality: String,
    /// Programme name.
    pub program_name: String,
    /// First and last year of the programme.
    pub program_years: (i32, i32),
    /// Council resolution that adopted the programme.
    pub resolution: Option<String>,
    /// The coordinating unit (MOPS/OPS/GOPS).
    pub coordinating_unit: String,
    /// Coordinator's name.
    pub coordinator: String,
    /// Coordinator's e-mail.
    pub coordinator_email: String,
    /// Coordinator's phone.
    pub coordinator_phone: Option<String>,
    /// The year reported on.
    pub report_year: i32,
    /// The date by which institutions return their templates.
    pub return_deadline: NaiveDate,
}

/// A group of institutions (`szkoly`, `policja`…).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// Stable id.
    pub id: String,
    /// Polish name.
    pub name: String,
}

/// A partner institution that reports figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Institution {
    /// Stable id (`SP3`), unique ignoring case.
    pub id: String,
    /// Full name.
    pub name: String,
    /// Group id.
    pub group: String,
    /// Where templates are sent.
    pub email: Option<String>,
    /// Contact person.
    pub contact_person: Option<String>,
    /// Phone.
    pub phone: Option<String>,
}

/// A goal of the programme (`cel szczegółowy / operacyjny`).
#[derive(Debug, Clone, PartialEq)]
pub struct Goal {
    /// Stable id (`C1`).
    pub id: String,
    /// Polish name.
    pub name: String,
}

/// A task of a goal (`zadanie`).
#[derive(Debug, Clone, PartialEq)]
pub struct Task {
    /// Stable id (`Z1.1`).
    pub id: String,
    /// The goal's id.
    pub goal: String,
    /// Polish name.
    pub name: String,
}

/// What kind of value an indicator holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ValueType {
    /// A whole count ≥ 0.
    WholeCount,
    /// An amount in PLN with two decimals.
    Amount,
    /// A decimal number.
    Decimal,
    /// Yes or no.
    YesNo,
    /// The state of a task ([`TaskStatus`]), kept as its code.
    TaskStatus,
}

/// Whether an indicator is a stock at year end or a flow during the year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Counted during the year (`w ciągu roku`).
    Flow,
    /// As of 31 December (`stan na 31.12`).
    Stock,
}

/// How values of several institutions combine into the municipality's figure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Combine {
    /// Add them up.
    Sum,
    /// They describe the same fact and must agree (never summed).
    MustAgree,
    /// Take the largest.
    Max,
}

/// One indicator (`wskaźnik`).
#[derive(Debug, Clone, PartialEq)]
pub struct Indicator {
    /// Stable id (`C1.asystent.rodziny`).
    pub id: String,
    /// The task's id.
    pub task: String,
    /// Polish label.
    pub label: String,
    /// Unit shown to institutions.
    pub unit: String,
    /// Value type.
    pub value_type: ValueType,
    /// Stock or flow.
    pub period: Period,
    /// Institution ids that report it, in the order of the `Instytucje` sheet.
    pub reported_by: Vec<String>,
    /// The `Raportują` entries as written (institution and group ids).
    pub reporters_as_written: Vec<String>,
    /// Combination rule.
    pub combine: Combine,
    /// Lower plausibility bound.
    pub min: Option<f64>,
    /// Upper plausibility bound.
    pub max: Option<f64>,
    /// Whether a value is required.
    pub required: bool,
    /// Hint shown to institutions.
    pub hint: Option<String>,
    /// The breakdown (`Podział`) whose parts follow this indicator, if any.
    pub breakdown: Option<String>,
    /// The whole this indicator is a part of, for the generated parts of a breakdown.
    pub part_of: Option<PartOf>,
    /// The indicator's place in a numbered table, if any.
    pub cell: Option<TableCell>,
}

/// Severity of a failed cross-check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckSeverity {
    /// `błąd`
    Error,
    /// `ostrzeżenie`
    Warning,
}

/// Where a cross-check is evaluated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckScope {
    /// On each institution's own values (`instytucja`).
    EachInstitution,
    /// On the municipality totals (`gmina`).
    Municipality,
}

/// A cross-check (`kontrola`).
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// Stable id (`K01`).
    pub id: String,
    /// The condition as written.
    pub text: String,
    /// The parsed condition.
    pub condition: Condition,
    /// Severity.
    pub severity: CheckSeverity,
    /// Scope.
    pub scope: CheckScope,
    /// Polish message.
    pub message: String,
}

/// A category for needs (`kategoria potrzeb`).
#[derive(Debug, Clone, PartialEq)]
pub struct NeedCategory {
    /// Stable id.
    pub id: String,
    /// Polish name.
    pub name: String,
}

/// How foster-care co-financing is computed and checked (sheet `Piecza zastępcza`).
#[derive(Debug, Clone, PartialEq)]
pub struct FosterCareSettings {
    /// The institution that reports placements (PCPR): its template gets the placements table.
    pub reporter: String,
    /// Shares by year of stay and the start date of co-financing.
    pub rates: crate::foster_care::Rates,
    /// The task the co-financing belongs to (for the needs summary and the report).
    pub task: Option<String>,
    /// The needs category of the next-year co-financing need (a category id).
    pub need_category: Option<String>,
    /// Indicator where the coordinator reports the municipality's total expense.
    pub reported_total: Option<String>,
    /// … the expense on family-based care.
    pub reported_family: Option<String>,
    /// … the expense on institutional care.
    pub reported_institutional: Option<String>,
    /// … the number of co-financed children.
    pub reported_children: Option<String>,
}

/// When the data shows too few family assistants (sheet `Asysta rodzinna`).
#[derive(Debug, Clone, PartialEq)]
pub struct AssistanceSettings {
    /// Indicator: families with an assistant at year end.
    pub families: String,
    /// Indicator: assistants in full-time equivalents at year end.
    pub assistants: String,
    /// Most families per full-time assistant (art. 15 ust. 3 of the act: 15).
    pub limit: f64,
    /// Yearly cost of one full-time assistant, in PLN, to price the need.
    pub yearly_cost: Option<f64>,
    /// The task.
    pub task: Option<String>,
    /// The needs category (id).
    pub need_category: Option<String>,
}

/// One of the coordinator's own needs (sheet `Potrzeby koordynatora`).
#[derive(Debug, Clone, PartialEq)]
pub struct CoordinatorNeed {
    /// Where it is in the definition, e.g. `Potrzeby koordynatora!A3`.
    pub cell: String,
    /// What is needed.
    pub description: String,
    /// Category id.
    pub category: Option<String>,
    /// Task id.
    pub task: Option<String>,
    /// Estimated cost in PLN.
    pub cost: Option<f64>,
    /// Priority.
    pub priority: Option<String>,
    /// Justification.
    pub justification: Option<String>,
}

/// The category of `categories` named by its id or its name, ignoring case and diacritics.
pub fn find_need_category<'a>(categories: &'a [NeedCategory], id_or_name: &str) -> Option<&'a NeedCategory> {
    let key = crate::table::fold(id_or_name);
    categories.iter().find(|c| crate::table::fold(&c.id) == key || crate::table::fold(&c.name) == key)
}

/// A complete, validated programme definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    /// Settings.
    pub settings: Settings,
    /// Groups.
    pub groups: Vec<Group>,
    /// Institutions, in sheet order.
    pub institutions: Vec<Institution>,
    /// Goals, in sheet order.
    pub goals: Vec<Goal>,
    /// Tasks, in sheet order.
    pub tasks: Vec<Task>,
    /// Indicators, in sheet order.
    pub indicators: Vec<Indicator>,
    /// Cross-checks.
    pub checks: Vec<Check>,
    /// Needs categories.
    pub need_categories: Vec<NeedCategory>,
    /// Foster-care co-financing, if the programme computes it.
    pub foster_care: Option<FosterCareSettings>,
    /// Family-assistant caseload rule, if the programme has one.
    pub assistance: Option<AssistanceSettings>,
    /// The coordinator's own needs.
    pub coordinator_needs: Vec<CoordinatorNeed>,
    /// Breakdowns of indicators into parts.
    pub breakdowns: Vec<Breakdown>,
    /// Numbered tables of indicators, in order.
    pub tables: Vec<DataTable>,
    /// Look-ups by institution, built once by the reader (from `institutions` and
    /// `indicators`, which are not to be changed afterwards) so that per-institution
    /// questions cost the same for 50 institutions as for 50 000.
    index: ProgramIndex,
}

/// Positions in [`Program`]'s lists by institution id.
#[derive(Debug, Clone, PartialEq, Default)]
struct ProgramIndex {
    /// Position in `institutions`.
    institution: HashMap<String, usize>,
    /// Positions in `indicators` of what each institution reports, in sheet order.
    indicators: HashMap<String, Vec<usize>>,
}

impl ProgramIndex {
    /// The index of these lists.
    fn of(institutions: &[Institution], indicators: &[Indicator]) -> Self {
        let mut index = ProgramIndex::default();
        for (i, institution) in institutions.iter().enumerate() {
            index.institution.entry(institution.id.clone()).or_insert(i);
        }
        for (i, indicator) in indicators.iter().enumerate() {
            for institution in &indicator.reported_by {
                let positions = index.indicators.entry(institution.clone()).or_default();
                // An institution listed twice in `reported_by` still reports the indicator once.
                if positions.last() != Some(&i) {
                    positions.push(i);
                }
            }
        }
        index
    }
}

impl Program {
    /// The institution with this id.
    pub fn institution(&self, id: &str) -> Option<&Institution> {
        self.index.institution.get(id).map(|&i| &self.institutions[i])
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The goal with this id.
    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    /// The needs category with this id or name (ignoring case and diacritics).
    pub fn need_category(&self, id_or_name: &str) -> Option<&NeedCategory> {
        find_need_category(&self.need_categories, id_or_name)
    }

    /// The goal of a task.
    pub fn goal_of_task(&self, task_id: &str) -> Option<&Goal> {
        self.task(task_id).and_then(|t| self.goal(&t.goal))
    }

    /// The task with this id.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The indicator with this id.
    pub fn indicator(&self, id: &str) -> Option<&Indicator> {
        self.indicators.iter().find(|i| i.id == id)
    }

    /// The institutions that report at least one indicator (those that get a template),
    /// in definition order.
    pub fn reporting_institutions(&self) -> impl Iterator<Item = &Institution> {
        self.institutions.iter().filter(|i| self.indicators_for(&i.id).next().is_some())
    }

    /// The indicators `institution_id` reports, in definition order.
    pub fn indicators_for<'a>(&'a self, institution_id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.index.indicators.get(institution_id).into_iter().flatten().map(|&i| &self.indicators[i])
    }

    /// The indicators `institution_id` reports on its `Wskaźniki` sheet: all but table cells.
    pub fn listed_indicators_for<'a>(&'a self, institution_id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators_for(institution_id).filter(|i| i.cell.is_none())
    }

    /// The tables in which `institution_id` reports at least one cell, in order.
    pub fn tables_for(&self, institution_id: &str) -> Vec<&DataTable> {
        let cells: HashSet<&str> =
            self.indicators_for(institution_id).filter_map(|i| i.cell.as_ref()).map(|c| c.table.as_str()).collect();
        self.tables.iter().filter(|t| cells.contains(t.id.as_str())).collect()
    }

    /// The table with this id.
    pub fn table(&self, id: &str) -> Option<&DataTable> {
        self.tables.iter().find(|t| t.id == id)
    }

    /// The breakdown with this id.
    pub fn breakdown(&self, id: &str) -> Option<&Breakdown> {
        self.breakdowns.iter().find(|b| b.id == id)
    }

    /// The parts of the whole indicator `whole_id`, in category order.
    pub fn parts_of<'a>(&'a self, whole_id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.part_of.as_ref().is_some_and(|p| p.whole == whole_id))
    }

    /// The indicators placed in table `table_id`.
    pub fn cells_of<'a>(&'a self, table_id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.cell.as_ref().is_some_and(|c| c.table == table_id))
    }

    /// The indicator's label where it stands alone (a chart, a list): a breakdown's part is
    /// named with its whole, `Liczba osób… – z tego: kobiety`.
    pub fn full_label(&self, indicator: &Indicator) -> String {
        match indicator.part_of.as_ref().and_then(|p| self.indicator(&p.whole)) {
            Some(whole) => format!("{} – {}", whole.label, indicator.label),
            None => indicator.label.clone(),
        }
    }

    /// The indicator in row `row`, column `column` of table `table_id`.
    pub fn cell_indicator<'a>(&'a self, table_id: &'a str, row: usize, column: usize) -> Option<&'a Indicator> {
        self.cells_of(table_id).find(|i| i.cell.as_ref().is_some_and(|c| c.row == row && c.column == column))
    }

    /// The tasks in which `institution_id` reports at least one indicator, in definition order.
    pub fn tasks_for(&self, institution_id: &str) -> Vec<&Task> {
        let reported: HashSet<&str> = self.indicators_for(institution_id).map(|i| i.task.as_str()).collect();
        self.tasks.iter().filter(|t| reported.contains(t.id.as_str())).collect()
    }
}

impl ValueType {
    /// The Polish name used in the definition workbook.
    pub fn polish(self) -> &'static str {
        match self {
            ValueType::WholeCount => "liczba całkowita",
            ValueType::Amount => "kwota",
            ValueType::Decimal => "liczba dziesiętna",
            ValueType::YesNo => "tak/nie",
            ValueType::TaskStatus => "status zadania",
        }
    }
}

impl Period {
    /// The Polish name used in the definition workbook and templates.
    pub fn polish(self) -> &'static str {
        match self {
            Period::Flow => "w ciągu roku",
            Period::Stock => "stan na 31.12",
        }
    }
}

impl Combine {
    /// The Polish name used in the definition workbook.
    pub fn polish(self) -> &'static str {
        match self {
            Combine::Sum => "suma",
            Combine::MustAgree => "zgodność",
            Combine::Max => "maksimum",
        }
    }
}

impl CheckSeverity {
    /// The Polish name used in the definition workbook.
    pub fn polish(self) -> &'static str {
        match self {
            CheckSeverity::Error => "błąd",
            CheckSeverity::Warning => "ostrzeżenie",
        }
    }
}

impl CheckScope {
    /// The Polish name used in the definition workbook.
    pub fn polish(self) -> &'static str {
        match self {
            CheckScope::EachInstitution => "instytucja",
            CheckScope::Municipality => "gmina",
        }
    }
}
