//! Fuzz target for the reader: any bytes in, read as a returned workbook of the sample
//! programme; findings and the collect outputs out. gpwr's own code must never panic, and
//! building the outputs must never fail, whatever the bytes. See docs/fuzzing.md.
//!
//! Panics inside calamine are caught and read as a damaged file, which is what `gpwr
//! collect` makes of them too (it reads each file in a child process); they are calamine
//! bugs to report upstream, not findings for this target.
#![no_main]

use gpwr::collect::{InboxFile, collect, write::outputs};
use gpwr::program::{Program, read_program_from};
use gpwr::workbook::{ExtractError, Limits, extract_bytes};
use libfuzzer_sys::fuzz_target;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::OnceLock;

static PROGRAM: OnceLock<Program> = OnceLock::new();

fuzz_target!(
    init: {
        let bytes = gpwr::sample::sample_program_workbook().expect("the sample definition builds");
        let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).expect("the sample definition opens");
        let program = read_program_from(&mut book).program.expect("the sample definition is valid");
        let _ = PROGRAM.set(program);
        // libfuzzer-sys's hook aborts on every panic; let calamine's unwind to catch_unwind.
        let aborting = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.location().is_some_and(|at| at.file().contains("calamine")) {
                return;
            }
            aborting(info);
        }));
    },
    |data: &[u8]| {
        let program = PROGRAM.get().expect("set in init");
        let content = catch_unwind(AssertUnwindSafe(|| extract_bytes(data, &Limits::default())))
            .unwrap_or_else(|_| Err(ExtractError::Corrupt { detail: "calamine panicked".to_string() }));
        let file = InboxFile { relative: "zwrot.xlsx".to_string(), extension: "xlsx".to_string(), file_time: None, content };
        let collection = collect(program, vec![file], Vec::new(), Vec::new());
        let ret = &collection.returns[0];
        assert!(ret.accepted || !ret.findings.is_empty(), "a file that is not used must say why");
        if let Err(e) = outputs(program, &collection) {
            panic!("outputs failed: {e}");
        }
    }
);
