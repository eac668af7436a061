//! One handler per page and action: each turns the request into one library call (a job, a
//! read of the campaign, a file saved or handed out) and its result into a page, a
//! redirect or a file.

use super::files;
use super::pages::{self, layout, message_page};
use super::state::{AppState, Campaign, lock};
use super::tasks::{self, Job};
use super::views;
use crate::campaign::{INBOX_DIR, PROGRAM_FILE};
use crate::lock::RunLock;
use crate::program::{ProgramReading, read_program};
use axum::extract::multipart::MultipartRejection;
use axum::extract::rejection::FormRejection;
use axum::extract::{Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Form, Json};
use maud::Markup;
use std::sync::Arc;

type AppRef = State<Arc<AppState>>;

/// A page of the open campaign, with the steps and the message left for it.
fn render(state: &AppState, current: &str, title: &str, progress: Option<pages::Progress>, body: Markup) -> Response {
    layout(title, &state.token, current, progress.as_ref(), state.take_flash(), body).into_response()
}

/// The open campaign and its definition as read now (`None`: go to the start page).
fn open(state: &AppState) -> Option<(Campaign, ProgramReading)> {
    let campaign = state.campaign()?;
    let reading = read_program(&campaign.path(PROGRAM_FILE));
    Some((campaign, reading))
}

/// A page that needs a definition without errors; otherwise the way to fix it.
fn campaign_page(
    state: &AppState,
    current: &str,
    title: &str,
    body: impl FnOnce(&Campaign, &crate::program::Program) -> Markup,
) -> Response {
    let Some((campaign, reading)) = open(state) else { return Redirect::to("/start").into_response() };
    let progress = views::progress(&campaign, &reading);
    let body = match &reading.program {
        Some(program) => body(&campaign, program),
        None => maud::html! {
            h2 { (title) }
            p.blad-tekst { "Definicja programu ma błędy. Popraw je na stronie " a href="/definicja" { "Definicja" } "." }
        },
    };
    render(state, current, title, Some(progress), body)
}

/// The answer to an action: where the page goes next (the script navigates there; a
/// message left with [`AppState::say`] shows on it).
fn next(page: &str) -> Response {
    Json(serde_json::json!({ "dalej": page })).into_response()
}

/// A refused action: 409 with the Polish reason, also left for the page it stays on.
fn refused(state: &AppState, message: String) -> Response {
    state.say(true, message.clone());
    (StatusCode::CONFLICT, Json(serde_json::json!({ "komunikat": message }))).into_response()
}

/// `/`: the campaign, or the start page when none is open.
pub async fn home(State(state): AppRef) -> Redirect {
    Redirect::to(if state.campaign().is_some() { "/definicja" } else { "/start" })
}

/// `/start`: make or open a campaign.
pub async fn start_page(State(state): AppRef) -> Response {
    render(&state, "/start", "Start", None, views::start(&state.start))
}

/// `/definicja`.
pub async fn definition_page(State(state): AppRef) -> Response {
    let Some((campaign, reading)) = open(&state) else { return Redirect::to("/start").into_response() };
    let progress = views::progress(&campaign, &reading);
    render(&state, "/definicja", "Definicja", Some(progress), views::definition(&reading))
}

/// `/formularze`.
pub async fn templates_page(State(state): AppRef) -> Response {
    campaign_page(&state, "/formularze", "Formularze", |campaign, program| {
        let running = views::task_state(lock(&state.task).as_ref(), &[Job::Templates, Job::Invitations], campaign);
        maud::html! { (running) (views::templates(campaign, program)) }
    })
}

/// `/odpowiedzi`.
pub async fn inbox_page(State(state): AppRef) -> Response {
    campaign_page(&state, "/odpowiedzi", "Odpowiedzi", |campaign, _| views::inbox(campaign))
}

/// `/zbieranie`, with the findings filtered by the query.
pub async fn collect_page(State(state): AppRef, Query(filters): Query<views::Filters>) -> Response {
    campaign_page(&state, "/zbieranie", "Zbieranie", |campaign, program| {
        let running = views::task_state(lock(&state.task).as_ref(), &[Job::Collect, Job::Reminders], campaign);
        maud::html! { (running) (views::collect(campaign, program, &filters)) }
    })
}

/// `/zestawienie`.
pub async fn report_page(State(state): AppRef) -> Response {
    campaign_page(&state, "/zestawienie", "Zestawienie", |campaign, _| {
        let running = views::task_state(lock(&state.task).as_ref(), &[Job::Report], campaign);
        let report = lock(&state.report);
        let here = report.as_ref().filter(|(of, _)| of == campaign).map(|(_, done)| done);
        maud::html! { (running) (views::report(campaign, here)) }
    })
}

/// `POST /zadanie/{job}`: starts a job in the background (refused while one runs).
pub async fn start_job(State(state): AppRef, Path(name): Path<String>) -> Response {
    let Some(job) = Job::named(&name) else {
        return (StatusCode::NOT_FOUND, message_page("Nie ma takiej strony", &name)).into_response();
    };
    let Some(campaign) = state.campaign() else { return next("/start") };
    match tasks::start(&state, campaign, job) {
        Ok(()) => next(job.page()),
        Err(busy) => refused(&state, busy),
    }
}

/// `GET /api/zadanie`: the last job's state, for the page script.
pub async fn job_status(State(state): AppRef) -> Json<serde_json::Value> {
    let task = lock(&state.task);
    Json(match task.as_ref() {
        None => serde_json::json!({ "trwa": false }),
        Some(task) => serde_json::json!({
            "trwa": task.outcome.is_none(),
            "polecenie": task.job.command(),
            "zrobione": task.progress.0.load(std::sync::atomic::Ordering::Relaxed),
            "wszystkie": task.progress.1.load(std::sync::atomic::Ordering::Relaxed),
            "wynik": task.outcome.as_ref().map(|o| o.clone().unwrap_or_else(|e| e)),
            "blad": task.outcome.as_ref().is_some_and(Result::is_err),
        }),
    })
}

/// What a multipart request brought: each file of the field asked for (name given, bytes),
/// the text of the other fields, and the files refused for their size (Polish reasons).
#[derive(Default)]
struct Parts {
    files: Vec<(String, Vec<u8>)>,
    fields: Vec<(String, String)>,
    too_large: Vec<String>,
}

/// Reads a multipart request chunk by chunk: a file over collect's size limit is dropped as
/// soon as it passes it, never held whole.
async fn parts(multipart: Result<Multipart, MultipartRejection>, field: &str) -> Result<Parts, String> {
    fn broken<E>(_: E) -> String {
        "przesyłanie zostało przerwane albo jest niepełne; spróbuj ponownie".to_string()
    }
    let mut multipart = multipart.map_err(broken)?;
    let limit = crate::workbook::Limits::default().max_file_bytes as usize;
    let mut parts = Parts::default();
    while let Some(mut part) = multipart.next_field().await.map_err(broken)? {
        let name = part.name().unwrap_or_default().to_string();
        let Some(given) = part.file_name().map(str::to_string).filter(|_| name == field) else {
            parts.fields.push((name, part.text().await.map_err(broken)?));
            continue;
        };
        let (mut bytes, mut over) = (Vec::new(), false);
        while let Some(chunk) = part.chunk().await.map_err(broken)? {
            over |= bytes.len() + chunk.len() > limit;
            if !over {
                bytes.extend_from_slice(&chunk);
            }
        }
        if over {
            let limit = crate::workbook::human_bytes(limit as u64);
            parts.too_large.push(format!("{given}: plik większy niż {limit}; pominięto go"));
        } else if !given.is_empty() || !bytes.is_empty() {
            parts.files.push((given, bytes));
        }
    }
    Ok(parts)
}

/// `POST /odpowiedzi`: saves returned files into the inbox, each under its own safe name.
pub async fn upload_returns(State(state): AppRef, multipart: Result<Multipart, MultipartRejection>) -> Response {
    let Some(campaign) = state.campaign() else { return next("/start") };
    let parts = match parts(multipart, "pliki").await {
        Ok(parts) => parts,
        Err(why) => return refused(&state, why),
    };
    let saving = tokio::task::spawn_blocking(move || save_returns(&campaign, parts)).await;
    match saving {
        Ok(Ok((error, message))) => state.say(error, message),
        Ok(Err(busy)) => return refused(&state, busy),
        Err(_) => return refused(&state, "zapisywanie przerwał błąd programu gpwr; zgłoś go".into()),
    }
    next("/odpowiedzi")
}

/// Saves the returns of `parts` under the campaign's lock; whether any file failed and what
/// to say, or the lock's refusal.
fn save_returns(campaign: &Campaign, parts: Parts) -> Result<(bool, String), String> {
    let _lock = RunLock::acquire("upload", &[&campaign.path(INBOX_DIR)], &[]).map_err(|busy| busy.to_string())?;
    let (mut saved, mut problems) = (Vec::new(), parts.too_large);
    for (given, bytes) in parts.files {
        match files::save_return(campaign, &given, &bytes) {
            Ok(name) => saved.push(name),
            Err(e) => problems.push(format!("{given}: {}", crate::error_text::io(&e))),
        }
    }
    let mut lines = match saved.len() {
        0 => vec!["Nie zapisano żadnego pliku.".to_string()],
        n => vec![format!("Zapisano {}: {}.", crate::polish::count(n, "plik", "pliki", "plików"), saved.join(", "))],
    };
    lines.extend(problems.iter().cloned());
    Ok((!problems.is_empty() || saved.is_empty(), lines.join("\n")))
}

/// `POST /definicja`: the edited definition replaces the current one, which is kept in
/// `archiwum/` with the date and time.
pub async fn upload_definition(State(state): AppRef, multipart: Result<Multipart, MultipartRejection>) -> Response {
    let Some(campaign) = state.campaign() else { return next("/start") };
    let parts = match parts(multipart, "plik").await {
        Ok(parts) => parts,
        Err(why) => return refused(&state, why),
    };
    if let Some(too_large) = parts.too_large.first() {
        return refused(&state, too_large.clone());
    }
    let uploaded = parts.files;
    let Some((_, bytes)) = uploaded.into_iter().next() else { return refused(&state, "Nie wybrano pliku.".into()) };
    if !matches!(crate::workbook::detect_format(&bytes), Ok(crate::workbook::Format::Xlsx)) {
        return refused(&state, "To nie jest plik Excel (.xlsx); definicji nie zmieniono.".into());
    }
    let program = campaign.path(PROGRAM_FILE);
    let _lock = match RunLock::acquire("upload", &[&program], &[]) {
        Ok(lock) => lock,
        Err(busy) => return refused(&state, busy.to_string()),
    };
    let archive = campaign.path("archiwum");
    let dated = format!("program_{}.xlsx", chrono::Local::now().format("%Y-%m-%d_%H%M%S"));
    let kept = archive.join(crate::file_name::unique_name(&dated, |name| archive.join(name).exists()));
    let saved = std::fs::create_dir_all(&archive)
        .and_then(|_| std::fs::copy(&program, &kept))
        .and_then(|_| crate::output::write_atomically(&program, &bytes));
    match saved {
        Ok(()) => state.say(false, format!("Wczytano nową definicję. Poprzednia: {}", kept.display())),
        Err(e) => state.say(true, format!("Nie zapisano definicji: {}", crate::error_text::io(&e))),
    }
    next("/definicja")
}

/// `POST /kampania/nowa`: a campaign folder in the start folder, from the sample or from
/// last year's definition moved on by a year.
pub async fn new_campaign(State(state): AppRef, multipart: Result<Multipart, MultipartRejection>) -> Response {
    let Parts { files: uploaded, fields, .. } = match parts(multipart, "plik").await {
        Ok(parts) => parts,
        Err(why) => return refused(&state, why),
    };
    let field =
        |name: &str| fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let folder = state.start.join(crate::file_name::uploaded_name(&field("nazwa")));
    let made = if field("zrodlo") == "poprzednia" {
        let Some((_, bytes)) = uploaded.into_iter().next() else {
            return refused(&state, "Wybierz zeszłoroczny plik program.xlsx.".into());
        };
        crate::program::next_year::moved_on(&bytes)
            .map_err(anyhow::Error::from)
            .and_then(|bytes| crate::jobs::init::init_with(&folder, &bytes))
    } else {
        crate::jobs::init::init(&folder)
    };
    match made {
        Ok(_) => {
            let made = format!("Utworzono kampanię w folderze {}. Uzupełnij definicję programu.", folder.display());
            match Campaign::at(&folder).map(|campaign| state.switch_to(campaign)) {
                Some(Err(busy)) => state.say(true, format!("{made} {busy}")),
                _ => state.say(false, made),
            }
            next("/definicja")
        }
        Err(e) => {
            state.say(true, format!("Nie utworzono kampanii: {}", crate::error_text::describe(e.as_ref())));
            next("/start")
        }
    }
}

/// The `Otwórz` form.
#[derive(Debug, serde::Deserialize)]
pub struct OpenForm {
    /// The campaign folder, absolute or relative to the start folder.
    sciezka: String,
}

/// `POST /kampania/otworz`: opens another campaign folder.
pub async fn open_campaign(State(state): AppRef, form: Result<Form<OpenForm>, FormRejection>) -> Response {
    let Ok(Form(form)) = form else { return refused(&state, "Podaj folder kampanii.".into()) };
    let folder = state.start.join(form.sciezka.trim());
    match Campaign::at(&folder) {
        Some(campaign) => match state.switch_to(campaign) {
            Ok(()) => next("/definicja"),
            Err(busy) => refused(&state, busy),
        },
        None => {
            state.say(
                true,
                format!("W folderze {} nie ma pliku {PROGRAM_FILE}: to nie jest folder kampanii.", folder.display()),
            );
            next("/start")
        }
    }
}

/// A file to download, named for the browser (Polish letters kept).
fn attachment(name: &str, bytes: Vec<u8>) -> Response {
    let ascii: String =
        name.chars().map(|c| if c.is_ascii_alphanumeric() || ".-_ ()".contains(c) { c } else { '_' }).collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b".-_".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}");
    ([(header::CONTENT_TYPE, files::content_type(name).to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes)
        .into_response()
}

/// `GET /pobierz/{area}/{name}`: one listed file of the campaign.
pub async fn download(State(state): AppRef, Path((area, name)): Path<(String, String)>) -> Response {
    let found = state.campaign().and_then(|campaign| files::read(&campaign, &area, &name));
    match found {
        Some(bytes) => attachment(&name, bytes),
        None => not_found().await,
    }
}

/// `GET /pobierz/{area}.zip`: every file of an area in one zip.
pub async fn download_all(State(state): AppRef, Path(zip): Path<String>) -> Response {
    let area = zip.strip_suffix(".zip").filter(|area| files::is_area(area)).map(str::to_string);
    let (Some(area), Some(campaign)) = (area, state.campaign()) else { return not_found().await };
    match tokio::task::spawn_blocking(move || files::zipped(&campaign, &area)).await {
        Ok(Ok(bytes)) => attachment(&zip, bytes),
        Ok(Err(e)) => {
            let why = crate::error_text::io(&e);
            (StatusCode::INTERNAL_SERVER_ERROR, message_page("Nie utworzono archiwum", &why)).into_response()
        }
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

/// Any other address: a Polish 404.
pub async fn not_found() -> Response {
    (StatusCode::NOT_FOUND, message_page("Nie ma takiej strony", "Wróć do strony głównej gpwr: /")).into_response()
}

/// `GET /zasoby/{asset}`: the page's style and script, built into the binary.
pub async fn asset(Path(name): Path<String>) -> Response {
    match name.as_str() {
        "gpwr.css" => {
            ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], include_str!("assets/gpwr.css")).into_response()
        }
        "gpwr.js" => {
            ([(header::CONTENT_TYPE, "text/javascript; charset=utf-8")], include_str!("assets/gpwr.js")).into_response()
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}
