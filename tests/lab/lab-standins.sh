# shellcheck shell=bash
# Sourced by lab.sh: the stand-in base images, built locally under the names generated Dockerfiles use (builds run
# with --pull=never): a debootstrap'ed Debian minbase, the SDK (the machine's .NET copied in), a CUDA image without
# CUDA, distroless-like runtime-deps and the runtime/aspnet images on it. lab_cmd_setup calls lab_standin for each;
# an image is rebuilt only when missing, built by another LAB_RECIPE, or its parent was rebuilt.
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
