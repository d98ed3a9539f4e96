//! Text front-end speed: normalizing, splitting into sentences and chunking a 100,000-word
//! text. Run with `cargo bench --bench normalize`. Goal: well under a second.

use std::time::Instant;

use readcast::chunk::{chunks, split_sentences, Pause, Utterance};
use readcast::normalize::{Lexicon, Normalizer};

fn main() {
    let samples = [
        include_str!("../samples/scraped-harbor.txt"),
        include_str!("../samples/clean-library.txt"),
        include_str!("../samples/markdown-election.md"),
    ];
    let mut text = String::new();
    while text.split_whitespace().count() < 100_000 {
        for sample in samples {
            text.push_str(sample);
            text.push_str("\n\n");
        }
    }
    let words = text.split_whitespace().count();
    let normalizer = Normalizer::new(Lexicon::news());
    let mut best = f64::MAX;
    let mut sentence_count = 0;
    let mut chunk_count = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let mut utterances = Vec::new();
        for paragraph in text.split("\n\n") {
            for sentence in split_sentences(paragraph) {
                let spoken = normalizer.normalize(&sentence);
                utterances.push(Utterance { written: sentence, spoken, pause_after: Pause::Sentence });
            }
        }
        let pieces = chunks(&utterances, 400);
        best = best.min(started.elapsed().as_secs_f64());
        sentence_count = utterances.len();
        chunk_count = pieces.len();
    }
    println!("{words} words, {sentence_count} sentences, {chunk_count} chunks: best of 5 {:.3} s ({:.0} words/s)", best, words as f64 / best);
}
