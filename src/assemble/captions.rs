//! Sidecar files: captions (WebVTT, SubRip) and JSON segment timings.
//!
//! Cues follow broadcast subtitle guides: at most two lines of 42 characters and 7 seconds on
//! screen. A longer sentence is split into several cues, at a clause boundary (after a comma,
//! semicolon, colon or dash, or before a conjunction) where one falls in the second half of
//! what a cue holds, else between words; its time is shared out by characters.

use std::path::Path;

use super::Timing;
use crate::error::{Error, Result};
use crate::output::write_bytes;

fn timestamp(seconds: f64) -> String {
    let millis = (seconds * 1000.0).round().max(0.0) as u64;
    format!("{:02}:{:02}:{:02}.{:03}", millis / 3_600_000, millis / 60_000 % 60, millis / 1000 % 60, millis % 1000)
}

/// Characters on one line of a cue.
pub const LINE_CHARS: usize = 42;
/// Lines in one cue.
pub const CUE_LINES: usize = 2;
/// Seconds one cue stays on screen, at most.
pub const CUE_SECONDS: f64 = 7.0;

/// Caption file formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaptionFormat {
    /// WebVTT (`.vtt`).
    Vtt,
    /// SubRip (`.srt`).
    Srt,
}

impl CaptionFormat {
    /// The format a file's extension names (`.vtt`, `.srt`), or an input error.
    pub fn of(path: &Path) -> Result<CaptionFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("vtt") => Ok(CaptionFormat::Vtt),
            Some("srt") => Ok(CaptionFormat::Srt),
            _ => Err(Error::input(format!("{}: name the captions .vtt (WebVTT) or .srt (SubRip)", path.display()))),
        }
    }
}

/// The cues of a narration's sentences: each sentence one cue, or several where it is longer
/// than a cue holds (see the module notes). A cue's text has its lines joined by `\n`.
pub fn cues(sentences: &[Timing]) -> Vec<Timing> {
    let mut cues = Vec::new();
    for sentence in sentences.iter().filter(|cue| cue.end > cue.start) {
        // A cue's text may not contain "-->" or blank lines.
        let text = crate::extract::without_control_chars(&sentence.text).replace("-->", "->");
        let words: Vec<&str> = text.split_whitespace().collect();
        if words.is_empty() {
            continue;
        }
        let total: usize = words.iter().map(|w| w.chars().count() + 1).sum::<usize>() - 1;
        let seconds = sentence.end - sentence.start;
        // Characters a cue may hold: two lines, and what is spoken in 7 seconds.
        let by_time = ((CUE_SECONDS / seconds) * total as f64).floor() as usize;
        let mut most = (LINE_CHARS * CUE_LINES).min(by_time.max(LINE_CHARS / 2));
        let pieces = loop {
            let pieces = split_words(&words, most);
            match pieces.iter().map(|piece| wrap(piece)).collect::<Option<Vec<String>>>() {
                Some(wrapped) => break pieces.into_iter().zip(wrapped).collect::<Vec<_>>(),
                None => most = most.saturating_sub(4).max(1),
            }
        };
        let mut before = 0;
        for (piece, wrapped) in pieces {
            let length: usize = piece.iter().map(|w| w.chars().count() + 1).sum::<usize>() - 1;
            let at = |chars: usize| sentence.start + seconds * (chars.min(total) as f64 / total as f64);
            let end = if before + length >= total { sentence.end } else { at(before + length + 1) };
            cues.push(Timing { text: wrapped, start: at(before), end });
            before += length + 1;
        }
    }
    cues
}

/// Words that start a clause: a cue may end before them.
const CLAUSE_STARTS: [&str; 11] = ["and", "but", "or", "so", "because", "which", "who", "while", "when", "where", "although"];

/// Words split into runs of at most `most` characters (a word longer than that alone): each
/// run ends at the last clause boundary in its second half (after punctuation rather than
/// before a conjunction), else where the next word would not fit.
fn split_words<'w>(words: &[&'w str], most: usize) -> Vec<Vec<&'w str>> {
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < words.len() {
        let mut end = start;
        let mut length = 0;
        // The last boundary after punctuation, and the last before a conjunction.
        let (mut punctuation_end, mut conjunction_end) = (None, None);
        while end < words.len() {
            let added = words[end].chars().count() + usize::from(end > start);
            if end > start && length + added > most {
                break;
            }
            length += added;
            end += 1;
            if length * 2 < most {
                continue;
            }
            let next = words.get(end);
            if words[end - 1].ends_with([',', ';', ':']) || next.is_some_and(|next| ["-", "–", "—"].contains(next)) {
                punctuation_end = Some(end);
            } else if next.is_some_and(|next| CLAUSE_STARTS.contains(&next.to_lowercase().as_str())) {
                conjunction_end = Some(end);
            }
        }
        if end < words.len() {
            end = punctuation_end.or(conjunction_end).unwrap_or(end);
        }
        pieces.push(words[start..end].to_vec());
        start = end;
    }
    pieces
}

/// A cue's words on at most [`CUE_LINES`] lines of [`LINE_CHARS`]: one line where they fit,
/// else two as even as can be. `None` where they do not fit (a word alone may be longer).
fn wrap(words: &[&str]) -> Option<String> {
    let joined = words.join(" ");
    if joined.chars().count() <= LINE_CHARS || words.len() == 1 {
        return Some(joined);
    }
    (1..words.len())
        .map(|split| (words[..split].join(" "), words[split..].join(" ")))
        .filter(|(first, second)| first.chars().count() <= LINE_CHARS && second.chars().count() <= LINE_CHARS)
        .min_by_key(|(first, second)| first.chars().count().abs_diff(second.chars().count()))
        .map(|(first, second)| format!("{first}\n{second}"))
}

/// WebVTT captions of a narration's sentences ([`cues`]), with times from the assembled audio.
pub fn vtt(sentences: &[Timing]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for (index, cue) in cues(sentences).iter().enumerate() {
        out.push_str(&format!("{}\n{} --> {}\n{}\n\n", index + 1, timestamp(cue.start), timestamp(cue.end), cue.text));
    }
    out
}

/// SubRip captions of a narration's sentences ([`cues`]).
pub fn srt(sentences: &[Timing]) -> String {
    let mut out = String::new();
    for (index, cue) in cues(sentences).iter().enumerate() {
        let time = |seconds: f64| timestamp(seconds).replace('.', ",");
        out.push_str(&format!("{}\n{} --> {}\n{}\n\n", index + 1, time(cue.start), time(cue.end), cue.text));
    }
    out
}

/// The captions of a narration's sentences in `format`.
pub fn captions(sentences: &[Timing], format: CaptionFormat) -> String {
    match format {
        CaptionFormat::Vtt => vtt(sentences),
        CaptionFormat::Srt => srt(sentences),
    }
}

/// Writes the WebVTT captions of a narration's sentences.
pub fn write_vtt(sentences: &[Timing], path: &Path) -> Result<()> {
    write_bytes(path, vtt(sentences).as_bytes())
}

/// Writes captions of a narration's sentences, in the format the file's extension names.
pub fn write_captions(sentences: &[Timing], path: &Path) -> Result<()> {
    write_bytes(path, captions(sentences, CaptionFormat::of(path)?).as_bytes())
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
        assert_eq!(srt(&sentences), "1\n00:00:00,000 --> 00:00:01,500\nHello there.\n\n2\n01:01:01,250 --> 01:01:02,000\nBye.\n\n");
    }

    #[test]
    fn long_sentences_become_cues_of_two_short_lines_split_at_clauses() {
        let text = "The council approved the tram line on Tuesday, after a debate that ran past midnight, and work on the first stretch of track is to start in the spring of next year.";
        let sentences = [Timing { text: text.into(), start: 10.0, end: 22.0 }];
        let cues = cues(&sentences);
        assert!(cues.len() >= 2, "{cues:?}");
        for cue in &cues {
            let lines: Vec<&str> = cue.text.lines().collect();
            assert!(lines.len() <= CUE_LINES && lines.iter().all(|line| line.chars().count() <= LINE_CHARS), "{cue:?}");
            assert!(cue.end - cue.start <= CUE_SECONDS + 1e-9 && cue.end > cue.start, "{cue:?}");
        }
        // Every word, in order, and the times tile the sentence.
        let words: Vec<&str> = cues.iter().flat_map(|cue| cue.text.split_whitespace()).collect();
        assert_eq!(words.join(" "), text);
        assert_eq!((cues[0].start, cues.last().unwrap().end), (10.0, 22.0));
        assert!(cues.windows(2).all(|pair| (pair[0].end - pair[1].start).abs() < 1e-9));
        // The first cue ends at a clause: after "Tuesday," or "midnight,".
        assert!(cues[0].text.ends_with(','), "{:?}", cues[0].text);
        // A short sentence stays one cue on one line.
        assert_eq!(super::cues(&[Timing { text: "It passed.".into(), start: 0.0, end: 1.0 }])[0].text, "It passed.");
    }
}
