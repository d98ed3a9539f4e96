//! The platform voice: the system's `espeak-ng` program (the C eSpeak NG that Linux speech
//! services use), one process per segment, WAV read from its standard output.
//!
//! Never several segments in one process: texts spoken one after another in one document
//! (split again at long breaks) come out a few samples longer or shorter than each spoken
//! alone, and a sentence's audio must not depend on its neighbours: the cache pairs each
//! segment with a loudness profile measured from it, and batches running at once share it.

use std::time::Duration;

use super::command::{program_exists, CommandEngine, CommandSettings};
use super::espeak::EspeakSettings;
use super::Engine;
use crate::error::Result;

/// The program name looked up on the PATH.
pub const PROGRAM: &str = "espeak-ng";

/// True when the espeak-ng program is installed.
pub fn available() -> bool {
    program_exists(PROGRAM)
}

pub struct PlatformEspeak {
    command: CommandEngine,
}

impl PlatformEspeak {
    pub fn new(settings: &EspeakSettings) -> Self {
        let command = CommandSettings {
            program: PROGRAM.to_string(),
            args: vec![
                "--stdout".into(),
                "-v".into(),
                settings.language.clone(),
                "-s".into(),
                settings.words_per_minute.to_string(),
                "-p".into(),
                settings.pitch.to_string(),
            ],
            stdin: true,
            sample_rate: 22_050,
            timeout: Duration::from_secs(60),
            out_extension: "wav".into(),
        };
        PlatformEspeak { command: CommandEngine::new(&command) }
    }
}

impl Engine for PlatformEspeak {
    fn sample_rate(&self) -> u32 {
        self.command.sample_rate()
    }

    fn max_chars(&self) -> usize {
        super::command::MAX_CHARS
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>> {
        self.command.synthesize(text)
    }

    fn start_ahead(&mut self) {
        self.command.start_ahead();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_sounds_the_same_every_time_when_installed() {
        if !available() {
            println!("skipped: espeak-ng is not installed");
            return;
        }
        let settings = EspeakSettings { language: "en-us".into(), words_per_minute: 175, pitch: 50, generator: Default::default() };
        let mut engine = PlatformEspeak::new(&settings);
        let texts: Vec<String> = ["The harbor opened on Monday.", "Ships & boats came back at noon, officials said."].iter().map(|t| t.to_string()).collect();
        // A program started ahead of its text says it as one started for it.
        engine.start_ahead();
        let ahead = engine.synthesize(&texts[0]).unwrap();
        assert_eq!(ahead, engine.synthesize(&texts[0]).unwrap());
        // Spoken among others or alone, a sentence is the same audio to the sample.
        let together = engine.synthesize_batch(&texts).unwrap();
        for (text, audio) in texts.iter().zip(&together) {
            assert_eq!(*audio, engine.synthesize(text).unwrap(), "{text}");
        }
    }
}
