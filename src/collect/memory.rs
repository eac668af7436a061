//! What each inbox file gave, kept in the collected folder (`.odczyty.jsonl`) so that the
//! next collect, run when a few more returns have arrived, reads again only the files that
//! are new or changed. A file is known by its path and a BLAKE3 hash of its content; the
//! whole memory is forgotten when gpwr or the programme definition changes. What is
//! remembered is exactly what reading the file gave, so the outputs are the same as a
//! collect that reads everything.

use super::Return;
use super::batch::FileRead;
use super::write::OutputKeys;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The memory's file in the collected folder (hidden: it is gpwr's, not the coordinator's).
pub const MEMORY_FILE: &str = ".odczyty.jsonl";

/// Bumped whenever what is remembered changes shape.
const MEMORY_FORMAT: u32 = 3;

/// The content hash of a file's bytes, as remembered.
pub fn content_hash(bytes: &[u8]) -> String {
    blake3::hash(bytes).to_hex().to_string()
}

/// What the memory is valid for: this gpwr and this programme definition.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fingerprint {
    /// gpwr's version and build (see [`Fingerprint::of`]).
    pub gpwr: String,
    /// The hash of the definition workbook's bytes.
    pub definition: String,
}

impl Fingerprint {
    /// The fingerprint of the running gpwr and of the definition workbook's `definition` bytes.
    /// The build is told apart by the executable's size and time, so that a rebuilt gpwr of
    /// the same version never trusts what an older build read; when the executable cannot be
    /// looked at, the fingerprint is this run's alone and every file is read.
    pub fn of(definition: &[u8]) -> Fingerprint {
        let build = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let time = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                format!("{}-{}", m.len(), time.map_or(0, |t| t.as_nanos()))
            })
            // Unknown build: a fingerprint no later run shares, so nothing is trusted.
            .unwrap_or_else(|_| {
                let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
                format!("nieznana-{}-{}", std::process::id(), now.as_nanos())
            });
        Fingerprint { gpwr: format!("{} {build}", env!("CARGO_PKG_VERSION")), definition: content_hash(definition) }
    }
}

/// The memory's first line: what it is valid for.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    fingerprint: Fingerprint,
    /// What each feedback workbook was made of and the hash of its bytes, by file.
    outputs: OutputKeys,
}

/// One file as remembered (a line of its own): its path, content hash and what reading it gave.
#[derive(Serialize, Deserialize)]
struct Remembered<R> {
    file: String,
    content: String,
    read: R,
}

/// What the previous collect read, by (path, content hash).
#[derive(Default)]
pub struct Recall {
    known: HashMap<(String, String), Return>,
    /// What each feedback workbook was made of and the hash of its bytes, by file.
    pub outputs: OutputKeys,
}

impl Recall {
    /// The memory in the collected folder `dir`, if it was written for `fingerprint`;
    /// otherwise (none, unreadable, another gpwr or definition) an empty one.
    pub fn load(dir: &Path, fingerprint: &Fingerprint) -> Recall {
        let Ok(bytes) = std::fs::read(dir.join(MEMORY_FILE)) else { return Recall::default() };
        let mut lines = bytes.split(|&b| b == b'\n').filter(|line| !line.is_empty());
        let header = lines.next().and_then(|line| serde_json::from_slice::<Header>(line).ok());
        let Some(header) = header.filter(|h| h.format == MEMORY_FORMAT && &h.fingerprint == fingerprint) else {
            return Recall::default();
        };
        // One line per file, parsed on all cores; a damaged line is a file read again.
        let lines: Vec<&[u8]> = lines.collect();
        let known = lines
            .par_iter()
            .filter_map(|line| serde_json::from_slice::<Remembered<Return>>(line).ok())
            .map(|r| ((r.file, r.content), r.read))
            .collect();
        Recall { known, outputs: header.outputs }
    }

    /// What reading `file` with content hash `content` gave last time, if remembered.
    pub fn recall(&self, file: &str, content: &str) -> Option<Return> {
        self.known.get(&(file.to_string(), content.to_string())).cloned()
    }
}

/// Whether JSON keeps `read` exactly: every number finite (JSON has no infinity or NaN;
/// such a file is simply read again next time).
fn stored_exactly(read: &Return) -> bool {
    let finite = |n: &Option<f64>| n.is_none_or(f64::is_finite);
    read.values.iter().all(|v| finite(&v.value))
        && read.activities.iter().all(|a| finite(&a.participants))
        && read.needs.iter().all(|n| finite(&n.cost))
        && read.placements.iter().all(|p| finite(&p.monthly_cost))
}

/// The remembered files, serialised (one JSON line each) before the returns are put
/// together, which adds findings to superseded ones.
pub struct MemoryLines(Vec<Vec<u8>>);

/// The memory lines of every file in `reads` (inbox order) read whole, with a content hash.
pub fn memory_lines(reads: &[FileRead]) -> MemoryLines {
    MemoryLines(
        reads
            .par_iter()
            .filter_map(|read| Some((read.content.as_ref()?, &read.ret)))
            .filter(|(_, read)| stored_exactly(read))
            .map(|(content, read)| {
                let line = Remembered { file: read.file.clone(), content: content.clone(), read };
                serde_json::to_vec(&line).unwrap_or_default()
            })
            .filter(|line| !line.is_empty())
            .collect(),
    )
}

/// The memory of this collect, to be written as [`MEMORY_FILE`]: a header line (what it is
/// valid for, the keys of the feedback workbooks), then the files' `lines`.
pub fn memory_bytes(fingerprint: &Fingerprint, lines: &MemoryLines, outputs: OutputKeys) -> Vec<u8> {
    let header = Header { format: MEMORY_FORMAT, fingerprint: fingerprint.clone(), outputs };
    let mut bytes = serde_json::to_vec(&header).unwrap_or_default();
    for line in &lines.0 {
        bytes.push(b'\n');
        bytes.extend_from_slice(line);
    }
    bytes.push(b'\n');
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::{CollectedValue, ValueStatus};

    /// A return holding `numbers` as the values of one indicator.
    fn return_of(numbers: &[f64]) -> Return {
        let mut read = Return::new("szkola.xlsx", None, None);
        read.values = numbers
            .iter()
            .map(|&n| CollectedValue {
                indicator: "C1.analiza.rodziny".into(),
                value: Some(n),
                original: None,
                status: ValueStatus::Value,
                reason: None,
                comment: None,
                cell: Some("Wskaźniki!E12".into()),
            })
            .collect();
        read
    }

    #[test]
    fn every_remembered_number_comes_back_to_the_last_bit() {
        // Numbers as an institution's cells give them: sums of cents, thirds, and 17 digits.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut numbers = vec![0.1 + 0.2, 1234.56 * 3.0, 1.0 / 3.0, 2.225_073_858_507_201_4e-308];
        for _ in 0..20_000 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            numbers.push(f64::from_bits(0x3FF0_0000_0000_0000 | (state >> 12)) * 1e6);
        }
        let read = return_of(&numbers);
        let fingerprint = Fingerprint { gpwr: "test".into(), definition: "d".into() };
        let lines = memory_lines(&[FileRead { content: Some("hash".into()), ret: read }]);
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(MEMORY_FILE), memory_bytes(&fingerprint, &lines, OutputKeys::new())).unwrap();
        let recalled = Recall::load(dir.path(), &fingerprint).recall("szkola.xlsx", "hash").expect("remembered");
        let differing: Vec<(f64, f64)> = numbers
            .iter()
            .zip(&recalled.values)
            .map(|(&n, v)| (n, v.value.unwrap()))
            .filter(|(n, back)| n.to_bits() != back.to_bits())
            .collect();
        assert_eq!(recalled.values.len(), numbers.len());
        assert!(differing.is_empty(), "{} numbers came back changed, e.g. {:?}", differing.len(), differing.first());
    }
}
