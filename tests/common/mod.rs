//! What the end-to-end tests share: running the built readcast with its own cache and no
//! installed voices.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// readcast with `args`, the cache in `cache`, no installed Piper voices, no input.
pub fn command(cache: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_readcast"));
    command
        .args(args)
        .env("READCAST_CACHE", cache)
        .env("READCAST_VOICES", std::env::temp_dir().join("readcast-tests-no-voices"))
        .env("READCAST_CONFIG", std::env::temp_dir().join("readcast-tests-no-config.toml"))
        .stdin(Stdio::null());
    command
}

pub fn readcast(cache: &Path, args: &[&str]) -> Output {
    command(cache, args).output().expect("readcast runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}
