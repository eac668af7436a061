//! Foster-care co-financing on a fixture modelled on Mielec (60 co-financed children: 52 in
//! family care, 8 in institutions, plus one placed before 2012; seven of them with a monthly
//! expense raised from 29 June 2025, as Mielec's report raises it "od 29.06.2022"), against
//! totals computed by hand below.

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
    //   12 × zawodowa, placed 1.01.2024 (2nd year), 2 400: 12 × 12 × 720        = 103 680,00
    //    4 × zawodowa, placed 1.01.2024 (2nd year), 2 400, 2 700 from 29.06.2025:
    //        Jan–May 5 × 720 = 3 600; June 28 days at 2 400, 2 days at 2 700:
    //        (2 400 × 28 + 2 700 × 2) × 30 / (30 × 100) = 72 600 × 30 / 3 000   = 726,00;
    //        Jul–Dec 6 × 810 = 4 860; 3 600 + 726 + 4 860 = 9 186,00;
    //        4 × 9 186,00                                                       =  36 744,00
    //   10 × spokrewniona, placed 1.07.2024, 1 000: Jan–Jun 10 %, Jul–Dec 30 %:
    //        10 × (6 × 100 + 6 × 300)                                           =  24 000,00
    //    3 × pogotowie, placed 15.03.2025, 3 000: March 17/31 days at 10 %
    //        = 3 000 × 17 × 10 / 3 100 = 164,516… → 164,52; Apr–Dec 9 × 300;
    //        3 × (164,52 + 2 700)                                               =   8 593,56
    //    3 × pogotowie, placed 15.03.2025, 3 000, 3 200 from 29.06.2025: March 164,52;
    //        Apr–May 2 × 300 = 600; June (3 000 × 28 + 3 200 × 2) × 10 / 3 000
    //        = 904 000 / 3 000 = 301,333… → 301,33; Jul–Dec 6 × 320 = 1 920;
    //        164,52 + 600 + 301,33 + 1 920 = 2 985,85; 3 × 2 985,85             =   8 957,55
    //    1 × spokrewniona placed 10.09.2010: not co-financed                    =       0,00
    //   family total 132 000 + 103 680 + 36 744 + 24 000 + 8 593,56 + 8 957,55  = 313 975,11
    assert_eq!(year.kind(CareKind::Family).share, 31_397_511, "family care 2025");
    // Institutions, 2025 (no change of expense):
    //    3 × placówka, 3rd+ year, 4 000: 3 × 12 × 2 000                        =  72 000,00
    //    2 × regionalna, placed 1.01.2024 (2nd year), 5 000: 2 × 12 × 1 500     =  36 000,00
    //    2 × placówka placed 1.09.2025, 6 000: 2 × 4 × 600                      =   4 800,00
    //    1 × placówka, 3rd year, 2 800, ended 20.06.2025: 5 × 1 400 + 933,33    =   7 933,33
    //   institutions total                                                      = 120 733,33
    assert_eq!(year.kind(CareKind::Institutional).share, 12_073_333, "institutions 2025");
    assert_eq!(year.share(), 43_470_844, "total 2025: 313 975,11 + 120 733,33 = 434 708,44 zł");
    assert_eq!((year.children, year.co_financed_children), (61, 60), "61 children in care, 60 co-financed");
    assert_eq!(year.kind(CareKind::Family).co_financed_children, 52);
    assert_eq!(placements.len(), 61, "the seven rows of a new expense join their placements");

    // 2026 projection (placements continue at their last monthly expense, shares step up on
    // anniversaries):
    //   20 × niezawodowa: 132 000,00 (unchanged)
    //   zawodowa, 3rd year: 12 × 12 × 1 200 + 4 × 12 × 1 350 = 172 800 + 64 800 = 237 600,00
    //   10 × (6 × 300 + 6 × 500) = 48 000,00
    //    3 × (2 × 300 + March 3 000 × (14 × 10 + 17 × 30) / 3 100 = 629,03 + 9 × 900)
    //      = 3 × 9 329,03 = 27 987,09
    //    3 × (2 × 320 + March 3 200 × 650 / 3 100 = 670,967… → 670,97 + 9 × 960)
    //      = 3 × 9 950,97 = 29 852,91
    //    3 × 12 × 2 000 = 72 000,00; 2 × 12 × 2 500 = 60 000,00 (3rd year)
    //    2 × (8 × 600 + 4 × 1 800) = 24 000,00; the ended placement: 0
    //   total 132 000 + 237 600 + 48 000 + 27 987,09 + 29 852,91 + 72 000 + 60 000 + 24 000
    //       = 631 440,00
    let next = YearTotals::of(&placements, &rates, 2026);
    assert_eq!(next.share(), 63_144_000, "projection 2026: 631 440,00 zł");
}
