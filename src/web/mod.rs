//! The local web page: the whole yearly cycle in the coordinator's own browser, served by
//! gpwr on this computer only. Like the command line, it is a thin face over
//! [`crate::jobs`]: each handler turns a request into one library call and its result
//! into a page.
//!
//! Safe by construction ([`security`]): it listens on the loopback address only, every
//! request carries an unguessable token that is part of the address it printed (checked in
//! constant time), requests for another `Host` are refused (DNS rebinding), state-changing
//! requests need the token in a header (CSRF), and file names never leave the campaign
//! folder ([`files`]). Every asset is built into the binary: it works with no internet.

mod files;
mod handlers;
mod pages;
mod security;
mod state;
mod tasks;
mod views;

use anyhow::{Context, Result};
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;

pub use state::Campaign;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The folder started in: a campaign, or where new campaigns are made.
    pub folder: PathBuf,
    /// The port on 127.0.0.1; 0 for any free one.
    pub port: u16,
    /// The `gpwr` binary, which reads xls and ods files in processes of their own.
    pub reader: PathBuf,
    /// Whether to open the address in the default browser once listening.
    pub open_browser: bool,
}

/// Largest request body: a few returned workbooks at once (each within collect's limit).
const MAX_BODY_BYTES: usize = 256 * 1024 * 1024;

/// Serves until the process ends. Once the server listens, `ready` gets the address (with
/// its token) and whether the browser was opened on it (asked for and possible).
pub fn serve(options: ServeOptions, ready: impl FnOnce(&str, bool)) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .context("nie można uruchomić serwera")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, options.port)))
            .await
            .with_context(|| format!("nie można nasłuchiwać na porcie {} (zajęty?)", options.port))?;
        let port = listener.local_addr().context("nie można ustalić portu serwera")?.port();
        let state = Arc::new(state::AppState::new(&options, port)?);
        let address = format!("http://127.0.0.1:{port}/?t={}", state.token);
        let app = router(state);
        let opened = options.open_browser && open::that_detached(&address).is_ok();
        ready(&address, opened);
        axum::serve(listener, app).await.context("serwer przerwał pracę")
    })
}

/// Every page and action, behind the security checks.
fn router(state: Arc<state::AppState>) -> Router {
    use handlers::*;
    Router::new()
        .route("/", get(home))
        .route("/start", get(start_page))
        .route("/kampania/nowa", post(new_campaign))
        .route("/kampania/otworz", post(open_campaign))
        .route("/definicja", get(definition_page).post(upload_definition))
        .route("/formularze", get(templates_page))
        .route("/odpowiedzi", get(inbox_page).post(upload_returns))
        .route("/zbieranie", get(collect_page))
        .route("/zestawienie", get(report_page))
        .route("/zadanie/{job}", post(start_job))
        .route("/api/zadanie", get(job_status))
        .route("/pobierz/{area}", get(download_all))
        .route("/pobierz/{area}/{name}", get(download))
        .route("/zasoby/{asset}", get(asset))
        .fallback(not_found)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::guard))
        .layer(DefaultBodyLimit::max(MAX_BODY_BYTES))
        .with_state(state)
}
