//! End-to-end tests of the readcast command: golden durations, audio format, pauses measured
//! from the audio, loudness, determinism, sidecars and error paths.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use readcast::assemble::{integrated_loudness, true_peak_dbtp};

/// Voices installed on this machine must not change the default voice under test.
fn no_installed_voices() -> PathBuf {
    std::env::temp_dir().join("readcast-tests-no-voices")
}

fn readcast(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_readcast"))
        .args(args)
        .env("READCAST_VOICES", no_installed_voices())
        .env("READCAST_CONFIG", std::env::temp_dir().join("readcast-tests-no-config.toml"))
        .stdin(Stdio::null())
        .output()
        .expect("readcast runs")
}

fn readcast_stdin(args: &[&str], input: &[u8]) -> Output {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_readcast"))
        .args(args)
        .env("READCAST_VOICES", no_installed_voices())
        .env("READCAST_CONFIG", std::env::temp_dir().join("readcast-tests-no-config.toml"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("readcast runs");
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn text(output: &[u8]) -> String {
    String::from_utf8_lossy(output).to_string()
}

/// Reads a 16-bit WAV: samples as floats, sample rate, channels.
fn read_wav(path: &Path) -> (Vec<f32>, u32, u16) {
    let mut reader = hound::WavReader::open(path).expect("a WAV file");
    let spec = reader.spec();
    assert_eq!(spec.bits_per_sample, 16);
    assert_eq!(spec.sample_format, hound::SampleFormat::Int);
    let samples = reader.samples::<i16>().map(|s| f32::from(s.unwrap()) / 32768.0).collect();
    (samples, spec.sample_rate, spec.channels)
}

const SHORT: &str = "Harbor reopens\n\nThe harbor opened on Monday. Ships came back at noon.\n\nBoats\n\nFishing boats left early on Tuesday.\n";

fn write_temp(dir: &Path, name: &str, contents: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn golden_durations_match() {
    let manifest = root().join("tests/golden/durations.toml");
    let output = readcast(&["check", manifest.to_str().unwrap()]);
    assert!(output.status.success(), "{}{}", text(&output.stdout), text(&output.stderr));
    assert!(text(&output.stdout).contains("4 passed, 0 failed"));
}

#[test]
fn check_prints_a_diff_and_exits_1_when_off() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "a.txt", SHORT);
    let manifest = write_temp(dir.path(), "golden.toml", &format!(
        "[[case]]\ninput = {:?}\nvoice = \"espeak\"\nduration = 1.0\ntolerance = 0.1\n", input.file_name().unwrap().to_str().unwrap()));
    let output = readcast(&["check", manifest.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stdout = text(&output.stdout);
    assert!(stdout.contains("FAIL") && stdout.contains("expected duration") && stdout.contains("actual duration"), "{stdout}");
}

#[test]
fn wav_format_follows_options() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "a.txt", SHORT);
    let mono = dir.path().join("mono.wav");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", mono.to_str().unwrap(), "--voice", "espeak"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, channels) = read_wav(&mono);
    assert_eq!((rate, channels), (22_050, 1));
    assert!(samples.len() > 22_050 * 3);

    let stereo = dir.path().join("stereo.wav");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", stereo.to_str().unwrap(), "--voice", "espeak", "--sample-rate", "16000", "--channels", "2"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, channels) = read_wav(&stereo);
    assert_eq!((rate, channels), (16_000, 2));
    // Same narration, resampled: the durations agree to a few milliseconds.
    let mono_seconds = read_wav(&mono).0.len() as f64 / 22_050.0;
    let stereo_seconds = samples.len() as f64 / 2.0 / 16_000.0;
    assert!((mono_seconds - stereo_seconds).abs() < 0.01, "{mono_seconds} vs {stereo_seconds}");
    assert!(samples.chunks(2).all(|frame| frame[0] == frame[1]));
    let loudness = integrated_loudness(&samples, 16_000, 2).unwrap();
    assert!((loudness + 16.0).abs() < 1.0, "stereo loudness {loudness}");
}

#[test]
fn loudness_and_true_peak_meet_the_podcast_norm() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wav");
    let input = root().join("samples/clean-library.txt");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, _) = read_wav(&out);
    let loudness = integrated_loudness(&samples, rate, 1).unwrap();
    assert!((loudness + 19.0).abs() < 0.5, "loudness {loudness}");
    let peak = true_peak_dbtp(&samples, rate, 1).unwrap();
    assert!(peak <= -0.9, "true peak {peak}");
}

/// Silent stretches longer than `min_seconds`, from a 10 ms energy envelope.
fn silences(samples: &[f32], rate: u32, min_seconds: f64) -> Vec<f64> {
    let window = rate as usize / 100;
    let mut gaps = Vec::new();
    let mut run = 0;
    for block in samples.chunks(window) {
        let peak = block.iter().fold(0f32, |m, s| m.max(s.abs()));
        if peak < 0.003 {
            run += block.len();
        } else {
            if run as f64 / f64::from(rate) >= min_seconds {
                gaps.push(run as f64 / f64::from(rate));
            }
            run = 0;
        }
    }
    gaps
}

#[test]
fn pauses_measured_from_the_audio_follow_the_boundaries() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "a.txt", SHORT);
    let out = dir.path().join("out.wav");
    let output = readcast(&[
        "narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--no-disclosure",
        "--pause-sentence", "0.5", "--pause-paragraph", "0.9", "--pause-section", "1.4",
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, _) = read_wav(&out);
    let gaps = silences(&samples, rate, 0.3);
    // Title | 1.4 | sentence | 0.5 | sentence | 1.4 | heading | 0.9 | sentence | tail
    let expected = [1.4, 0.5, 1.4, 0.9];
    assert!(gaps.len() >= expected.len(), "gaps {gaps:?}");
    for (gap, want) in gaps.iter().zip(expected) {
        assert!((gap - want).abs() < 0.08, "gaps {gaps:?}, expected {expected:?}");
    }
}

#[test]
fn same_input_gives_identical_files_whatever_the_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples/markdown-election.md");
    let mut files = Vec::new();
    for (name, jobs) in [("a.wav", "1"), ("b.wav", "2"), ("c.wav", "2")] {
        let out = dir.path().join(name);
        let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--jobs", jobs]);
        assert!(output.status.success(), "{}", text(&output.stderr));
        files.push(std::fs::read(&out).unwrap());
    }
    assert!(files[0] == files[1] && files[1] == files[2], "outputs differ");
}

#[test]
fn captions_and_timings_follow_the_audio() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples/markdown-election.md");
    let out = dir.path().join("out.wav");
    let vtt = dir.path().join("out.vtt");
    let json = dir.path().join("out.json");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak",
        "--captions", vtt.to_str().unwrap(), "--timings", json.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, _) = read_wav(&out);
    let duration = samples.len() as f64 / f64::from(rate);
    let captions = std::fs::read_to_string(&vtt).unwrap();
    assert!(captions.starts_with("WEBVTT\n\n"));
    // Cues of at most two lines of 42 characters and 7 seconds: a sentence longer than that is
    // split, at a clause where it can be. The header (title, byline, date), the disclosure and
    // the body's 14 sentences make 18 sentences.
    let cues: Vec<&str> = captions.trim_start_matches("WEBVTT\n\n").split("\n\n").filter(|cue| !cue.is_empty()).collect();
    assert!(cues.len() > 18, "{captions}");
    for cue in &cues {
        let lines: Vec<&str> = cue.lines().collect();
        let (start, end) = lines[1].split_once(" --> ").unwrap();
        let seconds = |t: &str| t.split(':').fold(0.0, |total, part| total * 60.0 + part.parse::<f64>().unwrap());
        assert!(seconds(end) - seconds(start) <= 7.0 + 1e-3, "{cue}");
        assert!((1..=2).contains(&(lines.len() - 2)) && lines[2..].iter().all(|line| line.chars().count() <= 42), "{cue}");
    }
    let words: Vec<&str> = cues.iter().flat_map(|cue| cue.lines().skip(2).flat_map(str::split_whitespace)).collect();
    assert!(words.join(" ").contains("Samuel Reyes won 5,214 votes, just 87 more than his rival, the electoral commission said at 11:45 PM."));
    assert!(cues.iter().any(|cue| cue.lines().nth(2).is_some_and(|line| line.starts_with("Samuel Reyes"))) && cues.iter().any(|cue| cue.ends_with("rival,")), "split after a clause: {captions}");
    let timings = readcast::assemble::captions::read_timings(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert!(!timings.is_empty());
    let mut previous_end = 0.0;
    for (_, start, end) in &timings {
        assert!(*start >= previous_end && end > start, "{timings:?}");
        previous_end = *end;
    }
    assert!(previous_end <= duration);
}

#[test]
fn stdin_input_and_quiet_pipes() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wav");
    let output = readcast_stdin(&["narrate", "-", "-o", out.to_str().unwrap(), "--voice", "espeak"], SHORT.as_bytes());
    assert!(output.status.success(), "{}", text(&output.stderr));
    // Piped: no progress bar; the one thing to say is that 17 words are a short article.
    assert_eq!(text(&output.stderr), "readcast: <stdin>: the article has only 17 words; check that this is the story\n");
    assert!(out.exists());
    // --quiet says nothing at all.
    let output = readcast_stdin(&["narrate", "-", "-o", out.to_str().unwrap(), "--voice", "espeak", "--quiet"], SHORT.as_bytes());
    assert!(output.status.success());
    assert_eq!(text(&output.stderr), "");
}

#[test]
fn bad_input_is_one_clear_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let empty = write_temp(dir.path(), "empty.txt", " \n\n ");
    let latin1 = dir.path().join("latin1.txt");
    std::fs::write(&latin1, b"Caf\xe9 society returns.\n").unwrap();
    let binary = dir.path().join("image.txt");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 1, 2]).unwrap();
    let good = write_temp(dir.path(), "good.txt", SHORT);
    let out = dir.path().join("out.wav");
    let missing_dir_out = dir.path().join("no/such/dir/out.wav");
    let (missing_vtt, missing_json) = (missing_dir_out.with_extension("vtt"), missing_dir_out.with_extension("json"));
    let (ogg_out, mp3_out, pod_out) = (dir.path().join("out.ogg"), dir.path().join("out.mp3"), dir.path().join("pod"));
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (vec!["narrate", "/no/such/article.txt", "-o", out.to_str().unwrap()], "No such file"),
        (vec!["narrate", empty.to_str().unwrap(), "-o", out.to_str().unwrap()], "no article text found"),
        (vec!["narrate", latin1.to_str().unwrap(), "-o", out.to_str().unwrap()], "not valid UTF-8"),
        (vec!["narrate", binary.to_str().unwrap(), "-o", out.to_str().unwrap()], "binary"),
        (vec!["narrate", good.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "nope"], "unknown voice"),
        (vec!["narrate", good.to_str().unwrap(), "-o", missing_dir_out.to_str().unwrap(), "--voice", "espeak"], "out.wav"),
        // A sidecar that cannot be written stops the run before the audio is written.
        (vec!["narrate", good.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--captions", missing_vtt.to_str().unwrap()], "out.vtt: the folder does not exist"),
        (vec!["narrate", good.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--timings", missing_json.to_str().unwrap()], "out.json: the folder does not exist"),
        (vec!["narrate", "ftp://example.com/a", "-o", out.to_str().unwrap()], "only http"),
        (vec!["narrate", good.to_str().unwrap()], "--output"),
        (vec!["narrate", good.to_str().unwrap(), "-o", ogg_out.to_str().unwrap(), "--voice", "espeak"], "name the output .wav or .mp3"),
        (vec!["narrate", good.to_str().unwrap(), "-o", mp3_out.to_str().unwrap(), "--voice", "espeak", "--sample-rate", "96000"], "MP3 has no 96000 Hz"),
        (vec!["narrate", good.to_str().unwrap(), "-o", mp3_out.to_str().unwrap(), "--voice", "espeak", "--bitrate", "192"], "at most 160 kbps"),
        (vec!["narrate", good.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--bitrate", "64"], "--bitrate applies to MP3"),
        (vec!["batch", good.to_str().unwrap(), "--out", pod_out.to_str().unwrap(), "--voice", "espeak", "--base-url", "https://example.com/pod", "--sample-rate", "44000"], "MP3 has no 44000 Hz"),
        (vec!["inspect", good.to_str().unwrap()], "not a supported audio file"),
        (vec!["check", empty.to_str().unwrap()], "not a valid check manifest"),
    ];
    for (args, message) in cases {
        let output = readcast(&args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    }
    assert!(!out.exists(), "no output file may be left behind");
    let left: Vec<String> = std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().to_string()).collect();
    assert_eq!(left.len(), 4, "only the inputs remain: {left:?}");
}

#[test]
fn an_mp3_name_gives_a_tagged_mp3_with_chapters() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples/markdown-election.md");
    let mp3 = dir.path().join("election.MP3");
    let wav = dir.path().join("election.wav");
    let timings_of = |out: &Path| out.with_extension(format!("{}.json", out.extension().unwrap().to_str().unwrap()));
    for out in [&mp3, &wav] {
        let bitrate: &[&str] = if out == &mp3 { &["--bitrate", "48"] } else { &[] };
        let timings = timings_of(out);
        let output = readcast(&[&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--timings", timings.to_str().unwrap()], bitrate].concat());
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
    // The MP3's timings follow its audio: later than the WAV's by the lead-in a decoder plays.
    let read = |out: &Path| readcast::assemble::captions::read_timings(&std::fs::read_to_string(timings_of(out)).unwrap()).unwrap();
    let lead_in = 1681.0 / 22_050.0;
    assert!(read(&mp3).iter().zip(read(&wav)).all(|(m, w)| (m.1 - w.1 - lead_in).abs() < 1e-3 && (m.2 - w.2 - lead_in).abs() < 1e-3));
    let decoded = readcast::synth::decode::decode_file(&mp3).unwrap();
    assert_eq!((decoded.sample_rate, decoded.channels), (22_050, 1usize));
    assert_eq!(&std::fs::read(&mp3).unwrap()[..3], b"ID3");
    // The same narration as the WAV, give or take the encoder's frames.
    let wav_seconds = read_wav(&wav).0.len() as f64 / 22_050.0;
    assert!((decoded.duration_seconds() - wav_seconds).abs() < 0.1, "{} vs {wav_seconds}", decoded.duration_seconds());
    // 48 kbps: the size follows the bitrate.
    let kbps = std::fs::metadata(&mp3).unwrap().len() as f64 * 8.0 / 1000.0 / wav_seconds;
    assert!((40.0..56.0).contains(&kbps), "{kbps} kbps");
    use id3::TagLike;
    let tag = id3::Tag::read_from_path(&mp3).unwrap();
    assert!(tag.title().is_some_and(|title| title.contains("Coastal")), "{:?}", tag.title());
    assert!(tag.artist().is_some());
    // Three headings: four chapters, the first at the start.
    assert_eq!(tag.chapters().count(), 4);
    assert_eq!(tag.chapters().map(|c| c.start_time).min(), Some(0));
}

#[test]
fn a_failing_engine_exits_3_and_leaves_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let voice = write_temp(dir.path(), "broken.toml", "name = \"broken\"\nengine = \"command\"\ncommand = [\"false\"]\n");
    let input = write_temp(dir.path(), "a.txt", SHORT);
    let out = dir.path().join("out.wav");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", voice.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let stderr = text(&output.stderr);
    assert!(stderr.contains("voice 'broken'") && stderr.contains("segment"), "{stderr}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2, "only the two inputs remain");
}

#[test]
fn help_documents_exit_codes() {
    let output = readcast(&["--help"]);
    assert!(output.status.success());
    let help = text(&output.stdout);
    for line in ["0  success", "1  a check failed", "2  usage or input error", "3  synthesis or engine error"] {
        assert!(help.contains(line), "{help}");
    }
}

#[test]
fn normalize_lines_keeps_one_line_per_line() {
    let output = readcast_stdin(&["normalize", "--lines", "-"], b"It cost $5.50.\n\nGen. Smith left at 5 p.m.\n");
    assert!(output.status.success());
    assert_eq!(text(&output.stdout), "It cost five dollars fifty cents.\n\nGeneral Smith left at five p m.\n");
    // Sentence by sentence: an abbreviation that ends a sentence keeps its period.
    let output = readcast_stdin(&["normalize", "--raw", "-"], b"The bill passed on Wed. The index rose at 6 p.m. Then it fell.");
    assert_eq!(text(&output.stdout), "The bill passed on Wednesday. The index rose at six p m. Then it fell.\n");
    let explain = readcast_stdin(&["normalize", "--raw", "--explain", "-"], b"POW");
    assert!(text(&explain.stdout).contains("acronym"), "{}", text(&explain.stdout));
}

#[test]
fn sentences_extract_and_inspect() {
    let output = readcast_stdin(&["sentences", "--raw", "-"], b"I live in the U.S. How about you? Gen. Smith agreed.");
    assert_eq!(text(&output.stdout), "I live in the U.S.\nHow about you?\nGen. Smith agreed.\n");
    let html = root().join("samples/html-heatwave.html");
    let output = readcast(&["extract", "--json", html.to_str().unwrap()]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["title"], "Heat wave breaks records across the south");
    assert_eq!(json["byline"], "Tomás Alvarez");

    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wav");
    let input = write_temp(dir.path(), "a.txt", SHORT);
    assert!(readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak"]).status.success());
    let output = readcast(&["inspect", out.to_str().unwrap()]);
    let report = text(&output.stdout);
    assert!(report.contains("wav, 22050 Hz, 1 channel,") && report.contains(" LUFS, true peak "), "{report}");
    // --json: a line per file, with its loudness and true peak.
    let output = readcast(&["inspect", "--json", out.to_str().unwrap(), out.to_str().unwrap()]);
    let lines: Vec<serde_json::Value> = text(&output.stdout).lines().map(|line| serde_json::from_str(line).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!((lines[0]["format"].as_str(), lines[0]["sample_rate"].as_u64(), lines[0]["channels"].as_u64()), (Some("wav"), Some(22_050), Some(1)));
    assert!((lines[0]["loudness_lufs"].as_f64().unwrap() + 19.0).abs() < 0.5 && lines[0]["true_peak_dbtp"].as_f64().unwrap() <= -0.9, "{}", lines[0]);
    // voices and doctor say the same as JSON.
    let voices: serde_json::Value = serde_json::from_slice(&readcast(&["voices", "--json"]).stdout).unwrap();
    let espeak = voices.as_array().unwrap().iter().find(|voice| voice["name"] == "espeak").unwrap();
    assert_eq!((espeak["engine"].as_str(), espeak["available"].as_bool()), (Some("espeak"), Some(true)));
    let doctor: serde_json::Value = serde_json::from_slice(&readcast(&["doctor", "--json"]).stdout).unwrap();
    assert!(doctor["findings"].as_array().unwrap().iter().any(|finding| finding["what"] == "embedded espeak" && finding["ok"] == true), "{doctor}");
    assert!(doctor["default_voice"].is_string(), "{doctor}");
}

#[test]
fn platform_espeak_ng_voice() {
    if !readcast::synth::espeak_ng::available() {
        println!("skipped: the espeak-ng program is not installed (apt-get install espeak-ng)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wav");
    let input = root().join("samples/clean-library.txt");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak-ng"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, _) = read_wav(&out);
    let seconds = samples.len() as f64 / f64::from(rate);
    // About 260 words at 175 words per minute, plus pauses.
    assert!((60.0..120.0).contains(&seconds), "{seconds} s");
    // Batched synthesis splits back into one segment per sentence: every segment is speech,
    // about as long as its words.
    let json = dir.path().join("timings.json");
    let input = root().join("samples/markdown-election.md");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak-ng", "--timings", json.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let timings = readcast::assemble::captions::read_timings(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(timings.len(), 18);
    for (words, start, end) in &timings {
        let per_word = (end - start) / words.split_whitespace().count() as f64;
        assert!((0.15..0.8).contains(&per_word), "{words:?}: {per_word:.2} s a word");
    }
    // With no --voice, the platform voice is preferred and named on stderr.
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(text(&output.stderr).contains("using voice 'espeak-ng'"), "{}", text(&output.stderr));
}

#[test]
fn flite_command_voice() {
    if !readcast::synth::command::program_exists("flite") {
        println!("skipped: flite is not installed (apt-get install flite)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out.wav");
    let input = write_temp(dir.path(), "a.txt", SHORT);
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "flite"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let (samples, rate, _) = read_wav(&out);
    // flite writes 16 kHz; the voice asks for 16 kHz output.
    assert_eq!(rate, 16_000);
    assert!(samples.len() as f64 / f64::from(rate) > 3.0);
}

#[test]
fn lint_lists_names_the_engine_must_guess() {
    let output = readcast_stdin(&["lint", "--voice", "espeak", "-"],
        "Former minister Andriy Zagorodnyuk said Kyiv would respond. The Varna port reopened, Kostova said.".as_bytes());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    let words: Vec<&str> = report.lines().map(|line| line.split_whitespace().next().unwrap_or("")).collect();
    // Names missing from the lexicon are listed with the engine's phonemes; lexicon names,
    // dictionary words and sentence-initial common words are not.
    assert!(words.contains(&"Kostova"), "{report}");
    assert!(!words.contains(&"Kyiv") && !words.contains(&"Zagorodnyuk") && !words.contains(&"Andriy"), "{report}");
    // Common words and names (Varna is among the 40,000 most frequent) are not listed.
    assert!(!words.contains(&"The") && !words.contains(&"Former") && !words.contains(&"Varna") && !words.contains(&"port"), "{report}");
    // Each with the engine's IPA and a lexicon line in espeak-ng -x mnemonics.
    assert!(report.lines().all(|line| line.contains('/') && line.contains("= { phonemes = ")), "{report}");
    assert!(report.contains("\"Kostova\" = { phonemes = \"k0st'oUv@\" }"), "{report}");
    // On the harbor sample, only its Bulgarian names.
    let output = readcast(&["lint", "--voice", "espeak", root().join("samples/scraped-harbor.txt").to_str().unwrap()]);
    let words: Vec<String> = text(&output.stdout).lines().map(|line| line.split_whitespace().next().unwrap_or("").to_string()).collect();
    assert_eq!(words, ["Burgas", "Georgi", "Kostova", "Petrova", "Vasilev"]);
    // Names the lexicon respells ("Kyiv" is said "Keev") are the lexicon's, not to check.
    let output = readcast_stdin(&["lint", "--voice", "espeak", "-"], "Officials in Kyiv and Pyongyang met in Kursk.".as_bytes());
    assert_eq!(text(&output.stdout), "", "{}", text(&output.stdout));
}

#[test]
fn phoneme_lexicon_entries_reach_the_engine() {
    let dir = tempfile::tempdir().unwrap();
    let lexicon = write_temp(dir.path(), "names.toml", "[exact]\nVarna = { phonemes = \"v'A@n@\", say = \"Vahr nah\" }\n");
    let output = readcast_stdin(&["normalize", "--raw", "--lexicon", lexicon.to_str().unwrap(), "-"], b"Ships left Varna.");
    assert_eq!(text(&output.stdout), "Ships left [[v'A@n@]].\n");
    let input = write_temp(dir.path(), "a.txt", "Port news\n\nShips left Varna on Monday.\n");
    let out = dir.path().join("out.wav");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--lexicon", lexicon.to_str().unwrap(), "--captions", dir.path().join("c.vtt").to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // Captions keep the written word; the brackets never reach the listener as text.
    assert!(std::fs::read_to_string(dir.path().join("c.vtt")).unwrap().contains("Ships left Varna on Monday."));
}

/// A scraped page as a user pastes it: navigation, the story one paragraph per line, a footer.
const SCRAPED_PASTE: &str = "Skip to content\nMenu\nLocal\nTram line wins final vote\nBy Ann Lee\nThe council approved the $5 million tram line on Tuesday after a two-hour debate, officials said.\nConstruction starts in March and should take about 18 months, the city's transit office said.\nShare this\nTerms of Use\n";

#[test]
fn normalize_sentences_and_lint_work_on_what_narrate_reads() {
    let output = readcast_stdin(&["normalize", "-"], SCRAPED_PASTE.as_bytes());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "Tram line wins final vote.\nBy Ann Lee.\nThis audio was created with A I assistance.\nThe council approved the five million dollar tram line on Tuesday after a two-hour debate, officials said.\nConstruction starts in March and should take about eighteen months, the city's transit office said.\n");
    let output = readcast_stdin(&["sentences", "-"], SCRAPED_PASTE.as_bytes());
    let sentences = text(&output.stdout);
    assert!(sentences.starts_with("Tram line wins final vote\nBy Ann Lee\n"), "{sentences}");
    assert!(!sentences.contains("Skip to content") && !sentences.contains("Terms of Use"), "{sentences}");
    // --raw keeps the plain-text behaviour: every line, junk included.
    let output = readcast_stdin(&["sentences", "--raw", "-"], SCRAPED_PASTE.as_bytes());
    assert!(text(&output.stdout).contains("Skip to content"));
    let output = readcast_stdin(&["lint", "--voice", "espeak", "-"], SCRAPED_PASTE.as_bytes());
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).contains("Skip"), "{}", text(&output.stdout));
}

#[test]
fn extract_explains_what_it_dropped_and_reads_a_lone_paragraph() {
    let output = readcast_stdin(&["extract", "--explain", "-"], SCRAPED_PASTE.as_bytes());
    assert!(output.status.success(), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains("[page furniture (junk.toml)] Skip to content"), "{report}");
    assert!(report.contains("Terms of Use"), "{report}");
    let json = readcast_stdin(&["extract", "--json", "--explain", "-"], SCRAPED_PASTE.as_bytes());
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert!(value["dropped"].as_array().unwrap().iter().any(|d| d["text"] == "Menu" && d["rule"].as_str().unwrap().contains("furniture")));

    // A menu line, one sentence and a footer line: the sentence is read, with a note.
    let output = readcast_stdin(&["extract", "-"], b"Menu\nThe harbor reopened on Monday, three days after the storm.\nTerms of Use\n");
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout), "The harbor reopened on Monday, three days after the storm.\n");
    assert!(text(&output.stderr).contains("check that this is the story"), "{}", text(&output.stderr));
}

#[test]
fn audio_to_standard_output_srt_captions_and_a_json_summary() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples/markdown-election.md");
    let wav = dir.path().join("file.wav");
    let srt = dir.path().join("file.srt");
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", wav.to_str().unwrap(), "--voice", "espeak", "--captions", srt.to_str().unwrap(), "--json"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    // One line of JSON on stdout.
    let summary: serde_json::Value = serde_json::from_str(text(&output.stdout).trim()).unwrap();
    assert_eq!((summary["file"].as_str(), summary["format"].as_str(), summary["voice"].as_str(), summary["sentences"].as_u64()), (wav.to_str(), Some("wav"), Some("espeak"), Some(18)));
    let seconds = read_wav(&wav).0.len() as f64 / 22_050.0;
    assert!((summary["duration"].as_f64().unwrap() - seconds).abs() < 0.01 && summary["seconds"].as_f64().unwrap() > 0.0, "{summary}");
    let srt_text = std::fs::read_to_string(&srt).unwrap();
    assert!(srt_text.starts_with("1\n00:00:00,000 --> 00:00:0") && !srt_text.contains("WEBVTT"), "{srt_text}");
    // -o - writes the same WAV to standard output, and an MP3 that decodes to the same length.
    let streamed = readcast(&["narrate", input.to_str().unwrap(), "-o", "-", "--format", "wav", "--voice", "espeak"]);
    assert!(streamed.status.success(), "{}", text(&streamed.stderr));
    assert!(streamed.stdout == std::fs::read(&wav).unwrap(), "the WAV on standard output is the file's");
    let mp3 = readcast(&["narrate", input.to_str().unwrap(), "-o", "-", "--format", "mp3", "--bitrate", "48", "--voice", "espeak"]);
    assert!(mp3.status.success(), "{}", text(&mp3.stderr));
    let path = dir.path().join("streamed.mp3");
    std::fs::write(&path, &mp3.stdout).unwrap();
    let decoded = readcast::synth::decode::decode_file(&path).unwrap();
    assert!((decoded.duration_seconds() - seconds).abs() < 0.15, "{} vs {seconds}", decoded.duration_seconds());
    // Formats that cannot be told, or that disagree, are input errors.
    for (args, message) in [
        (vec!["-o", "-"], "--format wav or --format mp3"),
        (vec!["-o", "x.wav", "--format", "mp3"], "--format mp3 but the output is named x.wav"),
        (vec!["-o", "-", "--format", "wav", "--json"], "--json prints to standard output"),
        (vec!["-o", "x.wav", "--captions", "x.txt"], "name the captions .vtt (WebVTT) or .srt (SubRip)"),
    ] {
        let output = readcast(&[&["narrate", input.to_str().unwrap(), "--voice", "espeak"], args.as_slice()].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(text(&output.stderr).contains(message), "{args:?}: {}", text(&output.stderr));
    }
}

/// readcast with a user config file and installed voices of the test's own.
fn readcast_with(config: &Path, voices: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_readcast"))
        .args(args)
        .env("READCAST_VOICES", voices)
        .env("READCAST_CONFIG", config)
        .stdin(Stdio::null())
        .output()
        .expect("readcast runs")
}

#[test]
fn settings_come_from_flags_then_the_config_file_then_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let input = write_temp(dir.path(), "a.txt", "Tram line approved\n\nThe council voted on Tuesday. Work starts soon.\n\nThe line opens in 2028.");
    let config = dir.path().join("config.toml");
    let out = dir.path().join("out.wav");
    let seconds_with = |config: &Path, extra: &[&str]| -> f64 {
        let output = readcast_with(config, &no_installed_voices(), &[&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--json"], extra].concat());
        assert!(output.status.success(), "{extra:?}: {}", text(&output.stderr));
        serde_json::from_str::<serde_json::Value>(text(&output.stdout).trim()).unwrap()["duration"].as_f64().unwrap()
    };
    let plain = seconds_with(&dir.path().join("none.toml"), &["--voice", "espeak"]);
    // The config names the voice and longer pauses.
    std::fs::write(&config, "voice = \"espeak\"\npause_sentence = 2.0\npause_paragraph = 2.0\npause_section = 3.0\n").unwrap();
    let configured = seconds_with(&config, &[]);
    assert!(configured > plain + 3.0, "{configured} vs {plain}");
    // Flags win over the config.
    let flagged = seconds_with(&config, &["--pause-sentence", "0.35", "--pause-paragraph", "0.7", "--pause-section", "1"]);
    assert!((flagged - plain).abs() < 0.01, "{flagged} vs {plain}");
    // An empty disclosure line in the config reads none, as --no-disclosure does.
    std::fs::write(&config, "disclosure = \"\"\n").unwrap();
    let without = seconds_with(&config, &["--voice", "espeak"]);
    assert!((without - seconds_with(&dir.path().join("none.toml"), &["--voice", "espeak", "--no-disclosure"])).abs() < 0.01 && without < plain - 1.0, "{without} vs {plain}");
    // A config with an unknown setting is an input error naming it.
    std::fs::write(&config, "pause_sentense = 1\n").unwrap();
    let output = readcast_with(&config, &no_installed_voices(), &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("pause_sentense"), "{}", text(&output.stderr));
}

#[test]
fn rate_and_pitch_work_for_every_voice_kind_that_has_them() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples/clean-library.txt");
    let out = dir.path().join("out.wav");
    let length = |args: &[&str]| -> usize {
        let output = readcast(&[&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak"], args].concat());
        assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
        read_wav(&out).0.len()
    };
    let normal = length(&[]);
    let fast = length(&["--rate", "1.5x"]);
    let slow = length(&["--rate", "120"]);
    assert!((fast as f64) < normal as f64 * 0.8 && (slow as f64) > normal as f64 * 1.2, "{fast} {normal} {slow}");
    let high = readcast(&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--voice", "espeak", "--pitch", "90"]);
    assert!(high.status.success());
    // A command voice takes them through {rate} and {pitch}, or says it cannot.
    let voices = dir.path().join("voices");
    std::fs::create_dir_all(&voices).unwrap();
    std::fs::write(voices.join("plain.toml"), "name = \"plain\"\nengine = \"command\"\ncommand = [\"true\", \"{out}\"]\n").unwrap();
    std::fs::write(voices.join("missing-piper.toml"), "name = \"missing-piper\"\nengine = \"piper\"\nmodel = \"nowhere.onnx\"\n").unwrap();
    let none = dir.path().join("none.toml");
    for (args, message) in [
        (vec!["--voice", "plain", "--rate", "200"], "without a {rate} placeholder"),
        (vec!["--voice", "plain", "--pitch", "60"], "without a {pitch} placeholder"),
        (vec!["--voice", "espeak", "--rate", "9000"], "80 to 450 words per minute"),
    ] {
        let output = readcast_with(&none, &voices, &[&["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap()], args.as_slice()].concat());
        assert_eq!(output.status.code(), Some(2), "{args:?}: {}", text(&output.stderr));
        assert!(text(&output.stderr).contains(message), "{args:?}: {}", text(&output.stderr));
    }
    // A voice at a rate MP3 does not have gives an MP3 at the nearest rate it has, with a note;
    // a rate asked for is kept.
    std::fs::write(voices.join("odd.toml"), "name = \"odd\"\nengine = \"espeak\"\nsample_rate = 20000\n").unwrap();
    let mp3 = dir.path().join("out.mp3");
    let output = readcast_with(&none, &voices, &["narrate", input.to_str().unwrap(), "-o", mp3.to_str().unwrap(), "--voice", "odd"]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("voice 'odd' speaks at 20000 Hz, which MP3 does not have: the MP3 is at 22050 Hz"), "{}", text(&output.stderr));
    assert_eq!(readcast::synth::decode::decode_file(&mp3).unwrap().sample_rate, 22_050);
    let output = readcast_with(&none, &voices, &["narrate", input.to_str().unwrap(), "-o", mp3.to_str().unwrap(), "--voice", "espeak", "--sample-rate", "44100", "--channels", "2"]);
    assert!(output.status.success() && !text(&output.stderr).contains("MP3 does not have"), "{}", text(&output.stderr));
    let decoded = readcast::synth::decode::decode_file(&mp3).unwrap();
    assert_eq!((decoded.sample_rate, decoded.channels), (44_100, 2));
    // An installed voice better than the one used is named, with why it was skipped.
    let output = readcast_with(&none, &voices, &["narrate", input.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("voice 'missing-piper' is installed but skipped: the model"), "{}", text(&output.stderr));
}

#[test]
fn a_read_along_page_shows_the_written_sentences_at_the_times_heard() {
    let dir = tempfile::tempdir().unwrap();
    let input = root().join("samples/scraped-harbor.txt");
    let (mp3, page, timings, embed) = (dir.path().join("a b.mp3"), dir.path().join("pages/a.html"), dir.path().join("a.json"), dir.path().join("player.html"));
    std::fs::create_dir_all(dir.path().join("pages")).unwrap();
    let args = ["narrate", input.to_str().unwrap(), "-o", mp3.to_str().unwrap(), "--voice", "espeak", "--page", page.to_str().unwrap(), "--timings", timings.to_str().unwrap(), "--embed", embed.to_str().unwrap()];
    let output = readcast(&args);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let html = std::fs::read_to_string(&page).unwrap();
    let document = scraper::Html::parse_document(&html);
    assert!(document.errors.is_empty(), "{:?}", document.errors);
    let select = |css: &str| document.select(&scraper::Selector::parse(css).unwrap()).collect::<Vec<_>>();
    // The page finds its audio from its own folder.
    assert_eq!(select("audio")[0].value().attr("src"), Some("../a%20b.mp3"));
    // Written on the page, spoken in the audio: "$3.5 million" is one sentence of the page.
    let sentences = select(".rc-s");
    let money = sentences.iter().find(|s| s.text().collect::<String>().contains("$3.5 million")).expect("the written sentence");
    assert!(!html.contains("three point five million dollars"));
    // The times are those heard in the MP3 (after the encoder's lead-in), as in the timings.
    let heard = readcast::assemble::captions::read_timings(&std::fs::read_to_string(&timings).unwrap()).unwrap();
    let first: f64 = sentences[0].value().attr("data-start").unwrap().parse().unwrap();
    assert!((first - heard[0].1).abs() < 0.002, "{first} vs {}", heard[0].1);
    assert!(money.value().attr("data-end").unwrap().parse::<f64>().unwrap() > first);
    // The player's JSON sits next to the audio, with both forms of each sentence.
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(dir.path().join("a b.readalong.json")).unwrap()).unwrap();
    let money = json["sentences"].as_array().unwrap().iter().find(|s| s["text"].as_str().unwrap().contains("$3.5 million")).unwrap();
    assert!(money["spoken"].as_str().unwrap().contains("three point five million dollars"), "{money}");
    assert!(std::fs::read_to_string(&embed).unwrap().contains("data-timings=\"a%20b.readalong.json\""));
    // A page needs an audio file to play.
    let output = readcast(&["narrate", input.to_str().unwrap(), "-o", "-", "--format", "mp3", "--voice", "espeak", "--page", page.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--page"), "{}", text(&output.stderr));
}
