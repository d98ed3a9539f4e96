//! Plain numbers: cardinals, ordinals, decimals, years, scales ("3m"), docket numbers.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    /// "million" after the piece at `index`, when nothing but a space separates them; also
    /// the short forms that are nothing else spaced ("€4.5 bn", "$3 mn"; not "m" or "k").
    pub(super) fn scale_at(&self, index: usize) -> Option<String> {
        let next = self.core(index + 1)?;
        let scale = short_scale(next).or_else(|| SCALES.iter().find(|scale| **scale == next).copied())?;
        self.pieces[index].trail.is_empty().then(|| scale.to_string())
    }

    /// True when a number with a glued "m" before piece `index` counts millions ("20m viewers").
    pub(super) fn millions_before(&self, index: usize) -> bool {
        (0..index).any(|at| {
            let piece = self.pieces[at];
            let next = self.core(at + 1).filter(|_| piece.trail.is_empty()).unwrap_or("");
            piece.core.strip_suffix('m').and_then(parse_number).is_some_and(|amount| scaled(&amount, "m", next).is_some())
        })
    }

    /// True when the word before piece `index` names things that have letters in their
    /// numbers ("Apartment 4C").
    pub(super) fn label_before(&self, index: usize) -> bool {
        self.follows(index, LABEL_WORDS)
    }

    /// Whether a street address follows piece `index` (a house number): perhaps a compass
    /// point, then up to three names or ordinals, then a street word ("N. 5th St.",
    /// "Lakeview Dr.", "Pennsylvania Avenue").
    pub(super) fn street_follows(&self, index: usize) -> bool {
        if !self.pieces[index].trail.is_empty() {
            return false;
        }
        let mut at = index + 1;
        if self.core(at).is_some_and(|core| self.data.compass.contains_key(core)) {
            at += 1;
        }
        let start = at;
        while at < self.pieces.len() && at - start < 4 {
            let piece = self.pieces[at];
            if at > start && self.data.street_words.contains(piece.core) {
                return true;
            }
            let named = piece.core.starts_with(char::is_uppercase) || single(piece.core).is_some_and(|s| matches!(s, Semiotic::Ordinal(_)));
            if !named || !piece.trail.is_empty() && !piece.dotted {
                return false;
            }
            at += 1;
        }
        false
    }

    /// "Fresno, CA 93711", "Austin, Texas 78701-1234": a ZIP code after a state, said digit
    /// by digit.
    pub(super) fn zip_code(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        let five_digits = |core: &str| core.len() == 5 && core.bytes().all(|b| b.is_ascii_digit());
        let zip_plus_four = core.len() == 10 && five_digits(&core[..5]) && core.as_bytes()[5] == b'-' && core[6..].bytes().all(|b| b.is_ascii_digit());
        if !(five_digits(core) || zip_plus_four) {
            return None;
        }
        let state = self.pieces[index.checked_sub(1)?];
        let after_state = matches!(state.trail, "" | ",") && (self.data.states.contains_key(state.core) || self.data.states.values().any(|name| name == state.core));
        after_state.then(|| (1, Semiotic::Telephone(core.split('-').map(str::to_string).collect())))
    }

    pub(super) fn number(&self, index: usize) -> Found {
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
        // "007", "02139": a number written with a leading zero is a code, said digit by digit.
        if piece.core.len() >= 2 && piece.core.starts_with('0') && piece.core.bytes().all(|b| b.is_ascii_digit()) {
            return Some((1, Semiotic::Telephone(vec![piece.core.to_string()])));
        }
        // "912 N. 5th St.", "1205 Lakeview Dr.": a house number is said in pairs of digits.
        if digits(piece.core) && piece.core.len() <= 4 && !piece.core.starts_with('0') && self.street_follows(index) {
            return Some((1, Semiotic::Abbreviation(crate::normalize::number::in_pairs(piece.core.parse().ok()?))));
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
            return Some((1, Semiotic::Abbreviation(crate::normalize::number::in_pairs(piece.core.parse().ok()?))));
        }
        // Bills are numbered in pairs of digits: "H.R. 3684" is "H R thirty six eighty four".
        const BILL_LABELS: &[&str] = &["H.R", "HR", "S", "H.Res", "S.Res", "H.J.Res", "S.J.Res"];
        let bill = digits(piece.core) && index.checked_sub(1).map(|before| self.pieces[before]).is_some_and(|label| {
            let dotted = label.dotted || label.core.ends_with('.') || label.trail.starts_with('.');
            BILL_LABELS.contains(&label.core.trim_end_matches('.')) && (dotted || label.core.len() > 1)
        });
        if bill && piece.core.len() <= 4 && !piece.core.starts_with('0') {
            return Some((1, Semiotic::Abbreviation(crate::normalize::number::in_pairs(piece.core.parse().ok()?))));
        }
        // Batting averages and the like, written without a leading zero: ".310" is three ten,
        // ".500" five hundred.
        if let Some(thousandths) = piece.core.strip_prefix('.').filter(|d| d.len() == 3 && d.bytes().all(|b| b.is_ascii_digit()) && !d.starts_with('0')) {
            return Some((1, Semiotic::Abbreviation(crate::normalize::number::in_pairs(thousandths.parse().ok()?))));
        }
        // "a .45 caliber pistol", "a .22-caliber rifle": the caliber in hundredths of an inch.
        if piece.core.starts_with('.') {
            let (written, joined) = match piece.core.strip_suffix("-caliber") {
                Some(written) => (written, " caliber"),
                None => (piece.core, ""),
            };
            let caliber = !joined.is_empty() || self.core(index + 1).is_some_and(|next| next.eq_ignore_ascii_case("caliber") || next.eq_ignore_ascii_case("cal"));
            if let Some(hundredths) = written.strip_prefix('.').filter(|d| d.len() == 2 && d.bytes().all(|b| b.is_ascii_digit()) && caliber) {
                return Some((1, Semiotic::Abbreviation(format!("{}{joined}", crate::normalize::number::cardinal(hundredths.parse().ok()?)))));
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
    pub(super) fn reads_as_year(&self, index: usize) -> bool {
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
}

/// Scale words said after an amount; "lakh" and "crore" are the Indian hundred thousand and ten million.
pub(super) const SCALES: &[&str] = &["thousand", "million", "billion", "trillion", "lakh", "crore"];

/// Words before a number that make a letter glued to it a label ("Apartment 4C", "Gate 12F",
/// "Route 9W"), not a unit.
pub(super) const LABEL_WORDS: &[&str] = &[
    "apartment", "apt", "flat", "suite", "room", "unit", "floor", "level", "block", "building", "gate",
    "terminal", "platform", "pier", "berth", "hangar", "bay", "row", "seat", "section", "box", "stand",
    "lot", "locker", "cell", "ward", "studio", "route", "highway", "interstate", "road", "bus", "train",
    "flight", "type", "model", "grade", "form", "group", "zone", "sector", "district", "precinct",
    "figure", "table", "exhibit", "court", "hall", "wing", "door", "space", "track", "stage", "category",
];

pub(super) fn vulgar_fraction(core: &str) -> Option<Semiotic> {
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

/// "5:24pm" -> ("5:24", p m); "5pm" -> ("5", p m).
pub(super) fn split_suffix(core: &str) -> (&str, Option<&'static str>) {
    let lower = core.to_ascii_lowercase();
    for (ending, spoken) in [("a.m.", "a m"), ("p.m.", "p m"), ("a.m", "a m"), ("p.m", "p m"), ("am", "a m"), ("pm", "p m")] {
        if lower.ends_with(ending) && core.len() > ending.len() {
            let clock = &core[..core.len() - ending.len()];
            if clock.chars().all(|c| c.is_ascii_digit() || c == ':' || c == '.') {
                return (clock, Some(spoken));
            }
        }
    }
    (core, None)
}

/// A case or docket number as said, its parts in pairs of digits: "23-1045" is "twenty three
/// dash ten forty five"; a federal one, "1:24-cr-00123" (office, year, kind, number, and
/// perhaps a judge's initials), "one twenty four C R one twenty three".
pub(super) fn docket_number(core: &str) -> Option<String> {
    let digits = |text: &str, lengths: std::ops::RangeInclusive<usize>| lengths.contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit());
    let pairs = |text: &str| crate::normalize::number::in_pairs(text.parse().unwrap_or_default());
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
pub(super) fn short_scale(word: &str) -> Option<&'static str> {
    match word {
        "bn" | "bln" => Some("billion"),
        "mn" | "mln" => Some("million"),
        "trn" => Some("trillion"),
        _ => None,
    }
}

/// An amount of money with its scale glued on: "1.5bn" -> ("1.5", billion). After a currency
/// sign, "T" is trillions too ("$3T"); glued to a bare number it is a unit ("a 3T scanner").
pub(super) fn split_scale(text: &str) -> (&str, Option<&'static str>) {
    for &(suffix, scale) in SCALE_SUFFIXES.iter().chain(&[("T", "trillion")]) {
        if let Some(number) = text.strip_suffix(suffix) {
            if parse_number(number).is_some() {
                return (number, Some(scale));
            }
        }
    }
    (text, None)
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
