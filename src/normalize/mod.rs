//! Stage 2: written form -> spoken form.
//!
//! Text is classified into typed tokens first ([`classify`]: dates, money, measures,
//! acronyms, ...), then each token is verbalized ([`verbalize`]), the design of the WFST
//! normalizers (NeMo, Kestrel). Word lists are data files under `data/`; names come from
//! pronunciation lexicons ([`Lexicon`]).

pub(crate) mod classify;
pub mod data;
mod lexicon;
pub mod number;
mod verbalize;

pub use lexicon::Lexicon;
pub use verbalize::Semiotic;

use classify::Piece;

/// One rewrite the normalizer made, for `--explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rewrite {
    pub class: &'static str,
    pub written: String,
    pub spoken: String,
}

/// Turns written text into what a speech engine should say.
#[derive(Debug, Clone)]
pub struct Normalizer {
    lexicon: Lexicon,
    /// The engine reads eSpeak's inline `[[phonemes]]`.
    phonemes: bool,
}

impl Default for Normalizer {
    fn default() -> Self {
        Normalizer::new(Lexicon::default())
    }
}

impl Normalizer {
    /// A normalizer that respells names from `lexicon`, for an engine that reads eSpeak
    /// phonemes.
    pub fn new(lexicon: Lexicon) -> Self {
        Normalizer { lexicon, phonemes: true }
    }

    /// Whether lexicon phoneme entries may be used as `[[phonemes]]` (else their respelling).
    pub fn with_phonemes(mut self, allowed: bool) -> Self {
        self.phonemes = allowed;
        self
    }

    /// The lexicon in use.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// The spoken form of `text`.
    ///
    /// ```
    /// let normalizer = readcast::normalize::Normalizer::default();
    /// assert_eq!(normalizer.normalize("It cost $5.50."), "It cost five dollars fifty cents.");
    /// ```
    pub fn normalize(&self, text: &str) -> String {
        self.run(text, None)
    }

    /// The spoken form of `text` and every rewrite that produced it.
    pub fn explain(&self, text: &str) -> (String, Vec<Rewrite>) {
        let mut rewrites = Vec::new();
        let spoken = self.run(text, Some(&mut rewrites));
        (spoken, rewrites)
    }

    fn run(&self, text: &str, mut rewrites: Option<&mut Vec<Rewrite>>) -> String {
        let cleaned = clean_typography(text);
        let pieces = classify::pieces(&cleaned);
        let mut out = String::with_capacity(cleaned.len() + cleaned.len() / 2);
        let mut index = 0;
        // The period of a final abbreviation also ends the sentence ("... in the U.S."); in a
        // fragment ("5 p.m.", "etc.") it belongs to the abbreviation alone. After a final
        // measure it ends the sentence either way ("it rose 5 km.").
        let is_sentence = pieces.len() >= 3 && pieces[0].core.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit());
        let tokens = classify::classify(&pieces, &|at| self.lexicon_match(&pieces, at));
        for token in tokens {
            let first = token.pieces[0];
            let last = token.pieces[token.len - 1];
            let (spoken, class) = match &token.semiotic {
                None => (first.core.to_string(), None),
                Some(semiotic) => (semiotic.verbalize(), Some(semiotic.class())),
            };
            if let (Some(class), Some(rewrites)) = (class, rewrites.as_deref_mut()) {
                let written = token.pieces.iter().map(|p| p.core).collect::<Vec<_>>().join(" ");
                rewrites.push(Rewrite { class, written, spoken: spoken.clone() });
            }
            index += token.len;
            // A period claimed by a word that turned out to be no abbreviation is given back.
            // A measure's period before a capital ends a sentence too, as the splitter finds.
            // So does a time zone's ("at 5 p.m. EST. Then").
            let measure = matches!(token.semiotic, Some(Semiotic::Measure { .. })) || (token.semiotic.is_some() && classify::TIME_ZONES.contains(&last.core));
            let next_capital = pieces.get(index).is_some_and(|next| next.core.starts_with(char::is_uppercase));
            let ends_sentence = (index == pieces.len() && (is_sentence || measure)) || (measure && next_capital);
            let mut trail = spoken_trail(last, ends_sentence || token.semiotic.is_none());
            // The inch mark of "18.5\"" was said as "inches", that of "6'2\"" in "six foot two".
            let inch_mark = || (measure && classify::parse_number(last.core).is_some()) || classify::height(last.core).is_some();
            if last.trail.starts_with(['"', '″']) && inch_mark() {
                trail.remove(0);
            }
            if spoken == "," || spoken == "." {
                // A dash between clauses becomes a comma on the word before it; a dateline's
                // dash, a period.
                if spoken == "." && out.ends_with(',') {
                    out.pop();
                }
                if !out.is_empty() && !out.ends_with([',', '.', '?', '!', ';', ':']) {
                    out.push_str(&spoken);
                }
                continue;
            }
            // "VOL 12, NO 7": a pause said before the word, as a comma on the word before it.
            let spoken = match spoken.strip_prefix(", ") {
                Some(rest) => {
                    if !out.is_empty() && !out.ends_with([',', '.', '?', '!', ';', ':']) {
                        out.push(',');
                    }
                    rest.to_string()
                }
                None => spoken,
            };
            if !out.is_empty() {
                out.push(' ');
            }
            // "(555) 123-4567": the brackets belong to the number, not to the sentence.
            if !matches!(token.semiotic, Some(Semiotic::Telephone(_))) {
                out.push_str(first.lead);
            }
            out.push_str(&spoken);
            out.push_str(&trail);
        }
        out
    }

    /// A lexicon entry that starts at piece `index`: the longest phrase first.
    fn lexicon_match(&self, pieces: &[Piece], index: usize) -> Option<(usize, String)> {
        if self.lexicon.is_empty() {
            return None;
        }
        for words in (1..=self.lexicon.max_words().min(pieces.len() - index)).rev() {
            let span = &pieces[index..index + words];
            if span[..words - 1].iter().any(|p| !p.trail.is_empty()) {
                continue;
            }
            let phrase = span.iter().map(|p| p.core).collect::<Vec<_>>().join(" ");
            if let Some(spoken) = self.lexicon.lookup(&phrase).and_then(|entry| entry.spoken(self.phonemes)) {
                return Some((words, spoken));
            }
            if words == 1 {
                if let Some(stem) = phrase.strip_suffix("'s") {
                    if let Some(spoken) = self.lexicon.lookup(stem).and_then(|entry| entry.spoken(self.phonemes)) {
                        return Some((1, format!("{spoken}'s")));
                    }
                }
            }
        }
        None
    }
}

/// The punctuation to keep after a token; a sentence-final abbreviation keeps its period.
fn spoken_trail(last: Piece, keep_period: bool) -> String {
    let trail = last.trail.replace('…', "...");
    if last.dotted && keep_period {
        format!(".{trail}")
    } else {
        trail
    }
}

/// Straightens typographic punctuation and spaces out dashes so that classification sees
/// clean pieces: curly quotes become straight, em dashes become separate pieces, control and
/// zero-width characters go.
fn clean_typography(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        match c {
            '“' | '”' | '„' | '«' | '»' => out.push('"'),
            '‘' | '’' | '‚' | 'ʼ' => out.push('\''),
            '—' | '―' => out.push_str(" — "),
            // A spaced en dash is a dash between clauses; unspaced, it joins a range.
            '–' if previous == ' ' || chars.peek() == Some(&' ') => out.push_str(" — "),
            '\u{a0}' | '\u{2009}' | '\u{202f}' | '\t' | '\n' | '\r' => out.push(' '),
            '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{feff}' | '\u{ad}' => {}
            // Emoji, pictographs, arrows, stars and bullets have no words in a news story;
            // engines would read their names ("party popper") or noise.
            '\u{1f000}'..='\u{1faff}' | '\u{2600}'..='\u{27bf}' | '\u{2190}'..='\u{21ff}' | '\u{2b00}'..='\u{2bff}' | '\u{fe00}'..='\u{fe0f}' | '•' | '▪' | '■' | '►' | '▶' | '◆' => {}
            // Subscript digits are digits: "CO₂", "PM₂.₅".
            '₀'..='₉' => out.push(char::from(b'0' + (c as u32 - '₀' as u32) as u8)),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
        previous = c;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn say(text: &str) -> String {
        Normalizer::default().normalize(text)
    }

    #[test]
    fn news_sentence() {
        assert_eq!(
            say("Pyongyang has deployed some 14,000 troops to Russia since December 2024."),
            "Pyongyang has deployed some fourteen thousand troops to Russia since December twenty twenty four."
        );
        assert_eq!(say("A North Korean POW was shown on Jan. 11, 2025."), "A North Korean P O W was shown on January eleventh, twenty twenty five.");
    }

    #[test]
    fn lexicon_respells_names() {
        let normalizer = Normalizer::new(Lexicon::news());
        assert_eq!(normalizer.normalize("Kyiv's view."), "Keev's view.");
        assert_eq!(normalizer.normalize("Kim Jong Un spoke."), "kim jong oon spoke.");
    }

    #[test]
    fn dashes_become_commas() {
        assert_eq!(say("The troops — who fought hard — moved."), "The troops, who fought hard, moved.");
    }

    #[test]
    fn explain_lists_rewrites() {
        let (_, rewrites) = Normalizer::default().explain("Gen. Smith paid $5.");
        let classes: Vec<&str> = rewrites.iter().map(|r| r.class).collect();
        assert_eq!(classes, ["abbreviation", "money"]);
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let normalizer = Normalizer::default();
        for text in ["", "🙂🙂", "\u{202e}abc", "\0\x01", &"9".repeat(10_000), "$", "$.", "1/0", "--5", "'", "’s", "0:99", "::", "99/99/9999"] {
            let _ = normalizer.normalize(text);
        }
        assert_eq!(normalizer.normalize(&"7".repeat(30)).split(' ').count(), 30);
    }

    #[test]
    fn glued_signs_units_and_multibyte_characters_do_not_panic() {
        let normalizer = Normalizer::default();
        let fragments = [
            "~", "€", "£", "$", "±", "≥", "+", "-", ".", "5", "1.", "9.5", "x", "No.", "m", "K", "B", "s", "pc", "%", "am",
            "é", "🙂", ":", "/", "’", "4C", "(", ",", "FY", "30",
        ];
        for a in fragments {
            for b in fragments {
                for c in fragments {
                    let _ = normalizer.normalize(&format!("{a}{b}{c}"));
                    let _ = normalizer.normalize(&format!("the {a}{b} {c}s"));
                }
            }
        }
    }
}
