//! The two fixed texts of every finding code, in one table: what it means and what to do,
//! for the coordinator; and what the institution is asked, in the formal register, with no
//! file names and nothing meant for the coordinator. A finding's own message says what
//! happened in that cell; these say what follows from it.

use super::findings::Code;

/// The two texts of a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Texts {
    /// For the coordinator: what happened and what to do.
    pub coordinator: &'static str,
    /// For the institution (feedback workbook, e-mail): what is asked of it, formally.
    pub institution: &'static str,
}

const fn texts(coordinator: &'static str, institution: &'static str) -> Texts {
    Texts { coordinator, institution }
}

/// A file the institution has to send again.
const SEND_AGAIN: &str = "Prosimy o ponowne przesłanie wypełnionego formularza.";
/// A value the institution has to check.
const PLEASE_CHECK: &str = "Prosimy o sprawdzenie tej wartości i, jeśli trzeba, o jej poprawienie.";

/// Every code with its two texts, in the order of [`Code::ALL`] (a test checks that each
/// code has its row).
const TEXTS: [(Code, Texts); Code::ALL.len()] = {
    use Code::*;
    [
        (
            FileSkipped,
            texts(
                "Plik w folderze odpowiedzi nie jest arkuszem (np. PDF, Word); gpwr go nie czytał. Sprawdź, czy to nie załącznik z danymi wysłany w złym formacie.",
                "Prosimy o przesłanie danych w formularzu w formacie Excel (.xlsx), a nie w innym pliku.",
            ),
        ),
        (
            FolderUnreadable,
            texts(
                "Podfolderu nie można było odczytać (brak uprawnień); jego plików nie zebrano. Nadaj uprawnienia albo przenieś pliki i uruchom zbieranie ponownie.",
                SEND_AGAIN,
            ),
        ),
        (
            FileEmpty,
            texts(
                "Plik jest pusty (0 bajtów), zwykle po nieudanym zapisie załącznika. Poproś instytucję o ponowne przesłanie formularza.",
                "Otrzymany plik jest pusty. Prosimy o ponowne przesłanie wypełnionego formularza.",
            ),
        ),
        (
            FileNotSpreadsheet,
            texts(
                "Zawartość pliku nie jest arkuszem, niezależnie od rozszerzenia. Poproś o formularz w formacie Excel.",
                "Otrzymany plik nie jest arkuszem kalkulacyjnym. Prosimy o przesłanie wypełnionego formularza w formacie Excel (.xlsx).",
            ),
        ),
        (
            FileCorrupt,
            texts(
                "Plik jest uszkodzony albo ucięty i nie daje się odczytać. Poproś instytucję o ponowne przesłanie formularza.",
                "Otrzymanego pliku nie da się otworzyć: jest uszkodzony albo niekompletny. Prosimy o ponowne zapisanie formularza i przesłanie go jeszcze raz.",
            ),
        ),
        (
            FileUnreadable,
            texts(
                "Pliku nie można było odczytać z dysku (uprawnienia, plik otwarty w innym programie albo usunięty w trakcie). Sprawdź plik i uruchom zbieranie ponownie.",
                SEND_AGAIN,
            ),
        ),
        (
            LinkOutsideInbox,
            texts(
                "Łącze symboliczne w folderze odpowiedzi prowadzi poza ten folder; gpwr go nie otwiera. Jeśli to formularz, skopiuj sam plik do folderu odpowiedzi.",
                SEND_AGAIN,
            ),
        ),
        (
            LinkBroken,
            texts(
                "Łącze symboliczne w folderze odpowiedzi nie prowadzi do żadnego pliku (plik usunięto albo łącza tworzą pętlę). Usuń je albo zastąp właściwym plikiem.",
                SEND_AGAIN,
            ),
        ),
        (
            FileEncrypted,
            texts(
                "Plik jest zabezpieczony hasłem do otwarcia, więc nie da się go odczytać. Poproś o plik bez hasła.",
                "Otrzymany plik jest zabezpieczony hasłem. Prosimy o przesłanie formularza bez hasła do otwarcia.",
            ),
        ),
        (
            FileTooLarge,
            texts(
                "Plik przekracza limit rozmiaru albo liczby komórek (np. dołączono inne dane albo to bomba zip). Poproś o odesłanie samego formularza.",
                "Otrzymany plik jest zbyt duży. Prosimy o przesłanie samego formularza, bez dodatkowych arkuszy i danych.",
            ),
        ),
        (
            FormatMismatch,
            texts(
                "Rozszerzenie pliku nie odpowiada jego zawartości (np. .xlsx nazwany .xls); odczytano go według zawartości. Nic nie trzeba robić.",
                "Rozszerzenie nazwy pliku nie odpowiada jego formatowi. Prosimy w przyszłości zapisywać formularz przez „Zapisz jako” zamiast zmieniać nazwę pliku.",
            ),
        ),
        (
            NoIdentity,
            texts(
                "Plik nie pochodzi z formularza gpwr (brak identyfikatora GPWR); danych z niego nie odczytano. Poproś instytucję o odesłanie danych w jej formularzu.",
                "Otrzymany plik nie jest formularzem przesłanym przez koordynatora. Prosimy o wpisanie danych do formularza z naszej wiadomości i odesłanie go.",
            ),
        ),
        (
            IdentityInconsistent,
            texts(
                "Kopie identyfikatora formularza się różnią (np. skopiowano arkusz z cudzego formularza); przyjęto wersję większości. Sprawdź, czy to właściwa instytucja.",
                "Formularz zawiera części formularza innej instytucji. Prosimy o sprawdzenie, czy przesłano właściwy plik.",
            ),
        ),
        (
            OtherProgramme,
            texts(
                "Formularz innego programu; pominięto go. Poproś o formularz bieżącego programu.",
                "Przesłany formularz dotyczy innego programu. Prosimy o wypełnienie formularza z naszej wiadomości.",
            ),
        ),
        (
            OtherYear,
            texts(
                "Formularz za inny rok (zwykle zeszłoroczny); pominięto go. Poproś o formularz za bieżący rok.",
                "Przesłany formularz dotyczy innego roku niż bieżące sprawozdanie. Prosimy o wypełnienie formularza z naszej wiadomości.",
            ),
        ),
        (
            UnknownInstitution,
            texts(
                "Formularz instytucji, której nie ma w definicji programu; pominięto go. Dopisz instytucję do arkusza „Instytucje” albo wyjaśnij, skąd pochodzi plik.",
                "Przesłany formularz nie jest przypisany do Państwa instytucji. Prosimy o wypełnienie formularza z naszej wiadomości.",
            ),
        ),
        (
            CatalogueChanged,
            texts(
                "Formularz powstał z wcześniejszej wersji listy wskaźników; wartości odczytano według identyfikatorów. Sprawdź brakujące wiersze.",
                "Formularz pochodzi z wcześniejszej wersji. Przy kolejnym sprawozdaniu prosimy korzystać z najnowszego formularza.",
            ),
        ),
        (
            Duplicate,
            texts(
                "Instytucja przysłała kilka plików; użyto najnowszego, ten pominięto. Sprawdź różnice między wersjami.",
                "Otrzymaliśmy kilka wersji formularza; uwzględniono najnowszą. Prosimy o sprawdzenie, czy to właściwa wersja.",
            ),
        ),
        (
            VersionsDiffer,
            texts(
                "Wartość różni się między wersjami pliku tej samej instytucji; użyto wersji wybranej. Sprawdź, czy to właściwa.",
                "Ta wartość różni się w przesłanych wersjach formularza. Prosimy o potwierdzenie, która jest właściwa.",
            ),
        ),
        (
            NotReturned,
            texts(
                "Instytucja nie odesłała formularza. Wyślij przypomnienie (gpwr mail --collected).",
                "Nie otrzymaliśmy jeszcze formularza. Prosimy o jego wypełnienie i odesłanie.",
            ),
        ),
        (
            SheetMissing,
            texts(
                "Brak arkusza formularza; jego danych nie odczytano. Poproś o odesłanie całego formularza.",
                "W formularzu brakuje arkusza. Prosimy o przesłanie całego formularza, bez usuwania arkuszy.",
            ),
        ),
        (
            ColumnMissing,
            texts(
                "Brak nagłówka kolumny formularza; wartości z arkusza nie odczytano. Poproś o przywrócenie nagłówków.",
                "W formularzu usunięto albo zmieniono nagłówek kolumny. Prosimy o przywrócenie nagłówków i ponowne przesłanie formularza.",
            ),
        ),
        (
            ExtraSheet,
            texts(
                "Arkusz spoza formularza; jego komórki zachowano w inne_komorki.csv. Sprawdź, czy nie ma w nim danych do przepisania.",
                "Do formularza dodano arkusz, którego nie odczytujemy. Prosimy o wpisywanie danych tylko w polach formularza.",
            ),
        ),
        (
            RowMissing,
            texts(
                "Brak wiersza wskaźnika (usunięty albo zmieniono jego ID); wartości nie ma. Poproś o przywrócenie wiersza.",
                "W formularzu brakuje wiersza tego wskaźnika. Prosimy o przywrócenie wiersza (np. z formularza z naszej wiadomości) i wpisanie wartości.",
            ),
        ),
        (
            RowRepeated,
            texts(
                "Ten sam wskaźnik występuje w dwóch wierszach; użyto pierwszego, drugi zachowano w inne_komorki.csv. Ustal z instytucją właściwą wartość.",
                "Wskaźnik występuje w formularzu dwa razy. Prosimy o pozostawienie jednego wiersza z właściwą wartością.",
            ),
        ),
        (
            UnknownIndicator,
            texts(
                "Wiersz z identyfikatorem, o który ta instytucja nie była pytana; zachowano go w inne_komorki.csv. Sprawdź, czy nie zmieniono ID.",
                "Formularz zawiera wiersz, o który nie prosiliśmy. Prosimy nie zmieniać kolumny „ID” i nie dodawać wierszy.",
            ),
        ),
        (
            CellOutsideForm,
            texts(
                "Wpis poza polami formularza; zachowano go w inne_komorki.csv. Sprawdź, czy nie należy do któregoś wskaźnika.",
                "Wpisano coś poza polami formularza. Prosimy o wpisywanie danych tylko w żółtych polach, a uwag w kolumnie „Komentarz”.",
            ),
        ),
        (
            NumberFromText,
            texts(
                "Liczbę odczytano z tekstu (np. „12 rodzin”); oryginał zachowano. Nic nie trzeba robić.",
                "Liczbę wpisano razem z tekstem. Prosimy w przyszłości wpisywać same liczby, bez słów i jednostek.",
            ),
        ),
        (
            Approximate,
            texts(
                "Wartość przybliżona (np. „ok. 470”); odczytano liczbę. Sprawdź, czy przybliżenie wystarczy.",
                "Wpisano wartość przybliżoną. Prosimy o podanie dokładnej liczby, jeśli jest znana.",
            ),
        ),
        (
            AmbiguousNumber,
            texts(
                "Liczba z jednym separatorem i trzema cyframi po nim (np. „1.234”) odczytana po polsku; sprawdź, czy to tysiące, czy ułamek.",
                "Zapis liczby jest niejednoznaczny. Prosimy o sprawdzenie wartości i wpisanie jej bez separatora tysięcy.",
            ),
        ),
        (
            TextNotNumber,
            texts(
                "Tekst zamiast liczby; tekst zachowano, ale nie wchodzi do sum. Poproś o liczbę albo wpisz ją z odpowiedzi instytucji.",
                "W polu liczbowym wpisano tekst. Prosimy o wpisanie samej liczby, a wyjaśnień w kolumnie „Komentarz”.",
            ),
        ),
        (
            Dash,
            texts(
                "Sama kreska „-”: odczytano jako „brak danych”, nie jako 0. Sprawdź, czy instytucja nie miała na myśli zera.",
                "Wpisano kreskę. Prosimy o wpisanie liczby (także 0) albo o wybranie „nie dotyczy” lub „brak danych” w kolumnie „Brak wartości”.",
            ),
        ),
        (
            DateNotNumber,
            texts(
                "Data w polu liczbowym (Excel zamienia np. „3.5” na 3 maja); wartości nie odczytano. Poproś o poprawkę.",
                "Arkusz zamienił wpisaną liczbę na datę. Prosimy o wpisanie liczby ponownie (z przecinkiem, np. 3,5).",
            ),
        ),
        (Negative, texts("Wartość ujemna tam, gdzie jej być nie może. Poproś o poprawkę.", PLEASE_CHECK)),
        (
            FractionInCount,
            texts(
                "Ułamek w polu liczby całkowitej (osób, rodzin, zdarzeń); zachowano go. Poproś o poprawkę.",
                "Wskaźnik liczy osoby, rodziny lub zdarzenia, więc powinien być liczbą całkowitą. Prosimy o poprawienie wartości.",
            ),
        ),
        (
            TooManyDecimals,
            texts(
                "Kwota w złotych z więcej niż dwoma miejscami po przecinku; zachowano ją. Sprawdź ją.",
                "Kwota ma więcej niż dwa miejsca po przecinku. Prosimy o podanie kwoty w złotych z groszami.",
            ),
        ),
        (
            OutOfBounds,
            texts(
                "Wartość poza zakresem wiarygodności z definicji programu. Sprawdź ją z instytucją.",
                "Wartość wykracza poza zakres zwykle spotykany dla tego wskaźnika. Prosimy o jej sprawdzenie; jeśli jest prawidłowa, prosimy o potwierdzenie w kolumnie „Komentarz”.",
            ),
        ),
        (
            NotYesNo,
            texts(
                "W polu tak/nie jest coś innego niż „tak” lub „nie”. Poproś o poprawkę.",
                "Prosimy o wybranie z listy „tak” albo „nie”.",
            ),
        ),
        (
            NotTaskStatus,
            texts(
                "W polu stanu realizacji zadania jest coś innego niż „zrealizowano”, „w trakcie”, „nie zrealizowano” lub „nie dotyczy”; tekst zachowano. Poproś o wybór z listy.",
                "Prosimy o wybranie stanu realizacji zadania z listy: „zrealizowano”, „w trakcie”, „nie zrealizowano” albo „nie dotyczy”.",
            ),
        ),
        (
            FormulaWithoutResult,
            texts(
                "Formuła bez zapisanego wyniku (plik zapisał program, który nie przelicza formuł); wartości nie odczytano. Poproś o zapisanie pliku w Excelu lub LibreOffice.",
                "W polu jest formuła bez wyniku. Prosimy o wpisanie samej wartości albo o ponowne zapisanie pliku w programie Excel lub LibreOffice Calc.",
            ),
        ),
        (
            CellError,
            texts(
                "Komórka zawiera błąd arkusza (np. #DZIEL/0!); wartości nie odczytano. Poproś o poprawkę.",
                "W polu jest błąd obliczenia arkusza. Prosimy o wpisanie wartości liczbą.",
            ),
        ),
        (
            RequiredMissing,
            texts(
                "Brak wymaganej wartości i nie podano powodu („nie dotyczy”, „brak danych”). Poproś o uzupełnienie.",
                "Brakuje wymaganej wartości. Prosimy o jej wpisanie albo o wybranie „nie dotyczy” lub „brak danych” w kolumnie „Brak wartości”.",
            ),
        ),
        (
            PartWithoutWhole,
            texts(
                "Podano liczbę w części podziału, a całość oznaczono „nie dotyczy”; część wchodzi do sum. Ustal z instytucją, czy całość nie powinna być liczbą.",
                "Podali Państwo liczbę w części, a całość oznaczyli „nie dotyczy”. Prosimy o wpisanie całości liczbą albo o usunięcie części.",
            ),
        ),
        (
            ValueAndReason,
            texts(
                "Podano wartość i jednocześnie powód jej braku; przyjęto wartość. Sprawdź, co jest prawdą.",
                "Podano wartość i jednocześnie powód jej braku. Prosimy o pozostawienie tylko jednego z nich.",
            ),
        ),
        (
            ReasonInValueCell,
            texts(
                "„nie dotyczy”/„brak danych” wpisano w polu wartości zamiast wybrać w kolumnie obok; odczytano tak samo. Nic nie trzeba robić.",
                "Prosimy w przyszłości wybierać „nie dotyczy” lub „brak danych” w kolumnie „Brak wartości”, a nie wpisywać w polu wartości.",
            ),
        ),
        (
            UnknownReason,
            texts(
                "W kolumnie powodu braku wartości jest coś innego niż „nie dotyczy” lub „brak danych”. Sprawdź, o co chodziło.",
                "Prosimy o wybranie z listy „nie dotyczy” albo „brak danych” w kolumnie „Brak wartości”.",
            ),
        ),
        (
            ActivityInvalid,
            texts(
                "Wiersz działania z nieczytelną datą lub liczbą uczestników; zachowano tekst. Sprawdź go przed sprawozdaniem.",
                "W wierszu działania data lub liczba uczestników jest nieczytelna. Prosimy o wpisanie daty (dd.mm.rrrr) i liczby uczestników liczbą.",
            ),
        ),
        (
            NeedInvalid,
            texts(
                "Wiersz potrzeby z nieczytelnym kosztem, kategorią lub zadaniem; zachowano tekst. Sprawdź go przed zestawieniem potrzeb.",
                "W wierszu potrzeby koszt, kategoria lub zadanie są nieczytelne. Prosimy o wpisanie kosztu liczbą i wybranie kategorii oraz zadania z listy.",
            ),
        ),
        (
            DateOutsideYear,
            texts(
                "Data spoza roku sprawozdania. Sprawdź, czy to pomyłka w roku.",
                "Data nie należy do roku, którego dotyczy sprawozdanie. Prosimy o jej sprawdzenie.",
            ),
        ),
        (
            PersonalData,
            texts(
                "W tekście jest coś, co wygląda na dane osobowe (PESEL ukryto we wszystkich wynikach, imię i nazwisko z adresem zgłoszono). Nie przekazuj tego dalej i poproś o usunięcie.",
                "W formularzu wpisano dane, które wyglądają na dane osobowe. Prosimy o ich usunięcie: sprawozdanie zawiera tylko dane zbiorcze.",
            ),
        ),
        (
            ControlCharacters,
            texts(
                "Niewidoczne znaki sterujące lub zmieniające kierunek tekstu; w wynikach zapisano je jako [U+XXXX]. Sprawdź, skąd pochodzą.",
                "Tekst zawiera niewidoczne znaki (zwykle po wklejeniu z innego programu). Prosimy o wpisanie go ponownie z klawiatury.",
            ),
        ),
        (
            FormulaLikeText,
            texts(
                "Tekst, który arkusz wykonałby jak formułę (=…, +…, @…); zachowano go tylko jako tekst. Nie otwieraj plików CSV podwójnym kliknięciem.",
                "Tekst zaczyna się od znaku formuły (=, +, -, @). Prosimy o wpisanie go bez tego znaku na początku.",
            ),
        ),
        (
            TextTooLong,
            texts(
                "Tekst dłuższy, niż mieści komórka arkusza (32 767 znaków); zachowano jego początek. Poproś o krótszy opis.",
                "Tekst jest dłuższy, niż mieści jedno pole. Prosimy o skrócenie opisu.",
            ),
        ),
        (
            PlacementInvalid,
            texts(
                "Wiersz umieszczenia w pieczy bez czytelnego kodu, formy, daty lub wydatków (albo koniec przed początkiem); pominięto go we współfinansowaniu. Poproś PCPR o poprawkę.",
                "W tym wierszu umieszczenia brakuje danych albo są nieczytelne (kod dziecka, forma pieczy, daty, miesięczne wydatki) albo data zakończenia jest wcześniejsza niż data umieszczenia. Prosimy o uzupełnienie lub poprawienie wiersza.",
            ),
        ),
        (
            PlacementCostsInvalid,
            texts(
                "Miesięczne wydatki umieszczenia podane sprzecznie (data sprzed umieszczenia lub po jego końcu, dwie kwoty od jednego dnia, różne daty zakończenia albo brak kwoty od początku); umieszczenie pominięto we współfinansowaniu. Poproś PCPR o poprawkę.",
                "Wiersze tego samego umieszczenia (ten sam kod dziecka, forma pieczy i data umieszczenia) podają miesięczne wydatki sprzecznie. Prosimy o sprawdzenie kwot i dat w kolumnie „Wydatki obowiązują od”.",
            ),
        ),
        (
            PlacementsOverlap,
            texts(
                "Dwa umieszczenia tego samego dziecka nakładają się w czasie. Poproś PCPR o wyjaśnienie.",
                "Dwa umieszczenia dziecka o tym samym kodzie nakładają się w czasie. Prosimy o sprawdzenie dat.",
            ),
        ),
        (
            PlacementOutsideYear,
            texts(
                "Umieszczenie skończyło się przed rokiem sprawozdania albo zaczęło po nim. Sprawdź daty.",
                "Okres umieszczenia nie obejmuje roku sprawozdania. Prosimy o sprawdzenie dat.",
            ),
        ),
        (
            ChildCodePersonal,
            texts(
                "Kod dziecka wygląda na imię, nazwisko albo PESEL. Poproś PCPR o zastąpienie go kodem.",
                "Kod dziecka wygląda na dane osobowe. Prosimy o zastąpienie go kodem (np. D01), bez imion, nazwisk i numerów PESEL.",
            ),
        ),
    ]
};

impl Code {
    /// The code's two texts (see [`Texts`]).
    pub fn texts(self) -> Texts {
        TEXTS.iter().find(|(code, _)| *code == self).map_or(
            texts("Zobacz komunikat ustalenia.", "Prosimy o sprawdzenie tego miejsca w formularzu."),
            |(_, texts)| *texts,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_both_texts_and_the_institution_is_addressed_formally() {
        let listed: Vec<Code> = TEXTS.iter().map(|(code, _)| *code).collect();
        assert_eq!(listed, Code::ALL, "one row per code, in the codes' order");
        for code in Code::ALL {
            let Texts { coordinator, institution } = code.texts();
            assert!(coordinator.ends_with('.') && institution.ends_with('.'), "{code}: whole sentences");
            assert!(institution.contains("Prosimy") || institution.contains("prosimy"), "{code}: {institution}");
            for coordinator_only in ["Poproś", "inne_komorki", "gpwr", ".csv", "Sprawdź", "Wpisz", "Popraw "] {
                assert!(!institution.contains(coordinator_only), "{code}: {coordinator_only:?} in {institution:?}");
            }
            assert_ne!(coordinator, institution, "{code}");
        }
    }
}
