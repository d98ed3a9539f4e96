//! Golden-duration checks: a TOML manifest lists inputs, voices and expected durations; each
//! is rendered and compared. Users run `readcast check` in their own CI.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// A manifest: `[[case]]` entries.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    #[serde(rename = "case")]
    pub cases: Vec<Case>,
}

/// One expected narration length.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Case {
    /// The article, relative to the manifest's folder.
    pub input: PathBuf,
    pub voice: String,
    /// Expected duration in seconds.
    pub duration: f64,
    /// Allowed difference in seconds.
    #[serde(default)]
    pub tolerance: f64,
    /// Expected exact frame count, for deterministic voices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frames: Option<u64>,
    /// Output sample rate; the voice's default when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample_rate: Option<u32>,
}

/// What one case measured.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub case: Case,
    pub duration: f64,
    pub frames: u64,
    pub passed: bool,
}

impl Outcome {
    /// A line for the report: "ok" or the expected/actual difference.
    pub fn describe(&self) -> String {
        let name = format!("{} ({})", self.case.input.display(), self.case.voice);
        if self.passed {
            return format!("ok    {name}: {:.3} s", self.duration);
        }
        let mut lines = vec![format!("FAIL  {name}")];
        lines.push(format!("  - expected duration: {:.3} s (± {:.3} s)", self.case.duration, self.case.tolerance));
        lines.push(format!("  + actual duration:   {:.3} s ({:+.3} s)", self.duration, self.duration - self.case.duration));
        if let Some(frames) = self.case.frames {
            lines.push(format!("  - expected frames: {frames}"));
            lines.push(format!("  + actual frames:   {} ({:+})", self.frames, self.frames as i64 - frames as i64));
        }
        lines.join("\n")
    }
}

/// Reads a manifest.
pub fn load(path: &Path) -> Result<Manifest> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    toml::from_str(&text).map_err(|e| Error::input(format!("{}: not a valid check manifest: {e}", path.display())))
}

/// Compares a measured narration with a case.
pub fn judge(case: &Case, frames: u64, sample_rate: u32) -> Outcome {
    let duration = frames as f64 / f64::from(sample_rate);
    let duration_ok = (duration - case.duration).abs() <= case.tolerance + 0.0005;
    let frames_ok = case.frames.is_none_or(|expected| expected == frames);
    Outcome { case: case.clone(), duration, frames, passed: duration_ok && frames_ok }
}

/// Writes a manifest with measured values (for `check --update`).
pub fn save(path: &Path, manifest: &Manifest) -> Result<()> {
    let text = toml::to_string_pretty(manifest).map_err(|e| Error::input(format!("cannot write manifest: {e}")))?;
    let header = "# Golden narration lengths, read by `readcast check` and by `cargo test`.\n# Regenerate with `readcast check --update` after an intended change.\n\n";
    crate::output::write_bytes(path, format!("{header}{text}").as_bytes())
}

/// Narrates `input` with the voice named `voice_name` as `readcast narrate` does with default
/// settings; returns its frames and sample rate.
pub fn render_frames(input: &Path, voice_name: &str, sample_rate: Option<u32>, jobs: usize) -> Result<(u64, u32)> {
    let voice = crate::voice::find_voice(voice_name)?;
    voice.availability().map_err(|why| Error::engine(format!("voice '{}' cannot run here: {why}", voice.name)))?;
    let document = crate::extract::read_source(&crate::extract::Source::Path(input.to_path_buf()))?;
    let article = crate::extract::extract(&document, &crate::extract::ExtractOptions::default())?;
    let settings = crate::narrator::Settings { sample_rate, jobs: Some(jobs), ..crate::narrator::Settings::default() };
    let narrator = crate::narrator::Narrator::new(voice, settings)?;
    let narrated = narrator.narrate(&article)?;
    Ok((narrated.frames() as u64, narrator.sample_rate()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn judge_reports_differences() {
        let case = Case { input: "a.txt".into(), voice: "espeak".into(), duration: 2.0, tolerance: 0.1, frames: Some(44_100), sample_rate: None };
        assert!(judge(&case, 44_100, 22_050).passed);
        let outcome = judge(&case, 44_200, 22_050);
        assert!(!outcome.passed);
        assert!(outcome.describe().contains("+100"), "{}", outcome.describe());
    }
}

