//! The CSV files gpwr writes and reads back (RFC 4180 quoting, UTF-8, `\n` line ends):
//! written row by row, read by header name, so each step can consume what the one before
//! wrote.

use std::sync::Arc;

/// One record, its fields looked up by header name (`record["wskaznik"]`). The fields live
/// in one string per record and the header is shared by all records of a file: `dane.csv`
/// at national scale has millions of fields, and a map of owned strings per record would
/// take gigabytes.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    header: Arc<[String]>,
    text: Box<str>,
    /// Where each field ends in `text`, in header order.
    ends: Box<[u32]>,
}

impl Record {
    /// A record of `fields` under `header` (missing fields read as empty, extra ones are
    /// dropped).
    pub fn new(header: Arc<[String]>, fields: &[String]) -> Record {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(header.len());
        for i in 0..header.len() {
            text.push_str(fields.get(i).map(String::as_str).unwrap_or_default());
            ends.push(u32::try_from(text.len()).unwrap_or(u32::MAX));
        }
        Record { header, text: text.into_boxed_str(), ends: ends.into_boxed_slice() }
    }

    /// The field under `name`, if the file has that column.
    pub fn get(&self, name: &str) -> Option<&str> {
        Some(self.field(self.column(name)?))
    }

    /// The column names of the file the record comes from.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The position of the column `name` (the same for every record of a file).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The field in column `i` (see [`Record::column`]); empty beyond the last column.
    pub fn field(&self, i: usize) -> &str {
        let Some(&end) = self.ends.get(i) else { return "" };
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text.get(start..end as usize).unwrap_or_default()
    }
}

impl FromIterator<(String, String)> for Record {
    /// A record from (header, field) pairs, in their order.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Record {
        let (header, fields): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        Record::new(header.into(), &fields)
    }
}

impl std::ops::Index<&str> for Record {
    type Output = str;

    /// The field under `name`; empty when the file has no such column.
    fn index(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }
}

/// A CSV document built row by row.
#[derive(Debug, Clone, PartialEq)]
pub struct Writer(String);

impl Writer {
    /// A document holding only the `header` row.
    pub fn new(header: &[&str]) -> Self {
        let mut csv = Writer(String::new());
        csv.row(header);
        csv
    }

    /// Appends one row, quoting fields that hold a comma, a quote or a line break.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.0.push(',');
            }
            let cell = cell.as_ref();
            if cell.contains([',', '"', '\n', '\r']) {
                self.0.push('"');
                self.0.push_str(&cell.replace('"', "\"\""));
                self.0.push('"');
            } else {
                self.0.push_str(cell);
            }
        }
        self.0.push('\n');
    }

    /// The document's text.
    pub fn into_string(self) -> String {
        self.0
    }
}

/// Parses CSV text into records keyed by the header row.
pub fn parse(text: &str) -> Vec<Record> {
    // A byte-order mark, if a spreadsheet re-saved the file, is not part of the first header.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = parse_rows(text).into_iter();
    let Some(header) = rows.next() else { return vec![] };
    let header: Arc<[String]> = header.into();
    rows.map(|fields| Record::new(header.clone(), &fields)).collect()
}

/// Parses CSV text into rows of fields, the header row included. Plain runs are copied
/// whole, not character by character (`dane.csv` runs to hundreds of megabytes).
pub fn parse_rows(text: &str) -> Vec<Vec<String>> {
    let bytes = text.as_bytes();
    let (mut records, mut record, mut field) = (Vec::new(), Vec::new(), String::new());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' && field.is_empty() {
            // A quoted section: up to the closing quote; "" stands for a quote.
            i += 1;
            loop {
                let Some(quote) = bytes[i..].iter().position(|&b| b == b'"') else {
                    field.push_str(&text[i..]);
                    i = bytes.len();
                    break;
                };
                field.push_str(&text[i..i + quote]);
                i += quote + 1;
                if bytes.get(i) != Some(&b'"') {
                    break;
                }
                field.push('"');
                i += 1;
            }
            continue;
        }
        let run = bytes[i..].iter().position(|&b| matches!(b, b',' | b'\n' | b'\r')).unwrap_or(bytes.len() - i);
        field.push_str(&text[i..i + run]);
        i += run;
        match bytes.get(i) {
            Some(b',') => record.push(std::mem::take(&mut field)),
            Some(b'\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            // A carriage return outside quotes is dropped.
            _ => {}
        }
        i += 1;
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_fields_with_commas_quotes_and_newlines() {
        let rows = super::parse("a,b\r\n\"1,5\",\"say \"\"hi\"\"\nthere\"\n,x\n\"\"\"\",\"\"");
        assert_eq!(&rows[0]["a"], "1,5");
        assert_eq!(&rows[0]["b"], "say \"hi\"\nthere");
        assert_eq!(&rows[1]["a"], "");
        assert_eq!(&rows[1]["b"], "x");
        assert_eq!(rows[1].get("c"), None);
        assert_eq!(&rows[2]["a"], "\"");
        assert_eq!(&rows[2]["b"], "");
        assert_eq!(rows.len(), 3);
        assert_eq!(&rows[1]["c"], "");
    }
}
