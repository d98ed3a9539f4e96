//! Any bytes as a cache entry of each kind: a read is a verified entry or a miss (the entry
//! removed), never a panic; nothing unverified comes back, and a damaged MP3 piece leaves
//! nothing in the file it was being copied into.
#![no_main]

use libfuzzer_sys::fuzz_target;
use readcast::synth::cache::{Entry, SegmentCache};

fuzz_target!(|data: &[u8]| {
    let dir = std::env::temp_dir().join(format!("readcast-fuzz-cache-{}", std::process::id()));
    let key = format!("ab{}", "0".repeat(62));
    let cache = SegmentCache::new(&dir);
    for extension in ["seg", "prof", "mp3", "pcm"] {
        std::fs::create_dir_all(dir.join("ab")).unwrap();
        std::fs::write(dir.join("ab").join(format!("{key}.{extension}")), data).unwrap();
    }
    let _ = cache.segment_checksum(&key);
    assert!(cache.get(&key).is_none() || data.len() >= 60);
    for kind in [Entry::Profile, Entry::Pcm] {
        if let Some(content) = cache.get_entry(kind, &key) {
            assert!(content.len() + 48 == data.len());
        }
    }
    let mut out = std::fs::File::options().read(true).write(true).create(true).truncate(true).open(dir.join("out")).unwrap();
    let claimed = data.len().saturating_sub(48) as u64;
    if !cache.copy_entry(Entry::Piece, &key, claimed, &mut out).unwrap_or(false) {
        assert_eq!(out.metadata().unwrap().len(), 0);
    }
    let _ = std::fs::remove_dir_all(&dir);
});
