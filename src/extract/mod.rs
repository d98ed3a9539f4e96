//! Stage 1: input (scraped text, HTML, Markdown, a URL) -> [`Article`].
//!
//! Each format has its own module; they all produce the same typed article, and the junk
//! rules that apply to text whatever its format live in [`junk`].

mod html;
mod junk;
mod markdown;
mod nesting;
mod text;
mod url;

use std::path::Path;

use serde::Serialize;

use crate::error::{Error, Result};

/// What kind of block a piece of article text is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum BlockKind {
    /// A section heading; level 2 is a section, deeper levels are sub-sections.
    Heading { level: u8 },
    Paragraph,
    Quote,
    ListItem,
}

/// One block of the article body, in reading order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Block {
    #[serde(flatten)]
    pub kind: BlockKind,
    pub text: String,
}

impl Block {
    /// A paragraph block.
    pub fn paragraph(text: impl Into<String>) -> Self {
        Block { kind: BlockKind::Paragraph, text: text.into() }
    }

    /// A heading block of the given level.
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block { kind: BlockKind::Heading { level }, text: text.into() }
    }
}

/// A news article with only what should be read aloud.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Article {
    pub title: Option<String>,
    pub byline: Option<String>,
    /// The publication date as written in the source (normalization speaks it).
    pub date: Option<String>,
    /// A standfirst or summary shown under the title, when the source marks one.
    pub lede: Option<String>,
    pub blocks: Vec<Block>,
    /// The page's canonical address, when it names one (or the address it was fetched from).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// What a reader should check: the extraction was unsure of what it kept (a very short
    /// body, prose found only by the last resort). Shown on stderr, never read aloud.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl Article {
    /// True when there is no body text to narrate.
    pub fn is_empty(&self) -> bool {
        self.blocks.iter().all(|block| block.text.trim().is_empty())
    }

    /// The article as plain text: title first, one block per line, headings marked with `#`.
    pub fn to_plain_text(&self) -> String {
        let mut out = String::new();
        if let Some(title) = &self.title {
            out.push_str(&format!("# {title}\n"));
        }
        if let Some(byline) = &self.byline {
            out.push_str(&format!("By {byline}\n"));
        }
        if let Some(date) = &self.date {
            out.push_str(&format!("Date: {date}\n"));
        }
        if let Some(lede) = &self.lede {
            out.push_str(&format!("{lede}\n"));
        }
        for block in &self.blocks {
            match block.kind {
                BlockKind::Heading { level } => {
                    out.push_str(&"#".repeat(level as usize));
                    out.push(' ');
                }
                BlockKind::Quote => out.push_str("> "),
                BlockKind::ListItem => out.push_str("- "),
                BlockKind::Paragraph => {}
            }
            out.push_str(&block.text);
            out.push('\n');
        }
        out
    }
}

/// A block of the input that is not read, and the rule that dropped it: what
/// `readcast extract --explain` lists, so that a user can see why a paragraph is missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dropped {
    pub text: String,
    pub rule: &'static str,
}

/// The input formats readcast understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text, possibly scraped from a page with its junk.
    Text,
    Html,
    Markdown,
}

impl std::str::FromStr for Format {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self> {
        match name.to_ascii_lowercase().as_str() {
            "text" | "txt" | "plain" => Ok(Format::Text),
            "html" | "htm" => Ok(Format::Html),
            "markdown" | "md" => Ok(Format::Markdown),
            other => Err(Error::input(format!(
                "unknown format '{other}' (expected text, html or markdown)"
            ))),
        }
    }
}

/// Where an article comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Path(std::path::PathBuf),
    Stdin,
    Url(String),
}

impl Source {
    /// Interprets a command-line argument: `-` is stdin, `http(s)://` a URL, anything else a path.
    pub fn from_arg(arg: &str) -> Self {
        if arg == "-" {
            Source::Stdin
        } else if arg.contains("://") {
            Source::Url(arg.to_string())
        } else {
            Source::Path(arg.into())
        }
    }

    /// A short name for messages.
    pub fn display_name(&self) -> String {
        match self {
            Source::Path(path) => path.display().to_string(),
            Source::Stdin => "<stdin>".to_string(),
            Source::Url(url) => url.clone(),
        }
    }
}

/// Raw bytes of an input with what is known of their format.
#[derive(Debug, Clone)]
pub struct Document {
    pub name: String,
    pub bytes: Vec<u8>,
    /// A format hinted by the file extension or the HTTP content type.
    pub hint: Option<Format>,
    /// The character set the HTTP header declared, if any.
    pub charset: Option<String>,
    /// The address the document was fetched from (after redirects), if any.
    pub url: Option<String>,
}

/// Options that change how an article is read.
#[derive(Debug, Clone, Default)]
pub struct ExtractOptions {
    /// Forces a format instead of detecting it.
    pub format: Option<Format>,
}

/// Reads a source into memory: a file, standard input, or a URL.
pub fn read_source(source: &Source) -> Result<Document> {
    match source {
        Source::Path(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Ok(Document { name: path.display().to_string(), bytes, hint: format_from_path(path), charset: None, url: None })
        }
        Source::Stdin => {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut std::io::stdin(), &mut bytes)
                .map_err(|e| Error::io("<stdin>", e))?;
            Ok(Document { name: "<stdin>".to_string(), bytes, hint: None, charset: None, url: None })
        }
        Source::Url(address) => url::fetch(address),
    }
}

fn format_from_path(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()?.to_ascii_lowercase().as_str() {
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "md" | "markdown" => Some(Format::Markdown),
        "txt" | "text" => Some(Format::Text),
        _ => None,
    }
}

/// A body shorter than this is narrated with a note: it may be a teaser, not the story.
const DOUBTFUL_WORDS: usize = 40;

/// Turns a document into an article, detecting its format unless one is forced.
pub fn extract(document: &Document, options: &ExtractOptions) -> Result<Article> {
    extract_explained(document, options).map(|(article, _)| article)
}

/// [`extract`], with every block that was dropped and the rule that dropped it.
pub fn extract_explained(document: &Document, options: &ExtractOptions) -> Result<(Article, Vec<Dropped>)> {
    reject_binary(document)?;
    let format = options
        .format
        .or(document.hint)
        .unwrap_or_else(|| sniff_format(&document.bytes));
    let (article, dropped) = match format {
        Format::Html => html::extract_explained(&html::decode(&document.bytes, document.charset.as_deref())),
        Format::Markdown => markdown::extract_explained(&decode_utf8(document)?),
        Format::Text => text::extract_explained(&decode_text_as_declared(document)?),
    };
    let mut article = article.without_control_chars();
    if article.is_empty() {
        return Err(Error::input(format!("{}: no article text found", document.name)));
    }
    if article.url.is_none() {
        article.url = document.url.clone();
    }
    let words: usize = article.blocks.iter().map(|block| block.text.split_whitespace().count()).sum();
    if words < DOUBTFUL_WORDS && article.notes.is_empty() {
        article.notes.push(format!("the article has only {words} words; check that this is the story"));
    }
    Ok((article, dropped))
}

/// Extracts an article from a string, detecting its format.
pub fn extract_str(text: &str) -> Result<Article> {
    let document = Document { name: "<text>".into(), bytes: text.as_bytes().to_vec(), hint: None, charset: None, url: None };
    extract(&document, &ExtractOptions::default())
}

fn reject_binary(document: &Document) -> Result<()> {
    if document.bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(Error::input(format!("{}: looks like a binary file, not text", document.name)));
    }
    Ok(())
}

/// A document as UTF-8 text (without a byte-order mark); binary data and other encodings are
/// input errors naming the document.
pub fn decode_text(document: &Document) -> Result<String> {
    reject_binary(document)?;
    decode_utf8(document)
}

/// Text in the character set its HTTP header declared (a Latin-1 page served as
/// `text/plain; charset=ISO-8859-1`), else UTF-8.
fn decode_text_as_declared(document: &Document) -> Result<String> {
    let declared = document.charset.as_deref().and_then(|label| encoding_rs::Encoding::for_label(label.trim().as_bytes()));
    match declared {
        Some(encoding) if encoding != encoding_rs::UTF_8 => Ok(encoding.decode(&document.bytes).0.into_owned()),
        _ => decode_utf8(document),
    }
}

fn decode_utf8(document: &Document) -> Result<String> {
    let text = std::str::from_utf8(&document.bytes).map_err(|e| {
        Error::input(format!("{}: not valid UTF-8 text (byte {})", document.name, e.valid_up_to()))
    })?;
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text).to_string())
}

/// Guesses the format from content: markup tags mean HTML, Markdown syntax means Markdown.
fn sniff_format(bytes: &[u8]) -> Format {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(4096)]).to_ascii_lowercase();
    let trimmed = head.trim_start();
    if trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || head.contains("<body")
        || (head.contains("<p>") && head.contains("</p>"))
    {
        return Format::Html;
    }
    let markdown_lines = head
        .lines()
        .filter(|line| {
            let line = line.trim_start();
            line.starts_with("# ") || line.starts_with("## ") || line.starts_with("```")
                || line.starts_with("> ") || (line.contains("](") && line.contains('['))
        })
        .count();
    if markdown_lines >= 1 {
        Format::Markdown
    } else {
        Format::Text
    }
}

/// `text` without the control characters that XML 1.0 forbids and no reader says (all below
/// U+0020 but tab, line feed and carriage return, and U+FFFE, U+FFFF): a title with an escape
/// or a `&#1;` in it must not break the feed it ends up in.
pub fn without_control_chars(text: &str) -> std::borrow::Cow<'_, str> {
    let forbidden = |c: char| (c < ' ' && !matches!(c, '\t' | '\n' | '\r')) || matches!(c, '\u{fffe}' | '\u{ffff}');
    if text.contains(forbidden) {
        std::borrow::Cow::Owned(text.chars().filter(|&c| !forbidden(c)).collect())
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

impl Article {
    /// Every string of the article without control characters ([`without_control_chars`]).
    fn without_control_chars(mut self) -> Self {
        let clean = |text: &mut String| {
            if let std::borrow::Cow::Owned(cleaned) = without_control_chars(text) {
                *text = squash_whitespace(&cleaned);
            }
        };
        for field in [&mut self.title, &mut self.byline, &mut self.date, &mut self.lede, &mut self.url].into_iter().flatten() {
            clean(field);
        }
        self.blocks.iter_mut().for_each(|block| clean(&mut block.text));
        self.blocks.retain(|block| !block.text.is_empty());
        self.title = self.title.filter(|title| !title.is_empty());
        self
    }
}

/// Collapses runs of white space into single spaces and trims.
pub(crate) fn squash_whitespace(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sniffs_formats() {
        assert_eq!(sniff_format(b"<!DOCTYPE html><html></html>"), Format::Html);
        assert_eq!(sniff_format(b"# Title\n\nBody text."), Format::Markdown);
        assert_eq!(sniff_format(b"Title\n\nBody text."), Format::Text);
    }

    #[test]
    fn rejects_binary_and_invalid_utf8() {
        let binary = Document { name: "x".into(), bytes: vec![0, 1, 2, 3], hint: None, charset: None, url: None };
        assert!(matches!(extract(&binary, &ExtractOptions::default()), Err(Error::Input(_))));
        let latin1 = Document { name: "x".into(), bytes: b"caf\xe9 au lait.".to_vec(), hint: None, charset: None, url: None };
        let err = extract(&latin1, &ExtractOptions::default()).unwrap_err();
        assert!(err.to_string().contains("UTF-8"), "{err}");
    }

    #[test]
    fn control_characters_never_reach_the_article() {
        let article = extract_str("<html><body><h1>A &#1; title\u{1b}[31m</h1><p>The harbor reopened on Monday\u{7}, three days after the storm.</p></body></html>").unwrap();
        assert_eq!(article.title.as_deref(), Some("A title[31m"));
        assert_eq!(article.blocks[0].text, "The harbor reopened on Monday, three days after the storm.");
    }

    #[test]
    fn empty_input_has_no_article() {
        let err = extract_str("   \n\n ").unwrap_err();
        assert!(err.to_string().contains("no article text found"));
    }
}
