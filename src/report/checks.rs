//! Cross-checks: the programme's own conditions, evaluated as polars expressions over a
//! wide frame (one row per institution, or one row of municipality totals), and the
//! built-in rule that the same fact reported by several institutions must agree. Every
//! failure names the institutions, values and cells behind it.

use super::aggregate::IndicatorTotal;
use super::values::{ValueRow, ValueTable};
use crate::program::expr::{ArithOp, CompareOp, Expr as Formula};
use crate::program::{Breakdown, Check, CheckScope, CheckSeverity, Combine, Indicator, PartsRule, Program, ValueType};
use polars::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// One failed check.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckFailure {
    /// The check's id, or `ZGODNOSC` for the built-in agreement rule.
    pub check: String,
    /// Error or warning.
    pub severity: CheckSeverity,
    /// The institution (institution-scope checks), or `None` for the municipality.
    pub institution: Option<String>,
    /// The condition as written (or what must agree).
    pub condition: String,
    /// The indicators the check is about.
    pub indicators: Vec<String>,
    /// The check's Polish message.
    pub message: String,
    /// The two sides' values, e.g. `lewa strona 49, prawa strona 47`.
    pub values: String,
    /// Who reported what, from which file and cell.
    pub sources: String,
}

impl CheckFailure {
    /// Who failed it, as shown: the institution, or `gmina` for the municipality.
    pub fn who(&self) -> &str {
        self.institution.as_deref().unwrap_or("gmina")
    }
}

/// Converts a check formula to a polars expression over columns named by indicator id.
/// Division by zero gives null, like a missing value: the check is then undecided.
fn to_polars(formula: &Formula) -> Expr {
    match formula {
        Formula::Number(n) => lit(*n),
        Formula::Indicator(id) => col(id.as_str()),
        Formula::Neg(inner) => lit(0.0) - to_polars(inner),
        Formula::Binary(l, op, r) => {
            let (l, r) = (to_polars(l), to_polars(r));
            match op {
                ArithOp::Add => l + r,
                ArithOp::Sub => l - r,
                ArithOp::Mul => l * r,
                ArithOp::Div => when(r.clone().eq(lit(0.0))).then(lit(NULL).cast(DataType::Float64)).otherwise(l / r),
            }
        }
    }
}

/// The condition as a boolean polars expression (null when a side is null). Equality
/// tolerates half a grosz, as amounts have two decimals.
fn holds(check: &Check) -> Expr {
    let (l, r) = (to_polars(&check.condition.left), to_polars(&check.condition.right));
    let diff = l.clone() - r.clone();
    let close = diff.clone().lt(lit(0.005)).and(diff.gt(lit(-0.005)));
    match check.condition.op {
        CompareOp::Eq => close,
        CompareOp::Ne => close.not(),
        CompareOp::Lt => l.lt(r).and(close.not()),
        CompareOp::Le => l.lt(r).or(close),
        CompareOp::Gt => l.gt(r).and(close.not()),
        CompareOp::Ge => l.gt(r).or(close),
    }
}

/// Where each reported value came from: (institution, indicator) → row of the tidy table.
pub fn source_index(values: &ValueTable) -> BTreeMap<(&str, &str), ValueRow<'_>> {
    values.rows().map(|r| ((r.text("instytucja"), r.text("wskaznik")), r)).collect()
}

/// A reported value as the `Kontrole` sources show it: money as `413 985,00 zł`, other
/// numbers in Polish notation, a missing value as its status (`nie dotyczy`).
pub fn source_value(row: &ValueRow, value_type: Option<ValueType>) -> String {
    match row.value() {
        Some(n) if value_type == Some(ValueType::Amount) => crate::polish::pln((n * 100.0).round() as i64),
        Some(n) => crate::polish::number(n),
        None => row.text("status").replace('_', " "),
    }
}

/// Runs every check of `program` and the built-in agreement rule over the tidy table
/// `frame`, whose rows the failures cite as their sources.
pub fn run(program: &Program, frame: &DataFrame, totals: &[IndicatorTotal]) -> PolarsResult<Vec<CheckFailure>> {
    let values = ValueTable::new(frame);
    let sources = Sources { program, index: source_index(&values) };
    let per_institution = wide_per_institution(program, frame)?;
    let mut failures = condition_failures(program, &per_institution, totals, &sources)?;
    failures.extend(breakdown_failures(program, &per_institution, totals, &sources)?);
    failures.extend(period_mix_failures(program));
    failures.extend(range_failures(program, &sources));
    failures.extend(agreement_failures(program, totals, &sources));
    Ok(failures)
}

/// The reported values behind the checks, by (institution, indicator), to name in failures.
struct Sources<'a> {
    program: &'a Program,
    index: BTreeMap<(&'a str, &'a str), ValueRow<'a>>,
}

impl Sources<'_> {
    /// What `institution` reported for `ids` and where: `SP1 C1.x = 12 (SP1.xlsx E7); …`.
    fn describe(&self, institution: &str, ids: &[&str]) -> String {
        ids.iter()
            .filter_map(|id| {
                let r = self.index.get(&(institution, *id))?;
                let value = source_value(r, self.program.indicator(id).map(|i| i.value_type));
                Some(format!("{institution} {id} = {value} ({} {})", r.text("plik"), r.text("komorka")))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// The failures of the programme's own checks, each evaluated per institution or on the
/// municipality's totals as its scope says.
fn condition_failures(
    program: &Program,
    per_institution: &DataFrame,
    totals: &[IndicatorTotal],
    sources: &Sources,
) -> PolarsResult<Vec<CheckFailure>> {
    let mut failures = Vec::new();
    let municipality = wide_totals(program, totals, |t| t.total)?;
    for check in &program.checks {
        let wide = if check.scope == CheckScope::EachInstitution { per_institution } else { &municipality };
        failures.extend(failures_of_check(program, check, wide, sources, CONDITION_SIDES)?);
    }
    Ok(failures)
}

/// How the two sides of a programme's own check are named in a failure.
const CONDITION_SIDES: (&str, &str) = ("lewa strona", "prawa strona");

/// The id of the built-in breakdown check.
pub const BREAKDOWN_CHECK: &str = "PODZIAL";

/// Built in (`PODZIAL`): a breakdown's parts add up to the whole (`z tego`) or together do
/// not exceed it (`w tym`), for each institution and, when several report it, for the
/// municipality. A missing part (or whole) leaves the check undecided; the municipality's
/// check uses only complete totals.
fn breakdown_failures(
    program: &Program,
    per_institution: &DataFrame,
    totals: &[IndicatorTotal],
    sources: &Sources,
) -> PolarsResult<Vec<CheckFailure>> {
    let mut failures = Vec::new();
    let wholes: Vec<_> = program.indicators.iter().filter(|i| i.breakdown.is_some()).collect();
    if wholes.is_empty() {
        return Ok(failures);
    }
    // Each total only when every institution asked reported it (or said it does not
    // apply): a part missing at one institution must not make the municipality's parts
    // look short.
    let municipality = wide_totals(program, totals, |t| t.total.filter(|_| t.complete()))?;
    for whole in wholes {
        let Some(breakdown) = whole.breakdown.as_deref().and_then(|id| program.breakdown(id)) else { continue };
        let Some(mut check) = breakdown_check(program, whole, breakdown) else { continue };
        failures.extend(failures_of_check(program, &check, per_institution, sources, ("części razem", "całość"))?);
        // With one reporter the totals are that institution's figures: checked once, above.
        if whole.combine != Combine::Max && whole.reported_by.len() > 1 {
            check.scope = CheckScope::Municipality;
            failures.extend(failures_of_check(program, &check, &municipality, sources, ("części razem", "całość"))?);
        }
    }
    Ok(failures)
}

/// The check that `whole`'s parts add up to it (or do not exceed it), per institution.
fn breakdown_check(program: &Program, whole: &Indicator, breakdown: &Breakdown) -> Option<Check> {
    let parts: Vec<&str> = program.parts_of(&whole.id).map(|p| p.id.as_str()).collect();
    let (op, message) = match breakdown.rule {
        PartsRule::AddUp => (
            "=",
            format!(
                "„{}”: części podziału „{}” nie sumują się do całości; popraw całość albo części – każdy przypadek należy liczyć w dokładnie jednej części",
                whole.label, breakdown.name
            ),
        ),
        PartsRule::AtMost => (
            "<=",
            format!(
                "„{}”: części „w tym” podziału „{}” razem przekraczają całość; popraw całość albo części",
                whole.label, breakdown.name
            ),
        ),
    };
    let text = format!("{} {op} {}", parts.join(" + "), whole.id);
    // Parts and whole are valid ids and a breakdown has a category, so this always parses.
    let condition = crate::program::expr::Condition::parse(&text).ok()?;
    let (id, severity, scope) = (BREAKDOWN_CHECK.to_string(), CheckSeverity::Error, CheckScope::EachInstitution);
    Some(Check { id, text, condition, severity, scope, message })
}

/// Evaluates `check` on each row of `wide` and returns a failure for every row where the
/// condition is false (an undecided condition does not fail).
fn failures_of_check(
    program: &Program,
    check: &Check,
    wide: &DataFrame,
    sources: &Sources,
    (left_name, right_name): (&str, &str),
) -> PolarsResult<Vec<CheckFailure>> {
    let ids = check.condition.indicator_ids();
    let per_institution_scope = check.scope == CheckScope::EachInstitution;
    let evaluated = wide
        .clone()
        .lazy()
        .select([
            col("instytucja"),
            to_polars(&check.condition.left).alias("lewa"),
            to_polars(&check.condition.right).alias("prawa"),
            holds(check).alias("spelniony"),
        ])
        .collect()?;
    let who = evaluated.column("instytucja")?.str()?.clone();
    let (left, right) = (evaluated.column("lewa")?.f64()?.clone(), evaluated.column("prawa")?.f64()?.clone());
    let ok = evaluated.column("spelniony")?.bool()?.clone();
    let mut failures = Vec::new();
    for i in 0..evaluated.height() {
        if ok.get(i) != Some(false) {
            continue;
        }
        let institution = who.get(i).unwrap_or_default().to_string();
        let values = format!(
            "{left_name} {}, {right_name} {}",
            left.get(i).map(pl_number).unwrap_or_default(),
            right.get(i).map(pl_number).unwrap_or_default()
        );
        let sources = if !per_institution_scope {
            // Every institution's contribution to every indicator in the condition.
            program
                .institutions
                .iter()
                .map(|inst| sources.describe(&inst.id, &ids))
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join("; ")
        } else {
            sources.describe(&institution, &ids)
        };
        failures.push(CheckFailure {
            check: check.id.clone(),
            severity: check.severity,
            institution: per_institution_scope.then_some(institution),
            condition: check.text.clone(),
            indicators: ids.iter().map(|id| id.to_string()).collect(),
            message: check.message.clone(),
            values,
            sources,
        });
    }
    Ok(failures)
}

/// Built in: a stock ("stan na 31.12") is never added to or subtracted from a flow; one
/// warning per check whose condition mixes them on a side.
fn period_mix_failures(program: &Program) -> Vec<CheckFailure> {
    let mut failures = Vec::new();
    for check in &program.checks {
        for side in [&check.condition.left, &check.condition.right] {
            let mut periods = Vec::new();
            summed_periods(program, side, &mut periods);
            if periods.windows(2).any(|w| w[0] != w[1]) {
                failures.push(CheckFailure {
                    check: "OKRES".into(),
                    severity: CheckSeverity::Warning,
                    institution: None,
                    condition: check.text.clone(),
                    indicators: check.condition.indicator_ids().iter().map(|id| id.to_string()).collect(),
                    message: format!(
                        "kontrola {} dodaje stan na 31.12 do wartości z całego roku; takie liczby się nie sumują – popraw warunek w definicji programu",
                        check.id
                    ),
                    values: String::new(),
                    sources: String::new(),
                });
                break;
            }
        }
    }
    failures
}

/// Built in: plausibility bounds of the definition, value by value.
fn range_failures(program: &Program, sources: &Sources) -> Vec<CheckFailure> {
    let mut failures = Vec::new();
    // A task state is a code, not a quantity: bounds do not apply to it.
    let bounded = |i: &&Indicator| (i.min.is_some() || i.max.is_some()) && i.value_type != ValueType::TaskStatus;
    for indicator in program.indicators.iter().filter(bounded) {
        for inst in &indicator.reported_by {
            let Some(record) = sources.index.get(&(inst.as_str(), indicator.id.as_str())) else { continue };
            let Some(value) = record.value() else { continue };
            let below = indicator.min.is_some_and(|m| value < m);
            let above = indicator.max.is_some_and(|m| value > m);
            if below || above {
                let bound = if above { indicator.max } else { indicator.min }.unwrap_or_default();
                failures.push(CheckFailure {
                    check: "ZAKRES".into(),
                    severity: CheckSeverity::Warning,
                    institution: Some(inst.clone()),
                    condition: format!("{} {} {}", indicator.id, if above { "<=" } else { ">=" }, pl_number(bound)),
                    indicators: vec![indicator.id.clone()],
                    message: format!("„{}”: wartość poza zakresem wiarygodności z definicji programu", indicator.label),
                    values: format!("{} (granica {})", pl_number(value), pl_number(bound)),
                    sources: sources.describe(inst, &[indicator.id.as_str()]),
                });
            }
        }
    }
    failures
}

/// Built in: the same fact reported by several institutions must agree.
fn agreement_failures(program: &Program, totals: &[IndicatorTotal], sources: &Sources) -> Vec<CheckFailure> {
    let mut failures = Vec::new();
    for (indicator, total) in program.indicators.iter().zip(totals) {
        // Task states are counted, not combined: institutions may be at different stages.
        if indicator.combine == Combine::MustAgree && indicator.value_type != ValueType::TaskStatus && total.disagrees()
        {
            let reporters: Vec<String> = indicator
                .reported_by
                .iter()
                .map(|inst| sources.describe(inst, &[indicator.id.as_str()]))
                .filter(|s| !s.is_empty())
                .collect();
            failures.push(CheckFailure {
                check: "ZGODNOSC".into(),
                severity: CheckSeverity::Error,
                institution: None,
                condition: format!("{} – ta sama wartość u wszystkich", indicator.id),
                indicators: vec![indicator.id.clone()],
                message: format!(
                    "„{}” to ten sam fakt podawany przez kilka instytucji, a wartości się różnią (od {} do {}); ustal właściwą z instytucjami – wartości się nie sumuje",
                    indicator.label,
                    total.min.map(pl_number).unwrap_or_default(),
                    total.max.map(pl_number).unwrap_or_default()
                ),
                values: String::new(),
                sources: reporters.join("; "),
            });
        }
    }
    failures
}

/// `1 234,5`-style numbers for messages (rounded to hundredths).
pub fn pl_number(value: f64) -> String {
    crate::polish::number((value * 100.0).round() / 100.0)
}

/// One row per institution, one column per indicator of the programme (null when the
/// institution has no number for it).
fn wide_per_institution(program: &Program, frame: &DataFrame) -> PolarsResult<DataFrame> {
    let values = frame.clone().lazy().filter(col("status").eq(lit("wartosc"))).collect()?;
    let who = values.column("instytucja")?.str()?.clone();
    let ids = values.column("wskaznik")?.str()?.clone();
    let numbers = values.column("wartosc")?.f64()?.clone();
    let institutions: Vec<&str> = program.institutions.iter().map(|i| i.id.as_str()).collect();
    let row_of: HashMap<&str, usize> = institutions.iter().enumerate().map(|(row, id)| (*id, row)).collect();
    let column_of: HashMap<&str, usize> =
        program.indicators.iter().enumerate().map(|(c, indicator)| (indicator.id.as_str(), c)).collect();
    // One pass over the values, each put at its place in the grid.
    let mut grid: Vec<Vec<Option<f64>>> = vec![vec![None; institutions.len()]; program.indicators.len()];
    for i in 0..values.height() {
        if let (Some(w), Some(id), Some(n)) = (who.get(i), ids.get(i), numbers.get(i))
            && let (Some(&row), Some(&c)) = (row_of.get(w), column_of.get(id))
        {
            grid[c][row] = Some(n);
        }
    }
    let mut columns = vec![Column::new("instytucja".into(), institutions.clone())];
    for (indicator, column) in program.indicators.iter().zip(grid) {
        columns.push(Column::new(indicator.id.as_str().into(), column));
    }
    DataFrame::new(institutions.len(), columns)
}

/// One row of municipality totals, as `pick` takes each from its [`IndicatorTotal`].
fn wide_totals(
    program: &Program,
    totals: &[IndicatorTotal],
    pick: impl Fn(&IndicatorTotal) -> Option<f64>,
) -> PolarsResult<DataFrame> {
    let mut columns = vec![Column::new("instytucja".into(), vec!["gmina"])];
    for (indicator, total) in program.indicators.iter().zip(totals) {
        columns.push(Column::new(indicator.id.as_str().into(), vec![pick(total)]));
    }
    DataFrame::new(1, columns)
}

/// Year-over-year warnings (`RDR`) for totals that changed a lot since last year's workbook.
pub fn year_over_year(
    program: &Program,
    totals: &[IndicatorTotal],
    previous: &BTreeMap<String, f64>,
) -> Vec<CheckFailure> {
    program
        .indicators
        .iter()
        .zip(totals)
        .filter_map(|(indicator, total)| {
            let (before, now) = (*previous.get(&indicator.id)?, total.total?);
            if !super::previous::is_large_change(before, now) {
                return None;
            }
            let percent = if before == 0.0 {
                String::new()
            } else {
                format!(" ({:+.0}%)", (now - before) / before.abs() * 100.0)
            };
            Some(CheckFailure {
                check: "RDR".into(),
                severity: CheckSeverity::Warning,
                institution: None,
                condition: format!("{} rok do roku", indicator.id),
                indicators: vec![indicator.id.clone()],
                message: format!(
                    "„{}”: duża zmiana w porównaniu z poprzednim rokiem; sprawdź, czy dane są porównywalne",
                    indicator.label
                ),
                values: format!("poprzednio {}, teraz {}{percent}", pl_number(before), pl_number(now)),
                sources: String::new(),
            })
        })
        .collect()
}

/// The periods of the indicators joined by `+` or `-` in `formula` (products and ratios,
/// such as families per assistant, may mix them).
fn summed_periods(program: &Program, formula: &Formula, out: &mut Vec<crate::program::Period>) {
    match formula {
        Formula::Indicator(id) => {
            if let Some(indicator) = program.indicators.iter().find(|i| &i.id == id) {
                out.push(indicator.period);
            }
        }
        Formula::Neg(inner) => summed_periods(program, inner, out),
        Formula::Binary(l, ArithOp::Add | ArithOp::Sub, r) => {
            summed_periods(program, l, out);
            summed_periods(program, r, out);
        }
        Formula::Binary(..) | Formula::Number(_) => {}
    }
}
