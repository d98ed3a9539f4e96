//! Rules that recognize page furniture in text, whatever the format it came in.

use std::sync::OnceLock;

use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct JunkRules {
    exact: Vec<String>,
    prefixes: Vec<String>,
    contains: Vec<String>,
    end_markers: Vec<String>,
    credit_words: Vec<String>,
    credit_lines: Vec<String>,
    caption_labels: Vec<String>,
    teaser_labels: Vec<String>,
    calls_to_action: Vec<String>,
    placeholder_bylines: Vec<String>,
    bio_roles: Vec<String>,
    form_fields: Vec<String>,
}

fn rules() -> &'static JunkRules {
    static RULES: OnceLock<JunkRules> = OnceLock::new();
    RULES.get_or_init(|| {
        toml::from_str(include_str!("data/junk.toml")).expect("embedded junk.toml is valid")
    })
}

fn folded(text: &str) -> String {
    super::squash_whitespace(text)
        .to_lowercase()
        .replace(['’', '‘'], "'")
        .trim_matches(|c: char| c == '.' || c == ':' || c == ',' || c == '|' || c == '»' || c == '›')
        .trim()
        .to_string()
}

/// True when a whole line or block is page furniture: UI words, forms, banners, reading times,
/// wire credits ("Reporting by Jane Roe; Editing by John Doe").
pub fn is_junk(text: &str) -> bool {
    let line = folded(text);
    // Rules and separators ("___", "* * *") have nothing to say.
    if !line.chars().any(char::is_alphanumeric) {
        return true;
    }
    let rules = rules();
    if is_credit_line(text, &line) {
        return true;
    }
    let normalized_apostrophes = |s: &String| s.replace('’', "'");
    rules.exact.iter().any(|phrase| normalized_apostrophes(phrase) == line)
        || rules.teaser_labels.contains(&line)
        || rules.caption_labels.contains(&line)
        || rules.prefixes.iter().any(|prefix| line.starts_with(prefix.as_str()))
        || rules.contains.iter().any(|needle| line.contains(needle.as_str()))
        || is_reading_time(&line)
        || is_call_to_action(&line)
        || is_bare_address(&line)
}

/// A short block that asks the reader to sign up, download, follow or write in.
fn is_call_to_action(line: &str) -> bool {
    line.split_whitespace().count() <= 40 && rules().calls_to_action.iter().any(|phrase| line.contains(phrase.as_str()))
}

/// A web address alone on a line ("example.com", "www.example.co.uk"): a site's name or a
/// link, not a sentence.
fn is_bare_address(line: &str) -> bool {
    let line = line.trim_start_matches("https://").trim_start_matches("http://").trim_end_matches('/');
    let Some((host, top)) = line.rsplit_once('.') else {
        return false;
    };
    !line.contains(char::is_whitespace)
        && (2..=6).contains(&top.len())
        && top.chars().all(|c| c.is_ascii_alphabetic())
        && !host.is_empty()
        && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-'))
        && host.chars().any(|c| c.is_ascii_alphabetic())
}

/// True when a paragraph of up to 80 words reads as its author's biography: a name of two to four capitalized
/// words, then "is" or "was" and a role ("Ann Lee is a reporter at ...", "Bo Chen covers ...").
pub fn is_author_bio(text: &str) -> bool {
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.len() > 80 {
        return false;
    }
    let name_length = words.iter().take_while(|word| word.starts_with(char::is_uppercase)).count();
    if !(2..=4).contains(&name_length) {
        return false;
    }
    let verb = words.get(name_length).copied().unwrap_or("");
    let rest = words[name_length..].join(" ").to_lowercase();
    let role = rules().bio_roles.iter().any(|role| rest.split(|c: char| !c.is_alphanumeric()).any(|word| word == role));
    (matches!(verb, "is" | "was") || verb == "covers") && role
}

/// True when a furniture line belongs to a form ("Email address", "Sign up").
pub fn is_form_field(text: &str) -> bool {
    let line = folded(text);
    rules().form_fields.iter().any(|field| line.contains(field.as_str()))
}

/// True when a byline names nobody ("Staff Writer", "No Author").
pub fn is_placeholder_byline(byline: &str) -> bool {
    let line = folded(byline);
    rules().placeholder_bylines.contains(&line)
}

/// "Reporting by Jane Roe; Editing by John Doe": a wire service's credits, not a sentence
/// that starts so (it ends with a period).
fn is_credit_line(text: &str, folded: &str) -> bool {
    let credit_line = rules().credit_lines.iter().any(|credit| folded.starts_with(credit.as_str()));
    credit_line && !text.trim_end().ends_with('.') && folded.split_whitespace().count() <= 16
}

/// True when a line labels the headlines of other stories after it ("Recommended for you").
pub fn is_teaser_label(text: &str) -> bool {
    let line = folded(text);
    rules().teaser_labels.contains(&line)
}

/// True when a line labels the caption on the line after it ("Image caption,").
pub fn is_caption_label(text: &str) -> bool {
    let line = folded(text);
    rules().caption_labels.contains(&line)
}

/// True when a line opens the comment section or another end-of-article area.
pub fn ends_article(text: &str) -> bool {
    let line = folded(text);
    let without_count = line.trim_start_matches(|c: char| c.is_ascii_digit() || c == ',').trim();
    rules().end_markers.iter().any(|marker| marker == without_count) || is_credit_line(text, &line)
}

/// "5 min read", "3 minute read", "Reading time: 4 minutes".
fn is_reading_time(line: &str) -> bool {
    let line = line.strip_prefix("estimated ").unwrap_or(line);
    let words: Vec<&str> = line.split_whitespace().collect();
    if words.len() > 4 {
        return false;
    }
    let has_number = words.iter().any(|w| w.chars().all(|c| c.is_ascii_digit()));
    has_number && (line.ends_with("min read") || line.ends_with("minute read") || line.ends_with("minutes read") || line.starts_with("reading time") || line.starts_with("read time"))
}

/// True when a line is a photo caption: it ends in a credit parenthesis such as
/// "(Kim Won Jin / AFP via Getty Images)" or "(President Volodymyr Zelensky/Telegram)", or in
/// a labelled credit such as "Photograph: Jane Doe/Reuters".
pub fn is_caption(text: &str) -> bool {
    let trimmed = text.trim().trim_end_matches('.');
    for label in ["Photo: ", "Photograph: ", "Picture: ", "Image: ", "Credit: ", "Photo by ", "Photograph by "] {
        if let Some(at) = trimmed.rfind(label) {
            let credit = &trimmed[at + label.len()..];
            let words = credit.split_whitespace().count();
            if (1..=8).contains(&words) && !credit.contains(". ") {
                return true;
            }
        }
    }
    if trailing_credit(trimmed) {
        return true;
    }
    let Some(inner) = trimmed.strip_suffix(')') else {
        return false;
    };
    let Some(open) = inner.rfind('(') else {
        return false;
    };
    let credit = inner[open + 1..].to_lowercase();
    if credit.len() > 120 {
        return false;
    }
    // A credit names an agency or carries the "Photographer / Agency" slash.
    let has_slash = credit.contains('/');
    let has_agency =
        rules().credit_words.iter().any(|word| word != "/" && contains_word(&credit, word));
    has_slash || (has_agency && credit.split_whitespace().count() <= 8)
}

/// A caption's credit written after its last sentence without brackets: "... on Aug. 11,
/// 2024. REUTERS/Jane Roe", "... in Kyiv. AP Photo/John Doe".
fn trailing_credit(caption: &str) -> bool {
    let Some((before, credit)) = caption.rsplit_once(". ") else {
        return false;
    };
    let words: Vec<&str> = credit.split_whitespace().collect();
    let (agency, _) = credit.split_once('/').unwrap_or((credit, ""));
    let agency_named = agency.chars().filter(|c| c.is_alphabetic()).count() >= 2 && !agency.chars().any(char::is_lowercase)
        || rules().credit_words.iter().any(|word| word != "/" && contains_word(&agency.to_lowercase(), word));
    !before.is_empty() && credit.contains('/') && (2..=6).contains(&words.len()) && agency_named
}

fn contains_word(haystack: &str, word: &str) -> bool {
    haystack.match_indices(word).any(|(at, _)| {
        let before = haystack[..at].chars().next_back();
        let after = haystack[at + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_furniture() {
        for line in ["Skip to content", "* indicates required", "5 min read", "Editors’ Picks",
            "Subscribe", "Please, enter correct email address", "This audio is created with AI assistance",
            "Continue reading below", "Story continues below advertisement", "Image source, Getty Images",
            "Related topics", "More on this story", "Media caption,", "Estimated reading time: 6 minutes",
            "Subscribe to get new posts by email.", "Sign up here.",
            "Thank you for signing up for this newsletter. We’ve sent you a confirmation email."] {
            assert!(is_junk(line), "{line}");
        }
        assert!(is_junk("Reporting by Jane Roe; Editing by John Doe"));
        for line in ["Never miss a story by signing up to our daily newsletter.", "For breaking news, download the Tribune apps for iOS and Android.",
            "Follow the Ledger on Twitter and Instagram @ledger.", "Submit your letter to the editor via this form.",
            "EXAMPLENEWS.COM", "www.example.co.uk", "Category : Local News", "Release Date:"] {
            assert!(is_junk(line), "{line}");
        }
        let quoted = "The mayor told residents to follow us on the new app, she joked, before she turned to the budget: a plan that would cut spending on roads, raise fees for parking downtown, and fund three new libraries over the coming five years, which the council is expected to approve in a vote next month after two public hearings.";
        assert!(!is_junk(quoted));
        for line in ["He moved to Example.com in 2019.", "3.5", "U.S."] {
            assert!(!is_junk(line), "{line}");
        }
        assert!(is_author_bio("Ann Lee is the founder of Lee Media, a consultancy in Kingstown."));
        assert!(is_author_bio("Bo Chen covers city hall for the Ledger."));
        assert!(!is_author_bio("Ann Lee is expected to resign on Friday, her office said."));
        assert!(!is_author_bio("The reporter is here."));
        assert!(is_placeholder_byline("Staff Writer") && is_placeholder_byline("No Author") && !is_placeholder_byline("Ann Lee"));
        assert!(is_junk("Our Standards: The Thomson Reuters Trust Principles."));
        for line in ["The minister said the talks would resume.", "Redeployment to Ukraine?", "Reporting by the agency showed a rise in cases."] {
            assert!(!is_junk(line), "{line}");
        }
    }

    #[test]
    fn recognizes_the_end_of_an_article() {
        assert!(ends_article("12 Comments"));
        assert!(ends_article("Join the conversation"));
        assert!(ends_article("About the authors"));
        assert!(is_caption_label("Image caption,"));
        assert!(!is_caption_label("The caption contest drew 300 entries."));
        assert!(!ends_article("The comments drew criticism from the opposition."));
    }

    #[test]
    fn recognizes_captions() {
        assert!(is_caption("Soldiers march in a square on May 1, 2025. (Jane Roe / AFP via Getty Images)"));
        assert!(is_caption("A captured soldier. Photo published on Jan. 11, 2025. (Ministry of Defense/Telegram)"));
        assert!(is_caption("The harbor at dawn (Reuters)"));
        assert!(is_caption("Commuters wait on a platform on Monday. Photograph: Jane Doe/Reuters"));
        assert!(is_caption("A ferry leaves the port. Photo by Sam Lee for The Daily"));
        assert!(!is_caption("The museum said the Photo: exhibit, which opened in May after years of planning. It closes soon."));
        assert!(!is_caption("The council approved the plan (by a vote of 7 to 2)."));
        assert!(!is_caption("He was born in 1970 (in Lviv)."));
        assert!(is_caption("A helicopter drops water near a village on Aug. 11, 2024. REUTERS/Jane Roe"));
        assert!(is_caption("Crowds gather in the square. AP Photo/John Doe"));
        assert!(!is_caption("Sales rose. The ratio was 3/4 in May."));
        assert!(!is_caption("The talks ended. Kyiv/Moscow relations remain tense today."));
    }
}
