//! `readcast narrate`: one article to a WAV or MP3 file, with optional captions and timings.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use readcast::error::{Result, EXIT_OK};
use readcast::narrator::{AudioFormat, CaptionFormat, Preferences, SegmentCache};
use readcast::output::Sink;
use readcast::voice::{best_voice_explained, find_voice, Voice};

use super::text::read_article;
use super::{NarrationArgs, VoiceArgs};

#[derive(Debug, Args)]
pub struct NarrateArgs {
    /// The article: a file, an http(s) URL, or - for standard input.
    input: String,
    /// The audio file to write: WAV or MP3, by its extension (.wav, .mp3); - for standard
    /// output (with --format).
    #[arg(short, long)]
    output: PathBuf,
    /// The audio format: wav or mp3 (default: the output's extension).
    #[arg(long, value_parser = ["wav", "mp3", "text", "html", "markdown"], hide_possible_values = true)]
    format: Option<String>,
    /// MP3 bitrate in kbps (32 to 192; default 64), for MP3 output.
    #[arg(long)]
    bitrate: Option<u32>,
    #[command(flatten)]
    voice: VoiceArgs,
    /// Force the input format instead of detecting it.
    #[arg(long, value_parser = ["text", "html", "markdown"])]
    input_format: Option<String>,
    /// Synthesis threads, 1 to 256 (default: all cores).
    #[arg(short, long, value_parser = super::parse_jobs)]
    jobs: Option<usize>,
    #[command(flatten)]
    narration: NarrationArgs,
    /// Write captions to this file: WebVTT (.vtt) or SubRip (.srt), cues of at most two lines
    /// of 42 characters and 7 seconds.
    #[arg(long, value_name = "FILE.vtt|FILE.srt")]
    captions: Option<PathBuf>,
    /// Write a read-along page next to the audio: the article as written, a player, the
    /// sentence being read highlighted, chapters; self-contained (nothing fetched but the audio).
    #[arg(long, value_name = "FILE.html")]
    page: Option<PathBuf>,
    /// Write a player for a publisher's own page: a <div> and one script that reads the
    /// timings JSON written next to the audio (AUDIO.readalong.json).
    #[arg(long, value_name = "FILE.html")]
    embed: Option<PathBuf>,
    /// Write per-segment timings (text, start, end) as JSON to this file.
    #[arg(long, value_name = "FILE.json")]
    timings: Option<PathBuf>,
    /// No progress bar and no messages.
    #[arg(short, long)]
    quiet: bool,
    /// Print what is being done.
    #[arg(short, long)]
    verbose: bool,
    /// Keep synthesized sentences in the segment cache (the one batch uses) and take those
    /// it holds from it: narrating an edited article again synthesizes only what changed.
    #[arg(long)]
    cache: bool,
    /// Print a one-line JSON summary: file, format, duration, voice, sentences, seconds taken.
    #[arg(long)]
    json: bool,
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
            let (voice, skipped) = best_voice_explained()?;
            if !quiet {
                for (name, why) in skipped {
                    eprintln!("readcast: voice '{name}' is installed but skipped: {why}");
                }
                eprintln!("readcast: using voice '{}' ({})", voice.name, voice.description);
            }
            Ok(voice)
        }
    }
}

/// `readcast narrate`.
pub fn narrate(args: &NarrateArgs) -> Result<i32> {
    let started = std::time::Instant::now();
    let (audio_format, input_format) = formats(args)?;
    let to_stdout = args.output.as_os_str() == "-";
    if to_stdout && args.json {
        return Err(readcast::Error::input("--json prints to standard output, where -o - writes the audio: name an output file"));
    }
    if to_stdout && (args.page.is_some() || args.embed.is_some()) {
        return Err(readcast::Error::input("--page and --embed play the audio from its file: name an output file instead of -o -"));
    }
    let read_along_json = args.embed.as_ref().map(|_| read_along_json_path(&args.output));
    let outputs: Vec<&Path> = std::iter::once(&args.output)
        .filter(|_| !to_stdout)
        .chain(&args.captions)
        .chain(&args.timings)
        .chain(&args.page)
        .chain(&args.embed)
        .chain(&read_along_json)
        .map(|path| path.as_path())
        .collect();
    readcast::output::check_distinct(&outputs)?;
    if let Some(path) = &args.captions {
        CaptionFormat::of(path)?;
    }
    let article = read_article(&args.input, input_format.as_deref(), args.quiet)?;
    let preferences = args.narration.preferences(&args.voice).over(Preferences::user()?);
    let mut narrator = args.narration.narrator(&preferences, args.jobs, audio_format, args.quiet)?;
    if args.cache {
        narrator = narrator.with_cache(SegmentCache::user());
    }
    let voice_name = narrator.voice().name.clone();
    narrator.check_format(audio_format)?;
    let script = narrator.prepare(&article)?;
    if args.verbose {
        let jobs = args.jobs.unwrap_or_else(readcast::narrator::default_jobs);
        eprintln!("readcast: {} sentences in {} segments, {} threads", script.utterances.len(), script.chunks.len(), jobs);
    }
    let progress = progress_bar(script.chunks.len() as u64, args.quiet);
    let prepared = started.elapsed();
    let narrated = narrator.narrate_script(&article, script, &|| progress.inc(1))?;
    progress.finish_and_clear();
    let synthesized = started.elapsed();
    let duration = if to_stdout {
        let mut stdout = std::io::stdout();
        narrated.write_audio_to(audio_format, Sink::Stream(&mut stdout))?
    } else {
        narrated.write_audio(audio_format, &args.output)?
    };
    if let Some(path) = &args.captions {
        narrated.write_captions(audio_format, path)?;
    }
    if let Some(path) = &args.timings {
        narrated.write_timings(audio_format, path)?;
    }
    if let Some(path) = &args.page {
        narrated.write_page(audio_format, &args.output, duration, path)?;
    }
    if let (Some(path), Some(json)) = (&args.embed, &read_along_json) {
        narrated.write_embed(audio_format, &args.output, duration, path, json)?;
    }
    let elapsed = started.elapsed().as_secs_f64();
    if args.verbose {
        eprintln!(
            "readcast: wrote {} ({:.1} s of audio in {:.2} s, {:.0}x realtime; read and prepared {:.3} s, synthesized and measured {:.3} s, finished and wrote {:.3} s)",
            if to_stdout { "standard output".to_string() } else { args.output.display().to_string() },
            duration,
            elapsed,
            duration / elapsed.max(1e-9),
            prepared.as_secs_f64(),
            (synthesized - prepared).as_secs_f64(),
            elapsed - synthesized.as_secs_f64(),
        );
    }
    if let (true, Some(cache)) = (args.verbose, narrator.cache()) {
        eprintln!("readcast: cache {} hits, {} misses", cache.hits(), cache.misses());
    }
    if args.json {
        let summary = serde_json::json!({
            "file": args.output.display().to_string(),
            "format": audio_format.extension(),
            "duration": (duration * 1000.0).round() / 1000.0,
            "voice": voice_name,
            "sentences": narrated.sentence_count(),
            "seconds": (elapsed * 1000.0).round() / 1000.0,
        });
        super::print(&format!("{summary}\n"))?;
    }
    Ok(EXIT_OK)
}

/// Where `--embed` puts the read-along JSON: next to the audio, `story.mp3` ->
/// `story.readalong.json`.
fn read_along_json_path(audio: &Path) -> PathBuf {
    audio.with_extension("readalong.json")
}

/// The audio format (from `--format` or the output's extension) and the input format
/// (`--input-format`, or an input format given to `--format` as before).
fn formats(args: &NarrateArgs) -> Result<(AudioFormat, Option<String>)> {
    let kbps = args.bitrate.unwrap_or(AudioFormat::DEFAULT_KBPS);
    let mut input = args.input_format.clone();
    let mut asked = None;
    if let Some(format) = args.format.as_deref() {
        match format {
            "text" | "html" | "markdown" if input.is_none() => {
                if !args.quiet {
                    eprintln!("readcast: --format {format} names the input format, which is now --input-format {format}; --format names the audio format (wav, mp3)");
                }
                input = Some(format.to_string());
            }
            other => asked = Some(AudioFormat::named(other, kbps)?),
        }
    }
    let format = if args.output.as_os_str() == "-" {
        asked.ok_or_else(|| readcast::Error::input("-o - writes the audio to standard output: say which format with --format wav or --format mp3"))?
    } else {
        let named = AudioFormat::of(&args.output, kbps)?;
        if let Some(asked) = asked.filter(|asked| asked.extension() != named.extension()) {
            return Err(readcast::Error::input(format!("--format {} but the output is named {}: name it .{}", asked.extension(), args.output.display(), asked.extension())));
        }
        named
    };
    if format == AudioFormat::Wav && args.bitrate.is_some() {
        return Err(readcast::Error::input("--bitrate applies to MP3 output (name the file .mp3, or --format mp3)"));
    }
    Ok((format, input))
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
