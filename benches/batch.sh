#!/usr/bin/env bash
# Incremental re-rendering: a full batch render of an article with an empty cache, then the
# same article with one sentence edited. Goal: the re-render under 10% of the full render.
# Usage: benches/batch.sh [VOICE] [FORMAT] (default espeak mp3; try espeak-ng, a Piper voice
# installed with `readcast voices install`, or wav). ROUNDS=N (default 3) repeats the whole
# measurement; each figure is the median of its rounds, so that one slow run on a busy
# machine does not decide the ratio. EDITS=all edits every sentence in turn instead of three
# and reports how the ratios spread (each sentence's edit is its own measurement).
# ARTICLE=FILE renders that article instead of the samples' story (see below).
# BATCH_FLAGS="--no-pages" passes flags to every batch run.
set -euo pipefail
article=${ARTICLE:+$(realpath "$ARTICLE")}
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
# The article: the four samples' paragraphs as one story (about 500 words), or the text of
# ARTICLE (benches/long-article.txt: a scraped news story of about 1,000 words, a usual length).
if [ -n "$article" ]; then
  $bin extract "$article" | grep -v '^By ' | grep -v '^Date: ' | sed 's/^# //; s/$/\n/' >"$work/original.txt"
else
  { echo "A long day in the news"; echo; for f in samples/*.txt samples/*.md; do $bin extract "$f" | grep -v '^#' | grep -v '^By ' | grep -v '^Date: '; echo; done; } | sed 's/$/\n/' >"$work/original.txt"
fi
# Both runs start with the voice ready as a user has it (a Piper voice's optimized graph is
# cached on first use; see src/synth/piper.rs).
echo "one" | $bin narrate - -o "$work/warm.wav" --voice "$voice" --quiet
wall() { local start end; start=$(date +%s.%N); "$@" >/dev/null 2>"$work/err"; end=$(date +%s.%N); echo "$end - $start" | bc -l; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
$bin sentences "$work/original.txt" >"$work/sentences.txt"
count=$(wc -l <"$work/sentences.txt")
# The sentences edited, by line: a quarter, half and three quarters of the way through the
# article, or (EDITS=all) every one that ends in a period.
if [ "${EDITS:-}" = all ]; then
  picks=$(grep -n '\.$' "$work/sentences.txt" | cut -d: -f1 | tr '\n' ' ')
else
  picks="$((count / 4)) $((count / 2)) $((count * 3 / 4))"
fi
fulls=""
: >"$work/edits"
for round in $(seq "$rounds"); do
  rm -rf "$work/cache" "$work/pod"
  cp "$work/original.txt" "$work/articles/long.txt"
  full=$(wall $bin batch "$work/articles" --out "$work/pod" --voice "$voice" --format "$format" --base-url https://example.com/pod ${BATCH_FLAGS:-})
  fulls="$fulls $full"
  [ "$round" = 1 ] && full_summary=$(tail -1 "$work/err" | sed 's/^readcast: //')
  # Edits one after another, each of one sentence: it gets a phrase before its final period.
  for line in $picks; do
    sentence=$(sed -n "${line}p" "$work/sentences.txt")
    SENTENCE="$sentence" python3 -c '
import os, sys
path, sentence = sys.argv[1], os.environ["SENTENCE"]
text = open(path).read()
end = sentence.rfind(".")
assert sentence in text and end > 0, sentence
open(path, "w").write(text.replace(sentence, sentence[:end] + ", as reported" + sentence[end:], 1))
' "$work/articles/long.txt"
    edit=$(wall $bin batch "$work/articles" --out "$work/pod" --voice "$voice" --format "$format" --base-url https://example.com/pod ${BATCH_FLAGS:-})
    printf '%s\t%s\t%s\t%s\n' "$line" "${#sentence}" "$edit" "$(tail -1 "$work/err" | sed 's/^readcast: //')" >>"$work/edits"
  done
done
full=$(echo "$fulls" | median)
printf 'full render:                %6.3f s  median of %d (%s)\n' "$full" "$rounds" "$full_summary"
# Each edit's median over the rounds, and its ratio to the full render.
for line in $picks; do
  edit=$(awk -F'\t' -v line="$line" '$1 == line { print $3 }' "$work/edits" | median)
  length=$(awk -F'\t' -v line="$line" '$1 == line { print $2; exit }' "$work/edits")
  summary=$(awk -F'\t' -v line="$line" '$1 == line { print $4; exit }' "$work/edits")
  printf '%s\t%s\t%s\t%s\t%s\n' "$line" "$length" "$edit" "$(echo "$edit / $full" | bc -l)" "$summary"
done >"$work/ratios"
if [ "${EDITS:-}" = all ]; then
  awk -F'\t' '{ printf "edit of sentence %2d (%3d characters): %6.3f s  ratio %.3f\n", $1, $2, $3, $4 }' "$work/ratios"
else
  awk -F'\t' '{ printf "edit %d (%3d characters):  %6.3f s  ratio %.3f  (%s)\n", NR, $2, $3, $4, $5 }' "$work/ratios"
fi
$bin cache stats | sed 's/^[^:]*: /cache now: /'
cut -f2,4 "$work/ratios" | sort -t$'\t' -k2 -g | awk -F'\t' '
  { ratio[NR] = $2; sum += $2; if ($2 < 0.10) under++ }
  END { printf "ratio of an edit to the full render: mean %.3f, median %.3f, largest %.3f; %d of %d edits under 0.10 (goal < 0.10)\n", sum / NR, (NR % 2) ? ratio[(NR + 1) / 2] : (ratio[NR / 2] + ratio[NR / 2 + 1]) / 2, ratio[NR], under, NR }'
