//! The CSV files gpwr writes and reads back (RFC 4180 quoting, UTF-8, `\n` line ends), through
//! the `csv` crate: rows written from strings, records read back by header name, so each
//! step can consume what the one before wrote.

use csv::StringRecord;
use std::sync::Arc;

/// One record, its fields looked up by header name (`record["wskaznik"]`). The fields live
/// in one buffer per record (`csv::StringRecord`) and the header is shared by all records of
/// a file: `dane.csv` at national scale has millions of fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    header: Arc<StringRecord>,
    fields: StringRecord,
}

impl Record {
    /// A record of `fields` under `header` (missing fields read as empty, extra ones are
    /// never looked up).
    pub fn new(header: Arc<StringRecord>, fields: StringRecord) -> Record {
        Record { header, fields }
    }

    /// The field under `name`, if the file has that column.
    pub fn get(&self, name: &str) -> Option<&str> {
        Some(self.field(self.column(name)?))
    }

    /// The column names of the file the record comes from.
    pub fn header(&self) -> impl Iterator<Item = &str> {
        self.header.iter()
    }

    /// The position of the column `name` (the same for every record of a file).
    pub fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The field in column `i` (see [`Record::column`]); empty beyond the last field.
    pub fn field(&self, i: usize) -> &str {
        self.fields.get(i).unwrap_or_default()
    }
}

impl FromIterator<(String, String)> for Record {
    /// A record from (header, field) pairs, in their order.
    fn from_iter<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Record {
        let (header, fields): (Vec<String>, Vec<String>) = pairs.into_iter().unzip();
        Record::new(Arc::new(StringRecord::from(header)), StringRecord::from(fields))
    }
}

impl std::ops::Index<&str> for Record {
    type Output = str;

    /// The field under `name`; empty when the file has no such column.
    fn index(&self, name: &str) -> &str {
        self.get(name).unwrap_or_default()
    }
}

/// A CSV document built row by row in memory.
#[derive(Debug)]
pub struct Writer(csv::Writer<Vec<u8>>);

impl Writer {
    /// A document holding only the `header` row.
    pub fn new(header: &[&str]) -> Self {
        let mut csv = Writer(csv::WriterBuilder::new().flexible(true).from_writer(Vec::new()));
        csv.row(header);
        csv
    }

    /// Appends one row, quoting fields that hold a comma, a quote or a line break.
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        // Writing into memory cannot fail.
        let _ = self.0.write_record(cells.into_iter().map(|cell| cell.as_ref().to_owned()));
    }

    /// The document's text.
    pub fn into_string(self) -> String {
        let bytes = self.0.into_inner().unwrap_or_else(|e| e.into_inner().get_ref().clone());
        // Every field came in as a str: the bytes are UTF-8.
        String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
    }
}

/// Parses CSV text into records keyed by the header row. A byte-order mark (a spreadsheet
/// re-saved the file) is not part of the first header; rows of any length are accepted.
pub fn parse(text: &str) -> Vec<Record> {
    let mut rows = reader(text).into_records().map_while(Result::ok);
    let Some(header) = rows.next() else { return vec![] };
    let header = Arc::new(header);
    rows.map(|fields| Record::new(header.clone(), fields)).collect()
}

/// Parses CSV text into rows of fields, the header row included.
pub fn parse_rows(text: &str) -> Vec<Vec<String>> {
    reader(text).into_records().map_while(Result::ok).map(|r| r.iter().map(str::to_string).collect()).collect()
}

fn reader(text: &str) -> csv::Reader<&[u8]> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes())
}

#[cfg(test)]
mod tests {
    #[test]
    fn quoted_fields_with_commas_quotes_and_newlines() {
        let rows = super::parse("\u{feff}a,b\r\n\"1,5\",\"say \"\"hi\"\"\nthere\"\n,x\n\"\"\"\",\"\"");
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

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut csv = super::Writer::new(&["a", "b", "c"]);
        csv.row(["1,5", "say \"hi\"", "plain"]);
        csv.row(["line\nbreak", "", "cr\r"]);
        assert_eq!(csv.into_string(), "a,b,c\n\"1,5\",\"say \"\"hi\"\"\",plain\n\"line\nbreak\",,\"cr\r\"\n");
    }
}
