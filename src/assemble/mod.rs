//! Stage 5: audio segments -> one narration: silence trimmed, joins faded, pauses inserted by
//! boundary, loudness normalized, then written as WAV (and captions, timings).

pub mod captions;
mod loudness;
pub mod mp3;
pub mod wav;

use rubato::{FftFixedIn, Resampler};
use serde::Serialize;

use crate::chunk::{Chunk, Pause, Utterance};
use crate::error::{Error, Result};
use crate::synth::Segment;

pub use loudness::{integrated_loudness, true_peak_dbtp};

/// How segments are joined and how loud the result is.
#[derive(Debug, Clone)]
pub struct AssembleSettings {
    pub sample_rate: u32,
    /// 1 (mono) or 2 (the mono narration on both channels).
    pub channels: u16,
    pub pause_clause: f32,
    pub pause_sentence: f32,
    pub pause_paragraph: f32,
    pub pause_section: f32,
    /// Length of the fade at each join, in seconds.
    pub fade: f32,
    /// Integrated loudness target; `None` picks the podcast norm for the channel count.
    pub target_lufs: Option<f64>,
    pub true_peak_dbtp: f64,
    /// Every segment starts on a multiple of this many frames (pauses grow by less than one
    /// step). MP3 output sets it to the MP3 frame length, so that its encoder can take the
    /// narration in independent pieces; 1 leaves pauses exact.
    pub frame_grid: usize,
}

impl Default for AssembleSettings {
    fn default() -> Self {
        AssembleSettings {
            sample_rate: 22_050,
            channels: 1,
            pause_clause: 0.12,
            pause_sentence: 0.35,
            pause_paragraph: 0.7,
            pause_section: 1.0,
            fade: 0.008,
            target_lufs: None,
            true_peak_dbtp: -1.0,
            frame_grid: 1,
        }
    }
}

impl AssembleSettings {
    /// The loudness target: the podcast norm is -16 LUFS in stereo, and -19 LUFS in mono
    /// (the same loudness once played on two speakers).
    pub fn loudness_target(&self) -> f64 {
        self.target_lufs.unwrap_or(if self.channels >= 2 { -16.0 } else { -19.0 })
    }

    fn pause_seconds(&self, pause: Pause) -> f32 {
        match pause {
            Pause::Clause => self.pause_clause,
            Pause::Sentence => self.pause_sentence,
            Pause::Paragraph => self.pause_paragraph,
            Pause::Section => self.pause_section,
        }
    }
}

/// Where a piece of text sits in the narration, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Timing {
    pub text: String,
    pub start: f64,
    pub end: f64,
}

/// A chapter: a heading and where it starts, in seconds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Chapter {
    pub title: String,
    pub start: f64,
}

/// Podcasting 2.0 JSON chapters (`application/json+chapters`).
pub fn chapters_json(chapters: &[Chapter]) -> String {
    let chapters: Vec<serde_json::Value> = chapters
        .iter()
        .map(|c| serde_json::json!({ "startTime": (c.start * 1000.0).round() / 1000.0, "title": c.title }))
        .collect();
    serde_json::to_string_pretty(&serde_json::json!({ "version": "1.2.0", "chapters": chapters })).expect("JSON values serialize")
}

/// The finished narration.
#[derive(Debug, Clone)]
pub struct Narration {
    /// Interleaved samples, in -1.0..=1.0.
    pub samples: Vec<f32>,
    pub sample_rate: u32,
    pub channels: u16,
    /// One entry per utterance (sentence), in order, with its written text (captions).
    pub sentences: Vec<Timing>,
    /// One entry per synthesized segment, with its spoken text.
    pub segments: Vec<Timing>,
}

impl Narration {
    /// Frames (samples per channel).
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }

    /// Duration in seconds.
    pub fn duration_seconds(&self) -> f64 {
        self.frames() as f64 / f64::from(self.sample_rate)
    }
}

/// Joins segments into a narration. `segments[i]` is the audio of `chunks[i]`; chunk
/// `utterance` indices point into `utterances`.
pub fn assemble(segments: &[Segment], chunks: &[Chunk], utterances: &[Utterance], settings: &AssembleSettings) -> Result<Narration> {
    if segments.len() != chunks.len() {
        return Err(Error::engine(format!("{} segments for {} chunks", segments.len(), chunks.len())));
    }
    let rate = settings.sample_rate;
    let fade_frames = ((settings.fade * rate as f32) as usize).max(1);
    let capacity: usize = segments.iter().map(|s| s.samples.len()).sum::<usize>() + rate as usize * chunks.len();
    let mut mono: Vec<f32> = Vec::with_capacity(capacity);
    let mut segment_timings = Vec::with_capacity(chunks.len());
    let mut sentence_spans: Vec<Option<(usize, usize)>> = vec![None; utterances.len()];
    for (index, (segment, chunk)) in segments.iter().zip(chunks).enumerate() {
        let resampled;
        let samples: &[f32] = if segment.sample_rate == rate {
            &segment.samples
        } else {
            resampled = resample(&segment.samples, segment.sample_rate, rate)?;
            &resampled
        };
        let speech = trim_silence(samples, rate);
        let start = mono.len();
        mono.extend_from_slice(speech);
        fade_edges(&mut mono[start..], fade_frames);
        let end = mono.len();
        segment_timings.push(Timing { text: chunk.text.clone(), start: seconds(start, rate), end: seconds(end, rate) });
        if let Some(span) = sentence_spans.get_mut(chunk.utterance) {
            *span = Some(span.map_or((start, end), |(first, _)| (first, end)));
        }
        if index + 1 < chunks.len() {
            let pause = (settings.pause_seconds(chunk.pause_after) * rate as f32) as usize;
            let grid = settings.frame_grid.max(1);
            mono.resize((mono.len() + pause).div_ceil(grid) * grid, 0.0);
        }
    }
    // A short tail so players do not cut the last word.
    mono.resize(mono.len() + (0.3 * rate as f32) as usize, 0.0);
    loudness::normalize(&mut mono, rate, settings.channels, settings.loudness_target(), settings.true_peak_dbtp)?;
    // One timing per utterance; one without audio sits where the previous ended.
    let mut previous_end = 0;
    let sentences = sentence_spans
        .iter()
        .zip(utterances)
        .map(|(span, utterance)| {
            let (start, end) = span.unwrap_or((previous_end, previous_end));
            previous_end = end;
            Timing { text: utterance.written.clone(), start: seconds(start, rate), end: seconds(end, rate) }
        })
        .collect();
    let samples = if settings.channels >= 2 {
        mono.iter().flat_map(|&s| std::iter::repeat_n(s, usize::from(settings.channels))).collect()
    } else {
        mono
    };
    Ok(Narration { samples, sample_rate: rate, channels: settings.channels.max(1), sentences, segments: segment_timings })
}

fn seconds(frames: usize, rate: u32) -> f64 {
    frames as f64 / f64::from(rate)
}

/// Level below which a sample counts as silence (-50 dBFS).
const SILENCE: f32 = 0.003_16;

/// The samples between the first and last non-silent ones, keeping 5 ms on each side.
pub fn trim_silence(samples: &[f32], rate: u32) -> &[f32] {
    let margin = rate as usize / 200;
    let Some(first) = samples.iter().position(|s| s.abs() > SILENCE) else {
        return &[];
    };
    let last = samples.iter().rposition(|s| s.abs() > SILENCE).unwrap_or(first);
    &samples[first.saturating_sub(margin)..(last + 1 + margin).min(samples.len())]
}

/// Raised-cosine fade in and out over `frames` samples, so joins do not click.
pub fn fade_edges(samples: &mut [f32], frames: usize) {
    let frames = frames.min(samples.len() / 2);
    let len = samples.len();
    for i in 0..frames {
        let gain = 0.5 - 0.5 * (std::f32::consts::PI * i as f32 / frames as f32).cos();
        samples[i] *= gain;
        samples[len - 1 - i] *= gain;
    }
}

/// Converts mono samples from one rate to another with rubato's FFT resampler.
pub fn resample(samples: &[f32], from: u32, to: u32) -> Result<Vec<f32>> {
    if from == to || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let chunk = 1024;
    let mut resampler = FftFixedIn::<f32>::new(from as usize, to as usize, chunk, 2, 1)
        .map_err(|e| Error::engine(format!("cannot resample {from} Hz to {to} Hz: {e}")))?;
    let expected = (samples.len() as u64 * u64::from(to)).div_ceil(u64::from(from)) as usize;
    let delay = resampler.output_delay();
    let mut out: Vec<f32> = Vec::with_capacity(expected + delay + chunk * 2);
    let mut position = 0;
    let fail = |e: rubato::ResampleError| Error::engine(format!("resampling failed: {e}"));
    while position + resampler.input_frames_next() <= samples.len() {
        let needed = resampler.input_frames_next();
        let block = resampler.process(&[&samples[position..position + needed]], None).map_err(fail)?;
        out.extend_from_slice(&block[0]);
        position += needed;
    }
    if position < samples.len() {
        let block = resampler.process_partial(Some(&[&samples[position..]]), None).map_err(fail)?;
        out.extend_from_slice(&block[0]);
    }
    while out.len() < expected + delay {
        let block = resampler.process_partial::<&[f32]>(None, None).map_err(fail)?;
        out.extend_from_slice(&block[0]);
    }
    Ok(out[delay..delay + expected].to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tone(seconds: f32, rate: u32) -> Vec<f32> {
        (0..(seconds * rate as f32) as usize).map(|i| 0.5 * (i as f32 * 440.0 * std::f32::consts::TAU / rate as f32).sin()).collect()
    }

    #[test]
    fn trims_leading_and_trailing_silence() {
        let mut samples = vec![0.0; 1000];
        samples.extend(tone(0.1, 22_050));
        samples.extend(vec![0.0; 3000]);
        let trimmed = trim_silence(&samples, 22_050);
        assert!((trimmed.len() as i64 - 2205 - 2 * 110).abs() < 10, "{}", trimmed.len());
    }

    #[test]
    fn fades_start_and_end_at_zero() {
        let mut samples = vec![1.0; 1000];
        fade_edges(&mut samples, 100);
        assert_eq!(samples[0], 0.0);
        assert!(samples[999] < 0.01);
        assert_eq!(samples[500], 1.0);
    }

    #[test]
    fn resampling_keeps_duration_and_pitch() {
        let input = tone(1.0, 16_000);
        let output = resample(&input, 16_000, 22_050).unwrap();
        assert_eq!(output.len(), 22_050);
        // Zero crossings of a 440 Hz tone: about 880 per second at any rate.
        let crossings = output.windows(2).filter(|w| w[0] <= 0.0 && w[1] > 0.0).count();
        assert!((crossings as i64 - 440).abs() <= 2, "{crossings}");
    }

    #[test]
    fn pauses_follow_boundaries() {
        let rate = 22_050;
        let segments: Vec<Segment> = (0..3).map(|_| Segment { samples: tone(0.5, rate), sample_rate: rate }).collect();
        let chunks = vec![
            Chunk { text: "a".into(), utterance: 0, pause_after: Pause::Sentence },
            Chunk { text: "b".into(), utterance: 1, pause_after: Pause::Section },
            Chunk { text: "c".into(), utterance: 2, pause_after: Pause::Paragraph },
        ];
        let utterances: Vec<Utterance> = ["A.", "B.", "C."].iter().map(|t| Utterance { written: t.to_string(), spoken: t.to_string(), pause_after: Pause::Sentence }).collect();
        let narration = assemble(&segments, &chunks, &utterances, &AssembleSettings::default()).unwrap();
        let gap1 = narration.segments[1].start - narration.segments[0].end;
        let gap2 = narration.segments[2].start - narration.segments[1].end;
        assert!((gap1 - 0.35).abs() < 0.001 && (gap2 - 1.0).abs() < 0.001, "{gap1} {gap2}");
        assert_eq!(narration.sentences.len(), 3);
        // On a grid, every segment starts on it and pauses grow by less than one step.
        let grid = AssembleSettings { frame_grid: 576, ..AssembleSettings::default() };
        let aligned = assemble(&segments, &chunks, &utterances, &grid).unwrap();
        for (timing, exact) in aligned.segments.iter().zip(&narration.segments) {
            let start = (timing.start * f64::from(rate)).round() as usize;
            assert_eq!(start % 576, 0);
            assert!(timing.start >= exact.start && timing.start - exact.start < 2.0 * 576.0 / f64::from(rate));
        }
        let loudness = integrated_loudness(&narration.samples, rate, 1).unwrap();
        assert!((loudness + 19.0).abs() < 0.5, "{loudness}");
    }
}
