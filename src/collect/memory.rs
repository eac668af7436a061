//! What each inbox file gave, kept in the collected folder (`.odczyty.json`) so that the
//! next collect, run when a few more returns have arrived, reads again only the files that
//! are new or changed. A file is known by its path and a BLAKE3 hash of its content; the
//! whole memory is forgotten when gpwr or the programme definition changes. What is
//! remembered is exactly what reading the file gave, so the outputs are the same as a
//! collect that reads everything.

use super::Return;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;

/// The memory's file in the collected folder (hidden: it is gpwr's, not the coordinator's).
pub const MEMORY_FILE: &str = ".odczyty.json";

/// Bumped whenever what is remembered changes shape.
const MEMORY_FORMAT: u32 = 1;

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
    /// the same version never trusts what an older build read.
    pub fn of(definition: &[u8]) -> Fingerprint {
        let build = std::env::current_exe()
            .and_then(std::fs::metadata)
            .map(|m| {
                let time = m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok());
                format!("{}-{}", m.len(), time.map_or(0, |t| t.as_nanos()))
            })
            .unwrap_or_default();
        Fingerprint { gpwr: format!("{} {build}", env!("CARGO_PKG_VERSION")), definition: content_hash(definition) }
    }
}

/// The memory as stored.
#[derive(Serialize, Deserialize)]
struct Stored<R> {
    format: u32,
    fingerprint: Fingerprint,
    files: Vec<Remembered<R>>,
}

/// One file as remembered: its path, content hash and what reading it gave.
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
}

impl Recall {
    /// The memory in the collected folder `dir`, if it was written for `fingerprint`;
    /// otherwise (none, unreadable, another gpwr or definition) an empty one.
    pub fn load(dir: &Path, fingerprint: &Fingerprint) -> Recall {
        let Ok(bytes) = std::fs::read(dir.join(MEMORY_FILE)) else { return Recall::default() };
        let Ok(stored) = serde_json::from_slice::<Stored<Return>>(&bytes) else { return Recall::default() };
        if stored.format != MEMORY_FORMAT || &stored.fingerprint != fingerprint {
            return Recall::default();
        }
        let known = stored.files.into_iter().map(|r| ((r.file, r.content), r.read)).collect();
        Recall { known }
    }

    /// What reading `file` with content hash `content` gave last time, if remembered.
    pub fn recall(&self, file: &str, content: &str) -> Option<Return> {
        self.known.get(&(file.to_string(), content.to_string())).cloned()
    }

    /// How many files are remembered.
    pub fn len(&self) -> usize {
        self.known.len()
    }

    /// Whether nothing is remembered.
    pub fn is_empty(&self) -> bool {
        self.known.is_empty()
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

/// The memory of this collect: every file read with a content hash (`(hash, return)` in
/// inbox order), to be written as [`MEMORY_FILE`].
pub fn memory_bytes(fingerprint: &Fingerprint, files: &[(String, &Return)]) -> Vec<u8> {
    let files = files
        .iter()
        .filter(|(_, read)| stored_exactly(read))
        .map(|(content, read)| Remembered { file: read.file.clone(), content: content.clone(), read: *read })
        .collect();
    let stored = Stored { format: MEMORY_FORMAT, fingerprint: fingerprint.clone(), files };
    serde_json::to_vec(&stored).unwrap_or_default()
}
