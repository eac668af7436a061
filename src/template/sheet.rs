//! A template sheet under construction that either writes into a real worksheet (when
//! making the xlsx) or only records the texts it would hold (when `collect` needs to know
//! what the template says, to tell typed cells from the template's own). One writer for
//! both, so the two can never disagree, and the texts cost microseconds instead of an xlsx
//! written and read back per return.

use crate::layout::a4;
use rust_xlsxwriter::{DataValidation, Format, ProtectionOptions, Worksheet, XlsxError};
use std::collections::BTreeMap;

/// What a template sheet is being built for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Build {
    /// A real worksheet, with formats, validations and page setup.
    Workbook,
    /// Only the texts of the cells.
    TextsOnly,
}

/// A sheet being built; every text written is also recorded, trimmed, by its cell.
pub(super) struct TemplateSheet {
    name: String,
    /// `None` in [`Build::TextsOnly`].
    worksheet: Option<Worksheet>,
    texts: BTreeMap<(u32, u32), String>,
}

type Written<'a> = Result<&'a mut TemplateSheet, XlsxError>;

impl TemplateSheet {
    /// A sheet called `name`.
    pub(super) fn new(name: &str, build: Build) -> Result<Self, XlsxError> {
        let worksheet = match build {
            Build::Workbook => {
                let mut worksheet = Worksheet::new();
                worksheet.set_name(name)?;
                Some(worksheet)
            }
            Build::TextsOnly => None,
        };
        Ok(TemplateSheet { name: name.to_string(), worksheet, texts: BTreeMap::new() })
    }

    /// Runs `write` on the worksheet, if there is one.
    fn with(&mut self, write: impl FnOnce(&mut Worksheet) -> Result<(), XlsxError>) -> Written<'_> {
        if let Some(worksheet) = self.worksheet.as_mut() {
            write(worksheet)?;
        }
        Ok(self)
    }

    fn record(&mut self, row: u32, col: u16, text: &str) {
        let text = text.trim();
        if !text.is_empty() {
            self.texts.insert((row, col as u32), text.to_string());
        }
    }

    /// The sheet name.
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// The worksheet, in [`Build::Workbook`].
    pub(super) fn into_worksheet(self) -> Option<Worksheet> {
        self.worksheet
    }

    /// The recorded texts by (row, column), zero-based.
    pub(super) fn into_texts(self) -> BTreeMap<(u32, u32), String> {
        self.texts
    }

    pub(super) fn write_string_with_format(
        &mut self,
        row: u32,
        col: u16,
        text: impl Into<String>,
        format: &Format,
    ) -> Written<'_> {
        let text = text.into();
        self.record(row, col, &text);
        self.with(|w| w.write_string_with_format(row, col, text, format).map(|_| ()))
    }

    pub(super) fn write_string(&mut self, row: u32, col: u16, text: impl Into<String>) -> Written<'_> {
        let text = text.into();
        self.record(row, col, &text);
        self.with(|w| w.write_string(row, col, text).map(|_| ()))
    }

    pub(super) fn write_rich_string_with_format(
        &mut self,
        row: u32,
        col: u16,
        runs: &[(&Format, &str)],
        format: &Format,
    ) -> Written<'_> {
        let text: String = runs.iter().map(|(_, run)| *run).collect();
        self.record(row, col, &text);
        self.with(|w| w.write_rich_string_with_format(row, col, runs, format).map(|_| ()))
    }

    pub(super) fn merge_range(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        text: &str,
        format: &Format,
    ) -> Written<'_> {
        self.record(first_row, first_col, text);
        self.with(|w| w.merge_range(first_row, first_col, last_row, last_col, text, format).map(|_| ()))
    }

    pub(super) fn write_blank(&mut self, row: u32, col: u16, format: &Format) -> Written<'_> {
        self.with(|w| w.write_blank(row, col, format).map(|_| ()))
    }

    /// Blank cells with `format` in rows `first_row..=last_row` of column `col`: the same
    /// cells as [`TemplateSheet::write_blank`] on each, with the format looked up once.
    pub(super) fn blank_column(&mut self, first_row: u32, last_row: u32, col: u16, format: &Format) -> Written<'_> {
        // The blank cell in the last row extends the sheet's dimensions to the range first:
        // cells outside them are not written out.
        self.with(|w| {
            w.write_blank(last_row, col, format)?;
            w.set_range_format(first_row, col, last_row, col, format).map(|_| ())
        })
    }

    pub(super) fn add_data_validation(
        &mut self,
        first_row: u32,
        first_col: u16,
        last_row: u32,
        last_col: u16,
        validation: &DataValidation,
    ) -> Written<'_> {
        self.with(|w| w.add_data_validation(first_row, first_col, last_row, last_col, validation).map(|_| ()))
    }

    /// Adds the validation `build` makes, built only when there is a worksheet (reading
    /// a return needs the template's texts, not its validations, once per file).
    pub(super) fn add_data_validation_with(
        &mut self,
        (row, col): (u32, u16),
        build: impl FnOnce() -> Result<DataValidation, XlsxError>,
    ) -> Written<'_> {
        self.with(|w| w.add_data_validation(row, col, row, col, &build()?).map(|_| ()))
    }

    pub(super) fn set_row_height(&mut self, row: u32, height: impl Into<f64>) -> Written<'_> {
        let height = height.into();
        self.with(|w| w.set_row_height(row, height).map(|_| ()))
    }

    pub(super) fn set_column_width(&mut self, col: u16, width: f64) -> Written<'_> {
        self.with(|w| w.set_column_width(col, width).map(|_| ()))
    }

    /// Hides column `col` (it still holds what a reader needs, such as ids).
    pub(super) fn hide_column(&mut self, col: u16) -> Written<'_> {
        self.with(|w| w.set_column_hidden(col).map(|_| ()))
    }

    pub(super) fn set_freeze_panes(&mut self, row: u32, col: u16) -> Written<'_> {
        self.with(|w| w.set_freeze_panes(row, col).map(|_| ()))
    }

    pub(super) fn set_repeat_rows(&mut self, first_row: u32, last_row: u32) -> Written<'_> {
        self.with(|w| w.set_repeat_rows(first_row, last_row).map(|_| ()))
    }

    pub(super) fn set_header(&mut self, header: &str) {
        let _ = self.with(|w| {
            w.set_header(header);
            Ok(())
        });
    }

    pub(super) fn set_active(&mut self) {
        let _ = self.with(|w| {
            w.set_active(true);
            Ok(())
        });
    }

    pub(super) fn set_hidden(&mut self) {
        let _ = self.with(|w| {
            w.set_hidden(true);
            Ok(())
        });
    }

    pub(super) fn set_screen_gridlines(&mut self, on: bool) {
        let _ = self.with(|w| {
            w.set_screen_gridlines(on);
            Ok(())
        });
    }

    pub(super) fn protect_with_options(&mut self, options: &ProtectionOptions) {
        let _ = self.with(|w| {
            w.protect_with_options(options);
            Ok(())
        });
    }

    /// A4 print setup (see [`crate::layout::a4`]).
    pub(super) fn a4(&mut self, landscape: bool) {
        let _ = self.with(|w| {
            a4(w, landscape);
            Ok(())
        });
    }
}
