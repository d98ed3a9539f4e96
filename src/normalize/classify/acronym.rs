//! Acronyms (spelled "POW", said "NATO"), model names ("A320"), stock tickers.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    /// An aircraft model after its maker: "737", "737-800", "787-9", "A321neo", "E190".
    pub(super) fn model(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        // A Boeing jet with its variant is known without the maker's name: "the 787-9".
        let boeing_variant = core.len() >= 5 && core.as_bytes()[0] == b'7' && core.as_bytes()[2] == b'7' && core.as_bytes()[3] == b'-' && core.as_bytes()[1].is_ascii_digit() && core.as_bytes()[4].is_ascii_digit()
            && !self.follows(index, &["between", "from"]);
        // "the 737 MAX 9": so is a Boeing MAX.
        let max_jet = core.len() == 3 && core.starts_with('7') && core.ends_with('7') && matches!(self.core(index + 1), Some("MAX" | "Max"));
        if !boeing_variant && !max_jet && !self.follows_exactly(index, MODEL_MAKERS) {
            return None;
        }
        let letters = core.chars().take_while(char::is_ascii_uppercase).count();
        let rest = &core[letters..];
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if letters > 1 || digits != 3 || rest.starts_with('0') {
            return None;
        }
        let (number, after) = rest.split_at(digits);
        let (variant, suffix) = match after.strip_prefix('-') {
            Some(variant) => {
                let len = variant.bytes().take_while(u8::is_ascii_digit).count();
                (Some(&variant[..len]).filter(|v| !v.is_empty()), &variant[len..])
            }
            None => (None, after),
        };
        if !suffix.chars().all(char::is_alphabetic) {
            return None;
        }
        let mut words = vec![spell(&core[..letters]), crate::normalize::number::in_pairs(number.parse().ok()?)];
        if let Some(variant) = variant {
            words.push(crate::normalize::number::cardinal_digits(variant));
        }
        // "747-400s": the model in the plural.
        if suffix == "s" {
            let last = words.pop()?;
            words.push(crate::normalize::number::plural(&last));
        } else if !suffix.is_empty() {
            words.push(if is_upper_word(suffix) && suffix.len() <= 3 && !data().say_acronyms.contains(suffix) { spell(suffix) } else { suffix.to_string() });
        }
        Some((1, Semiotic::Abbreviation(words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))))
    }

    /// A stock symbol after its exchange and a colon: "(NYSE: GE)", "NASDAQ: AAPL".
    pub(super) fn ticker(&self, index: usize) -> Found {
        let before = index.checked_sub(1).and_then(|i| self.pieces.get(i))?;
        let core = self.pieces[index].core;
        let symbol = core.chars().all(|c| c.is_ascii_uppercase() || c == '.') && (1..=6).contains(&core.len()) && core.starts_with(|c: char| c.is_ascii_uppercase());
        (before.trail == ":" && EXCHANGES.contains(&before.core) && symbol).then(|| (1, Semiotic::Spelled(spell(core))))
    }

    /// True when piece `index` comes right after one of `words`, written exactly so (or in
    /// the possessive: "Boeing's 737").
    pub(super) fn follows_exactly(&self, index: usize, words: &[&str]) -> bool {
        let stem = |core: &'a str| possessive_stem(core).unwrap_or(core);
        index.checked_sub(1).and_then(|i| self.pieces.get(i)).is_some_and(|p| p.trail.is_empty() && words.contains(&stem(p.core)))
    }

    pub(super) fn acronym(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        // A wire dateline names a place in capitals: "WASHINGTON (AP) —", "LOS ANGELES —".
        if index < self.dateline {
            return Some((1, Semiotic::Acronym(title_case(core))));
        }
        if self.shouting {
            return None;
        }
        // "NATO-led", "AI-powered", "TV-MA", "AFL-CIO": each part in capitals is said as an
        // acronym alone would be.
        if core.contains('-') {
            let parts: Vec<&str> = core.split('-').collect();
            if parts.iter().all(|part| !part.is_empty() && part.chars().all(char::is_alphabetic)) && parts.iter().any(|part| is_upper_word(part) && part.chars().count() >= 2) {
                let said: Vec<String> = parts.iter().map(|part| self.acronym_word(part).map_or_else(|| part.to_string(), |said| said.verbalize())).collect();
                return Some((1, Semiotic::Abbreviation(said.join(" "))));
            }
            return None;
        }
        // "in AZ, GA, MI and NV": postal codes in a list are states.
        let postal = |at: usize| self.pieces.get(at).is_some_and(|piece| piece.core.len() == 2 && piece.core.bytes().all(|b| b.is_ascii_uppercase()) && self.data.states.contains_key(piece.core));
        if postal(index) {
            let piece = self.pieces[index];
            let listed = (piece.trail == "," && postal(index + 1))
                || (index >= 1 && self.pieces[index - 1].trail == "," && postal(index - 1))
                || (index >= 2 && matches!(self.pieces[index - 1].core, "and" | "or") && self.pieces[index - 2].trail.is_empty() && postal(index - 2))
                || (piece.trail.is_empty() && matches!(self.core(index + 1), Some("and" | "or")) && postal(index + 2))
                // "Austin, TX": after a place and its comma (codes that are words too excepted).
                || (index >= 1 && self.pieces[index - 1].trail == "," && self.pieces[index - 1].core.starts_with(char::is_uppercase) && !matches!(core, "OK" | "IN" | "ME" | "HI" | "OR" | "OH" | "AS" | "ID"));
            if listed {
                return Some((1, Semiotic::Abbreviation(self.data.states[core].clone())));
            }
        }
        self.acronym_word(core).map(|said| (1, said))
    }

    /// How a word in capitals is said: as a word ("NATO" -> "Nato") or letter by letter
    /// ("FBI"), with its plural or possessive ending.
    pub(super) fn acronym_word(&self, core: &str) -> Option<Semiotic> {
        let (stem, ending) = if let Some(stem) = possessive_stem(core) {
            (stem, "'s")
        } else if let Some(stem) = core.strip_suffix('s').filter(|s| is_upper_word(s) && s.len() >= 2) {
            (stem, "s")
        } else {
            (core, "")
        };
        if !is_upper_word(stem) || stem.chars().count() < 2 {
            return None;
        }
        if self.data.say_acronyms.contains(stem) {
            return Some(Semiotic::Acronym(format!("{}{ending}", title_case(stem))));
        }
        // Initialisms are short: a long word in capitals is a word ("BRUSSELS", "BREAKING").
        if self.data.spell_acronyms.contains(stem) || (!pronounceable(stem) && stem.chars().count() < 6) {
            let letters = spell(stem);
            let ending = if ending.is_empty() { "" } else { "'s" };
            return Some(Semiotic::Spelled(format!("{letters}{ending}")));
        }
        Some(Semiotic::Acronym(format!("{}{ending}", title_case(stem))))
    }
}

/// Aircraft makers: their model numbers are said in pairs of digits ("Boeing 737-800": seven
/// thirty seven eight hundred; "Airbus A321neo": A three twenty one neo).
pub(super) const MODEL_MAKERS: &[&str] = &["Boeing", "Airbus", "Embraer", "Bombardier", "Tupolev", "Ilyushin", "Antonov", "Comac", "McDonnell"];

/// The word without its possessive ending ("NATO's" -> "NATO"), if it has one.
pub(super) fn possessive_stem(word: &str) -> Option<&str> {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"))
}

pub(super) fn is_upper_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase())
}

pub(super) fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_string() + &chars.as_str().to_lowercase())
}

/// An unknown all-capitals word can be said when it alternates vowels and consonants enough.
pub(super) fn pronounceable(word: &str) -> bool {
    let vowels = |c: char| "AEIOUY".contains(c);
    let letters: Vec<char> = word.chars().collect();
    if letters.len() < 4 || letters.iter().filter(|c| vowels(**c)).count() < 2 {
        return false;
    }
    let mut run = 0;
    for &c in &letters {
        run = if vowels(c) { 0 } else { run + 1 };
        if run > 2 {
            return false;
        }
    }
    // English words end in no consonant followed by L, R or W ("AAPL", "GOOGL"), and start
    // with no doubled vowel ("AARP").
    let (second_last, last) = (letters[letters.len() - 2], letters[letters.len() - 1]);
    if !vowels(second_last) && !matches!(second_last, 'L' | 'R' | 'W') && matches!(last, 'L' | 'R' | 'W') {
        return false;
    }
    let starts_with_two_consonants = !vowels(letters[0]) && !vowels(letters[1]);
    let starts_with_double_vowel = letters[0] == letters[1] && vowels(letters[0]);
    !starts_with_two_consonants && !starts_with_double_vowel
}

/// True when every part between the periods of `text` is one letter ("U.S", "J.K").
pub(super) fn single_letters(text: &str) -> bool {
    text.split('.').all(|letter| letter.chars().count() == 1 && letter.chars().all(char::is_alphabetic))
}

/// A hyphenated compound with a dotted initialism in it, "U.S.-China", "U.K.-based",
/// "Sino-U.S.": the initialisms spelled, the words kept.
pub(super) fn dotted_compound(core: &str) -> Option<String> {
    if !core.contains('-') {
        return None;
    }
    let initialism = |part: &str| part.contains('.') && single_letters(part.trim_end_matches('.'));
    let parts: Vec<&str> = core.split('-').collect();
    if parts.iter().any(|part| part.is_empty()) || !parts.iter().any(|part| initialism(part)) || !parts.iter().all(|part| initialism(part) || part.chars().all(char::is_alphabetic)) {
        return None;
    }
    let said: Vec<String> = parts.iter().map(|part| if initialism(part) { spell(&part.replace('.', "").to_uppercase()) } else { part.to_string() }).collect();
    Some(said.join(" "))
}
