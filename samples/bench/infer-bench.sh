#!/usr/bin/env bash
# The inference benchmark, all in one run: per model (Relu: 12 weights, almost pure protocol cost; an MLP
# 256->512->16; a conv net 3x32x32->10) and batch size (1, 64), requests/s and p50/p99 over JSON, the binary tensor
# data extension and gRPC, next to ONNX Runtime's in-process Run on the same inputs and the floor (a bare Kestrel
# endpoint and a bare gRPC method that return the bytes they receive), with the issue's ratios. Then the soak: four
# clients for --soak-seconds mixing the three protocols with one request in ten hostile, then SIGTERM under load.
# Not run in CI (tests/ContainerSdk.Samples.Tests has a short soak). Bounded: every phase stops after --requests
# requests or --seconds seconds.
#
#   bash samples/bench/infer-bench.sh [--app path/to/App.dll] [--device cpu|cuda] [--requests 2000] [--seconds 5]
#                                     [--tolerance 1e-5] [--models relu,mlp,conv] [--soak-seconds 120 | 0 = none]
#
# --app defaults to a Release build of samples/CpuInference (which restores ContainerSdk from artifacts/packages:
# run `dotnet pack ContainerSdk.sln -c Release -o artifacts/packages` first).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
APP="" DEVICE=cpu BENCH_ARGS=() MODELS=relu,mlp,conv SOAK=120
while (($#)); do
  case $1 in
    --app) APP=$(realpath "$2"); shift 2 ;;
    --device) DEVICE=$2; shift 2 ;;
    --models) MODELS=$2; shift 2 ;;
    --soak-seconds) SOAK=$2; shift 2 ;;
    --requests | --seconds | --batches | --tolerance) BENCH_ARGS+=("$1" "$2"); shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/infer-bench.XXXXXX")
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_http() { # wait_http URL PID LOG
  for _ in $(seq 300); do
    curl --noproxy '*' -fsS "$1/v2/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$2" 2>/dev/null || { cat "$3" >&2; return 1; }
    sleep 0.1
  done
  echo "$1 did not answer within 30 s" >&2; cat "$3" >&2; return 1
}

echo "== building the benchmark client${APP:+ (app: $APP)}"
dotnet build "$ROOT/samples/bench/InferBench.csproj" -c Release -nr:false -o "$WORK/bench" 2>&1 | grep -E " error |Build succeeded" || true
if [[ -z $APP ]]; then
  ls "$ROOT"/artifacts/packages/ContainerSdk.*.nupkg >/dev/null 2>&1 ||
    { echo "no ContainerSdk package in artifacts/packages: run 'dotnet pack ContainerSdk.sln -c Release -o artifacts/packages' first, or pass --app" >&2; exit 1; }
  dotnet build "$ROOT/samples/CpuInference/CpuInference.csproj" -c Release -nr:false -o "$WORK/app" 2>&1 | grep -E " error |Build succeeded" || true
  APP=$WORK/app/CpuInference.dll
fi
BENCH="$WORK/bench/InferBench.dll"
dotnet "$BENCH" write-models "$WORK/models" >/dev/null

# The floor, in its own process like the service.
FLOOR_HTTP=$(free_port) FLOOR_GRPC=$(free_port)
dotnet "$BENCH" floor --http-port "$FLOOR_HTTP" --grpc-port "$FLOOR_GRPC" >"$WORK/floor.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$FLOOR_HTTP" "${PIDS[-1]}" "$WORK/floor.log"

for model in ${MODELS//,/ }; do
  echo
  GRPC=$(free_port)
  # Port 0: Kestrel picks the REST port and logs it. Request logging off, as in production.
  dotnet "$APP" --urls http://127.0.0.1:0 "--Grpc:Port=$GRPC" "--Model:Path=$WORK/models/$model.onnx" "--Model:Name=$model" \
    "--Model:Device=$DEVICE" --Logging:LogLevel:Default=Warning --Logging:LogLevel:Microsoft.Hosting.Lifetime=Information \
    >"$WORK/$model.log" 2>&1 &
  APP_PID=$!
  PIDS+=("$APP_PID")
  url=""
  for _ in $(seq 300); do
    url=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$WORK/$model.log" | head -1 | sed 's/Now listening on: //') || true
    [[ -n $url ]] && break
    kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/$model.log" >&2; exit 1; }
    sleep 0.1
  done
  [[ -n $url ]] || { echo "the service did not start within 30 s" >&2; cat "$WORK/$model.log" >&2; exit 1; }
  echo "service: Model:Device=$DEVICE -> $(curl --noproxy '*' -sS "$url/v2/models/$model" | grep -o '"provider":"[^"]*"' || echo 'provider unknown')"
  dotnet "$BENCH" run --url "$url" --grpc-url "http://127.0.0.1:$GRPC" --floor-url "http://127.0.0.1:$FLOOR_HTTP" \
    --floor-grpc-url "http://127.0.0.1:$FLOOR_GRPC" --model-file "$WORK/models/$model.onnx" --model-name "$model" "${BENCH_ARGS[@]}"
  kill "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
done

if ((SOAK > 0)); then
  echo
  dotnet "$BENCH" soak --app "$APP" --model-file "$WORK/models/mlp.onnx" --model-name mlp --seconds "$SOAK" --clients 4 --device "$DEVICE"
fi
