//! The command line: clap definitions, and their help and usage errors in Polish (clap's
//! own headings and messages are English). Parsing lives here; the work lives in `cmd/`.

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{ArgAction, Args, CommandFactory, FromArgMatches, Parser, Subcommand};
use gpwr::campaign::COLLECTED_DIR;
use std::path::PathBuf;

/// The layout of every help page, with Polish headings.
const HELP_TEMPLATE: &str = "{before-help}{about-with-newline}\nUżycie: {usage}\n\n{all-args}{after-help}";

/// Parses the command line. Help and version go to standard output with exit code 0; a
/// wrong command line is told in Polish on standard error with exit code 2.
pub fn parse() -> Cli {
    let mut command = polish_command();
    let parsed = command.try_get_matches_from_mut(std::env::args_os()).and_then(|m| Cli::from_arg_matches(&m));
    match parsed {
        Ok(cli) => cli,
        Err(error) if matches!(error.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) => error.exit(),
        Err(error) if error.kind() == ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = command.print_help();
            std::process::exit(2);
        }
        Err(error) => {
            eprintln!("Błąd: {}", usage_error(&error));
            eprintln!("Pomoc: gpwr --help (albo gpwr POLECENIE --help)");
            std::process::exit(2);
        }
    }
}

/// The clap command with Polish headings on every help page.
fn polish_command() -> clap::Command {
    let polish = |command: clap::Command| {
        command
            .help_template(HELP_TEMPLATE)
            .subcommand_help_heading("Polecenia")
            .subcommand_value_name("POLECENIE")
            .mut_args(|arg| {
                let heading = if arg.is_positional() { "Argumenty" } else { "Opcje" };
                arg.help_heading(heading)
            })
    };
    polish(Cli::command()).mut_subcommands(|sub| {
        // clap writes `[OPTIONS]` in every usage line.
        let usage = sub.clone().render_usage().to_string();
        let usage = usage.trim_start_matches("Usage: ").replace("[OPTIONS]", "[OPCJE]");
        polish(sub).override_usage(format!("gpwr {usage}"))
    })
}

/// A usage error in Polish, quoting what was typed.
fn usage_error(error: &clap::Error) -> String {
    let context = |kind: ContextKind| match error.get(kind) {
        Some(ContextValue::String(text)) => Some(text.clone()),
        Some(ContextValue::Strings(texts)) => Some(texts.join(", ")),
        _ => None,
    };
    let quoted = |kind: ContextKind| context(kind).map(|t| format!("„{t}”")).unwrap_or_default();
    let suggestion = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand, ContextKind::SuggestedValue]
        .into_iter()
        .find_map(context)
        .map(|s| format!("; czy chodziło o „{s}”?"))
        .unwrap_or_default();
    let what = match error.kind() {
        ErrorKind::UnknownArgument => format!("nieznana opcja {}", quoted(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => format!("nieznane polecenie {}", quoted(ContextKind::InvalidSubcommand)),
        ErrorKind::MissingRequiredArgument => format!("brakuje argumentu {}", quoted(ContextKind::InvalidArg)),
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            format!(
                "niepoprawna wartość {} opcji {}",
                quoted(ContextKind::InvalidValue),
                quoted(ContextKind::InvalidArg)
            )
        }
        ErrorKind::NoEquals | ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
            format!("niepoprawna liczba wartości opcji {}", quoted(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => {
            format!("opcji {} nie można podać razem z inną", quoted(ContextKind::InvalidArg))
        }
        _ => "niepoprawne wywołanie".to_string(),
    };
    format!("{what}{suggestion}")
}

/// gpwr: formularze, zbieranie i zestawienie danych Gminnego Programu Wspierania Rodziny.
#[derive(Debug, Parser)]
#[command(
    name = "gpwr",
    version,
    about = "Formularze, zbieranie i zestawienie danych Gminnego Programu Wspierania Rodziny (GPWR)",
    long_about = "Formularze, zbieranie i zestawienie danych Gminnego Programu Wspierania Rodziny (GPWR).\n\n\
                  W folderze kampanii (utworzonym przez `gpwr init`) każde polecenie działa bez argumentów.",
    after_help = "Kody wyjścia: 0 – bez błędów; 1 – błędy w danych (np. w definicji programu); \
                  2 – niepoprawne wywołanie; 3 – awaria programu (np. brak dostępu do pliku).",
    disable_help_flag = true,
    disable_version_flag = true,
    disable_help_subcommand = true
)]
pub struct Cli {
    /// Wyświetla pomoc.
    #[arg(short = 'h', long = "help", action = ArgAction::Help, global = true)]
    help: Option<bool>,
    /// Wyświetla wersję programu.
    #[arg(short = 'V', long = "version", action = ArgAction::Version)]
    version: Option<bool>,
    /// The subcommand to run; none (a double-click) serves the page for this folder.
    #[command(subcommand)]
    pub command: Option<Command>,
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
    /// Odczytuje odesłane formularze z folderu inbox, sprawdza je i zapisuje zebrane dane.
    #[command(after_help = "Przykłady:\n  gpwr collect                         (w folderze kampanii)\n  \
                            gpwr collect --program program.xlsx --inbox inbox --out collected --json\n\n\
                            Kody wyjścia: 0 – bez błędów w danych; 1 – są błędy w danych (szczegóły w ustalenia.xlsx); \
                            3 – awaria programu.")]
    Collect(CollectArgs),
    /// Sumuje wskaźniki, sprawdza kontrole i zapisuje zestawienie dla rady i księgowości.
    #[command(after_help = "Przykłady:\n  gpwr report                          (w folderze kampanii)\n  \
                            gpwr report --program program.xlsx --collected collected --out report\n\n\
                            Kody wyjścia: 0 – kontrole bez błędów; 1 – niespełnione kontrole o wadze „błąd”; 3 – awaria programu.")]
    Report(ReportArgs),
    /// Przygotowuje wiadomości e-mail (.eml) do instytucji: formularze, przypomnienia i poprawki.
    #[command(
        after_help = "Przykłady:\n  gpwr mail                (w folderze kampanii: formularze z templates_xlsx, do outbox/formularze)\n  \
                            gpwr mail --collected    (po `gpwr collect`: przypomnienia i poprawki, do outbox/przypomnienia)\n  \
                            gpwr mail --program program.xlsx --templates templates_xlsx --out outbox\n\n\
                            Pliki .eml otwierają się w Outlooku jako wiadomości gotowe do wysłania, w Thunderbirdzie \
                            przez „Edytuj jako nową wiadomość”.\n\n\
                            Kody wyjścia: 0 – wiadomość dla każdej instytucji, która jej potrzebuje; 1 – do niektórych \
                            nie można napisać (brak adresu e-mail, brak formularza); 3 – awaria programu."
    )]
    Mail(MailArgs),
    /// Strona w przeglądarce na tym komputerze: cały cykl bez wpisywania poleceń (domyślne, gdy gpwr uruchomiono bez argumentów).
    #[command(
        visible_alias = "serwer",
        after_help = "Przykłady:\n  gpwr                     (w folderze kampanii)\n  gpwr serwer kampania-2025"
    )]
    Serve(ServeArgs),
    /// Cały roczny cykl na przykładowym programie: formularze, zbieranie, zestawienie, wiadomości.
    #[command(
        after_help = "Przykład:\n  gpwr demo                (w folderze gpwr-przyklad)\n  gpwr demo moj-przyklad"
    )]
    Demo(DemoArgs),
    /// Internal: reads one workbook from standard input in a separate process and prints it as JSON.
    #[command(name = gpwr::collect::isolated::READER_COMMAND, hide = true)]
    ReadWorkbook(ReadWorkbookArgs),
}

/// Arguments of `gpwr collect`.
#[derive(Debug, Args)]
pub struct CollectArgs {
    /// Definicja programu (domyślnie program.xlsx).
    #[arg(long, value_name = "PLIK")]
    pub program: Option<PathBuf>,
    /// Folder z odesłanymi plikami, czytany z podfolderami (domyślnie inbox). Nic w nim nie jest zmieniane.
    #[arg(long, value_name = "FOLDER")]
    pub inbox: Option<PathBuf>,
    /// Folder na zebrane dane (domyślnie collected); jego zawartość jest zastępowana w całości.
    #[arg(long, value_name = "FOLDER")]
    pub out: Option<PathBuf>,
    /// Wypisuje kompletność i ustalenia jako JSON na standardowe wyjście.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `gpwr report`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Definicja programu (domyślnie program.xlsx).
    #[arg(long, value_name = "PLIK")]
    pub program: Option<PathBuf>,
    /// Folder z wynikami `gpwr collect` (domyślnie collected).
    #[arg(long, value_name = "FOLDER")]
    pub collected: Option<PathBuf>,
    /// Folder na zestawienie (domyślnie report); jego zawartość jest zastępowana w całości.
    #[arg(long, value_name = "FOLDER")]
    pub out: Option<PathBuf>,
    /// Zeszłoroczne zestawienie gpwr (zestawienie.xlsx) do porównania rok do roku.
    #[arg(long, value_name = "PLIK")]
    pub previous: Option<PathBuf>,
}

/// Arguments of `gpwr mail`.
#[derive(Debug, Args)]
pub struct MailArgs {
    /// Definicja programu (domyślnie program.xlsx).
    #[arg(long, value_name = "PLIK")]
    pub program: Option<PathBuf>,
    /// Folder z formularzami (domyślnie templates_xlsx). Bez --collected: wiadomość z formularzem do każdej
    /// instytucji; z --collected: formularz dołączany ponownie do przypomnień.
    #[arg(long, value_name = "FOLDER")]
    pub templates: Option<PathBuf>,
    /// Folder z wynikami `gpwr collect` (bez wartości: collected): przypomnienia do instytucji, które nie
    /// odesłały formularza, i listy poprawek do tych, których formularze mają błędy.
    #[arg(long, value_name = "FOLDER", num_args = 0..=1, default_missing_value = COLLECTED_DIR)]
    pub collected: Option<PathBuf>,
    /// Folder na wiadomości (domyślnie outbox/formularze albo outbox/przypomnienia); jego zawartość jest
    /// zastępowana w całości.
    #[arg(long, value_name = "FOLDER")]
    pub out: Option<PathBuf>,
}

/// Arguments of the internal workbook reader: none, the workbook comes on standard input.
#[derive(Debug, Args)]
pub struct ReadWorkbookArgs {}

/// Arguments of `gpwr init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Folder kampanii do utworzenia (może istnieć, ale nie może zawierać program.xlsx).
    #[arg(value_name = "FOLDER")]
    pub dir: PathBuf,
}

/// Arguments of `gpwr serve`.
#[derive(Debug, Args, Default)]
pub struct ServeArgs {
    /// Folder kampanii albo folder, w którym powstanie nowa (domyślnie bieżący).
    #[arg(value_name = "FOLDER")]
    pub folder: Option<PathBuf>,
    /// Port na adresie 127.0.0.1 (domyślnie dowolny wolny).
    #[arg(long, value_name = "NUMER", default_value_t = 0)]
    pub port: u16,
    /// Nie otwiera przeglądarki (adres i tak jest wypisywany).
    #[arg(long = "bez-przegladarki")]
    pub no_browser: bool,
}

/// Arguments of `gpwr demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Folder na przykład (domyślnie gpwr-przyklad); poprzedni przykład w nim jest zastępowany.
    #[arg(default_value = "gpwr-przyklad")]
    pub folder: PathBuf,
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
