//! Polish sentences for what the operating system and the libraries report, so that no
//! English text and no `os error N` reaches a user: I/O errors by their kind, workbook
//! readers' complaints by what they mean, and whole error chains for the last line a
//! command or the web page shows.

use std::error::Error;
use std::io;

/// An I/O error as a Polish phrase, with what to do where there is something to do:
/// `brak miejsca na dysku; zwolnij miejsce i uruchom polecenie ponownie`.
pub fn io(error: &io::Error) -> String {
    if let Some(phrase) = os_code(error) {
        return phrase.to_string();
    }
    use io::ErrorKind::*;
    let phrase = match error.kind() {
        NotFound => "nie ma takiego pliku ani folderu",
        PermissionDenied => {
            "brak uprawnień do pliku lub folderu (jest chroniony albo otwarty w innym programie); \
             zamknij go lub poproś administratora o uprawnienia"
        }
        StorageFull => "brak miejsca na dysku; zwolnij miejsce i uruchom polecenie ponownie",
        QuotaExceeded => "przekroczono przydział miejsca na dysku; zwolnij miejsce i uruchom polecenie ponownie",
        ReadOnlyFilesystem => "dysk lub folder jest tylko do odczytu; wskaż folder, w którym można zapisywać",
        FileTooLarge => "plik jest za duży dla tego dysku",
        AlreadyExists => "taki plik już istnieje",
        DirectoryNotEmpty => "folder nie jest pusty",
        IsADirectory => "to jest folder, a nie plik",
        NotADirectory => "w ścieżce jest plik tam, gdzie powinien być folder",
        InvalidFilename => "nazwa pliku jest niedozwolona albo za długa",
        ResourceBusy | ExecutableFileBusy => "plik lub folder jest używany przez inny program; zamknij go",
        TimedOut | WouldBlock => "przekroczono czas oczekiwania na dysk (dysk sieciowy?)",
        StaleNetworkFileHandle
        | NetworkDown
        | NetworkUnreachable
        | HostUnreachable
        | ConnectionReset
        | ConnectionAborted
        | NotConnected
        | BrokenPipe => "połączenie z dyskiem sieciowym albo z odbiorcą danych zostało przerwane",
        CrossesDevices => "nie można przenieść pliku między dwoma dyskami",
        UnexpectedEof => "plik urywa się przedwcześnie (jest niekompletny)",
        InvalidData => "zawartość pliku jest nieprawidłowa (np. nie jest tekstem UTF-8)",
        Interrupted => "operację przerwano",
        OutOfMemory => "zabrakło pamięci",
        Unsupported => "ten system plików nie obsługuje potrzebnej operacji",
        _ => return other_io(error),
    };
    phrase.to_string()
}

/// Conditions that Rust gives no kind of their own but a user meets: a loop of symbolic
/// links, too many open files, a file held open by Excel on Windows.
fn os_code(error: &io::Error) -> Option<&'static str> {
    let code = error.raw_os_error()?;
    #[cfg(unix)]
    {
        if code == libc::ELOOP {
            return Some("łącza symboliczne tworzą pętlę albo jest ich za dużo po drodze");
        }
        if code == libc::EMFILE || code == libc::ENFILE {
            return Some("otwarto zbyt wiele plików naraz; uruchom polecenie ponownie");
        }
    }
    #[cfg(windows)]
    {
        // ERROR_SHARING_VIOLATION, ERROR_LOCK_VIOLATION
        if code == 32 || code == 33 {
            return Some("plik jest otwarty w innym programie (np. w Excelu); zamknij go i spróbuj ponownie");
        }
    }
    let _ = code;
    None
}

/// An I/O error of no kind we name: its system code if it has one, never its English text.
fn other_io(error: &io::Error) -> String {
    match error.raw_os_error() {
        Some(code) => format!("błąd systemu operacyjnego przy dostępie do pliku (kod {code})"),
        None => "błąd odczytu lub zapisu pliku".to_string(),
    }
}

/// What a workbook reader's complaint (calamine's, zip's) means, in Polish: the reader's
/// own text is English and names its internals (`Could not find EOCD`, `Cfb error`).
pub fn workbook_damage(reader_text: &str) -> String {
    let text = reader_text.to_lowercase();
    const MEANINGS: [(&[&str], &str); 6] = [
        (&["cfb", "sector"], "struktura pliku .xls jest uszkodzona"),
        (
            &["eocd", "invalid zip", "central directory", "zip header", "unexpected eof", "end of file"],
            "plik jest ucięty: brakuje jego końca (przerwany zapis albo przesyłanie)",
        ),
        (&["xml", "tag", "attribute", "utf-8", "utf8", "encoding"], "zawartość arkusza (XML) w pliku jest uszkodzona"),
        (&["not found", "filenotfound", "missing"], "w pliku brakuje części skoroszytu (np. arkusza)"),
        (&["unsupported", "compression method"], "plik używa odmiany formatu, której gpwr nie odczytuje"),
        (&["password", "encrypt"], "plik jest zaszyfrowany"),
    ];
    MEANINGS
        .iter()
        .find(|(needles, _)| needles.iter().any(|n| text.contains(n)))
        .map_or("zawartość pliku jest uszkodzona i nie daje się odczytać", |(_, meaning)| meaning)
        .to_string()
}

/// A calamine error from opening a workbook (the programme definition, last year's report):
/// an I/O error by its kind, damage by [`workbook_damage`].
pub fn workbook_open(error: &calamine::Error) -> String {
    match error {
        calamine::Error::Io(e) | calamine::Error::Xlsx(calamine::XlsxError::Io(e)) => io(e),
        calamine::Error::Xlsx(calamine::XlsxError::Zip(zip::result::ZipError::Io(e))) => io(e),
        other => workbook_damage(&other.to_string()),
    }
}

/// An error and its causes as one Polish line for the user: gpwr's own messages as they
/// are (they are Polish), the first error of the operating system or of a library put
/// into Polish, and nothing after it (what lies below is the library's English).
pub fn describe(error: &(dyn Error + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(error);
    while let Some(layer) = current {
        if let Some(foreign) = foreign(layer) {
            parts.push(foreign);
            break;
        }
        parts.push(layer.to_string());
        current = layer.source();
    }
    parts.join(": ")
}

/// The Polish text of an error raised by a library or the operating system, `None` for
/// gpwr's own errors (whose messages are Polish already).
fn foreign(error: &(dyn Error + 'static)) -> Option<String> {
    if let Some(e) = error.downcast_ref::<io::Error>() {
        return Some(io(e));
    }
    if let Some(e) = error.downcast_ref::<rust_xlsxwriter::XlsxError>() {
        return Some(match e {
            rust_xlsxwriter::XlsxError::IoError(e) => io(e),
            _ => "nie można zbudować skoroszytu (błąd programu gpwr; zgłoś go)".to_string(),
        });
    }
    if let Some(e) = error.downcast_ref::<zip::result::ZipError>() {
        return Some(match e {
            zip::result::ZipError::Io(e) => io(e),
            other => workbook_damage(&other.to_string()),
        });
    }
    if let Some(e) = error.downcast_ref::<calamine::Error>() {
        return Some(workbook_open(e));
    }
    #[cfg(feature = "analysis")]
    if let Some(e) = error.downcast_ref::<polars::error::PolarsError>() {
        return Some(match e {
            polars::error::PolarsError::IO { error, .. } => io(error),
            _ => "nie można przeliczyć danych (błąd programu gpwr; zgłoś go)".to_string(),
        });
    }
    if error.downcast_ref::<serde_json::Error>().is_some() {
        return Some("odpowiedź w formacie JSON jest nieprawidłowa (błąd programu gpwr; zgłoś go)".to_string());
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(code: i32) -> io::Error {
        io::Error::from_raw_os_error(code)
    }

    #[test]
    fn io_errors_are_polish_and_carry_no_system_text() {
        #[cfg(unix)]
        {
            assert_eq!(io(&os(libc::ENOSPC)), "brak miejsca na dysku; zwolnij miejsce i uruchom polecenie ponownie");
            assert!(io(&os(libc::EROFS)).starts_with("dysk lub folder jest tylko do odczytu"));
            assert!(io(&os(libc::ELOOP)).starts_with("łącza symboliczne tworzą pętlę"));
            assert_eq!(io(&os(libc::ENOTEMPTY)), "folder nie jest pusty");
            assert_eq!(io(&os(libc::ENOENT)), "nie ma takiego pliku ani folderu");
            for code in 1..134 {
                let text = io(&os(code));
                assert!(!text.contains("os error") && !text.is_empty(), "errno {code}: {text}");
            }
        }
        assert_eq!(io(&io::Error::other("some English")), "błąd odczytu lub zapisu pliku");
    }

    #[test]
    fn reader_complaints_are_put_into_polish() {
        assert_eq!(
            workbook_damage("invalid Zip archive: Could not find EOCD"),
            "plik jest ucięty: brakuje jego końca (przerwany zapis albo przesyłanie)"
        );
        assert_eq!(
            workbook_damage("Cfb error: Sector 83 points past end of file"),
            "struktura pliku .xls jest uszkodzona"
        );
        assert_eq!(workbook_damage("qwerty"), "zawartość pliku jest uszkodzona i nie daje się odczytać");
    }

    #[derive(Debug, thiserror::Error)]
    #[error("nie można zapisać pliku dane.csv")]
    struct Ours(#[source] io::Error);

    #[test]
    fn a_chain_keeps_gpwrs_words_and_translates_the_first_foreign_cause() {
        #[cfg(unix)]
        {
            let error = anyhow::Error::new(Ours(os(libc::ENOSPC))).context("nie można zapisać wyników w k");
            assert_eq!(
                describe(error.as_ref()),
                "nie można zapisać wyników w k: nie można zapisać pliku dane.csv: \
                 brak miejsca na dysku; zwolnij miejsce i uruchom polecenie ponownie"
            );
            let xlsx = anyhow::Error::new(rust_xlsxwriter::XlsxError::IoError(os(libc::EROFS))).context("zestawienie");
            assert!(describe(xlsx.as_ref()).starts_with("zestawienie: dysk lub folder jest tylko do odczytu"));
        }
    }
}
