//! Pronunciation lexicons: TOML files that map a word or phrase to a respelling the engine
//! says right ("Kyiv" -> "Keev"). Case-sensitive entries win over case-insensitive ones, and
//! later lexicons win over earlier ones.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};

/// The news lexicon that ships with readcast.
pub const NEWS_LEXICON: &str = include_str!("../../voices/lexicon/news.toml");

#[derive(Debug, Default, Deserialize)]
struct LexiconFile {
    #[serde(default)]
    exact: HashMap<String, String>,
    #[serde(default)]
    any_case: HashMap<String, String>,
}

/// A merged set of pronunciation entries.
#[derive(Debug, Clone, Default)]
pub struct Lexicon {
    exact: HashMap<String, String>,
    folded: HashMap<String, String>,
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

    fn insert(&mut self, written: String, spoken: String, case_sensitive: bool) {
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

    /// The respelling of a word or phrase, case-sensitive entries first.
    pub fn lookup(&self, written: &str) -> Option<&str> {
        self.exact
            .get(written)
            .or_else(|| self.folded.get(&written.to_lowercase()))
            .map(String::as_str)
    }

    /// True when the word or phrase has an entry.
    pub fn contains(&self, written: &str) -> bool {
        self.lookup(written).is_some()
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
        assert_eq!(lexicon.lookup("Nice"), Some("Neess"));
        assert_eq!(lexicon.lookup("nice"), Some("nice"));
        assert_eq!(lexicon.lookup("NICE"), Some("nice"));
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
