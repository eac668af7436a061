//! The checks every request passes before any handler runs: the `Host` is this server's
//! loopback address (a page elsewhere cannot reach it by DNS rebinding), and the request
//! carries the token of the address gpwr printed: in the address itself on the first
//! visit (then kept in a same-site cookie), in the cookie for pages and downloads, and in
//! the `X-Gpwr-Token` header for anything that changes something (a cookie alone is what a
//! forged cross-site request would carry). Tokens are compared in constant time.

use super::state::AppState;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

/// The cookie that keeps the token after the first visit, per port: browsers share cookies
/// across the ports of a host, and two gpwr servers may run at once.
fn cookie_name(state: &AppState) -> String {
    format!("gpwr_klucz_{}", state.port)
}
/// The header that carries the token on state-changing requests.
pub const TOKEN_HEADER: &str = "x-gpwr-token";

/// Lets a request through only with the right `Host` and token (see the module doc).
pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let mut hosts = request.headers().get_all(header::HOST).iter();
    let host = hosts.next().and_then(|h| h.to_str().ok()).unwrap_or_default();
    let authority_elsewhere = request.uri().authority().is_some_and(|a| a.as_str() != host);
    if hosts.next().is_some() || authority_elsewhere || !state.allowed_hosts.iter().any(|allowed| allowed == host) {
        return refuse("Ten adres nie należy do gpwr na tym komputerze.");
    }
    if let Some(token) = query_token(request.uri().query()) {
        if !same(&token, &state.token) {
            return refuse("Klucz w adresie jest nieprawidłowy. Otwórz adres wypisany w oknie gpwr.");
        }
        // First visit: keep the token in a cookie and drop it from the address bar (a path
        // like `//elsewhere` would leave this server: then the start page).
        let cookie = format!("{}={}; Path=/; HttpOnly; SameSite=Strict", cookie_name(&state), state.token);
        let path = request.uri().path();
        let path = if path.starts_with("//") || path.starts_with("/\\") { "/" } else { path };
        let mut response = Redirect::to(path).into_response();
        if let Ok(value) = cookie.parse() {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        return response;
    }
    let headers = request.headers();
    let by_header = header_token(headers).is_some_and(|t| same(&t, &state.token));
    let by_cookie = cookie_token(headers, &cookie_name(&state)).is_some_and(|t| same(&t, &state.token));
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    if by_header || (reading && by_cookie) {
        let mut response = next.run(request).await;
        protect(response.headers_mut());
        return response;
    }
    refuse("Brak dostępu: otwórz adres wypisany w oknie gpwr (z kluczem „?t=…”).")
}

/// Headers every answer carries: no framing by another page, no caching (pages hold the
/// token), no guessing of content types.
fn protect(headers: &mut HeaderMap) {
    for (name, value) in [
        ("x-frame-options", "DENY"),
        ("content-security-policy", "frame-ancestors 'none'"),
        ("cache-control", "no-store"),
        ("x-content-type-options", "nosniff"),
    ] {
        if let Ok(value) = value.parse() {
            headers.insert(name, value);
        }
    }
}

/// 403 with a Polish page.
fn refuse(why: &str) -> Response {
    (StatusCode::FORBIDDEN, super::pages::message_page("Brak dostępu", why)).into_response()
}

/// Equal, in time that does not depend on where they differ.
fn same(given: &str, expected: &str) -> bool {
    constant_time_eq::constant_time_eq(given.as_bytes(), expected.as_bytes())
}

/// `t=…` in the query string.
fn query_token(query: Option<&str>) -> Option<String> {
    query?.split('&').find_map(|pair| pair.strip_prefix("t=")).map(str::to_string)
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    headers.get(TOKEN_HEADER)?.to_str().ok().map(str::to_string)
}

fn cookie_token(headers: &HeaderMap, cookie: &str) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == cookie).then(|| value.to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_found_where_they_may_be() {
        assert_eq!(query_token(Some("a=1&t=abc")), Some("abc".into()));
        assert_eq!(query_token(Some("tt=abc")), None);
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, "x=1; gpwr_klucz_8080=abc; y=2".parse().unwrap());
        assert_eq!(cookie_token(&headers, "gpwr_klucz_8080"), Some("abc".into()));
        assert_eq!(cookie_token(&headers, "gpwr_klucz_9090"), None);
        assert!(same("abc", "abc") && !same("abd", "abc") && !same("ab", "abc"));
    }
}
