//! Money: "$1.5 billion", "€20", prices per unit, stock exchanges.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    pub(super) fn money(&self, index: usize) -> Found {
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

    pub(super) fn money_at(&self, index: usize) -> Found {
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
    pub(super) fn per_unit(&self, written: &str) -> Option<String> {
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
}

/// Stock exchanges: the symbol after "NYSE:" is spelled ("(NASDAQ: AAPL)").
pub(super) const EXCHANGES: &[&str] = &["NYSE", "NASDAQ", "Nasdaq", "AMEX", "LSE", "TSX", "ASX", "NYSEARCA", "OTC", "HKEX", "TSE", "NSE", "BSE", "FTSE", "Xetra", "XETRA", "Euronext"];

/// Currency signs that may stand between such a sign and its number ("+$5").
pub(super) const CURRENCY_SIGNS: &[char] = &['$', '€', '£'];

/// Scale letters glued to a number, and the scale each names: "1.5bn", "£20m", "300K".
pub(super) const SCALE_SUFFIXES: &[(&str, &str)] = &[
    ("bn", "billion"), ("tn", "trillion"), ("trn", "trillion"), ("mn", "million"), ("m", "million"), ("k", "thousand"),
    ("K", "thousand"), ("M", "million"), ("B", "billion"),
];

/// A number with a scale letter glued to it, before the word `next`: "1.5bn", "300K", "4.5M",
/// "2B", "20m viewers" (but "5m tall" is meters, and "a 5K run" the letter).
pub(super) fn scaled(amount: &Number, suffix: &str, next: &str) -> Option<Semiotic> {
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
