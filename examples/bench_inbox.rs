//! Makes a benchmark campaign: a programme definition with N institutions (the sample
//! programme's 17 plus copies of them) and N filled returns made from gpwr's own
//! templates, with a realistic share of messy values ("12 rodzin", "1 234,50 zł", "ok. 40",
//! "-", reasons instead of values). Deterministic: the same N gives the same files.
//!
//! Usage: `cargo run --release --example bench_inbox -- OUT_DIR N`
//! writes `OUT_DIR/program.xlsx` and `OUT_DIR/inbox/*.xlsx`. See BENCHMARKS.md.

use gpwr::program::write::{SheetTable, definition_workbook};
use gpwr::program::{Program, ValueType, read_program_from, sheets};
use gpwr::template::layout::{SHEET_INDICATORS, SHEET_TABLES};
use gpwr::template::template_workbook;
use gpwr::workbook::{Limits, RawWorkbook, extract_bytes};
use std::collections::BTreeMap;
use std::io::{Cursor, Read, Write};
use std::path::PathBuf;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, count] = args.as_slice() else {
        anyhow::bail!("usage: bench_inbox OUT_DIR N");
    };
    let count: usize = count.parse()?;
    let out = PathBuf::from(out);
    let inbox = out.join("inbox");
    std::fs::create_dir_all(&inbox)?;

    let tables = scaled_tables(count);
    let definition = definition_workbook(&tables, &rust_xlsxwriter::ExcelDateTime::from_ymd(2026, 1, 2)?)?;
    std::fs::write(out.join("program.xlsx"), &definition)?;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(definition))?;
    let reading = read_program_from(&mut book);
    let Some(program) = reading.program else {
        anyhow::bail!(
            "the scaled definition has errors: {:?}",
            reading.errors().map(|p| p.to_string()).collect::<Vec<_>>()
        );
    };

    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1);
    std::thread::scope(|scope| -> anyhow::Result<()> {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| -> anyhow::Result<()> {
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some(institution) = program.institutions.get(i) else { return Ok(()) };
                        let filled = filled_return(&program, i)?;
                        std::fs::write(inbox.join(format!("{}.xlsx", institution.id)), filled)?;
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("worker panicked")?;
        }
        Ok(())
    })?;
    eprintln!("{count} returns in {}", inbox.display());
    Ok(())
}

/// The sample definition with `count` institutions: the 17 originals, then copies
/// (`SP3_00018`…) cycling through them. Each original gets its own group holding it and
/// its copies, and every "Raportują" list names those groups, so a copy reports exactly
/// what its original does.
fn scaled_tables(count: usize) -> Vec<SheetTable> {
    let mut tables = gpwr::sample::sample_tables();
    let column = |table: &SheetTable, name: &str| table.headers.iter().position(|h| h == name).expect(name);
    let institutions = tables.iter().position(|t| t.name == sheets::INSTITUTIONS).unwrap();
    let originals = tables[institutions].rows.clone();
    let (id_col, name_col, group_col) = {
        let t = &tables[institutions];
        (column(t, "ID"), column(t, "Nazwa"), column(t, "Grupa"))
    };
    let members: BTreeMap<String, Vec<String>> = originals.iter().fold(BTreeMap::new(), |mut groups, row| {
        groups.entry(row[group_col].clone()).or_default().push(row[id_col].clone());
        groups
    });
    let own_group = |id: &str| format!("g_{}", id.to_lowercase());

    let mut rows = Vec::with_capacity(count);
    for i in 0..count {
        let original = &originals[i % originals.len()];
        let mut row = original.clone();
        if i >= originals.len() {
            row[id_col] = format!("{}_{:05}", original[id_col], i + 1);
            row[name_col] = format!("{} (kopia {})", original[name_col], i + 1);
        }
        row[group_col] = own_group(&original[id_col]);
        rows.push(row);
    }
    tables[institutions].rows = rows;

    let groups = tables.iter().position(|t| t.name == sheets::GROUPS).unwrap();
    let width = tables[groups].headers.len();
    for row in &originals {
        let mut group = vec![String::new(); width];
        group[0] = own_group(&row[id_col]);
        group[1] = format!("{} i jej kopie", row[name_col]);
        tables[groups].rows.push(group);
    }

    let indicators = tables.iter().position(|t| t.name == sheets::INDICATORS).unwrap();
    let reporters = column(&tables[indicators], "Raportują");
    for row in &mut tables[indicators].rows {
        let names: Vec<String> = row[reporters]
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .flat_map(|token| match members.get(token) {
                Some(ids) => ids.iter().map(|id| own_group(id)).collect(),
                None => vec![own_group(token)],
            })
            .collect();
        row[reporters] = names.join(", ");
    }
    tables
}

/// A small deterministic generator (xorshift64*), seeded per institution.
struct Random(u64);

impl Random {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) % n.max(1)
    }
}

/// What goes in one cell of the return.
enum Typed {
    Number(String),
    Text(String),
}

/// Institution `index`'s template with its indicators filled in.
fn filled_return(program: &Program, index: usize) -> anyhow::Result<Vec<u8>> {
    let institution = &program.institutions[index];
    let template = template_workbook(program, institution)?;
    let raw = extract_bytes(&template, &Limits::default()).map_err(|e| anyhow::anyhow!("{e}"))?;
    let sheet_index = raw.sheets.iter().position(|s| s.name == SHEET_INDICATORS).unwrap();
    let sheet = &raw.sheets[sheet_index];
    let header =
        |name: &str| sheet.cells.iter().find(|c| c.value.text().as_deref() == Some(name)).map(|c| (c.row, c.col));
    let (header_row, id_col) = header("ID").expect("ID header");
    let (_, value_col) = header("Wartość").expect("Wartość header");
    let (_, reason_col) = header("Brak wartości").expect("Brak wartości header");
    let (_, comment_col) = header("Komentarz").expect("Komentarz header");

    let mut random = Random(0x9E37_79B9_7F4A_7C15 ^ (index as u64 + 1).wrapping_mul(0x1000_0000_01B3));
    let mut cells: BTreeMap<(u32, u32), Typed> = BTreeMap::new();
    for cell in sheet.cells.iter().filter(|c| c.row > header_row && c.col == id_col) {
        let Some(id) = cell.value.text() else { continue };
        let row = cell.row;
        if id.starts_with("opis:") {
            if random.below(3) == 0 {
                let text = "Zajęcia i spotkania dla rodzin prowadzone przez cały rok; współpraca z pedagogiem i asystentem rodziny.";
                cells.insert((row, value_col), Typed::Text(text.to_string()));
            }
            continue;
        }
        let Some(indicator) = program.indicators.iter().find(|i| i.id == id) else { continue };
        let n = random.below(300);
        let messy = random.below(100) < 15;
        let value = match (indicator.value_type, messy) {
            (ValueType::YesNo, _) => Typed::Text(if n.is_multiple_of(3) { "nie" } else { "tak" }.to_string()),
            (ValueType::TaskStatus, _) => Typed::Text(gpwr::program::TaskStatus::CHOICES[n as usize % 4].to_string()),
            (_, true) => match random.below(6) {
                0 => Typed::Text(format!("{n} rodzin")),
                1 => Typed::Text(format!("{} {:03},{:02} zł", 1 + n / 10, n, random.below(100))),
                2 => Typed::Text(format!("ok. {n}")),
                3 => Typed::Text("-".to_string()),
                4 => {
                    cells.insert((row, reason_col), Typed::Text("nie dotyczy".to_string()));
                    continue;
                }
                _ => Typed::Text(format!("{n},5")),
            },
            (ValueType::Amount, false) => {
                Typed::Number(format!("{}.{:02}", n * 1000 + random.below(1000), random.below(100)))
            }
            (ValueType::Decimal, false) => Typed::Number(format!("{}.{}", n / 10, n % 10)),
            (ValueType::WholeCount, false) => Typed::Number(n.to_string()),
        };
        cells.insert((row, value_col), value);
        if random.below(10) == 0 {
            cells.insert((row, comment_col), Typed::Text("dane z systemu, stan na koniec roku".to_string()));
        }
    }
    let filled = patch_sheet(&template, sheet_index + 1, &cells)?;
    fill_tables(program, &raw, &filled, &mut random)
}

/// The return with every cell of its numbered tables (sheet `Tabele`, if it has one)
/// filled: the value cell is the right neighbour of each hidden indicator id.
fn fill_tables(program: &Program, raw: &RawWorkbook, filled: &[u8], random: &mut Random) -> anyhow::Result<Vec<u8>> {
    let Some(sheet_index) = raw.sheets.iter().position(|s| s.name == SHEET_TABLES) else { return Ok(filled.to_vec()) };
    let mut cells: BTreeMap<(u32, u32), Typed> = BTreeMap::new();
    for cell in &raw.sheets[sheet_index].cells {
        let Some(id) = cell.value.text() else { continue };
        if program.indicators.iter().any(|i| i.id == id && i.cell.is_some()) {
            cells.insert((cell.row, cell.col + 1), Typed::Number(random.below(300).to_string()));
        }
    }
    patch_sheet(filled, sheet_index + 1, &cells)
}

/// The template with the given cells of `sheetN.xml` filled: the template has an empty,
/// styled element for every input cell, which gets a value in place.
fn patch_sheet(template: &[u8], sheet_number: usize, cells: &BTreeMap<(u32, u32), Typed>) -> anyhow::Result<Vec<u8>> {
    let part = format!("xl/worksheets/sheet{sheet_number}.xml");
    let mut source = zip::ZipArchive::new(Cursor::new(template))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::from_date_and_time(2026, 2, 10, 12, 0, 0)?);
    for i in 0..source.len() {
        let mut entry = source.by_index(i)?;
        let name = entry.name()?.to_string();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes)?;
        if name == part {
            let mut xml = String::from_utf8(bytes)?;
            for ((row, col), value) in cells {
                let reference = format!("{}{}", gpwr::cell::column_letters(*col), row + 1);
                let start_tag = format!("<c r=\"{reference}\" ");
                let Some(start) = xml.find(&start_tag) else { continue };
                let Some(end) = xml[start..].find('>').map(|e| start + e) else { continue };
                if !xml[..end].ends_with('/') {
                    continue; // already has content
                }
                let attributes = &xml[start + 3..end - 1];
                let element = match value {
                    Typed::Number(n) => format!("<c {attributes}><v>{n}</v></c>"),
                    Typed::Text(t) => format!("<c {attributes} t=\"inlineStr\"><is><t>{}</t></is></c>", escape(t)),
                };
                xml.replace_range(start..=end, &element);
            }
            bytes = xml.into_bytes();
        }
        out.start_file(name, options)?;
        out.write_all(&bytes)?;
    }
    Ok(out.finish()?.into_inner())
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
