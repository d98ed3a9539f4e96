//! Writing output files atomically: everything is written to a temporary file in the target
//! folder and renamed into place, so a failed or interrupted run never leaves a partial file.

use std::io::{BufWriter, Write};
use std::path::Path;

use crate::error::{Error, Result};

/// Fails, naming `path`, when the folder `path` would be written in does not exist: checked
/// before any work, so that a run does not fail at its last step (or after writing some of
/// its files).
pub fn check_folder(path: &Path) -> Result<()> {
    if folder_of(path).is_dir() {
        Ok(())
    } else {
        Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "the folder does not exist")))
    }
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Writes `path` by calling `fill` on a buffered temporary file, then renaming it over `path`.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut BufWriter<&mut std::fs::File>) -> Result<()>) -> Result<()> {
    check_folder(path)?;
    let folder = folder_of(path);
    let mut temp = tempfile::Builder::new()
        .prefix(".readcast-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(|e| Error::io(path, e))?;
    {
        let mut writer = BufWriter::new(temp.as_file_mut());
        fill(&mut writer)?;
        writer.flush().map_err(|e| Error::io(path, e))?;
    }
    // Temporary files are private to their owner; the output is an ordinary file.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        temp.as_file().set_permissions(std::fs::Permissions::from_mode(0o644)).map_err(|e| Error::io(path, e))?;
    }
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Writes bytes to `path` atomically.
pub fn write_bytes(path: &Path, bytes: &[u8]) -> Result<()> {
    write_atomically(path, |writer| writer.write_all(bytes).map_err(|e| Error::io(path, e)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.txt");
        let result = write_atomically(&target, |writer| {
            writer.write_all(b"half").unwrap();
            Err(Error::engine("engine died"))
        });
        assert!(result.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_bytes(&target, b"whole").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"whole");
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_file() {
        let err = write_bytes(Path::new("/no/such/folder/out.wav"), b"x").unwrap_err();
        assert!(err.to_string().contains("out.wav"));
    }
}
