# shellcheck shell=bash
# Sourced by lab.sh: Debian's docker.io with a private daemon (tests/image/docker-tests.sh).
#
# dockerd 20.10 (Debian 12) with everything in the lab: --data-root, --exec-root (its containerd too), the socket and
# the pid file. --iptables=false --bridge=none: no netfilter or bridge is set up here, so builds and runs use
# --network=host. The CLI is /usr/bin/docker (Debian's, BuildKit built in): the `docker` first on PATH may be a newer
# CLI without the buildx plugin. Callers stop the daemon with lab_docker_stop (an EXIT trap).
LAB_DOCKER_DIR=$LAB_DIR/docker
LAB_DOCKER_HOST=unix://$LAB_DOCKER_DIR/docker.sock
LAB_DOCKER=/usr/bin/docker

lab_docker_install() {
  if [[ -x /usr/sbin/dockerd && -x $LAB_DOCKER ]]; then return 0; fi
  lab_log "   installing: docker.io"
  mkdir -p "$LAB_DIR/logs"
  export DEBIAN_FRONTEND=noninteractive
  # The package's postinst would start a system-wide dockerd (with iptables and a bridge): policy-rc.d forbids it.
  local guard=0
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
  fi
  lab_quiet "$LAB_DIR/logs/apt.log" apt-get update -q
  local rc=0
  lab_quiet "$LAB_DIR/logs/apt.log" apt-get install -y -q docker.io || rc=$?
  ((guard == 0)) || rm -f /usr/sbin/policy-rc.d
  ((rc == 0)) || lab_die "apt-get install docker.io failed (see $LAB_DIR/logs/apt.log)"
}

lab_docker() { DOCKER_HOST=$LAB_DOCKER_HOST DOCKER_BUILDKIT=1 "$LAB_DOCKER" "$@"; }

lab_docker_start() {
  lab_docker_install
  mkdir -p "$LAB_DOCKER_DIR"/{root,exec} "$LAB_DIR/logs"
  if lab_docker version --format '{{.Server.Version}}' >/dev/null 2>&1; then return 0; fi
  rm -f "$LAB_DOCKER_DIR/docker.sock" "$LAB_DOCKER_DIR/docker.pid"
  lab_daemon "$LAB_DIR/logs/dockerd.log" /usr/sbin/dockerd --data-root "$LAB_DOCKER_DIR/root" \
    --exec-root "$LAB_DOCKER_DIR/exec" -H "$LAB_DOCKER_HOST" --pidfile "$LAB_DOCKER_DIR/docker.pid" \
    --iptables=false --bridge=none
  echo "$LAB_DAEMON_PID" >"$LAB_DOCKER_DIR/dockerd.launcher.pid"
  for _ in $(seq 150); do
    lab_docker version --format '{{.Server.Version}}' >/dev/null 2>&1 && return 0
    sleep 0.2
  done
  tail -20 "$LAB_DIR/logs/dockerd.log" >&2
  lab_die "dockerd did not answer on $LAB_DOCKER_HOST within 30 s"
}

# lab_docker_stop: ends the daemon this lab started (its pid file), and waits for it (it stops its containerd).
lab_docker_stop() {
  local pid
  pid=$(cat "$LAB_DOCKER_DIR/docker.pid" 2>/dev/null || cat "$LAB_DOCKER_DIR/dockerd.launcher.pid" 2>/dev/null) || return 0
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$LAB_DOCKER_DIR/docker.pid" "$LAB_DOCKER_DIR/dockerd.launcher.pid"
}

# lab_docker_load IMAGE...: copy stand-ins from the lab's podman storage into docker (podman save | docker load),
# unless docker already has the same image ID (docker-archive keeps the config, hence the ID).
lab_docker_load() {
  local img id
  for img in "$@"; do
    id=$(podman image inspect --format '{{.Id}}' "$img")
    if [[ $(lab_docker image inspect --format '{{.Id}}' "$img" 2>/dev/null || true) == "sha256:$id" ]]; then continue; fi
    lab_log "   docker load: $img"
    podman save --format docker-archive "$img" | lab_docker load -q >/dev/null
    [[ $(lab_docker image inspect --format '{{.Id}}' "$img") == "sha256:$id" ]] || lab_die "docker load of $img gave another image"
  done
}

# lab_docker_standins: the stand-in bases in docker. `docker build` has no bind mounts, so the SDK stand-in gets this
# machine's CA bundle baked in (test set-up only: NuGet restore inside the build goes through the TLS proxy).
lab_docker_standins() {
  local ctx=$LAB_DIR/ctx/docker-sdk-ca sum a
  lab_docker_load "$LAB_IMG_BASE" "$LAB_IMG_DEPS" "$LAB_IMG_RUNTIME" "$LAB_IMG_ASPNET"
  for a in "${LAB_IMG_DEPS%-noble-chiseled}" "${LAB_IMG_RUNTIME%-noble-chiseled}" "${LAB_IMG_ASPNET%-noble-chiseled}"; do
    lab_docker tag "${a}-noble-chiseled" "$a"
  done
  # The label records which podman SDK stand-in and which CA bundle the docker copy was made from.
  sum=$( (podman image inspect --format '{{.Id}}' "$LAB_IMG_SDK"; cat /etc/ssl/certs/ca-certificates.crt) | sha256sum | cut -c1-16)
  if [[ $(lab_docker image inspect --format '{{index .Config.Labels "lab.ca"}}' "$LAB_IMG_SDK" 2>/dev/null || true) == "$sum" ]]; then
    return 0
  fi
  lab_docker_load "$LAB_IMG_SDK"
  rm -rf "$ctx" && mkdir -p "$ctx"
  cp -rL /etc/ssl/certs "$ctx/certs"
  printf 'FROM %s\nCOPY certs/ /etc/ssl/certs/\nLABEL lab.ca=%s\n' "$LAB_IMG_SDK" "$sum" >"$ctx/Dockerfile"
  lab_quiet "$LAB_DIR/logs/docker-sdk-ca.log" lab_docker build --network=host -t "$LAB_IMG_SDK" "$ctx"
}
