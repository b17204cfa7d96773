#!/usr/bin/env bash
# Kubernetes manifests for real: fresh CPU, GPU and KServe projects with hostile names (My_Cpu.Service, ...) and a
# non-default ContainerUser run `dotnet build -t:GenerateKubernetesManifests` against the packed package; each
# kubernetes.yaml is validated against the Kubernetes schemas by npm `kubernetes-models` (installed into a temp folder;
# the KServe predictor as a Pod spec) and checked rule by rule (tests/image/kube-validate.mjs). Then the CPU project's
# image is built by BuildContainerImage (podman) and its Deployment run with `podman kube play --network host`: the pod
# runs, answers HTTP on its readiness path, runs as ContainerUser, with a read-only root, no capabilities, no new
# privileges, seccomp on.
# Host networking: podman here cannot map ports ("PortMappings can only be used with Bridge or slirp4netns
# networking"), so the project's ContainerPort is a free port of this machine (the Dockerfile's ASPNETCORE_HTTP_PORTS
# and the manifest's probes follow it) and the test drops only the container's `ports:` list before `kube play`.
# Ends with "kube tests: N passed, M failed".
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/tests/image/harness.sh"
harness_start kube-tests "kube tests"

harness_dirs kube-tests # WORK (removed at exit), LOGS (kept)
PLAYED=()
IMAGES=()
cleanup() {
  for f in "${PLAYED[@]}"; do podman kube down "$f" >/dev/null 2>&1 || true; done
  for i in "${IMAGES[@]}"; do podman rmi -f "$i" >/dev/null 2>&1 || true; done
}
harness_cleanup cleanup

echo "== npm: kubernetes-models and js-yaml into a temp folder"
NPM=$WORK/npm
mkdir -p "$NPM"
if (cd "$NPM" && npm init -y >/dev/null && npm install --no-audit --no-fund --loglevel=error kubernetes-models@5 js-yaml@4) >"$LOGS/npm.log" 2>&1; then
  echo "   kubernetes-models $(node -p "require('$NPM/node_modules/kubernetes-models/package.json').version")"
else
  tail -20 "$LOGS/npm.log" >&2
  fail "npm install kubernetes-models"
fi
export KUBE_MODELS_DIR=$NPM

pack_package "$WORK"
PORT=$(lab_free_port)
UID_=2000
GID_=3000

# kube_project DIRNAME EXTRA_PROPERTIES
kube_project() {
  new_project "$WORK/$1" "    <ContainerRegistry>$LAB_REGISTRY</ContainerRegistry>
    <ContainerImageTags>$RUN_ID</ContainerImageTags>
    <ContainerUser>$UID_:$GID_</ContainerUser>
    <ContainerBuildArguments>--volume=$LAB_CERTS_MOUNT;--pull=never</ContainerBuildArguments>
    <ContainerHealthCheckPath>/healthz</ContainerHealthCheckPath>
$2
  </PropertyGroup>
  <ItemGroup>
    <ContainerPort Include=\"$PORT\" />
  </ItemGroup>
  <PropertyGroup>"
}

generate() { # generate NAME -> kubernetes.yaml beside the project
  (cd "$WORK/$1" && dotnet build -t:GenerateKubernetesManifests -nr:false -v:n) >"$LOGS/$1.generate.log" 2>&1
}

validate() { # validate NAME EXPECT_JSON
  if node "$ROOT/tests/image/kube-validate.mjs" "$2" "$WORK/$1/kubernetes.yaml" >"$LOGS/$1.validate.log" 2>&1; then
    pass "$1: kubernetes.yaml passes the schema and every rule ($(grep -c '^ok:' "$LOGS/$1.validate.log") checks)"
  else
    grep -E '^FAIL|Error' "$LOGS/$1.validate.log" >&2 || cat "$LOGS/$1.validate.log" >&2
    fail "$1: kubernetes.yaml passes the schema and every rule"
  fi
}

expect() { # expect KIND NAME GPUS READINESS LIVENESS
  printf '{"kind":"%s","name":"%s","uid":%d,"gid":%d,"gpus":%d,"readiness":"%s","liveness":"%s","port":%d}' \
    "$1" "$2" "$UID_" "$GID_" "$3" "$4" "$5" "$PORT"
}

echo "== three fresh projects: CPU, GPU (CUDA), KServe"
kube_project My_Cpu.Service "    <ContainerReplicas>1</ContainerReplicas>
    <ContainerCpuRequest>100m</ContainerCpuRequest>
    <ContainerMemoryLimit>512Mi</ContainerMemoryLimit>"
# CUDA by property: restoring the 300 MB ONNX Runtime GPU package is not needed to decide what the manifest asks for
# (the unit tests cover the auto decision from the resolved package).
kube_project My_Gpu.Service "    <ContainerAccelerator>cuda</ContainerAccelerator>
    <ContainerGpuCount>2</ContainerGpuCount>"
kube_project My_KServe.Service "    <ContainerKubernetesKind>InferenceService</ContainerKubernetesKind>
    <ContainerHealthCheckPath>/v2/health/ready</ContainerHealthCheckPath>
    <ContainerLivenessPath>/v2/health/live</ContainerLivenessPath>
    <ContainerAccelerator>cuda</ContainerAccelerator>"
for p in My_Cpu.Service My_Gpu.Service My_KServe.Service; do
  if generate "$p" && [[ -f $WORK/$p/kubernetes.yaml ]]; then
    pass "$p: dotnet build -t:GenerateKubernetesManifests writes kubernetes.yaml"
  else
    grep -E 'error|CSDK' "$LOGS/$p.generate.log" | tail -10 >&2 || true
    fail "$p: dotnet build -t:GenerateKubernetesManifests writes kubernetes.yaml"
  fi
done
validate My_Cpu.Service "$(expect Deployment my-cpu-service 0 /healthz /healthz)"
validate My_Gpu.Service "$(expect Deployment my-gpu-service 2 /healthz /healthz)"
validate My_KServe.Service "$(expect InferenceService my-kserve-service 1 /v2/health/ready /v2/health/live)"
check "My_Cpu.Service: the image is registry/repository:tag" grep -qF "image: $LAB_REGISTRY/my_cpu.service:$RUN_ID" "$WORK/My_Cpu.Service/kubernetes.yaml"

echo "== deterministic, hand edits kept, bad values write nothing"
cp "$WORK/My_Cpu.Service/kubernetes.yaml" "$WORK/first.yaml"
generate My_Cpu.Service
check "My_Cpu.Service: a second run writes the same bytes" cmp -s "$WORK/first.yaml" "$WORK/My_Cpu.Service/kubernetes.yaml"
sed -i 's/replicas: 1/replicas: 4/' "$WORK/My_Cpu.Service/kubernetes.yaml"
generate My_Cpu.Service
check "My_Cpu.Service: a hand edit is kept with CSDK2030" grep -q 'warning CSDK2030' "$LOGS/My_Cpu.Service.generate.log"
check "My_Cpu.Service: the edited file is unchanged" grep -q 'replicas: 4' "$WORK/My_Cpu.Service/kubernetes.yaml"
cp "$WORK/first.yaml" "$WORK/My_Cpu.Service/kubernetes.yaml"
if (cd "$WORK/My_Gpu.Service" && dotnet build -t:GenerateKubernetesManifests -nr:false -p:ContainerGpuCount=0) >"$LOGS/gpu0.log" 2>&1; then
  fail "GPU count 0 with CUDA fails"
else
  check "GPU count 0 with CUDA: CSDK1031" grep -q 'error CSDK1031' "$LOGS/gpu0.log"
fi

echo "== podman kube play --network host of the CPU Deployment, image built by BuildContainerImage"
dir=$WORK/My_Cpu.Service
ref=$LAB_REGISTRY/my_cpu.service:$RUN_ID
IMAGES+=("$ref")
if (cd "$dir" && dotnet build -t:BuildContainerImage -nr:false -p:ContainerEngine=podman) >"$LOGS/image.log" 2>&1; then
  pass "My_Cpu.Service: BuildContainerImage built $ref"
else
  grep -E 'error|CSDK' "$LOGS/image.log" | tail -10 >&2 || true
  fail "My_Cpu.Service: BuildContainerImage built $ref"
fi
generate My_Cpu.Service
play=$WORK/play.yaml
# Host networking cannot map ports: keep the Deployment, drop its container's ports (the app listens on $PORT anyway).
node -e '
  const yaml = require(process.env.KUBE_MODELS_DIR + "/node_modules/js-yaml");
  const fs = require("fs");
  const docs = yaml.loadAll(fs.readFileSync(process.argv[1], "utf8")).filter(d => d && d.kind === "Deployment");
  for (const c of docs[0].spec.template.spec.containers) delete c.ports;
  fs.writeFileSync(process.argv[2], yaml.dump(docs[0]));' "$dir/kubernetes.yaml" "$play"
PLAYED+=("$play")
if podman kube play --network host "$play" >"$LOGS/play.log" 2>&1; then
  pass "podman kube play --network host starts the Deployment"
  # kube play names a Deployment's pod <name>-pod-<n> and its container <pod>-<container name>.
  ctr=$(podman ps -a --format '{{.Names}}' | { grep -E -- '^my-cpu-service-pod(-[0-9]+)?-my-cpu-service$' || true; } | head -1)
  if [[ -z $ctr ]]; then
    podman pod ps >&2 || true
    podman ps -a >&2 || true
  fi
  body=""
  for _ in $(seq 150); do
    body=$(lab_curl --max-time 2 "http://127.0.0.1:$PORT/healthz" 2>/dev/null) && break
    sleep 0.2
  done
  check "the pod is ready: its readiness path answers ($body)" [ "$body" = ok ]
  check "the pod answers HTTP" contains <(lab_curl --max-time 5 "http://127.0.0.1:$PORT/") "hello from a ContainerSdk image"
  if [[ $(podman inspect --format '{{.State.Running}}' "$ctr" 2>/dev/null || true) != true ]]; then
    echo "   the app container is not running; its log:" >&2
    podman logs "$ctr" >&2 || true
  fi
  pid=$(podman inspect --format '{{.State.Pid}}' "$ctr" 2>/dev/null || echo 0)
  status=/proc/$pid/status
  check "the app runs as ContainerUser $UID_:$GID_" [ "$(awk '/^Uid:/{print $2}' "$status"):$(awk '/^Gid:/{print $2}' "$status")" = "$UID_:$GID_" ]
  check "its root filesystem is read-only" [ "$(podman inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$ctr")" = true ]
  check "the root mount is ro inside the container" grep -qE '^[0-9]+ [0-9]+ [^ ]+ [^ ]+ / ro[, ]' "/proc/$pid/mountinfo"
  check "/tmp is a separate writable mount (the emptyDir)" grep -qE ' /tmp rw[, ]' "/proc/$pid/mountinfo"
  check "no capabilities (CapEff 0)" [ "$(awk '/^CapEff:/{print $2}' "$status")" = 0000000000000000 ]
  check "no new privileges" [ "$(awk '/^NoNewPrivs:/{print $2}' "$status")" = 1 ]
  check "seccomp filter on" [ "$(awk '/^Seccomp:/{print $2}' "$status")" = 2 ]
  podman logs "$ctr" >"$LOGS/app.log" 2>&1 || true
  app_log_clean() { [ -n "$ctr" ] && grep -q 'Application started' "$LOGS/app.log" && lacks "$LOGS/app.log" "Exception"; }
  check "the app logged its start and no exception on the read-only root" app_log_clean
  echo "   app log (read-only root, /tmp emptyDir):"
  sed 's/^/     | /' "$LOGS/app.log" | head -20
  podman kube down "$play" >/dev/null 2>&1 || true
else
  cat "$LOGS/play.log" >&2
  fail "podman kube play --network host starts the Deployment"
fi

summary
