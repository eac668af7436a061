//! The `collect` job: reads every returned workbook in the inbox on all cores, decides per
//! institution which return counts, and writes the collected data and findings as a whole.

use super::Outcome;
use crate::collect::batch::read_all;
use crate::collect::findings::Severity;
use crate::collect::inbox::list_inbox;
use crate::collect::memory::{Fingerprint, MEMORY_FILE, Recall, content_hash, memory_bytes, memory_lines};
use crate::collect::write::write_outputs;
use crate::collect::{Collection, assemble};
use crate::output::StagedDir;
use crate::polish;
use crate::program::Program;
use anyhow::{Context, Result};
use std::path::PathBuf;

/// Where a collect reads and writes.
#[derive(Debug, Clone)]
pub struct CollectRequest {
    /// The programme definition.
    pub program: PathBuf,
    /// The folder of returned files (read recursively, never changed).
    pub inbox: PathBuf,
    /// The output folder, replaced as a whole.
    pub out: PathBuf,
    /// The `gpwr` binary, run to read each xls and ods file in a process of its own.
    pub reader: PathBuf,
}

/// What a collect found.
#[derive(Debug)]
pub struct CollectDone {
    /// The programme collected for.
    pub program: Program,
    /// Every return, finding and the completeness table.
    pub collection: Collection,
}

/// Collects the inbox of `request` and writes the outputs; `progress(done, total)` follows
/// the files as they are read.
pub fn collect(request: &CollectRequest, progress: &(dyn Fn(usize, usize) + Sync)) -> Result<Outcome<CollectDone>> {
    let CollectRequest { program: program_path, inbox, out, reader } = request;
    super::require_program(program_path)?;
    if !inbox.is_dir() {
        anyhow::bail!(
            "nie ma folderu {} z odesłanymi plikami. Utwórz go i wrzuć do niego załączniki albo podaj --inbox.",
            inbox.display()
        );
    }
    let _lock = super::lock_output("collect", out, &[inbox, program_path])?;
    // The definition is read once: the programme is parsed from the bytes its fingerprint
    // hashes. It is parsed while the inbox is listed and what an earlier collect into `out`
    // read (for this gpwr and this definition) is loaded: a collect run again is mostly this.
    let definition = match std::fs::read(program_path) {
        Ok(bytes) => bytes,
        // As every job reports a definition it cannot read: a problem of the definition.
        Err(e) => return Ok(Outcome::InvalidDefinition(crate::program::unreadable_file(&e).problems)),
    };
    let fingerprint = Fingerprint::of(&definition);
    let (program, (listing, recall)) = rayon::join(
        || crate::program::read_program_bytes(&definition).into_result(),
        || rayon::join(|| list_inbox(inbox), || Recall::load(out, &fingerprint)),
    );
    let program = match program {
        Ok(program) => program,
        Err(problems) => return Ok(Outcome::InvalidDefinition(problems)),
    };
    let listing = listing.with_context(|| format!("nie można odczytać folderu {}", inbox.display()))?;
    let reads = read_all(&program, &listing.spreadsheets, reader, &recall, progress)?;
    let previous_outputs = recall.outputs;
    let lines = memory_lines(&reads);
    let returns = reads.into_iter().map(|r| r.ret).collect();
    let mut collection = assemble(&program, returns, listing.skipped.clone(), listing.ignored.clone());
    collection.findings.extend(listing.findings());
    let cannot_write = || format!("nie można zapisać wyników w {}", out.display());
    let staged = StagedDir::new(out).with_context(cannot_write)?;
    let keep = |name: &str, made_of: &str| match previous_outputs.get(name) {
        Some(previous) if previous.made_of == made_of => {
            let kept = staged.keep_previous(name, &|bytes| content_hash(bytes) == previous.written)?;
            Ok(kept.then(|| previous.written.clone()))
        }
        _ => Ok(None),
    };
    let outputs = write_outputs(&program, &collection, &|name, bytes| staged.write(name, bytes), &keep)
        .with_context(cannot_write)?;
    staged.write(MEMORY_FILE, &memory_bytes(&fingerprint, &lines, outputs)).with_context(cannot_write)?;
    staged.commit().with_context(cannot_write)?;
    Ok(Outcome::Done(CollectDone { program, collection }))
}

impl CollectDone {
    /// One paragraph for the coordinator: how many institutions returned, the counts of
    /// errors and warnings, where the details are (`findings_path`), who has not returned.
    pub fn summary(&self, findings_path: &str) -> String {
        let completeness = &self.collection.completeness;
        let returned = completeness.iter().filter(|c| c.chosen_file.is_some()).count();
        let missing: Vec<&str> =
            completeness.iter().filter(|c| c.chosen_file.is_none()).map(|c| c.institution.as_str()).collect();
        let mut text = format!(
            "Odczytano {} z {} instytucji ({}); błędy: {}, ostrzeżenia: {}. Szczegóły: {findings_path}",
            returned,
            completeness.len(),
            polish::count(self.collection.returns.len(), "plik", "pliki", "plików"),
            self.collection.count(Severity::Error),
            self.collection.count(Severity::Warning),
        );
        if !missing.is_empty() {
            text.push_str(&format!("\nNie przysłały: {}", missing.join(", ")));
        }
        text
    }

    /// Completeness, files and findings as JSON (what `gpwr collect --json` prints).
    pub fn to_json(&self) -> serde_json::Value {
        let collection = &self.collection;
        serde_json::json!({
            "program": self.program.settings.program_id,
            "rok": self.program.settings.report_year,
            "kompletnosc": collection.completeness,
            "pliki": collection.returns.iter().map(|r| serde_json::json!({
                "plik": r.file, "instytucja": r.institution, "uzyty": r.chosen, "odczytany": r.accepted,
            })).collect::<Vec<_>>(),
            "pominiete": collection.skipped,
            "ustalenia": collection.all_findings().collect::<Vec<_>>(),
        })
    }
}
