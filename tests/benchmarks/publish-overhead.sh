#!/usr/bin/env bash
# Benchmark: what ContainerSdk adds to `dotnet publish`, as ratios against a baseline measured in the same run.
#  1. `dotnet publish --no-restore` of the CPU sample with ContainerSdk vs the same project without it
#     (alternating runs, RUNS each, median wall time).
#  2. The no-op cost of GenerateDockerfile: its task time (MSBuild performance summary) on runs where nothing
#     changed, next to the whole no-op publish.
# Usage: bash tests/benchmarks/publish-overhead.sh [RUNS]   (needs artifacts/packages from `dotnet pack`)
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-5}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
VERSION=$(sed -n 's:.*<ContainerSdkVersion>\(.*\)</ContainerSdkVersion>.*:\1:p' "$ROOT/Directory.Build.props")
[[ -f $ROOT/artifacts/packages/ContainerSdk.$VERSION.nupkg ]] || { echo "run: dotnet pack ContainerSdk.sln -c Release -o artifacts/packages" >&2; exit 1; }
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/containersdk/$VERSION"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
# Two copies of samples/ (the CPU sample needs its Directory.* files, NuGet.config and the shared sources).
for variant in with without; do
  mkdir -p "$WORK/$variant"
  cp -r "$ROOT/samples" "$WORK/$variant/samples"
  mkdir -p "$WORK/$variant/artifacts" && cp -r "$ROOT/artifacts/packages" "$WORK/$variant/artifacts/packages"
  rm -rf "$WORK/$variant"/samples/*/bin "$WORK/$variant"/samples/*/obj "$WORK/$variant"/samples/*/Dockerfile*
done
sed -i '/<Sdk Name="ContainerSdk"/d' "$WORK/without/samples/CpuInference/CpuInference.csproj"
grep -q 'Sdk Name="ContainerSdk"' "$WORK/with/samples/CpuInference/CpuInference.csproj"

ms() { echo $(($(date +%s%N) / 1000000)); }
publish() { # publish VARIANT -> prints wall ms
  local t0
  t0=$(ms)
  (cd "$WORK/$1/samples/CpuInference" && dotnet publish --no-restore -nr:false >"$WORK/$1.log" 2>&1) || { cat "$WORK/$1.log" >&2; exit 1; }
  echo $(($(ms) - t0))
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }

for variant in with without; do
  (cd "$WORK/$variant/samples/CpuInference" && dotnet restore -nr:false >/dev/null && dotnet publish --no-restore -nr:false >/dev/null)
done
test -f "$WORK/with/samples/CpuInference/Dockerfile"
test ! -f "$WORK/without/samples/CpuInference/Dockerfile"

with=() without=()
for i in $(seq "$RUNS"); do
  # A source change each round, so both variants really compile and publish (not only no-op).
  for variant in with without; do echo "// round $i" >>"$WORK/$variant/samples/Shared/ModelHost.cs"; done
  with+=("$(publish with)")
  without+=("$(publish without)")
done
mw=$(printf '%s\n' "${with[@]}" | median)
mo=$(printf '%s\n' "${without[@]}" | median)
echo "publish after a code change, $RUNS runs each (ms): with ContainerSdk [${with[*]}] without [${without[*]}]"
echo "median: with $mw ms, without $mo ms, ratio with/without = $(python3 -c "print(f'{$mw/$mo:.3f}')")"

# No-op: nothing changed since the last publish; the Dockerfile is already up to date.
task_ms=() noop_ms=()
for i in $(seq "$RUNS"); do
  t0=$(ms)
  (cd "$WORK/with/samples/CpuInference" && dotnet publish --no-restore -nr:false -clp:PerformanceSummary >"$WORK/perf.log" 2>&1)
  noop_ms+=("$(($(ms) - t0))")
  task_ms+=("$(awk '/Task Performance Summary/{f=1} f && /GenerateDockerfile/ {print int($1); exit}' "$WORK/perf.log")")
done
grep -q "Dockerfile unchanged" "$WORK/perf.log"
mt=$(printf '%s\n' "${task_ms[@]}" | median)
mn=$(printf '%s\n' "${noop_ms[@]}" | median)
echo "no-op publish: GenerateDockerfile task [${task_ms[*]}] ms of whole publish [${noop_ms[*]}] ms"
echo "median: GenerateDockerfile $mt ms = $(python3 -c "print(f'{$mt/$mn:.3f}')") of a $mn ms no-op publish"
