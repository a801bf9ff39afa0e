#!/usr/bin/env bash
# Download throughput and memory: sevendigital's download engine against `curl -o`, both
# fetching the same file from the fake 7digital (`sevendigital serve`) over 127.0.0.1, in the
# same run, interleaved. Sizes: 256 MiB and 1 GiB (override with SIZES="bytes ..."); best of RUNS
# runs. The durable default is also compared with `curl -o` followed by an fsync of the file.
# Ours runs twice: as configured by default (the file is fsync'ed before its rename, so that a
# crash never leaves a partial target) and with `DownloadOptions::durable(false)`, which like
# `curl -o` leaves the flush to the OS: the like-for-like comparison. Prints each run, then
# throughputs, ratios (ours / curl) and our peak resident memory per size.
#
#   bash benches/download.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SIZES=${SIZES:-"268435456 1073741824"}
RUNS=${RUNS:-2}
WORK=$(mktemp -d)
trap 'kill "${SERVE_PID:-0}" 2>/dev/null || true; rm -rf "$WORK"' EXIT

cargo build --quiet --release --features cli --bin sevendigital
cargo build --quiet --release -p sevendigital-benches --bin fetch
BIN=target/release

best() { sort -g | head -1; }

for SIZE in $SIZES; do
  "$BIN/sevendigital" serve --port 0 --download-bytes "$SIZE" > "$WORK/url" 2>/dev/null &
  SERVE_PID=$!
  for _ in $(seq 50); do [ -s "$WORK/url" ] && break; sleep 0.1; done
  BASE=$(head -1 "$WORK/url")
  KEY="oauth_consumer_key=fake-consumer-key"
  curl -sf "$BASE/user/create?userId=bench&country=GB&$KEY" > /dev/null
  curl -sf "$BASE/user/deliveritem?userId=bench&releaseId=1192901&country=GB&transactionId=bench&retailPrice=0&$KEY" > /dev/null
  URL="$BASE/users/bench/downloads/purchases/9001?country=GB&$KEY"

  : > "$WORK/ours" ; : > "$WORK/fast" ; : > "$WORK/curl" ; : > "$WORK/curlsync"
  for run in $(seq "$RUNS"); do
    rm -f "$WORK/file"*
    OUT=$("$BIN/fetch" "$BASE" bench 9001 "$WORK/file.ours")
    echo "size=$SIZE run=$run sevendigital (durable, default) $OUT"
    echo "$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<< "$OUT") $(sed -E 's/.*peak_rss_kib=([0-9]+).*/\1/' <<< "$OUT")" >> "$WORK/ours"
    rm -f "$WORK/file"*
    OUT=$(DURABLE=0 "$BIN/fetch" "$BASE" bench 9001 "$WORK/file.fast")
    echo "size=$SIZE run=$run sevendigital (durable off) $OUT"
    echo "$(sed -E 's/.*seconds=([0-9.]+).*/\1/' <<< "$OUT") $(sed -E 's/.*peak_rss_kib=([0-9]+).*/\1/' <<< "$OUT")" >> "$WORK/fast"
    rm -f "$WORK/file"*
    CURL_SECS=$(curl -s -o "$WORK/file.curl" -w '%{time_total}' "$URL")
    echo "size=$SIZE run=$run curl -o seconds=$CURL_SECS"
    echo "$CURL_SECS" >> "$WORK/curl"
    rm -f "$WORK/file"*
    # The durable reference: curl -o, then the file fsync'ed (coreutils `sync FILE`).
    START=$(date +%s.%N)
    curl -s -o "$WORK/file.curlsync" "$URL"
    sync "$WORK/file.curlsync"
    SYNC_SECS=$(awk -v a="$START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }')
    echo "size=$SIZE run=$run curl -o + sync seconds=$SYNC_SECS"
    echo "$SYNC_SECS" >> "$WORK/curlsync"
  done
  OURS=$(cut -d' ' -f1 "$WORK/ours" | best)
  FAST=$(cut -d' ' -f1 "$WORK/fast" | best)
  PEAK=$(cut -d' ' -f2 "$WORK/ours" "$WORK/fast" | sort -n | tail -1)
  CURL=$(best < "$WORK/curl")
  CURLSYNC=$(best < "$WORK/curlsync")
  MIB=$(awk "BEGIN { print $SIZE / 1048576 }")
  awk -v mib="$MIB" -v ours="$OURS" -v fast="$FAST" -v curl="$CURL" -v cs="$CURLSYNC" -v peak="$PEAK" 'BEGIN {
    printf "RESULT size=%d MiB  curl -o %.0f MiB/s  curl -o + sync %.0f MiB/s  sevendigital durable off %.0f MiB/s (ratio to curl -o %.2f)  durable (default) %.0f MiB/s (ratio to curl -o %.2f, to curl -o + sync %.2f)  peak RSS %.1f MiB\n",
      mib, mib / curl, mib / cs, mib / fast, curl / fast, mib / ours, curl / ours, cs / ours, peak / 1024 }'
  kill "$SERVE_PID"; wait "$SERVE_PID" 2>/dev/null || true
done
