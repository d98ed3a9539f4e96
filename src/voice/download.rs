//! `readcast voices download NAME`: fetches a Piper voice from a server laid out as
//! `rhasspy/piper-voices` is (a `voices.json` index naming each voice's files with their
//! sizes and MD5 digests; the files under the same address), checks each file, and installs
//! the voice as `voices install` does. An interrupted download resumes where it stopped.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use md5::{Digest, Md5};

use super::{install, user_voice_dir, Voice};
use crate::error::{Error, Result};

/// Where voices come from unless told otherwise: the Piper project's voice collection.
pub const DEFAULT_SOURCE: &str = "https://huggingface.co/rhasspy/piper-voices/resolve/main";

/// A file of a voice, as the index lists it.
#[derive(Debug, Clone)]
struct Listed {
    path: String,
    size: u64,
    md5: String,
}

/// Downloads the voice `name` from `source` (an address holding `voices.json`) and installs
/// it. `progress` hears, for each file, its name, the bytes it has so far and its size.
pub fn download(name: &str, source: &str, progress: &mut dyn FnMut(&str, u64, u64)) -> Result<Vec<Voice>> {
    if name.is_empty() || name.starts_with('.') || !name.chars().all(|c| c.is_ascii_alphanumeric() || "_-.".contains(c)) {
        return Err(Error::input(format!("'{name}' is not a voice name (letters, digits, '_', '-' and '.', as in en_US-lessac-medium)")));
    }
    let target = user_voice_dir().ok_or_else(|| Error::input("no folder for installed voices (set READCAST_VOICES)"))?;
    let source = source.trim_end_matches('/');
    let agent = ureq::AgentBuilder::new().timeout_connect(Duration::from_secs(20)).timeout_read(Duration::from_secs(60)).user_agent(concat!("readcast/", env!("CARGO_PKG_VERSION"))).build();
    let files = listed_files(&agent, source, name)?;
    // Partial files live here between runs, so that a second run resumes them.
    let staging = target.join(".downloads").join(name);
    std::fs::create_dir_all(&staging).map_err(|e| Error::io(&staging, e))?;
    for file in &files {
        fetch(&agent, source, file, &staging, progress)?;
    }
    let model = files.iter().find(|f| f.path.ends_with(".onnx")).map(|f| staging.join(file_name(&f.path))).expect("listed_files keeps a model");
    let installed = install(&model, Some(name))?;
    let _ = std::fs::remove_dir_all(&staging);
    Ok(installed)
}

/// The model and its config for `name`, from the source's index.
fn listed_files(agent: &ureq::Agent, source: &str, name: &str) -> Result<Vec<Listed>> {
    let address = format!("{source}/voices.json");
    let mut body = String::new();
    get(agent, &address, None)?.into_reader().take(64 << 20).read_to_string(&mut body).map_err(|e| Error::engine(format!("{address}: could not download ({e})")))?;
    let index: serde_json::Value = serde_json::from_str(&body).map_err(|e| Error::engine(format!("{address}: not a voice index: {e}")))?;
    let Some(voice) = index.get(name) else {
        let names: Vec<&str> = index.as_object().map(|o| o.keys().map(String::as_str).collect()).unwrap_or_default();
        let near: Vec<&str> = names.iter().copied().filter(|n| n.to_lowercase().contains(&name.to_lowercase()) || name.to_lowercase().contains(&n.to_lowercase())).take(8).collect();
        let hint = if near.is_empty() { format!("{} voices are listed, e.g. {}", names.len(), names.iter().take(3).copied().collect::<Vec<_>>().join(", ")) } else { format!("did you mean {}?", near.join(", ")) };
        return Err(Error::input(format!("no voice '{name}' at {source}: {hint}")));
    };
    let files = voice.get("files").and_then(|f| f.as_object()).ok_or_else(|| Error::engine(format!("{address}: '{name}' lists no files")))?;
    let listed: Vec<Listed> = files
        .iter()
        .filter(|(path, _)| path.ends_with(".onnx") || path.ends_with(".onnx.json"))
        .filter_map(|(path, info)| {
            let size = info.get("size_bytes")?.as_u64()?;
            let md5 = info.get("md5_digest")?.as_str()?.to_lowercase();
            Some(Listed { path: path.clone(), size, md5 })
        })
        .collect();
    if !listed.iter().any(|f| f.path.ends_with(".onnx")) || !listed.iter().any(|f| f.path.ends_with(".onnx.json")) {
        return Err(Error::engine(format!("{address}: '{name}' does not list an .onnx model with its .onnx.json, sizes and MD5 digests")));
    }
    Ok(listed)
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Brings one file into `staging`: resumes its `.part` file where one is there, checks its
/// size and digest, and renames it into place.
fn fetch(agent: &ureq::Agent, source: &str, file: &Listed, staging: &Path, progress: &mut dyn FnMut(&str, u64, u64)) -> Result<()> {
    let name = file_name(&file.path);
    let done = staging.join(name);
    if done.is_file() && digest(&done)? == file.md5 {
        progress(name, file.size, file.size);
        return Ok(());
    }
    let part = PathBuf::from(format!("{}.part", done.display()));
    let mut have = std::fs::metadata(&part).map(|m| m.len()).unwrap_or(0);
    if have > file.size {
        have = 0;
    }
    let address = format!("{source}/{}", file.path);
    if have < file.size {
        let response = get(agent, &address, (have > 0).then_some(have))?;
        // A server that ignores the range sends the whole file again.
        let resumed = response.status() == 206;
        let mut out = std::fs::OpenOptions::new().create(true).write(true).append(resumed).truncate(!resumed).open(&part).map_err(|e| Error::io(&part, e))?;
        if !resumed {
            have = 0;
        }
        let mut reader = response.into_reader();
        let mut buffer = vec![0u8; 1 << 16];
        progress(name, have, file.size);
        loop {
            let n = reader.read(&mut buffer).map_err(|e| Error::engine(format!("{address}: the download stopped at {have} of {} bytes ({e}); run the command again to resume", file.size)))?;
            if n == 0 {
                break;
            }
            out.write_all(&buffer[..n]).map_err(|e| Error::io(&part, e))?;
            have += n as u64;
            progress(name, have, file.size);
        }
        out.sync_all().map_err(|e| Error::io(&part, e))?;
    }
    if have != file.size {
        return Err(Error::engine(format!("{address}: the download stopped at {have} of {} bytes; run the command again to resume", file.size)));
    }
    let got = digest(&part)?;
    if got != file.md5 {
        let _ = std::fs::remove_file(&part);
        return Err(Error::engine(format!("{address}: the file's MD5 digest is {got}, the index says {}; the file was removed, nothing was installed", file.md5)));
    }
    std::fs::rename(&part, &done).map_err(|e| Error::io(&done, e))
}

/// GET `address`, from byte `from` on when given.
fn get(agent: &ureq::Agent, address: &str, from: Option<u64>) -> Result<ureq::Response> {
    let mut request = agent.get(address);
    if let Some(from) = from {
        request = request.set("Range", &format!("bytes={from}-"));
    }
    request.call().map_err(|e| match e {
        ureq::Error::Status(code, _) => Error::engine(format!("{address}: the server answered HTTP {code}")),
        ureq::Error::Transport(transport) => Error::engine(format!("{address}: could not download ({transport})")),
    })
}

/// The MD5 digest of a file, in lower-case hex.
fn digest(path: &Path) -> Result<String> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut hasher = Md5::new();
    std::io::copy(&mut file, &mut hasher).map_err(|e| Error::io(path, e))?;
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}
