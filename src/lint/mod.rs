//! Pronunciation lint: the words an engine will have to guess and a listener would check.
//! English words the engine reads by its spelling rules are fine, and so are the most frequent
//! words and names of English (about 40,000, `data/common-words.txt`); the lint lists the other
//! words of what will be said (after normalization, so no abbreviation, number or page junk),
//! with the phonemes the engine would use, also in the notation a lexicon takes (`espeak-ng -x`
//! mnemonics), ready to correct and paste as a lexicon line.

use std::collections::{BTreeMap, HashSet};
use std::sync::OnceLock;

use espeak_ng::dictionary::lookup::{lookup, LookupCtx};
use espeak_ng::dictionary::Dictionary;
use espeak_ng::{PhonemeData, Translator};

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
    /// The same as eSpeak phoneme mnemonics (what `espeak-ng -x` prints and a lexicon's
    /// `phonemes` takes).
    pub mnemonics: String,
}

impl Finding {
    /// A lexicon line (TOML) that keeps the engine's pronunciation, to correct by ear.
    /// For a word in another script, a line to fill in with a respelling.
    pub fn lexicon_line(&self) -> String {
        match self.mnemonics.as_str() {
            "" => format!("{:?} = \"RESPELLING\"  # not in the Latin alphabet: the voice cannot read it", self.word),
            mnemonics => format!("{:?} = {{ phonemes = {:?} }}", self.word, mnemonics),
        }
    }
}

/// The common words, lowercase.
fn common_words() -> &'static HashSet<&'static str> {
    static WORDS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    WORDS.get_or_init(|| include_str!("data/common-words.txt").lines().filter(|line| !line.starts_with('#') && !line.is_empty()).collect())
}

/// Words of `text` that neither the common words, the engine's dictionary nor the lexicon
/// knows, as they will be said: `text` is normalized first.
pub fn unknown_words(text: &str, normalizer: &Normalizer) -> Result<Vec<Finding>> {
    let dir = data_dir()?;
    let espeak = |e: espeak_ng::Error| Error::engine(format!("espeak: {e}"));
    let dictionary = Dictionary::load("en", dir).map_err(espeak)?;
    let engine = espeak_ng::EspeakNg::with_data_dir("en-us", dir).map_err(espeak)?;
    let translator = Translator::new("en-us", Some(dir)).map_err(espeak)?;
    let mut phonemes = PhonemeData::load(dir).map_err(espeak)?;
    phonemes.select_table_by_name("en-us").or_else(|_| phonemes.select_table_by_name("en")).map_err(espeak)?;
    let common = common_words();
    // A lexicon's respellings ("Keev" for Kyiv) are said as written there.
    let respelled: HashSet<String> = normalizer.lexicon().respelled_words().map(|word| word.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase()).collect();
    let listed = |word: &str| {
        let lower = word.to_lowercase();
        common.contains(lower.as_str()) || respelled.contains(&lower) || lookup(&dictionary, &lower, &LookupCtx::default()).is_some() || normalizer.lexicon().contains(word)
    };
    // An inflection of a known word ("reopens", "forecasters") is known.
    let inflected = |word: &str, listed: &dyn Fn(&str) -> bool| {
        listed(word) || ["s", "es", "ed", "d", "ing", "er", "ers", "ly"].iter().any(|ending| word.strip_suffix(ending).is_some_and(|stem| stem.chars().count() >= 3 && listed(stem)))
    };
    // So is a word made of two common ones ("megawatts", "citylibrary" from an address); not
    // a name with a common ending ("Ivanova" is no "Ivan" + "ova").
    let common_word = |word: &str| common.contains(word.to_lowercase().as_str());
    let known = |word: &str| {
        let lower = word.to_lowercase();
        inflected(word, &listed)
            // "redeployed", "unvaccinated": a prefix on a common word.
            || ["re", "un", "pre", "non", "co", "anti", "over", "under"].iter().any(|prefix| lower.strip_prefix(prefix).is_some_and(|rest| rest.len() >= 4 && inflected(rest, &common_word)))
            || word.char_indices().skip(3).any(|(at, _)| word.is_char_boundary(at) && word[at..].chars().count() >= 4 && common_word(&word[..at]) && inflected(&word[at..], &common_word))
    };
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for paragraph in text.split("\n\n") {
        for sentence in split_sentences(paragraph) {
            let spoken = without_inline_phonemes(&normalizer.normalize(&sentence));
            for raw in spoken.split_whitespace() {
                let word = raw.trim_matches(|c: char| !c.is_alphabetic());
                // "Biden's", "I'd", "they'll": the word before the ending.
                let word = ["'s", "\u{2019}s", "'d", "'ll", "'ve", "'re", "'m", "n't"].iter().find_map(|ending| word.strip_suffix(ending)).unwrap_or(word);
                if word.chars().count() < 2 || !word.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'' || c == '\u{2019}') {
                    continue;
                }
                // "Malta-flagged", "Sofia-based": a compound of known words is known.
                if known(word) || word.split('-').all(|part| part.chars().count() < 2 || known(part)) {
                    continue;
                }
                *counts.entry(word.to_string()).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .map(|(word, count)| {
            // Another script (Japanese, Cyrillic) the English voice cannot read at all: it
            // needs a respelling, not phonemes to correct.
            if !word.chars().all(|c| c.is_ascii() || ('\u{c0}'..='\u{24f}').contains(&c)) {
                return Ok(Finding { word, count, pronunciation: String::new(), mnemonics: String::new() });
            }
            let pronunciation = engine.text_to_phonemes(&word).map_err(espeak)?;
            let mnemonics = mnemonics(&translator, &phonemes, &word)?;
            Ok(Finding { word, count, pronunciation: format!("/{}/", pronunciation.trim()), mnemonics })
        })
        .collect()
}

/// The text without the lexicon's inline phonemes (`[[k'i:v]]`), which are no words.
fn without_inline_phonemes(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("[[") {
        out.push_str(&rest[..start]);
        out.push(' ');
        rest = rest[start..].find("]]").map_or("", |end| &rest[start + end + 2..]);
    }
    out.push_str(rest);
    out
}

/// How the engine says `word`, as eSpeak phoneme mnemonics with stress marks (`'` primary,
/// `,` secondary) and length marks.
pub fn mnemonics(translator: &Translator, phonemes: &PhonemeData, word: &str) -> Result<String> {
    let codes = translator.translate_to_codes(word).map_err(|e| Error::engine(format!("espeak: {e}")))?;
    let mut out = String::new();
    for code in codes.iter().filter(|code| !code.is_boundary) {
        match code.code {
            6 | 7 => out.push('\''),
            4 | 5 => out.push(','),
            12 => out.push(':'),
            // Sounds only (vowels to nasals), not pauses, stresses or switches.
            code => {
                if let Some(phoneme) = phonemes.get(code).filter(|phoneme| (2..=8).contains(&phoneme.typ)) {
                    out.push_str(&phoneme.mnemonic_str());
                }
            }
        }
    }
    Ok(out)
}


#[cfg(test)]
mod tests {
    use super::*;

    /// The suggested phonemes say the word as the engine does: pasted into a lexicon, they
    /// change nothing until corrected.
    #[test]
    fn names_are_listed_with_phonemes_that_say_them_as_the_engine_does() {
        let text = "Elena Petrova met Nikolai Vasilev in Burgas on Friday. The forecasters said I'd reopen the megawatt plant.";
        let findings = unknown_words(text, &Normalizer::default()).unwrap();
        let words: Vec<&str> = findings.iter().map(|finding| finding.word.as_str()).collect();
        assert!(words.contains(&"Vasilev"), "{words:?}");
        for common in ["Friday", "Elena", "forecasters", "reopen", "megawatt", "I'd", "The"] {
            assert!(!words.contains(&common), "{common} in {words:?}");
        }
        let engine = espeak_ng::EspeakNg::with_data_dir("en-us", data_dir().unwrap()).unwrap();
        for finding in &findings {
            let again = engine.text_to_phonemes(&format!("[[{}]]", finding.mnemonics)).unwrap();
            assert_eq!(format!("/{}/", again.trim()), finding.pronunciation, "{}", finding.lexicon_line());
        }
        let other_script = unknown_words("Tokyo signs read \u{3064}\u{3065}\u{304f} today.", &Normalizer::default()).unwrap();
        assert!(other_script.iter().any(|finding| finding.mnemonics.is_empty() && finding.lexicon_line().contains("RESPELLING")), "{other_script:?}");
    }
}
