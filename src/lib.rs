//! gpwr: templates, collection and consolidation for a municipal family support programme.
//!
//! The library is the core: it reads, validates and writes, and never prints or exits.
//! The `gpwr` binary (`src/main.rs`, `src/cli.rs`, `src/cmd/`) is the command-line layer.

pub mod campaign;
pub mod cell;
pub mod collect;
pub mod docx;
pub mod error_text;
pub mod file_name;
pub mod foster_care;
pub mod guard;
pub mod jobs;
pub mod layout;
pub mod lock;
pub mod mail;
pub mod output;
pub mod polish;
pub mod program;
pub mod records;
#[cfg(feature = "analysis")]
pub mod report;
pub mod sample;
pub mod table;
pub mod template;
#[cfg(feature = "analysis")]
pub mod web;
pub mod workbook;
