//! The read-along page and the embeddable player in a real browser (Chromium, headless,
//! driven over the DevTools protocol): the sentence heard is the one highlighted, chapters
//! seek, nothing is fetched from the network and nothing logs an error. Screenshots of the
//! page at desktop and phone widths go to `target/tmp/readalong/`.
//!
//! Skipped, with the reason printed, where no Chromium or Chrome is installed
//! (`apt-get install chromium`; `.ci/run` installs it).

mod common;

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{readcast, root, text};
use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::{Emulation, Log, Network, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

/// Errors, CSP violations (a fetch the page's policy refused) and resources other than
/// local files, recorded from the first script on.
const WATCH: &str = r#"
window.__problems = [];
window.addEventListener("error", e => window.__problems.push("error: " + e.message));
window.addEventListener("unhandledrejection", e => window.__problems.push("rejection: " + e.reason));
document.addEventListener("securitypolicyviolation", e => window.__problems.push("blocked: " + e.blockedURI));
for (const level of ["error", "warn"]) {
  const original = console[level];
  console[level] = (...args) => { window.__problems.push(level + ": " + args.join(" ")); original.apply(console, args); };
}
"#;

fn browser() -> Option<Browser> {
    let path = match headless_chrome::browser::default_executable() {
        Ok(path) => path,
        Err(why) => {
            eprintln!("skipped: no Chromium or Chrome to test the read-along page in ({why}); apt-get install chromium");
            return None;
        }
    };
    let options = LaunchOptions {
        path: Some(path),
        headless: true,
        sandbox: false,
        window_size: Some((1280, 900)),
        idle_browser_timeout: Duration::from_secs(120),
        args: vec![OsStr::new("--autoplay-policy=no-user-gesture-required"), OsStr::new("--mute-audio")],
        ..LaunchOptions::default()
    };
    Some(Browser::new(options).expect("the browser starts"))
}

/// A tab, what its pages log as warnings and errors (the browser's own messages included),
/// and every URL they request. Problems are also recorded by the pages from their first
/// script on ([`WATCH`]).
struct Watched {
    tab: Arc<Tab>,
    logged: Arc<Mutex<Vec<String>>>,
    requested: Arc<Mutex<Vec<String>>>,
}

fn watched_tab(browser: &Browser) -> Watched {
    let tab = browser.new_tab().expect("a tab");
    tab.set_default_timeout(Duration::from_secs(60));
    tab.call_method(Page::AddScriptToEvaluateOnNewDocument { source: WATCH.to_string(), world_name: None, include_command_line_api: None, run_immediately: None })
        .expect("the watcher is installed");
    let (logged, requested) = (Arc::new(Mutex::new(Vec::new())), Arc::new(Mutex::new(Vec::new())));
    let (log, requests) = (Arc::clone(&logged), Arc::clone(&requested));
    tab.add_event_listener(Arc::new(move |event: &Event| match event {
        Event::LogEntryAdded(added) if matches!(added.params.entry.level, Log::LogEntryLevel::Error | Log::LogEntryLevel::Warning) => {
            log.lock().unwrap().push(format!("{:?}: {}", added.params.entry.level, added.params.entry.text));
        }
        Event::NetworkRequestWillBeSent(sent) => requests.lock().unwrap().push(sent.params.request.url.clone()),
        _ => {}
    }))
    .expect("the listener is added");
    tab.enable_log().expect("the log is on");
    tab.call_method(Network::Enable { max_total_buffer_size: None, max_resource_buffer_size: None, max_post_data_size: None, report_direct_socket_traffic: None, enable_durable_messages: None })
        .expect("requests are reported");
    Watched { tab, logged, requested }
}

/// The value of `script` (a promise's, once settled), passed as JSON.
fn evaluate(tab: &Tab, script: &str) -> Value {
    let wrapped = format!("Promise.resolve({script}).then(value => JSON.stringify(value === undefined ? null : value))");
    let result = tab.evaluate(&wrapped, true).unwrap_or_else(|e| panic!("{script}: {e}"));
    let json = result.value.as_ref().and_then(Value::as_str).unwrap_or("null");
    serde_json::from_str(json).unwrap_or(Value::Null)
}

/// Narrates `input` to `folder/story.mp3` with a page and an embeddable player.
fn narrate(input: &Path, folder: &Path) {
    let cache = folder.join("cache");
    let (audio, page, embed) = (folder.join("story.mp3"), folder.join("story.html"), folder.join("story.player.html"));
    let output = readcast(&cache, &["narrate", input.to_str().unwrap(), "-o", audio.to_str().unwrap(), "--voice", "espeak", "--page", page.to_str().unwrap(), "--embed", embed.to_str().unwrap(), "--quiet"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
}

/// Waits until the player's audio knows its duration and the sentences are on the page.
fn wait_for_player(tab: &Tab) {
    let ready = evaluate(
        tab,
        r#"new Promise(resolve => {
            const started = Date.now();
            (function poll() {
                const audio = document.querySelector(".rc-audio");
                if (audio && audio.readyState >= 1 && document.querySelectorAll(".rc-s").length > 3) resolve(true);
                else if (Date.now() - started > 20000) resolve(false);
                else setTimeout(poll, 50);
            })();
        })"#,
    );
    assert_eq!(ready, Value::Bool(true), "the player did not load its audio");
}

/// Seeks to the middle of the third sentence: that sentence, and it alone, is highlighted.
fn check_seek_highlights_the_sentence(tab: &Tab) {
    let result = evaluate(
        tab,
        r#"new Promise(resolve => {
            const audio = document.querySelector(".rc-audio");
            const third = document.querySelectorAll(".rc-s")[2];
            const middle = (parseFloat(third.dataset.start) + parseFloat(third.dataset.end)) / 2;
            audio.addEventListener("seeked", () => setTimeout(() => {
                const lit = [...document.querySelectorAll(".rc-current")];
                resolve({ lit: lit.length, third: lit[0] === third, current: third.getAttribute("aria-current"), time: audio.currentTime, middle });
            }, 50), { once: true });
            audio.currentTime = middle;
        })"#,
    );
    assert_eq!(result["lit"], 1, "{result}");
    assert_eq!(result["third"], true, "{result}");
    assert_eq!(result["current"], "true", "{result}");
}

/// Plays from just before sentence boundaries and records, at each change of highlight, the
/// audio's time: each change comes within 100 ms of the sentence's start in the timings.
fn check_highlight_follows_playback(tab: &Tab) {
    let result = evaluate(
        tab,
        r#"new Promise(resolve => {
            const audio = document.querySelector(".rc-audio");
            const sentences = [...document.querySelectorAll(".rc-s")];
            const changes = [];
            const observer = new MutationObserver(() => {
                const index = sentences.findIndex(node => node.classList.contains("rc-current"));
                if (index >= 0 && !audio.paused) changes.push({ index, time: audio.currentTime, start: parseFloat(sentences[index].dataset.start) });
            });
            sentences.forEach(node => observer.observe(node, { attributes: true, attributeFilter: ["class"] }));
            const from = parseFloat(sentences[1].dataset.start) - 0.4;
            audio.addEventListener("seeked", () => {
                audio.play().then(() => setTimeout(() => { audio.pause(); observer.disconnect(); resolve({ changes, from, now: audio.currentTime }); }, 3000),
                                  error => resolve({ error: String(error) }));
            }, { once: true });
            audio.playbackRate = 1.5;
            audio.currentTime = from;
        })"#,
    );
    assert!(result.get("error").is_none(), "the audio did not play: {result}");
    let changes = result["changes"].as_array().expect("changes");
    assert!(changes.len() >= 2, "playback crossed sentence starts without changes of highlight: {result}");
    for change in changes {
        let lag = change["time"].as_f64().unwrap() - change["start"].as_f64().unwrap();
        assert!(lag.abs() <= 0.1, "highlight changed {lag:.3} s from the sentence start: {result}");
    }
    println!("highlight changes during playback: {changes:?}");
}

/// Clicking the second chapter seeks to its start and lights its heading.
fn check_chapter_click(tab: &Tab) {
    tab.find_element(".rc-chapters li:nth-child(2) button").expect("a second chapter").click().expect("the chapter is clicked");
    let result = evaluate(
        tab,
        r#"new Promise(resolve => setTimeout(() => {
            const button = document.querySelector(".rc-chapters li:nth-child(2) button");
            const lit = document.querySelector(".rc-current");
            resolve({ time: document.querySelector(".rc-audio").currentTime, start: parseFloat(button.dataset.seek), title: button.textContent, lit: lit && lit.textContent });
        }, 300))"#,
    );
    let (time, start) = (result["time"].as_f64().unwrap(), result["start"].as_f64().unwrap());
    assert!((time - start).abs() < 0.05, "{result}");
    assert_eq!(result["lit"], result["title"], "{result}");
}

/// Nothing logged a warning or an error, and the page asked for `allowed` only (file names).
/// The player works from the keyboard: Enter on the focused play button plays, and `k`
/// pauses; the button's label says what it will do.
fn check_keyboard(tab: &Tab) {
    evaluate(tab, r#"document.querySelector(".rc-play").focus()"#);
    tab.press_key("Enter").expect("Enter is pressed");
    let playing = evaluate(tab, r#"new Promise(resolve => setTimeout(() => { const audio = document.querySelector(".rc-audio"); resolve({ paused: audio.paused, label: document.querySelector(".rc-play").getAttribute("aria-label") }); }, 400))"#);
    assert_eq!(playing, serde_json::json!({ "paused": false, "label": "Pause" }));
    tab.press_key("k").expect("k is pressed");
    let paused = evaluate(tab, r#"new Promise(resolve => setTimeout(() => { const audio = document.querySelector(".rc-audio"); resolve({ paused: audio.paused, label: document.querySelector(".rc-play").getAttribute("aria-label") }); }, 200))"#);
    assert_eq!(paused, serde_json::json!({ "paused": true, "label": "Play" }));
}

fn check_no_problems(watched: &Watched, allowed: &[&str]) {
    let problems = evaluate(&watched.tab, "window.__problems");
    assert_eq!(problems, serde_json::json!([]), "console errors or blocked requests");
    assert_eq!(*watched.logged.lock().unwrap(), Vec::<String>::new(), "the browser logged problems");
    let requested = watched.requested.lock().unwrap().clone();
    let unexpected: Vec<&String> = requested.iter().filter(|url| !allowed.iter().any(|name| url.ends_with(&format!("/{name}")))).collect();
    assert!(unexpected.is_empty(), "requests beyond the page's own files: {unexpected:?} (all: {requested:?})");
}

fn screenshot_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("readalong");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Screenshots of the page at a desktop and a phone width.
fn screenshots(tab: &Tab, name: &str) {
    for (device, width, height, mobile) in [("desktop", 1280, 900, false), ("phone", 390, 844, true)] {
        tab.call_method(Emulation::SetDeviceMetricsOverride {
            width,
            height,
            device_scale_factor: 1.0,
            mobile,
            scale: None,
            screen_width: None,
            screen_height: None,
            position_x: None,
            position_y: None,
            dont_set_visible_size: None,
            screen_orientation: None,
            viewport: None,
            display_feature: None,
            device_posture: None,
        })
        .expect("the viewport is set");
        evaluate(tab, "new Promise(resolve => { window.scrollTo(0, 0); setTimeout(() => resolve(true), 200); })");
        let png = tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true).expect("a screenshot");
        let path = screenshot_dir().join(format!("{name}-{device}.png"));
        std::fs::write(&path, png).unwrap();
        println!("screenshot: {}", path.display());
    }
    tab.call_method(Emulation::ClearDeviceMetricsOverride(None)).expect("the viewport is reset");
}

fn check_page(browser: &Browser, input: &Path, name: &str) {
    let folder = tempfile::tempdir().unwrap();
    narrate(input, folder.path());
    let watched = watched_tab(browser);
    let tab = &watched.tab;
    tab.navigate_to(&format!("file://{}", folder.path().join("story.html").display())).unwrap().wait_until_navigated().unwrap();
    wait_for_player(tab);
    check_seek_highlights_the_sentence(tab);
    check_chapter_click(tab);
    check_highlight_follows_playback(tab);
    check_keyboard(tab);
    screenshots(tab, name);
    check_no_problems(&watched, &["story.html", "story.mp3"]);
    tab.close(false).ok();
}

#[test]
fn the_page_of_a_seed_shaped_article_follows_the_audio() {
    let Some(browser) = browser() else { return };
    check_page(&browser, &root().join("samples/scraped-harbor.txt"), "seed-shaped");
}

#[test]
fn the_page_of_a_thousand_word_article_follows_the_audio() {
    let Some(browser) = browser() else { return };
    // The repository's 1,000-word news copy as Markdown, with section headings (chapters).
    let copy = std::fs::read_to_string(root().join("benches/long-article.txt")).unwrap();
    let paragraphs: Vec<&str> = copy.lines().filter(|line| line.split_whitespace().count() >= 25).collect();
    let mut markdown = String::from("# Riverside council backs $1.2 billion light-rail line\n\nBy Teresa Okafor\n\n");
    for (index, paragraph) in paragraphs.iter().enumerate() {
        if index > 0 && index % (paragraphs.len() / 3).max(1) == 0 {
            markdown.push_str(&format!("## Part {}\n\n", index / (paragraphs.len() / 3).max(1) + 1));
        }
        markdown.push_str(paragraph);
        markdown.push_str("\n\n");
    }
    assert!(markdown.split_whitespace().count() > 900, "{}", markdown.split_whitespace().count());
    let folder = tempfile::tempdir().unwrap();
    let input = folder.path().join("light-rail.md");
    std::fs::write(&input, markdown).unwrap();
    check_page(&browser, &input, "thousand-words");
}

/// Serves `folder` over HTTP on a local port (with byte ranges, as media players ask for),
/// recording each path asked for.
fn serve(folder: PathBuf) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let asked = Arc::new(Mutex::new(Vec::new()));
    let log = Arc::clone(&asked);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (folder, log) = (folder.clone(), Arc::clone(&log));
            std::thread::spawn(move || {
                let mut reader = BufReader::new(stream.try_clone().unwrap());
                let mut request = String::new();
                if reader.read_line(&mut request).is_err() {
                    return;
                }
                let mut range: Option<(u64, Option<u64>)> = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                        break;
                    }
                    if let Some(value) = line.to_ascii_lowercase().strip_prefix("range: bytes=") {
                        let (from, to) = value.trim().split_once('-').unwrap_or(("0", ""));
                        range = Some((from.parse().unwrap_or(0), to.parse().ok()));
                    }
                }
                let path = request.split_whitespace().nth(1).unwrap_or("/").to_string();
                log.lock().unwrap().push(path.clone());
                let mut stream = stream;
                let Ok(mut file) = std::fs::File::open(folder.join(path.trim_start_matches('/'))) else {
                    let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                    return;
                };
                let mut body = Vec::new();
                file.read_to_end(&mut body).unwrap();
                let kind = match Path::new(&path).extension().and_then(|e| e.to_str()) {
                    Some("html") => "text/html; charset=utf-8",
                    Some("json") => "application/json",
                    Some("mp3") => "audio/mpeg",
                    _ => "application/octet-stream",
                };
                let total = body.len() as u64;
                let head = match range {
                    Some((from, to)) if from < total => {
                        let to = to.unwrap_or(total - 1).min(total - 1);
                        body = body[from as usize..=to as usize].to_vec();
                        format!("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {from}-{to}/{total}\r\n")
                    }
                    _ => "HTTP/1.1 200 OK\r\n".to_string(),
                };
                let _ = stream.write_all(format!("{head}Content-Type: {kind}\r\nContent-Length: {}\r\nAccept-Ranges: bytes\r\nConnection: close\r\n\r\n", body.len()).as_bytes());
                let _ = stream.write_all(&body);
            });
        }
    });
    (port, asked)
}

#[test]
fn the_embedded_player_builds_itself_from_the_timings_on_a_publishers_page() {
    let Some(browser) = browser() else { return };
    let folder = tempfile::tempdir().unwrap();
    narrate(&root().join("samples/scraped-harbor.txt"), folder.path());
    // A publisher's page with the fragment pasted into it, as the README shows.
    let fragment = std::fs::read_to_string(folder.path().join("story.player.html")).unwrap();
    let publisher = format!("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>The Daily Example</title></head>\n<body><h1>The Daily Example</h1>\n{fragment}</body></html>\n");
    std::fs::write(folder.path().join("publisher.html"), publisher).unwrap();
    let (port, asked) = serve(folder.path().to_path_buf());
    let watched = watched_tab(&browser);
    let tab = &watched.tab;
    tab.navigate_to(&format!("http://127.0.0.1:{port}/publisher.html")).unwrap().wait_until_navigated().unwrap();
    wait_for_player(tab);
    check_seek_highlights_the_sentence(tab);
    check_chapter_click(tab);
    // The written text is shown, as on the page: "$3.5 million", not the spoken words.
    let shown = evaluate(tab, r#"document.querySelector(".rc-text").textContent"#);
    assert!(shown.as_str().unwrap().contains("$3.5 million"), "{shown}");
    check_no_problems(&watched, &["publisher.html", "story.readalong.json", "story.mp3"]);
    let mut asked = asked.lock().unwrap().clone();
    asked.sort();
    asked.dedup();
    assert_eq!(asked, ["/publisher.html", "/story.mp3", "/story.readalong.json"]);
}
