//! Podcast subcommands: batch (many articles to episodes and a feed), feed (gather rendered
//! episodes into feed.xml), cache (the segment cache).

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use clap::{Args, Subcommand};
use readcast::error::{Error, Result, EXIT_CHECK_FAILED, EXIT_OK};
use readcast::narrator::{AudioFormat, Preferences};
use readcast::podcast::{self, feed, BatchOptions, CacheStats, SegmentCache};

use super::narrate::progress_bar;
use super::{print, NarrationArgs, VoiceArgs};

#[derive(Debug, Args)]
pub struct BatchArgs {
    /// Articles: files, folders, `.list` files (one path or URL per line), or URLs.
    #[arg(required = true)]
    inputs: Vec<String>,
    /// The podcast folder: episodes/ and feed.xml go there.
    #[arg(long)]
    out: PathBuf,
    #[command(flatten)]
    voice: VoiceArgs,
    /// Episode audio format.
    #[arg(long, default_value = "mp3", value_parser = ["mp3", "wav"])]
    format: String,
    /// MP3 bitrate in kbps (32 to 192).
    #[arg(long, default_value_t = 64)]
    bitrate: u32,
    /// Where episodes/ will be served from, for enclosure URLs (default: podcast.toml's).
    #[arg(long)]
    base_url: Option<String>,
    /// The show's podcast.toml (default: OUT/podcast.toml; defaults when absent).
    #[arg(long)]
    podcast: Option<PathBuf>,
    /// Render only shard K of N (by article id), e.g. 2/8; build the feed with `readcast feed`.
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Do not read or write the segment cache.
    #[arg(long)]
    no_cache: bool,
    /// Write no read-along pages (episodes/NAME.html) and no index.html.
    #[arg(long)]
    no_pages: bool,
    /// Threads for articles and segments together, 1 to 256 (default: all cores).
    #[arg(short, long, value_parser = super::parse_jobs)]
    jobs: Option<usize>,
    #[command(flatten)]
    narration: NarrationArgs,
    /// No progress display and no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Print what is being done: the settings each layer gave, and each article as it is done.
    #[arg(short, long)]
    verbose: bool,
}

#[derive(Debug, Args)]
pub struct FeedArgs {
    /// The podcast folder holding episodes/.
    dir: PathBuf,
    /// Where episodes/ will be served from (default: podcast.toml's).
    #[arg(long)]
    base_url: Option<String>,
    /// The show's podcast.toml (default: DIR/podcast.toml).
    #[arg(long)]
    podcast: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CacheArgs {
    #[command(subcommand)]
    action: CacheAction,
}

#[derive(Debug, Subcommand)]
enum CacheAction {
    /// Entries and size of the cache (segments, episode pieces, optimized voice models).
    Stats,
    /// Remove everything cached.
    Clear,
    /// Remove the least recently used entries until the cache fits in a size.
    Prune {
        /// The size to keep the cache within, in MiB.
        #[arg(long, value_name = "MIB")]
        max_mib: f64,
    },
}

fn parse_shard(text: &str) -> Result<(u64, u64)> {
    let invalid = || Error::input(format!("--shard {text}: expected K/N with 1 <= K <= N"));
    let (k, n) = text.split_once('/').ok_or_else(invalid)?;
    let (k, n): (u64, u64) = (k.trim().parse().map_err(|_| invalid())?, n.trim().parse().map_err(|_| invalid())?);
    if k == 0 || n == 0 || k > n {
        return Err(invalid());
    }
    Ok((k, n))
}

/// `readcast batch`: articles to episodes, then the feed.
pub fn batch(args: &BatchArgs) -> Result<i32> {
    let started = std::time::Instant::now();
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let format = match args.format.as_str() {
        "wav" => AudioFormat::Wav,
        _ => AudioFormat::Mp3 { kbps: args.bitrate },
    };
    let (channel, show) = feed::Channel::load_with_preferences(&args.podcast.clone().unwrap_or_else(|| args.out.join("podcast.toml")))?;
    // The feed's enclosure URLs are checked before any work (a shard writes no feed).
    if shard.is_none() {
        feed::base_url(&channel, args.base_url.as_deref())?;
    }
    // Flags, then podcast.toml, then the user's config, then the voice and the defaults.
    let preferences = args.narration.preferences(&args.voice).over(show).over(Preferences::user()?);
    if args.verbose {
        eprintln!("readcast: settings {preferences:?}");
    }
    let jobs = args.jobs.unwrap_or_else(readcast::narrator::default_jobs);
    let inputs = podcast::collect_inputs(&args.inputs)?;
    if inputs.is_empty() {
        return Err(Error::input("no articles found in the inputs"));
    }
    let mut narrator = args.narration.narrator(&preferences, Some(jobs), format, args.quiet)?.for_format(format).concurrent(inputs.len() > 1);
    if !args.no_cache {
        narrator = narrator.with_cache(SegmentCache::new(SegmentCache::default_dir()));
    }
    narrator.check_format(format)?;
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let options = BatchOptions { out: args.out.clone(), format, shard, pages: !args.no_pages };
    // Ctrl-C lets the articles in progress finish their files and starts no new one.
    let _ = ctrlc::set_handler(|| podcast::INTERRUPTED.store(true, Ordering::Relaxed));
    let progress = progress_bar(inputs.len() as u64, args.quiet);
    let audio_millis = AtomicU64::new(0);
    let report = podcast::run(&inputs, &narrator, &options, &|name, seconds| {
        if args.verbose {
            progress.suspend(|| eprintln!("readcast: {name}: {seconds:.1} s of audio"));
        }
        let total = audio_millis.fetch_add((seconds * 1000.0) as u64, Ordering::Relaxed) + (seconds * 1000.0) as u64;
        progress.set_message(format!("{:.1} min of audio", total as f64 / 60_000.0));
        progress.inc(1);
    })?;
    progress.finish_and_clear();
    for (name, error) in &report.failed {
        eprintln!("readcast: {name}: {error}");
    }
    let listed = if shard.is_none() { Some(feed::write(&args.out, &channel, args.base_url.as_deref())?) } else { None };
    if !args.quiet {
        let wall = started.elapsed().as_secs_f64();
        let audio = report.rendered_seconds();
        eprintln!(
            "readcast: {} rendered, {} up to date, {} failed{}; {:.1} min of audio in {:.1} s{}; cache {} hits, {} misses{}",
            report.rendered.len(),
            report.up_to_date.len(),
            report.failed.len(),
            if report.skipped_by_shard > 0 { format!(", {} in other shards", report.skipped_by_shard) } else { String::new() },
            audio / 60.0,
            wall,
            if audio > 0.0 { format!(" ({:.0}x realtime)", audio / wall.max(1e-9)) } else { String::new() },
            report.cache_hits,
            report.cache_misses,
            listed.map_or(String::new(), |n| format!("; feed.xml lists {n} episodes")),
        );
    }
    if report.cache_damaged > 0 && !args.quiet {
        eprintln!("readcast: {} damaged cache entries were removed and made again", report.cache_damaged);
    }
    if podcast::INTERRUPTED.load(Ordering::Relaxed) {
        eprintln!("readcast: interrupted; run the same command again to finish the rest");
        return Ok(readcast::error::EXIT_INTERRUPTED);
    }
    Ok(if report.failed.is_empty() { EXIT_OK } else { EXIT_CHECK_FAILED })
}

/// `readcast feed`: gathers rendered episodes (from any number of shards) into feed.xml.
pub fn feed(args: &FeedArgs) -> Result<i32> {
    let channel = feed::Channel::load(&args.podcast.clone().unwrap_or_else(|| args.dir.join("podcast.toml")))?;
    let listed = feed::write(&args.dir, &channel, args.base_url.as_deref())?;
    print(&format!("{}: {listed} episodes\n", args.dir.join("feed.xml").display()))?;
    Ok(EXIT_OK)
}

/// `readcast cache`: stats, clear or prune.
pub fn cache(args: &CacheArgs) -> Result<i32> {
    let cache = SegmentCache::user();
    let describe = |verb: &str, stats: CacheStats| {
        format!(
            "{}: {verb} {} segments, {} loudness profiles, {} episode pieces and {} optimized voice models, {:.1} MiB\n",
            cache.dir().display(),
            stats.entries,
            stats.profiles,
            stats.pieces,
            stats.models,
            stats.bytes as f64 / 1_048_576.0
        )
    };
    let report = match args.action {
        CacheAction::Stats => describe("holds", cache.stats()),
        CacheAction::Clear => describe("cleared", cache.clear()?),
        CacheAction::Prune { max_mib } => {
            if !(max_mib >= 0.0 && max_mib.is_finite()) {
                return Err(Error::input(format!("--max-mib {max_mib}: expected a size in MiB, 0 or more")));
            }
            let removed = cache.prune((max_mib * 1_048_576.0).round() as u64)?;
            describe("removed", removed) + &describe("holds", cache.stats())
        }
    };
    print(&report)?;
    Ok(EXIT_OK)
}
