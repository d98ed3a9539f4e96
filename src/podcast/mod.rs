//! Stage 6: many articles -> episodes (audio, captions, chapters) and a podcast feed,
//! incrementally: unchanged articles are skipped, unchanged sentences come from the segment
//! cache, and every file is written atomically so an interrupted batch leaves no partial
//! episode or feed.

pub mod episode;
pub mod feed;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::error::{Error, Result};
use crate::extract::{self, ExtractOptions, Source};
use crate::narrator::Narrator;
use episode::{parse_date, slug, written_date, Episode};

/// Set by a Ctrl-C handler: no new article is started, the current ones finish.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

pub use crate::narrator::AudioFormat;
/// The cache batches keep segments, profiles and episode pieces in.
pub use crate::synth::cache::{CacheStats, SegmentCache};

/// How a batch is rendered (how each article is narrated, on how many threads and with
/// which cache, is the [`Narrator`]'s).
pub struct BatchOptions {
    pub out: PathBuf,
    pub format: AudioFormat,
    /// Render only shard K of N (1-based), by article id.
    pub shard: Option<(u64, u64)>,
    /// Write each episode's read-along page ([`crate::page`]).
    pub pages: bool,
}

/// What happened to each article.
#[derive(Debug, Default)]
pub struct BatchReport {
    pub rendered: Vec<Episode>,
    pub up_to_date: Vec<Episode>,
    pub failed: Vec<(String, Error)>,
    pub skipped_by_shard: usize,
    pub cache_hits: usize,
    pub cache_misses: usize,
    /// Cache entries that did not verify: removed, and made again.
    pub cache_damaged: usize,
}

impl BatchReport {
    /// Seconds of audio rendered in this run.
    pub fn rendered_seconds(&self) -> f64 {
        // Folded from +0.0: a float sum starts at -0.0, which prints as "-0.0 min".
        self.rendered.iter().fold(0.0, |total, e| total + e.duration_seconds)
    }
}

/// Expands inputs: files, folders (their .txt, .md, .html files), and list files (`.list`:
/// one path or URL per line, `#` comments).
pub fn collect_inputs(inputs: &[String]) -> Result<Vec<Source>> {
    let mut sources = Vec::new();
    for input in inputs {
        let source = Source::from_arg(input);
        match &source {
            Source::Path(path) if path.is_dir() => {
                let mut files: Vec<PathBuf> = std::fs::read_dir(path)
                    .map_err(|e| Error::io(path, e))?
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.is_file() && p.extension().is_some_and(|e| matches!(e.to_str(), Some("txt" | "md" | "markdown" | "html" | "htm"))))
                    .collect();
                files.sort();
                sources.extend(files.into_iter().map(Source::Path));
            }
            Source::Path(path) if path.extension().is_some_and(|e| e == "list") => {
                let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
                let base = path.parent().unwrap_or(Path::new("."));
                for line in text.lines().map(str::trim).filter(|l| !l.is_empty() && !l.starts_with('#')) {
                    sources.push(match Source::from_arg(line) {
                        Source::Path(relative) if relative.is_relative() => Source::Path(base.join(relative)),
                        other => other,
                    });
                }
            }
            _ => sources.push(source),
        }
    }
    Ok(sources)
}

/// The id of an article's episode (the feed's guid, and part of its file names): from the
/// article's canonical address where it has one, else from its title and date (else its
/// title and text). Not from where the file lies: a moved folder gives the same episodes.
pub fn episode_id(article: &extract::Article) -> String {
    let described = match (&article.url, &article.title, &article.date) {
        (Some(url), _, _) => format!("url|{url}"),
        (None, Some(title), Some(date)) => format!("title|{title}|{date}"),
        (None, title, _) => format!("text|{}|{}", title.as_deref().unwrap_or(""), article.to_plain_text()),
    };
    blake3::hash(described.as_bytes()).to_hex()[..16].to_string()
}

/// A stable id for an article's source, which picks its shard (before it is read).
pub fn article_id(source: &Source) -> String {
    let name = match source {
        Source::Path(path) => std::fs::canonicalize(path).unwrap_or_else(|_| path.clone()).display().to_string(),
        other => other.display_name(),
    };
    blake3::hash(name.as_bytes()).to_hex()[..16].to_string()
}

fn in_shard(id: &str, shard: Option<(u64, u64)>) -> bool {
    match shard {
        None => true,
        Some((k, n)) => u64::from_str_radix(&id[..15], 16).unwrap_or(0) % n == k - 1,
    }
}

/// Renders every input into `options.out/episodes`, in parallel across articles and
/// segments on the narrator's threads. One failing article is reported and the rest go on.
/// Give a narrator made [`Narrator::concurrent`] where there are several inputs, and
/// [`Narrator::for_format`] `options.format`.
pub fn run(inputs: &[Source], narrator: &Narrator, options: &BatchOptions, on_article: &(dyn Fn(&str, f64) + Sync)) -> Result<BatchReport> {
    let episodes_dir = options.out.join("episodes");
    std::fs::create_dir_all(&episodes_dir).map_err(|e| Error::io(&episodes_dir, e))?;
    remove_stale_temp_files(&episodes_dir);
    let report = Mutex::new(BatchReport::default());
    let skipped = AtomicUsize::new(0);
    // Articles and their segments share the narrator's threads and engines, so nothing is
    // oversubscribed.
    narrator.install(|| {
        inputs.par_iter().with_max_len(1).for_each(|source| {
            let id = article_id(source);
            if !in_shard(&id, options.shard) {
                skipped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            if INTERRUPTED.load(Ordering::Relaxed) {
                return;
            }
            let name = source.display_name();
            // A bug that panics on one article fails that article, not the batch: the others
            // are rendered and the feed is written.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| render_article(source, narrator, options)))
                .unwrap_or_else(|panic| Err(Error::engine(format!("readcast failed on this article ({}); please report it", panic_message(&panic)))));
            let mut report = report.lock().unwrap_or_else(|p| p.into_inner());
            match outcome {
                Ok((episode, true)) => {
                    on_article(&name, episode.duration_seconds);
                    report.rendered.push(episode);
                }
                Ok((episode, false)) => {
                    on_article(&name, 0.0);
                    report.up_to_date.push(episode);
                }
                Err(error) => {
                    on_article(&name, 0.0);
                    report.failed.push((name, error));
                }
            }
        });
    });
    let mut report = report.into_inner().unwrap_or_else(|p| p.into_inner());
    report.skipped_by_shard = skipped.into_inner();
    if let Some(cache) = narrator.cache() {
        report.cache_hits = cache.hits();
        report.cache_misses = cache.misses();
        report.cache_damaged = cache.damaged();
    }
    report.failed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(report)
}

/// What a panic said, for the report.
fn panic_message(panic: &Box<dyn std::any::Any + Send>) -> String {
    panic.downcast_ref::<&str>().map(|message| message.to_string()).or_else(|| panic.downcast_ref::<String>().cloned()).unwrap_or_else(|| "a panic".to_string())
}

/// Renders one article unless its episode is up to date; `true` when it rendered.
fn render_article(source: &Source, narrator: &Narrator, options: &BatchOptions) -> Result<(Episode, bool)> {
    let voice = narrator.voice();
    let document = extract::read_source(source)?;
    let article = extract::extract(&document, &ExtractOptions::default())?;
    let id = &episode_id(&article);
    let title = article.title.clone().unwrap_or_else(|| source.display_name());
    // Tests of a debug build make an article panic by its title, to check that a bug in one
    // article fails that article only.
    if cfg!(debug_assertions) && std::env::var("READCAST_TEST_PANIC_ON").is_ok_and(|marker| !marker.is_empty() && title.contains(&marker)) {
        panic!("test panic on '{title}'");
    }
    let stem = slug(&title, id);
    let episodes_dir = options.out.join("episodes");
    let metadata_path = episodes_dir.join(format!("{stem}.json"));

    // Everything that shapes the files: the article, the voice, the options, the version.
    let fingerprint = format!(
        "{}|{}|{:?}|{}|{:?}|{:?}|{}",
        serde_json::to_string(&article).unwrap_or_default(),
        toml::to_string(voice).unwrap_or_default(),
        options.format,
        options.pages,
        narrator.settings().script,
        narrator.assemble_settings(),
        env!("CARGO_PKG_VERSION"),
    );
    let render_hash = blake3::hash(fingerprint.as_bytes()).to_hex().to_string();
    let previous = Episode::load(&metadata_path).ok();
    if let Some(existing) = &previous {
        let audio_ok = std::fs::metadata(episodes_dir.join(&existing.audio_file)).is_ok_and(|m| m.len() == existing.audio_bytes);
        if existing.render_hash == render_hash && audio_ok {
            // The article moved (its folder, say): the episode is the same, from a new place.
            let mut existing = existing.clone();
            if existing.source != source.display_name() {
                existing.source = source.display_name();
                existing.save(&metadata_path)?;
            }
            return Ok((existing, false));
        }
    }

    // The first engine is made on another core while the text is prepared. An episode made
    // before is most likely made again after a small edit: one sentence to speak.
    let (script, ()) = rayon::join(|| narrator.prepare(&article), || narrator.warm(previous.is_some()));
    let mut narrated = narrator.narrate_script(&article, script?, &|| {})?;
    narrated.set_title(title.clone());
    if INTERRUPTED.load(Ordering::Relaxed) {
        return Err(Error::input("interrupted before its files were written"));
    }
    let audio_file = format!("{stem}.{}", options.format.extension());
    let audio_path = episodes_dir.join(&audio_file);
    // Captions and chapters follow the audio as played (an MP3 starts with the encoder's
    // lead-in); they are written while the audio is encoded. The feed states the duration
    // players will find: that of the encoded file (MP3 frames round it up a little).
    let captions_file = format!("{stem}.vtt");
    let chapters_file = format!("{stem}.chapters.json");
    let page_file = options.pages.then(|| format!("{stem}.html"));
    let (duration_seconds, side) = rayon::join(
        || narrated.write_audio(options.format, &audio_path),
        || {
            narrated.write_captions(options.format, &episodes_dir.join(&captions_file))?;
            narrated.write_chapters(options.format, &episodes_dir.join(&chapters_file))?;
            // The page states the planned length; its player shows the file's once it has
            // loaded it.
            match &page_file {
                Some(page) => narrated.write_page(options.format, &audio_path, narrated.duration_seconds(), &episodes_dir.join(page)),
                // A page from a run with pages would play an episode it no longer matches.
                None => {
                    let _ = std::fs::remove_file(episodes_dir.join(format!("{stem}.html")));
                    Ok(())
                }
            }
        },
    );
    side?;
    let duration_seconds = duration_seconds?;
    let audio_bytes = std::fs::metadata(&audio_path).map_err(|e| Error::io(&audio_path, e))?.len();
    let description = article.lede.clone().or_else(|| article.blocks.iter().find(|b| b.kind == extract::BlockKind::Paragraph).map(|b| b.text.clone())).unwrap_or_default();
    let episode = Episode {
        id: id.to_string(),
        title,
        byline: article.byline.clone(),
        // An undated article keeps the date it was first published on.
        pub_date: article
            .date
            .as_deref()
            .and_then(parse_date)
            .or_else(|| previous.map(|p| p.pub_date))
            .unwrap_or_else(episode::now),
        description,
        audio_file,
        audio_type: options.format.mime_type().to_string(),
        audio_bytes,
        duration_seconds,
        captions_file,
        chapters_file,
        source: source.display_name(),
        render_hash,
        link: article.url.clone(),
        page_file,
    };
    // Last: the metadata file is what makes the episode count as finished.
    episode.save(&metadata_path)?;
    remove_superseded(&episodes_dir, &episode, &stem);
    Ok((episode, true))
}

/// Removes the episodes an episode replaces: those of the same source under another name (its
/// title was edited, or an older readcast named it by the file's path), so that the feed does
/// not list the article twice.
fn remove_superseded(folder: &Path, episode: &Episode, stem: &str) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if !name.ends_with(".json") || name.ends_with(".chapters.json") || name == format!("{stem}.json") {
            continue;
        }
        let Ok(other) = Episode::load(&path) else { continue };
        if other.source == episode.source && other.id != episode.id {
            // The metadata first: without it the rest is not an episode.
            let _ = std::fs::remove_file(&path);
            for file in [&other.audio_file, &other.captions_file, &other.chapters_file].into_iter().chain(&other.page_file) {
                let _ = std::fs::remove_file(folder.join(file));
            }
        }
    }
}

/// A batch killed while writing leaves its temporary files behind (never a partial episode:
/// nothing is renamed into place unfinished). The next run removes them; one batch at a time
/// may write to a folder.
fn remove_stale_temp_files(folder: &Path) {
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(".readcast-") && name.ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// "April 29, 2025" -> "2025-04-29" for the ID3 date.
pub fn iso_date(written: &str) -> Option<String> {
    let (year, month, day) = written_date(written)?;
    Some(format!("{year}-{month:02}-{day:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_split_the_batch_without_overlap() {
        let ids: Vec<String> = (0..50).map(|i| article_id(&Source::Url(format!("https://example.com/{i}")))).collect();
        let mut seen = 0;
        for k in 1..=3 {
            seen += ids.iter().filter(|id| in_shard(id, Some((k, 3)))).count();
        }
        assert_eq!(seen, 50);
        assert!(ids.iter().all(|id| in_shard(id, None)));
        assert_eq!(article_id(&Source::Url("https://example.com/1".into())), ids[1]);
    }

    #[test]
    fn list_files_and_folders_expand() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.txt"), "x").unwrap();
        std::fs::write(dir.path().join("b.md"), "x").unwrap();
        std::fs::write(dir.path().join("c.png"), "x").unwrap();
        std::fs::write(dir.path().join("more.list"), "# articles\na.txt\nhttps://example.com/story\n").unwrap();
        let folder = collect_inputs(&[dir.path().display().to_string()]).unwrap();
        assert_eq!(folder.len(), 2);
        let list = collect_inputs(&[dir.path().join("more.list").display().to_string()]).unwrap();
        assert_eq!(list, [Source::Path(dir.path().join("a.txt")), Source::Url("https://example.com/story".into())]);
        assert_eq!(iso_date("April 29, 2025").as_deref(), Some("2025-04-29"));
    }
}
