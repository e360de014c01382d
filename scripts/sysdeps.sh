#!/bin/sh
# Installs the Debian packages a group needs, when running as root; otherwise
# prints one line naming exactly what to install. Groups: run, test.
#   scripts/sysdeps.sh run   -> what `kiosk run` needs (GL for Kivy, speech)
#   scripts/sysdeps.sh test  -> run + PostgreSQL, Chromium, systemd-analyze, libfaketime (to run
#                               the tests at another date and time, see the README)
set -e
group="${1:-run}"
run_pkgs="libgl1 libegl1 libgl1-mesa-dri libmtdev1 espeak-ng fonts-dejavu-core"
test_pkgs="$run_pkgs postgresql chromium systemd faketime"
case "$group" in
  run) pkgs="$run_pkgs" ;;
  test) pkgs="$test_pkgs" ;;
  *) echo "sysdeps.sh: unknown group '$group' (use run or test)" >&2; exit 2 ;;
esac
missing=""
for p in $pkgs; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" = "0" ]; then
  echo "sysdeps: installing$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "sysdeps: missing system packages; run: sudo apt-get install -y$missing" >&2
  exit 1
fi
