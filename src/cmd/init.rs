//! `gpwr init DIR`: creates a campaign folder with the sample programme definition.

use super::Outcome;
use crate::cli::InitArgs;
use anyhow::Result;

/// Creates the campaign and says what to do next.
pub fn run(args: &InitArgs) -> Result<Outcome> {
    let program = gpwr::jobs::init::init(&args.dir)?;
    println!("Utworzono folder kampanii {}.", args.dir.display());
    println!(
        "Przykładowa definicja programu: {}. Uzupełnij ją, a potem w tym folderze uruchom: gpwr templates",
        program.display()
    );
    Ok(Outcome::Success)
}
