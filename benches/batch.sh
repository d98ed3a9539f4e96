#!/usr/bin/env bash
# Incremental re-rendering: a full batch render of an article with an empty cache, then the
# same article with one sentence edited. Goal: the re-render under 10% of the full render.
# Usage: benches/batch.sh [VOICE] [FORMAT] (default espeak mp3; try espeak-ng, a Piper voice
# installed with `readcast voices install`, or wav)
set -euo pipefail
cd "$(dirname "$0")/.."
voice=${1:-espeak}
format=${2:-mp3}
cargo build --release -q
bin=$PWD/target/release/readcast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export READCAST_CACHE="$work/cache"
mkdir -p "$work/articles"
# A long article: the four samples' paragraphs, as one story.
{ echo "A long day in the news"; echo; for f in samples/*.txt samples/*.md; do $bin extract "$f" | grep -v '^#' | grep -v '^By ' | grep -v '^Date: '; echo; done; } | sed 's/$/\n/' >"$work/articles/long.txt"
# Both runs start with the voice ready as a user has it (a Piper voice's optimized graph is
# cached on first use; see src/synth/piper.rs).
echo "one" | $bin narrate - -o "$work/warm.wav" --voice "$voice" --quiet
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>"$work/err"; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
full=$(wall $bin batch "$work/articles" --out "$work/pod" --voice "$voice" --format "$format")
printf 'full render:                %6.2f s  (%s)\n' "$full" "$(tail -1 "$work/err" | sed 's/^readcast: //')"
# Three edits, one after another, each of one sentence: the sentences a quarter, half and
# three quarters of the way through the article get a phrase before their final period.
$bin sentences "$work/articles/long.txt" >"$work/sentences.txt"
count=$(wc -l <"$work/sentences.txt")
total=0
for quarter in 1 2 3; do
  sentence=$(sed -n "$((count * quarter / 4))p" "$work/sentences.txt")
  SENTENCE="$sentence" python3 -c '
import os, sys
path, sentence = sys.argv[1], os.environ["SENTENCE"]
text = open(path).read()
end = sentence.rfind(".")
assert sentence in text and end > 0, sentence
open(path, "w").write(text.replace(sentence, sentence[:end] + ", as reported" + sentence[end:], 1))
' "$work/articles/long.txt"
  edit=$(wall $bin batch "$work/articles" --out "$work/pod" --voice "$voice" --format "$format")
  total=$(echo "$total + $edit" | bc -l)
  printf 'edit %d (%3d characters):  %6.2f s  ratio %.3f  (%s)\n' "$quarter" "${#sentence}" "$edit" "$(echo "$edit / $full" | bc -l)" "$(tail -1 "$work/err" | sed 's/^readcast: //')"
done
$bin cache stats | sed 's/^[^:]*: /cache now: /'
echo "mean ratio of an edit to the full render: $(echo "$total / 3 / $full" | bc -l | cut -c1-5) (goal < 0.10)"
