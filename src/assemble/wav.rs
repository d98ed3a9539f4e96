//! 16-bit PCM WAV output with hound.

use std::path::Path;

use super::Narration;
use crate::error::{Error, Result};
use crate::output::write_atomically;

/// The narration as 16-bit PCM samples, rounded half away from zero. (Adding the half and
/// truncating rounds the same as `f32::round`, without a call into libm per sample.)
pub fn to_i16(samples: &[f32]) -> impl Iterator<Item = i16> + '_ {
    samples.iter().map(|s| {
        let scaled = s.clamp(-1.0, 1.0) * 32767.0;
        (scaled + if scaled >= 0.0 { 0.5 } else { -0.5 }) as i16
    })
}

/// Writes the narration as a 16-bit PCM WAV file, atomically.
pub fn write_wav(narration: &Narration, path: &Path) -> Result<()> {
    let spec = hound::WavSpec {
        channels: narration.channels,
        sample_rate: narration.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    write_atomically(path, |file| {
        let mut writer = hound::WavWriter::new(file, spec).map_err(|e| wav_error(path, e))?;
        let mut samples = writer.get_i16_writer(narration.samples.len() as u32);
        for sample in to_i16(&narration.samples) {
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
