#!/usr/bin/env bash
# Builds the samples' generated Dockerfiles for real (buildah, stand-in base images tagged with the names the
# Dockerfiles use) and runs them with podman: HTTP answers, numbers are right, the process is not root, the app
# files are read-only for it, labels are set, and a planted secret never reaches a layer.
# Needs: `dotnet pack ContainerSdk.sln -c Release -o artifacts/packages` done (tests/run-all.sh does it).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/tests/image/harness.sh"
harness_start image-tests "image tests"

packed_package
# The samples consume the fixed version: drop any stale copy so they restore the package just packed.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/containersdk/$VERSION"
REVISION=$(git -C "$ROOT" rev-parse HEAD 2>/dev/null || echo unknown)
EPOCH=$(git -C "$ROOT" log -1 --format=%ct 2>/dev/null || echo 0)
CREATED=$(date -u -d "@$EPOCH" +%Y-%m-%dT%H:%M:%SZ)

publish_sample() { # publish_sample NAME: dotnet publish writes samples/NAME/Dockerfile
  (cd "$ROOT/samples/$1" && MSBUILDDISABLENODEREUSE=1 dotnet publish -nr:false >"$LAB_DIR/logs/publish-$1.log" 2>&1) || {
    tail -40 "$LAB_DIR/logs/publish-$1.log" >&2
    return 1
  }
}

build_sample() { # build_sample NAME TAG [extra buildah args]
  local name=$1 tag=$2
  shift 2
  lab_build "$ROOT" "$ROOT/samples/$name/Dockerfile" "$tag" "$@" \
    --build-arg "SOURCE_REVISION=$REVISION" --build-arg "SOURCE_DATE_EPOCH=$EPOCH" --build-arg "IMAGE_CREATED=$CREATED" \
    >"$LAB_DIR/logs/build-$name.log" 2>&1 || {
    tail -60 "$LAB_DIR/logs/build-$name.log" >&2
    return 1
  }
}

# infer IMAGE EXPECTED: POST a KServe v2 request and compare the output data.
infer_check() (
  local img=$1 expected=$2 port name body
  port=$(lab_free_port)
  name=containersdk-infer-$$-$RANDOM
  trap 'podman rm -f -t 2 "$name" >/dev/null 2>&1 || true' EXIT
  mapfile -t rargs < <(lab_podman_run_args)
  podman "${rargs[@]}" -d --name "$name" -p "127.0.0.1:$port:8080" "$img" >/dev/null
  for _ in $(seq 150); do
    lab_curl -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.2
  done
  body=$(lab_curl --max-time 10 -H 'Content-Type: application/json' \
    -d '{"inputs":[{"name":"X","shape":[2,4],"datatype":"FP32","data":[1,2,3,4,-1,0,1,0]}]}' \
    "http://127.0.0.1:$port/v2/models/relu/infer")
  echo "POST /v2/models/relu/infer -> $body"
  python3 -c "import json,sys; d=json.loads(sys.argv[1])['outputs'][0]['data']; sys.exit(0 if d==json.loads(sys.argv[2]) else 1)" "$body" "$expected"
)

# predict_check IMAGE: BindingInference's POST /predict through the generated binding, against ONNX Runtime's answer
# for the same rows (tests/ContainerSdk.Samples.Tests pins these numbers on the host), and its shape check's 400.
predict_check() (
  local img=$1 port name body code
  port=$(lab_free_port)
  name=containersdk-predict-$$-$RANDOM
  trap 'podman rm -f -t 2 "$name" >/dev/null 2>&1 || true' EXIT
  mapfile -t rargs < <(lab_podman_run_args)
  podman "${rargs[@]}" -d --name "$name" -p "127.0.0.1:$port:8080" "$img" >/dev/null
  for _ in $(seq 150); do
    lab_curl -o /dev/null --max-time 1 "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.2
  done
  body=$(lab_curl --max-time 10 -H 'Content-Type: application/json' \
    -d '{"features":[[1,2,3,4,5,6,7,8],[0,0,0,0,0,0,0,0]]}' "http://127.0.0.1:$port/predict")
  echo "POST /predict -> $body"
  python3 -c "
import json, sys
d = json.loads(sys.argv[1])
want = [[1.254642, 0.8808626, 1.1789932], [0.019420207, 0.056692757, -0.03954281]]
ok = d['provider'] == 'CPUExecutionProvider' and len(d['scores']) == 2 and all(
    abs(a - b) <= 1e-5 for row, wrow in zip(d['scores'], want) for a, b in zip(row, wrow))
sys.exit(0 if ok else 1)" "$body" || return 1
  code=$(lab_curl -o /dev/null -w '%{http_code}' --max-time 10 -H 'Content-Type: application/json' \
    -d '{"features":[[1,2,3]]}' "http://127.0.0.1:$port/predict")
  echo "POST /predict with 3 features -> HTTP $code"
  [[ $code == 400 ]] || return 1
  podman logs "$name" 2>&1 | grep -q 'on CPUExecutionProvider' || { podman logs "$name" >&2; return 1; }
  echo "log: $(podman logs "$name" 2>&1 | grep -m1 'on CPUExecutionProvider' | sed 's/^ *//')"
)

# path_in_layers IMAGE PATH COUNT: exactly COUNT layers carry PATH (e.g. app/models/model.onnx).
path_in_layers() {
  local img=$1 path=$2 want=$3 oci blobs n
  oci=$(mktemp -d "$LAB_DIR/tmp/oci.XXXXXX")
  blobs=$(oci_layers "$img" "$oci") && n=$(layers_with "$path" $blobs) || { rm -rf "$oci"; return 1; }
  rm -rf "$oci"
  echo "   $path is in $n layer(s)"
  ((n == want))
}

health_check_passes() ( # health_check_passes IMAGE: the image's own HEALTHCHECK, run by podman in a live container
  local img=$1 name
  name=containersdk-health-$$-$RANDOM
  trap 'podman rm -f -t 2 "$name" >/dev/null 2>&1 || true' EXIT
  mapfile -t rargs < <(lab_podman_run_args)
  podman "${rargs[@]}" -d --name "$name" "$img" >/dev/null
  for _ in $(seq 60); do
    podman healthcheck run "$name" >/dev/null 2>&1 && { echo "podman healthcheck run: healthy"; return 0; }
    sleep 0.5
  done
  podman logs "$name" >&2 || true
  return 1
)

unchanged_in_git() { # unchanged_in_git PATH...: tracked and identical to the commit
  git -C "$ROOT" ls-files --error-unmatch -- "$@" >/dev/null && git -C "$ROOT" diff --quiet HEAD -- "$@"
}

no_layer_contains() { # no_layer_contains IMAGE NEEDLE: exports the image as OCI and greps every layer's files
  local img=$1 needle=$2 oci blobs rc=0
  oci=$(mktemp -d "$LAB_DIR/tmp/oci.XXXXXX")
  blobs=$(oci_layers "$img" "$oci") && layers_lack "$needle" $blobs || rc=1
  rm -rf "$oci"
  return "$rc"
}

echo "== CPU sample (Microsoft.ML.OnnxRuntime, <Sdk Name=\"ContainerSdk\">)"
CPU_IMG=localhost/containersdk/cpu-inference:test
# A secret planted next to the project: the generated ignore file must keep it out of every layer.
MARKER="containersdk-planted-$RANDOM$RANDOM"
printf 'API_KEY=%s\n' "$MARKER" >"$ROOT/samples/CpuInference/.env"
harness_cleanup 'rm -f "$ROOT/samples/CpuInference/.env"'
check "cpu: dotnet publish writes the Dockerfile" publish_sample CpuInference
check "cpu: committed Dockerfile is what publish generates (deterministic)" unchanged_in_git samples/CpuInference/Dockerfile samples/CpuInference/Dockerfile.dockerignore
t0=$(lab_now_ms)
# --no-cache: buildah 1.28 keys a cached LABEL layer on the unexpanded text, so with an unchanged app layer it would
# reuse labels from an earlier --build-arg SOURCE_REVISION (BuildKit applies labels as metadata and has no such
# gap). The check below is about the Dockerfile's ARG -> LABEL wiring, so it needs a fresh final stage. The NuGet
# cache mount is kept, so restore stays local.
# --format docker: the OCI image config has no HEALTHCHECK, so buildah would drop it.
if build_sample CpuInference "$CPU_IMG" --no-cache --format docker; then
  pass "cpu: image builds from the generated Dockerfile ($(lab_since "$t0") s)"
  check "cpu: /healthz answers" lab_http_check "$CPU_IMG" 8080 /healthz ok
  check "cpu: /infer returns Relu(XW+B)" infer_check "$CPU_IMG" "[2.5,5,0,0,2,1]"
  check "cpu: runs as non-root and cannot write /app" lab_user_check "$CPU_IMG"
  check "cpu: config User is 1654:1654" test "$(config_field "$CPU_IMG" "c.get('User')")" = 1654:1654
  check "cpu: exposes REST 8080 and gRPC 8081" test "$(config_field "$CPU_IMG" "sorted(c.get('ExposedPorts', {}))")" = "['8080/tcp', '8081/tcp']"
  check "cpu: revision label from the build argument" test "$(config_field "$CPU_IMG" "c['Labels']['org.opencontainers.image.revision']")" = "$REVISION"
  check "cpu: created label from SOURCE_DATE_EPOCH" test "$(config_field "$CPU_IMG" "c['Labels']['org.opencontainers.image.created']")" = "$CREATED"
  check "cpu: title label" test "$(config_field "$CPU_IMG" "c['Labels']['org.opencontainers.image.title']")" = CpuInference
  check "cpu: exec-form entrypoint" test "$(config_field "$CPU_IMG" "c['Entrypoint']")" = "['dotnet', '/app/CpuInference.dll']"
  check "cpu: planted .env is in no layer" no_layer_contains "$CPU_IMG" "$MARKER"
  check "cpu: the model is in exactly one layer (its own, not the app layer)" path_in_layers "$CPU_IMG" app/models/model.onnx 1
  check "cpu: HEALTHCHECK probes with the app itself" test "$(podman image inspect --format '{{json .HealthCheck.Test}}' "$CPU_IMG")" = '["CMD","dotnet","/app/CpuInference.dll","--containersdk-probe","http://127.0.0.1:8080/v2/health/ready"]'
  check "cpu: the image's HEALTHCHECK passes in a running container" health_check_passes "$CPU_IMG"
  echo "   image size: $(podman image inspect --format '{{.Size}}' "$CPU_IMG") bytes"
else
  fail "cpu: image builds from the generated Dockerfile"
fi

echo "== GPU sample (Microsoft.ML.OnnxRuntime.Gpu.Linux 1.31.0, PackageReference) on a CUDA stand-in"
GPU_IMG=localhost/containersdk/gpu-inference:test
check "gpu: dotnet publish writes the Dockerfile" publish_sample GpuInference
check "gpu: committed Dockerfile is what publish generates (deterministic)" unchanged_in_git samples/GpuInference/Dockerfile samples/GpuInference/Dockerfile.dockerignore
check "gpu: runtime stage is the CUDA 13 cuDNN runtime" grep -qx 'FROM nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04' "$ROOT/samples/GpuInference/Dockerfile"
t0=$(lab_now_ms)
if build_sample GpuInference "$GPU_IMG"; then
  pass "gpu: image builds from the generated Dockerfile ($(lab_since "$t0") s)"
  # No GPU and no CUDA libraries in the stand-in: the sample must fall back to the CPU provider and say so.
  check "gpu: /healthz answers and reports the CPU fallback" lab_http_check "$GPU_IMG" 8080 /healthz CPUExecutionProvider
  check "gpu: /infer returns Relu(XW+B)" infer_check "$GPU_IMG" "[2.5,5,0,0,2,1]"
  check "gpu: runs as non-root and cannot write /app" lab_user_check "$GPU_IMG"
  check "gpu: the process group is not root (no passwd entry for 1654 on the CUDA base)" test "$(lab_run "$GPU_IMG" -v /bin/busybox:/busybox:ro --entrypoint /busybox -- id -g)" = 1654
  check "gpu: the model is in exactly one layer (its own, not the app layer)" path_in_layers "$GPU_IMG" app/models/model.onnx 1
  check "gpu: NVIDIA_DRIVER_CAPABILITIES=compute,utility" bash -c "skopeo inspect --config containers-storage:$GPU_IMG | grep -q 'NVIDIA_DRIVER_CAPABILITIES=compute,utility'"
else
  fail "gpu: image builds from the generated Dockerfile"
fi

echo "== Binding sample (the model served through its generated ScorerModel binding, PackageReference)"
BINDING_IMG=localhost/containersdk/binding-inference:test
check "binding: dotnet publish writes the Dockerfile" publish_sample BindingInference
check "binding: committed Dockerfile is what publish generates (deterministic)" unchanged_in_git samples/BindingInference/Dockerfile samples/BindingInference/Dockerfile.dockerignore
t0=$(lab_now_ms)
if build_sample BindingInference "$BINDING_IMG" --format docker; then
  pass "binding: image builds from the generated Dockerfile, generator included ($(lab_since "$t0") s)"
  check "binding: /healthz answers and names the provider" lab_http_check "$BINDING_IMG" 8080 /healthz CPUExecutionProvider
  check "binding: /predict returns the MLP's scores and 400 for a wrong shape" predict_check "$BINDING_IMG"
  check "binding: runs as non-root and cannot write /app" lab_user_check "$BINDING_IMG"
  check "binding: config User is 1654:1654" test "$(config_field "$BINDING_IMG" "c.get('User')")" = 1654:1654
  check "binding: the model is in exactly one layer (its own, not the app layer)" path_in_layers "$BINDING_IMG" app/models/scorer.onnx 1
  check "binding: the image's HEALTHCHECK passes in a running container" health_check_passes "$BINDING_IMG"
else
  fail "binding: image builds from the generated Dockerfile, generator included"
fi

summary
