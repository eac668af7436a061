//! The Polish texts of the three messages: the template, the reminder and the corrections.
//! Everything in them comes from the programme settings and from what `collect` found.

use super::status::{Issue, Status};
use super::{Attachment, Draft, Purpose};
use crate::collect::findings::Severity;
use crate::polish;
use crate::program::{Institution, Program};
use lettre::message::Mailbox;

/// At most this many issues are listed in a message body; the attachment has them all.
const LISTED_ISSUES: usize = 30;

/// The programme, its municipality and the year, ending a sentence: `„…” (Gmina …) za 2025 r.`
fn programme(program: &Program) -> String {
    let s = &program.settings;
    format!("„{}” ({}) za {} r.", s.program_name, s.municipality, s.report_year)
}

/// The contact sentence and the signature.
fn closing(program: &Program) -> String {
    let s = &program.settings;
    let phone = s.coordinator_phone.as_deref().map(|p| format!(", tel. {p}")).unwrap_or_default();
    format!(
        "W razie pytań prosimy o kontakt: {}{phone}, e-mail {}.\n\nZ poważaniem\n{}\n{}\n",
        s.coordinator, s.coordinator_email, s.coordinator, s.coordinating_unit
    )
}

/// One line of a list of issues: where, which indicator, what was typed, what is asked.
fn issue_line(program: &Program, issue: &Issue) -> String {
    let mut line = String::new();
    if !issue.location.is_empty() {
        line.push_str(&issue.location);
    }
    if let Some(indicator) = program.indicator(&issue.indicator) {
        line.push_str(&format!(" („{}”)", indicator.label));
    }
    if !issue.original.is_empty() {
        line.push_str(&format!(", wpisano „{}”", issue.original));
    }
    if !line.is_empty() {
        line.push_str(": ");
    }
    line.push_str(issue.request());
    line.trim_start_matches([',', ' ']).to_string()
}

/// The template, at the start of the campaign.
pub fn invitation(program: &Program, institution: &Institution, to: Vec<Mailbox>, template: Attachment) -> Draft {
    let s = &program.settings;
    let deadline = polish::date(s.return_deadline);
    let indicators = program.indicators_for(&institution.id).count();
    let body = format!(
        "Szanowni Państwo,\n\n\
         {unit} przygotowuje sprawozdanie z realizacji programu {programme} \
         Prosimy o dane Państwa instytucji: {name}.\n\n\
         W załączniku przesyłamy formularz przygotowany dla Państwa (plik: {file}). \
         Formularz obejmuje {indicators}, a także miejsce na opisy działań i potrzeby na przyszły rok.\n\n\
         Prosimy:\n\
         1. otworzyć formularz w programie Excel albo LibreOffice Calc i wpisać dane w żółte pola (wskazówki są w arkuszu „Instrukcja”);\n\
         2. wpisywać same liczby, bez słów i jednostek; gdy wskaźnik Państwa nie dotyczy albo brak danych, zostawić pole puste i wybrać powód z listy obok;\n\
         3. nie wpisywać danych osobowych podopiecznych (imion, nazwisk, numerów PESEL, adresów);\n\
         4. odesłać wypełniony plik do {deadline} na adres {email}, np. odpowiadając na tę wiadomość. \
         Nazwę pliku można zmienić; można go też zapisać jako .xls albo .ods.\n\n\
         {closing}",
        unit = s.coordinating_unit,
        programme = programme(program),
        name = institution.name,
        file = template.name,
        indicators = polish::count(indicators, "wskaźnik", "wskaźniki", "wskaźników"),
        email = s.coordinator_email,
        closing = closing(program),
    );
    Draft {
        purpose: Purpose::Invitation,
        to,
        subject: format!(
            "GPWR {}: formularz do wypełnienia – {} (termin: {deadline})",
            s.report_year, institution.name
        ),
        body,
        attachments: vec![template],
    }
}

/// A reminder to an institution that has not returned its template; `template` is sent
/// again when there is a current one.
pub fn reminder(
    program: &Program,
    institution: &Institution,
    to: Vec<Mailbox>,
    status: &Status,
    template: Option<Attachment>,
) -> Draft {
    let s = &program.settings;
    let deadline = polish::date(s.return_deadline);
    let mut body = format!(
        "Szanowni Państwo,\n\n\
         uprzejmie przypominamy o formularzu z danymi Państwa instytucji ({name}) do sprawozdania z realizacji \
         programu {programme} \
         Prosiliśmy o jego odesłanie do {deadline}, a do tej pory {what}.\n\n",
        name = institution.name,
        programme = programme(program),
        what = if status.rejected.is_empty() {
            "go nie otrzymaliśmy"
        } else {
            "nie otrzymaliśmy formularza, który moglibyśmy przyjąć"
        },
    );
    let mut rejected_files: Vec<&str> = status.rejected.iter().map(|i| i.file.as_str()).collect();
    rejected_files.sort_unstable();
    rejected_files.dedup();
    for file in rejected_files {
        let mut reasons: Vec<&str> = Vec::new();
        for reason in status.rejected.iter().filter(|i| i.file == file).map(Issue::request) {
            if !reasons.contains(&reason) {
                reasons.push(reason);
            }
        }
        body.push_str(&format!("Otrzymaliśmy plik „{file}”, ale nie mogliśmy go przyjąć. {}\n\n", reasons.join(" ")));
    }
    match &template {
        Some(template) => body.push_str(&format!(
            "Formularz przesyłamy ponownie w załączniku (plik: {}). Prosimy go wypełnić i odesłać na adres {}.\n\n",
            template.name, s.coordinator_email
        )),
        None => body.push_str(&format!(
            "Prosimy o odesłanie wypełnionego formularza, który przesłaliśmy wcześniej, na adres {}. \
             Jeśli go nie mają Państwo, prosimy o wiadomość: prześlemy go ponownie.\n\n",
            s.coordinator_email
        )),
    }
    if status.rejected.is_empty() {
        body.push_str("Jeśli formularz został już wysłany, prosimy o informację, bo mógł do nas nie dotrzeć.\n\n");
    }
    body.push_str(&closing(program));
    Draft {
        purpose: Purpose::Reminder,
        to,
        subject: format!(
            "GPWR {}: przypomnienie o formularzu – {} (termin: {deadline})",
            s.report_year, institution.name
        ),
        body,
        attachments: template.into_iter().collect(),
    }
}

/// The errors (and warnings) found in an institution's return, with its feedback workbook.
pub fn corrections(
    program: &Program,
    institution: &Institution,
    to: Vec<Mailbox>,
    status: &Status,
    feedback: Option<Attachment>,
) -> Draft {
    let s = &program.settings;
    let errors: Vec<&Issue> = status.to_fix.iter().filter(|i| i.severity == Severity::Error).collect();
    let warnings: Vec<&Issue> = status.to_fix.iter().filter(|i| i.severity != Severity::Error).collect();
    let file = status.file.as_deref().unwrap_or_default();
    let mut body = format!(
        "Szanowni Państwo,\n\n\
         dziękujemy za przesłanie formularza z danymi Państwa instytucji ({name}) za {year} r. (plik „{file}”). \
         Przy jego sprawdzaniu znaleźliśmy {found}; do czasu poprawienia części danych nie możemy wliczyć \
         do sprawozdania.\n\n\
         Do poprawienia:\n",
        name = institution.name,
        year = s.report_year,
        found = polish::count(errors.len(), "błąd", "błędy", "błędów"),
    );
    let mut listed = 0;
    for (i, issue) in errors.iter().enumerate().take(LISTED_ISSUES) {
        body.push_str(&format!("{}. {}\n", i + 1, issue_line(program, issue)));
        listed += 1;
    }
    if !warnings.is_empty() && listed < LISTED_ISSUES {
        body.push_str("\nDo sprawdzenia (to nie muszą być błędy):\n");
        for issue in warnings.iter().take(LISTED_ISSUES - listed) {
            body.push_str(&format!("– {}\n", issue_line(program, issue)));
            listed += 1;
        }
    }
    let total = errors.len() + warnings.len();
    if listed < total {
        body.push_str(&format!("… i {} więcej.\n", total - listed));
    }
    body.push('\n');
    if let Some(feedback) = &feedback {
        body.push_str(&format!("Pełna lista jest w załączniku (plik: {}). ", feedback.name));
    }
    body.push_str(&format!(
        "Prosimy poprawić wskazane komórki w przesłanym pliku (nie trzeba wypełniać formularza od nowa) \
         i odesłać go ponownie na adres {}.\n\n",
        s.coordinator_email
    ));
    body.push_str(&closing(program));
    Draft {
        purpose: Purpose::Corrections,
        to,
        subject: format!("GPWR {}: formularz do poprawy – {}", s.report_year, institution.name),
        body,
        attachments: feedback.into_iter().collect(),
    }
}
