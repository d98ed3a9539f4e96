//! Clock times and time zones: "5:24 PM EST", "at 9".

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    pub(super) fn time(&self, index: usize) -> Found {
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
                    _ => format!("{} minutes and ", crate::normalize::number::cardinal(minutes)),
                };
                return Some((1, Semiotic::Abbreviation(format!("{minutes}{} seconds", seconds.words()))));
            }
            None if glued_suffix.is_some() && !clock.is_empty() && clock.len() <= 2 => (clock.parse::<u64>().ok()?, 0),
            // "4.05 A.M.", "10.30pm": a clock written with a dot (British and older American
            // copy), always before a.m. or p.m.
            None if dotted_clock(clock).is_some()
                && (glued_suffix.is_some() || (self.pieces[index].trail.is_empty() && self.core(index + 1).and_then(meridiem).is_some())) =>
            {
                let (hour, minute) = dotted_clock(clock)?;
                if !(1..=12).contains(&hour) {
                    return None;
                }
                (hour, minute)
            }
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
                let number = crate::normalize::number::cardinal;
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
                    return Some((2, Semiotic::Abbreviation(format!("{hours} {minutes} {}", crate::normalize::verbalize::zone(zone)))));
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
    pub(super) fn zone(&self, index: usize) -> (Option<String>, usize) {
        match self.core(index) {
            Some(zone) if TIME_ZONES.contains(&zone) => (Some(zone.to_string()), index + 1),
            _ => (None, index),
        }
    }

    /// "midnight ET", "noon PT": a time zone after a time said as a word.
    pub(super) fn zone_after_word(&self, index: usize) -> Found {
        let core = self.pieces[index].core;
        // The word before is checked first: it is cheaper than a lookup for every word.
        if !self.follows(index, &["noon", "midnight"]) || !TIME_ZONES.contains(&core) {
            return None;
        }
        Some((1, Semiotic::Abbreviation(crate::normalize::verbalize::zone(core))))
    }
}

pub(crate) const TIME_ZONES: &[&str] = &[
    "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT", "GMT", "UTC", "CET", "CEST", "EET",
    "EEST", "BST", "MSK", "KST", "JST", "IST", "AEST", "ET", "PT", "CT", "MT", "AST", "ADT",
    "HST", "AKST", "AKDT", "AEDT", "NZST", "NZDT", "SGT", "HKT", "WET", "WEST", "SAST", "PKT",
];

/// Words before a clock time written with seconds ("at 10:30:15"); elsewhere h:mm:ss is a
/// duration ("won in 2:09:44").
pub(super) const CLOCK_WORDS: &[&str] = &["at", "from", "until", "till", "by", "before", "after", "around", "since"];

/// "4.05": an hour and two digits of minutes with a dot between.
fn dotted_clock(clock: &str) -> Option<(u64, u64)> {
    let (hour, minute) = clock.split_once('.')?;
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    ((1..=2).contains(&hour.len()) && minute.len() == 2 && digits(hour) && digits(minute)).then(|| Some((hour.parse().ok()?, minute.parse().ok()?))).flatten()
}

pub(super) fn meridiem(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().trim_end_matches('.') {
        "am" | "a.m" => Some("a m"),
        "pm" | "p.m" => Some("p m"),
        _ => None,
    }
}
