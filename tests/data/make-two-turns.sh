#!/usr/bin/env bash
# Remakes two-turns.wav, the spoken fixture of test-fake-session: two
# sentences said by espeak-ng, 1.5 s apart, 16 kHz mono s16le, a whole
# number of 50 ms frames. The committed file is what the tests read; this
# script only says how it was made (espeak-ng 1.51, sox 14.4 on Debian 12):
#
#   tests/data/make-two-turns.sh tests/data/two-turns.wav
set -euo pipefail

out=${1:?usage: make-two-turns.sh OUT.wav}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() {
  espeak-ng -v en-us -s 150 -w "$tmp/raw.wav" "$1"
  # 16 kHz mono s16, with espeak's own leading and trailing silence cut so
  # that the pauses are exactly the ones added below.
  sox "$tmp/raw.wav" -r 16000 -c 1 -b 16 -e signed-integer "$2" \
    silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse
}

say "Hello from the fake server." "$tmp/one.wav"
say "Tokens open one session." "$tmp/two.wav"

sox -n -r 16000 -c 1 -b 16 -e signed-integer "$tmp/lead.wav" trim 0 0.3
sox -n -r 16000 -c 1 -b 16 -e signed-integer "$tmp/pause.wav" trim 0 1.5
sox -n -r 16000 -c 1 -b 16 -e signed-integer "$tmp/tail.wav" trim 0 1.0
sox "$tmp/lead.wav" "$tmp/one.wav" "$tmp/pause.wav" "$tmp/two.wav" "$tmp/tail.wav" "$tmp/all.wav"

# Padded with silence to a whole number of 50 ms frames (800 samples).
samples=$(soxi -s "$tmp/all.wav")
pad=$(( (800 - samples % 800) % 800 ))
sox "$tmp/all.wav" "$out" pad 0 "${pad}s"
