//! Screens every typed text of a returned workbook before it is interpreted, because
//! workbooks arrive from outside: PESEL numbers are masked and names with addresses
//! flagged (personal data must not travel further), invisible control and direction
//! characters are made visible, text that a spreadsheet would run as a formula is
//! flagged, and texts longer than a spreadsheet cell holds are cut to fit.
//!
//! Everything gpwr writes later takes the screened text, so the consolidated workbook,
//! the CSV tables and the findings never carry a PESEL number or a hidden character. The
//! institution's file itself is never changed: the findings say where the original is.

use super::findings::{Code, Finding};
use crate::workbook::{CellValue, RawWorkbook};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The most characters a spreadsheet cell holds (Excel's limit; rust_xlsxwriter enforces it).
pub const MAX_CELL_CHARS: usize = 32_767;

/// What replaces a PESEL number in every output; `n` tells different numbers apart.
pub fn pesel_mask(n: usize) -> String {
    format!("[PESEL ukryty {n}]")
}

/// The screened workbook (borrowed when nothing had to change) and the findings, each at
/// its cell. Hidden sheets (gpwr's own identity) and the identity stamp are left alone.
pub fn screen(raw: &RawWorkbook) -> (Cow<'_, RawWorkbook>, Vec<Finding>) {
    let mut findings = Vec::new();
    let mut changes: Vec<(usize, usize, CellValue)> = Vec::new();
    let mut pesel_numbers: BTreeMap<String, usize> = BTreeMap::new();
    for (s, sheet) in raw.sheets.iter().enumerate() {
        if sheet.hidden {
            continue;
        }
        for (c, cell) in sheet.cells.iter().enumerate() {
            let mut flag = |code: Code, message: String, original: String| {
                let at = sheet.cell_ref(cell.row, cell.col).a1();
                findings.push(Finding::new(code, message).at(&sheet.name, Some(at)).original(Some(original)));
            };
            let text: Cow<str> = match &cell.value {
                CellValue::Text(t) if !t.starts_with(crate::template::identity::STAMP_PREFIX) => Cow::Borrowed(t),
                // An 11-digit whole number may be a PESEL typed into a number cell.
                CellValue::Number(n) if n.fract() == 0.0 && (1e10..1e11).contains(n) => {
                    let digits = format!("{n:.0}");
                    if !contains_pesel(&digits) {
                        continue;
                    }
                    Cow::Owned(digits)
                }
                _ => continue,
            };
            let mut screened = text.clone();
            if let Some(masked) = mask_pesel(&screened, &mut pesel_numbers) {
                flag(Code::PersonalData, "tekst zawiera liczbę wyglądającą jak numer PESEL; w wynikach gpwr zastąpiono ją napisem „[PESEL ukryty]”. Formularz nie może zawierać danych osobowych: usuń numer i odeślij poprawiony plik.".to_string(), masked.clone());
                screened = Cow::Owned(masked);
            } else if looks_like_name_with_address(&screened) {
                flag(Code::PersonalData, "tekst wygląda na imię i nazwisko z adresem; formularz nie może zawierać danych osobowych. Zastąp je opisem ogólnym (np. „rodzina z osiedla”) i odeślij poprawiony plik.".to_string(), screened.to_string());
            }
            if let Some((visible, found)) = reveal_control_chars(&screened) {
                flag(
                    Code::ControlCharacters,
                    format!(
                        "tekst zawiera niewidoczne znaki sterujące ({}); w wynikach zastąpiono je zapisem [U+…]. Usuń je (np. przepisz tekst zamiast go wklejać).",
                        found.join(", ")
                    ),
                    visible.clone(),
                );
                screened = Cow::Owned(visible);
            }
            if looks_like_formula(&screened) {
                flag(Code::FormulaLikeText, "tekst zaczyna się jak formuła arkusza (=, +, -, @); gpwr zapisuje go wyłącznie jako tekst i nigdy go nie oblicza. Jeśli to miała być liczba, wpisz samą liczbę.".to_string(), truncate_chars(&screened, 200).to_string());
            }
            let length = screened.chars().count();
            if length > MAX_CELL_CHARS {
                flag(
                    Code::TextTooLong,
                    format!(
                        "tekst ma {} znaków, a komórka arkusza mieści {}; w wynikach zachowano początek tekstu. Skróć go i odeślij poprawiony plik (pełny tekst jest w pliku instytucji).",
                        crate::polish::thousands(length as u64),
                        crate::polish::thousands(MAX_CELL_CHARS as u64)
                    ),
                    truncate_chars(&screened, 200).to_string() + "…",
                );
                screened = Cow::Owned(truncate_chars(&screened, MAX_CELL_CHARS).to_string());
            }
            if screened != text {
                changes.push((s, c, CellValue::Text(screened.into_owned())));
            }
        }
    }
    if changes.is_empty() {
        return (Cow::Borrowed(raw), findings);
    }
    let mut owned = raw.clone();
    for (s, c, value) in changes {
        owned.sheets[s].cells[c].value = value;
    }
    (Cow::Owned(owned), findings)
}

/// The 11-digit runs of `text` that have a valid PESEL check digit, with their byte offsets.
fn pesel_runs(text: &str) -> Vec<(usize, &str)> {
    const WEIGHTS: [u32; 10] = [1, 3, 7, 9, 1, 3, 7, 9, 1, 3];
    let valid = |run: &str| {
        let digits: Vec<u32> = run.bytes().map(|b| u32::from(b - b'0')).collect();
        let sum: u32 = digits.iter().zip(WEIGHTS).map(|(d, w)| d * w).sum();
        (10 - sum % 10) % 10 == digits[10]
    };
    let bytes = text.as_bytes();
    let mut runs = Vec::new();
    let mut start = None;
    for i in 0..=bytes.len() {
        let digit = i < bytes.len() && bytes[i].is_ascii_digit();
        match (digit, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                if i - s == 11 && valid(&text[s..i]) {
                    runs.push((s, &text[s..i]));
                }
                start = None;
            }
            _ => {}
        }
    }
    runs
}

/// True if `text` holds an 11-digit run with a valid PESEL check digit.
fn contains_pesel(text: &str) -> bool {
    !pesel_runs(text).is_empty()
}

/// True if `text` holds a PESEL number masked by [`screen`] (after screening, the only
/// form in which a PESEL number can appear).
pub fn holds_masked_pesel(text: &str) -> bool {
    text.contains("[PESEL ukryty ")
}

/// `text` with every PESEL number replaced by [`pesel_mask`] (the same number by the same
/// mask within one workbook), or `None` if it holds none.
fn mask_pesel(text: &str, numbers: &mut BTreeMap<String, usize>) -> Option<String> {
    let runs = pesel_runs(text);
    if runs.is_empty() {
        return None;
    }
    let mut masked = String::with_capacity(text.len());
    let mut end = 0;
    for (start, run) in runs {
        let next = numbers.len() + 1;
        let n = *numbers.entry(run.to_string()).or_insert(next);
        masked.push_str(&text[end..start]);
        masked.push_str(&pesel_mask(n));
        end = start + run.len();
    }
    masked.push_str(&text[end..]);
    Some(masked)
}

/// True for characters that do nothing visible but can hide or reorder text: C0 and C1
/// controls other than tab and line breaks, and the bidirectional embeddings, overrides
/// and isolates used to make text read differently from how it is stored.
fn is_hidden_control(c: char) -> bool {
    (c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
        || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with hidden control characters written as `[U+XXXX]`, and which were found; or
/// `None` if there are none.
fn reveal_control_chars(text: &str) -> Option<(String, Vec<String>)> {
    if !text.chars().any(is_hidden_control) {
        return None;
    }
    let mut found = Vec::new();
    let visible = text
        .chars()
        .map(|c| {
            if is_hidden_control(c) {
                let code = format!("U+{:04X}", c as u32);
                if !found.contains(&code) {
                    found.push(code.clone());
                }
                format!("[{code}]")
            } else {
                c.to_string()
            }
        })
        .collect();
    Some((visible, found))
}

/// True if a spreadsheet would take `text` for a formula were it typed in: it starts with
/// `=`, `+` or `@`, or with `-` followed by an expression without spaces (`-2+3`, but not
/// a list item like "- zajęcia" or a plain negative number, which the number reader handles).
pub fn looks_like_formula(text: &str) -> bool {
    let text = text.trim();
    match text.chars().next() {
        Some('=' | '+' | '@') => text.chars().count() > 1,
        Some('-') => {
            let rest = &text[1..];
            !rest.is_empty()
                && !rest.contains(char::is_whitespace)
                && rest.contains(['+', '-', '*', '/', '^', '(', '&', '|', '!'])
        }
        _ => false,
    }
}

/// The first `max` characters of `text`.
fn truncate_chars(text: &str, max: usize) -> &str {
    match text.char_indices().nth(max) {
        Some((i, _)) => &text[..i],
        None => text,
    }
}

/// Common Polish first names, folded (lower case, no diacritics).
const FIRST_NAMES: &[&str] = &[
    "anna",
    "maria",
    "katarzyna",
    "malgorzata",
    "agnieszka",
    "barbara",
    "ewa",
    "krystyna",
    "elzbieta",
    "magdalena",
    "joanna",
    "zofia",
    "monika",
    "teresa",
    "danuta",
    "natalia",
    "karolina",
    "marta",
    "aleksandra",
    "beata",
    "dorota",
    "alicja",
    "julia",
    "jadwiga",
    "halina",
    "justyna",
    "paulina",
    "irena",
    "iwona",
    "grazyna",
    "jolanta",
    "wiktoria",
    "oliwia",
    "zuzanna",
    "maja",
    "lena",
    "hanna",
    "emilia",
    "amelia",
    "kinga",
    "patrycja",
    "sylwia",
    "renata",
    "urszula",
    "helena",
    "weronika",
    "jan",
    "piotr",
    "krzysztof",
    "andrzej",
    "tomasz",
    "pawel",
    "marcin",
    "michal",
    "marek",
    "grzegorz",
    "jozef",
    "lukasz",
    "adam",
    "zbigniew",
    "jerzy",
    "tadeusz",
    "mateusz",
    "dariusz",
    "mariusz",
    "wojciech",
    "ryszard",
    "jakub",
    "henryk",
    "robert",
    "rafal",
    "kazimierz",
    "jacek",
    "stanislaw",
    "janusz",
    "maciej",
    "kamil",
    "szymon",
    "filip",
    "antoni",
    "franciszek",
    "kacper",
    "bartosz",
    "dawid",
    "sebastian",
    "damian",
    "daniel",
    "artur",
    "przemyslaw",
    "slawomir",
    "leszek",
    "roman",
    "wieslaw",
    "igor",
];

/// True if a word is a first name in any case ending ("Anny", "Annie", "Piotrowi").
fn is_first_name(word: &str) -> bool {
    let folded = crate::table::fold(word);
    FIRST_NAMES.iter().any(|name| {
        let stem = name.strip_suffix('a').unwrap_or(name);
        folded == *name || (folded.starts_with(stem) && folded.len() <= stem.len() + 4 && stem.len() >= 3)
    })
}

/// True if `text` has a first name followed by a capitalised word (a surname) and
/// something that looks like an address: a street ("ul. Lwowska 12") or a postal code
/// ("39-300").
pub fn looks_like_name_with_address(text: &str) -> bool {
    // A street number and a postal code both hold a digit: most texts have none, and this
    // runs on every text of every return.
    if !text.bytes().any(|b| b.is_ascii_digit()) {
        return false;
    }
    let words: Vec<&str> = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')'))
        .filter(|w| !w.is_empty())
        .collect();
    let capitalised = |w: &str| w.chars().next().is_some_and(char::is_uppercase) && w.chars().count() > 1;
    // The address first: it is cheap to look for and most texts have none.
    let street = words.windows(3).any(|w| {
        matches!(w[0].as_bytes()[0].to_ascii_lowercase(), b'u' | b'a' | b'o' | b'p')
            && matches!(
                crate::table::fold(w[0]).as_str(),
                "ul." | "ulica" | "ulicy" | "al." | "aleja" | "os." | "osiedle" | "pl."
            )
            && capitalised(w[1])
            && w[2].starts_with(|c: char| c.is_ascii_digit())
    });
    let postal_code = || {
        words.iter().any(|w| {
            let b = w.as_bytes();
            b.len() == 6 && b[2] == b'-' && b.iter().enumerate().all(|(i, c)| i == 2 || c.is_ascii_digit())
        })
    };
    (street || postal_code())
        && words.windows(2).any(|pair| capitalised(pair[0]) && capitalised(pair[1]) && is_first_name(pair[0]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pesel_numbers_are_spotted_by_their_check_digit() {
        assert!(contains_pesel("dziecko 44051401458 w rodzinie"));
        assert!(!contains_pesel("dziecko 44051401459 w rodzinie"), "wrong check digit");
        assert!(!contains_pesel("tel. 170000001"), "too short");
        assert!(!contains_pesel("440514014580"), "twelve digits");
    }

    #[test]
    fn pesel_numbers_are_masked_the_same_way_within_a_workbook() {
        let mut numbers = BTreeMap::new();
        assert_eq!(
            mask_pesel("a 44051401458, b 02070803628, a 44051401458", &mut numbers).as_deref(),
            Some("a [PESEL ukryty 1], b [PESEL ukryty 2], a [PESEL ukryty 1]")
        );
        assert_eq!(mask_pesel("bez numeru 12345", &mut numbers), None);
    }

    #[test]
    fn names_with_addresses_are_told_from_institutions_and_plain_names() {
        assert!(looks_like_name_with_address("Wsparcie dla Anny Kowalskiej, ul. Lwowska 12/4, 39-300 Mielec"));
        assert!(looks_like_name_with_address("Jan Nowak, os. Smoczka 5"));
        assert!(!looks_like_name_with_address("Szkoła Podstawowa nr 3, ul. Kościuszki 5, 39-300 Mielec"));
        assert!(!looks_like_name_with_address("Spotkanie z p. Anną Kowalską, pedagogiem"), "a name alone");
    }

    #[test]
    fn formulas_are_told_from_lists_and_negative_numbers() {
        for formula in ["=HYPERLINK(\"http://x\")", "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", " =1"] {
            assert!(looks_like_formula(formula), "{formula}");
        }
        for text in ["- zajęcia w szkole", "-5", "-", "= ", "zwykły tekst", "12+3"] {
            assert!(!looks_like_formula(text), "{text}");
        }
    }

    #[test]
    fn screening_masks_visible_cells_and_leaves_the_identity_alone() {
        use crate::workbook::{Format, RawCell, RawSheet};
        let cell = |row, value| RawCell { row, col: 0, value, formula: None };
        let sheet = |name: &str, hidden, cells| RawSheet { name: name.into(), hidden, cells };
        let stamp = "GPWR-ID program=p; instytucja=SP3; rok=2025; wersja=1; odcisk=44051401458";
        let raw = RawWorkbook {
            format: Format::Xlsx,
            custom_properties: BTreeMap::new(),
            modified: None,
            sheets: vec![
                sheet(
                    "Wskaźniki",
                    false,
                    vec![
                        cell(0, CellValue::Text(stamp.into())),
                        cell(1, CellValue::Number(44051401458.0)),
                        cell(2, CellValue::Number(12.0)),
                    ],
                ),
                sheet("_gpwr", true, vec![cell(0, CellValue::Text("44051401458".into()))]),
            ],
        };
        let (screened, findings) = screen(&raw);
        let found: Vec<(&str, String)> = findings.iter().map(|f| (f.code.as_str(), f.location())).collect();
        assert_eq!(found, vec![("MOZLIWE_DANE_OSOBOWE", "Wskaźniki!A2".to_string())]);
        assert_eq!(screened.sheets[0].cells[0].value, CellValue::Text(stamp.into()), "the stamp is gpwr's own");
        assert_eq!(
            screened.sheets[0].cells[1].value,
            CellValue::Text("[PESEL ukryty 1]".into()),
            "a PESEL typed as a number"
        );
        assert_eq!(screened.sheets[0].cells[2].value, CellValue::Number(12.0));
        assert_eq!(screened.sheets[1], raw.sheets[1], "hidden sheets are not screened");

        let clean = RawWorkbook { sheets: vec![raw.sheets[1].clone()], ..raw.clone() };
        assert!(matches!(screen(&clean), (Cow::Borrowed(_), f) if f.is_empty()), "nothing to change, nothing copied");
    }

    #[test]
    fn hidden_characters_are_written_out() {
        assert_eq!(
            reveal_control_chars("a\u{7}b\u{202E}c\td"),
            Some(("a[U+0007]b[U+202E]c\td".to_string(), vec!["U+0007".to_string(), "U+202E".to_string()]))
        );
        assert_eq!(reveal_control_chars("שלום 👨‍👩‍👧 مرحبا\n"), None, "right-to-left text and emoji are text");
    }
}
