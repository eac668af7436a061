//! Foster-care co-financing: the municipality's share of what the county spends on a child in
//! foster care, by the year of the child's stay (art. 191 ust. 9 of the family support act),
//! computed day by day within each month, for the reported year and projected for the next.
//!
//! Money is kept in grosze (`i64`) so totals are exact and every month's share is rounded
//! once, half up, the way an invoice is. A placement's monthly expense may change during the
//! stay (a new rate "od 29.06.2025"): each day then takes the expense in force on it.

use chrono::{Datelike, Months, NaiveDate};
use std::collections::{BTreeMap, BTreeSet};

/// Amount in grosze (1 zł = 100 gr).
pub type Grosze = i64;

/// Whether a form of care is family-based or institutional (the split the reports show).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CareKind {
    /// Rodzinna piecza zastępcza: foster families and family children's homes.
    Family,
    /// Instytucjonalna piecza zastępcza: care institutions.
    Institutional,
}

impl CareKind {
    /// Polish name as used in reports.
    pub fn polish(self) -> &'static str {
        match self {
            CareKind::Family => "rodzinna piecza zastępcza",
            CareKind::Institutional => "instytucjonalna piecza zastępcza",
        }
    }
}

/// A form of foster care, as the act names them (art. 39 and 93).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum CareForm {
    /// Rodzina zastępcza spokrewniona.
    KinshipFamily,
    /// Rodzina zastępcza niezawodowa.
    NonProfessionalFamily,
    /// Rodzina zastępcza zawodowa.
    ProfessionalFamily,
    /// Rodzina zastępcza zawodowa pełniąca funkcję pogotowia rodzinnego.
    EmergencyFamily,
    /// Rodzina zastępcza zawodowa specjalistyczna.
    SpecialistFamily,
    /// Rodzinny dom dziecka.
    FamilyChildrensHome,
    /// Placówka opiekuńczo-wychowawcza.
    CareInstitution,
    /// Regionalna placówka opiekuńczo-terapeutyczna.
    RegionalTherapeuticInstitution,
    /// Interwencyjny ośrodek preadopcyjny.
    PreAdoptionCentre,
}

impl CareForm {
    /// Every form, in the order the template lists them.
    pub const ALL: [CareForm; 9] = [
        CareForm::KinshipFamily,
        CareForm::NonProfessionalFamily,
        CareForm::ProfessionalFamily,
        CareForm::EmergencyFamily,
        CareForm::SpecialistFamily,
        CareForm::FamilyChildrensHome,
        CareForm::CareInstitution,
        CareForm::RegionalTherapeuticInstitution,
        CareForm::PreAdoptionCentre,
    ];

    /// Polish name, as offered in the template's drop-down.
    pub fn polish(self) -> &'static str {
        match self {
            CareForm::KinshipFamily => "rodzina zastępcza spokrewniona",
            CareForm::NonProfessionalFamily => "rodzina zastępcza niezawodowa",
            CareForm::ProfessionalFamily => "rodzina zastępcza zawodowa",
            CareForm::EmergencyFamily => "rodzina zastępcza zawodowa – pogotowie rodzinne",
            CareForm::SpecialistFamily => "rodzina zastępcza zawodowa specjalistyczna",
            CareForm::FamilyChildrensHome => "rodzinny dom dziecka",
            CareForm::CareInstitution => "placówka opiekuńczo-wychowawcza",
            CareForm::RegionalTherapeuticInstitution => "regionalna placówka opiekuńczo-terapeutyczna",
            CareForm::PreAdoptionCentre => "interwencyjny ośrodek preadopcyjny",
        }
    }

    /// Family-based or institutional.
    pub fn kind(self) -> CareKind {
        match self {
            CareForm::CareInstitution | CareForm::RegionalTherapeuticInstitution | CareForm::PreAdoptionCentre => {
                CareKind::Institutional
            }
            _ => CareKind::Family,
        }
    }

    /// The form named by `text`, ignoring case, diacritics and dashes.
    pub fn parse(text: &str) -> Option<CareForm> {
        let key = |s: &str| crate::table::fold(s).replace(['–', '-', ' '], "");
        let wanted = key(text);
        CareForm::ALL.into_iter().find(|f| key(f.polish()) == wanted)
    }
}

/// The municipality's shares by year of stay, from the programme definition.
#[derive(Debug, Clone, PartialEq)]
pub struct Rates {
    /// Percent in the 1st, 2nd, … year of stay; the last applies to every later year
    /// (by law: 10, 30, 50).
    pub percent_by_year_of_stay: Vec<u32>,
    /// Placements that began before this date are not co-financed (by law: 1 January 2012).
    pub not_before: NaiveDate,
}

impl Default for Rates {
    fn default() -> Self {
        Rates {
            percent_by_year_of_stay: vec![10, 30, 50],
            not_before: NaiveDate::from_ymd_opt(2012, 1, 1).expect("valid date"),
        }
    }
}

impl Rates {
    /// The percent for the `year_of_stay`-th year (1-based).
    pub fn percent(&self, year_of_stay: u32) -> u32 {
        let i = (year_of_stay.max(1) - 1) as usize;
        self.percent_by_year_of_stay.get(i).or(self.percent_by_year_of_stay.last()).copied().unwrap_or(0)
    }
}

/// One child's placement, as PCPR reports it.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    /// The child's code (never a name).
    pub child: String,
    /// Form of care.
    pub form: CareForm,
    /// The first day in this placement.
    pub placed: NaiveDate,
    /// The last day in this placement, if it ended.
    pub ended: Option<NaiveDate>,
    /// When the child's stay in foster care began: `placed`, or an earlier placement of the
    /// same child (moving between forms of care does not restart the years of stay).
    pub stay_began: NaiveDate,
    /// What the county spends on the child's care per full month, each amount in force from
    /// its date until the next one's (in date order; never empty). A day before the first
    /// date takes the first amount: PCPR need not restate the expense of years before the
    /// reported one, and collect rejects a first date later than the placement within it.
    pub monthly_costs: Vec<MonthlyCost>,
}

/// A monthly expense in force from a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthlyCost {
    /// The first day the amount applies.
    pub from: NaiveDate,
    /// What the county spends per full month, from that day.
    pub amount: Grosze,
}

impl Placement {
    /// A placement with one monthly expense for the whole stay (the years of stay counted
    /// from `placed` until [`link_stays`] links it with the child's earlier placements).
    pub fn new(child: &str, form: CareForm, placed: NaiveDate, ended: Option<NaiveDate>, monthly: Grosze) -> Self {
        Placement {
            child: child.to_string(),
            form,
            placed,
            ended,
            stay_began: placed,
            monthly_costs: vec![MonthlyCost { from: placed, amount: monthly }],
        }
    }

    /// The monthly expense in force on `day`.
    pub fn monthly_cost_on(&self, day: NaiveDate) -> Grosze {
        let first = self.monthly_costs.first().map_or(0, |c| c.amount);
        self.monthly_costs.iter().rev().find(|c| c.from <= day).map_or(first, |c| c.amount)
    }

    /// The first day after `day` on which another monthly expense comes into force.
    pub(crate) fn next_cost_change(&self, day: NaiveDate) -> Option<NaiveDate> {
        self.monthly_costs.iter().map(|c| c.from).find(|&from| from > day)
    }
}

/// Joins rows that describe one placement: rows with the same child, form of care and
/// placement date are one placement whose monthly expense changed, each row giving one
/// amount and the date it applies from. `rows` hold one monthly expense each (as read from
/// one row); the result holds each placement once, in the order of its first row, with its
/// expenses in date order (the first of two amounts from the same day is kept: collect
/// rejects such rows), the end date of the first row that has one, and the indices of its
/// rows in `rows`.
pub fn join_rate_rows(rows: &[Placement]) -> Vec<(Placement, Vec<usize>)> {
    let mut joined: Vec<(Placement, Vec<usize>)> = Vec::new();
    for (i, row) in rows.iter().enumerate() {
        let same = |p: &Placement| p.child == row.child && p.form == row.form && p.placed == row.placed;
        match joined.iter_mut().find(|(p, _)| same(p)) {
            Some((placement, indices)) => {
                indices.push(i);
                placement.ended = placement.ended.or(row.ended);
                for cost in &row.monthly_costs {
                    if !placement.monthly_costs.iter().any(|c| c.from == cost.from) {
                        placement.monthly_costs.push(*cost);
                    }
                }
                placement.monthly_costs.sort_by_key(|c| c.from);
            }
            None => joined.push((row.clone(), vec![i])),
        }
    }
    joined
}

/// Something that makes one placement's monthly expenses unusable, found among the rows
/// [`join_rate_rows`] joined (each row index is a position in the slice checked).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateProblem {
    /// The row's expense applies from a day before the placement began.
    BeforePlacement {
        /// The row.
        row: usize,
    },
    /// The row's expense applies from a day after the placement ended.
    AfterEnd {
        /// The row.
        row: usize,
        /// The placement's last day.
        ended: NaiveDate,
    },
    /// The row's expense applies from the same day as an earlier row's.
    SameDay {
        /// The row.
        row: usize,
        /// The earlier row with that day.
        earlier: usize,
        /// Whether both give the same amount (a repeated row, not a contradiction).
        same_amount: bool,
    },
    /// The row gives another end date than an earlier row of the same placement.
    EndDiffers {
        /// The row.
        row: usize,
        /// The earlier row with another end date.
        earlier: usize,
    },
    /// No expense applies from the day the computation needs one (the placement date, or
    /// 1 January of the reported year for an earlier placement): the first row's applies
    /// only later.
    NoCostFromStart {
        /// The row with the earliest expense.
        row: usize,
        /// The first day that needs an expense.
        needed: NaiveDate,
    },
}

/// What makes the monthly expenses of one placement unusable in `year`: `rows` are its rows
/// (one monthly expense each, in file order), as [`join_rate_rows`] groups them.
pub fn rate_problems(rows: &[&Placement], year: i32) -> Vec<RateProblem> {
    let mut problems = Vec::new();
    let ended = rows.iter().find_map(|r| r.ended);
    for (i, row) in rows.iter().enumerate() {
        let earlier = &rows[..i];
        if let Some(e) = earlier.iter().position(|o| o.ended.is_some() && row.ended.is_some() && o.ended != row.ended) {
            problems.push(RateProblem::EndDiffers { row: i, earlier: e });
        }
        for cost in &row.monthly_costs {
            if cost.from < row.placed {
                problems.push(RateProblem::BeforePlacement { row: i });
            } else if let Some(end) = row.ended.or(ended).filter(|&end| cost.from > end) {
                problems.push(RateProblem::AfterEnd { row: i, ended: end });
            }
            let same_day = earlier.iter().enumerate().find_map(|(e, o)| {
                o.monthly_costs.iter().find(|c| c.from == cost.from).map(|c| (e, c.amount == cost.amount))
            });
            if let Some((e, same_amount)) = same_day {
                problems.push(RateProblem::SameDay { row: i, earlier: e, same_amount });
            }
        }
    }
    let first = rows.iter().enumerate().flat_map(|(i, r)| r.monthly_costs.iter().map(move |c| (c.from, i))).min();
    if let (Some((from, row)), Some(placed)) = (first, rows.first().map(|r| r.placed)) {
        let jan1 = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let needed = placed.max(jan1);
        if from > needed && problems.is_empty() {
            problems.push(RateProblem::NoCostFromStart { row, needed });
        }
    }
    problems
}

/// The start of the `n`-th year of stay (1-based) for a stay that began on `began`.
/// A stay that began on 29 February enters later years on 28 February.
pub fn year_of_stay_start(began: NaiveDate, n: u32) -> NaiveDate {
    began.checked_add_months(Months::new(12 * (n.max(1) - 1))).unwrap_or(NaiveDate::MAX)
}

/// Which year of stay (1-based) `day` falls in, for a stay that began on `began`.
pub fn year_of_stay(began: NaiveDate, day: NaiveDate) -> u32 {
    let mut n = ((day.year() - began.year()).max(0) as u32) + 1;
    while n > 1 && year_of_stay_start(began, n) > day {
        n -= 1;
    }
    n
}

/// One month of one placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthShare {
    /// Month, 1–12.
    pub month: u32,
    /// Days in care in this month.
    pub days: u32,
    /// The county's expense attributed to those days.
    pub cost: Grosze,
    /// The municipality's share of it.
    pub share: Grosze,
    /// The month's days in care split where the year of stay or the monthly expense
    /// changes, in order (two entries in the month of an anniversary or of a new expense).
    pub segments: Vec<Segment>,
}

/// Consecutive days of one month in care with the same year of stay and monthly expense.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    /// The year of stay (1-based).
    pub year_of_stay: u32,
    /// The municipality's percent for it (0 when the stay is not co-financed).
    pub percent: u32,
    /// Days.
    pub days: u32,
    /// The monthly expense in force on these days.
    pub monthly_cost: Grosze,
}

/// Why a placement has no share in a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoShare {
    /// The stay began before the co-financing start date (1 January 2012).
    BeganBeforeCoFinancing,
}

/// One placement's cost and share in one calendar year.
#[derive(Debug, Clone, PartialEq)]
pub struct YearShare {
    /// Months with at least one day in care.
    pub months: Vec<MonthShare>,
    /// Total expense in the year.
    pub cost: Grosze,
    /// Total municipality share in the year.
    pub share: Grosze,
    /// Set when the placement is in care but not co-financed.
    pub no_share: Option<NoShare>,
}

impl YearShare {
    /// Whether the child was in care at all in the year.
    pub fn in_care(&self) -> bool {
        !self.months.is_empty()
    }

    /// The year of stay on the last day in care in the year, if any.
    pub fn last_year_of_stay(&self) -> Option<u32> {
        self.months.last().and_then(|m| m.segments.last()).map(|s| s.year_of_stay)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let next = first.checked_add_months(Months::new(1)).expect("date in range");
    (next - first).num_days() as u32
}

/// `numerator / denominator`, rounded half up (amounts are never negative here).
fn divide_half_up(numerator: i128, denominator: i128) -> Grosze {
    ((numerator * 2 + denominator) / (2 * denominator)) as Grosze
}

/// The placement's cost and the municipality's share, month by month, in `year`.
///
/// A month's expense is the sum, over its days in care, of the monthly expense in force on
/// the day ÷ days in the month (the whole monthly expense for a full month at one rate); the
/// share weighs each day also by the percent of its year of stay, so a month with an
/// anniversary or a new expense is split between two rates. Each month's cost and share are
/// rounded to the grosz once, half up, from the exact sum of its parts: the municipality is
/// invoiced by the month, and rounding the parts separately could make a month differ by a
/// grosz from the same month computed by days. For a year after the reported one this is
/// the projection: the placement continues (unless it has an end date) at its last monthly
/// expense.
pub fn share_in_year(placement: &Placement, rates: &Rates, year: i32) -> YearShare {
    let co_financed = placement.stay_began >= rates.not_before;
    let mut months = Vec::new();
    for month in 1..=12 {
        let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
        let month_days = days_in_month(year, month);
        let last = NaiveDate::from_ymd_opt(year, month, month_days).expect("valid day");
        let from = first.max(placement.placed);
        let to = placement.ended.map_or(last, |e| e.min(last));
        if from > to {
            continue;
        }
        let segments = month_segments(placement, rates, co_financed, from, to);
        let days: u32 = segments.iter().map(|s| s.days).sum();
        let cost_days: i128 = segments.iter().map(|s| s.monthly_cost as i128 * s.days as i128).sum();
        let share_days: i128 =
            segments.iter().map(|s| s.monthly_cost as i128 * s.days as i128 * s.percent as i128).sum();
        let cost = divide_half_up(cost_days, month_days as i128);
        let share = divide_half_up(share_days, month_days as i128 * 100);
        months.push(MonthShare { month, days, cost, share, segments });
    }
    let cost = months.iter().map(|m| m.cost).sum();
    let share = months.iter().map(|m| m.share).sum();
    let no_share = (!co_financed && !months.is_empty()).then_some(NoShare::BeganBeforeCoFinancing);
    YearShare { months, cost, share, no_share }
}

/// The days `from..=to` (within one month) split where the year of stay or the monthly
/// expense changes.
fn month_segments(
    placement: &Placement,
    rates: &Rates,
    co_financed: bool,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Segment> {
    let mut segments = Vec::new();
    let mut day = from;
    while day <= to {
        let n = year_of_stay(placement.stay_began, day);
        let mut next = year_of_stay_start(placement.stay_began, n + 1);
        if let Some(change) = placement.next_cost_change(day) {
            next = next.min(change);
        }
        let segment_end = to.min(next.pred_opt().unwrap_or(to));
        segments.push(Segment {
            year_of_stay: n,
            percent: if co_financed { rates.percent(n) } else { 0 },
            days: (segment_end - day).num_days() as u32 + 1,
            monthly_cost: placement.monthly_cost_on(day),
        });
        day = match segment_end.succ_opt() {
            Some(d) => d,
            None => break,
        };
    }
    segments
}

/// Totals of the co-financing for one year, by form of care.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct YearTotals {
    /// Per form: children in care in the year (distinct codes), expense, share.
    pub by_form: BTreeMap<CareForm, FormTotal>,
    /// Distinct children in care in the year (a child who moved between forms counts once).
    pub children: usize,
    /// Of them, those with a share above zero.
    pub co_financed_children: usize,
}

/// One form's (or one kind's) totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormTotal {
    /// Distinct children in care in the year in this form.
    pub children: usize,
    /// Distinct children with a share above zero.
    pub co_financed_children: usize,
    /// Expense.
    pub cost: Grosze,
    /// Municipality share.
    pub share: Grosze,
}

impl YearTotals {
    /// Adds up `placements` in `year`.
    pub fn of(placements: &[Placement], rates: &Rates, year: i32) -> Self {
        let shares: Vec<YearShare> = placements.iter().map(|p| share_in_year(p, rates, year)).collect();
        Self::from_shares(placements.iter().zip(&shares))
    }

    /// Adds up shares already computed, one per placement.
    pub fn from_shares<'a>(shares: impl IntoIterator<Item = (&'a Placement, &'a YearShare)>) -> Self {
        let mut by_form: BTreeMap<CareForm, (FormTotal, BTreeSet<&str>, BTreeSet<&str>)> = BTreeMap::new();
        let (mut children, mut co_financed) = (BTreeSet::new(), BTreeSet::new());
        for (p, y) in shares.into_iter().filter(|(_, y)| y.in_care()) {
            let entry = by_form.entry(p.form).or_default();
            entry.0.cost += y.cost;
            entry.0.share += y.share;
            entry.1.insert(p.child.as_str());
            children.insert(p.child.as_str());
            if y.share > 0 {
                entry.2.insert(p.child.as_str());
                co_financed.insert(p.child.as_str());
            }
        }
        YearTotals {
            by_form: by_form
                .into_iter()
                .map(|(form, (total, children, co_financed))| {
                    (form, FormTotal { children: children.len(), co_financed_children: co_financed.len(), ..total })
                })
                .collect(),
            children: children.len(),
            co_financed_children: co_financed.len(),
        }
    }

    /// One kind of care (its forms added; a child who moved between two forms of the same
    /// kind counts in both).
    pub fn kind(&self, kind: CareKind) -> FormTotal {
        self.by_form.iter().filter(|(f, _)| f.kind() == kind).fold(FormTotal::default(), |a, (_, t)| FormTotal {
            children: a.children + t.children,
            co_financed_children: a.co_financed_children + t.co_financed_children,
            cost: a.cost + t.cost,
            share: a.share + t.share,
        })
    }

    /// Total share.
    pub fn share(&self) -> Grosze {
        self.by_form.values().map(|t| t.share).sum()
    }

    /// Total expense.
    pub fn cost(&self) -> Grosze {
        self.by_form.values().map(|t| t.cost).sum()
    }
}

/// Sets each placement's `stay_began` to the earliest `placed` among the placements with the
/// same child code, so a move between forms of care continues the years of stay.
pub fn link_stays(placements: &mut [Placement]) {
    let mut first: BTreeMap<String, NaiveDate> = BTreeMap::new();
    for p in placements.iter() {
        let e = first.entry(p.child.clone()).or_insert(p.placed);
        *e = (*e).min(p.placed);
    }
    for p in placements.iter_mut() {
        p.stay_began = first[&p.child];
    }
}

/// Złote (from a spreadsheet cell) to grosze, rounded to the grosz.
pub fn to_grosze(zl: f64) -> Grosze {
    (zl * 100.0).round() as Grosze
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn placement(placed: NaiveDate, ended: Option<NaiveDate>, monthly_zl: i64) -> Placement {
        Placement::new("D01", CareForm::ProfessionalFamily, placed, ended, monthly_zl * 100)
    }

    fn segment(year_of_stay: u32, percent: u32, days: u32, monthly_zl: i64) -> Segment {
        Segment { year_of_stay, percent, days, monthly_cost: monthly_zl * 100 }
    }

    #[test]
    fn the_second_year_of_stay_begins_on_the_anniversary() {
        let began = date(2022, 3, 15);
        assert_eq!(year_of_stay(began, date(2022, 3, 15)), 1);
        assert_eq!(year_of_stay(began, date(2023, 3, 14)), 1);
        assert_eq!(year_of_stay(began, date(2023, 3, 15)), 2);
        assert_eq!(year_of_stay(began, date(2024, 3, 14)), 2);
        assert_eq!(year_of_stay(began, date(2024, 3, 15)), 3);
        assert_eq!(year_of_stay(began, date(2031, 1, 1)), 9);
        // 29 February: later years begin on 28 February.
        assert_eq!(year_of_stay_start(date(2020, 2, 29), 2), date(2021, 2, 28));
        assert_eq!(year_of_stay(date(2020, 2, 29), date(2021, 2, 27)), 1);
        assert_eq!(year_of_stay(date(2020, 2, 29), date(2021, 2, 28)), 2);
    }

    #[test]
    fn an_anniversary_month_is_split_between_two_rates() {
        // Placed 15.03.2022, 3 100 zł a month. In 2023: January–February at 10 %, March split
        // (14 days at 10 %, 17 days at 30 %), April–December at 30 %.
        let p = placement(date(2022, 3, 15), None, 3100);
        let y = share_in_year(&p, &Rates::default(), 2023);
        let march = &y.months[2];
        assert_eq!(march.segments, vec![segment(1, 10, 14, 3100), segment(2, 30, 17, 3100)]);
        // 3 100 × (14 × 10 + 17 × 30) / (31 × 100) = 3 100 × 650 / 3 100 = 650,00 zł
        assert_eq!(march.share, 65_000);
        assert_eq!(march.cost, 310_000);
        // 2 × 310 + 650 + 9 × 930 = 620 + 650 + 8 370 = 9 640,00 zł
        assert_eq!(y.share, 964_000);
        assert_eq!(y.cost, 12 * 310_000);
        // The reported year of placement: 17 days of March (3 100 × 17/31 = 1 700 zł) and
        // April–December, all at 10 %: 170 + 9 × 310 = 2 960,00 zł.
        let first = share_in_year(&p, &Rates::default(), 2022);
        assert_eq!(first.months.len(), 10);
        assert_eq!(first.months[0].cost, 170_000);
        assert_eq!(first.share, 296_000);
    }

    #[test]
    fn a_placement_ending_mid_year_stops_on_its_last_day() {
        // Third year of stay all 2025 (placed 1.01.2023), 2 800 zł a month, ended 20.06.2025:
        // January–May 5 × 1 400 = 7 000 zł, June 2 800 × 20/30 × 50 % = 933,33 zł.
        let p = placement(date(2023, 1, 1), Some(date(2025, 6, 20)), 2800);
        let y = share_in_year(&p, &Rates::default(), 2025);
        assert_eq!(y.months.len(), 6);
        assert_eq!(y.months[5].days, 20);
        assert_eq!(y.months[5].cost, 186_667);
        assert_eq!(y.months[5].share, 93_333);
        assert_eq!(y.share, 793_333);
        // Nothing in the next year.
        assert!(!share_in_year(&p, &Rates::default(), 2026).in_care());
    }

    #[test]
    fn a_stay_that_began_before_2012_is_not_co_financed() {
        let p = placement(date(2011, 12, 31), None, 4000);
        let y = share_in_year(&p, &Rates::default(), 2025);
        assert_eq!(y.cost, 12 * 400_000);
        assert_eq!(y.share, 0);
        assert_eq!(y.no_share, Some(NoShare::BeganBeforeCoFinancing));
        let p = placement(date(2012, 1, 1), None, 4000);
        assert_eq!(share_in_year(&p, &Rates::default(), 2025).share, 12 * 200_000);
    }

    #[test]
    fn the_projection_steps_up_on_each_anniversary() {
        // Placed 1.07.2025 at 3 000 zł: 2025 is six months at 10 % (1 800 zł); 2026 projected:
        // January–June at 10 % (1 800 zł), July–December at 30 % (5 400 zł) = 7 200 zł.
        let p = placement(date(2025, 7, 1), None, 3000);
        assert_eq!(share_in_year(&p, &Rates::default(), 2025).share, 180_000);
        let next = share_in_year(&p, &Rates::default(), 2026);
        assert_eq!(next.share, 720_000);
        assert_eq!(next.last_year_of_stay(), Some(2));
        // A child in its second year all of 2025 reaches the 50 % rate in 2026.
        let q = placement(date(2024, 4, 1), None, 2000);
        assert_eq!(share_in_year(&q, &Rates::default(), 2025).share, 3 * 200 * 100 + 9 * 600 * 100);
        assert_eq!(share_in_year(&q, &Rates::default(), 2026).share, 3 * 600 * 100 + 9 * 1000 * 100);
    }

    #[test]
    fn rates_come_from_the_definition() {
        let rates = Rates { percent_by_year_of_stay: vec![20, 40], not_before: date(2012, 1, 1) };
        assert_eq!(rates.percent(1), 20);
        assert_eq!(rates.percent(2), 40);
        assert_eq!(rates.percent(7), 40);
        let p = placement(date(2020, 1, 1), None, 1000);
        assert_eq!(share_in_year(&p, &rates, 2025).share, 12 * 400 * 100);
    }

    #[test]
    fn a_move_between_forms_continues_the_years_of_stay() {
        let mut placements = vec![
            Placement { form: CareForm::EmergencyFamily, ..placement(date(2024, 2, 1), Some(date(2024, 5, 31)), 5000) },
            Placement { form: CareForm::CareInstitution, ..placement(date(2024, 6, 1), None, 6000) },
        ];
        link_stays(&mut placements);
        assert_eq!(placements[1].stay_began, date(2024, 2, 1));
        // 2025 in the institution: January at 10 %, February onwards at 30 %.
        let y = share_in_year(&placements[1], &Rates::default(), 2025);
        assert_eq!(y.share, 60_000 + 11 * 180_000);
        let totals = YearTotals::of(&placements, &Rates::default(), 2025);
        assert_eq!(totals.kind(CareKind::Institutional).share, y.share);
        assert_eq!(totals.kind(CareKind::Family).share, 0);
        let in_2024 = YearTotals::of(&placements, &Rates::default(), 2024);
        assert_eq!((in_2024.children, in_2024.co_financed_children), (1, 1), "one child in two forms counts once");
    }

    /// `placement` with its monthly expense changed to `monthly_zl` from `from`.
    fn changed(mut p: Placement, from: NaiveDate, monthly_zl: i64) -> Placement {
        p.monthly_costs.push(MonthlyCost { from, amount: monthly_zl * 100 });
        p
    }

    #[test]
    fn a_change_mid_month_splits_the_month_by_days() {
        // Placed 1.01.2024 (second year, 30 %, all 2025) at 2 400 zł, 2 700 zł from 29.06.2025.
        let p = changed(placement(date(2024, 1, 1), None, 2400), date(2025, 6, 29), 2700);
        let y = share_in_year(&p, &Rates::default(), 2025);
        let june = &y.months[5];
        assert_eq!(june.segments, vec![segment(2, 30, 28, 2400), segment(2, 30, 2, 2700)]);
        // Cost: (2 400 × 28 + 2 700 × 2) / 30 = 72 600 / 30 = 2 420,00 zł.
        assert_eq!(june.cost, 242_000);
        // Share: 2 420 × 30 % = 726,00 zł; July–December 2 700 × 30 % = 810 zł a month.
        assert_eq!(june.share, 72_600);
        assert_eq!(y.months[6].share, 81_000);
        // 5 × 720 + 726 + 6 × 810 = 3 600 + 726 + 4 860 = 9 186,00 zł.
        assert_eq!(y.share, 918_600);
        // A split that rounds: 3 000 → 3 200 zł from 29.06.2025 in the first year (10 %):
        // (3 000 × 28 + 3 200 × 2) × 10 / (30 × 100) = 904 000 / 3 000 = 301,333… → 301,33 zł.
        let q = changed(placement(date(2025, 3, 15), None, 3000), date(2025, 6, 29), 3200);
        assert_eq!(share_in_year(&q, &Rates::default(), 2025).months[3].share, 30_133);
    }

    #[test]
    fn a_change_on_the_anniversary_gives_one_split_not_two() {
        // Placed 15.03.2024 at 2 000 zł; from 15.03.2025 (the first anniversary) 2 500 zł.
        let p = changed(placement(date(2024, 3, 15), None, 2000), date(2025, 3, 15), 2500);
        let y = share_in_year(&p, &Rates::default(), 2025);
        let march = &y.months[2];
        assert_eq!(march.segments, vec![segment(1, 10, 14, 2000), segment(2, 30, 17, 2500)]);
        // (2 000 × 14 × 10 + 2 500 × 17 × 30) / (31 × 100) = 1 555 000 / 3 100 = 501,612… → 501,61
        assert_eq!(march.share, 50_161);
        // (2 000 × 14 + 2 500 × 17) / 31 = 70 500 / 31 = 2 274,193… → 2 274,19
        assert_eq!(march.cost, 227_419);
        // 2 × 200 + 501,61 + 9 × 750 = 400 + 501,61 + 6 750 = 7 651,61 zł.
        assert_eq!(y.share, 765_161);
    }

    #[test]
    fn the_projection_goes_on_at_the_last_monthly_expense() {
        // Placed 1.07.2025 at 3 000 zł, 3 300 zł from 1.10.2025. 2026: January–June at 10 %
        // (6 × 330 = 1 980 zł), July–December at 30 % (6 × 990 = 5 940 zł) = 7 920 zł.
        let p = changed(placement(date(2025, 7, 1), None, 3000), date(2025, 10, 1), 3300);
        assert_eq!(p.monthly_cost_on(date(2025, 9, 30)), 300_000);
        assert_eq!(p.monthly_cost_on(date(2026, 12, 31)), 330_000);
        // 2025: 3 × 300 + 3 × 330 = 1 890 zł.
        assert_eq!(share_in_year(&p, &Rates::default(), 2025).share, 189_000);
        let next = share_in_year(&p, &Rates::default(), 2026);
        assert_eq!(next.share, 792_000);
        assert!(next.months.iter().flat_map(|m| &m.segments).all(|s| s.monthly_cost == 330_000));
    }

    #[test]
    fn rows_of_one_placement_are_joined_and_their_dates_checked() {
        let placed = date(2025, 3, 1);
        let row = |from: NaiveDate, zl: i64| {
            let mut p = placement(placed, None, zl);
            p.monthly_costs[0].from = from;
            p
        };
        let other_form = Placement { form: CareForm::CareInstitution, ..row(placed, 4000) };
        let rows = [row(date(2025, 7, 1), 2500), other_form.clone(), row(placed, 2000)];
        let joined = join_rate_rows(&rows);
        assert_eq!(joined.len(), 2, "another form of care is another placement");
        assert_eq!(joined[0].1, vec![0, 2], "rows need not be adjacent");
        let costs: Vec<(NaiveDate, Grosze)> = joined[0].0.monthly_costs.iter().map(|c| (c.from, c.amount)).collect();
        assert_eq!(costs, vec![(placed, 200_000), (date(2025, 7, 1), 250_000)], "in date order");
        let check = |rows: &[Placement]| rate_problems(&rows.iter().collect::<Vec<_>>(), 2025);
        assert_eq!(check(&[row(placed, 2000), row(date(2025, 7, 1), 2500)]), vec![]);
        // A change dated before the placement.
        assert_eq!(
            check(&[row(placed, 2000), row(date(2025, 2, 15), 2500)]),
            vec![RateProblem::BeforePlacement { row: 1 }]
        );
        // Two amounts from one day, and a repeated row.
        assert_eq!(
            check(&[row(placed, 2000), row(placed, 2500)]),
            vec![RateProblem::SameDay { row: 1, earlier: 0, same_amount: false }]
        );
        assert_eq!(
            check(&[row(placed, 2000), row(placed, 2000)]),
            vec![RateProblem::SameDay { row: 1, earlier: 0, same_amount: true }]
        );
        // A change after the end (the end date may stand in any row of the placement).
        let ended = Placement { ended: Some(date(2025, 6, 30)), ..row(placed, 2000) };
        assert_eq!(
            check(&[ended.clone(), row(date(2025, 7, 1), 2500)]),
            vec![RateProblem::AfterEnd { row: 1, ended: date(2025, 6, 30) }]
        );
        let ended_later = Placement { ended: Some(date(2025, 8, 31)), ..row(date(2025, 7, 1), 2500) };
        assert_eq!(check(&[ended, ended_later]), vec![RateProblem::EndDiffers { row: 1, earlier: 0 }]);
        // No amount from the placement date; for a placement from before the year, an amount
        // from 1 January is enough.
        assert_eq!(
            check(&[row(date(2025, 7, 1), 2500)]),
            vec![RateProblem::NoCostFromStart { row: 0, needed: placed }]
        );
        let mut old = placement(date(2019, 6, 1), None, 1100);
        old.monthly_costs[0].from = date(2025, 1, 1);
        assert_eq!(check(&[old]), vec![]);
    }

    #[test]
    fn forms_are_recognised_leniently_and_amounts_round_to_the_grosz() {
        assert_eq!(CareForm::parse("Rodzinny Dom Dziecka"), Some(CareForm::FamilyChildrensHome));
        assert_eq!(CareForm::parse("placowka opiekunczo wychowawcza"), Some(CareForm::CareInstitution));
        assert_eq!(CareForm::parse("babcia"), None);
        assert_eq!(to_grosze(3100.25), 310_025);
    }
}
