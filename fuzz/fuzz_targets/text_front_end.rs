//! Any text through sentence splitting, normalization and chunking: no panic, no word lost
//! by the splitter, every chunk within the limit unless a single word is longer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use readcast::chunk::{chunks, split_sentences, Pause, Utterance};
use readcast::normalize::{Lexicon, Normalizer};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let sentences = split_sentences(text);
    let words: usize = sentences.iter().map(|s| s.split_whitespace().count()).sum();
    let lines_only = !text.contains(['.', '!', '?', '…']) && text.trim().contains('\n');
    if !lines_only {
        assert_eq!(words, text.split_whitespace().count());
    }
    let normalizer = Normalizer::new(Lexicon::news());
    let utterances: Vec<Utterance> = sentences
        .into_iter()
        .map(|written| {
            let spoken = normalizer.normalize(&written);
            Utterance { written, spoken, pause_after: Pause::Sentence }
        })
        .collect();
    let _ = normalizer.explain(text);
    for chunk in chunks(&utterances, 64) {
        assert!(chunk.text.chars().count() <= 64 || !chunk.text.contains(' '));
    }
});
