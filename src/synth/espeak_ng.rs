//! The platform voice: the system's `espeak-ng` program (the C eSpeak NG that Linux speech
//! services use), one process per segment, WAV read from its standard output.

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
        1000
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>> {
        self.command.synthesize(text)
    }
}
