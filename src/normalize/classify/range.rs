//! Ranges and comparisons: "2020-2025", "10 to 20%", "~5", ">3".

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    /// Comparison signs are said only before a number ("> 100", not a stray ">").
    pub(super) fn sign_applies(&self, index: usize) -> bool {
        let core = self.pieces[index].core;
        core == "+" || !core.starts_with(SIGNS) || self.core(index + 1).is_some_and(|next| next.trim_start_matches(CURRENCY_SIGNS).starts_with(|c: char| c.is_ascii_digit()))
    }

    /// "9:30 am - 5:45 pm", "10 - 12 weeks": a dash standing alone between a number or a time
    /// and a number is said "to".
    pub(super) fn dash_between(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        if !matches!(piece.core, "-" | "–" | "—") || index == 0 || !piece.lead.is_empty() || !piece.trail.is_empty() {
            return None;
        }
        let before = self.pieces[index - 1];
        let ends_a_number = before.trail.is_empty() && (before.core.ends_with(|c: char| c.is_ascii_digit()) || meridiem(before.core).is_some());
        let starts_a_number = self.pieces.get(index + 1).is_some_and(|next| next.lead.is_empty() && next.core.trim_start_matches(CURRENCY_SIGNS).starts_with(|c: char| c.is_ascii_digit()));
        (ends_a_number && starts_a_number).then(|| (1, Semiotic::Abbreviation("to".to_string())))
    }

    pub(super) fn range(&self, index: usize) -> Found {
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
    pub(super) fn span(&self, index: usize) -> Found {
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
}

/// Signs that may stand before a number.
pub(super) const SIGNS: &[char] = &['~', '≈', '>', '<', '≥', '≤', '±', '+'];

/// A comparison written as one word, "p<0.05" or "(n>100)": the lead (an opening bracket),
/// the name (a few letters), the sign, and the rest (the number and what follows it).
pub(super) fn comparison(raw: &str) -> Option<(&str, &str, &str, &str)> {
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

pub(super) fn range_part(text: &str) -> Option<Semiotic> {
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
