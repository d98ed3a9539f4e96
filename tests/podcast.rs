//! Batch rendering to a podcast: the feed read back with an RSS parser, incremental
//! re-rendering through the segment cache, recovery after a killed run, failures in the middle
//! of a batch, and shards gathered into one feed.

use std::path::Path;
use std::process::Stdio;

mod common;
use common::{command, readcast, root, text};

/// "cache 12 hits, 3 misses" from the batch summary.
fn cache_counts(stderr: &str) -> (usize, usize) {
    let after = stderr.split("cache ").nth(1).expect("a summary line");
    let numbers: Vec<usize> = after.split(|c: char| !c.is_ascii_digit()).filter(|s| !s.is_empty()).take(2).map(|s| s.parse().unwrap()).collect();
    (numbers[0], numbers[1])
}

fn copy_samples(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(root().join("samples")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, to.join(path.file_name().unwrap())).unwrap();
    }
}

#[test]
fn feed_reads_back_with_true_lengths_durations_and_stable_guids() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    copy_samples(&articles);
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("podcast.toml"), "title = \"Harbor & Hills <Daily>\"\nlink = \"https://example.com\"\nauthor = \"Newsroom\"\nemail = \"news@example.com\"\nimage = \"https://example.com/cover.png\"\n").unwrap();
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://cdn.example.com/pod/"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("4 rendered, 0 up to date, 0 failed"), "{}", text(&output.stderr));

    let xml = std::fs::read(out.join("feed.xml")).unwrap();
    let channel = rss::Channel::read_from(&xml[..]).expect("a valid RSS feed");
    assert_eq!(channel.title(), "Harbor & Hills <Daily>");
    assert_eq!(channel.language(), Some("en-us"));
    assert!(channel.itunes_ext().is_some_and(|it| it.author() == Some("Newsroom") && it.image() == Some("https://example.com/cover.png")));
    assert_eq!(channel.items().len(), 4);
    let mut guids = Vec::new();
    for item in channel.items() {
        let enclosure = item.enclosure().expect("an enclosure");
        assert_eq!(enclosure.mime_type(), "audio/mpeg");
        let file = enclosure.url().strip_prefix("https://cdn.example.com/pod/episodes/").expect("the base URL");
        let path = out.join("episodes").join(file);
        assert_eq!(enclosure.length(), std::fs::metadata(&path).unwrap().len().to_string());
        let decoded = readcast::synth::decode::decode_file(&path).unwrap();
        let stated = item.itunes_ext().and_then(|it| it.duration()).expect("a duration");
        let parts: Vec<f64> = stated.split(':').map(|p| p.parse().unwrap()).collect();
        let stated_seconds = parts[0] * 3600.0 + parts[1] * 60.0 + parts[2];
        assert!((stated_seconds - decoded.duration_seconds()).abs() <= 0.5, "{stated} vs {}", decoded.duration_seconds());
        let podcast = &item.extensions()["podcast"];
        let chapters_url = podcast["chapters"][0].attrs["url"].clone();
        let chapters = out.join("episodes").join(chapters_url.rsplit('/').next().unwrap());
        let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(chapters).unwrap()).unwrap();
        assert_eq!(json["chapters"][0]["startTime"], 0.0);
        let transcript = &podcast["transcript"][0].attrs;
        assert_eq!(transcript["type"], "text/vtt");
        assert!(out.join("episodes").join(transcript["url"].rsplit('/').next().unwrap()).is_file());
        assert!(item.pub_date().is_some());
        guids.push(item.guid().unwrap().value().to_string());
    }
    // The Markdown sample has three headings: four chapters, also as ID3 CHAP frames.
    let election = std::fs::read_dir(out.join("episodes")).unwrap().map(|e| e.unwrap().path()).find(|p| p.to_string_lossy().ends_with(".mp3") && p.to_string_lossy().contains("coastal-town")).unwrap();
    let tag = id3::Tag::read_from_path(&election).unwrap();
    assert_eq!(tag.chapters().count(), 4);

    // A fresh render elsewhere gives the same guids; a rerun here renders nothing.
    let again = work.path().join("again");
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", again.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--no-cache"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let other = rss::Channel::read_from(&std::fs::read(again.join("feed.xml")).unwrap()[..]).unwrap();
    let mut other_guids: Vec<String> = other.items().iter().map(|i| i.guid().unwrap().value().to_string()).collect();
    other_guids.sort();
    guids.sort();
    assert_eq!(guids, other_guids);
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod"]);
    assert!(text(&output.stderr).contains("0 rendered, 4 up to date"), "{}", text(&output.stderr));
}

#[test]
fn editing_one_sentence_synthesizes_only_that_sentence() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    std::fs::create_dir_all(&articles).unwrap();
    let story = std::fs::read_to_string(root().join("samples/clean-library.txt")).unwrap();
    std::fs::write(articles.join("story.txt"), &story).unwrap();
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--format", "wav"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (_, first_misses) = cache_counts(&text(&output.stderr));
    assert!(first_misses > 10);
    let edited = story.replace("We listened.", "We listened carefully.");
    assert_ne!(edited, story);
    std::fs::write(articles.join("story.txt"), edited).unwrap();
    let second_started = std::time::SystemTime::now();
    std::thread::sleep(std::time::Duration::from_millis(30));
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--format", "wav"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("1 rendered"), "{stderr}");
    assert_eq!(cache_counts(&stderr), (first_misses - 1, 1), "{stderr}");
    let stats = readcast(&cache, &["cache", "stats"]);
    assert!(text(&stats.stdout).contains(&format!("holds {} segments,", first_misses + 1)), "{}", text(&stats.stdout));
    // Pruned to what the second batch used, the cache loses the old sentence (its segment,
    // profile and samples) and nothing else: a render of the edited story misses nothing.
    let entries: Vec<std::fs::Metadata> = std::fs::read_dir(&cache)
        .unwrap()
        .flat_map(|shard| std::fs::read_dir(shard.unwrap().path()).unwrap())
        .map(|entry| entry.unwrap().metadata().unwrap())
        .collect();
    let used: u64 = entries.iter().filter(|m| m.accessed().unwrap() >= second_started).map(|m| m.len()).sum();
    let pruned = readcast(&cache, &["cache", "prune", "--max-mib", &format!("{:.9}", used as f64 / 1_048_576.0)]);
    assert!(pruned.status.success(), "{}", text(&pruned.stderr));
    assert!(text(&pruned.stdout).contains("removed 1 segments, 1 loudness profiles, 1 episode pieces and 0 optimized voice models"), "{}", text(&pruned.stdout));
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", work.path().join("again").to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--format", "wav"]);
    assert_eq!(cache_counts(&text(&output.stderr)), (first_misses, 0), "{}", text(&output.stderr));
    let bad = readcast(&cache, &["cache", "prune", "--max-mib", "lots"]);
    assert_eq!(bad.status.code(), Some(2));
    let cleared = readcast(&cache, &["cache", "clear"]);
    assert!(cleared.status.success());
    assert!(text(&readcast(&cache, &["cache", "stats"]).stdout).contains("holds 0 segments, 0 loudness profiles, 0 episode pieces and 0 optimized voice models"));
}

#[test]
fn an_mp3_edit_reuses_profiles_and_pieces_and_equals_a_render_without_the_cache() {
    edit_reuses_profiles_and_pieces_and_equals_a_render_without_the_cache("mp3");
}

#[test]
fn a_wav_edit_reuses_profiles_and_pieces_and_equals_a_render_without_the_cache() {
    edit_reuses_profiles_and_pieces_and_equals_a_render_without_the_cache("wav");
}

/// After a one-sentence edit, a batch writing `format` synthesizes that sentence only, makes
/// only its pieces, and writes the episode a render without the cache writes.
fn edit_reuses_profiles_and_pieces_and_equals_a_render_without_the_cache(format: &str) {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, fresh, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("fresh"), work.path().join("cache"));
    std::fs::create_dir_all(&articles).unwrap();
    let story = std::fs::read_to_string(root().join("samples/clean-library.txt")).unwrap();
    std::fs::write(articles.join("story.txt"), &story).unwrap();
    let batch = |out: &Path, extra: &[&str]| {
        let mut args = vec!["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--format", format];
        args.extend_from_slice(extra);
        let output = readcast(&cache, &args);
        assert!(output.status.success(), "{}", text(&output.stderr));
        text(&output.stderr)
    };
    let stats = || text(&readcast(&cache, &["cache", "stats"]).stdout);
    let pieces = || -> usize { stats().split(" episode pieces").next().and_then(|s| s.rsplit(' ').next()).and_then(|n| n.parse().ok()).expect("a piece count") };
    let (_, segments) = cache_counts(&batch(&out, &[]));
    assert!(stats().contains(&format!("holds {segments} segments, {segments} loudness profiles, ")), "{}", stats());
    let before = pieces();
    if format == "mp3" {
        // A piece per sentence at least: more where the voice pauses in silence inside one.
        assert!(before > segments, "{}", stats());
    } else {
        // A piece per segment: its finished samples.
        assert_eq!(before, segments, "{}", stats());
    }
    std::fs::write(articles.join("story.txt"), story.replace("We listened.", "We listened carefully.")).unwrap();
    assert_eq!(cache_counts(&batch(&out, &[])), (segments - 1, 1));
    // Only the edited sentence's pieces are new: the edit does not move the loudness gain
    // to another step (which would make every piece again).
    let added = pieces() - before;
    assert!((1..=3).contains(&added), "{added} new pieces of {before}");
    // The episode made from cached profiles and pieces is the one a render from scratch makes.
    batch(&fresh, &["--no-cache"]);
    let audio = |folder: &Path| {
        let episodes = folder.join("episodes");
        let file = std::fs::read_dir(&episodes).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == format)).expect("an episode");
        std::fs::read(file).unwrap()
    };
    assert!(audio(&out) == audio(&fresh), "the cached render differs from a fresh one");
    let vtt = |folder: &Path| std::fs::read_dir(folder.join("episodes")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "vtt")).map(|p| std::fs::read_to_string(p).unwrap()).collect::<Vec<_>>();
    assert_eq!(vtt(&out), vtt(&fresh));
    // Segments and pieces gone but profiles kept (a cache pruned by hand): the profiles are
    // not trusted without their segments, which are synthesized again.
    for shard in std::fs::read_dir(&cache).unwrap() {
        for entry in std::fs::read_dir(shard.unwrap().path()).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "seg" || e == "mp3" || e == "pcm") {
                std::fs::remove_file(path).unwrap();
            }
        }
    }
    std::fs::write(articles.join("story.txt"), story.replace("We listened.", "We all listened.")).unwrap();
    batch(&out, &[]);
    batch(&fresh, &["--no-cache"]);
    assert!(audio(&out) == audio(&fresh), "the render from profiles alone differs from a fresh one");
}

#[test]
fn concurrent_batches_share_the_cache_without_corrupting_it() {
    let work = tempfile::tempdir().unwrap();
    let (articles, cache) = (work.path().join("articles"), work.path().join("cache"));
    copy_samples(&articles);
    let out = |name: &str| work.path().join(name);
    let batch = |name: &str| command(&cache, &["batch", articles.to_str().unwrap(), "--out", out(name).to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--jobs", "1"]);
    // Two runs at once write the same segments and MP3 pieces into one cache.
    let (first, second) = (batch("a").stderr(Stdio::piped()).spawn().unwrap(), batch("b").stderr(Stdio::piped()).spawn().unwrap());
    for child in [first, second] {
        let output = child.wait_with_output().unwrap();
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    // A third run finds every segment whole in the cache and makes the same episodes.
    let output = batch("c").output().unwrap();
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(cache_counts(&stderr).1, 0, "{stderr}");
    let episodes = |name: &str| -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(out(name).join("episodes"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "mp3"))
            .map(|p| (p.file_name().unwrap().to_string_lossy().to_string(), std::fs::read(&p).unwrap()))
            .collect();
        files.sort();
        files
    };
    assert_eq!(episodes("a").len(), 4);
    assert!(episodes("a") == episodes("c") && episodes("b") == episodes("c"));
}

#[test]
fn a_failing_article_is_reported_and_the_rest_complete() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    copy_samples(&articles);
    std::fs::write(articles.join("empty.txt"), "\n\n").unwrap();
    std::fs::write(articles.join("list.list"), format!("{}\n{}\nmissing.md\n", articles.join("clean-library.txt").display(), articles.join("empty.txt").display())).unwrap();
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), articles.join("list.list").to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--format", "wav"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("empty.txt: ") && stderr.contains("no article text found"), "{stderr}");
    assert!(stderr.contains("missing.md: "), "{stderr}");
    let channel = rss::Channel::read_from(&std::fs::read(out.join("feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(channel.items().len(), 4, "the feed lists only good episodes");
}

#[test]
fn shards_render_apart_and_the_feed_gathers_them() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    copy_samples(&articles);
    let mut rendered = 0;
    for shard in ["1/2", "2/2"] {
        let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--format", "wav", "--shard", shard]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let stderr = text(&output.stderr);
        rendered += stderr.split(" rendered").next().unwrap().rsplit(' ').next().unwrap().parse::<usize>().unwrap();
        assert!(!out.join("feed.xml").exists(), "a shard does not write the feed");
    }
    assert_eq!(rendered, 4);
    let output = readcast(&cache, &["feed", out.to_str().unwrap(), "--base-url", "https://example.com"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let channel = rss::Channel::read_from(&std::fs::read(out.join("feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(channel.items().len(), 4);
    assert_eq!(readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--shard", "3/2"]).status.code(), Some(2));
}

#[test]
fn a_killed_batch_leaves_no_partial_episode_and_a_rerun_finishes_from_the_cache() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    std::fs::create_dir_all(&articles).unwrap();
    // Enough distinct articles that the kill lands mid-batch.
    let story = std::fs::read_to_string(root().join("samples/scraped-harbor.txt")).unwrap();
    for i in 0..24 {
        std::fs::write(articles.join(format!("story-{i:02}.txt")), story.replace("Varna", &format!("Varna {i}"))).unwrap();
    }
    let mut child = command(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--jobs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(1200));
    child.kill().unwrap(); // SIGKILL: no handler runs.
    child.wait().unwrap();
    let episodes = out.join("episodes");
    // Whatever was finished is whole: every metadata file names complete audio.
    for entry in std::fs::read_dir(&episodes).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.ends_with(".json") && !name.ends_with(".chapters.json") {
            let episode: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
            let audio = episodes.join(episode["audio_file"].as_str().unwrap());
            assert_eq!(std::fs::metadata(&audio).unwrap().len(), episode["audio_bytes"].as_u64().unwrap());
        }
    }
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--jobs", "2"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    let (hits, _) = cache_counts(&stderr);
    // Unless the first run finished before the kill, the rerun renders the rest and takes the
    // segments of the interrupted articles from the cache.
    if !stderr.contains(" 0 rendered") {
        assert!(hits > 0, "the rerun reuses cached segments: {stderr}");
    }
    let leftovers: Vec<String> = std::fs::read_dir(&episodes).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).filter(|n| n.ends_with(".part")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
    let channel = rss::Channel::read_from(&std::fs::read(out.join("feed.xml")).unwrap()[..]).unwrap();
    assert_eq!(channel.items().len(), 24);
}

#[test]
fn a_moved_folder_keeps_its_episodes_and_the_feed_needs_an_absolute_base_url() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    copy_samples(&articles);
    // A page that names its canonical address: the feed item links to it.
    let page = std::fs::read_to_string(articles.join("html-heatwave.html")).unwrap();
    let page = page.replacen("<head>", "<head><link rel=\"canonical\" href=\"https://news.example.com/2026/heatwave\">", 1);
    std::fs::write(articles.join("html-heatwave.html"), page).unwrap();
    // No base URL: refused before any work, saying how to set one.
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("set base_url in podcast.toml or pass --base-url"), "{}", text(&output.stderr));
    assert!(!out.join("episodes").exists());
    let relative = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "pod/"]);
    assert_eq!(relative.status.code(), Some(2), "{}", text(&relative.stderr));

    let batch = |articles: &Path| readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod"]);
    let output = batch(&articles);
    assert!(text(&output.stderr).contains("4 rendered"), "{}", text(&output.stderr));
    let guids = |xml: &[u8]| -> Vec<String> {
        let mut guids: Vec<String> = rss::Channel::read_from(xml).unwrap().items().iter().map(|i| i.guid().unwrap().value().to_string()).collect();
        guids.sort();
        guids
    };
    let before = guids(&std::fs::read(out.join("feed.xml")).unwrap());
    let feed = rss::Channel::read_from(&std::fs::read(out.join("feed.xml")).unwrap()[..]).unwrap();
    assert!(feed.items().iter().any(|item| item.link() == Some("https://news.example.com/2026/heatwave")), "the item links to the article");
    // The same articles from another folder are the same episodes: nothing is rendered again
    // and the feed lists each once.
    let moved = work.path().join("moved");
    std::fs::rename(&articles, &moved).unwrap();
    let output = batch(&moved);
    assert!(text(&output.stderr).contains("0 rendered, 4 up to date"), "{}", text(&output.stderr));
    assert_eq!(guids(&std::fs::read(out.join("feed.xml")).unwrap()), before);
    // An edited title is a new episode that replaces the old one.
    let markdown = moved.join("markdown-election.md");
    let edited = std::fs::read_to_string(&markdown).unwrap().replacen("Coastal town elects", "Coastal town picks", 1);
    std::fs::write(&markdown, edited).unwrap();
    let output = batch(&moved);
    assert!(text(&output.stderr).contains("1 rendered, 3 up to date"), "{}", text(&output.stderr));
    let after = guids(&std::fs::read(out.join("feed.xml")).unwrap());
    assert_eq!(after.len(), 4);
    assert_eq!(after.iter().filter(|guid| before.contains(guid)).count(), 3);
    let files: Vec<String> = std::fs::read_dir(out.join("episodes")).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(files.iter().filter(|name| name.ends_with(".mp3")).count(), 4, "{files:?}");
    // max_episodes keeps the feed to the newest.
    std::fs::write(out.join("podcast.toml"), "max_episodes = 2\n").unwrap();
    let output = readcast(&cache, &["feed", out.to_str().unwrap(), "--base-url", "https://example.com/pod"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(guids(&std::fs::read(out.join("feed.xml")).unwrap()).len(), 2);
}

#[test]
fn podcast_toml_and_batch_flags_set_how_episodes_are_narrated() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::copy(root().join("samples/clean-library.txt"), articles.join("library.txt")).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("podcast.toml"), "title = \"Library news\"\nbase_url = \"https://example.com/pod\"\nvoice = \"espeak\"\ndisclosure = \"Read by a machine.\"\npause_sentence = 1.0\n").unwrap();
    let captions = || -> (String, f64) {
        let folder = out.join("episodes");
        let vtt = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "vtt")).unwrap();
        let json = std::fs::read_dir(&folder).unwrap().map(|e| e.unwrap().path()).find(|p| p.extension().is_some_and(|e| e == "json") && !p.to_string_lossy().ends_with(".chapters.json")).unwrap();
        let episode: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
        (std::fs::read_to_string(vtt).unwrap(), episode["duration_seconds"].as_f64().unwrap())
    };
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "wav"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // podcast.toml names the voice: readcast does not pick one.
    assert!(!text(&output.stderr).contains("using voice"), "{}", text(&output.stderr));
    let (vtt, slow) = captions();
    assert!(vtt.contains("Read by a machine.") && !vtt.contains("created with AI assistance"), "{vtt}");
    // Flags win over podcast.toml, and a change of settings renders the episode again.
    let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--format", "wav", "--pause-sentence", "0.2", "--no-header", "--disclosure", "Machine read.", "--rate", "1.3x"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("1 rendered"), "{}", text(&output.stderr));
    let (vtt, fast) = captions();
    assert!(vtt.contains("Machine read.") && !vtt.contains("Read by a machine."), "{vtt}");
    assert!(fast < slow * 0.8, "{fast} vs {slow}");
}

#[test]
fn narrate_with_the_cache_takes_unchanged_sentences_from_it_and_sounds_the_same() {
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let input = work.path().join("a.txt");
    std::fs::copy(root().join("samples/clean-library.txt"), &input).unwrap();
    let narrate = |out: &str, extra: &[&str]| {
        let out = work.path().join(out);
        let output = readcast(&cache, &[&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--verbose"], extra].concat());
        assert!(output.status.success(), "{}", text(&output.stderr));
        (std::fs::read(out).unwrap(), text(&output.stderr))
    };
    let (plain, _) = narrate("plain.mp3", &[]);
    let (first, stderr) = narrate("first.mp3", &["--cache"]);
    assert!(stderr.contains("cache 0 hits"), "{stderr}");
    let (second, stderr) = narrate("second.mp3", &["--cache"]);
    assert!(stderr.contains(" 0 misses"), "{stderr}");
    assert!(plain == first && first == second, "the cache changes no byte");
    // After an edit, only the edited sentence is synthesized.
    let edited = std::fs::read_to_string(&input).unwrap().replacen("library", "city library", 1);
    std::fs::write(&input, edited).unwrap();
    let (_, stderr) = narrate("edited.mp3", &["--cache"]);
    assert!(stderr.contains(" 1 misses"), "{stderr}");
}

#[test]
fn batch_writes_a_read_along_page_per_episode_and_an_index_and_no_pages_removes_them() {
    let work = tempfile::tempdir().unwrap();
    let (articles, out, cache) = (work.path().join("articles"), work.path().join("pod"), work.path().join("cache"));
    copy_samples(&articles);
    let batch = |extra: &[&str]| {
        let output = readcast(&cache, &[&["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://cdn.example.com/pod/"], extra].concat());
        assert!(output.status.success(), "{}", text(&output.stderr));
    };
    batch(&[]);
    let pages: Vec<std::path::PathBuf> = std::fs::read_dir(out.join("episodes")).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "html")).collect();
    assert_eq!(pages.len(), 4);
    for page in &pages {
        let html = std::fs::read_to_string(page).unwrap();
        let document = scraper::Html::parse_document(&html);
        assert!(document.errors.is_empty(), "{}: {:?}", page.display(), document.errors);
        // The page plays the episode next to it.
        let audio = document.select(&scraper::Selector::parse("audio").unwrap()).next().unwrap().value().attr("src").unwrap().to_string();
        assert!(out.join("episodes").join(&audio).is_file(), "{audio}");
    }
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(scraper::Html::parse_document(&index).errors.is_empty());
    assert!(index.contains("https://cdn.example.com/pod/feed.xml"), "{index}");
    // Newest first, as in the feed.
    let xml = std::fs::read(out.join("feed.xml")).unwrap();
    let channel = rss::Channel::read_from(&xml[..]).unwrap();
    let positions: Vec<usize> = channel.items().iter().map(|item| index.find(&format!(">{}</a>", item.title().unwrap().replace('&', "&amp;"))).expect("each episode is listed")).collect();
    assert!(positions.windows(2).all(|pair| pair[0] < pair[1]), "{positions:?}");

    batch(&["--no-pages"]);
    assert!(pages.iter().all(|page| !page.exists()), "--no-pages renders again without the pages");
    assert!(!out.join("index.html").exists());
}
