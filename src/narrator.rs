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

use crate::assemble::spill::Spill;
use crate::assemble::{captions, loudness_grid, mp3, wav, AssembleSettings, Chapter, Plan, Timing};
use crate::error::{Error, Result};
use crate::extract::Article;
use crate::normalize::Normalizer;
use crate::output::Sink;
use crate::pipeline::{self, Script};
use crate::voice::Voice;
use serde::Deserialize;

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

/// A voice with its settings, ready to narrate articles.
pub struct Narrator {
    voice: Voice,
    settings: Settings,
    normalizer: Normalizer,
    assemble: AssembleSettings,
    cache: Option<SegmentCache>,
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
        Ok(Narrator { voice, settings, normalizer, assemble, cache: None })
    }

    /// Takes the sentences `cache` holds from it and stores the others there (the cache
    /// `batch` keeps; [`SegmentCache::user`] is the user's): an article narrated again after
    /// an edit synthesizes only what changed. The audio is the same.
    pub fn with_cache(mut self, cache: SegmentCache) -> Narrator {
        self.cache = Some(cache);
        self
    }

    /// The cache it uses, if any (for its hit and miss counts).
    pub fn cache(&self) -> Option<&SegmentCache> {
        self.cache.as_ref()
    }

    pub fn voice(&self) -> &Voice {
        &self.voice
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// How it joins segments (the frame grid is the one [`Narrator::narrate`] uses).
    pub fn assemble_settings(&self) -> &AssembleSettings {
        &self.assemble
    }

    /// The sample rate of the audio it makes.
    pub fn sample_rate(&self) -> u32 {
        self.assemble.sample_rate
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
        let jobs = self.settings.jobs.unwrap_or_else(default_jobs);
        let (plan, spill) = pipeline::render_spilled(&script, &self.voice, &self.assemble, jobs, self.cache.as_ref(), on_segment)?;
        Ok(Narrated { plan, spill, script, title: article.title.clone(), byline: article.byline.clone(), date: article.date.clone() })
    }
}

/// A narrated article: its plan, its segments (in a temporary file), and what it says.
pub struct Narrated {
    plan: Plan,
    spill: Spill,
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

    /// Writes the audio to a file, atomically; returns its duration as players find it.
    pub fn write_audio(&self, format: AudioFormat, path: &Path) -> Result<f64> {
        self.write_audio_to(format, Sink::Path(path))
    }

    /// Writes the audio to a file or a stream (standard output, a socket, a `Vec<u8>`).
    pub fn write_audio_to(&self, format: AudioFormat, sink: Sink<'_>) -> Result<f64> {
        let finished = |index: usize| self.spill.finished(&self.plan, index).map(Cow::Owned);
        match format {
            AudioFormat::Wav => {
                wav::write_planned_wav_to(&self.plan, sink, None, &finished)?;
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
                mp3::write_finished_mp3_to(&self.plan, &finished, sink, kbps, &tags)
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
