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

/// The name a file sent from a browser is saved under: only its last component (a name
/// like `../../x.xlsx` or `C:\x.xlsx` cannot leave the folder), what Windows forbids
/// removed as in [`readable_name`], no leading dot (no hidden files), no reserved Windows
/// device name (`CON.xlsx` becomes `_CON.xlsx`), never empty.
pub fn uploaded_name(given: &str) -> String {
    let last = given.rsplit(['/', '\\']).next().unwrap_or_default();
    let name = readable_name(last, 150);
    let name = name.trim_start_matches(['.', ' ']);
    const RESERVED: [&str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "LPT1",
        "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];
    let stem = name.split('.').next().unwrap_or_default().trim().to_uppercase();
    match name {
        "" => "plik".to_string(),
        _ if RESERVED.contains(&stem.as_str()) => format!("_{name}"),
        _ => name.to_string(),
    }
}

/// `name`, or `name (2)`, `name (3)`… before its extension: the first that `taken` says is
/// free (a file saved never replaces another).
pub fn unique_name(name: &str, taken: impl Fn(&str) -> bool) -> String {
    if !taken(name) {
        return name.to_string();
    }
    let (stem, extension) = match name.rsplit_once('.') {
        Some((stem, extension)) if !stem.is_empty() => (stem, format!(".{extension}")),
        _ => (name, String::new()),
    };
    (2..).map(|n| format!("{stem} ({n}){extension}")).find(|candidate| !taken(candidate)).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::{readable_name, safe_stem, unique_name, uploaded_name};

    #[test]
    fn an_uploaded_name_never_leaves_its_folder() {
        assert_eq!(uploaded_name("../../x.xlsx"), "x.xlsx");
        assert_eq!(uploaded_name("C:\\Users\\ewa\\SP3 - odpowiedź.ods"), "SP3 - odpowiedź.ods");
        assert_eq!(uploaded_name("/etc/passwd"), "passwd");
        assert_eq!(uploaded_name(".gpwr-blokada"), "gpwr-blokada");
        assert_eq!(uploaded_name(".."), "plik");
        assert_eq!(uploaded_name("a\0b:c.xlsx"), "a b c.xlsx");
        assert_eq!(uploaded_name("con.xlsx"), "_con.xlsx");
        assert_eq!(uploaded_name("LPT1"), "_LPT1");
        assert_eq!(uploaded_name("~$Sprawozdanie.xlsx"), "~$Sprawozdanie.xlsx");
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let taken = ["UM.xlsx", "UM (2).xlsx", "README"];
        let is_taken = |n: &str| taken.contains(&n);
        assert_eq!(unique_name("UM.xlsx", is_taken), "UM (3).xlsx");
        assert_eq!(unique_name("SP3.xlsx", is_taken), "SP3.xlsx");
        assert_eq!(unique_name("README", is_taken), "README (2)");
    }

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
