//! The identity embedded in every template, so `collect` can recognise a returned workbook
//! whatever it was renamed to or re-saved as.
//!
//! It is written in three places, because each survives different accidents (measured with
//! LibreOffice 7.4 re-saves): custom document properties (survive xlsx, xls and ods
//! re-saves), a hidden sheet (survives re-saves, but anyone can unhide and edit it), and a
//! visible locked stamp cell on `Instrukcja` and `Wskaźniki` (survives even a copy-paste of
//! the sheet into a new workbook). Reading collects all three and reports disagreement.

use crate::program::{Institution, Program};
use crate::workbook::RawWorkbook;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

/// Version of the template layout; bump it when collect must read templates differently.
pub const TEMPLATE_FORMAT_VERSION: u32 = 1;

/// Prefix of the visible stamp cell.
pub const STAMP_PREFIX: &str = "GPWR-ID";

/// Name of the hidden sheet holding the identity and the drop-down lists.
pub const HIDDEN_SHEET: &str = "_gpwr";

/// What a template says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateIdentity {
    /// The programme's id (`Identyfikator programu`).
    pub program_id: String,
    /// The institution's id.
    pub institution_id: String,
    /// The year reported on.
    pub report_year: i32,
    /// [`TEMPLATE_FORMAT_VERSION`] at the time of writing.
    pub format_version: u32,
    /// Fingerprint of the indicators the institution was asked for.
    pub catalogue_fingerprint: String,
}

/// Key names shared by the custom properties (prefixed `gpwr.`), the hidden sheet and the stamp.
const KEYS: [&str; 5] = ["program", "instytucja", "rok", "wersja", "odcisk"];

impl TemplateIdentity {
    /// The identity of `institution`'s template for `program`.
    pub fn for_institution(program: &Program, institution: &Institution) -> Self {
        TemplateIdentity {
            program_id: program.settings.program_id.clone(),
            institution_id: institution.id.clone(),
            report_year: program.settings.report_year,
            format_version: TEMPLATE_FORMAT_VERSION,
            catalogue_fingerprint: catalogue_fingerprint(program, &institution.id),
        }
    }

    /// `(key, value)` pairs in a fixed order.
    pub fn pairs(&self) -> [(&'static str, String); 5] {
        [
            (KEYS[0], self.program_id.clone()),
            (KEYS[1], self.institution_id.clone()),
            (KEYS[2], self.report_year.to_string()),
            (KEYS[3], self.format_version.to_string()),
            (KEYS[4], self.catalogue_fingerprint.clone()),
        ]
    }

    /// Builds an identity from key/value pairs; `None` unless every key is present and valid.
    pub fn from_pairs(pairs: &BTreeMap<String, String>) -> Option<Self> {
        let get = |k: &str| pairs.get(k).map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        Some(TemplateIdentity {
            program_id: get(KEYS[0])?,
            institution_id: get(KEYS[1])?,
            report_year: parse_integer(&get(KEYS[2])?)? as i32,
            format_version: parse_integer(&get(KEYS[3])?)? as u32,
            catalogue_fingerprint: get(KEYS[4])?,
        })
    }

    /// The visible stamp: `GPWR-ID program=…; instytucja=…; rok=2025; wersja=1; odcisk=…`.
    pub fn stamp(&self) -> String {
        let body = self.pairs().iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ");
        format!("{STAMP_PREFIX} {body}")
    }

    /// Parses a stamp written by [`TemplateIdentity::stamp`].
    pub fn parse_stamp(text: &str) -> Option<Self> {
        let body = text.trim().strip_prefix(STAMP_PREFIX)?;
        let pairs = body
            .split(';')
            .filter_map(|part| part.split_once('='))
            .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
            .collect();
        Self::from_pairs(&pairs)
    }
}

impl fmt::Display for TemplateIdentity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "program {}, instytucja {}, rok {}", self.program_id, self.institution_id, self.report_year)
    }
}

/// Integers come back from re-saved files as `2025`, `2025.0` or `2025,0`.
fn parse_integer(text: &str) -> Option<i64> {
    let t = text.trim().replace(',', ".");
    t.parse::<i64>().ok().or_else(|| t.parse::<f64>().ok().filter(|f| f.fract() == 0.0).map(|f| f as i64))
}

/// A short hash of what `institution_id` is asked for: each indicator's id, task, type,
/// period and unit, in definition order. Labels and bounds may be reworded without
/// changing it; a changed catalogue makes old templates recognisable as outdated.
pub fn catalogue_fingerprint(program: &Program, institution_id: &str) -> String {
    let mut hasher = Sha256::new();
    for indicator in program.indicators_for(institution_id) {
        let line = format!(
            "{}|{}|{}|{}|{}\n",
            indicator.id,
            indicator.task,
            indicator.value_type.polish(),
            indicator.period.polish(),
            indicator.unit
        );
        hasher.update(line.as_bytes());
    }
    let digest = hasher.finalize();
    digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Where an identity was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IdentitySource {
    /// Custom document properties.
    DocumentProperties,
    /// The hidden `_gpwr` sheet.
    HiddenSheet,
    /// The visible stamp cell (with the sheet and cell where it was found).
    VisibleStamp,
}

impl fmt::Display for IdentitySource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            IdentitySource::DocumentProperties => "właściwości dokumentu",
            IdentitySource::HiddenSheet => "ukryty arkusz _gpwr",
            IdentitySource::VisibleStamp => "pieczątka GPWR-ID",
        })
    }
}

/// Everything found about a workbook's identity.
#[derive(Debug, Clone, PartialEq)]
pub struct IdentityReading {
    /// Each identity found, with its source.
    pub found: Vec<(IdentitySource, TemplateIdentity)>,
    /// Where the visible stamp was, e.g. `Wskaźniki!A2`.
    pub stamp_cell: Option<String>,
}

impl IdentityReading {
    /// The identity most sources agree on (ties go to the more robust source: document
    /// properties, then the hidden sheet, then the stamp); `None` if nothing was found.
    pub fn identity(&self) -> Option<&TemplateIdentity> {
        self.found
            .iter()
            .max_by_key(|(source, id)| {
                let votes = self.found.iter().filter(|(_, other)| other == id).count();
                (votes, std::cmp::Reverse(*source))
            })
            .map(|(_, id)| id)
    }

    /// True when the sources found do not all say the same.
    pub fn sources_disagree(&self) -> bool {
        self.found.windows(2).any(|w| w[0].1 != w[1].1)
    }
}

/// Reads the identity from every place it is written.
pub fn read_identity(workbook: &RawWorkbook) -> IdentityReading {
    let mut found = Vec::new();
    let mut stamp_cell = None;
    let pairs: BTreeMap<String, String> = workbook
        .custom_properties
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("gpwr.").map(|k| (k.to_string(), v.clone())))
        .collect();
    if let Some(id) = TemplateIdentity::from_pairs(&pairs) {
        found.push((IdentitySource::DocumentProperties, id));
    }
    if let Some(sheet) = workbook.sheets.iter().find(|s| s.name == HIDDEN_SHEET) {
        let text = |row: u32, col: u32| sheet.cell(row, col).and_then(|c| c.value.text());
        let pairs: BTreeMap<String, String> = sheet
            .cells
            .iter()
            .filter(|c| c.col == 0)
            .filter_map(|c| Some((c.value.text()?, text(c.row, 1)?)))
            .collect();
        if let Some(id) = TemplateIdentity::from_pairs(&pairs) {
            found.push((IdentitySource::HiddenSheet, id));
        }
    }
    // The stamp: the first cell starting with the prefix in the first rows of any other sheet.
    'sheets: for sheet in workbook.sheets.iter().filter(|s| s.name != HIDDEN_SHEET) {
        for cell in sheet.cells.iter().take_while(|c| c.row < 60) {
            if let Some(id) = cell
                .value
                .text()
                .as_deref()
                .filter(|t| t.starts_with(STAMP_PREFIX))
                .and_then(TemplateIdentity::parse_stamp)
            {
                stamp_cell = Some(sheet.cell_ref(cell.row, cell.col).to_string());
                found.push((IdentitySource::VisibleStamp, id));
                break 'sheets;
            }
        }
    }
    IdentityReading { found, stamp_cell }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> TemplateIdentity {
        TemplateIdentity {
            program_id: "mielec-gpwr-2024-2027".into(),
            institution_id: "SP3".into(),
            report_year: 2025,
            format_version: 1,
            catalogue_fingerprint: "0123456789abcdef".into(),
        }
    }

    #[test]
    fn stamp_round_trips() {
        let id = sample();
        assert_eq!(
            id.stamp(),
            "GPWR-ID program=mielec-gpwr-2024-2027; instytucja=SP3; rok=2025; wersja=1; odcisk=0123456789abcdef"
        );
        assert_eq!(TemplateIdentity::parse_stamp(&id.stamp()), Some(id));
        assert_eq!(TemplateIdentity::parse_stamp("GPWR-ID program=x; rok=2025"), None);
    }

    #[test]
    fn numbers_resaved_as_floats_still_parse() {
        let mut pairs: BTreeMap<String, String> =
            sample().pairs().iter().map(|(k, v)| (k.to_string(), v.clone())).collect();
        pairs.insert("rok".into(), "2025.0".into());
        pairs.insert("wersja".into(), "1,0".into());
        assert_eq!(TemplateIdentity::from_pairs(&pairs), Some(sample()));
    }

    #[test]
    fn majority_wins_and_disagreement_is_reported() {
        let good = sample();
        let mut edited = sample();
        edited.institution_id = "SP6".into();
        let reading = IdentityReading {
            found: vec![
                (IdentitySource::DocumentProperties, good.clone()),
                (IdentitySource::HiddenSheet, edited.clone()),
                (IdentitySource::VisibleStamp, good.clone()),
            ],
            stamp_cell: None,
        };
        assert_eq!(reading.identity(), Some(&good));
        assert!(reading.sources_disagree());
        let tie = IdentityReading {
            found: vec![(IdentitySource::HiddenSheet, edited.clone()), (IdentitySource::VisibleStamp, good)],
            stamp_cell: None,
        };
        assert_eq!(tie.identity(), Some(&edited));
    }
}
