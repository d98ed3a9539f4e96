//! Telephone numbers.

#[allow(unused_imports)]
use super::*;

impl<'a> Classifier<'a> {
    pub(super) fn telephone(&self, index: usize) -> Found {
        // Gather up to six pieces that look like parts of a number: "+1", "(555)", "123-4567".
        let mut groups: Vec<String> = Vec::new();
        let mut used = 0;
        let plus = self.pieces[index].core.starts_with('+');
        for offset in 0..6 {
            let Some(piece) = self.pieces.get(index + offset) else { break };
            // "+1 (415) 555-0199": after a country code, the area code in brackets.
            let bracketed_area = plus && piece.lead == "(" && self.pieces[index + offset - offset.min(1)].trail.is_empty();
            if offset > 0 && !self.joined(index + offset - 1) && !self.pieces[index + offset - 1].trail.ends_with(')') && !bracketed_area {
                break;
            }
            if offset > 0 && piece.lead.contains('(') && !plus {
                break;
            }
            // "(415)-555-0199": an area code in brackets joined to the rest by a dash.
            let stripped = piece.core.trim_start_matches('+');
            let stripped = match stripped.split_once(")-") {
                Some((area, _)) if piece.lead.ends_with('(') && area.len() <= 4 => stripped.replacen(")-", "-", 1),
                _ => stripped.to_string(),
            };
            let parts: Vec<&str> = stripped.split(['-', '.', '–']).collect();
            let longest = if plus { 8 } else { 4 };
            if parts.iter().any(|p| p.is_empty() || !p.chars().all(|c| c.is_ascii_digit()) || p.len() > longest) {
                break;
            }
            groups.extend(parts.iter().map(|p| p.to_string()));
            used = offset + 1;
        }
        let lengths: Vec<usize> = groups.iter().map(String::len).collect();
        let digits: usize = lengths.iter().sum();
        let well_formed = if plus {
            (2..=7).contains(&groups.len()) && lengths[0] <= 3 && (8..=15).contains(&digits)
        } else {
            match lengths.as_slice() {
                [3, 3, 4] | [1, 3, 3, 4] => true,
                [3, 4] => used == 1 && !self.pieces[index].core.contains('.'),
                _ => false,
            }
        };
        if plus && well_formed {
            // The country code keeps its plus: it is said ("plus four four").
            groups[0].insert(0, '+');
        }
        well_formed.then_some((used, Semiotic::Telephone(groups)))
    }
}
