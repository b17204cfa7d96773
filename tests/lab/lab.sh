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

lab_dotnet_version() { # lab_dotnet_version shared/Microsoft.NETCore.App -> highest version dir name
  local d=$LAB_DOTNET_ROOT/$1
  [[ -d $d ]] || lab_die "$d not found (LAB_DOTNET_ROOT=$LAB_DOTNET_ROOT)"
  find "$d" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | sort -V | tail -n 1
}

# One debootstrap (30-40 s) is shared by the SDK and CUDA stand-ins: cached as a tarball so a wiped
# image store, or a recipe bump, does not pay for it again.
lab_rootfs_tarball() {
  local tar=$LAB_DIR/cache/${LAB_SUITE}-minbase.tar root
  if [[ -s $tar && ${LAB_FORCE:-0} != 1 ]]; then
    lab_log "   cached: $tar"
    return 0
  fi
  root=$(mktemp -d "$LAB_DIR/tmp/rootfs.XXXXXX")
  # ICU/OpenSSL/CA/tzdata: what the real SDK image carries and `dotnet` needs (no invariant mode there).
  lab_quiet "$LAB_DIR/logs/debootstrap.log" debootstrap --variant=minbase \
    --include=libicu72,libssl3,ca-certificates,tzdata "$LAB_SUITE" "$root" "$(lab_mirror)"
  rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
  # Write-then-rename: an interrupted run never leaves a truncated tarball that looks cached.
  tar -C "$root" --numeric-owner -cf "$tar.partial" .
  mv -f "$tar.partial" "$tar"
  rm -rf "$root"
}

# lab_image_current IMAGE: true if IMAGE exists and was built by this recipe version.
lab_image_current() {
  podman image exists "$1" || return 1
  [[ $(podman image inspect --format '{{index .Labels "lab.recipe"}}' "$1" 2>/dev/null) == "$LAB_RECIPE" ]]
}

# lab_tag_aliases IMAGE ALIAS...: point each alias at IMAGE's id (re-tag if it points elsewhere).
lab_tag_aliases() {
  local img=$1 id a
  shift
  id=$(podman image inspect --format '{{.Id}}' "$img")
  for a in "$@"; do
    if [[ $(podman image inspect --format '{{.Id}}' "$a" 2>/dev/null || true) != "$id" ]]; then
      podman tag "$img" "$a"
    fi
  done
}

lab_build_base() {
  lab_timed "debootstrap rootfs tarball" lab_rootfs_tarball
  # podman import keeps numeric ownership from the tar (buildah copy would chown everything to root).
  # One KEY=VALUE per --change: podman 4.3 import takes "ENV A=1 B=2" as ONE variable named A.
  podman import -q --change 'CMD ["/bin/bash"]' --change 'ENV LANG=C.UTF-8' \
    --change "LABEL lab.recipe=$LAB_RECIPE" --change "LABEL lab.kind=${LAB_SUITE}-minbase" \
    "$LAB_DIR/cache/${LAB_SUITE}-minbase.tar" "$LAB_IMG_BASE" >/dev/null
}

lab_build_sdk() {
  local ctx=$LAB_DIR/ctx/sdk
  rm -rf "$ctx" && mkdir -p "$ctx"
  # The real sdk:10.0 image derives from aspnet:10.0, so it has the app user (1654) and APP_UID too.
  cat >"$ctx/Dockerfile" <<EOF
FROM $LAB_IMG_BASE
COPY --from=dotnet . /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet \\
 && groupadd --gid 1654 app && useradd --uid 1654 --gid 1654 --create-home --shell /bin/false app
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 \\
    DOTNET_RUNNING_IN_CONTAINER=true DOTNET_USE_POLLING_FILE_WATCHER=true NUGET_XMLDOC_MODE=skip \\
    DOTNET_GENERATE_ASPNET_CERTIFICATE=false APP_UID=1654 ASPNETCORE_HTTP_PORTS=8080 \\
    DOTNET_VERSION=$(lab_dotnet_version shared/Microsoft.NETCore.App) \\
    ASPNET_VERSION=$(lab_dotnet_version shared/Microsoft.AspNetCore.App) \\
    DOTNET_SDK_VERSION=$(lab_dotnet_version sdk)
LABEL lab.recipe=$LAB_RECIPE lab.kind=sdk-standin
CMD ["/bin/bash"]
EOF
  lab_quiet "$LAB_DIR/logs/standin-sdk.log" lab_build "$ctx" "$ctx/Dockerfile" "$LAB_IMG_SDK" \
    --build-context dotnet="$LAB_DOTNET_ROOT"
}

lab_build_cuda() {
  local ctx=$LAB_DIR/ctx/cuda
  rm -rf "$ctx" && mkdir -p "$ctx"
  # Stand-in for nvidia/cuda:*-cudnn-runtime-ubuntu24.04. It has NONE of the CUDA/cuDNN libraries
  # (libcudart, libcublas, libcudnn...): they cannot be downloaded here (no nvcr.io/docker.io, no NVIDIA
  # apt repo) and there is no GPU. It reproduces what matters for building and starting a .NET app on
  # it: Debian instead of Ubuntu, but a glibc userland WITH a shell, running as root, no .NET, NO ICU
  # (so a .NET app needs invariant globalization or its own ICU, as on the real image), the NVIDIA
  # env vars, the 'ubuntu' user (uid 1000, present in ubuntu:24.04) and the nvidia_entrypoint.sh
  # ENTRYPOINT that prints a banner and execs its arguments. ORT's CUDA provider will fail to load here;
  # tests must only expect the CPU fallback (or skip) on this stand-in. It is labelled lab.kind=cuda-standin.
  mkdir -p "$ctx/opt/nvidia"
  cat >"$ctx/opt/nvidia/nvidia_entrypoint.sh" <<'EOF'
#!/bin/bash
# lab stand-in for the real image's /opt/nvidia/nvidia_entrypoint.sh (banner, then exec "$@").
echo "=========="
echo "== CUDA == (containersdk lab stand-in: no CUDA libraries, no GPU)"
echo "=========="
echo "CUDA Version ${CUDA_VERSION:-?}"
if [ $# -eq 0 ]; then exec /bin/bash; fi
exec "$@"
EOF
  chmod 755 "$ctx/opt/nvidia/nvidia_entrypoint.sh"
  cat >"$ctx/Dockerfile" <<EOF
FROM $LAB_IMG_BASE
RUN dpkg --purge libicu72 && rm -rf /var/cache/apt/* /var/lib/apt/lists/* \\
 && groupadd --gid 1000 ubuntu && useradd --uid 1000 --gid 1000 --create-home --shell /bin/bash ubuntu
COPY opt/nvidia/nvidia_entrypoint.sh /opt/nvidia/nvidia_entrypoint.sh
ENV NVARCH=x86_64 CUDA_VERSION=13.0.1 NVIDIA_REQUIRE_CUDA="cuda>=13.0" \\
    NVIDIA_VISIBLE_DEVICES=all NVIDIA_DRIVER_CAPABILITIES=compute,utility \\
    LD_LIBRARY_PATH=/usr/local/nvidia/lib:/usr/local/nvidia/lib64 \\
    PATH=/usr/local/nvidia/bin:/usr/local/cuda/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
LABEL lab.recipe=$LAB_RECIPE lab.kind=cuda-standin
USER root
ENTRYPOINT ["/opt/nvidia/nvidia_entrypoint.sh"]
CMD []
EOF
  lab_quiet "$LAB_DIR/logs/standin-cuda.log" lab_build "$ctx" "$ctx/Dockerfile" "$LAB_IMG_CUDA"
}

# Distroless-like runtime-deps: files extracted from Debian packages (dpkg -x), no shell, no package
# manager, like the real noble-chiseled image. Deliberately no ICU/tzdata (those are in -extra) and
# no zlib (.NET 9+ images dropped it): a stand-in that is stricter than the real image is the safe side.
lab_build_deps() {
  local debs=$LAB_DIR/cache/debs root p
  local pkgs=(libc6 libgcc-s1 libstdc++6 libssl3 ca-certificates)
  for p in "${pkgs[@]}"; do
    if ! compgen -G "$debs/${p}_*.deb" >/dev/null; then
      # apt-get download needs package lists; a machine that already had every tool installed may
      # have none, so update once and retry.
      (cd "$debs" && apt-get download -q "${pkgs[@]}" >/dev/null 2>&1) ||
        { lab_quiet "$LAB_DIR/logs/apt.log" apt-get update -q &&
          (cd "$debs" && lab_quiet "$LAB_DIR/logs/apt-download.log" apt-get download -q "${pkgs[@]}"); }
      break
    fi
  done
  root=$(mktemp -d "$LAB_DIR/tmp/rootfs-deps.XXXXXX")
  for p in "${pkgs[@]}"; do
    dpkg -x "$(compgen -G "$debs/${p}_*.deb" | sort -V | tail -n 1)" "$root"
  done
  mkdir -p "$root"/{tmp,proc,dev,sys,app,home/app,etc/ssl/certs,usr/lib/ssl}
  chmod 1777 "$root/tmp"
  chown 1654:1654 "$root/home/app"
  # Only the CA bundle, as in chiseled images (ca-certificates_data slice).
  find "$root/usr/share/ca-certificates" -name '*.crt' -print0 | sort -z | xargs -0 cat \
    >"$root/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$root"/usr/share/{doc,man,lintian,locale,ca-certificates} "$root"/usr/sbin "$root"/etc/ca-certificates*
  ln -s /etc/ssl/certs "$root/usr/lib/ssl/certs"
  ln -s /etc/ssl/certs/ca-certificates.crt "$root/usr/lib/ssl/cert.pem"
  printf '%s\n' 'root:x:0:0:root:/root:/noshell' 'app:x:1654:1654::/home/app:/noshell' \
    'nobody:x:65534:65534:nobody:/nonexistent:/noshell' >"$root/etc/passwd"
  printf '%s\n' 'root:x:0:' 'app:x:1654:' 'nogroup:x:65534:' >"$root/etc/group"
  cp /usr/lib/os-release "$root/etc/os-release"
  if [[ -n $(find "$root" -path "$root/proc" -prune -o \( -name sh -o -name bash -o -name busybox \) -print) ]]; then
    lab_die "runtime-deps stand-in unexpectedly contains a shell"
  fi
  # USER 1654:1654 (the real image says USER app -> 1654); WORKDIR /app exists and is root-owned, so
  # app files COPYed there stay read-only for the app user unless a Dockerfile --chown's them.
  tar -C "$root" --numeric-owner -cf - . | podman import -q \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV APP_UID=1654' --change 'ENV ASPNETCORE_HTTP_PORTS=8080' \
    --change 'ENV DOTNET_RUNNING_IN_CONTAINER=true' --change 'ENV DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=true' \
    --change 'USER 1654:1654' --change 'WORKDIR /app' \
    --change "LABEL lab.recipe=$LAB_RECIPE" --change 'LABEL lab.kind=runtime-deps-standin' \
    - "$LAB_IMG_DEPS" >/dev/null
  rm -rf "$root"
}

lab_build_runtime() {
  local ctx=$LAB_DIR/ctx/runtime
  rm -rf "$ctx" && mkdir -p "$ctx/rootfs/usr/bin"
  # No shell in the image, so the /usr/bin/dotnet symlink (present in the real image) comes from the
  # context; COPY of a directory keeps symlinks as symlinks.
  ln -s /usr/share/dotnet/dotnet "$ctx/rootfs/usr/bin/dotnet"
  cat >"$ctx/Dockerfile" <<EOF
FROM $LAB_IMG_DEPS
ENV DOTNET_VERSION=$(lab_dotnet_version shared/Microsoft.NETCore.App)
COPY --from=dotnet dotnet LICENSE.txt ThirdPartyNotices.txt /usr/share/dotnet/
COPY --from=dotnet host /usr/share/dotnet/host
COPY --from=dotnet shared/Microsoft.NETCore.App /usr/share/dotnet/shared/Microsoft.NETCore.App
COPY rootfs/ /
LABEL lab.recipe=$LAB_RECIPE lab.kind=runtime-standin
EOF
  lab_quiet "$LAB_DIR/logs/standin-runtime.log" lab_build "$ctx" "$ctx/Dockerfile" "$LAB_IMG_RUNTIME" \
    --build-context dotnet="$LAB_DOTNET_ROOT"
}

lab_build_aspnet() {
  local ctx=$LAB_DIR/ctx/aspnet
  rm -rf "$ctx" && mkdir -p "$ctx"
  cat >"$ctx/Dockerfile" <<EOF
FROM $LAB_IMG_RUNTIME
ENV ASPNET_VERSION=$(lab_dotnet_version shared/Microsoft.AspNetCore.App) ASPNETCORE_HTTP_PORTS=8080
COPY --from=dotnet shared/Microsoft.AspNetCore.App /usr/share/dotnet/shared/Microsoft.AspNetCore.App
LABEL lab.recipe=$LAB_RECIPE lab.kind=aspnet-standin
EOF
  lab_quiet "$LAB_DIR/logs/standin-aspnet.log" lab_build "$ctx" "$ctx/Dockerfile" "$LAB_IMG_ASPNET" \
    --build-context dotnet="$LAB_DOTNET_ROOT"
}

# lab_standin IMAGE PARENT_REBUILT BUILDER [ALIAS...]: build IMAGE unless current. Prints 1 on stdout
# when it built, so children of a rebuilt parent get rebuilt (they would still hold the old parent).
lab_standin() {
  local img=$1 parent_rebuilt=$2 builder=$3 t
  shift 3
  t=$(lab_now_ms)
  if [[ ${LAB_FORCE:-0} != 1 && $parent_rebuilt != 1 ]] && lab_image_current "$img"; then
    lab_log "   present: $img"
    echo 0
  else
    lab_log "   building: $img"
    "$builder" >&2
    lab_log "   built $img in $(lab_since "$t") s"
    echo 1
  fi
  if (($# > 0)); then lab_tag_aliases "$img" "$@"; fi
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
# docker: Debian's docker.io with a private daemon (tests/image/docker-tests.sh)
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

# .NET 8/9 stand-ins from the official runtime packs (lab_pack_standins).
# shellcheck source=tests/lab/lab-packs.sh
source "$(dirname "${BASH_SOURCE[0]}")/lab-packs.sh"

if [[ ${BASH_SOURCE[0]} == "$0" ]]; then
  lab_main "$@"
fi
