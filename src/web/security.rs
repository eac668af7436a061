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

/// The cookie that keeps the token after the first visit.
const COOKIE: &str = "gpwr_klucz";
/// The header that carries the token on state-changing requests.
pub const TOKEN_HEADER: &str = "x-gpwr-token";

/// Lets a request through only with the right `Host` and token (see the module doc).
pub async fn guard(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let host = request.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or_default();
    if !state.allowed_hosts.iter().any(|allowed| allowed == host) {
        return refuse("Ten adres nie należy do gpwr na tym komputerze.");
    }
    if let Some(token) = query_token(request.uri().query()) {
        if !same(&token, &state.token) {
            return refuse("Klucz w adresie jest nieprawidłowy. Otwórz adres wypisany w oknie gpwr.");
        }
        // First visit: keep the token in a cookie and drop it from the address bar.
        let cookie = format!("{COOKIE}={}; Path=/; HttpOnly; SameSite=Strict", state.token);
        let mut response = Redirect::to(request.uri().path()).into_response();
        if let Ok(value) = cookie.parse() {
            response.headers_mut().insert(header::SET_COOKIE, value);
        }
        return response;
    }
    let headers = request.headers();
    let by_header = header_token(headers).is_some_and(|t| same(&t, &state.token));
    let by_cookie = cookie_token(headers).is_some_and(|t| same(&t, &state.token));
    let reading = matches!(*request.method(), Method::GET | Method::HEAD);
    if by_header || (reading && by_cookie) {
        return next.run(request).await;
    }
    refuse("Brak dostępu: otwórz adres wypisany w oknie gpwr (z kluczem „?t=…”).")
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

fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).flat_map(|v| v.split(';')).find_map(|c| {
        let (name, value) = c.trim().split_once('=')?;
        (name == COOKIE).then(|| value.to_string())
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
        headers.insert(header::COOKIE, "x=1; gpwr_klucz=abc; y=2".parse().unwrap());
        assert_eq!(cookie_token(&headers), Some("abc".into()));
        assert!(same("abc", "abc") && !same("abd", "abc") && !same("ab", "abc"));
    }
}
