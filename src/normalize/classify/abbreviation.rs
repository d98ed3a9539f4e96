//! Abbreviations ("Gen.", "Jan.", "U.S.") and party affiliations ("D-Calif.").

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    /// A lawmaker's party alone in brackets after the name: "Gov. Greg Abbott (R)".
    pub(super) fn party(&self, index: usize) -> Found {
        let piece = self.pieces[index];
        let party = match piece.core {
            "R" => "Republican",
            "D" => "Democrat",
            "I" => "Independent",
            _ => return None,
        };
        let named = index.checked_sub(1).is_some_and(|before| self.pieces[before].trail.is_empty() && self.pieces[before].core.starts_with(char::is_uppercase));
        (piece.lead == "(" && piece.trail.starts_with(')') && named).then(|| (1, Semiotic::Abbreviation(party.to_string())))
    }

    pub(super) fn abbreviation(&self, index: usize) -> Found {
        // Multi-word titles first: "Lt. Col.", "Maj. Gen.".
        for words in (2..=self.data.max_abbreviation_words).rev() {
            let Some(span) = self.pieces.get(index..index + words) else { continue };
            if span.iter().all(|p| p.dotted) {
                let key = span.iter().map(|p| p.core).collect::<Vec<_>>().join(". ");
                if let Some((_, expansion)) = self.data.abbreviation(&key) {
                    return Some((words, Semiotic::Abbreviation(expansion.to_string())));
                }
            }
        }
        let piece = self.pieces[index];
        // "Fig.2", "No.5", "Vol.3": a short form glued to its number.
        if let Some((word, digits)) = piece.core.split_once('.') {
            let number = (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| parse_number(digits)).flatten();
            let expansion = match word {
                "No" | "no" | "NO" => Some("number"),
                "Nos" | "nos" => Some("numbers"),
                _ => self.data.abbreviation(word).filter(|(kind, _)| *kind == AbbreviationKind::General).map(|(_, e)| e),
            };
            if let (Some(number), Some(expansion)) = (number, expansion) {
                return Some((1, Semiotic::Abbreviation(format!("{expansion} {}", number.words()))));
            }
        }
        let initialism = |core: &str| core.contains('.') && single_letters(core);
        // "the U.K.'s", "J.K.'s": a dotted abbreviation in the possessive.
        if let Some(stem) = possessive_stem(piece.core).and_then(|stem| stem.strip_suffix('.')) {
            let spoken = match self.data.abbreviation(stem) {
                Some((AbbreviationKind::General, expansion)) => Some(expansion.to_string()),
                _ => initialism(stem).then(|| spell(&stem.to_uppercase())),
            };
            return spoken.map(|spoken| (1, Semiotic::Abbreviation(format!("{spoken}'s"))));
        }
        // "No 10 said", "Route NO 41", "VOL 12 NO 7": a capitalized No or Vol before a number,
        // with or without its period.
        let before_number = self.core(index + 1).is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())) && piece.trail.is_empty();
        // After another number ("VOL 12 NO 7") it starts a new part of the reference.
        let after_number = index.checked_sub(1).and_then(|i| self.pieces.get(i)).is_some_and(|p| p.trail.is_empty() && p.core.bytes().all(|b| b.is_ascii_digit()));
        match piece.core {
            "No" | "NO" if before_number && after_number => return Some((1, Semiotic::Abbreviation(", number".to_string()))),
            "No" | "NO" if before_number => return Some((1, Semiotic::Abbreviation("number".to_string()))),
            "Nos" | "NOS" if before_number => return Some((1, Semiotic::Abbreviation("numbers".to_string()))),
            "Vol" | "VOL" | "vol" if before_number => return Some((1, Semiotic::Abbreviation("volume".to_string()))),
            _ => {}
        }
        // "c. 1850": about, before a year or a number.
        if piece.core == "c" && piece.dotted && self.core(index + 1).is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit())) {
            return Some((1, Semiotic::Abbreviation("circa".to_string())));
        }
        let previous = index.checked_sub(1).and_then(|i| self.pieces.get(i));
        let after_city = previous.is_some_and(|p| p.trail == "," && p.core.starts_with(char::is_uppercase));
        // "Trenton, N.J.,": AP's dotted form of a two-word state after a place and its comma
        // ("Washington, D.C." stays D C; "the N.Y. Times" and "N.C. State" stay letters).
        if piece.dotted && after_city && piece.core.contains('.') && piece.core != "D.C" {
            if let Some(state) = self.data.states.get(piece.core) {
                return Some((1, Semiotic::Abbreviation(state.clone())));
            }
        }
        let Some((kind, expansion)) = self.data.abbreviation(piece.core) else {
            // Any other initialism with periods is said letter by letter: "J.K.", "H.R.".
            return initialism(piece.core).then(|| (1, Semiotic::Spelled(spell(&piece.core.to_uppercase()))));
        };
        let next_capitalized = self.core(index + 1).is_some_and(|w| w.starts_with(char::is_uppercase));
        let next_is_number = self.core(index + 1).is_some_and(|w| w.starts_with(|c: char| c.is_ascii_digit()));
        let previous_names_a_place = previous.is_some_and(|p| {
            p.trail.is_empty() && (p.core.starts_with(char::is_uppercase) || p.core.starts_with(|c: char| c.is_ascii_digit()))
        });
        let spoken = match piece.core {
            "St" | "st" if piece.dotted || next_capitalized => {
                if next_capitalized && !previous_names_a_place { "Saint" } else { "Street" }
            }
            // "Lakeview Dr.", "48 Lakeview Dr., Fresno": a street, not a doctor before a name.
            "Dr" if previous_names_a_place && (!next_capitalized || piece.trail.starts_with(',')) => "Drive",
            "No" | "no" | "Nos" | "nos" if !(piece.dotted && next_is_number) => return None,
            // "Prop 50": a ballot measure's number; "Cat. 5", a hurricane's category. They are
            // words too ("a prop.", "the cat."): only before a number.
            "Prop" | "prop" | "Cat" | "cat" if next_is_number => expansion,
            "Prop" | "prop" | "Cat" | "cat" => return None,
            _ if kind == AbbreviationKind::State => {
                // "Ariz., Nev. and Ga.": most are nothing else; some are words or names too.
                let word_too = self.data.state_words.contains(piece.core);
                if !(piece.dotted && (after_city || !word_too)) {
                    return None;
                }
                expansion
            }
            // "in the 89th min.": the minute of a match, not a minimum.
            "min" if previous.is_some_and(|p| single(p.core).is_some_and(|s| matches!(s, Semiotic::Ordinal(_)))) => "minute",
            _ if piece.dotted => expansion,
            // Without its period only a title before a name, or "vs", is an abbreviation.
            _ if kind == AbbreviationKind::Title && next_capitalized && piece.core.len() <= 4
                && piece.core.starts_with(char::is_uppercase) && !matches!(piece.core, "Sen" | "Rep" | "Gen" | "Col" | "Maj" | "Mt" | "Ft" | "Fr" | "Sr" | "Jr" | "Lt" | "Det" | "Rev" | "Sv" | "Hon" | "Supt" | "Insp" | "Pres" | "Amb" | "Atty" | "Cmdr" | "Cpt" | "Capt" | "Sgt" | "Cpl" | "Pvt" | "Adm" | "Gov" | "Prof") => expansion,
            // A short form with a slash ("w/o", "n/a") is one with or without a period.
            _ if piece.core == "vs" || piece.core.contains(['/', ';']) => expansion,
            _ => return None,
        };
        Some((1, Semiotic::Abbreviation(spoken.to_string())))
    }
}

/// A lawmaker's party and state, as news copy writes them after the name: "D-Mass." ->
/// "Democrat of Massachusetts", "R-Ohio", "D-N.Y.", "I-VT" (the final period claimed).
pub(super) fn affiliation(core: &str, data: &Data) -> Option<String> {
    let (party, state) = core.split_once('-')?;
    let party = match party {
        "D" => "Democrat",
        "R" => "Republican",
        "I" => "Independent",
        _ => return None,
    };
    let state = match data.abbreviation(state) {
        Some((AbbreviationKind::State, name)) => name,
        _ => data.states.get(state)?,
    };
    Some(format!("{party} of {state}"))
}
