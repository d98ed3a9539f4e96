//! Numbers as American English words, without "and" or hyphens: "one hundred twenty three",
//! the form of the NeMo and Kestrel normalizers (engines say it the same either way).

const ONES: [&str; 20] = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen",
];
const TENS: [&str; 10] =
    ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];
const SCALES: [&str; 7] =
    ["", "thousand", "million", "billion", "trillion", "quadrillion", "quintillion"];

/// Digit strings longer than this are read digit by digit.
pub const MAX_CARDINAL_DIGITS: usize = 21;

fn below_thousand(n: u64, out: &mut Vec<String>) {
    let hundreds = n / 100;
    let rest = n % 100;
    if hundreds > 0 {
        out.push(ONES[hundreds as usize].to_string());
        out.push("hundred".to_string());
    }
    if rest >= 20 {
        let tens = TENS[(rest / 10) as usize];
        if rest.is_multiple_of(10) {
            out.push(tens.to_string());
        } else {
            out.push(tens.to_string());
            out.push(ONES[(rest % 10) as usize].to_string());
        }
    } else if rest > 0 || hundreds == 0 {
        out.push(ONES[rest as usize].to_string());
    }
}

/// "1234" -> "one thousand two hundred thirty four". Takes the digits as a string so that
/// numbers beyond u64 still read; longer strings fall back to digit-by-digit.
pub fn cardinal_digits(digits: &str) -> String {
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return "zero".to_string();
    }
    if digits.len() > MAX_CARDINAL_DIGITS || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digit_by_digit(digits);
    }
    let mut groups: Vec<u64> = Vec::new();
    let mut end = digits.len();
    while end > 0 {
        let start = end.saturating_sub(3);
        groups.push(digits[start..end].parse().expect("checked digits"));
        end = start;
    }
    let mut words = Vec::new();
    for (scale, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        below_thousand(group, &mut words);
        if scale > 0 {
            words.push(SCALES[scale].to_string());
        }
    }
    words.join(" ")
}

/// A number as words.
pub fn cardinal(n: u64) -> String {
    cardinal_digits(&n.to_string())
}

/// A signed number as words: "minus five".
pub fn signed_cardinal(n: i64) -> String {
    if n < 0 {
        format!("minus {}", cardinal(n.unsigned_abs()))
    } else {
        cardinal(n as u64)
    }
}

/// Turns the last word of a cardinal into its ordinal: "twenty one" -> "twenty first".
pub fn ordinalize(words: &str) -> String {
    let (head, last) = match words.rfind(' ') {
        Some(at) => (&words[..=at], &words[at + 1..]),
        None => ("", words),
    };
    let last = match last {
        "one" => "first".to_string(),
        "two" => "second".to_string(),
        "three" => "third".to_string(),
        "five" => "fifth".to_string(),
        "eight" => "eighth".to_string(),
        "nine" => "ninth".to_string(),
        "twelve" => "twelfth".to_string(),
        word if word.ends_with('y') => format!("{}ieth", &word[..word.len() - 1]),
        word => format!("{word}th"),
    };
    format!("{head}{last}")
}

/// "21" -> "twenty first".
pub fn ordinal(n: u64) -> String {
    ordinalize(&cardinal(n))
}

/// Each digit as a word: "0042" -> "zero zero four two".
pub fn digit_by_digit(digits: &str) -> String {
    digits
        .chars()
        .filter_map(|c| c.to_digit(10))
        .map(|d| ONES[d as usize])
        .collect::<Vec<_>>()
        .join(" ")
}

/// A year as people say it: 1990 "nineteen ninety", 2005 "two thousand five",
/// 2024 "twenty twenty four", 1900 "nineteen hundred", 2000 "two thousand".
pub fn year(n: u64) -> String {
    if !(1000..10000).contains(&n) {
        return cardinal(n);
    }
    let rest = n % 100;
    if n % 1000 < 10 && !(n / 1000).is_multiple_of(10) && rest < 10 && n % 1000 / 100 == 0 {
        // 2000-2009, 1000-1009: "two thousand five".
        return cardinal(n);
    }
    in_pairs(n)
}

/// A number of three or four digits said in pairs, as years and model numbers are: 1990
/// "nineteen ninety", 737 "seven thirty seven", 707 "seven oh seven", 800 "eight hundred".
pub fn in_pairs(n: u64) -> String {
    let (head, rest) = (n / 100, n % 100);
    match (head, rest) {
        (0, _) => cardinal(n),
        (_, 0) => format!("{} hundred", cardinal(head)),
        (_, 1..=9) => format!("{} oh {}", cardinal(head), cardinal(rest)),
        _ => format!("{} {}", cardinal(head), cardinal(rest)),
    }
}

/// Plural of a year or decade: 1990s -> "nineteen nineties".
pub fn plural(words: &str) -> String {
    if let Some(stem) = words.strip_suffix('y') {
        format!("{stem}ies")
    } else if words.ends_with("six") {
        format!("{words}es")
    } else {
        format!("{words}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cardinals() {
        assert_eq!(cardinal(0), "zero");
        assert_eq!(cardinal(123), "one hundred twenty three");
        assert_eq!(cardinal(14_000), "fourteen thousand");
        assert_eq!(cardinal(1_000_001), "one million one");
        assert_eq!(cardinal_digits("2000000000000"), "two trillion");
        assert_eq!(signed_cardinal(-7), "minus seven");
    }

    #[test]
    fn ordinals_and_years() {
        assert_eq!(ordinal(1), "first");
        assert_eq!(ordinal(22), "twenty second");
        assert_eq!(ordinal(121), "one hundred twenty first");
        assert_eq!(ordinal(40), "fortieth");
        assert_eq!(year(2024), "twenty twenty four");
        assert_eq!(year(2005), "two thousand five");
        assert_eq!(year(1905), "nineteen oh five");
        assert_eq!(year(1900), "nineteen hundred");
        assert_eq!(year(2000), "two thousand");
        assert_eq!(year(1066), "ten sixty six");
        assert_eq!(plural("nineteen ninety"), "nineteen nineties");
    }
}
