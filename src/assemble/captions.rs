//! Sidecar files: WebVTT captions (one cue per sentence) and JSON segment timings.

use std::path::Path;

use super::Timing;
use crate::error::{Error, Result};
use crate::output::write_bytes;

fn timestamp(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round().max(0.0) as u64;
    format!("{:02}:{:02}:{:02}.{:03}", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
}

/// WebVTT captions, one cue per sentence, with times from the assembled audio.
pub fn vtt(sentences: &[Timing]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for (index, cue) in sentences.iter().filter(|cue| cue.end > cue.start).enumerate() {
        // A cue's text may not contain "-->" or blank lines.
        let text = crate::extract::without_control_chars(&cue.text).replace("-->", "->");
        out.push_str(&format!("{}\n{} --> {}\n{}\n\n", index + 1, timestamp(cue.start), timestamp(cue.end), text.trim()));
    }
    out
}

/// Writes the WebVTT captions of a narration's sentences.
pub fn write_vtt(sentences: &[Timing], path: &Path) -> Result<()> {
    write_bytes(path, vtt(sentences).as_bytes())
}

/// Writes a narration's segment timings as JSON: `[{"text", "start", "end"}]`.
pub fn write_timings(segments: &[Timing], path: &Path) -> Result<()> {
    let json = serde_json::to_string_pretty(segments)
        .map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    write_bytes(path, json.as_bytes())
}

/// Parses timings written by [`write_timings`].
pub fn read_timings(text: &str) -> Option<Vec<(String, f64, f64)>> {
    let value: serde_json::Value = serde_json::from_str(text).ok()?;
    value
        .as_array()?
        .iter()
        .map(|item| Some((item["text"].as_str()?.to_string(), item["start"].as_f64()?, item["end"].as_f64()?)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vtt_format() {
        let sentences = [Timing { text: "Hello there.".into(), start: 0.0, end: 1.5 }, Timing { text: "Bye.".into(), start: 3661.25, end: 3662.0 }];
        assert_eq!(vtt(&sentences), "WEBVTT\n\n1\n00:00:00.000 --> 00:00:01.500\nHello there.\n\n2\n01:01:01.250 --> 01:01:02.000\nBye.\n\n");
    }
}
