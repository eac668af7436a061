//! The foster-care section of the report: the municipality's co-financing share computed
//! from PCPR's placements (`piecza.csv`), by form of care, cross-checked against what the
//! coordinator reported, and projected for next year.

use super::aggregate::IndicatorTotal;
use super::checks::{CheckFailure, pl_number, source_index};
use super::values::{ValueRow, ValueTable};
use crate::foster_care::{
    CareForm, CareKind, Grosze, Placement, YearShare, YearTotals, join_rate_rows, link_stays, share_in_year, to_grosze,
};
use crate::polish::pln;
use crate::program::{CheckSeverity, FosterCareSettings, Program};
use crate::records::Record;
use chrono::NaiveDate;
use polars::prelude::DataFrame;
use std::collections::{BTreeMap, BTreeSet};

/// Id of the built-in cross-check between the computed and the reported co-financing.
pub const CHECK_ID: &str = "WSPOLFIN";

/// Differences up to this many grosze are rounding, not a discrepancy.
const TOLERANCE: Grosze = 100;

/// One placement of `piecza.csv` with its shares, or one row collect marked unusable.
///
/// A placement whose monthly expense changed is several rows of `piecza.csv` (one per
/// expense, with the same child code, form and placement date): they make one line.
#[derive(Debug, Clone)]
pub struct PlacementLine {
    /// The rows as collected (every field as typed, file and cell), in file order: one for
    /// an unusable row, one per monthly expense of a placement.
    pub records: Vec<Record>,
    /// The placement and its shares; `None` for a row collect marked unusable.
    pub computed: Option<Computed>,
}

impl PlacementLine {
    /// The line's first row.
    pub fn record(&self) -> &Record {
        &self.records[0]
    }
}

/// A usable placement and what it costs the municipality.
#[derive(Debug, Clone)]
pub struct Computed {
    /// The placement, with the years of stay linked across the child's placements.
    pub placement: Placement,
    /// Its share in the reported year.
    pub this_year: YearShare,
    /// Its projected share next year.
    pub next_year: YearShare,
}

/// The foster-care co-financing of the reported year and the projection for the next.
#[derive(Debug, Clone)]
pub struct FosterCare {
    /// The reported year.
    pub year: i32,
    /// Every placement row, usable or not, in file order.
    pub lines: Vec<PlacementLine>,
    /// Totals of the reported year.
    pub this_year: YearTotals,
    /// Projected totals of next year.
    pub next_year: YearTotals,
}

impl FosterCare {
    /// Computes the co-financing from the placement rows `collect` wrote.
    pub fn compute(program: &Program, records: &[Record]) -> Option<FosterCare> {
        let settings = program.foster_care.as_ref()?;
        let year = program.settings.report_year;
        let records: Vec<&Record> = records.iter().filter(|r| r["instytucja"] == settings.reporter).collect();
        let parsed: Vec<Option<Placement>> =
            records.iter().map(|r| if &r["poprawny"] == "tak" { placement_row(r) } else { None }).collect();
        let usable: Vec<(usize, Placement)> =
            parsed.into_iter().enumerate().filter_map(|(i, p)| p.map(|p| (i, p))).collect();
        let rows: Vec<Placement> = usable.iter().map(|(_, p)| p.clone()).collect();
        let (mut placements, groups): (Vec<Placement>, Vec<Vec<usize>>) = join_rate_rows(&rows).into_iter().unzip();
        link_stays(&mut placements);
        // Each placement stands where its first row stands; its other rows join that line.
        let mut first_row_of: BTreeMap<usize, (Placement, Vec<usize>)> = BTreeMap::new();
        for (placement, group) in placements.into_iter().zip(groups) {
            let indices: Vec<usize> = group.iter().map(|&g| usable[g].0).collect();
            first_row_of.insert(indices[0], (placement, indices));
        }
        let joined: BTreeSet<usize> = first_row_of.values().flat_map(|(_, g)| g[1..].iter().copied()).collect();
        let mut lines = Vec::new();
        for (i, record) in records.iter().enumerate() {
            if let Some((placement, indices)) = first_row_of.remove(&i) {
                lines.push(PlacementLine {
                    records: indices.iter().map(|&j| records[j].clone()).collect(),
                    computed: Some(Computed {
                        this_year: share_in_year(&placement, &settings.rates, year),
                        next_year: share_in_year(&placement, &settings.rates, year + 1),
                        placement,
                    }),
                });
            } else if !joined.contains(&i) {
                lines.push(PlacementLine { records: vec![(*record).clone()], computed: None });
            }
        }
        let computed = || lines.iter().filter_map(|l| l.computed.as_ref());
        Some(FosterCare {
            year,
            this_year: YearTotals::from_shares(computed().map(|c| (&c.placement, &c.this_year))),
            next_year: YearTotals::from_shares(computed().map(|c| (&c.placement, &c.next_year))),
            lines,
        })
    }

    /// Whether any placement row came in (none: PCPR has not returned its form, or left
    /// the table empty; nothing to compare then).
    pub fn reported(&self) -> bool {
        !self.lines.is_empty()
    }

    /// The cross-checks against the coordinator's reported figures: total, family and
    /// institutional expense, and the number of co-financed children. `frame` is the tidy
    /// table, whose rows the failures cite.
    pub fn cross_check(&self, program: &Program, totals: &[IndicatorTotal], frame: &DataFrame) -> Vec<CheckFailure> {
        let Some(settings) = &program.foster_care else { return vec![] };
        if !self.reported() {
            return vec![];
        }
        let placements_file = self.lines.first().map(|l| l.record()["plik"].to_string()).unwrap_or_default();
        let values = ValueTable::new(frame);
        let basis = CrossCheckBasis {
            program,
            totals,
            sources: source_index(&values),
            computed_from: format!(
                "wyliczenie gpwr z {} umieszczeń zgłoszonych przez {} ({placements_file}, arkusz „{}”)",
                self.lines.iter().filter(|l| l.computed.is_some()).count(),
                settings.reporter,
                crate::template::layout::SHEET_PLACEMENTS
            ),
        };
        let mut failures = self.money_failures(settings, &basis);
        failures.extend(self.children_failure(settings, &basis));
        failures
    }

    /// The reported expense (total, family, institutional) that differs from the share
    /// computed from the placements by more than rounding.
    fn money_failures(&self, settings: &FosterCareSettings, basis: &CrossCheckBasis) -> Vec<CheckFailure> {
        let money_checks = [
            (&settings.reported_total, None, "wydatki ogółem"),
            (&settings.reported_family, Some(CareKind::Family), "wydatki na rodzinną pieczę zastępczą"),
            (
                &settings.reported_institutional,
                Some(CareKind::Institutional),
                "wydatki na instytucjonalną pieczę zastępczą",
            ),
        ];
        let mut failures = Vec::new();
        for (indicator, kind, what) in money_checks {
            let Some(id) = indicator else { continue };
            let Some(reported) = basis.total_of(id) else { continue };
            let computed = kind.map_or(self.this_year.share(), |k| self.this_year.kind(k).share);
            let reported_grosze = to_grosze(reported);
            if (reported_grosze - computed).abs() <= TOLERANCE {
                continue;
            }
            failures.push(CheckFailure {
                check: CHECK_ID.to_string(),
                severity: CheckSeverity::Warning,
                institution: None,
                condition: format!("{id} = udział gminy wyliczony z umieszczeń"),
                indicators: vec![id.clone()],
                message: format!(
                    "Współfinansowanie pieczy zastępczej ({what}): podano {}, a z umieszczeń zgłoszonych przez {} wynika {} (różnica {}). Sprawdź, czy wszystkie noty PCPR za {} r. ujęto i czy tabela umieszczeń jest pełna.",
                    pln(reported_grosze),
                    settings.reporter,
                    pln(computed),
                    pln(reported_grosze - computed),
                    self.year
                ),
                values: format!("podano {}, wyliczono {}", pln(reported_grosze), pln(computed)),
                sources: format!("{}; {}", basis.who_reported(id), basis.computed_from),
            });
        }
        failures
    }

    /// The reported number of co-financed children, when it differs from the placements.
    fn children_failure(&self, settings: &FosterCareSettings, basis: &CrossCheckBasis) -> Option<CheckFailure> {
        let id = settings.reported_children.as_ref()?;
        let reported = basis.total_of(id)?;
        let differs = (reported - self.this_year.co_financed_children as f64).abs() >= 0.5;
        differs.then(|| CheckFailure {
            check: CHECK_ID.to_string(),
            severity: CheckSeverity::Warning,
            institution: None,
            condition: format!("{id} = liczba współfinansowanych dzieci z umieszczeń"),
            indicators: vec![id.clone()],
            message: format!(
                "Liczba dzieci, za które gmina współfinansuje pieczę: podano {}, a w tabeli umieszczeń jest ich {}.",
                pl_number(reported),
                self.this_year.co_financed_children
            ),
            values: format!("podano {}, wyliczono {}", pl_number(reported), self.this_year.co_financed_children),
            sources: format!("{}; {}", basis.who_reported(id), basis.computed_from),
        })
    }
}

/// One usable row of `piecza.csv` as a placement with the row's one monthly expense, in
/// force from `wydatki_od` (the placement date when empty, as in a file written before the
/// column existed).
fn placement_row(r: &Record) -> Option<Placement> {
    let day = |text: &str| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
    let placed = day(&r["data_umieszczenia"])?;
    let form = CareForm::parse(&r["forma_pieczy"])?;
    let mut placement = Placement::new(
        &r["kod_dziecka"],
        form,
        placed,
        day(&r["data_zakonczenia"]),
        to_grosze(r["wydatki_miesiecznie"].parse().ok()?),
    );
    if !r["wydatki_od"].is_empty() {
        placement.monthly_costs[0].from = day(&r["wydatki_od"])?;
    }
    Some(placement)
}

/// What the foster-care cross-checks compare with and cite: the reported totals, who
/// reported each value, and the sentence naming the placements the share was computed from.
struct CrossCheckBasis<'a> {
    program: &'a Program,
    totals: &'a [IndicatorTotal],
    sources: BTreeMap<(&'a str, &'a str), ValueRow<'a>>,
    computed_from: String,
}

impl CrossCheckBasis<'_> {
    /// The municipality's total of indicator `id`, when there is one.
    fn total_of(&self, id: &str) -> Option<f64> {
        self.totals.iter().find(|t| t.indicator == id).and_then(|t| t.total)
    }

    /// Every institution that reported a value for `id`, with the value, file and cell.
    fn who_reported(&self, id: &str) -> String {
        self.sources
            .iter()
            .filter(|((_, ind), r)| *ind == id && r.value().is_some())
            .map(|((inst, _), r)| {
                let value = super::checks::source_value(r, self.program.indicator(id).map(|i| i.value_type));
                format!("{inst} {id} = {value} ({} {})", r.text("plik"), r.text("komorka"))
            })
            .collect::<Vec<_>>()
            .join("; ")
    }
}
