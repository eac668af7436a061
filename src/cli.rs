//! The command line: clap definitions only. Parsing lives here; the work lives in `cmd/`.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

/// gpwr: formularze, zbieranie i zestawienie danych Gminnego Programu Wspierania Rodziny.
#[derive(Debug, Parser)]
#[command(
    name = "gpwr",
    version,
    about = "Formularze, zbieranie i zestawienie danych Gminnego Programu Wspierania Rodziny (GPWR)",
    long_about = "Formularze, zbieranie i zestawienie danych Gminnego Programu Wspierania Rodziny (GPWR).\n\n\
                  W folderze kampanii (utworzonym przez `gpwr init`) każde polecenie działa bez argumentów.",
    after_help = "Kody wyjścia: 0 – bez błędów; 1 – błędy w danych (np. w definicji programu); \
                  2 – niepoprawne wywołanie; 3 – awaria programu (np. brak dostępu do pliku)."
)]
pub struct Cli {
    /// The subcommand to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Tworzy folder kampanii z przykładową definicją programu.
    #[command(after_help = "Przykład:\n  gpwr init kampania-2025\n  cd kampania-2025\n  gpwr templates")]
    Init(InitArgs),
    /// Sprawdza definicję programu i tworzy formularz XLSX dla każdej instytucji.
    #[command(after_help = "Przykłady:\n  gpwr templates                       (w folderze kampanii)\n  \
                            gpwr templates --program samples/program.xlsx --out templates_xlsx")]
    Templates(TemplatesArgs),
}

/// Arguments of `gpwr init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder kampanii do utworzenia (może istnieć, ale nie może zawierać program.xlsx).
    pub dir: PathBuf,
}

/// Arguments of `gpwr templates`.
#[derive(Debug, Args)]
pub struct TemplatesArgs {
    /// Definicja programu (domyślnie program.xlsx w bieżącym folderze).
    #[arg(long, value_name = "PLIK")]
    pub program: Option<PathBuf>,
    /// Folder na formularze (domyślnie templates_xlsx).
    #[arg(long, value_name = "FOLDER")]
    pub out: Option<PathBuf>,
}
