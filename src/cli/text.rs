//! Subcommands that work on text only: extract, normalize, sentences, lint.
//!
//! `normalize`, `sentences` and `lint` read an article as `narrate` does and work on what
//! will be read: the header (title, byline, date), the disclosure line and the body, without
//! the page's junk. `--raw` takes the input as plain text instead, line for line.

use std::path::PathBuf;

use clap::Args;
use readcast::chunk::{split_sentences, Pause, Utterance};
use readcast::error::{Error, Result, EXIT_OK};
use readcast::extract::{self, ExtractOptions, Format, Source};
use readcast::normalize::{Lexicon, Normalizer};
use readcast::pipeline::{normalizer_for, script, ScriptOptions};
use readcast::voice::{best_voice, find_voice};

use super::{print, VoiceArgs};

/// An article to read, or with `--raw` a plain text.
#[derive(Debug, Args)]
pub struct ArticleInput {
    /// A file, an http(s) URL, or - for standard input.
    #[arg(default_value = "-")]
    input: String,
    /// Take the input as plain text as it is, not as the article that `narrate` reads.
    #[arg(long)]
    raw: bool,
    /// Force the input format instead of detecting it.
    #[arg(long, value_parser = ["text", "html", "markdown"])]
    format: Option<String>,
}

#[derive(Debug, Args)]
pub struct ExtractArgs {
    /// A file, an http(s) URL, or - for standard input.
    input: String,
    /// Force the input format instead of detecting it.
    #[arg(long, value_parser = ["text", "html", "markdown"])]
    format: Option<String>,
    /// Print the article structure as JSON.
    #[arg(long)]
    json: bool,
    /// Also list every block that was dropped, with the rule that dropped it.
    #[arg(long)]
    explain: bool,
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    #[command(flatten)]
    article: ArticleInput,
    /// Treat every input line as its own text; print exactly one line per input line
    /// (implies --raw).
    #[arg(long)]
    lines: bool,
    /// Show each rewrite with its class.
    #[arg(long)]
    explain: bool,
    /// Extra pronunciation lexicon (TOML); may be repeated.
    #[arg(long = "lexicon", value_name = "FILE")]
    lexicons: Vec<PathBuf>,
    /// Do not apply the shipped news lexicon.
    #[arg(long)]
    no_lexicon: bool,
}

#[derive(Debug, Args)]
pub struct SentencesArgs {
    #[command(flatten)]
    article: ArticleInput,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    #[command(flatten)]
    article: ArticleInput,
    #[command(flatten)]
    voice: VoiceArgs,
}

/// Reads an input as UTF-8 text.
pub fn read_text(input: &str) -> Result<String> {
    extract::decode_text(&extract::read_source(&Source::from_arg(input))?)
}

/// Reads and extracts an article; what the extraction was unsure of goes to stderr unless
/// `quiet`.
pub fn read_article(input: &str, format: Option<&str>, quiet: bool) -> Result<extract::Article> {
    read_article_explained(input, format, quiet).map(|(article, _)| article)
}

fn read_article_explained(input: &str, format: Option<&str>, quiet: bool) -> Result<(extract::Article, Vec<extract::Dropped>)> {
    let source = Source::from_arg(input);
    let document = extract::read_source(&source)?;
    let format = format.map(str::parse::<Format>).transpose()?;
    let (article, dropped) = extract::extract_explained(&document, &ExtractOptions { format })?;
    for note in article.notes.iter().filter(|_| !quiet) {
        eprintln!("readcast: {}: {note}", source.display_name());
    }
    Ok((article, dropped))
}

/// The utterances a narration of the input speaks: header, disclosure and body.
fn spoken_script(article: &ArticleInput, normalizer: &Normalizer) -> Result<Vec<Utterance>> {
    let article = read_article(&article.input, article.format.as_deref(), false)?;
    Ok(script(&article, normalizer, &ScriptOptions::default()))
}

/// Utterances one paragraph per line: sentences joined by spaces, a line break where the
/// narration pauses for a paragraph or a section.
fn paragraphs(utterances: &[Utterance], text: impl Fn(&Utterance) -> &str) -> String {
    let mut out = String::new();
    for utterance in utterances {
        out.push_str(text(utterance));
        out.push(if utterance.pause_after == Pause::Sentence { ' ' } else { '\n' });
    }
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

/// `readcast extract`: what will be read.
pub fn extract(args: &ExtractArgs) -> Result<i32> {
    let (article, dropped) = read_article_explained(&args.input, args.format.as_deref(), false)?;
    if args.json {
        let value = if args.explain {
            let mut value = serde_json::to_value(&article).map_err(|e| Error::input(e.to_string()))?;
            value["dropped"] = serde_json::to_value(&dropped).map_err(|e| Error::input(e.to_string()))?;
            value
        } else {
            serde_json::to_value(&article).map_err(|e| Error::input(e.to_string()))?
        };
        let json = serde_json::to_string_pretty(&value).map_err(|e| Error::input(e.to_string()))?;
        print(&format!("{json}\n"))?;
    } else {
        let mut out = article.to_plain_text();
        if args.explain {
            out.push_str(&format!("\nDropped ({}):\n", dropped.len()));
            for block in &dropped {
                out.push_str(&format!("  [{}] {}\n", block.rule, block.text));
            }
        }
        print(&out)?;
    }
    Ok(EXIT_OK)
}

/// `readcast normalize`: the spoken form.
pub fn normalize(args: &NormalizeArgs) -> Result<i32> {
    let mut lexicon = if args.no_lexicon { Lexicon::default() } else { Lexicon::news() };
    for path in &args.lexicons {
        lexicon.extend(Lexicon::load(path)?);
    }
    let normalizer = Normalizer::new(lexicon);
    if !args.article.raw && !args.lines {
        let utterances = spoken_script(&args.article, &normalizer)?;
        let mut out = String::new();
        if args.explain {
            for utterance in &utterances {
                for rewrite in normalizer.explain(&utterance.written).1 {
                    out.push_str(&format!("{:<13} {} -> {}\n", rewrite.class, rewrite.written, rewrite.spoken));
                }
            }
        }
        out.push_str(&paragraphs(&utterances, |utterance| &utterance.spoken));
        print(&out)?;
        return Ok(EXIT_OK);
    }
    let text = read_text(&args.article.input)?;
    let mut out = String::with_capacity(text.len() * 2);
    let units: Vec<&str> = if args.lines { text.lines().collect() } else { vec![text.as_str()] };
    for unit in units {
        // Sentence by sentence, as a narration speaks them: an abbreviation's period that
        // ends a sentence stays ("on Wed. The vote" -> "on Wednesday. The vote").
        let mut spoken = Vec::new();
        for sentence in unit.split("\n\n").flat_map(split_sentences) {
            if args.explain {
                let (said, rewrites) = normalizer.explain(&sentence);
                for rewrite in rewrites {
                    out.push_str(&format!("{:<13} {} -> {}\n", rewrite.class, rewrite.written, rewrite.spoken));
                }
                spoken.push(said);
            } else {
                spoken.push(normalizer.normalize(&sentence));
            }
        }
        out.push_str(&spoken.join(" "));
        out.push('\n');
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// `readcast sentences`: one sentence per line, as the narration splits them.
pub fn sentences(args: &SentencesArgs) -> Result<i32> {
    let mut out = String::new();
    if args.article.raw {
        let text = read_text(&args.article.input)?;
        for paragraph in text.split("\n\n") {
            for sentence in split_sentences(paragraph) {
                out.push_str(&sentence);
                out.push('\n');
            }
        }
    } else {
        for utterance in spoken_script(&args.article, &Normalizer::default())? {
            out.push_str(&utterance.written);
            out.push('\n');
        }
    }
    print(&out)?;
    Ok(EXIT_OK)
}

/// `readcast lint`: words the engine will guess, with how it would say them.
pub fn lint(args: &LintArgs) -> Result<i32> {
    let voice = match &args.voice.voice {
        Some(name) => find_voice(name)?,
        None => best_voice()?,
    };
    let normalizer = normalizer_for(&voice, &args.voice.lexicons)?;
    let text = if args.article.raw {
        read_text(&args.article.input)?
    } else {
        let utterances = spoken_script(&args.article, &Normalizer::default())?;
        paragraphs(&utterances, |utterance| &utterance.written).replace('\n', "\n\n")
    };
    let findings = readcast::lint::unknown_words(&text, &normalizer)?;
    let mut out = String::new();
    // Each line: the word, how often, the engine's pronunciation (IPA), and a lexicon line
    // that keeps it, to correct by ear and paste into a lexicon's [exact] table.
    for finding in &findings {
        out.push_str(&format!("{:<20} {:>3}x  {:<20} {}\n", finding.word, finding.count, finding.pronunciation, finding.lexicon_line()));
    }
    print(&out)?;
    Ok(EXIT_OK)
}
