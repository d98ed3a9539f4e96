//! MP3 output: LAME (the `mp3lame-encoder` crate, which builds LAME from source with cargo)
//! behind an ID3v2.4 tag with title, artist, date and chapters (CHAP/CTOC frames).
//!
//! The narration is encoded in pieces (cut where segments start, and in silences inside them),
//! in parallel, and each piece can come from the cache: after a one-sentence edit only that
//! sentence's pieces are encoded again.
//! This works because LAME (3.100), flushed with padding, makes `ceil((n + L) / F)` frames of
//! `n` samples, where `F` is the frame length and `L` its look-ahead (3 x 576 or 2 x 1152
//! samples), and its output starts with a delay shorter than `L`. A piece whose length is a
//! multiple of `F` and whose last `L` samples are silent, encoded without those samples, so
//! decodes to exactly its own length, and pieces played one after another keep the timeline
//! of one stream. The assembler puts segment starts on the frame grid
//! ([`super::AssembleSettings::frame_grid`]) and pauses hold the silence. Every piece's frame
//! count is checked; if LAME ever behaves otherwise, the narration is encoded as one stream.
//!
//! A batch finds pieces by what makes them (its segments' keys and offsets, the gain), not by
//! their samples ([`write_planned_mp3`]), so that an episode whose sentences are all in the
//! cache is written without reading their audio at all.

use std::borrow::Cow;
use std::io::{IoSlice, Write};
use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, Mutex};

use id3::frame::{Chapter as ChapterFrame, TableOfContents};
use id3::{Frame, TagLike, Version};
use mp3lame_encoder::{Bitrate, Builder, FlushGap, InterleavedPcm, MonoPcm, Quality};
use rayon::prelude::*;

use super::wav::{to_i16, to_i16_vec};
use super::{Chapter, Narration, PieceStore, Plan, Timing};
use crate::error::{Error, Result};
use crate::output::{write_atomically, Sink};

/// Changes whenever the bytes encoded for the same samples could change.
const PIECE_VERSION: &str = "lame-3.100-q7-cbr-2";

/// What the ID3 tag says about an episode.
#[derive(Debug, Clone, Default)]
pub struct Mp3Tags {
    pub title: Option<String>,
    pub artist: Option<String>,
    /// Year or full date as written in the tag (`2026-03-14`).
    pub date: Option<String>,
    pub album: Option<String>,
    pub chapters: Vec<Chapter>,
}

fn bitrate(kbps: u32) -> Result<Bitrate> {
    Ok(match kbps {
        32 => Bitrate::Kbps32,
        40 => Bitrate::Kbps40,
        48 => Bitrate::Kbps48,
        64 => Bitrate::Kbps64,
        80 => Bitrate::Kbps80,
        96 => Bitrate::Kbps96,
        112 => Bitrate::Kbps112,
        128 => Bitrate::Kbps128,
        160 => Bitrate::Kbps160,
        192 => Bitrate::Kbps192,
        other => return Err(Error::input(format!("bitrate {other} kbps is not one of 32, 40, 48, 64, 80, 96, 112, 128, 160, 192"))),
    })
}

/// The sample rates MP3 has (MPEG-2.5, MPEG-2 and MPEG-1).
pub const SAMPLE_RATES: [u32; 9] = [8_000, 11_025, 12_000, 16_000, 22_050, 24_000, 32_000, 44_100, 48_000];

/// Whether MP3 holds audio at `rate` Hz and `kbps`: an input error that says why not. (LAME
/// would otherwise resample to another rate, or lower the bitrate, without a word.)
pub fn check_settings(rate: u32, kbps: u32) -> Result<()> {
    bitrate(kbps)?;
    if !SAMPLE_RATES.contains(&rate) {
        let rates: Vec<String> = SAMPLE_RATES.iter().map(u32::to_string).collect();
        return Err(Error::input(format!("MP3 has no {rate} Hz sample rate; use one of {} Hz", rates.join(", "))));
    }
    let most = match rate {
        32_000.. => 192,
        16_000.. => 160,
        _ => 64,
    };
    if kbps > most {
        return Err(Error::input(format!("MP3 at {rate} Hz allows at most {most} kbps, not {kbps}")));
    }
    Ok(())
}

/// Samples per channel in one MP3 frame at `rate`: 1152 for MPEG-1 rates (32 kHz and up),
/// 576 below.
pub fn frame_samples(rate: u32) -> usize {
    if rate >= 32_000 {
        1152
    } else {
        576
    }
}

/// Samples LAME holds back at the end of a stream (see the module notes).
fn lookahead(frame: usize) -> usize {
    if frame == 1152 {
        2 * 1152
    } else {
        3 * 576
    }
}

/// Samples a player outputs before the narration's first one: LAME's encoder delay (two
/// frames of 576 samples, or one and a half of 1,152) and the decoder's filterbank delay of
/// 529. The file carries no gapless header (its pieces are separate streams), so every
/// player plays this lead-in; captions, timings and chapters of an MP3 start this much later.
pub fn playback_delay(rate: u32) -> usize {
    let encoder = if frame_samples(rate) == 1152 { 1728 } else { 1152 };
    encoder + 529
}

/// `timings` as heard from an MP3 of `rate` ([`playback_delay`]).
pub fn as_played(timings: &[Timing], rate: u32) -> Vec<Timing> {
    let delay = playback_delay(rate) as f64 / f64::from(rate);
    timings.iter().map(|timing| Timing { text: timing.text.clone(), start: timing.start + delay, end: timing.end + delay }).collect()
}

/// Encodes the narration as a constant-bitrate MP3 with an ID3 tag, written atomically.
/// Pieces are taken from and stored in `cache` when given, by the hash of their samples.
/// Returns the duration of the file in seconds, as players find it (whole frames).
pub fn write_mp3(narration: &Narration, path: &Path, kbps: u32, tags: &Mp3Tags, cache: Option<&dyn PieceStore>) -> Result<f64> {
    check_settings(narration.sample_rate, kbps)?;
    let brate = bitrate(kbps)?;
    let channels = usize::from(narration.channels.max(1));
    let pcm = to_i16_vec(&narration.samples);
    let frame = frame_samples(narration.sample_rate);
    let ranges = pieces(narration, &pcm, frame);
    let keys: Option<Vec<String>> = cache.map(|_| ranges.iter().map(|range| piece_key(&pcm[range.start * channels..range.end * channels], narration.sample_rate, channels, kbps)).collect());
    let stream = Stream { rate: narration.sample_rate, channels, brate, path };
    let pieced = stream.encode_pieces(&ranges, 0..ranges.len(), keys.as_deref().zip(cache), &|_| Ok(()), &|index| Ok(pcm[ranges[index].start * channels..ranges[index].end * channels].to_vec()))?;
    let audio = match pieced {
        Some(pieces) => pieces,
        None => vec![stream.encode(&pcm)?],
    };
    write_file(path, &audio, tags, narration.duration_seconds(), narration.sample_rate)
}

/// Encodes a planned narration (see [`Plan`]) as [`write_mp3`] does, from
/// `finished(index)`: segment `index` finished ([`Plan::finish`]). Pieces start at segment
/// starts and inside segments' silences.
///
/// With a store, every piece it holds is taken from it without its samples: a piece's key is
/// made from the plan and `store`'s segment keys (one per segment, naming its placed audio),
/// and only the segments of the pieces not found are finished.
///
/// Returns the duration of the file as [`write_mp3`] does, or `None`, having written
/// nothing, where a piece did not come out the length it was cut to; the caller then writes
/// the narration whole with [`write_mp3`].
pub fn write_planned_mp3<'f>(
    plan: &Plan,
    path: &Path,
    kbps: u32,
    tags: &Mp3Tags,
    store: Option<(&[String], &dyn PieceStore)>,
    finished: &(dyn Fn(usize) -> Result<Cow<'f, [f32]>> + Sync),
) -> Result<Option<f64>> {
    check_settings(plan.sample_rate, kbps)?;
    let brate = bitrate(kbps)?;
    let channels = usize::from(plan.channels.max(1));
    let frame = frame_samples(plan.sample_rate);
    let planned = planned_pieces(plan, frame);
    // Without a store, a narration of any length: pieces a few at a time, or one piece after
    // another fed to the encoder as they go where a piece is long (no pauses to cut at).
    let longest = planned.iter().map(|(frames, _)| frames.len()).max().unwrap_or(0);
    if store.is_none() && longest > STREAMED_PIECE_SECONDS * plan.sample_rate as usize {
        return write_streamed(plan, &planned, path, tags, brate, finished);
    }
    let ranges: Vec<Range<usize>> = planned.iter().map(|(frames, _)| frames.clone()).collect();
    let keys: Option<Vec<String>> = store.map(|(segment_keys, _)| {
        planned
            .iter()
            .enumerate()
            .map(|(index, (frames, segments))| {
                let mut hasher = blake3::Hasher::new();
                let last = index + 1 == planned.len();
                hasher.update(format!("{PIECE_VERSION}|planned|{}|{channels}|{kbps}|{}|{}|{}|{last}", plan.sample_rate, plan.gain_db.to_bits(), plan.true_peak_dbtp.to_bits(), frames.len()).as_bytes());
                for segment in segments.clone() {
                    let offset = plan.starts[segment] as i64 - frames.start as i64;
                    hasher.update(format!("|{}@{offset}", segment_keys[segment]).as_bytes());
                }
                hasher.finalize().to_hex().to_string()
            })
            .collect()
    });
    // A segment cut into several pieces is finished once.
    type Finished<'f> = Arc<Cow<'f, [f32]>>;
    let segments: Vec<Mutex<Option<Finished<'f>>>> = plan.starts.iter().map(|_| Mutex::new(None)).collect();
    let finished_once = |index: usize| -> Result<Finished<'f>> {
        let mut slot = segments[index].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(samples) = slot.as_ref() {
            return Ok(Arc::clone(samples));
        }
        let samples = Arc::new(finished(index)?);
        *slot = Some(Arc::clone(&samples));
        Ok(samples)
    };
    let render = |index: usize| -> Result<Vec<i16>> {
        let (frames, overlapping) = &planned[index];
        let mut mono = vec![0f32; frames.len()];
        for segment in overlapping.clone() {
            let samples = finished_once(segment)?;
            let start = plan.starts[segment];
            let (from, to) = (start.max(frames.start), (start + samples.len()).min(frames.end));
            if from < to {
                mono[from - frames.start..to - frames.start].copy_from_slice(&samples[from - start..to - start]);
            }
        }
        Ok(to_i16(&mono).flat_map(|sample| std::iter::repeat_n(sample, channels)).collect())
    };
    let stream = Stream { rate: plan.sample_rate, channels, brate, path };
    let store = keys.as_deref().zip(store.map(|(_, store)| store));
    // The segments of the pieces to encode are finished first, in parallel (a segment is
    // finished with several threads; a piece waiting for another's segment would hold one).
    let prepare = |pieces: &[usize]| -> Result<()> {
        let mut needed: Vec<usize> = pieces.iter().flat_map(|&piece| planned[piece].1.clone()).collect();
        needed.sort_unstable();
        needed.dedup();
        needed.par_iter().try_for_each(|&segment| finished_once(segment).map(drop))
    };
    if store.is_some() {
        // An episode of a batch: all its pieces at once, the cached ones read while the others
        // are encoded.
        return match stream.encode_pieces(&ranges, 0..ranges.len(), store, &prepare, &render)? {
            Some(pieces) => write_file(path, &pieces, tags, plan.duration_seconds(), plan.sample_rate).map(Some),
            None => Ok(None),
        };
    }
    // A few pieces per thread at a time, encoded in parallel and written in order; a segment
    // is let go once the pieces past it are written.
    let window = 8 * rayon::current_num_threads();
    let tag = id3_tag(tags, plan.duration_seconds());
    let mut misaligned = false;
    let mut frames_written = Some(0);
    let written = write_atomically(path, |file| {
        write_tag(&tag, file, path)?;
        let mut first = 0;
        while first < ranges.len() {
            let end = (first + window).min(ranges.len());
            let Some(pieces) = stream.encode_pieces(&ranges, first..end, None, &prepare, &render)? else {
                misaligned = true;
                return Err(Error::engine("a piece of the MP3 stream did not line up"));
            };
            write_pieces(&pieces, file, path)?;
            frames_written = frames_written.zip(pieces.iter().map(|piece| frame_count(piece)).sum::<Option<usize>>()).map(|(a, b)| a + b);
            let next_segment = planned.get(end).map_or(segments.len(), |(_, overlapping)| overlapping.start);
            for slot in &segments[..next_segment] {
                *slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = None;
            }
            first = end;
        }
        Ok(())
    });
    written_outcome(written, misaligned, frames_written.map(|frames| frames * frame), plan.sample_rate, path)
}

/// What [`write_planned_mp3`] returns after writing pieces as they were encoded: the duration
/// (from the `samples` the frames hold, or decoded where they could not be counted), or
/// `None` where a piece did not line up and nothing was written.
fn written_outcome(written: Result<()>, misaligned: bool, samples: Option<usize>, rate: u32, path: &Path) -> Result<Option<f64>> {
    match (written, misaligned) {
        (Ok(()), _) => match samples {
            Some(samples) => Ok(Some(samples as f64 / f64::from(rate))),
            None => crate::synth::decode::duration_of_file(path).map(Some),
        },
        (Err(_), true) => Ok(None),
        (Err(error), false) => Err(error),
    }
}

/// Pieces longer than this are encoded by [`write_streamed`], fed to the encoder as they go.
const STREAMED_PIECE_SECONDS: usize = 120;

/// [`write_planned_mp3`] without a store: the pieces one after another, each fed to its
/// encoder a few segments at a time (finished in parallel) and written as its frames come.
/// Memory holds those segments, not the narration or its MP3 frames.
fn write_streamed<'f>(
    plan: &Plan,
    planned: &[(Range<usize>, Range<usize>)],
    path: &Path,
    tags: &Mp3Tags,
    brate: Bitrate,
    finished: &(dyn Fn(usize) -> Result<Cow<'f, [f32]>> + Sync),
) -> Result<Option<f64>> {
    let channels = usize::from(plan.channels.max(1));
    let frame = frame_samples(plan.sample_rate);
    let window = 4 * rayon::current_num_threads();
    let fail = |e: String| Error::engine(format!("{}: MP3 {e}", path.display()));
    let tag = id3_tag(tags, plan.duration_seconds());
    let mut misaligned = false;
    let mut frames_written = Some(0);
    let written = write_atomically(path, |file| {
        write_tag(&tag, file, path)?;
        let mut out: Vec<u8> = Vec::new();
        let mut pcm: Vec<i16> = Vec::new();
        for (index, (frames, overlapping)) in planned.iter().enumerate() {
            // The last look-ahead of a piece is silence the encoder's flush pads in.
            let last = index + 1 == planned.len();
            let end = if last { frames.end } else { frames.end - lookahead(frame) };
            let mut encoder = lame(plan.sample_rate, channels, brate).map_err(fail)?;
            let mut counter = FrameCounter::default();
            let mut at = frames.start;
            let segments: Vec<usize> = overlapping.clone().collect();
            for group in segments.chunks(window.max(1)) {
                let samples: Vec<Cow<[f32]>> = group.par_iter().map(|&segment| finished(segment)).collect::<Result<_>>()?;
                for (&segment, samples) in group.iter().zip(&samples) {
                    let start = plan.starts[segment];
                    let (from, to) = (start.max(frames.start).min(end), (start + samples.len()).min(end));
                    pcm.clear();
                    // The pause before the segment, then its samples within the piece.
                    pcm.extend(std::iter::repeat_n(0, from.saturating_sub(at) * channels));
                    if from < to {
                        pcm.extend(to_i16(&samples[from - start..to - start]).flat_map(|sample| std::iter::repeat_n(sample, channels)));
                    }
                    at = at.max(to);
                    out.clear();
                    encode_into(&mut encoder, &pcm, channels, &mut out).map_err(fail)?;
                    counter.feed(&out);
                    file.write_all(&out).map_err(|e| Error::io(path, e))?;
                }
            }
            pcm.clear();
            pcm.extend(std::iter::repeat_n(0, end.saturating_sub(at) * channels));
            out.clear();
            encode_into(&mut encoder, &pcm, channels, &mut out).map_err(fail)?;
            out.reserve(7200);
            encoder.flush_to_vec::<FlushGap>(&mut out).map_err(|e| fail(format!("encoding: {e}")))?;
            counter.feed(&out);
            file.write_all(&out).map_err(|e| Error::io(path, e))?;
            let count = counter.count();
            if !last && count.map(|count| count * frame) != Some(frames.len()) {
                misaligned = true;
                return Err(Error::engine("a piece of the MP3 stream did not line up"));
            }
            frames_written = frames_written.zip(count).map(|(total, count)| total + count);
        }
        Ok(())
    });
    written_outcome(written, misaligned, frames_written.map(|frames| frames * frame), plan.sample_rate, path)
}

/// Encodes finished segments ([`super::assemble_parts`]) as [`write_planned_mp3`] does, or,
/// where its pieces do not line up, the narration whole as [`write_mp3`] does. Returns the
/// duration of the file.
pub fn write_finished_mp3(plan: &Plan, finished: &[Vec<f32>], path: &Path, kbps: u32, tags: &Mp3Tags) -> Result<f64> {
    write_finished_mp3_with(plan, &|index| Ok(Cow::Borrowed(finished[index].as_slice())), path, kbps, tags, None)
}

/// [`write_finished_mp3`], with segment `index` finished by `finished(index)` when it is
/// needed (read back from a [`super::spill::Spill`], say), and the pieces `store` holds taken
/// from it (see [`write_planned_mp3`]). Only where the pieces do not line up does the
/// narration come whole into memory.
pub fn write_finished_mp3_with<'f>(
    plan: &Plan,
    finished: &(dyn Fn(usize) -> Result<Cow<'f, [f32]>> + Sync),
    path: &Path,
    kbps: u32,
    tags: &Mp3Tags,
    store: Option<(&[String], &dyn PieceStore)>,
) -> Result<f64> {
    match write_planned_mp3(plan, path, kbps, tags, store, finished)? {
        Some(duration) => Ok(duration),
        None => {
            let whole: Vec<Vec<f32>> = (0..plan.starts.len()).map(|index| finished(index).map(Cow::into_owned)).collect::<Result<_>>()?;
            write_mp3(&plan.narration(&whole), path, kbps, tags, None)
        }
    }
}

/// [`write_finished_mp3_with`] to a file or a stream. A stream gets the file once it is
/// whole (its pieces may not line up, and what a stream was sent cannot be taken back); the
/// file is a temporary one, so memory still holds a few segments only.
pub fn write_finished_mp3_to<'f>(
    plan: &Plan,
    finished: &(dyn Fn(usize) -> Result<Cow<'f, [f32]>> + Sync),
    sink: Sink<'_>,
    kbps: u32,
    tags: &Mp3Tags,
    store: Option<(&[String], &dyn PieceStore)>,
) -> Result<f64> {
    match sink {
        Sink::Path(path) => write_finished_mp3_with(plan, finished, path, kbps, tags, store),
        Sink::Stream(stream) => {
            let temp = tempfile::Builder::new().prefix(".readcast-").suffix(".part").tempfile().map_err(|e| Error::io(std::env::temp_dir(), e))?;
            let duration = write_finished_mp3_with(plan, finished, temp.path(), kbps, tags, store)?;
            let mut file = std::fs::File::open(temp.path()).map_err(|e| Error::io(temp.path(), e))?;
            std::io::copy(&mut file, stream).and_then(|_| stream.flush()).map_err(|e| Error::io("standard output", e))?;
            Ok(duration)
        }
    }
}

/// The pieces of a plan: frame ranges, each with the segments that overlap it. A piece
/// starts at every point on the frame grid with at least the encoder's look-ahead of
/// silence before it: the first such point in each pause between segments (a segment start),
/// and in each silence inside a segment.
fn planned_pieces(plan: &Plan, frame: usize) -> Vec<(Range<usize>, Range<usize>)> {
    let need = lookahead(frame);
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (frame, first segment of the piece)
    for segment in 0..plan.starts.len() {
        let start = plan.starts[segment];
        if segment > 0 {
            // At the segment's start where it is on the frame grid (a batch's segments all
            // are); else at the last grid point before it, if the pause leaves the encoder its
            // look-ahead of silence there (a narration's segments start anywhere).
            let previous_end = plan.starts[segment - 1] + plan.shapes[segment - 1].frames;
            let cut = start / frame * frame;
            if cut >= previous_end + need {
                cuts.push((cut, segment));
            }
        }
        for &(first, length) in &plan.shapes[segment].silences {
            let cut = (start + first + need).div_ceil(frame) * frame;
            if cut <= start + first + length && cut < start + plan.shapes[segment].frames {
                cuts.push((cut, segment));
            }
        }
    }
    let mut pieces = Vec::with_capacity(cuts.len() + 1);
    let (mut from, mut first) = (0, 0);
    for (cut, segment) in cuts {
        // The segments of a piece: from the first that reaches into it to the last that
        // starts before its end.
        let last = if plan.starts[segment] < cut { segment + 1 } else { segment };
        pieces.push((from..cut, first..last));
        (from, first) = (cut, segment);
    }
    pieces.push((from..plan.frames, first..plan.starts.len()));
    pieces
}

/// The ID3 tag and the frames (in pieces, one after another), written atomically; returns
/// the duration of the frames.
fn write_file(path: &Path, pieces: &[Vec<u8>], tags: &Mp3Tags, duration: f64, rate: u32) -> Result<f64> {
    let tag = id3_tag(tags, duration);
    write_atomically(path, |file| {
        write_tag(&tag, file, path)?;
        write_pieces(pieces, file, path)
    })?;
    match pieces.iter().map(|piece| frame_count(piece)).sum::<Option<usize>>() {
        Some(frames) => Ok((frames * frame_samples(rate)) as f64 / f64::from(rate)),
        None => crate::synth::decode::duration_of_file(path),
    }
}

/// The ID3 tag, unless it is empty: readers take a frameless ID3 header for a broken file.
fn write_tag(tag: &id3::Tag, file: &mut impl Write, path: &Path) -> Result<()> {
    if tag.frames().next().is_some() {
        tag.write_to(&mut *file, Version::Id3v24).map_err(|e| Error::engine(format!("{}: MP3 tag: {e}", path.display())))?;
    }
    Ok(())
}

/// Pieces of frames, in a few system calls rather than one each.
fn write_pieces(pieces: &[Vec<u8>], file: &mut impl Write, path: &Path) -> Result<()> {
    let mut slices: Vec<IoSlice> = pieces.iter().map(|piece| IoSlice::new(piece)).collect();
    let mut rest = &mut slices[..];
    while !rest.is_empty() {
        match file.write_vectored(rest) {
            Ok(0) => return Err(Error::io(path, std::io::Error::from(std::io::ErrorKind::WriteZero))),
            Ok(written) => IoSlice::advance_slices(&mut rest, written),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Error::io(path, e)),
        }
    }
    Ok(())
}

/// An MP3 stream's settings, and the file it is for (for messages).
struct Stream<'p> {
    rate: u32,
    channels: usize,
    brate: Bitrate,
    path: &'p Path,
}

impl Stream<'_> {
    /// Interleaved `pcm` as one stream.
    fn encode(&self, pcm: &[i16]) -> Result<Vec<u8>> {
        encode_stream(pcm, self.rate, self.channels, self.brate).map_err(|e| Error::engine(format!("{}: MP3 {e}", self.path.display())))
    }

    /// The frames of pieces (frame ranges that tile the narration), encoded in parallel,
    /// each taken from the store by its key where it is there; `pcm(index)` gives a piece's
    /// interleaved samples, after `prepare(indices)` has been called with all the pieces to
    /// encode (to make their samples in parallel). `None` where a piece did not come out the
    /// length it was cut to.
    fn encode_pieces(
        &self,
        ranges: &[Range<usize>],
        window: Range<usize>,
        store: Option<(&[String], &dyn PieceStore)>,
        prepare: &(dyn Fn(&[usize]) -> Result<()> + Sync),
        pcm: &(dyn Fn(usize) -> Result<Vec<i16>> + Sync),
    ) -> Result<Option<Vec<Vec<u8>>>> {
        let frame = frame_samples(self.rate);
        let first = window.start;
        // What the store holds is asked first, without reading it, so that the pieces it
        // holds are read while the others are encoded.
        let held: Vec<bool> = match store {
            Some((keys, store)) => keys[window.clone()].par_iter().map(|key| store.contains(key)).collect(),
            None => vec![false; window.len()],
        };
        let encode = |positions: &[usize]| -> Result<Vec<(usize, Option<Vec<u8>>)>> {
            // Longest first: after an edit they are a few neighbours.
            let mut indices: Vec<usize> = positions.iter().map(|&position| first + position).collect();
            indices.sort_by_key(|&index| std::cmp::Reverse(ranges[index].len()));
            prepare(&indices)?;
            crate::workers::longest_first(&indices, rayon::current_num_threads(), |&index| {
                let last = index + 1 == ranges.len();
                let samples = pcm(index)?;
                // The last look-ahead of a piece is silence the encoder's flush pads in.
                let end = if last { samples.len() } else { samples.len() - lookahead(frame) * self.channels };
                let bytes = self.encode(&samples[..end])?;
                if !last && frame_count(&bytes).map(|frames| frames * frame) != Some(ranges[index].len()) {
                    return Ok((index, None));
                }
                if let Some((keys, store)) = store {
                    store.put(&keys[index], &bytes);
                }
                Ok((index, Some(bytes)))
            })
        };
        let (mut pieces, encoded) = crate::workers::read_while_making(&held, |position| store.and_then(|(keys, store)| store.get(&keys[first + position])), encode)?;
        for (index, bytes) in encoded {
            match bytes {
                Some(bytes) => pieces[index - first] = Some(bytes),
                None => return Ok(None),
            }
        }
        Ok(pieces.into_iter().collect())
    }
}

/// Frame ranges of the pieces: a new piece starts at every segment start on the frame grid
/// with at least the encoder's look-ahead of silence before it.
fn pieces(narration: &Narration, pcm: &[i16], frame: usize) -> Vec<Range<usize>> {
    let channels = usize::from(narration.channels.max(1));
    let total = narration.frames();
    let silent_before = |at: usize| at >= lookahead(frame) && pcm[(at - lookahead(frame)) * channels..at * channels].iter().all(|&s| s == 0);
    let mut starts: Vec<usize> = narration
        .segments
        .iter()
        .map(|timing| (timing.start * f64::from(narration.sample_rate)).round() as usize)
        .filter(|&at| at > 0 && at < total && at % frame == 0 && silent_before(at))
        .collect();
    starts.dedup();
    let mut ranges = Vec::with_capacity(starts.len() + 1);
    let mut from = 0;
    for start in starts {
        ranges.push(from..start);
        from = start;
    }
    ranges.push(from..total);
    ranges
}

/// The number of frames in a stream of MPEG audio Layer III frames (as LAME writes them: no
/// tags, no gaps), from their headers; `None` where something else is found.
fn frame_count(bytes: &[u8]) -> Option<usize> {
    let mut counter = FrameCounter::default();
    counter.feed(bytes);
    counter.count()
}

/// The length in bytes of the frame whose header starts `header`, if it is one.
fn frame_length(header: &[u8]) -> Option<usize> {
    const MPEG1_KBPS: [usize; 15] = [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320];
    const MPEG2_KBPS: [usize; 15] = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
    // Sync word, then version (3: MPEG-1, 2: MPEG-2, 0: MPEG-2.5) and layer (1: Layer III).
    let (version, layer) = ((header[1] >> 3) & 3, (header[1] >> 1) & 3);
    if header[0] != 0xFF || header[1] & 0xE0 != 0xE0 || version == 1 || layer != 1 {
        return None;
    }
    let (bitrate_index, rate_index, padding) = (usize::from(header[2] >> 4), usize::from((header[2] >> 2) & 3), usize::from((header[2] >> 1) & 1));
    let rate = [[11_025, 12_000, 8_000], [0, 0, 0], [22_050, 24_000, 16_000], [44_100, 48_000, 32_000]][usize::from(version)].get(rate_index)?;
    let kbps = if version == 3 { MPEG1_KBPS } else { MPEG2_KBPS }.get(bitrate_index).copied().filter(|&k| k > 0)?;
    let slots = if version == 3 { 144 } else { 72 };
    Some(slots * kbps * 1000 / rate + padding)
}

/// Counts the frames of a stream that comes in parts, as [`frame_count`] counts a whole one.
#[derive(Default)]
struct FrameCounter {
    frames: usize,
    /// Bytes of the current frame still to come after its header.
    skip: usize,
    /// A header cut off between two parts.
    header: Vec<u8>,
    broken: bool,
}

impl FrameCounter {
    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() && !self.broken {
            if self.skip > 0 {
                let skipped = self.skip.min(bytes.len());
                bytes = &bytes[skipped..];
                self.skip -= skipped;
                continue;
            }
            let wanted = (4 - self.header.len()).min(bytes.len());
            self.header.extend_from_slice(&bytes[..wanted]);
            bytes = &bytes[wanted..];
            if self.header.len() < 4 {
                break;
            }
            match frame_length(&self.header) {
                Some(length) if length >= 4 => {
                    self.frames += 1;
                    self.skip = length - 4;
                    self.header.clear();
                }
                _ => self.broken = true,
            }
        }
    }

    /// The frames counted, where the stream ended on a frame's end and held only frames.
    fn count(&self) -> Option<usize> {
        (!self.broken && self.header.is_empty() && self.skip == 0).then_some(self.frames)
    }
}

fn piece_key(samples: &[i16], rate: u32, channels: usize, kbps: u32) -> String {
    let mut hasher = blake3::Hasher::new();
    hasher.update(format!("{PIECE_VERSION}|{rate}|{channels}|{kbps}|").as_bytes());
    let bytes: Vec<u8> = samples.iter().flat_map(|sample| sample.to_le_bytes()).collect();
    hasher.update(&bytes);
    hasher.finalize().to_hex().to_string()
}

/// One LAME stream of `pcm`, flushed with padding.
/// A LAME encoder with readcast's settings.
fn lame(rate: u32, channels: usize, brate: Bitrate) -> std::result::Result<mp3lame_encoder::Encoder, String> {
    let fail = |e: String| format!("encoder: {e}");
    let mut builder = Builder::new().ok_or_else(|| fail("LAME could not start".into()))?;
    builder.set_num_channels(channels as u8).map_err(|e| fail(e.to_string()))?;
    builder.set_sample_rate(rate).map_err(|e| fail(e.to_string()))?;
    // The output at the input's rate: left alone, LAME resamples where it deems the bitrate
    // low for the rate (44,100 Hz stereo at 64 kbps came out at 24,000 Hz, without a word).
    builder.set_output_sample_rate(std::num::NonZeroU32::new(rate)).map_err(|e| fail(e.to_string()))?;
    builder.set_brate(brate).map_err(|e| fail(e.to_string()))?;
    // LAME's -q 7: at speech bitrates no audible loss against -q 5, and twice as fast, which
    // matters once cached segments make synthesis cheap.
    builder.set_quality(Quality::Ok).map_err(|e| fail(e.to_string()))?;
    builder.build().map_err(|e| fail(e.to_string()))
}

/// Appends the frames LAME makes of `pcm` (interleaved) to `out`.
fn encode_into(encoder: &mut mp3lame_encoder::Encoder, pcm: &[i16], channels: usize, out: &mut Vec<u8>) -> std::result::Result<(), String> {
    // LAME's documented worst case for one call: 1.25 x samples + 7200 bytes.
    out.reserve(mp3lame_encoder::max_required_buffer_size(pcm.len()) + 7200);
    let encoded = if channels >= 2 { encoder.encode_to_vec(InterleavedPcm(pcm), out) } else { encoder.encode_to_vec(MonoPcm(pcm), out) };
    encoded.map(drop).map_err(|e| format!("encoding: {e}"))
}

fn encode_stream(pcm: &[i16], rate: u32, channels: usize, brate: Bitrate) -> std::result::Result<Vec<u8>, String> {
    let fail = |what: &str, e: String| format!("{what}: {e}");
    let mut encoder = lame(rate, channels, brate)?;
    // LAME's documented worst case for one call: 1.25 x samples + 7200 bytes.
    let mut audio = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()) + 7200);
    let encoded = if channels >= 2 {
        encoder.encode_to_vec(InterleavedPcm(pcm), &mut audio)
    } else {
        encoder.encode_to_vec(MonoPcm(pcm), &mut audio)
    };
    encoded.map_err(|e| fail("encoding", e.to_string()))?;
    encoder.flush_to_vec::<FlushGap>(&mut audio).map_err(|e| fail("encoding", e.to_string()))?;
    Ok(audio)
}

fn id3_tag(tags: &Mp3Tags, duration: f64) -> id3::Tag {
    let mut tag = id3::Tag::new();
    if let Some(title) = &tags.title {
        tag.set_title(title);
    }
    if let Some(artist) = &tags.artist {
        tag.set_artist(artist);
    }
    if let Some(album) = &tags.album {
        tag.set_album(album);
    }
    if let Some(date) = tags.date.as_deref().and_then(|d| d.parse::<id3::Timestamp>().ok()) {
        tag.set_date_recorded(date);
    }
    let end_ms = (duration * 1000.0).round() as u32;
    let ids: Vec<String> = (0..tags.chapters.len()).map(|i| format!("chp{i}")).collect();
    for (index, chapter) in tags.chapters.iter().enumerate() {
        let start_time = (chapter.start * 1000.0).round() as u32;
        let end_time = tags.chapters.get(index + 1).map_or(end_ms, |next| (next.start * 1000.0).round() as u32);
        tag.add_frame(ChapterFrame {
            element_id: ids[index].clone(),
            start_time,
            end_time,
            start_offset: u32::MAX,
            end_offset: u32::MAX,
            frames: vec![Frame::text("TIT2", chapter.title.clone())],
        });
    }
    if !ids.is_empty() {
        tag.add_frame(TableOfContents { element_id: "toc".into(), top_level: true, ordered: true, elements: ids, frames: Vec::new() });
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_decodable_mp3_with_chapters() {
        let rate = 22_050;
        let samples: Vec<f32> = (0..rate * 3).map(|i| 0.3 * (i as f32 * 0.05).sin()).collect();
        let narration = Narration { samples, sample_rate: rate, channels: 1, sentences: vec![], segments: vec![] };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mp3");
        let tags = Mp3Tags {
            title: Some("Ferry strike ends".into()),
            artist: Some("Maya Lindqvist".into()),
            date: Some("2026-05-12".into()),
            album: None,
            chapters: vec![Chapter { title: "Ferry strike ends".into(), start: 0.0 }, Chapter { title: "Backlog".into(), start: 1.5 }],
        };
        write_mp3(&narration, &path, 64, &tags, None).unwrap();
        let decoded = crate::synth::decode::decode_file(&path).unwrap();
        assert_eq!(decoded.sample_rate, rate);
        assert!((decoded.duration_seconds() - 3.0).abs() < 0.1, "{}", decoded.duration_seconds());
        assert_eq!(crate::synth::decode::duration_of_file(&path).unwrap(), decoded.duration_seconds());
        let tag = id3::Tag::read_from_path(&path).unwrap();
        assert_eq!(tag.title(), Some("Ferry strike ends"));
        assert_eq!(tag.chapters().count(), 2);
        assert_eq!(tag.tables_of_contents().count(), 1);
        assert!(write_mp3(&narration, &path, 65, &tags, None).is_err());
        // No tags at all: no tag, and still a file players read.
        write_mp3(&narration, &path, 64, &Mp3Tags::default(), None).unwrap();
        assert!(crate::synth::decode::duration_of_file(&path).unwrap() > 2.9);
    }

    #[test]
    fn the_playback_delay_is_what_a_decoder_plays_first() {
        for rate in SAMPLE_RATES {
            let mut samples = vec![0.0f32; 48_000];
            samples[20_000..22_000].iter_mut().enumerate().for_each(|(i, sample)| *sample = 0.5 * (i as f32 * 0.3).sin());
            let narration = Narration { samples, sample_rate: rate, channels: 1, sentences: vec![], segments: vec![] };
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("a.mp3");
            write_mp3(&narration, &path, if rate >= 32_000 { 128 } else { 64 }, &Mp3Tags::default(), None).unwrap();
            let decoded = crate::synth::decode::decode_file(&path).unwrap();
            assert_eq!(decoded.sample_rate, rate);
            let onset = decoded.into_mono().iter().position(|s| s.abs() > 0.05).unwrap();
            assert!(onset.abs_diff(20_000 + playback_delay(rate)) <= 2, "{rate} Hz: onset {onset}");
        }
        let timing = Timing { text: "a".into(), start: 1.0, end: 2.0 };
        let played = as_played(&[timing], 22_050);
        assert!((played[0].start - (1.0 + 1681.0 / 22_050.0)).abs() < 1e-9);
    }

    struct Store(crate::synth::cache::SegmentCache);

    impl PieceStore for Store {
        fn get(&self, key: &str) -> Option<Vec<u8>> {
            self.0.get_entry(crate::synth::cache::Entry::Piece, key)
        }
        fn put(&self, key: &str, bytes: &[u8]) {
            let _ = self.0.put_entry(crate::synth::cache::Entry::Piece, key, bytes);
        }
    }

    /// A narration of tone bursts ("sentences") on the frame grid, as the assembler makes it.
    fn narration_of(pitches: &[f32], rate: u32) -> Narration {
        use crate::chunk::{Chunk, Pause, Utterance};
        let segments: Vec<crate::synth::Segment> = pitches
            .iter()
            .map(|pitch| crate::synth::Segment { samples: (0..rate as usize).map(|i| 0.3 * (i as f32 * pitch / rate as f32 * std::f32::consts::TAU).sin()).collect(), sample_rate: rate })
            .collect();
        let chunks: Vec<Chunk> = (0..pitches.len()).map(|i| Chunk { text: format!("s{i}"), utterance: i, pause_after: Pause::Sentence }).collect();
        let utterances: Vec<Utterance> = chunks.iter().map(|c| Utterance { written: c.text.clone(), spoken: c.text.clone(), pause_after: Pause::Sentence }).collect();
        let settings = super::super::AssembleSettings { sample_rate: rate, frame_grid: frame_samples(rate), target_lufs: Some(-19.0), ..Default::default() };
        super::super::assemble(&segments, &chunks, &utterances, &settings).unwrap()
    }

    fn onsets(samples: &[f32]) -> Vec<usize> {
        let mut onsets = Vec::new();
        let mut quiet = 0;
        for (index, sample) in samples.iter().enumerate() {
            if sample.abs() > 0.05 {
                if quiet > 2000 || onsets.is_empty() {
                    onsets.push(index);
                }
                quiet = 0;
            } else {
                quiet += 1;
            }
        }
        onsets
    }

    #[test]
    fn pieces_keep_the_timeline_of_one_stream_and_are_reused() {
        for rate in [22_050, 44_100] {
            let narration = narration_of(&[300.0, 450.0, 600.0, 750.0], rate);
            let pcm: Vec<i16> = to_i16(&narration.samples).collect();
            assert_eq!(pieces(&narration, &pcm, frame_samples(rate)).len(), 4);
            let dir = tempfile::tempdir().unwrap();
            let cache = Store(crate::synth::cache::SegmentCache::new(dir.path()));
            let decode = |bytes: &[u8]| {
                let path = dir.path().join("a.mp3");
                std::fs::write(&path, bytes).unwrap();
                crate::synth::decode::decode_file(&path).unwrap().into_mono()
            };
            let encode = |narration: &Narration| {
                let path = dir.path().join("pieced.mp3");
                write_mp3(narration, &path, 64, &Mp3Tags::default(), Some(&cache)).unwrap();
                std::fs::read(&path).unwrap()
            };
            let pieced = encode(&narration);
            let counted = frame_count(&pieced).unwrap() * frame_samples(rate);
            let path = dir.path().join("counted.mp3");
            let duration = write_mp3(&narration, &path, 64, &Mp3Tags::default(), Some(&cache)).unwrap();
            assert_eq!(counted as f64 / f64::from(rate), duration);
            assert_eq!(duration, crate::synth::decode::duration_of_file(&path).unwrap());
            assert_eq!(frame_count(b"not an mp3"), None);
            let whole = encode_stream(&pcm, rate, 1, Bitrate::Kbps64).unwrap();
            let (pieced_audio, whole_audio) = (decode(&pieced), decode(&whole));
            assert_eq!(pieced_audio.len(), whole_audio.len(), "{rate} Hz");
            let (a, b) = (onsets(&pieced_audio), onsets(&whole_audio));
            assert_eq!(a.len(), 4);
            assert!(a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= 2), "{rate} Hz: {a:?} against {b:?}");
            assert_eq!(cache.0.stats().pieces, 4);
            // The same narration again: every piece from the cache, the same bytes.
            assert_eq!(encode(&narration), pieced);
            assert_eq!(cache.0.stats().pieces, 4);
            // One sentence changed (and so longer): one piece more.
            let edited = narration_of(&[300.0, 450.0, 610.0, 750.0], rate);
            encode(&edited);
            assert_eq!(cache.0.stats().pieces, 5);
        }
    }

    #[test]
    fn planned_pieces_cut_inside_silences_and_keep_the_timeline() {
        use crate::chunk::{Chunk, Pause, Utterance};
        let dir = tempfile::tempdir().unwrap();
        for rate in [22_050, 44_100] {
            let tone = |pitch: f32, seconds: f32| -> Vec<f32> { (0..(seconds * rate as f32) as usize).map(|i| 0.3 * (i as f32 * pitch / rate as f32 * std::f32::consts::TAU).sin()).collect() };
            // Sentences with a pause of digital silence inside, as eSpeak makes at commas.
            let segments: Vec<crate::synth::Segment> = [300.0, 500.0, 700.0]
                .iter()
                .map(|&pitch| {
                    let mut samples = tone(pitch, 0.6);
                    samples.extend(vec![0.0; rate as usize / 5]);
                    samples.extend(tone(pitch * 1.5, 0.6));
                    crate::synth::Segment { samples, sample_rate: rate }
                })
                .collect();
            let chunks: Vec<Chunk> = (0..3).map(|i| Chunk { text: format!("s{i}"), utterance: i, pause_after: Pause::Sentence }).collect();
            let utterances: Vec<Utterance> = chunks.iter().map(|c| Utterance { written: c.text.clone(), spoken: c.text.clone(), pause_after: Pause::Sentence }).collect();
            let settings = super::super::AssembleSettings { sample_rate: rate, frame_grid: frame_samples(rate), target_lufs: Some(-19.0), ..Default::default() };
            let (plan, finished) = super::super::assemble_parts(&segments, &chunks, &utterances, &settings).unwrap();
            let pieces = planned_pieces(&plan, frame_samples(rate));
            assert_eq!(pieces.len(), 6, "{rate} Hz: {pieces:?}");
            assert!(pieces.windows(2).all(|pair| pair[0].0.end == pair[1].0.start));
            let path = dir.path().join("planned.mp3");
            write_planned_mp3(&plan, &path, 64, &Mp3Tags::default(), None, &|index| Ok(Cow::Borrowed(finished[index].as_slice()))).unwrap().expect("pieces line up");
            let pieced = crate::synth::decode::decode_file(&path).unwrap().into_mono();
            let whole_bytes = encode_stream(&to_i16_vec(&plan.narration(&finished).samples), rate, 1, Bitrate::Kbps64).unwrap();
            let whole_path = dir.path().join("whole.mp3");
            std::fs::write(&whole_path, whole_bytes).unwrap();
            let whole = crate::synth::decode::decode_file(&whole_path).unwrap().into_mono();
            assert_eq!(pieced.len(), whole.len(), "{rate} Hz");
            let (a, b) = (onsets(&pieced), onsets(&whole));
            assert_eq!(a.len(), 6, "{rate} Hz: {a:?}");
            assert!(a.iter().zip(&b).all(|(x, y)| x.abs_diff(*y) <= 2), "{rate} Hz: {a:?} against {b:?}");
        }
    }
}
