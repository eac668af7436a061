//! Reads the definition's optional grouping: the `Podziały` and `Tabele` sheets, each
//! indicator's `Podział`, `Tabela`, `Wiersz` and `Kolumna`, and turns every broken-down
//! indicator's categories into part indicators right after it.

use super::grouping::{Breakdown, Category, DataTable, PartOf, PartsRule, TableCell, category_id, split_list};
use super::problems::ProblemKind;
use super::read::{DefinitionReader, ID_RULE, IdRegistry, is_simple_id, suggestion};
use super::{Indicator, ValueType, sheets};
use crate::cell::CellRef;
use crate::table::{Row, fold};
use calamine::{Data, Range};
use std::collections::HashMap;

/// An indicator's grouping as read from its row.
#[derive(Debug, Default)]
pub(super) struct Grouping {
    /// The breakdown's id, and the `Podział` cell.
    pub breakdown: Option<(String, CellRef)>,
    /// Its place in a table, and the `Tabela` cell.
    pub cell: Option<(TableCell, CellRef)>,
}

impl DefinitionReader {
    /// The `Podziały` sheet.
    pub(super) fn breakdowns(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Vec<Breakdown> {
        const REQUIRED: [&str; 4] = ["ID", "Nazwa", "Kategorie", "Rodzaj"];
        let Some(table) = self.table(ranges, sheets::BREAKDOWNS, &REQUIRED) else { return vec![] };
        let mut registry = IdRegistry::default();
        let mut breakdowns = Vec::new();
        for row in table.rows() {
            let id = self.id(&row, &mut registry, is_simple_id, ID_RULE);
            let name = self.required(&row, "Nazwa");
            let rule = self.choice(
                &row,
                "Rodzaj",
                &[
                    ("z tego", PartsRule::AddUp),
                    ("suma", PartsRule::AddUp),
                    ("sumują się", PartsRule::AddUp),
                    ("w tym", PartsRule::AtMost),
                ],
                "„z tego” (części sumują się do całości), „w tym” (części razem nie przekraczają całości)",
                None,
            );
            let names = self.list(&row, "Kategorie");
            if let (Some(id), Some(rule)) = (&id, rule)
                && rule == PartsRule::AddUp
                && names.as_ref().is_some_and(|n| n.len() < 2)
            {
                // Kept all the same, so the indicators naming it get no second error.
                self.error(row.cell_ref("Kategorie"), ProblemKind::TooFewCategories { id: id.clone() });
            }
            if let (Some(id), Some(name), Some(rule), Some(names)) = (id, name, rule, names) {
                let categories = names.into_iter().map(|name| Category { id: category_id(&name), name }).collect();
                breakdowns.push(Breakdown { id, name, categories, rule });
            }
        }
        breakdowns
    }

    /// The `Tabele` sheet; each table is numbered by its position on the sheet.
    pub(super) fn tables(&mut self, ranges: &HashMap<&'static str, Range<Data>>) -> Vec<DataTable> {
        const REQUIRED: [&str; 4] = ["ID", "Tytuł", "Wiersze", "Kolumny"];
        let Some(table) = self.table(ranges, sheets::TABLES, &REQUIRED) else { return vec![] };
        let mut registry = IdRegistry::default();
        let mut tables = Vec::new();
        for (position, row) in table.rows().enumerate() {
            let id = self.id(&row, &mut registry, is_simple_id, ID_RULE);
            let title = self.required(&row, "Tytuł");
            let rows = self.list(&row, "Wiersze");
            let columns = self.list(&row, "Kolumny");
            if let (Some(id), Some(title), Some(rows), Some(columns)) = (id, title, rows, columns) {
                let row_header = row.text("Nagłówek wierszy").unwrap_or_else(|| "Wyszczególnienie".to_string());
                tables.push(DataTable { id, number: position + 1, title, row_header, rows, columns });
            }
        }
        tables
    }

    /// A required list cell split on `;`: its items with letters or digits, each once. A bad
    /// item is an error but the rest is kept (so what names the list gets no second error);
    /// a list with no item at all is an error and `None`.
    fn list(&mut self, row: &Row, column: &str) -> Option<Vec<String>> {
        let items = split_list(&self.required(row, column)?);
        let mut kept: Vec<String> = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        for item in items {
            let id = category_id(&item);
            let why = if id.is_empty() {
                "nie ma liter ani cyfr"
            } else if seen.contains(&id) {
                "powtarza się (albo różni się od innej tylko wielkością liter, polskimi znakami lub interpunkcją)"
            } else {
                seen.push(id);
                kept.push(item);
                continue;
            };
            let kind = ProblemKind::InvalidListItem { column: column.to_string(), item, why };
            self.error(row.cell_ref(column), kind);
        }
        if kept.is_empty() {
            self.error(row.cell_ref(column), ProblemKind::EmptyList { column: column.to_string() });
            return None;
        }
        Some(kept)
    }

    /// An indicator row's `Podział`, `Tabela`, `Wiersz` and `Kolumna`, every mistake reported.
    pub(super) fn grouping(
        &mut self,
        row: &Row,
        value_type: Option<ValueType>,
        breakdowns: &[Breakdown],
        tables: &[DataTable],
    ) -> Grouping {
        let mut grouping = Grouping::default();
        if let Some(id) = row.text("Podział") {
            let at = row.cell_ref("Podział");
            match breakdowns.iter().find(|b| b.id == id) {
                None => {
                    let hint = suggestion(&id, breakdowns.iter().map(|b| b.id.as_str()));
                    self.error(at, ProblemKind::UnknownBreakdown { id, hint });
                }
                Some(_) if matches!(value_type, Some(ValueType::YesNo | ValueType::TaskStatus)) => {
                    let value_type = value_type.map(ValueType::polish).unwrap_or_default().to_string();
                    self.error(at, ProblemKind::BreakdownNeedsNumber { breakdown: id, value_type });
                }
                Some(_) => grouping.breakdown = Some((id, at)),
            }
        }
        grouping.cell = self.table_cell(row, tables);
        if grouping.cell.is_some() && grouping.breakdown.is_some() {
            self.error(row.cell_ref("Podział"), ProblemKind::BreakdownInTable);
            grouping.breakdown = None;
        }
        grouping
    }

    /// The indicator's place in a table, if `Tabela` names one and `Wiersz`/`Kolumna` are in it.
    fn table_cell(&mut self, row: &Row, tables: &[DataTable]) -> Option<(TableCell, CellRef)> {
        let Some(id) = row.text("Tabela") else {
            for column in ["Wiersz", "Kolumna"] {
                if row.text(column).is_some() {
                    self.error(row.cell_ref(column), ProblemKind::PlaceWithoutTable { column: column.to_string() });
                }
            }
            return None;
        };
        let Some(table) = tables.iter().find(|t| t.id == id) else {
            let hint = suggestion(&id, tables.iter().map(|t| t.id.as_str()));
            self.error(row.cell_ref("Tabela"), ProblemKind::UnknownTable { id, hint });
            return None;
        };
        let row_at = self.place(row, "Wiersz", table, &table.rows);
        let column_at = self.place(row, "Kolumna", table, &table.columns);
        let cell = TableCell { table: table.id.clone(), row: row_at?, column: column_at? };
        Some((cell, row.cell_ref("Tabela")))
    }

    /// The position of the row or column named (or numbered from 1) under `column`.
    fn place(&mut self, row: &Row, column: &str, table: &DataTable, names: &[String]) -> Option<usize> {
        let value = self.required(row, column)?;
        let by_name = names.iter().position(|n| fold(n) == fold(&value));
        let by_number = value.trim().parse::<usize>().ok().filter(|n| (1..=names.len()).contains(n)).map(|n| n - 1);
        let found = by_name.or(by_number);
        if found.is_none() {
            let allowed = names.iter().map(|n| format!("„{n}”")).collect::<Vec<_>>().join(", ");
            let what = if column == "Wiersz" { "wiersza" } else { "kolumny" };
            let kind = ProblemKind::UnknownTablePlace {
                column: column.to_string(),
                what,
                value,
                table: table.id.clone(),
                allowed,
            };
            self.error(row.cell_ref(column), kind);
        }
        found
    }

    /// Reports a table cell taken by two indicators; `taken` remembers who holds each cell.
    pub(super) fn claim_cell(
        &mut self,
        indicator: &str,
        cell: &(TableCell, CellRef),
        tables: &[DataTable],
        taken: &mut HashMap<TableCell, String>,
    ) {
        let (place, at) = cell;
        match taken.get(place) {
            Some(first) => {
                let table = tables.iter().find(|t| t.id == place.table);
                let name =
                    |names: Option<&Vec<String>>, i: usize| names.and_then(|n| n.get(i)).cloned().unwrap_or_default();
                let kind = ProblemKind::TableCellTaken {
                    table: place.table.clone(),
                    row: name(table.map(|t| &t.rows), place.row),
                    column: name(table.map(|t| &t.columns), place.column),
                    first: first.clone(),
                };
                self.error(at.clone(), kind);
            }
            None => {
                taken.insert(place.clone(), indicator.to_string());
            }
        }
    }

    /// Every indicator followed by the parts of its breakdown, each part a generated
    /// indicator `<whole>.<category>`; a generated id already in use is an error at `Podział`.
    pub(super) fn with_parts(
        &mut self,
        indicators: Vec<Indicator>,
        breakdown_cells: &HashMap<String, CellRef>,
        breakdowns: &[Breakdown],
        registry: &mut IdRegistry,
    ) -> Vec<Indicator> {
        let mut all = Vec::with_capacity(indicators.len());
        for whole in indicators {
            let at = breakdown_cells.get(&whole.id).cloned();
            let breakdown = whole.breakdown.as_ref().and_then(|id| breakdowns.iter().find(|b| &b.id == id));
            let parts: Vec<(Indicator, &Category)> =
                breakdown.map(|b| b.categories.iter().map(|c| (part(&whole, b, c), c)).collect()).unwrap_or_default();
            all.push(whole);
            for (part, category) in parts {
                let key = registry.key(&part.id);
                if registry.seen.contains_key(&key) {
                    if let Some(at) = &at {
                        let kind = ProblemKind::PartIdTaken { id: part.id.clone(), category: category.name.clone() };
                        self.error(at.clone(), kind);
                    }
                    continue;
                }
                if let Some(at) = &at {
                    registry.seen.insert(key, at.clone());
                }
                all.push(part);
            }
        }
        all
    }
}

/// The part of `whole` for `category`: the whole's unit, type, period, reporters, combine
/// rule, upper bound and requirement, labelled `z tego: kobiety` or `w tym: staż`.
fn part(whole: &Indicator, breakdown: &Breakdown, category: &Category) -> Indicator {
    Indicator {
        id: format!("{}.{}", whole.id, category.id),
        task: whole.task.clone(),
        label: format!("{}: {}", breakdown.rule.polish(), category.name),
        unit: whole.unit.clone(),
        value_type: whole.value_type,
        period: whole.period,
        reported_by: whole.reported_by.clone(),
        reporters_as_written: whole.reporters_as_written.clone(),
        combine: whole.combine,
        min: None,
        max: whole.max,
        required: whole.required,
        hint: None,
        breakdown: None,
        part_of: Some(PartOf {
            whole: whole.id.clone(),
            breakdown: breakdown.id.clone(),
            category: category.id.clone(),
        }),
        cell: None,
    }
}
