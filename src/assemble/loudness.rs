//! Loudness normalization to a LUFS target (EBU R 128 measurement with `ebur128`) with a
//! look-ahead limiter that keeps the true peak under the ceiling.

use ebur128::{EbuR128, Mode};
use rayon::prelude::*;

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
            // One meter per part, reset between regions: making a meter computes its
            // interpolation filter, which costs more than measuring a short region.
            let mut reused: Option<EbuR128> = None;
            let mut measure = |(first, last): (usize, usize)| -> Result<()> {
                let (start, end) = (first.saturating_sub(MARGIN), (last + MARGIN + 1).min(samples.len()));
                let region = &samples[start..end];
                let meter = match reused.as_mut() {
                    Some(meter) => {
                        meter.reset();
                        meter.add_frames_f32(region).map_err(|e| Error::engine(format!("loudness meter: {e}")))?;
                        meter
                    }
                    None => reused.insert(meter(region, rate, 1, Mode::TRUE_PEAK)?),
                };
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

/// Frames in the 100 ms step between BS.1770 gating blocks, rounded as `ebur128` rounds it.
pub fn hop_frames(rate: u32) -> usize {
    (rate as usize + 5) / 10
}

/// How far a segment's K-weighted signal is followed into the silence after it. The filter
/// rings down by about 10^-20 in energy over this time, so as long as pauses are at least
/// about 0.1 s, summing segments' energies equals measuring the whole narration.
const RINGING_SECONDS: f64 = 0.2;

/// The BS.1770 K-weighting filter with `ebur128`'s coefficients and arithmetic, so that the
/// energies it gives add up to what an `ebur128` meter of the whole narration finds.
struct KWeighting {
    b: [f64; 5],
    a: [f64; 5],
}

impl KWeighting {
    #[allow(non_snake_case)]
    fn new(rate: u32) -> Self {
        let rate = f64::from(rate);
        let (f0, G, Q) = (1681.974450955533, 3.999843853973347, 0.7071752369554196);
        let K = f64::tan(std::f64::consts::PI * f0 / rate);
        let Vh = f64::powf(10.0, G / 20.0);
        let Vb = f64::powf(Vh, 0.4996667741545416);
        let a0 = 1.0 + K / Q + K * K;
        let pb = [(Vh + Vb * K / Q + K * K) / a0, 2.0 * (K * K - Vh) / a0, (Vh - Vb * K / Q + K * K) / a0];
        let pa = [1.0, 2.0 * (K * K - 1.0) / a0, (1.0 - K / Q + K * K) / a0];
        let (f0, Q) = (38.13547087602444, 0.5003270373238773);
        let K = f64::tan(std::f64::consts::PI * f0 / rate);
        let rb = [1.0, -2.0, 1.0];
        let ra = [1.0, 2.0 * (K * K - 1.0) / (1.0 + K / Q + K * K), (1.0 - K / Q + K * K) / (1.0 + K / Q + K * K)];
        let convolve = |p: [f64; 3], r: [f64; 3]| [p[0] * r[0], p[0] * r[1] + p[1] * r[0], p[0] * r[2] + p[1] * r[1] + p[2] * r[0], p[1] * r[2] + p[2] * r[1], p[2] * r[2]];
        KWeighting { b: convolve(pb, rb), a: convolve(pa, ra) }
    }

    /// Calls `visit` with the squared filtered value of every frame of `samples` followed by
    /// `tail` frames of silence, the filter starting at rest.
    fn squared(&self, samples: &[f32], tail: usize, mut visit: impl FnMut(f64)) {
        let [_, a1, a2, a3, a4] = self.a;
        let [b0, b1, b2, b3, b4] = self.b;
        // The state in locals, which stay in registers.
        let (mut s1, mut s2, mut s3, mut s4) = (0f64, 0f64, 0f64, 0f64);
        let mut step = |input: f64| {
            // The newest state last: the feedback loop waits on one product and one
            // subtraction per frame instead of four.
            let s0 = ((input - a4 * s4) - a3 * s3 - a2 * s2) - a1 * s1;
            let output = b0 * s0 + b1 * s1 + b2 * s2 + b3 * s3 + b4 * s4;
            (s4, s3, s2, s1) = (s3, s2, s1, s0);
            output * output
        };
        for &sample in samples {
            visit(step(f64::from(sample)));
        }
        for _ in 0..tail {
            visit(step(0.0));
        }
    }
}

/// The K-weighted energy of a mono segment placed at frame `start` of a narration (its
/// ringing in the silence after it included), summed in bins of `bin` frames of the
/// narration: the index of the first bin it touches, and the sums from there on.
///
/// With `bin` the 100 ms step ([`hop_frames`]) these are what [`loudness_of_segments`]
/// takes. A segment's bins at `start` 0 can be kept and moved with [`rebin`] to any start
/// that is a multiple of `bin`, if `bin` divides the step.
pub fn energy_bins(samples: &[f32], rate: u32, start: usize, bin: usize) -> (usize, Vec<f64>) {
    let bin = bin.max(1);
    let tail = (RINGING_SECONDS * f64::from(rate)) as usize;
    let first = start / bin;
    let mut bins = Vec::with_capacity((start + samples.len() + tail).div_ceil(bin) - first);
    // Counting frames into each bin, not dividing for each frame: a division costs more
    // than the filter.
    let (mut sum, mut filled) = (0f64, start - first * bin);
    KWeighting::new(rate).squared(samples, tail, |energy| {
        sum += energy;
        filled += 1;
        if filled == bin {
            bins.push(kept(sum));
            (sum, filled) = (0.0, 0);
        }
    });
    if filled > 0 {
        bins.push(kept(sum));
    }
    (first, bins)
}

/// A bin's energy at the precision profiles keep it in (32-bit floats: half the bytes to
/// read back, and a loudness within 1e-6 LU of the exact one), so that a narration measured
/// from fresh samples and one measured from kept profiles come out the same to the bit.
fn kept(energy: f64) -> f64 {
    f64::from(energy as f32)
}

/// Bins of `bin` frames made at start 0 by [`energy_bins`], summed into the bins of `into`
/// frames of a narration in which the segment starts at `start`.
pub fn rebin<E: Copy + Into<f64>>(bins: &[E], bin: usize, start: usize, into: usize) -> (usize, Vec<f64>) {
    debug_assert!(into.is_multiple_of(bin) && start.is_multiple_of(bin));
    let per = (into / bin).max(1);
    let first = start / into;
    // The segment starts inside its first bin of the narration.
    let lead = per - (start - first * into) / bin;
    let (head, rest) = bins.split_at(lead.min(bins.len()));
    let sum = |energies: &[E]| energies.iter().map(|&energy| energy.into()).sum();
    let sums = std::iter::once(sum(head)).chain(rest.chunks(per).map(sum)).collect();
    (first, sums)
}

/// Integrated loudness (LUFS, BS.1770 gating as `ebur128` does it) of a mono narration of
/// `frames` frames, from the energies its segments contribute to each 100 ms step (see
/// [`energy_bins`]); silence contributes nothing. `-inf` when nothing is above the gate.
pub fn loudness_of_segments(parts: &[(usize, Vec<f64>)], frames: usize, rate: u32) -> f64 {
    let hop = hop_frames(rate);
    let mut steps = vec![0f64; frames / hop + 1];
    for (first, energies) in parts {
        for (step, energy) in steps.iter_mut().skip(*first).zip(energies) {
            *step += energy;
        }
    }
    // Blocks of four steps, each ending inside the narration; `ebur128` drops blocks under
    // the absolute gate (-70 LUFS) as it meets them.
    let absolute_gate = 10f64.powf((-70.0 + 0.691) / 10.0);
    let blocks: Vec<f64> = (0..(frames / hop).saturating_sub(3))
        .map(|block| steps[block..block + 4].iter().sum::<f64>() / (4 * hop) as f64)
        .filter(|&energy| energy >= absolute_gate)
        .collect();
    if blocks.is_empty() {
        return f64::NEG_INFINITY;
    }
    let relative_gate = blocks.iter().sum::<f64>() / blocks.len() as f64 * 10f64.powf(-10.0 / 10.0);
    let (count, sum) = blocks.iter().filter(|&&energy| energy >= relative_gate).fold((0usize, 0f64), |(count, sum), energy| (count + 1, sum + energy));
    if count == 0 {
        return f64::NEG_INFINITY;
    }
    10.0 * (sum / count as f64).log10() - 0.691
}

/// The step the loudness gain moves in. An edit that moves the gain to another step changes
/// every sample, so every cached piece of the episode is made again: with 0.1 dB steps, 22
/// of 28 one-sentence edits of the batch benchmark's article did so (a phrase of about a
/// second moves the loudness by a few hundredths of a decibel), with 0.5 dB steps none did.
/// Half a decibel keeps narrations within 0.25 LU of the target; podcast norms allow 1 LU.
pub const GAIN_STEP_DB: f64 = 0.5;

/// The gain, in steps of [`GAIN_STEP_DB`], that brings a narration measured at `measured`
/// LUFS (mono) to `target_lufs` as heard on `channels` speakers. In steps: editing one
/// sentence rarely moves it, so the unchanged parts of a narration stay sample-identical and
/// their encoded audio can be reused.
pub fn gain_db(measured: f64, channels: u16, target_lufs: f64) -> f64 {
    if !measured.is_finite() {
        return 0.0;
    }
    // The same signal on two channels measures 3 dB louder than on one.
    let measured = if channels >= 2 { measured + 10.0 * f64::from(channels).log10() } else { measured };
    ((target_lufs - measured) / GAIN_STEP_DB).round() * GAIN_STEP_DB
}

/// Applies `gain_db` to a mono segment that starts and ends in silence, then limits its peaks
/// so that its true peak stays at or under `ceiling_dbtp`. Limiting acts within about 50 ms
/// of a peak, so segments apart by longer pauses are limited independently, and a segment
/// finishes the same wherever it is placed.
pub fn finish_segment(samples: &mut [f32], rate: u32, gain_db: f64, ceiling_dbtp: f64) -> Result<()> {
    let gain = 10f64.powf(gain_db / 20.0) as f32;
    samples.iter_mut().for_each(|s| *s *= gain);
    let ceiling = 10f64.powf(ceiling_dbtp / 20.0);
    if true_peak_over(samples, rate, ceiling)?.is_none() {
        return Ok(());
    }
    // Sample peaks are limited a little under the ceiling, since true (inter-sample) peaks
    // run higher; a final trim catches what the margin missed.
    limit(samples, rate, 10f32.powf((ceiling_dbtp as f32 - 0.5) / 20.0));
    if let Some(peak) = true_peak_over(samples, rate, ceiling)? {
        let trim = 10f32.powf((ceiling_dbtp - 20.0 * peak.log10() - 0.05) as f32 / 20.0);
        samples.iter_mut().for_each(|s| *s *= trim);
    }
    Ok(())
}

/// The true peak (linear) of a segment followed by silence if it is over `ceiling`.
/// Interpolated values are weighted sums of neighbours with weights whose absolute sum is
/// under 2, so a segment whose samples stay under half the ceiling needs no oversampling.
fn true_peak_over(samples: &[f32], rate: u32, ceiling: f64) -> Result<Option<f64>> {
    const INTERPOLATION_TAIL: usize = 64;
    if 2.0 * f64::from(peak_of(samples)) <= ceiling {
        return Ok(None);
    }
    // The interpolator reaches past the last sample: it sees the silence that follows.
    let mut padded = Vec::with_capacity(samples.len() + INTERPOLATION_TAIL);
    padded.extend_from_slice(samples);
    padded.resize(samples.len() + INTERPOLATION_TAIL, 0.0);
    Ok(Some(true_peak(&padded, rate)?).filter(|&peak| peak > ceiling))
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
    fn loudness_summed_from_segments_equals_one_meter() {
        // Segments of tones at different levels, faded at their edges, apart by pauses of
        // 0.12 s and more, some starting off the 100 ms grid.
        let rate = 22_050;
        let mut narration = Vec::new();
        let mut parts = Vec::new();
        let mut kept = Vec::new();
        for (index, level) in [0.3f32, 0.05, 0.6, 0.2, 0.001, 0.4].iter().enumerate() {
            let mut segment: Vec<f32> = (0..rate as usize / 3 + index * 1017).map(|i| level * (i as f32 * (0.03 + index as f32 * 0.01)).sin()).collect();
            crate::assemble::fade_edges(&mut segment, 176);
            let start = (narration.len() + 2646 + index * 333).div_ceil(9) * 9;
            narration.resize(start, 0.0);
            narration.extend_from_slice(&segment);
            parts.push(energy_bins(&segment, rate, start, hop_frames(rate)));
            kept.push((start, energy_bins(&segment, rate, 0, 9).1));
        }
        narration.resize(narration.len() + 6615, 0.0);
        let whole = meter(&narration, rate, 1, Mode::I).unwrap().loudness_global().unwrap();
        let summed = loudness_of_segments(&parts, narration.len(), rate);
        assert!((whole - summed).abs() < 1e-6, "{whole} against {summed}");
        let moved: Vec<(usize, Vec<f64>)> = kept.iter().map(|(start, bins)| rebin(bins, 9, *start, hop_frames(rate))).collect();
        let from_kept = loudness_of_segments(&moved, narration.len(), rate);
        assert!((whole - from_kept).abs() < 1e-6, "{whole} against {from_kept}");
        assert_eq!(loudness_of_segments(&[], 100_000, rate), f64::NEG_INFINITY);
    }

    #[test]
    fn finished_segments_reach_the_gain_and_respect_the_ceiling() {
        let rate = 22_050;
        // Speech-like: a tone with loud bursts.
        let mut samples: Vec<f32> = (0..rate as usize * 3)
            .map(|i| {
                let burst = if (i / 2000) % 7 == 0 { 0.9 } else { 0.1 };
                burst * (i as f32 * 300.0 * std::f32::consts::TAU / rate as f32).sin()
            })
            .collect();
        let measured = integrated_loudness(&samples, rate, 1).unwrap();
        let gain = gain_db(measured, 1, -19.0);
        assert!((gain - (-19.0 - measured)).abs() <= GAIN_STEP_DB / 2.0 + 1e-9, "{gain} for {measured}");
        assert_eq!((gain / GAIN_STEP_DB).round() * GAIN_STEP_DB, gain);
        finish_segment(&mut samples, rate, gain, -1.0).unwrap();
        let loudness = integrated_loudness(&samples, rate, 1).unwrap();
        assert!((loudness + 19.0).abs() < 1.0, "{loudness}");
        assert!(true_peak_dbtp(&samples, rate, 1).unwrap() <= -1.0 + 1e-6);
        // Quiet audio is only scaled.
        let mut quiet = vec![0.01f32, -0.02, 0.0];
        finish_segment(&mut quiet, rate, 6.0, -1.0).unwrap();
        assert!((quiet[1] + 0.02 * 10f32.powf(0.3)).abs() < 1e-6);
        assert_eq!(gain_db(f64::NEG_INFINITY, 1, -19.0), 0.0);
        assert_eq!(gain_db(-20.0, 2, -16.0), 1.0);
        assert_eq!(gain_db(-20.3, 1, -19.0), 1.5);
    }

    #[test]
    fn silence_stays_silent() {
        let mut samples = vec![0.0; 10_000];
        finish_segment(&mut samples, 22_050, 12.0, -1.0).unwrap();
        assert!(samples.iter().all(|s| *s == 0.0));
    }
}
