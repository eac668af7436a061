//! Foster-care co-financing: the municipality's share of what the county spends on a child in
//! foster care, by the year of the child's stay (art. 191 ust. 9 of the family support act),
//! computed day by day within each month, for the reported year and projected for the next.
//!
//! Money is kept in grosze (`i64`) so totals are exact and every month's share is rounded
//! once, half up, the way an invoice is.

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
    /// What the county spends on the child's care per full month.
    pub monthly_cost: Grosze,
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
    /// Years of stay in this month, with their percent and days, in order (two entries in
    /// the month of an anniversary).
    pub segments: Vec<(u32, u32, u32)>,
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
        self.months.last().and_then(|m| m.segments.last()).map(|s| s.0)
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    let first = NaiveDate::from_ymd_opt(year, month, 1).expect("valid month");
    let next = first.checked_add_months(Months::new(1)).expect("date in range");
    (next - first).num_days() as u32
}

/// `amount × numerator / denominator`, rounded half up (amounts are never negative here).
fn prorate(amount: Grosze, numerator: i64, denominator: i64) -> Grosze {
    let product = amount as i128 * numerator as i128;
    let d = denominator as i128;
    ((product * 2 + d) / (2 * d)) as Grosze
}

/// The placement's cost and the municipality's share, month by month, in `year`.
///
/// A month's expense is the monthly cost × days in care ÷ days in the month (the whole
/// monthly cost for a full month); the share applies each day's year-of-stay percent, so a
/// month with an anniversary is split between two rates. Each month's cost and share are
/// rounded to the grosz once. For a year after the reported one this is the projection:
/// the placement continues (unless it has an end date) at the same monthly cost.
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
        let mut segments: Vec<(u32, u32, u32)> = Vec::new();
        let mut day = from;
        while day <= to {
            let n = year_of_stay(placement.stay_began, day);
            let next_start = year_of_stay_start(placement.stay_began, n + 1);
            let segment_end = to.min(next_start.pred_opt().unwrap_or(to));
            let days = (segment_end - day).num_days() as u32 + 1;
            let percent = if co_financed { rates.percent(n) } else { 0 };
            segments.push((n, percent, days));
            day = match segment_end.succ_opt() {
                Some(d) => d,
                None => break,
            };
        }
        let days: u32 = segments.iter().map(|s| s.2).sum();
        let cost = prorate(placement.monthly_cost, days as i64, month_days as i64);
        let weighted: i64 = segments.iter().map(|&(_, percent, d)| percent as i64 * d as i64).sum();
        let share = prorate(placement.monthly_cost, weighted, month_days as i64 * 100);
        months.push(MonthShare { month, days, cost, share, segments });
    }
    let cost = months.iter().map(|m| m.cost).sum();
    let share = months.iter().map(|m| m.share).sum();
    let no_share = (!co_financed && !months.is_empty()).then_some(NoShare::BeganBeforeCoFinancing);
    YearShare { months, cost, share, no_share }
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
        Placement {
            child: "D01".into(),
            form: CareForm::ProfessionalFamily,
            placed,
            ended,
            stay_began: placed,
            monthly_cost: monthly_zl * 100,
        }
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
        assert_eq!(march.segments, vec![(1, 10, 14), (2, 30, 17)]);
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

    #[test]
    fn forms_are_recognised_leniently_and_amounts_round_to_the_grosz() {
        assert_eq!(CareForm::parse("Rodzinny Dom Dziecka"), Some(CareForm::FamilyChildrensHome));
        assert_eq!(CareForm::parse("placowka opiekunczo wychowawcza"), Some(CareForm::CareInstitution));
        assert_eq!(CareForm::parse("babcia"), None);
        assert_eq!(to_grosze(3100.25), 310_025);
    }
}
