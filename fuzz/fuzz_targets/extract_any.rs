//! Any bytes through extraction, as text, HTML, Markdown and sniffed: an article or an error,
//! never a panic; an article has text to read.
#![no_main]

use libfuzzer_sys::fuzz_target;
use readcast::extract::{extract, Document, ExtractOptions, Format};

fuzz_target!(|data: &[u8]| {
    let document = Document { name: "fuzz".into(), bytes: data.to_vec(), hint: None, charset: None, url: None };
    for format in [None, Some(Format::Text), Some(Format::Html), Some(Format::Markdown)] {
        if let Ok(article) = extract(&document, &ExtractOptions { format }) {
            assert!(!article.to_plain_text().trim().is_empty());
        }
    }
});
