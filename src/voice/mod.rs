//! Voices: TOML manifests that name an engine and its settings. The manifests in `voices/`
//! ship inside the binary; more can be installed in the user's data folder.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::normalize::Lexicon;
use crate::synth::command::{program_exists, CommandEngine, CommandSettings};
use crate::synth::espeak::{EmbeddedEspeak, EspeakSettings, Generator};
use crate::synth::espeak_ng::{self, PlatformEspeak};
use crate::synth::piper::{self, PiperEngine, PiperSettings};
use crate::synth::Engine;

mod download;
mod install;

pub use download::{download, DEFAULT_SOURCE};
pub use install::install;

const BUILT_IN: &[(&str, &str)] = &[
    ("espeak.toml", include_str!("../../voices/espeak.toml")),
    ("espeak-ng.toml", include_str!("../../voices/espeak-ng.toml")),
    ("flite.toml", include_str!("../../voices/flite.toml")),
    ("macos-say.toml", include_str!("../../voices/macos-say.toml")),
    ("windows-sapi.toml", include_str!("../../voices/windows-sapi.toml")),
];

/// Which engine a voice runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EngineKind {
    /// The embedded pure-Rust eSpeak NG.
    Espeak,
    /// The system's espeak-ng program.
    EspeakNg,
    /// Any program named by `command`.
    Command,
    /// A Piper neural voice run through ONNX Runtime.
    Piper,
}

impl EngineKind {
    /// Default choice order: better engines first.
    fn preference(self) -> u8 {
        match self {
            EngineKind::Piper => 0,
            EngineKind::EspeakNg => 1,
            EngineKind::Espeak => 2,
            EngineKind::Command => 3,
        }
    }

    /// The name manifests use.
    pub fn name(self) -> &'static str {
        match self {
            EngineKind::Espeak => "espeak",
            EngineKind::EspeakNg => "espeak-ng",
            EngineKind::Command => "command",
            EngineKind::Piper => "piper",
        }
    }
}

/// A speaking rate: words per minute, or a factor of the voice's own pace.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    WordsPerMinute(u32),
    Factor(f32),
}

impl std::str::FromStr for Rate {
    type Err = String;

    /// "200" (words per minute, 80 to 450), or "1.2x" / "1.2" (a factor, 0.5 to 3).
    fn from_str(text: &str) -> std::result::Result<Rate, String> {
        let number = text.trim().trim_end_matches(['x', 'X']);
        let value: f32 = number.parse().map_err(|_| format!("'{text}': a rate is words per minute (200) or a factor (1.2x)"))?;
        if !value.is_finite() {
            return Err(format!("'{text}': a rate is words per minute (200) or a factor (1.2x)"));
        }
        if text.trim().ends_with(['x', 'X']) || value <= 5.0 {
            return if (0.5..=3.0).contains(&value) { Ok(Rate::Factor(value)) } else { Err(format!("'{text}': a rate factor of 0.5 to 3")) };
        }
        if (80.0..=450.0).contains(&value) {
            Ok(Rate::WordsPerMinute(value.round() as u32))
        } else {
            Err(format!("'{text}': 80 to 450 words per minute"))
        }
    }
}

/// The words per minute a Piper voice speaks at its own length_scale, for rates in words per
/// minute.
const NOMINAL_WORDS_PER_MINUTE: f32 = 175.0;

/// A voice manifest.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Voice {
    pub name: String,
    pub engine: EngineKind,
    #[serde(default)]
    pub description: String,
    /// The engine's language or voice id ("en-us").
    #[serde(default = "default_language")]
    pub language: String,
    /// Speaking rate in words per minute.
    #[serde(default = "default_rate")]
    pub rate: u32,
    #[serde(default = "default_pitch")]
    pub pitch: u32,
    /// The rate of the narration this voice writes by default.
    #[serde(default = "default_sample_rate")]
    pub sample_rate: u32,
    /// Lexicons: "news" for the shipped one, or paths relative to the manifest.
    #[serde(default)]
    pub lexicons: Vec<String>,
    /// For `engine = "espeak"`: "readcast" (the default) or "crate", the espeak-ng crate's own
    /// generator, for audio byte-identical to readcast's before it had its own.
    #[serde(default, skip_serializing_if = "Generator::is_default")]
    pub generator: Generator,
    /// For `engine = "command"`: the program and its arguments.
    #[serde(default)]
    pub command: Vec<String>,
    /// For `engine = "command"`: write the text to the program's standard input.
    #[serde(default)]
    pub stdin: bool,
    /// For `engine = "command"`: seconds before a segment is given up.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u64,
    /// For `engine = "piper"`: the `.onnx` model (its `.onnx.json` sits next to it),
    /// relative to the manifest.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<PathBuf>,
    /// For `engine = "piper"`: speaker name or id of a multi-speaker voice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub speaker: Option<String>,
    /// For `engine = "piper"`: larger is slower (default from the voice's config).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length_scale: Option<f32>,
    /// For `engine = "piper"`: voice variation (0 with `noise_w = 0` is deterministic).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_scale: Option<f32>,
    /// For `engine = "piper"`: duration variation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub noise_w: Option<f32>,
    /// Where the manifest was read from, for relative lexicon paths.
    #[serde(skip)]
    pub origin: Option<PathBuf>,
}

fn default_language() -> String {
    "en-us".to_string()
}
fn default_rate() -> u32 {
    175
}
fn default_pitch() -> u32 {
    50
}
fn default_sample_rate() -> u32 {
    22_050
}
fn default_timeout() -> u64 {
    60
}

impl Voice {
    /// Parses a manifest.
    pub fn from_toml(text: &str, name: &str) -> Result<Self> {
        let voice: Voice = toml::from_str(text).map_err(|e| Error::input(format!("{name}: not a valid voice manifest: {e}")))?;
        if voice.engine == EngineKind::Command && voice.command.is_empty() {
            return Err(Error::input(format!("{name}: a command voice needs `command = [\"program\", ...]`")));
        }
        if voice.engine == EngineKind::Piper && voice.model.is_none() {
            return Err(Error::input(format!("{name}: a piper voice needs `model = \"path/to/voice.onnx\"`")));
        }
        if !(1000..=192_000).contains(&voice.sample_rate) {
            return Err(Error::input(format!("{name}: sample_rate {} is out of range", voice.sample_rate)));
        }
        Ok(voice)
    }

    /// Reads a manifest file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        let mut voice = Self::from_toml(&text, &path.display().to_string())?;
        voice.origin = Some(path.to_path_buf());
        Ok(voice)
    }

    /// Whether this voice's engine can run here; the error says why not.
    pub fn availability(&self) -> std::result::Result<(), String> {
        match self.engine {
            EngineKind::Espeak => Ok(()),
            EngineKind::EspeakNg if espeak_ng::available() => Ok(()),
            EngineKind::EspeakNg => Err("the espeak-ng program is not installed (Debian: apt-get install espeak-ng)".into()),
            EngineKind::Command => {
                let program = &self.command[0];
                if program_exists(program) {
                    Ok(())
                } else {
                    Err(format!("the program '{program}' is not on the PATH"))
                }
            }
            EngineKind::Piper => {
                let model = self.model_path().unwrap_or_default();
                if !model.is_file() {
                    return Err(format!("the model {} does not exist", model.display()));
                }
                if !piper::config_path(&model).is_file() {
                    return Err(format!("the model's config {} does not exist", piper::config_path(&model).display()));
                }
                piper::runtime().map(|_| ())
            }
        }
    }

    /// The Piper model, resolved against the manifest's folder.
    pub fn model_path(&self) -> Option<PathBuf> {
        let model = self.model.as_ref()?;
        Some(match (&self.origin, model.is_relative()) {
            (Some(origin), true) => origin.parent().unwrap_or(Path::new(".")).join(model),
            _ => model.clone(),
        })
    }

    fn espeak_settings(&self) -> EspeakSettings {
        EspeakSettings { language: self.language.clone(), words_per_minute: self.rate, pitch: self.pitch, generator: self.generator }
    }

    /// Speaks at `rate`, through the engine's own control: the espeak voices' words per
    /// minute, a Piper voice's length_scale (a factor of its own pace, 175 words per minute
    /// taken as 1), a command's `{rate}` placeholder (words per minute). An input error says
    /// why a voice cannot.
    pub fn set_rate(&mut self, rate: Rate) -> Result<()> {
        let wpm = |base: u32| match rate {
            Rate::WordsPerMinute(wpm) => wpm,
            Rate::Factor(factor) => (base as f32 * factor).round() as u32,
        };
        match self.engine {
            EngineKind::Espeak | EngineKind::EspeakNg => self.rate = wpm(self.rate).clamp(80, 450),
            EngineKind::Command => {
                if !self.command.iter().any(|arg| arg.contains("{rate}")) {
                    return Err(Error::input(format!("voice '{}' runs a command without a {{rate}} placeholder: add one to its manifest's command to set the rate", self.name)));
                }
                self.rate = wpm(self.rate);
            }
            EngineKind::Piper => {
                let factor = match rate {
                    Rate::WordsPerMinute(wpm) => wpm as f32 / NOMINAL_WORDS_PER_MINUTE,
                    Rate::Factor(factor) => factor,
                };
                let own = match self.length_scale {
                    Some(scale) => scale,
                    None => crate::synth::piper::PiperConfig::load(&self.model_path().unwrap_or_default())?.inference.length_scale,
                };
                self.length_scale = Some((own / factor).clamp(0.1, 10.0));
            }
        }
        Ok(())
    }

    /// Speaks at `pitch` (0 to 99, 50 the voice's own): the espeak voices' pitch, a command's
    /// `{pitch}` placeholder. Piper voices have no pitch control (an input error).
    pub fn set_pitch(&mut self, pitch: u32) -> Result<()> {
        if pitch > 99 {
            return Err(Error::input(format!("pitch {pitch}: use 0 to 99 (50 is the voice's own)")));
        }
        match self.engine {
            EngineKind::Espeak | EngineKind::EspeakNg => self.pitch = pitch,
            EngineKind::Command if self.command.iter().any(|arg| arg.contains("{pitch}")) => self.pitch = pitch,
            EngineKind::Command => return Err(Error::input(format!("voice '{}' runs a command without a {{pitch}} placeholder: add one to its manifest's command to set the pitch", self.name))),
            EngineKind::Piper => return Err(Error::input(format!("voice '{}' is a Piper voice, which has no pitch control (--rate works)", self.name))),
        }
        Ok(())
    }

    /// A new engine instance for this voice.
    pub fn engine(&self) -> Result<Box<dyn Engine>> {
        self.engine_with_threads(1)
    }

    /// An engine instance that may use `threads` threads of its own (only Piper does: the
    /// others are single-threaded and run in parallel as separate instances).
    pub fn engine_with_threads(&self, threads: usize) -> Result<Box<dyn Engine>> {
        Ok(match self.engine {
            EngineKind::Espeak => Box::new(EmbeddedEspeak::new(&self.espeak_settings())?),
            EngineKind::EspeakNg => {
                self.availability().map_err(|why| Error::engine(format!("voice '{}': {why}", self.name)))?;
                Box::new(PlatformEspeak::new(&self.espeak_settings()))
            }
            EngineKind::Command => {
                self.availability().map_err(|why| Error::engine(format!("voice '{}': {why}", self.name)))?;
                Box::new(CommandEngine::new(&CommandSettings {
                    program: self.command[0].clone(),
                    args: self.command[1..].iter().map(|arg| arg.replace("{rate}", &self.rate.to_string()).replace("{pitch}", &self.pitch.to_string())).collect(),
                    stdin: self.stdin,
                    sample_rate: self.sample_rate,
                    timeout: Duration::from_secs(self.timeout_seconds),
                    out_extension: "wav".into(),
                }))
            }
            EngineKind::Piper => Box::new(PiperEngine::new(&PiperSettings {
                model: self.model_path().unwrap_or_default(),
                speaker: self.speaker.clone(),
                length_scale: self.length_scale,
                noise_scale: self.noise_scale,
                noise_w: self.noise_w,
            }, threads)?),
        })
    }

    /// The longest input one engine call should take.
    pub fn max_chars(&self) -> usize {
        match self.engine {
            EngineKind::Espeak => crate::synth::espeak::MAX_CHARS,
            EngineKind::Piper => piper::MAX_CHARS,
            EngineKind::EspeakNg | EngineKind::Command => crate::synth::command::MAX_CHARS,
        }
    }

    /// How many characters of consecutive chunks one engine call may take. Engines with a
    /// large fixed cost per call (a process to start, tables to set up) gain from batching;
    /// the value is a trade between that cost and keeping every thread busy.
    pub fn batch_chars(&self) -> usize {
        match self.engine {
            // None batch: a call to the embedded engine has almost no fixed cost once its data
            // is loaded, and the espeak-ng program speaks every text in a process of its own
            // (texts spoken in one process came out at lengths that depended on their
            // neighbours; see `synth::espeak_ng`).
            EngineKind::Espeak | EngineKind::EspeakNg | EngineKind::Command | EngineKind::Piper => 0,
        }
    }

    /// The merged lexicon this voice lists.
    pub fn lexicon(&self) -> Result<Lexicon> {
        let mut lexicon = Lexicon::default();
        for name in &self.lexicons {
            if name == "news" {
                lexicon.extend(Lexicon::news());
            } else {
                let path = match &self.origin {
                    Some(origin) => origin.parent().unwrap_or(Path::new(".")).join(name),
                    None => PathBuf::from(name),
                };
                lexicon.extend(Lexicon::load(&path)?);
            }
        }
        Ok(lexicon)
    }
}

/// The folder where installed voices live: `$READCAST_VOICES` if set, else `voices` in the
/// user's data folder (`$XDG_DATA_HOME/readcast/voices` on Linux).
pub fn user_voice_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("READCAST_VOICES").filter(|dir| !dir.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    dirs::data_dir().map(|dir| dir.join("readcast").join("voices"))
}

/// All voices: built in, then installed ones (which may replace a built-in of the same name).
pub fn all_voices() -> Result<Vec<Voice>> {
    let mut voices: Vec<Voice> = BUILT_IN
        .iter()
        .map(|(name, text)| Voice::from_toml(text, name).expect("built-in voices are valid"))
        .collect();
    if let Some(dir) = user_voice_dir() {
        if let Ok(entries) = std::fs::read_dir(&dir) {
            let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|e| e == "toml")).collect();
            paths.sort();
            for path in paths {
                let voice = Voice::load(&path)?;
                voices.retain(|v| v.name != voice.name);
                voices.push(voice);
            }
        }
    }
    Ok(voices)
}

/// A voice by name, or by the path of a manifest file.
pub fn find_voice(name: &str) -> Result<Voice> {
    if name.ends_with(".toml") {
        return Voice::load(Path::new(name));
    }
    let voices = all_voices()?;
    voices.iter().find(|v| v.name == name).cloned().ok_or_else(|| {
        let names: Vec<&str> = voices.iter().map(|v| v.name.as_str()).collect();
        Error::input(format!("unknown voice '{name}' (known: {})", names.join(", ")))
    })
}

/// The best voice this machine can run: a Piper voice (when one is installed and ONNX Runtime
/// is found), then the platform espeak-ng, then the embedded voice.
pub fn best_voice() -> Result<Voice> {
    best_voice_explained().map(|(voice, _)| voice)
}

/// [`best_voice`], with the better voices it skipped and why each cannot run here (a Piper
/// voice without ONNX Runtime, say), for a note to the user.
pub fn best_voice_explained() -> Result<(Voice, Vec<(String, String)>)> {
    let mut voices: Vec<Voice> = all_voices()?.into_iter().filter(|v| v.engine != EngineKind::Command).collect();
    voices.sort_by_key(|v| v.engine.preference());
    let mut skipped = Vec::new();
    for voice in voices {
        match voice.availability() {
            Ok(()) => return Ok((voice, skipped)),
            Err(why) => skipped.push((voice.name.clone(), why)),
        }
    }
    Err(Error::engine("no voice is available"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_voices_parse_and_embedded_is_available() {
        let voices = all_voices().unwrap();
        let espeak = voices.iter().find(|v| v.name == "espeak").unwrap();
        assert_eq!(espeak.engine, EngineKind::Espeak);
        assert!(espeak.availability().is_ok());
        assert!(espeak.lexicon().unwrap().contains("Kyiv"));
    }

    #[test]
    fn bad_manifests_are_input_errors() {
        assert!(Voice::from_toml("name = \"x\"\nengine = \"command\"\n", "x").is_err());
        assert!(Voice::from_toml("name = \"x\"\nengine = \"nope\"\n", "x").is_err());
        assert!(find_voice("no-such-voice").unwrap_err().to_string().contains("unknown voice"));
        assert!(Voice::from_toml("name = \"x\"\nengine = \"espeak\"\ngenerator = \"other\"\n", "x").is_err());
    }

    #[test]
    fn the_crate_s_own_generator_is_a_manifest_key_away_and_keys_its_own_cache() {
        let own = find_voice("espeak").unwrap();
        assert_eq!(own.generator, Generator::Readcast);
        let old = Voice::from_toml("name = \"espeak\"\nengine = \"espeak\"\nlexicons = [\"news\"]\ngenerator = \"crate\"\n", "old").unwrap();
        assert_eq!(old.generator, Generator::Crate);
        // The segment cache never hands one generator's audio to the other.
        assert_ne!(crate::synth::cache::SegmentCache::key(&own, "Hello."), crate::synth::cache::SegmentCache::key(&old, "Hello."));
        let mut a = old.engine().unwrap();
        let mut b = own.engine().unwrap();
        assert_ne!(a.synthesize("Hello there.").unwrap(), b.synthesize("Hello there.").unwrap());
    }
}

/// One line of `readcast doctor`: whether a part works here, and what to do if not.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Finding {
    pub ok: bool,
    pub what: String,
    pub detail: String,
}

/// Which engines and voices work here, and how to make the others work.
pub fn doctor() -> Result<Vec<Finding>> {
    let mut findings = Vec::new();
    let mut line = |ok: bool, what: &str, detail: String| findings.push(Finding { ok, what: what.to_string(), detail });
    match crate::synth::espeak::data_dir() {
        Ok(dir) => line(true, "embedded espeak", format!("data unpacked in {}", dir.display())),
        Err(e) => line(false, "embedded espeak", e.to_string()),
    }
    if espeak_ng::available() {
        line(true, "platform espeak-ng", "the espeak-ng program is installed".into());
    } else {
        line(false, "platform espeak-ng", "not installed (Debian/Ubuntu: apt-get install espeak-ng)".into());
    }
    match piper::runtime() {
        Ok(_) => line(true, "ONNX Runtime", format!("loaded ({})", std::env::var("ORT_DYLIB_PATH").unwrap_or_else(|_| "configured or system library".into()))),
        Err(why) => line(false, "ONNX Runtime", why),
    }
    let voices = all_voices()?;
    if !voices.iter().any(|v| v.engine == EngineKind::Piper) {
        let folder = user_voice_dir().map(|d| d.display().to_string()).unwrap_or_default();
        line(false, "piper voices", format!("none installed in {folder} (readcast voices download en_US-lessac-medium, or readcast voices install VOICE.onnx|FOLDER|WHEEL)"));
    }
    for voice in voices.iter().filter(|v| matches!(v.engine, EngineKind::Piper | EngineKind::Command)) {
        match voice.availability() {
            Ok(()) => line(true, &format!("voice {}", voice.name), voice.description.clone()),
            Err(why) => line(false, &format!("voice {}", voice.name), why),
        }
    }
    Ok(findings)
}
