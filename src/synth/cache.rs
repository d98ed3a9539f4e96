//! A content-addressed cache of synthesized segments: the key is the blake3 hash of readcast's
//! synthesis version, the voice manifest (engine, voice, settings) and the text the engine
//! speaks. Entries are written to a temporary file and renamed, so concurrent runs sharing the
//! cache never see a half-written entry.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::Segment;
use crate::error::{Error, Result};
use crate::voice::Voice;

/// Changes whenever the audio the synthesis path makes for a text could change.
const SYNTHESIS_VERSION: &str = concat!("readcast-", env!("CARGO_PKG_VERSION"), "-segments-1");
const MAGIC: &[u8; 8] = b"RCSEG001";

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

pub struct SegmentCache {
    dir: PathBuf,
    hits: AtomicUsize,
    misses: AtomicUsize,
}

/// Entry count and bytes of a cache folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CacheStats {
    /// Synthesized segments.
    pub entries: usize,
    /// Pieces of episodes: encoded MP3 frames and finished 16-bit segments (WAV).
    pub pieces: usize,
    /// Loudness profiles of placed segments.
    pub profiles: usize,
    /// Bytes of both.
    pub bytes: u64,
}

impl SegmentCache {
    /// The cache in `dir` (created on first write).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        SegmentCache { dir: dir.into(), hits: AtomicUsize::new(0), misses: AtomicUsize::new(0) }
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

    /// An entry of another kind than segments, by its key.
    pub fn get_entry(&self, kind: Entry, key: &str) -> Option<Vec<u8>> {
        std::fs::read(self.path_with(key, kind.extension())).ok()
    }

    /// Whether an entry of another kind than segments is kept, `len` bytes long (without
    /// reading it).
    pub fn holds_entry(&self, kind: Entry, key: &str, len: u64) -> bool {
        std::fs::metadata(self.path_with(key, kind.extension())).is_ok_and(|m| m.is_file() && m.len() == len)
    }

    /// Appends an entry of another kind than segments to `out`, where it is kept and `len`
    /// bytes long; `Ok(false)`, having written nothing, where it is not. The bytes go from
    /// file to file without passing through memory where the system allows it.
    pub fn copy_entry(&self, kind: Entry, key: &str, len: u64, out: &mut std::fs::File) -> std::io::Result<bool> {
        let Ok(mut file) = std::fs::File::open(self.path_with(key, kind.extension())) else {
            return Ok(false);
        };
        if file.metadata()?.len() != len {
            return Ok(false);
        }
        // Entries are replaced by renames, never written in place: an open one keeps its length.
        let copied = std::io::copy(&mut file, out)?;
        if copied != len {
            return Err(std::io::Error::other(format!("a cache entry gave {copied} bytes, not {len}")));
        }
        Ok(true)
    }

    /// Stores an entry of another kind than segments; like [`SegmentCache::put`], failing is
    /// not fatal.
    pub fn put_entry(&self, kind: Entry, key: &str, bytes: &[u8]) -> Result<()> {
        write_entry(&self.path_with(key, kind.extension()), bytes)
    }

    /// Counts a segment found (or not) by other means than [`SegmentCache::get`]: through
    /// its profile, say.
    pub fn count(&self, hit: bool) {
        let counter = if hit { &self.hits } else { &self.misses };
        counter.fetch_add(1, Ordering::Relaxed);
    }

    /// Whether a segment is cached (without reading it or counting it).
    pub fn contains(&self, key: &str) -> bool {
        self.path(key).is_file()
    }

    /// A cached segment without counting it as a hit or miss.
    pub fn peek(&self, key: &str) -> Option<Segment> {
        std::fs::read(self.path(key)).ok().and_then(|bytes| decode(&bytes))
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
        let mut bytes = Vec::with_capacity(12 + segment.samples.len() * 4);
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&segment.sample_rate.to_le_bytes());
        for sample in &segment.samples {
            bytes.extend_from_slice(&sample.to_le_bytes());
        }
        write_entry(&self.path(key), &bytes)
    }

    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::Relaxed)
    }

    pub fn misses(&self) -> usize {
        self.misses.load(Ordering::Relaxed)
    }

    /// Entries and bytes on disk.
    pub fn stats(&self) -> CacheStats {
        let mut stats = CacheStats { entries: 0, pieces: 0, profiles: 0, bytes: 0 };
        for shard in std::fs::read_dir(&self.dir).into_iter().flatten().flatten() {
            for entry in std::fs::read_dir(shard.path()).into_iter().flatten().flatten() {
                let path = entry.path();
                let counter = match path.extension().and_then(|e| e.to_str()) {
                    Some("seg") => &mut stats.entries,
                    Some(extension) if extension == Entry::Piece.extension() || extension == Entry::Pcm.extension() => &mut stats.pieces,
                    Some(extension) if extension == Entry::Profile.extension() => &mut stats.profiles,
                    _ => continue,
                };
                *counter += 1;
                stats.bytes += entry.metadata().map_or(0, |m| m.len());
            }
        }
        stats
    }

    /// Removes every entry.
    pub fn clear(&self) -> Result<CacheStats> {
        let stats = self.stats();
        if self.dir.exists() {
            std::fs::remove_dir_all(&self.dir).map_err(|e| Error::io(&self.dir, e))?;
        }
        Ok(stats)
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
}

impl Entry {
    fn extension(self) -> &'static str {
        match self {
            Entry::Piece => "mp3",
            Entry::Pcm => "pcm",
            Entry::Profile => "prof",
        }
    }
}

/// Writes an entry through a temporary file and a rename.
fn write_entry(path: &Path, bytes: &[u8]) -> Result<()> {
    let folder = path.parent().expect("entries live in a folder");
    std::fs::create_dir_all(folder).map_err(|e| Error::io(folder, e))?;
    let mut temp = tempfile::NamedTempFile::new_in(folder).map_err(|e| Error::io(folder, e))?;
    temp.write_all(bytes).map_err(|e| Error::io(path, e))?;
    temp.persist(path).map_err(|e| Error::io(path, e.error))?;
    Ok(())
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
        assert_eq!(cache.get(&key), Some(segment));
        assert_eq!((cache.hits(), cache.misses()), (1, 1));
        assert_eq!(cache.stats().entries, 1);
        // A damaged entry is a miss, not an error.
        std::fs::write(cache.path(&key), b"RCSEG001xx").unwrap();
        assert!(cache.get(&key).is_none());
        assert_eq!(cache.clear().unwrap().entries, 1);
        assert_eq!(cache.stats().entries, 0);
    }
}
