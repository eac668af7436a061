//! Reads PCPR's `Piecza zastępcza` sheet: one row per placement, or one row per monthly
//! expense of a placement whose expense changed (same child code, form and placement date;
//! `Wydatki obowiązują od` tells from when each amount applies). Rows are read first, then
//! the rows of one placement are joined and checked together, and the findings are given
//! row by row, so a return without the new column reads, and is reported on, as before.

use super::findings::{Code, Finding};
use super::read::{data_rows, read_count, read_date, text_at};
use super::{PlacementRow, Return};
use crate::foster_care::{CareForm, Placement, RateProblem, join_rate_rows, rate_problems, to_grosze};
use crate::program::Program;
use crate::table::Table;
use crate::template::layout::{PLACEMENT_HEADERS, SHEET_PLACEMENTS};
use crate::workbook::{RawSheet, RawWorkbook};
use chrono::{Datelike, NaiveDate};

/// Column of `Wydatki obowiązują od` among [`PLACEMENT_HEADERS`].
const COSTS_FROM: usize = 6;

/// Reads the `Piecza zastępcza` sheet of `raw`, checked so that only fully read placements
/// enter the co-financing.
pub(super) fn read_placements(program: &Program, raw: &RawWorkbook, ret: &mut Return) {
    let Some(sheet) = raw.sheet(SHEET_PLACEMENTS) else {
        ret.push(Finding::new(
            Code::SheetMissing,
            format!("brak arkusza „{SHEET_PLACEMENTS}”: nie odczytano umieszczeń dzieci w pieczy zastępczej, więc nie wyliczono współfinansowania. Poproś o odesłanie całego formularza."),
        ));
        return;
    };
    read_placement_sheet(sheet, program.settings.report_year, ret);
}

/// Reads the placements of `sheet` (the report year `year`) into `ret`.
fn read_placement_sheet(sheet: &RawSheet, year: i32, ret: &mut Return) {
    let grid = sheet.grid();
    let Ok(table) = Table::locate(&sheet.name, &grid, &[PLACEMENT_HEADERS[0], PLACEMENT_HEADERS[2]]) else {
        ret.push(
            Finding::new(
                Code::ColumnMissing,
                format!(
                    "w arkuszu „{SHEET_PLACEMENTS}” brak nagłówków „{}” i „{}”; komórki zapisano w inne_komorki.csv",
                    PLACEMENT_HEADERS[0], PLACEMENT_HEADERS[2]
                ),
            )
            .at(&sheet.name, None),
        );
        for cell in &sheet.cells {
            ret.other(sheet, cell, "arkusz Piecza zastępcza bez nagłówków");
        }
        return;
    };
    let header_row = table.header_ref(PLACEMENT_HEADERS[0]).row;
    let cols: Vec<Option<u32>> = PLACEMENT_HEADERS.iter().map(|h| table.column(h)).collect();
    let mut rows: Vec<RowRead> = Vec::new();
    for (row, cells) in data_rows(sheet, header_row) {
        rows.push(read_placement_row(sheet, row, &cols));
        for cell in cells.into_iter().filter(|c| !cols.contains(&Some(c.col))) {
            ret.other(sheet, cell, "poza kolumnami arkusza Piecza zastępcza");
        }
    }
    let placements = join_rows(&mut rows, year);
    report_rows(sheet, &cols, year, &rows, &placements, ret);
    ret.placements.extend(rows.into_iter().map(|r| r.kept));
}

/// One data row as read, before the rows of one placement are joined.
struct RowRead {
    /// Zero-based row.
    row: u32,
    /// What is kept of the row (`usable` and `costs_until` are set once the rows are joined).
    kept: PlacementRow,
    /// What could not be read, by column.
    problems: Vec<(Option<u32>, &'static str)>,
    /// The row as a placement with its one monthly expense, when every field was read.
    placement: Option<Placement>,
    /// What is wrong with the expenses of the placement this row belongs to, found at this
    /// row (Polish sentences, each saying what to do).
    rate_problems: Vec<String>,
}

/// A placement joined from its rows, whose expenses are usable.
struct Joined {
    /// The placement, with every monthly expense of its rows.
    placement: Placement,
    /// Its rows, as positions in the rows read, in file order.
    rows: Vec<usize>,
}

/// The A1 name of column `col` (or A) in `row` of `sheet`.
fn cell_a1(sheet: &RawSheet, row: u32, col: Option<u32>) -> String {
    sheet.cell_ref(row, col.unwrap_or(0)).a1()
}

/// Reads one placement row and notes what could not be read.
fn read_placement_row(sheet: &RawSheet, row: u32, cols: &[Option<u32>]) -> RowRead {
    let child = text_at(sheet, row, cols[0]);
    let form_text = text_at(sheet, row, cols[1]);
    let care_form = form_text.as_deref().and_then(CareForm::parse);
    let form = form_text.as_deref().map(|t| care_form.map_or(t.to_string(), |f| f.polish().to_string()));
    let (placed, ok_placed) = read_date(sheet, row, cols[2]);
    let (ended, ok_ended) = read_date(sheet, row, cols[3]);
    let (monthly_cost, monthly_cost_text, ok_cost) = read_count(sheet, row, cols[4]);
    let (costs_from, ok_from) = read_date(sheet, row, cols[COSTS_FROM]);
    let mut problems: Vec<(Option<u32>, &str)> = Vec::new();
    if child.is_none() {
        problems.push((cols[0], "brak kodu dziecka"));
    }
    if care_form.is_none() {
        problems.push((cols[1], "forma pieczy (wybierz z listy)"));
    }
    if placed.is_none() || !ok_placed {
        problems.push((cols[2], "data umieszczenia (dd.mm.rrrr)"));
    }
    if !ok_ended {
        problems.push((cols[3], "data zakończenia (dd.mm.rrrr)"));
    }
    if monthly_cost.is_none() || !ok_cost {
        problems.push((cols[4], "miesięczne wydatki (kwota w zł)"));
    }
    if !ok_from {
        problems
            .push((cols[COSTS_FROM], "data, od której obowiązują wydatki (dd.mm.rrrr; puste = od daty umieszczenia)"));
    }
    let (start, end, from) = (iso_date(&placed), iso_date(&ended), iso_date(&costs_from));
    if let (Some(s), Some(e)) = (start, end)
        && e < s
    {
        problems.push((cols[3], "data zakończenia wcześniejsza niż data umieszczenia"));
    }
    let placement = match (&child, care_form, start, monthly_cost) {
        (Some(code), Some(care_form), Some(start), Some(cost)) if problems.is_empty() => {
            let mut p = Placement::new(code, care_form, start, end, to_grosze(cost));
            p.monthly_costs[0].from = from.unwrap_or(start);
            Some(p)
        }
        _ => None,
    };
    let kept = PlacementRow {
        cell: format!("{}!A{}", sheet.name, row + 1),
        costs_from: costs_from.or_else(|| start.map(|s| s.to_string())),
        child,
        form,
        placed,
        ended,
        monthly_cost,
        monthly_cost_text,
        notes: text_at(sheet, row, cols[5]),
        costs_until: None,
        usable: false,
    };
    RowRead { row, kept, problems, placement, rate_problems: vec![] }
}

/// `text` as a date, when it is an ISO date.
fn iso_date(text: &Option<String>) -> Option<NaiveDate> {
    text.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// `day` as Polish forms show it: `29.06.2025`.
fn pl_date(day: NaiveDate) -> String {
    day.format("%d.%m.%Y").to_string()
}

/// Joins the readable rows of each placement, checks their monthly expenses together, marks
/// the rows usable or notes at a row what is wrong, and sets each usable row's last day;
/// returns the usable placements in the order of their first rows.
fn join_rows(rows: &mut [RowRead], year: i32) -> Vec<Joined> {
    let readable: Vec<usize> = (0..rows.len()).filter(|&i| rows[i].placement.is_some()).collect();
    let singles: Vec<Placement> = readable.iter().filter_map(|&i| rows[i].placement.clone()).collect();
    let mut usable = Vec::new();
    for (placement, group) in join_rate_rows(&singles) {
        let members: Vec<usize> = group.iter().map(|&g| readable[g]).collect();
        let problems = {
            let group_rows: Vec<&Placement> = group.iter().map(|&g| &singles[g]).collect();
            rate_problems(&group_rows, year)
        };
        if problems.is_empty() {
            set_costs_until(rows, &members, &placement);
            for &m in &members {
                rows[m].kept.usable = true;
            }
            usable.push(Joined { placement, rows: members });
            continue;
        }
        let numbers: Vec<u32> = members.iter().map(|&m| rows[m].row + 1).collect();
        for problem in problems {
            let (at, text) = rate_problem_text(problem, rows, &members, &singles, &group);
            rows[at].rate_problems.push(format!("{text}; {}", not_counted(&numbers)));
        }
    }
    usable
}

/// Sets the last day of each row's expense: the day before the placement's next expense,
/// or its end date.
fn set_costs_until(rows: &mut [RowRead], members: &[usize], placement: &Placement) {
    for &m in members {
        let from = rows[m].placement.as_ref().map(|p| p.monthly_costs[0].from);
        let next = from.and_then(|f| placement.next_cost_change(f));
        let until = next.and_then(|n| n.pred_opt()).or(placement.ended);
        rows[m].kept.costs_until = until.map(|d| d.to_string());
    }
}

/// What happens to the rows `numbers` (1-based) of a placement whose expenses are unusable.
fn not_counted(numbers: &[u32]) -> String {
    match numbers {
        [rest @ .., last] if !rest.is_empty() => {
            let listed: Vec<String> = rest.iter().map(u32::to_string).collect();
            format!(
                "wiersze {} i {last} (to samo umieszczenie: ten sam kod dziecka, forma pieczy i data umieszczenia) zachowano, ale nie wliczono ich do współfinansowania. Popraw i odeślij plik.",
                listed.join(", ")
            )
        }
        _ => {
            let rows: Vec<String> = numbers.iter().map(u32::to_string).collect();
            format!(
                "wiersz {} zachowano, ale nie wliczono go do współfinansowania. Popraw i odeślij plik.",
                rows.join("")
            )
        }
    }
}

/// Where a problem of one placement's expenses is reported (a position in `rows`) and what
/// it says; `members` are the placement's rows, `group` the same as positions in `singles`.
fn rate_problem_text(
    problem: RateProblem,
    rows: &[RowRead],
    members: &[usize],
    singles: &[Placement],
    group: &[usize],
) -> (usize, String) {
    let single = |i: usize| &singles[group[i]];
    let number = |i: usize| rows[members[i]].row + 1;
    let from = |i: usize| single(i).monthly_costs[0].from;
    let amount = |i: usize| single(i).monthly_costs[0].amount;
    let head = |i: usize| format!("umieszczenie w wierszu {}", number(i));
    let text = match problem {
        RateProblem::BeforePlacement { row } => format!(
            "{}: wydatki obowiązują od {}, czyli przed datą umieszczenia {}; wpisz w kolumnie „{}” datę nie wcześniejszą niż data umieszczenia albo zostaw ją pustą (od daty umieszczenia)",
            head(row),
            pl_date(from(row)),
            pl_date(single(row).placed),
            PLACEMENT_HEADERS[COSTS_FROM]
        ),
        RateProblem::AfterEnd { row, ended } => format!(
            "{}: wydatki obowiązują od {}, czyli po zakończeniu pobytu {}; popraw datę w kolumnie „{}” albo datę zakończenia, albo usuń wiersz",
            head(row),
            pl_date(from(row)),
            pl_date(ended),
            PLACEMENT_HEADERS[COSTS_FROM]
        ),
        RateProblem::SameDay { row, earlier, same_amount: true } => format!(
            "{}: powtarza wiersz {} (ten sam kod dziecka, forma pieczy, data umieszczenia i ta sama kwota od {}); usuń powtórzony wiersz albo popraw kod dziecka",
            head(row),
            number(earlier),
            pl_date(from(row))
        ),
        RateProblem::SameDay { row, earlier, same_amount: false } => format!(
            "{}: od {} podano już inną kwotę w wierszu {} ({}, tu {}); zostaw jeden wiersz z właściwą kwotą, a zmianę wydatków wpisz w nowym wierszu z datą w kolumnie „{}”",
            head(row),
            pl_date(from(row)),
            number(earlier),
            crate::polish::pln(amount(earlier)),
            crate::polish::pln(amount(row)),
            PLACEMENT_HEADERS[COSTS_FROM]
        ),
        RateProblem::EndDiffers { row, earlier } => format!(
            "{}: inna data zakończenia niż w wierszu {} tego samego umieszczenia; wpisz w obu wierszach tę samą datę zakończenia",
            head(row),
            number(earlier)
        ),
        RateProblem::NoCostFromStart { row, needed } => format!(
            "{}: najwcześniejsze wydatki tego umieszczenia obowiązują od {}, więc brak kwoty na dni od {}; dopisz wiersz z kwotą od {} albo wyczyść datę w kolumnie „{}” (puste = od daty umieszczenia)",
            head(row),
            pl_date(from(row)),
            pl_date(needed),
            pl_date(needed),
            PLACEMENT_HEADERS[COSTS_FROM]
        ),
    };
    let at = match problem {
        RateProblem::BeforePlacement { row }
        | RateProblem::AfterEnd { row, .. }
        | RateProblem::SameDay { row, .. }
        | RateProblem::EndDiffers { row, .. }
        | RateProblem::NoCostFromStart { row, .. } => members[row],
    };
    (at, text)
}

/// Gives the findings row by row: what could not be read, what is wrong with the
/// placement's expenses, a code that looks like personal data, and, at a placement's first
/// row, a placement outside the year and one overlapping an earlier placement of the child.
fn report_rows(
    sheet: &RawSheet,
    cols: &[Option<u32>],
    year: i32,
    rows: &[RowRead],
    joined: &[Joined],
    ret: &mut Return,
) {
    let mut periods: Vec<PlacementPeriod> = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        report_invalid_placement(sheet, r.row, &r.problems, ret);
        for text in &r.rate_problems {
            let col = cols[COSTS_FROM].or(cols[4]);
            ret.push(
                Finding::new(Code::PlacementCostsInvalid, text.clone())
                    .at(&sheet.name, Some(cell_a1(sheet, r.row, col)))
                    .original(text_at(sheet, r.row, col)),
            );
        }
        if let Some(code) = &r.kept.child {
            report_personal_child_code(sheet, r.row, cols[0], code, ret);
        }
        let Some(j) = joined.iter().find(|j| j.rows[0] == i) else { continue };
        let at = cell_a1(sheet, r.row, cols[2]);
        let p = &j.placement;
        report_placement_outside_year(&sheet.name, &at, year, p.placed, p.ended, ret);
        let period = PlacementPeriod { child: p.child.clone(), start: p.placed, end: p.ended, row: r.row };
        report_overlapping_placements(&sheet.name, &at, &period, &periods, ret);
        periods.push(period);
    }
}

/// A usable placement already reported on, against which the same child's later placements
/// are checked.
struct PlacementPeriod {
    /// The child's code.
    child: String,
    /// Placement date.
    start: NaiveDate,
    /// End date, if it has ended.
    end: Option<NaiveDate>,
    /// The row it was read from (its first row).
    row: u32,
}

/// One finding listing what could not be read in a placement row, at the first such cell.
fn report_invalid_placement(sheet: &RawSheet, row: u32, problems: &[(Option<u32>, &str)], ret: &mut Return) {
    let Some((first_col, _)) = problems.first() else { return };
    let list = problems.iter().map(|(_, p)| *p).collect::<Vec<_>>().join(", ");
    ret.push(
        Finding::new(
            Code::PlacementInvalid,
            format!("umieszczenie w wierszu {}: {list}; wiersz zachowano, ale nie wliczono go do współfinansowania. Popraw i odeślij plik.", row + 1),
        )
        .at(&sheet.name, Some(cell_a1(sheet, row, *first_col)))
        .original(text_at(sheet, row, *first_col)),
    );
}

/// Warns when a child's code looks like personal data (a name or a PESEL number).
fn report_personal_child_code(sheet: &RawSheet, row: u32, col: Option<u32>, code: &str, ret: &mut Return) {
    if super::screen::holds_masked_pesel(code) || looks_like_name(code) {
        ret.push(
            Finding::new(
                Code::ChildCodePersonal,
                "kod dziecka wygląda na imię i nazwisko albo numer PESEL; wpisz kod (np. D01), nie dane osobowe",
            )
            .at(&sheet.name, Some(cell_a1(sheet, row, col)))
            .original(Some(code.to_string())),
        );
    }
}

/// Warns about a placement that has no day in the report year.
fn report_placement_outside_year(
    sheet: &str,
    at: &str,
    year: i32,
    start: NaiveDate,
    end: Option<NaiveDate>,
    ret: &mut Return,
) {
    if start.year() > year || end.is_some_and(|e| e.year() < year) {
        ret.push(
            Finding::new(
                Code::PlacementOutsideYear,
                format!("umieszczenie nie obejmuje ani jednego dnia roku {year}; sprawdź daty (nie wpływa na współfinansowanie {year} r.)"),
            )
            .at(sheet, Some(at.to_string())),
        );
    }
}

/// Reports each earlier placement of the same child whose period overlaps `period`.
fn report_overlapping_placements(
    sheet: &str,
    at: &str,
    period: &PlacementPeriod,
    periods: &[PlacementPeriod],
    ret: &mut Return,
) {
    for other in periods.iter().filter(|p| p.child == period.child) {
        let overlap =
            period.start <= other.end.unwrap_or(NaiveDate::MAX) && other.start <= period.end.unwrap_or(NaiveDate::MAX);
        if overlap {
            ret.push(
                Finding::new(
                    Code::PlacementsOverlap,
                    format!("dziecko „{}” ma w tym samym czasie także umieszczenie z wiersza {}; okresy nie mogą się nakładać (przy zmianie formy pieczy zakończ poprzednie umieszczenie dzień wcześniej; przy zmianie miesięcznych wydatków wpisz w nowym wierszu tę samą formę i datę umieszczenia, a datę zmiany w kolumnie „{}”)", other.child, other.row + 1, PLACEMENT_HEADERS[COSTS_FROM]),
                )
                .at(sheet, Some(at.to_string())),
            );
        }
    }
}

/// Two or more words starting with a capital letter and no digit ("Jan Kowalski"): a name,
/// not a code.
fn looks_like_name(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    words.len() >= 2
        && !text.chars().any(|c| c.is_ascii_digit())
        && words.iter().all(|w| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cell::CellValue;
    use crate::workbook::RawCell;

    /// A `Piecza zastępcza` sheet: the headers `headers` in row 3, then `rows` (text cells;
    /// `dd.mm.rrrr` read as dates, digits as numbers, empty strings left out).
    fn sheet(headers: &[&str], rows: &[&[&str]]) -> RawSheet {
        let mut cells = Vec::new();
        let value = |t: &str| match NaiveDate::parse_from_str(t, "%d.%m.%Y") {
            Ok(d) => CellValue::Date(d.to_string()),
            Err(_) => t.parse().map_or(CellValue::Text(t.to_string()), CellValue::Number),
        };
        for (col, h) in headers.iter().enumerate() {
            cells.push(RawCell { row: 2, col: col as u32, value: CellValue::Text(h.to_string()), formula: None });
        }
        for (i, row) in rows.iter().enumerate() {
            for (col, t) in row.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
                cells.push(RawCell { row: 3 + i as u32, col: col as u32, value: value(t), formula: None });
            }
        }
        RawSheet { name: SHEET_PLACEMENTS.to_string(), hidden: false, cells }
    }

    fn read(sheet: &RawSheet) -> Return {
        let mut ret = Return::new("PCPR.xlsx", None, None);
        read_placement_sheet(sheet, 2025, &mut ret);
        ret
    }

    fn codes(ret: &Return) -> Vec<(&str, &str)> {
        ret.findings.iter().map(|f| (f.code.as_str(), f.cell.as_deref().unwrap_or(""))).collect()
    }

    const ZAWODOWA: &str = "rodzina zastępcza zawodowa";

    #[test]
    fn a_change_of_the_expense_is_one_placement_not_an_overlap() {
        let s = sheet(
            &PLACEMENT_HEADERS,
            &[
                &["D21", ZAWODOWA, "01.01.2024", "", "2400", "", ""],
                &["D22", ZAWODOWA, "01.01.2024", "", "2400", "", ""],
                &["D21", ZAWODOWA, "01.01.2024", "", "2700", "podwyżka", "29.06.2025"],
            ],
        );
        let ret = read(&s);
        assert_eq!(codes(&ret), vec![], "{:?}", ret.findings);
        let p = &ret.placements;
        assert!(p.iter().all(|r| r.usable));
        let period = |r: &PlacementRow| (r.costs_from.clone(), r.costs_until.clone(), r.monthly_cost);
        assert_eq!(period(&p[0]), (Some("2024-01-01".into()), Some("2025-06-28".into()), Some(2400.0)));
        assert_eq!(period(&p[1]), (Some("2024-01-01".into()), None, Some(2400.0)));
        assert_eq!(period(&p[2]), (Some("2025-06-29".into()), None, Some(2700.0)));
    }

    #[test]
    fn nonsense_dates_of_a_change_are_reported_and_the_placement_left_out() {
        let s = sheet(
            &PLACEMENT_HEADERS,
            &[
                &["D01", ZAWODOWA, "01.03.2025", "", "2000", "", ""],
                &["D01", ZAWODOWA, "01.03.2025", "", "2500", "", "15.02.2025"],
                &["D02", ZAWODOWA, "01.03.2025", "", "2000", "", ""],
                &["D02", ZAWODOWA, "01.03.2025", "", "2100", "", "01.03.2025"],
                &["D03", ZAWODOWA, "01.03.2025", "30.06.2025", "2000", "", ""],
                &["D03", ZAWODOWA, "01.03.2025", "", "2100", "", "01.07.2025"],
                &["D04", ZAWODOWA, "01.03.2025", "", "2000", "", "wczoraj"],
            ],
        );
        let ret = read(&s);
        let bad = "WYDATKI_UMIESZCZENIA_NIEPOPRAWNE";
        assert_eq!(
            codes(&ret),
            vec![(bad, "G5"), (bad, "G7"), (bad, "G9"), ("UMIESZCZENIE_NIEPOPRAWNE", "G10")],
            "{:?}",
            ret.findings
        );
        assert!(ret.placements.iter().all(|r| !r.usable), "no row of these placements is counted");
        let message =
            |cell: &str| ret.findings.iter().find(|f| f.cell.as_deref() == Some(cell)).unwrap().message.clone();
        assert!(
            message("G5").starts_with(
                "umieszczenie w wierszu 5: wydatki obowiązują od 15.02.2025, czyli przed datą umieszczenia 01.03.2025"
            ),
            "{}",
            message("G5")
        );
        assert!(message("G5").contains("wiersze 4 i 5 (to samo umieszczenie"), "{}", message("G5"));
        assert!(message("G7").contains("od 01.03.2025 podano już inną kwotę w wierszu 6"), "{}", message("G7"));
        assert!(message("G9").contains("po zakończeniu pobytu 30.06.2025"), "{}", message("G9"));
        assert_eq!(ret.placements[6].costs_from.as_deref(), Some("wczoraj"), "kept as typed");
    }

    #[test]
    fn a_sheet_without_the_column_reads_as_before() {
        let old_headers = &PLACEMENT_HEADERS[..6];
        let s = sheet(
            old_headers,
            &[
                &["D01", ZAWODOWA, "01.03.2024", "31.05.2025", "2000", ""],
                &["D01", "placówka opiekuńczo-wychowawcza", "01.05.2025", "", "4000", ""],
            ],
        );
        let ret = read(&s);
        // The second placement begins before the first ends: an overlap, as always.
        assert_eq!(codes(&ret), vec![("UMIESZCZENIA_NAKLADAJA_SIE", "C5")]);
        assert!(ret.placements.iter().all(|r| r.usable));
        assert_eq!(ret.placements[0].costs_from.as_deref(), Some("2024-03-01"));
        assert_eq!(ret.placements[0].costs_until.as_deref(), Some("2025-05-31"));
        assert!(ret.other_cells.is_empty());
    }
}
