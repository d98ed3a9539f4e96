//! Writing output files atomically: everything is written to a temporary file in the target
//! folder and renamed into place, so a failed or interrupted run never leaves a partial file.

use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use crate::error::{Error, Result};

/// Temporary files older than this in a folder readcast writes to were left by a run that was
/// killed (`kill -9`, a power cut): the next write there removes them.
const STALE_AFTER: Duration = Duration::from_secs(24 * 60 * 60);

/// Temporary files being written now, removed by [`remove_unfinished`] on an interrupt.
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Fails, naming `path`, when `path` cannot be written as an output: its folder does not
/// exist, or it names something that is not a regular file (a device such as `/dev/null`, a
/// folder, a pipe, a link to nowhere). Checked before any work, so that a run does not fail at
/// its last step (or after writing some of its files).
pub fn check_folder(path: &Path) -> Result<()> {
    target_of(path).map(|_| ())
}

/// The file that writing `path` replaces: `path` itself, or the file a symbolic link there
/// points to (the link stays a link).
pub fn target_of(path: &Path) -> Result<PathBuf> {
    let not_ours = |what: &str| Error::input(format!("{}: {what}; readcast writes only regular files", path.display()));
    let target = match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => path.to_path_buf(),
        Err(e) => return Err(Error::io(path, e)),
        Ok(meta) if meta.file_type().is_symlink() => match std::fs::metadata(path) {
            Ok(followed) if followed.is_file() => std::fs::canonicalize(path).map_err(|e| Error::io(path, e))?,
            Ok(_) => return Err(not_ours("a link to something that is not a regular file")),
            Err(_) => return Err(not_ours("a link to nothing")),
        },
        Ok(meta) if meta.is_file() => path.to_path_buf(),
        Ok(meta) if meta.is_dir() => return Err(not_ours("a folder")),
        Ok(_) => return Err(not_ours("a device, pipe or socket")),
    };
    if !folder_of(&target).is_dir() {
        return Err(Error::io(path, std::io::Error::new(std::io::ErrorKind::NotFound, "the folder does not exist")));
    }
    Ok(target)
}

/// Fails when two of the outputs are one file (`--timings x.wav -o x.wav`): the second
/// would replace the first.
pub fn check_distinct(paths: &[&Path]) -> Result<()> {
    let mut seen: Vec<(PathBuf, &Path)> = Vec::new();
    for path in paths {
        let target = target_of(path)?;
        let absolute = match std::fs::canonicalize(folder_of(&target)) {
            Ok(folder) => folder.join(target.file_name().unwrap_or_default()),
            Err(_) => target.clone(),
        };
        if let Some((_, first)) = seen.iter().find(|(other, _)| *other == absolute) {
            return Err(Error::input(format!("{} and {} are the same file; give each output its own name", first.display(), path.display())));
        }
        seen.push((absolute, path));
    }
    Ok(())
}

fn folder_of(path: &Path) -> &Path {
    match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    }
}

/// Removes the temporary files of writes in progress: called when the process is
/// interrupted, just before it exits.
pub fn remove_unfinished() {
    let unfinished = UNFINISHED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    for path in unfinished.iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// Removes `.readcast-*.part` files in `folder` older than a day: left by runs killed
/// without a chance to clean up. Younger ones may belong to a run still writing.
pub fn sweep_stale_parts(folder: &Path) {
    let now = SystemTime::now();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if !(name.starts_with(".readcast-") && name.ends_with(".part")) {
            continue;
        }
        let old = entry.metadata().and_then(|meta| meta.modified()).is_ok_and(|modified| now.duration_since(modified).unwrap_or_default() > STALE_AFTER);
        if old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// A temporary file listed in [`UNFINISHED`] while it lives.
struct Unfinished(PathBuf);

impl Unfinished {
    fn new(path: &Path) -> Self {
        UNFINISHED.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(path.to_path_buf());
        Unfinished(path.to_path_buf())
    }
}

impl Drop for Unfinished {
    fn drop(&mut self) {
        let mut unfinished = UNFINISHED.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        unfinished.retain(|path| *path != self.0);
    }
}

/// Writes `path` by calling `fill` on a buffered temporary file, then renaming it over `path`
/// (over the file a symbolic link at `path` points to). Only regular files are replaced.
pub fn write_atomically(path: &Path, fill: impl FnOnce(&mut BufWriter<&mut std::fs::File>) -> Result<()>) -> Result<()> {
    let target = target_of(path)?;
    let folder = folder_of(&target);
    sweep_stale_parts(folder);
    let mut temp = tempfile::Builder::new()
        .prefix(".readcast-")
        .suffix(".part")
        .tempfile_in(folder)
        .map_err(|e| Error::io(path, e))?;
    let _unfinished = Unfinished::new(temp.path());
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
    temp.persist(&target).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Where an output goes: a file, written atomically ([`write_atomically`]), or a stream such
/// as standard output, written as it is made.
pub enum Sink<'a> {
    Path(&'a Path),
    Stream(&'a mut (dyn Write + Send)),
}

impl Sink<'_> {
    /// What messages call it.
    pub fn name(&self) -> PathBuf {
        match self {
            Sink::Path(path) => path.to_path_buf(),
            Sink::Stream(_) => PathBuf::from("standard output"),
        }
    }

    /// The file it is, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Sink::Path(path) => Some(path),
            Sink::Stream(_) => None,
        }
    }
}

/// An output being written by [`write_sink`]: buffered, over a temporary file or a stream.
pub enum Out<'a, 'f> {
    File(&'a mut BufWriter<&'f mut std::fs::File>),
    Stream(&'a mut BufWriter<&'f mut (dyn Write + Send)>),
}

impl Out<'_, '_> {
    /// The temporary file under a file output, with everything written so far flushed into
    /// it (to copy into it without passing through memory); `None` for a stream.
    pub fn file(&mut self) -> std::io::Result<Option<&mut std::fs::File>> {
        match self {
            Out::File(writer) => {
                writer.flush()?;
                Ok(Some(writer.get_mut()))
            }
            Out::Stream(_) => Ok(None),
        }
    }
}

impl Write for Out<'_, '_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        match self {
            Out::File(writer) => writer.write(bytes),
            Out::Stream(writer) => writer.write(bytes),
        }
    }

    fn write_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        match self {
            Out::File(writer) => writer.write_all(bytes),
            Out::Stream(writer) => writer.write_all(bytes),
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Out::File(writer) => writer.flush(),
            Out::Stream(writer) => writer.flush(),
        }
    }
}

/// Writes `sink` by calling `fill`: a file atomically, as [`write_atomically`] does; a stream
/// as it goes (what was written before a failure stays written).
pub fn write_sink(sink: Sink<'_>, fill: impl FnOnce(&mut Out) -> Result<()>) -> Result<()> {
    match sink {
        Sink::Path(path) => write_atomically(path, |writer| fill(&mut Out::File(writer))),
        Sink::Stream(stream) => {
            let mut writer = BufWriter::with_capacity(1 << 16, stream);
            fill(&mut Out::Stream(&mut writer))?;
            writer.flush().map_err(|e| Error::io("standard output", e))
        }
    }
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
    fn only_regular_files_are_replaced_and_links_are_followed() {
        let err = write_bytes(Path::new("/dev/null"), b"x").unwrap_err();
        assert!(matches!(err, Error::Input(_)) && err.to_string().contains("regular files"), "{err}");
        let dir = tempfile::tempdir().unwrap();
        assert!(write_bytes(dir.path(), b"x").unwrap_err().to_string().contains("a folder"));
        #[cfg(unix)]
        {
            let real = dir.path().join("real.txt");
            std::fs::write(&real, b"old").unwrap();
            let link = dir.path().join("link.txt");
            std::os::unix::fs::symlink(&real, &link).unwrap();
            write_bytes(&link, b"new").unwrap();
            assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
            assert_eq!(std::fs::read(&real).unwrap(), b"new");
            let dangling = dir.path().join("dangling.txt");
            std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
            assert!(write_bytes(&dangling, b"x").unwrap_err().to_string().contains("a link to nothing"));
        }
    }

    #[test]
    fn the_same_file_twice_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let audio = dir.path().join("x.wav");
        let same = dir.path().join(".").join("x.wav");
        let err = check_distinct(&[&audio, &dir.path().join("x.vtt"), &same]).unwrap_err();
        assert!(err.to_string().contains("the same file"), "{err}");
        assert!(check_distinct(&[&audio, &dir.path().join("x.vtt")]).is_ok());
    }

    #[test]
    fn stale_temporary_files_are_swept_and_fresh_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let stale = dir.path().join(".readcast-old.part");
        let fresh = dir.path().join(".readcast-new.part");
        std::fs::write(&stale, b"x").unwrap();
        std::fs::write(&fresh, b"x").unwrap();
        let two_days_ago = SystemTime::now() - Duration::from_secs(2 * 24 * 60 * 60);
        std::fs::File::options().write(true).open(&stale).unwrap().set_modified(two_days_ago).unwrap();
        write_bytes(&dir.path().join("out.txt"), b"x").unwrap();
        assert!(!stale.exists() && fresh.exists());
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_file() {
        let err = write_bytes(Path::new("/no/such/folder/out.wav"), b"x").unwrap_err();
        assert!(err.to_string().contains("out.wav"));
    }
}
