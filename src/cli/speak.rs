//! `readcast speak`: reads the normalized article aloud through the platform's speech service
//! (the `tts` crate: speech-dispatcher, AVFoundation, WinRT/SAPI). Built only with the
//! `speak` cargo feature, since on Linux it needs libspeechd and libclang.

use std::time::Duration;

use clap::Args;
use readcast::error::{Error, Result, EXIT_OK};
use readcast::normalize::{Lexicon, Normalizer};
use readcast::pipeline::{script, ScriptOptions};

use super::text::read_article;

#[derive(Debug, Args)]
pub struct SpeakArgs {
    /// The article: a file, an http(s) URL, or - for standard input.
    input: String,
    /// Force the input format instead of detecting it.
    #[arg(long, value_parser = ["text", "html", "markdown"])]
    format: Option<String>,
    /// Print each sentence as it is queued.
    #[arg(short, long)]
    verbose: bool,
}

/// `readcast speak`.
pub fn speak(args: &SpeakArgs) -> Result<i32> {
    let article = read_article(&args.input, args.format.as_deref(), false)?;
    let utterances = script(&article, &Normalizer::new(Lexicon::news()), &ScriptOptions::default());
    if utterances.is_empty() {
        return Err(Error::input("no article text found"));
    }
    let mut speech = tts::Tts::default().map_err(|e| Error::engine(format!("platform speech is not available: {e}")))?;
    for utterance in &utterances {
        if args.verbose {
            eprintln!("{}", utterance.written);
        }
        speech
            .speak(readcast::pipeline::engine_text(&utterance.spoken), false)
            .map_err(|e| Error::engine(format!("platform speech failed: {e}")))?;
    }
    // The service speaks asynchronously; wait until it is done, where it can say so. A service
    // without an audio device can report "speaking" forever, so the wait is bounded by twice
    // the time the words take at 150 a minute.
    if speech.supported_features().is_speaking {
        let words: usize = utterances.iter().map(|u| u.spoken.split_whitespace().count()).sum();
        let limit = Duration::from_secs_f64(words as f64 / 150.0 * 60.0 * 2.0 + 10.0);
        let started = std::time::Instant::now();
        std::thread::sleep(Duration::from_millis(200));
        while speech.is_speaking().unwrap_or(false) {
            if started.elapsed() > limit {
                let _ = speech.stop();
                return Err(Error::engine("the platform speech service did not finish speaking (is an audio device available?)"));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    Ok(EXIT_OK)
}
