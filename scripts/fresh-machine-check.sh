#!/usr/bin/env bash
# Tries the README's two commands as a newcomer would, on a bare Debian 12:
# builds a minimal Debian 12 root with debootstrap (minbase; the bookworm,
# bookworm-updates and bookworm-security sources) in a temporary folder,
# clones this repository into it (committed state, nothing beside it), and
# runs `scripts/demo.sh` and `scripts/test.sh` there in a chroot with /proc,
# /dev, /dev/pts and /dev/shm mounted. Prints each command's exit status and
# the tail of its output; the full logs stay in the temporary folder.
#
#   scripts/fresh-machine-check.sh [--only demo|test] [--keep] [REPOSITORY]
#
# Needs root (debootstrap, chroot, mount) and Debian's package mirror. The
# mirror is the host's own (from its apt configuration) unless DEBIAN_MIRROR
# and DEBIAN_SECURITY_MIRROR say otherwise. TMPDIR chooses where the root is
# built (default /var/tmp; it needs about 4 GiB).
set -euo pipefail

only=""
keep=0
repo=""
while (($#)); do
  case "$1" in
    --only) only=${2:?--only needs demo or test}; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) repo=$1; shift ;;
  esac
done
case "$only" in ""|demo|test) ;; *) echo "--only takes demo or test" >&2; exit 2 ;; esac
repo=${repo:-$(cd "$(dirname "$0")/.." && pwd)}

if [[ $(id -u) -ne 0 ]]; then
  echo "fresh-machine-check: needs root (debootstrap, chroot and mount)" >&2
  exit 2
fi
command -v debootstrap >/dev/null || {
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap
}

# The host's Debian mirror, as its apt configuration names it.
site_of() { apt-get indextargets --format '$(SITE) $(RELEASE)' 2>/dev/null | awk -v r="$1" '$2 == r { print $1; exit }'; }
mirror=${DEBIAN_MIRROR:-$(site_of bookworm)}
security=${DEBIAN_SECURITY_MIRROR:-$(site_of bookworm-security)}
if [[ -z "$mirror" || -z "$security" ]]; then
  echo "fresh-machine-check: cannot tell the Debian mirror from apt; set DEBIAN_MIRROR and DEBIAN_SECURITY_MIRROR" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/var/tmp}/dbclone-fresh-XXXXXX")
root=$work/root
mounted=()

cleanup() {
  # Anything still running inside the root (a server a test left) keeps the
  # mounts busy: end those processes, by id, first.
  local pid
  for pid in $(ls /proc | grep -E '^[0-9]+$'); do
    [[ "$(readlink "/proc/$pid/root" 2>/dev/null)" == "$root" ]] && kill -9 "$pid" 2>/dev/null || true
  done
  local i
  for ((i = ${#mounted[@]} - 1; i >= 0; i--)); do
    umount "${mounted[i]}" 2>/dev/null || umount -l "${mounted[i]}" 2>/dev/null || true
  done
  if ((keep)); then
    echo "kept $work"
  elif findmnt -rn -o TARGET | grep -q "^$root"; then
    echo "left $work (something is still mounted there)"
  else
    rm -rf "$root"
    echo "logs in $work"
  fi
}
trap cleanup EXIT

echo "== debootstrap bookworm (minbase) into $root"
debootstrap --variant=minbase bookworm "$root" "$mirror" >"$work/debootstrap.log" 2>&1 || {
  tail -20 "$work/debootstrap.log"
  exit 1
}
cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
cp /etc/resolv.conf "$root/etc/resolv.conf"
# As in any chroot: packages must not start services (postgresql-15 would
# start a server that keeps the root busy); the tests start their own.
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
chmod +x "$root/usr/sbin/policy-rc.d"

echo "== clone $repo (committed state) into /root/dbclone"
git clone -q --no-local "$repo" "$root/root/dbclone"
git -C "$root/root/dbclone" log -1 --format='   at %h %s'

mount -t proc proc "$root/proc" && mounted+=("$root/proc")
mount --bind /dev "$root/dev" && mounted+=("$root/dev")
mount --bind /dev/pts "$root/dev/pts" && mounted+=("$root/dev/pts")
mount -t tmpfs -o mode=1777 shm "$root/dev/shm" && mounted+=("$root/dev/shm")

run_in_root() {
  local name=$1 command=$2 rc=0
  echo "== $name: $command"
  chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb CI="${CI:-}" \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/dbclone && $command" >"$work/$name.log" 2>&1 || rc=$?
  echo "-- last lines of $name.log:"
  tail -25 "$work/$name.log" | sed 's/^/   /'
  echo "== $name: exit $rc"
  return "$rc"
}

status=0
results=()
if [[ -z "$only" || "$only" == demo ]]; then
  rc=0
  run_in_root demo scripts/demo.sh || rc=$?
  results+=("scripts/demo.sh exit $rc")
  ((rc == 0)) || status=1
fi
if [[ -z "$only" || "$only" == test ]]; then
  rc=0
  run_in_root test scripts/test.sh || rc=$?
  results+=("scripts/test.sh exit $rc")
  ((rc == 0)) || status=1
fi
echo "== summary (Debian $(cat "$root/etc/debian_version"), minbase)"
printf '   %s\n' "${results[@]}"
exit "$status"
