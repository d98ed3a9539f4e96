//! Measures: "5 km", "6'2\"", "120/80 mmHg", dimensions, screen resolutions.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    /// "the 4x100m relay", "a 2x3m rug": counts joined by an "x", the last with a unit, said
    /// "four by one hundred meter" (a compound modifier, so the unit is singular).
    pub(super) fn dimension_with_unit(&self, index: usize) -> Found {
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
        let number = crate::normalize::number::cardinal_digits;
        Some((1, Semiotic::Abbreviation(format!("{} by {} {}", number(count), number(size), names[0]))))
    }

    /// "18.5\" of rain", "a 12\" pizza": a double quote right after a number, with no
    /// quotation open before it, is the inch mark.
    pub(super) fn inches(&self, index: usize) -> Found {
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

    /// "120/80 mmHg", "a blood pressure of 140/90": one twenty over eighty.
    pub(super) fn blood_pressure(&self, index: usize) -> Found {
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
        let said = format!("{} over {}", crate::normalize::number::in_pairs(systolic.parse().ok()?), crate::normalize::number::cardinal(diastolic.parse().ok()?));
        Some(if unit { (2, Semiotic::Abbreviation(format!("{said} millimeters of mercury"))) } else { (1, Semiotic::Abbreviation(said)) })
    }

    /// "$3.19 per gal.", "10 cents per lb": a unit's short form after "per" is its name.
    pub(super) fn unit_after_per(&self, index: usize) -> Found {
        let written = self.pieces[index].core.trim_end_matches('.');
        if index == 0 || self.core(index - 1) != Some("per") || ambiguous_unit(written) || !written.starts_with(|c: char| c.is_ascii_alphabetic()) {
            return None;
        }
        let names = self.data.units.get(written)?;
        // A unit written out ("per gallon") is a word already.
        (names[0] != written).then(|| (1, Semiotic::Abbreviation(names[0].clone())))
    }

    /// "Winds SW at 10 mph": a compass point after "winds", "wind" or "gusts"; "1600
    /// Pennsylvania Ave. NW": a quadrant after a street type.
    pub(super) fn compass_point(&self, index: usize) -> Found {
        // The word before is checked first: it is cheaper than a lookup for every word.
        let before = self.core(index.checked_sub(1)?)?;
        let after_wind = ["winds", "wind", "gusts"].iter().any(|wind| before.eq_ignore_ascii_case(wind));
        let core = self.pieces[index].core;
        let quadrant = matches!(core, "NE" | "NW" | "SE" | "SW") && self.data.street_words.contains(before);
        // "912 N. 5th St.": a compass point between a house number and its street.
        let in_address = matches!(core, "N" | "S" | "E" | "W") && before.bytes().all(|b| b.is_ascii_digit()) && index >= 1 && self.street_follows(index - 1);
        if !after_wind && !quadrant && !in_address {
            return None;
        }
        let direction = self.data.compass.get(core)?;
        Some((1, Semiotic::Abbreviation(direction.clone())))
    }

    /// "3/4 oz.", "6 1/2 lbs": a fraction of a unit ("three quarters of an ounce") or a
    /// whole number and a fraction of units ("six and a half pounds").
    pub(super) fn fraction_with_unit(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let (fraction_at, whole) = match single(piece.core) {
            Some(Semiotic::Fraction { whole: None, .. }) => (index, None),
            _ if piece.trail.is_empty() && piece.core.bytes().all(|b| b.is_ascii_digit()) => (index + 1, Some(piece.core.parse::<u64>().ok()?)),
            _ => return None,
        };
        let fraction = self.pieces.get(fraction_at)?;
        let Some(Semiotic::Fraction { whole: None, numerator, denominator }) = single(fraction.core) else { return None };
        let unit = self.pieces.get(fraction_at + 1).filter(|_| fraction.trail.is_empty())?;
        if ambiguous_unit(unit.core) && !unit.dotted {
            return None;
        }
        let names = self.data.units.get(unit.core)?;
        let amount = Semiotic::Fraction { whole, numerator, denominator }.verbalize();
        let len = fraction_at + 2 - index;
        let said = match whole {
            // "a 6 1/2 lb baby": a modifier is said in the singular.
            Some(_) if self.attributive(index, len) => format!("{amount} {}", names[0]),
            Some(_) => format!("{amount} {}", names[1]),
            None => {
                let article = if names[0].starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
                format!("{amount} of {article} {}", names[0])
            }
        };
        Some((len, Semiotic::Abbreviation(said)))
    }

    pub(super) fn measure(&self, index: usize) -> Found {
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
                    // "Cases hit 1.2m in the U.K.": after a verb of counting, a decimal "m"
                    // counts millions (a height or a jump is "1.2m tall", "cleared 2.35m").
                    let counted = self.follows(index, &["hit", "hits", "reached", "reach", "reaches", "topped", "tops", "passed", "surpassed", "exceeded", "nearly", "almost", "about", "around", "some", "roughly", "than"]);
                    if unit == "m" && !METER_WORDS.contains(&next) && (self.millions_before(index) || (counted && amount.fraction.is_some())) {
                        return Some((1, Semiotic::Scaled { amount, scale: "million" }));
                    }
                }
                // "2h 30m", "1 hr 5m": minutes after hours, not meters.
                let after_hours = index.checked_sub(1).and_then(|i| self.pieces.get(i)).is_some_and(|p| {
                    let hours = p.core.trim_start_matches(|c: char| c.is_ascii_digit());
                    p.trail.is_empty() && matches!(hours, "h" | "hr" | "hrs") && hours.len() < p.core.len()
                }) || self.follows(index, &["hr", "hrs", "hour", "hours"]);
                if unit == "m" && !hyphenated && after_hours && amount.fraction.is_none() {
                    let minutes = if amount.is_one() { "minute" } else { "minutes" };
                    return Some((1, Semiotic::Abbreviation(format!("{} {minutes}", amount.words()))));
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
                            return Some((1, Semiotic::Abbreviation(format!("{} p", crate::normalize::number::in_pairs(value)))));
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
    pub(super) fn unit_names(&self, unit: &str) -> Option<std::borrow::Cow<'_, [String; 2]>> {
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
    pub(super) fn spaced_unit(&self, index: usize) -> Option<&'a str> {
        let piece = self.pieces.get(index)?;
        let inches = piece.core == "in" && piece.dotted && index + 1 < self.pieces.len();
        (!ambiguous_unit(piece.core) || inches).then_some(piece.core)
    }

    /// True when the measure of `len` pieces at `index` stands between a determiner and a
    /// noun ("a 5V battery", "the 100m final"), where English says the unit in the singular.
    pub(super) fn attributive(&self, index: usize, len: usize) -> bool {
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
}

/// Words after a number with a glued "m" that make it meters ("5m tall", "a 100m sprint");
/// before another plural noun it is millions ("20m viewers").
pub(super) const METER_WORDS: &[&str] = &[
    "tall", "high", "long", "wide", "deep", "away", "above", "below", "from", "sprint", "dash",
    "hurdles", "freestyle", "backstroke", "breaststroke", "butterfly", "medley", "relay", "waves",
    "steps", "meters", "metres", "yards", "feet",
];

/// Events a "K" names in kilometers, said as the letter ("a 5K run").
pub(super) const RACE_WORDS: &[&str] = &["run", "runs", "race", "races", "walk", "walks", "fun", "charity"];

/// Words after "4K" that make it a resolution, not four thousand.
pub(super) const DISPLAY_WORDS: &[&str] = &["TV", "TVs", "television", "televisions", "video", "videos", "resolution", "display", "displays", "screen", "screens", "monitor", "monitors", "stream", "streams", "streaming", "camera", "cameras", "footage", "HDR", "Blu-ray", "content", "movies", "films"];

/// Video resolutions written with "p" ("720p", "1080p").
pub(super) const RESOLUTIONS: &[u64] = &[144, 240, 360, 480, 540, 576, 720, 1080, 1440, 2160, 4320];

/// A height in feet and inches, "6'2" (its inch mark is trailing punctuation): the feet and
/// the inches.
pub fn height(core: &str) -> Option<(&str, &str)> {
    let (feet, inches) = core.split_once(['\'', '’', '′'])?;
    let digits = |part: &str, most: usize| (1..=most).contains(&part.len()) && part.bytes().all(|b| b.is_ascii_digit());
    (digits(feet, 1) && digits(inches, 2) && inches.parse::<u64>().is_ok_and(|n| n < 12)).then_some((feet, inches))
}

/// Units that are also words or letters ("5 in the morning", "Plan B"): they count only
/// glued to the number ("5in", "64B").
pub(super) fn ambiguous_unit(unit: &str) -> bool {
    matches!(unit, "in" | "t" | "s" | "h" | "C" | "F" | "K" | "V" | "W" | "B" | "L" | "l" | "ms" | "kn" | "kt" | "cc" | "ac" | "ha" | "ed" | "°")
}

/// A measure; an attributive one ("a five kilometer race") is said in the singular.
pub(super) fn measure(amount: Number, names: &[String; 2], attributive: bool) -> Semiotic {
    let plural = if attributive { &names[0] } else { &names[1] };
    Semiotic::Measure { amount, singular: names[0].clone(), plural: plural.clone() }
}
