//! Stage 4: chunks -> audio segments. One [`Engine`] trait, one file per engine, and one
//! parallel runner that keeps one engine per worker thread and returns segments in order.

pub mod cache;
pub mod command;
pub mod decode;
pub mod espeak;
pub mod espeak_ng;
pub mod formant;
pub mod piper;
pub mod piper_graph;

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;

use crate::chunk::Chunk;
use crate::error::{Error, Result};
use crate::voice::{EngineKind, Voice};

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
    /// Gets ready for one text (a program started, to read it when it comes) where that
    /// saves time; the text may never come.
    fn start_ahead(&mut self) {}
}

/// The audio of one chunk.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub samples: Vec<f32>,
    pub sample_rate: u32,
}

/// Engines for the workers of a rayon pool, made on first use (one per busy worker) and
/// reused for every chunk after: a voice is loaded once per worker, not once per chunk (or
/// per article).
pub struct EnginePool {
    voice: Voice,
    workers: usize,
    /// Engines made and not in use.
    idle: Mutex<Vec<Box<dyn Engine>>>,
    warmed: AtomicBool,
    /// Whether an engine made for a render with fewer batches than workers may use the idle
    /// workers' cores too. Right for one render; a pool shared by renders that run at once
    /// turns it off, or the wide engine would compete with the others for the cores.
    lend_idle_cores: bool,
}

impl EnginePool {
    /// Engines of `voice` for `threads` workers.
    pub fn new(voice: Voice, threads: usize) -> Self {
        EnginePool { voice, workers: threads.max(1), idle: Mutex::new(Vec::new()), warmed: AtomicBool::new(false), lend_idle_cores: true }
    }

    /// Whether an engine made for a render with fewer batches than workers may use the
    /// idle workers' cores; on by default, off for a pool shared by renders that run at once.
    pub fn lending_idle_cores(mut self, lend: bool) -> Self {
        self.lend_idle_cores = lend;
        self
    }

    pub fn voice(&self) -> &Voice {
        &self.voice
    }

    /// Makes an engine now where that is cheap, so that a caller can have it made on an idle
    /// core while it prepares the text: the embedded voice (a millisecond or two to load),
    /// and, where `one_text` is likely (a re-render after an edit), a voice run as a program,
    /// started ahead of its text. Once per pool; a failure is left for the first use to report.
    pub fn warm(&self, one_text: bool) {
        let cheap = match self.voice.engine {
            EngineKind::Espeak => true,
            EngineKind::EspeakNg | EngineKind::Command => one_text,
            EngineKind::Piper => false,
        };
        if !cheap || self.warmed.swap(true, Ordering::Relaxed) {
            return;
        }
        if let Ok(mut engine) = self.voice.engine_with_threads(1) {
            if one_text {
                engine.start_ahead();
            }
            self.give_back(engine);
        }
    }

    /// An engine not in use, made now (with `threads` threads) if there is none.
    fn take(&self, threads: usize) -> Result<Box<dyn Engine>> {
        if let Some(engine) = self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).pop() {
            return Ok(engine);
        }
        self.voice.engine_with_threads(threads)
    }

    fn give_back(&self, engine: Box<dyn Engine>) {
        self.idle.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).push(engine);
    }
}

impl Drop for EnginePool {
    /// Engines are dropped on a thread of their own: freeing a neural voice's memory takes
    /// tens of milliseconds, which a caller about to exit need not wait for.
    fn drop(&mut self) {
        let engines = std::mem::take(self.idle.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()));
        if !engines.is_empty() {
            std::thread::spawn(move || drop(engines));
        }
    }
}

/// Synthesizes chunks on `jobs` threads, results in chunk order. `on_done` is called once per
/// finished chunk (for progress display).
pub fn synthesize(chunks: &[Chunk], voice: &Voice, jobs: usize, on_done: &(dyn Fn() + Sync)) -> Result<Vec<Segment>> {
    let jobs = jobs.max(1);
    let pool = synthesis_pool(jobs)?;
    let engines = EnginePool::new(voice.clone(), jobs);
    pool.install(|| synthesize_with(chunks, &engines, None, on_done))
}

/// A pool of `jobs` named synthesis threads.
pub(crate) fn synthesis_pool(jobs: usize) -> Result<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(jobs)
        .thread_name(|i| format!("readcast-synth-{i}"))
        .build()
        .map_err(|e| Error::engine(format!("could not start {jobs} synthesis threads: {e}")))
}

/// The segment cache keys of chunks spoken by `voice`.
pub fn segment_keys(chunks: &[Chunk], voice: &Voice) -> Vec<String> {
    chunks.iter().map(|chunk| cache::SegmentCache::key(voice, &engine_text(&chunk.text))).collect()
}

/// Synthesizes chunks in the current rayon pool with its engines, taking what it can from
/// `cache` and storing what it makes there. `on_done` is called once per chunk (for
/// progress display).
pub fn synthesize_with(chunks: &[Chunk], engines: &EnginePool, cache: Option<&cache::SegmentCache>, on_done: &(dyn Fn() + Sync)) -> Result<Vec<Segment>> {
    synthesize_each(chunks, engines, cache, &|_, _| on_done())
}

/// Like [`synthesize_with`], calling `on_ready(index, segment)` as soon as the segment of
/// chunk `index` is there (found in the cache or made), while a new one is being stored.
///
/// Consecutive chunks are grouped into batches of about [`Voice::batch_chars`] characters,
/// one engine call each. The grouping depends on the text alone, never on the thread count,
/// so the output is the same whatever the thread count.
pub fn synthesize_each(chunks: &[Chunk], engines: &EnginePool, cache: Option<&cache::SegmentCache>, on_ready: &(dyn Fn(usize, &Segment) + Sync)) -> Result<Vec<Segment>> {
    synthesize_kept(chunks, engines, cache, on_ready, true)
}

/// Synthesizes chunks in the current rayon pool with its engines and hands each segment to
/// `on_ready(index, segment)` as soon as it is there, in any order, keeping none: memory holds
/// the segments being made, however long the narration. The segments are those [`synthesize`] returns; with a cache,
/// those it holds are taken from it and the others are stored in it.
pub fn synthesize_streaming_with(chunks: &[Chunk], engines: &EnginePool, cache: Option<&cache::SegmentCache>, on_ready: &(dyn Fn(usize, &Segment) + Sync)) -> Result<()> {
    synthesize_kept(chunks, engines, cache, on_ready, false).map(drop)
}

/// [`synthesize_each`]; with `keep` false, the segments are handed to `on_ready` only, and
/// none is returned.
fn synthesize_kept(chunks: &[Chunk], engines: &EnginePool, cache: Option<&cache::SegmentCache>, on_ready: &(dyn Fn(usize, &Segment) + Sync), keep: bool) -> Result<Vec<Segment>> {
    use rayon::prelude::*;
    let voice = &engines.voice;
    let texts: Vec<String> = chunks.iter().map(|chunk| engine_text(&chunk.text)).collect();
    let keys: Vec<String> = match cache {
        Some(_) => segment_keys(chunks, voice),
        None => Vec::new(),
    };
    let mut done: Vec<Option<Segment>> = match cache {
        Some(cache) => keys.iter().map(|key| cache.get(key)).collect(),
        None => vec![None; chunks.len()],
    };
    done.par_iter().enumerate().for_each(|(index, segment)| {
        if let Some(segment) = segment {
            on_ready(index, segment);
        }
    });
    let missing: Vec<usize> = (0..chunks.len()).filter(|&i| done[i].is_none()).collect();
    let batches = plan_batches_of(&missing, chunks, balanced_batch_chars(&missing, chunks, voice.batch_chars()));
    // Longest batches first, so that no thread is left with a long one at the end while the
    // others idle; results go back to document order afterwards.
    let mut order: Vec<usize> = (0..batches.len()).collect();
    let batch_length = |batch: &Vec<usize>| batch.iter().map(|&i| chunks[i].text.len()).sum::<usize>();
    order.sort_by_key(|&index| std::cmp::Reverse(batch_length(&batches[index])));
    let slots = engines.workers;
    // Fewer batches than workers (an edit re-renders one sentence): an engine made now may
    // use the idle workers' cores.
    let threads_per_engine = if engines.lend_idle_cores { (slots / batches.len().max(1)).max(1) } else { 1 };
    let synthesize_batch = |index: usize| -> Result<(usize, Vec<Segment>)> {
        let batch = &batches[index];
        let mut engine = engines.take(threads_per_engine)?;
        let batch_texts: Vec<String> = batch.iter().map(|&i| texts[i].clone()).collect();
        let audio = engine.synthesize_batch(&batch_texts);
        let rate = engine.sample_rate();
        engines.give_back(engine);
        let audio = audio.map_err(|e| {
            let first = &chunks[batch[0]];
            Error::engine(format!("voice '{}', segment {} (\"{}\"): {e}", voice.name, batch[0] + 1, preview(&first.text)))
        })?;
        audio
            .into_iter()
            .zip(batch)
            .map(|(samples, &chunk)| {
                if samples.iter().any(|s| !s.is_finite()) {
                    return Err(Error::engine(format!("voice '{}' produced invalid samples for segment {}", voice.name, chunk + 1)));
                }
                let segment = Segment { samples, sample_rate: rate };
                match cache {
                    // A full disk makes the cache useless, not the narration wrong.
                    Some(cache) => rayon::join(|| drop(cache.put(&keys[chunk], &segment)), || on_ready(chunk, &segment)).1,
                    None => on_ready(chunk, &segment),
                }
                Ok(keep.then_some(segment))
            })
            .collect::<Result<Vec<Option<Segment>>>>()
            .map(|segments| (index, segments.into_iter().flatten().collect::<Vec<Segment>>()))
    };
    let finished = crate::workers::longest_first(&order, slots, |&index| synthesize_batch(index))?;
    if !keep {
        return Ok(Vec::new());
    }
    for (index, segments) in finished {
        for (&chunk, segment) in batches[index].iter().zip(segments) {
            done[chunk] = Some(segment);
        }
    }
    Ok(done.into_iter().map(|segment| segment.expect("every chunk is synthesized or cached")).collect())
}

/// The batch size that splits `indices` into an even number of batches of about the same
/// size, none over `batch_chars` (0: no batching). Batches are whole processes for the
/// platform voice, so on 2 cores 1,700 characters go best as 2 x 850, not 800 + 800 + 100.
/// An even count suits any even number of cores, and depends on the text alone.
fn balanced_batch_chars(indices: &[usize], chunks: &[Chunk], batch_chars: usize) -> usize {
    if batch_chars == 0 {
        return 0;
    }
    let total: usize = indices.iter().map(|&i| chunks[i].text.chars().count() + 1).sum();
    let mut count = total.div_ceil(batch_chars).max(1);
    if count > 1 && count % 2 == 1 {
        count += 1;
    }
    // Some room over the even share, since batches end on chunk boundaries.
    (total.div_ceil(count) + total.div_ceil(count) / 10).min(batch_chars)
}

/// Groups runs of consecutive chunk indices into batches of at most `batch_chars` characters.
fn plan_batches_of(indices: &[usize], chunks: &[Chunk], batch_chars: usize) -> Vec<Vec<usize>> {
    let mut batches: Vec<Vec<usize>> = Vec::new();
    let mut length = 0;
    for &index in indices {
        let size = chunks[index].text.chars().count() + 1;
        let extends = batches.last().is_some_and(|batch: &Vec<usize>| batch.last() == Some(&(index.wrapping_sub(1))) && length + size <= batch_chars);
        if extends {
            batches.last_mut().expect("checked").push(index);
            length += size;
        } else {
            batches.push(vec![index]);
            length = size;
        }
    }
    batches
}

/// Adapts spoken text for engines. The normalizer spells letters apart ("F B I"), which
/// every engine reads letter by letter, except a lone "a": the espeak phonemizer (and so
/// Piper) reads it as the article, also when dotted ("A.I." -> "uh eye"). So in a run of
/// single letters each "a" is joined to a neighbour ("A A P L" -> "AA P L", "a m" -> "AM",
/// "N C A A" -> "N C AA"): two capitals are spelled, except the words below. A run of
/// consonants is joined whole ("N F L", "p m"), which eSpeak spells with an acronym's
/// stress; a run with vowels is not, as eSpeak reads "AAPL" as "apple", "NCAA" as "enk-ah"
/// and "GOOGL" as "google".
pub fn engine_text(text: &str) -> String {
    const TRAILING: [char; 6] = [',', '.', ';', ':', '?', '!'];
    /// Pairs with an "a" that eSpeak reads as words (measured with the espeak-ng crate).
    const WORDS: [&str; 5] = ["AN", "AS", "AT", "AU", "YA"];
    let words: Vec<&str> = text.split(' ').collect();
    let letter = |word: &str| -> Option<char> {
        let core = word.trim_end_matches(TRAILING);
        let core = core.strip_suffix("'s").unwrap_or(core);
        let mut chars = core.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if c.is_alphabetic() => Some(c),
            _ => None,
        }
    };
    let is_a = |word: &str| letter(word).is_some_and(|c| c.eq_ignore_ascii_case(&'a'));
    let mut out: Vec<String> = Vec::with_capacity(words.len());
    let mut index = 0;
    while index < words.len() {
        let mut end = index;
        while end < words.len() && letter(words[end]).is_some() && (end == index || !words[end - 1].ends_with(TRAILING)) {
            end += 1;
        }
        if end - index < 2 {
            out.push(words[index].to_string());
            index += 1;
            continue;
        }
        let run = &words[index..end];
        index = end;
        let joined = |from: usize, to: usize| -> String {
            let mut joined: String = run[from..to].iter().filter_map(|w| letter(w)).flat_map(char::to_uppercase).collect();
            let last = run[to - 1];
            joined.push_str(&last[last.chars().next().map_or(0, char::len_utf8)..]);
            joined
        };
        // Consonants only: eSpeak spells the joined word, with an acronym's stress.
        if run.iter().all(|word| letter(word).is_some_and(|c| !"aeiouyAEIOUY".contains(c))) {
            out.push(joined(0, run.len()));
            continue;
        }
        // Vowels but no "a": apart, as the normalizer wrote them.
        if !run.iter().any(|word| is_a(word)) {
            out.extend(run.iter().map(|word| word.to_string()));
            continue;
        }
        // Groups of letters, by position in the run; each "a" takes the letter before it,
        // else the one after, from the right ("A A R P" -> "AA R P").
        let upper = |at: usize| letter(run[at]).map(|c| c.to_ascii_uppercase()).unwrap_or(' ');
        let pair_ok = |first: usize, second: usize| !WORDS.contains(&format!("{}{}", upper(first), upper(second)).as_str());
        let mut group_of: Vec<Option<usize>> = vec![None; run.len()];
        let mut paired = true;
        for at in (0..run.len()).rev().filter(|&at| is_a(run[at])) {
            if group_of[at].is_some() {
                continue;
            }
            if at > 0 && group_of[at - 1].is_none() && pair_ok(at - 1, at) {
                group_of[at - 1] = Some(at - 1);
                group_of[at] = Some(at - 1);
            } else if at + 1 < run.len() && group_of[at + 1].is_none() && pair_ok(at, at + 1) {
                group_of[at] = Some(at);
                group_of[at + 1] = Some(at);
            } else {
                paired = false;
            }
        }
        if !paired {
            // No neighbour fits: the run as one word, which is right more often than "uh".
            out.push(joined(0, run.len()));
        } else {
            let mut at = 0;
            while at < run.len() {
                let to = if group_of[at] == Some(at) { at + 2 } else { at + 1 };
                out.push(if to - at == 2 { joined(at, to) } else { run[at].to_string() });
                at = to;
            }
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

/// Converts 16-bit samples to floats.
pub fn i16_to_f32(samples: &[i16]) -> Vec<f32> {
    samples.iter().map(|&s| f32::from(s) / 32768.0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_cover_every_chunk_once_in_order() {
        let chunk = |text: &str| Chunk { text: text.into(), utterance: 0, pause_after: crate::chunk::Pause::Sentence };
        let chunks: Vec<Chunk> = ["aaaa", "bb", "cccccccc", "d", "e"].iter().map(|t| chunk(t)).collect();
        assert_eq!(plan_batches_of(&[0, 1, 2, 3, 4], &chunks, 8), [vec![0, 1], vec![2], vec![3, 4]]);
        assert_eq!(plan_batches_of(&[0, 1, 2, 3, 4], &chunks, 0), [vec![0], vec![1], vec![2], vec![3], vec![4]]);
        // Only consecutive chunks share a batch: 1 and 3 are apart.
        assert_eq!(plan_batches_of(&[1, 3, 4], &chunks, 100), [vec![1], vec![3, 4]]);
        assert!(plan_batches_of(&[], &chunks, 8).is_empty());
        // 20 characters in batches of at most 8: four of about 5, not three.
        let size = balanced_batch_chars(&[0, 1, 2, 3, 4], &chunks, 8);
        assert_eq!(plan_batches_of(&[0, 1, 2, 3, 4], &chunks, size).len(), 4);
        assert_eq!(balanced_batch_chars(&[0, 1], &chunks, 0), 0);
    }

    #[test]
    fn letter_runs_become_initialisms() {
        assert_eq!(engine_text("at nine thirty a m every day"), "at nine thirty AM every day");
        assert_eq!(engine_text("created with A I assistance."), "created with AI assistance.");
        // Consonants are joined; with a vowel and no "a", letters stay apart.
        assert_eq!(engine_text("closes at six p m."), "closes at six PM.");
        assert_eq!(engine_text("the N F L and w w w dot"), "the NFL and WWW dot");
        assert_eq!(engine_text("the P O W's family, and a dog"), "the P O W's family, and a dog");
        assert_eq!(engine_text("shares of G O O G L rose"), "shares of G O O G L rose");
        // Each "a" joins a neighbour; the run as a whole would be read as a word.
        assert_eq!(engine_text("shares of A A P L rose"), "shares of AA P L rose");
        assert_eq!(engine_text("the N C A A and the A A R P."), "the N C AA and the AA R P.");
        assert_eq!(engine_text("the I A E A said"), "the IA EA said");
        assert_eq!(engine_text("A F P reported"), "AF P reported");
        assert_eq!(engine_text("a b, c"), "AB, c");
        // "AT" would be read as the word: the run stays whole.
        assert_eq!(engine_text("A T and T"), "AT and T");
        assert_eq!(engine_text("I saw a cat"), "I saw a cat");
        assert_eq!(engine_text("as I as a rule"), "as I as a rule");
    }
}
