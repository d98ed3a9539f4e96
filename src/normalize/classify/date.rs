//! Dates: "April 29, 2025", "4/29/2025", ISO dates, day spans, datelines.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    pub(super) fn date(&self, index: usize) -> Found {
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
            // "14/07/2022": a day over 12 first, as most of the world writes dates.
            if (13..=31).contains(&u64::from(m)) && (1..=12).contains(&d) {
                return Some((1, Semiotic::Date { month: Some(d as u8), day: Some(u64::from(m)), year: Some(y), day_first: true }));
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
    pub(super) fn year_after(&self, index: usize) -> Option<u64> {
        let piece = self.pieces.get(index)?;
        (piece.trail.is_empty() || piece.trail == ",").then(|| self.core(index + 1).and_then(year_number)).flatten()
    }

    /// A month name, or a month abbreviation written with its period ("Jan.", "Sept.").
    pub(super) fn month_at(&self, index: usize) -> Option<u8> {
        let piece = self.pieces.get(index)?;
        self.month_named(piece.core, piece.dotted)
    }

    /// The month `word` names, in full or (`dotted`: written with its period) abbreviated.
    pub(super) fn month_named(&self, word: &str, dotted: bool) -> Option<u8> {
        if let Some(at) = MONTHS.iter().position(|name| *name == word) {
            return Some(at as u8 + 1);
        }
        match self.data.abbreviation(word) {
            Some((AbbreviationKind::Month, name)) if dotted => MONTHS.iter().position(|n| *n == name).map(|at| at as u8 + 1),
            _ => None,
        }
    }

    /// "Mon.-Fri.", "Mon-Fri", "Monday-Friday": a span of weekdays, "Monday to Friday";
    /// "mid-Nov.", "late-Jan.": part of a month.
    pub(super) fn day_span(&self, index: usize) -> Found {
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
}

/// The number of pieces at the start of a text that are a wire dateline's place in capitals:
/// words in capitals up to a comma, a dash or an agency in parentheses ("LOS ANGELES (AP) —",
/// "KYIV, Ukraine —"). Zero when the text does not start so.
pub(super) fn dateline(pieces: &[Piece]) -> usize {
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

impl<'a> Classifier<'a> {
    /// The dash that ends a wire dateline ("WASHINGTON (AP) — The Senate"): a news reader
    /// stops there as at the end of a sentence, so it becomes a period.
    pub(super) fn dateline_dash(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let dash = |p: &Piece| matches!(p.core, "—" | "–" | "-" | "--") && p.lead.is_empty() && p.trail.is_empty();
        if self.dateline == 0 || !dash(&piece) || index < self.dateline || index > self.dateline + 3 || self.pieces[self.dateline..index].iter().any(dash) {
            return None;
        }
        Some((1, Semiotic::Symbol(".")))
    }
}

/// A day of the month: "29", "29th", "1st".
pub(super) fn day_number(core: &str) -> Option<u64> {
    let digits = core.trim_end_matches(|c: char| c.is_ascii_alphabetic());
    let suffix = &core[digits.len()..];
    if !matches!(suffix, "" | "st" | "nd" | "rd" | "th") || digits.is_empty() || digits.len() > 2 {
        return None;
    }
    digits.parse().ok().filter(|d| (1..=31).contains(d))
}

pub(super) fn year_number(core: &str) -> Option<u64> {
    (core.len() == 4 && core.chars().all(|c| c.is_ascii_digit()))
        .then(|| core.parse().ok())
        .flatten()
        .filter(|y| (1000..=2999).contains(y))
}

pub(super) fn iso_date(core: &str) -> Option<(u64, u8, u64)> {
    let parts: Vec<&str> = core.split('-').collect();
    if parts.len() != 3 || parts[0].len() != 4 || parts[1].len() != 2 || parts[2].len() != 2 {
        return None;
    }
    let (year, month, day) = (parts[0].parse().ok()?, parts[1].parse::<u8>().ok()?, parts[2].parse::<u64>().ok()?);
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}
