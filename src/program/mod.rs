//! The programme definition: settings, institutions, goals → tasks → indicators, cross-checks
//! and needs categories, as read (and validated) from the workbook the coordinator edits.

pub mod expr;
mod problems;
mod read;
pub mod write;

pub use problems::{Location, Problem, ProblemKind, Severity};
pub use read::{ProgramReading, read_program, read_program_from};

use chrono::NaiveDate;
use expr::Condition;

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
    /// Every sheet, in workbook order.
    pub const ALL: [&str; 8] = [SETTINGS, GROUPS, INSTITUTIONS, GOALS, TASKS, INDICATORS, CHECKS, NEED_CATEGORIES];
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
}

impl Program {
    /// The institution with this id.
    pub fn institution(&self, id: &str) -> Option<&Institution> {
        self.institutions.iter().find(|i| i.id == id)
    }

    /// The group with this id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }

    /// The goal with this id.
    pub fn goal(&self, id: &str) -> Option<&Goal> {
        self.goals.iter().find(|g| g.id == id)
    }

    /// The task with this id.
    pub fn task(&self, id: &str) -> Option<&Task> {
        self.tasks.iter().find(|t| t.id == id)
    }

    /// The indicators `institution_id` reports, in definition order.
    pub fn indicators_for<'a>(&'a self, institution_id: &'a str) -> impl Iterator<Item = &'a Indicator> + 'a {
        self.indicators.iter().filter(move |i| i.reported_by.iter().any(|r| r == institution_id))
    }

    /// The tasks in which `institution_id` reports at least one indicator, in definition order.
    pub fn tasks_for(&self, institution_id: &str) -> Vec<&Task> {
        self.tasks.iter().filter(|t| self.indicators_for(institution_id).any(|i| i.task == t.id)).collect()
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
