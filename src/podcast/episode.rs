//! An episode's metadata, stored as `episodes/<slug>.json` next to its audio. It is written
//! last, after the audio, captions and chapters: an episode without it is not finished and is
//! not in the feed.

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Episode {
    /// Stable id from the article's source; the feed's guid.
    pub id: String,
    pub title: String,
    pub byline: Option<String>,
    /// Publication date, RFC 2822 (`Wed, 29 Apr 2025 00:00:00 +0000`).
    pub pub_date: String,
    pub description: String,
    /// File names inside `episodes/`.
    pub audio_file: String,
    pub audio_type: String,
    pub audio_bytes: u64,
    pub duration_seconds: f64,
    pub captions_file: String,
    pub chapters_file: String,
    /// Where the article came from, and the hash of everything that shaped the audio.
    pub source: String,
    pub render_hash: String,
    /// The article's canonical address, when known: the feed item's link.
    #[serde(default)]
    pub link: Option<String>,
    /// The read-along page inside `episodes/`, where one was written.
    #[serde(default)]
    pub page_file: Option<String>,
}

impl Episode {
    pub fn load(path: &Path) -> Result<Self> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        serde_json::from_str(&text).map_err(|e| Error::input(format!("{}: not an episode file: {e}", path.display())))
    }

    pub fn save(&self, path: &Path) -> Result<()> {
        let json = serde_json::to_string_pretty(self).map_err(|e| Error::input(e.to_string()))?;
        crate::output::write_bytes(path, json.as_bytes())
    }
}

/// A file-name stem from a title: lowercase ASCII words joined by dashes, at most 60
/// characters, never empty, never a reserved name, made unique by the article id.
pub fn slug(title: &str, id: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    for c in title.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            current.push(c);
        } else if !current.is_empty() {
            words.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        words.push(current);
    }
    let mut stem = String::new();
    for word in words {
        if stem.len() + word.len() + 1 > 60 {
            break;
        }
        if !stem.is_empty() {
            stem.push('-');
        }
        stem.push_str(&word);
    }
    if stem.is_empty() {
        stem.push_str("episode");
    }
    format!("{stem}-{}", &id[..8.min(id.len())])
}

/// Days since 1970-01-01 -> (year, month, day), Howard Hinnant's civil-from-days.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let month = i64::from(month);
    let doy = (153 * (if month > 2 { month - 3 } else { month + 9 }) + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub(crate) const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];

fn rfc2822(days: i64, seconds_of_day: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    let weekday = WEEKDAYS[days.rem_euclid(7) as usize];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} +0000",
        MONTHS[month as usize - 1],
        seconds_of_day / 3600,
        seconds_of_day / 60 % 60,
        seconds_of_day % 60
    )
}

/// An article's written date ("April 29, 2025", "Jan. 11, 2025", "2025-04-29") as
/// (year, month, day).
pub fn written_date(written: &str) -> Option<(i64, u32, u32)> {
    let text = written.trim();
    let (year, month, day) = if let Some((year, rest)) = text.split_once('-') {
        let mut parts = rest.splitn(2, '-');
        (year.parse().ok()?, parts.next()?.parse().ok()?, parts.next()?.get(..2)?.parse().ok()?)
    } else {
        let words: Vec<&str> = text.split(|c: char| c.is_whitespace() || c == ',').filter(|w| !w.is_empty()).collect();
        let month_of = |word: &str| {
            let word = word.trim_end_matches('.').to_lowercase();
            MONTHS.iter().position(|m| word.starts_with(&m.to_lowercase()))
        };
        let day_of = |word: &str| word.trim_end_matches(|c: char| c.is_alphabetic()).parse().ok();
        // "April 29, 2025" or, day first, "29 April 2025".
        match (month_of(words.first()?), words.get(1).and_then(|word| month_of(word))) {
            (Some(month), _) => (words.get(2)?.parse().ok()?, month as u32 + 1, day_of(words.get(1)?)?),
            (None, Some(month)) => (words.get(2)?.parse().ok()?, month as u32 + 1, day_of(words.first()?)?),
            (None, None) => return None,
        }
    };
    ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some((year, month, day))
}

/// An article's written date as RFC 2822, for the feed.
pub fn parse_date(written: &str) -> Option<String> {
    let (year, month, day) = written_date(written)?;
    Some(rfc2822(days_from_civil(year, month, day), 0))
}

/// The current time as RFC 2822.
pub fn now() -> String {
    let seconds = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    rfc2822(seconds.div_euclid(86_400), seconds.rem_euclid(86_400))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_safe_stable_and_unique() {
        assert_eq!(slug("What's next for troops? A possible deployment", "0123456789ab"), "what-s-next-for-troops-a-possible-deployment-01234567");
        assert_eq!(slug("../../etc/passwd", "abcdef0123"), "etc-passwd-abcdef01");
        assert_eq!(slug("CON", "abcdef0123"), "con-abcdef01");
        assert_eq!(slug("Ыыы 🙂", "abcdef0123"), "episode-abcdef01");
        assert!(slug(&"word ".repeat(40), "abcdef0123").len() <= 69);
    }

    #[test]
    fn dates_become_rfc_2822() {
        assert_eq!(parse_date("April 29, 2025").unwrap(), "Tue, 29 Apr 2025 00:00:00 +0000");
        assert_eq!(parse_date("Jan. 11, 2025").unwrap(), "Sat, 11 Jan 2025 00:00:00 +0000");
        assert_eq!(parse_date("3rd March 2026").unwrap(), "Tue, 03 Mar 2026 00:00:00 +0000");
        assert_eq!(parse_date("2026-07-21").unwrap(), "Tue, 21 Jul 2026 00:00:00 +0000");
        assert_eq!(parse_date("2026-07-21T06:30:00Z").unwrap(), "Tue, 21 Jul 2026 00:00:00 +0000");
        assert!(parse_date("yesterday").is_none());
        assert_eq!(civil_from_days(days_from_civil(2000, 2, 29)), (2000, 2, 29));
        assert!(now().ends_with("+0000"));
    }
}
