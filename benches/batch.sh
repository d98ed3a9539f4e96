#!/usr/bin/env bash
# Incremental re-rendering: a full batch render of an article with an empty cache, then the
# same article with one sentence edited. Goal: the re-render under 10% of the full render.
# Usage: benches/batch.sh [VOICE] [FORMAT] (default espeak mp3; try espeak-ng, a Piper voice
# installed with `readcast voices install`, or wav). ROUNDS=N (default 3) repeats the whole
# measurement; each figure is the median of its rounds, so that one slow run on a busy
# machine does not decide the ratio.
set -euo pipefail
cd "$(dirname "$0")/.."
voice=${1:-espeak}
format=${2:-mp3}
rounds=${ROUNDS:-3}
cargo build --release -q
bin=$PWD/target/release/readcast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export READCAST_CACHE="$work/cache"
mkdir -p "$work/articles"
# A long article: the four samples' paragraphs, as one story.
{ echo "A long day in the news"; echo; for f in samples/*.txt samples/*.md; do $bin extract "$f" | grep -v '^#' | grep -v '^By ' | grep -v '^Date: '; echo; done; } | sed 's/$/\n/' >"$work/original.txt"
# Both runs start with the voice ready as a user has it (a Piper voice's optimized graph is
# cached on first use; see src/synth/piper.rs).
echo "one" | $bin narrate - -o "$work/warm.wav" --voice "$voice" --quiet
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>"$work/err"; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
$bin sentences "$work/original.txt" >"$work/sentences.txt"
count=$(wc -l <"$work/sentences.txt")
fulls="" edits1="" edits2="" edits3=""
for round in $(seq "$rounds"); do
  rm -rf "$work/cache" "$work/pod"
  cp "$work/original.txt" "$work/articles/long.txt"
  full=$(wall $bin batch "$work/articles" --out "$work/pod" --voice "$voice" --format "$format")
  fulls="$fulls $full"
  [ "$round" = 1 ] && full_summary=$(tail -1 "$work/err" | sed 's/^readcast: //')
  # Three edits, one after another, each of one sentence: the sentences a quarter, half and
  # three quarters of the way through the article get a phrase before their final period.
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
    eval "edits$quarter=\"\$edits$quarter $edit\""
    [ "$round" = 1 ] && eval "summary$quarter=\$(tail -1 \"\$work/err\" | sed 's/^readcast: //')" && eval "length$quarter=${#sentence}"
  done
done
full=$(echo "$fulls" | median)
printf 'full render:                %6.3f s  median of %d (%s)\n' "$full" "$rounds" "$full_summary"
total=0
for quarter in 1 2 3; do
  eval "edit=\$(echo \"\$edits$quarter\" | median)"
  eval "length=\$length$quarter; summary=\$summary$quarter"
  total=$(echo "$total + $edit" | bc -l)
  printf 'edit %d (%3d characters):  %6.3f s  ratio %.3f  (%s)\n' "$quarter" "$length" "$edit" "$(echo "$edit / $full" | bc -l)" "$summary"
done
$bin cache stats | sed 's/^[^:]*: /cache now: /'
echo "mean ratio of an edit to the full render: $(echo "$total / 3 / $full" | bc -l | cut -c1-5) (goal < 0.10)"
