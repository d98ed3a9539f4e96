//! The normalizer's word lists, embedded from the TOML files in `data/` and parsed once.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct AbbreviationFile {
    title: HashMap<String, String>,
    general: HashMap<String, String>,
    month: HashMap<String, String>,
    day: HashMap<String, String>,
    state: HashMap<String, String>,
    state_words: Vec<String>,
    street_words: Vec<String>,
    compass: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct StateFile {
    postal: HashMap<String, String>,
    dotted: HashMap<String, String>,
}

#[derive(Debug, Deserialize)]
struct UnitFile {
    units: HashMap<String, [String; 2]>,
}

#[derive(Debug, Deserialize)]
struct CurrencyFile {
    symbols: HashMap<String, [String; 4]>,
    codes: HashMap<String, [String; 4]>,
}

#[derive(Debug, Deserialize)]
struct AcronymFile {
    say: Vec<String>,
    spell: Vec<String>,
}

/// A currency's names: "dollar"/"dollars" and the minor unit "cent"/"cents".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Currency {
    pub singular: String,
    pub plural: String,
    pub minor_singular: String,
    pub minor_plural: String,
}

impl From<&[String; 4]> for Currency {
    fn from(names: &[String; 4]) -> Self {
        Currency {
            singular: names[0].clone(),
            plural: names[1].clone(),
            minor_singular: names[2].clone(),
            minor_plural: names[3].clone(),
        }
    }
}

/// Kinds of abbreviation, which decide both the expansion and whether a period may end a
/// sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbbreviationKind {
    /// Comes before a name: "Gen.", "Dr."; never ends a sentence.
    Title,
    /// May end a sentence: "etc.", "Inc.", "U.S.".
    General,
    Month,
    Day,
    /// A U.S. state ("Ariz.", "St. Louis, Mo."); may end a sentence.
    State,
}

/// All word lists the normalizer and the sentence splitter use.
#[derive(Debug)]
pub struct Data {
    abbreviations: HashMap<String, (AbbreviationKind, String)>,
    abbreviations_folded: HashMap<String, (AbbreviationKind, String)>,
    pub units: HashMap<String, [String; 2]>,
    pub currency_symbols: Vec<(String, Currency)>,
    pub currency_codes: HashMap<String, Currency>,
    pub say_acronyms: HashSet<String>,
    pub spell_acronyms: HashSet<String>,
    /// U.S. states by postal code ("NY"), dotted form ("N.Y") and full name ("Ohio"), to
    /// their names; AP's abbreviations are [`AbbreviationKind::State`].
    pub states: HashMap<String, String>,
    /// State abbreviations that are also words or names ("Mass", "Wash").
    pub state_words: HashSet<String>,
    /// Compass points as weather reports write them: "SW" -> "southwest".
    pub compass: HashMap<String, String>,
    /// Street types ("Ave", "Street"), after which a quadrant ("NW") is a word.
    pub street_words: HashSet<String>,
    /// Longest multi-word abbreviation ("Lt. Gen"), in words.
    pub max_abbreviation_words: usize,
}

impl Data {
    /// The abbreviation written `word` (without its final period), if known. Titles and
    /// states match only as written ("Ft." is Fort, "ft." is not; "Wash." is Washington,
    /// "wash." is not); other kinds match in any case.
    pub fn abbreviation(&self, word: &str) -> Option<(AbbreviationKind, &str)> {
        self.abbreviations
            .get(word)
            .or_else(|| {
                self.abbreviations_folded
                    .get(&word.to_lowercase())
                    .filter(|(kind, _)| !matches!(kind, AbbreviationKind::Title | AbbreviationKind::State))
            })
            .map(|(kind, expansion)| (*kind, expansion.as_str()))
    }

    /// The currency a code such as "EUR" names.
    pub fn currency_code(&self, code: &str) -> Option<&Currency> {
        self.currency_codes.get(code)
    }
}

/// The embedded data, parsed on first use.
pub fn data() -> &'static Data {
    static DATA: OnceLock<Data> = OnceLock::new();
    DATA.get_or_init(|| {
        let abbreviation_file: AbbreviationFile =
            toml::from_str(include_str!("data/abbreviations.toml")).expect("abbreviations.toml is valid");
        let units: UnitFile = toml::from_str(include_str!("data/units.toml")).expect("units.toml is valid");
        let currencies: CurrencyFile =
            toml::from_str(include_str!("data/currencies.toml")).expect("currencies.toml is valid");
        let state_file: StateFile = toml::from_str(include_str!("data/states.toml")).expect("states.toml is valid");
        let full_names = state_file.postal.values().filter(|name| !name.contains(' ')).map(|name| (name.clone(), name.clone())).collect::<Vec<_>>();
        let states = state_file.postal.into_iter().chain(state_file.dotted).chain(full_names).collect();
        let acronyms: AcronymFile =
            toml::from_str(include_str!("data/acronyms.toml")).expect("acronyms.toml is valid");

        let state_words = abbreviation_file.state_words.into_iter().collect();
        let compass = abbreviation_file.compass;
        let street_words = abbreviation_file.street_words.into_iter().collect();
        let mut abbreviations = HashMap::new();
        for (kind, table) in [
            (AbbreviationKind::Title, abbreviation_file.title),
            (AbbreviationKind::General, abbreviation_file.general),
            (AbbreviationKind::Month, abbreviation_file.month),
            (AbbreviationKind::Day, abbreviation_file.day),
            (AbbreviationKind::State, abbreviation_file.state),
        ] {
            for (written, spoken) in table {
                abbreviations.insert(written, (kind, spoken));
            }
        }
        let abbreviations_folded =
            abbreviations.iter().map(|(written, value)| (written.to_lowercase(), value.clone())).collect();
        let max_abbreviation_words =
            abbreviations.keys().map(|key| key.split_whitespace().count()).max().unwrap_or(1);
        let mut currency_symbols: Vec<(String, Currency)> =
            currencies.symbols.iter().map(|(symbol, names)| (symbol.clone(), Currency::from(names))).collect();
        // Longest first, so that "US$" wins over "$".
        currency_symbols.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then(a.0.cmp(&b.0)));
        Data {
            abbreviations,
            abbreviations_folded,
            units: units.units,
            currency_symbols,
            currency_codes: currencies.codes.iter().map(|(code, names)| (code.clone(), Currency::from(names))).collect(),
            say_acronyms: acronyms.say.into_iter().collect(),
            spell_acronyms: acronyms.spell.into_iter().collect(),
            states,
            state_words,
            compass,
            street_words,
            max_abbreviation_words,
        }
    })
}
