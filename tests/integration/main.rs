//! The integration tests: one binary, with shared helpers in `common`.

#[cfg(unix)]
mod browser;
mod collect;
mod common;
mod data_split;
mod definition;
mod demo;
mod docx_schema;
mod foster_care;
mod grouping;
mod hostile;
mod mail;
mod messages;
mod needs;
#[cfg(unix)]
mod races;
mod recollect;
mod report;
mod templates;
#[cfg(unix)]
mod web;
mod year_on_year;
