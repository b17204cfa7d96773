# shellcheck shell=bash
# The one harness of the image and engine test scripts (tests/image/*-tests.sh). A script sources it (it sources
# tests/lab/lab.sh itself) and calls `harness_start ID "SUITE NAME"` before anything else:
#   - the image lock: /var/tmp/containersdk-image.lock is taken (waiting for it) unless this process already holds
#     it (`flock /var/tmp/containersdk-image.lock bash tests/image/X.sh` hands its locked descriptor down), so two
#     suites never share the lab's storage, registry or docker daemon at once;
#   - the lab is set up (`lab_cmd_setup`, idempotent) and its environment loaded;
#   - the result file artifacts/test-logs/ID.results (the folder: CONTAINERSDK_TEST_RESULTS) gets one `PASS name` or `FAIL name` line per check as it
#     happens; `summary` ends it with an `END` line and prints "SUITE NAME: N passed, M failed" (the counts are
#     read back from the file, so a check made in a subshell counts too). tests/run-all.sh totals these files.
#     A script that exits before its summary (set -e, lab_die, a signal) gets a FAIL line and END from the EXIT
#     trap; one killed outright has no END line: run-all counts both as failed.
#   - there is no skip: a check that cannot run fails.
#   - harness_cleanup CMD: run at exit, the last registered first (containers, images, daemons, temp folders).
# Helpers: check/pass/fail, contains/lacks, harness_tar (a tar whose failure fails the check), oci_layers,
# layers_lack/layers_with (tests/image/harness-selftest.sh feeds them corrupt layers),
# json_field, config_field, registry_digest/not_in_registry, harness_dirs, packed_package (the fixed-version
# nupkg in artifacts/packages), pack_package (a unique version), new_project, publish_image.
# shellcheck source=../lab/lab.sh
source "$(cd "$(dirname "${BASH_SOURCE[0]}")/../lab" && pwd)/lab.sh"
ROOT=${ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
HARNESS_LOCK=${CONTAINERSDK_IMAGE_LOCK:-/var/tmp/containersdk-image.lock}
HARNESS_CLEANUPS=()
HARNESS_DONE=0

# harness_start ID SUITE_NAME: lock, result file, EXIT trap, lab.
harness_start() {
  HARNESS_ID=$1
  SUITE=$2
  HARNESS_RESULTS_DIR=${CONTAINERSDK_TEST_RESULTS:-$ROOT/artifacts/test-logs}
  HARNESS_RESULTS=$HARNESS_RESULTS_DIR/$HARNESS_ID.results
  harness_lock
  mkdir -p "$HARNESS_RESULTS_DIR"
  : >"$HARNESS_RESULTS"
  trap harness_exit EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
  lab_cmd_setup >&2
  lab_load_env
}

# harness_lock: the image lock for this script's lifetime. Daemons it starts (lab_daemon) do not inherit it, but
# other children do (the compiler server a `dotnet build` leaves running keeps every descriptor it was given), so
# harness_exit releases the lock explicitly: flock -u on any descriptor of the locked file description frees it for
# all the processes that share it.
harness_lock() {
  local fd
  for fd in /proc/$$/fd/*; do
    if [[ $(readlink "$fd" 2>/dev/null) == "$HARNESS_LOCK" ]]; then
      HARNESS_LOCK_FD=${fd##*/}
      return 0
    fi
  done
  exec {HARNESS_LOCK_FD}>>"$HARNESS_LOCK"
  if ! flock -n "$HARNESS_LOCK_FD"; then
    echo "== waiting for $HARNESS_LOCK (another image suite runs)" >&2
    # Bounded: a lock that is never released fails this suite (no result file: run-all counts it failed) instead of
    # hanging CI until its own limit.
    if ! flock -w "${CONTAINERSDK_IMAGE_LOCK_WAIT:-1800}" "$HARNESS_LOCK_FD"; then
      echo "harness: $HARNESS_LOCK still held after ${CONTAINERSDK_IMAGE_LOCK_WAIT:-1800} s by: $(lsof -t "$HARNESS_LOCK" 2>/dev/null | tr '\n' ' ')" >&2
      exit 1
    fi
  fi
}

harness_cleanup() { HARNESS_CLEANUPS+=("$1"); } # harness_cleanup 'CMD ...' (evaluated at exit)

harness_exit() {
  local rc=$? harness_i
  set +e
  trap - INT TERM
  # Each in a subshell: a cleanup's own variables (or an exit in it) cannot stop the ones after it.
  for ((harness_i = ${#HARNESS_CLEANUPS[@]} - 1; harness_i >= 0; harness_i--)); do
    (eval "${HARNESS_CLEANUPS[harness_i]}")
  done
  if ((HARNESS_DONE == 0)); then
    ((rc != 0)) || rc=1
    fail "$SUITE: the script exited before its summary (exit $rc)"
    summary
  fi
  [[ -z ${HARNESS_LOCK_FD:-} ]] || flock -u "$HARNESS_LOCK_FD"
  exit "$rc"
}

pass() { echo "PASS $1" >>"$HARNESS_RESULTS"; echo "PASS $1"; }
fail() { echo "FAIL $1" >>"$HARNESS_RESULTS"; echo "FAIL $1" >&2; }
check() { # check NAME CMD...: one named assertion
  local name=$1
  shift
  if "$@"; then pass "$name"; else fail "$name"; fi
}

# summary: the failures, then "SUITE: N passed, M failed"; true only when nothing failed and something passed.
summary() {
  local passed failed
  HARNESS_DONE=1
  passed=$(grep -c '^PASS ' "$HARNESS_RESULTS" || true)
  failed=$(grep -c '^FAIL ' "$HARNESS_RESULTS" || true)
  echo END >>"$HARNESS_RESULTS"
  echo
  grep '^FAIL ' "$HARNESS_RESULTS" | sed 's/^FAIL /failed: /' >&2 || true
  echo "$SUITE: $passed passed, $failed failed"
  ((failed == 0 && passed > 0))
}

contains() { grep -qF -- "$2" "$1"; }
lacks() { ! grep -qF -- "$2" "$1"; }

# harness_tar ARGS...: tar, whose error is the caller's error (printed, exit status kept), never "nothing found".
harness_tar() {
  local err rc=0
  err=$(mktemp "$LAB_DIR/tmp/tar-err.XXXXXX")
  tar "$@" 2>"$err" || rc=$?
  if ((rc != 0)); then
    echo "tar $* failed (exit $rc): $(head -c 600 "$err")" >&2
  fi
  rm -f "$err"
  return "$rc"
}

# oci_layers IMAGE DIR: export IMAGE (containers-storage) as an OCI layout into DIR and print its layer blobs in
# order; fails if the export fails or the image has no layer.
oci_layers() {
  local img=$1 oci=$2 mf layers
  skopeo copy -q "containers-storage:$img" "oci:$oci:x" || { echo "skopeo could not export $img" >&2; return 1; }
  mf=$(python3 -c "import json,sys;print(json.load(open(sys.argv[1]))['manifests'][0]['digest'][7:])" "$oci/index.json") || return 1
  layers=$(python3 -c "import json,sys;[print(l['digest'][7:]) for l in json.load(open(sys.argv[1]))['layers']]" "$oci/blobs/sha256/$mf") || return 1
  [[ -n $layers ]] || { echo "$img has no layers" >&2; return 1; }
  sed "s:^:$oci/blobs/sha256/:" <<<"$layers"
}

# layers_lack NEEDLE BLOB...: no layer's file contents hold NEEDLE. A layer tar cannot extract fails: an unreadable
# layer is not a layer without the secret.
layers_lack() {
  local needle=$1 blob out
  shift
  out=$(mktemp "$LAB_DIR/tmp/layer.XXXXXX")
  for blob in "$@"; do
    harness_tar -xOf "$blob" >"$out" || { rm -f "$out"; return 1; }
    if grep -aqF -- "$needle" "$out"; then
      echo "found '$needle' in layer $(basename "$blob" | cut -c1-12)" >&2
      rm -f "$out"
      return 1
    fi
  done
  rm -f "$out"
}

# layers_with PATH BLOB...: prints how many layers carry PATH (e.g. app/models/model.onnx); fails if a layer tar
# cannot be listed.
layers_with() {
  local path=$1 blob out n=0
  shift
  out=$(mktemp "$LAB_DIR/tmp/layer.XXXXXX")
  for blob in "$@"; do
    harness_tar -tf "$blob" >"$out" || { rm -f "$out"; return 1; }
    if sed 's:^\./::' "$out" | grep -qxF -- "$path"; then n=$((n + 1)); fi
  done
  rm -f "$out"
  echo "$n"
}

json_field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))$2)" "$1"; }
config_field() { # config_field IMAGE PYTHON_EXPR_ON_config
  skopeo inspect --config "containers-storage:$1" | python3 -c "import json,sys; c=json.load(sys.stdin)['config']; print($2)"
}

registry_digest() { # registry_digest REPO TAG: the manifest digest the registry serves
  skopeo inspect --tls-verify=false --format '{{.Digest}}' "docker://$LAB_REGISTRY/$1:$2" 2>/dev/null
}
not_in_registry() { # not_in_registry REPO TAG: the registry answers, and answers 404 for this manifest
  local code
  code=$(lab_curl -o /dev/null -w '%{http_code}' --max-time 5 -I "http://$LAB_REGISTRY/v2/$1/manifests/$2") || return 1
  [[ $code == 404 ]] || { echo "registry: $1:$2 -> HTTP $code" >&2; return 1; }
}

# harness_dirs NAME: WORK (a temp folder, removed at exit) and LOGS ($LAB_DIR/logs/NAME, kept after the run).
harness_dirs() {
  WORK=$(mktemp -d "$LAB_DIR/tmp/$1.XXXXXX")
  LOGS=$LAB_DIR/logs/$1
  rm -rf "$LOGS" && mkdir -p "$LOGS"
  harness_cleanup 'rm -rf "$WORK"'
}

# packed_package: the fixed-version nupkg tests/run-all.sh packed into artifacts/packages (sets VERSION, NUPKG).
# The image builds' NuGet cache mount keeps the first ContainerSdk $VERSION it restored: dropped, so they restore it.
packed_package() {
  VERSION=$(sed -n 's:.*<ContainerSdkVersion>\(.*\)</ContainerSdkVersion>.*:\1:p' "$ROOT/Directory.Build.props")
  NUPKG=$ROOT/artifacts/packages/ContainerSdk.$VERSION.nupkg
  rm -rf "$TMPDIR/buildah-cache/containersdk-nuget/containersdk"
  [[ -f $NUPKG ]] || lab_die "pack first: $NUPKG is missing"
}

# pack_package WORK: a unique package version, so no NuGet cache (the host's or the image build's cache mount) can
# hold a stale copy. Sets VERSION and RUN_ID; the nupkg lands in WORK/feed.
pack_package() {
  RUN_ID=$(date +%s)-$$
  VERSION=0.1.0-e2e.$RUN_ID
  echo "== packing ContainerSdk $VERSION"
  dotnet pack "$ROOT/src/ContainerSdk.Package/ContainerSdk.Package.csproj" -c Release -nr:false -o "$1/feed" \
    "-p:Version=$VERSION" >"$1/pack.log" 2>&1 || { tail -30 "$1/pack.log" >&2; exit 1; }
}

# new_project DIR PROPERTIES_XML [PROGRAM_CS]: a minimal ASP.NET service in its own build context (a git repository),
# with the package feed (pack_package) inside the context so the image's restore finds it. PROPERTIES_XML goes into
# the project's PropertyGroup (it may also close it and open an ItemGroup).
new_project() {
  local dir=$1 props=$2 program=${3:-}
  mkdir -p "$dir/packages"
  cp "$WORK/feed/ContainerSdk.$VERSION.nupkg" "$dir/packages/"
  cat >"$dir/NuGet.config" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="packages" />
  </packageSources>
</configuration>
XML
  cat >"$dir/$(basename "$dir").csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <ImplicitUsings>enable</ImplicitUsings>
    <InvariantGlobalization>true</InvariantGlobalization>
$props
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ContainerSdk" Version="$VERSION" PrivateAssets="all" />
  </ItemGroup>
</Project>
XML
  if [[ -z $program ]]; then
    program='var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/", () => "hello from a ContainerSdk image");
app.MapGet("/healthz", () => "ok");
app.Run();'
  fi
  printf '%s\n' "$program" >"$dir/Program.cs"
  git -C "$dir" init -q && git -C "$dir" add -A && git -C "$dir" -c user.email=t@example.com -c user.name=t commit -qm init
}

publish_image() { # publish_image DIR LOG [msbuild args...]: dotnet publish -t:BuildContainerImage; its exit code
  local dir=$1 log=$2
  shift 2
  (cd "$dir" && dotnet publish -t:BuildContainerImage -nr:false -v:n "$@") >"$log" 2>&1
}
