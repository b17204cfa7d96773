#!/usr/bin/env bash
# `dotnet publish -t:BuildContainerImage` end to end with the real engines here (podman and buildah from Debian; the
# docker CLI without a daemon is what `auto` must skip), a fresh project that consumes the packed ContainerSdk
# package, and the lab's local registry on 127.0.0.1:5000:
#   - auto (skips daemon-less docker) and podman: build, verify, push two tags; pull back and run: HTTP, uid 1654;
#   - buildah: build, verify, push; pull with podman and run;
#   - broken C#: the publish fails with CSDK5003 naming the engine, its exit code and the compiler error;
#   - a base image that brings root back (USER root; a user name its /etc/passwd maps to uid 0): CSDK5010, not pushed;
#   - a secret COPYed then deleted in a user-written Dockerfile: CSDK5013 with layer and path, never the secret;
#   - no engine on PATH: CSDK5001.
# Ends with "engine tests: N passed, M failed". Needs `dotnet pack ContainerSdk.sln -c Release -o artifacts/packages`.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=harness.sh
source "$ROOT/tests/image/harness.sh"
harness_start engine-tests "engine tests"
lab_registry_start

harness_dirs engine-tests # WORK (removed at exit), LOGS (kept)
IMAGES=()
cleanup() {
  for img in "${IMAGES[@]}"; do podman rmi -f "$img" >/dev/null 2>&1 || true; done
}
harness_cleanup cleanup

pack_package "$WORK"

# engine_project NAME: the e2e service (new_project) in WORK/NAME, its image in the lab registry. Prints the folder.
engine_project() {
  new_project "$WORK/$1" "    <ContainerRegistry>$LAB_REGISTRY</ContainerRegistry>
    <ContainerRepository>containersdk-e2e/$1</ContainerRepository>
    <ContainerImageTags>$RUN_ID;latest</ContainerImageTags>
    <ContainerBuildArguments>--volume=$LAB_CERTS_MOUNT;--pull=never</ContainerBuildArguments>"
  echo "$WORK/$1"
}

# pushed_and_runs NAME ENGINE: build with ENGINE, push, remove the local image, pull it back and run it.
pushed_and_runs() {
  local name=$1 engine=$2 dir log info digest ref
  dir=$(engine_project "$name")
  log=$LOGS/$name.log
  info=$dir/obj/containersdk-image.json
  ref=$LAB_REGISTRY/containersdk-e2e/$name:$RUN_ID
  IMAGES+=("$ref" "$LAB_REGISTRY/containersdk-e2e/$name:latest")
  echo "== $name: BuildContainerImage with ContainerEngine=$engine, push to $LAB_REGISTRY"
  if ! publish_image "$dir" "$log" "-p:ContainerEngine=$engine" -p:ContainerPush=true; then
    grep -E 'error|CSDK' "$log" | tail -20 >&2 || true
    fail "$name: publish -t:BuildContainerImage succeeds"
    return
  fi
  pass "$name: publish -t:BuildContainerImage succeeds"
  local expected_engine=$engine
  [[ $engine == auto ]] && expected_engine=podman # the docker CLI here has no daemon: auto must skip it
  check "$name: obj/containersdk-image.json names $expected_engine" [ "$(json_field "$info" "['engine']")" = "$expected_engine" ]
  check "$name: verification ran (user 1654:1654, no findings)" \
    [ "$(json_field "$info" "['verification']['user']"),$(json_field "$info" "['verification']['findings']")" = "1654:1654,0" ]
  check "$name: the engine's output is in the MSBuild log" contains "$log" "COMMIT"
  digest=$(json_field "$info" "['digest']")
  check "$name: both tags pushed, the registry serves the digest the build reported" \
    [ "$(registry_digest "containersdk-e2e/$name" "$RUN_ID")" = "$digest" -a -n "$(registry_digest "containersdk-e2e/$name" latest)" ]
  check "$name: revision label from git" \
    [ "$(skopeo inspect --tls-verify=false --format '{{index .Labels "org.opencontainers.image.revision"}}' "docker://$ref")" = "$(git -C "$dir" rev-parse HEAD)" ]
  podman rmi -f "$ref" "$LAB_REGISTRY/containersdk-e2e/$name:latest" >/dev/null 2>&1 || true
  if podman pull -q "$ref" >/dev/null 2>"$WORK/$name.pull.log"; then
    pass "$name: pulled back from the registry"
    check "$name: the pulled image answers HTTP" lab_http_check "$ref" 8080 / "hello from a ContainerSdk image"
    check "$name: the pulled image runs as uid 1654, /app read-only" lab_user_check "$ref"
  else
    cat "$WORK/$name.pull.log" >&2
    fail "$name: pulled back from the registry"
  fi
}

pushed_and_runs podman auto
pushed_and_runs buildah buildah

echo "== broken C#: the build error names the engine, exit code and compiler error"
dir=$(engine_project broken)
printf 'var app = WebApplication.CreateBuilder(args).Build()\napp.Run();\n' >"$dir/Program.cs"
# `dotnet build -t:BuildContainerImage` builds only the image (`dotnet publish -t:` publishes on the host first, where
# the compiler would stop it before the engine runs): the error must come out of the engine, readable.
if (cd "$dir" && dotnet build -t:BuildContainerImage -nr:false -p:ContainerEngine=buildah -p:ContainerPush=true) >"$LOGS/broken.log" 2>&1; then
  fail "broken: publish fails"
else
  pass "broken: publish fails"
  grep -A8 'error CSDK5003' "$LOGS/broken.log" | head -12 || true
  check "broken: CSDK5003 names buildah and its exit code" grep -qE 'error CSDK5003: The image build failed: buildah exited with code [1-9]' "$LOGS/broken.log"
  # The console logger prints each line of the multi-line message as "…: error CSDK5003:   | <line>", and prints
  # the error twice (as it happens and in the summary): once per print means the message did not repeat it.
  check "broken: the message quotes the compiler error" grep -qE 'error CSDK5003: +\| /src/Program\.cs\([0-9,]+\): error CS[0-9]{4}' "$LOGS/broken.log"
  check "broken: the message quotes it once" [ "$(grep -cE 'error CSDK5003: +\| /src/Program\.cs\([0-9,]+\): error CS[0-9]{4}' "$LOGS/broken.log")" -le 2 ]
  check "broken: nothing was pushed" not_in_registry containersdk-e2e/broken "$RUN_ID"
fi

# A user-written Dockerfile (GenerateDockerfile=false) over the app published on the host.
user_dockerfile_project() { # user_dockerfile_project NAME DOCKERFILE_TEXT
  local dir
  dir=$(engine_project "$1")
  (cd "$dir" && dotnet publish -c Release -nr:false -o out -p:GenerateDockerfile=false >"$WORK/$1.host-publish.log" 2>&1) ||
    { tail -20 "$WORK/$1.host-publish.log" >&2; return 1; }
  printf '%s\n' "$2" >"$dir/Dockerfile.custom"
  echo "$dir"
}

echo "== hostile base images: root comes back"
mkdir -p "$WORK/hostile"
printf 'FROM %s\nUSER root\n' "$LAB_IMG_ASPNET" >"$WORK/hostile/Dockerfile.root"
printf 'root:x:0:0:root:/root:/sbin/nologin\napp:x:0:0:app:/home/app:/sbin/nologin\n' >"$WORK/hostile/passwd"
printf 'FROM %s\nCOPY passwd /etc/passwd\nUSER app\n' "$LAB_IMG_ASPNET" >"$WORK/hostile/Dockerfile.name"
HOSTILE_ROOT=localhost/containersdk-e2e/hostile-root:$RUN_ID
HOSTILE_NAME=localhost/containersdk-e2e/hostile-name:$RUN_ID
IMAGES+=("$HOSTILE_ROOT" "$HOSTILE_NAME")
buildah build --pull=never -q -f "$WORK/hostile/Dockerfile.root" -t "$HOSTILE_ROOT" "$WORK/hostile" >/dev/null
buildah build --pull=never -q -f "$WORK/hostile/Dockerfile.name" -t "$HOSTILE_NAME" "$WORK/hostile" >/dev/null
for variant in root name; do
  base=$HOSTILE_ROOT
  [[ $variant == name ]] && base=$HOSTILE_NAME
  dir=$(user_dockerfile_project "hostile-$variant" "FROM $base
COPY out/ /app/
WORKDIR /app
ENTRYPOINT [\"dotnet\", \"/app/hostile-$variant.dll\"]")
  log=$LOGS/hostile-$variant.log
  if publish_image "$dir" "$log" -p:GenerateDockerfile=false -p:ContainerDockerfile=Dockerfile.custom -p:ContainerEngine=podman -p:ContainerPush=true; then
    fail "hostile base ($variant): verification fails the build"
  else
    pass "hostile base ($variant): verification fails the build"
    grep 'error CSDK5010' "$log" | head -2 || true
    check "hostile base ($variant): CSDK5010, code printed once" grep -qE 'error CSDK5010: the image runs as root' "$log"
    check "hostile base ($variant): not pushed" not_in_registry "containersdk-e2e/hostile-$variant" "$RUN_ID"
  fi
done

echo "== a secret COPYed, then deleted in a later layer"
dir=$(engine_project leaky)
mkdir -p "$dir/deploy"
openssl genpkey -algorithm ed25519 -out "$dir/deploy/id_ed25519" 2>/dev/null
key_body=$(sed -n 2p "$dir/deploy/id_ed25519")
printf 'FROM %s\nCOPY deploy/id_ed25519 /root/.ssh/id_ed25519\nRUN rm /root/.ssh/id_ed25519\nUSER 1654:1654\nENTRYPOINT ["/bin/true"]\n' \
  "$LAB_IMG_BASE" >"$dir/Dockerfile.leaky"
log=$LOGS/leaky.log
if publish_image "$dir" "$log" -p:GenerateDockerfile=false -p:ContainerDockerfile=Dockerfile.leaky -p:ContainerEngine=buildah -p:ContainerPush=true; then
  fail "leaky: verification fails the build"
else
  pass "leaky: verification fails the build"
  grep 'error CSDK5013' "$log" | head -2 || true
  check "leaky: CSDK5013 names the deleted file" grep -qE 'error CSDK5013: .*/root/\.ssh/id_ed25519' "$log"
  check "leaky: the log never holds the key" lacks "$log" "$key_body"
  check "leaky: not pushed" not_in_registry containersdk-e2e/leaky "$RUN_ID"
fi

echo "== no engine on PATH"
dir=$(engine_project noengine)
mkdir -p "$WORK/empty-path"
if (cd "$dir" && PATH=$WORK/empty-path "$(command -v dotnet)" publish -t:BuildContainerImage -nr:false) >"$LOGS/noengine.log" 2>&1; then
  fail "no engine: publish fails"
else
  pass "no engine: publish fails"
  grep 'error CSDK5001' "$LOGS/noengine.log" | head -2 || true
  check "no engine: CSDK5001 lists docker, podman and buildah" grep -qE 'error CSDK5001: .*docker: not found on PATH.*podman: not found on PATH.*buildah: not found on PATH' "$LOGS/noengine.log"
fi

summary
