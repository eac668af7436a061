//! Layout helpers shared by every workbook gpwr writes: text cut to what a cell holds, row
//! heights for wrapped text and A4 print setup.

use rust_xlsxwriter::{Workbook, Worksheet};
use std::borrow::Cow;

/// The deflate level of every workbook gpwr writes. With zlib-rs, level 3 packs gpwr's
/// sheets as small as the default level 6 (zestawienie.xlsx at N = 10 000: 8.76 MB against
/// 8.75 MB) in less than half the time.
const ZIP_LEVEL: u8 = 3;

/// The deflate level of a workbook of a few rows (a feedback workbook): most of its time
/// goes to setting up a deflate stream for each of its ten parts, which level 1 does in
/// two thirds of the time of level 3, for a file a few hundred bytes larger.
const SMALL_ZIP_LEVEL: u8 = 1;

/// A new workbook as gpwr writes them all (see [`ZIP_LEVEL`]).
pub fn workbook() -> Workbook {
    deflated_at(ZIP_LEVEL)
}

/// A new workbook of a few rows, written in thousands (see [`SMALL_ZIP_LEVEL`]).
pub fn small_workbook() -> Workbook {
    deflated_at(SMALL_ZIP_LEVEL)
}

fn deflated_at(level: u8) -> Workbook {
    let mut workbook = Workbook::new();
    workbook.set_zip_compression_level(level);
    workbook
}

/// Text as a cell can hold it: Excel allows 32 767 characters; longer text is cut, with a
/// note saying so and where the whole is (`whole_in`, e.g. "w pliku CSV").
pub fn cell_text<'a>(text: &'a str, whole_in: &str) -> Cow<'a, str> {
    const LIMIT: usize = 30_000;
    if text.len() <= LIMIT || text.encode_utf16().count() <= LIMIT {
        return text.into();
    }
    let cut: String = text.chars().take(LIMIT / 2).collect();
    format!("{cut}… [tekst skrócony; całość {whole_in}]").into()
}

/// The tallest row Excel allows, in points.
const MAX_ROW_HEIGHT: f64 = 409.0;

/// The height (points) a row needs so wrapped text is fully visible: LibreOffice and Excel
/// do not grow rows written by rust_xlsxwriter. `cells` are (text, column width in
/// characters); the estimate errs on the generous side.
pub fn wrapped_height(cells: &[(&str, f64)], font_points: f64) -> f64 {
    let lines = cells
        .iter()
        .map(|(text, width)| {
            let per_line = (width * 1.05).max(1.0);
            text.split('\n').map(|line| ((line.chars().count() as f64) / per_line).ceil().max(1.0)).sum::<f64>()
        })
        .fold(1.0, f64::max);
    (lines * font_points * 1.32 + 3.0).min(MAX_ROW_HEIGHT)
}

/// A4, one page wide, small margins, sheet name and page numbers in the footer.
pub fn a4(sheet: &mut Worksheet, landscape: bool) {
    sheet.set_paper_size(9);
    if landscape {
        sheet.set_landscape();
    } else {
        sheet.set_portrait();
    }
    sheet.set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3);
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_footer("&L&8&A&R&8Strona &P z &N");
}

#[cfg(test)]
mod tests {
    use super::wrapped_height;

    #[test]
    fn height_grows_with_lines() {
        let one = wrapped_height(&[("krótko", 20.0)], 10.0);
        let three = wrapped_height(&[(&"x".repeat(60), 20.0)], 10.0);
        let two_explicit = wrapped_height(&[("a\nb", 20.0)], 10.0);
        assert!(three > two_explicit && two_explicit > one, "{one} {two_explicit} {three}");
        assert_eq!(wrapped_height(&[(&"x".repeat(100_000), 20.0)], 10.0), 409.0);
    }

    #[test]
    fn long_text_is_cut_with_a_note() {
        use super::cell_text;
        assert_eq!(cell_text("krótko", "w pliku CSV"), "krótko");
        let long = "ż".repeat(40_000);
        let cut = cell_text(&long, "w arkuszu Dane");
        assert!(
            cut.starts_with(&"ż".repeat(15_000)) && cut.ends_with("… [tekst skrócony; całość w arkuszu Dane]"),
            "{}",
            &cut[cut.len() - 80..]
        );
        assert!(cut.encode_utf16().count() < 32_767);
    }
}
