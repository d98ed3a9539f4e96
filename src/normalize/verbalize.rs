//! Verbalization: a classified token ([`Semiotic`]) -> the words an engine should say.

use super::data::Currency;
use super::number::{cardinal, cardinal_digits, digit_by_digit, ordinal, plural, year};

/// Month names, capitalized as written: the spoken text also serves as a transcript.
pub(crate) const MONTHS: [&str; 12] = [
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
];

/// A written number: sign, integer digits (no grouping commas) and optional fraction digits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number {
    pub negative: bool,
    pub integer: String,
    pub fraction: Option<String>,
}

impl Number {
    /// True for exactly one, which takes a singular unit ("1 km" -> "one kilometer").
    pub fn is_one(&self) -> bool {
        self.integer.trim_start_matches('0') == "1" && self.fraction.is_none() && !self.negative
    }

    /// The integer part as a value, when it fits.
    pub fn value(&self) -> Option<u64> {
        self.integer.parse().ok()
    }

    /// "minus three point one four", "fourteen thousand".
    pub fn words(&self) -> String {
        let mut words = String::new();
        if self.negative {
            words.push_str("minus ");
        }
        if !(self.integer.is_empty() && self.fraction.is_some()) {
            words.push_str(&cardinal_digits(&self.integer));
        }
        if let Some(fraction) = &self.fraction {
            if !self.integer.is_empty() {
                words.push(' ');
            }
            words.push_str("point ");
            words.push_str(&digit_by_digit(fraction));
        }
        words
    }
}

/// What a token is, once classified. Each variant carries just what is needed to say it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Semiotic {
    Cardinal(Number),
    Ordinal(u64),
    Year(u64),
    /// 1990s (century and decade) or '90s (decade only).
    Decade { year: u64, short: bool },
    Fraction { whole: Option<u64>, numerator: u64, denominator: u64 },
    Percent(Number),
    Money { amount: Number, scale: Option<String>, currency: Currency },
    Measure { amount: Number, singular: String, plural: String },
    /// A number with a scale word: "1.5bn" is one point five billion.
    Scaled { amount: Number, scale: &'static str },
    Date { month: Option<u8>, day: Option<u64>, year: Option<u64>, day_first: bool },
    Time { hour: u64, minute: u64, second: Option<u64>, suffix: Option<&'static str>, zone: Option<String> },
    /// "2:09:44": two hours, nine minutes and forty four seconds.
    Duration { hours: u64, minutes: u64, seconds: u64 },
    Range(Box<Semiotic>, Box<Semiotic>),
    Telephone(Vec<String>),
    Url(String),
    Email(String),
    /// An abbreviation with its expansion.
    Abbreviation(String),
    /// Letters read one by one: "P O W".
    Spelled(String),
    /// An acronym read as a word: "Nato".
    Acronym(String),
    Roman { value: u64, regnal: bool },
    Symbol(&'static str),
    /// A word from a pronunciation lexicon, already respelled.
    Lexicon(String),
}

impl Semiotic {
    /// The name of the class, as `--explain` shows it.
    pub fn class(&self) -> &'static str {
        match self {
            Semiotic::Cardinal(number) if number.fraction.is_some() => "decimal",
            Semiotic::Cardinal(_) => "cardinal",
            Semiotic::Ordinal(_) => "ordinal",
            Semiotic::Year(_) | Semiotic::Decade { .. } => "year",
            Semiotic::Fraction { .. } => "fraction",
            Semiotic::Percent(_) => "percent",
            Semiotic::Money { .. } => "money",
            Semiotic::Measure { .. } => "measure",
            Semiotic::Scaled { .. } => "cardinal",
            Semiotic::Date { .. } => "date",
            Semiotic::Time { .. } | Semiotic::Duration { .. } => "time",
            Semiotic::Range(..) => "range",
            Semiotic::Telephone(_) => "telephone",
            Semiotic::Url(_) => "url",
            Semiotic::Email(_) => "email",
            Semiotic::Abbreviation(_) => "abbreviation",
            Semiotic::Spelled(_) | Semiotic::Acronym(_) => "acronym",
            Semiotic::Roman { .. } => "roman",
            Semiotic::Symbol(_) => "symbol",
            Semiotic::Lexicon(_) => "lexicon",
        }
    }

    /// The spoken form.
    pub fn verbalize(&self) -> String {
        match self {
            Semiotic::Cardinal(number) => number.words(),
            Semiotic::Ordinal(n) => ordinal(*n),
            Semiotic::Year(n) => year(*n),
            Semiotic::Decade { year: y, short: false } => plural(&year(*y)),
            Semiotic::Decade { year: y, short: true } => plural(&cardinal(*y)),
            Semiotic::Fraction { whole, numerator, denominator } => fraction(*whole, *numerator, *denominator),
            Semiotic::Percent(number) => format!("{} percent", number.words()),
            Semiotic::Money { amount, scale, currency } => money(amount, scale.as_deref(), currency),
            Semiotic::Measure { amount, singular, plural } => {
                let unit = if amount.is_one() { singular } else { plural };
                format!("{} {unit}", amount.words())
            }
            Semiotic::Scaled { amount, scale } => format!("{} {scale}", amount.words()),
            Semiotic::Date { month, day, year: y, day_first } => date(*month, *day, *y, *day_first),
            Semiotic::Time { hour, minute, second, suffix, zone } => time(*hour, *minute, *second, *suffix, zone.as_deref()),
            Semiotic::Duration { hours, minutes, seconds } => duration(*hours, *minutes, *seconds),
            Semiotic::Range(from, to) => range(from, to),
            Semiotic::Telephone(groups) => {
                let said = |group: &String| match group.strip_prefix('+') {
                    Some(code) => format!("plus {}", digit_by_digit(code)),
                    None => digit_by_digit(group),
                };
                groups.iter().map(said).collect::<Vec<_>>().join(", ")
            }
            Semiotic::Url(address) => url(address),
            Semiotic::Email(address) => email(address),
            Semiotic::Abbreviation(expansion) | Semiotic::Acronym(expansion) | Semiotic::Lexicon(expansion) => {
                expansion.clone()
            }
            Semiotic::Spelled(letters) => letters.clone(),
            Semiotic::Roman { value, regnal: true } => format!("the {}", ordinal(*value)),
            Semiotic::Roman { value, regnal: false } => cardinal(*value),
            Semiotic::Symbol(word) => word.to_string(),
        }
    }
}

fn fraction(whole: Option<u64>, numerator: u64, denominator: u64) -> String {
    let denominator_words = match denominator {
        2 => if numerator == 1 { "half".to_string() } else { "halves".to_string() },
        4 => if numerator == 1 { "quarter".to_string() } else { "quarters".to_string() },
        _ => {
            let ordinal = ordinal(denominator);
            if numerator == 1 { ordinal } else { plural(&ordinal) }
        }
    };
    match whole {
        // "2½": two and a half.
        Some(whole) if numerator == 1 => format!("{} and a {denominator_words}", cardinal(whole)),
        Some(whole) => format!("{} and {} {denominator_words}", cardinal(whole), cardinal(numerator)),
        None => format!("{} {denominator_words}", cardinal(numerator)),
    }
}

fn money(amount: &Number, scale: Option<&str>, currency: &Currency) -> String {
    let sign = if amount.negative { "minus " } else { "" };
    let unsigned = Number { negative: false, ..amount.clone() };
    if let Some(scale) = scale {
        return format!("{sign}{} {scale} {}", unsigned.words(), currency.plural);
    }
    let major = if unsigned.integer.is_empty() { "0".to_string() } else { unsigned.integer.clone() };
    let major_is_one = major.trim_start_matches('0') == "1";
    let major_is_zero = major.trim_start_matches('0').is_empty();
    let minor = match &unsigned.fraction {
        None => None,
        Some(digits) if digits.len() == 1 => Some(digits.parse::<u64>().unwrap_or(0) * 10),
        Some(digits) if digits.len() == 2 => Some(digits.parse::<u64>().unwrap_or(0)),
        Some(_) => return format!("{sign}{} {}", unsigned.words(), currency.plural),
    };
    let major_words = format!(
        "{} {}",
        cardinal_digits(&major),
        if major_is_one { &currency.singular } else { &currency.plural }
    );
    match minor {
        Some(cents) if cents > 0 => {
            let cents_words = format!(
                "{} {}",
                cardinal(cents),
                if cents == 1 { &currency.minor_singular } else { &currency.minor_plural }
            );
            if major_is_zero {
                format!("{sign}{cents_words}")
            } else {
                format!("{sign}{major_words} {cents_words}")
            }
        }
        _ => format!("{sign}{major_words}"),
    }
}

fn date(month: Option<u8>, day: Option<u64>, year_value: Option<u64>, day_first: bool) -> String {
    let month = month.map(|m| MONTHS[(m as usize).clamp(1, 12) - 1]);
    let mut parts: Vec<String> = Vec::new();
    match (month, day, day_first) {
        (Some(month), Some(day), true) => parts.push(format!("the {} of {month}", ordinal(day))),
        (Some(month), Some(day), false) => parts.push(format!("{month} {}", ordinal(day))),
        (Some(month), None, _) => parts.push(month.to_string()),
        // The second day of a span in one month: "January sixteenth to twenty first".
        (None, Some(day), _) => parts.push(ordinal(day)),
        (None, None, _) => {}
    }
    let spoken = parts.join(" ");
    match year_value {
        // "March fourteenth, twenty twenty six": a news reader pauses after the day.
        Some(y) if day.is_some() && month.is_some() && !day_first => format!("{spoken}, {}", year(y)),
        Some(y) if spoken.is_empty() => year(y),
        Some(y) => format!("{spoken} {}", year(y)),
        None => spoken,
    }
}

fn time(hour: u64, minute: u64, second: Option<u64>, suffix: Option<&str>, zone: Option<&str>) -> String {
    let mut words = if minute == 0 && second.is_none() {
        match suffix {
            Some(_) => cardinal(hour),
            None if hour > 12 || hour == 0 => format!("{} hundred", cardinal(hour)),
            None => format!("{} o'clock", cardinal(hour)),
        }
    } else if minute < 10 {
        format!("{} oh {}", cardinal(hour), cardinal(minute))
    } else {
        format!("{} {}", cardinal(hour), cardinal(minute))
    };
    if let Some(second) = second {
        words.push_str(&format!(" and {}", count(second, "second")));
    }
    if let Some(suffix) = suffix {
        words.push(' ');
        words.push_str(suffix);
    }
    if let Some(zone) = zone {
        words.push(' ');
        words.push_str(&self::zone(zone));
    }
    words
}

/// A time zone as said after a time. American broadcasters say the zone of "3 p.m. ET" as
/// "three p m Eastern"; other zones are spelled ("G M T").
pub fn zone(zone: &str) -> String {
    match zone {
        "ET" => "Eastern".to_string(),
        "CT" => "Central".to_string(),
        "MT" => "Mountain".to_string(),
        "PT" => "Pacific".to_string(),
        other => spell(other),
    }
}

/// "2:09:44": "two hours, nine minutes and forty four seconds" (parts of zero left out).
fn duration(hours: u64, minutes: u64, seconds: u64) -> String {
    let parts: Vec<String> = [(hours, "hour"), (minutes, "minute"), (seconds, "second")].iter().filter(|(n, _)| *n > 0).map(|&(n, unit)| count(n, unit)).collect();
    match parts.as_slice() {
        [] => "zero seconds".to_string(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// "one second", "forty four seconds".
fn count(n: u64, unit: &str) -> String {
    if n == 1 { format!("one {unit}") } else { format!("{} {unit}s", cardinal(n)) }
}

fn range(from: &Semiotic, to: &Semiotic) -> String {
    // "5-10%" says the unit once, at the end: "five to ten percent".
    match (from, to) {
        (Semiotic::Cardinal(a), Semiotic::Percent(b)) => format!("{} to {} percent", a.words(), b.words()),
        _ => format!("{} to {}", from.verbalize(), to.verbalize()),
    }
}

/// Letters separated by spaces: "EST" -> "E S T".
pub fn spell(letters: &str) -> String {
    letters.chars().filter(|c| c.is_alphanumeric()).map(|c| c.to_string()).collect::<Vec<_>>().join(" ")
}

fn url(address: &str) -> String {
    let lower = address.to_lowercase();
    let without_scheme = ["https://", "http://", "ftp://"]
        .iter()
        .find_map(|scheme| lower.strip_prefix(scheme).map(|_| &address[scheme.len()..]))
        .unwrap_or(address);
    // A query or a fragment ("?ref=rss") is state for the page, not for a listener.
    let page = without_scheme.split(['?', '#']).next().unwrap_or(without_scheme).trim_end_matches('/');
    // A long path ("/2025/03/story.html") cannot be typed from hearing it once: the site is read.
    let (site, path) = page.split_once('/').unwrap_or((page, ""));
    let short_path = path.split('/').count() <= 2 && path.chars().count() <= 24;
    address_words(if short_path { page } else { site })
}

fn email(address: &str) -> String {
    address_words(address)
}

/// Reads an address piece by piece: "www" spelled, digits one by one, separators named.
fn address_words(address: &str) -> String {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let flush = |current: &mut String, words: &mut Vec<String>| {
        if current.is_empty() {
            return;
        }
        if current.eq_ignore_ascii_case("www") {
            words.push("w w w".to_string());
        } else if current.chars().all(|c| c.is_ascii_digit()) {
            words.push(digit_by_digit(current));
        } else {
            words.push(current.clone());
        }
        current.clear();
    };
    for c in address.chars() {
        let name = match c {
            '.' => Some("dot"),
            '/' => Some("slash"),
            '-' => Some("dash"),
            '_' => Some("underscore"),
            ':' => Some("colon"),
            '@' => Some("at"),
            '?' => Some("question mark"),
            '=' => Some("equals"),
            '&' => Some("and"),
            '#' => Some("hash"),
            '~' => Some("tilde"),
            _ => None,
        };
        match name {
            Some(name) => {
                flush(&mut current, &mut words);
                words.push(name.to_string());
            }
            None if c.is_ascii_digit() != current.chars().last().is_some_and(|l| l.is_ascii_digit())
                && !current.is_empty() =>
            {
                flush(&mut current, &mut words);
                current.push(c);
            }
            None => current.push(c),
        }
    }
    flush(&mut current, &mut words);
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dollars() -> Currency {
        Currency { singular: "dollar".into(), plural: "dollars".into(), minor_singular: "cent".into(), minor_plural: "cents".into() }
    }

    fn number(integer: &str, fraction: Option<&str>) -> Number {
        Number { negative: false, integer: integer.into(), fraction: fraction.map(Into::into) }
    }

    #[test]
    fn money_forms() {
        assert_eq!(money(&number("5", Some("50")), None, &dollars()), "five dollars fifty cents");
        assert_eq!(money(&number("1", None), None, &dollars()), "one dollar");
        assert_eq!(money(&number("0", Some("01")), None, &dollars()), "one cent");
        assert_eq!(money(&number("1", Some("5")), Some("billion"), &dollars()), "one point five billion dollars");
    }

    #[test]
    fn urls_and_emails() {
        assert_eq!(url("https://www.example.com/news"), "w w w dot example dot com slash news");
        assert_eq!(url("https://example.com/help?ref=rss#top"), "example dot com slash help");
        assert_eq!(url("https://news.example.com/2025/03/12/harbor-reopens-after-storm.html"), "news dot example dot com");
        assert_eq!(email("jane.doe@example.org"), "jane dot doe at example dot org");
    }
}
