//! External engines: any program that writes audio for a text (macOS `say`, Windows SAPI via
//! PowerShell, flite, pico2wave, a piper binary). The output is decoded with symphonia.

use std::io::{Read, Write};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::decode::decode_bytes;
use super::Engine;
use crate::assemble::resample;
use crate::error::{Error, Result};

/// The longest text handed to an external program at once.
pub const MAX_CHARS: usize = 1000;

/// How to run an external engine. In `args`, `{text}` is replaced by the text, `{text_file}`
/// by a file holding it, `{out}` by the audio file to write; without `{out}` the audio is read
/// from standard output, and with `stdin` the text is also written to standard input.
#[derive(Debug, Clone)]
pub struct CommandSettings {
    pub program: String,
    pub args: Vec<String>,
    pub stdin: bool,
    /// The rate the program writes; output is resampled to it when it differs.
    pub sample_rate: u32,
    pub timeout: Duration,
    /// Extension of the `{out}` file, which some programs use to pick the format.
    pub out_extension: String,
}

pub struct CommandEngine {
    settings: CommandSettings,
    /// The program started ahead of its text ([`Engine::start_ahead`]), waiting for it.
    ahead: Option<Child>,
}

impl CommandEngine {
    pub fn new(settings: &CommandSettings) -> Self {
        CommandEngine { settings: settings.clone(), ahead: None }
    }

    /// Whether the program can start before its text is known: it reads the text from
    /// standard input and writes the audio to standard output, so no argument changes from
    /// one text to the next.
    fn starts_ahead(&self) -> bool {
        self.settings.stdin && !self.settings.args.iter().any(|arg| ["{text}", "{text_file}", "{out}"].iter().any(|name| arg.contains(name)))
    }

    fn spawn(&self, args: &[String]) -> Result<Child> {
        let settings = &self.settings;
        Command::new(&settings.program)
            .args(args)
            .stdin(if settings.stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| Error::engine(format!("cannot run '{}': {e}", settings.program)))
    }
}

impl Drop for CommandEngine {
    fn drop(&mut self) {
        if let Some(mut child) = self.ahead.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// True when `program` can be found on the PATH (or is a path that exists).
pub fn program_exists(program: &str) -> bool {
    if program.contains(std::path::MAIN_SEPARATOR) {
        return std::path::Path::new(program).is_file();
    }
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| {
            let candidate = dir.join(program);
            candidate.is_file() || candidate.with_extension("exe").is_file()
        })
    })
}

impl Engine for CommandEngine {
    fn sample_rate(&self) -> u32 {
        self.settings.sample_rate
    }

    fn max_chars(&self) -> usize {
        MAX_CHARS
    }

    fn start_ahead(&mut self) {
        if self.ahead.is_none() && self.starts_ahead() {
            // A failure to start is reported by the call that needs the program.
            self.ahead = self.spawn(&self.settings.args).ok();
        }
    }

    fn synthesize(&mut self, text: &str) -> Result<Vec<f32>> {
        let ahead = self.ahead.take();
        let settings = &self.settings;
        // A folder for the text and audio files, where the command takes files.
        let workdir = match settings.args.iter().any(|arg| arg.contains("{text_file}") || arg.contains("{out}")) {
            true => Some(tempfile::tempdir().map_err(|e| Error::engine(format!("cannot make a temp folder: {e}")))?),
            false => None,
        };
        let in_workdir = |name: String| workdir.as_ref().map(|dir| dir.path().join(name)).unwrap_or_default();
        let out_path = in_workdir(format!("out.{}", settings.out_extension));
        let text_path = in_workdir("text.txt".to_string());
        let mut uses_out = false;
        let mut args = Vec::new();
        for arg in &settings.args {
            if arg.contains("{text_file}") {
                std::fs::write(&text_path, text).map_err(|e| Error::engine(format!("cannot write the text file: {e}")))?;
            }
            uses_out |= arg.contains("{out}");
            args.push(
                arg.replace("{text_file}", &text_path.to_string_lossy())
                    .replace("{out}", &out_path.to_string_lossy())
                    .replace("{text}", text),
            );
        }
        // The arguments of a program started ahead are those of every call (no text in them).
        let mut child = match ahead {
            Some(child) => child,
            None => self.spawn(&args)?,
        };
        if let Some(mut stdin) = child.stdin.take() {
            // A program that exits without reading its input is reported by its exit status.
            let _ = stdin.write_all(text.as_bytes());
        }
        let mut stdout = child.stdout.take().expect("stdout is piped");
        let mut stderr = child.stderr.take().expect("stderr is piped");
        let (closed, stdout_closed) = std::sync::mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = stdout.read_to_end(&mut bytes);
            let _ = closed.send(());
            bytes
        });
        let error_reader = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text);
            text
        });
        // A program's standard output closes when it exits: waiting for that, not polling,
        // saves a few milliseconds a segment. Then (or at the time limit) it is reaped.
        let deadline = Instant::now() + settings.timeout;
        let exited = stdout_closed.recv_timeout(settings.timeout).is_ok();
        let status = loop {
            if let Some(status) = child.try_wait().map_err(|e| Error::engine(format!("'{}': {e}", settings.program)))? {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                return Err(Error::engine(format!("'{}' did not finish within {} s", settings.program, settings.timeout.as_secs())));
            }
            // Once its output has closed the program is ending: look again soon.
            std::thread::sleep(if exited { Duration::from_micros(100) } else { Duration::from_millis(5) });
        };
        let stdout_bytes = reader.join().unwrap_or_default();
        let stderr_text = error_reader.join().unwrap_or_default();
        if !status.success() {
            let detail = stderr_text.lines().last().unwrap_or("").trim().to_string();
            return Err(Error::engine(format!("'{}' failed ({status}){}", settings.program, if detail.is_empty() { String::new() } else { format!(": {detail}") })));
        }
        let bytes = if uses_out {
            std::fs::read(&out_path).unwrap_or_default()
        } else {
            stdout_bytes
        };
        if bytes.is_empty() {
            return Err(Error::engine(format!("'{}' wrote no audio", settings.program)));
        }
        let decoded = decode_bytes(bytes).map_err(|e| Error::engine(format!("'{}' output: {e}", settings.program)))?;
        let rate = decoded.sample_rate;
        let mono = decoded.into_mono();
        Ok(if rate == settings.sample_rate { mono } else { resample(&mono, rate, settings.sample_rate)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(program: &str, args: &[&str]) -> CommandSettings {
        CommandSettings {
            program: program.into(),
            args: args.iter().map(|a| a.to_string()).collect(),
            stdin: false,
            sample_rate: 22_050,
            timeout: Duration::from_secs(2),
            out_extension: "wav".into(),
        }
    }

    #[test]
    fn failing_program_names_itself() {
        let err = CommandEngine::new(&settings("false", &[])).synthesize("hi").unwrap_err();
        assert!(err.to_string().contains("'false' failed"), "{err}");
    }

    #[test]
    fn silent_program_wrote_no_audio() {
        let err = CommandEngine::new(&settings("true", &[])).synthesize("hi").unwrap_err();
        assert!(err.to_string().contains("wrote no audio"), "{err}");
    }

    #[test]
    fn hanging_program_times_out() {
        let err = CommandEngine::new(&settings("sleep", &["30"])).synthesize("hi").unwrap_err();
        assert!(err.to_string().contains("did not finish"), "{err}");
    }

    #[test]
    fn a_program_started_ahead_reads_its_text_when_it_comes() {
        let dir = tempfile::tempdir().unwrap();
        let wav = dir.path().join("tone.wav");
        let spec = hound::WavSpec { channels: 1, sample_rate: 22_050, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
        let mut writer = hound::WavWriter::create(&wav, spec).unwrap();
        (0..2205).for_each(|i| writer.write_sample(((i as f32 * 0.1).sin() * 8000.0) as i16).unwrap());
        writer.finalize().unwrap();
        // Writes the text it read to a file, then the audio to standard output.
        let heard = dir.path().join("heard.txt");
        let script = format!("cat > '{}'; cat '{}'", heard.display(), wav.display());
        let mut command = settings("sh", &["-c", &script]);
        command.stdin = true;
        let mut engine = CommandEngine::new(&command);
        let fresh = engine.synthesize("first").unwrap();
        engine.start_ahead();
        assert!(engine.ahead.is_some());
        let ahead = engine.synthesize("second").unwrap();
        assert_eq!(std::fs::read_to_string(&heard).unwrap(), "second");
        assert_eq!(ahead, fresh);
        assert!(engine.ahead.is_none());
        // A program that takes its text as an argument, or writes to a file made for each
        // text, cannot start before it.
        for args in [&["{text}"][..], &["-o", "{out}"][..]] {
            let mut changing = settings("echo", args);
            changing.stdin = true;
            let mut engine = CommandEngine::new(&changing);
            engine.start_ahead();
            assert!(engine.ahead.is_none(), "{args:?}");
        }
    }

    #[test]
    fn missing_program_is_an_engine_error() {
        let err = CommandEngine::new(&settings("readcast-no-such-program", &[])).synthesize("hi").unwrap_err();
        assert!(matches!(err, Error::Engine(_)));
        assert!(!program_exists("readcast-no-such-program"));
    }
}
