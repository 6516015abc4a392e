#!/usr/bin/env bash
# replay.sh FUZZER DIR...: runs FUZZER once on every file in the DIRs (seed
# corpus, recorded crashes); fails if any input crashes. Missing DIRs are fine.
set -u
fuzzer=$1; shift
files=()
for d in "$@"; do
	[ -d "$d" ] || continue
	while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$d" -type f ! -name 'README*' -print0 | sort -z)
done
[ ${#files[@]} -gt 0 ] || { echo "no inputs for $(basename "$fuzzer")"; exit 0; }
exec "$fuzzer" -rss_limit_mb=2048 -timeout=30 "${files[@]}"
