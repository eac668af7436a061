//! Foster-care co-financing on a fixture modelled on Mielec (60 co-financed children: 52 in
//! family care, 8 in institutions, plus one placed before 2012), against totals computed
//! by hand below.

use crate::common::*;
use chrono::NaiveDate;
use gpwr::foster_care::{CareForm, CareKind, Placement, Rates, YearTotals, join_rate_rows, link_stays, to_grosze};

/// `tests/fixtures/piecza_mielec.tsv` as placements (the same rows the sample PCPR return
/// holds): a row with a date in `Wydatki obowiązują od` changes the monthly expense of the
/// placement with the same child code, form and placement date from that day.
fn mielec_placements() -> Vec<Placement> {
    let day = |t: &str| (!t.is_empty()).then(|| NaiveDate::parse_from_str(t, "%d.%m.%Y").unwrap());
    let rows: Vec<Placement> = read_tsv(&repo().join("tests/fixtures/piecza_mielec.tsv"))
        .iter()
        .map(|r| {
            let placed = day(&r["Data umieszczenia"]).unwrap();
            let monthly = to_grosze(r["Miesięczne wydatki (zł)"].parse().unwrap());
            let form = CareForm::parse(&r["Forma pieczy"]).unwrap();
            let mut row = Placement::new(&r["Kod dziecka"], form, placed, day(&r["Data zakończenia"]), monthly);
            row.monthly_costs[0].from = r.get("Wydatki obowiązują od").and_then(|t| day(t)).unwrap_or(placed);
            row
        })
        .collect();
    let mut placements: Vec<Placement> = join_rate_rows(&rows).into_iter().map(|(p, _)| p).collect();
    link_stays(&mut placements);
    placements
}

#[test]
fn the_mielec_fixture_reproduces_the_hand_computed_totals_for_2025_and_the_2026_projection() {
    let placements = mielec_placements();
    let rates = Rates::default();
    let year = YearTotals::of(&placements, &rates, 2025);
    // Family care, 2025:
    //   20 × niezawodowa, 3rd+ year all year, 1 100 zł:  20 × 12 × 550         = 132 000,00
    //   16 × zawodowa, placed 1.01.2024 (2nd year), 2 400: 16 × 12 × 720        = 138 240,00
    //   10 × spokrewniona, placed 1.07.2024, 1 000: Jan–Jun 10 %, Jul–Dec 30 %:
    //        10 × (6 × 100 + 6 × 300)                                           =  24 000,00
    //    6 × pogotowie, placed 15.03.2025, 3 000: March 17/31 days at 10 %
    //        = 3 000 × 17 × 10 / 3 100 = 164,516… → 164,52; Apr–Dec 9 × 300;
    //        6 × (164,52 + 2 700)                                               =  17 187,12
    //    1 × spokrewniona placed 10.09.2010: not co-financed                    =       0,00
    //   family total                                                            = 311 427,12
    assert_eq!(year.kind(CareKind::Family).share, 31_142_712, "family care 2025");
    // Institutions, 2025:
    //    3 × placówka, 3rd+ year, 4 000: 3 × 12 × 2 000                        =  72 000,00
    //    2 × regionalna, placed 1.01.2024 (2nd year), 5 000: 2 × 12 × 1 500     =  36 000,00
    //    2 × placówka placed 1.09.2025, 6 000: 2 × 4 × 600                      =   4 800,00
    //    1 × placówka, 3rd year, 2 800, ended 20.06.2025: 5 × 1 400 + 933,33    =   7 933,33
    //   institutions total                                                      = 120 733,33
    assert_eq!(year.kind(CareKind::Institutional).share, 12_073_333, "institutions 2025");
    assert_eq!(year.share(), 43_216_045, "total 2025: 432 160,45 zł");
    assert_eq!((year.children, year.co_financed_children), (61, 60), "61 children in care, 60 co-financed");
    assert_eq!(year.kind(CareKind::Family).co_financed_children, 52);

    // 2026 projection (placements continue, shares step up on anniversaries):
    //   20 × 132 000,00 (unchanged) + 16 × 12 × 1 200 = 230 400,00 (3rd year)
    //   10 × (6 × 300 + 6 × 500) = 48 000,00
    //    6 × (2 × 300 + March 3 000 × (14 × 10 + 17 × 30) / 3 100 = 629,03 + 9 × 900)
    //      = 6 × 9 329,03 = 55 974,18
    //    3 × 12 × 2 000 = 72 000,00; 2 × 12 × 2 500 = 60 000,00 (3rd year)
    //    2 × (8 × 600 + 4 × 1 800) = 24 000,00; the ended placement: 0
    //   total 132 000 + 230 400 + 48 000 + 55 974,18 + 72 000 + 60 000 + 24 000 = 622 374,18
    let next = YearTotals::of(&placements, &rates, 2026);
    assert_eq!(next.share(), 62_237_418, "projection 2026: 622 374,18 zł");
}
