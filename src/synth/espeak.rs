//! The embedded voice: the pure-Rust port of eSpeak NG, with its English data compiled into
//! the binary. Always available; deterministic, so golden tests pin its output.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{i16_to_f32, Engine};
use crate::error::{Error, Result};

/// The longest text one call takes: a long sentence, cut at clause punctuation beyond that.
pub const MAX_CHARS: usize = 600;

/// The embedded engine's voice settings.
#[derive(Debug, Clone)]
pub struct EspeakSettings {
    pub language: String,
    pub words_per_minute: u32,
    pub pitch: u32,
    pub generator: Generator,
}

/// What turns the embedded voice's phonemes into sound.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Generator {
    /// readcast's own generator (`synth::formant`), with eSpeak's formant widths and voiced
    /// noise.
    #[default]
    Readcast,
    /// The espeak-ng crate's own generator: the audio of readcast before it had its own,
    /// byte for byte, and much harder to follow.
    Crate,
}

impl Generator {
    pub fn is_default(&self) -> bool {
        *self == Generator::default()
    }
}

/// The engine's parts, loaded once: `EspeakNg::synth` reloads the dictionary, the phoneme
/// tables and the voice file on every call (1.5 ms each, a third of the time for a sentence).
pub struct EmbeddedEspeak {
    prepared: Prepared,
}

struct Prepared {
    translator: espeak_ng::Translator,
    phonemes: espeak_ng::PhonemeData,
    voice: espeak_ng::VoiceParams,
    formant: super::formant::Settings,
    generator: Generator,
}

impl Prepared {
    /// What `EspeakNg::synth` builds per call, for a voice with no `+variant` at the
    /// default volume: the same steps as the crate's own (private) `synth_text` and
    /// `make_voice_params_levels` of espeak-ng 0.2.0, which Cargo.toml pins. A test checks
    /// that both paths give the same samples.
    fn load(data_dir: &Path, settings: &EspeakSettings) -> std::result::Result<Self, String> {
        use espeak_ng::synthesize::{intonation, setlengths, wavegen};
        let language = settings.language.as_str();
        let mut translator = espeak_ng::Translator::new(language, Some(data_dir)).map_err(|e| e.to_string())?;
        translator.options.word_gap = 0;
        translator.options.capitals = 0;
        translator.options.punct = None;
        let mut phonemes = espeak_ng::PhonemeData::load(data_dir).map_err(|e| e.to_string())?;
        espeak_ng::translate::select_phoneme_table(&mut phonemes, data_dir, language).map_err(|e| e.to_string())?;
        const DEFAULT_PITCH_BASE: i32 = 0x47000;
        const DEFAULT_PITCH_RANGE: i32 = 4104;
        const DEFAULT_PITCH1: f64 = ((DEFAULT_PITCH_BASE >> 12) + 9) as f64;
        const DEFAULT_PITCH2: f64 = DEFAULT_PITCH1 + (DEFAULT_PITCH_RANGE as f64) / 108.0;
        const VOLUME: u32 = 100;
        let (rate, pitch) = (settings.words_per_minute, settings.pitch);
        let speed_percent = ((100.0 / setlengths::speed_duration_factor(rate)).round() as u32).clamp(20, 800);
        let (pitch1, pitch2) = espeak_ng::voices::voice_pitch(data_dir, language).map_or((DEFAULT_PITCH1, DEFAULT_PITCH2), |(p1, p2)| (f64::from(p1), f64::from(p2)));
        let stress_lengths = espeak_ng::voices::voice_stress_length(data_dir, language).and_then(|lengths| {
            let mut out = setlengths::STRESS_LENGTHS_EN;
            for (slot, &length) in out.iter_mut().zip(&lengths) {
                *slot = length.max(0) as u32;
            }
            (lengths.len() >= 8).then_some(out)
        });
        let voice = espeak_ng::VoiceParams {
            speed_percent,
            pitch_hz: intonation::base_pitch_hz(pitch1, pitch).round() as u32,
            pitch_range_units: (pitch2 - pitch1) * 108.0,
            amplitude: (VOLUME / 2).clamp(0, 100),
            no_final_pause: false,
            rand_seed: 0,
            user_rate_wpm: rate,
            user_pitch: pitch,
            user_volume: VOLUME,
            formant_factor: ((1.0 + (pitch1 - DEFAULT_PITCH1) / DEFAULT_PITCH1 / 4.0) * 256.0).round() as i32,
            stress_lengths,
            intonation_group: espeak_ng::voices::voice_intonation(data_dir, language).map_or(1, usize::from),
            tone_adjust: wavegen::set_tone_adjust(&wavegen::DEFAULT_TONE_POINTS),
            formant_freq_pct: [100; 7],
            formant_height_pct: [100; 7],
            formant_width_pct: [100; 7],
            echo_delay_samples: 0,
            echo_amp: 0,
            flutter: 0,
            stress_amps: [0; 8],
            ..espeak_ng::VoiceParams::default()
        };
        let formant = super::formant::Settings {
            speed: 100.0 / f64::from(voice.speed_percent) * super::formant::DURATION_FIT,
            pitch_base: f64::from(voice.pitch_hz),
            pitch_range: voice.pitch_range_units,
            intonation_group: voice.intonation_group,
            stress_lengths: voice.stress_lengths,
            tone: voice.tone_adjust.to_vec(),
        };
        Ok(Prepared { translator, phonemes, voice, formant, generator: settings.generator })
    }

    fn synth(&self, text: &str) -> std::result::Result<Vec<i16>, String> {
        let codes = self.translator.translate_to_codes(text).map_err(|e| e.to_string())?;
        if self.generator == Generator::Readcast {
            return Ok(super::formant::render(&codes, &self.phonemes, &self.formant));
        }
        espeak_ng::Synthesizer::new(self.voice.clone()).synthesize_codes(&codes, &self.phonemes).map_err(|e| e.to_string())
    }
}

impl EmbeddedEspeak {
    pub fn new(settings: &EspeakSettings) -> Result<Self> {
        let prepared = Prepared::load(data_dir()?, settings).map_err(|e| Error::engine(format!("embedded espeak: {e}")))?;
        Ok(EmbeddedEspeak { prepared })
    }
}

/// The words the espeak-ng crate mispronounces, with the C program's phonemes, in the order
/// of `data/espeak-corrections.tsv` (by frequency).
pub fn corrections() -> impl Iterator<Item = (&'static str, &'static str)> {
    include_str!("data/espeak-corrections.tsv").lines().filter(|line| !line.starts_with('#')).filter_map(|line| line.split_once('\t'))
}

/// The text with every word the espeak-ng crate mispronounces replaced by the C program's
/// phonemes, as eSpeak's inline `[[...]]` (see `data/espeak-corrections.tsv`). Text already
/// inside `[[...]]` (from a lexicon) is left alone, as are words that carry punctuation
/// inside them ("two-year", "Brazil's").
pub fn corrected(text: &str) -> std::borrow::Cow<'_, str> {
    static CORRECTIONS: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let table = CORRECTIONS.get_or_init(|| corrections().collect());
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut in_phonemes = false;
    for (index, word) in text.split(' ').enumerate() {
        if index > 0 {
            out.push(' ');
        }
        let punctuation = |c: char| !c.is_alphanumeric();
        let after_lead = word.trim_start_matches(punctuation);
        let core = after_lead.trim_end_matches(punctuation);
        let phonemes = (!in_phonemes && !word.contains("[[") && !word.contains("]]")).then(|| table.get(core.to_lowercase().as_str())).flatten();
        match phonemes {
            Some(phonemes) => {
                let (lead, trail) = (&word[..word.len() - after_lead.len()], &after_lead[core.len()..]);
                out.push_str(&format!("{lead}[[{phonemes}]]{trail}"));
                changed = true;
            }
            None => out.push_str(word),
        }
        in_phonemes = match (word.rfind("[["), word.rfind("]]")) {
            (Some(open), Some(close)) => open > close,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => in_phonemes,
        };
    }
    if changed {
        std::borrow::Cow::Owned(out)
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl Engine for EmbeddedEspeak {
    fn sample_rate(&self) -> u32 {
        self.prepared.voice.sample_rate
    }

    fn max_chars(&self) -> usize {
        MAX_CHARS
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>> {
        let samples = self.prepared.synth(&corrected(text)).map_err(|e| Error::engine(format!("embedded espeak: {e}")))?;
        Ok(i16_to_f32(&samples))
    }
}

/// The engine reads its data from files; the data ships inside the binary and is unpacked
/// once per version into the user's cache folder (or the temp folder when there is none).
pub fn data_dir() -> Result<&'static Path> {
    static DIR: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = super::cache::readcast_cache_dir();
        install_data(&base).or_else(|first| install_data(&std::env::temp_dir().join("readcast")).map_err(|_| first))
    })
    .as_deref()
    .map_err(|e| Error::engine(format!("embedded espeak: cannot unpack its data: {e}")))
}

fn install_data(base: &Path) -> std::result::Result<PathBuf, String> {
    let target = base.join(format!("espeak-ng-data-{}-en", env!("CARGO_PKG_VERSION")));
    if target.join("en_dict").exists() && target.join("phontab").exists() {
        return Ok(target);
    }
    std::fs::create_dir_all(base).map_err(|e| format!("{}: {e}", base.display()))?;
    // Unpack next to the target and rename, so a concurrent run never sees half the files.
    let staging = tempfile::Builder::new().prefix(".espeak-data-").tempdir_in(base).map_err(|e| format!("{}: {e}", base.display()))?;
    espeak_ng::install_bundled_language(staging.path(), "en").map_err(|e| format!("{e}"))?;
    keep_english_voices_only(staging.path()).map_err(|e| format!("{e}"))?;
    match std::fs::rename(staging.path(), &target) {
        Ok(()) => {
            let _ = staging.keep();
            Ok(target)
        }
        Err(_) if target.join("en_dict").exists() => Ok(target),
        Err(e) => Err(format!("{}: {e}", target.display())),
    }
}

/// The engine scans every language definition on each call to find its voice: 150 files
/// for languages whose dictionaries readcast does not ship. Removing them takes the fixed
/// cost of a call from about 12 ms to 2.5 ms and changes nothing in the audio.
fn keep_english_voices_only(data: &Path) -> std::io::Result<()> {
    let languages = data.join("lang");
    for family in std::fs::read_dir(&languages)? {
        let family = family?.path();
        if family.file_name().is_some_and(|name| name == "gmw") {
            for voice in std::fs::read_dir(&family)? {
                let voice = voice?.path();
                if !voice.file_name().is_some_and(|name| name.to_string_lossy().starts_with("en")) {
                    std::fs::remove_file(voice)?;
                }
            }
        } else if family.is_dir() {
            std::fs::remove_dir_all(family)?;
        } else {
            std::fs::remove_file(family)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaks_and_is_deterministic() {
        let settings = EspeakSettings { language: "en-us".into(), words_per_minute: 175, pitch: 50, generator: Generator::Readcast };
        let mut engine = EmbeddedEspeak::new(&settings).unwrap();
        let first = engine.synthesize("Hello world.").unwrap();
        let second = engine.synthesize("Hello world.").unwrap();
        assert!(first.len() > engine.sample_rate() as usize / 4, "too short: {}", first.len());
        assert_eq!(first, second);
        assert!(first.iter().any(|s| s.abs() > 0.05));
    }

    #[test]
    fn mispronounced_words_get_the_c_program_s_phonemes() {
        assert_eq!(corrected("Since nineteen ninety eight, the (Opening) was \"wholesale\"."), "Since [[n'aInti:n]] [[n'aInti]] eight, the ([['oUp@nIN]]) was \"[[h'oUlseIl]]\".");
        // Words inside a lexicon's phonemes, with inner punctuation, or spoken right stay.
        assert_eq!(corrected("[[n'aInti ninety]] ninety-two Brazil's cat"), "[[n'aInti ninety]] ninety-two Brazil's cat");
        assert!(matches!(corrected("Nothing to fix here."), std::borrow::Cow::Borrowed(_)));
        // Every correction parses, and is needed: the crate's own phonemes differ.
        let crate_phonemes = espeak_ng::EspeakNg::builder().voice("en-us").data_dir(data_dir().unwrap()).build().unwrap();
        assert!(corrections().count() > 1000);
        assert_eq!(corrections().count(), include_str!("data/espeak-corrections.tsv").lines().filter(|l| !l.starts_with('#')).count());
        for (word, phonemes) in corrections().step_by(50) {
            let own = crate_phonemes.text_to_phonemes(word).unwrap();
            let fixed = crate_phonemes.text_to_phonemes(&format!("[[{phonemes}]]")).unwrap();
            assert_ne!(own, fixed, "{word}");
        }
    }

    #[test]
    fn loaded_once_equals_the_crate_s_own_synthesis() {
        let normalizer = crate::normalize::Normalizer::default();
        let samples = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut texts: Vec<String> = vec!["Hello world.".into(), "Is it? Yes, it is; and more: much more!".into(), "AI, the US and NATO's \"plans\".".into()];
        for name in ["clean-library.txt", "scraped-harbor.txt"] {
            let text = std::fs::read_to_string(samples.join(name)).unwrap();
            texts.extend(text.lines().filter(|l| l.len() > 20).take(12).map(|l| crate::synth::engine_text(&normalizer.normalize(l))));
        }
        for (rate, pitch) in [(175, 50), (140, 30), (230, 70)] {
            let settings = EspeakSettings { language: "en-us".into(), words_per_minute: rate, pitch, generator: Generator::Crate };
            let engine = EmbeddedEspeak::new(&settings).unwrap();
            let reference = espeak_ng::EspeakNg::builder().voice("en-us").rate(rate).pitch(pitch).data_dir(data_dir().unwrap()).build().unwrap();
            assert_eq!(engine.sample_rate(), reference.sample_rate());
            for text in &texts {
                let (expected, _) = reference.synth(text).unwrap();
                assert!(engine.prepared.synth(text).unwrap() == expected, "{rate} wpm, pitch {pitch}: {text}");
            }
        }
    }
}
