//! Polish grammar and notation for user-facing text: `1 błąd`, `3 błędy`, `5 błędów`;
//! money as `413 985,00 zł`; dates as `13 lutego 2026 r.`

/// Chooses the noun form for `n`: `one` for 1, `few` for 2–4 (but not 12–14) in the last
/// digits, `many` otherwise; returns `"{n} {form}"`.
pub fn count(n: usize, one: &str, few: &str, many: &str) -> String {
    let form = if n == 1 {
        one
    } else if (2..=4).contains(&(n % 10)) && !(12..=14).contains(&(n % 100)) {
        few
    } else {
        many
    };
    format!("{n} {form}")
}

/// An amount in grosze as Polish money without the unit: `413 985,00` (non-breaking space
/// between thousands, so a line never breaks inside a number).
pub fn amount(grosze: i64) -> String {
    let sign = if grosze < 0 { "-" } else { "" };
    let abs = grosze.unsigned_abs();
    format!("{sign}{},{:02}", thousands(abs / 100), abs % 100)
}

/// A whole number with thousands separated by a non-breaking space: `40 000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    grouped
}

/// A number in Polish notation as typed or computed, with no trailing zeros: `1 234,5`,
/// `69 518,09`, `-3`.
pub fn number(value: f64) -> String {
    let plain = crate::cell::format_number(value.abs());
    let sign = if value < 0.0 { "-" } else { "" };
    match plain.split_once('.') {
        _ if plain.contains(['e', 'E']) || !value.is_finite() => format!("{sign}{}", plain.replace('.', ",")),
        Some((whole, fraction)) => format!("{sign}{},{fraction}", thousands(whole.parse().unwrap_or(0))),
        None => format!("{sign}{}", thousands(plain.parse().unwrap_or(0))),
    }
}

/// An amount in grosze as Polish money: `413 985,00 zł`.
pub fn pln(grosze: i64) -> String {
    format!("{} zł", amount(grosze))
}

/// A date as written in Polish letters: `13 lutego 2026 r.`
pub fn date(date: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    const MONTHS: [&str; 12] = [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ];
    format!("{} {} {} r.", date.day(), MONTHS[date.month0() as usize], date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_the_polish_way() {
        assert_eq!(number(1234.0), "1\u{a0}234");
        assert_eq!(number(69_518.09), "69\u{a0}518,09");
        assert_eq!(number(-3.0), "-3");
        assert_eq!(number(0.5), "0,5");
        assert_eq!(number(1_234_567.25), "1\u{a0}234\u{a0}567,25");
    }

    #[test]
    fn dates_are_written_with_the_month_in_words() {
        let day = |y, m, d| chrono::NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(date(day(2026, 2, 13)), "13 lutego 2026 r.");
        assert_eq!(date(day(2025, 9, 1)), "1 września 2025 r.");
        assert_eq!(date(day(2025, 12, 31)), "31 grudnia 2025 r.");
    }

    #[test]
    fn money_is_written_the_polish_way() {
        assert_eq!(pln(41_398_500), "413\u{a0}985,00 zł");
        assert_eq!(pln(5), "0,05 zł");
        assert_eq!(amount(-123_456_789), "-1\u{a0}234\u{a0}567,89");
        assert_eq!(amount(100_000), "1\u{a0}000,00");
    }

    #[test]
    fn polish_plural_forms() {
        let errors = |n| count(n, "błąd", "błędy", "błędów");
        assert_eq!(errors(0), "0 błędów");
        assert_eq!(errors(1), "1 błąd");
        assert_eq!(errors(2), "2 błędy");
        assert_eq!(errors(4), "4 błędy");
        assert_eq!(errors(5), "5 błędów");
        assert_eq!(errors(12), "12 błędów");
        assert_eq!(errors(14), "14 błędów");
        assert_eq!(errors(22), "22 błędy");
        assert_eq!(errors(112), "112 błędów");
        assert_eq!(errors(101), "101 błędów");
    }
}
