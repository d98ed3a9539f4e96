//! `readcast voices download`: against a local HTTP server laid out as rhasspy/piper-voices is.

#[allow(dead_code)]
mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::path::Path;
use std::sync::{Arc, Mutex};

use common::{command, text};
use md5::{Digest, Md5};

const NAME: &str = "en_US-test-low";
const FOLDER: &str = "en/en_US/test/low";

/// What the server serves and how: `cut` sends only that many bytes of the model once (the
/// connection drops), `ranges` records the Range headers it was sent.
#[derive(Default)]
struct State {
    files: HashMap<String, Vec<u8>>,
    cut: Option<usize>,
    ranges: Vec<String>,
}

/// Serves `state` on a local port; returns its address.
fn serve(state: Arc<Mutex<State>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            if reader.read_line(&mut request).is_err() {
                continue;
            }
            let path = request.split_whitespace().nth(1).unwrap_or("/").trim_start_matches('/').to_string();
            let mut range = None;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                if let Some(value) = line.to_lowercase().strip_prefix("range: bytes=") {
                    range = Some(value.trim().trim_end_matches('-').to_string());
                }
            }
            let mut state = state.lock().unwrap();
            let Some(body) = state.files.get(&path).cloned() else {
                let _ = stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                continue;
            };
            let from: usize = range.as_deref().and_then(|r| r.parse().ok()).unwrap_or(0);
            if let Some(r) = &range {
                state.ranges.push(r.clone());
            }
            let status = if from > 0 { format!("206 Partial Content\r\nContent-Range: bytes {from}-{}/{}", body.len() - 1, body.len()) } else { "200 OK".to_string() };
            let rest = &body[from..];
            let _ = write!(stream, "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", rest.len());
            let cut = if path.ends_with(".onnx") { state.cut.take() } else { None };
            let send = match cut {
                Some(cut) => &rest[..cut.min(rest.len())],
                None => rest,
            };
            let _ = stream.write_all(send);
            let _ = stream.flush();
        }
    });
    address
}

fn md5_hex(bytes: &[u8]) -> String {
    Md5::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A small voice (the model is any bytes: installing reads only the config) and its index;
/// `wrong_digest` lists a wrong MD5 for the model.
fn fixture(wrong_digest: bool) -> State {
    let model: Vec<u8> = (0..300_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let config = br#"{"audio": {"sample_rate": 16000}, "espeak": {"voice": "en-us"}, "phoneme_id_map": {"_": [0], "^": [1], "$": [2], "a": [3]}}"#.to_vec();
    let model_digest = if wrong_digest { "0".repeat(32) } else { md5_hex(&model) };
    let index = serde_json::json!({
        NAME: {"key": NAME, "files": {
            format!("{FOLDER}/{NAME}.onnx"): {"size_bytes": model.len(), "md5_digest": model_digest},
            format!("{FOLDER}/{NAME}.onnx.json"): {"size_bytes": config.len(), "md5_digest": md5_hex(&config)},
            format!("{FOLDER}/MODEL_CARD"): {"size_bytes": 4, "md5_digest": md5_hex(b"card")},
        }},
        "en_GB-other-medium": {"key": "en_GB-other-medium", "files": {}},
    });
    let mut files = HashMap::new();
    files.insert("voices.json".to_string(), index.to_string().into_bytes());
    files.insert(format!("{FOLDER}/{NAME}.onnx"), model);
    files.insert(format!("{FOLDER}/{NAME}.onnx.json"), config);
    State { files, ..Default::default() }
}

fn download(voices: &Path, source: &str, name: &str) -> std::process::Output {
    let cache = voices.join("cache");
    command(&cache, &["voices", "download", name, "--from", source]).env("READCAST_VOICES", voices).output().unwrap()
}

#[test]
fn downloads_checks_and_installs_resuming_after_a_dropped_connection() {
    let mut state = fixture(false);
    state.cut = Some(100_000);
    let model = state.files[&format!("{FOLDER}/{NAME}.onnx")].clone();
    let state = Arc::new(Mutex::new(state));
    let source = serve(state.clone());
    let voices = tempfile::tempdir().unwrap();

    let first = download(voices.path(), &source, NAME);
    assert_eq!(first.status.code(), Some(3), "{}", text(&first.stderr));
    assert!(text(&first.stderr).contains("run the command again to resume"), "{}", text(&first.stderr));
    assert!(!voices.path().join(format!("{NAME}.toml")).exists(), "a failed download installs nothing");
    let part = voices.path().join(".downloads").join(NAME).join(format!("{NAME}.onnx.part"));
    assert_eq!(std::fs::metadata(&part).unwrap().len(), 100_000);

    let second = download(voices.path(), &source, NAME);
    assert!(second.status.success(), "{}", text(&second.stderr));
    assert!(text(&second.stdout).contains(&format!("installed voice '{NAME}'")), "{}", text(&second.stdout));
    assert_eq!(state.lock().unwrap().ranges, vec!["100000".to_string()], "the second run asks for the rest only");
    let installed = voices.path().join("models").join(NAME).join(format!("{NAME}.onnx"));
    assert!(std::fs::read(&installed).unwrap() == model);
    assert!(voices.path().join("models").join(NAME).join(format!("{NAME}.onnx.json")).is_file());
    assert!(!voices.path().join(".downloads").join(NAME).exists(), "partial files are cleaned up");
    let manifest = std::fs::read_to_string(voices.path().join(format!("{NAME}.toml"))).unwrap();
    assert!(manifest.contains("engine = \"piper\"") && manifest.contains("sample_rate = 16000"), "{manifest}");
}

#[test]
fn a_wrong_digest_installs_nothing() {
    let source = serve(Arc::new(Mutex::new(fixture(true))));
    let voices = tempfile::tempdir().unwrap();
    let output = download(voices.path(), &source, NAME);
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains("MD5"), "{}", text(&output.stderr));
    assert!(!voices.path().join(format!("{NAME}.toml")).exists());
    assert!(!voices.path().join("models").join(NAME).join(format!("{NAME}.onnx")).exists());
    let left: Vec<_> = walk(voices.path()).into_iter().filter(|p| p.extension().is_some_and(|e| e == "part" || e == "onnx")).collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn an_unknown_voice_or_a_bad_name_is_an_input_error() {
    let source = serve(Arc::new(Mutex::new(fixture(false))));
    let voices = tempfile::tempdir().unwrap();
    let output = download(voices.path(), &source, "en_US-test");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    assert!(text(&output.stderr).contains(&format!("did you mean {NAME}")), "{}", text(&output.stderr));
    let output = download(voices.path(), &source, "../escape");
    assert_eq!(output.status.code(), Some(2), "{}", text(&output.stderr));
    let output = download(voices.path(), "http://127.0.0.1:9", NAME);
    assert_eq!(output.status.code(), Some(3), "an unreachable server: {}", text(&output.stderr));
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}
