#!/bin/sh
# Makes sample.ogg, the spoken clip that a session can stream without a
# file or a microphone: two passages, 1.5 s apart, so that a session shows
# more than one turn. The clip is committed; run this only to change it.
#
#   apt install espeak-ng sox libsox-fmt-base
#   src/core/sample/make-sample.sh
#
# espeak-ng pads each passage with silence of its own: trimming it keeps
# the pause between them at exactly 1.5 s. 48 kHz is above every rate a
# session accepts, so that the check never refuses the sample for a rate
# it cannot give; Vorbis at its lowest quality keeps it near 40 KiB.
set -eu

cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

say() {
  espeak-ng -v en-us -s 180 -w "$tmp/raw.wav" "$2"
  sox "$tmp/raw.wav" "$tmp/$1.wav" \
    silence 1 0.01 0.1% reverse silence 1 0.01 0.1% reverse
}

say first "This is the sample of Streaming Token. Each sentence you hear becomes a turn."
say second "Turns end when the speaker pauses."

sox "$tmp/first.wav" "$tmp/first-padded.wav" pad 0.2 1.5
sox "$tmp/first-padded.wav" "$tmp/second.wav" -c 1 -r 48000 -C -1 sample.ogg pad 0 0.3
soxi sample.ogg
