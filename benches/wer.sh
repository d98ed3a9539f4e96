#!/usr/bin/env bash
# Intelligibility: narrates an article with a voice and measures the word error rate with the
# speech recognizer in ../shared/asr (Whisper tiny). The narration is cut into clips of three
# sentences at the caption times, each with the spoken text readcast meant (from --timings):
# on whole files Whisper skips 30 s windows of the robotic embedded voice.
# With WHOLE=1 the whole narration is transcribed at once (header and disclosure included),
# as the README's table of the embedded voice was measured.
# Usage: benches/wer.sh VOICE [ARTICLE] (default: the longest sample)
set -euo pipefail
cd "$(dirname "$0")/.."
voice=${1:?usage: benches/wer.sh VOICE [ARTICLE]}
article=${2:-samples/scraped-harbor.txt}
asr=../shared/asr
[ -x "$asr/setup" ] || { echo "skipped: $asr is not there" >&2; exit 0; }
python=$("$asr/setup")
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/clips"
target/release/readcast narrate "$article" -o "$work/narration.wav" --voice "$voice" --quiet \
  --timings "$work/timings.json" --captions "$work/captions.vtt"
if [ -n "${WHOLE:-}" ]; then
  python3 -c "import json, sys; print(' '.join(s['text'] for s in json.load(open(sys.argv[1]))))" "$work/timings.json" >"$work/narration.txt"
  "$python" "$asr/wer.py" "$work/narration.wav" "$work/narration.txt" 2>/dev/null | tail -1
  exit 0
fi
python3 - "$work" <<'PY'
import json, re, sys, wave
work = sys.argv[1]
segments = json.load(open(f"{work}/timings.json"))
def seconds(stamp):
    h, m, s = stamp.split(":")
    return int(h) * 3600 + int(m) * 60 + float(s)
cues = [(seconds(a), seconds(b)) for a, b in re.findall(r"(\d\d:\d\d:\d\d\.\d+) --> (\d\d:\d\d:\d\d\.\d+)", open(f"{work}/captions.vtt").read())]
cues = [cue for cue in cues if cue[1] > cue[0]]
audio = wave.open(f"{work}/narration.wav")
rate, channels = audio.getframerate(), audio.getnchannels()
frames = audio.readframes(audio.getnframes())
for k in range(0, len(cues), 3):
    group = cues[k:k + 3]
    start, end = group[0][0], group[-1][1]
    text = " ".join(s["text"] for s in segments if start - 1e-3 <= s["start"] < end)
    first, last = max(0, int((start - 0.1) * rate)), int((end + 0.1) * rate)
    clip = wave.open(f"{work}/clips/{k // 3:03}.wav", "wb")
    clip.setnchannels(channels); clip.setsampwidth(2); clip.setframerate(rate)
    clip.writeframes(frames[first * 2 * channels:last * 2 * channels]); clip.close()
    open(f"{work}/clips/{k // 3:03}.txt", "w").write(text + "\n")
PY
"$python" "$asr/wer.py" "$work/clips" 2>/dev/null | tail -1
