//! `gpwr` with no arguments, `gpwr serwer [FOLDER]`: the page in the coordinator's browser.

use super::Outcome;
use crate::cli::ServeArgs;
use anyhow::{Context, Result};
use gpwr::web::{ServeOptions, serve};

/// Set to anything, no browser is opened (tests, and machines without one).
const NO_BROWSER: &str = "GPWR_BEZ_PRZEGLADARKI";

/// Serves until the window is closed, after printing the address and opening it.
pub fn run(args: &ServeArgs) -> Result<Outcome> {
    let open_browser = !args.no_browser && std::env::var_os(NO_BROWSER).is_none();
    let options = ServeOptions {
        folder: args.folder.clone().unwrap_or_else(|| std::path::PathBuf::from(".")),
        port: args.port,
        reader: std::env::current_exe().context("nie można ustalić położenia programu gpwr")?,
        open_browser,
    };
    serve(options, |address, opened| {
        // Not println!: a window closed or no console at all must not stop the server.
        use std::io::Write;
        let mut out = std::io::stdout();
        let _ = writeln!(out, "gpwr działa pod adresem: {address}\nZamknij to okno, aby zakończyć.");
        if open_browser && !opened {
            let _ = writeln!(out, "Nie udało się otworzyć przeglądarki: skopiuj adres powyżej do przeglądarki.");
        }
        let _ = out.flush();
    })?;
    Ok(Outcome::Success)
}
