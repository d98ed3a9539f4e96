//! The one way to narrate an article: a [`Narrator`] (a voice and [`Settings`]) turns an
//! [`Article`] into a [`Narrated`] article, which writes its audio (WAV or MP3, to a file or
//! any stream), captions (WebVTT, SubRip) and timings.
//!
//! ```no_run
//! use readcast::narrator::{AudioFormat, Narrator, Settings};
//!
//! let article = readcast::extract::extract_str("Tram line approved\n\nThe council voted 7 to 2 on Tuesday.")?;
//! let voice = readcast::voice::find_voice("espeak")?;
//! let narrator = Narrator::new(voice, Settings::default())?;
//! let narrated = narrator.narrate(&article)?;
//! narrated.write_audio(AudioFormat::Mp3 { kbps: 64 }, std::path::Path::new("tram.mp3"))?;
//! narrated.write_captions(AudioFormat::Mp3 { kbps: 64 }, std::path::Path::new("tram.srt"))?;
//! # Ok::<(), readcast::Error>(())
//! ```
//!
//! Memory holds the segments being synthesized, not the narration: each placed segment goes
//! to a temporary file as it is made, and the writers read it back when they reach it.

use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::assemble::spill::Spill;
use crate::assemble::{captions, chapters_json, loudness_grid, mp3, place, wav, AssembleSettings, Chapter, PieceStore, Plan, Profile, Timing};
use crate::error::{Error, Result};
use crate::extract::Article;
use crate::normalize::Normalizer;
use crate::output::Sink;
use crate::page::{PageChapter, ReadAlong};
use crate::pipeline::{self, Script};
use crate::synth::cache::Entry;
use crate::synth::{self, EnginePool};
use crate::voice::Voice;

pub use crate::assemble::captions::CaptionFormat;
pub use crate::assemble::{LOUDNESS_RANGE, PAUSE_RANGE};
pub use crate::synth::cache::SegmentCache;
pub use crate::pipeline::{DisclosurePosition, ScriptOptions, DEFAULT_DISCLOSURE};

/// Audio container of a narration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AudioFormat {
    Wav,
    Mp3 { kbps: u32 },
}

impl AudioFormat {
    /// The MP3 bitrate readcast uses unless told otherwise.
    pub const DEFAULT_KBPS: u32 = 64;

    /// The format a file's extension names (`.wav`, `.mp3`), MP3 at `kbps`.
    pub fn of(path: &Path, kbps: u32) -> Result<AudioFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some(name @ ("wav" | "mp3")) => AudioFormat::named(name, kbps),
            _ => Err(Error::input(format!("{}: name the output .wav or .mp3 (the file's extension picks its format)", path.display()))),
        }
    }

    /// The format called `name` ("wav", "mp3").
    pub fn named(name: &str, kbps: u32) -> Result<AudioFormat> {
        match name {
            "wav" => Ok(AudioFormat::Wav),
            "mp3" => Ok(AudioFormat::Mp3 { kbps }),
            other => Err(Error::input(format!("'{other}' is not an audio format readcast writes: wav or mp3"))),
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            AudioFormat::Wav => "wav",
            AudioFormat::Mp3 { .. } => "mp3",
        }
    }

    pub fn is_mp3(self) -> bool {
        matches!(self, AudioFormat::Mp3 { .. })
    }

    pub fn mime_type(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 { .. } => "audio/mpeg",
        }
    }
}

/// Synthesis threads when none are asked for: one per core.
pub fn default_jobs() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// The MP3 sample rate nearest `rate` (the higher of two as near): MP3 has only nine.
pub fn mp3_sample_rate_near(rate: u32) -> u32 {
    mp3::SAMPLE_RATES.iter().copied().min_by_key(|&candidate| (candidate.abs_diff(rate), std::cmp::Reverse(candidate))).unwrap_or(22_050)
}

/// How articles are narrated: what is read besides the body, and how the audio is joined.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Header, disclosure line and where it goes.
    pub script: ScriptOptions,
    /// Output sample rate; `None` keeps the voice's.
    pub sample_rate: Option<u32>,
    /// 1 (mono) or 2.
    pub channels: u16,
    /// Integrated loudness target in LUFS; `None` picks the podcast norm (-19 mono, -16 stereo).
    pub loudness: Option<f64>,
    /// Pauses after a sentence, a paragraph, and before a section, in seconds.
    pub pause_sentence: f32,
    pub pause_paragraph: f32,
    pub pause_section: f32,
    /// Synthesis threads; `None` uses every core.
    pub jobs: Option<usize>,
    /// Pronunciation lexicons (TOML) besides the voice's own.
    pub lexicons: Vec<PathBuf>,
}

impl Default for Settings {
    fn default() -> Self {
        let assemble = AssembleSettings::default();
        Settings {
            script: ScriptOptions::default(),
            sample_rate: None,
            channels: 1,
            loudness: None,
            pause_sentence: assemble.pause_sentence,
            pause_paragraph: assemble.pause_paragraph,
            pause_section: assemble.pause_section,
            jobs: None,
            lexicons: Vec::new(),
        }
    }
}

/// A voice with its settings, ready to narrate articles: its synthesis threads and engines
/// (one per thread, loaded on first use) serve every narration it makes.
pub struct Narrator {
    voice: Voice,
    settings: Settings,
    normalizer: Normalizer,
    assemble: AssembleSettings,
    cache: Option<Arc<SegmentCache>>,
    /// The format the narrations will be written in, where known ([`Narrator::for_format`]).
    format: Option<AudioFormat>,
    pool: rayon::ThreadPool,
    engines: EnginePool,
}

impl Narrator {
    /// Checks the settings (an input error names the one out of range) and loads the voice's
    /// lexicons and the settings' own.
    pub fn new(voice: Voice, settings: Settings) -> Result<Narrator> {
        let sample_rate = settings.sample_rate.unwrap_or(voice.sample_rate);
        if !(8_000..=192_000).contains(&sample_rate) {
            return Err(Error::input(format!("a sample rate of 8000 to 192000 Hz, not {sample_rate}")));
        }
        let assemble = AssembleSettings {
            sample_rate,
            channels: settings.channels,
            pause_sentence: settings.pause_sentence,
            pause_paragraph: settings.pause_paragraph,
            pause_section: settings.pause_section,
            target_lufs: settings.loudness,
            // Segments start on a grid of at most 20 ms that divides the loudness step: each
            // segment's loudness is measured once, as it is made, and WAV and MP3 hold the same
            // narration (MP3 pieces are cut inside pauses).
            frame_grid: loudness_grid(sample_rate),
            ..AssembleSettings::default()
        };
        assemble.check()?;
        if settings.jobs.is_some_and(|jobs| !(1..=256).contains(&jobs)) {
            return Err(Error::input("1 to 256 synthesis threads"));
        }
        let normalizer = pipeline::normalizer_for(&voice, &settings.lexicons)?;
        let jobs = settings.jobs.unwrap_or_else(default_jobs);
        let pool = synth::synthesis_pool(jobs)?;
        let engines = EnginePool::new(voice.clone(), jobs);
        Ok(Narrator { voice, settings, normalizer, assemble, cache: None, format: None, pool, engines })
    }

    /// Takes the sentences `cache` holds from it and stores the others there (the cache
    /// `batch` keeps; [`SegmentCache::user`] is the user's), with their loudness profiles and
    /// the encoded pieces of the audio: an article narrated again after an edit synthesizes
    /// and encodes only what changed. The audio is the same.
    pub fn with_cache(mut self, cache: SegmentCache) -> Narrator {
        self.cache = Some(Arc::new(cache));
        self
    }

    /// Says the format the narrations will be written in. For MP3, segments are then placed
    /// on the MP3 frame grid, so that a cache finds the encoded pieces of the sentences after
    /// an edit too (and the audio is the same with a cache or without). The loudness profiles
    /// on that grid are finer, so a narration of many hours takes more memory: without a
    /// cache, leave the format unsaid.
    pub fn for_format(mut self, format: AudioFormat) -> Narrator {
        self.format = Some(format);
        self.regrid()
    }

    /// Narrations made at the same time share the threads (a batch): an engine made for a
    /// narration with little to synthesize then keeps to one thread, where otherwise it may
    /// use the idle threads' cores.
    pub fn concurrent(mut self, concurrent: bool) -> Narrator {
        self.engines = EnginePool::new(self.voice.clone(), self.threads()).lending_idle_cores(!concurrent);
        self
    }

    fn regrid(mut self) -> Narrator {
        self.assemble.frame_grid = match self.format {
            Some(AudioFormat::Mp3 { .. }) => mp3::frame_samples(self.assemble.sample_rate),
            _ => loudness_grid(self.assemble.sample_rate),
        };
        self
    }

    /// The cache it uses, if any (for its hit and miss counts).
    pub fn cache(&self) -> Option<&SegmentCache> {
        self.cache.as_deref()
    }

    pub fn voice(&self) -> &Voice {
        &self.voice
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Synthesis threads.
    pub fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// How it joins segments (the frame grid is the one [`Narrator::narrate`] uses).
    pub fn assemble_settings(&self) -> &AssembleSettings {
        &self.assemble
    }

    /// The sample rate of the audio it makes.
    pub fn sample_rate(&self) -> u32 {
        self.assemble.sample_rate
    }

    /// Runs `work` on its threads: narrations started there share them (a batch narrates
    /// several articles at once this way).
    pub fn install<R: Send>(&self, work: impl FnOnce() -> R + Send) -> R {
        self.pool.install(work)
    }

    /// Makes an engine now where that is cheap, so that it is ready when the text is (see
    /// [`EnginePool::warm`]); `one_text` where a single sentence is likely to be spoken.
    pub fn warm(&self, one_text: bool) {
        self.engines.warm(one_text);
    }

    /// Whether it can write `format`: an input error that says why not (an MP3 bitrate or
    /// sample rate MP3 does not have). Check before narrating, so that a long narration does
    /// not fail at its last step.
    pub fn check_format(&self, format: AudioFormat) -> Result<()> {
        match format {
            AudioFormat::Mp3 { kbps } => mp3::check_settings(self.assemble.sample_rate, kbps),
            AudioFormat::Wav => Ok(()),
        }
    }

    /// The spoken script of `article` and its synthesis chunks (an input error where it has
    /// nothing to read).
    pub fn prepare(&self, article: &Article) -> Result<Script> {
        pipeline::prepare(article, &self.voice, &self.normalizer, &self.settings.script)
    }

    /// Narrates `article`.
    pub fn narrate(&self, article: &Article) -> Result<Narrated> {
        let script = self.prepare(article)?;
        self.narrate_script(article, script, &|| {})
    }

    /// Narrates a prepared script of `article`, calling `on_segment` as each of its chunks is
    /// synthesized (for a progress bar).
    pub fn narrate_script(&self, article: &Article, script: Script, on_segment: &(dyn Fn() + Sync)) -> Result<Narrated> {
        let (plan, spill, cached) = self.install(|| self.render(&script, on_segment))?;
        Ok(Narrated { plan, spill, cached, script, title: article.title.clone(), byline: article.byline.clone(), date: article.date.clone() })
    }

    /// Synthesizes the script, each placed segment to a temporary file as it is made, and
    /// plans the narration: memory holds the segments in flight and the plan, whatever the
    /// article's length. With a cache, a segment whose loudness profile is there (measured
    /// from the very segment still there) is not even read: its samples are read when the
    /// writers need them, and those of pieces in the cache never are.
    fn render(&self, script: &Script, on_segment: &(dyn Fn() + Sync)) -> Result<(Plan, Spill, Option<CachedSegments>)> {
        let settings = &self.assemble;
        let spill = Spill::new(script.chunks.len(), settings)?;
        let Some(cache) = &self.cache else {
            self.make(&spill, script, &(0..script.chunks.len()).collect::<Vec<_>>(), None, on_segment)?;
            let plan = spill.plan(&script.chunks, &script.utterances)?;
            return Ok((plan, spill, None));
        };
        let segment_keys = synth::segment_keys(&script.chunks, &self.voice);
        let profile_keys: Vec<String> = segment_keys.iter().map(|key| Profile::key(key, settings)).collect();
        // A profile counts only with the very segment it was measured from still there: the
        // samples may be needed, and a segment made again (by a voice with random variation,
        // or by another run at the same time) need not come out the same length.
        let read = |index: usize| -> Option<Profile> {
            let checksum = cache.segment_checksum(&segment_keys[index])?;
            let bytes = cache.get_entry(Entry::Profile, &profile_keys[index])?;
            let (measured_from, profile) = bytes.split_at_checked(checksum.len())?;
            (measured_from == checksum).then(|| Profile::from_bytes(profile)).flatten()
        };
        // The segments without a profile are made while the other profiles are read.
        let present: Vec<bool> = profile_keys.par_iter().map(|key| cache.has_entry(Entry::Profile, key)).collect();
        let (profiles, _) = crate::workers::read_while_making(&present, read, |indices| {
            self.make(&spill, script, indices, Some((cache, &profile_keys)), on_segment).map(|()| Vec::<()>::new())
        })?;
        for (index, profile) in profiles.into_iter().enumerate() {
            if let Some(profile) = profile {
                cache.count(true);
                spill.adopt(index, profile)?;
                on_segment();
            }
        }
        let plan = spill.plan(&script.chunks, &script.utterances)?;
        Ok((plan, spill, Some(CachedSegments { cache: Arc::clone(cache), segment_keys, profile_keys })))
    }

    /// Synthesizes (or takes from the cache) the segments `indices` of the script into
    /// `spill`, storing each one's profile in the cache where one is given.
    fn make(&self, spill: &Spill, script: &Script, indices: &[usize], cache: Option<(&SegmentCache, &[String])>, on_segment: &(dyn Fn() + Sync)) -> Result<()> {
        if indices.is_empty() {
            return Ok(());
        }
        let chunks: Vec<_> = indices.iter().map(|&index| script.chunks[index].clone()).collect();
        let failed: std::sync::Mutex<Option<Error>> = std::sync::Mutex::new(None);
        synth::synthesize_streaming_with(&chunks, &self.engines, cache.map(|(cache, _)| cache), &|position, segment| {
            let index = indices[position];
            match spill.put(index, segment) {
                // A full disk makes the cache useless, not the narration wrong.
                Ok(profile) => {
                    if let Some((cache, profile_keys)) = cache {
                        let _ = cache.put_entry(Entry::Profile, &profile_keys[index], &[SegmentCache::checksum_of(segment).as_slice(), &profile.to_bytes()].concat());
                    }
                }
                Err(error) => {
                    failed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get_or_insert(error);
                }
            }
            on_segment();
        })?;
        match failed.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// Where a narration made with a cache finds the segments it did not make: the cache, under
/// their keys.
struct CachedSegments {
    cache: Arc<SegmentCache>,
    segment_keys: Vec<String>,
    /// Name each segment's placed audio (the segment and how it was placed): the pieces of
    /// the audio are found by them.
    profile_keys: Vec<String>,
}

/// Pieces of narrations (of one kind: MP3 frames or finished PCM) kept in the segment cache.
struct CachedPieces<'c>(&'c SegmentCache, Entry);

impl PieceStore for CachedPieces<'_> {
    fn get(&self, key: &str) -> Option<Vec<u8>> {
        self.0.get_entry(self.1, key)
    }

    fn put(&self, key: &str, bytes: &[u8]) {
        // A full disk makes the cache useless, not the narration wrong.
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

/// A narrated article: its plan, its segments (in a temporary file, or the cache), and what
/// it says.
pub struct Narrated {
    plan: Plan,
    spill: Spill,
    cached: Option<CachedSegments>,
    script: Script,
    title: Option<String>,
    byline: Option<String>,
    date: Option<String>,
}

impl Narrated {
    /// Length of the narration in seconds (an MP3 adds its lead-in and rounds up to frames).
    pub fn duration_seconds(&self) -> f64 {
        self.plan.duration_seconds()
    }

    /// Frames of the narration (samples per channel), as a WAV of it holds.
    pub fn frames(&self) -> usize {
        self.plan.frames
    }

    /// Sentences read.
    pub fn sentence_count(&self) -> usize {
        self.script.utterances.len()
    }

    /// The title its MP3 tag gives (the article's, unless set here).
    pub fn set_title(&mut self, title: impl Into<String>) {
        self.title = Some(title.into());
    }

    /// Where each sentence is heard in `format` (an MP3 starts with the encoder's lead-in).
    pub fn sentences(&self, format: AudioFormat) -> Vec<Timing> {
        self.as_played(&self.plan.sentences, format)
    }

    /// Where each synthesized segment is heard in `format`.
    pub fn segments(&self, format: AudioFormat) -> Vec<Timing> {
        self.as_played(&self.plan.segments, format)
    }

    /// The chapters (title, then each heading) as heard in `format`.
    pub fn chapters(&self, format: AudioFormat) -> Vec<Chapter> {
        self.script.chapters_in(&self.sentences(format))
    }

    fn as_played(&self, timings: &[Timing], format: AudioFormat) -> Vec<Timing> {
        match format {
            AudioFormat::Mp3 { .. } => mp3::as_played(timings, self.plan.sample_rate),
            AudioFormat::Wav => timings.to_vec(),
        }
    }

    /// Segment `index`, placed and finished: from the temporary file, or from the cache.
    fn finished(&self, index: usize) -> Result<Vec<f32>> {
        let cached = match &self.cached {
            Some(cached) if !self.spill.holds(index) => cached,
            _ => return self.spill.finished(&self.plan, index),
        };
        let lost = || Error::engine(format!("segment {} left the cache while its narration was made (was the cache cleared?); narrate again", index + 1));
        let mut samples = place(&cached.cache.peek(&cached.segment_keys[index]).ok_or_else(lost)?, self.spill.settings())?;
        if samples.len() != self.plan.shapes[index].frames {
            // Another run replaced the segment meanwhile: the profile goes, so that the next
            // run measures the segment again.
            cached.cache.remove_entry(Entry::Profile, &cached.profile_keys[index]);
            return Err(Error::engine(format!(
                "segment {} is {} frames long in the cache, not the {} its profile says (another run replaced it meanwhile); its profile was removed: narrate again",
                index + 1,
                samples.len(),
                self.plan.shapes[index].frames
            )));
        }
        self.plan.finish(&mut samples)?;
        Ok(samples)
    }

    /// Writes the audio to a file, atomically; returns its duration as players find it.
    pub fn write_audio(&self, format: AudioFormat, path: &Path) -> Result<f64> {
        self.write_audio_to(format, Sink::Path(path))
    }

    /// Writes the audio to a file or a stream (standard output, a socket, a `Vec<u8>`).
    /// With a cache, the pieces of audio it holds are taken from it, and the others stored.
    pub fn write_audio_to(&self, format: AudioFormat, sink: Sink<'_>) -> Result<f64> {
        let finished = |index: usize| self.finished(index).map(Cow::Owned);
        let pieces = self.cached.as_ref().map(|cached| {
            let kind = if format.is_mp3() { Entry::Piece } else { Entry::Pcm };
            (cached.profile_keys.as_slice(), CachedPieces(&cached.cache, kind))
        });
        let store = pieces.as_ref().map(|(keys, pieces)| (*keys, pieces as &dyn PieceStore));
        match format {
            AudioFormat::Wav => {
                wav::write_planned_wav_to(&self.plan, sink, store, &finished)?;
                Ok(self.plan.duration_seconds())
            }
            AudioFormat::Mp3 { kbps } => {
                let tags = mp3::Mp3Tags {
                    title: self.title.clone(),
                    artist: self.byline.clone(),
                    date: self.date.as_deref().and_then(crate::podcast::iso_date),
                    album: None,
                    chapters: self.chapters(format),
                };
                mp3::write_finished_mp3_to(&self.plan, &finished, sink, kbps, &tags, store)
            }
        }
    }

    /// The captions of the audio in `format`.
    pub fn captions(&self, format: AudioFormat, captions: CaptionFormat) -> String {
        captions::captions(&self.sentences(format), captions)
    }

    /// Writes the captions of the audio in `format` to a file, WebVTT or SubRip by its
    /// extension (`.vtt`, `.srt`).
    pub fn write_captions(&self, format: AudioFormat, path: &Path) -> Result<()> {
        captions::write_captions(&self.sentences(format), path)
    }

    /// Writes the segment timings of the audio in `format` as JSON: `[{"text", "start", "end"}]`.
    pub fn write_timings(&self, format: AudioFormat, path: &Path) -> Result<()> {
        captions::write_timings(&self.segments(format), path)
    }

    /// The read-along player's view of the audio in `format` at `audio_url` (relative to the
    /// page): each sentence as written and when it is heard.
    pub fn read_along(&self, format: AudioFormat, audio_url: &str, duration: f64) -> ReadAlong {
        let chapters = self.chapters(format).into_iter().map(|chapter| PageChapter { title: chapter.title, start: chapter.start }).collect();
        let mut read_along = ReadAlong::new(&self.script.utterances, &self.sentences(format), &self.script.parts, chapters, audio_url, duration);
        read_along.title = self.title.clone();
        read_along.byline = self.byline.clone();
        read_along.date = self.date.clone();
        read_along
    }

    /// Writes a read-along page ([`crate::page::page`]) for the audio in `format` at `audio`
    /// (`duration` seconds long, as [`Narrated::write_audio`] returned), found from the page
    /// by its path relative to the page's folder.
    pub fn write_page(&self, format: AudioFormat, audio: &Path, duration: f64, path: &Path) -> Result<()> {
        let read_along = self.read_along(format, &crate::page::relative_url(path, audio), duration);
        crate::output::write_bytes(path, crate::page::page(&read_along, "en").as_bytes())
    }

    /// Writes an embeddable player ([`crate::page::embed`]) to `path` and the read-along JSON
    /// it reads to `json`, both naming the audio at `audio` relative to `path`'s folder.
    pub fn write_embed(&self, format: AudioFormat, audio: &Path, duration: f64, path: &Path, json: &Path) -> Result<()> {
        let read_along = self.read_along(format, &crate::page::relative_url(path, audio), duration);
        crate::output::write_bytes(json, crate::page::timings_json(&read_along).as_bytes())?;
        crate::output::write_bytes(path, crate::page::embed(&read_along.audio, &crate::page::relative_url(path, json)).as_bytes())
    }

    /// Writes the chapters of the audio in `format` as JSON (Podcasting 2.0 chapters).
    pub fn write_chapters(&self, format: AudioFormat, path: &Path) -> Result<()> {
        crate::output::write_bytes(path, chapters_json(&self.chapters(format)).as_bytes())
    }
}

/// Settings as a file or the command line gives them, each one optional: the user's config
/// (`$XDG_CONFIG_HOME/readcast/config.toml`), a show's `podcast.toml`, or flags. The first
/// that says something wins ([`Preferences::over`]): flag > config or podcast.toml > voice
/// manifest > default.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Preferences {
    /// Voice name or manifest path.
    pub voice: Option<String>,
    /// Words per minute ("200") or a factor of the voice's pace ("1.2x").
    pub rate: Option<String>,
    /// 0 to 99; 50 is the voice's own.
    pub pitch: Option<u32>,
    /// Read title, byline and date first.
    pub header: Option<bool>,
    /// The AI disclosure line; "" reads none.
    pub disclosure: Option<String>,
    pub disclosure_at_end: Option<bool>,
    pub sample_rate: Option<u32>,
    pub channels: Option<u16>,
    pub loudness: Option<f64>,
    pub pause_sentence: Option<f32>,
    pub pause_paragraph: Option<f32>,
    pub pause_section: Option<f32>,
    /// Extra pronunciation lexicons (relative to the file that names them); those of every
    /// layer are read.
    #[serde(default)]
    pub lexicons: Vec<PathBuf>,
    /// The ONNX Runtime library for Piper voices, where `ORT_DYLIB_PATH` is unset.
    pub onnxruntime: Option<PathBuf>,
}

impl Preferences {
    /// The names a settings file may use, besides a podcast.toml's own.
    pub const KEYS: [&'static str; 14] = [
        "voice", "rate", "pitch", "header", "disclosure", "disclosure_at_end", "sample_rate", "channels", "loudness", "pause_sentence", "pause_paragraph",
        "pause_section", "lexicons", "onnxruntime",
    ];

    /// `self` where it says something, else `lower`; lexicons of both.
    pub fn over(self, lower: Preferences) -> Preferences {
        let mut lexicons = lower.lexicons;
        lexicons.extend(self.lexicons);
        Preferences {
            voice: self.voice.or(lower.voice),
            rate: self.rate.or(lower.rate),
            pitch: self.pitch.or(lower.pitch),
            header: self.header.or(lower.header),
            disclosure: self.disclosure.or(lower.disclosure),
            disclosure_at_end: self.disclosure_at_end.or(lower.disclosure_at_end),
            sample_rate: self.sample_rate.or(lower.sample_rate),
            channels: self.channels.or(lower.channels),
            loudness: self.loudness.or(lower.loudness),
            pause_sentence: self.pause_sentence.or(lower.pause_sentence),
            pause_paragraph: self.pause_paragraph.or(lower.pause_paragraph),
            pause_section: self.pause_section.or(lower.pause_section),
            lexicons,
            onnxruntime: self.onnxruntime.or(lower.onnxruntime),
        }
    }

    /// Parses settings in TOML; `name` and paths in it are relative to `folder`.
    pub fn from_toml(text: &str, name: &str, folder: &Path) -> Result<Preferences> {
        let mut preferences: Preferences = toml::from_str(text).map_err(|e| Error::input(format!("{name}: {e}")))?;
        preferences.resolve(folder);
        Ok(preferences)
    }

    /// The preferences among a table's keys ([`Preferences::KEYS`]), taken out of it.
    pub fn take_from(table: &mut toml::Table, name: &str, folder: &Path) -> Result<Preferences> {
        let mut own = toml::Table::new();
        for key in Preferences::KEYS {
            if let Some(value) = table.remove(key) {
                own.insert(key.to_string(), value);
            }
        }
        let mut preferences: Preferences = own.try_into().map_err(|e| Error::input(format!("{name}: {e}")))?;
        preferences.resolve(folder);
        Ok(preferences)
    }

    fn resolve(&mut self, folder: &Path) {
        for path in self.lexicons.iter_mut().chain(self.onnxruntime.as_mut()) {
            if path.is_relative() {
                *path = folder.join(&*path);
            }
        }
    }

    /// The user's config file: `$READCAST_CONFIG`, else `config.toml` in readcast's folder
    /// of the user's config folder (`$XDG_CONFIG_HOME/readcast/` on Linux).
    pub fn user_file() -> Option<PathBuf> {
        std::env::var_os("READCAST_CONFIG").map(PathBuf::from).or_else(|| dirs::config_dir().map(|dir| dir.join("readcast").join("config.toml")))
    }

    /// The user's config ([`Preferences::user_file`]); none there gives none.
    pub fn user() -> Result<Preferences> {
        let Some(path) = Preferences::user_file() else { return Ok(Preferences::default()) };
        match std::fs::read_to_string(&path) {
            Ok(text) => Preferences::from_toml(&text, &format!("{}: not a valid readcast config", path.display()), path.parent().unwrap_or(Path::new("."))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Preferences::default()),
            Err(e) => Err(Error::io(path, e)),
        }
    }

    /// The settings these preferences make over the defaults (the voice's own sample rate
    /// where none is given). Also names the ONNX Runtime library, if they do.
    pub fn settings(&self) -> Settings {
        if let Some(path) = &self.onnxruntime {
            crate::synth::piper::set_library(path);
        }
        let defaults = Settings::default();
        Settings {
            script: ScriptOptions {
                header: self.header.unwrap_or(defaults.script.header),
                disclosure: match &self.disclosure {
                    Some(line) if line.trim().is_empty() => None,
                    Some(line) => Some(line.clone()),
                    None => defaults.script.disclosure,
                },
                disclosure_position: if self.disclosure_at_end.unwrap_or(false) { DisclosurePosition::End } else { DisclosurePosition::Start },
            },
            sample_rate: self.sample_rate,
            channels: self.channels.unwrap_or(defaults.channels),
            loudness: self.loudness,
            pause_sentence: self.pause_sentence.unwrap_or(defaults.pause_sentence),
            pause_paragraph: self.pause_paragraph.unwrap_or(defaults.pause_paragraph),
            pause_section: self.pause_section.unwrap_or(defaults.pause_section),
            jobs: None,
            lexicons: self.lexicons.clone(),
        }
    }

    /// Sets the rate and pitch they give on `voice` ([`Voice::set_rate`], [`Voice::set_pitch`]).
    pub fn tune(&self, voice: &mut Voice) -> Result<()> {
        if let Some(rate) = &self.rate {
            voice.set_rate(rate.parse::<crate::voice::Rate>().map_err(Error::input)?)?;
        }
        if let Some(pitch) = self.pitch {
            voice.set_pitch(pitch)?;
        }
        Ok(())
    }
}
