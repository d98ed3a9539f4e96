//! The embedded voice: the pure-Rust port of eSpeak NG, with its English data compiled into
//! the binary. Always available; deterministic, so golden tests pin its output.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use super::{i16_to_f32, Engine};
use crate::error::{Error, Result};

/// The embedded engine's voice settings.
#[derive(Debug, Clone)]
pub struct EspeakSettings {
    pub language: String,
    pub words_per_minute: u32,
    pub pitch: u32,
}

pub struct EmbeddedEspeak {
    engine: espeak_ng::EspeakNg,
}

impl EmbeddedEspeak {
    pub fn new(settings: &EspeakSettings) -> Result<Self> {
        let data_dir = data_dir()?;
        let engine = espeak_ng::EspeakNg::builder()
            .voice(&settings.language)
            .rate(settings.words_per_minute)
            .pitch(settings.pitch)
            .data_dir(data_dir)
            .build()
            .map_err(|e| Error::engine(format!("embedded espeak: {e}")))?;
        Ok(EmbeddedEspeak { engine })
    }
}

impl Engine for EmbeddedEspeak {
    fn sample_rate(&self) -> u32 {
        self.engine.sample_rate()
    }

    fn max_chars(&self) -> usize {
        600
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>> {
        let (samples, _) = self.engine.synth(text).map_err(|e| Error::engine(format!("embedded espeak: {e}")))?;
        Ok(i16_to_f32(&samples))
    }

    /// One call for the whole batch, split where each text's first word begins (at the
    /// sentence start just before it, so no onset is cut). Falls back to one call per text
    /// when the engine's word events cannot be matched to the texts.
    fn synthesize_batch(&mut self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        if texts.len() < 2 {
            return texts.iter().map(|text| self.synthesize(text)).collect();
        }
        let joined = texts.join(" ");
        let (samples, rate, events) =
            self.engine.synth_with_events(&joined).map_err(|e| Error::engine(format!("embedded espeak: {e}")))?;
        let mut starts = Vec::with_capacity(texts.len());
        let mut offset = 0;
        for text in texts {
            starts.push(offset);
            offset += text.chars().count() + 1;
        }
        let Some(cuts) = split_points(&events, &starts, rate) else {
            return texts.iter().map(|text| self.synthesize(text)).collect();
        };
        let mut pieces = Vec::with_capacity(texts.len());
        let mut from = 0;
        for cut in cuts.into_iter().chain(std::iter::once(samples.len())) {
            let cut = cut.clamp(from, samples.len());
            pieces.push(i16_to_f32(&samples[from..cut]));
            from = cut;
        }
        Ok(pieces)
    }
}

/// Sample positions where texts 1.. begin, from the engine's word and sentence events.
fn split_points(events: &[espeak_ng::SynthEvent], starts: &[usize], rate: u32) -> Option<Vec<usize>> {
    use espeak_ng::EventKind;
    let words: Vec<&espeak_ng::SynthEvent> = events.iter().filter(|e| matches!(e.kind, EventKind::Word(_))).collect();
    let sentences: Vec<u32> = events.iter().filter(|e| e.kind == EventKind::Sentence).map(|e| e.audio_position_ms).collect();
    let mut cuts = Vec::with_capacity(starts.len().saturating_sub(1));
    let mut previous_ms = 0;
    for (index, &start) in starts.iter().enumerate().skip(1) {
        let next = starts.get(index + 1).copied().unwrap_or(usize::MAX);
        // Positions can drift by a character where a written token is read as two words.
        let word = words.iter().find(|e| e.text_position + 1 >= start && e.text_position + 1 < next)?;
        let word_ms = word.audio_position_ms;
        let cut_ms = sentences.iter().copied().filter(|&ms| ms <= word_ms && ms >= previous_ms).max().unwrap_or(word_ms);
        if cut_ms < previous_ms {
            return None;
        }
        previous_ms = cut_ms;
        cuts.push((u64::from(cut_ms) * u64::from(rate) / 1000) as usize);
    }
    Some(cuts)
}

/// The engine reads its data from files; the data ships inside the binary and is unpacked
/// once per version into the user's cache folder (or the temp folder when there is none).
pub fn data_dir() -> Result<&'static Path> {
    static DIR: OnceLock<std::result::Result<PathBuf, String>> = OnceLock::new();
    DIR.get_or_init(|| {
        let base = dirs::cache_dir().unwrap_or_else(std::env::temp_dir).join("readcast");
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
    fn batch_splits_where_each_text_begins() {
        let settings = EspeakSettings { language: "en-us".into(), words_per_minute: 175, pitch: 50 };
        let mut engine = EmbeddedEspeak::new(&settings).unwrap();
        let texts: Vec<String> = ["The harbor opened on Monday.", "Ships came back at noon, officials said.", "Boats left early."]
            .iter().map(|t| t.to_string()).collect();
        let batch = engine.synthesize_batch(&texts).unwrap();
        assert_eq!(batch.len(), 3);
        for (text, audio) in texts.iter().zip(&batch) {
            // Each piece is about as long as the text said alone.
            let alone = engine.synthesize(text).unwrap();
            let ratio = audio.len() as f64 / alone.len() as f64;
            assert!((0.8..1.25).contains(&ratio), "{text}: {} vs {}", audio.len(), alone.len());
        }
    }

    #[test]
    fn speaks_and_is_deterministic() {
        let settings = EspeakSettings { language: "en-us".into(), words_per_minute: 175, pitch: 50 };
        let mut engine = EmbeddedEspeak::new(&settings).unwrap();
        let first = engine.synthesize("Hello world.").unwrap();
        let second = engine.synthesize("Hello world.").unwrap();
        assert!(first.len() > engine.sample_rate() as usize / 4, "too short: {}", first.len());
        assert_eq!(first, second);
        assert!(first.iter().any(|s| s.abs() > 0.05));
    }
}
