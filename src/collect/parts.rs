//! A breakdown's parts against their whole in one return: a whole an institution marked
//! "nie dotyczy" settles its empty parts (they do not apply either, and are not demanded),
//! while parts given a number under such a whole are flagged, as they enter the totals.

use super::findings::{Code, Finding};
use super::{Return, ValueStatus};
use crate::program::Program;
use std::collections::BTreeSet;

/// Settles the parts of every whole `ret` reports as not applicable.
pub(super) fn settle_parts_of_inapplicable_wholes(program: &Program, ret: &mut Return) {
    let inapplicable: BTreeSet<String> =
        ret.values.iter().filter(|v| v.status == ValueStatus::NotApplicable).map(|v| v.indicator.clone()).collect();
    if inapplicable.is_empty() {
        return;
    }
    let mut settled = BTreeSet::new();
    let mut flagged = Vec::new();
    for value in ret.values.iter_mut() {
        let whole = program.indicator(&value.indicator).and_then(|i| i.part_of.as_ref()).map(|p| &p.whole);
        let Some(whole) = whole.filter(|w| inapplicable.contains(*w)) else { continue };
        match value.status {
            ValueStatus::Empty => {
                value.status = ValueStatus::NotApplicable;
                settled.insert(value.indicator.clone());
            }
            ValueStatus::Value => flagged.push(part_under_inapplicable_whole(program, whole, value)),
            _ => {}
        }
    }
    ret.findings
        .retain(|f| !(f.code == Code::RequiredMissing && f.indicator.as_ref().is_some_and(|id| settled.contains(id))));
    for finding in flagged {
        ret.push(finding);
    }
}

/// The finding about a part with a number under a whole marked "nie dotyczy".
fn part_under_inapplicable_whole(program: &Program, whole: &str, part: &super::CollectedValue) -> Finding {
    let label = program.indicator(whole).map_or(whole, |i| i.label.as_str());
    let (sheet, cell) = match part.cell.as_deref().and_then(|c| c.split_once('!')) {
        Some((sheet, cell)) => (sheet.to_string(), Some(cell.to_string())),
        None => (String::new(), None),
    };
    Finding::new(
        Code::PartWithoutWhole,
        format!(
            "podano część „{}”, a całość „{label}” oznaczono „nie dotyczy”; część wchodzi do sum. Wpisz całość liczbą albo usuń części",
            part.indicator
        ),
    )
    .at(&sheet, cell)
    .indicator(&part.indicator)
    .original(part.value.map(crate::polish::number))
}
