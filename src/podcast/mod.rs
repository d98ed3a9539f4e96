//! Stage 6: many articles -> episodes (audio, captions, chapters) and a podcast feed,
//! incrementally: unchanged articles are skipped, unchanged sentences come from the segment
//! cache, and every file is written atomically so an interrupted batch leaves no partial
//! episode or feed.

pub mod episode;
pub mod feed;

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use std::collections::HashMap;

use crate::assemble::{captions, chapters_json, mp3, place, wav, AssembleSettings, PieceStore, Plan, Profile, Shape, Timing};
use crate::chunk::Chunk;
use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions, Source};
use crate::pipeline::{self, Script};
use crate::synth::cache::Entry;
use crate::synth::{self, EnginePool};
use crate::narrator::Narrator;
use episode::{parse_date, slug, written_date, Episode};

/// Set by a Ctrl-C handler: no new article is started, the current ones finish.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

pub use crate::narrator::AudioFormat;
/// The cache batches keep segments, profiles and episode pieces in.
pub use crate::synth::cache::{CacheStats, SegmentCache};

/// How a batch is rendered (how each article is narrated is the [`Narrator`]'s).
pub struct BatchOptions {
    pub out: PathBuf,
    pub format: AudioFormat,
    pub cache: Option<SegmentCache>,
    /// Render only shard K of N (1-based), by article id.
    pub shard: Option<(u64, u64)>,
    pub jobs: usize,
}

/// What happened to each article.
#[derive(Debug, Default)]
pub struct BatchReport {
    pub rendered: Vec<Episode>,
    pub up_to_date: Vec<Episode>,
    pub failed: Vec<(String, Error)>,
    pub skipped_by_shard: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// Cache entries that did not verify: removed, and made again.
    pub cache_damaged: usize,
}

impl BatchReport {
    /// Seconds of audio rendered in this run.
    pub fn rendered_seconds(&self) -> f64 {
        // Folded from +0.0: a float sum starts at -0.0, which prints as "-0.0 min".
        self.rendered.iter().fold(0.0, |total, e| total + e.duration_seconds)
    }
}

/// Expands inputs: files, folders (their .txt, .md, .html files), and list files (`.list`:
/// one path or URL per line, `#` comments).
pub fn collect_inputs(inputs: &[String]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for input in inputs {
        let source = Source::from_arg(input);
        match &source {
            Source::Path(path) if path.is_dir() => {
                let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(|e| Error::io(path, e))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_some_and(|e| matches!(e.to_str(), Some("txt" | "md" | "markdown" | "html" | "htm"))))
                    .collect();
                files.sort();
                sources.extend(files.into_iter().map(Source::Path));
            }
            Source::Path(path) if path.extension().is_some_and(|e| e == "list") => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                let base = path.parent().unwrap_or(Path::new("."));
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                    sources.push(match Source::from_arg(line) {
                        Source::Path(relative) if relative.is_relative() => Source::Path(base.join(relative)),
                        other => other,
                    });
                }
            }
            _ => sources.push(source),
        }
    }
    Ok(sources)
}

/// The id of an article's episode (the feed's guid, and part of its file names): from the
/// article's canonical address where it has one, else from its title and date (else its
/// title and text). Not from where the file lies: a moved folder gives the same episodes.
pub fn episode_id(article: &extract::Article) -> String {
    let described = match (&article.url, &article.title, &article.date) {
        (Some(url), _, _) => format!("url|{url}"),
        (None, Some(title), Some(date)) => format!("title|{title}|{date}"),
        (None, title, _) => format!("text|{}|{}", title.as_deref().unwrap_or(""), article.to_plain_text()),
    };
    blake3::hash(described.as_bytes()).to_hex()[..16].to_string()
}

/// A stable id for an article's source, which picks its shard (before it is read).
pub fn article_id(source: &Source) -> String {
    let name = match source {
        Source::Path(path) => std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()).display().to_string(),
        other => other.display_name(),
    };
    blake3::hash(name.as_bytes()).to_hex()[..16].to_string()
}

fn in_shard(id: &str, shard: Option<(u64, u64)>) -> bool {
    match shard {
        None => true,
        Some((k, n)) => u64::from_str_radix(&id[..15], 16).unwrap_or(0) % n == k - 1,
    }
}

/// Renders every input into `options.out/episodes`, in parallel across articles and
/// segments on `options.jobs` threads. One failing article is reported and the rest go on.
pub fn run(inputs: &[Source], narrator: &Narrator, options: &BatchOptions, on_article: &(dyn Fn(&str, f64) + Sync)) -> Result<BatchReport> {
    let voice = narrator.voice();
    let episodes_dir = options.out.join("episodes");
    std::fs::create_dir_all(&episodes_dir).map_err(|e| Error::io(&episodes_dir, e))?;
    remove_stale_temp_files(&episodes_dir);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .thread_name(|i| format!("readcast-batch-{i}"))
        .build()
        .map_err(|e| Error::engine(format!("could not start threads: {e}")))?;
    // One engine per thread for the whole batch; articles and their segments share the pool,
    // so nothing is oversubscribed.
    let engines = EnginePool::new(voice, options.jobs.max(1)).lending_idle_cores(inputs.len() == 1);
    let report = Mutex::new(BatchReport::default());
    let skipped = AtomicUsize::new(0);
    pool.install(|| {
        inputs.par_iter().with_max_len(1).for_each(|source| {
            let id = article_id(source);
            if !in_shard(&id, options.shard) {
                skipped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            if INTERRUPTED.load(Ordering::Relaxed) {
                return;
            }
            let name = source.display_name();
            // A bug that panics on one article fails that article, not the batch: the others
            // are rendered and the feed is written.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_article(source, narrator, &engines, options)))
                .unwrap_or_else(|panic| Err(Error::engine(format!("readcast failed on this article ({}); please report it", panic_message(&panic)))));
            let mut report = report.lock().unwrap_or_else(|p| p.into_inner());
            match outcome {
                Ok((episode, true)) => {
                    on_article(&name, episode.duration_seconds);
                    report.rendered.push(episode);
                }
                Ok((episode, false)) => {
                    on_article(&name, 0.0);
                    report.up_to_date.push(episode);
                }
                Err(error) => {
                    on_article(&name, 0.0);
                    report.failed.push((name, error));
                }
            }
        });
    });
    let mut report = report.into_inner().unwrap_or_else(|p| p.into_inner());
    report.skipped_by_shard = skipped.into_inner();
    if let Some(cache) = &options.cache {
        report.cache_hits = cache.hits();
        report.cache_misses = cache.misses();
        report.cache_damaged = cache.damaged();
    }
    report.failed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(report)
}

/// What a panic said, for the report.
fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic.downcast_ref::<&str>().map(|message| message.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic".to_string())
}

/// Renders one article unless its episode is up to date; `true` when it rendered.
fn render_article(source: &Source, narrator: &Narrator, engines: &EnginePool, options: &BatchOptions) -> Result<(Episode, bool)> {
    let voice = narrator.voice();
    let document = extract::read_source(source)?;
    let article = extract::extract(&document, &ExtractOptions::default())?;
    let id = &episode_id(&article);
    let title = article.title.clone().unwrap_or_else(|| source.display_name());
    // Tests of a debug build make an article panic by its title, to check that a bug in one
    // article fails that article only.
    if cfg!(debug_assertions) && std::env::var("READCAST_TEST_PANIC_ON").is_ok_and(|marker| !marker.is_empty() && title.contains(&marker)) {
        panic!("test panic on '{title}'");
    }
    let stem = slug(&title, id);
    let episodes_dir = options.out.join("episodes");
    let metadata_path = episodes_dir.join(format!("{stem}.json"));

    // Everything that shapes the files: the article, the voice, the options, the version.
    let fingerprint = format!(
        "{}|{}|{:?}|{:?}|{:?}|{}",
        serde_json::to_string(&article).unwrap_or_default(),
        toml::to_string(voice).unwrap_or_default(),
        options.format,
        narrator.settings().script,
        narrator.assemble_settings(),
        env!("CARGO_PKG_VERSION"),
    );
    let render_hash = blake3::hash(fingerprint.as_bytes()).to_hex().to_string();
    let previous = Episode::load(&metadata_path).ok();
    if let Some(existing) = &previous {
        let audio_ok = std::fs::metadata(episodes_dir.join(&existing.audio_file)).is_ok_and(|m| m.len() == existing.audio_bytes);
        if existing.render_hash == render_hash && audio_ok {
            // The article moved (its folder, say): the episode is the same, from a new place.
            let mut existing = existing.clone();
            if existing.source != source.display_name() {
                existing.source = source.display_name();
                existing.save(&metadata_path)?;
            }
            return Ok((existing, false));
        }
    }

    // The first engine is made on another core while the text is prepared. An episode made
    // before is most likely made again after a small edit: one sentence to speak.
    let (script, ()) = rayon::join(|| narrator.prepare(&article), || engines.warm(previous.is_some()));
    let script = script?;
    let mut assemble = narrator.assemble_settings().clone();
    assemble.frame_grid = match options.format {
        // Segments on the MP3 frame grid: the encoder can take them as independent pieces.
        AudioFormat::Mp3 { .. } => mp3::frame_samples(assemble.sample_rate),
        // Segments on a coarse grid: their cached loudness profiles stay small.
        AudioFormat::Wav => crate::assemble::loudness_grid(assemble.sample_rate),
    };
    let audio_file = format!("{stem}.{}", options.format.extension());
    let audio_path = episodes_dir.join(&audio_file);
    let tags_for = |sentences: &[Timing]| mp3::Mp3Tags {
        title: Some(title.clone()),
        artist: article.byline.clone(),
        date: article.date.as_deref().and_then(iso_date),
        album: None,
        chapters: script.chapters_in(&mp3::as_played(sentences, assemble.sample_rate)),
    };
    let interrupted = || INTERRUPTED.load(Ordering::Relaxed).then(|| Error::input("interrupted before its files were written"));
    // Captions and chapters follow the audio as played (an MP3 starts with the encoder's
    // lead-in). They are written while the audio is encoded.
    let captions_file = format!("{stem}.vtt");
    let chapters_file = format!("{stem}.chapters.json");
    let side_files = |sentences: &[Timing]| -> Result<()> {
        let sentences = match options.format {
            AudioFormat::Mp3 { .. } => mp3::as_played(sentences, assemble.sample_rate),
            AudioFormat::Wav => sentences.to_vec(),
        };
        captions::write_vtt(&sentences, &episodes_dir.join(&captions_file))?;
        crate::output::write_bytes(&episodes_dir.join(&chapters_file), chapters_json(&script.chapters_in(&sentences)).as_bytes())
    };
    // The feed states the duration players will find: that of the encoded file (MP3 frames
    // round it up a little).
    let duration_seconds = match (options.format, options.cache.as_ref()) {
        (AudioFormat::Mp3 { kbps }, Some(cache)) => {
            let cached = CachedNarration::new(&script, engines, cache, &assemble)?;
            if let Some(error) = interrupted() {
                return Err(error);
            }
            let store: (&[String], &dyn PieceStore) = (&cached.profile_keys, &CachedPieces(cache, Entry::Piece));
            let written = alongside(
                || mp3::write_planned_mp3(&cached.plan, &audio_path, kbps, &tags_for(&cached.plan.sentences), Some(store), &|index| cached.finished(index).map(Cow::Owned)),
                || side_files(&cached.plan.sentences),
            )?;
            match written {
                Some(duration) => duration,
                None => {
                    let narration = pipeline::render_with(&script, engines, Some(cache), &assemble, &|| {})?;
                    side_files(&narration.sentences)?;
                    mp3::write_mp3(&narration, &audio_path, kbps, &tags_for(&narration.sentences), None)?
                }
            }
        }
        (AudioFormat::Wav, Some(cache)) => {
            let cached = CachedNarration::new(&script, engines, cache, &assemble)?;
            if let Some(error) = interrupted() {
                return Err(error);
            }
            let store: (&[String], &dyn PieceStore) = (&cached.profile_keys, &CachedPieces(cache, Entry::Pcm));
            alongside(
                || wav::write_planned_wav(&cached.plan, &audio_path, Some(store), &|index| cached.finished(index).map(Cow::Owned)),
                || side_files(&cached.plan.sentences),
            )?;
            cached.plan.duration_seconds()
        }
        (format, None) => {
            let segments = synth::synthesize_with(&script.chunks, engines, None, &|| {})?;
            let (plan, finished) = crate::assemble::assemble_parts(&segments, &script.chunks, &script.utterances, &assemble)?;
            if let Some(error) = interrupted() {
                return Err(error);
            }
            let audio = || match format {
                AudioFormat::Mp3 { kbps } => mp3::write_finished_mp3(&plan, &finished, &audio_path, kbps, &tags_for(&plan.sentences)),
                AudioFormat::Wav => {
                    wav::write_planned_wav(&plan, &audio_path, None, &|index| Ok(Cow::Borrowed(finished[index].as_slice())))?;
                    Ok(plan.duration_seconds())
                }
            };
            alongside(audio, || side_files(&plan.sentences))?
        }
    };
    let audio_bytes = std::fs::metadata(&audio_path).map_err(|e| Error::io(&audio_path, e))?.len();
    let description = article.lede.clone().or_else(|| article.blocks.iter().find(|b| b.kind == extract::BlockKind::Paragraph).map(|b| b.text.clone())).unwrap_or_default();
    let episode = Episode {
        id: id.to_string(),
        title,
        byline: article.byline.clone(),
        // An undated article keeps the date it was first published on.
        pub_date: article
            .date
            .as_deref()
            .and_then(parse_date)
            .or_else(|| previous.map(|p| p.pub_date))
            .unwrap_or_else(episode::now),
        description,
        audio_file,
        audio_type: options.format.mime_type().to_string(),
        audio_bytes,
        duration_seconds,
        captions_file,
        chapters_file,
        source: source.display_name(),
        render_hash,
        link: article.url.clone(),
    };
    // Last: the metadata file is what makes the episode count as finished.
    episode.save(&metadata_path)?;
    remove_superseded(&episodes_dir, &episode, &stem);
    Ok((episode, true))
}

/// Runs `audio` while `side` runs on another thread; the first error of the two.
fn alongside<T: Send>(audio: impl FnOnce() -> Result<T> + Send, side: impl FnOnce() -> Result<()> + Send) -> Result<T> {
    let (audio, side) = rayon::join(audio, side);
    side.and(audio)
}

/// A narration planned from the cache: each segment's profile comes from the cache where it
/// is there, so that only new segments are synthesized; the samples of the others are read
/// only for pieces of the episode not in the cache.
struct CachedNarration<'a> {
    plan: Plan,
    profile_keys: Vec<String>,
    segment_keys: Vec<String>,
    /// Placed samples of the segments made in this run.
    made: HashMap<usize, Vec<f32>>,
    cache: &'a SegmentCache,
    settings: &'a AssembleSettings,
}

impl<'a> CachedNarration<'a> {
    fn new(script: &'a Script, engines: &'a EnginePool<'a>, cache: &'a SegmentCache, settings: &'a AssembleSettings) -> Result<Self> {
        let segment_keys = synth::segment_keys(&script.chunks, engines.voice());
        let profile_keys: Vec<String> = segment_keys.iter().map(|key| Profile::key(key, settings)).collect();
        // A profile counts only with the very segment it was measured from still there: the
        // samples may be needed, and a segment made again (by a voice with random variation,
        // or by another batch at the same time) need not come out the same length.
        let read = |index: usize| -> Option<Profile> {
            let checksum = cache.segment_checksum(&segment_keys[index])?;
            let bytes = cache.get_entry(Entry::Profile, &profile_keys[index])?;
            let (measured_from, profile) = bytes.split_at_checked(checksum.len())?;
            (measured_from == checksum).then(|| Profile::from_bytes(profile)).flatten()
        };
        // The segments without a profile file are made while the other profiles are read.
        let present: Vec<bool> = profile_keys.par_iter().map(|key| cache.has_entry(Entry::Profile, key)).collect();
        let (mut profiles, made) = crate::workers::read_while_making(&present, read, |indices| CachedNarration::make(indices, script, engines, cache, settings))?;
        profiles.iter().flatten().for_each(|_| cache.count(true));
        let made: HashMap<usize, Vec<f32>> = made
            .into_iter()
            .map(|(index, samples, profile, checksum)| {
                // A full disk makes the cache useless, not the episode wrong.
                let _ = cache.put_entry(Entry::Profile, &profile_keys[index], &[checksum.as_slice(), &profile.to_bytes()].concat());
                profiles[index] = Some(profile);
                (index, samples)
            })
            .collect();
        let profiles: Vec<Profile> = profiles.into_iter().flatten().collect();
        let shapes: Vec<Shape> = profiles.iter().map(|profile| profile.shape.clone()).collect();
        let plan = Plan::new(&shapes, &script.chunks, &script.utterances, settings, &|index, start| profiles[index].energy_at(start, settings))?;
        Ok(CachedNarration { plan, profile_keys, segment_keys, made, cache, settings })
    }

    /// The segments `indices` of `script`, placed, with their profiles: taken from the
    /// cache where they are there, or synthesized.
    /// Each comes with the hash of the segment it was measured from (see
    /// [`SegmentCache::segment_checksum`]).
    #[allow(clippy::type_complexity)]
    fn make(indices: &[usize], script: &Script, engines: &EnginePool, cache: &SegmentCache, settings: &AssembleSettings) -> Result<Vec<(usize, Vec<f32>, Profile, [u8; 32])>> {
        let chunks: Vec<Chunk> = indices.iter().map(|&index| script.chunks[index].clone()).collect();
        // Each segment is placed and measured as soon as it is there, while it is stored.
        let made = Mutex::new(Vec::with_capacity(indices.len()));
        synth::synthesize_each(&chunks, engines, Some(cache), &|position, segment| {
            let placed = place(segment, settings).map(|placed| {
                let profile = Profile::of(&placed, settings);
                (indices[position], placed, profile, SegmentCache::checksum_of(segment))
            });
            made.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(placed);
        })?;
        made.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()).into_iter().collect()
    }

    /// Segment `index`, placed and finished: made in this run or read from the cache.
    fn finished(&self, index: usize) -> Result<Vec<f32>> {
        let mut samples = match self.made.get(&index) {
            Some(samples) => samples.clone(),
            None => {
                let lost = || Error::engine(format!("segment {} left the cache while its episode was made (was the cache cleared?); run the batch again", index + 1));
                place(&self.cache.peek(&self.segment_keys[index]).ok_or_else(lost)?, self.settings)?
            }
        };
        if samples.len() != self.plan.shapes[index].frames {
            // Another run replaced the segment while this one made its episode: the profile
            // goes, so that the next run measures the segment again.
            self.cache.remove_entry(Entry::Profile, &self.profile_keys[index]);
            return Err(Error::engine(format!("segment {} is {} frames long in the cache, not the {} its profile says (another run replaced it meanwhile); its profile was removed: run the batch again", index + 1, samples.len(), self.plan.shapes[index].frames)));
        }
        self.plan.finish(&mut samples)?;
        Ok(samples)
    }
}

/// Pieces of episodes (of one kind: MP3 frames or finished PCM) kept in the segment cache.
struct CachedPieces<'c>(&'c SegmentCache, Entry);

impl PieceStore for CachedPieces<'_> {
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.0.get_entry(self.1, key)
    }

    fn put(&self, key: &str, bytes: &[u8]) {
        // A full disk makes the cache useless, not the episode wrong.
        let _ = self.0.put_entry(self.1, key, bytes);
    }

    fn contains(&self, key: &str) -> bool {
        self.0.has_entry(self.1, key)
    }

    fn holds(&self, key: &str, len: usize) -> bool {
        self.0.holds_entry(self.1, key, len as u64)
    }

    fn copy_to(&self, key: &str, len: usize, out: &mut std::fs::File) -> std::io::Result<bool> {
        self.0.copy_entry(self.1, key, len as u64, out)
    }
}

/// Removes the episodes an episode replaces: those of the same source under another name (its
/// title was edited, or an older readcast named it by the file's path), so that the feed does
/// not list the article twice.
fn remove_superseded(folder: &Path, episode: &Episode, stem: &str) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.ends_with(".chapters.json") || name == format!("{stem}.json") {
            continue;
        }
        let Ok(other) = Episode::load(&path) else { continue };
        if other.source == episode.source && other.id != episode.id {
            // The metadata first: without it the rest is not an episode.
            let _ = std::fs::remove_file(&path);
            for file in [&other.audio_file, &other.captions_file, &other.chapters_file] {
                let _ = std::fs::remove_file(folder.join(file));
            }
        }
    }
}

/// A batch killed while writing leaves its temporary files behind (never a partial episode:
/// nothing is renamed into place unfinished). The next run removes them; one batch at a time
/// may write to a folder.
fn remove_stale_temp_files(folder: &Path) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(".readcast-") && name.ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// "April 29, 2025" -> "2025-04-29" for the ID3 date.
pub fn iso_date(written: &str) -> Option<String> {
    let (year, month, day) = written_date(written)?;
    Some(format!("{year}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_batch_without_overlap() {
        let ids: Vec<String> = (0..50).map(|i| article_id(&Source::Url(format!("https://example.com/{i}")))).collect();
        let mut seen = 0;
        for k in 1..=3 {
            seen += ids.iter().filter(|id| in_shard(id, Some((k, 3)))).count();
        }
        assert_eq!(seen, 50);
        assert!(ids.iter().all(|id| in_shard(id, None)));
        assert_eq!(article_id(&Source::Url("https://example.com/1".into())), ids[1]);
    }

    #[test]
    fn list_files_and_folders_expand() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b.md"), "x").unwrap();
        std::fs::write(dir.path().join("c.png"), "x").unwrap();
        std::fs::write(dir.path().join("more.list"), "# articles\na.txt\nhttps://example.com/story\n").unwrap();
        let folder = collect_inputs(&[dir.path().display().to_string()]).unwrap();
        assert_eq!(folder.len(), 2);
        let list = collect_inputs(&[dir.path().join("more.list").display().to_string()]).unwrap();
        assert_eq!(list, [Source::Path(dir.path().join("a.txt")), Source::Url("https://example.com/story".into())]);
        assert_eq!(iso_date("April 29, 2025").as_deref(), Some("2025-04-29"));
    }
}
