//! The podcast feed: RSS 2.0 with the iTunes and Podcasting 2.0 tags podcast apps read,
//! built from the finished episodes in a batch folder and the channel's `podcast.toml`.

use std::collections::BTreeMap;
use std::path::Path;

use rss::extension::itunes::{ITunesCategory, ITunesChannelExtension, ITunesItemExtension, ITunesOwner};
use rss::extension::Extension;
use rss::{Channel as RssChannel, Enclosure, Guid, Image, Item};
use serde::Deserialize;

use super::episode::{Episode, MONTHS};
use crate::error::{Error, Result};
use crate::narrator::Preferences;

const PODCAST_NAMESPACE: &str = "https://podcastindex.org/namespace/1.0";

/// The show, from `podcast.toml` (every field optional).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channel {
    #[serde(default = "default_title")]
    pub title: String,
    #[serde(default)]
    pub link: String,
    #[serde(default = "default_description")]
    pub description: String,
    #[serde(default = "default_language")]
    pub language: String,
    /// Cover art URL (1400-3000 px square for Apple Podcasts).
    #[serde(default)]
    pub image: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub explicit: bool,
    #[serde(default = "default_category")]
    pub category: String,
    /// Where the episode files will be served from; `--base-url` overrides it.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The feed lists at most this many episodes, the newest (the others' files stay).
    #[serde(default)]
    pub max_episodes: Option<usize>,
}

fn default_title() -> String {
    "readcast narrations".into()
}
fn default_description() -> String {
    "News articles, narrated.".into()
}
fn default_language() -> String {
    "en-us".into()
}
fn default_category() -> String {
    "News".into()
}

impl Default for Channel {
    fn default() -> Self {
        toml::from_str("").expect("every field has a default")
    }
}

impl Channel {
    /// Reads `podcast.toml`; a missing file gives the defaults.
    pub fn load(path: &Path) -> Result<Self> {
        Channel::load_with_preferences(path).map(|(channel, _)| channel)
    }

    /// Reads `podcast.toml`: the show, and how its episodes are narrated (`voice`,
    /// `disclosure`, pauses, loudness...: [`Preferences`]). A missing file gives the defaults.
    pub fn load_with_preferences(path: &Path) -> Result<(Self, Preferences)> {
        let name = format!("{}: not a valid podcast.toml", path.display());
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok((Channel::default(), Preferences::default())),
            Err(e) => return Err(Error::io(path, e)),
        };
        let mut table: toml::Table = toml::from_str(&text).map_err(|e| Error::input(format!("{name}: {e}")))?;
        let preferences = Preferences::take_from(&mut table, &name, path.parent().unwrap_or(Path::new(".")))?;
        let channel = Channel::deserialize(table).map_err(|e| Error::input(format!("{name}: {e}")))?;
        Ok((channel, preferences))
    }
}

/// The finished episodes in `dir/episodes`, newest first.
pub fn episodes(dir: &Path) -> Result<Vec<Episode>> {
    let folder = dir.join("episodes");
    let mut episodes = Vec::new();
    for entry in std::fs::read_dir(&folder).map_err(|e| Error::io(&folder, e))? {
        let path = entry.map_err(|e| Error::io(&folder, e))?.path();
        if path.extension().is_some_and(|e| e == "json") && !path.to_string_lossy().ends_with(".chapters.json") {
            let episode = Episode::load(&path)?;
            // Only episodes whose audio is there, complete, are listed.
            let audio = folder.join(&episode.audio_file);
            if std::fs::metadata(&audio).is_ok_and(|m| m.len() == episode.audio_bytes) {
                episodes.push(episode);
            }
        }
    }
    episodes.sort_by(|a, b| b.pub_date_key().cmp(&a.pub_date_key()).then(a.id.cmp(&b.id)));
    Ok(episodes)
}

impl Episode {
    /// Sort key: (year, month, day, time) from the RFC 2822 date.
    fn pub_date_key(&self) -> (String, u32, String, String) {
        let parts: Vec<&str> = self.pub_date.split_whitespace().collect();
        let month = MONTHS.iter().position(|m| parts.get(2) == Some(m)).map_or(0, |p| p as u32 + 1);
        (parts.get(3).unwrap_or(&"").to_string(), month, parts.get(1).unwrap_or(&"").to_string(), parts.get(4).unwrap_or(&"").to_string())
    }
}

fn url(base: &str, file: &str) -> String {
    format!("{}/episodes/{}", base.trim_end_matches('/'), crate::page::encode_segment(file))
}

fn podcast_tag(name: &str, attrs: &[(&str, &str)]) -> Extension {
    Extension {
        name: format!("podcast:{name}"),
        value: None,
        attrs: attrs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        children: BTreeMap::new(),
    }
}

fn duration(seconds: f64) -> String {
    let total = seconds.round() as u64;
    format!("{:02}:{:02}:{:02}", total / 3600, total / 60 % 60, total % 60)
}

/// The feed XML for `episodes`, enclosure URLs under `base_url`.
pub fn build(channel: &Channel, episodes: &[Episode], base_url: &str) -> String {
    let items: Vec<Item> = episodes
        .iter()
        .map(|episode| {
            let mut item = Item::default();
            item.set_title(episode.title.clone());
            item.set_description(episode.description.clone());
            item.set_pub_date(episode.pub_date.clone());
            item.set_guid(Guid { value: episode.id.clone(), permalink: false });
            item.set_link(episode.link.clone());
            item.set_enclosure(Enclosure {
                url: url(base_url, &episode.audio_file),
                length: episode.audio_bytes.to_string(),
                mime_type: episode.audio_type.clone(),
            });
            let mut itunes = ITunesItemExtension::default();
            itunes.set_duration(duration(episode.duration_seconds));
            itunes.set_author(episode.byline.clone());
            itunes.set_explicit(Some(if channel.explicit { "true" } else { "false" }.to_string()));
            itunes.set_summary(Some(episode.description.clone()));
            item.set_itunes_ext(itunes);
            let mut tags: BTreeMap<String, Vec<Extension>> = BTreeMap::new();
            tags.insert("chapters".into(), vec![podcast_tag("chapters", &[("url", &url(base_url, &episode.chapters_file)), ("type", "application/json+chapters")])]);
            tags.insert("transcript".into(), vec![podcast_tag("transcript", &[("url", &url(base_url, &episode.captions_file)), ("type", "text/vtt"), ("language", &channel.language)])]);
            let mut extensions = BTreeMap::new();
            extensions.insert("podcast".to_string(), tags);
            item.set_extensions(extensions);
            item
        })
        .collect();
    let mut rss = RssChannel::default();
    rss.set_title(channel.title.clone());
    rss.set_link(if channel.link.is_empty() { base_url.to_string() } else { channel.link.clone() });
    rss.set_description(channel.description.clone());
    rss.set_language(Some(channel.language.clone()));
    rss.set_generator(Some(concat!("readcast ", env!("CARGO_PKG_VERSION")).to_string()));
    if let Some(image) = &channel.image {
        rss.set_image(Some(Image { url: image.clone(), title: channel.title.clone(), link: rss.link().to_string(), ..Default::default() }));
    }
    let mut itunes = ITunesChannelExtension::default();
    itunes.set_author(channel.author.clone());
    itunes.set_explicit(Some(if channel.explicit { "true" } else { "false" }.to_string()));
    itunes.set_image(channel.image.clone());
    itunes.set_summary(Some(channel.description.clone()));
    let mut category = ITunesCategory::default();
    category.set_text(channel.category.clone());
    itunes.set_categories(vec![category]);
    if channel.author.is_some() || channel.email.is_some() {
        let mut owner = ITunesOwner::default();
        owner.set_name(channel.author.clone());
        owner.set_email(channel.email.clone());
        itunes.set_owner(Some(owner));
    }
    rss.set_itunes_ext(itunes);
    let mut namespaces = BTreeMap::new();
    namespaces.insert("podcast".to_string(), PODCAST_NAMESPACE.to_string());
    rss.set_namespaces(namespaces);
    rss.set_items(items);
    // Whatever a podcast.toml, an episode's metadata or an old episode file holds, the feed
    // stays well-formed: XML 1.0 forbids control characters even as references.
    crate::extract::without_control_chars(&rss.to_string()).into_owned()
}

/// Where the episode files are served from: `base_url` (`--base-url`), else the channel's.
/// Podcast apps fetch enclosures by absolute URL, so anything but an http(s) URL is an input
/// error that says how to set one.
pub fn base_url(channel: &Channel, base_url: Option<&str>) -> Result<String> {
    let base = base_url.map(str::to_string).or_else(|| channel.base_url.clone());
    match base {
        Some(base) if url::Url::parse(&base).is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.has_host()) => Ok(base),
        Some(base) => Err(Error::input(format!("base URL '{base}' is not an http(s) URL: podcast apps fetch episodes by absolute URL (set base_url in podcast.toml or --base-url)"))),
        None => Err(Error::input("feed.xml needs to say where episodes/ will be served from: set base_url in podcast.toml or pass --base-url https://...")),
    }
}

/// Writes `dir/feed.xml` from the finished episodes in `dir` (the newest `max_episodes`);
/// returns how many it lists.
pub fn write(dir: &Path, channel: &Channel, base_url: Option<&str>) -> Result<usize> {
    let base = self::base_url(channel, base_url)?;
    let mut episodes = episodes(dir)?;
    if let Some(most) = channel.max_episodes {
        episodes.truncate(most);
    }
    let xml = build(channel, &episodes, &base);
    crate::output::write_bytes(&dir.join("feed.xml"), format!("{xml}\n").as_bytes())?;
    let index_path = dir.join("index.html");
    if episodes.iter().any(|episode| episode.page_file.is_some()) {
        crate::output::write_bytes(&index_path, index(channel, &episodes, &base).as_bytes())?;
    } else if std::fs::read_to_string(&index_path).is_ok_and(|html| crate::page::written_by_readcast(&html)) {
        // Pages were turned off: the index readcast wrote would link to pages that are gone.
        let _ = std::fs::remove_file(&index_path);
    }
    Ok(episodes.len())
}

/// `index.html`: the episodes (newest first) linking to their read-along pages, and the
/// feed's address.
fn index(channel: &Channel, episodes: &[Episode], base_url: &str) -> String {
    let entries: Vec<crate::page::IndexEntry> = episodes
        .iter()
        .map(|episode| crate::page::IndexEntry {
            title: episode.title.clone(),
            // "Tue, 03 Mar 2026 00:00:00 +0000" -> "Tue, 03 Mar 2026"
            date: episode.pub_date.get(..16).unwrap_or(&episode.pub_date).to_string(),
            duration_seconds: episode.duration_seconds,
            description: episode.description.clone(),
            href: format!("episodes/{}", crate::page::encode_segment(episode.page_file.as_ref().unwrap_or(&episode.audio_file))),
        })
        .collect();
    let feed_url = format!("{}/feed.xml", base_url.trim_end_matches('/'));
    crate::page::index(&channel.title, &channel.description, &feed_url, &channel.language, &entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_anywhere_leave_the_feed_well_formed() {
        let channel = Channel { title: "Morning \u{1b}[1mbriefing".into(), description: "News\u{1}, read".into(), ..Channel::default() };
        let episode = Episode {
            id: "a1".into(),
            title: "A \u{1} title".into(),
            byline: Some("Ann\u{7} Lee".into()),
            pub_date: "Wed, 29 Apr 2025 00:00:00 +0000".into(),
            description: "The harbor reopened\u{0}.".into(),
            audio_file: "a1.mp3".into(),
            audio_type: "audio/mpeg".into(),
            audio_bytes: 10,
            duration_seconds: 1.0,
            captions_file: "a1.vtt".into(),
            chapters_file: "a1.chapters.json".into(),
            source: "a.txt".into(),
            render_hash: "x".into(),
            link: Some("https://example.com/news/a".into()),
            page_file: None,
        };
        let xml = build(&channel, &[episode], "https://example.com/pod");
        let parsed = rss::Channel::read_from(xml.as_bytes()).expect("the feed parses");
        assert_eq!(parsed.title(), "Morning [1mbriefing");
        assert_eq!(parsed.items()[0].title(), Some("A  title"));
        assert_eq!(parsed.items()[0].link(), Some("https://example.com/news/a"));
    }

    #[test]
    fn enclosures_need_an_absolute_base_url() {
        let channel = Channel::default();
        assert!(base_url(&channel, None).unwrap_err().to_string().contains("set base_url in podcast.toml or pass --base-url"));
        for relative in [".", "pod/", "file:///srv/pod", "https://"] {
            assert!(base_url(&channel, Some(relative)).is_err(), "{relative}");
        }
        assert_eq!(base_url(&Channel { base_url: Some("https://cdn.example.com/pod".into()), ..Channel::default() }, None).unwrap(), "https://cdn.example.com/pod");
        assert_eq!(base_url(&channel, Some("http://example.com")).unwrap(), "http://example.com");
    }
}
