//! Any text in every string a feed is built from (the show's podcast.toml, an episode's
//! metadata): feed.xml always parses.
#![no_main]

use libfuzzer_sys::fuzz_target;
use readcast::podcast::episode::Episode;
use readcast::podcast::feed::{build, Channel};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).to_string();
    let mut parts = text.splitn(4, '|').map(str::to_string);
    let mut next = || parts.next().unwrap_or_default();
    let channel = Channel { title: next(), description: next(), author: Some(next()), ..Channel::default() };
    let episode = Episode {
        id: text.clone(),
        title: next(),
        byline: Some(text.clone()),
        pub_date: "Wed, 29 Apr 2025 00:00:00 +0000".into(),
        description: text.clone(),
        audio_file: text.clone(),
        audio_type: "audio/mpeg".into(),
        audio_bytes: 1,
        duration_seconds: 1.0,
        captions_file: "a.vtt".into(),
        chapters_file: "a.chapters.json".into(),
        source: text.clone(),
        render_hash: String::new(),
    };
    let xml = build(&channel, &[episode], "https://example.com/pod");
    rss::Channel::read_from(xml.as_bytes()).expect("feed.xml parses");
});
