//! Classification: the text is split into whitespace-separated pieces (punctuation peeled
//! off), and at each piece the matchers are tried from the most specific (URLs, telephone
//! numbers, dates) to the most general (plain numbers, acronyms). A match may span several
//! pieces ("April 29, 2025", "$1.5 billion", "5:24 PM EST").

use super::data::{data, AbbreviationKind, Currency, Data};
use super::verbalize::{spell, Number, Semiotic, MONTHS};

/// Opening punctuation peeled off the front of a piece.
const LEAD: &[char] = &['"', '\'', '“', '‘', '(', '[', '{', '«', '¿', '¡'];
/// Closing punctuation peeled off the end of a piece.
const TRAIL: &[char] = &['"', '\'', '”', '’', ')', ']', '}', ',', ';', ':', '!', '?', '.', '…', '»'];

const ROMAN_CONTEXT: &[&str] = &[
    "War", "Chapter", "Part", "Volume", "Vol", "Act", "Book", "Phase", "Title", "Article", "Section",
    "Bowl", "Round", "Stage", "Class", "Category", "Type", "Level", "Grade", "Apollo", "Mark", "Division",
];
const REGNAL_NAMES: &[&str] = &[
    "Henry", "Louis", "Elizabeth", "George", "Charles", "John", "Paul", "Benedict", "Pius", "Richard",
    "Edward", "William", "James", "Mary", "Peter", "Catherine", "Napoleon", "Frederick", "Philip",
    "Alexander", "Nicholas", "Leo", "Gregory", "Innocent", "Clement", "Ramses", "Constantine", "Ivan",
    "Francis", "Victor", "Juan", "Carlos", "Felipe", "Harald", "Olav", "Gustaf", "Willem", "Wilhelm",
    "Friedrich", "Ludwig", "Otto", "Boniface", "Urban", "Sixtus", "Rama", "Abdullah", "Hussein",
];
pub(crate) const TIME_ZONES: &[&str] = &[
    "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "GMT", "UTC", "CET", "CEST", "EET",
    "EEST", "BST", "MSK", "KST", "JST", "IST", "AEST", "ET", "PT", "CT", "MT", "AST", "ADT",
    "HST", "AKST", "AKDT", "AEDT", "NZST", "NZDT", "SGT", "HKT", "WET", "WEST", "SAST", "PKT",
];
/// Scale words said after an amount; "lakh" and "crore" are the Indian hundred thousand and ten million.
const SCALES: &[&str] = &["thousand", "million", "billion", "trillion", "lakh", "crore"];
/// Aircraft makers: their model numbers are said in pairs of digits ("Boeing 737-800": seven
/// thirty seven eight hundred; "Airbus A321neo": A three twenty one neo).
const MODEL_MAKERS: &[&str] = &["Boeing", "Airbus", "Embraer", "Bombardier", "Tupolev", "Ilyushin", "Antonov", "Comac", "McDonnell"];
/// Stock exchanges: the symbol after "NYSE:" is spelled ("(NASDAQ: AAPL)").
const EXCHANGES: &[&str] = &["NYSE", "NASDAQ", "Nasdaq", "AMEX", "LSE", "TSX", "ASX", "NYSEARCA", "OTC", "HKEX", "TSE", "NSE", "BSE", "FTSE", "Xetra", "XETRA", "Euronext"];
/// Words before a clock time written with seconds ("at 10:30:15"); elsewhere h:mm:ss is a
/// duration ("won in 2:09:44").
const CLOCK_WORDS: &[&str] = &["at", "from", "until", "till", "by", "before", "after", "around", "since"];
/// Words before a number that make a letter glued to it a label ("Apartment 4C", "Gate 12F",
/// "Route 9W"), not a unit.
const LABEL_WORDS: &[&str] = &[
    "apartment", "apt", "flat", "suite", "room", "unit", "floor", "level", "block", "building", "gate",
    "terminal", "platform", "pier", "berth", "hangar", "bay", "row", "seat", "section", "box", "stand",
    "lot", "locker", "cell", "ward", "studio", "route", "highway", "interstate", "road", "bus", "train",
    "flight", "type", "model", "grade", "form", "group", "zone", "sector", "district", "precinct",
    "figure", "table", "exhibit", "court", "hall", "wing", "door", "space", "track", "stage", "category",
];
/// Words after a number with a glued "m" that make it meters ("5m tall", "a 100m sprint");
/// before another plural noun it is millions ("20m viewers").
const METER_WORDS: &[&str] = &[
    "tall", "high", "long", "wide", "deep", "away", "above", "below", "from", "sprint", "dash",
    "hurdles", "freestyle", "backstroke", "breaststroke", "butterfly", "medley", "relay", "waves",
    "steps", "meters", "metres", "yards", "feet",
];
/// Events a "K" names in kilometers, said as the letter ("a 5K run").
const RACE_WORDS: &[&str] = &["run", "runs", "race", "races", "walk", "walks", "fun", "charity"];
/// Words after "4K" that make it a resolution, not four thousand.
const DISPLAY_WORDS: &[&str] = &["TV", "TVs", "television", "televisions", "video", "videos", "resolution", "display", "displays", "screen", "screens", "monitor", "monitors", "stream", "streams", "streaming", "camera", "cameras", "footage", "HDR", "Blu-ray", "content", "movies", "films"];
/// Video resolutions written with "p" ("720p", "1080p").
const RESOLUTIONS: &[u64] = &[144, 240, 360, 480, 540, 576, 720, 1080, 1440, 2160, 4320];

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

/// Signs that may stand before a number.
const SIGNS: &[char] = &['~', '≈', '>', '<', '≥', '≤', '±', '+'];

/// A comparison written as one word, "p<0.05" or "(n>100)": the lead (an opening bracket),
/// the name (a few letters), the sign, and the rest (the number and what follows it).
fn comparison(raw: &str) -> Option<(&str, &str, &str, &str)> {
    const COMPARISONS: [char; 4] = ['<', '>', '≤', '≥'];
    // Most words have no sign: they are not split twice.
    if !raw.contains(COMPARISONS) {
        return None;
    }
    let Piece { lead, core, .. } = Piece::split(raw);
    let at = core.find(COMPARISONS)?;
    let sign_end = at + core[at..].chars().next()?.len_utf8();
    let (name, rest) = (&core[..at], &raw[lead.len() + sign_end..]);
    let short_name = (1..=4).contains(&name.len()) && name.bytes().all(|b| b.is_ascii_alphabetic());
    (short_name && rest.starts_with(|c: char| c.is_ascii_digit())).then(|| (lead, name, &core[at..sign_end], rest))
}
/// Currency signs that may stand between such a sign and its number ("+$5").
const CURRENCY_SIGNS: &[char] = &['$', '€', '£'];

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

/// The number of pieces at the start of a text that are a wire dateline's place in capitals:
/// words in capitals up to a comma, a dash or an agency in parentheses ("LOS ANGELES (AP) —",
/// "KYIV, Ukraine —"). Zero when the text does not start so.
fn dateline(pieces: &[Piece]) -> usize {
    let mut count = 0;
    for piece in pieces.iter().take(4) {
        if !piece.lead.is_empty() || !is_upper_word(piece.core) || piece.core.len() < 2 {
            break;
        }
        count += 1;
        if !piece.trail.is_empty() {
            return if piece.trail == "," { count } else { 0 };
        }
    }
    let after = pieces.get(count);
    let marked = after.is_some_and(|p| matches!(p.core, "—" | "–" | "-" | "--") || (p.lead == "(" && p.trail.starts_with(')')));
    if count > 0 && marked {
        count
    } else {
        0
    }
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
            .or_else(|| affiliation(self.pieces[index].core, self.data).map(|spoken| (1, Semiotic::Abbreviation(spoken))))
            .or_else(|| self.party(index))
            .or_else(|| self.model(index))
            .or_else(|| self.ticker(index))
            .or_else(|| self.telephone(index))
            .or_else(|| self.blood_pressure(index))
            .or_else(|| self.date(index))
            .or_else(|| self.time(index))
            .or_else(|| self.money(index))
            .or_else(|| self.range(index))
            .or_else(|| self.dimension_with_unit(index))
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

    /// "the 4x100m relay", "a 2x3m rug": counts joined by an "x", the last with a unit, said
    /// "four by one hundred meter" (a compound modifier, so the unit is singular).
    fn dimension_with_unit(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        if !core.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (count, rest) = core.split_once(['x', '×'])?;
        let digits = |part: &str| !part.is_empty() && part.len() <= 5 && part.bytes().all(|b| b.is_ascii_digit());
        let split = rest.find(|c: char| !c.is_ascii_digit())?;
        let (size, unit) = rest.split_at(split);
        if !digits(count) || !digits(size) {
            return None;
        }
        let names = self.data.units.get(unit)?;
        let number = super::number::cardinal_digits;
        Some((1, Semiotic::Abbreviation(format!("{} by {} {}", number(count), number(size), names[0]))))
    }

    /// "18.5\" of rain", "a 12\" pizza": a double quote right after a number, with no
    /// quotation open before it, is the inch mark.
    fn inches(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        if !piece.trail.starts_with(['"', '″']) {
            return None;
        }
        let amount = parse_number(piece.core)?;
        let quotes = |text: &str| text.matches('"').count();
        let open_before: usize = self.pieces[..index].iter().map(|p| quotes(p.lead) + quotes(p.trail)).sum::<usize>() + quotes(piece.lead);
        if open_before % 2 == 1 {
            return None;
        }
        let names = self.data.units.get("in")?;
        let noun_after = self.core(index + 1).is_some_and(|word| word.starts_with(char::is_lowercase) && !matches!(word, "of" | "in" | "and" | "or"));
        let attributive = piece.trail.chars().count() == 1 && self.follows(index, &["a", "an", "the"]) && noun_after;
        Some((1, measure(amount, names, attributive)))
    }

    /// A lawmaker's party alone in brackets after the name: "Gov. Greg Abbott (R)".
    fn party(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let party = match piece.core {
            "R" => "Republican",
            "D" => "Democrat",
            "I" => "Independent",
            _ => return None,
        };
        let named = index.checked_sub(1).is_some_and(|before| self.pieces[before].trail.is_empty() && self.pieces[before].core.starts_with(char::is_uppercase));
        (piece.lead == "(" && piece.trail.starts_with(')') && named).then(|| (1, Semiotic::Abbreviation(party.to_string())))
    }

    /// Comparison signs are said only before a number ("> 100", not a stray ">").
    fn sign_applies(&self, index: usize) -> bool {
        let core = self.pieces[index].core;
        core == "+" || !core.starts_with(SIGNS) || self.core(index + 1).is_some_and(|next| next.trim_start_matches(CURRENCY_SIGNS).starts_with(|c: char| c.is_ascii_digit()))
    }

    fn url_or_email(&self, piece: Piece) -> Found {
        let core = piece.core;
        let lower = core.to_ascii_lowercase();
        if lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("www.") {
            return Some((1, Semiotic::Url(core.to_string())));
        }
        if let Some((user, domain)) = core.split_once('@') {
            if !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.') {
                return Some((1, Semiotic::Email(core.to_string())));
            }
        }
        // Social media handles: "@readcast", "@city_news".
        if let Some(handle) = core.strip_prefix('@') {
            let handle_ok = (1..=30).contains(&handle.len()) && handle.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') && handle.chars().any(|c| c.is_ascii_alphabetic());
            return handle_ok.then(|| (1, Semiotic::Abbreviation(format!("at {}", handle.replace('_', " ")))));
        }
        // Bare domains: "kyivindependent.com", "example.org/news".
        let host = lower.split('/').next().unwrap_or("");
        let tld_ok = [".com", ".org", ".net", ".gov", ".edu", ".io", ".ua", ".uk", ".info"]
            .iter()
            .any(|tld| host.ends_with(tld) && host.len() > tld.len());
        if tld_ok && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-') {
            return Some((1, Semiotic::Url(core.to_string())));
        }
        None
    }

    fn telephone(&self, index: usize) -> Found {
        // Gather up to six pieces that look like parts of a number: "+1", "(555)", "123-4567".
        let mut groups: Vec<String> = Vec::new();
        let mut used = 0;
        let plus = self.pieces[index].core.starts_with('+');
        for offset in 0..6 {
            let Some(piece) = self.pieces.get(index + offset) else { break };
            if offset > 0 && !self.joined(index + offset - 1) && !self.pieces[index + offset - 1].trail.ends_with(')') {
                break;
            }
            if offset > 0 && piece.lead.contains('(') && !plus {
                break;
            }
            let stripped = piece.core.trim_start_matches('+');
            let parts: Vec<&str> = stripped.split(['-', '.', '–']).collect();
            let longest = if plus { 8 } else { 4 };
            if parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.len() > longest) {
                break;
            }
            groups.extend(parts.iter().map(|p| p.to_string()));
            used = offset + 1;
        }
        let lengths: Vec<usize> = groups.iter().map(String::len).collect();
        let digits: usize = lengths.iter().sum();
        let well_formed = if plus {
            (2..=7).contains(&groups.len()) && lengths[0] <= 3 && (8..=15).contains(&digits)
        } else {
            match lengths.as_slice() {
                [3, 3, 4] | [1, 3, 3, 4] => true,
                [3, 4] => used == 1 && !self.pieces[index].core.contains('.'),
                _ => false,
            }
        };
        if plus && well_formed {
            // The country code keeps its plus: it is said ("plus four four").
            groups[0].insert(0, '+');
        }
        well_formed.then_some((used, Semiotic::Telephone(groups)))
    }

    fn date(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        // 2025-04-29
        if let Some((y, m, d)) = iso_date(core) {
            return Some((1, Semiotic::Date { month: Some(m), day: Some(d), year: Some(y), day_first: false }));
        }
        // 27.11.2026: day first, as everywhere dots separate a date.
        let dotted: Vec<&str> = core.split('.').collect();
        if dotted.len() == 3 && dotted[2].len() == 4 && dotted.iter().all(|p| (1..=4).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())) {
            let (d, m, y) = (dotted[0].parse::<u64>().ok()?, dotted[1].parse::<u8>().ok()?, dotted[2].parse::<u64>().ok()?);
            if dotted[0].len() <= 2 && dotted[1].len() <= 2 && (1..=12).contains(&m) && (1..=31).contains(&d) {
                return Some((1, Semiotic::Date { month: Some(m), day: Some(d), year: Some(y), day_first: true }));
            }
        }
        // 4/29/2025, 10/06/2005, 4/29/25
        let parts: Vec<&str> = core.split('/').collect();
        if parts.len() == 3 && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit())) {
            let (m, d) = (parts[0].parse::<u8>().ok()?, parts[1].parse::<u64>().ok()?);
            let y: u64 = parts[2].parse().ok()?;
            let y = match parts[2].len() {
                2 => if y < 50 { 2000 + y } else { 1900 + y },
                4 => y,
                _ => return None,
            };
            if (1..=12).contains(&m) && (1..=31).contains(&d) {
                return Some((1, Semiotic::Date { month: Some(m), day: Some(d), year: Some(y), day_first: false }));
            }
        }
        // "2024/25", "2025/2026": a fiscal or school year, said as a span of years.
        if let [first, second] = parts[..] {
            let all_digits = |p: &str| p.bytes().all(|b| b.is_ascii_digit());
            if first.len() == 4 && matches!(second.len(), 2 | 4) && all_digits(first) && all_digits(second) {
                let (year, written): (u64, u64) = (first.parse().ok()?, second.parse().ok()?);
                let next = year + 1;
                let follows = if second.len() == 2 { written == next % 100 } else { written == next };
                if (1900..=2099).contains(&year) && follows {
                    return Some((1, Semiotic::Range(Box::new(Semiotic::Year(year)), Box::new(Semiotic::Year(next)))));
                }
            }
        }
        // "on 12/03", "since 3/15": month and day, after a word that names a day, or with a
        // zero a fraction never has.
        if let [m, d] = parts[..] {
            let short = |p: &str| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
            let zero_padded = [m, d].iter().any(|p| p.len() == 2 && p.starts_with('0'));
            if short(m) && short(d) && (zero_padded || self.follows(index, &["on", "since", "until", "through", "dated"])) {
                let (m, d) = (m.parse::<u8>().ok()?, d.parse::<u64>().ok()?);
                // "since 9/11": the attacks, said "nine eleven".
                if (1..=12).contains(&m) && (1..=31).contains(&d) && core != "9/11" {
                    return Some((1, Semiotic::Date { month: Some(m), day: Some(d), year: None, day_first: false }));
                }
            }
        }
        // April 29, 2025 / Jan. 11 / April 2025
        if let Some(month) = self.month_at(index) {
            let piece = self.pieces[index];
            let after_month_ok = piece.trail.is_empty() || piece.dotted && piece.trail.is_empty();
            if after_month_ok {
                // "Jan. 16-21": a span of days in one month.
                let span = self.core(index + 1).and_then(|days| days.split_once(['-', '–'])).and_then(|(first, last)| Some((day_number(first)?, day_number(last)?)));
                if let Some((first, last)) = span.filter(|(first, last)| first < last) {
                    let year = self.year_after(index + 1);
                    let from = Semiotic::Date { month: Some(month), day: Some(first), year: None, day_first: false };
                    let to = Semiotic::Date { month: None, day: Some(last), year, day_first: false };
                    return Some((if year.is_some() { 3 } else { 2 }, Semiotic::Range(Box::new(from), Box::new(to))));
                }
                // "June 14-July 14": a span over two months.
                let across = self.core(index + 1).and_then(|days| days.split_once(['-', '–'])).and_then(|(first, month)| Some((day_number(first)?, month)));
                if let Some((first, second_month)) = across {
                    let second_month = self.month_named(second_month, self.pieces[index + 1].dotted);
                    if let (Some(second_month), Some(last)) = (second_month, self.core(index + 2).and_then(day_number).filter(|_| self.pieces[index + 1].trail.is_empty())) {
                        let year = self.year_after(index + 2);
                        let from = Semiotic::Date { month: Some(month), day: Some(first), year: None, day_first: false };
                        let to = Semiotic::Date { month: Some(second_month), day: Some(last), year, day_first: false };
                        return Some((if year.is_some() { 4 } else { 3 }, Semiotic::Range(Box::new(from), Box::new(to))));
                    }
                }
                if let Some(day) = self.core(index + 1).and_then(day_number) {
                    let year = self.year_after(index + 1);
                    let len = if year.is_some() { 3 } else { 2 };
                    return Some((len, Semiotic::Date { month: Some(month), day: Some(day), year, day_first: false }));
                }
                if let Some(year) = self.core(index + 1).and_then(year_number) {
                    if piece.core.len() > 3 || piece.dotted {
                        return Some((2, Semiotic::Date { month: Some(month), day: None, year: Some(year), day_first: false }));
                    }
                }
            }
        }
        // 29 April 2025
        if let Some(day) = day_number(core) {
            if self.pieces[index].trail.is_empty() {
                if let Some(month) = self.month_at(index + 1) {
                    let year = self.year_after(index + 1);
                    let len = if year.is_some() { 3 } else { 2 };
                    return Some((len, Semiotic::Date { month: Some(month), day: Some(day), year, day_first: true }));
                }
            }
        }
        None
    }

    /// The year right after piece `index`, with nothing or a comma between ("April 29, 2025").
    fn year_after(&self, index: usize) -> Option<u64> {
        let piece = self.pieces.get(index)?;
        (piece.trail.is_empty() || piece.trail == ",").then(|| self.core(index + 1).and_then(year_number)).flatten()
    }

    /// A month name, or a month abbreviation written with its period ("Jan.", "Sept.").
    fn month_at(&self, index: usize) -> Option<u8> {
        let piece = self.pieces.get(index)?;
        self.month_named(piece.core, piece.dotted)
    }

    /// The month `word` names, in full or (`dotted`: written with its period) abbreviated.
    fn month_named(&self, word: &str, dotted: bool) -> Option<u8> {
        if let Some(at) = MONTHS.iter().position(|name| *name == word) {
            return Some(at as u8 + 1);
        }
        match self.data.abbreviation(word) {
            Some((AbbreviationKind::Month, name)) if dotted => MONTHS.iter().position(|n| *n == name).map(|at| at as u8 + 1),
            _ => None,
        }
    }

    fn time(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        let (clock, glued_suffix) = split_suffix(core);
        let (hour, minute) = match clock.split_once(':') {
            // "2:09:44": a duration, or a clock time with seconds after "at" or before "a.m.".
            Some((h, rest)) if rest.len() == 5 && rest.as_bytes()[2] == b':' && !h.is_empty() && h.len() <= 2 => {
                let (m, sec) = rest.split_once(':')?;
                let numbers = [h, m, sec].map(|part| part.parse::<u64>().ok());
                let [Some(hours), Some(minutes), Some(seconds)] = numbers else { return None };
                if minutes > 59 || seconds > 59 {
                    return None;
                }
                let suffix = glued_suffix.or_else(|| self.pieces[index].trail.is_empty().then(|| self.core(index + 1).and_then(meridiem)).flatten());
                if suffix.is_some() || self.follows(index, CLOCK_WORDS) {
                    if hours > 24 {
                        return None;
                    }
                    let len = if suffix.is_some() && glued_suffix.is_none() { 2 } else { 1 };
                    return Some((len, Semiotic::Time { hour: hours, minute: minutes, second: Some(seconds).filter(|&s| s > 0), suffix, zone: None }));
                }
                return Some((1, Semiotic::Duration { hours, minutes, seconds }));
            }
            Some((h, m)) if m.len() == 2 && !h.is_empty() && h.len() <= 2 => (h.parse::<u64>().ok()?, m.parse::<u64>().ok()?),
            // "3:43.13": a race time in minutes and seconds, to hundredths.
            Some((m, s)) if !m.is_empty() && m.len() <= 2 && s.len() > 3 && s.as_bytes()[2] == b'.' && s[..2].bytes().all(|b| b.is_ascii_digit()) => {
                let (minutes, seconds) = (m.parse::<u64>().ok()?, parse_number(s)?);
                if s[3..].is_empty() || !s[3..].bytes().all(|b| b.is_ascii_digit()) || seconds.value().is_some_and(|whole| whole >= 60) {
                    return None;
                }
                let minutes = match minutes {
                    0 => String::new(),
                    1 => "one minute and ".to_string(),
                    _ => format!("{} minutes and ", super::number::cardinal(minutes)),
                };
                return Some((1, Semiotic::Abbreviation(format!("{minutes}{} seconds", seconds.words()))));
            }
            None if glued_suffix.is_some() && !clock.is_empty() && clock.len() <= 2 => (clock.parse::<u64>().ok()?, 0),
            // "0600 GMT", "1430 hours", "0600 local time", "at 0730": the 24-hour clock, said
            // "oh six hundred" (no year or count is written with a leading zero).
            None if clock.len() == 4
                && ((self.joined(index)
                    && (matches!(self.core(index + 1), Some("GMT" | "UTC" | "Zulu" | "hours" | "hrs")) || self.core(index + 1).is_some_and(|zone| TIME_ZONES.contains(&zone))
                        || (self.core(index + 1) == Some("local") && self.core(index + 2) == Some("time"))))
                    || (clock.starts_with('0') && self.follows(index, &["at", "by", "until", "till", "from", "before", "after", "since"]))) =>
            {
                let (hour, minute) = (clock[..2].parse::<u64>().ok()?, clock[2..].parse::<u64>().ok()?);
                if hour > 23 || minute > 59 {
                    return None;
                }
                let number = super::number::cardinal;
                let hours = if clock.starts_with('0') && hour > 0 { format!("oh {}", number(hour)) } else { number(hour) };
                let minutes = match minute {
                    0 => "hundred".to_string(),
                    1..=9 => format!("oh {}", number(minute)),
                    _ => number(minute),
                };
                // "0800 hrs": the unit read out with the time; a zone is said after it.
                if self.core(index + 1) == Some("hrs") {
                    return Some((2, Semiotic::Abbreviation(format!("{hours} {minutes} hours"))));
                }
                if let Some(zone) = self.core(index + 1).filter(|zone| self.joined(index) && TIME_ZONES.contains(zone) && !matches!(*zone, "GMT" | "UTC")) {
                    return Some((2, Semiotic::Abbreviation(format!("{hours} {minutes} {}", super::verbalize::zone(zone)))));
                }
                return Some((1, Semiotic::Abbreviation(format!("{hours} {minutes}"))));
            }
            None => {
                // "5 p.m."
                let hour: u64 = clock.parse().ok()?;
                let suffix = self.core(index + 1).and_then(meridiem)?;
                if !(1..=12).contains(&hour) || !self.joined(index) && !self.pieces[index].trail.is_empty() {
                    return None;
                }
                let (zone, end) = self.zone(index + 2);
                return Some((end - index, Semiotic::Time { hour, minute: 0, second: None, suffix: Some(suffix), zone }));
            }
            _ => return None,
        };
        if hour > 24 || minute > 59 {
            return None;
        }
        let mut len = 1;
        let suffix = glued_suffix.or_else(|| {
            let suffix = self.pieces[index].trail.is_empty().then(|| self.core(index + 1).and_then(meridiem)).flatten();
            if suffix.is_some() {
                len = 2;
            }
            suffix
        });
        let zone_at = index + len;
        let (zone, zone_len) = if self.pieces[zone_at - 1].trail.is_empty() { self.zone(zone_at) } else { (None, zone_at) };
        Some((zone_len.max(len + index) - index, Semiotic::Time { hour, minute, second: None, suffix, zone }))
    }

    /// A time zone at `index`; returns it and the index after the time expression.
    fn zone(&self, index: usize) -> (Option<String>, usize) {
        match self.core(index) {
            Some(zone) if TIME_ZONES.contains(&zone) => (Some(zone.to_string()), index + 1),
            _ => (None, index),
        }
    }

    fn money(&self, index: usize) -> Found {
        let found = self.money_at(index)?;
        // "a $25 fine" is "a twenty five dollar fine", "the $1.9tn package" "the one point
        // nine trillion dollar package": between a determiner and a noun, the amount is an
        // adjective.
        let attributive = self.attributive(index, found.0);
        match found {
            (len, Semiotic::Money { amount, scale, currency }) if attributive && (amount.fraction.is_none() || scale.is_some()) => {
                let currency = Currency { plural: currency.singular.clone(), ..currency };
                Some((len, Semiotic::Money { amount, scale, currency }))
            }
            other => Some(other),
        }
    }

    fn money_at(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let (negative, core) = match piece.core.strip_prefix(['-', '−']) {
            Some(rest) => (true, rest),
            None => (false, piece.core),
        };
        // $5.50, €3.2, US$5, $1.5bn
        for (symbol, currency) in &self.data.currency_symbols {
            if let Some(amount_text) = core.strip_prefix(symbol.as_str()) {
                // "$3.45/gallon", "€12/month": a price per unit.
                let (amount_text, per) = match amount_text.split_once('/') {
                    Some((amount_text, per)) => (amount_text, Some(per)),
                    None => (amount_text, None),
                };
                // "a $7.25-an-hour wage", "$4-a-gallon gas": the words after the amount.
                if let Some((number, words)) = amount_text.split_once('-').filter(|(_, words)| words.contains('-') && words.split('-').all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase()))) {
                    let mut amount = parse_number(number)?;
                    amount.negative = negative;
                    let money = Semiotic::Money { amount, scale: None, currency: currency.clone() };
                    return Some((1, Semiotic::Abbreviation(format!("{} {}", money.verbalize(), words.replace('-', " ")))));
                }
                // "a $1.5-billion deal": the scale joined with a hyphen.
                let hyphen_scale = amount_text.split_once('-').and_then(|(number, scale)| Some((number, *SCALES.iter().find(|s| **s == scale)?)));
                let (amount_text, glued_scale) = match hyphen_scale {
                    Some((number, scale)) => (number, Some(scale)),
                    None => split_scale(amount_text),
                };
                let mut amount = parse_number(amount_text)?;
                amount.negative = negative;
                if let Some(per) = per {
                    let unit = self.per_unit(per)?;
                    let money = Semiotic::Money { amount, scale: glued_scale.map(str::to_string), currency: currency.clone() };
                    return Some((1, Semiotic::Abbreviation(format!("{} per {unit}", money.verbalize()))));
                }
                let (scale, len) = match glued_scale {
                    Some(scale) => (Some(scale.to_string()), 1),
                    None => match self.scale_at(index) {
                        Some(scale) => (Some(scale), 2),
                        None => (None, 1),
                    },
                };
                return Some((len, Semiotic::Money { amount, scale, currency: currency.clone() }));
            }
        }
        // EUR 100, UAH 5 million
        if let Some(currency) = self.data.currency_code(core) {
            let amount = parse_number(self.core(index + 1)?)?;
            return match self.scale_at(index + 1) {
                Some(scale) => Some((3, Semiotic::Money { amount, scale: Some(scale), currency: currency.clone() })),
                None => Some((2, Semiotic::Money { amount, scale: None, currency: currency.clone() })),
            };
        }
        // 100 UAH, 5 million EUR
        let amount = parse_number(piece.core)?;
        if let Some(scale) = self.scale_at(index) {
            if let Some(currency) = self.core(index + 2).and_then(|code| self.data.currency_code(code)) {
                return Some((3, Semiotic::Money { amount, scale: Some(scale), currency: currency.clone() }));
            }
        }
        let currency = self.core(index + 1).and_then(|code| self.data.currency_code(code))?;
        piece.trail.is_empty().then(|| (2, Semiotic::Money { amount, scale: None, currency: currency.clone() }))
    }

    /// The unit of a price "per" something: a unit symbol ("kg"), a short form ("yr"), or a
    /// word ("gallon").
    fn per_unit(&self, written: &str) -> Option<String> {
        // Short forms used only after a slash; units.toml has the rest ("yr", "hr", "gal").
        const SHORT: &[(&str, &str)] = &[("mo", "month"), ("d", "day"), ("sqft", "square foot")];
        if let Some(&(_, said)) = SHORT.iter().find(|(short, _)| *short == written) {
            return Some(said.to_string());
        }
        if let Some(names) = self.data.units.get(written) {
            return Some(names[0].clone());
        }
        (written.len() >= 3 && written.chars().all(|c| c.is_ascii_lowercase())).then(|| written.to_string())
    }

    /// "120/80 mmHg", "a blood pressure of 140/90": one twenty over eighty.
    fn blood_pressure(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        if !core.starts_with(|c: char| c.is_ascii_digit()) {
            return None;
        }
        let (systolic, diastolic) = core.split_once('/')?;
        let reading = |part: &str| (2..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
        if !reading(systolic) || !reading(diastolic) {
            return None;
        }
        let unit = self.core(index + 1) == Some("mmHg");
        let named = (index.saturating_sub(4)..index).any(|at| matches!(self.core(at), Some("BP" | "pressure" | "pressures")));
        if !unit && !named {
            return None;
        }
        let said = format!("{} over {}", super::number::in_pairs(systolic.parse().ok()?), super::number::cardinal(diastolic.parse().ok()?));
        Some(if unit { (2, Semiotic::Abbreviation(format!("{said} millimeters of mercury"))) } else { (1, Semiotic::Abbreviation(said)) })
    }

    /// "$3.19 per gal.", "10 cents per lb": a unit's short form after "per" is its name.
    fn unit_after_per(&self, index: usize) -> Found {
        let written = self.pieces[index].core.trim_end_matches('.');
        if index == 0 || self.core(index - 1) != Some("per") || ambiguous_unit(written) || !written.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let names = self.data.units.get(written)?;
        // A unit written out ("per gallon") is a word already.
        (names[0] != written).then(|| (1, Semiotic::Abbreviation(names[0].clone())))
    }

    /// "Mon.-Fri.", "Mon-Fri", "Monday-Friday": a span of weekdays, "Monday to Friday";
    /// "mid-Nov.", "late-Jan.": part of a month.
    fn day_span(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        // The first letter is checked first: it is cheaper than a search for every word.
        if !core.starts_with(['M', 'T', 'W', 'F', 'S', 'm', 'e', 'l', 'E', 'L']) {
            return None;
        }
        let (first, last) = core.split_once(['-', '–'])?;
        if ["mid", "early", "late"].iter().any(|part| part.eq_ignore_ascii_case(first)) {
            return match self.data.abbreviation(last) {
                Some((AbbreviationKind::Month, name)) => Some((1, Semiotic::Abbreviation(format!("{first} {name}")))),
                _ => None,
            };
        }
        if !core.starts_with(['M', 'T', 'W', 'F', 'S']) {
            return None;
        }
        let day = |word: &str| -> Option<String> {
            let word = word.trim_end_matches('.');
            match self.data.abbreviation(word) {
                Some((AbbreviationKind::Day, name)) if word.starts_with(char::is_uppercase) => Some(name.to_string()),
                // A day written out is the name its abbreviation stands for.
                _ => self.data.abbreviation(word.get(..3)?).filter(|(kind, name)| *kind == AbbreviationKind::Day && *name == word).map(|(_, name)| name.to_string()),
            }
        };
        Some((1, Semiotic::Abbreviation(format!("{} to {}", day(first)?, day(last)?))))
    }

    /// "Winds SW at 10 mph": a compass point after "winds", "wind" or "gusts"; "1600
    /// Pennsylvania Ave. NW": a quadrant after a street type.
    fn compass_point(&self, index: usize) -> Found {
        // The word before is checked first: it is cheaper than a lookup for every word.
        let before = self.core(index.checked_sub(1)?)?;
        let after_wind = ["winds", "wind", "gusts"].iter().any(|wind| before.eq_ignore_ascii_case(wind));
        let core = self.pieces[index].core;
        let quadrant = matches!(core, "NE" | "NW" | "SE" | "SW") && self.data.street_words.contains(before);
        if !after_wind && !quadrant {
            return None;
        }
        let direction = self.data.compass.get(core)?;
        Some((1, Semiotic::Abbreviation(direction.clone())))
    }

    /// "midnight ET", "noon PT": a time zone after a time said as a word.
    fn zone_after_word(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        // The word before is checked first: it is cheaper than a lookup for every word.
        if !self.follows(index, &["noon", "midnight"]) || !TIME_ZONES.contains(&core) {
            return None;
        }
        Some((1, Semiotic::Abbreviation(super::verbalize::zone(core))))
    }

    /// "million" after the piece at `index`, when nothing but a space separates them; also
    /// the short forms that are nothing else spaced ("€4.5 bn", "$3 mn"; not "m" or "k").
    fn scale_at(&self, index: usize) -> Option<String> {
        let next = self.core(index + 1)?;
        let scale = short_scale(next).or_else(|| SCALES.iter().find(|scale| **scale == next).copied())?;
        self.pieces[index].trail.is_empty().then(|| scale.to_string())
    }

    fn range(&self, index: usize) -> Found {
        // "No. 23-1045", "Case 24-517": a number made of parts, not a span.
        let previous = index.checked_sub(1).map(|at| self.pieces[at]);
        let numbered = previous.is_some_and(|p| (p.dotted && matches!(p.core, "No" | "no" | "Nos" | "nos")) || (p.trail.is_empty() && matches!(p.core, "Case" | "case" | "Docket" | "docket")));
        if let Some(said) = numbered.then(|| docket_number(self.pieces[index].core)).flatten() {
            return Some((1, Semiotic::Abbreviation(said)));
        }
        let found = self.span(index)?;
        // "between 2006-2018": between one and the other.
        if !self.follows(index, &["between"]) {
            return Some(found);
        }
        match found {
            (len, Semiotic::Range(from, to)) => Some((len, Semiotic::Abbreviation(format!("{} and {}", from.verbalize(), to.verbalize())))),
            other => Some(other),
        }
    }

    /// Two numbers, amounts, times or years joined by a dash: "5-10", "$5-10 million", "2024-25".
    fn span(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let core = piece.core;
        let (left, right) = core.split_once(['-', '–']).filter(|(l, r)| !l.is_empty() && !r.is_empty())?;
        if left.starts_with(['-']) {
            return None;
        }
        let from = range_part(left)?;
        // "5-10°C", "20-30km": the unit glued to the second number is said once, after it.
        if let (Semiotic::Cardinal(_), Some(at)) = (&from, right.find(|c: char| !(c.is_ascii_digit() || c == '.' || c == ','))) {
            let (number, unit) = right.split_at(at);
            if let (Some(high), Some(names)) = (parse_number(number), self.data.units.get(unit).filter(|_| !ambiguous_unit(unit) || unit.starts_with('°'))) {
                return Some((1, Semiotic::Range(Box::new(from), Box::new(measure(high, names, self.attributive(index, 1))))));
            }
        }
        let mut to = range_part(right)?;
        // "2024-25": the second year shares the century of the first.
        if let (Semiotic::Year(first), Semiotic::Cardinal(second)) = (&from, &to) {
            if right.len() == 2 {
                let full = first / 100 * 100 + second.value()?;
                to = Semiotic::Year(full);
            }
        }
        // "$25-$30 million": the scale is said once, after the second amount.
        if let (Semiotic::Money { amount: low, scale: None, .. }, Semiotic::Money { amount: high, scale: None, currency }) = (&from, &to) {
            if let Some(scale) = self.scale_at(index) {
                let to = Semiotic::Money { amount: high.clone(), scale: Some(scale), currency: currency.clone() };
                return Some((2, Semiotic::Range(Box::new(Semiotic::Cardinal(low.clone())), Box::new(to))));
            }
        }
        // "$5-10 million", "$5-10": the currency is said once, after the second amount.
        if let (Semiotic::Money { amount: low, scale: None, currency }, Semiotic::Cardinal(high)) = (&from, &to) {
            let (scale, len) = match self.scale_at(index) {
                Some(scale) => (Some(scale), 2),
                None => (None, 1),
            };
            let to = Semiotic::Money { amount: high.clone(), scale, currency: currency.clone() };
            return Some((len, Semiotic::Range(Box::new(Semiotic::Cardinal(low.clone())), Box::new(to))));
        }
        // "5%-10%": the percent is said once.
        if let (Semiotic::Percent(low), Semiotic::Percent(_)) = (&from, &to) {
            return Some((1, Semiotic::Range(Box::new(Semiotic::Cardinal(low.clone())), Box::new(to))));
        }
        if let (Semiotic::Cardinal(low), Semiotic::Money { currency, scale, .. }) = (&from, &to) {
            let from = Semiotic::Money { amount: low.clone(), scale: scale.clone(), currency: currency.clone() };
            return Some((1, Semiotic::Range(Box::new(from), Box::new(to))));
        }
        // "20-30 km": the unit is said once, after the second number.
        if let (Semiotic::Cardinal(_), Semiotic::Cardinal(high)) = (&from, &to) {
            if let Some(unit) = self.spaced_unit(index + 1).filter(|_| piece.trail.is_empty()) {
                if let Some(names) = self.data.units.get(unit) {
                    let to = measure(high.clone(), names, self.attributive(index, 2));
                    return Some((2, Semiotic::Range(Box::new(from), Box::new(to))));
                }
            }
        }
        Some((1, Semiotic::Range(Box::new(from), Box::new(to))))
    }

    fn measure(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        // Glued: "5km", "20°C", "64GB", "-5°C".
        let split_at = piece.core.char_indices().find(|(at, c)| {
            *at > 0 && !(c.is_ascii_digit() || *c == '.' || *c == ',')
        });
        if let Some((at, _)) = split_at {
            let (number_text, unit) = piece.core.split_at(at);
            // A hyphenated measure is a compound adjective: "a 3-km race".
            let (unit, hyphenated) = unit.strip_prefix('-').map_or((unit, false), |unit| (unit, true));
            if let Some(amount) = parse_number(number_text) {
                let next = self.core(index + 1).filter(|_| piece.trail.is_empty()).unwrap_or("");
                let single_capital = unit.len() == 1 && unit.chars().all(|c| c.is_ascii_uppercase());
                // "221B Baker Street": a house number, not billions or bytes.
                let house = unit == "B" && next.starts_with(char::is_uppercase) && amount.fraction.is_none();
                if single_capital && !hyphenated && (house || self.label_before(index)) {
                    return None;
                }
                // "Form 10-K", "an 8-K filing": a form's name, not kelvins.
                if unit == "K" && hyphenated {
                    return None;
                }
                if !hyphenated {
                    if let Some(scaled) = scaled(&amount, unit, next) {
                        return Some((1, scaled));
                    }
                    // "2.3m people watched, up from 1.9m in 2022": once the sentence counts in
                    // millions, a later bare "m" counts so too.
                    if unit == "m" && !METER_WORDS.contains(&next) && self.millions_before(index) {
                        return Some((1, Semiotic::Scaled { amount, scale: "million" }));
                    }
                }
                // "100s of people", "1,000s of documents": hundreds, thousands.
                if unit == "s" && amount.fraction.is_none() && (next == "of" || number_text.contains(',')) {
                    let said = match amount.value() {
                        Some(100) => Some("hundreds"),
                        Some(1_000) => Some("thousands"),
                        Some(10_000) => Some("tens of thousands"),
                        Some(100_000) => Some("hundreds of thousands"),
                        Some(1_000_000) => Some("millions"),
                        _ => None,
                    };
                    if let Some(said) = said {
                        return Some((1, Semiotic::Abbreviation(said.to_string())));
                    }
                }
                // "their 30s", "the 80s", "over 50s": ages and decades, not seconds.
                let tens = number_text.len() == 2 && number_text.ends_with('0') && !number_text.starts_with('0');
                let possessive = index.checked_sub(1).and_then(|i| self.core(i)).is_some_and(|word| {
                    matches!(word.to_lowercase().as_str(), "the" | "their" | "his" | "her" | "its" | "our" | "my" | "your" | "early" | "mid" | "late" | "low" | "high" | "upper" | "over" | "under")
                });
                // "ran it in under 50s": a time after all.
                let timed = index.checked_sub(2).and_then(|i| self.core(i)) == Some("in") && self.follows(index, &["over", "under"]);
                if unit == "s" && tens && possessive && !timed {
                    return Some((1, Semiotic::Decade { year: amount.value()?, short: true }));
                }
                // "50p": pence, in British prices under a pound; "1080p": a video resolution.
                if unit == "p" && !hyphenated && amount.fraction.is_none() {
                    match amount.value() {
                        Some(value) if (1..100).contains(&value) => {
                            let coins = if amount.is_one() { "penny" } else { "pence" };
                            return Some((1, Semiotic::Abbreviation(format!("{} {coins}", amount.words()))));
                        }
                        Some(value) if RESOLUTIONS.contains(&value) => {
                            return Some((1, Semiotic::Abbreviation(format!("{} p", super::number::in_pairs(value)))));
                        }
                        _ => {}
                    }
                }
                if let Some(names) = self.unit_names(unit) {
                    let year_like = number_text.len() == 4 && number_text.bytes().all(|b| b.is_ascii_digit());
                    if !(unit == "s" && year_like) {
                        let attributive = hyphenated || self.attributive(index, 1);
                        return Some((1, measure(amount, &names, attributive)));
                    }
                }
            }
        }
        let amount = parse_number(piece.core)?;
        if !piece.trail.is_empty() {
            return None;
        }
        // Spaced: "5 km", "3 sq ft". Single-letter and word-like units are too ambiguous
        // spaced ("5 in the morning"); they only count glued to the number.
        if let (Some(first), Some(second)) = (self.core(index + 1), self.core(index + 2)) {
            let two = format!("{first} {second}");
            if let Some(names) = self.data.units.get(&two) {
                return Some((3, measure(amount, names, self.attributive(index, 3))));
            }
        }
        // "1.2 million sq. ft.", "5 billion km": a scaled amount of a unit.
        if let Some(scale) = self.scale_at(index) {
            let two = self.core(index + 2).zip(self.core(index + 3)).and_then(|(first, second)| self.data.units.get(&format!("{first} {second}")));
            let (len, names) = match two {
                Some(names) => (4, std::borrow::Cow::Borrowed(names)),
                None => (3, self.unit_names(self.spaced_unit(index + 2)?)?),
            };
            return Some((len, Semiotic::Abbreviation(format!("{} {scale} {}", amount.words(), names[1]))));
        }
        let unit = self.spaced_unit(index + 1)?;
        let names = self.unit_names(unit)?;
        Some((2, measure(amount, &names, self.attributive(index, 2))))
    }

    /// A unit's names, singular and plural: from units.toml, or for a rate of two units in
    /// it, "mg/dL" and "TB/s", the first per the second ("milligrams per deciliter").
    fn unit_names(&self, unit: &str) -> Option<std::borrow::Cow<'_, [String; 2]>> {
        if let Some(names) = self.data.units.get(unit) {
            return Some(std::borrow::Cow::Borrowed(names));
        }
        let (over, under) = unit.split_once('/')?;
        // "2g/day", "5 mg/kg": the second unit may be a word too.
        const PER_WORDS: &[&str] = &["day", "week", "month", "year", "hour", "minute", "second", "person", "dose"];
        let over = self.data.units.get(over)?;
        let under = match self.data.units.get(under) {
            Some(names) => names[0].as_str(),
            None => PER_WORDS.iter().find(|word| **word == under)?,
        };
        Some(std::borrow::Cow::Owned([format!("{} per {under}", over[0]), format!("{} per {under}", over[1])]))
    }

    /// Piece `index`, when it may be a unit standing apart from its number: not one of the
    /// [`ambiguous_unit`]s, except "in." with its period and the sentence going on, which is
    /// inches ("2-3 in. of snow", "6 ft. 2 in. tall"; "the votes are 5 in." stays a word).
    fn spaced_unit(&self, index: usize) -> Option<&'a str> {
        let piece = self.pieces.get(index)?;
        let inches = piece.core == "in" && piece.dotted && index + 1 < self.pieces.len();
        (!ambiguous_unit(piece.core) || inches).then_some(piece.core)
    }

    /// True when a number with a glued "m" before piece `index` counts millions ("20m viewers").
    fn millions_before(&self, index: usize) -> bool {
        (0..index).any(|at| {
            let piece = self.pieces[at];
            let next = self.core(at + 1).filter(|_| piece.trail.is_empty()).unwrap_or("");
            piece.core.strip_suffix('m').and_then(parse_number).is_some_and(|amount| scaled(&amount, "m", next).is_some())
        })
    }

    /// True when the measure of `len` pieces at `index` stands between a determiner and a
    /// noun ("a 5V battery", "the 100m final"), where English says the unit in the singular.
    fn attributive(&self, index: usize, len: usize) -> bool {
        const DETERMINERS: &[&str] = &["a", "an", "the", "this", "that", "its", "his", "her", "their", "our", "each", "every", "another"];
        /// Words after a measure that show it is not a modifier ("the 5km was", "a 2m fall").
        const NOT_NOUNS: &[&str] = &[
            "is", "was", "are", "were", "be", "been", "has", "had", "of", "in", "on", "at", "to", "from", "and", "or",
            "that", "which", "per", "by", "for", "with", "as", "than", "long", "tall", "high", "wide", "deep", "away",
            "ago", "old", "more", "less", "further", "farther", "higher", "lower", "he", "she", "it", "they", "we",
            "i", "you", "each", "apiece", "a", "an", "the",
        ];
        // "a 4-year, $120M contract": a determiner before a list of modifiers.
        let listed = index.checked_sub(1).is_some_and(|before| {
            let modifier = &self.pieces[before];
            modifier.trail == "," && modifier.core.contains('-') && self.follows(before, DETERMINERS)
        });
        let determiner = self.follows(index, DETERMINERS) || listed;
        let last = &self.pieces[index + len - 1];
        let noun = self.core(index + len).is_some_and(|word| word.starts_with(|c: char| c.is_lowercase()) && !NOT_NOUNS.contains(&word));
        determiner && last.trail.is_empty() && noun
    }

    /// True when the word before piece `index` names things that have letters in their
    /// numbers ("Apartment 4C").
    fn label_before(&self, index: usize) -> bool {
        self.follows(index, LABEL_WORDS)
    }

    fn number(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        // "3 mn users", "2.1 trn yen": a short scale written apart.
        if let Some(scale) = self.core(index + 1).and_then(short_scale).filter(|_| piece.trail.is_empty()) {
            if let Some(amount) = parse_number(piece.core) {
                return Some((2, Semiotic::Scaled { amount, scale }));
            }
        }
        // Numbers to dial are said digit by digit: "call 911", "text 741741".
        const DIALED: &[&str] = &["call", "dial", "dialed", "dialled", "dialing", "dialling", "text", "texting"];
        let digits = |core: &str| core.len() >= 3 && core.bytes().all(|b| b.is_ascii_digit());
        // "call 911 or 999": the other number of the choice is dialed too.
        let dialed_before = index >= 2 && self.core(index - 1) == Some("or") && digits(self.pieces[index - 2].core) && self.follows(index - 2, DIALED);
        if digits(piece.core) && (self.follows(index, DIALED) || dialed_before) {
            return Some((1, Semiotic::Telephone(vec![piece.core.to_string()])));
        }
        // ZIP codes are said digit by digit: "ZIP code 90210", "ZIP codes 90210 and 90049".
        const ZIP: &[&str] = &["ZIP", "zip", "Zip"];
        let zip_before = |at: usize| {
            at >= 1 && (ZIP.contains(&self.pieces[at - 1].core) || (at >= 2 && ZIP.contains(&self.pieces[at - 2].core) && matches!(self.pieces[at - 1].core, "code" | "codes")))
        };
        let five_digits = |core: &str| core.len() == 5 && core.bytes().all(|b| b.is_ascii_digit());
        if five_digits(piece.core) && (zip_before(index) || (index >= 2 && matches!(self.pieces[index - 1].core, "and" | "or") && five_digits(self.pieces[index - 2].core) && zip_before(index - 2))) {
            return Some((1, Semiotic::Telephone(vec![piece.core.to_string()])));
        }
        // Roads with three-digit numbers and sections of laws are said in pairs: "Highway 101"
        // is one oh one, "Section 1983" nineteen eighty three. Matched as written: "gave us
        // 250" is not a road.
        const ROUTE_LABELS: &[&str] = &["Highway", "Hwy", "Route", "Rte", "Interstate", "U.S", "US", "SR"];
        const SECTION_LABELS: &[&str] = &["Section", "section", "Sec", "sec"];
        let label = index.checked_sub(1).map(|before| self.pieces[before]).filter(|label| matches!(label.trail, "" | "."));
        let paired = label.is_some_and(|label| {
            (ROUTE_LABELS.contains(&label.core) && piece.core.len() == 3) || (SECTION_LABELS.contains(&label.core) && (3..=4).contains(&piece.core.len()))
        });
        if paired && digits(piece.core) && !piece.core.starts_with('0') {
            return Some((1, Semiotic::Abbreviation(super::number::in_pairs(piece.core.parse().ok()?))));
        }
        // Bills are numbered in pairs of digits: "H.R. 3684" is "H R thirty six eighty four".
        const BILL_LABELS: &[&str] = &["H.R", "HR", "S", "H.Res", "S.Res", "H.J.Res", "S.J.Res"];
        let bill = digits(piece.core) && index.checked_sub(1).map(|before| self.pieces[before]).is_some_and(|label| {
            let dotted = label.dotted || label.core.ends_with('.') || label.trail.starts_with('.');
            BILL_LABELS.contains(&label.core.trim_end_matches('.')) && (dotted || label.core.len() > 1)
        });
        if bill && piece.core.len() <= 4 && !piece.core.starts_with('0') {
            return Some((1, Semiotic::Abbreviation(super::number::in_pairs(piece.core.parse().ok()?))));
        }
        // Batting averages and the like, written without a leading zero: ".310" is three ten,
        // ".500" five hundred.
        if let Some(thousandths) = piece.core.strip_prefix('.').filter(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')) {
            return Some((1, Semiotic::Abbreviation(super::number::in_pairs(thousandths.parse().ok()?))));
        }
        // "a .45 caliber pistol", "a .22-caliber rifle": the caliber in hundredths of an inch.
        if piece.core.starts_with('.') {
            let (written, joined) = match piece.core.strip_suffix("-caliber") {
                Some(written) => (written, " caliber"),
                None => (piece.core, ""),
            };
            let caliber = !joined.is_empty() || self.core(index + 1).is_some_and(|next| next.eq_ignore_ascii_case("caliber") || next.eq_ignore_ascii_case("cal"));
            if let Some(hundredths) = written.strip_prefix('.').filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) && caliber) {
                return Some((1, Semiotic::Abbreviation(format!("{}{joined}", super::number::cardinal(hundredths.parse().ok()?)))));
            }
        }
        let number = parse_number(piece.core)?;
        // "2 3/4": a whole number and a fraction.
        if let (Some(whole), Some(Semiotic::Fraction { whole: None, numerator, denominator })) =
            (number.value().filter(|_| piece.trail.is_empty() && number.fraction.is_none() && !number.negative), self.core(index + 1).and_then(single))
        {
            return Some((2, Semiotic::Fraction { whole: Some(whole), numerator, denominator }));
        }
        if number.fraction.is_none() && !number.negative && !piece.core.contains(',') && piece.core.len() == 4 {
            let value = number.value()?;
            if (1000..=2099).contains(&value) && self.reads_as_year(index) {
                return Some((1, Semiotic::Year(value)));
            }
        }
        Some((1, Semiotic::Cardinal(number)))
    }

    /// A bare four-digit number is a year unless a quantity word points the other way.
    fn reads_as_year(&self, index: usize) -> bool {
        const QUANTITY_BEFORE: &[&str] = &[
            "about", "around", "nearly", "almost", "some", "over", "under", "than", "exactly", "only",
            "approximately", "roughly", "least", "most", "total", "to", "additional", "another", "just",
        ];
        let before = index.checked_sub(1).and_then(|i| self.core(i)).unwrap_or("");
        // "from 2009 to 2017", "between 1990 and 1995": the second number of a span of years.
        let after_year = index.checked_sub(2).and_then(|i| self.pieces.get(i)).is_some_and(|p| {
            p.trail.is_empty() && year_number(p.core).is_some_and(|year| year <= 2099) && self.reads_as_year(index - 2)
        });
        if matches!(before, "to" | "and" | "through" | "until") && after_year {
            return true;
        }
        if QUANTITY_BEFORE.contains(&before.to_lowercase().as_str()) {
            return false;
        }
        // A number standing alone is a year only in the range years are usually written.
        if self.pieces.len() == 1 {
            return self.pieces[index].core.starts_with("19") || self.pieces[index].core.starts_with("20");
        }
        let after = self.core(index + 1).unwrap_or("");
        let counted = after.ends_with('s') && after.chars().all(|c| c.is_lowercase())
            && self.pieces[index].trail.is_empty()
            && !matches!(after, "as" | "is" | "was" | "has" | "this" | "its" | "his");
        !counted
    }

    fn roman(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let value = roman_value(piece.core)?;
        let before = index.checked_sub(1).and_then(|i| self.pieces.get(i))?;
        if !before.trail.is_empty() {
            return None;
        }
        let before_word = before.core;
        if REGNAL_NAMES.contains(&before_word) {
            return Some((1, Semiotic::Roman { value, regnal: true }));
        }
        if ROMAN_CONTEXT.iter().any(|word| word.eq_ignore_ascii_case(before_word)) {
            return Some((1, Semiotic::Roman { value, regnal: false }));
        }
        None
    }

    fn abbreviation(&self, index: usize) -> Found {
        // Multi-word titles first: "Lt. Col.", "Maj. Gen.".
        for words in (2..=self.data.max_abbreviation_words).rev() {
            let Some(span) = self.pieces.get(index..index + words) else { continue };
            if span.iter().all(|p| p.dotted) {
                let key = span.iter().map(|p| p.core).collect::<Vec<_>>().join(". ");
                if let Some((_, expansion)) = self.data.abbreviation(&key) {
                    return Some((words, Semiotic::Abbreviation(expansion.to_string())));
                }
            }
        }
        let piece = self.pieces[index];
        let initialism = |core: &str| core.contains('.') && single_letters(core);
        // "the U.K.'s", "J.K.'s": a dotted abbreviation in the possessive.
        if let Some(stem) = possessive_stem(piece.core).and_then(|stem| stem.strip_suffix('.')) {
            let spoken = match self.data.abbreviation(stem) {
                Some((AbbreviationKind::General, expansion)) => Some(expansion.to_string()),
                _ => initialism(stem).then(|| spell(&stem.to_uppercase())),
            };
            return spoken.map(|spoken| (1, Semiotic::Abbreviation(format!("{spoken}'s"))));
        }
        // "c. 1850": about, before a year or a number.
        if piece.core == "c" && piece.dotted && self.core(index + 1).is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())) {
            return Some((1, Semiotic::Abbreviation("circa".to_string())));
        }
        let previous = index.checked_sub(1).and_then(|i| self.pieces.get(i));
        let after_city = previous.is_some_and(|p| p.trail == "," && p.core.starts_with(char::is_uppercase));
        // "Trenton, N.J.,": AP's dotted form of a two-word state after a place and its comma
        // ("Washington, D.C." stays D C; "the N.Y. Times" and "N.C. State" stay letters).
        if piece.dotted && after_city && piece.core.contains('.') && piece.core != "D.C" {
            if let Some(state) = self.data.states.get(piece.core) {
                return Some((1, Semiotic::Abbreviation(state.clone())));
            }
        }
        let Some((kind, expansion)) = self.data.abbreviation(piece.core) else {
            // Any other initialism with periods is said letter by letter: "J.K.", "H.R.".
            return initialism(piece.core).then(|| (1, Semiotic::Spelled(spell(&piece.core.to_uppercase()))));
        };
        let next_capitalized = self.core(index + 1).is_some_and(|w| w.starts_with(char::is_uppercase));
        let next_is_number = self.core(index + 1).is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
        let previous_names_a_place = previous.is_some_and(|p| {
            p.trail.is_empty() && (p.core.starts_with(char::is_uppercase) || p.core.starts_with(|c: char| c.is_ascii_digit()))
        });
        let spoken = match piece.core {
            "St" | "st" if piece.dotted || next_capitalized => {
                if next_capitalized && !previous_names_a_place { "Saint" } else { "Street" }
            }
            "Dr" if previous_names_a_place && !next_capitalized => "Drive",
            "No" | "no" | "Nos" | "nos" if !(piece.dotted && next_is_number) => return None,
            // "Prop 50": a ballot measure's number; "Cat. 5", a hurricane's category. They are
            // words too ("a prop.", "the cat."): only before a number.
            "Prop" | "prop" | "Cat" | "cat" if next_is_number => expansion,
            "Prop" | "prop" | "Cat" | "cat" => return None,
            _ if kind == AbbreviationKind::State => {
                // "Ariz., Nev. and Ga.": most are nothing else; some are words or names too.
                let word_too = self.data.state_words.contains(piece.core);
                if !(piece.dotted && (after_city || !word_too)) {
                    return None;
                }
                expansion
            }
            // "in the 89th min.": the minute of a match, not a minimum.
            "min" if previous.is_some_and(|p| single(p.core).is_some_and(|s| matches!(s, Semiotic::Ordinal(_)))) => "minute",
            _ if piece.dotted => expansion,
            // Without its period only a title before a name, or "vs", is an abbreviation.
            _ if kind == AbbreviationKind::Title && next_capitalized && piece.core.len() <= 4
                && piece.core.starts_with(char::is_uppercase) && !matches!(piece.core, "Sen" | "Rep" | "Gen" | "Col" | "Maj" | "Mt" | "Ft" | "Fr" | "Sr" | "Jr" | "Lt" | "Det" | "Rev" | "Sv" | "Hon" | "Supt" | "Insp" | "Pres" | "Amb" | "Atty" | "Cmdr" | "Cpt" | "Capt" | "Sgt" | "Cpl" | "Pvt" | "Adm" | "Gov" | "Prof") => expansion,
            // A short form with a slash ("w/o", "n/a") is one with or without a period.
            _ if piece.core == "vs" || piece.core.contains(['/', ';']) => expansion,
            _ => return None,
        };
        Some((1, Semiotic::Abbreviation(spoken.to_string())))
    }

    /// An aircraft model after its maker: "737", "737-800", "787-9", "A321neo", "E190".
    fn model(&self, index: usize) -> Found {
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
        let mut words = vec![spell(&core[..letters]), super::number::in_pairs(number.parse().ok()?)];
        if let Some(variant) = variant {
            words.push(super::number::cardinal_digits(variant));
        }
        // "747-400s": the model in the plural.
        if suffix == "s" {
            let last = words.pop()?;
            words.push(super::number::plural(&last));
        } else if !suffix.is_empty() {
            words.push(if is_upper_word(suffix) && suffix.len() <= 3 && !data().say_acronyms.contains(suffix) { spell(suffix) } else { suffix.to_string() });
        }
        Some((1, Semiotic::Abbreviation(words.into_iter().filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" "))))
    }

    /// A stock symbol after its exchange and a colon: "(NYSE: GE)", "NASDAQ: AAPL".
    fn ticker(&self, index: usize) -> Found {
        let before = index.checked_sub(1).and_then(|i| self.pieces.get(i))?;
        let core = self.pieces[index].core;
        let symbol = core.chars().all(|c| c.is_ascii_uppercase() || c == '.') && (1..=6).contains(&core.len()) && core.starts_with(|c: char| c.is_ascii_uppercase());
        (before.trail == ":" && EXCHANGES.contains(&before.core) && symbol).then(|| (1, Semiotic::Spelled(spell(core))))
    }

    /// True when piece `index` comes right after one of `words`, written exactly so (or in
    /// the possessive: "Boeing's 737").
    fn follows_exactly(&self, index: usize, words: &[&str]) -> bool {
        let stem = |core: &'a str| possessive_stem(core).unwrap_or(core);
        index.checked_sub(1).and_then(|i| self.pieces.get(i)).is_some_and(|p| p.trail.is_empty() && words.contains(&stem(p.core)))
    }

    fn acronym(&self, index: usize) -> Found {
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
    fn acronym_word(&self, core: &str) -> Option<Semiotic> {
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

/// A lawmaker's party and state, as news copy writes them after the name: "D-Mass." ->
/// "Democrat of Massachusetts", "R-Ohio", "D-N.Y.", "I-VT" (the final period claimed).
fn affiliation(core: &str, data: &Data) -> Option<String> {
    let (party, state) = core.split_once('-')?;
    let party = match party {
        "D" => "Democrat",
        "R" => "Republican",
        "I" => "Independent",
        _ => return None,
    };
    let state = match data.abbreviation(state) {
        Some((AbbreviationKind::State, name)) => name,
        _ => data.states.get(state)?,
    };
    Some(format!("{party} of {state}"))
}

/// The word without its possessive ending ("NATO's" -> "NATO"), if it has one.
fn possessive_stem(word: &str) -> Option<&str> {
    word.strip_suffix("'s").or_else(|| word.strip_suffix("’s"))
}

fn is_upper_word(word: &str) -> bool {
    !word.is_empty() && word.chars().all(|c| c.is_ascii_uppercase())
}

fn title_case(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or_else(String::new, |first| first.to_string() + &chars.as_str().to_lowercase())
}

/// An unknown all-capitals word can be said when it alternates vowels and consonants enough.
fn pronounceable(word: &str) -> bool {
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

/// Single-piece classes that need no context: ordinals, percentages, fractions, decades.
fn single(core: &str) -> Option<Semiotic> {
    // "No.1": the number sign glued to its number.
    if let Some(digits) = core.strip_prefix("No.").or_else(|| core.strip_prefix("no.")).filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
        return Some(Semiotic::Abbreviation(format!("number {}", super::number::cardinal_digits(digits))));
    }
    if let Some(percent) = core.strip_suffix('%').or_else(|| core.strip_suffix("pc")) {
        return parse_number(percent).map(Semiotic::Percent);
    }
    if let Some(fraction) = vulgar_fraction(core) {
        return Some(fraction);
    }
    if let Some((feet, inches)) = height(core) {
        return Some(Semiotic::Abbreviation(format!("{} foot {}", super::number::cardinal_digits(feet), super::number::cardinal_digits(inches))));
    }
    // The world wars: "WWII", "WW2's".
    let (stem, possessive) = possessive_stem(core).map_or((core, ""), |stem| (stem, "'s"));
    let war = match stem {
        "WWI" | "WW1" => Some("One"),
        "WWII" | "WW2" => Some("Two"),
        _ => None,
    };
    if let Some(war) = war {
        return Some(Semiotic::Abbreviation(format!("World War {war}{possessive}")));
    }
    // Period-on-period changes: "up 2% y/y".
    let compared = match core {
        "y/y" | "Y/Y" | "YoY" | "yoy" | "y-o-y" => Some("year on year"),
        "q/q" | "Q/Q" | "QoQ" | "qoq" | "q-o-q" => Some("quarter on quarter"),
        "m/m" | "M/M" | "MoM" | "mom" | "m-o-m" => Some("month on month"),
        "YTD" | "ytd" => Some("year to date"),
        // A poll's margin of error: "(MoE ±3.1)".
        "MoE" => Some("margin of error"),
        _ => None,
    };
    if let Some(said) = compared.filter(|_| core != "mom") {
        return Some(Semiotic::Abbreviation(said.to_string()));
    }
    // Ratios and odds: "3:1" (a clock time has two digits of minutes).
    if let Some((left, right)) = core.split_once(':') {
        let digits = |part: &str| (1..=3).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
        if digits(left) && digits(right) && right.len() == 1 {
            return Some(Semiotic::Abbreviation(format!("{} to {}", super::number::cardinal_digits(left), super::number::cardinal_digits(right))));
        }
    }
    if let Some((numerator, denominator)) = core.split_once('/') {
        let numerator: u64 = numerator.parse().ok()?;
        let denominator: u64 = denominator.parse().ok()?;
        // Proper fractions with the denominators fractions are written with; otherwise two
        // numbers ("24/7", "50/50", "9/11").
        let denominators = denominator <= 10 || matches!(denominator, 12 | 16 | 32 | 64 | 100);
        if (2..=100).contains(&denominator) && numerator > 0 && numerator < denominator && denominators {
            return Some(Semiotic::Fraction { whole: None, numerator, denominator });
        }
        if numerator > 0 && denominator > 0 && numerator <= 9999 && denominator <= 9999 {
            return Some(Semiotic::Abbreviation(format!("{} {}", super::number::cardinal(numerator), super::number::cardinal(denominator))));
        }
        return None;
    }
    // "in '21", "the '05 season": a year with its century left out.
    if let Some(short) = core.strip_prefix(['\'', '’']).filter(|short| short.len() == 2 && short.bytes().all(|b| b.is_ascii_digit())) {
        return match short.parse::<u64>().ok()? {
            0 => None,
            year @ 1..=9 => Some(Semiotic::Abbreviation(format!("oh {}", super::number::cardinal(year)))),
            year => Some(Semiotic::Abbreviation(super::number::cardinal(year))),
        };
    }
    for suffix in ["st", "nd", "rd", "th"] {
        if let Some(digits) = core.strip_suffix(suffix) {
            let clean: String = digits.chars().filter(|c| *c != ',').collect();
            if !clean.is_empty() && clean.chars().all(|c| c.is_ascii_digit()) {
                return clean.parse().ok().map(Semiotic::Ordinal);
            }
        }
    }
    if let Some(digits) = core.strip_suffix('s').or_else(|| core.strip_suffix("'s")) {
        if let Some(short) = digits.strip_prefix(['\'', '’']) {
            if short.len() == 2 && short.ends_with('0') {
                return short.parse().ok().map(|year| Semiotic::Decade { year, short: true });
            }
        }
        if digits.len() == 4 && digits.ends_with('0') && digits.chars().all(|c| c.is_ascii_digit()) {
            return digits.parse().ok().map(|year| Semiotic::Decade { year, short: false });
        }
    }
    None
}

/// A height in feet and inches, "6'2" (its inch mark is trailing punctuation): the feet and
/// the inches.
pub fn height(core: &str) -> Option<(&str, &str)> {
    let (feet, inches) = core.split_once(['\'', '’', '′'])?;
    let digits = |part: &str, most: usize| (1..=most).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    (digits(feet, 1) && digits(inches, 2) && inches.parse::<u64>().is_ok_and(|n| n < 12)).then_some((feet, inches))
}

fn vulgar_fraction(core: &str) -> Option<Semiotic> {
    const VULGAR: &[(char, u64, u64)] = &[
        ('½', 1, 2), ('⅓', 1, 3), ('⅔', 2, 3), ('¼', 1, 4), ('¾', 3, 4), ('⅕', 1, 5), ('⅖', 2, 5),
        ('⅗', 3, 5), ('⅘', 4, 5), ('⅙', 1, 6), ('⅚', 5, 6), ('⅛', 1, 8), ('⅜', 3, 8), ('⅝', 5, 8), ('⅞', 7, 8),
    ];
    let last = core.chars().last()?;
    let &(_, numerator, denominator) = VULGAR.iter().find(|(c, _, _)| *c == last)?;
    let whole_text = &core[..core.len() - last.len_utf8()];
    let whole = if whole_text.is_empty() { None } else { Some(whole_text.parse().ok()?) };
    Some(Semiotic::Fraction { whole, numerator, denominator })
}

fn symbol(core: &str) -> Option<Semiotic> {
    let word = match core {
        "&" => "and",
        "+" => "plus",
        "~" | "≈" => "roughly",
        ">" => "more than",
        "<" => "less than",
        "≥" => "at least",
        "≤" => "at most",
        "±" => "plus or minus",
        "=" => "equals",
        "@" => "at",
        "#" => "number",
        "%" => "percent",
        "×" => "by",
        "°" => "degrees",
        "—" | "–" | "-" | "--" => ",",
        "/" => "or",
        "§" => "section",
        "€" => "euros",
        "$" => "dollars",
        "£" => "pounds",
        _ => return None,
    };
    Some(Semiotic::Symbol(word))
}

/// Two words joined by a slash: "he/she" and "and/or" are said with "or", two names
/// ("a Reuters/Ipsos poll") one after the other, and a rate unit ("in km/h") in words.
fn slashed(core: &str, data: &Data) -> Option<String> {
    let (left, right) = core.split_once('/')?;
    if let Some(names) = data.units.get(core) {
        return Some(names[1].clone());
    }
    // Capitals alone are letters: "a P/E ratio", "the A/C".
    let capital = |part: &str| part.len() == 1 && part.bytes().all(|b| b.is_ascii_uppercase());
    if capital(left) && capital(right) {
        return Some(format!("{left} {right}"));
    }
    // One letter a side is a short form ("w/o", "n/a"), not two words.
    let word = |part: &str| part.chars().count() >= 2 && part.chars().all(|c| c.is_alphabetic() || c == '-' || c == '\'');
    if !word(left) || !word(right) {
        return None;
    }
    let lower = |part: &str| part.chars().all(|c| !c.is_uppercase());
    let name = |part: &str| part.starts_with(char::is_uppercase) && part.chars().any(char::is_lowercase);
    if (left, right) == ("and", "or") {
        Some("and or".to_string())
    } else if lower(left) && lower(right) {
        Some(format!("{left} or {right}"))
    } else if name(left) && name(right) {
        Some(format!("{left} {right}"))
    } else {
        None
    }
}

/// True when every part between the periods of `text` is one letter ("U.S", "J.K").
fn single_letters(text: &str) -> bool {
    text.split('.').all(|letter| letter.chars().count() == 1 && letter.chars().all(char::is_alphabetic))
}

/// A hyphenated compound with a dotted initialism in it, "U.S.-China", "U.K.-based",
/// "Sino-U.S.": the initialisms spelled, the words kept.
fn dotted_compound(core: &str) -> Option<String> {
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

/// Words with digits or symbols inside: "COVID-19", "F-16", "G7", "AT&T", "#1", "5-year-old".
fn mixed(core: &str) -> Option<Semiotic> {
    let has_digit = core.chars().any(|c| c.is_ascii_digit());
    let has_symbol = core.contains('&') || core.starts_with('#') || core.contains('+');
    if !has_digit && !has_symbol {
        return None;
    }
    // Multiples: "3x the average", "1.5x".
    if let Some(number) = core.strip_suffix(['x', 'X', '×']).and_then(parse_number) {
        return Some(Semiotic::Abbreviation(format!("{} times", number.words())));
    }
    // Dimensions: "4x4", "1920x1080".
    if let Some((width, height)) = core.split_once(['x', '×']) {
        let digits = |part: &str| !part.is_empty() && part.len() <= 5 && part.chars().all(|c| c.is_ascii_digit());
        if digits(width) && digits(height) {
            // Screen sizes are said in pairs of digits: "1920x1080", nineteen twenty by ten eighty.
            let said = |part: &str| match part.parse::<u64>() {
                Ok(value) if (3..=4).contains(&part.len()) && !part.starts_with('0') && value % 1000 != 0 => super::number::in_pairs(value),
                _ => super::number::cardinal_digits(part),
            };
            return Some(Semiotic::Abbreviation(format!("{} by {}", said(width), said(height))));
        }
    }
    // "2020's", "1990s'": a number in the possessive.
    if let Some(stem) = possessive_stem(core).filter(|stem| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit())) {
        let said = match year_number(stem).filter(|&year| year <= 2099) {
            Some(year) => super::number::year(year),
            None => super::number::cardinal_digits(stem),
        };
        return Some(Semiotic::Abbreviation(format!("{said}'s")));
    }
    // "COVID-19's", "F-35's": the rest in the possessive, with no space before the 's.
    if let Some(said) = possessive_stem(core).filter(|stem| !stem.is_empty()).and_then(mixed) {
        return Some(Semiotic::Abbreviation(format!("{}'s", said.verbalize())));
    }
    // "post-9/11", "9/11-era": the attacks' date, said as a name inside a compound.
    if let Some((before, after)) = core.split_once("9/11").filter(|(before, after)| (before.ends_with('-') || before.is_empty()) && (after.starts_with('-') || after.is_empty()) && before.len() + after.len() > 0) {
        let part = |text: &str| {
            let text = text.trim_matches('-');
            mixed(text).map_or_else(|| text.to_string(), |said| said.verbalize())
        };
        let said: Vec<String> = [part(before), "nine eleven".to_string(), part(after)].into_iter().filter(|word| !word.is_empty()).collect();
        return Some(Semiotic::Abbreviation(said.join(" ")));
    }
    let mut words: Vec<String> = Vec::new();
    if let Some(rest) = core.strip_prefix('#') {
        words.push(if rest.starts_with(|c: char| c.is_ascii_digit()) { "number" } else { "hashtag" }.to_string());
        words.push(mixed(rest).map_or_else(|| rest.to_string(), |s| s.verbalize()));
        return Some(Semiotic::Abbreviation(words.join(" ")));
    }
    // Split into runs of letters and digits; hyphens and other joiners separate runs.
    let mut run = String::new();
    let mut runs: Vec<String> = Vec::new();
    let chars: Vec<char> = core.chars().collect();
    // Whether the run ends with a comma inside a number.
    let mut grouping = false;
    for (at, &c) in chars.iter().enumerate() {
        // A decimal point between digits stays in its number ("7.8-magnitude"), and so does a
        // comma before a group of three digits ("2,500-year-old", "1,000+").
        let digit = |at: usize| chars.get(at).is_some_and(char::is_ascii_digit);
        let after_digit = run.ends_with(|l: char| l.is_ascii_digit());
        let in_number = after_digit && match c {
            // "a 1/2-inch pipe": a fraction stays whole.
            '.' | '/' => digit(at + 1),
            ',' => (1..=3).all(|k| digit(at + k)) && !digit(at + 4),
            _ => false,
        };
        let digit_like = |c: char| c.is_ascii_digit() || c == '.' || c == '/';
        let last_digit_like = grouping || run.chars().last().is_some_and(digit_like);
        let boundary = !in_number && !run.is_empty() && digit_like(c) != last_digit_like;
        grouping = in_number && c == ',';
        // Brackets separate the parts of a reference: "501(c)(3)", "Rule 11(b)(2)".
        // A slash between words separates them: "S&P/TSX".
        let separator = matches!(c, '-' | '&' | '+' | '(' | ')') || (c == '/' && !in_number);
        if separator || boundary {
            if !run.is_empty() {
                runs.push(std::mem::take(&mut run));
            }
            match c {
                '&' => runs.push("and".to_string()),
                '+' => runs.push("plus".to_string()),
                _ => {}
            }
            if !separator {
                run.push(c);
            }
        } else {
            run.push(c);
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    let lettered = runs.iter().any(|run| run.chars().any(char::is_alphabetic));
    let mut previous_digits = false;
    let mut previous_run = String::new();
    // A number before a word ("a 120-page report") is a count, not a code ("I-405", "221B").
    let before_word: Vec<bool> = (0..runs.len()).map(|at| runs.get(at + 1).is_some_and(|next| next.len() >= 3 && next.chars().all(|c| c.is_ascii_lowercase()))).collect();
    for (at, run) in runs.into_iter().enumerate() {
        let digits = run.starts_with(|c: char| c.is_ascii_digit());
        // "2nd-degree", "21st-century": the number as an ordinal.
        if previous_digits && matches!(run.to_ascii_lowercase().as_str(), "st" | "nd" | "rd" | "th") {
            if let Some(Semiotic::Ordinal(n)) = single(&format!("{previous_run}{}", run.to_ascii_lowercase())) {
                words.pop();
                words.push(super::number::ordinal(n));
                previous_digits = false;
                continue;
            }
        }
        previous_run.clone_from(&run);
        // "49ers", "76ers": forty niners, seventy sixers.
        if run == "ers" && previous_digits {
            if let Some(last) = words.pop() {
                words.push(format!("{}ers", last.strip_suffix('e').unwrap_or(&last)));
            }
            previous_digits = false;
            continue;
        }
        // "F-35s": the number in the plural.
        if run == "s" && previous_digits {
            if let Some(last) = words.pop() {
                words.push(super::number::plural(&last));
            }
            previous_digits = false;
            continue;
        }
        previous_digits = digits;
        if let Some(fraction) = run.contains('/').then(|| single(&run)).flatten().filter(|_| digits) {
            words.push(fraction.verbalize());
        } else if run.contains('.') && digits {
            // "2.4.1": a version, each part a number; "10.0.0.1": an IP address, said with "dot".
            let octets: Vec<&str> = run.split('.').collect();
            let address = octets.len() == 4 && octets.iter().all(|octet| (1..=3).contains(&octet.len()) && octet.parse::<u16>().is_ok_and(|value| value <= 255));
            let separator = if address { " dot " } else { " point " };
            // An address's parts are said in pairs, as people read them: "one ninety two".
            let part_words = |part: &&str| match part.parse::<u64>() {
                Ok(value) if address => super::number::in_pairs(value),
                _ if part.is_empty() => String::new(),
                _ => super::number::cardinal_digits(part),
            };
            let parts = || octets.iter().map(part_words).collect::<Vec<_>>().join(separator);
            words.push(parse_number(&run).map_or_else(parts, |number| number.words()));
        } else if digits && run.contains(',') {
            words.push(parse_number(&run).map_or_else(|| super::number::cardinal_digits(&run.replace(',', "")), |number| number.words()));
        } else if run.chars().all(|c| c.is_ascii_digit()) {
            // A year after letters: "FY2025", "Q3 2026" is said as a year; three digits in a
            // code are said in pairs: "I-405" four oh five, "AA123" one twenty three.
            let year = year_number(&run).filter(|year| lettered && (1900..=2099).contains(year));
            let paired = (lettered && !before_word[at] && run.len() == 3 && !run.starts_with('0')).then(|| run.parse().ok()).flatten().map(super::number::in_pairs);
            words.push(year.map(super::number::year).or(paired).unwrap_or_else(|| super::number::cardinal_digits(&run)));
        } else if is_upper_word(&run) && data().say_acronyms.contains(&run) {
            words.push(title_case(&run));
        } else if is_upper_word(&run) {
            words.push(spell(&run));
        } else {
            words.push(run);
        }
    }
    Some(Semiotic::Abbreviation(words.join(" ")))
}

/// "5:24pm" -> ("5:24", p m); "5pm" -> ("5", p m).
fn split_suffix(core: &str) -> (&str, Option<&'static str>) {
    let lower = core.to_ascii_lowercase();
    for (ending, spoken) in [("a.m.", "a m"), ("p.m.", "p m"), ("a.m", "a m"), ("p.m", "p m"), ("am", "a m"), ("pm", "p m")] {
        if lower.ends_with(ending) && core.len() > ending.len() {
            let clock = &core[..core.len() - ending.len()];
            if clock.chars().all(|c| c.is_ascii_digit() || c == ':') {
                return (clock, Some(spoken));
            }
        }
    }
    (core, None)
}

fn meridiem(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().trim_end_matches('.') {
        "am" | "a.m" => Some("a m"),
        "pm" | "p.m" => Some("p m"),
        _ => None,
    }
}

/// Scale letters glued to a number, and the scale each names: "1.5bn", "£20m", "300K".
const SCALE_SUFFIXES: &[(&str, &str)] = &[
    ("bn", "billion"), ("tn", "trillion"), ("trn", "trillion"), ("mn", "million"), ("m", "million"), ("k", "thousand"),
    ("K", "thousand"), ("M", "million"), ("B", "billion"),
];

/// A case or docket number as said, its parts in pairs of digits: "23-1045" is "twenty three
/// dash ten forty five"; a federal one, "1:24-cr-00123" (office, year, kind, number, and
/// perhaps a judge's initials), "one twenty four C R one twenty three".
fn docket_number(core: &str) -> Option<String> {
    let digits = |text: &str, lengths: std::ops::RangeInclusive<usize>| lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    let pairs = |text: &str| super::number::in_pairs(text.parse().unwrap_or_default());
    if let Some((office, rest)) = core.split_once(':') {
        let parts: Vec<&str> = rest.split('-').collect();
        let [year, kind, number, ..] = parts[..] else { return None };
        let federal = digits(office, 1..=2) && digits(year, 2..=2) && (2..=3).contains(&kind.len()) && kind.bytes().all(|b| b.is_ascii_alphabetic()) && digits(number, 1..=6);
        let mut said = vec![pairs(office), pairs(year), spell(&kind.to_uppercase()), pairs(number)];
        said.extend(parts[3..].iter().map(|initials| spell(&initials.to_uppercase())));
        return federal.then(|| said.join(" "));
    }
    let parts: Vec<&str> = core.split('-').collect();
    (parts.len() >= 2 && parts.iter().all(|part| digits(part, 1..=4))).then(|| parts.iter().map(|part| pairs(part)).collect::<Vec<_>>().join(" dash "))
}

/// A scale's short form that is nothing else when written apart from its number ("bn";
/// not "m" or "k", which are meters and thousands or letters).
fn short_scale(word: &str) -> Option<&'static str> {
    match word {
        "bn" | "bln" => Some("billion"),
        "mn" | "mln" => Some("million"),
        "trn" => Some("trillion"),
        _ => None,
    }
}

/// An amount of money with its scale glued on: "1.5bn" -> ("1.5", billion). After a currency
/// sign, "T" is trillions too ("$3T"); glued to a bare number it is a unit ("a 3T scanner").
fn split_scale(text: &str) -> (&str, Option<&'static str>) {
    for &(suffix, scale) in SCALE_SUFFIXES.iter().chain(&[("T", "trillion")]) {
        if let Some(number) = text.strip_suffix(suffix) {
            if parse_number(number).is_some() {
                return (number, Some(scale));
            }
        }
    }
    (text, None)
}

fn range_part(text: &str) -> Option<Semiotic> {
    if let Some(percent) = text.strip_suffix('%') {
        return parse_number(percent).map(Semiotic::Percent);
    }
    for (symbol, currency) in &data().currency_symbols {
        if let Some(amount) = text.strip_prefix(symbol.as_str()) {
            let (amount, scale) = split_scale(amount);
            return parse_number(amount).map(|amount| Semiotic::Money { amount, scale: scale.map(str::to_string), currency: currency.clone() });
        }
    }
    // "9:30", "6am", "5:30pm".
    let (clock, suffix) = split_suffix(text);
    if let Some(time) = clock.split_once(':').filter(|(h, m)| h.len() <= 2 && m.len() == 2) {
        let (hour, minute) = (time.0.parse().ok()?, time.1.parse().ok()?);
        return (hour <= 24 && minute < 60).then_some(Semiotic::Time { hour, minute, second: None, suffix, zone: None });
    }
    if suffix.is_some() {
        let hour: u64 = clock.parse().ok()?;
        return (1..=12).contains(&hour).then_some(Semiotic::Time { hour, minute: 0, second: None, suffix, zone: None });
    }
    let number = parse_number(text)?;
    if number.negative {
        return None;
    }
    if text.len() == 4 && number.fraction.is_none() && !text.contains(',') {
        let value = number.value()?;
        if (1000..=2099).contains(&value) {
            return Some(Semiotic::Year(value));
        }
    }
    Some(Semiotic::Cardinal(number))
}

/// A day of the month: "29", "29th", "1st".
fn day_number(core: &str) -> Option<u64> {
    let digits = core.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &core[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

fn year_number(core: &str) -> Option<u64> {
    (core.len() == 4 && core.chars().all(|c| c.is_ascii_digit()))
        .then(|| core.parse().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

fn iso_date(core: &str) -> Option<(u64, u8, u64)> {
    let parts: Vec<&str> = core.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return None;
    }
    let (year, month, day) = (parts[0].parse().ok()?, parts[1].parse::<u8>().ok()?, parts[2].parse::<u64>().ok()?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// "14,000", "-5", "3.14", ".5", "1,234.56" -> a [`Number`]; grouping commas must be in threes.
pub fn parse_number(text: &str) -> Option<Number> {
    let (negative, text) = match text.strip_prefix(['-', '−']) {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (integer_text, fraction) = match text.split_once('.') {
        Some((integer, fraction)) => {
            if fraction.is_empty() || !fraction.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            (integer, Some(fraction.to_string()))
        }
        None => (text, None),
    };
    if integer_text.is_empty() && fraction.is_none() {
        return None;
    }
    if integer_text.contains(',') {
        let groups: Vec<&str> = integer_text.split(',').collect();
        let first_ok = (1..=3).contains(&groups[0].len());
        if !first_ok || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
    }
    let integer: String = integer_text.chars().filter(|c| *c != ',').collect();
    if !integer.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(Number { negative, integer, fraction })
}

/// The value of a well-formed Roman numeral ("XIV" -> 14); None for anything else.
pub fn roman_value(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 12 || !text.chars().all(|c| "IVXLCDM".contains(c)) {
        return None;
    }
    let value_of = |c: char| match c {
        'I' => 1, 'V' => 5, 'X' => 10, 'L' => 50, 'C' => 100, 'D' => 500, _ => 1000,
    };
    let values: Vec<i64> = text.chars().map(value_of).collect();
    let mut total: i64 = 0;
    for (at, &value) in values.iter().enumerate() {
        // A smaller numeral before a larger one is subtracted: "IV" = 5 - 1.
        if values.get(at + 1).is_some_and(|&next| next > value) {
            total -= value;
        } else {
            total += value;
        }
    }
    let total = u64::try_from(total).ok()?;
    // Reject non-canonical spellings ("IIII", "VX") by writing the value back.
    (to_roman(total).as_deref() == Some(text)).then_some(total)
}

fn to_roman(mut value: u64) -> Option<String> {
    if value == 0 || value > 3999 {
        return None;
    }
    const TABLE: &[(u64, &str)] = &[
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ];
    let mut out = String::new();
    for &(amount, letters) in TABLE {
        while value >= amount {
            out.push_str(letters);
            value -= amount;
        }
    }
    Some(out)
}

/// Units that are also words or letters ("5 in the morning", "Plan B"): they count only
/// glued to the number ("5in", "64B").
fn ambiguous_unit(unit: &str) -> bool {
    matches!(unit, "in" | "t" | "s" | "h" | "C" | "F" | "K" | "V" | "W" | "B" | "L" | "l" | "ms" | "kn" | "kt" | "cc" | "ac" | "ha" | "ed" | "°")
}

/// A measure; an attributive one ("a five kilometer race") is said in the singular.
fn measure(amount: Number, names: &[String; 2], attributive: bool) -> Semiotic {
    let plural = if attributive { &names[0] } else { &names[1] };
    Semiotic::Measure { amount, singular: names[0].clone(), plural: plural.clone() }
}

/// A number with a scale letter glued to it, before the word `next`: "1.5bn", "300K", "4.5M",
/// "2B", "20m viewers" (but "5m tall" is meters, and "a 5K run" the letter).
fn scaled(amount: &Number, suffix: &str, next: &str) -> Option<Semiotic> {
    let &(_, scale) = SCALE_SUFFIXES.iter().find(|(written, _)| *written == suffix)?;
    match suffix {
        "K" | "k" if RACE_WORDS.contains(&next) => return Some(Semiotic::Abbreviation(format!("{} K", amount.words()))),
        // "4K TV", "8K video": a resolution.
        "K" if DISPLAY_WORDS.contains(&next) && amount.value().is_some_and(|value| value <= 16) => return Some(Semiotic::Abbreviation(format!("{} K", amount.words()))),
        // Glued to a bare number, "m" is meters unless a plural noun follows.
        "m" => {
            let plural_noun = next.len() > 3 && next.ends_with('s') && next.chars().all(|c| c.is_ascii_alphabetic());
            if !(plural_noun || matches!(next, "people" | "children" | "men" | "women")) || METER_WORDS.contains(&next) {
                return None;
            }
        }
        _ => {}
    }
    Some(Semiotic::Scaled { amount: amount.clone(), scale })
}
