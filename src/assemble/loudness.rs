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
///
/// Long signals are measured in four parts at once, the way `ebur128` documents for exact
/// results: parts start on 100 ms boundaries, each part after the first re-reads the 300 ms
/// before it (so its first gating block is the one a single meter would have) after seeding
/// its filters with the 100 ms before that. The parts do not depend on the thread count, so
/// neither does the result.
pub fn integrated_loudness(samples: &[f32], rate: u32, channels: u16) -> Result<f64> {
    use rayon::prelude::*;
    const PARTS: usize = 4;
    let channels = usize::from(channels.max(1));
    let frames = samples.len() / channels;
    let step = (rate as usize / 10).max(1);
    // Parts shorter than a minute are not worth a thread each.
    if frames < rate as usize * 60 {
        return meter(samples, rate, channels as u16, Mode::I)?
            .loudness_global()
            .map_err(|e| Error::engine(format!("loudness meter: {e}")));
    }
    let part = frames.div_ceil(PARTS).div_ceil(step) * step;
    let bounds: Vec<usize> = (0..PARTS).map(|k| (k * part).min(frames)).chain(std::iter::once(frames)).collect();
    let meters: Vec<EbuR128> = bounds
        .par_windows(2)
        .map(|window| {
            let (start, end) = (window[0], window[1]);
            let mut meter = EbuR128::new(channels as u32, rate, Mode::I).map_err(|e| Error::engine(format!("loudness meter: {e}")))?;
            let begin = if start == 0 {
                0
            } else {
                let seed_start = start - 4 * step;
                meter
                    .seed_frames_f32(&samples[seed_start * channels..(start - 3 * step) * channels])
                    .map_err(|e| Error::engine(format!("loudness meter: {e}")))?;
                start - 3 * step
            };
            meter.add_frames_f32(&samples[begin * channels..end * channels]).map_err(|e| Error::engine(format!("loudness meter: {e}")))?;
            Ok(meter)
        })
        .collect::<Result<_>>()?;
    EbuR128::loudness_global_multiple(meters.iter()).map_err(|e| Error::engine(format!("loudness meter: {e}")))
}

/// Highest true peak over all channels of interleaved samples, in dBTP.
pub fn true_peak_dbtp(samples: &[f32], rate: u32, channels: u16) -> Result<f64> {
    let channels = usize::from(channels.max(1));
    if channels == 1 {
        return Ok(20.0 * true_peak(samples, rate)?.max(1e-10).log10());
    }
    let mut peak: f64 = 0.0;
    for channel in 0..channels {
        let mono: Vec<f32> = samples.iter().skip(channel).step_by(channels).copied().collect();
        peak = peak.max(true_peak(&mono, rate)?);
    }
    Ok(20.0 * peak.max(1e-10).log10())
}

/// The true (4x oversampled, BS.1770) peak of mono samples, as a linear value.
///
/// The oversampling meter is costly, so it runs only where a true peak can be: each
/// interpolated value is a weighted sum of its neighbours with weights whose absolute sum is
/// under 2, so a value above the sample peak needs a neighbour above half of it.
fn true_peak(samples: &[f32], rate: u32) -> Result<f64> {
    use rayon::prelude::*;
    const MARGIN: usize = 48;
    const PARTS: usize = 4;
    let sample_peak = samples.par_chunks(1 << 16).map(peak_of).reduce(|| 0.0, f32::max);
    if sample_peak == 0.0 {
        return Ok(0.0);
    }
    let threshold = sample_peak / 2.0;
    let loud = |index: usize| samples[index].abs() >= threshold;
    // Loud samples closer than two margins share a region, measured from the quiet margin
    // before its first one (a meter started inside loud audio overshoots). Each part
    // measures the regions that start in it, to their ends, which may lie in the next part.
    let part = samples.len().div_ceil(PARTS).max(1);
    let peaks: Vec<f64> = (0..PARTS)
        .into_par_iter()
        .map(|k| {
            let (from, to) = ((k * part).min(samples.len()), ((k + 1) * part).min(samples.len()));
            let mut peak = 0f64;
            let mut measure = |(first, last): (usize, usize)| -> Result<()> {
                let (start, end) = (first.saturating_sub(MARGIN), (last + MARGIN + 1).min(samples.len()));
                let meter = meter(&samples[start..end], rate, 1, Mode::TRUE_PEAK)?;
                peak = peak.max(meter.true_peak(0).map_err(|e| Error::engine(format!("loudness meter: {e}")))?);
                Ok(())
            };
            // The loud sample before this part that a region of the previous part may reach.
            let mut previous = (from.saturating_sub(2 * MARGIN)..from).rev().find(|&i| loud(i));
            let mut region: Option<(usize, usize)> = None;
            // Blocks with no loud sample are skipped whole.
            let candidates = (from..to).step_by(64).filter(|&block| peak_of(&samples[block..(block + 64).min(to)]) >= threshold).flat_map(|block| block..(block + 64).min(to));
            for index in candidates.filter(|&i| loud(i)) {
                let joins = previous.is_some_and(|p| index - p <= 2 * MARGIN);
                previous = Some(index);
                region = match region {
                    Some((first, _)) if joins => Some((first, index)),
                    Some(done) => {
                        measure(done)?;
                        Some((index, index))
                    }
                    // Part of a region that started in an earlier part.
                    None if joins => None,
                    None => Some((index, index)),
                };
            }
            if let Some((first, mut last)) = region {
                // The last region runs on past the part while loud samples keep joining it.
                let mut index = to;
                while index < samples.len() && index - last <= 2 * MARGIN {
                    if loud(index) {
                        last = index;
                    }
                    index += 1;
                }
                measure((first, last))?;
            }
            Ok(peak)
        })
        .collect::<Result<_>>()?;
    Ok(peaks.into_iter().fold(f64::from(sample_peak), f64::max))
}

/// The largest absolute sample, in a form the compiler vectorizes.
fn peak_of(samples: &[f32]) -> f32 {
    let mut lanes = [0f32; 16];
    let mut chunks = samples.chunks_exact(16);
    for chunk in &mut chunks {
        for (lane, sample) in lanes.iter_mut().zip(chunk) {
            let magnitude = sample.abs();
            *lane = if magnitude > *lane { magnitude } else { *lane };
        }
    }
    chunks.remainder().iter().chain(lanes.iter()).fold(0f32, |m, s| if s.abs() > m { s.abs() } else { m })
}

/// Brings mono `samples` to `target_lufs` as heard on `channels` speakers, then limits peaks so
/// the true peak stays at or under `ceiling_dbtp`.
pub fn normalize(samples: &mut [f32], rate: u32, channels: u16, target_lufs: f64, ceiling_dbtp: f64) -> Result<()> {
    // One pass measures both: gain is linear, so the true peak after it is predictable.
    let (measured, peak) = rayon::join(|| integrated_loudness(samples, rate, 1), || true_peak(samples, rate));
    let mut measured = measured?;
    if !measured.is_finite() {
        return Ok(());
    }
    let peak = peak?;
    // The same signal on two channels measures 3 dB louder than on one.
    if channels >= 2 {
        measured += 10.0 * f64::from(channels).log10();
    }
    // In steps of 0.1 dB: editing one sentence rarely moves the gain, so the unchanged parts
    // of a narration stay sample-identical and their encoded audio can be reused.
    let gain_db = ((target_lufs - measured) * 10.0).round() / 10.0;
    let gain = 10f64.powf(gain_db / 20.0) as f32;
    samples.iter_mut().for_each(|s| *s *= gain);
    if 20.0 * peak.max(1e-10).log10() + gain_db <= ceiling_dbtp {
        return Ok(());
    }
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
/// 50 ms after it, so no sample exceeds `ceiling` and the gain never steps. Only the regions
/// around samples over the ceiling are touched.
fn limit(samples: &mut [f32], rate: u32, ceiling: f32) {
    let attack = (rate as usize / 200).max(1);
    let release = (rate as usize / 20).max(1);
    let mut index = 0;
    while index < samples.len() {
        if samples[index].abs() <= ceiling {
            index += 1;
            continue;
        }
        // A region runs from `attack` before its first peak to `release` after its last,
        // taking in every peak whose ramps would overlap.
        let start = index.saturating_sub(attack);
        let mut last_peak = index;
        let mut scan = index;
        while scan < samples.len() && scan <= last_peak + release + attack {
            if samples[scan].abs() > ceiling {
                last_peak = scan;
            }
            scan += 1;
        }
        let end = (last_peak + release + 1).min(samples.len());
        limit_region(&mut samples[start..end], attack, release, ceiling);
        index = end;
    }
}

fn limit_region(samples: &mut [f32], attack: usize, release: usize, ceiling: f32) {
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
    fn true_peak_in_parts_equals_one_meter() {
        let rate = 22_050;
        // Bursts of a near-Nyquist tone (inter-sample peaks above the sample peak), one of
        // them across the line between the first two parts.
        let mut samples = vec![0f32; rate as usize * 4];
        let quarter = samples.len() / 4;
        for (at, level) in [(1000, 0.5), (quarter - 30, 0.9), (3 * quarter + 7, 0.7)] {
            for i in 0..60 {
                samples[at + i] = level * ((i as f32) * 2.9 + 0.6).sin();
            }
        }
        let whole = meter(&samples, rate, 1, Mode::TRUE_PEAK).unwrap().true_peak(0).unwrap();
        let parts = true_peak(&samples, rate).unwrap();
        assert!((parts - whole).abs() < 1e-9, "{parts} against {whole}");
        assert!(parts > 0.89, "{parts}");
        assert_eq!(peak_of(&[0.1, -0.95, 0.3]), 0.95);
        assert_eq!(true_peak(&[0.0; 100], rate).unwrap(), 0.0);
    }

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
    fn windowed_true_peak_equals_the_full_meter() {
        let rate = 22_050;
        // A quarter-rate tone at 45 degrees: every sample is at 0.707 of the true peak.
        let samples: Vec<f32> = (0..rate as usize)
            .map(|i| {
                let envelope = if (i / 3000) % 3 == 0 { 0.8 } else { 0.05 };
                envelope * (i as f32 * 0.25 * std::f32::consts::TAU + std::f32::consts::FRAC_PI_4).sin()
            })
            .collect();
        let full = meter(&samples, rate, 1, Mode::TRUE_PEAK).unwrap().true_peak(0).unwrap();
        let windowed = true_peak(&samples, rate).unwrap();
        assert!((full - windowed).abs() < 1e-6, "{full} vs {windowed}");
        assert!(full > f64::from(samples.iter().fold(0f32, |m, s| m.max(s.abs()))) + 0.01);
    }

    #[test]
    fn parallel_measurement_equals_one_meter() {
        let rate = 8_000;
        let samples: Vec<f32> = (0..rate as usize * 150)
            .map(|i| ((i / 5000) % 4) as f32 * 0.1 * (i as f32 * 0.05).sin())
            .collect();
        let single = meter(&samples, rate, 1, Mode::I).unwrap().loudness_global().unwrap();
        let parallel = integrated_loudness(&samples, rate, 1).unwrap();
        assert!((single - parallel).abs() < 1e-6, "{single} vs {parallel}");
    }

    #[test]
    fn silence_stays_silent() {
        let mut samples = vec![0.0; 10_000];
        normalize(&mut samples, 22_050, 1, -19.0, -1.0).unwrap();
        assert!(samples.iter().all(|s| *s == 0.0));
    }
}
