//! Polish grammar for user-facing counts: `1 błąd`, `3 błędy`, `5 błędów`, `22 błędy`.

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

#[cfg(test)]
mod tests {
    use super::count;

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
