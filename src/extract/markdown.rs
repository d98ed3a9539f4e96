//! Markdown articles through pulldown-cmark: the first level-1 heading is the title, a short
//! "By ..." paragraph right after it is the byline, and front matter may give both and the date.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::{junk, squash_whitespace, Article, Block, BlockKind, Dropped};

#[cfg(test)]
pub fn extract(input: &str) -> Article {
    extract_explained(input).0
}

/// The article of a Markdown text, with the blocks dropped as furniture.
pub fn extract_explained(input: &str) -> (Article, Vec<Dropped>) {
    let mut dropped = Vec::new();
    let (front_matter, body) = split_front_matter(input);
    let mut article = Article::default();
    if let Some(front_matter) = front_matter {
        for line in front_matter.lines() {
            let Some((key, value)) = line.split_once(':') else { continue };
            let value = value.trim().trim_matches(['"', '\'']).to_string();
            match key.trim().to_ascii_lowercase().as_str() {
                "title" => article.title = Some(value),
                "author" | "byline" => article.byline = Some(value),
                "date" => article.date = Some(value),
                "description" | "lede" | "summary" => article.lede = Some(value),
                _ => {}
            }
        }
    }

    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<(BlockKind, String)> = None;
    let mut quote_depth = 0usize;
    let mut in_code = false;
    // Footnotes and tables are not read: a listener cannot follow "[1]" or a grid of cells.
    let mut skipped = 0usize;
    // A paragraph that is one link and nothing else ("[Read our investigation](...)") points
    // to another page: it is not read.
    let (mut link_depth, mut text_in_link, mut text_outside_link) = (0usize, false, false);
    for event in Parser::new_ext(body, Options::ENABLE_FOOTNOTES | Options::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::FootnoteDefinition(_) | Tag::Table(_)) => skipped += 1,
            Event::End(TagEnd::FootnoteDefinition | TagEnd::Table) => skipped = skipped.saturating_sub(1),
            _ if skipped > 0 => {}
            Event::Start(Tag::Heading { level, .. }) => {
                current = Some((BlockKind::Heading { level: heading_level(level) }, String::new()));
            }
            Event::Start(Tag::Paragraph) if current.is_none() => {
                let kind = if quote_depth > 0 { BlockKind::Quote } else { BlockKind::Paragraph };
                current = Some((kind, String::new()));
                (text_in_link, text_outside_link) = (false, false);
            }
            Event::Start(Tag::Link { .. }) => link_depth += 1,
            Event::End(TagEnd::Link) => link_depth = link_depth.saturating_sub(1),
            Event::Start(Tag::Item) => current = Some((BlockKind::ListItem, String::new())),
            Event::Start(Tag::BlockQuote(_)) => quote_depth += 1,
            Event::End(TagEnd::BlockQuote(_)) => quote_depth = quote_depth.saturating_sub(1),
            Event::Start(Tag::CodeBlock(_)) => in_code = true,
            Event::End(TagEnd::CodeBlock) => in_code = false,
            Event::Start(Tag::Image { .. }) => {
                current.get_or_insert((BlockKind::Paragraph, String::new()));
            }
            Event::Text(text) | Event::Code(text) if !in_code => {
                if let Some((_, buffer)) = current.as_mut() {
                    buffer.push_str(&text);
                    if !text.trim().is_empty() {
                        if link_depth > 0 {
                            text_in_link = true;
                        } else {
                            text_outside_link = true;
                        }
                    }
                }
            }
            Event::SoftBreak | Event::HardBreak => {
                if let Some((_, buffer)) = current.as_mut() {
                    buffer.push(' ');
                }
            }
            Event::End(TagEnd::Heading(_) | TagEnd::Paragraph | TagEnd::Item) => {
                if let Some((kind, text)) = current.take() {
                    let text = squash_whitespace(&text);
                    let link_alone = kind == BlockKind::Paragraph && text_in_link && !text_outside_link;
                    (text_in_link, text_outside_link) = (false, false);
                    if !text.is_empty() && !link_alone {
                        blocks.push(Block { kind, text });
                    }
                }
            }
            _ => {}
        }
    }

    match &article.title {
        None => {
            if let Some(at) = blocks.iter().position(|b| b.kind == BlockKind::Heading { level: 1 }) {
                article.title = Some(blocks.remove(at).text);
            }
        }
        // Front matter's title repeated as the first heading is read once.
        Some(title) => {
            let same = |text: &str| text.split_whitespace().eq(title.split_whitespace());
            if blocks.first().is_some_and(|b| matches!(b.kind, BlockKind::Heading { .. }) && same(&b.text)) {
                blocks.remove(0);
            }
        }
    }
    if let Some(first) = blocks.first() {
        let lower = first.text.to_lowercase();
        if first.kind == BlockKind::Paragraph && lower.starts_with("by ") && first.text.split_whitespace().count() <= 12 {
            let line = blocks.remove(0).text;
            let (name, date) = split_byline(&line[3..]);
            article.byline = article.byline.or(Some(name));
            article.date = article.date.or(date);
        }
    }
    blocks.retain(|block| {
        let rule = if junk::is_junk(&block.text) {
            "page furniture (junk.toml)"
        } else if junk::is_caption(&block.text) {
            "photo caption or credit"
        } else {
            return true;
        };
        dropped.push(Dropped { text: block.text.clone(), rule });
        false
    });
    article.blocks = blocks;
    (article, dropped)
}

/// "Jane Roe | March 3, 2026" or "Jane Roe, March 3, 2026" -> name and date.
fn split_byline(text: &str) -> (String, Option<String>) {
    for separator in [" | ", " — ", " - ", " · "] {
        if let Some((name, date)) = text.split_once(separator) {
            return (name.trim().to_string(), Some(date.trim().to_string()));
        }
    }
    (text.trim().to_string(), None)
}

fn heading_level(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

fn split_front_matter(input: &str) -> (Option<&str>, &str) {
    let Some(rest) = input.strip_prefix("---\n") else {
        return (None, input);
    };
    match rest.find("\n---") {
        Some(end) => {
            let after = &rest[end + 4..];
            (Some(&rest[..end]), after.strip_prefix('\n').unwrap_or(after))
        }
        None => (None, input),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_paragraph_that_is_only_a_link_is_not_read() {
        let article = extract("# Floods\n\nThe river rose [again](https://example.org) on Monday.\n\n[Read our 2024 investigation](https://example.org/dams)\n\n**[Sign up](https://example.org/s)**\n");
        let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["The river rose again on Monday."]);
    }

    #[test]
    fn reads_title_byline_headings_and_quotes() {
        let article = extract("# Rail strike ends\n\nBy Sam Park | May 2, 2026\n\nThe strike ended on *Friday*.\n\n## Talks\n\n> \"It was hard,\" she said.\n\n- first point\n- second point\n\n![A train](t.jpg)\n");
        assert_eq!(article.title.as_deref(), Some("Rail strike ends"));
        assert_eq!(article.byline.as_deref(), Some("Sam Park"));
        assert_eq!(article.date.as_deref(), Some("May 2, 2026"));
        let kinds: Vec<BlockKind> = article.blocks.iter().map(|b| b.kind).collect();
        assert_eq!(kinds, [BlockKind::Paragraph, BlockKind::Heading { level: 2 }, BlockKind::Quote,
            BlockKind::ListItem, BlockKind::ListItem, BlockKind::Paragraph]);
        assert_eq!(article.blocks[0].text, "The strike ended on Friday.");
    }

    #[test]
    fn footnotes_and_tables_are_not_read() {
        let article = extract("The session lasted 14 hours.[^1]\n\n| Item | Cost |\n|---|---|\n| Roads | $310m |\n\nIt passed.\n\n[^1]: It began at 3 p.m.\n");
        let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["The session lasted 14 hours.", "It passed."]);
    }

    #[test]
    fn reads_front_matter() {
        let article = extract("---\ntitle: \"Budget day\"\nauthor: Ana Ruiz\ndate: 2026-03-04\n---\n# Budget day\n\nThe budget passed.\n");
        assert_eq!(article.title.as_deref(), Some("Budget day"));
        assert_eq!(article.blocks.len(), 1, "the title is read once: {:?}", article.blocks);
        assert_eq!(article.byline.as_deref(), Some("Ana Ruiz"));
        assert_eq!(article.date.as_deref(), Some("2026-03-04"));
    }
}
