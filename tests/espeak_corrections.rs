//! The crate-side half of scripts/make-espeak-corrections (ignored in normal runs), and a
//! check that the shipped corrections are the C espeak-ng program's phonemes.

use std::process::Command;

/// For each `word<TAB>C phonemes` line of `$READCAST_WORDS`, writes
/// `word<TAB>C phonemes<TAB>changed` to `$READCAST_WORDS.crate`, where `changed` says
/// whether the crate speaks the word otherwise than with those phonemes.
#[test]
#[ignore = "run by scripts/make-espeak-corrections"]
fn compare_the_crate_with_the_c_program() {
    let words = std::env::var("READCAST_WORDS").expect("READCAST_WORDS names the word list");
    let data = readcast::synth::espeak::data_dir().unwrap();
    let engine = espeak_ng::EspeakNg::builder().voice("en-us").data_dir(data).build().unwrap();
    let mut out = String::new();
    for line in std::fs::read_to_string(&words).unwrap().lines() {
        let (word, phonemes) = line.split_once('\t').expect("word<TAB>phonemes");
        let own = engine.text_to_phonemes(word).unwrap();
        let given = engine.text_to_phonemes(&format!("[[{phonemes}]]")).unwrap();
        out.push_str(&format!("{word}\t{phonemes}\t{}\n", own != given));
    }
    std::fs::write(format!("{words}.crate"), out).unwrap();
}

#[test]
fn the_corrections_are_the_c_program_s_phonemes() {
    if Command::new("espeak-ng").arg("--version").output().is_err() {
        println!("skipped: the espeak-ng program is not installed (apt-get install espeak-ng)");
        return;
    }
    let entries: Vec<(&str, &str)> = readcast::synth::espeak::corrections().step_by(25).collect();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("words.txt");
    std::fs::write(&input, entries.iter().map(|(word, _)| format!("{word}.\n")).collect::<String>()).unwrap();
    let output = Command::new("espeak-ng").args(["-v", "en-us", "-q", "-x", "-f"]).arg(&input).output().unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    let phonemes: Vec<&str> = printed.lines().map(str::trim).collect();
    assert_eq!(phonemes.len(), entries.len(), "{printed}");
    let differ: Vec<String> = entries.iter().zip(&phonemes).filter(|((_, table), c)| table != *c).map(|((word, table), c)| format!("{word}: {table} here, {c} from espeak-ng")).collect();
    // Another espeak-ng release may say a few words otherwise; most must agree.
    assert!(differ.len() * 20 <= entries.len(), "{} of {} differ:\n{}", differ.len(), entries.len(), differ.join("\n"));
}
