#!/usr/bin/env bash
# Narration speed: readcast (embedded and platform voices, 1 and 2 threads) next to Debian's
# espeak-ng CLI speaking the same text in one process. Usage: benches/speed.sh [ARTICLE]
# Prints wall time, audio duration and realtime factor for each, and the ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
article=${1:-samples/scraped-harbor.txt}
if ! command -v espeak-ng >/dev/null 2>&1; then
  echo "installing espeak-ng for the baseline" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng >/dev/null
fi
cargo build --release -q
bin=target/release/readcast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The baseline speaks exactly the text readcast speaks (normalized, header included).
$bin extract "$article" >/dev/null
$bin normalize --lines <("$bin" extract "$article" | sed -e 's/^#* *//' -e 's/^> //' -e 's/^- //' -e 's/^Date: //') >"$work/spoken.txt"

best_of() { # best_of N command... -> best wall seconds
  local n=$1; shift; local best=
  for _ in $(seq "$n"); do
    local start end
    start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
    best=$(echo "$end - $start" | bc -l | awk -v b="$best" '{ if (b == "" || $1 < b) print $1; else print b }')
  done
  echo "$best"
}
duration() { $bin inspect "$1" | sed -E 's/.* ([0-9.]+) s \(.*/\1/'; }

runs=5
base=$(best_of $runs espeak-ng -v en-us -s 175 -f "$work/spoken.txt" -w "$work/base.wav")
base_audio=$(duration "$work/base.wav")
printf '%-34s %8s %9s %9s %7s\n' "run" "wall s" "audio s" "realtime" "ratio"
report() { printf '%-34s %8.3f %9.1f %8.0fx %7.2f\n' "$1" "$2" "$3" "$(echo "$3 / $2" | bc -l)" "$(echo "$2 / $base" | bc -l)"; }
report "espeak-ng CLI (C, one process)" "$base" "$base_audio"
for voice in espeak-ng espeak; do
  for jobs in 1 2; do
    wall=$(best_of $runs $bin narrate "$article" -o "$work/$voice-$jobs.wav" --voice "$voice" --jobs "$jobs" --quiet)
    report "readcast --voice $voice --jobs $jobs" "$wall" "$(duration "$work/$voice-$jobs.wav")"
  done
done
echo "ratio = wall time / the espeak-ng CLI's wall time (goal: platform <= 0.7, embedded <= 1.0 on 2 cores)"
