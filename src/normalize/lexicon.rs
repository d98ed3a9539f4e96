//! Pronunciation lexicons: TOML files that map a word or phrase to a respelling the engine
//! says right (`"Kyiv" = "Keev"`) or to eSpeak phonemes (`"Kyiv" = { phonemes = "k'i:v" }`,
//! with an optional `say` respelling for engines that do not read eSpeak phonemes).
//! Case-sensitive entries win over case-insensitive ones, and later lexicons win over earlier
//! ones.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The news lexicon that ships with readcast.
pub const NEWS_LEXICON: &str = include_str!("../../voices/lexicon/news.toml");

/// What a lexicon says for a word: a respelling, or phonemes (and a respelling to fall back on).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum Entry {
    Respelling(String),
    Phonemes {
        /// eSpeak phoneme mnemonics, as `espeak-ng -x` prints them.
        phonemes: String,
        /// For engines that do not read eSpeak phonemes.
        #[serde(default)]
        say: Option<String>,
    },
}

impl Entry {
    /// The text to put in place of the word: phonemes as eSpeak's inline `[[...]]` when the
    /// engine reads them (the espeak voices, and Piper, which phonemizes with eSpeak).
    pub fn spoken(&self, phonemes_allowed: bool) -> Option<String> {
        match self {
            Entry::Respelling(respelling) => Some(respelling.clone()),
            Entry::Phonemes { phonemes, .. } if phonemes_allowed => Some(format!("[[{phonemes}]]")),
            Entry::Phonemes { say, .. } => say.clone(),
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct LexiconFile {
    #[serde(default)]
    exact: HashMap<String, Entry>,
    #[serde(default)]
    any_case: HashMap<String, Entry>,
}

/// A merged set of pronunciation entries.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    exact: HashMap<String, Entry>,
    folded: HashMap<String, Entry>,
    /// Longest key, in words, so phrase lookups know how far to look.
    max_words: usize,
}

impl Lexicon {
    /// Parses lexicon TOML: `[exact]` (case-sensitive) and `[any_case]` tables of
    /// `"written" = "respelling"`.
    pub fn from_toml(text: &str, name: &str) -> Result<Self> {
        let file: LexiconFile =
            toml::from_str(text).map_err(|e| Error::input(format!("{name}: not a valid lexicon: {e}")))?;
        let mut lexicon = Lexicon::default();
        for (written, spoken) in file.exact {
            lexicon.insert(written, spoken, true);
        }
        for (written, spoken) in file.any_case {
            lexicon.insert(written, spoken, false);
        }
        Ok(lexicon)
    }

    /// Reads a lexicon file.
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Self::from_toml(&text, &path.display().to_string())
    }

    /// The lexicon shipped for world news names.
    pub fn news() -> Self {
        Self::from_toml(NEWS_LEXICON, "news.toml").expect("the shipped news lexicon is valid")
    }

    fn insert(&mut self, written: String, spoken: Entry, case_sensitive: bool) {
        let words = written.split_whitespace().count();
        self.max_words = self.max_words.max(words);
        if case_sensitive {
            self.exact.insert(written, spoken);
        } else {
            self.folded.insert(written.to_lowercase(), spoken);
        }
    }

    /// Adds another lexicon's entries over this one's.
    pub fn extend(&mut self, other: Lexicon) {
        self.max_words = self.max_words.max(other.max_words);
        self.exact.extend(other.exact);
        self.folded.extend(other.folded);
    }

    /// The entry for a word or phrase, case-sensitive entries first.
    pub fn lookup(&self, written: &str) -> Option<&Entry> {
        self.exact.get(written).or_else(|| self.folded.get(&written.to_lowercase()))
    }

    /// True when the word or phrase has an entry.
    pub fn contains(&self, written: &str) -> bool {
        self.lookup(written).is_some()
    }

    /// The words its entries are respelled as (a respelling, or the `say` of phonemes): words
    /// the lexicon put there, which need no entry of their own.
    pub fn respelled_words(&self) -> impl Iterator<Item = &str> {
        self.exact.values().chain(self.folded.values()).filter_map(|entry| match entry {
            Entry::Respelling(respelling) => Some(respelling.as_str()),
            Entry::Phonemes { say, .. } => say.as_deref(),
        }).flat_map(str::split_whitespace)
    }

    /// Longest entry in words.
    pub fn max_words(&self) -> usize {
        self.max_words
    }

    pub fn len(&self) -> usize {
        self.exact.len() + self.folded.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_entries_win_over_folded() {
        let lexicon = Lexicon::from_toml("[exact]\nNice = \"Neess\"\n[any_case]\nnice = \"nice\"\n", "t").unwrap();
        let spoken = |word: &str| lexicon.lookup(word).and_then(|e| e.spoken(true));
        assert_eq!(spoken("Nice").as_deref(), Some("Neess"));
        assert_eq!(spoken("nice").as_deref(), Some("nice"));
        assert_eq!(spoken("NICE").as_deref(), Some("nice"));
    }

    #[test]
    fn phoneme_entries_fall_back_for_other_engines() {
        let lexicon = Lexicon::from_toml("[exact]\nKyiv = { phonemes = \"k'i:v\", say = \"Keev\" }\nLviv = { phonemes = \"l@v'i:v\" }\n", "t").unwrap();
        assert_eq!(lexicon.lookup("Kyiv").unwrap().spoken(true).as_deref(), Some("[[k'i:v]]"));
        assert_eq!(lexicon.lookup("Kyiv").unwrap().spoken(false).as_deref(), Some("Keev"));
        assert_eq!(lexicon.lookup("Lviv").unwrap().spoken(false), None);
    }

    #[test]
    fn bad_toml_is_an_input_error() {
        assert!(matches!(Lexicon::from_toml("[exact\n", "bad.toml"), Err(Error::Input(_))));
    }

    #[test]
    fn news_lexicon_loads() {
        let news = Lexicon::news();
        assert!(news.contains("Kyiv"));
        assert!(news.len() > 30);
    }
}
