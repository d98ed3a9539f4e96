//! "Listen to this article" on a page: a read-along player that shows the written article,
//! highlights the sentence being read and seeks by sentence or chapter.
//!
//! [`page`] writes a self-contained HTML page (style and script inlined, nothing fetched but
//! the audio next to it); [`embed`] writes a fragment for a publisher's own page, which reads
//! the [`ReadAlong`] JSON ([`timings_json`]) next to the audio and builds the same markup.
//! Both use one script (`readalong.js`) and one style sheet (`readalong.css`).

use serde::Serialize;

use crate::assemble::Timing;
use crate::chunk::Utterance;
use crate::pipeline::{Part, Role};

const SCRIPT: &str = include_str!("readalong.js");
const STYLE: &str = include_str!("readalong.css");

/// What the pages readcast writes say made them.
const GENERATOR: &str = concat!("<meta name=\"generator\" content=\"readcast ", env!("CARGO_PKG_VERSION"), "\">");

/// Whether a page was written by readcast (any version).
pub fn written_by_readcast(html: &str) -> bool {
    html.contains("<meta name=\"generator\" content=\"readcast ")
}

/// Playback speeds the player offers.
const SPEEDS: [&str; 6] = ["0.75", "1", "1.25", "1.5", "1.75", "2"];

/// What a read-along player shows: the article as written, each spoken sentence with where it
/// is heard in the audio.
#[derive(Debug, Clone, Serialize)]
pub struct ReadAlong {
    pub title: Option<String>,
    pub byline: Option<String>,
    pub date: Option<String>,
    /// The audio, as a URL relative to the page.
    pub audio: String,
    /// Seconds.
    pub duration: f64,
    pub sentences: Vec<Sentence>,
    /// Runs of sentences, each a block of the article or a line of its header.
    pub parts: Vec<Part>,
    pub chapters: Vec<PageChapter>,
}

/// One sentence: as written (shown) and as spoken (heard), and when it is heard.
#[derive(Debug, Clone, Serialize)]
pub struct Sentence {
    pub text: String,
    pub spoken: String,
    pub start: f64,
    pub end: f64,
}

/// A chapter of the audio: its title and where it starts, in seconds.
#[derive(Debug, Clone, Serialize)]
pub struct PageChapter {
    pub title: String,
    pub start: f64,
}

impl ReadAlong {
    /// The read-along of `utterances`, heard at `timings` (one per utterance, as played).
    pub fn new(utterances: &[Utterance], timings: &[Timing], parts: &[Part], chapters: Vec<PageChapter>, audio: &str, duration: f64) -> ReadAlong {
        let sentences = utterances
            .iter()
            .zip(timings)
            .map(|(utterance, timing)| Sentence { text: utterance.written.clone(), spoken: utterance.spoken.clone(), start: round_ms(timing.start), end: round_ms(timing.end) })
            .collect();
        ReadAlong { title: None, byline: None, date: None, audio: audio.to_string(), duration: round_ms(duration), sentences, parts: parts.to_vec(), chapters }
    }

    fn spoken(&self, role: Role) -> bool {
        self.parts.iter().any(|part| part.role == role)
    }
}

fn round_ms(seconds: f64) -> f64 {
    (seconds * 1000.0).round() / 1000.0
}

/// `text` with the characters HTML gives a meaning escaped, for text and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The URL of `target` from a page at `page`: a path relative to the page's folder, each
/// segment percent-encoded (`../audio/story%201.mp3`).
pub fn relative_url(page: &std::path::Path, target: &std::path::Path) -> String {
    let absolute = |path: &std::path::Path| std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let (page, target) = (absolute(page), absolute(target));
    let from: Vec<_> = page.parent().map(|folder| folder.components().collect()).unwrap_or_default();
    let to: Vec<_> = target.components().collect();
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut segments: Vec<String> = vec!["..".to_string(); from.len() - common];
    segments.extend(to[common..].iter().map(|part| encode_segment(&part.as_os_str().to_string_lossy())));
    segments.join("/")
}

/// A path segment percent-encoded for a URL (all but unreserved characters).
pub(crate) fn encode_segment(segment: &str) -> String {
    segment.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-._~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// `m:ss` or `h:mm:ss`.
fn clock(seconds: f64) -> String {
    let total = seconds.max(0.0).floor() as u64;
    let (hours, minutes, seconds) = (total / 3600, total / 60 % 60, total % 60);
    if hours > 0 {
        format!("{hours}:{minutes:02}:{seconds:02}")
    } else {
        format!("{minutes}:{seconds:02}")
    }
}

/// The script with the style it injects (`None`: the page has it already).
fn script(style: Option<&str>) -> String {
    let css = style.map_or("null".to_string(), |css| serde_json::to_string(css).unwrap_or_else(|_| "null".into()));
    // Inside a <script> element, "</" would end it early.
    SCRIPT.replace("READCAST_CSS", &css).replace("</", "<\\/")
}

/// The markup of the player, the chapters and the text, inside a `.readcast` element.
fn body(read_along: &ReadAlong) -> String {
    let sentence = |index: usize| -> String {
        let sentence = &read_along.sentences[index];
        format!("<span class=\"rc-s\" data-start=\"{:.3}\" data-end=\"{:.3}\">{}</span>", sentence.start, sentence.end, escape(&sentence.text))
    };
    let spans = |part: &Part| -> String { part.utterances.clone().filter(|&index| index < read_along.sentences.len()).map(sentence).collect::<Vec<_>>().join(" ") };
    let (mut header, mut text) = (String::new(), String::new());
    if let Some(title) = read_along.title.as_deref().filter(|_| !read_along.spoken(Role::Title)) {
        header.push_str(&format!("<h1>{}</h1>\n", escape(title)));
    }
    if let Some(byline) = read_along.byline.as_deref().filter(|_| !read_along.spoken(Role::Byline)) {
        header.push_str(&format!("<p class=\"rc-meta rc-byline\">By {}</p>\n", escape(byline)));
    }
    if let Some(date) = read_along.date.as_deref().filter(|_| !read_along.spoken(Role::Date)) {
        header.push_str(&format!("<p class=\"rc-meta rc-date\">{}</p>\n", escape(date)));
    }
    let mut in_list = false;
    let mut in_body = false;
    for part in &read_along.parts {
        in_body |= !matches!(part.role, Role::Title | Role::Byline | Role::Date | Role::Disclosure);
        let out = if in_body { &mut text } else { &mut header };
        if in_list && part.role != Role::ListItem {
            out.push_str("</ul>\n");
            in_list = false;
        }
        let inner = spans(part);
        match part.role {
            Role::Title => out.push_str(&format!("<h1>{inner}</h1>\n")),
            Role::Byline => out.push_str(&format!("<p class=\"rc-meta rc-byline\">{inner}</p>\n")),
            Role::Date => out.push_str(&format!("<p class=\"rc-meta rc-date\">{inner}</p>\n")),
            Role::Disclosure => out.push_str(&format!("<p class=\"rc-disclosure\">{inner}</p>\n")),
            Role::Lede => out.push_str(&format!("<p class=\"rc-lede\">{inner}</p>\n")),
            Role::Heading { level } => {
                let level = level.clamp(2, 6);
                out.push_str(&format!("<h{level}>{inner}</h{level}>\n"));
            }
            Role::Paragraph => out.push_str(&format!("<p>{inner}</p>\n")),
            Role::Quote => out.push_str(&format!("<blockquote><p>{inner}</p></blockquote>\n")),
            Role::ListItem => {
                if !in_list {
                    out.push_str("<ul>\n");
                    in_list = true;
                }
                out.push_str(&format!("<li>{inner}</li>\n"));
            }
        }
    }
    if in_list {
        text.push_str("</ul>\n");
    }
    let speeds: String = SPEEDS
        .iter()
        .map(|speed| format!("<option value=\"{speed}\"{}>{speed}\u{d7}</option>", if *speed == "1" { " selected" } else { "" }))
        .collect();
    let player = format!(
        "<section class=\"rc-player\" aria-label=\"Listen to this article\">\n\
         <audio class=\"rc-audio\" src=\"{audio}\" preload=\"metadata\"></audio>\n\
         <button type=\"button\" class=\"rc-back\" aria-label=\"Back 15 seconds\" aria-keyshortcuts=\"j\">\u{2212}15 s</button>\n\
         <button type=\"button\" class=\"rc-play\" aria-label=\"Play\" aria-keyshortcuts=\"k\">Play</button>\n\
         <button type=\"button\" class=\"rc-forward\" aria-label=\"Forward 15 seconds\" aria-keyshortcuts=\"l\">+15 s</button>\n\
         <input type=\"range\" class=\"rc-seek\" min=\"0\" max=\"{duration:.3}\" step=\"0.1\" value=\"0\" aria-label=\"Position\">\n\
         <span class=\"rc-time\">0:00 / {total}</span>\n\
         <label>Speed <select class=\"rc-speed\">{speeds}</select></label>\n\
         </section>\n",
        audio = escape(&read_along.audio),
        duration = read_along.duration,
        total = clock(read_along.duration),
    );
    let chapters = if read_along.chapters.len() > 1 {
        let items: String = read_along
            .chapters
            .iter()
            .map(|chapter| format!("<li><button type=\"button\" data-seek=\"{:.3}\">{}</button><span class=\"rc-at\">{}</span></li>\n", chapter.start, escape(&chapter.title), clock(chapter.start)))
            .collect();
        format!("<nav class=\"rc-chapters\" aria-label=\"Chapters\">\n<h2>Chapters</h2>\n<ol>\n{items}</ol>\n</nav>\n")
    } else {
        String::new()
    };
    format!("<header>\n{header}</header>\n{player}{chapters}<article class=\"rc-text\" aria-live=\"off\">\n{text}</article>\n")
}

/// A self-contained HTML page: the article with its player. It fetches nothing but its audio
/// (its Content-Security-Policy forbids the rest).
pub fn page(read_along: &ReadAlong, language: &str) -> String {
    let title = read_along.title.clone().unwrap_or_else(|| "Listen to this article".to_string());
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; media-src 'self' file:; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         {GENERATOR}\n\
         <title>{title}</title>\n<style id=\"readcast-style\">\n{STYLE}</style>\n</head>\n<body>\n\
         <main class=\"readcast\">\n{body}\
         <footer><p>Narrated by readcast. Keys: k plays or pauses, j and l skip 15 seconds; click a sentence to hear it.</p></footer>\n\
         </main>\n<script>\n{script}</script>\n</body>\n</html>\n",
        language = escape(language),
        title = escape(&title),
        body = body(read_along),
        script = script(None),
    )
}

/// A fragment for a publisher's page: a `<div>` and one inline script that fetches the
/// timings JSON at `timings_url` and builds the player and the text in it, the audio at
/// `audio_url` (both relative to the page the fragment is pasted into, or absolute).
pub fn embed(audio_url: &str, timings_url: &str) -> String {
    format!(
        "<div class=\"readcast\" data-audio=\"{}\" data-timings=\"{}\"></div>\n<script>\n{}</script>\n",
        escape(audio_url),
        escape(timings_url),
        script(Some(STYLE))
    )
}

/// The read-along as JSON, for [`embed`].
pub fn timings_json(read_along: &ReadAlong) -> String {
    serde_json::to_string_pretty(read_along).unwrap_or_else(|_| "{}".to_string())
}

/// One entry of an episode index.
#[derive(Debug, Clone)]
pub struct IndexEntry {
    pub title: String,
    pub date: String,
    pub duration_seconds: f64,
    pub description: String,
    /// The episode's page, or its audio, relative to the index.
    pub href: String,
}

/// An HTML index of episodes (given newest first) with the feed's address.
pub fn index(title: &str, description: &str, feed_url: &str, language: &str, entries: &[IndexEntry]) -> String {
    let items: String = entries
        .iter()
        .map(|entry| {
            format!(
                "<li><h2><a href=\"{}\">{}</a></h2><p class=\"rc-meta\">{} \u{b7} {}</p><p>{}</p></li>\n",
                escape(&entry.href),
                escape(&entry.title),
                escape(&entry.date),
                clock(entry.duration_seconds),
                escape(&entry.description)
            )
        })
        .collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"{language}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n\
         {GENERATOR}\n<title>{title}</title>\n<link rel=\"alternate\" type=\"application/rss+xml\" title=\"{title}\" href=\"{feed}\">\n\
         <style id=\"readcast-style\">\n{STYLE}.readcast ol{{list-style:none;padding:0}}.readcast li h2{{font-size:1.2rem;margin:1.25rem 0 .25rem}}\n</style>\n</head>\n<body>\n\
         <main class=\"readcast\">\n<h1>{title}</h1>\n<p>{description}</p>\n<p>Podcast feed: <a href=\"{feed}\">{feed}</a></p>\n<ol>\n{items}</ol>\n</main>\n</body>\n</html>\n",
        language = escape(language),
        title = escape(title),
        description = escape(description),
        feed = escape(feed_url),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chunk::Pause;

    fn sample() -> ReadAlong {
        let written = ["Tram <line> approved", "By Jane Roe", "It costs $5 million.", "Work starts soon.", "Costs", "One.", "Two."];
        let utterances: Vec<Utterance> = written.iter().enumerate().map(|(i, text)| Utterance { written: text.to_string(), spoken: format!("spoken {i}"), pause_after: Pause::Sentence }).collect();
        let timings: Vec<Timing> = written.iter().enumerate().map(|(i, text)| Timing { text: text.to_string(), start: i as f64, end: i as f64 + 0.8 }).collect();
        let parts = vec![
            Part { role: Role::Title, utterances: 0..1 },
            Part { role: Role::Byline, utterances: 1..2 },
            Part { role: Role::Paragraph, utterances: 2..4 },
            Part { role: Role::Heading { level: 2 }, utterances: 4..5 },
            Part { role: Role::ListItem, utterances: 5..6 },
            Part { role: Role::ListItem, utterances: 6..7 },
        ];
        let chapters = vec![PageChapter { title: "Tram <line> approved".into(), start: 0.0 }, PageChapter { title: "Costs".into(), start: 4.0 }];
        let mut read_along = ReadAlong::new(&utterances, &timings, &parts, chapters, "a \"b\".mp3", 7.5);
        read_along.title = Some("Tram <line> approved".into());
        read_along.date = Some("March 3, 2026".into());
        read_along
    }

    #[test]
    fn the_page_is_valid_html_with_every_sentence_written_and_timed() {
        // The parser does report what HTML5 calls an error.
        assert!(!scraper::Html::parse_document("<!DOCTYPE html><p><b></p></div>").errors.is_empty());
        let html = page(&sample(), "en");
        let document = scraper::Html::parse_document(&html);
        assert!(document.errors.is_empty(), "{:?}", document.errors);
        let select = |css: &str| document.select(&scraper::Selector::parse(css).unwrap()).collect::<Vec<_>>();
        let sentences = select("article .rc-s, header .rc-s");
        assert_eq!(sentences.len(), 7);
        assert_eq!(sentences[2].text().collect::<String>(), "It costs $5 million.");
        assert_eq!(sentences[2].value().attr("data-start"), Some("2.000"));
        assert_eq!(select("h1").len(), 1);
        assert_eq!(select("h1 .rc-s")[0].text().collect::<String>(), "Tram <line> approved");
        // The date is shown though not read; the list items form one list.
        assert_eq!(select(".rc-date")[0].text().collect::<String>(), "March 3, 2026");
        assert_eq!(select("ul > li").len(), 2);
        assert_eq!(select(".rc-chapters button").len(), 2);
        assert_eq!(select("audio")[0].value().attr("src"), Some("a \"b\".mp3"));
        assert_eq!(select("button").len(), 5);
        let inline: usize = select("script, style").iter().map(|node| node.inner_html().len()).sum();
        assert!(inline < 20_000, "{inline} bytes of script and style");
        assert!(!html.contains("http://") && !html.contains("https://"), "the page names no address");
    }

    #[test]
    fn the_embed_is_a_div_and_one_script_and_the_json_round_trips() {
        let fragment = embed("story.mp3", "story.readalong.json");
        let parsed = scraper::Html::parse_fragment(&fragment);
        assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
        assert_eq!(parsed.select(&scraper::Selector::parse("div.readcast[data-timings=\"story.readalong.json\"]").unwrap()).count(), 1);
        assert_eq!(parsed.select(&scraper::Selector::parse("script").unwrap()).count(), 1);
        assert!(!fragment.contains("READCAST_CSS") && fragment.contains(".rc-current"));
        let json: serde_json::Value = serde_json::from_str(&timings_json(&sample())).unwrap();
        assert_eq!(json["sentences"][2]["text"], "It costs $5 million.");
        assert_eq!(json["sentences"][2]["spoken"], "spoken 2");
        assert_eq!(json["parts"][3]["role"], "heading");
        assert_eq!(json["parts"][3]["level"], 2);
        assert_eq!(json["parts"][3]["utterances"]["start"], 4);
    }

    #[test]
    fn urls_are_relative_to_the_page_and_encoded() {
        use std::path::Path;
        assert_eq!(relative_url(Path::new("/a/b/page.html"), Path::new("/a/b/story 1.mp3")), "story%201.mp3");
        assert_eq!(relative_url(Path::new("/a/b/page.html"), Path::new("/a/c/s.mp3")), "../c/s.mp3");
        assert_eq!(relative_url(Path::new("page.html"), Path::new("out/s.mp3")), "out/s.mp3");
    }

    #[test]
    fn the_index_lists_episodes_and_the_feed() {
        let entries = [IndexEntry { title: "A & B".into(), date: "Tue, 03 Mar 2026".into(), duration_seconds: 75.0, description: "d".into(), href: "episodes/a.html".into() }];
        let html = index("Show", "About", "https://example.com/pod/feed.xml", "en", &entries);
        let document = scraper::Html::parse_document(&html);
        assert!(document.errors.is_empty(), "{:?}", document.errors);
        assert!(html.contains("<a href=\"episodes/a.html\">A &amp; B</a>") && html.contains("1:15"));
    }
}
