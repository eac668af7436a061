//! Library code that panics where it should return an error (rust_xlsxwriter's low-memory
//! sheets on a full disk, a reader's bug on a hostile file): run under [`quietly`], its
//! panic becomes a value the caller turns into a finding or a Polish message, and its
//! English text never reaches the terminal.

use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};

/// How many [`quietly`] calls are under way; while any is, panic messages are not printed.
static QUIET: AtomicUsize = AtomicUsize::new(0);
static HOOK: Once = Once::new();

/// What a panic carried.
pub type Panic = Box<dyn Any + Send + 'static>;

/// Runs `work`, catching a panic in it (or in the threads it joins) instead of unwinding
/// further, and without printing the panic's message. The messages of panics elsewhere in
/// the process while it runs are not printed either: call it where nothing else runs, or
/// where what else runs is itself guarded.
pub fn quietly<T>(work: impl FnOnce() -> T) -> Result<T, Panic> {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if QUIET.load(Ordering::SeqCst) == 0 {
                previous(info);
            }
        }));
    });
    QUIET.fetch_add(1, Ordering::SeqCst);
    let result = catch_unwind(AssertUnwindSafe(work));
    QUIET.fetch_sub(1, Ordering::SeqCst);
    result
}

/// The operating system's error a panic's message names (`… Os { code: 28, kind:
/// StorageFull, … }`, as `expect` on an I/O result writes it), if it names one.
pub fn io_error_in(panic: &Panic) -> Option<std::io::Error> {
    let text = panic.downcast_ref::<String>().map(String::as_str).or_else(|| panic.downcast_ref::<&str>().copied())?;
    let after = &text[text.find("Os { code: ")? + "Os { code: ".len()..];
    let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
    Some(std::io::Error::from_raw_os_error(digits.parse().ok()?))
}

#[cfg(test)]
mod tests {
    use super::*;

    struct FullDisk;

    impl std::io::Write for FullDisk {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::from_raw_os_error(28))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_panic_over_an_io_error_gives_that_error_back() {
        // What rust_xlsxwriter's low-memory sheets do when the disk is full.
        let write = |file: &mut dyn std::io::Write| file.write_all(b"<row/>");
        let panic = quietly(|| write(&mut FullDisk).expect("Couldn't write to xml file")).unwrap_err();
        assert_eq!(io_error_in(&panic).map(|e| e.raw_os_error()), Some(Some(28)));
        let other = quietly(|| panic!("index out of bounds")).unwrap_err();
        assert!(io_error_in(&other).is_none());
        assert_eq!(quietly(|| 7).unwrap(), 7);
    }
}
