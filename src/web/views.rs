//! The body of each page, from what the campaign folder holds and what the library says of
//! it: the definition and its problems as `gpwr templates` reports them, the templates,
//! the inbox, what collect wrote, the last report.

use super::pages::{self, Progress, action_button, cards, download_link, table, text};
use super::state::{Campaign, Task};
use super::tasks::Job;
use crate::campaign::{COLLECTED_DIR, INBOX_DIR, PROGRAM_FILE, REPORT_DIR};
use crate::collect::write::{COMPLETENESS_CSV, FINDINGS_CSV};
use crate::polish;
use crate::program::{Program, ProgramReading, Severity};
use crate::records::{self, Record};
use maud::{Markup, html};

/// The collected data's table `name`, empty when there is none yet.
pub fn collected_records(campaign: &Campaign, name: &str) -> Vec<Record> {
    std::fs::read_to_string(campaign.path(COLLECTED_DIR).join(name)).map(|t| records::parse(&t)).unwrap_or_default()
}

/// Where the campaign stands, step by step.
pub fn progress(campaign: &Campaign, reading: &ProgramReading) -> Progress {
    let name = reading.program.as_ref().map(|p| p.settings.program_name.clone()).unwrap_or_default();
    let errors = reading.errors().count();
    let templates = super::files::listed(campaign, "formularze").len();
    let inbox = crate::collect::inbox::list_inbox(&campaign.path(INBOX_DIR))
        .map(|listing| listing.spreadsheets.len() + listing.skipped.len())
        .unwrap_or(0);
    let completeness = collected_records(campaign, COMPLETENESS_CSV);
    let returned = completeness.iter().filter(|r| !r["plik"].is_empty()).count();
    let report = campaign.path(REPORT_DIR).join(crate::report::write::REPORT_XLSX).is_file();
    let step = |state: String, done: bool| (state, done);
    Progress {
        campaign: format!("{} – {}", campaign.root.display(), name),
        steps: vec![
            match errors {
                0 => step("bez błędów".into(), true),
                n => step(polish::count(n, "błąd", "błędy", "błędów"), false),
            },
            step(polish::count(templates, "formularz", "formularze", "formularzy"), templates > 0),
            step(polish::count(inbox, "plik", "pliki", "plików"), inbox > 0),
            match completeness.len() {
                0 => step("jeszcze nie".into(), false),
                n => step(format!("{returned} z {n} instytucji"), true),
            },
            step(if report { "gotowe" } else { "jeszcze nie" }.into(), report),
        ],
    }
}

/// The last job's state, when it is one of `jobs` and ran on `campaign`: a progress bar
/// while it runs, its summary or failure once it ended.
pub fn task_state(task: Option<&Task>, jobs: &[Job], campaign: &Campaign) -> Markup {
    let Some(task) = task.filter(|t| jobs.contains(&t.job) && t.campaign == *campaign) else { return html! {} };
    let label = crate::lock::activity(task.job.command());
    match &task.outcome {
        None => {
            let (done, total) = (&task.progress.0, &task.progress.1);
            pages::running(
                &capitalized(label),
                done.load(std::sync::atomic::Ordering::Relaxed),
                total.load(std::sync::atomic::Ordering::Relaxed),
            )
        }
        Some(Ok(summary)) => html! { div.komunikat { (summary) } },
        Some(Err(why)) => html! { div.komunikat.blad { (why) } },
    }
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

/// A card's number and its noun in the form the number takes (`1 kontrola`, `5 kontroli`).
fn counted(n: usize, forms: [&str; 3]) -> (String, String) {
    let [one, few, many] = forms;
    let text = polish::count(n, one, few, many);
    let noun = text.split_once(' ').map(|(_, noun)| noun.to_string()).unwrap_or_default();
    (polish::thousands(n as u64), noun)
}

/// `Definicja`: the settings, the counts and every problem with its sheet and cell.
pub fn definition(reading: &ProgramReading) -> Markup {
    html! {
        h2 { "Definicja programu" }
        div.akcje {
            (download_link(&format!("/pobierz/definicja/{PROGRAM_FILE}"), "Pobierz program.xlsx do edycji"))
        }
        form method="post" action="/definicja" enctype="multipart/form-data" {
            "Poprawiona definicja: " input type="file" name="plik" accept=".xlsx";
            " " button type="submit" { "Wczytaj" }
            span.maly { " (poprzednia zostaje jako kopia z datą w folderze archiwum)" }
        }
        @if let Some(program) = &reading.program { (settings(program)) }
        h3 { "Problemy definicji" }
        @if reading.problems.is_empty() {
            p.ok-tekst { "Definicja nie ma błędów ani uwag." }
        } @else {
            (table(&["Waga", "Gdzie i co"], &reading.problems.iter().map(|p| {
                let error = p.severity == Severity::Error;
                (vec![text(if error { "błąd" } else { "uwaga" }), text(p.to_string())], if error { "blad" } else { "ostrzezenie" })
            }).collect::<Vec<_>>()))
        }
    }
}

/// The programme's settings and how many of everything it has.
fn settings(program: &Program) -> Markup {
    let s = &program.settings;
    let rows: Vec<(Vec<Markup>, &str)> = [
        ("Program", s.program_name.clone()),
        ("Gmina", s.municipality.clone()),
        ("Rok sprawozdawczy", s.report_year.to_string()),
        ("Termin zwrotu", polish::date(s.return_deadline)),
        ("Koordynator", format!("{}, {}", s.coordinator, s.coordinator_email)),
        ("Jednostka koordynująca", s.coordinating_unit.clone()),
    ]
    .into_iter()
    .map(|(label, value)| (vec![text(label), text(value)], ""))
    .collect();
    html! {
        (cards(&[
            counted(program.reporting_institutions().count(), ["instytucja", "instytucje", "instytucji"]),
            counted(program.goals.len(), ["cel", "cele", "celów"]),
            counted(program.tasks.len(), ["zadanie", "zadania", "zadań"]),
            counted(program.indicators.len(), ["wskaźnik", "wskaźniki", "wskaźników"]),
            counted(program.checks.len(), ["kontrola", "kontrole", "kontroli"]),
        ]))
        (table(&["Ustawienie", "Wartość"], &rows))
    }
}

/// `Formularze`: one row per reporting institution with its template, and the messages.
pub fn templates(campaign: &Campaign, program: &Program) -> Markup {
    let written = super::files::listed(campaign, "formularze");
    let rows: Vec<(Vec<Markup>, &str)> = program
        .reporting_institutions()
        .map(|institution| {
            let file = crate::template::template_file_name(program, institution);
            let present = written.contains(&file);
            let link = if present {
                html! { a.plik href=(format!("/pobierz/formularze/{file}")) download { (file) } }
            } else {
                html! { span.maly { "jeszcze nie utworzony" } }
            };
            let indicators = program.indicators_for(&institution.id).count();
            let email = institution.email.clone().unwrap_or_else(|| "— brak adresu —".into());
            let cells = vec![
                text(&institution.id),
                text(&institution.name),
                link,
                text(polish::thousands(indicators as u64)),
                text(email),
            ];
            (cells, if present { "" } else { "ostrzezenie" })
        })
        .collect();
    let messages = super::files::listed(campaign, "wiadomosci");
    html! {
        h2 { "Formularze dla instytucji" }
        div.akcje {
            (action_button("/zadanie/formularze", "Utwórz formularze", false))
            @if !written.is_empty() { (download_link("/pobierz/formularze.zip", "Pobierz wszystkie (.zip)")) }
            (action_button("/zadanie/wiadomosci", "Przygotuj wiadomości e-mail", true))
            @if !messages.is_empty() { (download_link("/pobierz/wiadomosci.zip", "Pobierz wiadomości (.zip)")) }
        }
        (table(&["ID", "Instytucja", "Formularz", "#Wskaźniki", "E-mail"], &rows))
        @if !messages.is_empty() {
            h3 { "Wiadomości z formularzami" }
            p.maly { "Otwórz plik .eml dwuklikiem w Outlooku (albo w Thunderbirdzie „Edytuj jako nową wiadomość”) i kliknij „Wyślij”." }
            ul { @for name in &messages { li { a href=(format!("/pobierz/wiadomosci/{name}")) download { (name) } } } }
        }
    }
}

/// What collect made of each file of the inbox: (state, row class), by file.
fn inbox_states(campaign: &Campaign) -> std::collections::BTreeMap<String, (String, &'static str)> {
    let mut states = std::collections::BTreeMap::new();
    for record in collected_records(campaign, COMPLETENESS_CSV) {
        if !record["plik"].is_empty() {
            states.insert(record["plik"].to_string(), (format!("użyty: {}", &record["instytucja"]), ""));
        }
        for other in record["inne_pliki"].split("; ").filter(|f| !f.is_empty()) {
            states.insert(other.to_string(), (format!("inna wersja: {}", &record["instytucja"]), "ostrzezenie"));
        }
    }
    for finding in collected_records(campaign, FINDINGS_CSV) {
        if &finding["waga"] == "błąd" && !finding["plik"].is_empty() && !states.contains_key(&finding["plik"]) {
            states.insert(finding["plik"].to_string(), (format!("nieprzyjęty: {}", &finding["komunikat"]), "blad"));
        }
    }
    states
}

/// `Odpowiedzi`: the drop zone and every file of the inbox with what collect made of it.
pub fn inbox(campaign: &Campaign) -> Markup {
    let listing = crate::collect::inbox::list_inbox(&campaign.path(INBOX_DIR)).unwrap_or_default();
    let states = inbox_states(campaign);
    let mut rows: Vec<(Vec<Markup>, &str)> = Vec::new();
    for entry in &listing.spreadsheets {
        let size = std::fs::metadata(&entry.path).map(|m| m.len()).unwrap_or(0);
        let (state, class) = states.get(&entry.relative).cloned().unwrap_or(("nowy: jeszcze nie zebrany".into(), ""));
        rows.push((
            vec![text(&entry.relative), text(format!("{} KB", polish::thousands(size.div_ceil(1024)))), text(state)],
            class,
        ));
    }
    for name in &listing.skipped {
        rows.push((vec![text(name), text(""), text("pominięty: to nie jest arkusz")], "ostrzezenie"));
    }
    html! {
        h2 { "Odesłane pliki" }
        (pages::upload_form())
        p.maly { "Pliki leżą w folderze " (campaign.path(INBOX_DIR).display()) "; można je tam też skopiować." }
        (table(&["Plik", "#Rozmiar", "Co z nim zrobiono"], &rows))
    }
}

/// Which findings the `Zbieranie` page shows.
#[derive(Debug, Default, serde::Deserialize)]
pub struct Filters {
    /// Only this institution.
    pub instytucja: Option<String>,
    /// Only this severity (`błąd`, `ostrzeżenie`, `informacja`).
    pub waga: Option<String>,
    /// Only this code.
    pub kod: Option<String>,
}

impl Filters {
    fn keeps(&self, finding: &Record) -> bool {
        let matches =
            |wanted: &Option<String>, value: &str| wanted.as_deref().is_none_or(|w| w.is_empty() || w == value);
        matches(&self.instytucja, &finding["instytucja"])
            && matches(&self.waga, &finding["waga"])
            && matches(&self.kod, &finding["kod"])
    }
}

/// A download of `area`'s file `name` when it is there.
fn link_if_listed(listed: &[String], area: &str, name: &str, label: &str) -> Markup {
    html! { @if listed.iter().any(|l| l == name) { a href=(format!("/pobierz/{area}/{name}")) download { (label) } " " } }
}

/// `Zbieranie`: who returned what, with each institution's feedback workbook and message,
/// and the findings with filters.
pub fn collect(campaign: &Campaign, program: &Program, filters: &Filters) -> Markup {
    let completeness = collected_records(campaign, COMPLETENESS_CSV);
    if completeness.is_empty() {
        return html! {
            h2 { "Zbieranie danych" }
            div.akcje { (action_button("/zadanie/zbieranie", "Zbierz dane z odesłanych plików", false)) }
            p { "Dane nie były jeszcze zbierane. Najpierw zapisz odesłane pliki (strona „Odpowiedzi”)." }
        };
    }
    let findings: Vec<Record> = collected_records(campaign, FINDINGS_CSV);
    html! {
        h2 { "Zbieranie danych" }
        div.akcje {
            (action_button("/zadanie/zbieranie", "Zbierz dane ponownie", false))
            (download_link("/pobierz/zebrane/ustalenia.xlsx", "Pobierz ustalenia.xlsx"))
            (action_button("/zadanie/przypomnienia", "Przygotuj przypomnienia i poprawki", true))
        }
        h3 { "Kompletność" }
        (completeness_table(campaign, program, &completeness))
        h3 { "Ustalenia" }
        (filter_form(&findings, filters))
        (findings_table(&findings, filters))
    }
}

/// Per institution: file used, counts, and its downloads.
fn completeness_table(campaign: &Campaign, program: &Program, completeness: &[Record]) -> Markup {
    use crate::mail::{Purpose, eml_file_name};
    let feedback = super::files::listed(campaign, "do_poprawy");
    let messages = super::files::listed(campaign, "przypomnienia");
    let rows: Vec<(Vec<Markup>, &str)> = completeness
        .iter()
        .map(|r| {
            let id = &r["instytucja"];
            let feedback_name = crate::collect::write::feedback_workbook_name(program, id);
            let downloads = html! {
                (link_if_listed(&feedback, "do_poprawy", &feedback_name, "do poprawy (.xlsx)"))
                (link_if_listed(&messages, "przypomnienia", &eml_file_name(program, id, Purpose::Reminder), "przypomnienie (.eml)"))
                (link_if_listed(&messages, "przypomnienia", &eml_file_name(program, id, Purpose::Corrections), "poprawki (.eml)"))
            };
            let (errors, warnings) = (r["bledy"].parse().unwrap_or(0u64), r["ostrzezenia"].parse().unwrap_or(0u64));
            let file = if r["plik"].is_empty() { "— nie przysłała —" } else { &r["plik"] };
            let saved = chrono::DateTime::parse_from_rfc3339(&r["zapisano"])
                .map(|t| t.with_timezone(&chrono::Local).format("%d.%m.%Y %H:%M").to_string())
                .unwrap_or_default();
            let class = if r["plik"].is_empty() || errors > 0 { "blad" } else if warnings > 0 { "ostrzezenie" } else { "" };
            let cells = vec![
                text(id),
                text(&r["nazwa"]),
                text(file),
                text(saved),
                text(polish::thousands(errors)),
                text(polish::thousands(warnings)),
                downloads,
            ];
            (cells, class)
        })
        .collect();
    table(&["ID", "Instytucja", "Użyty plik", "Zapisany", "#Błędy", "#Ostrzeżenia", "Do pobrania"], &rows)
}

/// The findings filter: institution, severity and code, each from the values present.
fn filter_form(findings: &[Record], filters: &Filters) -> Markup {
    let values = |column: &str| -> Vec<String> {
        let set: std::collections::BTreeSet<String> =
            findings.iter().map(|f| f[column].to_string()).filter(|v| !v.is_empty()).collect();
        set.into_iter().collect()
    };
    let select = |name: &str, label: &str, chosen: &Option<String>| {
        html! {
            label { (label)
                select name=(name) {
                    option value="" { "wszystkie" }
                    @for value in values(name) {
                        option value=(value) selected[chosen.as_deref() == Some(value.as_str())] { (value) }
                    }
                }
            }
        }
    };
    html! {
        form.filtry method="get" action="/zbieranie" {
            (select("instytucja", "Instytucja", &filters.instytucja))
            (select("waga", "Waga", &filters.waga))
            (select("kod", "Kod", &filters.kod))
            a.przycisk.drugorzedny href="/zbieranie" { "Wyczyść" }
            input type="submit" value="Filtruj";
        }
    }
}

/// The findings that pass `filters`, each with its cell.
fn findings_table(findings: &[Record], filters: &Filters) -> Markup {
    let rows: Vec<(Vec<Markup>, &str)> = findings
        .iter()
        .filter(|f| filters.keeps(f))
        .map(|f| {
            let class = match &f["waga"] {
                "błąd" => "blad",
                "ostrzeżenie" => "ostrzezenie",
                _ => "",
            };
            let at = crate::collect::findings::location(&f["arkusz"], &f["komorka"]);
            let cells = vec![
                text(&f["kod"]),
                text(&f["waga"]),
                text(&f["instytucja"]),
                text(&f["plik"]),
                text(at),
                text(&f["tekst_oryginalny"]),
                text(&f["komunikat"]),
            ];
            (cells, class)
        })
        .collect();
    html! {
        p.maly { (polish::count(rows.len(), "ustalenie", "ustalenia", "ustaleń")) }
        (table(&["Kod", "Waga", "Instytucja", "Plik", "Komórka", "Wpisano", "Co się stało i co zrobić"], &rows))
    }
}

/// `Zestawienie`: the failed checks, each goal's indicator totals, the foster-care figures
/// and the needs of the last report made here; and the downloads.
pub fn report(campaign: &Campaign, done: Option<&crate::jobs::report::ReportDone>) -> Markup {
    let files = super::files::listed(campaign, "zestawienie");
    html! {
        h2 { "Zestawienie" }
        div.akcje {
            (action_button("/zadanie/zestawienie", "Utwórz zestawienie", false))
            @for name in &files { (download_link(&format!("/pobierz/zestawienie/{name}"), name)) }
        }
        @match done {
            None => p { "Utwórz zestawienie, żeby zobaczyć tu kontrole, sumy i potrzeby (pliki z poprzedniego zestawienia, jeśli jest, można pobrać powyżej)." },
            Some(done) => (report_figures(done)),
        }
    }
}

fn report_figures(done: &crate::jobs::report::ReportDone) -> Markup {
    let mut figures = vec![
        counted(
            done.errors(),
            ["niespełniona kontrola (błąd)", "niespełnione kontrole (błędy)", "niespełnionych kontroli (błędy)"],
        ),
        counted(done.warnings(), ["ostrzeżenie kontroli", "ostrzeżenia kontroli", "ostrzeżeń kontroli"]),
        (polish::pln(done.needs.total()), format!("potrzeby na rok {}", done.needs.year)),
    ];
    if let Some(foster) = &done.foster {
        figures.push((
            polish::pln(foster.this_year.share()),
            format!("udział gminy w kosztach pieczy za {} r.", foster.year),
        ));
        figures.push((polish::pln(foster.next_year.share()), format!("prognoza pieczy na {} r.", foster.year + 1)));
    }
    let failures: Vec<(Vec<Markup>, &str)> = done
        .failures
        .iter()
        .map(|f| {
            let error = f.severity == crate::program::CheckSeverity::Error;
            let cells = vec![
                text(&f.check),
                text(f.severity.polish()),
                text(f.institution.as_deref().unwrap_or("gmina")),
                text(&f.message),
                text(&f.values),
            ];
            (cells, if error { "blad" } else { "ostrzezenie" })
        })
        .collect();
    html! {
        (cards(&figures))
        h3 { "Niespełnione kontrole" }
        @if failures.is_empty() { p.ok-tekst { "Wszystkie kontrole spełnione." } }
        @else { (table(&["Kontrola", "Waga", "Kto", "Co się nie zgadza", "Wartości"], &failures)) }
        h3 { "Sumy wskaźników według celów" }
        (goal_totals(done))
    }
}

/// Each goal, collapsed, with its indicators' totals and how many institutions reported.
fn goal_totals(done: &crate::jobs::report::ReportDone) -> Markup {
    let program = &done.program;
    html! {
        @for goal in &program.goals {
            details {
                summary { "Cel " (goal.id) ". " (goal.name) }
                (table(&["Wskaźnik", "#Razem", "Jednostka", "#Podały", "#Oczekiwano"], &program.indicators.iter().zip(&done.totals)
                    .filter(|(indicator, _)| program.task(&indicator.task).is_some_and(|t| t.goal == goal.id))
                    .map(|(indicator, total)| {
                        let shown = crate::report::documents::shown_total(program, total);
                        // A part is named with its whole: the table can be sorted and filtered.
                        let cells = vec![text(program.full_label(indicator)), text(shown), text(&indicator.unit), text(polish::thousands(total.reporting as u64)), text(polish::thousands(total.expected as u64))];
                        (cells, if total.complete() { "" } else { "ostrzezenie" })
                    })
                    .collect::<Vec<_>>()))
            }
        }
    }
}

/// The start page: make a campaign (from the sample or last year's definition) or open one.
pub fn start(start_folder: &std::path::Path) -> Markup {
    html! {
        h2 { "Witaj w gpwr" }
        p { "W tym folderze nie ma kampanii (" (start_folder.display()) "). Utwórz nową albo otwórz istniejącą." }
        h3 { "Nowa kampania" }
        form method="post" action="/kampania/nowa" enctype="multipart/form-data" {
            p { label { "Nazwa folderu kampanii: " input type="text" name="nazwa" value="kampania" required; } }
            p {
                label { input type="radio" name="zrodlo" value="przyklad" checked; " z przykładowej definicji programu (do uzupełnienia w Excelu)" } br;
                label { input type="radio" name="zrodlo" value="poprzednia"; " z zeszłorocznej definicji (rok przesunięty o jeden): " }
                input type="file" name="plik" accept=".xlsx";
            }
            button type="submit" { "Utwórz kampanię" }
        }
        h3 { "Istniejąca kampania" }
        form method="post" action="/kampania/otworz" {
            label { "Folder kampanii (z plikiem program.xlsx): " input type="text" name="sciezka" size="60"; }
            " " button type="submit" { "Otwórz" }
        }
    }
}
