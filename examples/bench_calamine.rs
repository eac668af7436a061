//! The floor for gpwr's reader in the benchmarks: a bare calamine read of the same files
//! with no checks. Each file is opened, its `Wskaźniki` sheet read whole, the header
//! found, and every numeric `Wartość` summed by indicator id. Nothing else: no identity,
//! no limits, no text parsing, no outputs. With `all`, every worksheet is read too (as
//! gpwr must, to lose nothing typed), and its non-empty cells counted.
//!
//! Usage: `cargo run --release --example bench_calamine -- INBOX [THREADS] [all]`
//! (THREADS defaults to the number of cores). Prints the file count and a checksum of the
//! totals so the work cannot be optimised away. See BENCHMARKS.md.

use calamine::{Data, Reader, Xlsx};
use std::collections::HashMap;
use std::io::Cursor;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let inbox = PathBuf::from(args.first().ok_or_else(|| anyhow::anyhow!("usage: bench_calamine INBOX [THREADS]"))?);
    let threads = match args.get(1) {
        Some(n) => n.parse()?,
        None => std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
    };
    let all_sheets = args.get(2).is_some_and(|a| a == "all");
    let cells_seen = AtomicUsize::new(0);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&inbox)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "xlsx"))
        .collect();
    files.sort();

    let next = AtomicUsize::new(0);
    let totals: Mutex<HashMap<String, f64>> = Mutex::new(HashMap::new());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                let mut local: HashMap<String, f64> = HashMap::new();
                while let Some(path) = files.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let Ok(bytes) = std::fs::read(path) else { continue };
                    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else { continue };
                    if all_sheets {
                        for name in book.sheet_names().into_iter().filter(|n| n != "Wskaźniki") {
                            if let Ok(range) = book.worksheet_range(&name) {
                                cells_seen.fetch_add(range.used_cells().count(), Ordering::Relaxed);
                            }
                        }
                    }
                    let Ok(range) = book.worksheet_range("Wskaźniki") else { continue };
                    if all_sheets {
                        cells_seen.fetch_add(range.used_cells().count(), Ordering::Relaxed);
                    }
                    let mut columns = None;
                    for row in range.rows() {
                        let Some((id_col, value_col)) = columns else {
                            let find = |name: &str| row.iter().position(|c| matches!(c, Data::String(s) if s == name));
                            if let (Some(id), Some(value)) = (find("ID"), find("Wartość")) {
                                columns = Some((id, value));
                            }
                            continue;
                        };
                        if let (Some(Data::String(id)), Some(value)) = (row.get(id_col), row.get(value_col)) {
                            let number = match value {
                                Data::Float(f) => *f,
                                Data::Int(i) => *i as f64,
                                _ => continue,
                            };
                            *local.entry(id.clone()).or_default() += number;
                        }
                    }
                }
                let mut all = totals.lock().unwrap();
                for (id, sum) in local {
                    *all.entry(id).or_default() += sum;
                }
            });
        }
    });
    let totals = totals.into_inner()?;
    let checksum: f64 = totals.values().sum();
    println!(
        "{} files, {} indicators, checksum {checksum:.2}, {} cells in all sheets",
        files.len(),
        totals.len(),
        cells_seen.into_inner()
    );
    Ok(())
}
