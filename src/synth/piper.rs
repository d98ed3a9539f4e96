//! Neural voices: Piper VITS models run through ONNX Runtime (`ort`, loaded at run time from
//! `ORT_DYLIB_PATH` or the system library path). Stages as Piper has them: text -> phonemes
//! (the espeak-ng crate's IPA, punctuation kept) -> ids (the voice's phoneme_id_map) ->
//! model -> samples.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use ort::session::Session;
use ort::value::Tensor;
use serde::Deserialize;
use unicode_normalization::UnicodeNormalization;

use super::espeak::data_dir;
use super::Engine;
use crate::error::{Error, Result};

/// The file name ONNX Runtime's library has on this platform.
#[cfg(target_os = "windows")]
const ORT_LIBRARY: &str = "onnxruntime.dll";
#[cfg(target_os = "macos")]
const ORT_LIBRARY: &str = "libonnxruntime.dylib";
#[cfg(not(any(target_os = "windows", target_os = "macos")))]
const ORT_LIBRARY: &str = "libonnxruntime.so";

/// VITS attention cost grows with the square of the input: inputs stay sentence-sized.
pub const MAX_CHARS: usize = 400;

const PAD: &str = "_";
const BOS: &str = "^";
const EOS: &str = "$";

/// A Piper voice's `.onnx.json`: what readcast needs of it.
#[derive(Debug, Clone, Deserialize)]
pub struct PiperConfig {
    pub audio: AudioConfig,
    #[serde(default)]
    pub espeak: EspeakConfig,
    #[serde(default)]
    pub inference: InferenceConfig,
    pub phoneme_id_map: HashMap<String, Vec<i64>>,
    #[serde(default = "one")]
    pub num_speakers: u32,
    #[serde(default)]
    pub speaker_id_map: HashMap<String, i64>,
    #[serde(default)]
    pub phoneme_type: Option<String>,
}

fn one() -> u32 {
    1
}

#[derive(Debug, Clone, Deserialize)]
pub struct AudioConfig {
    pub sample_rate: u32,
}

#[derive(Debug, Clone, Deserialize)]
pub struct EspeakConfig {
    pub voice: String,
}

impl Default for EspeakConfig {
    fn default() -> Self {
        EspeakConfig { voice: "en-us".into() }
    }
}

/// Inference scales: noise, length (slower when larger) and duration noise.
#[derive(Debug, Clone, Deserialize)]
pub struct InferenceConfig {
    #[serde(default = "default_noise_scale")]
    pub noise_scale: f32,
    #[serde(default = "default_length_scale")]
    pub length_scale: f32,
    #[serde(default = "default_noise_w")]
    pub noise_w: f32,
}

fn default_noise_scale() -> f32 {
    0.667
}
fn default_length_scale() -> f32 {
    1.0
}
fn default_noise_w() -> f32 {
    0.8
}

impl Default for InferenceConfig {
    fn default() -> Self {
        InferenceConfig { noise_scale: default_noise_scale(), length_scale: default_length_scale(), noise_w: default_noise_w() }
    }
}

impl PiperConfig {
    /// Reads the config that sits next to a model (`NAME.onnx.json`).
    pub fn load(model: &Path) -> Result<Self> {
        let path = config_path(model);
        let text = std::fs::read_to_string(&path).map_err(|e| Error::engine(format!("{}: {e}", path.display())))?;
        let config: PiperConfig =
            serde_json::from_str(&text).map_err(|e| Error::engine(format!("{}: not a Piper voice config: {e}", path.display())))?;
        for symbol in [PAD, BOS, EOS] {
            if !config.phoneme_id_map.contains_key(symbol) {
                return Err(Error::engine(format!("{}: phoneme_id_map has no '{symbol}'", path.display())));
            }
        }
        if config.phoneme_type.as_deref().is_some_and(|kind| kind != "espeak") {
            return Err(Error::engine(format!("{}: phoneme_type '{}' is not supported (only espeak)", path.display(), config.phoneme_type.as_deref().unwrap_or(""))));
        }
        Ok(config)
    }

    /// Phoneme ids the way Piper makes them: BOS, then every phoneme followed by PAD, then EOS.
    /// Phonemes missing from the map are skipped, as Piper does.
    pub fn phoneme_ids(&self, phonemes: &[String]) -> Vec<i64> {
        let id = |symbol: &str| self.phoneme_id_map.get(symbol).cloned().unwrap_or_default();
        let pad = id(PAD);
        let mut ids = id(BOS);
        ids.extend(&pad);
        for phoneme in phonemes {
            if let Some(mapped) = self.phoneme_id_map.get(phoneme.as_str()) {
                ids.extend(mapped);
                ids.extend(&pad);
            }
        }
        ids.extend(id(EOS));
        ids
    }
}

/// `NAME.onnx` -> `NAME.onnx.json`.
pub fn config_path(model: &Path) -> PathBuf {
    let mut name = model.as_os_str().to_os_string();
    name.push(".json");
    PathBuf::from(name)
}

/// Synthesis settings a voice manifest or the command line can set.
#[derive(Debug, Clone, Default)]
pub struct PiperSettings {
    pub model: PathBuf,
    pub speaker: Option<String>,
    pub length_scale: Option<f32>,
    pub noise_scale: Option<f32>,
    pub noise_w: Option<f32>,
}

/// Opens a session on `model`, its convolutions made 2-D ([`super::piper_graph`]). ONNX
/// Runtime spends most of a session's start optimizing the graph (0.4 s of 0.65 s for a
/// medium voice), so the first load saves the optimized graph in the cache folder and later
/// loads read that with optimization off (0.25 s; same audio). The saved graph may hold
/// optimizations for this CPU, so its key names the CPU, the model file, the rewrite and the
/// runtime library; a cache that cannot be written or read is skipped. The saved graph keeps
/// the blocked layout between convolutions ([`super::piper_graph::blocked_layout_kept`]) only
/// if `probe` sounds the same through it: that graph uses ONNX Runtime's internal operators,
/// which a new version could change.
fn load_session(environment: &ort::environment::Environment, model: &Path, threads: usize, probe: &Probe) -> Result<Session> {
    use ort::session::builder::GraphOptimizationLevel;
    let load_error = |e: ort::Error| Error::engine(format!("{}: cannot load the model: {e}", model.display()));
    let builder = |level: GraphOptimizationLevel| -> std::result::Result<ort::session::builder::SessionBuilder, ort::Error> {
        Ok(Session::builder(environment)?.with_intra_threads(threads)?.with_inter_threads(1)?.with_optimization_level(level)?)
    };
    // The original file when the rewrite does not apply, so that ONNX Runtime names its faults.
    let optimize = |mut builder: ort::session::builder::SessionBuilder| -> Result<Session> {
        let rewritten = std::fs::read(model).ok().and_then(|bytes| super::piper_graph::convolutions_as_2d(&bytes));
        match rewritten {
            Some(bytes) => builder.commit_from_memory(&bytes),
            None => builder.commit_from_file(model),
        }
        .map_err(load_error)
    };
    let Some((cached, family)) = optimized_model_path(model) else {
        return optimize(builder(GraphOptimizationLevel::All).map_err(load_error)?);
    };
    if cached.is_file() {
        match builder(GraphOptimizationLevel::Disable).and_then(|mut b| b.commit_from_file(&cached)) {
            Ok(session) => {
                super::cache::model_in_use(&cached);
                return Ok(session);
            }
            // A damaged entry is rebuilt below.
            Err(_) => drop(std::fs::remove_file(&cached)),
        }
    }
    let folder = cached.parent().expect("cached models live in a folder");
    let temp = std::fs::create_dir_all(folder).ok().and_then(|()| tempfile::Builder::new().prefix(".readcast-").suffix(".part").tempfile_in(folder).ok());
    let Some(temp) = temp else {
        return optimize(builder(GraphOptimizationLevel::All).map_err(load_error)?);
    };
    let mut session = optimize(builder(GraphOptimizationLevel::All).and_then(|b| Ok(b.with_optimized_model_path(temp.path())?)).map_err(load_error)?)?;
    let faster = std::fs::read(temp.path()).ok().and_then(|bytes| super::piper_graph::blocked_layout_kept(&bytes));
    if let Some(bytes) = faster {
        if let Ok(mut faster) = builder(GraphOptimizationLevel::Disable).and_then(|mut b| b.commit_from_memory(&bytes)) {
            if probe.same_audio(&mut session, &mut faster) {
                if std::fs::write(temp.path(), &bytes).is_err() {
                    return Ok(faster);
                }
                session = faster;
            }
        }
    }
    // Written in full before the session exists; renamed into place so that concurrent
    // loads never read half a file. It replaces the model's graphs made by other versions.
    if temp.persist(&cached).is_ok() {
        super::cache::remove_superseded_models(&cached, &family);
    }
    Ok(session)
}

/// Where the optimized graph of `model` is cached: `models/` in readcast's cache folder, as
/// `{stem}-{model}-{key}.onnx`, where `model` hashes the model file's path (the family of
/// graphs made from that file, of which the newest is kept) and `key` everything the graph
/// depends on. Returns the path and the family.
fn optimized_model_path(model: &Path) -> Option<(PathBuf, String)> {
    let stamp = |path: &Path| -> Option<String> {
        let meta = std::fs::metadata(path).ok()?;
        let modified = meta.modified().ok()?.duration_since(std::time::UNIX_EPOCH).ok()?.as_nanos();
        Some(format!("{}|{}|{modified}", std::fs::canonicalize(path).ok()?.display(), meta.len()))
    };
    let library = std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from).and_then(|p| stamp(&p)).unwrap_or_else(|| ORT_LIBRARY.to_string());
    let key = format!("{}|{}|{}|{}|{}|{}", env!("CARGO_PKG_VERSION"), super::piper_graph::VERSION, stamp(model)?, library, std::env::consts::ARCH, cpu_name());
    let stem = model.file_stem().and_then(|s| s.to_str()).unwrap_or("model");
    let place = std::fs::canonicalize(model).ok()?;
    let family = format!("{stem}-{}", &blake3::hash(place.as_os_str().as_encoded_bytes()).to_hex()[..8]);
    Some((super::cache::model_dir().join(format!("{family}-{}.onnx", &blake3::hash(key.as_bytes()).to_hex()[..16])), family))
}

/// The CPU's model name, as far as the platform says it.
fn cpu_name() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| info.lines().find(|l| l.starts_with("model name")).map(str::to_string))
        .unwrap_or_default()
}

/// The ONNX Runtime library a user's config names, used where `ORT_DYLIB_PATH` is unset.
static CONFIGURED_LIBRARY: OnceLock<PathBuf> = OnceLock::new();

/// Names the ONNX Runtime library to load where `ORT_DYLIB_PATH` is unset (before the first
/// Piper voice is loaded; later calls change nothing).
pub fn set_library(path: &Path) {
    let _ = CONFIGURED_LIBRARY.set(path.to_path_buf());
}

/// Loads ONNX Runtime once per process, from `ORT_DYLIB_PATH`, the configured library
/// ([`set_library`]) or the library search path.
pub fn runtime() -> std::result::Result<&'static ort::environment::Environment, String> {
    static RUNTIME: OnceLock<std::result::Result<ort::environment::Environment, String>> = OnceLock::new();
    RUNTIME
        .get_or_init(|| {
            let path = std::env::var_os("ORT_DYLIB_PATH")
                .map(PathBuf::from)
                .or_else(|| CONFIGURED_LIBRARY.get().cloned())
                .unwrap_or_else(|| PathBuf::from(ORT_LIBRARY));
            let builder = ort::init_from(&path).map_err(|e| {
                format!("ONNX Runtime (>= 1.31) was not found ({e}); install it (for example `pip install onnxruntime`) and set ORT_DYLIB_PATH (or onnxruntime in readcast's config.toml) to its library: export ORT_DYLIB_PATH=$(python3 -c 'import glob, importlib.util, os; print(glob.glob(os.path.dirname(importlib.util.find_spec(\"onnxruntime\").origin) + \"/capi/libonnxruntime.so*\")[0])')")
            })?;
            builder.with_name("readcast").build().map_err(|e| format!("ONNX Runtime could not start: {e}"))
        })
        .as_ref()
        .map_err(Clone::clone)
}

pub struct PiperEngine {
    session: Session,
    config: PiperConfig,
    phonemizer: espeak_ng::EspeakNg,
    scales: [f32; 3],
    speaker: Option<i64>,
}

impl PiperEngine {
    /// Loads the model with `threads` intra-op threads. readcast runs one session per worker
    /// thread, each with one thread (measured on 2 cores: 2 sessions x 1 thread 23x realtime,
    /// 1 x 2 threads 19x), and gives a session more only when it will have the cores to
    /// itself (one segment left to speak). The output does not depend on the thread count.
    pub fn new(settings: &PiperSettings, threads: usize) -> Result<Self> {
        let environment = runtime().map_err(Error::engine)?;
        if !settings.model.is_file() {
            return Err(Error::engine(format!("{}: the voice model does not exist", settings.model.display())));
        }
        let config = PiperConfig::load(&settings.model)?;
        let phonemizer = espeak_ng::EspeakNg::builder()
            .voice(&config.espeak.voice)
            .data_dir(data_dir()?)
            .build()
            .map_err(|e| Error::engine(format!("phonemizer: {e}")))?;
        let speaker = match (&settings.speaker, config.num_speakers) {
            (_, 0 | 1) => None,
            (None, _) => Some(0),
            (Some(name), _) => Some(match config.speaker_id_map.get(name) {
                Some(id) => *id,
                None => name.parse().map_err(|_| Error::engine(format!("the voice has no speaker '{name}'")))?,
            }),
        };
        let inference = &config.inference;
        let scales = [
            settings.noise_scale.unwrap_or(inference.noise_scale),
            settings.length_scale.unwrap_or(inference.length_scale),
            settings.noise_w.unwrap_or(inference.noise_w),
        ];
        let probe = Probe { ids: config.phoneme_ids(&PROBE_PHONEMES.chars().map(String::from).collect::<Vec<_>>()), speaker };
        let session = load_session(environment, &settings.model, threads.max(1), &probe)?;
        Ok(PiperEngine { session, config, phonemizer, scales, speaker })
    }

    /// Phonemes of each sentence in `text`, as Piper splits them: Unicode code points after
    /// NFD decomposition, punctuation kept, language-switch flags removed. Words the
    /// espeak-ng crate mispronounces get the C program's phonemes ([`super::espeak::corrected`]).
    pub fn phonemize(&self, text: &str) -> Result<Vec<Vec<String>>> {
        let ipa = self.phonemizer.text_to_phonemes_phonemizer(&super::espeak::corrected(text)).map_err(|e| Error::engine(format!("phonemizer: {e}")))?;
        Ok(split_phoneme_sentences(&ipa))
    }

    fn infer(&mut self, ids: Vec<i64>) -> Result<Vec<f32>> {
        let audio = run_model(&mut self.session, ids, self.scales, self.speaker)?;
        Ok(audio.into_iter().map(|s| s.clamp(-1.0, 1.0)).collect())
    }
}

/// The model's audio for phoneme `ids` (one sentence) with the given scales and speaker.
fn run_model(session: &mut Session, ids: Vec<i64>, scales: [f32; 3], speaker: Option<i64>) -> Result<Vec<f32>> {
    let length = ids.len();
    let fail = |e: ort::Error| Error::engine(format!("model: {e}"));
    let input = Tensor::from_array(([1usize, length], ids)).map_err(fail)?;
    let lengths = Tensor::from_array(([1usize], vec![length as i64])).map_err(fail)?;
    let scales = Tensor::from_array(([3usize], scales.to_vec())).map_err(fail)?;
    let outputs = match speaker {
        Some(speaker) => {
            let sid = Tensor::from_array(([1usize], vec![speaker])).map_err(fail)?;
            session.run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales, "sid" => sid])
        }
        None => session.run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales]),
    }
    .map_err(fail)?;
    let (_, audio) = outputs[0].try_extract_tensor::<f32>().map_err(fail)?;
    Ok(audio.to_vec())
}

/// Phonemes of a short phrase ("readcast words") that checks a rewritten graph.
const PROBE_PHONEMES: &str = "ɹˈiːdkæst wˈɜːdz.";

/// A sentence that two sessions of one voice must speak alike, without noise.
struct Probe {
    ids: Vec<i64>,
    speaker: Option<i64>,
}

impl Probe {
    /// Whether `a` and `b` give the same audio for the probe, up to float rounding (the
    /// blocked-layout graph of en_US-joe-medium differs by 1.5e-7).
    fn same_audio(&self, a: &mut Session, b: &mut Session) -> bool {
        let speak = |session: &mut Session| run_model(session, self.ids.clone(), [0.0, 1.0, 0.0], self.speaker).ok();
        match (speak(a), speak(b)) {
            (Some(a), Some(b)) => !a.is_empty() && a.len() == b.len() && a.iter().zip(&b).all(|(x, y)| (x - y).abs() <= 1e-4),
            _ => false,
        }
    }
}

/// Splits flattened IPA into sentences after `.`, `?` or `!`, then into code points.
fn split_phoneme_sentences(ipa: &str) -> Vec<Vec<String>> {
    let cleaned = brackets_as_pauses(ipa);
    let mut sentences = Vec::new();
    let mut current: Vec<String> = Vec::new();
    let mut chars = cleaned.nfd().peekable();
    while let Some(c) = chars.next() {
        current.push(c.to_string());
        if matches!(c, '.' | '?' | '!') && chars.peek().is_none_or(|next| *next == ' ') {
            chars.next_if_eq(&' ');
            sentences.push(std::mem::take(&mut current));
        }
    }
    if current.iter().any(|p| p != " ") {
        sentences.push(current);
    }
    sentences
}

/// The IPA without language-switch flags ("(en)"), which Piper removes, and with the
/// brackets of the text ("is (plus or minus three points), as") as commas. The phonemizer
/// keeps the text's brackets, but eSpeak's phonemes, on which Piper voices are trained, have
/// none; a bracketed aside is said between two short pauses.
fn brackets_as_pauses(ipa: &str) -> String {
    const PAUSES: [char; 6] = [',', '.', '?', '!', ':', ';'];
    let mut out = String::with_capacity(ipa.len());
    let mut rest = ipa;
    while let Some(at) = rest.find(['(', ')']) {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        if rest[at..].starts_with('(') {
            let flag = after.find(')').filter(|&end| (2..=8).contains(&end) && after[..end].bytes().all(|b| b.is_ascii_lowercase() || b == b'-'));
            if let Some(end) = flag {
                rest = &after[end + 1..];
                continue;
            }
        }
        let paused = out.trim_end().is_empty() || out.trim_end().ends_with(PAUSES) || after.trim_start().starts_with(PAUSES);
        if !paused {
            out.truncate(out.trim_end().len());
            out.push(',');
            if !after.starts_with(' ') {
                out.push(' ');
            }
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

impl Engine for PiperEngine {
    fn sample_rate(&self) -> u32 {
        self.config.audio.sample_rate
    }

    fn max_chars(&self) -> usize {
        MAX_CHARS
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>> {
        let mut audio = Vec::new();
        for sentence in self.phonemize(text)? {
            let ids = self.config.phoneme_ids(&sentence);
            audio.extend(self.infer(ids)?);
        }
        Ok(audio)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PiperConfig {
        let mut map = HashMap::new();
        for (symbol, id) in [("_", 0), ("^", 1), ("$", 2), (" ", 3), (".", 10), ("h", 20), ("ə", 59), ("l", 24), ("ˈ", 120), ("o", 27), ("ʊ", 100), ("w", 35), ("ɜ", 62), ("ː", 122), ("d", 17)] {
            map.insert(symbol.to_string(), vec![id]);
        }
        PiperConfig {
            audio: AudioConfig { sample_rate: 22_050 },
            espeak: EspeakConfig::default(),
            inference: InferenceConfig::default(),
            phoneme_id_map: map,
            num_speakers: 1,
            speaker_id_map: HashMap::new(),
            phoneme_type: Some("espeak".into()),
        }
    }

    #[test]
    fn bracketed_words_are_said_between_pauses_and_flags_go() {
        let sentences = split_phoneme_sentences("ɪz (plˈʌs θɹˈiː), ɐ (en)wˈɜːd. siːˈæɾəl (ɹˈɔɪɾɚz) - ɐ.");
        let joined: Vec<String> = sentences.iter().map(|sentence| sentence.concat().nfc().collect()).collect();
        assert_eq!(joined, ["ɪz, plˈʌs θɹˈiː, ɐ wˈɜːd.", "siːˈæɾəl, ɹˈɔɪɾɚz, - ɐ."]);
    }

    #[test]
    fn ids_follow_pipers_scheme() {
        // Reference: Piper 1.3's phonemes_to_ids for "Hello world." with en_US voices.
        let sentences = split_phoneme_sentences("həlˈoʊ wˈɜːld.");
        assert_eq!(sentences.len(), 1);
        assert_eq!(config().phoneme_ids(&sentences[0]), [1, 0, 20, 0, 59, 0, 24, 0, 120, 0, 27, 0, 100, 0, 3, 0, 35, 0, 120, 0, 62, 0, 122, 0, 24, 0, 17, 0, 10, 0, 2]);
    }

    #[test]
    fn sentences_split_after_terminal_punctuation_and_flags_go() {
        let sentences = split_phoneme_sentences("hˈaɪ. (en)wˈʌn, tˈuː? ɡˈoʊ");
        let joined: Vec<String> = sentences.iter().map(|s| s.concat()).collect();
        assert_eq!(joined, ["hˈaɪ.", "wˈʌn, tˈuː?", "ɡˈoʊ"]);
        // NFD: a precomposed vowel with a diacritic becomes two code points.
        assert_eq!(split_phoneme_sentences("é")[0].len(), 2);
    }
}
