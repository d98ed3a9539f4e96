//! Roman numerals: "World War II", "Elizabeth II", "Super Bowl LVIII".

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    pub(super) fn roman(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let value = roman_value(piece.core)?;
        let before = index.checked_sub(1).and_then(|i| self.pieces.get(i))?;
        if !before.trail.is_empty() {
            return None;
        }
        let before_word = before.core;
        if REGNAL_NAMES.contains(&before_word) {
            return Some((1, Semiotic::Roman { value, regnal: true }));
        }
        if ROMAN_CONTEXT.iter().any(|word| word.eq_ignore_ascii_case(before_word)) {
            return Some((1, Semiotic::Roman { value, regnal: false }));
        }
        None
    }
}

pub(super) const ROMAN_CONTEXT: &[&str] = &[
    "War", "Chapter", "Part", "Volume", "Vol", "Act", "Book", "Phase", "Title", "Article", "Section",
    "Bowl", "Round", "Stage", "Class", "Category", "Type", "Level", "Grade", "Apollo", "Mark", "Division",
];

pub(super) const REGNAL_NAMES: &[&str] = &[
    "Henry", "Louis", "Elizabeth", "George", "Charles", "John", "Paul", "Benedict", "Pius", "Richard",
    "Edward", "William", "James", "Mary", "Peter", "Catherine", "Napoleon", "Frederick", "Philip",
    "Alexander", "Nicholas", "Leo", "Gregory", "Innocent", "Clement", "Ramses", "Constantine", "Ivan",
    "Francis", "Victor", "Juan", "Carlos", "Felipe", "Harald", "Olav", "Gustaf", "Willem", "Wilhelm",
    "Friedrich", "Ludwig", "Otto", "Boniface", "Urban", "Sixtus", "Rama", "Abdullah", "Hussein",
];

/// The value of a well-formed Roman numeral ("XIV" -> 14); None for anything else.
pub fn roman_value(text: &str) -> Option<u64> {
    if text.is_empty() || text.len() > 12 || !text.chars().all(|c| "IVXLCDM".contains(c)) {
        return None;
    }
    let value_of = |c: char| match c {
        'I' => 1, 'V' => 5, 'X' => 10, 'L' => 50, 'C' => 100, 'D' => 500, _ => 1000,
    };
    let values: Vec<i64> = text.chars().map(value_of).collect();
    let mut total: i64 = 0;
    for (at, &value) in values.iter().enumerate() {
        // A smaller numeral before a larger one is subtracted: "IV" = 5 - 1.
        if values.get(at + 1).is_some_and(|&next| next > value) {
            total -= value;
        } else {
            total += value;
        }
    }
    let total = u64::try_from(total).ok()?;
    // Reject non-canonical spellings ("IIII", "VX") by writing the value back.
    (to_roman(total).as_deref() == Some(text)).then_some(total)
}

pub(super) fn to_roman(mut value: u64) -> Option<String> {
    if value == 0 || value > 3999 {
        return None;
    }
    const TABLE: &[(u64, &str)] = &[
        (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
        (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
    ];
    let mut out = String::new();
    for &(amount, letters) in TABLE {
        while value >= amount {
            out.push_str(letters);
            value -= amount;
        }
    }
    Some(out)
}
