#!/usr/bin/env bash
# Neural voice speed: readcast with the Piper test voice (en_US-joe-medium) next to the Python
# piper-tts CLI on the same text and voice. Reports wall time (best of N), peak memory, model
# load time, and the ratio. Usage: benches/piper.sh [ARTICLE]
# Needs python3 with pip (installs piper-tts into a venv under target/) and the test voice
# (scripts/fetch-test-voice).
set -euo pipefail
cd "$(dirname "$0")/.."
article=${1:-samples/scraped-harbor.txt}
runs=${RUNS:-3}
eval "export $(scripts/fetch-test-voice | grep '^ORT_DYLIB_PATH=')"
model=$(scripts/fetch-test-voice | sed -n 's/^MODEL=//p')
venv=target/piper-venv
if [ ! -x "$venv/bin/piper" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet piper-tts "onnxruntime==1.32.0"
fi
cargo build --release -q
bin=target/release/readcast
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export READCAST_VOICES="$work/voices"
$bin voices install "$model" --name joe >/dev/null

# Both speak the same words: readcast's normalized script, one sentence per line.
$bin extract "$article" | sed -e 's/^#* *//' -e 's/^> //' -e 's/^- //' -e 's/^Date: //' >"$work/written.txt"
$bin normalize --lines "$work/written.txt" | grep -v '^$' >"$work/spoken.txt"
echo "one" >"$work/one.txt"

best() { # best wall seconds and peak KiB of N runs of a command
  local best_s="" best_kb=""
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1
    read -r s kb <"$work/time"
    best_s=$(awk -v a="$s" -v b="$best_s" 'BEGIN { if (b == "" || a < b) print a; else print b }')
    best_kb=$(awk -v a="$kb" -v b="$best_kb" 'BEGIN { if (b == "" || a > b) print a; else print b }')
  done
  echo "$best_s $best_kb"
}
audio_seconds() { $bin inspect "$1" | sed -E 's/.* ([0-9.]+) s \(.*/\1/'; }

# Rounds alternate the two, so that a change in the machine's load touches both alike: each
# one's best round counts, and so does the median of the rounds' ratios.
py_s="" py_kb="" rc_s="" rc_kb="" ratios=()
for _ in $(seq "$runs"); do
  read -r s kb < <(runs=1 best "$venv/bin/piper" -m "$model" -f "$work/py.wav" -i "$work/spoken.txt")
  read -r t kb2 < <(runs=1 best $bin narrate "$work/written.txt" --format text -o "$work/rc.wav" --voice joe --no-header --no-disclosure --quiet --jobs 2)
  ratios+=("$(echo "$t / $s" | bc -l)")
  py_s=$(awk -v a="$s" -v b="$py_s" 'BEGIN { if (b == "" || a < b) print a; else print b }')
  rc_s=$(awk -v a="$t" -v b="$rc_s" 'BEGIN { if (b == "" || a < b) print a; else print b }')
  py_kb=$(awk -v a="$kb" -v b="$py_kb" 'BEGIN { if (b == "" || a > b) print a; else print b }')
  rc_kb=$(awk -v a="$kb2" -v b="$rc_kb" 'BEGIN { if (b == "" || a > b) print a; else print b }')
done
median_ratio=$(printf '%s\n' "${ratios[@]}" | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }')
read -r load_s _ < <(best $bin narrate "$work/one.txt" -o "$work/one.wav" --voice joe --no-header --no-disclosure --quiet --jobs 1)
read -r pyload_s _ < <(best "$venv/bin/piper" -m "$model" -f "$work/pyone.wav" -i "$work/one.txt")
printf '%-28s %8s %9s %10s %9s\n' run "wall s" "audio s" "peak MiB" "load s"
printf '%-28s %8.2f %9.1f %10.0f %9.2f\n' "piper-tts (Python CLI)" "$py_s" "$(audio_seconds "$work/py.wav")" "$(echo "$py_kb / 1024" | bc -l)" "$pyload_s"
printf '%-28s %8.2f %9.1f %10.0f %9.2f\n' "readcast --voice joe -j 2" "$rc_s" "$(audio_seconds "$work/rc.wav")" "$(echo "$rc_kb / 1024" | bc -l)" "$load_s"
echo "ratio readcast / piper-tts wall time: best $(echo "$rc_s / $py_s" | bc -l | cut -c1-5), median of rounds $(echo "$median_ratio" | cut -c1-5) (goal <= 0.6)"
echo "(load s: wall time to narrate the single word 'one', which is mostly loading the model)"
