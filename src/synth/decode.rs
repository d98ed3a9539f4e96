//! Decoding audio files and streams (WAV, AIFF, MP3, FLAC, OGG Vorbis) with symphonia.

use std::path::Path;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::{MediaSourceStream, ReadOnlySource};
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::error::{Error, Result};

/// Decoded audio: interleaved samples and their layout.
#[derive(Debug, Clone)]
pub struct Decoded {
    /// The container or codec name ("wav", "mp3", ...).
    pub format: String,
    pub sample_rate: u32,
    pub channels: usize,
    /// Interleaved samples in -1.0..=1.0.
    pub samples: Vec<f32>,
}

impl Decoded {
    /// Frames (samples per channel).
    pub fn frames(&self) -> usize {
        self.samples.len() / self.channels.max(1)
    }

    /// Duration in seconds.
    pub fn duration_seconds(&self) -> f64 {
        self.frames() as f64 / f64::from(self.sample_rate.max(1))
    }

    /// The channels averaged into one.
    pub fn into_mono(self) -> Vec<f32> {
        if self.channels <= 1 {
            return self.samples;
        }
        self.samples
            .chunks(self.channels)
            .map(|frame| frame.iter().sum::<f32>() / frame.len() as f32)
            .collect()
    }
}

/// Decodes a file; `extension` helps the prober.
pub fn decode_file(path: &Path) -> Result<Decoded> {
    let (stream, hint) = open_file(path)?;
    decode_stream(stream, hint).map_err(|e| Error::input(format!("{}: {e}", path.display())))
}

/// The duration of a file in seconds, from its packets' lengths, without decoding them:
/// the same duration a full decode finds, in a fraction of the time.
pub fn duration_of_file(path: &Path) -> Result<f64> {
    let (stream, hint) = open_file(path)?;
    let (frames, rate) = count_frames(stream, hint).map_err(|e| Error::input(format!("{}: {e}", path.display())))?;
    Ok(frames as f64 / f64::from(rate))
}

/// A file as a stream, with its extension as the prober's hint.
fn open_file(path: &Path) -> Result<(MediaSourceStream, Hint)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hint = Hint::new();
    if let Some(extension) = path.extension().and_then(|e| e.to_str()) {
        hint.with_extension(extension);
    }
    Ok((MediaSourceStream::new(Box::new(file), Default::default()), hint))
}

fn count_frames(stream: MediaSourceStream, hint: Hint) -> std::result::Result<(u64, u32), String> {
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &FormatOptions::default(), &MetadataOptions::default())
        .map_err(|e| format!("not a supported audio file ({e})"))?;
    let mut reader = probed.format;
    let track = reader.tracks().iter().find(|t| t.codec_params.codec != CODEC_TYPE_NULL).ok_or("no audio track")?;
    let (id, rate) = (track.id, track.codec_params.sample_rate.ok_or("audio has no sample rate")?);
    let mut frames: u64 = 0;
    loop {
        match reader.next_packet() {
            Ok(packet) if packet.track_id() == id => frames += packet.dur,
            Ok(_) => {}
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(format!("broken audio stream ({e})")),
        }
    }
    Ok((frames, rate))
}

/// Decodes audio held in memory (an engine's stdout).
pub fn decode_bytes(bytes: Vec<u8>) -> std::result::Result<Decoded, String> {
    let source = ReadOnlySource::new(std::io::Cursor::new(bytes));
    let stream = MediaSourceStream::new(Box::new(source), Default::default());
    decode_stream(stream, Hint::new())
}

fn decode_stream(stream: MediaSourceStream, hint: Hint) -> std::result::Result<Decoded, String> {
    let probed = symphonia::default::get_probe()
        .format(&hint, stream, &FormatOptions::default(), &MetadataOptions::default())
        .map_err(|e| format!("not a supported audio file ({e})"))?;
    let mut reader = probed.format;
    let track = reader
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or("no audio track")?
        .clone();
    let format = symphonia::default::get_codecs()
        .get_codec(track.codec_params.codec)
        .map(|d| d.short_name.to_string())
        .unwrap_or_else(|| "unknown".to_string());
    let mut decoder = symphonia::default::get_codecs()
        .make(&track.codec_params, &DecoderOptions::default())
        .map_err(|e| format!("cannot decode this audio ({e})"))?;
    let mut sample_rate = track.codec_params.sample_rate.unwrap_or(0);
    let mut channels = track.codec_params.channels.map_or(0, |c| c.count());
    let mut samples = Vec::new();
    let mut interleaved: Option<(SampleBuffer<f32>, symphonia::core::audio::SignalSpec)> = None;
    loop {
        let packet = match reader.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(format!("broken audio stream ({e})")),
        };
        if packet.track_id() != track.id {
            continue;
        }
        match decoder.decode(&packet) {
            Ok(buffer) => {
                let spec = *buffer.spec();
                sample_rate = spec.rate;
                channels = spec.channels.count();
                // One buffer for all packets, made anew only for a larger packet or a new layout.
                let fits = interleaved.as_ref().is_some_and(|(b, made_for)| b.capacity() >= buffer.capacity() * spec.channels.count() && *made_for == spec);
                if !fits {
                    interleaved = Some((SampleBuffer::<f32>::new(buffer.capacity() as u64, spec), spec));
                }
                let (interleaved, _) = interleaved.as_mut().expect("made above");
                interleaved.copy_interleaved_ref(buffer);
                samples.extend_from_slice(interleaved.samples());
            }
            Err(SymphoniaError::DecodeError(_)) => continue,
            Err(e) => return Err(format!("broken audio stream ({e})")),
        }
    }
    if sample_rate == 0 || channels == 0 {
        return Err("audio has no sample rate or channels".to_string());
    }
    let format = if format == "pcm_s16le" || format.starts_with("pcm") { "wav".to_string() } else { format };
    Ok(Decoded { format, sample_rate, channels, samples })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_a_wav_written_by_hound() {
        let spec = hound::WavSpec { channels: 2, sample_rate: 8000, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut cursor = std::io::Cursor::new(Vec::new());
        {
            let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
            for i in 0..4000 {
                writer.write_sample((i % 100) as i16 * 100).unwrap();
                writer.write_sample(0i16).unwrap();
            }
            writer.finalize().unwrap();
        }
        let decoded = decode_bytes(cursor.into_inner()).unwrap();
        assert_eq!((decoded.sample_rate, decoded.channels, decoded.frames()), (8000, 2, 4000));
        assert!((decoded.duration_seconds() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn rejects_garbage() {
        assert!(decode_bytes(b"definitely not audio".to_vec()).is_err());
    }
}
