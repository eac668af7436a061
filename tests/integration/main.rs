//! The integration tests: one binary, with shared helpers in `common`.

mod collect;
mod common;
mod definition;
mod report;
mod templates;
