//! How indicators group the way councils' reports do: an indicator broken down into parts
//! (women and men; forms of support), a numbered table of indicators (rows × columns), and
//! the state of a task instead of a number. Read from the optional definition sheets
//! `Podziały` and `Tabele` and the indicator columns `Podział`, `Tabela`, `Wiersz`, `Kolumna`.

use crate::table::fold;

/// How a breakdown's parts relate to its whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartsRule {
    /// `z tego`: the parts divide the whole; they must add up to it exactly.
    AddUp,
    /// `w tym`: the parts are a selection; together they may not exceed the whole.
    AtMost,
}

impl PartsRule {
    /// The Polish words that introduce the parts (`z tego`, `w tym`), as in statistical forms.
    pub fn polish(self) -> &'static str {
        match self {
            PartsRule::AddUp => "z tego",
            PartsRule::AtMost => "w tym",
        }
    }
}

/// One category of a breakdown.
#[derive(Debug, Clone, PartialEq)]
pub struct Category {
    /// Stable id derived from the name (`mezczyzni`), the last part of the part's indicator id.
    pub id: String,
    /// The name as written (`mężczyźni`).
    pub name: String,
}

/// A breakdown (sheet `Podziały`): the categories an indicator is split into.
#[derive(Debug, Clone, PartialEq)]
pub struct Breakdown {
    /// Stable id (`plec`).
    pub id: String,
    /// Polish name (`według płci`).
    pub name: String,
    /// The categories, in the order written.
    pub categories: Vec<Category>,
    /// Whether the parts add up to the whole or are only "w tym".
    pub rule: PartsRule,
}

/// Which whole an indicator is a part of (parts are generated from the whole's `Podział`).
#[derive(Debug, Clone, PartialEq)]
pub struct PartOf {
    /// The whole indicator's id.
    pub whole: String,
    /// The breakdown's id.
    pub breakdown: String,
    /// The category's id.
    pub category: String,
}

/// A numbered table of indicators (sheet `Tabele`), like Jaworzno's "Tabela Nr 1".
#[derive(Debug, Clone, PartialEq)]
pub struct DataTable {
    /// Stable id (`aktywizacja`).
    pub id: String,
    /// Its number in the report: its position on the sheet, from 1.
    pub number: usize,
    /// Title (`Rodziny objęte aktywizacją zawodową i społeczną`).
    pub title: String,
    /// Header of the column of row names (`Działania aktywizacji zawodowej i społecznej`).
    pub row_header: String,
    /// Row names, in order.
    pub rows: Vec<String>,
    /// Column names, in order.
    pub columns: Vec<String>,
}

impl DataTable {
    /// The caption the report and the template show: `Tabela Nr 1. Title`.
    pub fn caption(&self) -> String {
        format!("Tabela Nr {}. {}", self.number, self.title)
    }
}

/// An indicator's place in a table: the table's id and the row and column positions.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TableCell {
    /// The table's id.
    pub table: String,
    /// Row position (0-based).
    pub row: usize,
    /// Column position (0-based).
    pub column: usize,
}

/// The state of a task, the value of a `status zadania` indicator. It is kept as a number
/// (its [`TaskStatus::code`]) beside the text the institution chose; "nie dotyczy" is the
/// ordinary not-applicable state of any indicator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaskStatus {
    /// `zrealizowano`.
    Done,
    /// `w trakcie` (also "na bieżąco", "praca ciągła").
    InProgress,
    /// `nie zrealizowano`.
    NotDone,
}

impl TaskStatus {
    /// Every state, in the order the template's drop-down offers them.
    pub const ALL: [TaskStatus; 3] = [TaskStatus::Done, TaskStatus::InProgress, TaskStatus::NotDone];

    /// The drop-down's choices: the three states and "nie dotyczy".
    pub const CHOICES: [&'static str; 4] = ["zrealizowano", "w trakcie", "nie zrealizowano", "nie dotyczy"];

    /// Polish name, as in the drop-down.
    pub fn polish(self) -> &'static str {
        match self {
            TaskStatus::Done => "zrealizowano",
            TaskStatus::InProgress => "w trakcie",
            TaskStatus::NotDone => "nie zrealizowano",
        }
    }

    /// The number stored in the value column (1, 2, 3).
    pub fn code(self) -> f64 {
        match self {
            TaskStatus::Done => 1.0,
            TaskStatus::InProgress => 2.0,
            TaskStatus::NotDone => 3.0,
        }
    }

    /// The state stored as `code`.
    pub fn from_code(code: f64) -> Option<TaskStatus> {
        TaskStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// The state named by `text`, leniently: the seeds' "Zrealizowane", "Na bieżąco",
    /// "Praca ciągła", "w trakcie realizacji", "niezrealizowane"… (`None` for anything else,
    /// "nie dotyczy" included).
    pub fn parse(text: &str) -> Option<TaskStatus> {
        let key = fold(text).replace(['.', '!'], "");
        let key = key.trim();
        const DONE: [&str; 6] =
            ["zrealizowano", "zrealizowane", "zrealizowana", "zrealizowany", "wykonano", "wykonane"];
        const NOT_DONE: [&str; 6] = [
            "nie zrealizowano",
            "niezrealizowano",
            "nie zrealizowane",
            "niezrealizowane",
            "nie wykonano",
            "niewykonane",
        ];
        // "Na bieżąco wg potrzeb", "w trakcie realizacji": the start says it.
        const IN_PROGRESS_STARTS: [&str; 2] = ["w trakcie", "na biezaco"];
        const IN_PROGRESS: [&str; 5] =
            ["realizowane", "w realizacji", "praca ciagla", "realizowane na biezaco", "zadanie ciagle"];
        if DONE.contains(&key) {
            Some(TaskStatus::Done)
        } else if NOT_DONE.contains(&key) {
            Some(TaskStatus::NotDone)
        } else if IN_PROGRESS.contains(&key) || IN_PROGRESS_STARTS.iter().any(|s| key.starts_with(s)) {
            Some(TaskStatus::InProgress)
        } else {
            None
        }
    }
}

/// A stable id for a category name: lower case, Polish letters folded, every run of other
/// characters one `_` (`prace społecznie użyteczne` → `prace_spolecznie_uzyteczne`).
pub fn category_id(name: &str) -> String {
    let folded = fold(name);
    let mut id = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            id.push(c);
        } else if !id.is_empty() && !id.ends_with('_') {
            id.push('_');
        }
    }
    id.trim_end_matches('_').to_string()
}

/// Splits a list cell (`kobiety; mężczyźni`, one per line also works) into its items.
pub fn split_list(text: &str) -> Vec<String> {
    text.split([';', '\n']).map(str::trim).filter(|s| !s.is_empty()).map(String::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_ids_are_plain_and_stable() {
        assert_eq!(category_id("mężczyźni"), "mezczyzni");
        assert_eq!(category_id("prace społecznie użyteczne"), "prace_spolecznie_uzyteczne");
        assert_eq!(category_id("bon na zasiedlenie "), "bon_na_zasiedlenie");
        assert_eq!(category_id("do 3 miesięcy"), "do_3_miesiecy");
        assert_eq!(category_id("wyposażenie/doposażenie stanowiska"), "wyposazenie_doposazenie_stanowiska");
    }

    #[test]
    fn the_seeds_words_for_a_tasks_state_are_understood() {
        assert_eq!(TaskStatus::parse("Zrealizowane"), Some(TaskStatus::Done));
        assert_eq!(TaskStatus::parse("zrealizowano"), Some(TaskStatus::Done));
        assert_eq!(TaskStatus::parse("Na bieżąco"), Some(TaskStatus::InProgress));
        assert_eq!(TaskStatus::parse("Praca ciągła."), Some(TaskStatus::InProgress));
        assert_eq!(TaskStatus::parse("Na bieżąco wg potrzeb"), Some(TaskStatus::InProgress));
        assert_eq!(TaskStatus::parse("nie zrealizowano"), Some(TaskStatus::NotDone));
        assert_eq!(TaskStatus::parse("nie dotyczy"), None);
        assert_eq!(TaskStatus::parse("12"), None);
        assert_eq!(TaskStatus::from_code(2.0), Some(TaskStatus::InProgress));
    }
}
