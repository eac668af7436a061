//! The integration tests: one binary, with shared helpers in `common`.

mod common;
mod definition;
mod templates;
