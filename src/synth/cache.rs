//! A content-addressed cache of synthesized segments: the key is the blake3 hash of readcast's
//! synthesis version, the voice manifest (engine, voice, settings) and the text the engine
//! speaks. Entries are written to a temporary file and renamed, so concurrent runs sharing the
//! cache never see a half-written entry.
//!
//! Every entry verifies itself: it ends with a trailer holding the blake3 hash of its kind and
//! content and the content's length. A read that does not verify (a truncated, zeroed or
//! overwritten file, an entry of an older format) is a miss: the entry is removed and counted
//! ([`SegmentCache::damaged`]), and the caller makes it again. Nothing unverified is used.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Segment;
use crate::error::{Error, Result};
use crate::voice::Voice;

/// Changes whenever the audio the synthesis path makes for a text could change.
const SYNTHESIS_VERSION: &str = concat!("readcast-", env!("CARGO_PKG_VERSION"), "-segments-3");
const MAGIC: &[u8; 8] = b"RCSEG001";
/// Ends every entry, after the hash and the length of its content.
const TRAILER_MAGIC: &[u8; 8] = b"RCSUM001";
/// Bytes after an entry's content: hash, content length, magic.
pub const TRAILER_LEN: u64 = 32 + 8 + 8;

/// readcast's folder in the user cache folder (the temporary folder where there is none).
pub fn readcast_cache_dir() -> PathBuf {
    dirs::cache_dir().unwrap_or_else(std::env::temp_dir).join("readcast")
}

/// Where optimized voice models are cached: `models` in `$READCAST_CACHE`, else in
/// [`readcast_cache_dir`].
pub fn model_dir() -> PathBuf {
    match std::env::var_os("READCAST_CACHE").filter(|d| !d.is_empty()) {
        Some(dir) => PathBuf::from(dir).join("models"),
        None => readcast_cache_dir().join("models"),
    }
}

/// Marks a cached model as used, so that pruning keeps it over models not used since.
pub fn model_in_use(path: &Path) {
    if let Ok(file) = std::fs::File::open(path) {
        mark_in_use(&file);
    }
}

/// Removes the cached models that `kept` replaces: those named `{family}-*.onnx` (the same
/// model file optimized by another readcast or ONNX Runtime) and those of the older naming,
/// `{stem}-{16 hex digits}.onnx`, where `family` is `{stem}-{8 hex digits}`. Failures are
/// ignored: a model in use elsewhere may not be removable, and is only disk space.
pub fn remove_superseded_models(kept: &Path, family: &str) {
    let Some(folder) = kept.parent() else { return };
    let stem = family.rsplit_once('-').map_or(family, |(stem, _)| stem);
    let hex = |text: &str, len: usize| text.len() == len && text.bytes().all(|b| b.is_ascii_hexdigit());
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        let Some(name) = path.file_name().and_then(|n| n.to_str()).and_then(|n| n.strip_suffix(".onnx")) else { continue };
        let same_model = name.strip_prefix(family).and_then(|rest| rest.strip_prefix('-')).is_some_and(|key| hex(key, 16));
        let old_naming = name.strip_prefix(stem).and_then(|rest| rest.strip_prefix('-')).is_some_and(|key| hex(key, 16));
        if (same_model || old_naming) && path != kept {
            let _ = std::fs::remove_file(&path);
        }
    }
}

pub struct SegmentCache {
    dir: PathBuf,
    /// The folder of optimized voice models that `stats`, `prune` and `clear` also cover.
    models: Option<PathBuf>,
    hits: AtomicUsize,
    misses: AtomicUsize,
    damaged: AtomicUsize,
}

/// Entry count and bytes of a cache folder.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CacheStats {
    /// Synthesized segments.
    pub entries: usize,
    /// Pieces of episodes: encoded MP3 frames and finished 16-bit segments (WAV).
    pub pieces: usize,
    /// Optimized voice models (see [`model_dir`]).
    pub models: usize,
    /// Loudness profiles of placed segments.
    pub profiles: usize,
    /// Bytes of all.
    pub bytes: u64,
}

impl SegmentCache {
    /// The cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        SegmentCache { dir: dir.into(), models: None, hits: AtomicUsize::new(0), misses: AtomicUsize::new(0), damaged: AtomicUsize::new(0) }
    }

    /// The user's cache ([`Self::default_dir`]), with the optimized voice models of
    /// [`model_dir`].
    pub fn user() -> Self {
        SegmentCache { models: Some(model_dir()), ..Self::new(Self::default_dir()) }
    }

    /// The user's cache: `$READCAST_CACHE`, else `segments` in the user cache folder.
    pub fn default_dir() -> PathBuf {
        if let Some(dir) = std::env::var_os("READCAST_CACHE").filter(|d| !d.is_empty()) {
            return PathBuf::from(dir);
        }
        readcast_cache_dir().join("segments")
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The key of `text` spoken by `voice`.
    pub fn key(voice: &Voice, text: &str) -> String {
        let manifest = toml::to_string(voice).unwrap_or_default();
        let mut hasher = blake3::Hasher::new();
        for part in [SYNTHESIS_VERSION, &manifest, text] {
            hasher.update(&(part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
        hasher.finalize().to_hex().to_string()
    }

    fn path(&self, key: &str) -> PathBuf {
        self.path_with(key, "seg")
    }

    fn path_with(&self, key: &str, extension: &str) -> PathBuf {
        self.dir.join(&key[..2]).join(format!("{key}.{extension}"))
    }

    /// An entry of another kind than segments, by its key: its content, verified.
    pub fn get_entry(&self, kind: Entry, key: &str) -> Option<Vec<u8>> {
        self.read_verified(&self.path_with(key, kind.extension()), kind.tag())
    }

    /// Whether an entry of another kind than segments is kept with `len` bytes of content
    /// (without reading it; [`SegmentCache::copy_entry`] verifies it).
    pub fn holds_entry(&self, kind: Entry, key: &str, len: u64) -> bool {
        std::fs::metadata(self.path_with(key, kind.extension())).is_ok_and(|m| m.is_file() && m.len() == len + TRAILER_LEN)
    }

    /// Whether an entry of another kind than segments is kept (without reading it).
    pub fn has_entry(&self, kind: Entry, key: &str) -> bool {
        std::fs::metadata(self.path_with(key, kind.extension())).is_ok_and(|m| m.is_file())
    }

    /// Appends the content of an entry of another kind than segments to `out`, where it is
    /// kept with `len` bytes of content and verifies; `Ok(false)`, having written nothing
    /// (what was appended is cut off again), where it does not. The bytes go from file to file
    /// through a small buffer, hashed on the way.
    pub fn copy_entry(&self, kind: Entry, key: &str, len: u64, out: &mut std::fs::File) -> std::io::Result<bool> {
        use std::io::{Read, Seek};
        let path = self.path_with(key, kind.extension());
        let Ok(mut file) = std::fs::File::open(&path) else {
            return Ok(false);
        };
        if file.metadata()?.len() != len + TRAILER_LEN {
            return Ok(false);
        }
        let start = out.stream_position()?;
        let mut hasher = blake3::Hasher::new();
        hasher.update(kind.tag());
        let mut buffer = vec![0; 64 * 1024];
        let mut left = len;
        while left > 0 {
            let want = buffer.len().min(left as usize);
            file.read_exact(&mut buffer[..want])?;
            hasher.update(&buffer[..want]);
            out.write_all(&buffer[..want])?;
            left -= want as u64;
        }
        let mut trailer = [0; TRAILER_LEN as usize];
        file.read_exact(&mut trailer)?;
        if !trailer_matches(&trailer, hasher.finalize().as_bytes(), len) {
            out.set_len(start)?;
            out.seek(std::io::SeekFrom::Start(start))?;
            self.discard(&path);
            return Ok(false);
        }
        mark_in_use(&file);
        Ok(true)
    }

    /// Stores an entry of another kind than segments; like [`SegmentCache::put`], failing is
    /// not fatal.
    pub fn put_entry(&self, kind: Entry, key: &str, bytes: &[u8]) -> Result<()> {
        write_entry(&self.path_with(key, kind.extension()), kind.tag(), bytes, |_| Ok(()))
    }

    /// The hash a segment's entry carries for its content, read from its trailer alone, or
    /// `None` where there is no such entry (a file too short to be one is removed). A profile
    /// records the hash of the segment it was measured from, so that a profile and a segment
    /// from two renders (a voice with random variation, two batches at once) are never paired.
    pub fn segment_checksum(&self, key: &str) -> Option<[u8; 32]> {
        use std::io::{Read, Seek};
        let path = self.path(key);
        let mut file = std::fs::File::open(&path).ok()?;
        let size = file.metadata().ok()?.len();
        if size < TRAILER_LEN + 12 {
            self.discard(&path);
            return None;
        }
        let mut trailer = [0; TRAILER_LEN as usize];
        file.seek(std::io::SeekFrom::End(-(TRAILER_LEN as i64))).ok()?;
        file.read_exact(&mut trailer).ok()?;
        let content_len = u64::from_le_bytes(trailer[32..40].try_into().ok()?);
        if &trailer[40..] != TRAILER_MAGIC || content_len + TRAILER_LEN != size {
            self.discard(&path);
            return None;
        }
        mark_in_use(&file);
        trailer[..32].try_into().ok()
    }

    /// The hash that [`SegmentCache::put`] stores for `segment`.
    pub fn checksum_of(segment: &Segment) -> [u8; 32] {
        let mut hasher = blake3::Hasher::new();
        hasher.update(SEGMENT_TAG);
        hasher.update(MAGIC);
        hasher.update(&segment.sample_rate.to_le_bytes());
        for samples in segment.samples.chunks(4 * 1024) {
            let bytes: Vec<u8> = samples.iter().flat_map(|sample| sample.to_le_bytes()).collect();
            hasher.update(&bytes);
        }
        *hasher.finalize().as_bytes()
    }

    /// Removes an entry of another kind than segments, if it is there.
    pub fn remove_entry(&self, kind: Entry, key: &str) {
        let _ = std::fs::remove_file(self.path_with(key, kind.extension()));
    }

    /// Damaged entries found (and removed) since this cache was opened.
    pub fn damaged(&self) -> usize {
        self.damaged.load(Ordering::Relaxed)
    }

    /// Removes an entry that did not verify, and counts it.
    fn discard(&self, path: &Path) {
        if std::fs::remove_file(path).is_ok() {
            self.damaged.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// An entry's content if it verifies; an entry that does not is removed.
    fn read_verified(&self, path: &Path, tag: &[u8]) -> Option<Vec<u8>> {
        let mut bytes = read_in_use(path)?;
        if verify(&mut bytes, tag) {
            Some(bytes)
        } else {
            self.discard(path);
            None
        }
    }

    /// Counts a segment found (or not) by other means than [`SegmentCache::get`]: through
    /// its profile, say.
    pub fn count(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether a segment is cached (without reading it or counting it).
    /// A segment found this way counts as used (see [`SegmentCache::prune`]): its profile
    /// and pieces are only trusted while it is there.
    pub fn contains(&self, key: &str) -> bool {
        self.segment_checksum(key).is_some()
    }

    /// A cached segment, verified, without counting it as a hit or miss.
    pub fn peek(&self, key: &str) -> Option<Segment> {
        let path = self.path(key);
        let bytes = self.read_verified(&path, SEGMENT_TAG)?;
        let segment = decode(&bytes);
        if segment.is_none() {
            self.discard(&path);
        }
        segment
    }

    /// A cached segment; a missing or unreadable entry is a miss.
    pub fn get(&self, key: &str) -> Option<Segment> {
        let found = self.peek(key);
        self.count(found.is_some());
        found
    }

    /// Stores a segment. Failing to cache is not an error worth stopping a narration for, so
    /// the caller may ignore the result.
    pub fn put(&self, key: &str, segment: &Segment) -> Result<()> {
        let mut header = MAGIC.to_vec();
        header.extend_from_slice(&segment.sample_rate.to_le_bytes());
        // The samples go through a small buffer, not a copy of the whole segment.
        let mut buffer = Vec::with_capacity(16 * 1024);
        write_entry(&self.path(key), SEGMENT_TAG, &header, |file| {
            for samples in segment.samples.chunks(4 * 1024) {
                buffer.clear();
                samples.iter().for_each(|sample| buffer.extend_from_slice(&sample.to_le_bytes()));
                file.write_all(&buffer)?;
            }
            Ok(())
        })
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    /// Entries and bytes on disk.
    pub fn stats(&self) -> CacheStats {
        let mut stats = CacheStats::default();
        for entry in self.entries() {
            stats.add(&entry);
        }
        stats
    }

    /// Removes the least recently used entries until the cache holds at most `max_bytes`;
    /// returns what it removed. Every read of an entry (and every check that a segment is
    /// there) sets its access time. A batch running meanwhile may lose segments it was about
    /// to read, and says so.
    pub fn prune(&self, max_bytes: u64) -> Result<CacheStats> {
        let mut entries = self.entries();
        entries.sort_by_key(|entry| std::cmp::Reverse(entry.used));
        let (mut kept, mut full) = (0u64, false);
        let mut removed = CacheStats::default();
        for entry in entries {
            // The most recently used that fit are kept; from the first that does not, none.
            full = full || kept + entry.bytes > max_bytes;
            if !full {
                kept += entry.bytes;
                continue;
            }
            match std::fs::remove_file(&entry.path) {
                Ok(()) => removed.add(&entry),
                // Removed by a concurrent prune or clear.
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(Error::io(&entry.path, e)),
            }
        }
        Ok(removed)
    }

    /// Every entry on disk: segments, pieces, profiles, and the optimized models where this
    /// cache covers them.
    fn entries(&self) -> Vec<EntryFile> {
        let mut entries = Vec::new();
        for entry in self.models.iter().flat_map(std::fs::read_dir).flatten().flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "onnx") {
                if let Ok(meta) = entry.metadata() {
                    entries.push(EntryFile::new(path, Some(Entry::Model), &meta));
                }
            }
        }
        for shard in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            // Entries live in folders named by the first two hex digits of their key.
            if shard.file_name().len() != 2 {
                continue;
            }
            for entry in std::fs::read_dir(shard.path()).into_iter().flatten().flatten() {
                let path = entry.path();
                let Some(extension) = path.extension().and_then(|e| e.to_str()) else { continue };
                // `None` for a segment.
                let kind = match Entry::of_extension(extension) {
                    Some(kind) => Some(kind),
                    None if extension == "seg" => None,
                    None => continue,
                };
                let Ok(meta) = entry.metadata() else { continue };
                entries.push(EntryFile::new(path, kind, &meta));
            }
        }
        entries
    }

    /// Removes every entry.
    pub fn clear(&self) -> Result<CacheStats> {
        let stats = self.stats();
        for dir in std::iter::once(&self.dir).chain(&self.models) {
            if dir.exists() {
                std::fs::remove_dir_all(dir).map_err(|e| Error::io(dir, e))?;
            }
        }
        Ok(stats)
    }
}

impl CacheStats {
    fn add(&mut self, entry: &EntryFile) {
        let counter = match entry.kind {
            None => &mut self.entries,
            Some(Entry::Piece | Entry::Pcm) => &mut self.pieces,
            Some(Entry::Profile) => &mut self.profiles,
            Some(Entry::Model) => &mut self.models,
        };
        *counter += 1;
        self.bytes += entry.bytes;
    }
}

/// An entry's file: its kind (`None` for a segment), size and last use.
struct EntryFile {
    path: PathBuf,
    kind: Option<Entry>,
    bytes: u64,
    used: std::time::SystemTime,
}

impl EntryFile {
    fn new(path: PathBuf, kind: Option<Entry>, meta: &std::fs::Metadata) -> Self {
        let written = meta.modified().unwrap_or(std::time::UNIX_EPOCH);
        let used = meta.accessed().map_or(written, |accessed| accessed.max(written));
        EntryFile { path, kind, bytes: meta.len(), used }
    }
}

/// Kinds of entries the cache holds besides segments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// Encoded pieces of episodes (see [`crate::assemble::mp3`]), by the key of what made them.
    Piece,
    /// Finished segments as 16-bit PCM (see [`crate::assemble::wav`]), by the key of what
    /// made them.
    Pcm,
    /// Profiles of placed segments (see [`crate::assemble::Profile`]).
    Profile,
    /// Optimized voice models, in [`model_dir`] rather than among the entries.
    Model,
}

/// What a segment's hash starts with: its kind, so that an entry of one kind renamed to
/// another does not verify.
const SEGMENT_TAG: &[u8] = b"segment";

impl Entry {
    /// What an entry's hash starts with (see [`SEGMENT_TAG`]).
    fn tag(self) -> &'static [u8] {
        match self {
            Entry::Piece => b"piece",
            Entry::Pcm => b"pcm",
            Entry::Profile => b"profile",
            Entry::Model => b"model",
        }
    }

    /// The kind of entry files with this extension hold.
    fn of_extension(extension: &str) -> Option<Entry> {
        [Entry::Piece, Entry::Pcm, Entry::Profile].into_iter().find(|kind| kind.extension() == extension)
    }

    fn extension(self) -> &'static str {
        match self {
            Entry::Piece => "mp3",
            Entry::Pcm => "pcm",
            Entry::Profile => "prof",
            Entry::Model => "onnx",
        }
    }
}

/// An entry's bytes, marked as used.
fn read_in_use(path: &Path) -> Option<Vec<u8>> {
    use std::io::Read;
    let mut file = std::fs::File::open(path).ok()?;
    let mut bytes = Vec::with_capacity(file.metadata().map_or(0, |m| m.len() as usize));
    file.read_to_end(&mut bytes).ok()?;
    mark_in_use(&file);
    Some(bytes)
}

/// Sets an entry's access time to now, whatever the file system does by itself (many update
/// it at most once a day, some never), so that pruning removes the least recently used.
/// Failing to is harmless.
fn mark_in_use(file: &std::fs::File) {
    let _ = file.set_times(std::fs::FileTimes::new().set_accessed(std::time::SystemTime::now()));
}

/// Writes an entry, `bytes` and then what `rest` writes, then the trailer that verifies them,
/// through a temporary file and a rename.
fn write_entry(path: &Path, tag: &[u8], bytes: &[u8], rest: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<()> {
    let folder = path.parent().expect("entries live in a folder");
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(|e| Error::io(folder, e))?;
    let mut hashing = HashingWriter { inner: temp.as_file_mut(), hasher: blake3::Hasher::new(), len: 0 };
    hashing.hasher.update(tag);
    hashing.write_all(bytes).and_then(|()| rest(&mut hashing)).map_err(|e| Error::io(path, e))?;
    let trailer = trailer(hashing.hasher.finalize().as_bytes(), hashing.len);
    temp.write_all(&trailer).map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Passes writes on while hashing and counting them.
struct HashingWriter<'w> {
    inner: &'w mut std::fs::File,
    hasher: blake3::Hasher,
    len: u64,
}

impl Write for HashingWriter<'_> {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        let written = self.inner.write(bytes)?;
        self.hasher.update(&bytes[..written]);
        self.len += written as u64;
        Ok(written)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn trailer(hash: &[u8; 32], len: u64) -> Vec<u8> {
    let mut trailer = Vec::with_capacity(TRAILER_LEN as usize);
    trailer.extend_from_slice(hash);
    trailer.extend_from_slice(&len.to_le_bytes());
    trailer.extend_from_slice(TRAILER_MAGIC);
    trailer
}

fn trailer_matches(found: &[u8], hash: &[u8; 32], len: u64) -> bool {
    found == trailer(hash, len).as_slice()
}

/// Checks an entry's trailer against its content and cuts the trailer off: `false` where the
/// entry is damaged or of another kind.
fn verify(bytes: &mut Vec<u8>, tag: &[u8]) -> bool {
    let Some(content_len) = bytes.len().checked_sub(TRAILER_LEN as usize) else {
        return false;
    };
    let mut hasher = blake3::Hasher::new();
    hasher.update(tag);
    hasher.update(&bytes[..content_len]);
    if !trailer_matches(&bytes[content_len..], hasher.finalize().as_bytes(), content_len as u64) {
        return false;
    }
    bytes.truncate(content_len);
    true
}

fn decode(bytes: &[u8]) -> Option<Segment> {
    if bytes.len() < 12 || &bytes[..8] != MAGIC || !(bytes.len() - 12).is_multiple_of(4) {
        return None;
    }
    let sample_rate = u32::from_le_bytes(bytes[8..12].try_into().ok()?);
    let samples = bytes[12..].chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    Some(Segment { samples, sample_rate })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_counts() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SegmentCache::new(dir.path().join("segments"));
        let voice = crate::voice::find_voice("espeak").unwrap();
        let key = SegmentCache::key(&voice, "Hello.");
        assert_ne!(key, SegmentCache::key(&voice, "Hello!"));
        let mut slower = voice.clone();
        slower.rate = 150;
        assert_ne!(key, SegmentCache::key(&slower, "Hello."));
        assert!(cache.get(&key).is_none());
        let segment = Segment { samples: vec![0.5, -0.25, 0.0], sample_rate: 22_050 };
        cache.put(&key, &segment).unwrap();
        assert_eq!(cache.get(&key), Some(segment.clone()));
        assert_eq!((cache.hits(), cache.misses()), (1, 1));
        assert_eq!(cache.stats().entries, 1);
        // A damaged entry is a miss, not an error, and is removed.
        std::fs::write(cache.path(&key), b"RCSEG001xx").unwrap();
        assert!(cache.get(&key).is_none());
        assert_eq!(cache.damaged(), 1);
        assert!(!cache.path(&key).exists());
        cache.put(&key, &segment).unwrap();
        assert_eq!(cache.clear().unwrap().entries, 1);
        assert_eq!(cache.stats().entries, 0);
    }

    #[test]
    fn damaged_entries_of_every_kind_are_misses_and_removed() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SegmentCache::new(dir.path());
        let key = format!("ab{}", "0".repeat(62));
        let segment = Segment { samples: (0..1000).map(|i| (i as f32 * 0.01).sin()).collect(), sample_rate: 22_050 };
        type Damage = fn(&mut Vec<u8>);
        let damages: [(&str, Damage); 4] = [
            ("one flipped byte", |bytes| bytes[20] ^= 1),
            ("truncated", |bytes| bytes.truncate(bytes.len() / 2)),
            ("zeroed", |bytes| bytes.iter_mut().for_each(|b| *b = 0)),
            ("empty", |bytes| bytes.clear()),
        ];
        for (what, damage) in damages {
            cache.put(&key, &segment).unwrap();
            cache.put_entry(Entry::Profile, &key, &[7; 100]).unwrap();
            cache.put_entry(Entry::Piece, &key, &[9; 5000]).unwrap();
            assert_eq!(cache.segment_checksum(&key), Some(SegmentCache::checksum_of(&segment)));
            for path in [cache.path(&key), cache.path_with(&key, "prof"), cache.path_with(&key, "mp3")] {
                let mut bytes = std::fs::read(&path).unwrap();
                damage(&mut bytes);
                std::fs::write(&path, &bytes).unwrap();
            }
            assert!(cache.get(&key).is_none(), "{what}");
            assert!(cache.get_entry(Entry::Profile, &key).is_none(), "{what}");
            let mut out = tempfile::tempfile().unwrap();
            std::io::Write::write_all(&mut out, b"head").unwrap();
            let copied = cache.copy_entry(Entry::Piece, &key, 5000, &mut out).unwrap();
            assert!(!copied, "{what}");
            // Nothing of a damaged piece stays in the output.
            assert_eq!(out.metadata().unwrap().len(), 4, "{what}");
            for path in [cache.path(&key), cache.path_with(&key, "prof")] {
                assert!(!path.exists(), "{what}: {}", path.display());
            }
        }
        assert!(cache.damaged() >= 8);
        // A healthy piece copies whole.
        cache.put_entry(Entry::Piece, &key, &[9; 5000]).unwrap();
        let mut out = tempfile::tempfile().unwrap();
        assert!(cache.copy_entry(Entry::Piece, &key, 5000, &mut out).unwrap());
        assert_eq!(out.metadata().unwrap().len(), 5000);
        // An entry of one kind renamed to another does not verify.
        std::fs::copy(cache.path_with(&key, "mp3"), cache.path_with(&key, "prof")).unwrap();
        assert!(cache.get_entry(Entry::Profile, &key).is_none());
    }

    #[test]
    fn prune_removes_the_least_recently_used_first() {
        let dir = tempfile::tempdir().unwrap();
        let cache = SegmentCache::new(dir.path());
        let key = |n: u8| format!("{n:02x}{}", "0".repeat(62));
        let segment = Segment { samples: vec![0.25; 250], sample_rate: 22_050 };
        // Segments 0..4, written in order; then 0 is used: 1 is now the least recently used.
        for n in 0..4 {
            cache.put(&key(n), &segment).unwrap();
            let written = std::time::SystemTime::now() - std::time::Duration::from_secs(100 - u64::from(n));
            let file = std::fs::File::options().write(true).open(cache.path(&key(n))).unwrap();
            file.set_times(std::fs::FileTimes::new().set_accessed(written).set_modified(written)).unwrap();
        }
        cache.put_entry(Entry::Profile, &key(9), &[1; 10]).unwrap();
        std::fs::create_dir_all(dir.path().join("models")).unwrap();
        std::fs::write(dir.path().join("models/voice.onnx"), [0; 5000]).unwrap();
        assert!(cache.contains(&key(0)));
        let size = cache.stats().bytes;
        assert_eq!((cache.stats().entries, cache.stats().profiles, size), (4, 1, 4 * 1060 + 58));
        assert_eq!(cache.prune(size).unwrap(), CacheStats::default());
        // Room for three segments: the least recently used goes, and so does every entry
        // used before it even where it would fit.
        let removed = cache.prune(3 * 1060 + 58).unwrap();
        assert_eq!((removed.entries, removed.bytes), (1, 1060));
        let kept = |n: u8| cache.path(&key(n)).is_file();
        assert!(!kept(1) && kept(0) && kept(2) && kept(3));
        // Room for one segment and the profile: segment 0, used last, and the profile.
        let removed = cache.prune(1060 + 58).unwrap();
        assert_eq!((removed.entries, removed.profiles), (2, 0));
        assert!(kept(0) && !kept(2) && !kept(3));
        assert_eq!(cache.prune(0).unwrap().bytes, 1060 + 58);
        assert_eq!(cache.stats(), CacheStats::default());
        // Optimized models are not entries.
        assert!(dir.path().join("models/voice.onnx").is_file());
    }
}
