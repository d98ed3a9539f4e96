//! A narration planned without holding its audio: each placed segment goes to an anonymous
//! temporary file as soon as it is synthesized and measured, the plan (layout and loudness)
//! is made from the segments' shapes and energies, and the writers read each segment back
//! when they reach it. Memory holds the segments in flight, not the narration: a 100,000-word
//! article is about ten hours of audio, 3 GB as 32-bit samples.

use std::fs::File;
use std::sync::Mutex;

use super::{loudness, place, AssembleSettings, Plan, Profile, Shape};
use crate::chunk::{Chunk, Utterance};
use crate::error::{Error, Result};
use crate::synth::Segment;

/// Placed segments in a temporary file (removed by the system when it is closed), with their
/// profiles.
pub struct Spill {
    file: File,
    /// Where the next segment goes.
    end: Mutex<u64>,
    /// Per segment, once it is there: its offset in the file (`None` for a segment kept
    /// elsewhere, [`Spill::adopt`]) and its profile.
    placed: Mutex<Vec<Option<Slot>>>,
    settings: AssembleSettings,
}

/// Where a segment's samples are (an offset in the file, or `None`: elsewhere) and its profile.
type Slot = (Option<u64>, Profile);

impl Spill {
    /// Room for the `count` segments of a narration assembled with `settings`.
    pub fn new(count: usize, settings: &AssembleSettings) -> Result<Self> {
        settings.check()?;
        let file = tempfile::tempfile().map_err(|e| Error::io(std::env::temp_dir(), e))?;
        Ok(Spill { file, end: Mutex::new(0), placed: Mutex::new(vec![None; count]), settings: settings.clone() })
    }

    /// Places segment `index` ([`place`]), measures it and writes it out; returns its profile.
    pub fn put(&self, index: usize, segment: &Segment) -> Result<Profile> {
        let placed = place(segment, &self.settings)?;
        // Without a frame grid a profile's bins are single frames, as large as the samples:
        // the plan measures those segments from the samples read back instead.
        let profile = match Profile::bin(&self.settings) {
            1 => Profile { shape: Shape::of(&placed, &self.settings), energy: Vec::new() },
            _ => Profile::of(&placed, &self.settings),
        };
        // In the machine's own byte order: the file is read back by this process only.
        let bytes: &[u8] = bytemuck::cast_slice(&placed);
        let offset = {
            let mut end = self.end.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let offset = *end;
            *end += bytes.len() as u64;
            offset
        };
        write_at(&self.file, bytes, offset).map_err(|e| Error::io(std::env::temp_dir(), e))?;
        let mut slots = self.placed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = slots.len();
        let slot = slots.get_mut(index).ok_or_else(|| Error::engine(format!("segment {} of {count}", index + 1)))?;
        *slot = Some((Some(offset), profile.clone()));
        Ok(profile)
    }

    /// Takes the profile of segment `index`, whose samples are kept elsewhere (a cache): the
    /// plan counts it, and [`Spill::holds`] says the samples are not here.
    pub fn adopt(&self, index: usize, profile: Profile) -> Result<()> {
        let mut slots = self.placed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let count = slots.len();
        let slot = slots.get_mut(index).ok_or_else(|| Error::engine(format!("segment {} of {count}", index + 1)))?;
        *slot = Some((None, profile));
        Ok(())
    }

    /// How its segments are placed.
    pub fn settings(&self) -> &AssembleSettings {
        &self.settings
    }

    /// Whether the samples of segment `index` are in the file.
    pub fn holds(&self, index: usize) -> bool {
        matches!(self.placed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get(index), Some(Some((Some(_), _))))
    }

    /// The placed samples of segment `index`.
    pub fn placed(&self, index: usize) -> Result<Vec<f32>> {
        let (offset, frames) = {
            let slots = self.placed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match slots.get(index) {
                Some(Some((Some(offset), profile))) => (*offset, profile.shape.frames),
                Some(Some((None, _))) => return Err(Error::engine(format!("segment {} is not in the narration's temporary file", index + 1))),
                _ => return Err(Error::engine(format!("segment {} was never made", index + 1))),
            }
        };
        let mut samples = vec![0f32; frames];
        read_at(&self.file, bytemuck::cast_slice_mut(&mut samples), offset).map_err(|e| Error::io(std::env::temp_dir(), e))?;
        Ok(samples)
    }

    /// Lays the segments out and measures the narration, as [`super::assemble_parts`] does
    /// with the samples in memory: the same plan to the bit.
    pub fn plan(&self, chunks: &[Chunk], utterances: &[Utterance]) -> Result<Plan> {
        let profiles: Vec<Profile> = {
            let slots = self.placed.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            slots
                .iter()
                .enumerate()
                .map(|(index, slot)| slot.as_ref().map(|(_, profile)| profile.clone()).ok_or_else(|| Error::engine(format!("segment {} was never made", index + 1))))
                .collect::<Result<_>>()?
        };
        let shapes: Vec<Shape> = profiles.iter().map(|profile| profile.shape.clone()).collect();
        let settings = &self.settings;
        let rate = settings.sample_rate;
        // Energies in profile bins where segments start on a grid; otherwise straight from
        // the samples, read back, in 100 ms steps from where each starts.
        let failed: Mutex<Option<Error>> = Mutex::new(None);
        let plan = Plan::new(&shapes, chunks, utterances, settings, &|index, start| match Profile::bin(settings) {
            1 => match self.placed(index) {
                Ok(placed) => loudness::energy_bins(&placed, rate, start, loudness::hop_frames(rate)),
                Err(error) => {
                    failed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).get_or_insert(error);
                    (0, Vec::new())
                }
            },
            _ => profiles[index].energy_at(start, settings),
        })?;
        match failed.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner()) {
            Some(error) => Err(error),
            None => Ok(plan),
        }
    }

    /// Segment `index` placed and finished by `plan` ([`Plan::finish`]).
    pub fn finished(&self, plan: &Plan, index: usize) -> Result<Vec<f32>> {
        let mut samples = self.placed(index)?;
        plan.finish(&mut samples)?;
        Ok(samples)
    }
}

#[cfg(unix)]
fn write_at(file: &File, bytes: &[u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::write_all_at(file, bytes, offset)
}

#[cfg(unix)]
fn read_at(file: &File, bytes: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, bytes, offset)
}

#[cfg(windows)]
fn write_at(file: &File, mut bytes: &[u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let written = std::os::windows::fs::FileExt::seek_write(file, bytes, offset)?;
        bytes = &bytes[written..];
        offset += written as u64;
    }
    Ok(())
}

#[cfg(windows)]
fn read_at(file: &File, mut bytes: &mut [u8], mut offset: u64) -> std::io::Result<()> {
    while !bytes.is_empty() {
        let read = std::os::windows::fs::FileExt::seek_read(file, bytes, offset)?;
        if read == 0 {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        bytes = &mut bytes[read..];
        offset += read as u64;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chunk::Pause;

    /// The same plan and finished samples as the narration assembled in memory, on a frame
    /// grid (MP3) and without one (WAV).
    #[test]
    fn a_spilled_narration_is_the_narration_assembled_in_memory() {
        let rate = 22_050;
        let tone = |seconds: f32, pitch: f32| -> Segment {
            let mut samples = vec![0.0; 2000];
            samples.extend((0..(seconds * rate as f32) as usize).map(|i| 0.3 * (i as f32 * pitch).sin()));
            samples.extend(vec![0.0; 2000]);
            Segment { samples, sample_rate: rate }
        };
        let segments = vec![tone(0.8, 0.05), tone(1.3, 0.08), tone(0.5, 0.11)];
        let utterances: Vec<Utterance> = (0..3).map(|i| Utterance { written: format!("S{i}."), spoken: format!("S{i}."), pause_after: if i == 0 { Pause::Paragraph } else { Pause::Sentence } }).collect();
        let chunks = crate::chunk::chunks(&utterances, 400);
        for grid in [1, 1152] {
            let settings = AssembleSettings { frame_grid: grid, ..AssembleSettings::default() };
            let (plan, finished) = super::super::assemble_parts(&segments, &chunks, &utterances, &settings).unwrap();
            let spill = Spill::new(segments.len(), &settings).unwrap();
            for index in [2, 0, 1] {
                spill.put(index, &segments[index]).unwrap();
            }
            let spilled = spill.plan(&chunks, &utterances).unwrap();
            assert_eq!((spilled.starts.clone(), spilled.frames, spilled.gain_db.to_bits()), (plan.starts.clone(), plan.frames, plan.gain_db.to_bits()), "grid {grid}");
            for (index, samples) in finished.iter().enumerate() {
                assert_eq!(&spill.finished(&spilled, index).unwrap(), samples, "grid {grid}, segment {index}");
            }
        }
    }
}
