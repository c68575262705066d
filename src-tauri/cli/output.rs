//! The CLI's standard output. Results are printed only after the change they report is
//! committed; a reader that went away (`studio … | head`, `| true`) then ends the command
//! quietly with success, as ripgrep does — the work is done and retrying would repeat it. Any
//! other write error (a full disk, `> /dev/full`) is reported with exit 1 naming it.

use std::fmt;
use std::io::{self, Write};

use serde::Serialize;
use studio_core::{ErrorCode, HasCode};

/// A failure as the CLI reports it: a code and a message naming what and why; or the reader
/// of standard output went away, which ends the command with success (see [`output`]).
pub struct Failure {
    pub code: ErrorCode,
    pub message: String,
    pub pipe_closed: bool,
}

impl Failure {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Failure { code, message: message.into(), pipe_closed: false }
    }

    pub fn pipe_closed() -> Self {
        Failure { code: ErrorCode::Io, message: String::new(), pipe_closed: true }
    }
}

impl<E: HasCode> From<E> for Failure {
    fn from(e: E) -> Self {
        Failure::new(e.code(), e.to_string())
    }
}

/// Print `value` as pretty JSON, or through `human` as text.
pub fn print<T: Serialize>(json: bool, value: &T, human: impl FnOnce(&T) -> Result<(), Failure>) -> Result<(), Failure> {
    if json {
        let text = serde_json::to_string_pretty(value).map_err(|e| Failure::new(ErrorCode::Internal, format!("cannot serialise the result: {e}")))?;
        line(format_args!("{text}"))
    } else {
        human(value)
    }
}

/// Write one line to standard output.
pub fn line(args: fmt::Arguments) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_fmt(args).and_then(|()| out.write_all(b"\n")).map_err(stdout_error)
}

/// Write to standard output through `f` (for writers that stream, e.g. CSV).
pub fn with(f: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    f(&mut out).and_then(|()| out.flush()).map_err(stdout_error)
}

/// Flush standard output (it is line-buffered; a partial last line may still be waiting).
pub fn flush() -> Result<(), Failure> {
    io::stdout().lock().flush().map_err(stdout_error)
}

/// An error writing standard output as a [`Failure`]: a closed pipe is not an error.
pub fn stdout_error(e: io::Error) -> Failure {
    if e.kind() == io::ErrorKind::BrokenPipe {
        Failure::pipe_closed()
    } else {
        Failure::new(ErrorCode::Io, format!("cannot write to standard output: {e}"))
    }
}

/// Write a message to standard error; nothing can be done if that fails too.
pub fn error_line(args: fmt::Arguments) {
    let mut err = io::stderr().lock();
    let _ = err.write_fmt(args).and_then(|()| err.write_all(b"\n"));
}

/// `outln!(…)`: like `println!`, returning `Result<(), Failure>` instead of panicking.
macro_rules! outln {
    ($($arg:tt)*) => {
        $crate::output::line(format_args!($($arg)*))
    };
}
