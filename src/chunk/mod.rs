//! Stage 3: utterances (spoken sentences) -> chunks within the engine's input limit, each
//! tagged with the pause that follows it.

mod sentences;

use serde::Serialize;

pub use sentences::split_sentences;

/// The silence that follows a piece of speech, by the kind of boundary.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Pause {
    /// Inside a sentence that was too long for the engine, at a comma or semicolon.
    Clause,
    Sentence,
    Paragraph,
    /// Before a heading, after the title, between header and body.
    Section,
}

/// One sentence, as written and as it should be spoken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Utterance {
    pub written: String,
    pub spoken: String,
    pub pause_after: Pause,
}

/// A piece of spoken text sized for one engine call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Chunk {
    pub text: String,
    /// Index of the utterance (sentence) this chunk belongs to.
    pub utterance: usize,
    pub pause_after: Pause,
}

/// Splits utterances into chunks of at most `max_chars` characters. A long sentence breaks at
/// clause punctuation (`;`, `:`, `,`, dashes) before it breaks between words; no text is
/// dropped or repeated.
///
/// ```
/// use readcast::chunk::{chunks, Pause, Utterance};
/// let spoken = "One, two, three, four, five.";
/// let utterance = Utterance { written: spoken.into(), spoken: spoken.into(), pause_after: Pause::Sentence };
/// let pieces = chunks(&[utterance], 20);
/// assert_eq!(pieces.iter().map(|c| c.text.as_str()).collect::<Vec<_>>(), ["One, two, three,", "four, five."]);
/// ```
pub fn chunks(utterances: &[Utterance], max_chars: usize) -> Vec<Chunk> {
    let max_chars = max_chars.max(16);
    let mut out = Vec::new();
    for (index, utterance) in utterances.iter().enumerate() {
        let pieces = split_to_fit(utterance.spoken.trim(), max_chars);
        let count = pieces.len();
        for (at, text) in pieces.into_iter().enumerate() {
            let pause_after = if at + 1 == count { utterance.pause_after } else { Pause::Clause };
            out.push(Chunk { text, utterance: index, pause_after });
        }
    }
    out
}

/// Breaks text into pieces of at most `max_chars`, preferring the strongest punctuation.
fn split_to_fit(text: &str, max_chars: usize) -> Vec<String> {
    if text.chars().count() <= max_chars {
        return if text.is_empty() { Vec::new() } else { vec![text.to_string()] };
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut pieces = Vec::new();
    let mut start = 0;
    while start < words.len() {
        // The longest run of words from `start` that fits.
        let mut length = 0;
        let mut end = start;
        while end < words.len() {
            let extra = words[end].chars().count() + usize::from(end > start);
            if length + extra > max_chars && end > start {
                break;
            }
            length += extra;
            end += 1;
        }
        if end < words.len() {
            // Back up to the last clause break inside the run, strongest first.
            let strength = |word: &str| -> u8 {
                match word.chars().last() {
                    Some(';' | ':') => 3,
                    Some(',') => 2,
                    _ if word == "—" || word == "-" => 2,
                    _ => 0,
                }
            };
            let best = (start..end).rev().take(end - start - 1).max_by_key(|&at| (strength(words[at]), at));
            if let Some(at) = best.filter(|&at| strength(words[at]) > 0 && at + 1 > start + (end - start) / 3) {
                end = at + 1;
            }
        }
        pieces.push(words[start..end].join(" "));
        start = end;
    }
    pieces
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utterance(spoken: &str) -> Utterance {
        Utterance { written: spoken.into(), spoken: spoken.into(), pause_after: Pause::Paragraph }
    }

    #[test]
    fn short_sentences_stay_whole() {
        let out = chunks(&[utterance("Hello there."), utterance("Bye.")], 100);
        assert_eq!(out.len(), 2);
        assert_eq!(out[1].utterance, 1);
        assert_eq!(out[0].pause_after, Pause::Paragraph);
    }

    #[test]
    fn long_sentences_break_at_clauses_without_losing_words() {
        let text = "The council met on Monday; it voted on the budget, the tram line and the harbor, and then it adjourned until the spring session began.";
        let out = chunks(&[utterance(text)], 60);
        assert!(out.iter().all(|c| c.text.chars().count() <= 60), "{out:?}");
        assert_eq!(out[0].text, "The council met on Monday;");
        let joined = out.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
        assert_eq!(joined, text);
        assert!(out[..out.len() - 1].iter().all(|c| c.pause_after == Pause::Clause));
        assert_eq!(out.last().unwrap().pause_after, Pause::Paragraph);
    }

    #[test]
    fn a_word_longer_than_the_limit_is_kept_whole() {
        let long = "x".repeat(100);
        let out = chunks(&[utterance(&format!("a {long} b"))], 20);
        let joined = out.iter().map(|c| c.text.as_str()).collect::<Vec<_>>().join(" ");
        assert_eq!(joined, format!("a {long} b"));
    }
}
