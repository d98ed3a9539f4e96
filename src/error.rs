//! The one error type the library returns, and the exit code each kind maps to.

use std::path::PathBuf;

/// Exit code: success.
pub const EXIT_OK: i32 = 0;
/// Exit code: a check (golden durations) or part of a batch failed.
pub const EXIT_CHECK_FAILED: i32 = 1;
/// Exit code: bad usage or bad input (missing file, empty article, invalid UTF-8, ...).
pub const EXIT_INPUT: i32 = 2;
/// Exit code: a speech engine failed or is not available.
pub const EXIT_ENGINE: i32 = 3;
/// Exit code: interrupted (SIGINT or SIGTERM), as shells report a death by SIGINT. Nothing
/// unfinished is left behind; a batch keeps the episodes it finished.
pub const EXIT_INTERRUPTED: i32 = 130;

/// Everything that can go wrong in readcast, grouped by who can fix it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input cannot be used as it is: the user must change it.
    #[error("{0}")]
    Input(String),
    /// An input or output file could not be read or written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A speech engine is missing, misconfigured, or failed on a segment.
    #[error("{0}")]
    Engine(String),
    /// A golden check or a batch item did not pass.
    #[error("{0}")]
    Check(String),
}

impl Error {
    /// Builds an input error from anything printable.
    pub fn input(message: impl Into<String>) -> Self {
        Error::Input(message.into())
    }

    /// Builds an engine error from anything printable.
    pub fn engine(message: impl Into<String>) -> Self {
        Error::Engine(message.into())
    }

    /// Wraps an I/O error with the path it concerns.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io { path: path.into(), source }
    }

    /// The process exit code documented for this kind of error.
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) | Error::Io { .. } => EXIT_INPUT,
            Error::Engine(_) => EXIT_ENGINE,
            Error::Check(_) => EXIT_CHECK_FAILED,
        }
    }
}

/// The library's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;
