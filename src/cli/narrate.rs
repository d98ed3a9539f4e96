//! `readcast narrate`: one article to a WAV or MP3 file, with optional captions and timings.

use std::borrow::Cow;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use readcast::assemble::{captions, mp3, wav, AssembleSettings};
use readcast::error::{Result, EXIT_OK};
use readcast::pipeline::{self, DisclosurePosition, ScriptOptions, DEFAULT_DISCLOSURE};
use readcast::voice::{best_voice, find_voice, Voice};

use super::text::read_article;
use super::VoiceArgs;

#[derive(Debug, Args)]
pub struct NarrateArgs {
    /// The article: a file, an http(s) URL, or - for standard input.
    input: String,
    /// The audio file to write: WAV or MP3, by its extension (.wav, .mp3).
    #[arg(short, long)]
    output: PathBuf,
    /// MP3 bitrate in kbps (32 to 192; default 64), for .mp3 output.
    #[arg(long)]
    bitrate: Option<u32>,
    #[command(flatten)]
    voice: VoiceArgs,
    /// Force the input format instead of detecting it.
    #[arg(long, value_parser = ["text", "html", "markdown"])]
    format: Option<String>,
    /// Synthesis threads, 1 to 256 (default: all cores).
    #[arg(short, long, value_parser = super::parse_jobs)]
    jobs: Option<usize>,
    /// Output sample rate in Hz (default: the voice's, 22050 for the espeak voices).
    #[arg(long)]
    sample_rate: Option<u32>,
    /// Output channels: 1 (mono, -19 LUFS) or 2 (stereo, -16 LUFS).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=2))]
    channels: u16,
    /// Integrated loudness target in LUFS, -70 to 0 (default: -19 mono, -16 stereo).
    #[arg(long, allow_hyphen_values = true, value_parser = super::parse_loudness)]
    loudness: Option<f64>,
    /// Pause after a sentence, in seconds (0 to 10).
    #[arg(long, default_value_t = 0.35, allow_hyphen_values = true, value_parser = super::parse_pause)]
    pause_sentence: f32,
    /// Pause after a paragraph, in seconds (0 to 10).
    #[arg(long, default_value_t = 0.7, allow_hyphen_values = true, value_parser = super::parse_pause)]
    pause_paragraph: f32,
    /// Pause before a section heading and after the header, in seconds (0 to 10).
    #[arg(long, default_value_t = 1.0, allow_hyphen_values = true, value_parser = super::parse_pause)]
    pause_section: f32,
    /// Write WebVTT captions (one cue per sentence) to this file.
    #[arg(long, value_name = "FILE.vtt")]
    captions: Option<PathBuf>,
    /// Write per-segment timings (text, start, end) as JSON to this file.
    #[arg(long, value_name = "FILE.json")]
    timings: Option<PathBuf>,
    /// Do not read the title, byline and date first.
    #[arg(long)]
    no_header: bool,
    /// The AI disclosure line to read.
    #[arg(long, default_value = DEFAULT_DISCLOSURE)]
    disclosure: String,
    /// Read no disclosure line.
    #[arg(long)]
    no_disclosure: bool,
    /// Read the disclosure line at the end instead of the start.
    #[arg(long)]
    disclosure_at_end: bool,
    /// Piper voices: speaking pace, larger is slower (the voice's length_scale, 0.1 to 10).
    #[arg(long, value_parser = super::parse_length_scale)]
    length_scale: Option<f32>,
    /// Piper voices: voice variation (0 to 2); 0 with --noise-w 0 gives the same audio every run.
    #[arg(long, value_parser = super::parse_noise)]
    noise_scale: Option<f32>,
    /// Piper voices: duration variation (0 to 2).
    #[arg(long, value_parser = super::parse_noise)]
    noise_w: Option<f32>,
    /// Piper voices: speaker name or id of a multi-speaker voice.
    #[arg(long)]
    speaker: Option<String>,
    /// No progress bar and no messages.
    #[arg(short, long)]
    quiet: bool,
    /// Print what is being done.
    #[arg(short, long)]
    verbose: bool,
}

/// Picks the voice the user named, or the best one available, saying which.
pub fn choose_voice(name: Option<&str>, quiet: bool) -> Result<Voice> {
    match name {
        Some(name) => {
            let voice = find_voice(name)?;
            if let Err(why) = voice.availability() {
                return Err(readcast::Error::engine(format!("voice '{}' cannot run here: {why}", voice.name)));
            }
            Ok(voice)
        }
        None => {
            let voice = best_voice()?;
            if !quiet {
                eprintln!("readcast: using voice '{}' ({})", voice.name, voice.description);
            }
            Ok(voice)
        }
    }
}

/// `readcast narrate`.
pub fn narrate(args: &NarrateArgs) -> Result<i32> {
    let started = std::time::Instant::now();
    let format = OutputFormat::of(&args.output)?;
    let outputs: Vec<&std::path::Path> = std::iter::once(&args.output).chain(&args.captions).chain(&args.timings).map(|path| path.as_path()).collect();
    readcast::output::check_distinct(&outputs)?;
    let article = read_article(&args.input, args.format.as_deref(), args.quiet)?;
    let mut voice = choose_voice(args.voice.voice.as_deref(), args.quiet)?;
    let piper_options = args.length_scale.is_some() || args.noise_scale.is_some() || args.noise_w.is_some() || args.speaker.is_some();
    if piper_options && voice.engine != readcast::voice::EngineKind::Piper {
        return Err(readcast::Error::input(format!("--length-scale, --noise-scale, --noise-w and --speaker apply to Piper voices, not '{}'", voice.name)));
    }
    voice.length_scale = args.length_scale.or(voice.length_scale);
    voice.noise_scale = args.noise_scale.or(voice.noise_scale);
    voice.noise_w = args.noise_w.or(voice.noise_w);
    voice.speaker = args.speaker.clone().or(voice.speaker.take());
    let normalizer = pipeline::normalizer_for(&voice, &args.voice.lexicons)?;
    let options = ScriptOptions {
        header: !args.no_header,
        disclosure: (!args.no_disclosure).then(|| args.disclosure.clone()),
        disclosure_position: if args.disclosure_at_end { DisclosurePosition::End } else { DisclosurePosition::Start },
    };
    let script = pipeline::prepare(&article, &voice, &normalizer, &options)?;
    let sample_rate = args.sample_rate.unwrap_or(voice.sample_rate);
    let settings = AssembleSettings {
        sample_rate,
        // Segments start on the grid a WAV batch puts them on, at most 20 ms, dividing the
        // loudness step: each segment's loudness is measured once, as it is made, and WAV and
        // MP3 hold the same narration. (MP3 pieces are cut inside pauses.)
        frame_grid: readcast::assemble::loudness_grid(sample_rate),
        channels: args.channels,
        pause_sentence: args.pause_sentence,
        pause_paragraph: args.pause_paragraph,
        pause_section: args.pause_section,
        target_lufs: args.loudness,
        ..AssembleSettings::default()
    };
    super::check_sample_rate(settings.sample_rate)?;
    let kbps = args.bitrate.unwrap_or(64);
    match format {
        OutputFormat::Mp3 => mp3::check_settings(settings.sample_rate, kbps)?,
        OutputFormat::Wav if args.bitrate.is_some() => return Err(readcast::Error::input("--bitrate applies to MP3 output (name the file .mp3)")),
        OutputFormat::Wav => {}
    }
    let jobs = args.jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if args.verbose {
        eprintln!("readcast: {} sentences in {} segments, {} threads", script.utterances.len(), script.chunks.len(), jobs);
    }
    let progress = progress_bar(script.chunks.len() as u64, args.quiet);
    let prepared = started.elapsed();
    // Each segment goes to a temporary file as it is made; the writers read it back when
    // they reach it: memory holds a few segments, however long the article.
    let (plan, spill) = pipeline::render_spilled(&script, &voice, &settings, jobs, &|| progress.inc(1))?;
    progress.finish_and_clear();
    let synthesized = started.elapsed();
    let finished = |index: usize| spill.finished(&plan, index).map(Cow::Owned);
    // Sidecars follow the audio as played: an MP3 starts with the encoder's lead-in.
    let (sentences, timings) = match format {
        OutputFormat::Mp3 => (mp3::as_played(&plan.sentences, plan.sample_rate), mp3::as_played(&plan.segments, plan.sample_rate)),
        OutputFormat::Wav => (plan.sentences.clone(), plan.segments.clone()),
    };
    match format {
        OutputFormat::Wav => wav::write_planned_wav(&plan, &args.output, None, &finished)?,
        OutputFormat::Mp3 => {
            let tags = mp3::Mp3Tags {
                title: article.title.clone(),
                artist: article.byline.clone(),
                date: article.date.as_deref().and_then(readcast::podcast::iso_date),
                album: None,
                chapters: script.chapters_in(&sentences),
            };
            mp3::write_finished_mp3_with(&plan, &finished, &args.output, kbps, &tags)?;
        }
    }
    if let Some(path) = &args.captions {
        captions::write_vtt(&sentences, path)?;
    }
    if let Some(path) = &args.timings {
        captions::write_timings(&timings, path)?;
    }
    if args.verbose {
        let elapsed = started.elapsed().as_secs_f64();
        eprintln!(
            "readcast: wrote {} ({:.1} s of audio in {:.2} s, {:.0}x realtime; read and prepared {:.3} s, synthesized and measured {:.3} s, finished and wrote {:.3} s)",
            args.output.display(),
            plan.duration_seconds(),
            elapsed,
            plan.duration_seconds() / elapsed.max(1e-9),
            prepared.as_secs_f64(),
            (synthesized - prepared).as_secs_f64(),
            elapsed - synthesized.as_secs_f64(),
        );
    }
    Ok(EXIT_OK)
}

/// The kinds of audio file `narrate` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OutputFormat {
    Wav,
    Mp3,
}

impl OutputFormat {
    /// The format a file's name asks for.
    fn of(path: &Path) -> Result<OutputFormat> {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("wav") => Ok(OutputFormat::Wav),
            Some("mp3") => Ok(OutputFormat::Mp3),
            _ => Err(readcast::Error::input(format!("{}: name the output .wav or .mp3 (the file's extension picks its format)", path.display()))),
        }
    }
}

/// A progress bar on a terminal; hidden when stderr is piped or with --quiet.
pub fn progress_bar(length: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(length), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(length);
    bar.set_style(
        ProgressStyle::with_template("{spinner} synthesizing [{bar:30}] {pos}/{len} segments, {eta} left")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar
}
