//! 16-bit PCM WAV output with hound.
//!
//! A batch writes a planned narration ([`write_planned_wav`]) from finished segments kept in
//! the cache as 16-bit PCM, so that after a one-sentence edit only that sentence is finished
//! and converted again.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;

use rayon::prelude::*;

use super::{Narration, PieceStore, Plan};
use crate::error::{Error, Result};
use crate::output::{write_atomically, write_sink, Sink};

/// The narration as 16-bit PCM samples, rounded half away from zero. (Adding the half with
/// the sample's sign and truncating rounds the same as `f32::round`, without a call into libm
/// or a branch per sample, so the compiler vectorizes it.)
pub fn to_i16(samples: &[f32]) -> impl Iterator<Item = i16> + '_ {
    samples.iter().map(|&sample| {
        let scaled = sample.clamp(-1.0, 1.0) * 32767.0;
        (scaled + 0.5f32.copysign(scaled)) as i16
    })
}

/// [`to_i16`] of many samples, in parallel blocks.
pub fn to_i16_vec(samples: &[f32]) -> Vec<i16> {
    const BLOCK: usize = 1 << 16;
    let mut pcm = vec![0i16; samples.len()];
    pcm.par_chunks_mut(BLOCK).zip(samples.par_chunks(BLOCK)).for_each(|(out, block)| {
        out.iter_mut().zip(to_i16(block)).for_each(|(o, sample)| *o = sample);
    });
    pcm
}

/// Changes whenever the finished PCM of a segment could change for the same key.
const PIECE_VERSION: &str = "wav-pcm16-1";

/// Writes the narration as a 16-bit PCM WAV file, atomically.
pub fn write_wav(narration: &Narration, path: &Path) -> Result<()> {
    write_pcm(&to_i16_vec(&narration.samples), narration.sample_rate, narration.channels, path)
}

/// Writes a planned narration (see [`Plan`]) as [`write_wav`] writes `plan.narration(...)`,
/// from `finished(index)`: segment `index` finished ([`Plan::finish`]).
///
/// With a store, each segment's 16-bit samples are copied from it where they are there, by a
/// key made from the plan's gain and the segment's key in `store` (naming its placed audio),
/// without passing through memory; only the other segments are finished, and stored for the
/// next run.
pub fn write_planned_wav<'f>(plan: &Plan, path: &Path, store: Option<(&[String], &dyn PieceStore)>, finished: &(dyn Fn(usize) -> Result<Cow<'f, [f32]>> + Sync)) -> Result<()> {
    write_planned_wav_to(plan, Sink::Path(path), store, finished)
}

/// [`write_planned_wav`] to a file or a stream. (A stream cannot take pieces from the store
/// without passing them through memory; it reads them.)
pub fn write_planned_wav_to<'f>(plan: &Plan, sink: Sink<'_>, store: Option<(&[String], &dyn PieceStore)>, finished: &(dyn Fn(usize) -> Result<Cow<'f, [f32]>> + Sync)) -> Result<()> {
    let name = sink.name();
    let path = name.as_path();
    let keys: Option<Vec<String>> = store.map(|(segment_keys, _)| segment_keys.iter().map(|key| piece_key(plan, key)).collect());
    let store = keys.as_deref().zip(store.map(|(_, store)| store));
    let bytes_of = |index: usize| -> Result<Vec<u8>> {
        let samples = finished(index)?;
        if samples.len() != plan.shapes[index].frames {
            return Err(Error::engine(format!("segment {} is {} frames long, not the {} planned", index + 1, samples.len(), plan.shapes[index].frames)));
        }
        let mut bytes = vec![0u8; samples.len() * 2];
        bytes.chunks_exact_mut(2).zip(to_i16(&samples)).for_each(|(out, sample)| out.copy_from_slice(&sample.to_le_bytes()));
        Ok(bytes)
    };
    let channels = usize::from(plan.channels.max(1));
    if plan.frames * channels * 2 > u32::MAX as usize - 36 {
        return Err(Error::input(format!("{}: a WAV file holds at most 4 GiB of samples; this narration needs more (write MP3)", path.display())));
    }
    // Segments not in the store, made in memory; in stereo, all of them (stored pieces are
    // mono and cannot be copied as they are), and for a stream.
    let file_output = sink.path().is_some();
    let make = |index: usize| -> Result<Option<Vec<u8>>> {
        let len = plan.shapes[index].frames * 2;
        if let Some((keys, store)) = store {
            if channels == 1 && file_output && store.holds(&keys[index], len) {
                return Ok(None);
            }
            if let Some(bytes) = (channels > 1 || !file_output).then(|| store.get(&keys[index])).flatten().filter(|bytes| bytes.len() == len) {
                return Ok(Some(bytes));
            }
        }
        let bytes = bytes_of(index)?;
        if let Some((keys, store)) = store {
            store.put(&keys[index], &bytes);
        }
        Ok(Some(bytes))
    };
    // A few segments per thread at a time, made in parallel and written in order while the
    // next few are made: memory holds those segments, however long the narration.
    let window = 4 * rayon::current_num_threads();
    let count = plan.starts.len();
    let windows: Vec<std::ops::Range<usize>> = (0..count).step_by(window.max(1)).map(|first| first..(first + window).min(count)).collect();
    let make_window = |indices: Option<&std::ops::Range<usize>>| -> Result<Vec<Option<Vec<u8>>>> {
        indices.map_or(Ok(Vec::new()), |indices| indices.clone().into_par_iter().map(make).collect())
    };
    write_sink(sink, |writer| {
        let io = |e| Error::io(path, e);
        writer.write_all(&wav_header(plan.frames * channels, plan.sample_rate, plan.channels)).map_err(io)?;
        let mut at = 0;
        let mut made_now = make_window(windows.first())?;
        for (number, indices) in windows.iter().enumerate() {
            let mut write_window = |made_now: Vec<Option<Vec<u8>>>| -> Result<()> {
                for (index, made) in indices.clone().zip(made_now) {
                    let start = plan.starts[index];
                    write_silence(writer, (start - at) * channels).map_err(io)?;
                    let len = plan.shapes[index].frames * 2;
                    let copied = match (&made, store) {
                        (None, Some((keys, store))) => match writer.file().map_err(io)? {
                            Some(file) => store.copy_to(&keys[index], len, file).map_err(io)?,
                            None => false,
                        },
                        _ => false,
                    };
                    if !copied {
                        // Made in this run, or gone from the store since it was found there.
                        let bytes = match made {
                            Some(bytes) => bytes,
                            None => bytes_of(index)?,
                        };
                        if channels == 1 {
                            writer.write_all(&bytes).map_err(io)?;
                        } else {
                            for sample in bytes.chunks_exact(2) {
                                (0..channels).try_for_each(|_| writer.write_all(sample)).map_err(io)?;
                            }
                        }
                    }
                    at = start + plan.shapes[index].frames;
                }
                Ok(())
            };
            let (written, next) = rayon::join(|| write_window(made_now), || make_window(windows.get(number + 1)));
            written?;
            made_now = next?;
        }
        write_silence(writer, (plan.frames - at) * channels).map_err(io)
    })
}

/// The 44-byte header of a 16-bit PCM WAV file of `samples` samples, as hound writes it.
fn wav_header(samples: usize, sample_rate: u32, channels: u16) -> Vec<u8> {
    let data = (samples * 2) as u32;
    let mut header = Vec::with_capacity(44);
    header.extend_from_slice(b"RIFF");
    header.extend_from_slice(&(36 + data).to_le_bytes());
    header.extend_from_slice(b"WAVEfmt ");
    header.extend_from_slice(&16u32.to_le_bytes());
    header.extend_from_slice(&1u16.to_le_bytes()); // PCM
    header.extend_from_slice(&channels.to_le_bytes());
    header.extend_from_slice(&sample_rate.to_le_bytes());
    header.extend_from_slice(&(sample_rate * u32::from(channels) * 2).to_le_bytes());
    header.extend_from_slice(&(channels * 2).to_le_bytes());
    header.extend_from_slice(&16u16.to_le_bytes());
    header.extend_from_slice(b"data");
    header.extend_from_slice(&data.to_le_bytes());
    header
}

/// Writes `samples` zero samples.
fn write_silence(writer: &mut impl Write, samples: usize) -> std::io::Result<()> {
    const ZEROS: [u8; 8192] = [0; 8192];
    let mut left = samples * 2;
    while left > 0 {
        let now = left.min(ZEROS.len());
        writer.write_all(&ZEROS[..now])?;
        left -= now;
    }
    Ok(())
}

/// The key of a segment's finished 16-bit samples: what placed it, and the gain and ceiling
/// that finished it.
fn piece_key(plan: &Plan, segment_key: &str) -> String {
    let recipe = format!("{PIECE_VERSION}|{}|{}|{}|{segment_key}", plan.sample_rate, plan.gain_db.to_bits(), plan.true_peak_dbtp.to_bits());
    blake3::hash(recipe.as_bytes()).to_hex().to_string()
}

/// Writes interleaved 16-bit samples as a WAV file, atomically.
fn write_pcm(pcm: &[i16], sample_rate: u32, channels: u16, path: &Path) -> Result<()> {
    let spec = hound::WavSpec { channels, sample_rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    write_atomically(path, |file| {
        let mut writer = hound::WavWriter::new(file, spec).map_err(|e| wav_error(path, e))?;
        let mut samples = writer.get_i16_writer(pcm.len() as u32);
        for &sample in pcm {
            samples.write_sample(sample);
        }
        samples.flush().map_err(|e| wav_error(path, e))?;
        writer.finalize().map_err(|e| wav_error(path, e))
    })
}

fn wav_error(path: &Path, error: hound::Error) -> Error {
    match error {
        hound::Error::IoError(e) => Error::io(path, e),
        other => Error::io(path, std::io::Error::other(other.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_half_away_from_zero_and_clamps() {
        let half = 0.5 / 32767.0;
        let samples = [1.0, -1.0, 2.0, 0.0, -0.0, half, -half, 0.49 / 32767.0, f32::NAN];
        assert_eq!(to_i16(&samples).collect::<Vec<_>>(), [32767, -32767, 32767, 0, 0, 1, -1, 0, 0]);
        let long: Vec<f32> = (0..200_000).map(|i| (i as f32 * 0.001).sin() * 1.1).collect();
        assert_eq!(to_i16_vec(&long), to_i16(&long).collect::<Vec<_>>());
        assert!(long.iter().zip(to_i16_vec(&long)).all(|(s, p)| i32::from(p) == (s.clamp(-1.0, 1.0) * 32767.0).round() as i32));
    }

    /// Pieces in memory; the store's default `holds` and `copy_to` read them with `get`.
    #[derive(Default)]
    struct Store(std::sync::Mutex<std::collections::HashMap<String, Vec<u8>>>);

    impl PieceStore for Store {
        fn get(&self, key: &str) -> Option<Vec<u8>> {
            self.0.lock().unwrap().get(key).cloned()
        }
        fn put(&self, key: &str, bytes: &[u8]) {
            self.0.lock().unwrap().insert(key.to_string(), bytes.to_vec());
        }
    }

    #[test]
    fn a_planned_narration_is_written_as_the_narration_and_its_pieces_are_reused() {
        use crate::assemble::{assemble_parts, AssembleSettings};
        use crate::chunk::{Chunk, Pause, Utterance};
        let rate = 22_050;
        let segments: Vec<crate::synth::Segment> = [300.0f32, 450.0, 600.0]
            .iter()
            .map(|pitch| crate::synth::Segment { samples: (0..rate as usize / 2).map(|i| 0.3 * (i as f32 * pitch / rate as f32 * std::f32::consts::TAU).sin()).collect(), sample_rate: rate })
            .collect();
        let chunks: Vec<Chunk> = (0..segments.len()).map(|i| Chunk { text: format!("s{i}"), utterance: i, pause_after: Pause::Sentence }).collect();
        let utterances: Vec<Utterance> = chunks.iter().map(|c| Utterance { written: c.text.clone(), spoken: c.text.clone(), pause_after: Pause::Sentence }).collect();
        let dir = tempfile::tempdir().unwrap();
        let (whole, planned) = (dir.path().join("whole.wav"), dir.path().join("planned.wav"));
        for channels in [1, 2] {
            let settings = AssembleSettings { channels, frame_grid: crate::assemble::loudness_grid(rate), ..AssembleSettings::default() };
            let (plan, finished) = assemble_parts(&segments, &chunks, &utterances, &settings).unwrap();
            write_wav(&plan.narration(&finished), &whole).unwrap();
            let expected = std::fs::read(&whole).unwrap();
            let made = std::sync::atomic::AtomicUsize::new(0);
            let finish = |index: usize| {
                made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Ok(Cow::Borrowed(finished[index].as_slice()))
            };
            write_planned_wav(&plan, &planned, None, &finish).unwrap();
            assert!(std::fs::read(&planned).unwrap() == expected, "{channels} channels, no store");
            // With a store: every segment finished once, then none; a piece of the wrong
            // length is made again.
            let store = Store::default();
            let keys: Vec<String> = (0..segments.len()).map(|i| format!("segment {i}")).collect();
            for run in 0..2 {
                made.store(0, std::sync::atomic::Ordering::Relaxed);
                write_planned_wav(&plan, &planned, Some((&keys, &store)), &finish).unwrap();
                assert!(std::fs::read(&planned).unwrap() == expected, "{channels} channels, run {run}");
                assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), if run == 0 { 3 } else { 0 });
            }
            let key = piece_key(&plan, &keys[1]);
            store.put(&key, &[0; 6]);
            made.store(0, std::sync::atomic::Ordering::Relaxed);
            write_planned_wav(&plan, &planned, Some((&keys, &store)), &finish).unwrap();
            assert!(std::fs::read(&planned).unwrap() == expected);
            assert_eq!(made.load(std::sync::atomic::Ordering::Relaxed), 1);
            let mut reader = hound::WavReader::open(&planned).unwrap();
            assert_eq!((reader.spec().channels, reader.duration() as usize), (channels, plan.frames));
            assert!(reader.samples::<i16>().all(|s| s.is_ok()));
        }
    }
}
