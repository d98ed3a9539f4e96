//! A page's element nesting, capped before the page is parsed.
//!
//! HTML parsers and readability scorers walk ancestors and descendants, so their time grows
//! with the square (or worse) of the nesting depth: 20,000 nested `<div>`s took seconds, 100,000
//! took minutes. Browsers cap the depth of the tree they build (Chromium at 512); readcast drops
//! the start and end tags that would nest deeper than [`MAX_DEPTH`], keeping their text, in one
//! linear scan of the markup. Pages within the cap are returned unchanged.

use std::borrow::Cow;
use std::collections::HashMap;

/// Deeper than any real page nests its content (news pages stay under about 60).
pub const MAX_DEPTH: usize = 256;

/// Elements that never hold content, so never nest.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen",
];

/// Elements whose end tag the parser implies (a new `<p>` closes the last): they do not nest
/// by themselves, and counting them would misjudge pages that leave their end tags out.
const IMPLIED_END: &[&str] = &[
    "p", "li", "dt", "dd", "tr", "td", "th", "option", "optgroup", "thead", "tbody", "tfoot",
    "rp", "rt", "colgroup", "html", "head", "body",
];

/// Elements whose content is text up to their end tag, never markup.
const RAW_TEXT: &[&str] = &["script", "style", "textarea", "title", "xmp", "noscript", "plaintext"];

/// The page with tags nested deeper than [`MAX_DEPTH`] removed (their text stays).
pub fn cap_depth(page: &str) -> Cow<'_, str> {
    let bytes = page.as_bytes();
    // (name, dropped) for each open element that counts towards the depth.
    let mut open: Vec<(String, bool)> = Vec::new();
    let mut open_names: HashMap<String, usize> = HashMap::new();
    let mut dropped: Vec<std::ops::Range<usize>> = Vec::new();
    let mut at = 0;
    while let Some(offset) = memchr_lt(&bytes[at..]) {
        let start = at + offset;
        let rest = &bytes[start..];
        if rest.starts_with(b"<!--") {
            at = find(bytes, start + 4, b"-->").map_or(bytes.len(), |end| end + 3);
            continue;
        }
        let closing = rest.get(1) == Some(&b'/');
        let name_start = start + 1 + usize::from(closing);
        let name_len = bytes[name_start..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-' || **b == b':')
            .count();
        if name_len == 0 || !bytes[name_start].is_ascii_alphabetic() {
            at = start + 1;
            continue;
        }
        let name = page[name_start..name_start + name_len].to_ascii_lowercase();
        let end = tag_end(bytes, name_start + name_len);
        at = end;
        if closing {
            if open_names.get(&name).copied().unwrap_or(0) == 0 {
                continue;
            }
            // Close everything opened inside the matching element, as the parser would.
            while let Some((top, was_dropped)) = open.pop() {
                *open_names.entry(top.clone()).or_default() -= 1;
                if top == name {
                    if was_dropped {
                        dropped.push(start..end);
                    }
                    break;
                }
            }
            continue;
        }
        if RAW_TEXT.contains(&name.as_str()) {
            at = find_end_tag(bytes, end, &name).unwrap_or(bytes.len());
            continue;
        }
        let self_closing = bytes[..end].ends_with(b"/>");
        if VOID.contains(&name.as_str()) || IMPLIED_END.contains(&name.as_str()) || self_closing {
            continue;
        }
        let too_deep = open.len() >= MAX_DEPTH;
        if too_deep {
            dropped.push(start..end);
        }
        *open_names.entry(name.clone()).or_default() += 1;
        open.push((name, too_deep));
    }
    if dropped.is_empty() {
        return Cow::Borrowed(page);
    }
    let mut out = String::with_capacity(page.len());
    let mut copied = 0;
    for range in dropped {
        out.push_str(&page[copied..range.start]);
        copied = range.end;
    }
    out.push_str(&page[copied..]);
    Cow::Owned(out)
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|window| window == needle).map(|at| from + at)
}

/// The index just past the `>` that ends a tag, skipping quoted attribute values.
fn tag_end(bytes: &[u8], mut at: usize) -> usize {
    let mut quote = None;
    while at < bytes.len() {
        let byte = bytes[at];
        match quote {
            Some(q) if byte == q => quote = None,
            Some(_) => {}
            None if byte == b'"' || byte == b'\'' => quote = Some(byte),
            None if byte == b'>' => return at + 1,
            None => {}
        }
        at += 1;
    }
    bytes.len()
}

/// The start of `</name` (any case) at or after `from`.
fn find_end_tag(bytes: &[u8], from: usize, name: &str) -> Option<usize> {
    let mut at = from;
    loop {
        let start = find(bytes, at, b"</")?;
        let candidate = bytes.get(start + 2..start + 2 + name.len())?;
        if candidate.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(start);
        }
        at = start + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_pages_are_unchanged() {
        let page = "<html><body><div class=\"a>b\"><p>One<p>Two<br><img src=x></div><script>if (a<b) {}</script></body></html>";
        assert!(matches!(cap_depth(page), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_past_the_cap_are_dropped_and_text_kept() {
        let depth = MAX_DEPTH + 50;
        let page = format!("{}<p>Deep text.</p>{}", "<div>".repeat(depth), "</div>".repeat(depth));
        let capped = cap_depth(&page);
        assert_eq!(capped.matches("<div>").count(), MAX_DEPTH);
        assert_eq!(capped.matches("</div>").count(), MAX_DEPTH);
        assert!(capped.contains("<p>Deep text.</p>"));
    }

    #[test]
    fn unclosed_and_stray_tags_do_not_confuse_the_count() {
        let page = format!("{}</span></b>{}", "<div><span>".repeat(200), "</div>".repeat(200));
        let capped = cap_depth(&page);
        assert!(capped.matches("<div>").count() <= MAX_DEPTH);
        assert!(capped.contains("</b>"));
    }
}
