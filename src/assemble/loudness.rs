//! Loudness normalization to a LUFS target (EBU R 128 measurement with `ebur128`) with a
//! look-ahead limiter that keeps the true peak under the ceiling.

use ebur128::{EbuR128, Mode};

use crate::error::{Error, Result};

fn meter(samples: &[f32], rate: u32, channels: u16, mode: Mode) -> Result<EbuR128> {
    let mut meter = EbuR128::new(u32::from(channels), rate, mode)
        .map_err(|e| Error::engine(format!("loudness meter: {e}")))?;
    meter.add_frames_f32(samples).map_err(|e| Error::engine(format!("loudness meter: {e}")))?;
    Ok(meter)
}

/// Integrated loudness of interleaved samples, in LUFS (`-inf` for silence).
pub fn integrated_loudness(samples: &[f32], rate: u32, channels: u16) -> Result<f64> {
    meter(samples, rate, channels, Mode::I)?
        .loudness_global()
        .map_err(|e| Error::engine(format!("loudness meter: {e}")))
}

/// Highest true peak over all channels, in dBTP.
pub fn true_peak_dbtp(samples: &[f32], rate: u32, channels: u16) -> Result<f64> {
    let meter = meter(samples, rate, channels, Mode::TRUE_PEAK)?;
    let mut peak: f64 = 0.0;
    for channel in 0..u32::from(channels) {
        peak = peak.max(meter.true_peak(channel).map_err(|e| Error::engine(format!("loudness meter: {e}")))?);
    }
    Ok(20.0 * peak.max(1e-10).log10())
}

/// Brings mono `samples` to `target_lufs` as heard on `channels` speakers, then limits peaks so
/// the true peak stays at or under `ceiling_dbtp`.
pub fn normalize(samples: &mut [f32], rate: u32, channels: u16, target_lufs: f64, ceiling_dbtp: f64) -> Result<()> {
    let mut measured = integrated_loudness(samples, rate, 1)?;
    if !measured.is_finite() {
        return Ok(());
    }
    // The same signal on two channels measures 3 dB louder than on one.
    if channels >= 2 {
        measured += 10.0 * f64::from(channels).log10();
    }
    let gain = 10f64.powf((target_lufs - measured) / 20.0) as f32;
    samples.iter_mut().for_each(|s| *s *= gain);
    // Sample peaks are limited a little under the ceiling, since true (inter-sample) peaks
    // run higher; a final trim catches what the margin missed.
    let ceiling = 10f32.powf((ceiling_dbtp as f32 - 0.5) / 20.0);
    limit(samples, rate, ceiling);
    let peak = true_peak_dbtp(samples, rate, 1)?;
    if peak > ceiling_dbtp {
        let trim = 10f32.powf((ceiling_dbtp - peak - 0.05) as f32 / 20.0);
        samples.iter_mut().for_each(|s| *s *= trim);
    }
    Ok(())
}

/// A look-ahead peak limiter: the gain ramps down over 5 ms before a peak and recovers over
/// 50 ms after it, so no sample exceeds `ceiling` and the gain never steps.
fn limit(samples: &mut [f32], rate: u32, ceiling: f32) {
    if samples.iter().all(|s| s.abs() <= ceiling) {
        return;
    }
    let attack = (rate as usize / 200).max(1);
    let release = (rate as usize / 20).max(1);
    let mut gain: Vec<f32> = samples.iter().map(|s| if s.abs() > ceiling { ceiling / s.abs() } else { 1.0 }).collect();
    // Backward pass: reach each reduction `attack` samples early, linearly.
    let attack_step = 1.0 / attack as f32;
    for i in (0..gain.len().saturating_sub(1)).rev() {
        gain[i] = gain[i].min(gain[i + 1] + attack_step);
    }
    // Forward pass: recover slowly after each reduction.
    let release_step = 1.0 / release as f32;
    for i in 1..gain.len() {
        gain[i] = gain[i].min(gain[i - 1] + release_step);
    }
    for (sample, g) in samples.iter_mut().zip(gain) {
        *sample *= g;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reaches_target_and_respects_ceiling() {
        let rate = 22_050;
        // Speech-like: a tone with loud bursts.
        let mut samples: Vec<f32> = (0..rate as usize * 3)
            .map(|i| {
                let burst = if (i / 2000) % 7 == 0 { 0.9 } else { 0.1 };
                burst * (i as f32 * 300.0 * std::f32::consts::TAU / rate as f32).sin()
            })
            .collect();
        normalize(&mut samples, rate, 1, -19.0, -1.0).unwrap();
        let loudness = integrated_loudness(&samples, rate, 1).unwrap();
        assert!((loudness + 19.0).abs() < 1.0, "{loudness}");
        assert!(true_peak_dbtp(&samples, rate, 1).unwrap() <= -1.0 + 1e-6);
    }

    #[test]
    fn silence_stays_silent() {
        let mut samples = vec![0.0; 10_000];
        normalize(&mut samples, 22_050, 1, -19.0, -1.0).unwrap();
        assert!(samples.iter().all(|s| *s == 0.0));
    }
}
