#!/usr/bin/env bash
# The GPU sample's CUDA path on a machine with an NVIDIA GPU, without Docker and without a .NET SDK: runs a
# framework-dependent linux-x64 publish of samples/GpuInference and the prebuilt benchmark client on the CUDA
# libraries found on the machine (system CUDA 13 + cuDNN 9, or the nvidia-* Python wheels), and checks:
#   1. every library libonnxruntime_providers_cuda.so needs resolves (ldd);
#   2. Model:Device=cuda really runs on CUDAExecutionProvider (ready/metadata endpoints, nvidia-smi sees the process,
#      /infer answers the samples' known numbers);
#   3. /infer benchmark at batch 1 and 64 on CUDA and, same run, on the CPU (answers checked against ORT in-process);
#   4. the fallback: no visible GPU, and no cuBLAS on the library path, both serve on CPUExecutionProvider with a
#      logged warning instead of crashing. (Not cuDNN: ORT 1.31's CUDA provider does not link it and loads it only
#      for the operators that need it, so a MatMul model runs on CUDA without it; seen on an H100.)
# Prepare here (the machine with the SDK):
#   dotnet publish samples/GpuInference -c Release -r linux-x64 --self-contained false -o DIR/app -p:GenerateDockerfile=false
#   dotnet build samples/bench/InferBench.csproj -c Release -o DIR/bench
# Run there:  bash samples/bench/gpu-check.sh DIR/app DIR/bench [REPORT_DIR]   (dotnet 10 runtime on PATH)
# Exit code: number of failed checks.
set -uo pipefail
APP_DIR=$(realpath "$1") BENCH_DIR=$(realpath "$2") REPORT=${3:-.}
mkdir -p "$REPORT"
WORK=$(mktemp -d) FAILED=0 APP_PID=""
trap '[[ -n $APP_PID ]] && kill $APP_PID 2>/dev/null; rm -rf "$WORK"' EXIT
check() { if eval "$2"; then echo "PASS $1"; else echo "FAIL $1"; FAILED=$((FAILED + 1)); fi; }
http() { python3 -c 'import sys,urllib.request as u
r=u.Request(sys.argv[1], data=(sys.argv[2].encode() if len(sys.argv)>2 else None), headers={"Content-Type":"application/json"})
try: print(u.urlopen(r, timeout=30).read().decode())
except Exception as e: print("HTTPERROR", e)' "$@"; }

echo "== machine"
nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader
dotnet --list-runtimes

echo "== CUDA libraries"
# The wheels' lib folders (nvidia/cudnn/lib, nvidia/cublas/lib, ...) when there is no system CUDA runtime.
LIBS=$(python3 - <<'PY' 2>/dev/null
import glob, os, site
dirs = set()
for root in site.getsitepackages() + [site.getusersitepackages()]:
    for so in glob.glob(os.path.join(root, "nvidia", "**", "lib*.so*"), recursive=True):
        dirs.add(os.path.dirname(so))
print(":".join(sorted(dirs)))
PY
)
export LD_LIBRARY_PATH=${LIBS}${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
ldd "$APP_DIR/libonnxruntime_providers_cuda.so" | tee "$REPORT/ldd.txt" | grep -E 'cuda|cublas|cudnn|cufft|curand|not found'
check "every library of the CUDA provider resolves" "! grep -q 'not found' '$REPORT/ldd.txt'"

dotnet "$BENCH_DIR/InferBench.dll" write-models "$WORK/models" >/dev/null

# start_app NAME MODEL DEVICE [env...]: starts the service on a free port, sets URL, waits until ready.
start_app() {
  local name=$1 model=$2 device=$3
  shift 3
  env "$@" dotnet "$APP_DIR/GpuInference.dll" --urls http://127.0.0.1:0 "--Model:Path=$WORK/models/$model.onnx" \
    "--Model:Name=$model" "--Model:Device=$device" >"$REPORT/$name.log" 2>&1 &
  APP_PID=$!
  URL=""
  for _ in $(seq 600); do
    URL=$(grep -o 'Now listening on: http://127.0.0.1:[0-9]*' "$REPORT/$name.log" | head -1 | sed 's/Now listening on: //')
    [[ -n $URL ]] && break
    kill -0 $APP_PID 2>/dev/null || break
    sleep 0.1
  done
  [[ -n $URL ]] && for _ in $(seq 300); do http "$URL/v2/health/ready" | grep -q HTTPERROR || return 0; sleep 0.1; done
  echo "service $name did not become ready"; cat "$REPORT/$name.log"; return 1
}
stop_app() { kill $APP_PID 2>/dev/null; wait $APP_PID 2>/dev/null; APP_PID=""; }

echo "== CUDA: the samples' model"
if start_app cuda-relu relu cuda; then
  ready=$(http "$URL/v2/health/ready"); meta=$(http "$URL/v2/models/relu")
  echo "ready: $ready"; echo "metadata: $meta"
  check "ready reports CUDAExecutionProvider" "grep -q CUDAExecutionProvider <<<'$ready'"
  check "metadata reports CUDAExecutionProvider" "grep -q CUDAExecutionProvider <<<'$meta'"
  out=$(http "$URL/v2/models/relu/infer" '{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,-1,0,1,0]}]}')
  echo "infer: $out"
  check "/infer on CUDA returns [2.5,5,0,0,2,1]" "grep -q '\"data\":\[2.5,5,0,0,2,1\]' <<<'$out'"
  apps=$(nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader)
  echo "nvidia-smi compute apps: $apps"
  check "nvidia-smi shows the service on the GPU" "grep -q '^$APP_PID,' <<<'$apps'"
  check "log names the CUDA provider" "grep -q 'Using CUDAExecutionProvider on CUDA device 0' '$REPORT/cuda-relu.log'"
  stop_app
else
  FAILED=$((FAILED + 1))
fi

for device in cuda cpu; do
  echo "== /infer benchmark, MLP 256->512->16, Model:Device=$device"
  if start_app "bench-$device" mlp $device; then
    echo "provider: $(http "$URL/v2/models/mlp" | grep -o '"provider":"[^"]*"')"
    # TF32 MatMul on the GPU differs from the CPU by ~1e-3 relative; the CPU answer must match to 1e-5.
    tol=1e-5; [[ $device == cuda ]] && tol=1e-2
    dotnet "$BENCH_DIR/InferBench.dll" run --url "$URL" --model-file "$WORK/models/mlp.onnx" --model-name mlp \
      --requests 3000 --seconds 8 --concurrency 8 --tolerance $tol | tee "$REPORT/bench-$device.txt"
    rc=${PIPESTATUS[0]}
    check "benchmark on $device answered correctly" "[[ $rc == 0 ]] && grep -q '^ *64 |' '$REPORT/bench-$device.txt'"
    stop_app
  else
    FAILED=$((FAILED + 1))
  fi
done

echo "== fallback: no visible GPU"
if start_app no-gpu relu cuda CUDA_VISIBLE_DEVICES=; then
  ready=$(http "$URL/v2/health/ready"); echo "ready: $ready"
  check "no GPU: serves on CPUExecutionProvider" "grep -q CPUExecutionProvider <<<'$ready'"
  check "no GPU: warning logged" "grep -q 'falling back to CPUExecutionProvider' '$REPORT/no-gpu.log'"
  stop_app
else
  FAILED=$((FAILED + 1))
fi

echo "== fallback: cuBLAS missing from the library path (a CUDA library the provider needs at load time)"
NO_CUBLAS=$(tr ':' '\n' <<<"$LD_LIBRARY_PATH" | while read -r d; do [[ -e $d/libcublas.so.13 ]] || echo "$d"; done | paste -sd:)
if LD_LIBRARY_PATH=$NO_CUBLAS ldd "$APP_DIR/libonnxruntime_providers_cuda.so" | grep -q 'libcublas.so.13 => /'; then
  echo "SKIP cuBLAS is also on the system library path here; this fallback cannot be staged"
elif start_app no-cublas relu cuda LD_LIBRARY_PATH="$NO_CUBLAS"; then
  ready=$(http "$URL/v2/health/ready"); echo "ready: $ready"
  grep -m1 'falling back' "$REPORT/no-cublas.log"
  check "no cuBLAS: serves on CPUExecutionProvider" "grep -q CPUExecutionProvider <<<'$ready'"
  stop_app
else
  FAILED=$((FAILED + 1))
fi

echo "gpu-check: $FAILED failed"
exit $FAILED
