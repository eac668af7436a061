//! The HTML of every page, in Polish: one layout with the steps of the year, and one body
//! per page built from what the handlers read. Numbers are written the Polish way
//! ([`crate::polish`]); nothing here computes a total or a rule.

use axum::response::Html;
use maud::{DOCTYPE, Markup, html};

/// The steps of the year, in order: (path, label).
pub const STEPS: [(&str, &str); 5] = [
    ("/definicja", "1. Definicja"),
    ("/formularze", "2. Formularze"),
    ("/odpowiedzi", "3. Odpowiedzi"),
    ("/zbieranie", "4. Zbieranie"),
    ("/zestawienie", "5. Zestawienie"),
];

/// Where the campaign stands, for the navigation bar: per step, a short state and whether
/// it is done.
#[derive(Debug, Clone, Default)]
pub struct Progress {
    /// The campaign's folder and programme name, for the header.
    pub campaign: String,
    /// One (state, done) per [`STEPS`] entry.
    pub steps: Vec<(String, bool)>,
}

/// A whole page: the header, the steps (when a campaign is open), a message left by the last
/// action, and `body`.
pub fn layout(
    title: &str,
    token: &str,
    current: &str,
    progress: Option<&Progress>,
    flash: Option<(bool, String)>,
    body: Markup,
) -> Html<String> {
    let page = html! {
        (DOCTYPE)
        html lang="pl" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta name="gpwr-token" content=(token);
                title { (title) " – gpwr" }
                link rel="stylesheet" href="/zasoby/gpwr.css";
            }
            body {
                header {
                    h1 { "gpwr – Gminny Program Wspierania Rodziny" }
                    @if let Some(p) = progress { div.kampania { (p.campaign) } }
                }
                @if let Some(p) = progress { (steps(current, p)) }
                main {
                    @if let Some((error, text)) = flash {
                        div.komunikat.blad[error] { (text) }
                    }
                    (body)
                }
                script src="/zasoby/gpwr.js" {}
            }
        }
    };
    Html(page.into_string())
}

/// The navigation bar: each step with its state, the current one marked.
fn steps(current: &str, progress: &Progress) -> Markup {
    html! {
        nav.kroki {
            @for ((path, label), (state, done)) in STEPS.iter().zip(&progress.steps) {
                a.biezacy[*path == current] href=(path) {
                    (label)
                    span.stan.zrobione[*done] { (state) }
                }
            }
        }
    }
}

/// A page with a title and one message (errors, refusals).
pub fn message_page(title: &str, text: &str) -> Html<String> {
    let page = html! {
        (DOCTYPE)
        html lang="pl" {
            head { meta charset="utf-8"; title { (title) " – gpwr" } }
            body { h1 { (title) } p { (text) } }
        }
    };
    Html(page.into_string())
}

/// A button that posts to `action` (the page script adds the key).
pub fn action_button(action: &str, label: &str, secondary: bool) -> Markup {
    html! {
        form.akcja method="post" action=(action) {
            button.drugorzedny[secondary] type="submit" { (label) }
        }
    }
}

/// A link that downloads.
pub fn download_link(href: &str, label: &str) -> Markup {
    html! { a.przycisk.drugorzedny href=(href) download { (label) } }
}

/// Figures in boxes: (value, description).
pub fn cards(items: &[(String, String)]) -> Markup {
    html! {
        div.karty {
            @for (value, description) in items {
                div.karta { div.wartosc { (value) } div.opis { (description) } }
            }
        }
    }
}

/// A table: headers (a `#` prefix right-aligns a column of numbers), rows of cells, and
/// each row's class (`blad`, `ostrzezenie` or empty).
pub fn table(headers: &[&str], rows: &[(Vec<Markup>, &str)]) -> Markup {
    let numeric: Vec<bool> = headers.iter().map(|h| h.starts_with('#')).collect();
    html! {
        table {
            thead { tr { @for h in headers { th.liczba[h.starts_with('#')] { (h.trim_start_matches('#')) } } } }
            tbody {
                @for (cells, class) in rows {
                    tr class=(class) {
                        @for (i, cell) in cells.iter().enumerate() {
                            td.liczba[numeric.get(i).copied().unwrap_or(false)] { (cell) }
                        }
                    }
                }
            }
        }
    }
}

/// Plain text as a table cell.
pub fn text(value: impl AsRef<str>) -> Markup {
    html! { (value.as_ref()) }
}

/// A progress bar the page script follows until the job ends.
pub fn running(what: &str, done: usize, total: usize) -> Markup {
    html! {
        div.komunikat {
            (what) " – trwa… "
            progress data-zadanie value=(done) max=(total.max(1)) {}
        }
    }
}

/// The drop zone and file picker of the inbox page.
pub fn upload_form() -> Markup {
    html! {
        div.upuszczanie {
            p { strong { "Przeciągnij tutaj załączniki odesłane przez instytucje" } }
            p.maly { "albo wybierz je z dysku. Pliki zapisuję pod ich nazwami; plik o tej samej nazwie dostaje numer, nic nie jest nadpisywane ani zmieniane." }
            form method="post" action="/odpowiedzi" enctype="multipart/form-data" {
                input type="file" name="pliki" multiple;
                " "
                button type="submit" { "Zapisz w skrzynce" }
            }
            p.maly.postep-wysylania {}
        }
    }
}
