//! Plain text, often copied or scraped from a web page with the page's junk still in it.
//!
//! The rules work on lines and on blank-line separated groups: furniture phrases, captions,
//! lines repeated on the page, teaser boxes (a headline glued to a truncated paragraph), and
//! whatever precedes the first or follows the last paragraph of real prose.

use std::collections::HashMap;

use super::{junk, squash_whitespace, Article, Block, BlockKind, Dropped};

const MONTHS: [&str; 12] = [
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december",
];

#[cfg(test)]
pub fn extract(input: &str) -> Article {
    extract_explained(input).0
}

/// The article of a text, with every line that was dropped and the rule that dropped it.
pub fn extract_explained(input: &str) -> (Article, Vec<Dropped>) {
    let mut dropped = Vec::new();
    let mut dropping = |line: &str, rule: &'static str| dropped.push(Dropped { text: line.to_string(), rule });
    let groups = line_groups(input);
    let mut repeats: HashMap<String, usize> = HashMap::new();
    for line in groups.iter().flatten() {
        *repeats.entry(line.to_lowercase()).or_default() += 1;
    }

    let mut article = Article::default();
    let mut blocks: Vec<Block> = Vec::new();
    // The line after a caption label ("Image caption,") is the caption.
    let mut caption_next = false;
    // Headlines after a teaser label ("Recommended for you") are other stories.
    let mut teasers_next = false;
    'groups: for group in &groups {
        // Section links over the headline ("Home", "News", "Sport", then the headline) are
        // not a list of other stories: the headline is read.
        let links_then_headline = article.title.is_none() && blocks.is_empty() && links_over_headline(group);
        let group_rule = if is_teaser(group) {
            Some("teaser: a headline over a cut-off paragraph")
        } else if is_link_list(group) && !links_then_headline {
            Some("list of links or headlines")
        } else if is_form(group) {
            Some("sign-up form")
        } else {
            None
        };
        if let Some(rule) = group_rule {
            group.iter().for_each(|line| dropping(line, rule));
            continue;
        }
        for line in join_wrapped(group) {
            if std::mem::take(&mut caption_next) {
                dropping(&line, "caption (after a caption label)");
                continue;
            }
            if junk::is_caption_label(&line) {
                caption_next = true;
                dropping(&line, "caption label");
                continue;
            }
            if junk::is_teaser_label(&line) {
                teasers_next = true;
                dropping(&line, "teaser label");
                continue;
            }
            if teasers_next && is_headline_like(&line) && !junk::ends_article(&line) {
                dropping(&line, "teaser headline (after a teaser label)");
                continue;
            }
            teasers_next = false;
            if let Some((byline, date)) = parse_byline(&line) {
                article.byline = article.byline.or(byline.filter(|name| !junk::is_placeholder_byline(name)));
                article.date = article.date.or(date);
                continue;
            }
            // A date alone on a line above the story ("March 3, 2026", "Tue 3 March 2026
            // 10:15 GMT") is the article's date.
            if article.date.is_none() && !blocks.iter().any(|block| is_prose(&block.text)) {
                if let Some(date) = bare_date(&line) {
                    article.date = Some(date);
                    continue;
                }
            }
            // Only after some of the story: "128 comments" over the byline is a count.
            if junk::ends_article(&line) && blocks.iter().any(|block| is_prose(&block.text)) {
                dropping(&line, "end of the article (comments, footer, credits) and all after it");
                break 'groups;
            }
            // A line that is one of the byline's names, after the story, heads the author's
            // bio ("TERRY MORALES" over "Morales covers weather ..."): the story has ended.
            if article.byline.as_deref().is_some_and(|byline| names_in(byline).any(|name| name.eq_ignore_ascii_case(&line))) && blocks.iter().any(|block| is_prose(&block.text)) {
                dropping(&line, "the author's biography and all after it");
                break 'groups;
            }
            let repeated = repeats.get(&line.to_lowercase()).copied().unwrap_or(0) > 1;
            let line_rule = if junk::is_junk(&line) {
                Some("page furniture (junk.toml)")
            } else if junk::is_caption(&line) {
                Some("photo caption or credit")
            } else if repeated && !is_prose(&line) {
                Some("repeated on the page")
            } else {
                None
            };
            if let Some(rule) = line_rule {
                dropping(&line, rule);
                continue;
            }
            // The headline: the first title-like line, or a longer one that comes after
            // section links ("World", "Business", "Local news") before any prose; the links
            // are not read.
            let short = |text: &str| text.split_whitespace().count() <= 2;
            if is_title_like(&line) && !blocks.iter().any(|block| is_prose(&block.text)) {
                let after_links = article.title.as_deref().map_or(!blocks.is_empty(), short) && !short(&line);
                if after_links || (article.title.is_none() && blocks.is_empty()) {
                    blocks.drain(..).for_each(|block| dropping(&block.text, "section links over the headline"));
                    article.title = Some(line);
                    continue;
                }
            }
            // A section label above the headline ("LOCAL NEWS") is not read either.
            if article.title.is_none() && blocks.is_empty() && !line.chars().any(char::is_lowercase) {
                dropping(&line, "section label above the headline");
                continue;
            }
            if article.title.as_deref() == Some(line.as_str()) {
                dropping(&line, "the headline again");
                continue;
            }
            blocks.push(classify(&line));
        }
    }
    let kept = keep_body(blocks.clone());
    let kept_texts: std::collections::HashSet<&str> = kept.iter().map(|block| block.text.as_str()).collect();
    for block in blocks.iter().filter(|block| !kept_texts.contains(block.text.as_str())) {
        dropping(&block.text, "outside the story: before its first or after its last paragraph of prose");
    }
    article.blocks = kept;
    // A line of text alone ("Hello world") is what to read, not a headline over nothing.
    if article.blocks.is_empty() {
        if let Some(title) = article.title.take() {
            article.blocks.push(Block::paragraph(&title));
        }
    }
    // Rules that dropped every line must not drop the prose among them: what reads as
    // sentences is read, with a note that the article could not be told from the page.
    if article.is_empty() {
        article.blocks = groups.iter().flatten().filter(|line| is_prose(line) && !junk::is_junk(line)).map(|line| Block::paragraph(line.as_str())).collect();
        if !article.is_empty() {
            article.notes.push("no article could be told apart from the page around it; reading every line of prose".to_string());
        }
    }
    (article, dropped)
}

/// Lines grouped by blank lines, each line with its white space folded.
fn line_groups(input: &str) -> Vec<Vec<String>> {
    let mut groups = vec![Vec::new()];
    for raw in input.lines() {
        let line = squash_whitespace(raw);
        if line.is_empty() {
            if !groups.last().is_some_and(Vec::is_empty) {
                groups.push(Vec::new());
            }
        } else {
            groups.last_mut().expect("groups is never empty").push(line);
        }
    }
    groups.retain(|group| !group.is_empty());
    groups
}

/// Joins hard-wrapped lines of one paragraph; keeps separate lines that are separate blocks.
/// A group counts as hard-wrapped when all its lines but the last are of typing width.
fn join_wrapped(group: &[String]) -> Vec<String> {
    let widths: Vec<usize> = group[..group.len().saturating_sub(1)].iter().map(|line| line.chars().count()).collect();
    let wrapped = !widths.is_empty()
        && widths.iter().all(|width| (50..=100).contains(width))
        && widths.iter().max().unwrap_or(&0) - widths.iter().min().unwrap_or(&0) <= 25;
    let mut out: Vec<String> = Vec::new();
    for line in group {
        let continues = out.last().is_some_and(|previous: &String| {
            !ends_sentence(previous)
                && !is_list_marker(line)
                && (line.starts_with(|c: char| c.is_lowercase()) || wrapped)
        });
        if continues {
            let previous = out.last_mut().expect("checked above");
            previous.push(' ');
            previous.push_str(line);
        } else {
            out.push(line.clone());
        }
    }
    out
}

/// A related-story box pasted into the text: a headline line glued to a paragraph that is cut
/// off mid-sentence.
fn is_teaser(group: &[String]) -> bool {
    let headline = &group[0];
    let headline_like = headline.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '“')
        && headline.split_whitespace().count() <= 20
        && !headline.trim_end_matches(['"', '”', '\'', '’']).ends_with('.');
    group.len() >= 2
        && headline_like
        && group.last().is_some_and(|last| !ends_sentence(last) && last.split_whitespace().count() > 8)
}

/// A newsletter or sign-up box: most of its lines are furniture ("Sign up for our briefing",
/// "Email address", "Sign up"), and the pitch between them, a line or a few, goes with them.
/// (A page pasted without blank lines is one group of furniture and story lines alike.)
fn is_form(group: &[String]) -> bool {
    let furniture = group.iter().filter(|line| junk::is_junk(line)).count();
    // "Menu", a sentence, "Terms of Use" is a page's one paragraph between its links.
    let has_field = group.iter().any(|line| junk::is_junk(line) && junk::is_form_field(line));
    group.len() >= 3 && furniture * 2 >= group.len() && group.len() - furniture <= 3 && has_field
}

/// Lines of related-story links: a label such as "Related:" over headlines, or several
/// headlines with nothing else. Section headings stand alone in their group.
fn is_link_list(group: &[String]) -> bool {
    let labelled = group.len() >= 2 && junk::is_junk(&group[0]) && group[1..].iter().all(|line| is_headline_like(line));
    let headlines = group.len() >= 2 && group.iter().all(|line| is_headline_like(line) && parse_byline(line).is_none());
    labelled || headlines
}

/// Short lines (section links) and, last, a longer title-like line: a page's navigation
/// over its headline.
fn links_over_headline(group: &[String]) -> bool {
    let Some((headline, links)) = group.split_last() else { return false };
    !links.is_empty() && is_title_like(headline) && headline.split_whitespace().count() >= 5 && links.iter().all(|line| line.split_whitespace().count() <= 3)
}

/// "by Jane Roe April 29, 2025 5:24 PM 5 min read", "By Jane Roe", "Published April 29, 2025".
pub(super) fn parse_byline(line: &str) -> Option<(Option<String>, Option<String>)> {
    let lower = line.to_lowercase();
    let rest = if lower.starts_with("by ") {
        &line[3..]
    } else if lower.starts_with("published ") || lower.starts_with("updated ") {
        let after = line.split_once(' ')?.1;
        return find_date(after).map(|date| (None, Some(date)));
    } else {
        return None;
    };
    if rest.split_whitespace().count() > 16 || ends_sentence(line) && !lower.ends_with("read") {
        return None;
    }
    let words: Vec<&str> = rest.split_whitespace().collect();
    // A month starts the date only with a number after it: "By Ann Lee June 5, 2026", not
    // "By TERRY MORALES and JUNE OKAFOR".
    let dated = |at: usize| words.get(at + 1).is_some_and(|next| next.starts_with(|c: char| c.is_ascii_digit()));
    let month_at = (0..words.len()).find(|&at| is_month(words[at]) && dated(at));
    let name_words = &words[..month_at.unwrap_or(words.len())];
    let name = without_role(&name_words.join(" ")).trim_end_matches([',', '|', '-', '—']).trim().to_string();
    // A byline in capitals ("By TERRY MORALES") is read as names, not letters.
    let shouted = name.split_whitespace().filter(|word| !matches!(*word, "and" | "of" | "the")).all(|word| !word.chars().any(char::is_lowercase));
    let name = if shouted { title_case_words(&name) } else { name };
    let name = (!name.is_empty() && name.split_whitespace().count() <= 8).then_some(name);
    let date = month_at.and_then(|_| find_date(rest));
    Some((name, date))
}

/// The names of a byline: "Ann Lee, Bo Chen and Cy Dee" -> "Ann Lee", "Bo Chen", "Cy Dee".
fn names_in(byline: &str) -> impl Iterator<Item = &str> {
    byline.split([',', '&']).flat_map(|part| part.split(" and ")).map(str::trim).filter(|name| !name.is_empty())
}

/// "TERRY MORALES AND JUNE O'NEIL" -> "Terry Morales and June O'neil": each word capitalized,
/// the joining words in lower case.
fn title_case_words(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .map(|word| {
            let lower = word.to_lowercase();
            if matches!(lower.as_str(), "and" | "of" | "the") {
                return lower;
            }
            let mut chars = lower.chars();
            chars.next().map_or_else(String::new, |first| first.to_uppercase().chain(chars).collect())
        })
        .collect();
    words.join(" ")
}

/// A byline's names without the job title after them: "Rosa Delgado | Staff writer",
/// "Ann Lee, Senior Reporter". Commas between names ("Ann Lee, Bo Chen and Cy Dee") stay.
fn without_role(names: &str) -> &str {
    const ROLES: [&str; 9] = ["writer", "reporter", "correspondent", "editor", "contributor", "columnist", "producer", "staff", "journalist"];
    let names = names.split(" | ").next().unwrap_or(names);
    match names.rsplit_once(", ") {
        Some((before, last)) if ROLES.iter().any(|role| last.to_lowercase().split_whitespace().any(|word| word.trim_end_matches('s') == *role)) => before,
        _ => names,
    }
}

/// The first "Month day, year" in a line.
fn find_date(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let at = words.iter().position(|w| is_month(w))?;
    let date: Vec<&str> = words[at..].iter().take(3).copied().collect();
    let text = date.join(" ");
    let keep = text
        .char_indices()
        .rfind(|(_, c)| c.is_ascii_digit())
        .map_or(text.len(), |(at, c)| at + c.len_utf8());
    Some(text[..keep].to_string())
}

/// The date of a line that holds a date and nothing else: month, day and year, with at most
/// a weekday, a time and a time zone around them.
fn bare_date(line: &str) -> Option<String> {
    // "November 26, 2026 4:12 PM UTC Updated 2 hours ago": the first date is the article's.
    let line = match line.to_ascii_lowercase().find(" updated ") {
        Some(at) if at > 0 => &line[..at],
        _ => line,
    };
    const WEEKDAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    const CLOCK_WORDS: [&str; 14] = ["am", "pm", "a.m", "p.m", "at", "et", "est", "edt", "pt", "pst", "pdt", "gmt", "utc", "bst"];
    let words: Vec<String> = line.split_whitespace().map(|w| w.trim_matches([',', '.', '|', '(', ')']).to_lowercase()).filter(|w| !w.is_empty()).collect();
    if words.len() > 8 {
        return None;
    }
    let day_digits = |word: &str| -> bool {
        let digits = ["st", "nd", "rd", "th"].iter().find_map(|suffix| word.strip_suffix(suffix)).unwrap_or(word);
        !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())
    };
    let dated = |word: &String| {
        is_month(word)
            || (word.len() >= 3 && WEEKDAYS.iter().any(|day| day.starts_with(word.as_str())))
            || day_digits(word)
            || (word.contains(':') && word.bytes().all(|b| b.is_ascii_digit() || b == b':'))
            || CLOCK_WORDS.contains(&word.as_str())
    };
    let has_year = words.iter().any(|w| w.len() == 4 && w.bytes().all(|b| b.is_ascii_digit()));
    if !has_year || !words.iter().all(dated) {
        return None;
    }
    // Day before month ("3 March 2026") is said in the order it is written.
    let month_at = words.iter().position(|w| is_month(w))?;
    let day_first = month_at > 0 && day_digits(&words[month_at - 1]);
    if day_first {
        let original: Vec<&str> = line.split_whitespace().map(|w| w.trim_matches([',', '|'])).collect();
        let at = original.iter().position(|w| is_month(w))?;
        return Some(original[at.checked_sub(1)?..(at + 2).min(original.len())].join(" "));
    }
    find_date(line)
}

fn is_month(word: &str) -> bool {
    let word = word.trim_end_matches(['.', ',']).to_lowercase();
    word.len() >= 3 && MONTHS.iter().any(|month| month.starts_with(&word))
}

fn classify(line: &str) -> Block {
    if let Some(item) = list_item_text(line) {
        return Block { kind: BlockKind::ListItem, text: item.to_string() };
    }
    if let Some(quote) = line.strip_prefix("> ") {
        return Block { kind: BlockKind::Quote, text: quote.trim().to_string() };
    }
    if is_headline_like(line) {
        Block::heading(2, line)
    } else {
        Block::paragraph(line)
    }
}

fn is_list_marker(line: &str) -> bool {
    list_item_text(line).is_some()
}

fn list_item_text(line: &str) -> Option<&str> {
    ["- ", "* ", "• ", "– "].iter().find_map(|marker| line.strip_prefix(marker)).map(str::trim)
}

/// Keeps the body: from the first paragraph of real prose to the last, dropping cut-off
/// fragments and headings with nothing under them.
fn keep_body(blocks: Vec<Block>) -> Vec<Block> {
    let is_body_prose = |block: &Block| block.kind != BlockKind::Heading { level: 2 } && is_prose(&block.text);
    let Some(mut first) = blocks.iter().position(is_body_prose) else {
        return blocks.into_iter().filter(|b| b.kind != BlockKind::Heading { level: 2 }).collect();
    };
    let mut last = blocks.iter().rposition(is_body_prose).unwrap_or(first);
    // Short sentences next to the body belong to it ("Rain fell." before it, "He was 71."
    // after it); a heading or a fragment between them and the body ends the story.
    let short_sentence = |block: &Block| block.kind == BlockKind::Paragraph && ends_sentence(&block.text);
    while first > 0 && short_sentence(&blocks[first - 1]) {
        first -= 1;
    }
    while last + 1 < blocks.len() && short_sentence(&blocks[last + 1]) {
        last += 1;
    }
    let mut body: Vec<Block> = blocks[first..=last]
        .iter()
        .filter(|block| {
            block.kind != BlockKind::Paragraph || ends_sentence(&block.text) || block.text.split_whitespace().count() < 8
        })
        .cloned()
        .collect();
    // A heading followed directly by another heading announces nothing.
    let mut index = 0;
    while index + 1 < body.len() {
        let both_headings = matches!(body[index].kind, BlockKind::Heading { .. })
            && matches!(body[index + 1].kind, BlockKind::Heading { .. });
        if both_headings {
            body.remove(index);
        } else {
            index += 1;
        }
    }
    body
}

/// Ends like a sentence: terminal punctuation, possibly followed by closing quotes or brackets.
pub(crate) fn ends_sentence(text: &str) -> bool {
    let trimmed = text.trim_end_matches(['"', '”', '’', '\'', ')', ']', '»', ' ']);
    trimmed.ends_with(['.', '!', '?', '…', ':'])
}

/// A sentence or more of running text.
fn is_prose(text: &str) -> bool {
    ends_sentence(text) && text.split_whitespace().count() >= 6
}

/// Short, capitalized, and not ending like a sentence: a headline or section heading.
fn is_headline_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    let starts_capital = line.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '“');
    let question = line.ends_with('?');
    starts_capital
        && (1..=14).contains(&words)
        && (!ends_sentence(line) || (question && words <= 8))
        && !line.ends_with(',')
}

/// A title can be longer than a heading ("What's next for ...? A possible ..., experts say").
fn is_title_like(line: &str) -> bool {
    let words = line.split_whitespace().count();
    // "LOCAL NEWS", "WORLD": a section label above the headline.
    let shouted = !line.chars().any(char::is_lowercase);
    !shouted
        && line.starts_with(|c: char| c.is_uppercase() || c.is_ascii_digit() || c == '"' || c == '“')
        && (2..=30).contains(&words)
        && !line.ends_with('.')
}

#[cfg(test)]
mod tests {
    use super::*;

    const SCRAPED: &str = "Skip to content\n\nCity council approves new tram line after long debate\n\n\
by Jane Roe March 3, 2026 9:10 AM 4 min read\n\
Workers repair tracks near the depot on Feb. 2, 2026. (John Doe / AFP via Getty Images)\n\
by Jane Roe March 3, 2026 9:10 AM 4 min read\n\n\
The city council voted 7 to 2 on Tuesday to build a new tram line, ending months of debate.\n\n\
Construction will start in May and cost $120 million, officials said.\n\n\
Budget questions\n\n\
Critics said the estimate was too optimistic for a project of this size.\n\n\
Opinion: Why trams are back in fashion across Europe\n\
Across the continent, city after city is reviving transport that was abandoned in the\n\n\
The mayor said the first trams would run in 2028.\n\n\
Editors' Picks\n\nSubscribe\n* indicates required\nSubscribe\n* indicates required\n";

    #[test]
    fn scraped_page_keeps_only_the_story() {
        let article = extract(SCRAPED);
        assert_eq!(article.title.as_deref(), Some("City council approves new tram line after long debate"));
        assert_eq!(article.byline.as_deref(), Some("Jane Roe"));
        assert_eq!(article.date.as_deref(), Some("March 3, 2026"));
        let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, [
            "The city council voted 7 to 2 on Tuesday to build a new tram line, ending months of debate.",
            "Construction will start in May and cost $120 million, officials said.",
            "Budget questions",
            "Critics said the estimate was too optimistic for a project of this size.",
            "The mayor said the first trams would run in 2028.",
        ]);
        assert_eq!(article.blocks[2].kind, BlockKind::Heading { level: 2 });
    }

    #[test]
    fn a_date_alone_on_a_line_above_the_story_is_the_date() {
        for (line, date) in [("March 3, 2026", Some("March 3, 2026")), ("Tue 3 March 2026 10:15 GMT", Some("3 March 2026")), ("March 3, 2026, 5:24 PM ET", Some("March 3, 2026")), ("In March 2026 rain fell", None)] {
            let article = extract(&format!("Storm closes schools across the region\n\n{line}\n\nSchools in three counties closed on Tuesday as a late storm dropped up to 14 inches of snow.\n"));
            assert_eq!(article.date.as_deref(), date, "{line}");
        }
        assert_eq!(bare_date("The vote was on March 3, 2026 in the capital."), None);
    }

    #[test]
    fn a_byline_names_people_without_their_job_titles() {
        for (line, names) in [
            ("By Rosa Delgado | Staff writer", "Rosa Delgado"),
            ("By Ann Lee, Senior Reporter", "Ann Lee"),
            ("By Ann Lee, Bo Chen and Cy Dee", "Ann Lee, Bo Chen and Cy Dee"),
            ("By Ann Lee and Bo Chen, Foreign Correspondents", "Ann Lee and Bo Chen"),
            ("By TERRY MORALES and JUNE OKAFOR", "Terry Morales and June Okafor"),
            ("By April Ryan May 5, 2026", "April Ryan"),
        ] {
            assert_eq!(parse_byline(line).and_then(|(name, _)| name).as_deref(), Some(names), "{line}");
        }
    }

    #[test]
    fn section_links_above_the_headline_are_not_read() {
        let article = extract("World\nBusiness\nLocal news\nWildfire forces thousands to flee\nBy Jo Lee\nThe fire burned through the night and forced many residents to flee.\n");
        assert_eq!(article.title.as_deref(), Some("Wildfire forces thousands to flee"));
        let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["The fire burned through the night and forced many residents to flee."]);
        // A short headline over the story stays the headline.
        let article = extract("Breaking news\n\nThe mayor resigned on Monday after weeks of pressure.\n");
        assert_eq!(article.title.as_deref(), Some("Breaking news"));
    }

    #[test]
    fn short_sentences_next_to_the_body_are_read() {
        let article = extract("Rain fell.\n\nThe storm dumped a lot of rain on the town on Tuesday night.\n\nIt stopped.\n\nMost read\n\nTeaser headline here\n");
        let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
        assert_eq!(texts, ["Rain fell.", "The storm dumped a lot of rain on the town on Tuesday night.", "It stopped."]);
    }

    #[test]
    fn a_line_alone_is_read() {
        for text in ["one", "Hello world"] {
            let article = extract(text);
            let texts: Vec<&str> = article.blocks.iter().map(|b| b.text.as_str()).collect();
            assert_eq!(texts, [text]);
        }
    }

    #[test]
    fn joins_hard_wrapped_paragraphs() {
        let article = extract("A title here\n\nThe first line of a paragraph that was wrapped by an editor at a\nfixed width of about seventy characters, as e-mail programs do when\nThey send plain text.\n");
        assert_eq!(article.blocks.len(), 1);
        assert!(article.blocks[0].text.contains("at a fixed width"), "{:?}", article.blocks);
    }
}
