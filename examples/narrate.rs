//! readcast as a library: narrate an article file into an MP3 with SubRip captions, as a CMS
//! hook or a web service would.
//!
//! `cargo run --release --example narrate -- samples/clean-library.txt out.mp3`

use std::path::PathBuf;

use readcast::narrator::{AudioFormat, Narrator, Settings};

fn main() -> Result<(), readcast::Error> {
    let mut args = std::env::args().skip(1);
    let (Some(input), Some(output)) = (args.next(), args.next()) else {
        eprintln!("usage: narrate ARTICLE OUT.mp3");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&input).map_err(|e| readcast::Error::io(&input, e))?;
    let article = readcast::extract::extract_str(&text)?;
    // The embedded voice always works; `readcast::voice::best_voice()` picks the best one here.
    let voice = readcast::voice::find_voice("espeak")?;
    let settings = Settings { pause_paragraph: 0.8, ..Settings::default() };
    let narrator = Narrator::new(voice, settings)?;
    let format = AudioFormat::Mp3 { kbps: 64 };
    narrator.check_format(format)?;
    let narrated = narrator.narrate(&article)?;
    let output = PathBuf::from(output);
    let seconds = narrated.write_audio(format, &output)?;
    narrated.write_captions(format, &output.with_extension("srt"))?;
    // Or to any stream: narrated.write_audio_to(format, readcast::output::Sink::Stream(&mut socket)).
    println!("{}: {seconds:.1} s, {} sentences", output.display(), narrated.sentence_count());
    Ok(())
}
