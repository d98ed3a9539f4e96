#!/usr/bin/env bash
# Peak memory and wall time of `readcast narrate` and `readcast batch --no-cache` on a
# 100,000-word article (about ten hours of audio with the embedded voice), WAV and MP3.
# Goal: under 300 MB peak RSS for narrate.
# Usage: benches/memory.sh [WORDS] (default 100000). Needs GNU time (/usr/bin/time, Debian's
# package "time").
set -euo pipefail
cd "$(dirname "$0")/.."
words=${1:-100000}
[ -x /usr/bin/time ] || { echo "skipped: /usr/bin/time is not installed (apt-get install time)" >&2; exit 0; }
cargo build --release -q
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The repository's own news copy, repeated until the narration holds $words words (lines that
# repeat are furniture to the extractor, so it takes more than $words words of input).
python3 - "$work/article.txt" "$words" <<'PY'
import sys
parts = [open(p).read() for p in ["benches/long-article.txt", "samples/scraped-harbor.txt", "samples/clean-library.txt"]]
out, n = [], 0
while n < int(sys.argv[2]) * 13 // 10:
    for part in parts:
        out.append(part)
        n += len(part.split())
open(sys.argv[1], "w").write("\n\n".join(out))
PY
echo "narrated words: $(target/release/readcast extract "$work/article.txt" | wc -w)"
for format in wav mp3; do
  /usr/bin/time -f "$format: %e s wall, peak RSS %M KB" target/release/readcast narrate "$work/article.txt" \
    -o "$work/out.$format" --voice espeak --quiet
  echo "$format: $(du -m "$work/out.$format" | cut -f1) MB written"
done
# batch renders each article through the same narrator: its episode streams too (the MP3's
# segments sit on the MP3 frame grid, whose loudness profiles are finer).
mkdir -p "$work/in"
mv "$work/article.txt" "$work/in/"
for format in wav mp3; do
  /usr/bin/time -f "batch $format: %e s wall, peak RSS %M KB" target/release/readcast batch "$work/in" \
    --out "$work/pod-$format" --format "$format" --no-cache --base-url https://example.com/pod --voice espeak --quiet
done
