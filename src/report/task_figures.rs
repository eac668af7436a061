//! The figures of a task in the draft council report that are not a plain list of totals:
//! the task's numbered tables ("Tabela Nr 1", rows × columns, as Jaworzno's report shows
//! them) and the states of its task-state indicators, institution by institution.

use super::Collected;
use super::aggregate::IndicatorTotal;
use super::documents::shown_total;
use super::values::ValueTable;
use crate::docx::{Align, Block, Column, Row, RowKind, Span, Table};
use crate::program::{DataTable, Indicator, Program, TaskStatus, ValueType};
use std::collections::BTreeMap;

/// Whether `indicator` is shown in a task's plain list of totals (not in a numbered table,
/// not a task state).
pub fn in_plain_list(indicator: &Indicator) -> bool {
    indicator.cell.is_none() && indicator.value_type != ValueType::TaskStatus
}

/// The tables shown under `task`: those whose first cell (in definition order) belongs to it.
pub fn tables_of_task<'a>(program: &'a Program, task: &str) -> Vec<&'a DataTable> {
    program.tables.iter().filter(|t| program.cells_of(&t.id).next().is_some_and(|i| i.task == task)).collect()
}

/// A numbered table as a document table: its caption, the row header and columns, and each
/// cell's total as the report shows totals (`—` where no indicator is placed).
pub fn table_block(program: &Program, table: &DataTable, totals: &[IndicatorTotal]) -> Block {
    let by_id: BTreeMap<&str, &IndicatorTotal> = totals.iter().map(|t| (t.indicator.as_str(), t)).collect();
    let mut columns = vec![Column { header: table.row_header.clone(), width: 4.0, align: Align::Left }];
    columns.extend(table.columns.iter().map(|c| Column { header: c.clone(), width: 1.7, align: Align::Right }));
    let rows = table
        .rows
        .iter()
        .enumerate()
        .map(|(position, name)| {
            let mut cells = vec![name.clone()];
            cells.extend((0..table.columns.len()).map(|col| {
                let total = program.cell_indicator(&table.id, position, col).and_then(|i| by_id.get(i.id.as_str()));
                total.map_or_else(|| "—".to_string(), |t| shown_total(program, t))
            }));
            Row { cells, kind: RowKind::Normal }
        })
        .collect();
    Block::Table(Table { columns, rows, caption: Some(table.caption()) })
}

/// The states of a task-state indicator as one paragraph: its label, then each state with
/// the institutions that reported it, then those that did not say.
pub fn states_paragraph(collected: &Collected, indicator: &Indicator) -> Block {
    let values = ValueTable::new(&collected.frame);
    let mut by_state: BTreeMap<TaskStatus, Vec<&str>> = BTreeMap::new();
    let (mut not_applicable, mut silent) = (Vec::new(), Vec::new());
    for row in values.rows().filter(|r| r.text("wskaznik") == indicator.id) {
        let name = row.text("nazwa_instytucji");
        match (row.text("status"), row.value().and_then(TaskStatus::from_code)) {
            ("wartosc", Some(state)) => by_state.entry(state).or_default().push(name),
            ("nie_dotyczy", _) => not_applicable.push(name),
            _ => silent.push(name),
        }
    }
    let mut parts: Vec<String> =
        by_state.iter().map(|(state, names)| format!("{} – {}", state.polish(), names.join(", "))).collect();
    if !not_applicable.is_empty() {
        parts.push(format!("nie dotyczy – {}", not_applicable.join(", ")));
    }
    if !silent.is_empty() {
        parts.push(format!("brak informacji – {}", silent.join(", ")));
    }
    Block::Paragraph(vec![Span::bold(format!("{}: ", indicator.label)), Span::plain(format!("{}.", parts.join("; ")))])
}
