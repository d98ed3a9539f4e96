//! Single symbols and mixed tokens: "&", "%", "1/2", "24/7", "3-D".

#[allow(unused_imports)]
use super::*;

/// Single-piece classes that need no context: ordinals, percentages, fractions, decades.
impl<'a> Classifier<'a> {
    /// A footnote's number after the sentence it marks, as web copy pastes it: "according to
    /// Iowa Starting Line.2 Warren has", "combined .4 And". The number is not read; the
    /// sentence's period is kept for its pause.
    pub(super) fn footnote(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let next_starts_sentence = self.pieces.get(index + 1).is_none_or(|next| next.core.starts_with(char::is_uppercase) || next.lead.starts_with(['"', '\u{201c}']));
        let marker = |digits: &str| (1..=2).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit());
        if !piece.trail.is_empty() || !next_starts_sentence {
            return None;
        }
        if let Some((word, number)) = piece.core.rsplit_once('.') {
            let plain_word = word.chars().count() >= 3 && word.chars().all(char::is_alphabetic) && word.chars().skip(1).any(char::is_lowercase);
            let short_form = self.data.abbreviation(word).is_some() || self.data.units.contains_key(word);
            if plain_word && marker(number) && !short_form {
                return Some((1, Semiotic::Abbreviation(format!("{word}."))));
            }
        }
        // " .4 And": the marker set apart by a space after a word.
        let after_word = index.checked_sub(1).is_some_and(|before| self.pieces[before].trail.is_empty() && self.pieces[before].core.ends_with(char::is_alphabetic));
        if piece.lead.is_empty() && after_word && piece.core.strip_prefix('.').is_some_and(marker) {
            return Some((1, Semiotic::Abbreviation(".".to_string())));
        }
        None
    }
}

pub(super) fn single(core: &str) -> Option<Semiotic> {
    // "No.1": the number sign glued to its number.
    if let Some(digits) = core.strip_prefix("No.").or_else(|| core.strip_prefix("no.")).filter(|d| !d.is_empty() && d.bytes().all(|b| b.is_ascii_digit())) {
        return Some(Semiotic::Abbreviation(format!("number {}", crate::normalize::number::cardinal_digits(digits))));
    }
    if let Some(percent) = core.strip_suffix('%').or_else(|| core.strip_suffix("pc")) {
        return parse_number(percent).map(Semiotic::Percent);
    }
    if let Some(fraction) = vulgar_fraction(core) {
        return Some(fraction);
    }
    if let Some((feet, inches)) = height(core) {
        return Some(Semiotic::Abbreviation(format!("{} foot {}", crate::normalize::number::cardinal_digits(feet), crate::normalize::number::cardinal_digits(inches))));
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
            return Some(Semiotic::Abbreviation(format!("{} to {}", crate::normalize::number::cardinal_digits(left), crate::normalize::number::cardinal_digits(right))));
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
            return Some(Semiotic::Abbreviation(format!("{} {}", crate::normalize::number::cardinal(numerator), crate::normalize::number::cardinal(denominator))));
        }
        return None;
    }
    // "in '21", "the '05 season": a year with its century left out.
    if let Some(short) = core.strip_prefix(['\'', '’']).filter(|short| short.len() == 2 && short.bytes().all(|b| b.is_ascii_digit())) {
        return match short.parse::<u64>().ok()? {
            0 => None,
            year @ 1..=9 => Some(Semiotic::Abbreviation(format!("oh {}", crate::normalize::number::cardinal(year)))),
            year => Some(Semiotic::Abbreviation(crate::normalize::number::cardinal(year))),
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

pub(super) fn symbol(core: &str) -> Option<Semiotic> {
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
pub(super) fn slashed(core: &str, data: &Data) -> Option<String> {
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

/// Words with digits or symbols inside: "COVID-19", "F-16", "G7", "AT&T", "#1", "5-year-old".
pub(super) fn mixed(core: &str) -> Option<Semiotic> {
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
                Ok(value) if (3..=4).contains(&part.len()) && !part.starts_with('0') && value % 1000 != 0 => crate::normalize::number::in_pairs(value),
                _ => crate::normalize::number::cardinal_digits(part),
            };
            return Some(Semiotic::Abbreviation(format!("{} by {}", said(width), said(height))));
        }
    }
    // "2020's", "1990s'": a number in the possessive.
    if let Some(stem) = possessive_stem(core).filter(|stem| !stem.is_empty() && stem.bytes().all(|b| b.is_ascii_digit())) {
        let said = match year_number(stem).filter(|&year| year <= 2099) {
            Some(year) => crate::normalize::number::year(year),
            None => crate::normalize::number::cardinal_digits(stem),
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
                words.push(crate::normalize::number::ordinal(n));
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
                words.push(crate::normalize::number::plural(&last));
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
                Ok(value) if address => crate::normalize::number::in_pairs(value),
                _ if part.is_empty() => String::new(),
                _ => crate::normalize::number::cardinal_digits(part),
            };
            let parts = || octets.iter().map(part_words).collect::<Vec<_>>().join(separator);
            words.push(parse_number(&run).map_or_else(parts, |number| number.words()));
        } else if digits && run.contains(',') {
            words.push(parse_number(&run).map_or_else(|| crate::normalize::number::cardinal_digits(&run.replace(',', "")), |number| number.words()));
        } else if run.chars().all(|c| c.is_ascii_digit()) {
            // A year after letters: "FY2025", "Q3 2026" is said as a year; three digits in a
            // code are said in pairs: "I-405" four oh five, "AA123" one twenty three.
            let year = year_number(&run).filter(|year| lettered && (1900..=2099).contains(year));
            let paired = (lettered && !before_word[at] && run.len() == 3 && !run.starts_with('0')).then(|| run.parse().ok()).flatten().map(crate::normalize::number::in_pairs);
            words.push(year.map(crate::normalize::number::year).or(paired).unwrap_or_else(|| crate::normalize::number::cardinal_digits(&run)));
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
