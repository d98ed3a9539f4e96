//! Pronunciation lint: the words an engine will have to guess. English words the engine gets
//! from its spelling rules are fine; names are where it goes wrong. So the lint lists
//! capitalized words that are neither in the engine's dictionary nor in the lexicon, with the
//! phonemes the engine would use, so an editor can add lexicon entries before publishing.

use std::collections::BTreeMap;

use espeak_ng::dictionary::lookup::{lookup, LookupCtx};
use espeak_ng::dictionary::Dictionary;

use crate::chunk::split_sentences;
use crate::error::{Error, Result};
use crate::normalize::Normalizer;
use crate::synth::espeak::data_dir;

/// A word the engine will guess.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub word: String,
    pub count: usize,
    /// The engine's phonemes for it (IPA).
    pub pronunciation: String,
}

/// Capitalized words that neither the engine's dictionary nor the lexicon knows.
pub fn unknown_words(text: &str, normalizer: &Normalizer) -> Result<Vec<Finding>> {
    let dir = data_dir()?;
    let dictionary = Dictionary::load("en", dir).map_err(|e| Error::engine(format!("espeak dictionary: {e}")))?;
    let engine = espeak_ng::EspeakNg::with_data_dir("en-us", dir).map_err(|e| Error::engine(format!("espeak: {e}")))?;
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for paragraph in text.split("\n\n") {
        for sentence in split_sentences(paragraph) {
            for (position, raw) in sentence.split_whitespace().enumerate() {
                let word = raw.trim_matches(|c: char| !c.is_alphabetic());
                let word = word.strip_suffix("'s").or_else(|| word.strip_suffix("’s")).unwrap_or(word);
                let capitalized = word.starts_with(char::is_uppercase) && word.chars().skip(1).any(char::is_lowercase);
                if word.len() < 2 || !capitalized || !word.chars().all(|c| c.is_alphabetic() || c == '-') {
                    continue;
                }
                let lower = word.to_lowercase();
                let known = lookup(&dictionary, &lower, &LookupCtx::default()).is_some()
                    || normalizer.lexicon().contains(word)
                    // A sentence-initial word is capitalized by grammar; skip common ones.
                    || (position == 0 && lookup(&dictionary, &lower, &LookupCtx { is_first_word: true, ..Default::default() }).is_some());
                if !known && !is_common_word(&lower) {
                    *counts.entry(word.to_string()).or_default() += 1;
                }
            }
        }
    }
    counts
        .into_iter()
        .map(|(word, count)| {
            let pronunciation = engine.text_to_phonemes(&word).map_err(|e| Error::engine(format!("espeak: {e}")))?;
            Ok(Finding { word, count, pronunciation: format!("/{}/", pronunciation.trim()) })
        })
        .collect()
}

/// Capitalized only because they start a sentence or a title: everyday words the spelling
/// rules read right. Kept short on purpose; the dictionary covers most irregular words.
fn is_common_word(word: &str) -> bool {
    const COMMON: &[&str] = &[
        "the", "a", "an", "and", "but", "or", "if", "in", "on", "at", "to", "for", "with", "from", "by",
        "this", "that", "these", "those", "there", "here", "he", "she", "it", "they", "we", "you",
        "his", "her", "its", "their", "our", "my", "what", "when", "where", "why", "how", "who",
        "after", "before", "while", "since", "as", "so", "such", "some", "many", "most", "all",
        "both", "one", "two", "three", "first", "last", "next", "new", "north", "south", "east",
        "west", "former", "president", "minister", "defense", "foreign", "affairs", "committee",
        "parliament", "people", "program", "center", "institute", "research", "policy", "war",
        "world", "western", "eastern", "american", "european", "however", "meanwhile", "still",
    ];
    COMMON.contains(&word)
}
