//! Sentence segmentation that knows abbreviations, initials, numbers, ellipses, quotes and
//! numbered lists. The test suite holds the English "golden rules" cases.

use std::collections::HashSet;
use std::sync::OnceLock;

use crate::normalize::classify::TIME_ZONES;
use crate::normalize::data::{data, AbbreviationKind};

/// Closing characters that may follow the terminal punctuation of a sentence.
const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
/// Opening characters that may precede the first word of a sentence.
const OPENERS: &[char] = &['"', '\'', '“', '‘', '«'];

/// Capitalized words that go on with a time or weekday, besides abbreviated days and months
/// and time zones: full day and month names, zone words.
const TIME_CONTINUATIONS: &[&str] = &[
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February", "March",
    "April", "May", "June", "July", "August", "September", "October", "November", "December", "Eastern",
    "Central", "Mountain", "Pacific", "Atlantic", "Greenwich", "local", "Local", "Moscow", "Beijing", "London",
    "Paris", "Tokyo",
];

fn starters() -> &'static HashSet<&'static str> {
    static STARTERS: OnceLock<HashSet<&'static str>> = OnceLock::new();
    STARTERS.get_or_init(|| {
        include_str!("data/sentence_starters.txt")
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty() && !line.starts_with('#'))
            .collect()
    })
}

/// Splits text into sentences, each with its white space folded.
///
/// ```
/// let sentences = readcast::chunk::split_sentences("I live in the U.S. How about you?");
/// assert_eq!(sentences, ["I live in the U.S.", "How about you?"]);
/// ```
pub fn split_sentences(text: &str) -> Vec<String> {
    let tokens: Vec<&str> = text.split_whitespace().collect();
    if tokens.is_empty() {
        return Vec::new();
    }
    let has_terminal = tokens.iter().any(|t| t.trim_end_matches(CLOSERS).ends_with(['.', '!', '?', '…']));
    if !has_terminal && text.trim().contains('\n') {
        // A list of lines without punctuation: each line stands alone.
        return text.lines()
            .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|line| !line.is_empty())
            .collect();
    }
    let list_starts = list_markers(&tokens);
    let mut sentences = Vec::new();
    let mut current: Vec<&str> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        if list_starts.contains(&index) && !current.is_empty() {
            sentences.push(current.join(" "));
            current.clear();
        }
        current.push(token);
        let next = tokens.get(index + 1).copied();
        let next_is_list = list_starts.contains(&(index + 1));
        // A bullet standing alone is followed by its label ("• 9."), which ends nothing.
        let in_marker = list_starts.contains(&index) || (index > 0 && list_starts.contains(&(index - 1)) && is_bullet(tokens[index - 1]));
        if !in_marker && !next_is_list && is_boundary(&tokens, index, next) {
            sentences.push(current.join(" "));
            current.clear();
        }
    }
    if !current.is_empty() {
        sentences.push(current.join(" "));
    }
    sentences
}

fn is_bullet(token: &str) -> bool {
    matches!(token, "•" | "-" | "*" | "⁃")
}

/// Token indices where items of a numbered, lettered or bulleted list start, when the text
/// holds a run of at least two consecutive markers ("1.", "2." or "a)", "b)").
fn list_markers(tokens: &[&str]) -> HashSet<usize> {
    let mut markers: Vec<(usize, u32)> = Vec::new();
    for (index, token) in tokens.iter().enumerate() {
        let (start, rest) = if is_bullet(token) {
            match tokens.get(index + 1) {
                Some(next) => (index, *next),
                None => continue,
            }
        } else {
            (index, token.trim_start_matches(['•', '⁃']))
        };
        if index > 0 && is_bullet(tokens[index - 1]) {
            continue;
        }
        let label = rest.strip_suffix(".)").or_else(|| rest.strip_suffix(')')).or_else(|| rest.strip_suffix('.'));
        let Some(label) = label else { continue };
        let ordinal = if !label.is_empty() && label.len() <= 3 && label.chars().all(|c| c.is_ascii_digit()) {
            label.parse().ok()
        } else if label.len() == 1 && label.chars().all(|c| c.is_ascii_lowercase()) {
            Some(label.as_bytes()[0] as u32 - b'a' as u32 + 1)
        } else {
            None
        };
        if let Some(ordinal) = ordinal {
            markers.push((start, ordinal));
        }
    }
    let mut starts = HashSet::new();
    for pair in markers.windows(2) {
        if pair[1].1 == pair[0].1 + 1 {
            starts.insert(pair[0].0);
            starts.insert(pair[1].0);
        }
    }
    starts
}

/// Whether a sentence ends after `tokens[index]`.
fn is_boundary(tokens: &[&str], index: usize, next: Option<&str>) -> bool {
    let token = tokens[index];
    let core = token.trim_end_matches(CLOSERS);
    let Some(last) = core.chars().last() else {
        return false;
    };
    if !matches!(last, '.' | '!' | '?' | '…') {
        return false;
    }
    let Some(next) = next else {
        return true;
    };
    // Dots standing alone are part of a spaced ellipsis ". . ."; decide at its last dot.
    if next.chars().all(|c| c == '.') {
        return false;
    }
    let next_word = next.trim_start_matches(OPENERS);
    let next_capital = next_word.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
    if next.starts_with(['(', '[']) {
        return false;
    }
    if last == '!' || last == '?' {
        return next_capital;
    }
    if last == '…' || core.ends_with("..") || core.chars().all(|c| c == '.') {
        let dots = ellipsis_dots(tokens, index);
        let bare_next = next_word.trim_end_matches(|c: char| !c.is_alphanumeric());
        return next_capital && (dots >= 4 || bare_next != "I");
    }
    let word = core[..core.len() - 1].trim_start_matches(|c: char| OPENERS.contains(&c) || c == '(');
    period_ends_sentence(tokens, index, word, next_word, next_capital)
}

/// Dots in the ellipsis that ends at `tokens[index]`, counting spaced ". . ." runs.
fn ellipsis_dots(tokens: &[&str], index: usize) -> usize {
    let mut dots = 0;
    let mut at = index as isize;
    while at >= 0 {
        let token = tokens[at as usize].trim_end_matches(CLOSERS);
        let trailing = token.chars().rev().take_while(|c| *c == '.' || *c == '…').map(|c| if c == '…' { 3 } else { 1 }).sum::<usize>();
        dots += trailing;
        if trailing != token.chars().count() || trailing == 0 {
            break;
        }
        at -= 1;
    }
    dots
}

/// "Cases rose in the U.K. President Biden said": a country as the object of a preposition,
/// then a title and a name, ends one sentence and starts the next ("in the U.K. Supreme
/// Court" and "U.S. President Biden said" go on).
fn country_then_title(tokens: &[&str], index: usize, next_bare: &str) -> bool {
    let lower = |at: usize| tokens.get(at).map(|t| t.trim_matches(|c: char| !c.is_alphabetic()).to_lowercase());
    let object = index >= 2
        && lower(index - 1).as_deref() == Some("the")
        && lower(index - 2).is_some_and(|word| matches!(word.as_str(), "in" | "to" | "from" | "across" | "throughout" | "within" | "into" | "outside" | "inside" | "for" | "at"));
    let titled_name = matches!(next_bare, "President" | "Prime" | "Chancellor" | "Senator" | "Governor" | "Mayor" | "King" | "Queen" | "Prince" | "Pope" | "Premier")
        && tokens.get(index + 2).is_some_and(|name| name.starts_with(char::is_uppercase));
    object && titled_name
}

fn period_ends_sentence(tokens: &[&str], index: usize, word: &str, next_word: &str, next_capital: bool) -> bool {
    if word.is_empty() {
        return next_capital;
    }
    let next_bare = next_word.trim_end_matches(|c: char| !c.is_alphanumeric());
    // An opening quote after an abbreviation starts a new sentence: 'at 6 p.m. "People ...'.
    let opens_quote = tokens.get(index + 1).is_some_and(|t| t.starts_with(OPENERS));
    let starts_sentence = starters().contains(next_bare) || opens_quote;
    // Titles and "No." before a number never end a sentence.
    if matches!(word, "N°" | "Nº") || (matches!(word, "No" | "no" | "Nos") && next_word.starts_with(|c: char| c.is_ascii_digit())) {
        return false;
    }
    // Before anything else it is the word: 'said no. Sen. Smith', 'The answer was No. Then'.
    if matches!(word, "No" | "no" | "Nos" | "nos") {
        return next_capital;
    }
    // A time zone ends sentences as a time does ("at noon EST. Midnight brought calm"),
    // though "EST" is also "est." (established).
    if TIME_ZONES.contains(&word) {
        return next_capital && !TIME_CONTINUATIONS.contains(&next_bare);
    }
    if let Some((kind, _)) = data().abbreviation(word) {
        if kind == AbbreviationKind::Title && !matches!(word, "Sr" | "Jr") {
            return false;
        }
        // Times and weekdays end sentences often ("at 5 p.m. Officials left", "on Fri.
        // Scores were"): any capitalized word after them starts a new one, unless it
        // continues the date or time ("5 p.m. Monday", "Fri. Jan. 5") or is a title.
        let lower = word.to_lowercase();
        if matches!(lower.as_str(), "a.m" | "p.m" | "mon" | "tue" | "tues" | "wed" | "thu" | "thur" | "thurs" | "fri" | "sat") {
            // A weekday before a number goes on with its date or hours ("Sat. 10-2").
            let weekday_then_number = kind == AbbreviationKind::Day && next_word.starts_with(|c: char| c.is_ascii_digit());
            let continues = weekday_then_number
                || TIME_CONTINUATIONS.contains(&next_bare)
                || TIME_ZONES.contains(&next_bare)
                || data().abbreviation(next_bare).is_some_and(|(kind, _)| matches!(kind, AbbreviationKind::Title | AbbreviationKind::Month | AbbreviationKind::Day));
            return next_capital && !continues && next_bare != "Mr";
        }
        return next_capital && (starts_sentence || (word.contains('.') && country_then_title(tokens, index, next_bare)));
    }
    // Before a number, the period is a short form's: a unit's ("6 ft. 2 in."), a currency's
    // ("Rs. 500"), or the second month's of a span of dates ("Oct. 26-Nov. 3").
    if next_word.starts_with(|c: char| c.is_ascii_digit()) {
        let span_to_month = word.rsplit_once(['-', '–']).is_some_and(|(_, month)| matches!(data().abbreviation(month), Some((AbbreviationKind::Month, _))));
        if span_to_month || data().units.contains_key(word) || data().currency_code(word).is_some() {
            return false;
        }
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    // Single letters: "E. Smith" is an initial, "p. 55" a page, "you and I. Did" a pronoun.
    if word.chars().count() == 1 && letters == 1 {
        if word == "I" {
            let previous = index.checked_sub(1).map(|i| tokens[i]).unwrap_or("");
            let after_name = previous.starts_with(char::is_uppercase) && previous.trim_end_matches(CLOSERS).chars().all(char::is_alphabetic);
            return next_capital && !after_name;
        }
        return false;
    }
    // Initialisms with inner periods: "U.S.A.", "E.U.", "a.m."
    let initialism = word.contains('.') && word.split('.').all(|part| !part.is_empty() && part.chars().count() <= 2 && part.chars().all(char::is_alphabetic));
    if initialism {
        return next_capital && (starts_sentence || country_then_title(tokens, index, next_bare));
    }
    next_capital
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hostile_input_does_not_panic() {
        for text in ["", "...", ". . .", "!?!?", "•", "1.", "a. b. c.", "\u{202e}Hello. World.", "🙂. 🙂!", &"x. ".repeat(10_000), &".".repeat(5000)] {
            let sentences = split_sentences(text);
            let words: usize = sentences.iter().map(|s| s.split_whitespace().count()).sum();
            assert_eq!(words, text.split_whitespace().count(), "{text:?}");
        }
    }

    #[test]
    fn news_abbreviations() {
        assert_eq!(split_sentences("Gen. Smith met U.S. President Donald Trump on Jan. 11, 2025. He left."),
            ["Gen. Smith met U.S. President Donald Trump on Jan. 11, 2025.", "He left."]);
        assert_eq!(split_sentences("The vessel Sv. Nikolay docked. It waited."), ["The vessel Sv. Nikolay docked.", "It waited."]);
        assert_eq!(split_sentences("James T. Kirk spoke at 3 p.m. on Friday."), ["James T. Kirk spoke at 3 p.m. on Friday."]);
        assert_eq!(split_sentences("Sen. Chuck Schumer, D-N.Y., said no. Sen. Ed Markey agreed. It was No. 1 on the list."),
            ["Sen. Chuck Schumer, D-N.Y., said no.", "Sen. Ed Markey agreed.", "It was No. 1 on the list."]);
    }
}
