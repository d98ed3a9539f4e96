//! Subcommands that work on text only: extract, normalize, sentences, lint.

use std::path::PathBuf;

use clap::Args;
use readcast::chunk::split_sentences;
use readcast::error::{Error, Result, EXIT_OK};
use readcast::extract::{self, ExtractOptions, Format, Source};
use readcast::normalize::{Lexicon, Normalizer};
use readcast::pipeline::normalizer_for;
use readcast::voice::{best_voice, find_voice};

use super::{print, VoiceArgs};

#[derive(Debug, Args)]
pub struct InputArg {
    /// A file, or - for standard input.
    #[arg(default_value = "-")]
    input: String,
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
}

#[derive(Debug, Args)]
pub struct NormalizeArgs {
    /// A file, or - for standard input.
    #[arg(default_value = "-")]
    input: String,
    /// Treat every input line as its own text; print exactly one line per input line.
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
pub struct LintArgs {
    /// A file, or - for standard input.
    #[arg(default_value = "-")]
    input: String,
    #[command(flatten)]
    voice: VoiceArgs,
}

/// Reads an input as UTF-8 text.
pub fn read_text(input: &str) -> Result<String> {
    extract::decode_text(&extract::read_source(&Source::from_arg(input))?)
}

/// Reads and extracts an article.
pub fn read_article(input: &str, format: Option<&str>) -> Result<extract::Article> {
    let document = extract::read_source(&Source::from_arg(input))?;
    let format = format.map(str::parse::<Format>).transpose()?;
    extract::extract(&document, &ExtractOptions { format })
}

/// `readcast extract`: what will be read.
pub fn extract(args: &ExtractArgs) -> Result<i32> {
    let article = read_article(&args.input, args.format.as_deref())?;
    if args.json {
        let json = serde_json::to_string_pretty(&article).map_err(|e| Error::input(e.to_string()))?;
        print(&format!("{json}\n"))?;
    } else {
        print(&article.to_plain_text())?;
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
    let text = read_text(&args.input)?;
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

/// `readcast sentences`: one sentence per line.
pub fn sentences(args: &InputArg) -> Result<i32> {
    let text = read_text(&args.input)?;
    let mut out = String::new();
    for paragraph in text.split("\n\n") {
        for sentence in split_sentences(paragraph) {
            out.push_str(&sentence);
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
    let text = read_text(&args.input)?;
    let findings = readcast::lint::unknown_words(&text, &normalizer)?;
    let mut out = String::new();
    for finding in &findings {
        out.push_str(&format!("{:<24} {:>3}x  {}\n", finding.word, finding.count, finding.pronunciation));
    }
    print(&out)?;
    Ok(EXIT_OK)
}
