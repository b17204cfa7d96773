#!/usr/bin/env bash
# ContainerSdk container lab: build and run the Dockerfiles that ContainerSdk generates, on a machine
# without a Docker engine and without access to mcr.microsoft.com / docker.io / nvcr.io.
#
# Target machine (CI and dev VMs): Debian 12, running as root, .NET SDK 10 at /usr/share/dotnet,
# hybrid cgroup v1/v2, no CAP_SYS_RESOURCE, HTTPS egress only through a TLS-intercepting proxy whose CA
# is only in the host's /etc/ssl/certs, network limited to the Debian/NuGet/npm mirrors.
# The facts behind every workaround here are in /work/shared/notes/container-lab.md.
#
# Usage (CLI):
#   tests/lab/lab.sh setup                      install tools, write lab config, build stand-in base images
#   eval "$(tests/lab/lab.sh env)"              point podman/buildah at the lab storage and config
#   tests/lab/lab.sh build CTX DOCKERFILE TAG [buildah build args...]
#   tests/lab/lab.sh run IMAGE [podman run options...] [-- COMMAND ARGS...]
#   tests/lab/lab.sh http-check IMAGE CONTAINER_PORT PATH EXPECTED_SUBSTRING
#   tests/lab/lab.sh user-check IMAGE
#   tests/lab/lab.sh self-test | probes         forwarded to tests/lab/probes.sh (one-off investigations, not CI)
#
# Usage (library): `source tests/lab/lab.sh` defines the lab_* functions without running anything.
# Sourcing turns on `set -euo pipefail` in the caller, like the CLI runs with.
#
# Knobs (environment):
#   CONTAINERSDK_LAB   lab directory (default /var/tmp/containersdk-lab); everything except apt installs
#                      lives here: image storage, config, caches, temp files, logs. (Not
#                      redirectable in podman 4.3: /var/lib/containers/cache/blob-info-cache-v1.boltdb
#                      and netavark's /run/containers/networks/ipam.db, both small.)
#   LAB_DOTNET_ROOT    .NET install copied into the stand-in images (default /usr/share/dotnet)
#   LAB_MIRROR         Debian mirror for debootstrap (default: first URIs: of debian.sources)
#   LAB_FORCE=1        `setup` rebuilds every stand-in image (and the debootstrap tarball).
#   LAB_PORTMAP=auto|yes|no  http-check: publish with -p 127.0.0.1:PORT:CPORT (yes) or use
#                      --network host (no); auto probes once per lab (cached in run/portmap.state).
set -euo pipefail
# Without this, `x=$(failing_function)` would carry on after the failing command inside it.
shopt -s inherit_errexit

LAB_DIR=${CONTAINERSDK_LAB:-/var/tmp/containersdk-lab}
LAB_DOTNET_ROOT=${LAB_DOTNET_ROOT:-/usr/share/dotnet}
LAB_SUITE=bookworm
# Bump when the stand-in recipe changes: `setup` rebuilds images whose lab.recipe label differs,
# so machines with an older lab pick up the change without a manual wipe.
LAB_RECIPE=1

LAB_APT_PACKAGES=(buildah podman skopeo umoci runc docker-registry debootstrap busybox-static binutils openssl python3-onnx libonnx-testdata python3-grpcio python3-grpc-tools)

# The names generated Dockerfiles use. Builds run with --pull=never, so these must exist locally.
LAB_IMG_BASE=localhost/containersdk-lab/${LAB_SUITE}-minbase:latest
LAB_IMG_SDK=mcr.microsoft.com/dotnet/sdk:10.0
LAB_IMG_DEPS=mcr.microsoft.com/dotnet/runtime-deps:10.0-noble-chiseled
LAB_IMG_RUNTIME=mcr.microsoft.com/dotnet/runtime:10.0-noble-chiseled
LAB_IMG_ASPNET=mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
# docker.io/ prefix: `podman tag X nvidia/cuda:...` would store localhost/nvidia/cuda, which is not
# what `FROM nvidia/cuda:...` resolves to (short names resolve via docker.io, see registries.conf).
LAB_IMG_CUDA=docker.io/nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
LAB_IMG_CUDA_ALIASES=(docker.io/nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04)
LAB_CERTS_MOUNT=/etc/ssl/certs:/etc/ssl/certs:ro

# ---------------------------------------------------------------------------------------------------
# small helpers

lab_log() { printf '%s\n' "$*" >&2; }
lab_die() { printf 'lab.sh: error: %s\n' "$*" >&2; exit 1; }
lab_now_ms() { echo $(($(date +%s%N) / 1000000)); }
lab_since() { # $1 = start ms -> "S.mmm"
  local d=$(($(lab_now_ms) - $1))
  printf '%d.%03d' $((d / 1000)) $((d % 1000))
}

# lab_timed LABEL CMD...: run CMD and print how long it took; setup/self-test report every step this way
# so CI logs show where time goes.
lab_timed() {
  local label=$1 t rc
  shift
  t=$(lab_now_ms)
  lab_log "== ${label} ..."
  # Not `"$@" || rc=$?`: bash ignores errexit in everything called from the left of ||, so a failing
  # command deep inside a step would be skipped silently. A plain subshell keeps errexit working.
  set +e
  (
    set -e
    "$@"
  )
  rc=$?
  set -e
  if ((rc == 0)); then
    lab_log "== ${label}: ok ($(lab_since "$t") s)"
  else
    lab_log "== ${label}: FAILED rc=${rc} ($(lab_since "$t") s)"
  fi
  return "$rc"
}

# Show the end of a log when a quiet step fails, so CI output has the cause without the noise.
lab_quiet() { # lab_quiet LOGFILE CMD...
  local logf=$1
  shift
  if ! "$@" >"$logf" 2>&1; then
    lab_log "---- last 40 lines of $logf"
    tail -n 40 "$logf" >&2
    return 1
  fi
}

lab_host_nofile() {
  # Container nofile limits must not exceed the host hard limit (no CAP_SYS_RESOURCE); podman's
  # default (1048576) does, which makes every `podman run` fail.
  local n
  n=$(ulimit -Hn)
  [[ $n == unlimited ]] && n=1048576
  echo "$n"
}

lab_mirror() {
  if [[ -n ${LAB_MIRROR:-} ]]; then
    echo "$LAB_MIRROR"
    return
  fi
  local m=""
  if [[ -r /etc/apt/sources.list.d/debian.sources ]]; then
    m=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [[ -z $m && -r /etc/apt/sources.list ]]; then
    m=$(awk '$1 == "deb" && $2 !~ /^\[/ {print $2; exit}' /etc/apt/sources.list)
  fi
  echo "${m:-http://deb.debian.org/debian}"
}

# ---------------------------------------------------------------------------------------------------
# environment

# Variables every podman/buildah/skopeo call needs. Kept in one list so `env` and the internal
# commands can never disagree.
lab_env_pairs() {
  printf '%s\n' \
    "CONTAINERSDK_LAB=$LAB_DIR" \
    "CONTAINERS_STORAGE_CONF=$LAB_DIR/etc/storage.conf" \
    "CONTAINERS_CONF=$LAB_DIR/etc/containers.conf" \
    "CONTAINERS_REGISTRIES_CONF=$LAB_DIR/etc/registries.conf" \
    "REGISTRY_AUTH_FILE=$LAB_DIR/etc/auth.json" \
    "BUILDAH_ISOLATION=chroot" \
    "TMPDIR=$LAB_DIR/tmp" \
    "XDG_CACHE_HOME=$LAB_DIR/cache/xdg"
  # BUILDAH_ISOLATION=chroot: the default (oci) needs a working OCI runtime + cgroup setup per RUN step,
  #   which is fragile on the hybrid-cgroup host; chroot needs neither.
  # TMPDIR: buildah keeps RUN --mount=type=cache dirs in $TMPDIR/buildah-cache-<uid>, so the NuGet cache
  #   mount survives across builds only if TMPDIR is stable (and it stays inside the lab).
  # XDG_CACHE_HOME: the .NET SDK's PublishContainer layer cache (~400 MB) goes under it.
}

lab_load_env() {
  local kv
  while IFS= read -r kv; do
    export "${kv?}"
  done < <(lab_env_pairs)
}

lab_cmd_env() {
  local kv
  while IFS= read -r kv; do
    printf 'export %s=%q\n' "${kv%%=*}" "${kv#*=}"
  done < <(lab_env_pairs)
}

lab_require_setup() {
  [[ -f $LAB_DIR/etc/storage.conf && -f $LAB_DIR/etc/containers.conf ]] ||
    lab_die "lab not set up in $LAB_DIR; run: $0 setup"
  if ! command -v buildah >/dev/null || ! command -v podman >/dev/null; then
    lab_die "buildah/podman missing; run: $0 setup"
  fi
  lab_load_env
}

# ---------------------------------------------------------------------------------------------------
# setup

lab_apt_install() {
  local p missing=()
  for p in "${LAB_APT_PACKAGES[@]}"; do
    if [[ $(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true) != installed ]]; then
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    lab_log "   all apt packages present"
    return 0
  fi
  lab_log "   installing: ${missing[*]}"
  mkdir -p "$LAB_DIR/logs"
  export DEBIAN_FRONTEND=noninteractive
  lab_quiet "$LAB_DIR/logs/apt.log" apt-get update -q
  # --no-install-recommends would drop podman's networking (containernetworking-plugins / netavark),
  # which port publishing (-p) needs, so recommends stay on.
  lab_quiet "$LAB_DIR/logs/apt.log" apt-get install -y -q "${missing[@]}"
}

lab_write_if_changed() { # lab_write_if_changed FILE  (content on stdin); keeps mtimes stable on re-runs
  local f=$1 tmp
  tmp=$(mktemp "$f.XXXXXX")
  cat >"$tmp"
  if [[ -f $f ]] && cmp -s "$tmp" "$f"; then
    rm -f "$tmp"
  else
    mv -f "$tmp" "$f"
  fi
}

lab_write_config() {
  mkdir -p "$LAB_DIR"/{etc,storage,run,tmp,cache/xdg,cache/debs,logs,ctx}
  # overlay: fast layer reuse; private graphroot/runroot keep the host's /var/lib/containers untouched.
  lab_write_if_changed "$LAB_DIR/etc/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$LAB_DIR/storage"
runroot = "$LAB_DIR/run"
EOF
  # runtime=runc: crun 1.8.1 (Debian 12) refuses hybrid cgroups ("cgroups in hybrid mode not supported").
  # default_ulimits: podman's defaults exceed the host hard limits and we lack CAP_SYS_RESOURCE.
  # cgroupfs/file events: there is no systemd/journald session to talk to.
  # tmp_dir: podman's own state (default /run/libpod) stays inside the lab too.
  lab_write_if_changed "$LAB_DIR/etc/containers.conf" <<EOF
[containers]
default_ulimits = ["nofile=$(lab_host_nofile):$(lab_host_nofile)", "nproc=8192:8192"]
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$LAB_DIR/run/events.log"
runtime = "runc"
tmp_dir = "$LAB_DIR/run/libpod"
EOF
  # Short names (FROM nvidia/cuda:...) resolve like Docker does (docker.io), never with a prompt.
  # 127.0.0.1:5000 / localhost:5000 are the lab's plain-HTTP docker-registry for push/pull tests.
  lab_write_if_changed "$LAB_DIR/etc/registries.conf" <<'EOF'
unqualified-search-registries = ["docker.io"]
short-name-mode = "permissive"

[[registry]]
location = "127.0.0.1:5000"
insecure = true

[[registry]]
location = "localhost:5000"
insecure = true
EOF
  [[ -f $LAB_DIR/etc/auth.json ]] || echo '{"auths":{}}' >"$LAB_DIR/etc/auth.json"
}

lab_cmd_setup() {
  local t0 base sdk cuda deps runtime aspnet
  t0=$(lab_now_ms)
  [[ $(id -u) == 0 ]] || lab_die "setup must run as root"
  [[ -x $LAB_DOTNET_ROOT/dotnet ]] || lab_die "no .NET at $LAB_DOTNET_ROOT"
  mkdir -p "$LAB_DIR"
  # Serialise concurrent setups (parallel CI jobs on one machine) on a lock inside the lab.
  exec 9>"$LAB_DIR/.setup.lock"
  flock 9
  lab_timed "apt packages" lab_apt_install
  lab_timed "lab config ($LAB_DIR/etc)" lab_write_config
  lab_load_env
  base=$(lab_timed "base image $LAB_IMG_BASE" lab_standin "$LAB_IMG_BASE" 0 lab_build_base)
  sdk=$(lab_timed "sdk stand-in" lab_standin "$LAB_IMG_SDK" "$base" lab_build_sdk)
  cuda=$(lab_timed "cuda stand-in" lab_standin "$LAB_IMG_CUDA" "$base" lab_build_cuda "${LAB_IMG_CUDA_ALIASES[@]}")
  deps=$(lab_timed "runtime-deps stand-in" lab_standin "$LAB_IMG_DEPS" 0 lab_build_deps \
    "${LAB_IMG_DEPS%-noble-chiseled}")
  runtime=$(lab_timed "runtime stand-in" lab_standin "$LAB_IMG_RUNTIME" "$deps" lab_build_runtime \
    "${LAB_IMG_RUNTIME%-noble-chiseled}")
  aspnet=$(lab_timed "aspnet stand-in" lab_standin "$LAB_IMG_ASPNET" "$runtime" lab_build_aspnet \
    "${LAB_IMG_ASPNET%-noble-chiseled}")
  : "$sdk" "$cuda" "$aspnet"
  lab_timed ".NET 8/9 stand-ins from the runtime packs" lab_pack_standins "$deps"
  podman images --format '   {{.Repository}}:{{.Tag}}  {{.Size}}' | { grep -v '<none>' || true; } | sort >&2
  lab_log "== setup done in $(lab_since "$t0") s (lab: $LAB_DIR)"
  exec 9>&-
}

# ---------------------------------------------------------------------------------------------------
# build / run

# lab_build CTX DOCKERFILE TAG [buildah build args...]
# --pull=never: nothing can be pulled here; a missing base must fail loudly, not hang on the network.
# -v certs: NuGet restore inside RUN steps goes through the TLS proxy whose CA only the host trusts;
#           a bind mount (not COPY) keeps the lab's CA out of every image layer.
# Options must precede the context directory (buildah 1.28 ignores/rejects options after it).
lab_build() {
  (($# >= 3)) || lab_die "usage: build CONTEXT_DIR DOCKERFILE IMAGE_TAG [buildah build args...]"
  local ctx=$1 df=$2 tag=$3
  shift 3
  lab_require_setup
  buildah build --pull=never --layers -v "$LAB_CERTS_MOUNT" -f "$df" -t "$tag" "$@" "$ctx"
}

# lab_podman_run_args: the flags every `podman run` here needs (see containers.conf for why).
lab_podman_run_args() {
  printf '%s\n' --runtime runc run --pull=never \
    --ulimit "nofile=$(lab_host_nofile):$(lab_host_nofile)" --ulimit nproc=8192:8192
}

# lab_run IMAGE [podman run options...] [-- COMMAND ARGS...]
# Options before `--` go before the image name, the rest after it (podman's own argument order).
lab_run() {
  (($# >= 1)) || lab_die "usage: run IMAGE [podman run options...] [-- COMMAND ARGS...]"
  local img=$1 opts=() argv=() rargs=()
  shift
  while (($# > 0)); do
    if [[ $1 == -- ]]; then
      shift
      argv=("$@")
      break
    fi
    opts+=("$1")
    shift
  done
  lab_require_setup
  mapfile -t rargs < <(lab_podman_run_args)
  podman "${rargs[@]}" --rm "${opts[@]}" "$img" "${argv[@]}"
}

# lab_daemon LOG CMD...: CMD in the background in its own session (setsid), stdin /dev/null, output in LOG, and no
# descriptor of this shell but those: a lock the caller holds (the image lock, tests/image/harness.sh) must not live
# on in a daemon that outlives it (the registry). Sets LAB_DAEMON_PID.
lab_daemon() {
  local log=$1
  shift
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if ((fd > 2 && fd != 255)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid "$@" >"$log" 2>&1 </dev/null
  ) &
  LAB_DAEMON_PID=$!
}

lab_free_port() {
  local p used
  used=$(ss -Htan | awk '{n=split($4, a, ":"); print a[n]}' | sort -u)
  for _ in $(seq 200); do
    p=$((20000 + RANDOM % 30000))
    grep -qx "$p" <<<"$used" || { echo "$p"; return 0; }
  done
  lab_die "no free port found"
}

# Curl that never uses a proxy: the lab only ever talks to 127.0.0.1, and an inherited http_proxy
# would send the request to the TLS proxy instead.
lab_curl() { curl --noproxy '*' -sS "$@"; }

# Can podman publish ports here (-p 127.0.0.1:H:C needs a working bridge/CNI/netavark + iptables)?
# Probed once with busybox httpd bind-mounted into IMAGE (any image works: busybox is static), and
# the answer cached in the lab, since it depends only on the machine.
lab_portmap_works() {
  local img=$1 cache=$LAB_DIR/run/portmap.state port name code="000" rargs=()
  case ${LAB_PORTMAP:-auto} in
    yes) return 0 ;;
    no) return 1 ;;
  esac
  if [[ -f $cache ]]; then
    [[ $(cat "$cache") == yes ]]
    return
  fi
  port=$(lab_free_port)
  name=containersdk-lab-portprobe-$$
  mapfile -t rargs < <(lab_podman_run_args)
  if podman "${rargs[@]}" -d --name "$name" -p "127.0.0.1:$port:8080" -v /bin/busybox:/busybox:ro \
    --entrypoint /busybox "$img" httpd -f -p 8080 -h /tmp >/dev/null 2>"$LAB_DIR/logs/portprobe.log"; then
    for _ in $(seq 50); do
      code=$(lab_curl -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$port/" 2>/dev/null || true)
      [[ $code != 000 ]] && break
      sleep 0.1
    done
  fi
  podman rm -f -t 0 "$name" >/dev/null 2>&1 || true
  if [[ $code != 000 ]]; then echo yes >"$cache"; else echo no >"$cache"; fi
  lab_log "   port publishing (-p 127.0.0.1:...) works here: $(cat "$cache")"
  [[ $(cat "$cache") == yes ]]
}

# lab_http_check IMAGE CONTAINER_PORT PATH EXPECTED_SUBSTRING
# Subshell body: the EXIT trap that removes the container is local to this check, also when sourced.
lab_http_check() (
  (($# == 4)) || lab_die "usage: http-check IMAGE CONTAINER_PORT PATH EXPECTED_SUBSTRING"
  local img=$1 cport=$2 path=$3 expect=$4 port name code body rargs=() net=() t0 deadline
  lab_require_setup
  mkdir -p "$LAB_DIR/logs"
  port=$(lab_free_port)
  name=containersdk-lab-http-$$-$RANDOM
  trap 'podman rm -f -t 2 "$name" >/dev/null 2>&1 || true' EXIT
  # Turn Ctrl-C / CI cancellation into a normal exit so the EXIT trap still removes the container.
  trap 'exit 130' INT
  trap 'exit 143' TERM
  if lab_portmap_works "$img"; then
    net=(-p "127.0.0.1:$port:$cport")
  else
    # Host network: the app must listen on the free port and on loopback only, so override Kestrel's
    # port (ASPNETCORE_HTTP_PORTS) and pin the address (ASPNETCORE_URLS wins over HTTP_PORTS).
    net=(--network host -e "ASPNETCORE_HTTP_PORTS=$port" -e "ASPNETCORE_URLS=http://127.0.0.1:$port")
    lab_log "   (port publishing unavailable: --network host, app moved to 127.0.0.1:$port)"
  fi
  mapfile -t rargs < <(lab_podman_run_args)
  if ! podman "${rargs[@]}" -d --name "$name" "${net[@]}" "$img" >/dev/null; then
    lab_log "http-check: could not start a container from $img"
    exit 1
  fi
  t0=$(lab_now_ms)
  deadline=$((t0 + 30000))
  code=000
  while :; do
    code=$(lab_curl -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port$path" 2>/dev/null || true)
    [[ $code != 000 ]] && break
    if [[ $(podman inspect --format '{{.State.Running}}' "$name" 2>/dev/null) != true ]]; then
      lab_log "http-check: container exited before answering; logs:"
      podman logs "$name" >&2 || true
      exit 1
    fi
    if (($(lab_now_ms) > deadline)); then
      lab_log "http-check: no HTTP answer on 127.0.0.1:$port$path within 30 s; logs:"
      podman logs "$name" >&2 || true
      exit 1
    fi
    sleep 0.2
  done
  lab_log "   ready after $(lab_since "$t0") s"
  body=$(lab_curl --max-time 10 -w '\n%{http_code}' "http://127.0.0.1:$port$path") || {
    podman logs "$name" >&2 || true
    exit 1
  }
  code=${body##*$'\n'}
  body=${body%$'\n'*}
  printf 'GET %s -> HTTP %s\n%s\n' "$path" "$code" "$body"
  if [[ $body != *"$expect"* ]]; then
    lab_log "http-check: response does not contain '$expect'; container logs:"
    podman logs "$name" >&2 || true
    exit 1
  fi
  lab_log "http-check: ok ('$expect' found)"
)

# lab_registry_serve ADDR DIR LOG: Debian's docker-registry (plain HTTP) on ADDR, config and data in DIR, output in
# LOG; sets LAB_REGISTRY_PID and returns once it answers. Shared by the lab's registry and the image benchmark's.
lab_registry_serve() {
  local addr=$1 dir=$2 log=$3
  command -v docker-registry >/dev/null || lab_die "docker-registry missing; run: $0 setup"
  mkdir -p "$dir/data"
  lab_write_if_changed "$dir/config.yml" <<EOF
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $dir/data
  delete:
    enabled: true
http:
  addr: $addr
EOF
  # REGISTRY_* variables override the registry's config: the lab's REGISTRY_AUTH_FILE (for podman) would become auth:.
  lab_daemon "$log" env -u REGISTRY_AUTH_FILE docker-registry serve "$dir/config.yml"
  LAB_REGISTRY_PID=$LAB_DAEMON_PID
  for _ in $(seq 100); do
    lab_curl -fsS --max-time 1 "http://$addr/v2/" >/dev/null 2>&1 && return 0
    kill -0 "$LAB_REGISTRY_PID" 2>/dev/null || break
    sleep 0.1
  done
  cat "$log" >&2
  lab_die "the registry did not answer on $addr within 10 s"
}

# lab_registry_start: the lab's registry on 127.0.0.1:5000, storage in the lab. Idempotent: an answering registry is
# reused. `lab_registry_stop` ends the one this lab started.
LAB_REGISTRY=127.0.0.1:5000
lab_registry_start() {
  lab_require_setup
  lab_curl -fsS --max-time 2 "http://$LAB_REGISTRY/v2/" >/dev/null 2>&1 && return 0
  mkdir -p "$LAB_DIR/run" "$LAB_DIR/logs"
  lab_registry_serve "$LAB_REGISTRY" "$LAB_DIR/registry" "$LAB_DIR/logs/registry.log"
  echo "$LAB_REGISTRY_PID" >"$LAB_DIR/run/registry.pid"
}

lab_registry_stop() {
  local pid
  pid=$(cat "$LAB_DIR/run/registry.pid" 2>/dev/null) || return 0
  kill "$pid" 2>/dev/null || true
  rm -f "$LAB_DIR/run/registry.pid"
}

# lab_user_check IMAGE: the image's default user must not be root, and must not be able to write
# /app or anything in it (app files owned by root). busybox-static is bind-mounted because the
# distroless images have no shell or coreutils.
lab_user_check() {
  (($# == 1)) || lab_die "usage: user-check IMAGE"
  local img=$1 uid writable
  lab_require_setup
  uid=$(lab_run "$img" -v /bin/busybox:/busybox:ro --entrypoint /busybox -- id -u)
  echo "uid: $uid"
  [[ $uid =~ ^[0-9]+$ ]] || lab_die "user-check: could not determine uid (got '$uid')"
  ((uid != 0)) || lab_die "user-check: $img runs as root (uid 0)"
  # `test -w` uses access(2), so it answers for this uid. The script lists every writable path.
  # shellcheck disable=SC2016 # the script is for the container's shell
  writable=$(lab_run "$img" -v /bin/busybox:/busybox:ro --entrypoint /busybox -- sh -c '
    [ -d /app ] || { echo "NO-/app"; exit 0; }
    /busybox find /app | while read -r f; do /busybox test -w "$f" && echo "$f"; done; exit 0')
  [[ $writable != NO-/app ]] || lab_die "user-check: $img has no /app"
  if [[ -n $writable ]]; then
    lab_log "user-check: writable by uid $uid:"
    lab_log "$writable"
    lab_die "user-check: /app must be read-only for the app user (files owned by root)"
  fi
  echo "user-check: ok (uid $uid, /app read-only for it)"
}

# ---------------------------------------------------------------------------------------------------
# CLI

lab_usage() {
  sed -n '/^# Usage (CLI):/,/^# Knobs/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
}

lab_main() {
  local sub=${1:-help}
  if (($# > 0)); then shift; fi
  case $sub in
    setup) lab_cmd_setup "$@" ;;
    env) lab_cmd_env ;;
    build) lab_build "$@" ;;
    run) lab_run "$@" ;;
    http-check) lab_http_check "$@" ;;
    user-check) lab_user_check "$@" ;;
    self-test | probes) exec bash "$(dirname "${BASH_SOURCE[0]}")/probes.sh" "$sub" "$@" ;;
    help | -h | --help) lab_usage ;;
    *) lab_usage >&2; exit 2 ;;
  esac
}

# The stand-in base images (lab_standin, lab_build_*), the .NET 8/9 ones from the official runtime packs
# (lab_pack_standins), and the private docker daemon (lab_docker_*).
# shellcheck source=tests/lab/lab-standins.sh
source "$(dirname "${BASH_SOURCE[0]}")/lab-standins.sh"
# shellcheck source=tests/lab/lab-packs.sh
source "$(dirname "${BASH_SOURCE[0]}")/lab-packs.sh"
# shellcheck source=tests/lab/lab-docker.sh
source "$(dirname "${BASH_SOURCE[0]}")/lab-docker.sh"

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  lab_main "$@"
fi
