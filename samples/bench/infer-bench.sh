#!/usr/bin/env bash
# /infer benchmark: requests/s and p50/p99 latency of POST /v2/models/{name}/infer at batch 1 and 64 on loopback,
# next to ONNX Runtime's own in-process Run time for the same model and inputs, and the protocol's overhead as a
# ratio. Two models: the samples' Relu (12 weights: almost pure protocol cost) and an MLP (256->512->16).
# Not run in CI. Bounded: each phase stops after --requests requests or --seconds seconds.
#
#   bash samples/bench/infer-bench.sh [--app path/to/App.dll] [--device cpu|cuda] [--requests 2000] [--seconds 10]
#                                     [--concurrency 4] [--tolerance 1e-5]
#
# --app defaults to a Release build of samples/CpuInference (which restores ContainerSdk from artifacts/packages:
# run `dotnet pack ContainerSdk.sln -c Release -o artifacts/packages` first).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
APP="" DEVICE=cpu BENCH_ARGS=()
while (($#)); do
  case $1 in
    --app) APP=$(realpath "$2"); shift 2 ;;
    --device) DEVICE=$2; shift 2 ;;
    --requests | --seconds | --concurrency | --batches | --tolerance) BENCH_ARGS+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/infer-bench.XXXXXX")
APP_PID=""
cleanup() {
  [[ -n $APP_PID ]] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== building the benchmark client${APP:+ (app: $APP)}"
dotnet build "$ROOT/samples/bench/InferBench.csproj" -c Release -nr:false -o "$WORK/bench" 2>&1 | grep -E "error|Build succeeded" || true
if [[ -z $APP ]]; then
  ls "$ROOT"/artifacts/packages/ContainerSdk.*.nupkg >/dev/null 2>&1 ||
    { echo "no ContainerSdk package in artifacts/packages: run 'dotnet pack ContainerSdk.sln -c Release -o artifacts/packages' first, or pass --app" >&2; exit 1; }
  dotnet build "$ROOT/samples/CpuInference/CpuInference.csproj" -c Release -nr:false -o "$WORK/app" 2>&1 | grep -E "error|Build succeeded" || true
  APP=$WORK/app/CpuInference.dll
fi
dotnet "$WORK/bench/InferBench.dll" write-models "$WORK/models" >/dev/null

for model in relu mlp; do
  echo
  # Port 0: Kestrel picks a free port and logs it. Request logging off, as in production.
  dotnet "$APP" --urls http://127.0.0.1:0 "--Model:Path=$WORK/models/$model.onnx" "--Model:Name=$model" \
    "--Model:Device=$DEVICE" --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
    >"$WORK/$model.log" 2>&1 &
  APP_PID=$!
  url=""
  for _ in $(seq 300); do
    url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$WORK/$model.log" | head -1 | sed 's/Now listening on: //') || true
    [[ -n $url ]] && break
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/$model.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $url ]] || { echo "the service did not start within 30 s" >&2; cat "$WORK/$model.log" >&2; exit 1; }
  echo "service: Model:Device=$DEVICE -> $(curl --noproxy '*' -sS "$url/v2/models/$model" | grep -o '"provider":"[^"]*"' || echo 'provider unknown')"
  dotnet "$WORK/bench/InferBench.dll" run --url "$url" --model-file "$WORK/models/$model.onnx" --model-name "$model" "${BENCH_ARGS[@]}"
  kill "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
done
