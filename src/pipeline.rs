//! An article's spoken script: [`prepare`] makes it and its synthesis chunks, which a
//! [`crate::narrator::Narrator`] synthesizes and assembles.

use crate::assemble::{Chapter, Timing};
use crate::chunk::{chunks, split_sentences, Chunk, Pause, Utterance};
use crate::error::{Error, Result};
use crate::extract::{Article, BlockKind};
use crate::normalize::Normalizer;
use crate::voice::Voice;

pub use crate::synth::engine_text;

/// The default disclosure line read with every narration.
pub const DEFAULT_DISCLOSURE: &str = "This audio was created with AI assistance.";

/// Where the disclosure line is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisclosurePosition {
    Start,
    End,
}

/// What is read besides the body.
#[derive(Debug, Clone)]
pub struct ScriptOptions {
    /// Read title, byline and date before the body.
    pub header: bool,
    /// The disclosure line, or `None` for none.
    pub disclosure: Option<String>,
    pub disclosure_position: DisclosurePosition,
}

impl Default for ScriptOptions {
    fn default() -> Self {
        ScriptOptions { header: true, disclosure: Some(DEFAULT_DISCLOSURE.to_string()), disclosure_position: DisclosurePosition::Start }
    }
}

/// The spoken script of an article and its synthesis chunks.
#[derive(Debug, Clone)]
pub struct Script {
    pub utterances: Vec<Utterance>,
    pub chunks: Vec<Chunk>,
    /// Chapter marks: the utterance each chapter starts at, and its title. The title starts
    /// the first chapter; each heading starts another.
    pub chapters: Vec<(usize, String)>,
    /// What each run of utterances is on the page, in reading order.
    pub parts: Vec<Part>,
}

/// What a part of the script is in the article: a read-along page shows each as the article
/// does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "role")]
pub enum Role {
    Title,
    Byline,
    Date,
    Disclosure,
    Lede,
    Heading { level: u8 },
    Paragraph,
    Quote,
    ListItem,
}

/// A run of utterances with one role: a block of the article, or a line of its header.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Part {
    #[serde(flatten)]
    pub role: Role,
    /// The utterances it holds (indices into [`Script::utterances`]).
    pub utterances: std::ops::Range<usize>,
}

impl Script {
    /// Chapters with their start times in a narration, from its sentences' timings.
    pub fn chapters_in(&self, sentences: &[Timing]) -> Vec<Chapter> {
        self.chapters
            .iter()
            .filter_map(|(utterance, title)| {
                sentences.get(*utterance).map(|timing| Chapter { title: title.clone(), start: if *utterance == 0 { 0.0 } else { timing.start } })
            })
            .collect()
    }
}

/// Turns an article into utterances: header (title, "by" byline, date), disclosure, then each
/// block's sentences, with pauses by boundary.
pub fn script(article: &Article, normalizer: &Normalizer, options: &ScriptOptions) -> Vec<Utterance> {
    script_with_chapters(article, normalizer, options).0
}

/// [`script`], with the chapter marks of [`Script::chapters`] and the parts of
/// [`Script::parts`].
pub fn script_with_chapters(article: &Article, normalizer: &Normalizer, options: &ScriptOptions) -> (Vec<Utterance>, Vec<(usize, String)>, Vec<Part>) {
    let mut utterances: Vec<Utterance> = Vec::new();
    let mut chapters: Vec<(usize, String)> = Vec::new();
    let mut parts: Vec<Part> = Vec::new();
    // Records the utterances pushed since `from` as one part.
    let part = |role: Role, from: usize, utterances: &Vec<Utterance>, parts: &mut Vec<Part>| {
        if utterances.len() > from {
            parts.push(Part { role, utterances: from..utterances.len() });
        }
    };
    let title = article.title.clone().unwrap_or_else(|| "Introduction".to_string());
    chapters.push((0, title));
    let push = |written: &str, pause_after: Pause, utterances: &mut Vec<Utterance>| {
        let written = written.trim();
        if written.is_empty() {
            return;
        }
        let mut spoken = normalizer.normalize(written);
        // Headlines carry no final period; give the engine one for a falling intonation.
        if spoken.ends_with(char::is_alphanumeric) {
            spoken.push('.');
        }
        utterances.push(Utterance { written: written.to_string(), spoken, pause_after });
    };
    if options.header {
        if let Some(title) = &article.title {
            let from = utterances.len();
            push(title, Pause::Paragraph, &mut utterances);
            part(Role::Title, from, &utterances, &mut parts);
        }
        if let Some(byline) = &article.byline {
            let from = utterances.len();
            push(&format!("By {byline}"), Pause::Sentence, &mut utterances);
            part(Role::Byline, from, &utterances, &mut parts);
        }
        if let Some(date) = &article.date {
            let from = utterances.len();
            push(date, Pause::Sentence, &mut utterances);
            part(Role::Date, from, &utterances, &mut parts);
        }
        if let Some(last) = utterances.last_mut() {
            last.pause_after = Pause::Section;
        }
    }
    let disclosure = options.disclosure.as_deref().filter(|d| !d.trim().is_empty());
    if let (Some(line), DisclosurePosition::Start) = (disclosure, options.disclosure_position) {
        let from = utterances.len();
        push(line, Pause::Section, &mut utterances);
        part(Role::Disclosure, from, &utterances, &mut parts);
    }
    if let Some(lede) = &article.lede {
        let from = utterances.len();
        for sentence in split_sentences(lede) {
            push(&sentence, Pause::Sentence, &mut utterances);
        }
        part(Role::Lede, from, &utterances, &mut parts);
        if let Some(last) = utterances.last_mut() {
            last.pause_after = Pause::Section;
        }
    }
    for (index, block) in article.blocks.iter().enumerate() {
        let next_is_heading = article.blocks.get(index + 1).is_some_and(|b| matches!(b.kind, BlockKind::Heading { .. }));
        let end_pause = if next_is_heading { Pause::Section } else { Pause::Paragraph };
        if let BlockKind::Heading { .. } = block.kind {
            chapters.push((utterances.len(), block.text.clone()));
        }
        let sentences = split_sentences(&block.text);
        let count = sentences.len();
        let from = utterances.len();
        for (at, sentence) in sentences.iter().enumerate() {
            let pause = if at + 1 == count { end_pause } else { Pause::Sentence };
            push(sentence, pause, &mut utterances);
        }
        let role = match block.kind {
            BlockKind::Heading { level } => Role::Heading { level },
            BlockKind::Paragraph => Role::Paragraph,
            BlockKind::Quote => Role::Quote,
            BlockKind::ListItem => Role::ListItem,
        };
        part(role, from, &utterances, &mut parts);
    }
    if let (Some(line), DisclosurePosition::End) = (disclosure, options.disclosure_position) {
        if let Some(last) = utterances.last_mut() {
            last.pause_after = Pause::Section;
        }
        let from = utterances.len();
        push(line, Pause::Paragraph, &mut utterances);
        part(Role::Disclosure, from, &utterances, &mut parts);
    }
    chapters.retain(|(start, _)| *start < utterances.len());
    chapters.dedup_by_key(|(start, _)| *start);
    (utterances, chapters, parts)
}

/// Builds the script and chunks it for `voice`.
pub fn prepare(article: &Article, voice: &Voice, normalizer: &Normalizer, options: &ScriptOptions) -> Result<Script> {
    let (utterances, chapters, parts) = script_with_chapters(article, normalizer, options);
    if utterances.is_empty() {
        return Err(Error::input("no article text found"));
    }
    let chunks = chunks(&utterances, voice.max_chars());
    Ok(Script { utterances, chunks, chapters, parts })
}

/// The normalizer for a voice: its lexicons plus extra ones.
pub fn normalizer_for(voice: &Voice, extra_lexicons: &[std::path::PathBuf]) -> Result<Normalizer> {
    let mut lexicon = voice.lexicon()?;
    for path in extra_lexicons {
        lexicon.extend(crate::normalize::Lexicon::load(path)?);
    }
    // eSpeak phonemes reach the espeak voices and Piper (which phonemizes with eSpeak); other
    // programs get the entries' respellings.
    let phonemes = voice.engine != crate::voice::EngineKind::Command;
    Ok(Normalizer::new(lexicon).with_phonemes(phonemes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::Block;

    #[test]
    fn header_then_disclosure_then_body_with_pauses() {
        let article = Article {
            title: Some("Tram line approved".into()),
            byline: Some("Jane Roe".into()),
            date: Some("March 3, 2026".into()),
            lede: None,
            url: None,
            notes: Vec::new(),
            blocks: vec![Block::paragraph("It passed. Work starts soon."), Block::heading(2, "Costs"), Block::paragraph("It costs $5 million.")],
        };
        let utterances = script(&article, &Normalizer::default(), &ScriptOptions::default());
        let spoken: Vec<&str> = utterances.iter().map(|u| u.spoken.as_str()).collect();
        assert_eq!(spoken, [
            "Tram line approved.", "By Jane Roe.", "March third, twenty twenty six.", "This audio was created with A I assistance.",
            "It passed.", "Work starts soon.", "Costs.", "It costs five million dollars.",
        ]);
        let pauses: Vec<Pause> = utterances.iter().map(|u| u.pause_after).collect();
        assert_eq!(pauses, [Pause::Paragraph, Pause::Sentence, Pause::Section, Pause::Section,
            Pause::Sentence, Pause::Section, Pause::Paragraph, Pause::Paragraph]);
    }
}
