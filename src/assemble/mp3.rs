//! MP3 output: LAME (the `mp3lame-encoder` crate, which builds LAME from source with cargo)
//! behind an ID3v2.4 tag with title, artist, date and chapters (CHAP/CTOC frames).

use std::io::Write;
use std::path::Path;

use id3::frame::{Chapter as ChapterFrame, TableOfContents};
use id3::{Frame, TagLike, Version};
use mp3lame_encoder::{Bitrate, Builder, FlushNoGap, InterleavedPcm, MonoPcm, Quality};

use super::wav::to_i16;
use super::{Chapter, Narration};
use crate::error::{Error, Result};
use crate::output::write_atomically;

/// What the ID3 tag says about an episode.
#[derive(Debug, Clone, Default)]
pub struct Mp3Tags {
    pub title: Option<String>,
    pub artist: Option<String>,
    /// Year or full date as written in the tag (`2026-03-14`).
    pub date: Option<String>,
    pub album: Option<String>,
    pub chapters: Vec<Chapter>,
}

fn bitrate(kbps: u32) -> Result<Bitrate> {
    Ok(match kbps {
        32 => Bitrate::Kbps32,
        40 => Bitrate::Kbps40,
        48 => Bitrate::Kbps48,
        64 => Bitrate::Kbps64,
        80 => Bitrate::Kbps80,
        96 => Bitrate::Kbps96,
        112 => Bitrate::Kbps112,
        128 => Bitrate::Kbps128,
        160 => Bitrate::Kbps160,
        192 => Bitrate::Kbps192,
        other => return Err(Error::input(format!("bitrate {other} kbps is not one of 32, 40, 48, 64, 80, 96, 112, 128, 160, 192"))),
    })
}

/// Encodes the narration as a constant-bitrate MP3 with an ID3 tag, written atomically.
pub fn write_mp3(narration: &Narration, path: &Path, kbps: u32, tags: &Mp3Tags) -> Result<()> {
    let fail = |what: &str, e: String| Error::engine(format!("{}: MP3 {what}: {e}", path.display()));
    let mut builder = Builder::new().ok_or_else(|| fail("encoder", "LAME could not start".into()))?;
    builder.set_num_channels(narration.channels as u8).map_err(|e| fail("encoder", e.to_string()))?;
    builder.set_sample_rate(narration.sample_rate).map_err(|e| fail("encoder", e.to_string()))?;
    builder.set_brate(bitrate(kbps)?).map_err(|e| fail("encoder", e.to_string()))?;
    // LAME's -q 7: at speech bitrates no audible loss against -q 5, and twice as fast, which
    // matters once cached segments make synthesis cheap.
    builder.set_quality(Quality::Ok).map_err(|e| fail("encoder", e.to_string()))?;
    let mut encoder = builder.build().map_err(|e| fail("encoder", e.to_string()))?;
    let pcm: Vec<i16> = to_i16(&narration.samples).collect();
    // LAME's documented worst case for one call: 1.25 x samples + 7200 bytes.
    let mut audio = Vec::with_capacity(mp3lame_encoder::max_required_buffer_size(pcm.len()) + 7200);
    let encoded = if narration.channels >= 2 {
        encoder.encode_to_vec(InterleavedPcm(&pcm), &mut audio)
    } else {
        encoder.encode_to_vec(MonoPcm(&pcm), &mut audio)
    };
    encoded.map_err(|e| fail("encoding", e.to_string()))?;
    encoder.flush_to_vec::<FlushNoGap>(&mut audio).map_err(|e| fail("encoding", e.to_string()))?;

    let tag = id3_tag(tags, narration.duration_seconds());
    write_atomically(path, |file| {
        tag.write_to(&mut *file, Version::Id3v24).map_err(|e| fail("tag", e.to_string()))?;
        file.write_all(&audio).map_err(|e| Error::io(path, e))
    })
}

fn id3_tag(tags: &Mp3Tags, duration: f64) -> id3::Tag {
    let mut tag = id3::Tag::new();
    if let Some(title) = &tags.title {
        tag.set_title(title);
    }
    if let Some(artist) = &tags.artist {
        tag.set_artist(artist);
    }
    if let Some(album) = &tags.album {
        tag.set_album(album);
    }
    if let Some(date) = tags.date.as_deref().and_then(|d| d.parse::<id3::Timestamp>().ok()) {
        tag.set_date_recorded(date);
    }
    let end_ms = (duration * 1000.0).round() as u32;
    let ids: Vec<String> = (0..tags.chapters.len()).map(|i| format!("chp{i}")).collect();
    for (index, chapter) in tags.chapters.iter().enumerate() {
        let start_time = (chapter.start * 1000.0).round() as u32;
        let end_time = tags.chapters.get(index + 1).map_or(end_ms, |next| (next.start * 1000.0).round() as u32);
        tag.add_frame(ChapterFrame {
            element_id: ids[index].clone(),
            start_time,
            end_time,
            start_offset: u32::MAX,
            end_offset: u32::MAX,
            frames: vec![Frame::text("TIT2", chapter.title.clone())],
        });
    }
    if !ids.is_empty() {
        tag.add_frame(TableOfContents { element_id: "toc".into(), top_level: true, ordered: true, elements: ids, frames: Vec::new() });
    }
    tag
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_a_decodable_mp3_with_chapters() {
        let rate = 22_050;
        let samples: Vec<f32> = (0..rate * 3).map(|i| 0.3 * (i as f32 * 0.05).sin()).collect();
        let narration = Narration { samples, sample_rate: rate, channels: 1, sentences: vec![], segments: vec![] };
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.mp3");
        let tags = Mp3Tags {
            title: Some("Ferry strike ends".into()),
            artist: Some("Maya Lindqvist".into()),
            date: Some("2026-05-12".into()),
            album: None,
            chapters: vec![Chapter { title: "Ferry strike ends".into(), start: 0.0 }, Chapter { title: "Backlog".into(), start: 1.5 }],
        };
        write_mp3(&narration, &path, 64, &tags).unwrap();
        let decoded = crate::synth::decode::decode_file(&path).unwrap();
        assert_eq!(decoded.sample_rate, rate);
        assert!((decoded.duration_seconds() - 3.0).abs() < 0.1, "{}", decoded.duration_seconds());
        let tag = id3::Tag::read_from_path(&path).unwrap();
        assert_eq!(tag.title(), Some("Ferry strike ends"));
        assert_eq!(tag.chapters().count(), 2);
        assert_eq!(tag.tables_of_contents().count(), 1);
        assert!(write_mp3(&narration, &path, 65, &tags).is_err());
    }
}
