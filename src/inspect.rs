//! What an audio file holds: format, rate, channels, length, and how loud it is (EBU R 128
//! integrated loudness and true peak), as `readcast inspect` reports it.

use std::path::Path;

use serde::Serialize;

use crate::error::Result;

/// An audio file's facts.
#[derive(Debug, Clone, Serialize)]
pub struct AudioInfo {
    pub file: String,
    /// The container or codec ("wav", "mp3", ...).
    pub format: String,
    pub sample_rate: u32,
    pub channels: usize,
    pub duration: f64,
    pub frames: usize,
    /// Integrated loudness in LUFS (EBU R 128), `None` for silence.
    pub loudness_lufs: Option<f64>,
    /// True peak in dBTP.
    pub true_peak_dbtp: f64,
}

/// Decodes `path` and measures it.
pub fn inspect(path: &Path) -> Result<AudioInfo> {
    let decoded = crate::synth::decode::decode_file(path)?;
    let channels = u16::try_from(decoded.channels).unwrap_or(u16::MAX);
    let loudness = crate::assemble::integrated_loudness(&decoded.samples, decoded.sample_rate, channels)?;
    let true_peak = crate::assemble::true_peak_dbtp(&decoded.samples, decoded.sample_rate, channels)?;
    Ok(AudioInfo {
        file: path.display().to_string(),
        format: decoded.format.clone(),
        sample_rate: decoded.sample_rate,
        channels: decoded.channels,
        duration: decoded.duration_seconds(),
        frames: decoded.frames(),
        loudness_lufs: loudness.is_finite().then_some(loudness),
        true_peak_dbtp: true_peak,
    })
}
