//! E-mail drafts for the coordinator: the templates to send, reminders to the late and
//! corrections to those whose returns have errors, as `.eml` files the coordinator opens in
//! Outlook or Thunderbird and only has to send.
//!
//! The messages are built with lettre (MIME, RFC 2047 headers, RFC 2231 attachment names);
//! this module decides who gets what ([`invitations`], [`reminders`]) and the Polish
//! texts live in `letters`. Nothing here prints: the command prints the plan.

mod letters;
pub mod outbox;
pub mod status;

use crate::file_name::readable_name;
use crate::program::{Institution, Program, Settings};
use crate::template::identity::{TemplateIdentity, read_identity};
use crate::template::template_file_name;
use crate::workbook::{Limits, extract_bytes, read_bytes};
use lettre::message::header::{ContentType, HeaderName, HeaderValue};
use lettre::message::{Attachment as MimeAttachment, Mailbox, MultiPart, SinglePart};
use lettre::{Address, Message};
use status::ReturnState;
use std::path::Path;
use std::time::SystemTime;

/// The MIME type of an XLSX workbook.
const XLSX_MIME: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The MIME boundary. `=_` cannot occur in quoted-printable or base64 text (a body with
/// Polish letters, the attachments), and [`to_eml`] refuses a plain-ASCII body holding it,
/// so a fixed boundary is safe and keeps the output the same from run to run.
const BOUNDARY: &str = "=_gpwr_czesc";

/// Why no message could be built at all. Messages are Polish.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The coordinator's address, the sender of every message, is missing or not an address.
    #[error(
        "„E-mail koordynatora” w arkuszu „Ustawienia” definicji programu („{value}”) nie jest poprawnym adresem; \
         wiadomości muszą mieć nadawcę. Popraw go i uruchom polecenie ponownie."
    )]
    InvalidSender {
        /// The address as written.
        value: String,
    },
    /// A file `collect` writes is missing or unreadable.
    #[error("nie można odczytać {path}: {detail}. Uruchom najpierw `gpwr collect`.")]
    CollectedUnreadable {
        /// The file.
        path: String,
        /// What went wrong.
        detail: String,
    },
    /// The collected data was made from another programme definition.
    #[error(
        "dane w {path} nie pasują do definicji programu: {detail}. Uruchom `gpwr collect` z tą definicją programu."
    )]
    CollectedMismatch {
        /// The completeness file.
        path: String,
        /// Which institutions differ.
        detail: String,
    },
    /// lettre refused to build a message (should not happen with checked addresses).
    #[error("nie można zbudować wiadomości do {institution}: {detail}")]
    Build {
        /// The institution's id.
        institution: String,
        /// lettre's message.
        detail: String,
    },
}

/// What a message is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// The template, sent at the start of the campaign.
    Invitation,
    /// A reminder to an institution that has not returned its template.
    Reminder,
    /// The list of errors in a return, with the feedback workbook.
    Corrections,
}

impl Purpose {
    /// The Polish word shown to the coordinator and used in the `.eml` file name.
    pub fn polish(self) -> &'static str {
        match self {
            Purpose::Invitation => "formularz",
            Purpose::Reminder => "przypomnienie",
            Purpose::Corrections => "do poprawy",
        }
    }
}

/// A file attached to a message.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    /// The name the recipient sees, Polish letters included.
    pub name: String,
    /// The file's contents.
    pub bytes: Vec<u8>,
}

/// One message, ready to be written as `.eml`.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// What it is for.
    pub purpose: Purpose,
    /// The recipients: the institution's addresses, with its name.
    pub to: Vec<Mailbox>,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub body: String,
    /// Attached files.
    pub attachments: Vec<Attachment>,
}

/// Why an institution that should get a message gets none. Messages are Polish.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Unsendable {
    /// No e-mail address in the definition.
    #[error(
        "brak adresu e-mail w arkuszu „Instytucje”: wyślij inną drogą albo uzupełnij adres i uruchom polecenie ponownie"
    )]
    NoAddress,
    /// The address is not an e-mail address.
    #[error(
        "„{value}” nie jest poprawnym adresem e-mail: popraw go w arkuszu „Instytucje” i uruchom polecenie ponownie"
    )]
    InvalidAddress {
        /// The address as written.
        value: String,
    },
    /// The template file is not in the templates folder.
    #[error("brak formularza {file}: uruchom `gpwr templates`")]
    NoTemplate {
        /// The expected path.
        file: String,
    },
    /// The template in the folder is not the one the current definition makes.
    #[error("formularz {file} {detail}: uruchom `gpwr templates`, żeby go odświeżyć")]
    StaleTemplate {
        /// The template's path.
        file: String,
        /// How it differs.
        detail: String,
    },
}

/// What happens for one institution.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// A message is written.
    Send(Draft),
    /// The institution needs no message (its return is fine).
    NothingToSend,
    /// The institution needs a message of this purpose but cannot get one.
    CannotSend(Purpose, Unsendable),
}

/// The plan for one institution.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    /// The institution's id.
    pub institution: String,
    /// Its name.
    pub name: String,
    /// Its e-mail address(es) as written in the definition.
    pub address: String,
    /// What is sent, or why nothing is.
    pub action: Action,
    /// Notes for the coordinator, e.g. a template that could not be attached.
    pub notes: Vec<String>,
}

/// The institution's addresses: one or more, separated by `;`, `,` or spaces.
pub fn recipients(institution: &Institution) -> Result<Vec<Mailbox>, Unsendable> {
    let written = institution.email.as_deref().unwrap_or_default().trim();
    if written.is_empty() {
        return Err(Unsendable::NoAddress);
    }
    written
        .split([';', ',', ' ', '\n', '\t'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let address: Address = part.parse().map_err(|_| Unsendable::InvalidAddress { value: part.to_string() })?;
            Ok(Mailbox::new(Some(institution.name.clone()), address))
        })
        .collect()
}

/// The sender of every message: the coordinating unit at the coordinator's address.
pub fn sender(settings: &Settings) -> Result<Mailbox, MailError> {
    let value = settings.coordinator_email.trim();
    let address: Address = value.parse().map_err(|_| MailError::InvalidSender { value: value.to_string() })?;
    Ok(Mailbox::new(Some(settings.coordinating_unit.clone()), address))
}

/// The name an attachment is shown under: `GPWR 2025 – PCPR – Powiatowe Centrum … .xlsx`,
/// with `what` (e.g. `do poprawy`) after the id when given.
pub fn attachment_name(program: &Program, institution: &Institution, what: Option<&str>) -> String {
    let mut stem = format!("GPWR {} – {}", program.settings.report_year, institution.id);
    if let Some(what) = what {
        stem.push_str(" – ");
        stem.push_str(what);
    }
    stem.push_str(" – ");
    stem.push_str(&institution.name);
    format!("{}.xlsx", readable_name(&stem, 110))
}

/// The `.eml` file of `institution`'s message: `GPWR_2025_PCPR_formularz.eml`.
pub fn eml_file_name(program: &Program, institution_id: &str, purpose: Purpose) -> String {
    format!(
        "GPWR_{}_{}_{}.eml",
        program.settings.report_year,
        crate::file_name::safe_stem(institution_id, 30),
        purpose.polish().replace(' ', "_")
    )
}

/// The template of `institution` from `templates_dir`, if it is there and was made from the
/// current definition (same programme, year, layout version and list of indicators).
pub fn current_template(
    program: &Program,
    institution: &Institution,
    templates_dir: &Path,
) -> Result<Attachment, Unsendable> {
    let path = templates_dir.join(template_file_name(program, institution));
    let file = path.display().to_string();
    if !path.is_file() {
        return Err(Unsendable::NoTemplate { file });
    }
    let stale = |detail: &str| Unsendable::StaleTemplate { file: file.clone(), detail: detail.to_string() };
    let unreadable = |e: &dyn std::fmt::Display| stale(&format!("jest nieczytelny ({e})"));
    // Read once: the same bytes are checked and attached.
    let limits = Limits::default();
    let bytes = read_bytes(&path, &limits).map_err(|e| unreadable(&e))?;
    let workbook = extract_bytes(&bytes, &limits).map_err(|e| unreadable(&e))?;
    let reading = read_identity(&workbook);
    let expected = TemplateIdentity::for_institution(program, institution);
    match reading.identity() {
        None => return Err(stale("nie ma identyfikatora GPWR")),
        Some(found) if found.program_id != expected.program_id => {
            return Err(stale(&format!("jest z programu „{}”", found.program_id)));
        }
        Some(found) if found.report_year != expected.report_year => {
            return Err(stale(&format!("jest za rok {}", found.report_year)));
        }
        Some(found) if found != &expected => {
            return Err(stale("powstał z wcześniejszej wersji definicji (inna lista wskaźników)"));
        }
        Some(_) => {}
    }
    Ok(Attachment { name: attachment_name(program, institution, None), bytes })
}

fn planned(institution: &Institution, action: Action, notes: Vec<String>) -> Planned {
    Planned {
        institution: institution.id.clone(),
        name: institution.name.clone(),
        address: institution.email.clone().unwrap_or_default(),
        action,
        notes,
    }
}

/// One message per reporting institution with its template from `templates_dir`.
pub fn invitations(program: &Program, templates_dir: &Path) -> Vec<Planned> {
    program
        .reporting_institutions()
        .map(|institution| {
            let action = recipients(institution)
                .and_then(|to| {
                    let template = current_template(program, institution, templates_dir)?;
                    Ok(letters::invitation(program, institution, to, template))
                })
                .map_or_else(|why| Action::CannotSend(Purpose::Invitation, why), Action::Send);
            planned(institution, action, vec![])
        })
        .collect()
}

/// Messages after `collect`: a reminder to every institution that has not returned its
/// template (with the template again, when `templates_dir` has a current one), and the
/// corrections to every institution whose return has errors (with its feedback workbook
/// from `collected_dir`). Institutions whose returns have no errors get nothing.
pub fn reminders(
    program: &Program,
    collected_dir: &Path,
    templates_dir: Option<&Path>,
) -> Result<Reminders, MailError> {
    let collected = status::read(program, collected_dir)?;
    let statuses = &collected.statuses;
    let mut plan = Vec::new();
    for institution in program.reporting_institutions() {
        let Some(status) = statuses.get(institution.id.as_str()) else { continue };
        let purpose = match status.state {
            ReturnState::Fine => {
                let notes = match status.warnings {
                    0 => vec![],
                    n => vec![format!(
                        "{} w formularzu: zobacz ustalenia.xlsx",
                        crate::polish::count(n, "ostrzeżenie", "ostrzeżenia", "ostrzeżeń")
                    )],
                };
                plan.push(planned(institution, Action::NothingToSend, notes));
                continue;
            }
            ReturnState::Missing => Purpose::Reminder,
            ReturnState::HasErrors => Purpose::Corrections,
        };
        let to = match recipients(institution) {
            Ok(to) => to,
            Err(why) => {
                plan.push(planned(institution, Action::CannotSend(purpose, why), vec![]));
                continue;
            }
        };
        // What could not be attached is said in the notes; the message goes anyway.
        let mut notes = Vec::new();
        let draft = if purpose == Purpose::Reminder {
            let template = match templates_dir.map(|dir| current_template(program, institution, dir)) {
                Some(Ok(template)) => Some(template),
                Some(Err(why)) => {
                    notes.push(format!("bez formularza w załączniku: {why}"));
                    None
                }
                None => None,
            };
            letters::reminder(program, institution, to, status, template)
        } else {
            let feedback = collected_dir.join(crate::collect::write::feedback_file_name(program, &institution.id));
            let attachment = match std::fs::read(&feedback) {
                Ok(bytes) => {
                    Some(Attachment { name: attachment_name(program, institution, Some("do poprawy")), bytes })
                }
                Err(e) => {
                    notes.push(format!(
                        "bez listy poprawek w załączniku: nie można odczytać {} ({})",
                        feedback.display(),
                        crate::error_text::io(&e)
                    ));
                    None
                }
            };
            letters::corrections(program, institution, to, status, attachment)
        };
        plan.push(planned(institution, Action::Send(draft), notes));
    }
    Ok(Reminders { plan, unattributed: collected.unattributed })
}

/// The plan after `collect`, and what the coordinator should look at before sending it.
#[derive(Debug, Clone, PartialEq)]
pub struct Reminders {
    /// One entry per reporting institution.
    pub plan: Vec<Planned>,
    /// Refused inbox files that belong to no known institution: one may be a late return
    /// of an institution about to be reminded.
    pub unattributed: Vec<String>,
}

/// `X-Unsent: 1`: Outlook opens such a message as a draft, ready to send.
#[derive(Debug, Clone)]
struct Unsent;

impl lettre::message::header::Header for Unsent {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("X-Unsent")
    }

    fn parse(_: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(Unsent)
    }

    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), "1".to_string())
    }
}

/// The attachment's Content-Type, with its name also as an RFC 2047 `name` parameter:
/// clients that do not read the RFC 2231 `filename*` of the Content-Disposition (older
/// Outlook) show that one.
fn attachment_type(name: &str) -> ContentType {
    let mut encoded = String::new();
    {
        let mut writer = email_encoding::headers::writer::EmailWriter::new(&mut encoded, 0, 0, false);
        // Writing into a String cannot fail.
        let _ = email_encoding::headers::rfc2047::encode(name, &mut writer);
    }
    let encoded = encoded.replace("\r\n", "");
    ContentType::parse(&format!("{XLSX_MIME}; name=\"{encoded}\""))
        .unwrap_or_else(|_| ContentType::parse(XLSX_MIME).expect("a valid MIME type"))
}

/// The message as an `.eml` file from `from`, dated `date`, marked unsent.
pub fn to_eml(draft: &Draft, institution: &str, from: &Mailbox, date: SystemTime) -> Result<Vec<u8>, MailError> {
    let build_error = |detail: String| MailError::Build { institution: institution.to_string(), detail };
    // Attachments are base64 and names are encoded, but a plain-ASCII body is copied as is:
    // it must not hold the boundary.
    if draft.body.contains(BOUNDARY) {
        return Err(build_error(format!("treść zawiera znacznik „{BOUNDARY}”")));
    }
    // Replies go to the coordinator even when the draft is sent from another account.
    let mut builder = Message::builder()
        .from(from.clone())
        .reply_to(from.clone())
        .date(date)
        .subject(draft.subject.clone())
        .header(Unsent);
    for to in &draft.to {
        builder = builder.to(to.clone());
    }
    let text = SinglePart::plain(draft.body.clone());
    let message = if draft.attachments.is_empty() {
        builder.singlepart(text)
    } else {
        let mut parts = MultiPart::mixed().boundary(BOUNDARY).singlepart(text);
        for attachment in &draft.attachments {
            parts = parts.singlepart(
                MimeAttachment::new(attachment.name.clone())
                    .body(attachment.bytes.clone(), attachment_type(&attachment.name)),
            );
        }
        builder.multipart(parts)
    }
    .map_err(|_| build_error("biblioteka poczty odrzuciła wiadomość (błąd programu gpwr; zgłoś go)".to_string()))?;
    Ok(message.formatted())
}

/// The newest modification time among `paths` (files or folders, one level deep): the date
/// the messages carry, so the same inputs give the same files. E-mail programs set the
/// real date when the message is sent.
pub fn newest_modification(paths: &[&Path]) -> SystemTime {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let mut newest = SystemTime::UNIX_EPOCH;
    for path in paths {
        newest = newest.max(modified(path).unwrap_or(SystemTime::UNIX_EPOCH));
        if let Ok(entries) = std::fs::read_dir(path) {
            for entry in entries.flatten() {
                newest = newest.max(modified(&entry.path()).unwrap_or(SystemTime::UNIX_EPOCH));
            }
        }
    }
    newest
}

#[cfg(test)]
mod tests {
    use super::*;

    fn institution(email: Option<&str>) -> Institution {
        Institution {
            id: "PROMYK".into(),
            name: "Stowarzyszenie \"Razem\" / Świetlica „Promyk”".into(),
            group: "ngo".into(),
            email: email.map(str::to_string),
            contact_person: None,
            phone: None,
        }
    }

    #[test]
    fn an_institution_may_have_several_addresses_but_each_must_be_one() {
        let to = recipients(&institution(Some("promyk@ngo.example.pl; sekretariat@ngo.example.pl"))).unwrap();
        let emails: Vec<String> = to.iter().map(|m| m.email.to_string()).collect();
        assert_eq!(emails, ["promyk@ngo.example.pl", "sekretariat@ngo.example.pl"]);
        assert_eq!(to[0].name.as_deref(), Some("Stowarzyszenie \"Razem\" / Świetlica „Promyk”"));
        assert_eq!(recipients(&institution(None)), Err(Unsendable::NoAddress));
        assert_eq!(recipients(&institution(Some("  "))), Err(Unsendable::NoAddress));
        assert_eq!(
            recipients(&institution(Some("promyk@ngo.example.pl, promyk(at)ngo.pl"))),
            Err(Unsendable::InvalidAddress { value: "promyk(at)ngo.pl".into() })
        );
    }
}
