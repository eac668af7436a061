//! Reads the CSV files gpwr itself writes (RFC 4180 quoting, UTF-8, `\n` line ends), by
//! header name, so the report step can consume what collect wrote.

use std::collections::BTreeMap;

/// One record: header → value.
pub type Record = BTreeMap<String, String>;

/// Parses CSV text into records keyed by the header row.
pub fn parse(text: &str) -> Vec<Record> {
    let mut records = parse_rows(text);
    if records.is_empty() {
        return vec![];
    }
    let header = records.remove(0);
    records.into_iter().map(|r| header.iter().cloned().zip(r).collect()).collect()
}

/// Parses CSV text into rows of fields, the header row included.
pub fn parse_rows(text: &str) -> Vec<Vec<String>> {
    let mut records: Vec<Vec<String>> = Vec::new();
    let (mut record, mut field, mut quoted) = (Vec::new(), String::new(), false);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', true) => quoted = false,
            ('"', false) if field.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut field)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (c, _) => field.push(c),
        }
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
        let rows = super::parse("a,b\n\"1,5\",\"say \"\"hi\"\"\nthere\"\n,x\n");
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0]["a"], "1,5");
        assert_eq!(rows[0]["b"], "say \"hi\"\nthere");
        assert_eq!(rows[1]["a"], "");
        assert_eq!(rows[1]["b"], "x");
    }
}
