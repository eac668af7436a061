//! Year on year in words for the draft report: "Liczba rodzin objętych wsparciem asystenta
//! rodziny wzrosła z 42 do 49 (o 7).", with the verb agreeing with the label's head noun.
//!
//! The rules, in order:
//! - the head noun is the label's first word, or its second when the first is an adjective
//!   ("Łączna liczba", "Najdłuższy czas"), looked up in a small lexicon: `Liczba …` is
//!   feminine (`wzrosła`), `Wydatki …`/`Dotacje …` plural (`wzrosły`), `Dofinansowanie …`
//!   neuter (`wzrosło`), `Czas …` masculine (`wzrósł`);
//! - a label naming counted people or things in the plural ("Rodziny, z którymi …") is
//!   said as their number: "Liczba rodzin, z którymi …" (families do not rise, their number
//!   does);
//! - a relative clause in the label (", z którymi …", ", które …") is closed by a comma
//!   before the verb;
//! - a label starting with "w tym" is a part of the indicator above it: it becomes
//!   "W tym …: wzrost z 3 do 5 (o 2)." right after that indicator's sentence, or, when the
//!   indicator above has no sentence, "Wydatki … – w tym …: wzrost …";
//! - a label whose head noun is not in the lexicon gets the same verbless form
//!   ("Pomoc dla …: spadek z 4 do 3 (o 1)."), correct whatever its gender.

use crate::polish;

/// The grammatical gender and number of a label's head noun, which the verb agrees with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agreement {
    /// `liczba`, `kwota`, `wartość`: wzrosła.
    Feminine,
    /// `czas`, `koszt`, `udział`: wzrósł.
    Masculine,
    /// `dofinansowanie`, `wynagrodzenie`: wzrosło.
    Neuter,
    /// `wydatki`, `dotacje`, `koszty` (not masculine-personal): wzrosły.
    Plural,
}

const FEMININE: &[&str] =
    &["liczba", "kwota", "suma", "wartość", "wysokość", "dotacja", "liczebność", "frekwencja", "długość"];
const MASCULINE: &[&str] = &["czas", "koszt", "udział", "odsetek", "wkład", "budżet", "wskaźnik", "okres", "procent"];
const NEUTER: &[&str] = &["dofinansowanie", "współfinansowanie", "finansowanie", "wynagrodzenie"];
const PLURAL: &[&str] = &["wydatki", "dotacje", "koszty", "środki", "nakłady", "dochody", "przychody", "wpływy"];
/// Counted nouns in the plural and their genitive after `Liczba`.
const COUNTED: &[(&str, &str)] = &[
    ("rodziny", "rodzin"),
    ("dzieci", "dzieci"),
    ("osoby", "osób"),
    ("uczniowie", "uczniów"),
    ("kobiety", "kobiet"),
    ("rodzice", "rodziców"),
    ("uczestnicy", "uczestników"),
    ("pracownicy", "pracowników"),
    ("placówki", "placówek"),
];

impl Agreement {
    /// The verb for a rise, a fall and no change: `wzrosła`, `spadła`, `nie zmieniła się`.
    pub fn verbs(self) -> [&'static str; 3] {
        match self {
            Agreement::Feminine => ["wzrosła", "spadła", "nie zmieniła się"],
            Agreement::Masculine => ["wzrósł", "spadł", "nie zmienił się"],
            Agreement::Neuter => ["wzrosło", "spadło", "nie zmieniło się"],
            Agreement::Plural => ["wzrosły", "spadły", "nie zmieniły się"],
        }
    }
}

fn words(label: &str) -> impl Iterator<Item = String> + '_ {
    label.split_whitespace().map(|w| w.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase())
}

fn gender_of(word: &str) -> Option<Agreement> {
    let is = |list: &[&str]| list.contains(&word);
    match () {
        _ if is(FEMININE) => Some(Agreement::Feminine),
        _ if is(MASCULINE) => Some(Agreement::Masculine),
        _ if is(NEUTER) => Some(Agreement::Neuter),
        _ if is(PLURAL) => Some(Agreement::Plural),
        _ => None,
    }
}

/// The agreement of `label`'s head noun: its first word, or its second when the first
/// looks like an adjective (ends in -a, -e, -i, -y). None when the head is not known.
pub fn agreement(label: &str) -> Option<Agreement> {
    let mut words = words(label);
    let first = words.next()?;
    gender_of(&first).or_else(|| {
        let adjective = first.ends_with(['a', 'e', 'i', 'y']);
        if adjective { words.next().and_then(|second| gender_of(&second)) } else { None }
    })
}

/// `label` as the subject of a sentence with the agreement of its verb: counted plurals
/// become their number ("Rodziny, z którymi …" → "Liczba rodzin, z którymi …"), and a
/// relative clause is closed by a comma. None when the head noun is not known.
pub fn subject(label: &str) -> Option<(String, Agreement)> {
    let label = label.trim();
    let first = words(label).next()?;
    let (text, agreement) = match COUNTED.iter().find(|(plural, _)| *plural == first) {
        Some((_, genitive)) => {
            let rest = &label[label.find(char::is_whitespace).unwrap_or(label.len())..];
            let rest = rest.trim_start_matches(|c: char| c.is_whitespace());
            let comma = if label.split_whitespace().next().is_some_and(|w| w.ends_with(',')) { "," } else { "" };
            (format!("Liczba {genitive}{comma} {rest}").trim_end().to_string(), Agreement::Feminine)
        }
        None => (label.to_string(), agreement(label)?),
    };
    let relative = text.split(", ").skip(1).any(|part| words(part).take(3).any(|w| w.starts_with("któr")));
    Some((if relative { format!("{text},") } else { text }, agreement))
}

/// How the numbers of an indicator are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Notation {
    /// A count or a decimal: `42`, `2,5`.
    Number,
    /// Money: `69 518,09 zł`.
    Money,
}

/// One indicator compared with the year before.
#[derive(Debug, Clone, PartialEq)]
pub struct Compared<'a> {
    /// The indicator's label as defined.
    pub label: &'a str,
    /// How its numbers are written.
    pub notation: Notation,
    /// Last year's total; None when there is none or it is not a number (yes/no).
    pub before: Option<f64>,
    /// This year's total; None when there is none or it is not a number (yes/no).
    pub now: Option<f64>,
}

/// `hundredths` (a value × 100) as the report writes it.
fn shown(hundredths: i64, notation: Notation) -> String {
    match notation {
        Notation::Money => polish::pln(hundredths),
        Notation::Number => polish::number(hundredths as f64 / 100.0),
    }
}

/// What changed, without the subject: `wzrosła z 42 do 49 (o 7)` with `verbs`, or
/// `wzrost z 42 do 49 (o 7)` without (non-breaking spaces after `z`, `do` and `o`).
fn predicate(before: f64, now: f64, notation: Notation, verbs: Option<[&str; 3]>) -> String {
    let (before, now) = ((before * 100.0).round() as i64, (now * 100.0).round() as i64);
    let [rose, fell, same] = verbs.unwrap_or(["wzrost", "spadek", "bez zmian"]);
    let verb = match now.cmp(&before) {
        std::cmp::Ordering::Greater => rose,
        std::cmp::Ordering::Less => fell,
        std::cmp::Ordering::Equal => return format!("{same} ({})", shown(now, notation)),
    };
    let by = shown((now - before).abs(), notation);
    // Non-breaking spaces: a one-letter word never ends a line, nor is a number parted from
    // its preposition.
    format!("{verb} z\u{a0}{} do\u{a0}{} (o\u{a0}{by})", shown(before, notation), shown(now, notation))
}

/// The words that introduce a part ("W tym", "Z tego", as a sentence starts them) and the
/// rest of a part's label: `w tym na rodzinną pieczę zastępczą`, or a breakdown's generated
/// `w tym: staż` and `z tego: kobiety`; None for any other label.
fn part_of(label: &str) -> Option<(&'static str, &str)> {
    let label = label.trim();
    [("w tym", "W tym"), ("z tego", "Z tego")].into_iter().find_map(|(words, shown)| {
        let head = label.get(..words.len())?;
        let rest = &label[words.len()..];
        let separated = rest.starts_with([' ', ':']);
        (head.eq_ignore_ascii_case(words) && separated).then(|| (shown, rest.trim_start_matches([' ', ':'])))
    })
}

/// The sentence for an indicator that is not a part of another: with a verb agreeing with
/// the head noun, or verbless when the head noun is not known.
pub fn sentence(label: &str, before: f64, now: f64, notation: Notation) -> String {
    match subject(label) {
        Some((subject, agreement)) => {
            format!("{subject} {}.", predicate(before, now, notation, Some(agreement.verbs())))
        }
        None => format!("{}: {}.", label.trim(), predicate(before, now, notation, None)),
    }
}

/// The sentences for a task's indicators in the order of the definition, one per indicator
/// with a number in both years; "w tym" parts follow the indicator above them (see the
/// module's rules).
pub fn sentences(indicators: &[Compared]) -> Vec<String> {
    let mut out = Vec::new();
    // The last indicator that is not a part, and whether it got a sentence.
    let mut whole: Option<(&str, bool)> = None;
    for indicator in indicators {
        let change = indicator.before.zip(indicator.now);
        let Some((words, part)) = part_of(indicator.label) else {
            whole = Some((indicator.label, change.is_some()));
            if let Some((before, now)) = change {
                out.push(sentence(indicator.label, before, now, indicator.notation));
            }
            continue;
        };
        let Some((before, now)) = change else { continue };
        let what = predicate(before, now, indicator.notation, None);
        out.push(match whole {
            Some((_, true)) => format!("{words} {part}: {what}."),
            Some((label, false)) => format!("{} – {} {part}: {what}.", label.trim(), words.to_lowercase()),
            None => format!("{}: {what}.", capitalized(part)),
        });
    }
    out
}

fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |c| c.to_uppercase().chain(chars).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn number(label: &str, before: f64, now: f64) -> Compared<'_> {
        Compared { label, notation: Notation::Number, before: Some(before), now: Some(now) }
    }

    fn money(label: &str, before: f64, now: f64) -> Compared<'_> {
        Compared { label, notation: Notation::Money, before: Some(before), now: Some(now) }
    }

    #[test]
    fn the_head_noun_gives_gender_and_number() {
        let cases = [
            ("Liczba rodzin objętych wsparciem asystenta rodziny", Some(Agreement::Feminine)),
            ("Łączna liczba godzin szkoleń", Some(Agreement::Feminine)),
            ("Wydatki na dożywianie dzieci", Some(Agreement::Plural)),
            ("Dotacje gminy dla placówek wsparcia dziennego", Some(Agreement::Plural)),
            ("Dofinansowanie z programu „Asystent rodziny”", Some(Agreement::Neuter)),
            ("Najdłuższy czas oczekiwania na pierwszą wizytę u specjalisty", Some(Agreement::Masculine)),
            ("Czy zajęcia szkoły rodzenia są bezpłatne dla mieszkańców gminy", None),
            ("Pomoc liczba", None),
        ];
        for (label, expected) in cases {
            assert_eq!(agreement(label), expected, "{label}");
        }
    }

    #[test]
    fn counted_plurals_are_said_as_their_number_and_clauses_are_closed() {
        assert_eq!(
            subject("Rodziny, z którymi asystent pracował do 3 miesięcy"),
            Some(("Liczba rodzin, z którymi asystent pracował do 3 miesięcy,".to_string(), Agreement::Feminine))
        );
        assert_eq!(
            subject("Liczba rodzin, które otrzymały pomoc rzeczową (żywność, odzież, paczki)").unwrap().0,
            "Liczba rodzin, które otrzymały pomoc rzeczową (żywność, odzież, paczki),"
        );
        assert_eq!(
            subject("Liczba kampanii społecznych na rzecz rodziny").unwrap().0,
            "Liczba kampanii społecznych na rzecz rodziny"
        );
    }

    #[test]
    fn rises_falls_and_no_change_agree_with_the_label() {
        let label = "Liczba rodzin objętych wsparciem asystenta rodziny";
        assert_eq!(
            sentence(label, 42.0, 49.0, Notation::Number),
            format!("{label} wzrosła z\u{a0}42 do\u{a0}49 (o\u{a0}7).")
        );
        assert_eq!(
            sentence(label, 49.0, 42.0, Notation::Number),
            format!("{label} spadła z\u{a0}49 do\u{a0}42 (o\u{a0}7).")
        );
        assert_eq!(sentence(label, 42.0, 42.0, Notation::Number), format!("{label} nie zmieniła się (42)."));
        assert_eq!(
            sentence("Najdłuższy czas oczekiwania na pierwszą wizytę u specjalisty", 30.0, 21.0, Notation::Number),
            "Najdłuższy czas oczekiwania na pierwszą wizytę u specjalisty spadł z\u{a0}30 do\u{a0}21 (o\u{a0}9)."
        );
        assert_eq!(
            sentence("Najdłuższy czas oczekiwania na pierwszą wizytę u specjalisty", 21.0, 30.0, Notation::Number),
            "Najdłuższy czas oczekiwania na pierwszą wizytę u specjalisty wzrósł z\u{a0}21 do\u{a0}30 (o\u{a0}9)."
        );
        assert_eq!(
            sentence("Dofinansowanie z programu „Asystent rodziny”", 1000.0, 1000.0, Notation::Money),
            "Dofinansowanie z programu „Asystent rodziny” nie zmieniło się (1\u{a0}000,00 zł)."
        );
        assert_eq!(
            sentence("Dotacje gminy dla placówek wsparcia dziennego", 100.0, 90.0, Notation::Money),
            "Dotacje gminy dla placówek wsparcia dziennego spadły z\u{a0}100,00 zł do\u{a0}90,00 zł (o\u{a0}10,00 zł)."
        );
        assert_eq!(
            sentence("Rodziny, z którymi asystent pracował powyżej 1 roku", 5.0, 8.0, Notation::Number),
            "Liczba rodzin, z którymi asystent pracował powyżej 1 roku, wzrosła z\u{a0}5 do\u{a0}8 (o\u{a0}3)."
        );
    }

    #[test]
    fn amounts_are_money_and_decimals_have_a_comma() {
        assert_eq!(
            sentence("Wydatki na dożywianie dzieci", 64_800.5, 69_518.09, Notation::Money),
            "Wydatki na dożywianie dzieci wzrosły z\u{a0}64\u{a0}800,50 zł do\u{a0}69\u{a0}518,09 zł (o\u{a0}4\u{a0}717,59 zł)."
        );
        assert_eq!(
            sentence("Liczba asystentów rodziny w przeliczeniu na etaty", 2.5, 3.0, Notation::Number),
            "Liczba asystentów rodziny w przeliczeniu na etaty wzrosła z\u{a0}2,5 do\u{a0}3 (o\u{a0}0,5)."
        );
        assert_eq!(
            sentence("Łączna liczba godzin szkoleń", 19.5, 12.25, Notation::Number),
            "Łączna liczba godzin szkoleń spadła z\u{a0}19,5 do\u{a0}12,25 (o\u{a0}7,25)."
        );
        // Float noise is not a change.
        assert_eq!(
            sentence("Łączna liczba godzin szkoleń", 0.1 + 0.2, 0.3, Notation::Number),
            "Łączna liczba godzin szkoleń nie zmieniła się (0,3)."
        );
    }

    #[test]
    fn every_numeric_sample_label_has_a_known_head_or_is_a_part() {
        let sample = include_str!("../sample/06_Wskazniki.tsv");
        let mut checked = 0;
        for line in sample.lines().skip(1) {
            let fields: Vec<&str> = line.split('\t').collect();
            if fields[4] == "tak/nie" || fields[4] == "status zadania" {
                continue;
            }
            assert!(part_of(fields[2]).is_some() || subject(fields[2]).is_some(), "{}", fields[2]);
            checked += 1;
        }
        assert_eq!(checked, 95);
    }

    #[test]
    fn unknown_heads_get_the_verbless_form() {
        assert_eq!(
            sentence("Pomoc dla rodzin wielodzietnych", 4.0, 3.0, Notation::Number),
            "Pomoc dla rodzin wielodzietnych: spadek z\u{a0}4 do\u{a0}3 (o\u{a0}1)."
        );
    }

    #[test]
    fn parts_follow_their_whole() {
        let said = sentences(&[
            money("Wydatki gminy na współfinansowanie pieczy zastępczej", 400_000.0, 413_985.0),
            money("w tym na rodzinną pieczę zastępczą", 150_000.0, 150_000.0),
            money("w tym na placówki opiekuńczo-wychowawcze", 250_000.0, 263_985.0),
            Compared {
                label: "Liczba dzieci z gminy w pieczy zastępczej",
                notation: Notation::Number,
                before: None,
                now: Some(12.0),
            },
            number("w tym w rodzinnej pieczy zastępczej", 6.0, 5.0),
            number("Rodziny, z którymi zakończono pracę asystenta w ciągu roku", 10.0, 12.0),
            number("W tym rodziny zobowiązane do pracy z asystentem postanowieniem sądu", 3.0, 3.0),
        ]);
        assert_eq!(
            said,
            vec![
                "Wydatki gminy na współfinansowanie pieczy zastępczej wzrosły z\u{a0}400\u{a0}000,00 zł do\u{a0}413\u{a0}985,00 zł (o\u{a0}13\u{a0}985,00 zł).",
                "W tym na rodzinną pieczę zastępczą: bez zmian (150\u{a0}000,00 zł).",
                "W tym na placówki opiekuńczo-wychowawcze: wzrost z\u{a0}250\u{a0}000,00 zł do\u{a0}263\u{a0}985,00 zł (o\u{a0}13\u{a0}985,00 zł).",
                "Liczba dzieci z gminy w pieczy zastępczej – w tym w rodzinnej pieczy zastępczej: spadek z\u{a0}6 do\u{a0}5 (o\u{a0}1).",
                "Liczba rodzin, z którymi zakończono pracę asystenta w ciągu roku, wzrosła z\u{a0}10 do\u{a0}12 (o\u{a0}2).",
                "W tym rodziny zobowiązane do pracy z asystentem postanowieniem sądu: bez zmian (3).",
            ]
        );
        assert_eq!(
            sentences(&[number("w tym z innych przyczyn", 1.0, 2.0)]),
            vec!["Z innych przyczyn: wzrost z\u{a0}1 do\u{a0}2 (o\u{a0}1)."]
        );
    }

    #[test]
    fn a_breakdowns_generated_parts_read_as_parts() {
        let said = sentences(&[
            number("Liczba osób korzystających z poradnictwa", 2300.0, 2439.0),
            number("z tego: kobiety", 1300.0, 1409.0),
            number("z tego: mężczyźni", 1000.0, 1030.0),
            number("w tym: staż", 32.0, 32.0),
        ]);
        assert_eq!(
            said,
            [
                "Liczba osób korzystających z poradnictwa wzrosła z\u{a0}2\u{a0}300 do\u{a0}2\u{a0}439 (o\u{a0}139).",
                "Z tego kobiety: wzrost z\u{a0}1\u{a0}300 do\u{a0}1\u{a0}409 (o\u{a0}109).",
                "Z tego mężczyźni: wzrost z\u{a0}1\u{a0}000 do\u{a0}1\u{a0}030 (o\u{a0}30).",
                "W tym staż: bez zmian (32).",
            ]
        );
        assert_eq!(part_of("w tymczasowych"), None, "a word that only starts like the marker is no part");
    }

    #[test]
    fn no_number_in_either_year_no_sentence() {
        let one = |before, now| Compared { label: "Liczba kart", notation: Notation::Number, before, now };
        assert!(sentences(&[one(None, Some(3.0)), one(Some(3.0), None), one(None, None)]).is_empty());
        assert_eq!(sentences(&[one(Some(0.0), Some(3.0))]), vec!["Liczba kart wzrosła z\u{a0}0 do\u{a0}3 (o\u{a0}3)."]);
    }
}
