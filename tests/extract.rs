//! Article extraction: page layouts with reviewed expected output, the scraped seed article
//! from ../shared, URLs served from a local server, and hostile pages.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use readcast::extract::{extract, read_source, ExtractOptions, Source};

fn pages() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/pages")
}

/// Token-level F1 between two texts, the measure used for extraction benchmarks.
fn token_f1(actual: &str, expected: &str) -> f64 {
    use std::collections::HashMap;
    let count = |text: &str| {
        let mut counts: HashMap<String, usize> = HashMap::new();
        for token in text.split_whitespace() {
            *counts.entry(token.to_lowercase()).or_default() += 1;
        }
        counts
    };
    let (a, e) = (count(actual), count(expected));
    let common: usize = a.iter().map(|(token, n)| (*n).min(*e.get(token).unwrap_or(&0))).sum();
    let (total_a, total_e): (usize, usize) = (a.values().sum(), e.values().sum());
    if common == 0 {
        return 0.0;
    }
    let precision = common as f64 / total_a as f64;
    let recall = common as f64 / total_e as f64;
    2.0 * precision * recall / (precision + recall)
}

#[test]
fn page_layouts_match_their_expected_text() {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(pages()).unwrap().map(|e| e.unwrap().path()).collect();
    paths.sort();
    let mut checked = 0;
    for path in paths {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        let stem = match name.strip_suffix(".html").or_else(|| name.strip_suffix(".scraped.txt")).or_else(|| name.strip_suffix(".md")) {
            Some(stem) => stem.to_string(),
            None => continue,
        };
        let expected = std::fs::read_to_string(pages().join(format!("{stem}.expected.txt"))).unwrap();
        let document = read_source(&Source::Path(path.clone())).unwrap();
        let article = extract(&document, &ExtractOptions::default()).unwrap();
        let actual = article.to_plain_text();
        let f1 = token_f1(&actual, &expected);
        assert_eq!(actual, expected, "{name}: token F1 {f1:.3}");
        checked += 1;
    }
    assert!(checked >= 5, "only {checked} layouts");
}

#[test]
fn the_scraped_seed_article_keeps_its_story_and_loses_its_junk() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/seed-article.txt");
    let Ok(source) = std::fs::read_to_string(&seed) else {
        println!("skipped: ../shared/seed-article.txt is not there");
        return;
    };
    let document = read_source(&Source::Path(seed)).unwrap();
    let article = extract(&document, &ExtractOptions::default()).unwrap();
    let blocks: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
    let squash = |line: &str| line.split_whitespace().collect::<Vec<_>>().join(" ");
    let ends_sentence = |line: &str| line.trim_end_matches(['"', '”', '’', '\'', ')']).ends_with(['.', '!', '?']);

    // Every paragraph of running text that is not a caption is read, in order.
    let lines: Vec<String> = source.lines().map(squash).collect();
    let body: Vec<&String> = lines
        .iter()
        .filter(|line| line.split_whitespace().count() >= 12 && ends_sentence(line) && !line.ends_with(')'))
        .filter(|line| !line.contains("confirmation email"))
        .collect();
    assert!(body.len() >= 20, "the seed has {} body paragraphs", body.len());
    let mut at = 0;
    for paragraph in &body {
        let found = blocks[at..].iter().position(|block| block == paragraph);
        assert!(found.is_some(), "missing or out of order: {paragraph}");
        at += found.unwrap() + 1;
    }

    // Teasers: a line glued to a paragraph cut off mid-sentence is another story.
    for pair in lines.windows(2) {
        if !pair[0].is_empty() && !pair[1].is_empty() && !ends_sentence(&pair[1]) && pair[1].split_whitespace().count() > 8 {
            assert!(!blocks.iter().any(|b| *b == pair[0] || *b == pair[1]), "teaser read: {}", pair[0]);
        }
    }
    // Furniture and captions.
    for block in &blocks {
        let lower = block.to_lowercase();
        for junk in ["skip to content", "min read", "created with ai assistance", "indicates required", "subscribe", "editors' picks", "editors’ picks", "enter your email"] {
            assert!(!lower.contains(junk), "junk read: {block}");
        }
        assert!(!block.ends_with(')') || block.ends_with(".)"), "caption read: {block}");
    }
    assert_eq!(article.byline.as_deref().map(str::is_empty), Some(false));
    assert!(article.date.is_some());
    assert!(article.title.as_deref().is_some_and(|t| lines.iter().any(|l| l == t)));
}

/// Serves a few canned responses on loopback; returns the base URL.
fn serve(page: Vec<u8>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(8) {
            let Ok(mut stream) = stream else { continue };
            let mut request_line = String::new();
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            reader.read_line(&mut request_line).unwrap();
            let mut header = String::new();
            while reader.read_line(&mut header).unwrap_or(0) > 2 {
                header.clear();
            }
            let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
            let response: Vec<u8> = match path.as_str() {
                "/moved" => b"HTTP/1.1 301 Moved Permanently\r\nLocation: /article\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
                "/article" => {
                    let mut r = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", page.len()).into_bytes();
                    r.extend(&page);
                    r
                }
                _ => b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
            };
            let _ = stream.write_all(&response);
        }
    });
    format!("http://{address}")
}

fn readcast(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_readcast")).args(args).stdin(Stdio::null()).output().unwrap()
}

#[test]
fn urls_are_fetched_following_redirects_with_clear_errors() {
    let page = std::fs::read(pages().join("wordpress-blog.html")).unwrap();
    let base = serve(page);
    let output = readcast(&["extract", &format!("{base}/moved")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(text.starts_with("# Ferry strike ends after 11 days\n"), "{text}");
    let output = readcast(&["extract", &format!("{base}/missing")]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("HTTP 404"));
}

#[test]
fn a_huge_page_is_extracted_quickly() {
    let paragraph = "<p>The council met again on Monday to discuss the budget, the harbor and the new tram line.</p>\n";
    let mut page = String::from("<html><body><nav><a href='/'>Home</a></nav><article><h1>Council marathon</h1>");
    while page.len() < 5_000_000 {
        page.push_str(paragraph);
    }
    page.push_str("</article></body></html>");
    let started = std::time::Instant::now();
    let article = readcast::extract::extract_str(&page).unwrap();
    assert!(article.blocks.len() > 40_000);
    assert!(started.elapsed().as_secs() < 30);
}
