//! Stage 5: audio segments -> one narration: silence trimmed, joins faded, pauses inserted by
//! boundary, loudness normalized, then written as WAV (and captions, timings).

pub mod captions;
mod loudness;
pub mod mp3;
pub mod spill;
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
    /// narration in independent pieces; a batch writing WAV sets it to [`loudness_grid`], so
    /// that cached loudness profiles stay small; 1 leaves pauses exact.
    pub frame_grid: usize,
}

/// Loudness targets readcast accepts, in LUFS: below -70 a meter calls the audio silence.
pub const LOUDNESS_RANGE: std::ops::RangeInclusive<f64> = -70.0..=0.0;
/// Pauses readcast accepts, in seconds.
pub const PAUSE_RANGE: std::ops::RangeInclusive<f32> = 0.0..=10.0;

impl AssembleSettings {
    /// Checks the settings a caller chose: finite pauses of 0 to 10 s, a finite loudness target
    /// of -70 to 0 LUFS, one or two channels. An input error names the setting.
    pub fn check(&self) -> Result<()> {
        for (name, pause) in [("sentence pause", self.pause_sentence), ("paragraph pause", self.pause_paragraph), ("section pause", self.pause_section), ("clause pause", self.pause_clause)] {
            if !PAUSE_RANGE.contains(&pause) {
                return Err(Error::input(format!("the {name} must be 0 to 10 seconds, not {pause}")));
            }
        }
        if let Some(lufs) = self.target_lufs {
            if !LOUDNESS_RANGE.contains(&lufs) {
                return Err(Error::input(format!("the loudness target must be -70 to 0 LUFS, not {lufs}")));
            }
        }
        if !(1..=2).contains(&self.channels) {
            return Err(Error::input(format!("1 or 2 channels, not {}", self.channels)));
        }
        Ok(())
    }
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

    /// Frames of the fade at each join.
    fn fade_frames(&self) -> usize {
        ((self.fade * self.sample_rate as f32) as usize).max(1)
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

/// A frame grid for output with no frames of its own: the longest step up to 20 ms that
/// divides the 100 ms loudness step, so that a [`Profile`] holds one energy per step.
pub fn loudness_grid(rate: u32) -> usize {
    let hop = loudness::hop_frames(rate);
    let longest = (rate as usize / 50).max(1);
    (1..=longest).rev().find(|step| hop.is_multiple_of(*step)).unwrap_or(1)
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
    let (plan, finished) = assemble_parts(segments, chunks, utterances, settings)?;
    Ok(plan.narration(&finished))
}

/// [`assemble`] before the segments are joined: the plan and each segment finished.
///
/// Each segment is placed ([`place`]), measured and finished ([`Plan::finish`]) on its own,
/// in parallel: pauses of silence keep them independent.
pub fn assemble_parts(segments: &[Segment], chunks: &[Chunk], utterances: &[Utterance], settings: &AssembleSettings) -> Result<(Plan, Vec<Vec<f32>>)> {
    use rayon::prelude::*;
    settings.check()?;
    if segments.len() != chunks.len() {
        return Err(Error::engine(format!("{} segments for {} chunks", segments.len(), chunks.len())));
    }
    let mut placed: Vec<Vec<f32>> = segments.par_iter().map(|segment| place(segment, settings)).collect::<Result<_>>()?;
    let shapes: Vec<Shape> = placed.par_iter().map(|samples| Shape::of(samples, settings)).collect();
    // On a frame grid, in the bins of a profile, as a narration planned from cached profiles
    // is measured, so that both come out the same to the bit; otherwise (no profile can be
    // kept) straight into 100 ms steps.
    let rate = settings.sample_rate;
    let plan = Plan::new(&shapes, chunks, utterances, settings, &|index, start| match Profile::bin(settings) {
        1 => loudness::energy_bins(&placed[index], rate, start, loudness::hop_frames(rate)),
        _ => Profile::steps(&Profile::energy_of(&placed[index], settings), start, settings),
    })?;
    placed.par_iter_mut().try_for_each(|samples| plan.finish(samples))?;
    Ok((plan, placed))
}

/// What a plan needs of a placed segment: its length, and its runs of digital silence (where
/// an encoder may cut the narration into independent pieces).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shape {
    pub frames: usize,
    /// Runs of exact zeros inside the segment, at least [`Shape::SILENCE_SECONDS`] long:
    /// (first frame, length).
    pub silences: Vec<(usize, usize)>,
}

impl Shape {
    /// The shortest silence worth noting.
    pub const SILENCE_SECONDS: f64 = 0.05;

    /// The shape of a placed segment. Silences are noted only where segments start on a frame
    /// grid ([`AssembleSettings::frame_grid`]), the only place pieces are cut.
    pub fn of(placed: &[f32], settings: &AssembleSettings) -> Shape {
        let mut silences = Vec::new();
        if settings.frame_grid > 1 {
            let minimum = (Shape::SILENCE_SECONDS * f64::from(settings.sample_rate)) as usize;
            let mut run_start = None;
            for (index, &sample) in placed.iter().enumerate() {
                match (sample == 0.0, run_start) {
                    (true, None) => run_start = Some(index),
                    (false, Some(start)) => {
                        if index - start >= minimum {
                            silences.push((start, index - start));
                        }
                        run_start = None;
                    }
                    _ => {}
                }
            }
            if let Some(start) = run_start.filter(|&start| placed.len() - start >= minimum) {
                silences.push((start, placed.len() - start));
            }
        }
        Shape { frames: placed.len(), silences }
    }
}

/// Changes whenever [`place`] or [`Profile::of`] could give other results for the same input.
const PLACEMENT_VERSION: &str = "placement-1";

/// A segment as it goes into a narration: at the output rate, its silence trimmed, its
/// edges faded.
pub fn place(segment: &Segment, settings: &AssembleSettings) -> Result<Vec<f32>> {
    let rate = settings.sample_rate;
    let resampled;
    let samples: &[f32] = if segment.sample_rate == rate {
        &segment.samples
    } else {
        resampled = resample(&segment.samples, segment.sample_rate, rate)?;
        &resampled
    };
    let mut speech = trim_silence(samples, rate).to_vec();
    fade_edges(&mut speech, settings.fade_frames());
    Ok(speech)
}

/// What a narration needs of a placed segment besides its samples: its length and its
/// K-weighted energy in bins of [`Profile::bin`] frames. Profiles let a narration be laid
/// out and measured from segments whose samples are not at hand (kept from an earlier run).
#[derive(Debug, Clone, PartialEq)]
pub struct Profile {
    pub shape: Shape,
    /// At the precision profiles are made in (see [`loudness::energy_bins`]).
    pub energy: Vec<f32>,
}

impl Profile {
    /// The bin of profiles for narrations made with `settings`: the largest that divides both
    /// the 100 ms loudness step and the frame grid segments start on.
    pub fn bin(settings: &AssembleSettings) -> usize {
        let (mut a, mut b) = (loudness::hop_frames(settings.sample_rate), settings.frame_grid.max(1));
        while b != 0 {
            (a, b) = (b, a % b);
        }
        a
    }

    /// The key of the profile of a segment (named by its cache key) placed with `settings`.
    pub fn key(segment_key: &str, settings: &AssembleSettings) -> String {
        let described = format!("{PLACEMENT_VERSION}|{}|{}|{}|{segment_key}", settings.sample_rate, settings.fade_frames(), Profile::bin(settings));
        blake3::hash(described.as_bytes()).to_hex().to_string()
    }

    /// The segment's energy in 100 ms bins where it starts at `start` (a multiple of
    /// [`Profile::bin`]), as [`Plan::new`] takes it.
    pub fn energy_at(&self, start: usize, settings: &AssembleSettings) -> (usize, Vec<f64>) {
        Profile::steps(&self.energy, start, settings)
    }

    /// The profile of a placed segment (see [`place`]).
    pub fn of(placed: &[f32], settings: &AssembleSettings) -> Profile {
        let (shape, energy) = rayon::join(|| Shape::of(placed, settings), || Profile::energy_of(placed, settings));
        Profile { shape, energy }
    }

    /// A placed segment's energy in bins of [`Profile::bin`] frames from its start.
    fn energy_of(placed: &[f32], settings: &AssembleSettings) -> Vec<f32> {
        loudness::energy_bins(placed, settings.sample_rate, 0, Profile::bin(settings)).1.into_iter().map(|energy| energy as f32).collect()
    }

    /// Profile bins moved to `start` and summed into 100 ms steps.
    fn steps(energy: &[f32], start: usize, settings: &AssembleSettings) -> (usize, Vec<f64>) {
        loudness::rebin(energy, Profile::bin(settings), start, loudness::hop_frames(settings.sample_rate))
    }

    const MAGIC: &'static [u8; 8] = b"RCPRF003";

    /// The profile as bytes: the frame count, the silences, then the energies (as 32-bit
    /// floats, the precision they are made in).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(24 + self.shape.silences.len() * 16 + self.energy.len() * 4);
        bytes.extend_from_slice(Self::MAGIC);
        for number in [self.shape.frames, self.shape.silences.len()].into_iter().chain(self.shape.silences.iter().flat_map(|&(start, length)| [start, length])) {
            bytes.extend_from_slice(&(number as u64).to_le_bytes());
        }
        self.energy.iter().for_each(|&e| bytes.extend_from_slice(&e.to_le_bytes()));
        bytes
    }

    /// The profile in `bytes`, if they hold one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Profile> {
        let rest = bytes.strip_prefix(Self::MAGIC)?;
        let number = |at: usize| -> Option<usize> { Some(u64::from_le_bytes(rest.get(at * 8..at * 8 + 8)?.try_into().ok()?) as usize) };
        let (frames, count) = (number(0)?, number(1)?);
        let silences = (0..count).map(|k| Some((number(2 + 2 * k)?, number(3 + 2 * k)?))).collect::<Option<Vec<_>>>()?;
        let energy_bytes = rest.get((2 + 2 * count) * 8..)?;
        if !energy_bytes.len().is_multiple_of(4) {
            return None;
        }
        let energy = energy_bytes.chunks_exact(4).map(|b| f32::from_le_bytes(b.try_into().expect("4 bytes"))).collect();
        Some(Profile { shape: Shape { frames, silences }, energy })
    }
}

/// Where pieces of episodes (encoded MP3 frames, finished PCM) are kept between runs, by a
/// hex key naming what made them.
pub trait PieceStore: Sync {
    fn get(&self, key: &str) -> Option<Vec<u8>>;
    /// Keeps a piece; failing to is not an error worth stopping an episode for.
    fn put(&self, key: &str, bytes: &[u8]);

    /// Whether a piece is kept under `key` (without reading it where the store can tell).
    fn contains(&self, key: &str) -> bool {
        self.get(key).is_some()
    }

    /// Whether a piece of `len` bytes is kept under `key`.
    fn holds(&self, key: &str, len: usize) -> bool {
        self.get(key).is_some_and(|bytes| bytes.len() == len)
    }

    /// Appends the piece kept under `key` to `out` where it is there and `len` bytes long;
    /// `Ok(false)`, having written nothing, where it is not.
    fn copy_to(&self, key: &str, len: usize, out: &mut std::fs::File) -> std::io::Result<bool> {
        use std::io::Write;
        match self.get(key) {
            Some(bytes) if bytes.len() == len => out.write_all(&bytes).map(|()| true),
            _ => Ok(false),
        }
    }
}

/// A narration laid out and measured, before its samples exist: where each segment starts,
/// the timings, and the gain that brings it to the loudness target.
#[derive(Debug, Clone)]
pub struct Plan {
    pub sample_rate: u32,
    pub channels: u16,
    /// First frame of each segment.
    pub starts: Vec<usize>,
    /// Each placed segment's length and silences.
    pub shapes: Vec<Shape>,
    /// Frames of the whole narration.
    pub frames: usize,
    /// Loudness gain in dB (in steps of [`loudness::GAIN_STEP_DB`]).
    pub gain_db: f64,
    pub true_peak_dbtp: f64,
    /// One entry per utterance (see [`Narration::sentences`]).
    pub sentences: Vec<Timing>,
    /// One entry per segment (see [`Narration::segments`]).
    pub segments: Vec<Timing>,
}

impl Plan {
    /// Lays out placed segments of these shapes with pauses by boundary, and measures the
    /// narration's loudness from `energy(index, start)`: segment `index`'s K-weighted energy
    /// at `start` in 100 ms bins, as [`loudness::energy_bins`] gives it.
    pub fn new(
        shapes: &[Shape],
        chunks: &[Chunk],
        utterances: &[Utterance],
        settings: &AssembleSettings,
        energy: &(dyn Fn(usize, usize) -> (usize, Vec<f64>) + Sync),
    ) -> Result<Plan> {
        use rayon::prelude::*;
        if shapes.len() != chunks.len() {
            return Err(Error::engine(format!("{} segments for {} chunks", shapes.len(), chunks.len())));
        }
        let rate = settings.sample_rate;
        let grid = settings.frame_grid.max(1);
        let mut starts = Vec::with_capacity(chunks.len());
        let mut segments = Vec::with_capacity(chunks.len());
        let mut sentence_spans: Vec<Option<(usize, usize)>> = vec![None; utterances.len()];
        let mut frames = 0;
        for (index, (shape, chunk)) in shapes.iter().zip(chunks).enumerate() {
            let (start, end) = (frames, frames + shape.frames);
            starts.push(start);
            segments.push(Timing { text: chunk.text.clone(), start: seconds(start, rate), end: seconds(end, rate) });
            if let Some(span) = sentence_spans.get_mut(chunk.utterance) {
                *span = Some(span.map_or((start, end), |(first, _)| (first, end)));
            }
            frames = end;
            if index + 1 < chunks.len() {
                let pause = (settings.pause_seconds(chunk.pause_after) * rate as f32) as usize;
                frames = (frames + pause).div_ceil(grid) * grid;
            }
        }
        // A short tail so players do not cut the last word.
        frames += (0.3 * rate as f32) as usize;
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
        let energies: Vec<(usize, Vec<f64>)> = starts.par_iter().enumerate().map(|(index, &start)| energy(index, start)).collect();
        let measured = loudness::loudness_of_segments(&energies, frames, rate);
        let gain_db = loudness::gain_db(measured, settings.channels, settings.loudness_target());
        Ok(Plan {
            sample_rate: rate,
            channels: settings.channels.max(1),
            starts,
            shapes: shapes.to_vec(),
            frames,
            gain_db,
            true_peak_dbtp: settings.true_peak_dbtp,
            sentences,
            segments,
        })
    }

    /// Brings a placed segment to the narration's loudness and limits its true peak.
    pub fn finish(&self, placed: &mut [f32]) -> Result<()> {
        loudness::finish_segment(placed, self.sample_rate, self.gain_db, self.true_peak_dbtp)
    }

    /// Length of the narration in seconds.
    pub fn duration_seconds(&self) -> f64 {
        seconds(self.frames, self.sample_rate)
    }

    /// The narration of finished segments, with silence between them.
    pub fn narration(&self, finished: &[Vec<f32>]) -> Narration {
        let mut mono = Vec::with_capacity(self.frames);
        for (samples, &start) in finished.iter().zip(&self.starts) {
            mono.resize(start, 0.0);
            mono.extend_from_slice(samples);
        }
        mono.resize(self.frames, 0.0);
        let samples = if self.channels >= 2 { mono.iter().flat_map(|&s| std::iter::repeat_n(s, usize::from(self.channels))).collect() } else { mono };
        Narration { samples, sample_rate: self.sample_rate, channels: self.channels, sentences: self.sentences.clone(), segments: self.segments.clone() }
    }
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

    #[test]
    fn settings_out_of_range_are_input_errors() {
        for settings in [
            AssembleSettings { target_lufs: Some(f64::NAN), ..AssembleSettings::default() },
            AssembleSettings { target_lufs: Some(-200.0), ..AssembleSettings::default() },
            AssembleSettings { target_lufs: Some(f64::INFINITY), ..AssembleSettings::default() },
            AssembleSettings { pause_sentence: 1e9, ..AssembleSettings::default() },
            AssembleSettings { pause_paragraph: f32::INFINITY, ..AssembleSettings::default() },
            AssembleSettings { pause_section: -1.0, ..AssembleSettings::default() },
            AssembleSettings { pause_sentence: f32::NAN, ..AssembleSettings::default() },
        ] {
            assert!(matches!(settings.check(), Err(Error::Input(_))), "{settings:?}");
        }
        assert!(AssembleSettings::default().check().is_ok());
    }

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
    fn the_loudness_grid_divides_the_loudness_step_and_is_at_most_20_ms() {
        for (rate, grid) in [(22_050, 441), (44_100, 882), (48_000, 960), (16_000, 320), (8_000, 160), (11_025, 1)] {
            assert_eq!(loudness_grid(rate), grid, "{rate}");
            assert!(loudness::hop_frames(rate).is_multiple_of(grid));
        }
        let settings = AssembleSettings { frame_grid: loudness_grid(22_050), ..AssembleSettings::default() };
        assert_eq!(Profile::bin(&settings), 441);
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
