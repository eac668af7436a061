//! Files the page hands out and takes in, never outside the campaign folder: a download
//! names one of a few fixed folders of the campaign and a file that is listed there (no
//! path is ever built from what the request says), and an upload is saved under
//! [`uploaded_name`] in the inbox, never over another file, never modified.

use super::state::Campaign;
use crate::campaign::TEMPLATES_DIR;
use crate::campaign::{COLLECTED_DIR, INBOX_DIR, OUTBOX_REMINDERS_DIR, OUTBOX_TEMPLATES_DIR, PROGRAM_FILE, REPORT_DIR};
use crate::collect::write::FEEDBACK_DIR;
use crate::file_name::{unique_name, uploaded_name};
use std::io::Write;
use std::path::PathBuf;

/// The download areas, by the name the page uses.
const AREAS: [&str; 7] =
    ["definicja", "formularze", "wiadomosci", "przypomnienia", "zebrane", "do_poprawy", "zestawienie"];

/// Whether `area` names a download area.
pub fn is_area(area: &str) -> bool {
    AREAS.contains(&area)
}

/// The folder of the campaign that download area `area` names.
fn area_folder(campaign: &Campaign, area: &str) -> Option<PathBuf> {
    Some(match area {
        "definicja" => campaign.root.clone(),
        "formularze" => campaign.path(TEMPLATES_DIR),
        "wiadomosci" => campaign.path(OUTBOX_TEMPLATES_DIR),
        "przypomnienia" => campaign.path(OUTBOX_REMINDERS_DIR),
        "zebrane" => campaign.path(COLLECTED_DIR),
        "do_poprawy" => campaign.path(COLLECTED_DIR).join(FEEDBACK_DIR),
        "zestawienie" => campaign.path(REPORT_DIR),
        _ => return None,
    })
}

/// The files of `area` a person may download (no hidden files, no folders), sorted.
pub fn listed(campaign: &Campaign, area: &str) -> Vec<String> {
    let Some(folder) = area_folder(campaign, area) else { return vec![] };
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with('.') && (area != "definicja" || n == PROGRAM_FILE))
        .collect();
    names.sort();
    names
}

/// The bytes of `name` in `area`, if it is one of [`listed`].
pub fn read(campaign: &Campaign, area: &str, name: &str) -> Option<Vec<u8>> {
    if !listed(campaign, area).iter().any(|listed| listed == name) {
        return None;
    }
    std::fs::read(area_folder(campaign, area)?.join(name)).ok()
}

/// Every file of `area` in one zip, in listing order.
pub fn zipped(campaign: &Campaign, area: &str) -> std::io::Result<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for name in listed(campaign, area) {
        let Some(bytes) = read(campaign, area, &name) else { continue };
        zip.start_file(name.as_str(), options).map_err(std::io::Error::other)?;
        zip.write_all(&bytes)?;
    }
    Ok(zip.finish().map_err(std::io::Error::other)?.into_inner())
}

/// The MIME type of a file the page hands out, by its extension.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit('.').next().map(str::to_ascii_lowercase).as_deref() {
        Some("xlsx") => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        Some("eml") => "message/rfc822",
        Some("zip") => "application/zip",
        Some("csv") => "text/csv; charset=utf-8",
        Some("md" | "txt") => "text/plain; charset=utf-8",
        Some("parquet") => "application/vnd.apache.parquet",
        _ => "application/octet-stream",
    }
}

/// Saves a returned file sent as `given` into the inbox under a safe name no other file has
/// (see [`uploaded_name`], [`unique_name`]). Returns the name used. Call it under the
/// campaign's lock: nothing else writes the inbox meanwhile.
pub fn save_return(campaign: &Campaign, given: &str, bytes: &[u8]) -> std::io::Result<String> {
    let inbox = campaign.path(INBOX_DIR);
    std::fs::create_dir_all(&inbox)?;
    let name = unique_name(&uploaded_name(given), |candidate| inbox.join(candidate).exists());
    let path = inbox.join(&name);
    // create_new: never over a file, whatever happened since the name was chosen.
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&path)?;
    if let Err(e) = file.write_all(bytes).and_then(|_| file.sync_all()) {
        drop(file);
        let _ = std::fs::remove_file(&path);
        return Err(e);
    }
    Ok(name)
}
