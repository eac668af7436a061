//! The local web page over HTTP: the token and `Host` checks, uploads that cannot leave the
//! inbox, one job at a time, a killed server that blocks nothing, and `gpwr` with no
//! arguments serving the campaign or offering to make one.

use crate::common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// A `gpwr` server started for a test, stopped (killed) when dropped.
pub struct Server {
    child: Child,
    /// Kept open: the server may still write to it.
    _output: BufReader<std::process::ChildStdout>,
    /// `127.0.0.1:PORT`.
    pub host: String,
    /// The address's token.
    pub token: String,
    /// The whole address it printed.
    pub address: String,
}

impl Server {
    /// Starts `gpwr ARGS` in `cwd` and waits for the address it prints.
    pub fn start(cwd: &Path, args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_gpwr"))
            .args(args)
            .current_dir(cwd)
            .env("GPWR_BEZ_PRZEGLADARKI", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start gpwr");
        let mut output = BufReader::new(child.stdout.take().unwrap());
        let mut first = String::new();
        output.read_line(&mut first).unwrap();
        let address =
            first.trim().strip_prefix("gpwr działa pod adresem: ").unwrap_or_else(|| panic!("{first}")).to_string();
        let rest = address.strip_prefix("http://").unwrap();
        let (host, token) = rest.split_once("/?t=").unwrap();
        Server { child, _output: output, host: host.to_string(), token: token.to_string(), address }
    }

    /// Sends one request with `headers` (a `Host` of this server unless given) and `body`.
    pub fn request(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Response {
        let mut stream = TcpStream::connect(&self.host).unwrap();
        let mut head = format!("{method} {path} HTTP/1.1\r\nConnection: close\r\nContent-Length: {}\r\n", body.len());
        if !headers.iter().any(|(name, _)| name.eq_ignore_ascii_case("host")) {
            head.push_str(&format!("Host: {}\r\n", self.host));
        }
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(body).unwrap();
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).unwrap_or_else(|e| panic!("{method} {path} {headers:?}: {e}"));
        Response::parse(&raw)
    }

    /// The cookie the first visit sets.
    pub fn cookie(&self) -> String {
        format!("gpwr_klucz_{}={}", self.host.rsplit(':').next().unwrap(), self.token)
    }

    /// A page, as the browser gets it after the first visit.
    pub fn get(&self, path: &str) -> Response {
        self.request("GET", path, &[("Cookie", &self.cookie())], b"")
    }

    /// A state-changing request as the page script sends it.
    pub fn post(&self, path: &str, content_type: &str, body: &[u8]) -> Response {
        let headers = [
            ("Cookie", self.cookie()),
            ("X-Gpwr-Token", self.token.clone()),
            ("Content-Type", content_type.to_string()),
        ];
        let headers: Vec<(&str, &str)> = headers.iter().map(|(n, v)| (*n, v.as_str())).collect();
        self.request("POST", path, &headers, body)
    }

    /// Kills the server at once (SIGKILL).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

/// An HTTP answer.
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Response {
    fn parse(raw: &[u8]) -> Response {
        let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a whole answer");
        let head = String::from_utf8_lossy(&raw[..split]);
        let mut lines = head.lines();
        let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
        let headers =
            lines.filter_map(|l| l.split_once(": ").map(|(n, v)| (n.to_ascii_lowercase(), v.to_string()))).collect();
        Response { status, headers, body: String::from_utf8_lossy(&raw[split + 4..]).into_owned() }
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }
}

/// A multipart body with one file field `field` named `file_name`.
fn multipart(field: &str, file_name: &str, bytes: &[u8]) -> (String, Vec<u8>) {
    let boundary = "gpwrgranica";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

/// A campaign made by `demo` (collected and reported) in a temp dir.
fn demo_campaign() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["demo", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    (tmp, campaign)
}

#[test]
fn without_the_token_or_from_another_host_nothing_is_served() {
    let (_tmp, campaign) = demo_campaign();
    let server = Server::start(&campaign, &["serwer", "."]);
    assert_eq!(server.request("GET", "/definicja", &[], b"").status, 403, "no token");
    let wrong = server.request("GET", "/?t=0000", &[], b"");
    assert_eq!(wrong.status, 403, "a wrong token");
    assert!(wrong.body.contains("Klucz w adresie jest nieprawidłowy"), "{}", wrong.body);
    let port = server.host.rsplit(':').next().unwrap();
    assert_eq!(server.request("GET", "/definicja", &[("Cookie", &format!("gpwr_klucz_{port}=0000"))], b"").status, 403);
    let evil = server.request("GET", "/definicja", &[("Host", "evil.example"), ("Cookie", &server.cookie())], b"");
    assert_eq!(evil.status, 403, "DNS rebinding");
    // A change with the cookie alone is what a forged cross-site request carries.
    let forged = server.request("POST", "/zadanie/zbieranie", &[("Cookie", &server.cookie())], b"");
    assert_eq!(forged.status, 403);
    let first = server.request("GET", &format!("/?t={}", server.token), &[], b"");
    assert_eq!(first.status, 303);
    assert!(first.header("set-cookie").is_some_and(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));
    let page = server.get("/definicja");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Gminny Program Wspierania Rodziny na lata 2024-2027"), "{}", page.body);
    assert!(page.body.contains("<span class=\"stan zrobione\">11 z 17 instytucji</span>"), "{}", page.body);
}

#[test]
fn an_upload_named_to_leave_the_inbox_lands_inside_it_under_a_new_name() {
    let (_tmp, campaign) = demo_campaign();
    let server = Server::start(&campaign, &["serwer", "."]);
    let um = std::fs::read(repo().join("samples/inbox/UM.xlsx")).unwrap();
    for _ in 0..2 {
        let (content_type, body) = multipart("pliki", "../../x.xlsx", &um);
        assert_eq!(server.post("/odpowiedzi", &content_type, &body).status, 200);
    }
    let (content_type, body) = multipart("pliki", "C:\\dokumenty\\CON.xlsx", b"tekst");
    assert_eq!(server.post("/odpowiedzi", &content_type, &body).status, 200);
    let inbox = campaign.join("inbox");
    assert_eq!(std::fs::read(inbox.join("x.xlsx")).unwrap(), um, "saved as sent");
    assert_eq!(std::fs::read(inbox.join("x (2).xlsx")).unwrap(), um, "the second never replaces the first");
    assert!(inbox.join("_CON.xlsx").is_file(), "a Windows device name is not a file name");
    for outside in [campaign.parent().unwrap().join("x.xlsx"), campaign.join("x.xlsx")] {
        assert!(!outside.exists(), "{} was written", outside.display());
    }
    let page = server.get("/odpowiedzi");
    assert!(page.body.contains("Zapisano 1 plik: _CON.xlsx"), "{}", page.body);
    assert!(page.body.contains("x (2).xlsx"), "{}", page.body);
}

/// The campaign's last job as the page script sees it, once it has ended.
fn finished_job(server: &Server) -> serde_json::Value {
    for _ in 0..600 {
        let state: serde_json::Value = serde_json::from_str(&server.get("/api/zadanie").body).unwrap();
        if state["trwa"] == false {
            return state;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    panic!("the job did not end within a minute");
}

/// A campaign whose inbox holds the sample returns and 150 more copies of SP6's (a collect
/// long enough to be caught running).
fn busy_campaign() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = temp_dir();
    gpwr(tmp.path(), &["init", "k"]).expect_code(0);
    let campaign = tmp.path().join("k");
    copy_tree(&repo().join("samples/inbox"), &campaign.join("inbox"));
    for n in 0..150 {
        std::fs::copy(repo().join("samples/inbox/sp6.xlsx"), campaign.join(format!("inbox/kopia_{n}.xlsx"))).unwrap();
    }
    (tmp, campaign)
}

#[test]
fn one_job_at_a_time_whether_the_other_runs_here_or_in_a_terminal() {
    let (_tmp, campaign) = busy_campaign();
    let server = Server::start(&campaign, &["serwer", "."]);
    let form = "application/x-www-form-urlencoded";
    assert_eq!(server.post("/zadanie/zbieranie", form, b"").status, 200);
    let second = server.post("/zadanie/zbieranie", form, b"");
    assert_eq!(second.status, 409, "{}", second.body);
    assert!(second.body.contains("Trwa już zbieranie danych (gpwr collect, proces "), "{}", second.body);
    let first = finished_job(&server);
    assert_eq!(first["blad"], false, "{first}");
    assert!(first["wynik"].as_str().unwrap().starts_with("Odczytano 11 z 17 instytucji (169 plików)"), "{first}");
    let collected = hash_tree(&campaign.join("collected"));

    // A collect in a terminal holds the lock: the page's collect is refused by it.
    let held = gpwr::lock::RunLock::acquire("collect", &[&campaign.join("collected")], &[]).unwrap();
    assert_eq!(server.post("/zadanie/zbieranie", form, b"").status, 200);
    let refused = finished_job(&server);
    assert_eq!(refused["blad"], true, "{refused}");
    assert!(
        refused["wynik"].as_str().unwrap().contains("Trwa już zbieranie danych (gpwr collect, proces "),
        "{refused}"
    );
    drop(held);
    assert_eq!(hash_tree(&campaign.join("collected")), collected, "nothing changed");
    let page = server.get("/zbieranie");
    assert!(page.body.contains("Trwa już zbieranie danych"), "the page says it too");
}

#[test]
fn a_server_killed_while_collecting_leaves_no_lock_behind() {
    let (_tmp, campaign) = busy_campaign();
    let mut server = Server::start(&campaign, &["serwer", "."]);
    assert_eq!(server.post("/zadanie/zbieranie", "application/x-www-form-urlencoded", b"").status, 200);
    std::thread::sleep(std::time::Duration::from_millis(300));
    let state: serde_json::Value = serde_json::from_str(&server.get("/api/zadanie").body).unwrap();
    assert_eq!(state["trwa"], true, "killed while collecting: {state}");
    server.kill();
    gpwr(&campaign, &["collect"]).expect_code(1);
    let again = Server::start(&campaign, &["serwer", "."]);
    assert_eq!(again.post("/zadanie/zbieranie", "application/x-www-form-urlencoded", b"").status, 200);
    assert_eq!(finished_job(&again)["blad"], false);
}

#[test]
fn gpwr_with_no_arguments_serves_the_campaign_or_offers_to_make_one() {
    let (_tmp, campaign) = demo_campaign();
    let server = Server::start(&campaign, &[]);
    let home = server.get("/");
    assert_eq!((home.status, home.header("location")), (303, Some("/definicja")));
    assert!(server.get("/definicja").body.contains("Gmina Miejska Mielec"));

    let empty = temp_dir();
    let server = Server::start(empty.path(), &[]);
    assert_eq!(server.get("/").header("location"), Some("/start"));
    let start = server.get("/start");
    assert!(
        start.body.contains("W tym folderze nie ma kampanii") && start.body.contains("Utwórz kampanię"),
        "{}",
        start.body
    );
    let boundary = "gpwrgranica";
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"nazwa\"\r\n\r\nkampania-2026\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"zrodlo\"\r\n\r\nprzyklad\r\n--{boundary}--\r\n"
    );
    let made = server.post("/kampania/nowa", &format!("multipart/form-data; boundary={boundary}"), body.as_bytes());
    assert_eq!((made.status, made.body.as_str()), (200, r#"{"dalej":"/definicja"}"#));
    assert!(empty.path().join("kampania-2026/program.xlsx").is_file());
    assert!(server.get("/definicja").body.contains("Utworzono kampanię w folderze"));
}

#[test]
fn downloads_are_only_of_listed_files_and_come_with_their_names() {
    let (_tmp, campaign) = demo_campaign();
    let server = Server::start(&campaign, &["serwer", "."]);
    let report = server.get("/pobierz/zestawienie/zestawienie.xlsx");
    assert_eq!(report.status, 200);
    assert!(report.header("content-disposition").is_some_and(|d| d.contains("filename=\"zestawienie.xlsx\"")));
    assert_eq!(report.header("cache-control"), Some("no-store"));
    assert_eq!(report.header("x-frame-options"), Some("DENY"));
    let eml = server.get("/pobierz/przypomnienia/GPWR_2025_SP11_przypomnienie.eml");
    assert_eq!(eml.status, 200);
    assert!(eml.body.contains("X-Unsent: 1"));
    for path in [
        "/pobierz/definicja/..%2Fkampania%2Fprogram.xlsx",
        "/pobierz/zestawienie/..%2F..%2Fprogram.xlsx",
        "/pobierz/zebrane/.gpwr-wyniki",
        "/pobierz/inbox/UM.xlsx",
        "/pobierz/nic.zip",
        "/nie-ma-takiej",
    ] {
        let response = server.get(path);
        assert_eq!(response.status, 404, "{path}");
        assert!(response.body.contains("Nie ma takiej strony"), "{path}: {}", response.body);
    }
    let zip = server.get("/pobierz/formularze.zip");
    assert_eq!(zip.status, 200);
    let without_host = server.request("GET", "/definicja", &[("Host", ""), ("Cookie", &server.cookie())], b"");
    assert_eq!(without_host.status, 403);
    let twice = server.request(
        "GET",
        "/definicja",
        &[("Host", &server.host), ("Host", "evil.example"), ("Cookie", &server.cookie())],
        b"",
    );
    assert_eq!(twice.status, 403);
    let away = server.request("GET", &format!("//evil.example/?t={}", server.token), &[], b"");
    assert_eq!(away.header("location"), Some("/"), "the first visit never leads away");
}

#[test]
fn another_campaign_shows_its_own_state_and_none_opens_while_a_job_runs() {
    let (tmp, campaign) = busy_campaign();
    gpwr(tmp.path(), &["init", "druga"]).expect_code(0);
    let server = Server::start(&campaign, &["serwer", "."]);
    let form = "application/x-www-form-urlencoded";
    assert_eq!(server.post("/zadanie/zbieranie", form, b"").status, 200);
    let open = format!("sciezka={}", tmp.path().join("druga").display());
    let refused = server.post("/kampania/otworz", form, open.as_bytes());
    assert_eq!(refused.status, 409, "{}", refused.body);
    assert!(refused.body.contains("Trwa zadanie w otwartej kampanii"), "{}", refused.body);
    finished_job(&server);
    assert_eq!(server.post("/zadanie/zestawienie", form, b"").status, 200);
    finished_job(&server);
    assert!(server.get("/zestawienie").body.contains("Niespełnione kontrole"));
    assert_eq!(server.post("/kampania/otworz", form, open.as_bytes()).body, r#"{"dalej":"/definicja"}"#);
    let other = server.get("/zestawienie").body;
    assert!(!other.contains("Niespełnione kontrole") && other.contains("Utwórz zestawienie, żeby zobaczyć"), "{other}");
    assert!(!server.get("/zbieranie").body.contains("Odczytano"), "the other campaign's job is not shown");
}
