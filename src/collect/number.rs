//! Reads what people type into number cells: Polish notation ("69 518,09 zł", "1.234,50"),
//! unit words ("12 rodzin", "470 os."), approximations ("ok. 470"), and the words and
//! marks that mean "no value" ("nie dotyczy", "brak danych", "-"), keeping them apart from 0.

use crate::table::fold;

/// What a piece of typed text means.
#[derive(Debug, Clone, PartialEq)]
pub enum TextReading {
    /// A number, possibly marked as approximate (`ok. 470`).
    Number {
        /// The value.
        value: f64,
        /// True for `ok.`, `około`, `~` and the like.
        approximate: bool,
        /// True when one separator is followed by exactly three digits (`1.234`, `1,000`):
        /// read the Polish way, but it may have meant a decimal.
        ambiguous: bool,
    },
    /// "nie dotyczy", "n/d".
    NotApplicable,
    /// "brak danych", "b.d.".
    NoData,
    /// A lone dash: could mean zero or "nothing to report"; never read as 0.
    Dash,
    /// Text that holds no single number ("Na bieżąco", "10-12", "12 (w tym 3 nowe)").
    Text,
}

const NOT_APPLICABLE: [&str; 6] = ["nie dotyczy", "n/d", "nd", "n.d.", "nie dot.", "nie dot"];
const NO_DATA: [&str; 6] = ["brak danych", "b.d.", "bd", "b/d", "brak info", "brak informacji"];
const DASHES: [&str; 6] = ["-", "–", "—", "--", "---", "- -"];
const APPROXIMATE: [&str; 9] = ["ok.", "ok", "około", "okolo", "~", "ca.", "ca", "szac.", "przeszło"];
const CURRENCY: [&str; 4] = ["zł", "zl", "pln", "złotych"];
/// Words that multiply the number: read as text rather than guessed.
const MULTIPLIERS: [&str; 7] = ["tys", "tys.", "tysięcy", "mln", "mln.", "mld", "milionów"];

/// Reads typed text (see [`TextReading`]).
pub fn read_text(text: &str) -> TextReading {
    let folded = fold(text);
    if folded.is_empty() {
        return TextReading::Text;
    }
    if NOT_APPLICABLE.contains(&folded.as_str()) {
        return TextReading::NotApplicable;
    }
    if NO_DATA.contains(&folded.as_str()) {
        return TextReading::NoData;
    }
    let spaced: String =
        text.chars().map(|c| if c.is_whitespace() || c == '\u{a0}' || c == '\u{202f}' { ' ' } else { c }).collect();
    let trimmed = spaced.trim();
    if DASHES.contains(&trimmed) {
        return TextReading::Dash;
    }
    let mut rest = trimmed.to_lowercase();
    let mut approximate = false;
    for prefix in APPROXIMATE {
        if let Some(r) = rest.strip_prefix(prefix)
            && (r.starts_with(' ')
                || r.starts_with(|c: char| c.is_ascii_digit())
                || prefix.ends_with('.')
                || prefix == "~")
        {
            rest = r.trim_start().to_string();
            approximate = true;
            break;
        }
    }
    for currency in CURRENCY {
        if let Some(r) = rest.strip_prefix(currency)
            && r.starts_with(' ')
        {
            rest = r.trim_start().to_string();
            break;
        }
    }
    // The number: sign, digits and separators; then nothing but words (units, currency).
    let end = rest
        .char_indices()
        .find(|&(i, c)| {
            !(c.is_ascii_digit()
                || ".,".contains(c)
                || (c == ' ' && next_is_digit(&rest, i))
                || (i == 0 && "+-".contains(c)))
        })
        .map(|(i, _)| i)
        .unwrap_or(rest.len());
    let (core, tail) = rest.split_at(end);
    let tail = tail.trim();
    if !tail.chars().all(|c| c.is_alphabetic() || c == '.' || c == ' ')
        || tail.split_whitespace().next().is_some_and(|w| MULTIPLIERS.contains(&w))
    {
        return TextReading::Text;
    }
    match parse_core(core.trim()) {
        Some((value, ambiguous)) => TextReading::Number { value, approximate, ambiguous },
        None => TextReading::Text,
    }
}

fn next_is_digit(text: &str, space_at: usize) -> bool {
    text[space_at + 1..].starts_with(|c: char| c.is_ascii_digit())
}

/// Parses `-1 234,5`, `1.234,50`, `1,234.50`, `2.5`, `69 518,09`: the last of `.`/`,` is
/// the decimal mark when both appear; a single `.` or `,` followed by exactly three digits
/// in a number with both kinds is a thousands separator; a single `.` with three digits
/// after it (`1.234`) is read the Polish way, as thousands.
fn parse_core(core: &str) -> Option<(f64, bool)> {
    let (negative, digits) = match core.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, core.strip_prefix('+').unwrap_or(core)),
    };
    if digits.is_empty() || !digits.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let dots = digits.matches('.').count();
    let commas = digits.matches(',').count();
    let decimal_mark = match (dots, commas) {
        (0, 0) => None,
        (_, 0) if dots > 1 => None,
        (1, 0) => {
            let after = digits.rsplit('.').next().unwrap_or("");
            let leading_zero = digits.starts_with('0');
            if after.len() == 3 && !digits.contains(' ') && !leading_zero { None } else { Some('.') }
        }
        (0, 1) => Some(','),
        (0, _) => None,
        _ => {
            let last_dot = digits.rfind('.').unwrap_or(0);
            let last_comma = digits.rfind(',').unwrap_or(0);
            Some(if last_dot > last_comma { '.' } else { ',' })
        }
    };
    let (int_part, frac_part) = match decimal_mark {
        Some(mark) => {
            let at = digits.rfind(mark)?;
            (&digits[..at], &digits[at + 1..])
        }
        None => (digits, ""),
    };
    if !frac_part.chars().all(|c| c.is_ascii_digit()) || (decimal_mark.is_some() && frac_part.is_empty()) {
        return None;
    }
    // Thousands groups: every group after the first has exactly three digits.
    let groups: Vec<&str> = int_part.split([' ', '.', ',']).collect();
    if groups.iter().any(|g| g.is_empty() || !g.chars().all(|c| c.is_ascii_digit()))
        || groups.iter().skip(1).any(|g| g.len() != 3)
        || (groups.len() > 1 && groups[0].len() > 3)
    {
        return None;
    }
    let plain = format!("{}.{}", groups.concat(), if frac_part.is_empty() { "0" } else { frac_part });
    let value: f64 = plain.parse().ok()?;
    let single_separator = dots + commas == 1 && !digits.contains(' ');
    let three_after = digits.rsplit(['.', ',']).next().is_some_and(|d| d.len() == 3);
    let ambiguous = single_separator && three_after && !digits.starts_with('0');
    Some((if negative { -value } else { value }, ambiguous))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(value: f64) -> TextReading {
        TextReading::Number { value, approximate: false, ambiguous: false }
    }

    fn about(value: f64) -> TextReading {
        TextReading::Number { value, approximate: true, ambiguous: false }
    }

    fn unsure(value: f64) -> TextReading {
        TextReading::Number { value, approximate: false, ambiguous: true }
    }

    #[test]
    fn what_people_type_is_read_the_polish_way() {
        let table: Vec<(&str, TextReading)> = vec![
            ("12", number(12.0)),
            ("12 rodzin", number(12.0)),
            ("69 518,09 zł", number(69518.09)),
            ("69\u{a0}518,09\u{a0}zł", number(69518.09)),
            ("413.985,00", number(413985.0)),
            ("252.012,25 zł", number(252012.25)),
            ("1 234", number(1234.0)),
            ("1\u{a0}234", number(1234.0)),
            ("1.234", unsure(1234.0)),
            ("1,000", unsure(1.0)),
            ("0.125", number(0.125)),
            ("0,500", number(0.5)),
            ("1,5 mln zł", TextReading::Text),
            ("12 tys.", TextReading::Text),
            ("1,234.50", number(1234.5)),
            ("2,5", number(2.5)),
            ("2.5", number(2.5)),
            ("3,5 etatu", number(3.5)),
            ("470 os.", number(470.0)),
            ("95 dzieci", number(95.0)),
            ("ok. 470", about(470.0)),
            ("około 1 200 osób", about(1200.0)),
            ("~30", about(30.0)),
            ("zł 1 200,00", number(1200.0)),
            ("12 500,00 PLN", number(12500.0)),
            ("-3", number(-3.0)),
            ("  7  ", number(7.0)),
            ("0", number(0.0)),
            ("nie dotyczy", TextReading::NotApplicable),
            ("Nie  dotyczy", TextReading::NotApplicable),
            ("n/d", TextReading::NotApplicable),
            ("brak danych", TextReading::NoData),
            ("b.d.", TextReading::NoData),
            ("-", TextReading::Dash),
            ("–", TextReading::Dash),
            ("Na bieżąco", TextReading::Text),
            ("Zrealizowane", TextReading::Text),
            ("10-12", TextReading::Text),
            ("12 (w tym 3 nowe)", TextReading::Text),
            ("12%", TextReading::Text),
            ("1 23", TextReading::Text),
            ("12 i 15", TextReading::Text),
            ("brak", TextReading::Text),
        ];
        let mut wrong = Vec::new();
        for (text, expected) in &table {
            let got = read_text(text);
            if &got != expected {
                wrong.push(format!("{text:?}: expected {expected:?}, got {got:?}"));
            }
        }
        assert!(wrong.is_empty(), "{} of {} misread:\n{}", wrong.len(), table.len(), wrong.join("\n"));
    }
}
