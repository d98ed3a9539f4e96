//! readcast's own synthesis stage for the embedded voice. The espeak-ng crate supplies eSpeak
//! NG's phoneme data through its public API: phoneme codes, the phoneme programs and their
//! formant frames, the recorded consonants, vowel lengths and the clause intonation. This
//! module plans each phoneme as eSpeak does (lengths, pre-pauses, transitions into and out of
//! vowels, pitch) and makes the sound with a harmonic generator of its own.
//!
//! Two faults in the crate's generator made the voice hard to follow
//! (`docs/embedded-voice.md`): its formant peaks are a third as wide as eSpeak's, so a vowel
//! sounds as a few whistling harmonics, and voiced consonants lose the recorded noise that
//! eSpeak mixes into them, so /z/, /v/, /ð/ and /d/ come out as a hum. Here the peaks have
//! eSpeak's widths and the noise is mixed in.

use std::sync::OnceLock;

use espeak_ng::phoneme::{PhonemeData, PhonemeTab, PH_BRKAFTER, PH_FRICATIVE, PH_LENGTHENSTOP, PH_LIQUID, PH_NASAL, PH_NOPAUSE, PH_PAUSE, PH_SIBILANT, PH_STOP, PH_VFRICATIVE, PH_VOICELESS, PH_VOWEL, PH_VSTOP};
use espeak_ng::synthesize::bytecode::{self, Neighbours, PhonemeExtract};
use espeak_ng::synthesize::intonation::{self, Syllable};
use espeak_ng::synthesize::phondata::{SpectFrame, SpectSeq, FRFLAG_BREAK, FRFLAG_VOWEL_CENTRE};
use espeak_ng::synthesize::setlengths;
use espeak_ng::translate::PhonemeCode;

const RATE: f64 = 22_050.0;
/// Harmonic amplitudes are recomputed every this many samples, as eSpeak does.
const STEP: usize = 64;
/// Formant peak widths of eSpeak NG's default voice (its `voice->width`, per formant), in
/// the units where a frame's width byte times this over 64 is the half-width in Hz.
const PEAK_WIDTH: [f64; 6] = [294.0, 256.0, 256.0, 320.0, 342.0, 342.0];
/// Formant heights of the default voice (`voice->height`), 256 = as the frame says.
const PEAK_HEIGHT: [f64; 6] = [260.0, 256.0, 240.0, 232.0, 200.0, 200.0];
/// Stress amplitudes for English, indexed by stress level (eSpeak's `stress_amps`).
const STRESS_AMP: [f64; 8] = [18.0, 18.0, 20.0, 20.0, 20.0, 22.0, 22.0, 20.0];
/// The most a clause's last vowel may have (`LOPT_MAXAMP_EOC`).
const LAST_VOWEL_AMP: f64 = 19.0;
/// Level of the harmonic part against the recorded consonants, measured against the C
/// program's output for sustained vowels and fricatives.
const VOICED_GAIN: f64 = 0.8;
/// Recorded noise mixed into voiced consonants, against the level of a voiceless one
/// (eSpeak: `amplitude_v` over `consonant_amp * general_amplitude`).
const MIXED_NOISE: f64 = 0.73;
/// The crate's rate curve (`speed_duration_factor`) was fitted to its own duration model;
/// with eSpeak's, sentences come out this much shorter than the C program's at the same
/// rate, so durations are scaled by it (measured over 8 sentences, 1 = no change).
pub const DURATION_FIT: f64 = 1.13;
/// The voice bar of a voiced stop's closure after a vowel, in ms at normal speed.
const MURMUR_MS: f64 = 50.0;
/// Pause at a clause boundary inside a segment, in ms at normal speed.
const COMMA_PAUSE_MS: f64 = 160.0;
const CLAUSE_PAUSE_MS: f64 = 250.0;

/// What the stage needs of the voice.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Durations scale by this (1.0 at the voice's normal rate).
    pub speed: f64,
    /// Base pitch in Hz and pitch range in eSpeak's units.
    pub pitch_base: f64,
    pub pitch_range: f64,
    pub intonation_group: usize,
    pub stress_lengths: Option<[u32; 8]>,
    /// Per-harmonic gain by frequency, 8 Hz a step (eSpeak's `tone_adjust`, 256 = unity).
    pub tone: Vec<u8>,
}

/// One phoneme of a clause, with what eSpeak's `CalcLengths` works out for it.
#[derive(Clone)]
struct Phone {
    code: u8,
    tab: PhonemeTab,
    stress: u8,
    lengthen: bool,
    newword: bool,
    /// Length modifier, 256 = the phoneme's own length.
    length: f64,
    /// Silence before the phoneme, ms.
    prepause: f64,
    amp: f64,
    pitch: Pitch,
}

impl Phone {
    fn kind(&self) -> u8 {
        self.tab.typ
    }

    fn flags(&self) -> u32 {
        self.tab.phflags
    }
}

/// Pitch over a phoneme, in Hz.
#[derive(Clone, Copy)]
enum Pitch {
    Ramp(f64, f64),
    Syllable(Syllable),
}

struct Clause {
    phones: Vec<Phone>,
    /// eSpeak's clause type: 0 statement, 1 comma, 2 question, 3 exclamation.
    kind: usize,
    pause_ms: f64,
}

/// The sound of a run of phoneme codes (one `translate_to_codes` result), 22,050 Hz.
pub fn render(codes: &[PhonemeCode], data: &PhonemeData, settings: &Settings) -> Vec<i16> {
    let mut plan = Plan::default();
    for mut clause in clauses(codes, data) {
        lengths_and_pitch(&mut clause, settings);
        plan_clause(&clause, data, settings, &mut plan);
        plan.pause((clause.pause_ms * settings.speed * RATE / 1000.0) as usize);
    }
    plan.render(settings)
}

/// Splits the codes into clauses of phonemes, with their stress, word starts and lengthening.
fn clauses(codes: &[PhonemeCode], data: &PhonemeData) -> Vec<Clause> {
    let mut out = Vec::new();
    let mut phones = Vec::new();
    let (mut stress, mut lengthen, mut newword) = (0u8, false, true);
    for code in codes.iter().filter(|c| c.marker.is_none()) {
        match code.code {
            0 if code.is_boundary => {
                let kind = match code.clause_char {
                    Some(',' | ';' | ':') => 1,
                    Some('?') => 2,
                    Some('!') => 3,
                    _ => 0,
                };
                let pause_ms = if kind == 1 { COMMA_PAUSE_MS } else { CLAUSE_PAUSE_MS };
                if !phones.is_empty() {
                    out.push(Clause { phones: std::mem::take(&mut phones), kind, pause_ms });
                }
                newword = true;
            }
            0 => {}
            1..=7 => stress = code.code,
            12 => lengthen = true,
            15 => {
                newword = true;
                stress = 0;
            }
            c => {
                let Some(tab) = data.get(c).cloned() else { continue };
                if tab.typ == 1 || tab.typ == 9 {
                    continue;
                }
                phones.push(Phone { code: c, stress: setlengths::stress_code_to_level(stress), lengthen, newword, length: 256.0, prepause: 0.0, amp: STRESS_AMP[0], pitch: Pitch::Ramp(0.0, 0.0), tab });
                stress = 0;
                lengthen = false;
                newword = false;
            }
        }
    }
    if !phones.is_empty() {
        out.push(Clause { phones, kind: 0, pause_ms: 0.0 });
    }
    out
}

/// eSpeak's `CalcLengths` and `CalcPitches` for one clause: each phoneme's length modifier,
/// pre-pause, amplitude and pitch.
fn lengths_and_pitch(clause: &mut Clause, settings: &Settings) {
    let mut syllables: Vec<Syllable> = clause.phones.iter().filter(|p| p.kind() == PH_VOWEL).map(|p| Syllable::new(p.stress)).collect();
    intonation::calc_pitches(&mut syllables, intonation::tone_for_clause(settings.intonation_group, clause.kind), None);
    let hz = |value: f64| intonation::pitch_to_hz(value, settings.pitch_base, settings.pitch_range).max(25.0);
    // A stress level the voice gives no length takes the primary stress's (as eSpeak does).
    let stress_lengths = settings.stress_lengths.map(|mut l| {
        let primary = l[6];
        l.iter_mut().filter(|v| **v == 0).for_each(|v| *v = primary);
        l
    });
    let phones = &mut clause.phones;
    let n = phones.len();
    let kind = |phones: &[Phone], i: isize| -> u8 { if i < 0 || i as usize >= phones.len() { PH_PAUSE } else { phones[i as usize].kind() } };
    let mut syllable = 0;
    let mut last_pitch = hz(0.0);
    let (mut pre_sonorant, mut pre_voiced) = (false, false);
    let mut more_syllables = 0;
    for i in 0..n {
        let ii = i as isize;
        let (prev, next) = (kind(phones, ii - 1), kind(phones, ii + 1));
        let next_newword = phones.get(i + 1).is_none_or(|p| p.newword);
        let prev_flags = if i > 0 { phones[i - 1].flags() } else { 0 };
        let p = &phones[i];
        let (newword, flags, stress) = (p.newword, p.flags(), p.stress);
        let mut prepause = 0.0;
        let mut length = 256.0;
        let mut amp = STRESS_AMP[0];
        let mut pitch = Pitch::Ramp(last_pitch, last_pitch);
        match p.kind() {
            PH_STOP => {
                prepause = if prev == PH_FRICATIVE {
                    25.0
                } else if more_syllables > 0 || stress < 4 {
                    48.0
                } else {
                    60.0
                };
                if prev == PH_STOP {
                    prepause = 60.0;
                }
                if flags & PH_LENGTHENSTOP != 0 {
                    prepause += 30.0;
                }
            }
            PH_FRICATIVE | PH_VFRICATIVE => {
                if newword && !(prev == PH_VOWEL && flags & PH_NOPAUSE != 0) {
                    prepause = 15.0;
                }
                if next == PH_PAUSE && prev == PH_NASAL && flags & PH_VOICELESS == 0 {
                    prepause = 25.0;
                }
                if prev_flags & PH_BRKAFTER != 0 {
                    prepause = 30.0;
                }
                if flags & PH_SIBILANT != 0 && next == PH_STOP && !next_newword {
                    length = if prev == PH_VOWEL { 200.0 } else { 150.0 };
                }
                if p.kind() == PH_VFRICATIVE {
                    pre_voiced = next == PH_VOWEL;
                    if prev == PH_VOWEL || prev == PH_LIQUID {
                        length = (255.0 + phones[i - 1].length) / 2.0;
                    }
                }
            }
            PH_VSTOP => {
                if prev == PH_VFRICATIVE || prev == PH_FRICATIVE || prev_flags & PH_SIBILANT != 0 || prev == PH_LIQUID {
                    prepause = 30.0;
                }
                if next == PH_VOWEL || next == PH_LIQUID {
                    pre_voiced = next == PH_VOWEL || !next_newword;
                    prepause = 40.0;
                    if prev == PH_VOWEL {
                        prepause = 0.0;
                    } else if prev == PH_PAUSE {
                        prepause = if i == 0 { 0.0 } else { 40.0 };
                    } else if !newword {
                        if prev == PH_LIQUID {
                            prepause = 20.0;
                        }
                        if prev == PH_NASAL {
                            prepause = 12.0;
                        }
                        if prev == PH_STOP && prev_flags & PH_VOICELESS == 0 {
                            prepause = 0.0;
                        }
                    }
                }
            }
            PH_LIQUID | PH_NASAL => {
                if newword {
                    if prev == PH_LIQUID {
                        prepause = 25.0;
                    }
                    if prev == PH_VOWEL && flags & PH_NOPAUSE == 0 {
                        prepause = 12.0;
                    }
                }
                if next == PH_VOWEL {
                    pre_sonorant = true;
                } else {
                    if prev == PH_VOWEL || prev == PH_LIQUID {
                        length = phones[i - 1].length;
                        if p.kind() == PH_LIQUID {
                            length = 256.0;
                        }
                        if next == PH_VSTOP {
                            length *= 1.6;
                        }
                        if next == PH_VFRICATIVE {
                            length *= 1.2;
                        }
                    }
                    pitch = Pitch::Ramp(last_pitch, hz_down(last_pitch, settings));
                    pre_voiced = false;
                }
            }
            PH_VOWEL => {
                let mut syl = syllables.get(syllable).copied().unwrap_or_else(|| Syllable::new(stress));
                syllable += 1;
                // The intonation marks the clause's tonic syllable (stress 7): longer.
                let stress = syl.stress.max(stress);
                amp = STRESS_AMP[stress.min(7) as usize] - if pre_sonorant { 1.0 } else { 0.0 };
                if i + 1 >= n {
                    amp = amp.min(LAST_VOWEL_AMP);
                }
                more_syllables = phones[i + 1..].iter().take_while(|q| !q.newword).filter(|q| q.kind() == PH_VOWEL).count();
                let end_of_clause = more_syllables == 0 && phones[i + 1..].iter().all(|q| !q.newword || q.kind() == PH_PAUSE);
                let lm = |j: usize| phones.get(j).map_or(1, |q| if q.kind() == PH_PAUSE { 1 } else { q.tab.length_mod });
                let (next_lm, mut next2_lm) = (lm(i + 1), lm(i + 2));
                if more_syllables == 0 && (next_newword || phones.get(i + 2).is_none_or(|q| q.newword)) && next2_lm != 1 {
                    next2_lm = 0;
                }
                let std_length = phones[i].tab.std_length;
                let lengthened = setlengths::calc_vowel_length_mod(stress, next_lm, next2_lm, more_syllables > 0, end_of_clause, std_length, stress_lengths.as_ref());
                length = f64::from(lengthened);
                syl.pitch1 = syl.pitch1.clamp(0, 254);
                let start = hz(syl.pitch_at(0.0));
                if (pre_sonorant || pre_voiced) && i > 0 {
                    let from = if start - last_pitch > 16.0 { start - 16.0 } else { last_pitch };
                    let before = &mut phones[i - 1];
                    before.pitch = Pitch::Ramp(from, start);
                    before.length = length;
                    before.amp = if before.kind() == PH_LIQUID { amp } else { amp.min(18.0) };
                }
                pitch = Pitch::Syllable(syl);
                last_pitch = hz(syl.pitch_at(1.0));
                pre_sonorant = false;
                pre_voiced = false;
            }
            _ => {}
        }
        let p = &mut phones[i];
        p.prepause = prepause;
        p.length = length;
        p.amp = amp;
        p.pitch = pitch;
    }
}

/// A pitch a little below `hz`, for a sonorant that ends a syllable.
fn hz_down(hz: f64, settings: &Settings) -> f64 {
    (hz - 16.0 * settings.pitch_range / 8192.0).max(25.0)
}

/// What the generator is asked to do, in order.
#[derive(Default)]
struct Plan {
    steps: Vec<Step>,
    /// The last formant segment, when the next phoneme may glide on from it.
    open: Option<usize>,
}

enum Step {
    Silence(usize),
    /// Recorded sound, already at its level.
    Wave(Vec<f32>),
    /// Recorded noise to mix into the formant segments that follow (until the next
    /// phoneme without one).
    Mix(Vec<f32>),
    EndMix,
    Spect(Segment),
}

struct Segment {
    from: SpectFrame,
    to: SpectFrame,
    samples: usize,
    pitch: (f64, f64),
    amp: f64,
}

impl Plan {
    fn pause(&mut self, samples: usize) {
        if samples > 0 {
            self.steps.push(Step::Silence(samples));
        }
        self.open = None;
    }

    fn wave(&mut self, samples: Vec<f32>) {
        self.steps.push(Step::Wave(samples));
        self.open = None;
    }

    /// Adds a phoneme's frames, `lengths[k]` samples from frame k to k+1, with pitch over the
    /// whole run from `pitch_at(0)` to `pitch_at(1)`.
    fn frames(&mut self, frames: &[SpectFrame], lengths: &[usize], amp: f64, pitch_at: &dyn Fn(f64) -> f64) {
        if frames.is_empty() {
            return;
        }
        if let Some(Step::Spect(last)) = self.open.and_then(|i| self.steps.get_mut(i)) {
            let glide = (last.to.length < 2 || last.to.frflags & FRFLAG_VOWEL_CENTRE != 0) && last.to.frflags & FRFLAG_BREAK == 0;
            if glide {
                last.to = frames[0].clone();
            }
        }
        let total: usize = lengths.iter().sum::<usize>().max(1);
        let mut done = 0;
        for (k, &samples) in lengths.iter().enumerate() {
            if samples == 0 || k + 1 >= frames.len() {
                continue;
            }
            let pitch = (pitch_at(done as f64 / total as f64), pitch_at((done + samples) as f64 / total as f64));
            done += samples;
            self.steps.push(Step::Spect(Segment { from: frames[k].clone(), to: frames[k + 1].clone(), samples, pitch, amp }));
            self.open = Some(self.steps.len() - 1);
        }
    }

    fn render(self, settings: &Settings) -> Vec<i16> {
        let mut generator = Generator::new(settings);
        for step in self.steps {
            match step {
                Step::Silence(n) => {
                    generator.out.extend(std::iter::repeat_n(0.0, n));
                    generator.quiet();
                }
                Step::Wave(samples) => {
                    generator.out.extend_from_slice(&samples);
                    generator.quiet();
                }
                Step::Mix(noise) => generator.mix = Some((noise, 0)),
                Step::EndMix => generator.mix = None,
                Step::Spect(segment) => generator.segment(&segment),
            }
        }
        generator.out.iter().map(|&s| s.round().clamp(-32767.0, 32767.0) as i16).collect()
    }
}

/// Plans a clause's phonemes: eSpeak's `Generate`.
fn plan_clause(clause: &Clause, data: &PhonemeData, settings: &Settings, plan: &mut Plan) {
    let phones = &clause.phones;
    let speed = settings.speed;
    let ms = |ms: f64| (ms * RATE / 1000.0) as usize;
    let code = |i: isize| -> u8 { if i < 0 || i as usize >= phones.len() { 0 } else { phones[i as usize].code } };
    let kind = |i: isize| -> u8 { if i < 0 || i as usize >= phones.len() { PH_PAUSE } else { phones[i as usize].kind() } };
    let interpret = |i: isize, prev: isize, next: isize| -> PhonemeExtract {
        let Some(tab) = data.get(code(i)) else { return PhonemeExtract::default() };
        let starts = |j: isize| j >= 0 && (j as usize) < phones.len() && phones[j as usize].newword;
        let stress = if i >= 0 && (i as usize) < phones.len() { phones[i as usize].stress } else { 0 };
        let nb = Neighbours { prev: code(prev), this: code(i), next: code(next), next2: code(next + 1), stress, this_wordstart: starts(i), prev_wordstart: starts(prev), next_wordstart: starts(next), next2_wordstart: starts(next + 1), ..Default::default() };
        let mut extract = bytecode::interpret_phoneme(tab.program, &data.phonindex, &nb, |c| data.get(c).cloned());
        if extract.fmt_addr.is_none() && extract.wav_addr.is_none() {
            if let Some(target) = extract.change_phoneme_code.and_then(|c| data.get(c)).filter(|t| t.program > 0) {
                let other = bytecode::scan_phoneme(target.program, &data.phonindex);
                extract.fmt_addr = other.fmt_addr;
                extract.fmt_param = other.fmt_param;
                extract.wav_addr = other.wav_addr;
                extract.wav_param = other.wav_param;
            }
        }
        extract
    };
    let seq = |addr: Option<u32>| addr.and_then(|a| SpectSeq::parse(&data.phondata, a as usize)).map(|s| s.frames).filter(|f| !f.is_empty());
    for (i, p) in phones.iter().enumerate() {
        let ii = i as isize;
        if p.newword && p.flags() & PH_NOPAUSE == 0 {
            plan.open = None;
        }
        if p.prepause > 0.0 {
            plan.pause(ms(p.prepause * speed));
        }
        let extract = interpret(ii, ii - 1, ii + 1);
        let fmt_amp = |param: i8| if param == 0 { 1.0 } else { f64::from(param) / 100.0 };
        let amp = p.amp / STRESS_AMP[6] * fmt_amp(extract.fmt_param);
        let pitch = p.pitch;
        let pitch_at = |t: f64| match pitch {
            Pitch::Ramp(a, b) => a + (b - a) * t,
            Pitch::Syllable(s) => intonation::pitch_to_hz(s.pitch_at(t), settings.pitch_base, settings.pitch_range).max(25.0),
        };
        let scale = p.length / 256.0 * speed;
        let lengths_ms = |frames: &[SpectFrame], factor: f64| -> Vec<usize> { frames.iter().map(|f| ms(f64::from(f.length) * factor)).collect() };
        match p.kind() {
            PH_PAUSE => plan.pause(ms(f64::from(p.tab.std_length) * 2.0 * speed)),
            PH_STOP | PH_FRICATIVE => {
                let Some(addr) = extract.wav_addr else { continue };
                let stretch = if p.kind() == PH_STOP { speed.min(1.0) } else { scale };
                let repeat = if p.lengthen && p.kind() == PH_FRICATIVE { 2 } else { 1 };
                for _ in 0..repeat {
                    if let Some(sound) = espeak_ng::synthesize::sample::parse_wav_sample(addr, &data.phondata, stretch, i32::from(extract.wav_param)) {
                        plan.wave(sound.iter().map(|&s| f32::from(s)).collect());
                    }
                }
            }
            PH_VOWEL => vowel(plan, &extract, &interpret, &seq, ii, phones, kind(ii - 1), kind(ii + 1), amp, &pitch_at, scale, speed),
            _ => {
                let Some(mut frames) = seq(extract.fmt_addr) else { continue };
                if p.kind() == PH_VSTOP && kind(ii - 1) == PH_VOWEL {
                    // The closure of a voiced stop after a vowel: a quiet voice bar, F1 low
                    // and the higher formants silent (eSpeak plays the stop's prevoicing).
                    let mut bar = frames[0].clone();
                    bar.ffreq[1] = bar.ffreq[1].min(250);
                    for (k, h) in bar.fheight.iter_mut().enumerate() {
                        if k > 1 {
                            *h = 0;
                        }
                    }
                    plan.steps.push(Step::EndMix);
                    plan.frames(&[bar.clone(), bar], &[ms(MURMUR_MS * scale.max(speed * 0.7)), 0], amp, &pitch_at);
                }
                if p.lengthen && frames.len() > 1 {
                    let middle = frames.len() / 2;
                    frames.insert(middle, frames[middle].clone());
                }
                let mut lengths = lengths_ms(&frames, scale);
                let total: usize = lengths.iter().take(frames.len() - 1).sum();
                let least = (RATE / 70.0) as usize;
                if total > 0 && total < least {
                    lengths.iter_mut().for_each(|l| *l = *l * least / total);
                }
                match extract.wav_addr.filter(|_| matches!(p.kind(), PH_VSTOP | PH_VFRICATIVE | PH_LIQUID)).and_then(|a| raw_wave(&data.phondata, a)) {
                    Some(noise) => {
                        let level = MIXED_NOISE * wav_level(extract.wav_param) * p.amp / STRESS_AMP[6];
                        plan.steps.push(Step::Mix(noise.into_iter().map(|s| s * level as f32).collect()));
                    }
                    None => plan.steps.push(Step::EndMix),
                }
                plan.frames(&frames, &lengths, amp, &pitch_at);
                if p.kind() == PH_NASAL && kind(ii + 1) != PH_VOWEL && kind(ii - 1) != PH_VOWEL {
                    plan.open = None;
                }
                if p.kind() == PH_VSTOP && !p.newword && phones.get(i + 2).is_some_and(|q| !q.newword) {
                    match kind(ii + 1) {
                        PH_VFRICATIVE => plan.pause(ms(20.0 * speed)),
                        PH_FRICATIVE => plan.pause(ms(12.0 * speed)),
                        _ => {}
                    }
                }
            }
        }
    }
    plan.steps.push(Step::EndMix);
}

/// A vowel: its onset (the vowel's own start, or the one the consonant before it gives),
/// its body stretched to the vowel's length, and its ending towards what follows.
#[allow(clippy::too_many_arguments)]
fn vowel(
    plan: &mut Plan,
    extract: &PhonemeExtract,
    interpret: &dyn Fn(isize, isize, isize) -> PhonemeExtract,
    seq: &dyn Fn(Option<u32>) -> Option<Vec<SpectFrame>>,
    i: isize,
    phones: &[Phone],
    prev_kind: u8,
    next_kind: u8,
    amp: f64,
    pitch_at: &dyn Fn(f64) -> f64,
    scale: f64,
    speed: f64,
) {
    let p = &phones[i as usize];
    let Some(mut body) = seq(extract.fmt_addr) else { return };
    let ms = |ms: f64| (ms * RATE / 1000.0) as usize;
    let centre = body.iter().rposition(|f| f.frflags & FRFLAG_VOWEL_CENTRE != 0).unwrap_or(0);
    let own_start: Vec<SpectFrame> = body.drain(..centre).collect();
    let before = (prev_kind != PH_PAUSE).then(|| interpret(i - 1, i - 2, i));
    let mut onset: Vec<SpectFrame> = Vec::new();
    // The front of a vowel follows the vowel's length only halfway (eSpeak's `FRFLAG_LEN_MOD2`).
    let front_scale = (scale + speed) / 2.0;
    let mut onset_lengths: Vec<usize> = Vec::new();
    let given = if extract.vwlstart_addr.is_some() && !extract.pd_fornextph { extract.vwlstart_addr } else { before.as_ref().filter(|b| b.pd_fornextph).and_then(|b| b.vwlstart_addr) };
    if let Some(frames) = seq(given) {
        onset_lengths = frames.iter().map(|f| ms(f64::from(f.length) * front_scale)).collect();
        onset = frames;
    } else {
        let transition = before.as_ref().map_or([0; 4], |b| b.vowel_transition);
        if !own_start.is_empty() {
            onset_lengths = own_start.iter().map(|f| ms(f64::from(f.length) * front_scale)).collect();
            onset = own_start;
        }
        if transition[0] != 0 || transition[1] != 0 {
            let next = onset.first().unwrap_or(&body[0]).clone();
            let mut first = next.clone();
            let front = enter(&mut first, &next, transition[0], transition[1]);
            onset.insert(0, first);
            onset_lengths.insert(0, ms(front * front_scale));
        }
    }
    // The body: its frames share the vowel's length (eSpeak's `LookupSpect`).
    // The front of the vowel counts towards its length (eSpeak's `seq_len_adjust`).
    let front_ms = onset_lengths.iter().sum::<usize>() as f64 * 1000.0 / RATE / front_scale;
    let std_ms = (f64::from(extract.set_length.unwrap_or(p.tab.std_length)) + if p.lengthen { 50.0 } else { 0.0 } - front_ms).max(10.0);
    let weights: f64 = body.iter().take(body.len().saturating_sub(1)).map(|f| f64::from(f.length)).sum::<f64>().max(1.0);
    let mut lengths: Vec<usize> = body.iter().map(|f| ms(f64::from(f.length) / weights * std_ms * scale)).collect();
    if body.len() == 1 {
        body.push(body[0].clone());
        lengths = vec![ms(std_ms * scale), 0];
    }
    // The ending: a vowel ending sequence (the vowel's own, or the next consonant's), or the
    // last frame bent towards the next consonant.
    let after = (next_kind != PH_PAUSE).then(|| interpret(i + 1, i, i + 2));
    let ending = extract.vwlending_addr.or_else(|| after.as_ref().and_then(|a| a.vwlending_addr));
    if let Some(tail) = seq(ending) {
        let last = lengths.len() - 1;
        lengths[last] = ms(f64::from(tail[0].length) * speed);
        for frame in tail.into_iter().skip(1) {
            lengths.push(ms(f64::from(frame.length) * speed));
            body.push(frame);
        }
    } else if let Some(t) = after.map(|a| a.vowel_transition).filter(|t| t[2] != 0 || t[3] != 0) {
        let last = body.last().unwrap().clone();
        if let Some((frame, length)) = leave(&last, t[2], t[3]) {
            let end = lengths.len() - 1;
            lengths[end] = ms(length * speed);
            body.push(frame);
            lengths.push(0);
        }
    }
    let least = (RATE / 70.0) as usize;
    let sum: usize = lengths[..lengths.len() - 1].iter().sum();
    if sum > 0 && sum < least {
        lengths.iter_mut().for_each(|l| *l = *l * least / sum);
    }
    let onset_total: usize = onset_lengths.iter().sum();
    let body_total: usize = lengths[..lengths.len() - 1].iter().sum();
    let all = (onset_total + body_total).max(1) as f64;
    plan.steps.push(Step::EndMix);
    if !onset.is_empty() {
        onset.push(body[0].clone());
        onset_lengths.push(0);
        let share = onset_total as f64 / all;
        plan.frames(&onset, &onset_lengths, amp, &|t| pitch_at(t * share));
    }
    let start = onset_total as f64 / all;
    plan.frames(&body, &lengths, amp, &|t| pitch_at(start + t * (1.0 - start)));
}

/// eSpeak's `FormantTransition2` into a vowel: bends the vowel's first frame towards the
/// consonant's locus; returns the glide's length in ms.
fn enter(frame: &mut SpectFrame, next: &SpectFrame, data1: u32, data2: u32) -> f64 {
    let t = Transition::unpack(data1, data2);
    if t.f2 != 0 {
        if t.rms & 0x20 != 0 {
            set_rms(frame, f64::from(next.rms) * f64::from(t.rms & 0x1f) / 30.0);
        }
        t.bend(frame);
        if t.rms & 0x20 == 0 {
            set_rms(frame, f64::from(t.rms * 2));
        }
    } else {
        set_rms(frame, 28.0);
    }
    if t.len > 0 { f64::from(t.len) } else { 50.0 }
}

/// `FormantTransition2` out of a vowel: a copy of the last frame bent towards the next
/// consonant, and how long the glide to it takes (ms).
fn leave(last: &SpectFrame, data1: u32, data2: u32) -> Option<(SpectFrame, f64)> {
    let t = Transition::unpack(data1, data2);
    if t.f2 == 0 && t.flags == 0 {
        return None;
    }
    let mut frame = last.clone();
    if t.f2 != 0 {
        t.bend(&mut frame);
    }
    set_rms(&mut frame, f64::from(t.rms * 2));
    Some((frame, f64::from(t.len)))
}

struct Transition {
    len: i32,
    rms: i32,
    flags: i32,
    f1: i32,
    f2: i32,
    f2_min: i32,
    f2_max: i32,
    f3_adj: i32,
    f3_amp: i32,
}

impl Transition {
    fn unpack(data1: u32, data2: u32) -> Self {
        let field = |shift: u32, bits: u32| ((data2 >> shift) & ((1 << bits) - 1)) as i32;
        Transition {
            len: (data1 & 0x3f) as i32 * 2,
            rms: ((data1 >> 6) & 0x3f) as i32,
            flags: (data1 >> 12) as i32,
            f2: field(0, 6) * 50,
            f2_min: (field(6, 5) - 15) * 50,
            f2_max: (field(11, 5) - 15) * 50,
            f3_adj: (field(16, 5) - 15) * 50,
            f3_amp: field(21, 5) * 8,
            f1: field(26, 3),
        }
    }

    /// Moves F2 halfway to the locus (within limits), shifts F3 and above, lowers F1 for
    /// some consonants and weakens the higher formants.
    fn bend(&self, frame: &mut SpectFrame) {
        let f = |v: i16| i32::from(v);
        let shift = ((self.f2 - f(frame.ffreq[2])) / 2).clamp(self.f2_min, self.f2_max.max(self.f2_min));
        frame.ffreq[2] = (f(frame.ffreq[2]) + shift).max(0) as i16;
        frame.ffreq[3] = (f(frame.ffreq[3]) + self.f3_adj).max(0) as i16;
        let upper = if self.flags & 0x20 != 0 { -self.f3_adj } else { self.f3_adj };
        frame.ffreq[4] = (f(frame.ffreq[4]) + upper).max(0) as i16;
        frame.ffreq[5] = (f(frame.ffreq[5]) + upper).max(0) as i16;
        let lower = match self.f1 {
            1 => Some((235 - f(frame.ffreq[1])).clamp(-100, -60)),
            2 => Some((235 - f(frame.ffreq[1])).clamp(-300, -150)),
            3 => Some(-400),
            _ => None,
        };
        if let Some(x) = lower {
            frame.ffreq[1] = (f(frame.ffreq[1]) + x).max(0) as i16;
            if self.f1 >= 2 {
                frame.ffreq[0] = (f(frame.ffreq[0]) + x).max(0) as i16;
            }
        }
        for h in frame.fheight.iter_mut().skip(2) {
            *h = (i32::from(*h) * self.f3_amp / 100).clamp(0, 255) as u8;
        }
    }
}

/// Sets a frame's loudness by scaling its formant heights (heights go with the square root).
fn set_rms(frame: &mut SpectFrame, rms: f64) {
    if frame.rms == 0 || rms <= 0.0 {
        return;
    }
    let ratio = (rms / f64::from(frame.rms)).min(199.0 / 64.0).sqrt();
    for h in frame.fheight.iter_mut() {
        *h = (f64::from(*h) * ratio).min(255.0) as u8;
    }
}

/// The level eSpeak gives a recorded sound with amplitude parameter `param` (0 = 100%).
fn wav_level(param: i8) -> f64 {
    let percent = if param == 0 { 100.0 } else { f64::from(param) };
    // `consonant_amp * general_amplitude / 1024`, at the default volume.
    26.0 * 55.0 / 1024.0 * percent / 100.0
}

/// A recorded sound from the phoneme data, unscaled.
fn raw_wave(phondata: &[u8], addr: u32) -> Option<Vec<f32>> {
    let at = (addr as usize) & 0x7f_ffff;
    let header = phondata.get(at..at + 4)?;
    let (bytes, scale) = (usize::from(header[0]) | usize::from(header[1]) << 8, header[2]);
    let body = phondata.get(at + 4..at + 4 + bytes)?;
    let samples: Vec<f32> = if scale == 0 { body.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]]))).collect() } else { body.iter().map(|&b| f32::from(b as i8) * f32::from(scale)).collect() };
    (!samples.is_empty()).then_some(samples)
}

/// The shape of a formant peak against the distance from its centre (0 at the centre, 1 at
/// its edge): eSpeak's default peak, a rounded top with a long tail.
fn peak_shape() -> &'static [f32; 257] {
    static SHAPE: OnceLock<[f32; 257]> = OnceLock::new();
    SHAPE.get_or_init(|| {
        const KNOTS: [(f32, f32); 13] = [(0.0, 1.0), (0.125, 0.835), (0.25, 0.56), (0.3125, 0.376), (0.375, 0.282), (0.4375, 0.216), (0.5, 0.176), (0.5625, 0.165), (0.625, 0.125), (0.6875, 0.09), (0.75, 0.063), (0.875, 0.02), (1.0, 0.0)];
        let mut table = [0.0; 257];
        for (i, value) in table.iter_mut().enumerate() {
            let x = i as f32 / 256.0;
            let k = KNOTS.windows(2).position(|w| x <= w[1].0).unwrap_or(KNOTS.len() - 2);
            let ((x0, y0), (x1, y1)) = (KNOTS[k], KNOTS[k + 1]);
            *value = y0 + (y1 - y0) * (x - x0) / (x1 - x0);
        }
        table
    })
}

fn sine() -> &'static [f32; 4096] {
    static SINE: OnceLock<[f32; 4096]> = OnceLock::new();
    SINE.get_or_init(|| std::array::from_fn(|i| (i as f64 * std::f64::consts::TAU / 4096.0).sin() as f32))
}

const MAX_HARMONIC: usize = 200;

/// The sum of harmonics `first`, `first + 1`, ... of the fundamental at `phase`, with the
/// given amplitudes; four at a time, so that the additions do not wait on each other.
fn harmonic_sum(sine: &[f32; 4096], phase: u32, first: usize, amplitudes: &[f32]) -> f32 {
    let step = phase.wrapping_mul(4);
    let mut theta: [u32; 4] = std::array::from_fn(|k| phase.wrapping_mul((first + k) as u32));
    let mut total = [0.0f32; 4];
    let mut chunks = amplitudes.chunks_exact(4);
    for chunk in &mut chunks {
        for k in 0..4 {
            total[k] += sine[(theta[k] >> 20) as usize] * chunk[k];
            theta[k] = theta[k].wrapping_add(step);
        }
    }
    for (k, amplitude) in chunks.remainder().iter().enumerate() {
        total[k] += sine[(theta[k] >> 20) as usize] * amplitude;
    }
    (total[0] + total[1]) + (total[2] + total[3])
}

/// The harmonic generator: a sum of the pitch's harmonics, each as loud as the formant peaks
/// around it make it (eSpeak's `Wavegen`).
struct Generator<'a> {
    out: Vec<f32>,
    /// Phase of the fundamental, a full cycle being 2^32.
    phase: u32,
    /// Harmonic amplitudes now, and where they are heading over the current step.
    now: Vec<f32>,
    /// Scratch for the amplitudes being computed, and one past the highest sounding now.
    target: Vec<f32>,
    top: usize,
    mix: Option<(Vec<f32>, usize)>,
    settings: &'a Settings,
}

impl<'a> Generator<'a> {
    fn new(settings: &'a Settings) -> Self {
        Generator { out: Vec::new(), phase: 0, now: vec![0.0; MAX_HARMONIC], target: vec![0.0; MAX_HARMONIC], top: 1, mix: None, settings }
    }

    /// After a silence or a recorded sound the voice starts from nothing.
    fn quiet(&mut self) {
        self.now.iter_mut().for_each(|a| *a = 0.0);
    }

    fn segment(&mut self, segment: &Segment) {
        let n = segment.samples;
        let sine = sine();
        let mut target = std::mem::take(&mut self.target);
        let mut current = vec![0.0f32; MAX_HARMONIC];
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut done = 0;
        while done < n {
            let block = STEP.min(n - done);
            let t = (done + block) as f64 / n as f64;
            let pitch = segment.pitch.0 + (segment.pitch.1 - segment.pitch.0) * t;
            let top = self.harmonics(&segment.from, &segment.to, t, pitch, &mut target);
            // Harmonics above about 900 Hz change sign, which lowers the waveform's peaks
            // without changing its spectrum (as eSpeak does).
            let switch = ((890.0 / pitch) as usize + 1).min(top);
            target[switch..top].iter_mut().for_each(|a| *a = -*a);
            // Only runs of harmonics that sound now or next are summed.
            runs.clear();
            let end = top.max(self.top);
            let mut h = 1;
            while h < end {
                if self.now[h] == 0.0 && target[h] == 0.0 {
                    h += 1;
                    continue;
                }
                let start = h;
                while h < end && (self.now[h] != 0.0 || target[h] != 0.0) {
                    h += 1;
                }
                runs.push((start, h));
            }
            // eSpeak makes the voice louder with pitch, to make up for fewer harmonics.
            let gain = (VOICED_GAIN * segment.amp * pitch / 100.0) as f32;
            let increment = (pitch / RATE * 4_294_967_296.0) as u32;
            let mut sub = 0;
            while sub < block {
                let len = 8.min(block - sub);
                let blend = (sub + len) as f32 / block as f32;
                for &(lo, hi) in &runs {
                    for h in lo..hi {
                        current[h] = self.now[h] + (target[h] - self.now[h]) * blend;
                    }
                }
                for _ in 0..len {
                    self.phase = self.phase.wrapping_add(increment);
                    let mut sample = runs.iter().map(|&(lo, hi)| harmonic_sum(sine, self.phase, lo, &current[lo..hi])).sum::<f32>() * gain;
                    if let Some((noise, at)) = self.mix.as_mut() {
                        if let Some(value) = noise.get(*at) {
                            sample += value;
                            *at += 1;
                        }
                    }
                    self.out.push(sample);
                }
                sub += len;
            }
            self.now.copy_from_slice(&target);
            self.top = top;
            done += block;
        }
        self.target = target;
    }

    /// The amplitude of each harmonic of `pitch` (Hz) for the frame `t` of the way from
    /// `from` to `to`; returns one past the highest harmonic.
    fn harmonics(&self, from: &SpectFrame, to: &SpectFrame, t: f64, pitch: f64, out: &mut [f32]) -> usize {
        let shape = peak_shape();
        let mix = |a: f64, b: f64| a + (b - a) * t;
        let nyquist = RATE * 0.475;
        let highest = ((nyquist / pitch) as usize).min(MAX_HARMONIC - 1);
        out.iter_mut().for_each(|a| *a = 0.0);
        let mut top = 1;
        // Formants 0 to 5; the C program adds 6 and 7 (above 5.5 kHz) as one windowed harmonic
        // each, which carries under a thousandth of a sentence's energy: left out.
        for pk in 0..6 {
            let freq = mix(f64::from(from.ffreq[pk]), f64::from(to.ffreq[pk]));
            let height = mix(f64::from(from.fheight[pk]), f64::from(to.fheight[pk])) * PEAK_HEIGHT[pk] / 256.0;
            if freq <= 0.0 || height <= 0.0 {
                continue;
            }
            let w = PEAK_WIDTH[pk] / 64.0;
            let left = (mix(f64::from(from.fwidth[pk]), f64::from(to.fwidth[pk])) * w).max(20.0);
            let right = if pk < 3 { (mix(f64::from(from.fright[pk]), f64::from(to.fright[pk])) * w).max(20.0) } else { left };
            let first = (((freq - left) / pitch).floor() as isize + 1).max(1) as usize;
            let mut h = first;
            while h <= highest {
                let f = h as f64 * pitch;
                let (distance, width) = if f < freq { (freq - f, left) } else { (f - freq, right) };
                if distance >= width {
                    if f >= freq {
                        break;
                    }
                    h += 1;
                    continue;
                }
                out[h] += shape[(distance / width * 256.0) as usize] * height as f32;
                top = top.max(h + 1);
                h += 1;
            }
        }
        // More bass: a ramp on the harmonics below 1 kHz, from a tenth of F1's height.
        let bass = mix(f64::from(from.fheight[1]), f64::from(to.fheight[1])) * PEAK_HEIGHT[1] / 256.0 * 10.0 / 255.0;
        let below = (1000.0 / pitch) as usize;
        for (h, a) in out.iter_mut().enumerate().take(below.min(highest) + 1).skip(1) {
            *a += (bass * (1.0 - h as f64 / (below + 1) as f64)) as f32;
            top = top.max(h + 1);
        }
        let tone = &self.settings.tone;
        for (h, a) in out.iter_mut().enumerate().take(top) {
            let f = h as f64 * pitch;
            let adjust = tone.get((f / 8.0) as usize).map_or(1.0, |&v| f32::from(v) / 256.0);
            *a = *a * *a * adjust;
        }
        out[1] *= 10.0 / 8.0;
        top
    }
}

#[cfg(test)]
mod tests {
    use super::tests_support::{magnitude, speak};
    use super::{Generator, Settings, SpectFrame, MAX_HARMONIC};
    use crate::synth::espeak::Generator as Synthesis;

    /// The share of a sound's energy above 2.5 kHz, over `samples`.
    fn high_share(samples: &[f32]) -> f64 {
        let bands: Vec<(f64, f64)> = (1..100).map(|k| k as f64 * 100.0).map(|f| (f, magnitude(samples, f).powi(2))).collect();
        let high: f64 = bands.iter().filter(|(f, _)| *f >= 2500.0).map(|(_, e)| e).sum();
        high / bands.iter().map(|(_, e)| e).sum::<f64>()
    }

    #[test]
    fn a_formant_peak_is_as_wide_as_espeak_s() {
        // F1 at 1 kHz with a width byte of 100: eSpeak's voice width for F1 (256) makes it
        // reach 400 Hz either side; the crate's generator (80) made it 125 Hz.
        let mut frame = SpectFrame::default();
        frame.ffreq[1] = 1000;
        frame.fheight[1] = 100;
        frame.fwidth[1] = 100;
        frame.fright[1] = 100;
        let settings = Settings { speed: 1.0, pitch_base: 100.0, pitch_range: 3888.0, intonation_group: 1, stress_lengths: None, tone: Vec::new() };
        let generator = Generator::new(&settings);
        let mut amplitudes = vec![0.0; MAX_HARMONIC];
        let top = generator.harmonics(&frame, &frame, 0.0, 100.0, &mut amplitudes);
        let strongest = amplitudes.iter().cloned().fold(0.0, f32::max);
        let near = amplitudes[..top].iter().filter(|&&a| a > strongest / 10.0).count();
        // Above the bass lift (a ramp on the harmonics below 1 kHz).
        let sounding: Vec<usize> = (2..top).filter(|&h| amplitudes[h] > strongest / 100.0).collect();
        assert_eq!(amplitudes[10], strongest, "{amplitudes:?}");
        assert!(near >= 3, "{near} harmonics within 20 dB: {:?}", &amplitudes[..top]);
        assert!(sounding.first() >= Some(&7) && sounding.last() <= Some(&13) && sounding.len() >= 5, "{sounding:?}");
    }

    #[test]
    fn voiced_fricatives_keep_their_noise() {
        for text in ["Zoo.", "Zeal.", "Judge."] {
            let share = |generator| {
                let samples = speak(text, generator);
                let start = samples.iter().position(|s| s.abs() > 0.01).unwrap();
                high_share(&samples[start..start + 1100])
            };
            let (own, crate_s) = (share(Synthesis::Readcast), share(Synthesis::Crate));
            eprintln!("{text}: {own:.2} vs {crate_s:.2}");
            assert!(own > 0.3 && own > crate_s * 1.5, "{text}: {own:.2} of the energy above 2.5 kHz here, {crate_s:.2} with the crate's generator");
        }
    }
}

#[cfg(test)]
mod against_the_c_program {
    use super::tests_support::*;
    use crate::synth::espeak::Generator;

    const SENTENCES: [&str; 3] = ["The quick brown fox jumps over the lazy dog.", "North Korean troops have been fighting alongside Moscow's forces.", "She said the measure was passed on Thursday evening."];

    /// The C program's audio for `text`, or why there is none.
    fn c_program(text: &str) -> Option<Vec<f32>> {
        let output = std::process::Command::new("espeak-ng").args(["-v", "en-us", "-s", "175", "--stdout", text]).output().ok().filter(|o| o.status.success())?;
        // A WAV header that says "streaming" (its sizes unknown), then 16-bit samples.
        let data = output.stdout.get(44..)?;
        Some(data.chunks_exact(2).map(|b| f32::from(i16::from_le_bytes([b[0], b[1]])) / 32768.0).collect())
    }

    #[test]
    fn lengths_and_spectrum_follow_the_c_program() {
        let Some(_) = c_program("test") else {
            eprintln!("skipped: the espeak-ng program is not installed (Debian: apt-get install espeak-ng)");
            return;
        };
        for text in SENTENCES {
            let c = c_program(text).unwrap();
            let (own, crate_s) = (speak(text, Generator::Readcast), speak(text, Generator::Crate));
            let ratio = voiced_span(&own) / voiced_span(&c);
            let (near, far) = (similarity(&own, &c), similarity(&crate_s, &c));
            eprintln!("{text}: length {ratio:.2} of C's; spectrum {near:.3} (crate's generator {far:.3})");
            assert!((0.8..1.25).contains(&ratio), "{text}: {ratio:.2} times the C program's length");
            assert!(near > 0.9 && near > far, "{text}: spectrum correlation {near:.3} with the C program's, the crate's generator {far:.3}");
        }
    }
}

#[cfg(test)]
mod tests_support {
    use crate::synth::espeak::{EmbeddedEspeak, EspeakSettings, Generator};
    use crate::synth::Engine;

    pub fn speak(text: &str, generator: Generator) -> Vec<f32> {
        let settings = EspeakSettings { language: "en-us".into(), words_per_minute: 175, pitch: 50, generator };
        EmbeddedEspeak::new(&settings).unwrap().synthesize(text).unwrap()
    }

    /// Seconds from the first to the last sample above -40 dB.
    pub fn voiced_span(samples: &[f32]) -> f64 {
        let peak = samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        let loud = |s: &&f32| s.abs() > peak / 100.0;
        let first = samples.iter().position(|s| loud(&s)).unwrap_or(0);
        let last = samples.iter().rposition(|s| loud(&s)).unwrap_or(0);
        (last - first) as f64 / super::RATE
    }

    /// The long-term spectrum in dB, in 30 bands from 100 Hz to 8 kHz spaced evenly in log
    /// frequency, from 1024-sample frames.
    fn spectrum(samples: &[f32]) -> Vec<f64> {
        let edges: Vec<f64> = (0..=30).map(|k| 100.0 * (80.0f64).powf(k as f64 / 30.0)).collect();
        let mut bands = vec![1e-12; 30];
        for frame in samples.chunks_exact(1024).step_by(2) {
            for (b, pair) in edges.windows(2).enumerate() {
                let centre = (pair[0] * pair[1]).sqrt();
                bands[b] += magnitude(frame, centre).powi(2);
            }
        }
        bands.iter().map(|e| 10.0 * e.log10()).collect()
    }

    /// Correlation of two sounds' long-term spectra (1 = the same shape).
    pub fn similarity(a: &[f32], b: &[f32]) -> f64 {
        let (x, y) = (spectrum(a), spectrum(b));
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let (mx, my) = (mean(&x), mean(&y));
        let cov: f64 = x.iter().zip(&y).map(|(a, b)| (a - mx) * (b - my)).sum();
        let var = |v: &[f64], m: f64| v.iter().map(|a| (a - m).powi(2)).sum::<f64>().sqrt();
        cov / (var(&x, mx) * var(&y, my))
    }

    /// The magnitude of `samples` at `hz` (one bin of a Hann-windowed DFT).
    pub fn magnitude(samples: &[f32], hz: f64) -> f64 {
        let w = std::f64::consts::TAU * hz / super::RATE;
        let n = samples.len() as f64;
        let (re, im) = samples.iter().enumerate().fold((0.0, 0.0), |(re, im), (i, &s)| {
            let hann = 0.5 - 0.5 * (std::f64::consts::TAU * i as f64 / n).cos();
            let v = f64::from(s) * hann;
            (re + v * (w * i as f64).cos(), im - v * (w * i as f64).sin())
        });
        (re * re + im * im).sqrt()
    }
}
