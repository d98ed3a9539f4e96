//! HTML pages: parsed with a real HTML parser (html5ever, through `scraper` and `dom_query`).
//!
//! The body comes from a maintained extractor, `dom_smoothie` (a port of Mozilla's
//! Readability), walked into readcast's blocks (headings, paragraphs, quotes, list items) and
//! cleaned by readcast's own furniture rules: captions and credits, teasers, newsletter and
//! share boxes. Two other readings of the page stand by, since a readability scorer sometimes
//! picks a list of names or a "Read full article" box over the story: readcast's own
//! container score, and the `articleBody` that a page's JSON-LD carries (pages rendered by
//! script have no other). The reading with the most running prose wins; the base extractor
//! keeps ties.
//!
//! Metadata comes from JSON-LD first, then Open Graph and `article:*` meta tags, then the page.

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node, Selector};

use super::{junk, nesting, squash_whitespace, Article, Block, BlockKind, Dropped};

/// Tags whose whole subtree is never article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
    "figcaption", "button", "iframe", "svg", "select", "input", "textarea", "template", "video",
    "audio", "picture", "img", "canvas", "object", "embed", "menu", "dialog",
];

/// Class or id fragments that mark page furniture.
const JUNK_MARKERS: &[&str] = &[
    "share", "social", "related", "comment", "comments", "newsletter", "cookie", "consent", "banner", "promo",
    "advert", "subscribe", "paywall", "sidebar", "footer", "breadcrumb", "teaser", "recommend",
    "caption", "credit", "byline", "author", "timestamp", "toolbar", "popup", "modal",
    "signup", "sign-up", "most-read", "trending", "outbrain", "taboola", "read-more", "readmore",
    "navigation", "masthead", "skip", "visually-hidden", "sr-only", "tags", "embed",
];

/// Tags that hold other blocks; an element with none of them inside is a run of text.
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "blockquote", "pre", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "footer", "aside", "nav", "figure", "form", "dl",
    "dt", "dd", "tr", "td", "th", "tbody", "thead", "center", "details", "summary", "hr",
];

/// Deeper than this, the walk stops: [`nesting::cap_depth`] keeps real pages well inside it.
const MAX_WALK_DEPTH: usize = nesting::MAX_DEPTH + 64;

/// Decodes page bytes, honouring a BOM, then a charset from the HTTP header, then one
/// declared in a meta tag; UTF-8 otherwise.
pub fn decode(bytes: &[u8], header_charset: Option<&str>) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode(bytes).0.into_owned();
    }
    let from_header = header_charset.and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let declared = || {
        head.find("charset=").and_then(|at| {
            let rest = head[at + 8..].trim_start_matches(['"', '\'']);
            let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
            encoding_rs::Encoding::for_label(&rest.as_bytes()[..end])
        })
    };
    from_header.or_else(declared).unwrap_or(encoding_rs::UTF_8).decode(bytes).0.into_owned()
}

/// The article of a page.
#[cfg(test)]
pub fn extract(page: &str) -> Article {
    extract_explained(page).0
}

/// The article of a page, with every block that was dropped and the rule that dropped it.
pub fn extract_explained(page: &str) -> (Article, Vec<Dropped>) {
    let page = nesting::cap_depth(page);
    let document = Html::parse_document(&page);
    let mut article = metadata(&document);
    let mut dropped = Vec::new();

    let base = match readable(&page) {
        Some(readable) => {
            // The base extractor's metadata comes after the page's own: its title is the
            // page's `<title>` without the site's name.
            let present = |value: Option<String>| value.map(|value| squash_whitespace(&value)).filter(|value| !value.is_empty());
            article.title = article.title.or(present(Some(readable.title)));
            let named = |byline: String| {
                let name = byline.strip_prefix("By ").or_else(|| byline.strip_prefix("by ")).unwrap_or(&byline).trim().to_string();
                // Names: capitalized words and the particles between them ("Ann de Vries and
                // Bo Chen"), not a sentence that the extractor took for a byline.
                let particle = |word: &str| matches!(word, "and" | "de" | "da" | "di" | "del" | "van" | "von" | "der" | "den" | "la" | "le" | "du" | "bin" | "al" | "y");
                let looks_like_names = name.split_whitespace().count() <= 8
                    && name.split_whitespace().all(|word| word.starts_with(char::is_uppercase) || particle(word))
                    && name.starts_with(char::is_uppercase)
                    && !super::text::ends_sentence(&name);
                (looks_like_names && !junk::is_placeholder_byline(&name)).then_some(name)
            };
            article.byline = article.byline.or(present(readable.byline).and_then(named));
            article.date = article.date.or(present(readable.published_time).filter(|date| is_iso_date(date)).map(|date| date.chars().take(10).collect()));
            clean(readable.blocks, &mut dropped)
        }
        None => Vec::new(),
    };
    // Other readings, tried in turn: each replaces the one in hand when it holds clearly more
    // running prose (half as much again, and 40 words more).
    // readcast's own reading can only win where the page's paragraphs hold more prose than
    // the base reading by the margin below; on most pages they do not, and it is not made.
    let furniture = Furniture::of(&document);
    let base_prose = prose_words(&base);
    let own = (base.is_empty() || furniture.total_prose > base_prose + base_prose / 2 + 40).then(|| clean(own_blocks(&furniture, &document), &mut Vec::new()));
    let others = [
        ("another part of the page has more prose", own),
        ("the page's script-free copy of the story has more prose", noscript_body(&document).map(|blocks| clean(blocks, &mut Vec::new()))),
        ("the page's JSON-LD articleBody has more prose", json_ld_body(&document)),
    ];
    let mut blocks = base;
    for (rule, other) in others {
        let Some(other) = other else { continue };
        let prose = prose_words(&blocks);
        if prose_words(&other) > prose + prose / 2 + 40 {
            dropped.extend(blocks.drain(..).filter(|block| !other.contains(block)).map(|block| Dropped { text: block.text, rule }));
            blocks = other;
        }
    }

    if let Some(title) = &article.title {
        // The page repeats its headline as the first heading of the article.
        if blocks.first().is_some_and(|b| squash_whitespace(&b.text) == *title) {
            blocks.remove(0);
        }
    } else if let Some(position) = blocks.iter().position(|b| matches!(b.kind, BlockKind::Heading { level: 1 })) {
        article.title = Some(blocks.remove(position).text);
    }
    // Rules that dropped everything must not drop the prose among it: every paragraph that
    // reads as sentences is read, with a note.
    if blocks.is_empty() {
        let paragraphs = Selector::parse("p, blockquote, li, td").expect("valid selector");
        blocks = document
            .select(&paragraphs)
            .map(|element| squash_whitespace(&element.text().collect::<String>()))
            .filter(|text| is_running_prose(text) && !junk::is_junk(text))
            .map(Block::paragraph)
            .collect();
        blocks.dedup();
        if !blocks.is_empty() {
            article.notes.push("no article could be told apart from the page around it; reading every paragraph of prose".to_string());
        }
    }
    join_drop_caps(&mut blocks);
    // A standfirst inside the article is read once, as the lede, not again as the body.
    article.lede = standfirst(&document).or_else(|| visible_description(&document, &blocks));
    if let Some(lede) = &article.lede {
        blocks.retain(|block| block.text != *lede);
    }
    // Above the first sentence of the story, a paragraph of a word or two that is no sentence
    // is a kicker, a time stamp or a player's clock ("Transportation", "6:12").
    let first_prose = blocks.iter().position(|block| is_running_prose(&block.text)).unwrap_or(blocks.len());
    let mut index = 0;
    blocks.retain(|block| {
        index += 1;
        let label = index <= first_prose && block.kind == BlockKind::Paragraph && block.text.split_whitespace().count() <= 3 && !super::text::ends_sentence(&block.text);
        if label {
            dropped.push(Dropped { text: block.text.clone(), rule: "label above the story" });
        }
        !label
    });
    // The author's biography closes some pages, after the story.
    while blocks.len() > 1 && blocks.last().is_some_and(|block| junk::is_author_bio(&block.text)) {
        let bio = blocks.pop().expect("a last block");
        dropped.push(Dropped { text: bio.text, rule: "the author's biography" });
    }
    // A byline or date line inside the body is read in the header instead.
    blocks.retain(|block| {
        let is_byline = block.kind == BlockKind::Paragraph && super::text::parse_byline(&block.text).is_some() && block.text.split_whitespace().count() <= 12;
        if is_byline {
            dropped.push(Dropped { text: block.text.clone(), rule: "byline or date line" });
        }
        !is_byline
    });
    article.blocks = blocks;
    (article, dropped)
}

/// Drops furniture blocks (readcast's junk and caption rules), noting each.
fn clean(blocks: Vec<Block>, dropped: &mut Vec<Dropped>) -> Vec<Block> {
    let mut kept = Vec::with_capacity(blocks.len());
    let mut caption_next = false;
    for block in blocks {
        let rule = if std::mem::take(&mut caption_next) {
            Some("caption (after a caption label)")
        } else if junk::is_caption_label(&block.text) {
            caption_next = true;
            Some("caption label")
        } else if junk::is_junk(&block.text) {
            Some("page furniture (junk.toml)")
        } else if junk::is_caption(&block.text) {
            Some("photo caption or credit")
        } else {
            None
        };
        match rule {
            Some(rule) => dropped.push(Dropped { text: block.text, rule }),
            None => kept.push(block),
        }
    }
    kept
}

/// Words of running prose: paragraphs, quotes and items that read as sentences (a list of
/// names or links has words but few sentence ends).
fn prose_words(blocks: &[Block]) -> usize {
    blocks
        .iter()
        .filter(|block| !matches!(block.kind, BlockKind::Heading { .. }) && is_running_prose(&block.text))
        .map(|block| block.text.split_whitespace().count())
        .sum()
}

/// Five words or more with a sentence end for every 60 words: prose, not a list of names.
fn is_running_prose(text: &str) -> bool {
    let words = text.split_whitespace().count();
    let sentence_ends = text.split_whitespace().filter(|word| ends_sentence_word(word)).count();
    words >= 5 && sentence_ends.max(usize::from(super::text::ends_sentence(text))) * 60 >= words
}

/// A word that ends a sentence ("harbor." "said?"), not an initial ("W.").
fn ends_sentence_word(word: &str) -> bool {
    let word = word.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»']);
    let Some(stem) = word.strip_suffix(['.', '!', '?', '…']) else {
        return false;
    };
    stem.chars().filter(|c| c.is_alphanumeric()).count() >= 2 && stem.chars().any(|c| c.is_lowercase() || c.is_ascii_digit())
}

/// What the base extractor finds: the body, walked into blocks, and its metadata.
struct Readable {
    title: String,
    byline: Option<String>,
    published_time: Option<String>,
    blocks: Vec<Block>,
}

fn readable(page: &str) -> Option<Readable> {
    let config = dom_smoothie::Config { keep_classes: true, ..Default::default() };
    let mut readability = dom_smoothie::Readability::new(page, None, Some(config)).ok()?;
    let content = readability.parse().ok()?;
    let fragment = Html::parse_fragment(&content.content);
    let mut blocks = Vec::new();
    collect_blocks(&Furniture::of(&fragment), fragment.root_element(), &mut blocks, 0);
    Some(Readable { title: content.title, byline: content.byline, published_time: content.published_time, blocks })
}

/// The body as readcast's own container score finds it.
fn own_blocks(furniture: &Furniture, document: &Html) -> Vec<Block> {
    let root = best_container(furniture, document).unwrap_or_else(|| document.root_element());
    let mut blocks = Vec::new();
    collect_blocks(furniture, root, &mut blocks, 0);
    blocks
}

/// The story as a page that writes it by script also gives it, inside a `<noscript>` in the
/// element marked as the article body (Blogger's layouts do so).
fn noscript_body(document: &Html) -> Option<Vec<Block>> {
    let selector = Selector::parse(r#"[itemprop="articleBody"] noscript"#).expect("valid selector");
    let markup: String = document.select(&selector).flat_map(|element| element.text()).collect();
    if !markup.contains('<') {
        return None;
    }
    let fragment = Html::parse_fragment(&markup);
    let mut blocks = Vec::new();
    collect_blocks(&Furniture::of(&fragment), fragment.root_element(), &mut blocks, 0);
    Some(blocks).filter(|blocks| !blocks.is_empty())
}

/// The `articleBody` of the page's JSON-LD article, one paragraph per line.
fn json_ld_body(document: &Html) -> Option<Vec<Block>> {
    let mut body = None;
    for_each_json_ld_article(document, |map| {
        if body.is_none() {
            body = map.get("articleBody").and_then(|b| b.as_str()).map(str::to_string);
        }
    });
    let body = body?;
    // Some pages put markup in it.
    let text = if body.contains("</p>") || body.contains("<br") {
        let fragment = Html::parse_fragment(&body);
        let mut blocks = Vec::new();
        collect_blocks(&Furniture::of(&fragment), fragment.root_element(), &mut blocks, 0);
        return Some(blocks).filter(|blocks| !blocks.is_empty());
    } else {
        body
    };
    let blocks: Vec<Block> = text
        .lines()
        .map(squash_whitespace)
        .filter(|line| !line.is_empty() && !junk::is_junk(line))
        .map(Block::paragraph)
        .collect();
    Some(blocks).filter(|blocks| !blocks.is_empty())
}

/// The standfirst (dek, summary) under the headline, where the page marks one by class.
fn standfirst(document: &Html) -> Option<String> {
    let selector = Selector::parse(
        "[class~=standfirst], [class~=dek], [class~=lede], [class~=subtitle], [class~=subheadline], [class~=article-summary], [class~=summary]",
    )
    .expect("valid selector");
    document
        .select(&selector)
        .map(|element| squash_whitespace(&element.text().collect::<String>()))
        .find(|text| text.split_whitespace().count() >= 6 && !junk::is_junk(text))
}

/// The page's description (meta or Open Graph) when the page shows it as a paragraph above the
/// body, as a standfirst with no class that names it: the body does not already hold it.
fn visible_description(document: &Html, blocks: &[Block]) -> Option<String> {
    let meta = Selector::parse(r#"meta[name="description"], meta[property="og:description"]"#).expect("valid selector");
    let descriptions: Vec<String> = document.select(&meta).filter_map(|element| element.value().attr("content")).map(squash_whitespace).filter(|text| text.split_whitespace().count() >= 6).collect();
    if descriptions.is_empty() {
        return None;
    }
    let shown = Selector::parse("h1 ~ p, h1 ~ div > p, h1 ~ h2, header p").expect("valid selector");
    document
        .select(&shown)
        .map(|element| squash_whitespace(&element.text().collect::<String>()))
        .find(|text| descriptions.contains(text) && !blocks.iter().any(|block| block.text == *text) && !junk::is_junk(text))
}

/// Calls `visit` with every JSON-LD object of an article type (NewsArticle, Article,
/// ReportageNewsArticle, BlogPosting...), in page order, `@graph`s included.
fn for_each_json_ld_article(document: &Html, mut visit: impl FnMut(&serde_json::Map<String, serde_json::Value>)) {
    fn walk(value: &serde_json::Value, visit: &mut dyn FnMut(&serde_json::Map<String, serde_json::Value>)) {
        match value {
            serde_json::Value::Array(items) => items.iter().for_each(|item| walk(item, visit)),
            serde_json::Value::Object(map) => {
                if let Some(graph) = map.get("@graph") {
                    walk(graph, visit);
                }
                let kind = map.get("@type").map(|t| t.to_string()).unwrap_or_default();
                if kind.contains("Article") || kind.contains("Posting") {
                    visit(map);
                }
            }
            _ => {}
        }
    }
    let json_ld = Selector::parse(r#"script[type="application/ld+json"]"#).expect("valid selector");
    for script in document.select(&json_ld) {
        let text: String = script.text().collect();
        let text = text.trim().trim_start_matches("<![CDATA[").trim_end_matches("]]>");
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(text) {
            walk(&value, &mut visit);
        }
    }
}

/// Title, byline, date and canonical address from JSON-LD, Open Graph and meta tags, in that
/// order of trust, then from the page itself.
fn metadata(document: &Html) -> Article {
    let mut article = Article::default();
    for_each_json_ld_article(document, |map| read_json_ld(map, &mut article));
    let meta = |selector: &str| -> Option<String> {
        let selector = Selector::parse(selector).ok()?;
        document
            .select(&selector)
            .find_map(|element| element.value().attr("content"))
            .map(squash_whitespace)
            .filter(|value| !value.is_empty())
    };
    article.title = article.title.or_else(|| meta(r#"meta[property="og:title"]"#)).or_else(|| {
        let h1 = Selector::parse("h1").expect("valid selector");
        document.select(&h1).next().map(|h| squash_whitespace(&h.text().collect::<String>()))
    });
    // A page's visible byline ("By Ann Lee and Bo Chen") may name more people than its meta
    // tag, which often holds the first author only.
    let visible = visible_byline(document);
    let tagged = meta(r#"meta[name="author"]"#).or_else(|| meta(r#"meta[property="article:author"]"#)).filter(|name| !name.contains("://"));
    article.byline = match (article.byline, tagged) {
        (Some(trusted), _) => Some(trusted),
        (None, Some(tagged)) => Some(visible.filter(|seen| seen.len() > tagged.len() && seen.contains(&tagged)).unwrap_or(tagged)),
        (None, None) => visible,
    };
    // A `<time datetime="2026-11-25T18:30:00-08:00">` in the article is the visible date.
    let time_element = || {
        let selector = Selector::parse("article time[datetime], time[datetime]").expect("valid selector");
        document.select(&selector).filter_map(|element| element.value().attr("datetime")).map(str::trim).find(|value| is_iso_date(value)).map(str::to_string)
    };
    article.date = article
        .date
        .or_else(|| meta(r#"meta[property="article:published_time"]"#))
        .or_else(|| meta(r#"meta[itemprop="datePublished"]"#))
        .or_else(time_element)
        .map(|date| date.chars().take(10).collect());
    article.title = article.title.filter(|t| !t.is_empty());
    article.byline = article.byline.filter(|byline| !junk::is_placeholder_byline(byline));
    let canonical = Selector::parse(r#"link[rel="canonical"]"#).expect("valid selector");
    article.url = document
        .select(&canonical)
        .find_map(|element| element.value().attr("href"))
        .map(str::trim)
        .map(str::to_string)
        .or_else(|| meta(r#"meta[property="og:url"]"#))
        .filter(|url| url.starts_with("http://") || url.starts_with("https://"));
    article
}

/// Whether `value` starts with a date as ISO 8601 writes it, "2026-11-25".
fn is_iso_date(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.len() >= 10 && bytes[4] == b'-' && bytes[7] == b'-' && [0, 1, 2, 3, 5, 6, 8, 9].iter().all(|&at| bytes[at].is_ascii_digit())
}

/// The names in the first element marked as a byline whose text reads "By ...".
fn visible_byline(document: &Html) -> Option<String> {
    let selector = Selector::parse(r#"[class*="byline"], [class*="author"], [rel="author"]"#).expect("valid selector");
    document.select(&selector).find_map(|element| super::text::parse_byline(&squash_whitespace(&element.text().collect::<String>()))?.0)
}

fn read_json_ld(map: &serde_json::Map<String, serde_json::Value>, article: &mut Article) {
    if let Some(headline) = map.get("headline").and_then(|h| h.as_str()) {
        article.title.get_or_insert_with(|| squash_whitespace(headline));
    }
    if let Some(date) = map.get("datePublished").and_then(|d| d.as_str()) {
        article.date.get_or_insert_with(|| date.chars().take(10).collect());
    }
    if let Some(author) = map.get("author") {
        let names: Vec<String> = match author {
            serde_json::Value::Array(list) => list.iter().filter_map(author_name).collect(),
            single => author_name(single).into_iter().collect(),
        };
        if !names.is_empty() && article.byline.is_none() {
            article.byline = Some(join_names(&names));
        }
    }
}

fn author_name(value: &serde_json::Value) -> Option<String> {
    let name = match value {
        serde_json::Value::String(name) => name.clone(),
        serde_json::Value::Object(map) => map.get("name").and_then(|n| n.as_str())?.to_string(),
        _ => return None,
    };
    let name = squash_whitespace(&name);
    (!name.is_empty() && !name.contains("://")).then_some(name)
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// What marks furniture on one parsed page. A class or id marker ("page-banner", "related")
/// skips an element only while it holds less than half of the page's running prose: some sites
/// wrap the whole page, story included, in a "banner" or "share" container.
struct Furniture {
    prose_below: HashMap<ego_tree::NodeId, usize>,
    total_prose: usize,
}

impl Furniture {
    fn of(html: &Html) -> Self {
        let paragraphs = Selector::parse("p").expect("valid selector");
        let mut prose_below: HashMap<ego_tree::NodeId, usize> = HashMap::new();
        let mut total_prose = 0;
        for paragraph in html.select(&paragraphs) {
            let text = paragraph.text().collect::<String>();
            if !is_running_prose(&text) {
                continue;
            }
            let words = text.split_whitespace().count();
            total_prose += words;
            for ancestor in paragraph.ancestors() {
                *prose_below.entry(ancestor.id()).or_default() += words;
            }
        }
        Furniture { prose_below, total_prose }
    }

    fn skips(&self, element: &ElementRef) -> bool {
        let value = element.value();
        if SKIP_TAGS.contains(&value.name()) {
            return true;
        }
        if value.attr("hidden").is_some() || value.attr("aria-hidden") == Some("true") {
            return true;
        }
        if matches!(value.attr("role"), Some("navigation" | "complementary" | "banner" | "contentinfo" | "dialog")) {
            return true;
        }
        let markers = format!("{} {}", value.attr("class").unwrap_or(""), value.attr("id").unwrap_or("")).to_lowercase();
        // "article-body" or "story-content" must not be caught by a marker such as "author".
        let marked = !markers.trim().is_empty()
            && JUNK_MARKERS.iter().any(|marker| {
                markers
                    .split(|c: char| c.is_whitespace())
                    .any(|token| token.split(['-', '_']).any(|part| part == *marker) || token == *marker)
            });
        marked && self.prose_below.get(&element.id()).copied().unwrap_or(0) * 2 < self.total_prose.max(1)
    }
}

/// Text gathered from a run of inline content, with how much of it sits inside links.
#[derive(Default)]
struct Run {
    text: String,
    linked: usize,
    /// `<br>`s since the last text: two in a row end a paragraph, as old layouts write them.
    breaks: usize,
}

impl Run {
    fn push_text(&mut self, text: &str, in_link: bool) {
        if !text.trim().is_empty() {
            self.breaks = 0;
        }
        self.text.push_str(text);
        if in_link {
            self.linked += text.trim().len();
        }
    }

    fn push_element(&mut self, furniture: &Furniture, element: ElementRef, in_link: bool) {
        let in_link = in_link || element.value().name() == "a";
        for child in element.children() {
            match child.value() {
                Node::Text(text) => self.push_text(text, in_link),
                Node::Element(value) => {
                    let Some(child) = ElementRef::wrap(child) else { continue };
                    if value.name() == "br" {
                        self.text.push(' ');
                    } else if !furniture.skips(&child) {
                        self.push_element(furniture, child, in_link);
                    }
                }
                _ => {}
            }
        }
    }

    /// The run as a block of `kind`, if it has text and is not mostly links.
    fn take(&mut self, kind: BlockKind) -> Option<Block> {
        let text = squash_whitespace(&std::mem::take(&mut self.text));
        let linked = std::mem::take(&mut self.linked);
        self.breaks = 0;
        (!text.is_empty() && linked as f32 <= link_limit(kind) * text.len() as f32).then_some(Block { kind, text })
    }

    /// Loose text between blocks as a paragraph: short loose text is a kicker, a time stamp or
    /// a label ("Transportation", "6:12"), except a drop cap set apart from its paragraph.
    fn take_loose(&mut self) -> Option<Block> {
        let block = self.take(BlockKind::Paragraph)?;
        let drop_cap = block.text.chars().count() == 1 && block.text.chars().all(char::is_uppercase);
        (block.text.len() >= 25 || drop_cap).then_some(block)
    }
}

/// Headings and items that are mostly links are navigation; paragraphs may link more.
fn link_limit(kind: BlockKind) -> f32 {
    if kind == BlockKind::Paragraph { 0.8 } else { 0.6 }
}

/// Text of an element without the skipped subtrees, white space folded.
fn visible_text(furniture: &Furniture, element: ElementRef) -> String {
    let mut run = Run::default();
    run.push_element(furniture, element, false);
    squash_whitespace(&run.text)
}

/// Whether an element holds a block-level element (a `<span>` around paragraphs).
fn has_block_inside(element: ElementRef) -> bool {
    element.descendants().skip(1).filter_map(ElementRef::wrap).any(|child| BLOCK_TAGS.contains(&child.value().name()))
}

/// Walks an element in document order into headings, paragraphs, quotes and items. Text
/// between blocks (a `<div>` of text and `<br>`s, words beside a nested list) is a paragraph of
/// its own, so a body split over sibling blocks or written without `<p>` is read whole.
fn collect_blocks(furniture: &Furniture, element: ElementRef, blocks: &mut Vec<Block>, depth: usize) {
    let mut run = Run::default();
    for child in element.children() {
        match child.value() {
            Node::Text(text) => run.push_text(text, false),
            Node::Element(value) => {
                let Some(child) = ElementRef::wrap(child) else { continue };
                let name = value.name();
                if name == "br" {
                    run.breaks += 1;
                    run.text.push(' ');
                    if run.breaks == 2 {
                        blocks.extend(run.take_loose());
                    }
                    continue;
                }
                if furniture.skips(&child) {
                    continue;
                }
                if !BLOCK_TAGS.contains(&name) && !has_block_inside(child) {
                    run.push_element(furniture, child, false);
                    continue;
                }
                blocks.extend(run.take_loose());
                let kind = match name {
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => Some(BlockKind::Heading { level: name[1..].parse().unwrap_or(2) }),
                    "p" | "pre" => Some(BlockKind::Paragraph),
                    "blockquote" => Some(BlockKind::Quote),
                    "li" => Some(BlockKind::ListItem),
                    _ => None,
                };
                match kind {
                    Some(kind) => {
                        let mut block = Run::default();
                        block.push_element(furniture, child, false);
                        blocks.extend(block.take(kind));
                    }
                    None if depth < MAX_WALK_DEPTH => collect_blocks(furniture, child, blocks, depth + 1),
                    None => {}
                }
            }
            _ => {}
        }
    }
    blocks.extend(run.take_loose());
}

/// Joins a drop cap set apart from its paragraph ("T" then "urkey, Poland and ...").
fn join_drop_caps(blocks: &mut Vec<Block>) {
    let mut index = 0;
    while index + 1 < blocks.len() {
        let letter = &blocks[index].text;
        let is_drop_cap = letter.chars().count() == 1 && letter.chars().all(char::is_uppercase);
        if is_drop_cap && blocks[index + 1].kind == BlockKind::Paragraph && blocks[index + 1].text.starts_with(char::is_lowercase) {
            let letter = blocks.remove(index).text;
            blocks[index].text.insert_str(0, &letter);
        }
        index += 1;
    }
}

/// A `div` (or `section`, `td`) with text and no block inside: old layouts write paragraphs so.
fn is_text_division(furniture: &Furniture, element: ElementRef) -> bool {
    matches!(element.value().name(), "div" | "section" | "td") && !has_block_inside(element) && visible_text(furniture, element).len() >= 25
}

/// Share of an element's text that sits inside links: high for menus and link lists.
fn link_density(furniture: &Furniture, element: ElementRef) -> f32 {
    let mut run = Run::default();
    run.push_element(furniture, element, false);
    run.linked as f32 / run.text.trim().len().max(1) as f32
}

/// The element whose paragraphs score highest: each paragraph scores its parent fully and its
/// grandparent by half, as Readability does.
fn best_container<'a>(furniture: &Furniture, document: &'a Html) -> Option<ElementRef<'a>> {
    let paragraphs = Selector::parse("p, pre, blockquote, div, section, td").expect("valid selector");
    let mut scores: HashMap<ego_tree::NodeId, f32> = HashMap::new();
    for paragraph in document.select(&paragraphs) {
        if !matches!(paragraph.value().name(), "p" | "pre" | "blockquote") && !is_text_division(furniture, paragraph) {
            continue;
        }
        if paragraph.ancestors().filter_map(ElementRef::wrap).any(|a| furniture.skips(&a)) {
            continue;
        }
        let text = visible_text(furniture, paragraph);
        if text.len() < 25 || !is_running_prose(&text) {
            continue;
        }
        let score = 1.0 + text.matches(',').count() as f32 + (text.len() as f32 / 100.0).min(3.0);
        let score = score * (1.0 - link_density(furniture, paragraph));
        let mut ancestors = paragraph.ancestors().filter_map(ElementRef::wrap);
        if let Some(parent) = ancestors.next() {
            *scores.entry(parent.id()).or_default() += score;
        }
        if let Some(grandparent) = ancestors.next() {
            *scores.entry(grandparent.id()).or_default() += score / 2.0;
        }
    }
    let (best, _) = scores.into_iter().max_by(|a, b| a.1.total_cmp(&b.1))?;
    ElementRef::wrap(document.tree.get(best)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = r##"<!doctype html><html><head>
<meta charset="utf-8"><title>Harbor reopens | Example News</title>
<meta property="og:title" content="Harbor reopens after storm">
<script type="application/ld+json">{"@type":"NewsArticle","headline":"Harbor reopens after storm",
"datePublished":"2026-02-03T10:00:00Z","author":[{"@type":"Person","name":"Ann Lee"},{"name":"Bo Chen"}]}</script>
</head><body>
<nav><a href="/">Home</a><a href="/world">World</a></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept</button></div>
<article><h1>Harbor reopens after storm</h1>
<p class="standfirst">Ships are back after three days, and the repair bill is large.</p>
<div class="byline">By Ann Lee and Bo Chen</div>
<figure><img src="x.jpg"><figcaption>Boats return (Photo / Reuters)</figcaption></figure>
<p>The harbor reopened on Monday, three days after the storm closed it to all traffic.</p>
<aside class="related"><h3>Related</h3><ul><li><a href="/a">Storm season starts early</a></li></ul></aside>
<h2>What comes next</h2>
<p>Officials said repairs would cost about $4.5 million, and take until June.</p>
<div class="share-tools"><a href="#">Share on X</a></div>
<blockquote>"We were lucky," the harbor master said.</blockquote>
</article>
<section class="comments"><p>Great article, thanks for writing this up, really.</p></section>
<footer><p>Copyright 2026 Example News, all rights reserved.</p></footer>
</body></html>"##;

    #[test]
    fn extracts_article_and_metadata() {
        let article = extract(PAGE);
        assert_eq!(article.title.as_deref(), Some("Harbor reopens after storm"));
        assert_eq!(article.byline.as_deref(), Some("Ann Lee and Bo Chen"));
        assert_eq!(article.date.as_deref(), Some("2026-02-03"));
        assert_eq!(article.lede.as_deref(), Some("Ships are back after three days, and the repair bill is large."));
        let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, [
            "The harbor reopened on Monday, three days after the storm closed it to all traffic.",
            "What comes next",
            "Officials said repairs would cost about $4.5 million, and take until June.",
            "\"We were lucky,\" the harbor master said.",
        ]);
    }

    #[test]
    fn a_visible_byline_names_the_authors_a_meta_tag_leaves_out() {
        let page = |meta: &str, byline: &str| {
            format!(r#"<html><head>{meta}</head><body><article><h1>Title</h1><div class="byline">{byline}</div><p>The harbor reopened on Monday, three days after the storm closed it.</p></article></body></html>"#)
        };
        let author = r#"<meta name="author" content="Ann Lee">"#;
        assert_eq!(extract(&page(author, "By Ann Lee and Bo Chen")).byline.as_deref(), Some("Ann Lee and Bo Chen"));
        assert_eq!(extract(&page(author, "By Staff")).byline.as_deref(), Some("Ann Lee"));
        assert_eq!(extract(&page("", "By Bo Chen")).byline.as_deref(), Some("Bo Chen"));
        assert_eq!(extract(&page("", "Bo Chen is a reporter.")).byline, None);
    }

    #[test]
    fn decodes_declared_charset() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><body><p>caf\xe9</p></body></html>";
        assert!(decode(page, None).contains("café"));
    }

    #[test]
    fn prose_only_in_furniture_is_still_read() {
        let article = extract(r#"<html><body><aside><p>The harbor reopened on Monday, three days after the storm, officials said.</p></aside><nav><a href="/">Home</a></nav></body></html>"#);
        assert_eq!(article.blocks.len(), 1, "{article:?}");
    }

    #[test]
    fn a_lone_short_paragraph_is_read() {
        let article = extract("<html><body><div><p>The harbor reopened on Monday.</p></div></body></html>");
        assert_eq!(article.blocks.len(), 1, "{article:?}");
    }

    #[test]
    fn a_hundred_thousand_nested_divisions_still_give_their_text() {
        let depth = 100_000;
        let page = format!("<html><body>{}<p>The harbor reopened on Monday, three days after the storm closed it.</p>{}</body></html>",
            "<div>".repeat(depth), "</div>".repeat(depth));
        let article = extract(&page);
        assert_eq!(article.blocks.len(), 1);
        assert!(article.blocks[0].text.starts_with("The harbor reopened"));
    }

    #[test]
    fn survives_deep_nesting() {
        let page = format!("<html><body>{}<p>Deep text that still needs reading, surely.</p>{}</body></html>",
            "<div>".repeat(5000), "</div>".repeat(5000));
        let article = extract(&page);
        assert!(article.blocks.len() <= 1);
    }
}
