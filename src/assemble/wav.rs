//! 16-bit PCM WAV output with hound.

use std::path::Path;

use rayon::prelude::*;

use super::Narration;
use crate::error::{Error, Result};
use crate::output::write_atomically;

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

/// Writes the narration as a 16-bit PCM WAV file, atomically.
pub fn write_wav(narration: &Narration, path: &Path) -> Result<()> {
    let spec = hound::WavSpec {
        channels: narration.channels,
        sample_rate: narration.sample_rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let pcm = to_i16_vec(&narration.samples);
    write_atomically(path, |file| {
        let mut writer = hound::WavWriter::new(file, spec).map_err(|e| wav_error(path, e))?;
        let mut samples = writer.get_i16_writer(pcm.len() as u32);
        for &sample in &pcm {
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
}
