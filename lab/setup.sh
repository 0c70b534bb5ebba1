#!/usr/bin/env bash
# Device lab setup (docs/device-lab.md): installs Docker and debootstrap if missing, starts dockerd
# if it is not running, and builds the lab's base image once. Idempotent; safe to run repeatedly.
#
# There is no image registry here, so the base image is built from the Debian mirror with
# debootstrap and imported. It is tagged satchel-lab-base:<hash of the recipe below> and
# satchel-lab-base:latest; a rebuild happens only when the recipe (suite, variant, packages,
# mirror) changes or the image is gone.
#
# Environment: LAB_MIRROR (default: the first Debian mirror in /etc/apt), LAB_DOCKERD_LOG
# (default /var/log/satchel-lab-dockerd.log).
set -euo pipefail

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
IMAGE=satchel-lab-base
SUITE=bookworm
VARIANT=minbase
# JRE for the update client and the ONNX Runtime smoke run; nginx-light for the update server;
# ca-certificates so Java's cacerts exist.
PACKAGES=openjdk-17-jre-headless,nginx-light,ca-certificates
RECIPE_VERSION=1

log() { echo "lab/setup: $*"; }

# 1. Packages.
missing=()
for p in docker.io debootstrap; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -q
  $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# 2. The daemon: no bridge and no iptables (this machine has no NAT); containers use --network host.
if ! docker info >/dev/null 2>&1; then
  logfile="${LAB_DOCKERD_LOG:-/var/log/satchel-lab-dockerd.log}"
  if ! pgrep -x dockerd >/dev/null 2>&1; then
    log "starting dockerd (log: $logfile)"
    # dockerd starts and manages its own containerd when none is running.
    $SUDO sh -c "nohup dockerd --bridge=none --iptables=false --ip-masq=false >>'$logfile' 2>&1 &"
  fi
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  if ! docker info >/dev/null 2>&1; then
    log "dockerd did not come up within 60 s; last log lines:"
    tail -n 20 "$logfile" >&2 || true
    exit 1
  fi
fi
log "docker $(docker version --format '{{.Server.Version}}' 2>/dev/null) ready"

# 3. The base image, cached by a content hash of the recipe.
mirror="${LAB_MIRROR:-}"
if [ -z "$mirror" ]; then
  mirror=$( (grep -rhoE '^(URIs:|deb) +https?://[^ ]*debian[^ ]*' /etc/apt/sources.list /etc/apt/sources.list.d/ 2>/dev/null || true) \
    | awk '{print $2}' | grep -v -- '-security' | sed -n 1p)
  mirror="${mirror:-http://deb.debian.org/debian}"
fi
hash=$(printf '%s\n' "$RECIPE_VERSION" "$SUITE" "$VARIANT" "$PACKAGES" "$mirror" | sha256sum | cut -c1-16)
if docker image inspect "$IMAGE:$hash" >/dev/null 2>&1; then
  docker tag "$IMAGE:$hash" "$IMAGE:latest"
  log "image $IMAGE:$hash present (cached)"
  exit 0
fi
log "building $IMAGE:$hash from $mirror ($SUITE, $VARIANT, $PACKAGES)"
root=$(mktemp -d /var/tmp/satchel-lab-rootfs.XXXXXX)
trap '$SUDO rm -rf "$root"' EXIT
$SUDO debootstrap --variant="$VARIANT" --include="$PACKAGES" "$SUITE" "$root" "$mirror" >/dev/null
# Keep the image small: apt lists, caches and docs are not needed at run time.
$SUDO rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/* "$root"/usr/share/doc \
  "$root"/usr/share/man "$root"/usr/share/locale
$SUDO tar -C "$root" -c . | docker import \
  -c 'ENV LANG=C.UTF-8' -c 'CMD ["/bin/bash"]' - "$IMAGE:$hash" >/dev/null
docker tag "$IMAGE:$hash" "$IMAGE:latest"
log "built $IMAGE:$hash ($(docker image inspect "$IMAGE:$hash" --format '{{.Size}}') bytes)"
