//! The `Dane` sheets of the consolidated workbook: every value of every institution, the
//! rows every total's formula reads. While they fit a sheet (Excel's 1 048 576 rows) they
//! are one sheet in the tidy table's order; beyond it they continue on `Dane (2)`,
//! `Dane (3)`, … in indicator order, each indicator's rows kept together, so a total's
//! formula reads the one sheet its indicator is on (rarely two, for an indicator longer than
//! a sheet: then the parts' results are combined).

use super::values::ValueTable;
use crate::program::Program;
use std::collections::HashMap;

/// Rows of an Excel or LibreOffice sheet.
pub const EXCEL_ROWS: u32 = 1_048_576;

/// Data rows a `Dane` sheet holds below its header row.
pub const DATA_ROWS_PER_SHEET: usize = EXCEL_ROWS as usize - 1;

/// Which rows of the tidy table go on which `Dane` sheet.
pub struct DataLayout {
    /// The sheets, in workbook order.
    pub sheets: Vec<DataSheet>,
    /// Per indicator, the positions in `sheets` of the sheets holding its rows.
    by_indicator: HashMap<String, Vec<usize>>,
}

/// One `Dane` sheet: its name and the tidy table's rows it holds, in order.
pub struct DataSheet {
    /// `Dane`, `Dane (2)`, …
    pub name: String,
    /// Positions in the tidy table.
    pub rows: Vec<usize>,
}

impl DataLayout {
    /// The layout of `values` with at most `rows_per_sheet` data rows a sheet.
    pub fn new(program: &Program, values: &ValueTable, rows_per_sheet: usize) -> DataLayout {
        let rows_per_sheet = rows_per_sheet.max(1);
        if values.len() <= rows_per_sheet {
            let sheets = vec![DataSheet { name: sheet_name(0), rows: (0..values.len()).collect() }];
            return DataLayout { sheets, by_indicator: HashMap::new() };
        }
        let mut layout = DataLayout { sheets: vec![], by_indicator: HashMap::new() };
        for (indicator, rows) in rows_by_indicator(program, values) {
            layout.place(indicator, rows, rows_per_sheet);
        }
        layout
    }

    /// Puts an indicator's `rows` on the last sheet if they fit, else on a new one, spilling
    /// over further sheets only when they are longer than a sheet.
    fn place(&mut self, indicator: String, rows: Vec<usize>, rows_per_sheet: usize) {
        let room = |sheets: &[DataSheet]| sheets.last().map_or(0, |s| rows_per_sheet - s.rows.len());
        if room(&self.sheets) < rows.len().min(rows_per_sheet) {
            self.sheets.push(DataSheet { name: sheet_name(self.sheets.len()), rows: vec![] });
        }
        let mut rest = &rows[..];
        while !rest.is_empty() {
            if room(&self.sheets) == 0 {
                self.sheets.push(DataSheet { name: sheet_name(self.sheets.len()), rows: vec![] });
            }
            let take = room(&self.sheets).min(rest.len());
            let sheet = self.sheets.len() - 1;
            self.sheets[sheet].rows.extend_from_slice(&rest[..take]);
            self.by_indicator.entry(indicator.clone()).or_default().push(sheet);
            rest = &rest[take..];
        }
    }

    /// The `Dane` ranges a formula about `indicator` reads.
    pub fn ranges(&self, indicator: &str) -> DataRanges {
        let parts = match self.by_indicator.get(indicator) {
            Some(sheets) => sheets.iter().map(|&i| &self.sheets[i]).collect(),
            // One sheet holds everything, or the indicator has no row: the first sheet.
            None => vec![&self.sheets[0]],
        };
        DataRanges { parts: parts.into_iter().map(|s| DataColumns::of(&s.name, s.rows.len())).collect() }
    }
}

/// The name of the `index`-th `Dane` sheet (from 0): `Dane`, `Dane (2)`, …
fn sheet_name(index: usize) -> String {
    if index == 0 { "Dane".to_string() } else { format!("Dane ({})", index + 1) }
}

/// The tidy table's row positions per indicator, in the definition's order (an indicator the
/// definition does not have, last).
fn rows_by_indicator(program: &Program, values: &ValueTable) -> Vec<(String, Vec<usize>)> {
    let mut by_id: HashMap<&str, Vec<usize>> = HashMap::new();
    let mut unknown: Vec<&str> = Vec::new();
    for (position, row) in values.rows().enumerate() {
        let id = row.text("wskaznik");
        let rows = by_id.entry(id).or_default();
        if rows.is_empty() && program.indicator(id).is_none() {
            unknown.push(id);
        }
        rows.push(position);
    }
    let order = program.indicators.iter().map(|i| i.id.as_str()).chain(unknown);
    order.filter_map(|id| Some((id.to_string(), by_id.remove(id)?))).collect()
}

/// The ranges of `Dane` sheets that a formula reads: indicator ids (E), values (J) and
/// statuses (K) of each sheet holding the indicator.
pub struct DataRanges {
    parts: Vec<DataColumns>,
}

/// The id, value and status columns of one `Dane` sheet.
pub struct DataColumns {
    /// `Dane!$E$2:$E$N`.
    pub ids: String,
    /// `Dane!$J$2:$J$N`.
    pub values: String,
    /// `Dane!$K$2:$K$N`.
    pub status: String,
}

impl DataColumns {
    /// The columns of sheet `name` with `rows` data rows.
    fn of(name: &str, rows: usize) -> DataColumns {
        let end = rows + 1;
        let sheet = if name.contains(' ') { format!("'{name}'") } else { name.to_string() };
        let range = |col: &str| format!("{sheet}!${col}$2:${col}${end}");
        DataColumns { ids: range("E"), values: range("J"), status: range("K") }
    }
}

impl DataRanges {
    /// `part(columns)` for each sheet, joined by `+` (a sum over the sheets), in parentheses
    /// when there are several.
    pub fn sum_of(&self, part: impl Fn(&DataColumns) -> String) -> String {
        let each: Vec<String> = self.parts.iter().map(part).collect();
        if each.len() == 1 { each.concat() } else { format!("({})", each.join("+")) }
    }

    /// `part(columns)` for each sheet, combined by `function` (`MAX`, `MIN`) when several.
    /// MAXIFS and MINIFS give 0 on a sheet with none of the indicator's numbers, so there a
    /// sheet whose `count(columns)` is 0 stands as `neutral` (a number that never wins).
    pub fn combined(
        &self,
        function: &str,
        neutral: &str,
        part: impl Fn(&DataColumns) -> String,
        count: impl Fn(&DataColumns) -> String,
    ) -> String {
        if let [only] = self.parts.as_slice() {
            return part(only);
        }
        let each: Vec<String> =
            self.parts.iter().map(|c| format!("IF({}=0,{neutral},{})", count(c), part(c))).collect();
        format!("{function}({})", each.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sheet_name_with_a_space_is_quoted_in_references() {
        assert_eq!(DataColumns::of("Dane", 3).ids, "Dane!$E$2:$E$4");
        assert_eq!(DataColumns::of("Dane (2)", 10).values, "'Dane (2)'!$J$2:$J$11");
        let two = DataRanges { parts: vec![DataColumns::of("Dane", 3), DataColumns::of("Dane (2)", 2)] };
        assert_eq!(
            two.sum_of(|c| format!("COUNTIFS({},1)", c.ids)),
            "(COUNTIFS(Dane!$E$2:$E$4,1)+COUNTIFS('Dane (2)'!$E$2:$E$3,1))"
        );
        let count = |c: &DataColumns| format!("COUNT({})", c.values);
        assert_eq!(
            two.combined("MAX", "-9E+307", |c| format!("MAXIFS({})", c.values), count),
            "MAX(IF(COUNT(Dane!$J$2:$J$4)=0,-9E+307,MAXIFS(Dane!$J$2:$J$4)),\
             IF(COUNT('Dane (2)'!$J$2:$J$3)=0,-9E+307,MAXIFS('Dane (2)'!$J$2:$J$3)))"
        );
        let one = DataRanges { parts: vec![DataColumns::of("Dane", 3)] };
        assert_eq!(one.combined("MIN", "9E+307", |c| format!("MINIFS({})", c.values), count), "MINIFS(Dane!$J$2:$J$4)");
    }
}
