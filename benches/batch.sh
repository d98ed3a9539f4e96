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
summary_full=$(tail -1 "$work/err")
sed -i '0,/\. /s/\. / and more. /' "$work/articles/long.txt"
edit=$(wall $bin batch "$work/articles" --out "$work/pod" --voice "$voice" --format "$format")
summary_edit=$(tail -1 "$work/err")
printf 'full render:            %6.2f s  (%s)\n' "$full" "${summary_full#readcast: }"
printf 'after a one-sentence edit: %6.2f s  (%s)\n' "$edit" "${summary_edit#readcast: }"
$bin cache stats | sed 's/^[^:]*: /cache now: /'
echo "ratio: $(echo "$edit / $full" | bc -l | cut -c1-5) (goal < 0.10)"
