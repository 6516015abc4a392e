#!/usr/bin/env bash
# Installs the build into a scratch DESTDIR (cmake --install), points the
# installed units' binary and config paths into it and runs
# `systemd-analyze verify` on every unit: clean means exit 0 and no output,
# since systemd only warns (exit 0) about unknown keys and bad values. It
# needs no running systemd; a canary unit with a bogus key proves that this
# systemd still reports one.
# usage: verify_units.sh CMAKE BUILD SRC_UNITS UNITDIR SBINDIR SYSCONFDIR MANDIR
set -u
cmake=$1 build=$2 src_units=$3 unitdir=$4 sbindir=$5 sysconfdir=$6 mandir=$7
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

if ! command -v systemd-analyze >/dev/null; then
	echo "SKIP: systemd-analyze not installed (Debian package systemd)"
	exit 77
fi
dest=$(mktemp -d "$build/unitcheck.XXXXXX")
trap '[ "$fails" -eq 0 ] && rm -rf "$dest"' EXIT
DESTDIR=$dest "$cmake" --install "$build" >"$dest.install.log" 2>&1 || {
	cat "$dest.install.log"; echo "FAIL: cmake --install (is the build complete?)"
	rm -rf "$dest" "$dest.install.log"; exit 1; }
rm -f "$dest.install.log"

# what systemd will load: the installed units, paths moved under $dest
check=$dest/verify
mkdir -p "$check"
for src in "$src_units"/*; do
	u=$(basename "$src")
	[ -f "$dest$unitdir/$u" ] || { fail "$u is in etc/systemd but not installed into $unitdir"; continue; }
	sed -e "s|$sbindir/|$dest$sbindir/|g" -e "s|$sysconfdir/|$dest$sysconfdir/|g" \
		"$dest$unitdir/$u" >"$check/$u"
done
if [ -z "$(ls "$check")" ]; then
	echo "FAILED: no unit installed into $dest$unitdir; installed tree kept in $dest"
	exit 1
fi
for u in "$check"/*; do
	# every -f FILE an Exec line names was installed too
	for f in $(grep -E '^Exec' "$u" | grep -oE -- '-f [^ ]+' | cut -d' ' -f2 | sort -u); do
		[ -f "$f" ] || fail "$(basename "$u") reads $f, which the install did not create"
	done
done

man_opt=--man=yes
if ! command -v man >/dev/null; then
	echo "note: man is not installed; Documentation= pages are not checked"
	man_opt=--man=no
fi
verify() { (cd "$check" && MANPATH=$dest$mandir systemd-analyze verify "$man_opt" --generators=no "$@" 2>&1); }

units=()
for u in "$check"/*; do units+=("./$(basename "$u")"); done
out=$(verify "${units[@]}"); rc=$?
echo "systemd-analyze verify ${units[*]}: rc=$rc"
[ -n "$out" ] && echo "$out"
[ $rc -eq 0 ] || fail "systemd-analyze verify exited $rc"
[ -z "$out" ] || fail "systemd-analyze verify reported the problems above"

# canary: the same check must catch a bad directive
canary=$(ls "$check"/*.service | head -n 1)
cp "$canary" "$check/halo-canary.service"
sed -i 's/^\[Service\]$/[Service]\nHaloNoSuchDirective=yes/' "$check/halo-canary.service"
out=$(verify ./halo-canary.service)
rm -f "$check/halo-canary.service"
echo "$out" | grep -q HaloNoSuchDirective || fail "canary: a bogus key went unreported (got: $out)"

if [ "$fails" -ne 0 ]; then
	echo "FAILED: $fails; installed tree kept in $dest"
	exit 1
fi
echo "PASS: $(ls "$check" | wc -l) units verified"
