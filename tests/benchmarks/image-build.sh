#!/usr/bin/env bash
# Benchmark (issue 4): what the Dockerfile ContainerSdk generates buys at image-build time, for the CPU sample
# (samples/CpuInference), as ratios against baselines built in the same run, on the same engine and storage.
#  1. rebuild: rebuild after a one-line C# change vs a cold build, for OUR generated Dockerfile (the committed
#     samples/CpuInference/Dockerfile) and for a NAIVE Dockerfile in the common hand-written style (COPY . . /
#     dotnet restore / dotnet publish), written by this script. Key figure: `rebuild ratio ours/naive` (target <= 0.3).
#  2. size: the image from our Dockerfile vs the .NET SDK's own `dotnet publish -t:PublishContainer` of the same
#     project on the same stand-in base image (pulled from a local registry). Key figure: `image size ratio
#     ours/SDK` (target <= 1.0).
#  3. e2e: `dotnet build -t:BuildContainerImage` with a warm cache minus the engine's own build time (as the task
#     measured it): what the target adds (MSBuild, generation, engine detection, verification). And one
#     `dotnet publish -t:BuildContainerImage` (host publish + image) the same way.
#
# Usage: bash tests/benchmarks/image-build.sh [RUNS]
#   RUNS  rebuilds per Dockerfile, each after a different one-line change (default 3); medians are reported.
#   IMAGE_BENCH_SECTIONS="rebuild size e2e"   which sections to run (default: all three).
#   IMAGE_BENCH_KEEP_LOGS=DIR                 copy the build/publish logs to DIR before the temp dir is removed.
# Needs: root, `dotnet pack ContainerSdk.sln -c Release -o artifacts/packages`, and the container lab
# (tests/lab/lab.sh; this script runs its idempotent `setup`, which installs nothing once the lab is there).
# Takes about 10-15 minutes on 2 cores. Other builds on the machine add noise: the load average is printed.
#
# Isolation and fairness: nothing here touches the shared lab's image storage or caches. The script copies the
# stand-in base images (mcr.microsoft.com/dotnet/sdk:10.0, .../aspnet:10.0-noble-chiseled) into a private overlay
# storage under its temp dir, points buildah's TMPDIR there too (buildah keeps RUN --mount=type=cache folders in
# $TMPDIR/buildah-cache/<id>, so our Dockerfile's NuGet cache mount starts cold), and builds from a copy of the
# repository (tracked and untracked-not-ignored files + artifacts/packages; the repo's sample is never modified).
# Both Dockerfiles use the same build context, the same flags as tests/lab/lab.sh's lab_build (buildah build
# --pull=never --layers -v /etc/ssl/certs:/etc/ssl/certs:ro, chroot isolation) plus --format docker like
# tests/image/image-tests.sh, and their cold builds use --no-cache on a storage that has never seen them.
# Everything (storage, registry data, contexts, logs) lives in one mktemp dir removed on exit; the registry
# process is killed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-3}
[[ $RUNS =~ ^[1-9][0-9]*$ ]] || { echo "usage: $0 [RUNS]   (RUNS: a positive integer, default 3)" >&2; exit 2; }
SECTIONS=${IMAGE_BENCH_SECTIONS:-rebuild size e2e}

# A temp dir from the caller's TMPDIR (sourcing the lab below does not change it; only lab_load_env would).
WORK=$(mktemp -d -t containersdk-image-bench.XXXXXX)
REGISTRY_PID=""
cleanup() {
  local rc=$?
  set +e
  if [[ -n $REGISTRY_PID ]]; then
    kill "$REGISTRY_PID" 2>/dev/null
    wait "$REGISTRY_PID" 2>/dev/null
  fi
  # Containers left by an interrupted build, then the overlay driver's mounts (it bind-mounts its own home
  # privately and mounts layers while building): unmount deepest first, or rm -rf stops at a busy mount point.
  if [[ -f $WORK/etc/storage.conf ]]; then
    CONTAINERS_STORAGE_CONF=$WORK/etc/storage.conf buildah rm --all >/dev/null 2>&1
  fi
  if [[ -n ${IMAGE_BENCH_KEEP_LOGS:-} && -d $WORK/logs ]]; then
    mkdir -p "$IMAGE_BENCH_KEEP_LOGS" && cp -r "$WORK/logs/." "$IMAGE_BENCH_KEEP_LOGS/"
  fi
  awk -v w="$WORK/" 'index($5, w) == 1 {print $5}' /proc/self/mountinfo | sort -r |
    while read -r m; do umount -l "$m"; done
  rm -rf "$WORK"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# shellcheck source=../lab/lab.sh
source "$ROOT/tests/lab/lab.sh"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0

VERSION=$(sed -n 's:.*<ContainerSdkVersion>\(.*\)</ContainerSdkVersion>.*:\1:p' "$ROOT/Directory.Build.props")
[[ -f $ROOT/artifacts/packages/ContainerSdk.$VERSION.nupkg ]] ||
  lab_die "pack first: dotnet pack ContainerSdk.sln -c Release -o artifacts/packages (ContainerSdk.$VERSION.nupkg is missing)"
SAMPLE=samples/CpuInference
OURS_DF=$SAMPLE/Dockerfile
if ! git -C "$ROOT" diff --quiet HEAD -- "$OURS_DF" 2>/dev/null; then
  lab_log "note: $OURS_DF differs from the commit; the working tree's version is measured"
fi

mkdir -p "$WORK"/{logs,etc,storage,run,tmp,xdg,nuget}
LOGS=$WORK/logs

# ---------------------------------------------------------------------------------------------------
# helpers

secs() { python3 -c 'import sys; print(f"{float(sys.argv[1]):.1f}")' "$1"; }
median() { python3 -c 'import sys, statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.1f}")' "$@"; }
ratio() { python3 -c 'import sys; print(f"{float(sys.argv[1]) / float(sys.argv[2]):.2f}")' "$1" "$2"; }
mb() { python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1e6:.1f} MB")' "$1"; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# make_context DIR: the build context the committed Dockerfile expects (the repository root: it COPYs
# artifacts/packages/ and samples/...): tracked and untracked-not-ignored files, plus the packed feed.
make_context() {
  local dir=$1 f
  mkdir -p "$dir/artifacts"
  while IFS= read -r -d '' f; do
    [[ -f $ROOT/$f ]] || continue # deleted in the working tree
    mkdir -p "$dir/$(dirname "$f")"
    cp -p "$ROOT/$f" "$dir/$f"
  done < <(git -C "$ROOT" ls-files -z --cached --others --exclude-standard)
  cp -rp "$ROOT/artifacts/packages" "$dir/artifacts/packages"
}

# The engine environment: the lab's config (registries, runtime, chroot isolation) with private storage,
# podman state, TMPDIR (buildah cache mounts) and XDG cache (.NET SDK container layer cache).
bench_engine_env() {
  lab_load_env
  cat >"$WORK/etc/storage.conf" <<EOF
[storage]
driver = "overlay"
graphroot = "$WORK/storage"
runroot = "$WORK/run"
EOF
  sed -e "s#^tmp_dir = .*#tmp_dir = \"$WORK/run/libpod\"#" \
    -e "s#^events_logfile_path = .*#events_logfile_path = \"$WORK/run/events.log\"#" \
    "$LAB_DIR/etc/containers.conf" >"$WORK/etc/containers.conf"
  export CONTAINERS_STORAGE_CONF=$WORK/etc/storage.conf CONTAINERS_CONF=$WORK/etc/containers.conf \
    TMPDIR=$WORK/tmp XDG_CACHE_HOME=$WORK/xdg
}

# Copy the lab's stand-in base images (tagged with the real names) into the private storage.
bench_copy_bases() {
  local img
  for img in "$LAB_IMG_SDK" "$LAB_IMG_ASPNET"; do
    CONTAINERS_STORAGE_CONF=$LAB_DIR/etc/storage.conf skopeo copy -q \
      "containers-storage:$img" "containers-storage:[overlay@$WORK/storage+$WORK/run]$img"
  done
}

# bench_build LOG CONTEXT DOCKERFILE TAG [buildah args...] -> wall seconds on stdout. lab_build's flags; it is not
# called itself because it reloads the lab's environment (shared storage and cache mounts).
bench_build() {
  local log=$1 ctx=$2 df=$3 tag=$4 t0
  shift 4
  t0=$(lab_now_ms)
  if ! buildah build --pull=never --layers -v "$LAB_CERTS_MOUNT" --format docker -f "$df" -t "$tag" "$@" "$ctx" 2>&1 |
    stamp_lines >"$log"; then
    tail -n 60 "$log" >&2
    lab_die "build of $tag failed (log above)"
  fi
  lab_since "$t0"
}

cached_steps() { grep -c -- '--> Using cache' "$1" || true; }

# Each log line prefixed with the time it arrived (bash's EPOCHREALTIME: no process per line), for step_times.
stamp_lines() {
  local line
  while IFS= read -r line || [[ -n $line ]]; do printf '%s %s\n' "$EPOCHREALTIME" "$line"; done
}

# step_times LOG: where a build's time went, from the stamped log: each STEP (and COMMIT) of 1 s or more.
step_times() {
  python3 - "$1" <<'EOF'
import re, sys
rows = []
for line in open(sys.argv[1], errors="replace"):
    ts, _, text = line.rstrip("\n").partition(" ")
    try:
        rows.append((float(ts.replace(",", ".")), text))
    except ValueError:
        pass
marks = [(t, x) for t, x in rows if re.search(r"STEP \d+/\d+: |\] COMMIT|^COMMIT", x)]
out = []
for i, (t, x) in enumerate(marks):
    d = (marks[i + 1][0] if i + 1 < len(marks) else rows[-1][0]) - t
    if d < 1.0:
        continue
    stage = re.match(r"(\[\d+/\d+\]) ", x)
    body = re.sub(r"^(\[\d+/\d+\] )?(STEP \d+/\d+: )?", "", x)
    cmd = re.search(r"\bdotnet (restore|publish)\b", body) if body.startswith("RUN") else None
    label = f"RUN dotnet {cmd.group(1)}" if cmd else (body.split(" ")[0] if body.startswith("COMMIT") else body[:28])
    out.append(f"{(stage.group(1) + ' ') if stage else ''}{label} {d:.1f}s")
print(", ".join(out) or "(no step of 1 s or more)")
EOF
}

# ---------------------------------------------------------------------------------------------------
# 1. rebuild after a one-line change vs cold, ours vs naive

write_naive_dockerfile() { # the common hand-written style, for the same project and the same build context
  cat >"$1" <<'EOF'
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet restore "samples/CpuInference/CpuInference.csproj"
RUN dotnet publish "samples/CpuInference/CpuInference.csproj" -c Release -o /app -p:GenerateDockerfile=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app /app
ENTRYPOINT ["dotnet", "CpuInference.dll"]
EOF
}

OURS_TAG=localhost/containersdk-bench/ours:latest
NAIVE_TAG=localhost/containersdk-bench/naive:latest

section_rebuild() {
  local ctx=$WORK/ctx naive_df=$WORK/naive/Dockerfile program i t order which
  local cold_ours cold_naive ours=() naive=() ours_cached=() naive_cached=() paired=() m_ours m_naive
  echo "== 1. rebuild after a one-line C# change vs a cold build ($RUNS rebuilds each; load avg $(loadavg))"
  mkdir -p "$(dirname "$naive_df")"
  write_naive_dockerfile "$naive_df"
  program=$ctx/$SAMPLE/Program.cs

  # Cold: a storage that has never built either Dockerfile, --no-cache, and an empty cache-mount folder.
  [[ ! -e $TMPDIR/buildah-cache/containersdk-nuget ]] || lab_die "cache mount not cold: $TMPDIR/buildah-cache/containersdk-nuget"
  cold_ours=$(bench_build "$LOGS/ours-cold.log" "$ctx" "$ctx/$OURS_DF" "$OURS_TAG" --no-cache)
  echo "   ours  cold: $(secs "$cold_ours") s"
  # Proves where the NuGet cache mount lives (and that the rebuilds below get it warm).
  [[ -d $TMPDIR/buildah-cache/containersdk-nuget ]] || lab_log "warning: no cache mount folder at $TMPDIR/buildah-cache/containersdk-nuget"
  cold_naive=$(bench_build "$LOGS/naive-cold.log" "$ctx" "$naive_df" "$NAIVE_TAG" --no-cache)
  echo "   naive cold: $(secs "$cold_naive") s"

  for i in $(seq "$RUNS"); do
    # A different one-line change each round that changes the compiled IL (a comment alone may not).
    echo "internal static class BenchEdit$i { internal const int Round = $i; }" >>"$program"
    # Alternate the order so drift in the machine's load does not always favour the same side.
    if ((i % 2)); then order="ours naive"; else order="naive ours"; fi
    for which in $order; do
      if [[ $which == ours ]]; then
        t=$(bench_build "$LOGS/ours-rebuild-$i.log" "$ctx" "$ctx/$OURS_DF" "$OURS_TAG")
        ours+=("$(secs "$t")")
        ours_cached+=("$(cached_steps "$LOGS/ours-rebuild-$i.log")")
      else
        t=$(bench_build "$LOGS/naive-rebuild-$i.log" "$ctx" "$naive_df" "$NAIVE_TAG")
        naive+=("$(secs "$t")")
        naive_cached+=("$(cached_steps "$LOGS/naive-rebuild-$i.log")")
      fi
    done
    # Both builds of a round ran back to back: their ratio is less exposed to the machine's load drifting.
    paired+=("$(ratio "${ours[-1]}" "${naive[-1]}")")
    echo "   round $i ($order): ours ${ours[-1]} s (${ours_cached[-1]} steps from cache), naive ${naive[-1]} s (${naive_cached[-1]} steps from cache), ratio ${paired[-1]}"
  done
  # The restore step of ours must have come from the layer cache, or the figure measures something else.
  grep -A1 'dotnet restore' "$LOGS/ours-rebuild-$RUNS.log" | grep -q -- '--> Using cache' ||
    lab_log "warning: our rebuild did not take its restore layer from the cache (see $LOGS/ours-rebuild-$RUNS.log)"
  cp -p "$ROOT/$SAMPLE/Program.cs" "$program" # back to the sample as committed, for section 2

  m_ours=$(median "${ours[@]}")
  m_naive=$(median "${naive[@]}")
  echo "   where the time went (steps >= 1 s):"
  echo "     ours  cold     : $(step_times "$LOGS/ours-cold.log")"
  echo "     ours  rebuild $RUNS: $(step_times "$LOGS/ours-rebuild-$RUNS.log")"
  echo "     naive cold     : $(step_times "$LOGS/naive-cold.log")"
  echo "     naive rebuild $RUNS: $(step_times "$LOGS/naive-rebuild-$RUNS.log")"
  echo "ours : cold $(secs "$cold_ours") s, rebuilds [${ours[*]}] s, median $m_ours s, rebuild/cold $(ratio "$m_ours" "$cold_ours")"
  echo "naive: cold $(secs "$cold_naive") s, rebuilds [${naive[*]}] s, median $m_naive s, rebuild/cold $(ratio "$m_naive" "$cold_naive")"
  echo "rebuild ratio ours/naive: $(ratio "$m_ours" "$m_naive") (ours $m_ours s, naive $m_naive s; medians of $RUNS)"
  echo "   same-round ratios ours/naive [${paired[*]}], median $(python3 -c 'import sys, statistics; print(f"{statistics.median(float(x) for x in sys.argv[1:]):.2f}")' "${paired[@]}")"
  echo "cold ratio ours/naive: $(ratio "$cold_ours" "$cold_naive") (ours $(secs "$cold_ours") s, naive $(secs "$cold_naive") s; one cold build each)"
  echo "   (load avg after: $(loadavg))"
}

# ---------------------------------------------------------------------------------------------------
# 2. image size: ours vs the .NET SDK's PublishContainer

# A private registry for the SDK's base image pull (lab_registry_serve; data in the temp dir): port 5000 if free
# (the lab's own registry may hold it), else any free port (the SDK is told which one is insecure).
REGISTRY=""
bench_registry_start() {
  local port=5000
  if ss -Htln | awk '{print $4}' | grep -qE '[:.]5000$'; then port=$(lab_free_port); fi
  lab_registry_serve "127.0.0.1:$port" "$WORK/registry" "$LOGS/registry.log"
  REGISTRY_PID=$LAB_REGISTRY_PID
  REGISTRY=127.0.0.1:$port
}

# image_stats IMAGE -> "SIZE LAYERS APP_BYTES APP_LAYERS": podman's image size, the layer count, and the
# uncompressed size (containers-storage's diff-size) and count of the layers above the aspnet base.
image_stats() {
  local size layers base
  size=$(podman image inspect --format '{{.Size}}' "$1")
  layers=$(podman image inspect --format '{{json .RootFS.Layers}}' "$1")
  base=$(podman image inspect --format '{{json .RootFS.Layers}}' "$LAB_IMG_ASPNET")
  python3 - "$WORK/storage/overlay-layers/layers.json" "$size" "$layers" "$base" <<'EOF'
import json, sys
sizes = {l.get("diff-digest"): l.get("diff-size") for l in json.load(open(sys.argv[1]))}
size, layers, base = int(sys.argv[2]), json.loads(sys.argv[3]), json.loads(sys.argv[4])
if layers[:len(base)] != base:
    print("warning: image does not start with the base image's layers", file=sys.stderr)
app = [d for d in layers if d not in base]
print(size, len(layers), sum(sizes.get(d) or 0 for d in app), len(app))
EOF
}

# sdk_publish NAME LOG [msbuild args...] -> the loaded image's name on stdout.
sdk_publish() {
  local name=$1 log=$2 proj=$WORK/ctx-sdk/$SAMPLE/CpuInference.csproj tar=$WORK/sdk-$1.tar loaded
  shift 2
  # Private NuGet folder: the ContainerSdk $VERSION just packed (never a stale global copy), nothing shared touched.
  if ! NUGET_PACKAGES=$WORK/nuget DOTNET_CONTAINER_INSECURE_REGISTRIES=$REGISTRY \
    dotnet publish "$proj" -nr:false -c Release -t:PublishContainer -p:EnableSdkContainerSupport=true \
    -p:ContainerBaseImage="$REGISTRY/dotnet/aspnet:10.0-noble-chiseled" -p:ContainerArchiveOutputPath="$tar" \
    -p:ContainerRepository="containersdk-bench/sdk-$name" -p:GenerateDockerfile=false "$@" >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    lab_die "dotnet publish -t:PublishContainer ($name) failed"
  fi
  # ContainerSdk defines properties with the same names (ContainerRepository...): make sure the SDK's target ran.
  if ! grep -q "local archive at '$tar'" "$log" || [[ ! -s $tar ]]; then
    lab_die "the SDK's PublishContainer did not write $tar (see $log)"
  fi
  loaded=$(podman load -i "$tar" 2>>"$log" | sed -nE 's/^Loaded image(\(s\))?: *//p' | head -n 1)
  [[ -n $loaded ]] || lab_die "podman load -i $tar loaded nothing"
  echo "$loaded"
}

# publish_breakdown DIR: what the biggest parts of a publish folder are (runtimes/* and the rest).
publish_breakdown() {
  python3 - "$1" <<'EOF'
import os, sys
root = sys.argv[1]
def du(p):
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(p) for f in fs)
parts = {}
for e in os.listdir(root):
    p = os.path.join(root, e)
    if e == "runtimes":
        for r in os.listdir(p):
            parts["runtimes/" + r] = du(os.path.join(p, r))
    else:
        parts.setdefault("(other files)", 0)
        parts["(other files)"] += du(p) if os.path.isdir(p) else os.path.getsize(p)
print(", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sorted(parts.items(), key=lambda kv: -kv[1]) if v >= 1e5))
EOF
}

section_size() {
  local ctx=$WORK/ctx ours_img sdk_img sdk_rid_img t
  local o_size o_layers o_app o_applayers d_size d_layers d_app d_applayers r_size r_layers r_app r_applayers
  echo "== 2. image size: our Dockerfile vs the .NET SDK's PublishContainer (same project, same stand-in base; load avg $(loadavg))"
  # Ours from the sample as committed (section 1 put Program.cs back; its layers are reused when it ran).
  [[ -d $ctx ]] || make_context "$ctx"
  ours_img=$OURS_TAG
  t=$(bench_build "$LOGS/ours-size.log" "$ctx" "$ctx/$OURS_DF" "$ours_img")
  lab_log "   ours built in $(secs "$t") s"

  bench_registry_start
  lab_log "   local registry on $REGISTRY (pid $REGISTRY_PID, data in $WORK/registry)"
  skopeo copy -q --dest-tls-verify=false "containers-storage:$LAB_IMG_ASPNET" \
    "docker://$REGISTRY/dotnet/aspnet:10.0-noble-chiseled"
  make_context "$WORK/ctx-sdk"
  # (a) The brief's command as a user would type it: no runtime identifier, so a portable publish (every RID's
  #     native ONNX Runtime libraries under runtimes/) in one app layer.
  sdk_img=$(sdk_publish default "$LOGS/sdk-default.log")
  # (b) The same with -r linux-x64 (what our Dockerfile publishes: -a $TARGETARCH). ContainerSdkKeepWindowsNativeLibraries
  #     keeps ORT's Windows DLLs as the SDK alone would (the ContainerSdk package in the project would drop them).
  sdk_rid_img=$(sdk_publish linux-x64 "$LOGS/sdk-linux-x64.log" -r linux-x64 -p:ContainerSdkKeepWindowsNativeLibraries=true)

  read -r o_size o_layers o_app o_applayers < <(image_stats "$ours_img")
  read -r d_size d_layers d_app d_applayers < <(image_stats "$sdk_img")
  read -r r_size r_layers r_app r_applayers < <(image_stats "$sdk_rid_img")
  echo "ours              : $o_size B ($(mb "$o_size")), $o_layers layers; above the base: layers $o_applayers, $(mb "$o_app") (model layer + app layer)"
  echo "SDK (no RID)      : $d_size B ($(mb "$d_size")), $d_layers layers; above the base: layers $d_applayers, $(mb "$d_app")"
  echo "SDK (-r linux-x64): $r_size B ($(mb "$r_size")), $r_layers layers; above the base: layers $r_applayers, $(mb "$r_app")"
  echo "   SDK (no RID) publish folder: $(publish_breakdown "$WORK/ctx-sdk/$SAMPLE/bin/Release/net10.0/publish")"
  echo "   SDK (-r linux-x64) publish folder: $(publish_breakdown "$WORK/ctx-sdk/$SAMPLE/bin/Release/net10.0/linux-x64/publish")"
  echo "image size ratio ours/SDK: $(ratio "$o_size" "$d_size") (ours $(mb "$o_size"), SDK $(mb "$d_size"); podman image size, same base)"
  echo "app layers ratio ours/SDK: $(ratio "$o_app" "$d_app") (ours $(mb "$o_app") in $o_applayers layers, SDK $(mb "$d_app") in $d_applayers)"
  echo "image size ratio ours/SDK -r linux-x64: $(ratio "$o_size" "$r_size") (SDK $(mb "$r_size")); app layers: $(ratio "$o_app" "$r_app") (SDK $(mb "$r_app"))"
}

# ---------------------------------------------------------------------------------------------------
# 3. PLACEHOLDER: end-to-end overhead of `dotnet publish -t:BuildContainerImage`
#
# TODO(issue 4, figure 3): the BuildContainerImage target is being written separately; do not implement it here.
# When it lands, measure in this function (same private storage/TMPDIR as above, so the engine cache is warm):
#   1. t_engine: `bench_build` of the generated Dockerfile, warm (layer cache + NuGet cache mount), after a
#      one-line change, exactly as section 1 does;
#   2. t_e2e: the same change, then `dotnet publish $SAMPLE -t:BuildContainerImage` (with whatever properties
#      select buildah and pass the lab's flags: --pull=never, the CA bind mount, chroot isolation);
#   3. print: `publish overhead over the engine build: X s (e2e Y s - engine Z s; medians of RUNS)`.
# 3. what BuildContainerImage adds around the engine: `dotnet build -t:BuildContainerImage` of the sample (a fully
# cached engine build, so the engine's own part is small and the rest shows) minus the engine's build time that the
# task itself measured (obj/containersdk-image.json: seconds.build); verification (export + scan) is reported apart.
# `dotnet publish -t:BuildContainerImage` also publishes on the host first: measured the same way, once per run.
section_e2e() {
  local proj=$WORK/ctx/samples/CpuInference info log i wall build verify total rows=() walls=() builds=() verifies=() overheads=()
  echo "== 3. end-to-end BuildContainerImage overhead over the engine's own build (warm cache; load avg $(loadavg))"
  info=$proj/obj/containersdk-image.json
  # The copy restores ContainerSdk $VERSION from its artifacts/packages: no stale copy in the NuGet cache.
  rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/containersdk/$VERSION"
  local args=(-nr:false -p:ContainerEngine=buildah -p:ContainerRepository=containersdk-bench/e2e
    '-p:ContainerBuildArguments="--volume='"$LAB_CERTS_MOUNT"';--pull=never"')
  # Warm-up: restore on the host and the image's layers (this build is not counted).
  (cd "$proj" && dotnet build -t:BuildContainerImage "${args[@]}") >"$LOGS/e2e-warmup.log" 2>&1 ||
    { tail -40 "$LOGS/e2e-warmup.log" >&2; lab_die "BuildContainerImage warm-up failed"; }
  for i in $(seq "$RUNS"); do
    log=$LOGS/e2e-$i.log
    local t0
    t0=$(lab_now_ms)
    (cd "$proj" && dotnet build -t:BuildContainerImage "${args[@]}") >"$log" 2>&1 ||
      { tail -40 "$log" >&2; lab_die "BuildContainerImage failed"; }
    wall=$(lab_since "$t0")
    build=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"]["build"])' "$info")
    verify=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"].get("verify", 0))' "$info")
    walls+=("$wall") builds+=("$build") verifies+=("$verify")
    overheads+=("$(python3 -c "print(f'{$wall - $build:.3f}')")")
    echo "   run $i: wall ${wall} s, engine build ${build} s, verification ${verify} s"
  done
  local m_wall m_build m_verify m_over
  m_wall=$(median "${walls[@]}") m_build=$(median "${builds[@]}") m_verify=$(median "${verifies[@]}") m_over=$(median "${overheads[@]}")
  echo "BuildContainerImage overhead (dotnet build -t:, cached image): ${m_over} s = wall ${m_wall} s - engine build ${m_build} s; of it verification ${m_verify} s (medians of $RUNS)"
  t0=$(lab_now_ms)
  (cd "$proj" && dotnet publish -t:BuildContainerImage "${args[@]}") >"$LOGS/e2e-publish.log" 2>&1 ||
    { tail -40 "$LOGS/e2e-publish.log" >&2; lab_die "publish -t:BuildContainerImage failed"; }
  wall=$(lab_since "$t0")
  build=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["seconds"]["build"])' "$info")
  echo "dotnet publish -t:BuildContainerImage (host publish + image): wall ${wall} s, engine build ${build} s, overhead $(python3 -c "print(f'{$wall - $build:.1f}')") s (one run)"
}

# ---------------------------------------------------------------------------------------------------
# main

lab_quiet "$LOGS/lab-setup.log" lab_cmd_setup
bench_engine_env
echo "image-build benchmark: CPU sample ($SAMPLE), buildah $(buildah --version | awk '{print $3}'), .NET SDK $(dotnet --version), $(nproc) cores, load avg $(loadavg)"
t0=$(lab_now_ms)
bench_copy_bases
make_context "$WORK/ctx"
lab_log "   private storage with the stand-in bases and a context copy ready in $(lab_since "$t0") s ($WORK)"

for s in $SECTIONS; do
  case $s in
    rebuild) section_rebuild ;;
    size) section_size ;;
    e2e) section_e2e ;;
    *) lab_die "unknown section '$s' (IMAGE_BENCH_SECTIONS: rebuild size e2e)" ;;
  esac
done
