#!/usr/bin/env bash
# Makes a Dask base image from Debian packages, without pulling from any container registry.
# It is how tests, benchmarks and air-gapped users get an image with python3, distributed,
# xgboost, scikit-learn, pip and tini. The image is reused when it already exists.
#
# Usage: scripts/make-offline-image.sh [IMAGE]
# The default name is dask-fargate-action/offline-dask:<suite>-<8 hex digits of the package list>, so a
# changed package list gives a new tag (and new content hashes for images built on it).
# The image name is printed as the last line on stdout; progress goes to stderr.
# Needs: root, debootstrap, a running Docker Engine, and access to a Debian package archive.
set -euo pipefail

suite="${DFA_OFFLINE_SUITE:-bookworm}"
mirror="${DFA_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
# pandas: xgboost.dask imports dask.dataframe, which needs it.
packages="python3-distributed,python3-xgboost,python3-sklearn,python3-pandas,python3-pip,tini,ca-certificates"
image="${1:-${DFA_OFFLINE_IMAGE:-dask-fargate-action/offline-dask:$suite-$(printf '%s' "$suite $packages" | sha256sum | cut -c1-8)}}"

if docker image inspect "$image" >/dev/null 2>&1; then
  echo "offline image $image already exists; reusing it" >&2
  echo "$image"
  exit 0
fi
command -v debootstrap >/dev/null || { echo "debootstrap is missing: apt-get install -y debootstrap" >&2; exit 2; }

rootfs="$(mktemp -d "${TMPDIR:-/tmp}/dfa-rootfs.XXXXXX")"
trap 'rm -rf "$rootfs"' EXIT
start=$(date +%s)
echo "making $image from Debian $suite packages (takes a few minutes)..." >&2
debootstrap --variant=minbase --include="$packages" "$suite" "$rootfs" "$mirror" >"$rootfs.log" 2>&1 || {
  tail -20 "$rootfs.log" >&2; rm -f "$rootfs.log"; exit 1; }
rm -f "$rootfs.log"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  --change "LABEL io.dask-fargate-action.offline-packages=$packages" \
  - "$image" >/dev/null
echo "made $image in $(( $(date +%s) - start )) s" >&2
echo "$image"
