//! Command-line interface: argument structs filled by clap, one function per subcommand. The
//! library does the work; this layer reads files, prints, and shows progress.

mod audio;
mod narrate;
mod podcast;
#[cfg(feature = "speak")]
mod speak;
mod text;

use std::io::Write;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use readcast::error::{Error, EXIT_INPUT, EXIT_INTERRUPTED, EXIT_OK};
use readcast::narrator::{mp3_sample_rate_near, AudioFormat, Narrator, Preferences};
use readcast::voice::EngineKind;

const EXIT_CODES: &str = "Exit codes:
  0  success
  1  a check failed (readcast check), or an article of a batch failed
  2  usage or input error (missing file, empty article, invalid UTF-8, bad manifest)
  3  synthesis or engine error (engine missing, engine failed on a segment)
  130  interrupted (Ctrl-C, SIGTERM): no unfinished file is left; a batch keeps finished episodes";

/// Turns news articles into narrated audio.
#[derive(Debug, Parser)]
#[command(name = "readcast", version, about, after_help = EXIT_CODES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Narrate an article (file, URL, or - for stdin) into a WAV or MP3 file.
    Narrate(narrate::NarrateArgs),
    /// Render many articles into podcast episodes (audio, captions, chapters) and a feed.
    Batch(podcast::BatchArgs),
    /// Build feed.xml from the episodes rendered in a folder (for example by several shards).
    Feed(podcast::FeedArgs),
    /// Show or clear the segment cache.
    Cache(podcast::CacheArgs),
    /// Print the cleaned article that would be read aloud.
    Extract(text::ExtractArgs),
    /// Print the spoken form of what an article's narration says (--raw: of a plain text).
    Normalize(text::NormalizeArgs),
    /// Print one sentence per line, as the narration splits them (--raw: of a plain text).
    Sentences(text::SentencesArgs),
    /// List words the engine will have to guess (not in its dictionary or the lexicon).
    Lint(text::LintArgs),
    /// List voices and whether their engines are available, or install a Piper voice.
    Voices(audio::VoicesArgs),
    /// Say which engines work here, and why the others do not.
    Doctor(audio::DoctorArgs),
    /// Read an article aloud through the platform's speech service (feature `speak`).
    #[cfg(feature = "speak")]
    Speak(speak::SpeakArgs),
    /// Print format, sample rate, channels and duration of audio files.
    Inspect(audio::InspectArgs),
    /// Render the cases of a golden-duration manifest and compare their lengths.
    Check(audio::CheckArgs),
}

/// Options shared by commands that synthesize speech.
#[derive(Debug, Args, Clone)]
struct VoiceArgs {
    /// Voice name or manifest path (default: the best voice available here).
    #[arg(long)]
    voice: Option<String>,
    /// Extra pronunciation lexicon (TOML); may be repeated.
    #[arg(long = "lexicon", value_name = "FILE")]
    lexicons: Vec<PathBuf>,
}

/// How articles are narrated: flags shared by `narrate` and `batch`. Each one left out comes
/// from podcast.toml (batch), the user's config file, the voice's manifest, or the default.
#[derive(Debug, Args, Clone)]
struct NarrationArgs {
    /// Speaking rate: words per minute (200) or a factor of the voice's pace (1.2x).
    #[arg(long, value_parser = parse_rate)]
    rate: Option<String>,
    /// Pitch, 0 to 99 (50 is the voice's own; espeak voices, and commands with {pitch}).
    #[arg(long, value_parser = clap::value_parser!(u32).range(0..=99))]
    pitch: Option<u32>,
    /// Output sample rate in Hz (default: the voice's, 22050 for the espeak voices).
    #[arg(long, value_parser = clap::value_parser!(u32).range(8000..=192_000))]
    sample_rate: Option<u32>,
    /// Output channels: 1 (mono, -19 LUFS; the default) or 2 (stereo, -16 LUFS).
    #[arg(long, value_parser = clap::value_parser!(u16).range(1..=2))]
    channels: Option<u16>,
    /// Integrated loudness target in LUFS, -70 to 0 (default: -19 mono, -16 stereo).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_loudness)]
    loudness: Option<f64>,
    /// Pause after a sentence, in seconds (0 to 10; default 0.35).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_pause)]
    pause_sentence: Option<f32>,
    /// Pause after a paragraph, in seconds (0 to 10; default 0.7).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_pause)]
    pause_paragraph: Option<f32>,
    /// Pause before a section heading and after the header, in seconds (0 to 10; default 1).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_pause)]
    pause_section: Option<f32>,
    /// Do not read the title, byline and date first.
    #[arg(long)]
    no_header: bool,
    /// The AI disclosure line to read (default: "This audio was created with AI assistance.").
    #[arg(long)]
    disclosure: Option<String>,
    /// Read no disclosure line.
    #[arg(long, conflicts_with = "disclosure")]
    no_disclosure: bool,
    /// Read the disclosure line at the end instead of the start.
    #[arg(long)]
    disclosure_at_end: bool,
    /// Piper voices: speaking pace, larger is slower (the voice's length_scale, 0.1 to 10).
    #[arg(long, value_parser = parse_length_scale, conflicts_with = "rate")]
    length_scale: Option<f32>,
    /// Piper voices: voice variation (0 to 2); 0 with --noise-w 0 gives the same audio every run.
    #[arg(long, value_parser = parse_noise)]
    noise_scale: Option<f32>,
    /// Piper voices: duration variation (0 to 2).
    #[arg(long, value_parser = parse_noise)]
    noise_w: Option<f32>,
    /// Piper voices: speaker name or id of a multi-speaker voice.
    #[arg(long)]
    speaker: Option<String>,
}

impl NarrationArgs {
    /// The flags' layer of preferences.
    fn preferences(&self, voice: &VoiceArgs) -> Preferences {
        Preferences {
            voice: voice.voice.clone(),
            rate: self.rate.clone(),
            pitch: self.pitch,
            header: self.no_header.then_some(false),
            disclosure: if self.no_disclosure { Some(String::new()) } else { self.disclosure.clone() },
            disclosure_at_end: self.disclosure_at_end.then_some(true),
            sample_rate: self.sample_rate,
            channels: self.channels,
            loudness: self.loudness,
            pause_sentence: self.pause_sentence,
            pause_paragraph: self.pause_paragraph,
            pause_section: self.pause_section,
            lexicons: voice.lexicons.clone(),
            onnxruntime: None,
        }
    }

    /// The narrator `preferences` (all layers) ask for, with these flags' Piper settings, on
    /// `jobs` threads; says which voice it picked, and the better ones it skipped, unless quiet.
    /// For MP3 without a sample rate asked for, a voice at a rate MP3 does not have is
    /// resampled to the nearest one MP3 has, with a note.
    fn narrator(&self, preferences: &Preferences, jobs: Option<usize>, format: AudioFormat, quiet: bool) -> readcast::Result<Narrator> {
        let mut settings = preferences.settings();
        settings.jobs = jobs;
        let mut voice = narrate::choose_voice(preferences.voice.as_deref(), quiet)?;
        if format.is_mp3() && settings.sample_rate.is_none() && mp3_sample_rate_near(voice.sample_rate) != voice.sample_rate {
            let rate = mp3_sample_rate_near(voice.sample_rate);
            if !quiet {
                eprintln!("readcast: voice '{}' speaks at {} Hz, which MP3 does not have: the MP3 is at {rate} Hz (--sample-rate picks another)", voice.name, voice.sample_rate);
            }
            settings.sample_rate = Some(rate);
        }
        let piper_options = self.length_scale.is_some() || self.noise_scale.is_some() || self.noise_w.is_some() || self.speaker.is_some();
        if piper_options && voice.engine != EngineKind::Piper {
            return Err(Error::input(format!("--length-scale, --noise-scale, --noise-w and --speaker apply to Piper voices, not '{}'", voice.name)));
        }
        voice.length_scale = self.length_scale.or(voice.length_scale);
        voice.noise_scale = self.noise_scale.or(voice.noise_scale);
        voice.noise_w = self.noise_w.or(voice.noise_w);
        voice.speaker = self.speaker.clone().or(voice.speaker.take());
        preferences.tune(&mut voice)?;
        Narrator::new(voice, settings)
    }
}

/// `--rate`: words per minute or a factor.
fn parse_rate(text: &str) -> Result<String, String> {
    text.parse::<readcast::voice::Rate>().map(|_| text.to_string())
}

/// Runs the command line and returns the process exit code.
pub fn run() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() { EXIT_INPUT } else { EXIT_OK };
            let _ = error.print();
            return code;
        }
    };
    // A batch stops between articles on its own; everything else stops at once, after
    // removing the temporary file it was writing.
    if !matches!(cli.command, Command::Batch(_)) {
        let _ = ctrlc::set_handler(|| {
            readcast::output::remove_unfinished();
            let _ = writeln!(std::io::stderr(), "readcast: interrupted; no file was written");
            std::process::exit(EXIT_INTERRUPTED);
        });
    }
    let result = match cli.command {
        Command::Narrate(args) => narrate::narrate(&args),
        Command::Batch(args) => podcast::batch(&args),
        Command::Feed(args) => podcast::feed(&args),
        Command::Cache(args) => podcast::cache(&args),
        Command::Extract(args) => text::extract(&args),
        Command::Normalize(args) => text::normalize(&args),
        Command::Sentences(args) => text::sentences(&args),
        Command::Lint(args) => text::lint(&args),
        Command::Voices(args) => audio::voices(&args),
        Command::Doctor(args) => audio::doctor(&args),
        #[cfg(feature = "speak")]
        Command::Speak(args) => speak::speak(&args),
        Command::Inspect(args) => audio::inspect(&args),
        Command::Check(args) => audio::check(&args),
    };
    match result {
        Ok(code) => code,
        Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            let _ = writeln!(std::io::stderr(), "readcast: {error}");
            error.exit_code()
        }
    }
}

/// The most synthesis threads a run starts: more than the cores is allowed (engines that wait
/// on a program), a number that would start thousands is not.
const MAX_JOBS: usize = 256;

/// `--jobs`: 1 to 256 threads.
fn parse_jobs(text: &str) -> Result<usize, String> {
    let jobs: usize = text.trim().parse().map_err(|_| format!("'{text}' is not a number of threads"))?;
    if (1..=MAX_JOBS).contains(&jobs) { Ok(jobs) } else { Err(format!("{jobs} threads: use 1 to {MAX_JOBS}")) }
}

/// A finite number, for clap.
fn finite(text: &str) -> Result<f64, String> {
    let value: f64 = text.trim().parse().map_err(|_| format!("'{text}' is not a number"))?;
    if value.is_finite() { Ok(value) } else { Err(format!("'{text}' is not a finite number")) }
}

/// `--loudness`: -70 to 0 LUFS.
fn parse_loudness(text: &str) -> Result<f64, String> {
    let lufs = finite(text)?;
    if readcast::narrator::LOUDNESS_RANGE.contains(&lufs) { Ok(lufs) } else { Err(format!("{lufs} LUFS: use -70 to 0")) }
}

/// `--pause-*`: 0 to 10 seconds.
fn parse_pause(text: &str) -> Result<f32, String> {
    let seconds = finite(text)? as f32;
    if readcast::narrator::PAUSE_RANGE.contains(&seconds) { Ok(seconds) } else { Err(format!("{seconds} s: use 0 to 10 seconds")) }
}

/// Piper's `--length-scale`: 0.1 (ten times as fast) to 10 (ten times as slow).
fn parse_length_scale(text: &str) -> Result<f32, String> {
    let scale = finite(text)? as f32;
    if (0.1..=10.0).contains(&scale) { Ok(scale) } else { Err(format!("{scale}: use 0.1 to 10")) }
}

/// Piper's `--noise-scale` and `--noise-w`: 0 to 2.
fn parse_noise(text: &str) -> Result<f32, String> {
    let noise = finite(text)? as f32;
    if (0.0..=2.0).contains(&noise) { Ok(noise) } else { Err(format!("{noise}: use 0 to 2")) }
}

/// Writes to stdout; a closed pipe (`| head`) ends the command quietly.
fn print(text: &str) -> readcast::Result<()> {
    let mut stdout = std::io::stdout().lock();
    stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()).map_err(|e| Error::io("<stdout>", e))
}
