//! Helpers shared by the integration tests: running the binary in a temp dir, opening
//! written workbooks with calamine, and reading their raw XML parts.

#![allow(dead_code)]

use calamine::{Data, Range, Reader, Sheets, open_workbook_auto};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root (where `samples/` and `templates_xlsx/` live).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fresh temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::Builder::new().prefix("gpwr-test-").tempdir().expect("temp dir")
}

/// The result of one `gpwr` run.
pub struct Run {
    /// Exit code.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl Run {
    /// Panics with the whole output unless the exit code is `expected`.
    pub fn expect_code(self, expected: i32) -> Run {
        assert_eq!(
            self.code, expected,
            "expected exit code {expected}, got {}\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.code, self.stdout, self.stderr
        );
        self
    }
}

/// Runs the `gpwr` binary with `args` in `cwd`.
pub fn gpwr(cwd: &Path, args: &[&str]) -> Run {
    gpwr_with_env(cwd, args, &[])
}

/// Runs the `gpwr` binary with `args` in `cwd` and the environment variables `env` set.
pub fn gpwr_with_env(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gpwr"));
    command.args(args).current_dir(cwd).envs(env.iter().copied());
    let Output { status, stdout, stderr } = command.output().expect("run gpwr");
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

/// Opens a workbook by its extension.
pub fn open(path: &Path) -> Sheets<BufReader<File>> {
    open_workbook_auto(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()))
}

/// One sheet's cells.
pub fn sheet(path: &Path, name: &str) -> Range<Data> {
    open(path).worksheet_range(name).unwrap_or_else(|e| panic!("{}: no sheet {name}: {e}", path.display()))
}

/// The text of a cell, `""` for empty.
pub fn text(data: &Data) -> String {
    gpwr::cell::cell_text(data).unwrap_or_default()
}

/// The `.xlsx` files in `dir`, sorted by name.
pub fn xlsx_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "xlsx"))
        .collect();
    files.sort();
    files
}

/// A part of a zip-based workbook as text (e.g. `xl/workbook.xml`).
pub fn zip_part(path: &Path, part: &str) -> String {
    let mut archive = zip::ZipArchive::new(File::open(path).unwrap()).unwrap();
    let mut entry = archive.by_name(part).unwrap_or_else(|e| panic!("{}: no part {part}: {e}", path.display()));
    let mut text = String::new();
    entry.read_to_string(&mut text).unwrap();
    text
}

/// The XML of the worksheet named `sheet` in an xlsx file, found through the workbook's
/// relationships (not by guessing `sheetN.xml`).
pub fn worksheet_xml(path: &Path, sheet: &str) -> String {
    let workbook = zip_part(path, "xl/workbook.xml");
    let tag_start =
        workbook.find(&format!("name=\"{sheet}\"")).unwrap_or_else(|| panic!("no sheet {sheet} in workbook.xml"));
    let tag = &workbook[workbook[..tag_start].rfind('<').unwrap()..];
    let tag = &tag[..tag.find("/>").unwrap()];
    let rid = attribute(tag, "r:id").expect("r:id");
    let rels = zip_part(path, "xl/_rels/workbook.xml.rels");
    let rel_start = rels.find(&format!("Id=\"{rid}\"")).expect("relationship");
    let rel = &rels[rels[..rel_start].rfind('<').unwrap()..];
    let rel = &rel[..rel.find("/>").unwrap()];
    let target = attribute(rel, "Target").expect("Target");
    let target = target.trim_start_matches("/xl/");
    zip_part(path, &format!("xl/{target}"))
}

/// The value of `name="…"` inside one XML tag.
pub fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    let len = tag[start..].find('"')?;
    Some(&tag[start..start + len])
}

/// Every opening tag `<name …>` in `xml`, as text.
pub fn tags<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let needle = format!("<{name} ");
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(start) = rest.find(&needle) {
        let end = rest[start..].find('>').unwrap() + start;
        out.push(&rest[start..=end]);
        rest = &rest[end..];
    }
    out
}

/// Parses CSV as gpwr writes it into rows of header → value.
pub fn read_csv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut rows = gpwr::records::parse_rows(&text).into_iter();
    let header = rows.next().unwrap_or_default();
    rows.map(|row| header.iter().cloned().zip(row).collect()).collect()
}

/// Parses a tab-separated file with a header row.
pub fn read_tsv(path: &Path) -> Vec<std::collections::BTreeMap<String, String>> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut lines = text.lines().filter(|l| !l.is_empty());
    let header: Vec<String> = lines.next().unwrap_or_default().split('\t').map(str::to_string).collect();
    lines.map(|l| header.iter().cloned().zip(l.split('\t').map(str::to_string)).collect()).collect()
}

/// SHA-256 of every file under `dir`, by relative path (to prove nothing was modified).
pub fn hash_tree(dir: &Path) -> std::collections::BTreeMap<String, String> {
    use sha2::{Digest, Sha256};
    let mut out = std::collections::BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(d) = pending.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let digest = Sha256::digest(std::fs::read(&path).unwrap());
                let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
                out.insert(path.strip_prefix(dir).unwrap().to_string_lossy().into_owned(), hex);
            }
        }
    }
    out
}

/// Copies a directory tree.
pub fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let path = entry.unwrap().path();
        let target = to.join(path.file_name().unwrap());
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            std::fs::copy(&path, &target).unwrap();
        }
    }
}

/// The committed sample template of `institution`.
pub fn sample_template(institution: &str) -> PathBuf {
    xlsx_files(&repo().join("templates_xlsx"))
        .into_iter()
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("GPWR_2025_{institution}_")))
        .unwrap_or_else(|| panic!("no sample template for {institution}"))
}

/// Findings from `gpwr collect --json` output as (file, code, location) triples.
pub fn findings(json: &serde_json::Value) -> Vec<(String, String, String)> {
    json["ustalenia"]
        .as_array()
        .expect("ustalenia is a list")
        .iter()
        .map(|f| {
            let location = match (f["arkusz"].as_str(), f["komorka"].as_str()) {
                (Some(s), Some(c)) => format!("{s}!{c}"),
                (Some(s), None) => s.to_string(),
                _ => String::new(),
            };
            let file = f["plik"].as_str().or(f["instytucja"].as_str()).unwrap_or_default().to_string();
            (file, f["kod"].as_str().unwrap_or_default().to_string(), location)
        })
        .collect()
}

/// The codes of the findings about `file`, in order.
pub fn codes_of(all: &[(String, String, String)], file: &str) -> Vec<String> {
    all.iter().filter(|(f, _, _)| f == file).map(|(_, c, _)| c.clone()).collect()
}

/// Says loudly that a test could not run here and why: written to the terminal itself, not
/// to the test's captured output, so a skip is never silent.
pub fn skipped(reason: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "SKIPPED: {reason}");
}

/// Library English that must never reach a user (I/O, zip, calamine, polars texts).
pub const ENGLISH: [&str; 14] = [
    "os error",
    "No space",
    "Read-only",
    "Permission denied",
    "No such file",
    "Too many levels",
    "invalid",
    "Invalid",
    "Could not",
    "EOCD",
    "Cfb",
    "error:",
    "Error",
    "requested",
];

/// Fails, naming `what`, when `text` holds any of [`ENGLISH`].
pub fn assert_no_english(text: &str, what: &str) {
    let found: Vec<&str> = ENGLISH.iter().copied().filter(|word| text.contains(word)).collect();
    assert!(found.is_empty(), "{what}: English library text {found:?} in:\n{text}");
}

/// The text of each paragraph of a docx, in order (runs joined, XML entities left as
/// they are).
pub fn docx_paragraphs(docx: &Path) -> Vec<String> {
    let xml = zip_part(docx, "word/document.xml");
    xml.split("</w:p>")
        .map(|p| {
            // Text runs are `<w:t>…</w:t>` or `<w:t xml:space="preserve">…</w:t>`.
            p.split("</w:t>")
                .filter_map(|chunk| {
                    let open = chunk.rfind("<w:t>").or_else(|| chunk.rfind("<w:t "))?;
                    Some(&chunk[chunk[open..].find('>')? + open + 1..])
                })
                .collect::<String>()
        })
        .filter(|t| !t.is_empty())
        .collect()
}
