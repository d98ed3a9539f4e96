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

wall() { # wall seconds of one run of a command
  local start end
  start=$(date +%s.%N); "$@" >/dev/null 2>&1; end=$(date +%s.%N)
  echo "$end - $start" | bc -l
}
duration() { $bin inspect "$1" | sed -E 's/.* ([0-9.]+) s \(.*/\1/'; }

# Rounds interleave every run (the baseline included), so that a change in the machine's
# load touches all of them alike; each run's best round counts.
runs=${RUNS:-9}
configs=("espeak-ng 1" "espeak-ng 2" "espeak 1" "espeak 2")
declare -A best
for _ in $(seq "$runs"); do
  t=$(wall espeak-ng -v en-us -s 175 -f "$work/spoken.txt" -w "$work/base.wav")
  best[base]=$(awk -v a="$t" -v b="${best[base]:-}" 'BEGIN { if (b == "" || a < b) print a; else print b }')
  for config in "${configs[@]}"; do
    read -r voice jobs <<<"$config"
    t=$(wall $bin narrate "$article" -o "$work/$voice-$jobs.wav" --voice "$voice" --jobs "$jobs" --quiet)
    best[$config]=$(awk -v a="$t" -v b="${best[$config]:-}" 'BEGIN { if (b == "" || a < b) print a; else print b }')
  done
done
base=${best[base]}
printf '%-34s %8s %9s %9s %7s\n' "run (best of $runs rounds)" "wall s" "audio s" "realtime" "ratio"
report() { printf '%-34s %8.3f %9.1f %8.0fx %7.2f\n' "$1" "$2" "$3" "$(echo "$3 / $2" | bc -l)" "$(echo "$2 / $base" | bc -l)"; }
report "espeak-ng CLI (C, one process)" "$base" "$(duration "$work/base.wav")"
for config in "${configs[@]}"; do
  read -r voice jobs <<<"$config"
  report "readcast --voice $voice --jobs $jobs" "${best[$config]}" "$(duration "$work/$voice-$jobs.wav")"
done
echo "ratio = wall time / the espeak-ng CLI's wall time (goal: platform <= 0.7, embedded <= 1.0 on 2 cores)"
