//! The outbox folder: the `.eml` drafts, the list of every institution and what was
//! prepared for it (`lista.xlsx` for the coordinator, `lista.csv` for scripts), and how to
//! send them (`jak_wyslac.txt`).

use super::{Action, MailError, Planned, eml_file_name, to_eml};
use crate::collect::findings::Severity;
use crate::collect::write::list_workbook;
use crate::program::Program;
use crate::records::Writer;
use lettre::message::Mailbox;
use std::time::SystemTime;

/// The list for the coordinator.
pub const LIST_XLSX: &str = "lista.xlsx";
/// The same list as CSV.
pub const LIST_CSV: &str = "lista.csv";
/// How to send the drafts.
pub const HOW_TO_SEND: &str = "jak_wyslac.txt";

const HOW_TO_SEND_TEXT: &str = "Wiadomości przygotowane przez gpwr: jeden plik .eml dla każdej instytucji, \
która potrzebuje wiadomości. Kto dostaje jaką wiadomość i do kogo nie można było napisać: lista.xlsx.\r\n\
\r\n\
Outlook (klasyczny, na komputerze): kliknij dwukrotnie plik .eml. Otworzy się jako wiadomość gotowa \
do wysłania, z adresatem, tematem, treścią i załącznikiem (jeśli jest). Sprawdź ją i kliknij „Wyślij”.\r\n\
Jeśli Twój program pokazuje plik jako zwykłą wiadomość, bez przycisku „Wyślij”: użyj „Prześlij dalej” \
i skopiuj adres z pola „Do” (jest też w lista.xlsx).\r\n\
\r\n\
Thunderbird: otwórz plik .eml (dwuklik albo menu Plik > Otwórz > Zapisana wiadomość), potem wybierz \
„Edytuj jako nową wiadomość” (Ctrl+E). Sprawdź ją i kliknij „Wyślij”.\r\n\
\r\n\
Nadawcą będzie konto, z którego wysyłasz. Nic nie jest wysyłane samo: wysyłasz Ty.\r\n";

/// The columns of the list: (header in the CSV, header in the workbook, width).
const COLUMNS: [(&str, &str, f64); 7] = [
    ("instytucja", "Instytucja", 11.0),
    ("nazwa", "Nazwa", 40.0),
    ("adres", "Adres e-mail", 28.0),
    ("rodzaj", "Wiadomość", 14.0),
    ("wiadomosc", "Plik wiadomości", 34.0),
    ("zalaczniki", "Załączniki", 44.0),
    ("uwagi", "Uwagi", 50.0),
];

/// Writes the drafts of `plan` (from `from`, dated `date`) and the lists through `put`
/// (relative file name, bytes). Returns the `.eml` file name of each entry of `plan` that
/// has a message.
pub fn write_outbox(
    program: &Program,
    plan: &[Planned],
    from: &Mailbox,
    date: SystemTime,
    put: &dyn Fn(&str, &[u8]) -> std::io::Result<()>,
) -> Result<Vec<Option<String>>, OutboxError> {
    let mut names = Vec::new();
    let mut rows: Vec<(Vec<String>, Option<Severity>)> = Vec::new();
    for planned in plan {
        let mut notes = Vec::new();
        let (kind, file, attachments, severity) = match &planned.action {
            Action::Send(draft) => {
                let name = eml_file_name(program, &planned.institution, draft.purpose);
                put(&name, &to_eml(draft, &planned.institution, from, date)?)?;
                let attachments: Vec<&str> = draft.attachments.iter().map(|a| a.name.as_str()).collect();
                let severity = (!planned.notes.is_empty()).then_some(Severity::Warning);
                (draft.purpose.polish(), Some(name), attachments.join("; "), severity)
            }
            Action::NothingToSend => {
                notes.push("formularz bez błędów: nic do wysłania".to_string());
                ("", None, String::new(), None)
            }
            Action::CannotSend(purpose, why) => {
                notes.push(why.to_string());
                (purpose.polish(), None, String::new(), Some(Severity::Error))
            }
        };
        notes.extend(planned.notes.iter().cloned());
        let cells = vec![
            planned.institution.clone(),
            planned.name.clone(),
            planned.address.clone(),
            kind.to_string(),
            file.clone().unwrap_or_default(),
            attachments,
            notes.join("; "),
        ];
        rows.push((cells, severity));
        names.push(file);
    }

    let mut csv = Writer::new(&COLUMNS.map(|(name, _, _)| name));
    for (cells, _) in &rows {
        csv.row(cells);
    }
    put(LIST_CSV, csv.into_string().as_bytes())?;
    let columns = COLUMNS.map(|(_, title, width)| (title, width));
    let written = names.iter().flatten().count();
    let title = format!("Wiadomości GPWR {}: {}", program.settings.report_year, program.settings.municipality);
    let note = format!(
        "{} w tym folderze. Na czerwono: instytucje, do których nie można napisać (powód w kolumnie „Uwagi”). \
         Jak wysłać: {HOW_TO_SEND}.",
        crate::polish::count(written, "wiadomość", "wiadomości", "wiadomości")
    );
    put(LIST_XLSX, &list_workbook(program, "Wiadomości", &title, &note, &columns, &rows)?)?;
    put(HOW_TO_SEND, HOW_TO_SEND_TEXT.as_bytes())?;
    Ok(names)
}

/// Why the outbox could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutboxError {
    /// A message could not be built.
    #[error(transparent)]
    Mail(#[from] MailError),
    /// The list workbook could not be built.
    #[error("nie można zbudować {LIST_XLSX}")]
    Workbook(#[from] rust_xlsxwriter::XlsxError),
    /// A file could not be written.
    #[error("nie można zapisać pliku")]
    Io(#[from] std::io::Error),
}
