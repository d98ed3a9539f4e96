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
    /// The same program in SSML mode, for batches.
    ssml: CommandEngine,
}

/// Silence put between the texts of a batch: far longer than any pause the engine makes
/// inside a text, so the split points cannot be mistaken (where they could, the batch is
/// spoken text by text). With 600 ms, one break in the samples could not be told apart;
/// with 1000 ms none failed. Every millisecond of it is audio to generate, pipe and decode.
const BATCH_BREAK_MS: u32 = 1000;

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
        let mut ssml = command.clone();
        ssml.args.insert(0, "-m".into());
        PlatformEspeak { command: CommandEngine::new(&command), ssml: CommandEngine::new(&ssml) }
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

    /// One process for the batch: the texts separated by long SSML breaks, the audio split at
    /// the longest silences. Falls back to one process per text if the breaks are not found.
    fn synthesize_batch(&mut self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        if texts.len() < 2 {
            return texts.iter().map(|text| self.synthesize(text)).collect();
        }
        let breaks = format!("<break time=\"{BATCH_BREAK_MS}ms\"/>");
        let body: Vec<String> = texts.iter().map(|text| escape_xml(text)).collect();
        let document = format!("<speak>{}</speak>", body.join(&breaks));
        let samples = self.ssml.synthesize(&document)?;
        match split_at_silences(&samples, self.sample_rate(), texts.len()) {
            Some(pieces) => Ok(pieces),
            None => texts.iter().map(|text| self.synthesize(text)).collect(),
        }
    }
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Splits audio into `count` pieces at the middle of its `count - 1` longest silent runs, if
/// each of those is at least most of a batch break long.
fn split_at_silences(samples: &[f32], rate: u32, count: usize) -> Option<Vec<Vec<f32>>> {
    let window = (rate / 200).max(1) as usize;
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut run_start = None;
    for (index, block) in samples.chunks(window).enumerate() {
        let silent = block.iter().all(|s| s.abs() < 0.002);
        match (silent, run_start) {
            (true, None) => run_start = Some(index * window),
            (false, Some(start)) => {
                runs.push((start, index * window));
                run_start = None;
            }
            _ => {}
        }
    }
    let minimum = (rate as usize * BATCH_BREAK_MS as usize / 1000) * 3 / 4;
    let mut long: Vec<(usize, usize)> = runs.into_iter().filter(|(start, end)| end - start >= minimum).collect();
    if long.len() != count - 1 {
        return None;
    }
    long.sort_unstable();
    let mut pieces = Vec::with_capacity(count);
    let mut from = 0;
    for (start, end) in long {
        let cut = (start + end) / 2;
        pieces.push(samples[from..cut].to_vec());
        from = cut;
    }
    pieces.push(samples[from..].to_vec());
    Some(pieces)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_at_long_silences_only() {
        let rate = 22_050;
        let tone = |seconds: f32| -> Vec<f32> { (0..(seconds * rate as f32) as usize).map(|i| 0.3 * (i as f32 * 0.1).sin()).collect() };
        let silence = |seconds: f32| vec![0.0; (seconds * rate as f32) as usize];
        let mut audio = tone(1.0);
        audio.extend(silence(0.4));
        audio.extend(tone(0.5));
        audio.extend(silence(1.5));
        audio.extend(tone(0.7));
        let pieces = split_at_silences(&audio, rate, 2).unwrap();
        assert_eq!(pieces.len(), 2);
        assert!((pieces[0].len() as f32 / rate as f32 - 2.65).abs() < 0.02);
        assert!(split_at_silences(&audio, rate, 3).is_none());
    }

    #[test]
    fn batch_matches_texts_when_installed() {
        if !available() {
            println!("skipped: espeak-ng is not installed");
            return;
        }
        let settings = EspeakSettings { language: "en-us".into(), words_per_minute: 175, pitch: 50 };
        let mut engine = PlatformEspeak::new(&settings);
        let texts: Vec<String> = ["The harbor opened on Monday.", "Ships & boats came back at noon, officials said.", "Boats left early."]
            .iter().map(|t| t.to_string()).collect();
        // A program started ahead of its text says it as one started for it.
        engine.start_ahead();
        let ahead = engine.synthesize(&texts[0]).unwrap();
        assert_eq!(ahead, engine.synthesize(&texts[0]).unwrap());
        let batch = engine.synthesize_batch(&texts).unwrap();
        assert_eq!(batch.len(), 3);
        for (text, audio) in texts.iter().zip(&batch) {
            let alone = engine.synthesize(text).unwrap();
            let speech = |samples: &[f32]| samples.iter().filter(|s| s.abs() > 0.01).count() as f64;
            let ratio = speech(audio) / speech(&alone);
            assert!((0.85..1.15).contains(&ratio), "{text}: {ratio}");
        }
    }
}
