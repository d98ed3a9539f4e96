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

pub use crate::assemble::captions::CaptionFormat;
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

    pub fn mime_type(self) -> &'static str {
        match self {
            AudioFormat::Wav => "audio/wav",
            AudioFormat::Mp3 { .. } => "audio/mpeg",
        }
    }
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
        Ok(Narrator { voice, settings, normalizer, assemble })
    }

    pub fn voice(&self) -> &Voice {
        &self.voice
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
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
        let jobs = self.settings.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
        let (plan, spill) = pipeline::render_spilled(&script, &self.voice, &self.assemble, jobs, on_segment)?;
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
