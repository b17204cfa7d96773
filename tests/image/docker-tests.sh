#!/usr/bin/env bash
# `dotnet publish -t:BuildContainerImage` with a real docker daemon: Debian 12's docker.io (dockerd 20.10, BuildKit),
# installed and started here with everything private (tests/lab/lab.sh lab_docker_start), stopped at the end.
# Offline: the stand-in bases are loaded from the lab's podman storage, nothing is pulled from Docker Hub or MCR.
#   - auto picks docker when its daemon answers: build (BuildKit), verification, push of two tags to the lab
#     registry, the registry serves the reported digest, GenerateKubernetesManifests then names that digest; pulled
#     back and run with docker: HTTP, uid 1654, /app read-only;
#   - the generated <Dockerfile>.dockerignore with real BuildKit: the files it excludes never reach the context;
#   - a hostile base (USER root; a name that /etc/passwd maps to uid 0): CSDK5010, nothing pushed;
#   - a secret COPYed then deleted in a later layer: CSDK5013 naming the file, never the secret, nothing pushed.
# Builds pass --network=host (ContainerBuildArguments): the private daemon has no bridge network.
# Ends with "docker tests: N passed, M failed". Needs `dotnet build` of the solution (the package is packed here).
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/tests/image/harness.sh"
harness_start docker-tests "docker tests"
lab_registry_start

harness_dirs docker-tests # WORK (removed at exit), LOGS (kept)
CONTAINERS=()
IMAGES=()
cleanup() {
  for c in "${CONTAINERS[@]}"; do lab_docker rm -f "$c" >/dev/null 2>&1 || true; done
  for i in "${IMAGES[@]}"; do lab_docker rmi -f "$i" >/dev/null 2>&1 || true; done
  lab_docker_stop
}
harness_cleanup cleanup

echo "== docker: install, start a private dockerd, load the stand-in bases"
t0=$(lab_now_ms)
lab_docker_start
DOCKER_VERSION=$(lab_docker version --format '{{.Server.Version}}')
echo "   dockerd $DOCKER_VERSION on $LAB_DOCKER_HOST (started in $(lab_since "$t0") s)"
lab_docker_standins
echo "   stand-ins in docker after $(lab_since "$t0") s"
export DOCKER_HOST=$LAB_DOCKER_HOST

pack_package "$WORK"

# docker_project NAME: the e2e service, its image in the lab registry. ContainerEngineSearchPath=/usr/bin picks
# Debian's docker CLI (BuildKit built in) over a newer one earlier on PATH that lacks the buildx plugin.
docker_project() { # docker_project NAME [EXTRA_XML]
  new_project "$WORK/$1" "    <ContainerRegistry>$LAB_REGISTRY</ContainerRegistry>
    <ContainerRepository>containersdk-docker/$1</ContainerRepository>
    <ContainerImageTags>$RUN_ID;latest</ContainerImageTags>
    <ContainerEngineSearchPath>/usr/bin</ContainerEngineSearchPath>
    <ContainerBuildArguments>--network=host</ContainerBuildArguments>${2:-}"
}

docker_uid() { lab_docker run --rm --network none -v /bin/busybox:/busybox:ro --entrypoint /busybox "$1" id -u; }
docker_app_writable() { # prints every path under /app the image's user can write
  # shellcheck disable=SC2016 # for the container's shell
  lab_docker run --rm --network none -v /bin/busybox:/busybox:ro --entrypoint /busybox "$1" sh -c \
    '/busybox find /app | while read -r f; do /busybox test -w "$f" && echo "$f"; done; exit 0'
}
docker_http() { # docker_http IMAGE PATH EXPECTED: runs on the host network on a free port, GETs PATH
  local img=$1 path=$2 expect=$3 port name body=""
  port=$(lab_free_port)
  name=containersdk-docker-http-$$-$RANDOM
  CONTAINERS+=("$name")
  lab_docker run -d --name "$name" --network host -e "ASPNETCORE_HTTP_PORTS=$port" \
    -e "ASPNETCORE_URLS=http://127.0.0.1:$port" "$img" >/dev/null || return 1
  for _ in $(seq 150); do
    body=$(lab_curl --max-time 2 "http://127.0.0.1:$port$path" 2>/dev/null) && break
    sleep 0.2
  done
  lab_docker rm -f "$name" >/dev/null 2>&1 || true
  echo "   GET $path -> $body"
  [[ $body == *"$expect"* ]]
}

echo "== auto: docker with a daemon is picked; build, verify, push, pull back, run"
name=app
# A ContainerModel, so the Dockerfile has a `COPY --chmod=0444` too (besides RUN --mount and FROM --platform).
# A real (tiny) ONNX model, y = Relu(x): .onnx ContainerModels are read at build time (CSDK4010 otherwise).
mkdir -p "$WORK/$name/models" && base64 -d >"$WORK/$name/models/model.onnx" <<<"CAgSBXRlc3RzOjYKDAoBeBIBeSIEUmVsdRIEdGlueVoPCgF4EgoKCAgBEgQKAggBYg8KAXkSCgoICAESBAoCCAFCBAoAEA0="
docker_project "$name" "
  </PropertyGroup>
  <ItemGroup>
    <ContainerModel Include=\"models/model.onnx\" />
  </ItemGroup>
  <PropertyGroup>"
dir=$WORK/$name
log=$LOGS/$name.log
info=$dir/obj/containersdk-image.json
ref=$LAB_REGISTRY/containersdk-docker/$name:$RUN_ID
IMAGES+=("$ref" "$LAB_REGISTRY/containersdk-docker/$name:latest")
t0=$(lab_now_ms)
if publish_image "$dir" "$log" -p:ContainerPush=true -p:ContainerGenerateKubernetesManifests=true; then
  pass "auto: publish -t:BuildContainerImage succeeds with docker ($(lab_since "$t0") s)"
  check "auto: obj/containersdk-image.json names docker $DOCKER_VERSION" \
    [ "$(json_field "$info" "['engine']") $(json_field "$info" "['engineVersion']")" = "docker $DOCKER_VERSION" ]
  check "auto: the build ran on BuildKit (its step output is in the log)" grep -qE '#[0-9]+ (\[internal\] load build definition|DONE)' "$log"
  uses_buildkit_syntax() { grep -q '^RUN --mount=' "$dir/Dockerfile" && grep -q '^COPY --chmod=' "$dir/Dockerfile" && grep -q '^FROM --platform=' "$dir/Dockerfile"; }
  check "auto: the Dockerfile used RUN --mount, COPY --chmod and FROM --platform" uses_buildkit_syntax
  check "auto: no Dockerfile frontend was resolved (no '# syntax' line: offline)" lacks "$log" "docker/dockerfile"
  check "auto: verification ran (user 1654:1654, no findings)" \
    [ "$(json_field "$info" "['verification']['user']"),$(json_field "$info" "['verification']['findings']")" = "1654:1654,0" ]
  digest=$(json_field "$info" "['digest']")
  check "auto: both tags pushed, the registry serves the digest the build reported ($digest)" \
    [ "$(registry_digest "containersdk-docker/$name" "$RUN_ID")" = "$digest" -a -n "$(registry_digest "containersdk-docker/$name" latest)" ]
  check "auto: revision label from git" \
    [ "$(skopeo inspect --tls-verify=false --format '{{index .Labels "org.opencontainers.image.revision"}}' "docker://$ref")" = "$(git -C "$dir" rev-parse HEAD)" ]
  check "auto: the image config names user 1654:1654" \
    [ "$(lab_docker image inspect --format '{{.Config.User}}' "$ref")" = "1654:1654" ]
  # The pushed digest pins the Kubernetes manifest the same command wrote (ContainerGenerateKubernetesManifests=true).
  check "auto: kubernetes.yaml names the pushed digest" \
    grep -qF "image: $LAB_REGISTRY/containersdk-docker/$name@$digest" "$dir/kubernetes.yaml"
  lab_docker rmi -f "$ref" "$LAB_REGISTRY/containersdk-docker/$name:latest" >/dev/null
  if lab_docker pull -q "$ref" >"$WORK/pull.log" 2>&1; then
    pass "auto: docker pulled the image back from the registry"
    check "auto: the pulled image answers HTTP" docker_http "$ref" / "hello from a ContainerSdk image"
    check "auto: the pulled image runs as uid 1654" [ "$(docker_uid "$ref")" = 1654 ]
    check "auto: /app is read-only for that user" [ -z "$(docker_app_writable "$ref")" ]
    check "auto: COPY --chmod=0444 put the model in the image read-only" \
      [ "$(lab_docker run --rm --network none -v /bin/busybox:/busybox:ro --entrypoint /busybox "$ref" stat -c %a /app/models/model.onnx)" = 444 ]
  else
    cat "$WORK/pull.log" >&2
    fail "auto: docker pulled the image back from the registry"
  fi
else
  grep -E 'error|CSDK' "$log" | tail -20 >&2 || true
  fail "auto: publish -t:BuildContainerImage succeeds with docker"
fi

echo "== <Dockerfile>.dockerignore with real BuildKit"
# The generated Dockerfile copies only what it needs, so the ignore file is observed on a probe Dockerfile that copies
# the whole context out (-o type=local) and uses the generated ignore file as its own <Dockerfile>.dockerignore.
# A root .dockerignore that excludes nothing proves the per-Dockerfile file wins.
ctxdir=$WORK/$name
if [[ -f $ctxdir/Dockerfile.dockerignore ]]; then
  mkdir -p "$ctxdir/deploy"
  echo 'ConnectionStrings__Db=Server=db;Password=not-a-real-one' >"$ctxdir/.env"
  echo '{"Secret": "dev"}' >"$ctxdir/appsettings.Development.json"
  echo key >"$ctxdir/deploy/server.key"
  printf 'FROM scratch\nCOPY . /\n' >"$ctxdir/Dockerfile.probe"
  cp "$ctxdir/Dockerfile.dockerignore" "$ctxdir/Dockerfile.probe.dockerignore"
  printf '# excludes nothing\n' >"$ctxdir/.dockerignore"
  out=$WORK/context-out
  if lab_docker build --network=host -f "$ctxdir/Dockerfile.probe" -o "type=local,dest=$out" "$ctxdir" >"$LOGS/dockerignore.log" 2>&1; then
    pass "dockerignore: the probe build ran"
    check "dockerignore: sources reach the context" [ -f "$out/Program.cs" -a -f "$out/$name.csproj" -a -f "$out/NuGet.config" ]
    for gone in obj bin .git .env appsettings.Development.json deploy/server.key; do
      check "dockerignore: $gone never reaches the context" [ ! -e "$out/$gone" ]
    done
  else
    tail -20 "$LOGS/dockerignore.log" >&2
    fail "dockerignore: the probe build ran"
  fi
else
  fail "dockerignore: the generated Dockerfile.dockerignore exists"
fi

# user_dockerfile_project NAME DOCKERFILE_TEXT: GenerateDockerfile=false, the app published on the host into out/.
user_dockerfile_project() {
  docker_project "$1"
  (cd "$WORK/$1" && dotnet publish -c Release -nr:false -o out -p:GenerateDockerfile=false >"$WORK/$1.host-publish.log" 2>&1) ||
    { tail -20 "$WORK/$1.host-publish.log" >&2; return 1; }
  printf '%s\n' "$2" >"$WORK/$1/Dockerfile.custom"
}

echo "== hostile base images: root comes back"
mkdir -p "$WORK/hostile"
printf 'FROM %s\nUSER root\n' "$LAB_IMG_ASPNET" >"$WORK/hostile/Dockerfile.root"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:0:0:app:/home/app:/sbin/nologin\n' >"$WORK/hostile/passwd"
printf 'FROM %s\nCOPY passwd /etc/passwd\nUSER app\n' "$LAB_IMG_ASPNET" >"$WORK/hostile/Dockerfile.name"
for variant in root name; do
  base=localhost/containersdk-docker/hostile-$variant:$RUN_ID
  IMAGES+=("$base")
  lab_docker build -q --network=host -f "$WORK/hostile/Dockerfile.$variant" -t "$base" "$WORK/hostile" >/dev/null
  user_dockerfile_project "hostile-$variant" "FROM $base
COPY out/ /app/
WORKDIR /app
ENTRYPOINT [\"dotnet\", \"/app/hostile-$variant.dll\"]"
  log=$LOGS/hostile-$variant.log
  if publish_image "$WORK/hostile-$variant" "$log" -p:GenerateDockerfile=false -p:ContainerDockerfile=Dockerfile.custom -p:ContainerEngine=docker -p:ContainerPush=true; then
    fail "hostile base ($variant): verification fails the build"
  else
    pass "hostile base ($variant): verification fails the build"
    check "hostile base ($variant): CSDK5010" grep -qE 'error CSDK5010: the image runs as root' "$log"
    check "hostile base ($variant): not pushed" not_in_registry "containersdk-docker/hostile-$variant" "$RUN_ID"
  fi
done

echo "== a secret COPYed, then deleted in a later layer"
docker_project leaky
dir=$WORK/leaky
mkdir -p "$dir/deploy"
openssl genpkey -algorithm ed25519 -out "$dir/deploy/id_ed25519" 2>/dev/null
key_body=$(sed -n 2p "$dir/deploy/id_ed25519")
printf 'FROM %s\nCOPY deploy/id_ed25519 /root/.ssh/id_ed25519\nRUN rm /root/.ssh/id_ed25519\nUSER 1654:1654\nENTRYPOINT ["/bin/true"]\n' \
  "$LAB_IMG_BASE" >"$dir/Dockerfile.leaky"
log=$LOGS/leaky.log
if publish_image "$dir" "$log" -p:GenerateDockerfile=false -p:ContainerDockerfile=Dockerfile.leaky -p:ContainerEngine=docker -p:ContainerPush=true; then
  fail "leaky: verification fails the build"
else
  pass "leaky: verification fails the build"
  check "leaky: CSDK5013 names the deleted file" grep -qE 'error CSDK5013: .*/root/\.ssh/id_ed25519' "$log"
  check "leaky: the log never holds the key" lacks "$log" "$key_body"
  check "leaky: not pushed" not_in_registry containersdk-docker/leaky "$RUN_ID"
fi

summary
