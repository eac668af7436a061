//! The campaign folder: the fixed layout `gpwr init` creates, so that inside it every
//! command runs with no arguments.

use std::path::{Path, PathBuf};

/// The programme definition.
pub const PROGRAM_FILE: &str = "program.xlsx";
/// Where `gpwr templates` writes the templates.
pub const TEMPLATES_DIR: &str = "templates_xlsx";
/// Where the coordinator drops returned workbooks.
pub const INBOX_DIR: &str = "inbox";
/// Where `gpwr collect` writes the collected data.
pub const COLLECTED_DIR: &str = "collected";
/// Where `gpwr report` writes the consolidated workbook.
pub const REPORT_DIR: &str = "report";
/// Where `gpwr mail` writes the messages with the templates.
pub const OUTBOX_TEMPLATES_DIR: &str = "outbox/formularze";
/// Where `gpwr mail --collected` writes the reminders and corrections.
pub const OUTBOX_REMINDERS_DIR: &str = "outbox/przypomnienia";

/// An explicit path, or the campaign default relative to the current folder.
pub fn or_default(explicit: Option<&Path>, default: &str) -> PathBuf {
    explicit.map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from(default))
}

/// The Polish read-me placed in a new campaign folder.
pub fn readme(program_name: &str) -> String {
    format!(
        "Folder kampanii GPWR: {program_name}\n\
         \n\
         {PROGRAM_FILE}     definicja programu: ustawienia, instytucje, cele, zadania, wskaźniki, kontrole.\n\
         {TEMPLATES_DIR}/  formularze dla instytucji (tworzy je `gpwr templates`).\n\
         {INBOX_DIR}/           tu zapisz pliki odesłane przez instytucje (dowolne nazwy, .xlsx/.xls/.ods).\n\
         {COLLECTED_DIR}/       zebrane dane (tworzy je `gpwr collect`).\n\
         {REPORT_DIR}/          zestawienie zbiorcze (tworzy je `gpwr report`).\n\
         outbox/          wiadomości e-mail do instytucji (tworzy je `gpwr mail`).\n\
         \n\
         Kolejność pracy w tym folderze:\n\
         1. Uzupełnij {PROGRAM_FILE} (Excel lub LibreOffice) i zapisz.\n\
         2. gpwr templates   — sprawdza definicję i tworzy formularze.\n\
         3. gpwr mail         — wiadomości z formularzami (outbox/formularze); wyślij je.\n\
         4. Odesłane pliki zapisz w {INBOX_DIR}/, potem gpwr collect.\n\
         5. gpwr mail --collected — przypomnienia dla spóźnionych i poprawki (outbox/przypomnienia).\n\
         6. gpwr report.\n"
    )
}
