//! File names that are safe on Windows, macOS and Linux and survive e-mail attachments,
//! whatever Polish letters, slashes or quotes an institution's name holds.

/// Transliterates Polish letters to ASCII and replaces every other unsafe character with
/// `_`, folding runs of them; trims to `max_len` characters without a trailing `_`.
pub fn safe_stem(text: &str, max_len: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let mapped = match c {
            'ą' => "a",
            'ć' => "c",
            'ę' => "e",
            'ł' => "l",
            'ń' => "n",
            'ó' => "o",
            'ś' => "s",
            'ź' | 'ż' => "z",
            'Ą' => "A",
            'Ć' => "C",
            'Ę' => "E",
            'Ł' => "L",
            'Ń' => "N",
            'Ó' => "O",
            'Ś' => "S",
            'Ź' | 'Ż' => "Z",
            c if c.is_ascii_alphanumeric() || c == '-' => {
                out.push(c);
                continue;
            }
            _ => "_",
        };
        if mapped == "_" {
            if !out.is_empty() && !out.ends_with('_') {
                out.push('_');
            }
        } else {
            out.push_str(mapped);
        }
    }
    let mut trimmed: String = out.chars().take(max_len).collect();
    while trimmed.ends_with('_') || trimmed.ends_with('-') {
        trimmed.pop();
    }
    trimmed
}

/// A file name that keeps the Polish letters, spaces and typographic quotes of `text` (for
/// an e-mail attachment, where the name is encoded for transport and the recipient sees it
/// as written), with only what Windows forbids removed: `< > : " ? *` and control characters
/// become spaces, slashes and `|` become hyphens, runs of spaces fold into one, and trailing
/// dots and spaces go. Cut to `max_chars` characters at a space where possible.
pub fn readable_name(text: &str, max_chars: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        let mapped = match c {
            '/' | '\\' | '|' => '-',
            '<' | '>' | ':' | '"' | '?' | '*' => ' ',
            c if c.is_control() => ' ',
            c => c,
        };
        if mapped == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(mapped);
    }
    if out.chars().count() > max_chars {
        let cut: String = out.chars().take(max_chars).collect();
        out = match cut.rfind(' ') {
            Some(space) if space > cut.len() / 2 => cut[..space].to_string(),
            _ => cut,
        };
    }
    out.trim_end_matches([' ', '.']).to_string()
}

#[cfg(test)]
mod tests {
    use super::{readable_name, safe_stem};

    #[test]
    fn readable_names_keep_polish_and_drop_what_windows_forbids() {
        assert_eq!(
            readable_name(r#"Stowarzyszenie "Razem" / Świetlica „Promyk”"#, 80),
            "Stowarzyszenie Razem - Świetlica „Promyk”"
        );
        assert_eq!(readable_name("Zespół: ds. przemocy?*\t ", 80), "Zespół ds. przemocy");
        assert_eq!(readable_name("Miejski Ośrodek Pomocy Społecznej w Mielcu", 20), "Miejski Ośrodek");
        assert_eq!(readable_name("Żółć...", 80), "Żółć");
    }

    #[test]
    fn polish_names_become_portable() {
        assert_eq!(
            safe_stem("Miejski Ośrodek Pomocy Społecznej w Mielcu", 80),
            "Miejski_Osrodek_Pomocy_Spolecznej_w_Mielcu"
        );
        assert_eq!(
            safe_stem(r#"Stowarzyszenie "Razem" / Świetlica „Promyk”"#, 80),
            "Stowarzyszenie_Razem_Swietlica_Promyk"
        );
        assert_eq!(safe_stem("CON", 80), "CON");
        assert_eq!(safe_stem("a:b*c?d<e>f|g\\h", 80), "a_b_c_d_e_f_g_h");
        assert_eq!(safe_stem("Żłobek Miejski nr 1 – ul. Długa", 12), "Zlobek_Miejs");
        assert_eq!(safe_stem("...", 10), "");
    }
}
