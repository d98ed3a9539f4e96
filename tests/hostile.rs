//! readcast tried as a hostile user would: damaged cache entries, redirects off the web,
//! control characters in titles, options out of range, outputs that are not files, the same
//! file twice, interrupts, deep nesting. Each case checks the exit code, the one-line message
//! and what is left on disk.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::{command, readcast, root, text};

/// The message: one line, starting "readcast: " or clap's "error: ".
fn one_line(output: &Output) -> String {
    let stderr = text(&output.stderr);
    let first = stderr.lines().next().unwrap_or("").to_string();
    assert!(first.starts_with("readcast: ") || first.starts_with("error: "), "{stderr}");
    first
}

/// Files in a folder, by name.
fn names(folder: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder).unwrap().map(|entry| entry.unwrap().file_name().to_string_lossy().to_string()).collect();
    names.sort();
    names
}

/// An HTTP server on loopback that answers each of `responses` to one request, in order.
fn serve(responses: Vec<Vec<u8>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for response in responses {
            let Ok((mut stream, _)) = listener.accept() else { return };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let _ = stream.write_all(&response);
        }
    });
    address
}

const STORY: &str = "Ferry service resumes\n\nThe ferry to the island resumed on Monday after a two-week repair, the operator said.\n\nCrossings run every hour from 6 a.m. to 9 p.m., and tickets cost $4 for adults.\n";

#[test]
fn damaged_cache_entries_are_made_again_and_the_episodes_do_not_change() {
    let work = tempfile::tempdir().unwrap();
    let (cache, first, second) = (work.path().join("cache"), work.path().join("first"), work.path().join("second"));
    let articles = work.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::write(articles.join("ferry.txt"), STORY).unwrap();
    std::fs::copy(root().join("samples/clean-library.txt"), articles.join("library.txt")).unwrap();
    for out in [&first, &second] {
        std::fs::create_dir_all(out).unwrap();
    }
    let batch = |out: &Path| readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod"]);
    let output = batch(&first);
    assert!(output.status.success(), "{}", text(&output.stderr));

    // Zeroed and truncated MP3 pieces, a flipped byte in a profile, an empty segment.
    let entries: Vec<PathBuf> = walk(&cache);
    let of = |extension: &str| entries.iter().filter(|path| path.extension().is_some_and(|e| e == extension)).cloned().collect::<Vec<_>>();
    let (pieces, profiles, segments) = (of("mp3"), of("prof"), of("seg"));
    assert!(pieces.len() >= 2 && !profiles.is_empty() && !segments.is_empty());
    std::fs::write(&pieces[0], vec![0; std::fs::metadata(&pieces[0]).unwrap().len() as usize]).unwrap();
    let bytes = std::fs::read(&pieces[1]).unwrap();
    std::fs::write(&pieces[1], &bytes[..bytes.len() / 2]).unwrap();
    let mut bytes = std::fs::read(&profiles[0]).unwrap();
    bytes[40] ^= 1;
    std::fs::write(&profiles[0], bytes).unwrap();
    std::fs::write(&segments[0], b"").unwrap();

    let output = batch(&second);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("damaged cache entries were removed and made again"), "{}", text(&output.stderr));
    for name in names(&first.join("episodes")).iter().filter(|name| name.ends_with(".mp3")) {
        assert_eq!(std::fs::read(first.join("episodes").join(name)).unwrap(), std::fs::read(second.join("episodes").join(name)).unwrap(), "{name}");
    }
}

fn walk(folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(folder).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(walk(&path));
        } else {
            found.push(path);
        }
    }
    found.sort();
    found
}

#[test]
fn a_redirect_off_the_web_or_a_panic_fails_only_its_article() {
    let work = tempfile::tempdir().unwrap();
    let redirect = b"HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\n\r\n".to_vec();
    let address = serve(vec![redirect.clone(), redirect]);
    let output = readcast(work.path(), &["extract", &format!("{address}/story")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(one_line(&output).contains("redirected to 'file:///etc/passwd': only http:// and https:// URLs can be read"), "{}", text(&output.stderr));
    assert!(output.stdout.is_empty());

    // In a batch, that article fails; the others are rendered and the feed is written; exit 1.
    let (articles, out) = (work.path().join("articles"), work.path().join("pod"));
    std::fs::create_dir_all(&articles).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    // A title with control characters, as a page or a paste can carry them.
    std::fs::write(articles.join("ferry.txt"), STORY.replacen("Ferry service resumes", "Ferry \u{1b}[1mservice\u{1} resumes", 1)).unwrap();
    std::fs::write(articles.join("page.html"), "<html><head><title>A &#1; title</title></head><body><h1>A &#1; title</h1><p>The council approved the new budget on Tuesday after a long debate, officials said.</p></body></html>").unwrap();
    std::fs::write(out.join("podcast.toml"), "title = \"Morning \\u0007briefing\"\n").unwrap();
    // And an article that makes readcast panic (a debug build's test hook): it fails alone.
    std::fs::write(articles.join("bug.txt"), STORY.replacen("Ferry service resumes", "Ferry bug report", 1)).unwrap();
    let output = command(&work.path().join("cache"), &["batch", articles.to_str().unwrap(), &format!("{address}/story"), "--out", out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod"])
        .env("READCAST_TEST_PANIC_ON", "bug report")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("2 rendered, 0 up to date, 2 failed"), "{stderr}");
    assert!(stderr.contains("readcast failed on this article (test panic on 'Ferry bug report'); please report it"), "{stderr}");
    let feed = std::fs::read(out.join("feed.xml")).unwrap();
    let channel = rss::Channel::read_from(&feed[..]).expect("feed.xml is well-formed");
    assert_eq!(channel.title(), "Morning briefing");
    let mut titles: Vec<&str> = channel.items().iter().filter_map(|item| item.title()).collect();
    titles.sort();
    assert_eq!(titles, ["A title", "Ferry [1mservice resumes"]);
}

#[test]
fn the_http_header_charset_is_honoured() {
    let work = tempfile::tempdir().unwrap();
    let body = b"Caf\xe9 owners said the square reopened on Monday, three days after the storm.";
    let mut response = format!("HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=ISO-8859-1\r\nContent-Length: {}\r\n\r\n", body.len()).into_bytes();
    response.extend_from_slice(body);
    let address = serve(vec![response]);
    let output = readcast(work.path(), &["extract", &format!("{address}/story.txt")]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "Café owners said the square reopened on Monday, three days after the storm.\n");
}

#[test]
fn options_out_of_range_are_refused_before_any_work() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("story.txt");
    std::fs::write(&input, STORY).unwrap();
    let out = work.path().join("out.wav");
    for (option, value, says) in [
        ("--loudness", "NaN", "not a finite number"),
        ("--loudness", "inf", "not a finite number"),
        ("--loudness", "-200", "use -70 to 0"),
        ("--pause-sentence", "1e9", "use 0 to 10 seconds"),
        ("--pause-paragraph", "inf", "not a finite number"),
        ("--pause-section", "-1", "use 0 to 10 seconds"),
        ("--jobs", "100000", "use 1 to 256"),
        ("--jobs", "0", "use 1 to 256"),
    ] {
        let output = readcast(work.path(), &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", option, value]);
        assert_eq!(output.status.code(), Some(2), "{option} {value}");
        assert!(one_line(&output).contains(says), "{option} {value}: {}", text(&output.stderr));
        assert!(!out.exists());
    }
}

#[test]
fn outputs_that_are_not_files_or_are_named_twice_are_refused() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("story.txt");
    std::fs::write(&input, STORY).unwrap();
    let out = work.path().join("out.wav");
    let narrate = |extra: &[&str]| {
        let mut args = vec!["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--quiet"];
        args.extend_from_slice(extra);
        readcast(work.path(), &args)
    };
    // A device: refused, and still a device.
    if Path::new("/dev/null").exists() {
        let output = narrate(&["--captions", "/dev/null"]);
        assert_eq!(output.status.code(), Some(2));
        assert!(one_line(&output).contains("/dev/null: a device, pipe or socket; readcast writes only regular files"), "{}", text(&output.stderr));
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
        }
    }
    // A folder.
    let output = narrate(&["--timings", work.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(one_line(&output).contains("a folder"), "{}", text(&output.stderr));
    // The same file twice: nothing is written.
    let output = narrate(&["--timings", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(one_line(&output).contains("are the same file"), "{}", text(&output.stderr));
    assert_eq!(names(work.path()), ["story.txt"]);
    // A symbolic link is followed: the file it points to is replaced, the link stays.
    #[cfg(unix)]
    {
        let real = work.path().join("real.vtt");
        std::fs::write(&real, "old").unwrap();
        let link = work.path().join("link.vtt");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        let output = narrate(&["--captions", link.to_str().unwrap()]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert!(std::fs::read_to_string(&real).unwrap().starts_with("WEBVTT"));
    }
}

#[cfg(unix)]
#[test]
fn an_interrupt_leaves_no_partial_file_and_exits_130() {
    let work = tempfile::tempdir().unwrap();
    let input = work.path().join("long.txt");
    // A long article: the interrupt comes while it is being narrated.
    std::fs::write(&input, STORY.repeat(400)).unwrap();
    let out_dir = work.path().join("out");
    std::fs::create_dir_all(&out_dir).unwrap();
    for signal in ["INT", "TERM"] {
        let child = command(work.path(), &["narrate", input.to_str().unwrap(), "-o", out_dir.join("out.mp3").to_str().unwrap(), "--voice", "espeak", "--quiet"])
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(700));
        let killed = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let output = child.wait_with_output().unwrap();
        if output.status.success() {
            // Finished before the signal: nothing to check on this machine.
            continue;
        }
        assert_eq!(output.status.code(), Some(130), "{signal}: {}", text(&output.stderr));
        assert!(one_line(&output).contains("interrupted"), "{}", text(&output.stderr));
        assert!(names(&out_dir).is_empty(), "{signal}: {:?}", names(&out_dir));
    }
}

#[test]
fn a_hundred_thousand_nested_divisions_are_read() {
    let work = tempfile::tempdir().unwrap();
    let page = work.path().join("deep.html");
    let depth = 100_000;
    std::fs::write(&page, format!("<html><body>{}<p>The harbor reopened on Monday, three days after the storm closed it.</p>{}</body></html>", "<div>".repeat(depth), "</div>".repeat(depth))).unwrap();
    let output = readcast(work.path(), &["extract", page.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "The harbor reopened on Monday, three days after the storm closed it.\n");
}

#[test]
fn espeak_ng_batches_never_corrupt_their_cache() {
    if !readcast::synth::espeak_ng::available() {
        println!("skipped: the espeak-ng program is not installed (apt-get install espeak-ng)");
        return;
    }
    // Two jobs, a fresh cache, articles that share sentences (the disclosure line): each
    // segment and its profile come from one render, so a second batch into another folder
    // reads them back without a failure.
    let work = tempfile::tempdir().unwrap();
    let cache = work.path().join("cache");
    let articles = work.path().join("articles");
    std::fs::create_dir_all(&articles).unwrap();
    for entry in std::fs::read_dir(root().join("samples")).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, articles.join(path.file_name().unwrap())).unwrap();
    }
    std::fs::write(articles.join("ferry.txt"), STORY).unwrap();
    for out in ["first", "second"] {
        let out = work.path().join(out);
        std::fs::create_dir_all(&out).unwrap();
        let output = readcast(&cache, &["batch", articles.to_str().unwrap(), "--out", out.to_str().unwrap(), "--voice", "espeak-ng", "--jobs", "2", "--base-url", "https://example.com/pod"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        assert!(text(&output.stderr).contains("5 rendered, 0 up to date, 0 failed"), "{}", text(&output.stderr));
    }
}
