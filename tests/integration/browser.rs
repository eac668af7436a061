//! The whole cycle in a real browser (headless Chromium driven through chromedriver): make a
//! campaign, generate the templates, upload every file of the sample inbox through the file
//! input, collect, report and download `zestawienie.xlsx`, which must hold the same cells as
//! the one `gpwr report` writes from the command line for the same inbox.

use crate::common::*;
use crate::web::Server;
use calamine::Reader;
use fantoccini::{Client, ClientBuilder, Locator};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// chromedriver on a free port, in a process group of its own: dropped, the group is
/// killed, the Chromium it started included (also when the test failed half-way).
struct Driver(Child, u16);

impl Drop for Driver {
    fn drop(&mut self) {
        if let Ok(group) = i32::try_from(self.0.id()) {
            // SAFETY: kill only sends a signal to the process group chromedriver leads.
            unsafe { libc::kill(-group, libc::SIGKILL) };
        }
        let _ = self.0.wait();
    }
}

/// Starts chromedriver, or says why the test cannot run here.
fn driver() -> Result<Driver, String> {
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    use std::os::unix::process::CommandExt;
    let child = Command::new("chromedriver")
        .arg(format!("--port={port}"))
        .process_group(0)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|_| "chromedriver not installed (apt-get install -y chromium chromium-driver)".to_string())?;
    let driver = Driver(child, port);
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(driver);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("chromedriver did not start".into())
}

/// A headless Chromium session downloading into `downloads`.
async fn browser(driver: &Driver, downloads: &Path) -> Result<Client, String> {
    let mut options = serde_json::json!({
        "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000"],
        "prefs": { "download.default_directory": downloads, "download.prompt_for_download": false },
    });
    if Path::new("/usr/bin/chromium").exists() {
        options["binary"] = "/usr/bin/chromium".into();
    }
    let mut capabilities = serde_json::Map::new();
    capabilities.insert("goog:chromeOptions".into(), options);
    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.1))
        .await
        .map_err(|e| format!("Chromium did not start under chromedriver: {e}"))
}

/// Clicks the button labelled `label` and waits for the element `then` to appear.
async fn click_and_wait(client: &Client, label: &str, then: &str) {
    let button = client.find(Locator::XPath(&format!("//button[normalize-space()='{label}']"))).await.unwrap();
    button.click().await.unwrap();
    if let Err(e) = client.wait().at_most(Duration::from_secs(120)).for_element(Locator::XPath(then)).await {
        let page = client.source().await.unwrap_or_default();
        let main = page.split("<main>").nth(1).unwrap_or(&page);
        panic!("after „{label}” no {then} ({e}); the page shows:\n{}", &main[..main.len().min(3000)]);
    }
}

/// Every file of the sample inbox (its subfolder too).
fn sample_inbox_files() -> Vec<PathBuf> {
    let inbox = repo().join("samples/inbox");
    hash_tree(&inbox).keys().map(|relative| inbox.join(relative)).collect()
}

/// The whole cycle through the page; the downloaded `zestawienie.xlsx`.
async fn cycle(client: &Client, server: &Server, downloads: &Path) -> PathBuf {
    let base = format!("http://{}", server.host);
    client.goto(&server.address).await.unwrap();
    client.find(Locator::Css("input[name=nazwa]")).await.unwrap().send_keys("-2026").await.unwrap();
    click_and_wait(client, "Utwórz kampanię", "//h2[.='Definicja programu']").await;
    client.goto(&format!("{base}/formularze")).await.unwrap();
    click_and_wait(client, "Utwórz formularze", "//span[.='17 formularzy']").await;
    client.goto(&format!("{base}/odpowiedzi")).await.unwrap();
    let paths: Vec<String> = sample_inbox_files().iter().map(|p| p.display().to_string()).collect();
    client.find(Locator::Css("input[name=pliki]")).await.unwrap().send_keys(&paths.join("\n")).await.unwrap();
    click_and_wait(
        client,
        "Zapisz w skrzynce",
        "//div[contains(@class,'komunikat') and starts-with(.,'Zapisano 21 plików')]",
    )
    .await;
    client.goto(&format!("{base}/zbieranie")).await.unwrap();
    click_and_wait(client, "Zbierz dane z odesłanych plików", "//h3[.='Kompletność']").await;
    client.goto(&format!("{base}/zestawienie")).await.unwrap();
    click_and_wait(client, "Utwórz zestawienie", "//h3[.='Niespełnione kontrole']").await;
    client.find(Locator::Css("a[href='/pobierz/zestawienie/zestawienie.xlsx']")).await.unwrap().click().await.unwrap();
    let downloaded = downloads.join("zestawienie.xlsx");
    for _ in 0..300 {
        if downloaded.is_file() && !downloads.join("zestawienie.xlsx.crdownload").exists() {
            return downloaded;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("zestawienie.xlsx was not downloaded into {}", downloads.display());
}

#[test]
fn the_whole_cycle_in_a_browser_gives_the_command_lines_report() {
    let driver = match driver() {
        Ok(driver) => driver,
        Err(why) => return skipped(&why),
    };
    let tmp = temp_dir();
    let downloads = tmp.path().join("pobrane");
    std::fs::create_dir(&downloads).unwrap();
    let server = Server::start(tmp.path(), &["serwer", "."]);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let downloaded = runtime.block_on(async {
        let client = match browser(&driver, &downloads).await {
            Ok(client) => client,
            Err(why) => return Err(why),
        };
        let downloaded = cycle(&client, &server, &downloads).await;
        let _ = client.close().await;
        Ok(downloaded)
    });
    let downloaded = match downloaded {
        Ok(path) => path,
        Err(why) => return skipped(&why),
    };

    // The command line, on the inbox the page filled.
    let campaign = tmp.path().join("kampania-2026");
    let program = campaign.join("program.xlsx");
    let (collected, report) = (tmp.path().join("cli_collected"), tmp.path().join("cli_report"));
    let arg = |p: &Path| p.display().to_string();
    gpwr(
        tmp.path(),
        &["collect", "--program", &arg(&program), "--inbox", &arg(&campaign.join("inbox")), "--out", &arg(&collected)],
    )
    .expect_code(1);
    gpwr(tmp.path(), &["report", "--program", &arg(&program), "--collected", &arg(&collected), "--out", &arg(&report)])
        .expect_code(1);
    let expected = report.join("zestawienie.xlsx");
    let sheets = open(&expected).sheet_names();
    assert!(sheets.iter().any(|s| s == "Podsumowanie") && sheets.iter().any(|s| s == "Kontrole"), "{sheets:?}");
    assert_eq!(open(&downloaded).sheet_names(), sheets);
    for name in &sheets {
        let (got, want) = (sheet(&downloaded, name), sheet(&expected, name));
        assert_eq!(got.get_size(), want.get_size(), "{name}: size");
        for (row, col, value) in want.cells() {
            assert_eq!(got.get((row, col)), Some(value), "{name}: cell ({row}, {col})");
        }
    }
}
