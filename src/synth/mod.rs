//! Stage 4: chunks -> audio segments. One [`Engine`] trait, one file per engine, and one
//! parallel runner that keeps one engine per worker thread and returns segments in order.

pub mod command;
pub mod decode;
pub mod espeak;
pub mod espeak_ng;
pub mod piper;

use std::sync::Mutex;

use rayon::prelude::*;

use crate::chunk::Chunk;
use crate::error::{Error, Result};
use crate::voice::Voice;

/// A speech engine instance: text in, mono samples out. Instances are not shared between
/// threads; the runner makes one per worker.
pub trait Engine: Send {
    /// The rate of the samples [`Engine::synthesize`] returns.
    fn sample_rate(&self) -> u32;
    /// The longest text, in characters, one call should be given.
    fn max_chars(&self) -> usize;
    /// Speaks `text`; samples are mono, in -1.0..=1.0.
    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>>;
    /// Speaks several texts, returning one buffer per text. Engines with a large fixed cost
    /// per call override this to speak them in one call and split the audio.
    fn synthesize_batch(&mut self, texts: &[String]) -> Result<Vec<Vec<f32>>> {
        texts.iter().map(|text| self.synthesize(text)).collect()
    }
}

/// The audio of one chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
}

/// Synthesizes chunks on `jobs` threads, one engine per thread, results in chunk order.
/// `on_done` is called once per finished chunk (for progress display).
///
/// Consecutive chunks are grouped into batches of about [`Voice::batch_chars`] characters,
/// one engine call each. The grouping depends on the text alone, never on `jobs`, so the
/// output is the same whatever the thread count.
pub fn synthesize(chunks: &[Chunk], voice: &Voice, jobs: usize, on_done: &(dyn Fn() + Sync)) -> Result<Vec<Segment>> {
    let batches = plan_batches(chunks, voice.batch_chars());
    let jobs = jobs.max(1).min(batches.len().max(1));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("readcast-synth-{i}"))
        .build()
        .map_err(|e| Error::engine(format!("could not start {jobs} synthesis threads: {e}")))?;
    // Engines are made lazily, on the worker that first needs one, and reused for the rest
    // of the run: loading a voice once per thread, not once per chunk.
    let engines: Vec<Mutex<Option<Box<dyn Engine>>>> = (0..jobs).map(|_| Mutex::new(None)).collect();
    // Longest batches first, so that no thread is left with a long one at the end while the
    // others idle; results go back to document order afterwards.
    let mut order: Vec<usize> = (0..batches.len()).collect();
    let batch_length = |range: &std::ops::Range<usize>| chunks[range.clone()].iter().map(|c| c.text.len()).sum::<usize>();
    order.sort_by_key(|&index| std::cmp::Reverse(batch_length(&batches[index])));
    let finished: Vec<(usize, Vec<Segment>)> = pool.install(|| {
        order
            .par_iter()
            .with_max_len(1)
            .map(|&index| {
                let range = &batches[index];
                let worker = rayon::current_thread_index().unwrap_or(0) % jobs;
                let mut slot = engines[worker].lock().unwrap_or_else(|poisoned| poisoned.into_inner());
                if slot.is_none() {
                    *slot = Some(voice.engine()?);
                }
                let engine = slot.as_mut().expect("engine was just created");
                let texts: Vec<String> = chunks[range.clone()].iter().map(|chunk| engine_text(&chunk.text)).collect();
                let audio = engine.synthesize_batch(&texts).map_err(|e| {
                    let first = &chunks[range.start];
                    Error::engine(format!("voice '{}', segment {} (\"{}\"): {e}", voice.name, range.start + 1, preview(&first.text)))
                })?;
                let rate = engine.sample_rate();
                audio
                    .into_iter()
                    .enumerate()
                    .map(|(offset, samples)| {
                        if samples.iter().any(|s| !s.is_finite()) {
                            return Err(Error::engine(format!("voice '{}' produced invalid samples for segment {}", voice.name, range.start + offset + 1)));
                        }
                        on_done();
                        Ok(Segment { samples, sample_rate: rate })
                    })
                    .collect::<Result<Vec<Segment>>>()
                    .map(|segments| (index, segments))
            })
            .collect::<Result<_>>()
    })?;
    let mut batched: Vec<Option<Vec<Segment>>> = (0..batches.len()).map(|_| None).collect();
    for (index, segments) in finished {
        batched[index] = Some(segments);
    }
    Ok(batched.into_iter().flatten().flatten().collect())
}

/// Groups consecutive chunks into runs of at most `batch_chars` characters (a chunk longer
/// than that stands alone).
fn plan_batches(chunks: &[Chunk], batch_chars: usize) -> Vec<std::ops::Range<usize>> {
    let mut batches = Vec::new();
    let mut start = 0;
    let mut length = 0;
    for (index, chunk) in chunks.iter().enumerate() {
        let size = chunk.text.chars().count() + 1;
        if index > start && length + size > batch_chars {
            batches.push(start..index);
            start = index;
            length = 0;
        }
        length += size;
    }
    if start < chunks.len() {
        batches.push(start..chunks.len());
    }
    batches
}

/// Adapts spoken text for engines: a run of single letters ("a m", "A I", "P O W") is joined
/// as a dotted initialism ("a.m.", "A.I.", "P.O.W."), which engines read letter by letter,
/// where a lone "a" would be read as the article.
pub fn engine_text(text: &str) -> String {
    let words: Vec<&str> = text.split(' ').collect();
    let is_letter = |word: &str| {
        let core = word.trim_end_matches([',', '.', ';', ':', '?', '!']);
        let core = core.strip_suffix("'s").unwrap_or(core);
        core.chars().count() == 1 && core.chars().all(|c| c.is_alphabetic())
    };
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut index = 0;
    while index < words.len() {
        let mut end = index;
        while end < words.len() && is_letter(words[end]) && (end == index || !words[end - 1].ends_with([',', '.', ';', ':', '?', '!'])) {
            end += 1;
        }
        if end - index >= 2 {
            let mut joined = String::new();
            for word in &words[index..end] {
                let letter = word.chars().next().expect("a letter");
                joined.push(letter);
                joined.push('.');
            }
            let last = words[end - 1];
            let ending = &last[last.chars().next().map_or(0, char::len_utf8)..];
            joined.push_str(ending.trim_start_matches('.'));
            out.push(joined);
            index = end;
        } else {
            out.push(words[index].to_string());
            index += 1;
        }
    }
    out.join(" ")
}

fn preview(text: &str) -> String {
    let mut preview: String = text.chars().take(40).collect();
    if text.chars().count() > 40 {
        preview.push('…');
    }
    preview
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_chunk_once_in_order() {
        let chunk = |text: &str| Chunk { text: text.into(), utterance: 0, pause_after: crate::chunk::Pause::Sentence };
        let chunks: Vec<Chunk> = ["aaaa", "bb", "cccccccc", "d", "e"].iter().map(|t| chunk(t)).collect();
        assert_eq!(plan_batches(&chunks, 8), [0..2, 2..3, 3..5]);
        assert_eq!(plan_batches(&chunks, 0), [0..1, 1..2, 2..3, 3..4, 4..5]);
        assert!(plan_batches(&[], 8).is_empty());
    }

    #[test]
    fn letter_runs_become_initialisms() {
        assert_eq!(engine_text("at nine thirty a m every day"), "at nine thirty a.m. every day");
        assert_eq!(engine_text("created with A I assistance."), "created with A.I. assistance.");
        assert_eq!(engine_text("the P O W's family, and a dog"), "the P.O.W.'s family, and a dog");
        assert_eq!(engine_text("closes at six p m."), "closes at six p.m.");
        assert_eq!(engine_text("a b, c"), "a.b., c");
        assert_eq!(engine_text("I saw a cat"), "I saw a cat");
        assert_eq!(engine_text("as I as a rule"), "as I as a rule");
    }
}

/// Converts 16-bit samples to floats.
pub fn i16_to_f32(samples: &[i16]) -> Vec<f32> {
    samples.iter().map(|&s| f32::from(s) / 32768.0).collect()
}
