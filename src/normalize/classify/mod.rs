//! Classification: the text is split into whitespace-separated pieces (punctuation peeled
//! off), and at each piece the matchers are tried from the most specific (URLs, telephone
//! numbers, dates) to the most general (plain numbers, acronyms). A match may span several
//! pieces ("April 29, 2025", "$1.5 billion", "5:24 PM EST").

use crate::normalize::data::{data, AbbreviationKind, Currency, Data};
use crate::normalize::verbalize::{spell, Number, Semiotic, MONTHS};

mod web;
mod telephone;
mod date;
mod time;
mod money;
mod measure;
mod range;
mod cardinal;
mod roman;
mod abbreviation;
mod acronym;
mod symbol;

// One file per token class: each adds its matchers to the `Classifier` and keeps its own
// word lists; they share what this file holds.
#[allow(unused_imports)]
use self::{abbreviation::*, acronym::*, cardinal::*, date::*, measure::*, money::*, range::*, roman::*, symbol::*, telephone::*, time::*, web::*};

pub use cardinal::parse_number;
pub use measure::height;
pub(crate) use time::TIME_ZONES;

/// Opening punctuation peeled off the front of a piece.
const LEAD: &[char] = &['"', '\'', '“', '‘', '(', '[', '{', '«', '¿', '¡'];
/// Closing punctuation peeled off the end of a piece.
const TRAIL: &[char] = &['"', '\'', '”', '’', ')', ']', '}', ',', ';', ':', '!', '?', '.', '…', '»'];

/// One whitespace-separated piece of text with its punctuation peeled off.
#[derive(Debug, Clone, Copy)]
pub struct Piece<'a> {
    pub lead: &'a str,
    pub core: &'a str,
    pub trail: &'a str,
    /// The core was written with a final period that belongs to it ("Gen.", "U.S.").
    pub dotted: bool,
}

impl<'a> Piece<'a> {
    pub fn split(raw: &'a str) -> Self {
        let decade_apostrophe = raw.starts_with(['\'', '’'])
            && raw[raw.chars().next().map_or(0, char::len_utf8)..].starts_with(|c: char| c.is_ascii_digit());
        let lead_end = if decade_apostrophe {
            0
        } else {
            raw.char_indices().find(|(_, c)| !LEAD.contains(c)).map_or(raw.len(), |(at, _)| at)
        };
        let rest = &raw[lead_end..];
        let mut core_end = rest.len();
        for (at, c) in rest.char_indices().rev() {
            if TRAIL.contains(&c) {
                core_end = at;
            } else {
                break;
            }
        }
        // "501(c)(3)": a bracket opened inside the core is closed inside it.
        if rest[core_end..].starts_with(')') && rest[..core_end].matches('(').count() > rest[..core_end].matches(')').count() {
            core_end += 1;
        }
        // "Pyongyang's" keeps its apostrophe; "soldiers'" does not need to.
        let (core, trail) = rest.split_at(core_end);
        Piece { lead: &raw[..lead_end], core, trail, dotted: false }
    }

    /// Moves the first trailing period into the core when the core is an abbreviation.
    fn claim_period(mut self, data: &Data) -> Self {
        if self.trail.starts_with('.') && !self.trail.starts_with("..") && !self.core.is_empty() {
            let is_initial = self.core.chars().count() == 1 && self.core.chars().all(char::is_alphabetic);
            let is_initialism = self.core.contains('.')
                && self.core.split('.').all(|part| !part.is_empty() && part.chars().count() <= 2 && part.chars().all(char::is_alphabetic));
            // "Nov. 28-Dec. 2": a span's second month, abbreviated.
            let span_to_month = self.core.rsplit_once('-').is_some_and(|(_, month)| matches!(data.abbreviation(month), Some((AbbreviationKind::Month | AbbreviationKind::Day, _))));
            // "U.S.-U.K.", "Sino-U.S.": a compound that ends in an initialism.
            let ends_in_initialism = self.core.rsplit_once('-').is_some_and(|(_, last)| last.contains('.') && single_letters(last));
            // "31 pts. and": a unit's period is the abbreviation's; a word that turns out not
            // to be a unit gets it back ([`super::spoken_trail`]).
            let unit = self.core.chars().all(char::is_alphabetic) && data.units.contains_key(self.core);
            // "a 30-yr. loan", "$15/hr.": a measure's or a price's unit.
            let joined_unit = self.core.rsplit_once(['-', '/']).is_some_and(|(number, unit)| number.ends_with(|c: char| c.is_ascii_digit()) && !unit.is_empty() && unit.chars().all(char::is_alphabetic) && data.units.contains_key(unit));
            if is_initial || is_initialism || span_to_month || ends_in_initialism || unit || joined_unit || affiliation(self.core, data).is_some() || data.abbreviation(self.core).is_some() {
                self.dotted = true;
                self.trail = &self.trail[1..];
            }
        }
        self
    }
}

/// A classified span of pieces.
#[derive(Debug, Clone)]
pub struct Token<'a> {
    /// Number of pieces covered.
    pub len: usize,
    /// `None` for plain words, which pass through unchanged.
    pub semiotic: Option<Semiotic>,
    pub pieces: &'a [Piece<'a>],
}

/// Splits text into pieces. A sign before a number ("~50%", ">100", "±2", "+3.2%") becomes
/// a piece of its own, said as words ([`symbol`]); a "+" before digits followed by more
/// digits stays, as telephone numbers start so ("+44 20 7946 0958").
pub fn pieces(text: &str) -> Vec<Piece<'_>> {
    let data = data();
    let raws: Vec<&str> = text.split_whitespace().collect();
    let mut pieces = Vec::with_capacity(raws.len());
    for (at, raw) in raws.iter().enumerate() {
        // "12+30=42": an equation written as one word is said part by part.
        if let Some(parts) = equation(raw) {
            let last = parts.len() - 1;
            for (position, part) in parts.into_iter().enumerate() {
                let piece = Piece::split(part);
                // An operand keeps only its own brackets and the equation's final punctuation.
                pieces.push(if position == last || position == 0 { piece.claim_period(data) } else { piece });
            }
            continue;
        }
        // "9 a.m.-5 p.m.": the first time's a.m. glued to the second time by a dash.
        if let Some((meridiem, rest)) = meridiem_dash(raw) {
            pieces.push(Piece::split(meridiem).claim_period(data));
            pieces.push(Piece { lead: "", core: "-", trail: "", dotted: false });
            pieces.push(Piece::split(rest).claim_period(data));
            continue;
        }
        // A sign may follow an opening bracket: "(±3 points)".
        let lead = raw.len() - raw.trim_start_matches(LEAD).len();
        let sign = raw[lead..].chars().next().filter(|c| SIGNS.contains(c));
        let unsigned = sign.map_or("", |c| raw[lead + c.len_utf8()..].trim_start_matches(CURRENCY_SIGNS));
        let numeric = unsigned.starts_with(|c: char| c.is_ascii_digit());
        let amount = unsigned.trim_end_matches(TRAIL).trim_end_matches('%');
        let telephone = sign == Some('+')
            && (parse_number(amount).is_none() || (amount.bytes().all(|b| b.is_ascii_digit()) && raws.get(at + 1).is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit() || c == '('))));
        if let Some(sign) = sign.filter(|_| numeric && !telephone) {
            let (head, tail) = raw.split_at(lead + sign.len_utf8());
            pieces.push(Piece { lead: &head[..lead], core: &head[lead..], trail: "", dotted: false });
            pieces.push(Piece::split(tail).claim_period(data));
        } else if let Some((lead, name, sign, rest)) = comparison(raw) {
            // "(p<0.05)", "n>100": a short name compared with a number.
            pieces.push(Piece { lead, core: name, trail: "", dotted: false });
            pieces.push(Piece { lead: "", core: sign, trail: "", dotted: false });
            pieces.push(Piece::split(rest).claim_period(data));
        } else {
            pieces.push(Piece::split(raw).claim_period(data));
        }
    }
    pieces
}

/// The operands and operators of an equation written without spaces ("12+30=42", "(2×3)=6"):
/// numbers joined by `+ - × * / =`, with one `=` at least.
fn equation(raw: &str) -> Option<Vec<&str>> {
    if !raw.contains('=') {
        return None;
    }
    let mut parts = Vec::new();
    let mut start = 0;
    for (at, c) in raw.char_indices() {
        if at > start && matches!(c, '+' | '-' | '×' | '*' | '/' | '=') {
            parts.push(&raw[start..at]);
            parts.push(&raw[at..at + c.len_utf8()]);
            start = at + c.len_utf8();
        }
    }
    parts.push(&raw[start..]);
    let operand = |part: &str| {
        let core = part.trim_start_matches(LEAD).trim_end_matches(TRAIL);
        !core.is_empty() && core.chars().all(|c| c.is_ascii_digit() || c == '.' || c == ',') && core.starts_with(|c: char| c.is_ascii_digit())
    };
    let well_formed = parts.len() >= 3 && parts.iter().enumerate().all(|(position, part)| if position % 2 == 0 { operand(part) } else { part.len() <= 2 });
    well_formed.then_some(parts)
}

/// "a.m.-5": a meridiem glued by a dash to the time after it; the two, without the dash.
fn meridiem_dash(raw: &str) -> Option<(&str, &str)> {
    let lower = raw.to_ascii_lowercase();
    ["a.m.", "p.m.", "am", "pm"].iter().find_map(|form| {
        let rest = lower.strip_prefix(form)?.strip_prefix(['-', '–'])?;
        rest.starts_with(|c: char| c.is_ascii_digit()).then(|| (&raw[..form.len()], &raw[raw.len() - rest.len()..]))
    })
}

/// Classifies every piece. `lexicon_at(index)` offers a lexicon entry starting at a piece
/// (its length in pieces and respelling); lexicon entries win over every other class.
pub fn classify<'a>(pieces: &'a [Piece<'a>], lexicon_at: &dyn Fn(usize) -> Option<(usize, String)>) -> Vec<Token<'a>> {
    let data = data();
    let letters: Vec<&Piece> = pieces.iter().filter(|p| p.core.chars().any(char::is_alphabetic)).collect();
    let shouting = letters.len() >= 4
        && letters.iter().filter(|p| is_upper_word(p.core)).count() * 10 >= letters.len() * 6;
    let classifier = Classifier { pieces, data, shouting, dateline: dateline(pieces) };
    let mut tokens = Vec::new();
    let mut index = 0;
    while index < pieces.len() {
        let found = lexicon_at(index).map(|(len, respelling)| (len, Semiotic::Lexicon(respelling))).or_else(|| classifier.at(index));
        let (len, semiotic) = found.map_or((1, None), |(len, s)| (len, Some(s)));
        let len = len.clamp(1, pieces.len() - index);
        tokens.push(Token { len, semiotic, pieces: &pieces[index..index + len] });
        index += len;
    }
    tokens
}

struct Classifier<'a> {
    pieces: &'a [Piece<'a>],
    data: &'static Data,
    shouting: bool,
    /// Pieces at the start that are a dateline's place in capitals (see [`dateline`]).
    dateline: usize,
}

type Found = Option<(usize, Semiotic)>;

impl<'a> Classifier<'a> {
    fn core(&self, index: usize) -> Option<&'a str> {
        self.pieces.get(index).map(|p| p.core)
    }

    /// True when piece `index` comes right after one of `words` (in any case, with no
    /// punctuation between).
    fn follows(&self, index: usize, words: &[&str]) -> bool {
        index.checked_sub(1).and_then(|i| self.pieces.get(i)).is_some_and(|p| p.trail.is_empty() && words.iter().any(|word| word.eq_ignore_ascii_case(p.core)))
    }

    /// True when nothing but white space separates pieces `index` and `index + 1`.
    fn joined(&self, index: usize) -> bool {
        self.pieces.get(index).is_some_and(|p| p.trail.is_empty())
            && self.pieces.get(index + 1).is_some_and(|p| p.lead.is_empty())
    }

    fn at(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        if piece.core.is_empty() {
            return None;
        }
        self.url_or_email(piece)
            .or_else(|| self.dateline_dash(index))
            .or_else(|| self.dash_between(index))
            .or_else(|| self.footnote(index))
            .or_else(|| affiliation(self.pieces[index].core, self.data).map(|spoken| (1, Semiotic::Abbreviation(spoken))))
            .or_else(|| self.party(index))
            .or_else(|| self.model(index))
            .or_else(|| self.ticker(index))
            .or_else(|| self.telephone(index))
            .or_else(|| self.zip_code(index))
            .or_else(|| self.blood_pressure(index))
            .or_else(|| self.date(index))
            .or_else(|| self.time(index))
            .or_else(|| self.money(index))
            .or_else(|| self.range(index))
            .or_else(|| self.dimension_with_unit(index))
            .or_else(|| self.fraction_with_unit(index))
            .or_else(|| self.measure(index))
            .or_else(|| self.inches(index))
            .or_else(|| single(piece.core).map(|s| (1, s)))
            .or_else(|| self.number(index))
            .or_else(|| self.roman(index))
            .or_else(|| dotted_compound(piece.core).map(|said| (1, Semiotic::Abbreviation(said))))
            .or_else(|| self.unit_after_per(index))
            .or_else(|| self.compass_point(index))
            .or_else(|| self.zone_after_word(index))
            .or_else(|| self.day_span(index))
            .or_else(|| self.abbreviation(index))
            .or_else(|| self.acronym(index))
            .or_else(|| symbol(piece.core).filter(|_| self.sign_applies(index)).map(|s| (1, s)))
            .or_else(|| mixed(piece.core).map(|s| (1, s)))
            .or_else(|| slashed(piece.core, self.data).map(|said| (1, Semiotic::Abbreviation(said))))
    }

}

