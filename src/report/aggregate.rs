//! Totals per indicator across institutions, by the indicator's combine rule, with polars
//! lazy frames. "Not reported" stays apart from 0: a total over no values is `None`, and
//! how many institutions reported out of how many were asked is kept beside every total.

use crate::program::{Combine, Program, TaskStatus, ValueType};
use polars::prelude::*;

/// One indicator's total and how complete it is.
#[derive(Debug, Clone, PartialEq)]
pub struct IndicatorTotal {
    /// Indicator id.
    pub indicator: String,
    /// The combined value; `None` when nobody reported a number, or when values that must
    /// agree do not.
    pub total: Option<f64>,
    /// Institutions that reported a number.
    pub reporting: u32,
    /// Institutions asked.
    pub expected: u32,
    /// Institutions that said "nie dotyczy".
    pub not_applicable: u32,
    /// Institutions without a number for another reason (no data, text, missing form…).
    pub missing: u32,
    /// Smallest reported value.
    pub min: Option<f64>,
    /// Largest reported value.
    pub max: Option<f64>,
    /// For a task-state indicator, how many institutions reported each state, in the order
    /// of [`TaskStatus::ALL`](crate::program::TaskStatus::ALL); zeros otherwise.
    pub by_status: [u32; 3],
}

impl IndicatorTotal {
    /// True when every institution asked either reported a number or said "nie dotyczy".
    pub fn complete(&self) -> bool {
        self.missing == 0
    }

    /// The counts of a task-state indicator as the report shows them:
    /// `zrealizowano: 2; w trakcie: 1; nie zrealizowano: 0`.
    pub fn states_text(&self) -> String {
        TaskStatus::ALL
            .iter()
            .zip(self.by_status)
            .map(|(state, n)| format!("{}: {n}", state.polish()))
            .collect::<Vec<_>>()
            .join("; ")
    }

    /// True for a must-agree indicator whose values differ.
    pub fn disagrees(&self) -> bool {
        matches!((self.min, self.max), (Some(lo), Some(hi)) if hi - lo >= 0.005)
    }
}

/// Aggregates the tidy table (`dane.parquet`) into one total per indicator of `program`,
/// in the definition's order.
pub fn totals(program: &Program, frame: &DataFrame) -> PolarsResult<Vec<IndicatorTotal>> {
    let is_value = col("status").eq(lit("wartosc"));
    let value = col("wartosc").filter(is_value.clone());
    let per_indicator = frame
        .clone()
        .lazy()
        .group_by([col("wskaznik")])
        .agg([
            value.clone().sum().alias("suma"),
            value.clone().min().alias("min"),
            value.max().alias("max"),
            is_value.cast(DataType::Int64).sum().alias("raportujace"),
            col("status").eq(lit("nie_dotyczy")).cast(DataType::Int64).sum().alias("nie_dotyczy"),
            len().cast(DataType::Int64).alias("oczekiwane"),
            state_count(TaskStatus::Done),
            state_count(TaskStatus::InProgress),
            state_count(TaskStatus::NotDone),
        ])
        .collect()?;
    let ids = per_indicator.column("wskaznik")?.str()?.clone();
    let float = |name: &str| -> PolarsResult<Float64Chunked> { Ok(per_indicator.column(name)?.f64()?.clone()) };
    let int = |name: &str| -> PolarsResult<Int64Chunked> { Ok(per_indicator.column(name)?.i64()?.clone()) };
    let (sum, min, max) = (float("suma")?, float("min")?, float("max")?);
    let (reporting, not_applicable, expected) = (int("raportujace")?, int("nie_dotyczy")?, int("oczekiwane")?);
    let states = TaskStatus::ALL.map(|state| int(&state_column(state)));
    let [done, in_progress, not_done] = states;
    let states = [done?, in_progress?, not_done?];
    Ok(program
        .indicators
        .iter()
        .map(|indicator| {
            let row = (0..per_indicator.height()).find(|&i| ids.get(i) == Some(indicator.id.as_str()));
            let get_int = |c: &Int64Chunked| row.and_then(|i| c.get(i)).unwrap_or(0) as u32;
            let (reporting, not_applicable) = (get_int(&reporting), get_int(&not_applicable));
            let expected = row.map(|_| get_int(&expected)).unwrap_or(indicator.reported_by.len() as u32);
            let (lo, hi) =
                if reporting > 0 { (row.and_then(|i| min.get(i)), row.and_then(|i| max.get(i))) } else { (None, None) };
            let mut result = IndicatorTotal {
                indicator: indicator.id.clone(),
                total: None,
                reporting,
                expected,
                not_applicable,
                missing: expected.saturating_sub(reporting + not_applicable),
                min: lo,
                max: hi,
                by_status: [0, 1, 2].map(|s| get_int(&states[s])),
            };
            result.total = match indicator.combine {
                _ if reporting == 0 => None,
                // States are counted, never summed.
                _ if indicator.value_type == ValueType::TaskStatus => None,
                Combine::Sum => row.and_then(|i| sum.get(i)),
                Combine::Max => hi,
                Combine::MustAgree if result.disagrees() => None,
                Combine::MustAgree => hi,
            };
            result
        })
        .collect())
}

/// The name of the column counting institutions that reported `state`.
fn state_column(state: TaskStatus) -> String {
    format!("stan_{}", state.code())
}

/// How many of an indicator's values are the task state `state`.
fn state_count(state: TaskStatus) -> Expr {
    let is_state = col("status").eq(lit("wartosc")).and(col("wartosc").eq(lit(state.code())));
    is_state.cast(DataType::Int64).sum().alias(state_column(state))
}

/// Completeness per goal and task: how many indicators, how many with complete data, and
/// how many numbers came in out of how many were asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskSummary {
    /// Goal id.
    pub goal: String,
    /// Task id, or `None` for the goal's own row.
    pub task: Option<String>,
    /// Indicators.
    pub indicators: u32,
    /// Indicators whose data is complete.
    pub complete: u32,
    /// Numbers reported.
    pub reported: u32,
    /// Numbers asked for (institutions × indicators), less "nie dotyczy".
    pub expected: u32,
}

/// Rolls the indicator totals up to tasks and goals with polars, in the definition's order
/// (each goal's row first, then its tasks).
pub fn by_task_and_goal(program: &Program, totals: &[IndicatorTotal]) -> PolarsResult<Vec<TaskSummary>> {
    let task_of = |id: &str| program.indicators.iter().find(|i| i.id == id).map(|i| i.task.clone()).unwrap_or_default();
    let goal_of = |task: &str| program.task(task).map(|t| t.goal.clone()).unwrap_or_default();
    let tasks: Vec<String> = totals.iter().map(|t| task_of(&t.indicator)).collect();
    let frame = df!(
        "cel" => tasks.iter().map(|t| goal_of(t)).collect::<Vec<_>>(),
        "zadanie" => tasks,
        "pelne" => totals.iter().map(|t| t.complete() as i64).collect::<Vec<_>>(),
        "podane" => totals.iter().map(|t| t.reporting as i64).collect::<Vec<_>>(),
        "oczekiwane" => totals.iter().map(|t| (t.expected - t.not_applicable.min(t.expected)) as i64).collect::<Vec<_>>(),
    )?;
    let aggregations = || {
        [
            len().cast(DataType::Int64).alias("wskazniki"),
            col("pelne").sum().alias("pelne"),
            col("podane").sum().alias("podane"),
            col("oczekiwane").sum().alias("oczekiwane"),
        ]
    };
    let per_task = frame.clone().lazy().group_by([col("cel"), col("zadanie")]).agg(aggregations()).collect()?;
    let per_goal = frame.lazy().group_by([col("cel")]).agg(aggregations()).collect()?;
    let read = |df: &DataFrame, key: &dyn Fn(usize) -> bool| -> PolarsResult<Option<(u32, u32, u32, u32)>> {
        let get =
            |name: &str, i: usize| -> PolarsResult<u32> { Ok(df.column(name)?.i64()?.get(i).unwrap_or(0) as u32) };
        for i in 0..df.height() {
            if key(i) {
                return Ok(Some((get("wskazniki", i)?, get("pelne", i)?, get("podane", i)?, get("oczekiwane", i)?)));
            }
        }
        Ok(None)
    };
    let mut out = Vec::new();
    let goal_ids = per_goal.column("cel")?.str()?.clone();
    let (task_goals, task_ids) = (per_task.column("cel")?.str()?.clone(), per_task.column("zadanie")?.str()?.clone());
    for goal in &program.goals {
        if let Some((indicators, complete, reported, expected)) =
            read(&per_goal, &|i| goal_ids.get(i) == Some(goal.id.as_str()))?
        {
            out.push(TaskSummary { goal: goal.id.clone(), task: None, indicators, complete, reported, expected });
        }
        for task in program.tasks.iter().filter(|t| t.goal == goal.id) {
            let key =
                |i: usize| task_goals.get(i) == Some(goal.id.as_str()) && task_ids.get(i) == Some(task.id.as_str());
            if let Some((indicators, complete, reported, expected)) = read(&per_task, &key)? {
                out.push(TaskSummary {
                    goal: goal.id.clone(),
                    task: Some(task.id.clone()),
                    indicators,
                    complete,
                    reported,
                    expected,
                });
            }
        }
    }
    Ok(out)
}
