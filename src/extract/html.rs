//! HTML pages: parsed with a real HTML parser (html5ever through `scraper`), boilerplate
//! subtrees removed by tag, role and class, then the content container chosen by a
//! readability-style score (paragraph text, commas, link density).

use std::collections::HashMap;

use scraper::{ElementRef, Html, Node, Selector};

use super::{junk, squash_whitespace, Article, Block, BlockKind};

/// Tags whose whole subtree is never article text.
const SKIP_TAGS: &[&str] = &[
    "script", "style", "noscript", "nav", "header", "footer", "aside", "form", "figure",
    "figcaption", "button", "iframe", "svg", "select", "input", "textarea", "template", "video",
    "audio", "picture", "img", "canvas", "object", "embed", "menu", "dialog",
];

/// Class or id fragments that mark page furniture.
const JUNK_MARKERS: &[&str] = &[
    "share", "social", "related", "comment", "newsletter", "cookie", "consent", "banner", "promo",
    "advert", "subscribe", "paywall", "sidebar", "footer", "breadcrumb", "teaser", "recommend",
    "caption", "credit", "byline", "author", "dateline", "timestamp", "toolbar", "popup", "modal",
    "signup", "sign-up", "most-read", "trending", "outbrain", "taboola", "read-more", "readmore",
    "navigation", "masthead", "skip", "visually-hidden", "sr-only", "tags", "embed",
];

/// Decodes page bytes, honouring a BOM or a charset declared in a meta tag.
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, _)) = encoding_rs::Encoding::for_bom(bytes) {
        return encoding.decode(bytes).0.into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    let declared = head.find("charset=").and_then(|at| {
        let rest = head[at + 8..].trim_start_matches(['"', '\'']);
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_')).unwrap_or(rest.len());
        encoding_rs::Encoding::for_label(&rest.as_bytes()[..end])
    });
    declared.unwrap_or(encoding_rs::UTF_8).decode(bytes).0.into_owned()
}

pub fn extract(page: &str) -> Article {
    let document = Html::parse_document(page);
    let mut article = metadata(&document);
    let root = best_container(&document).unwrap_or_else(|| document.root_element());
    let mut blocks = Vec::new();
    collect_blocks(root, &mut blocks, 0);
    blocks.retain(|block| !junk::is_junk(&block.text) && !junk::is_caption(&block.text));
    if let Some(title) = &article.title {
        // The page repeats its headline as the first heading of the article.
        if blocks.first().is_some_and(|b| squash_whitespace(&b.text) == *title) {
            blocks.remove(0);
        }
    } else if let Some(position) = blocks.iter().position(|b| matches!(b.kind, BlockKind::Heading { level: 1 })) {
        article.title = Some(blocks.remove(position).text);
    }
    // A standfirst inside the article is read once, as the lede, not again as the body.
    article.lede = standfirst(&document);
    if let Some(lede) = &article.lede {
        blocks.retain(|block| block.text != *lede);
    }
    article.blocks = blocks;
    article
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

/// Title, byline and date from JSON-LD, Open Graph and meta tags, in that order of trust.
fn metadata(document: &Html) -> Article {
    let mut article = Article::default();
    let json_ld = Selector::parse(r#"script[type="application/ld+json"]"#).expect("valid selector");
    for script in document.select(&json_ld) {
        let text: String = script.text().collect();
        if let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) {
            read_json_ld(&value, &mut article);
        }
    }
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
    article.byline = match (article.byline, meta(r#"meta[name="author"]"#)) {
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

fn read_json_ld(value: &serde_json::Value, article: &mut Article) {
    match value {
        serde_json::Value::Array(items) => items.iter().for_each(|item| read_json_ld(item, article)),
        serde_json::Value::Object(map) => {
            if let Some(graph) = map.get("@graph") {
                read_json_ld(graph, article);
            }
            let kind = map.get("@type").map(|t| t.to_string()).unwrap_or_default();
            if !kind.contains("Article") && !kind.contains("Posting") {
                return;
            }
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
        _ => {}
    }
}

fn author_name(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(name) => Some(name.clone()),
        serde_json::Value::Object(map) => map.get("name").and_then(|n| n.as_str()).map(str::to_string),
        _ => None,
    }
}

fn join_names(names: &[String]) -> String {
    match names {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn is_skipped(element: &ElementRef) -> bool {
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
    !markers.trim().is_empty()
        && JUNK_MARKERS.iter().any(|marker| {
            markers
                .split(|c: char| c.is_whitespace())
                .any(|token| token.split(['-', '_']).any(|part| part == *marker) || token == *marker)
        })
}

/// Text of an element without the skipped subtrees, white space folded.
fn visible_text(element: ElementRef) -> String {
    let mut out = String::new();
    push_text(element, &mut out);
    squash_whitespace(&out)
}

fn push_text(element: ElementRef, out: &mut String) {
    for child in element.children() {
        match child.value() {
            Node::Text(text) => out.push_str(text),
            Node::Element(_) => {
                if let Some(child) = ElementRef::wrap(child) {
                    if !is_skipped(&child) {
                        if child.value().name() == "br" {
                            out.push(' ');
                        }
                        push_text(child, out);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Tags that hold other blocks; a `div` with none of them inside is a paragraph of its own.
const BLOCK_TAGS: &[&str] = &[
    "p", "div", "section", "article", "main", "ul", "ol", "li", "table", "blockquote", "pre", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "footer", "aside", "nav", "figure", "form",
];

/// A `div` (or `section`, `td`) with text and no block inside: old layouts write paragraphs so.
fn is_text_division(element: ElementRef) -> bool {
    matches!(element.value().name(), "div" | "section" | "td")
        && !element.descendants().skip(1).filter_map(ElementRef::wrap).any(|child| BLOCK_TAGS.contains(&child.value().name()))
        && visible_text(element).len() >= 25
}

/// Share of an element's text that sits inside links: high for menus and link lists.
fn link_density(element: ElementRef) -> f32 {
    let total = visible_text(element).len().max(1);
    let links = Selector::parse("a").expect("valid selector");
    let linked: usize = element.select(&links).map(|a| visible_text(a).len()).sum();
    linked as f32 / total as f32
}

/// The element whose paragraphs score highest: each paragraph scores its parent fully and its
/// grandparent by half, as Readability does.
fn best_container(document: &Html) -> Option<ElementRef<'_>> {
    let paragraphs = Selector::parse("p, pre, blockquote, div, section, td").expect("valid selector");
    let mut scores: HashMap<ego_tree::NodeId, f32> = HashMap::new();
    for paragraph in document.select(&paragraphs) {
        if !matches!(paragraph.value().name(), "p" | "pre" | "blockquote") && !is_text_division(paragraph) {
            continue;
        }
        if paragraph.ancestors().filter_map(ElementRef::wrap).any(|a| is_skipped(&a)) {
            continue;
        }
        let text = visible_text(paragraph);
        if text.len() < 25 {
            continue;
        }
        let score = 1.0 + text.matches(',').count() as f32 + (text.len() as f32 / 100.0).min(3.0);
        let score = score * (1.0 - link_density(paragraph));
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

/// Walks the container in document order and emits headings, paragraphs, quotes and items.
fn collect_blocks(element: ElementRef, blocks: &mut Vec<Block>, depth: usize) {
    if depth > 200 {
        return;
    }
    for child in element.children().filter_map(ElementRef::wrap) {
        if is_skipped(&child) {
            continue;
        }
        let name = child.value().name();
        let kind = match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                Some(BlockKind::Heading { level: name[1..].parse().unwrap_or(2) })
            }
            "p" | "pre" => Some(BlockKind::Paragraph),
            "blockquote" => Some(BlockKind::Quote),
            "li" => Some(BlockKind::ListItem),
            _ if is_text_division(child) => Some(BlockKind::Paragraph),
            _ => None,
        };
        match kind {
            Some(kind) => {
                let text = visible_text(child);
                // Headings and items that are mostly links are navigation; paragraphs may link more.
                let limit = if kind == BlockKind::Paragraph { 0.8 } else { 0.6 };
                if !text.is_empty() && link_density(child) <= limit {
                    blocks.push(Block { kind, text });
                }
            }
            None => collect_blocks(child, blocks, depth + 1),
        }
    }
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
        assert!(decode(page).contains("café"));
    }

    #[test]
    fn survives_deep_nesting() {
        let page = format!("<html><body>{}<p>Deep text that still needs reading, surely.</p>{}</body></html>",
            "<div>".repeat(5000), "</div>".repeat(5000));
        let article = extract(&page);
        assert!(article.blocks.len() <= 1);
    }
}
