#!/usr/bin/env bash
# One-off investigations of this machine's container tooling, kept for whoever has to redo them (a new buildah,
# podman or kernel): not part of CI and not needed to set up the lab (tests/lab/lab.sh setup is). What they found is
# written up in /work/shared/notes/container-lab.md, and the workarounds in lab.sh follow from it.
#
# Usage (after `bash tests/lab/lab.sh setup`):
#   tests/lab/probes.sh self-test   build a tiny ASP.NET app image (a real NuGet restore through the TLS proxy, the
#                                   cache and secret mounts), http-check + user-check it, then run the probes
#   tests/lab/probes.sh probes      only the Dockerfile feature probes: what buildah 1.28 does with platform ARGs,
#                                   optional secret mounts, `# syntax` lines, per-Dockerfile ignore files,
#                                   COPY --from=<image>, USER $APP_UID, HEALTHCHECK, COPY --link/--chmod, heredocs,
#                                   cache mounts, RUN --network (informational: a probe never fails)
# Knob: LAB_SKIP_PROBES=1 makes self-test skip the probes.
set -euo pipefail
# shellcheck source=tests/lab/lab.sh
source "$(dirname "${BASH_SOURCE[0]}")/lab.sh"

lab_selftest_app() {
  local ctx=$1
  # The app is generated once per lab: `dotnet new web` writes random ports into launchSettings.json,
  # so regenerating it every run would defeat the layer cache that a warm self-test should show.
  # A marker (written last) makes an interrupted generation start over.
  if [[ ! -f $ctx/.generated ]]; then
    rm -rf "$ctx" && mkdir -p "$ctx"
    # Template only, no restore on the host; DOTNET_CLI_HOME keeps first-run/template state in the lab.
    DOTNET_CLI_HOME=$LAB_DIR/cache/dotnet-home DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
      DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
      lab_quiet "$LAB_DIR/logs/selftest-new.log" "$LAB_DOTNET_ROOT/dotnet" new web -n x -o "$ctx" --no-restore
    # One real package: the restore inside the build then really goes to NuGet through the TLS proxy
    # (exercises the CA bind mount) and fills the cache mount.
    sed -i 's#</Project>#  <ItemGroup>\n    <PackageReference Include="Newtonsoft.Json" Version="13.0.3" />\n  </ItemGroup>\n</Project>#' \
      "$ctx/x.csproj"
    grep -q Newtonsoft "$ctx/x.csproj" || lab_die "could not add a PackageReference to $ctx/x.csproj"
    touch "$ctx/.generated"
  fi
  printf '%s\n' 'bin/' 'obj/' 'Dockerfile' '.generated' >"$ctx/.dockerignore"
  # (a) ARGs printed in a RUN; (c) syntax line; (d) shell-form restore with -a "$TARGETARCH";
  # restore secret optional. Publish restores again (no --no-restore): a cached restore layer with an
  # emptied cache mount would otherwise fail with NETSDK1064.
  cat >"$ctx/Dockerfile" <<'EOF'
# syntax=docker/dockerfile:1
FROM --platform=$BUILDPLATFORM mcr.microsoft.com/dotnet/sdk:10.0 AS build
ARG TARGETARCH
ARG TARGETOS
ARG TARGETPLATFORM
ARG BUILDPLATFORM
RUN echo "selftest-args: TARGETARCH=[$TARGETARCH] TARGETOS=[$TARGETOS] TARGETPLATFORM=[$TARGETPLATFORM] BUILDPLATFORM=[$BUILDPLATFORM]"
WORKDIR /src
COPY x.csproj .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    --mount=type=secret,id=nugetconfig,target=/root/.nuget/NuGet/NuGet.Config,required=false \
    dotnet restore "x.csproj" -a "$TARGETARCH"
COPY . .
RUN --mount=type=cache,id=nuget,target=/root/.nuget/packages \
    dotnet publish "x.csproj" -c Release -a "$TARGETARCH" --self-contained false -p:UseAppHost=false -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled
WORKDIR /app
COPY --from=build /app/ ./
USER 1654
ENTRYPOINT ["dotnet","/app/x.dll"]
EOF
}

# Streams the build like `build` does, and keeps a copy for the probe report ((a), (d)).
lab_selftest_build() {
  lab_build "$1" "$1/Dockerfile" "$2" 2>&1 | tee "$LAB_DIR/logs/selftest-build.log"
}

lab_cmd_self_test() {
  local t0 ctx=$LAB_DIR/selftest/app tag=localhost/containersdk-lab/selftest:latest
  t0=$(lab_now_ms)
  lab_require_setup
  lab_timed "self-test: generate app (dotnet new web)" lab_selftest_app "$ctx"
  lab_timed "self-test: build $tag" lab_selftest_build "$ctx" "$tag"
  lab_timed "self-test: http-check" lab_http_check "$tag" 8080 / "Hello World!"
  lab_timed "self-test: user-check" lab_user_check "$tag"
  lab_timed "self-test: image config" podman image inspect \
    --format '   User={{.Config.User}} Entrypoint={{.Config.Entrypoint}} WorkingDir={{.Config.WorkingDir}}' "$tag"
  if [[ ${LAB_SKIP_PROBES:-0} != 1 ]]; then
    lab_timed "self-test: dockerfile feature probes" lab_cmd_probes
  fi
  lab_log "== self-test PASSED in $(lab_since "$t0") s"
}

# Probe helpers. Probes build tiny images on the CUDA stand-in (it has a shell, no .NET) with
# --no-cache so RUN output is printed every time, and report; they never fail the self-test.
LAB_PROBE_RESULTS=()
lab_probe_report() { LAB_PROBE_RESULTS+=("$(printf '%-4s %s' "$1" "$2")"); }

lab_probe_build() { # lab_probe_build NAME CTX DOCKERFILE [args...] -> rc; log in logs/probe-NAME.log
  local name=$1 ctx=$2 df=$3
  shift 3
  lab_build "$ctx" "$df" "localhost/containersdk-lab/probe-$name:latest" --no-cache "$@" \
    >"$LAB_DIR/logs/probe-$name.log" 2>&1
}

# lab_log_grep PATTERN FILE [head|tail] [N]: matching lines joined on one line; no match is not an error.
lab_log_grep() {
  { grep -iE "$1" "$2" 2>/dev/null || true; } | "${3:-tail}" -n "${4:-1}" | tr '\n' ' '
}

lab_probe_out() { # lab_probe_out NAME CMD... : run CMD in the probe image (entrypoint bypassed)
  local name=$1
  shift
  lab_run "localhost/containersdk-lab/probe-$name:latest" --entrypoint "$1" -- "${@:2}" 2>&1
}

lab_cmd_probes() {
  lab_require_setup
  local d=$LAB_DIR/selftest/probes base=$LAB_IMG_CUDA out rc f
  rm -rf "$d" && mkdir -p "$d"
  LAB_PROBE_RESULTS=()

  # (a) automatic platform ARGs, with and without an in-stage ARG declaration.
  mkdir -p "$d/a"
  cat >"$d/a/Dockerfile" <<EOF
FROM --platform=\$BUILDPLATFORM $base AS s1
ARG TARGETARCH
ARG TARGETOS
ARG TARGETPLATFORM
ARG BUILDPLATFORM
ARG BUILDARCH
RUN echo "declared: TARGETARCH=[\$TARGETARCH] TARGETOS=[\$TARGETOS] TARGETPLATFORM=[\$TARGETPLATFORM] BUILDPLATFORM=[\$BUILDPLATFORM] BUILDARCH=[\$BUILDARCH]" | tee /declared.txt
FROM $base
COPY --from=s1 /declared.txt /declared.txt
RUN echo "undeclared: TARGETARCH=[\$TARGETARCH] BUILDPLATFORM=[\$BUILDPLATFORM]" | tee /undeclared.txt
EOF
  if lab_probe_build a "$d/a" "$d/a/Dockerfile"; then
    out=$(lab_probe_out a cat /declared.txt /undeclared.txt | tr '\n' ' ')
    lab_probe_report "(a)" "build ok; $out"
  else
    lab_probe_report "(a)" "BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-a.log" tail 2)"
  fi

  # (b) optional secret mount without --secret, then with one; is it in the image afterwards?
  mkdir -p "$d/b"
  cat >"$d/b/Dockerfile" <<EOF
FROM $base
RUN --mount=type=secret,id=nugetconfig,target=/root/.nuget/NuGet/NuGet.Config,required=false \\
    if [ -e /root/.nuget/NuGet/NuGet.Config ]; then echo "present, \$(wc -c < /root/.nuget/NuGet/NuGet.Config) bytes"; else echo absent; fi > /seen.txt
EOF
  cat >"$d/b/Dockerfile.default" <<EOF
FROM $base
RUN --mount=type=secret,id=nugetconfig,target=/root/.nuget/NuGet/NuGet.Config \\
    if [ -e /root/.nuget/NuGet/NuGet.Config ]; then echo present; else echo absent; fi > /seen.txt
EOF
  printf '<configuration><!-- lab-secret-marker --></configuration>\n' >"$LAB_DIR/selftest/nuget.config.secret"
  if lab_probe_build b1 "$d/b" "$d/b/Dockerfile"; then
    lab_probe_report "(b1)" "required=false, no --secret: build ok; RUN saw: $(lab_probe_out b1 cat /seen.txt)"
  else
    lab_probe_report "(b1)" "required=false, no --secret: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-b1.log")"
  fi
  if lab_probe_build b2 "$d/b" "$d/b/Dockerfile" --secret "id=nugetconfig,src=$LAB_DIR/selftest/nuget.config.secret"; then
    # shellcheck disable=SC2016 # runs in the container
    out=$(lab_probe_out b2 sh -c 'cat /seen.txt; if [ -e /root/.nuget/NuGet/NuGet.Config ]; then echo "file left in image: $(wc -c </root/.nuget/NuGet/NuGet.Config) bytes"; else echo "not in final image"; fi; ls -ld /root/.nuget/NuGet 2>&1 | cut -c1-10' | tr '\n' ';')
    lab_probe_report "(b2)" "with --secret: build ok; $out"
  else
    lab_probe_report "(b2)" "with --secret: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-b2.log")"
  fi
  if lab_probe_build b3 "$d/b" "$d/b/Dockerfile.default"; then
    lab_probe_report "(b3)" "no required=, no --secret: build ok; RUN saw: $(lab_probe_out b3 cat /seen.txt)"
  else
    lab_probe_report "(b3)" "no required=, no --secret: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-b3.log")"
  fi

  # (c) syntax directive: a real-looking one, and one naming an image that cannot exist (if buildah
  # tried to use the frontend, --pull=never would make that build fail).
  mkdir -p "$d/c"
  printf '# syntax=docker/dockerfile:1\nFROM %s\nRUN echo c1 > /c.txt\n' "$base" >"$d/c/Dockerfile.c1"
  printf '# syntax=example.invalid/no-such-frontend:1\nFROM %s\nRUN echo c2 > /c.txt\n' "$base" >"$d/c/Dockerfile.c2"
  for f in c1 c2; do
    if lab_probe_build "$f" "$d/c" "$d/c/Dockerfile.$f"; then
      out=$(lab_log_grep 'syntax|frontend' "$LAB_DIR/logs/probe-$f.log" head 2)
      lab_probe_report "($f)" "$(head -n 1 "$d/c/Dockerfile.$f"): build ok; syntax-related output: [${out}]"
    else
      lab_probe_report "($f)" "$(head -n 1 "$d/c/Dockerfile.$f"): BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-$f.log")"
    fi
  done

  # (d) is exercised by the self-test app build (shell-form `dotnet restore "x.csproj" -a "$TARGETARCH"`);
  # its log shows the ARG values and the restore (only on a run that did not hit the layer cache).
  f=$LAB_DIR/logs/selftest-build.log
  if [[ -f $f ]]; then
    out=$(lab_log_grep '^selftest-args:|TARGETARCH. build argument|Restored |All projects are up-to-date|error' "$f" head 6)
    lab_probe_report "(d)" "self-test build log: ${out:-(restore/publish layers came from the cache this run)}"
  fi

  # (e) ignore files. ctx has keep.txt, a.txt (root .dockerignore), b.txt (<Dockerfile>.dockerignore).
  local e=$d/e
  mkdir -p "$e/ctx/docker" "$e/outside"
  touch "$e/ctx/keep.txt" "$e/ctx/a.txt" "$e/ctx/b.txt"
  printf 'FROM %s\nCOPY . /probe/\nRUN ls -A /probe | tr "\\n" " " > /ls.txt\n' "$base" >"$e/df"
  lab_probe_e() { # lab_probe_e NAME DOCKERFILE ROOT_IGNORE(0/1) DF_IGNORE(0/1) ROOT_IGNOREFILE_NAME DESCRIPTION
    local n=$1 dfp=$2 rootign=$3 dfign=$4 rootname=$5
    rm -f "$e/ctx/.dockerignore" "$e/ctx/.containerignore" "$e"/ctx/docker/*.dockerignore "$e"/outside/*.dockerignore
    if [[ $rootign == 1 ]]; then echo a.txt >"$e/ctx/$rootname"; fi
    if [[ $dfign == 1 ]]; then echo b.txt >"$dfp.dockerignore"; fi
    cp "$e/df" "$dfp"
    if lab_probe_build "$n" "$e/ctx" "$dfp"; then
      lab_probe_report "($n)" "$6: context copied = [$(lab_probe_out "$n" cat /ls.txt)]"
    else
      lab_probe_report "($n)" "$6: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-$n.log")"
    fi
  }
  lab_probe_e e1 "$e/ctx/docker/app.Dockerfile" 1 0 .dockerignore "root .dockerignore (excludes a.txt) only"
  lab_probe_e e2 "$e/ctx/docker/app.Dockerfile" 0 1 .dockerignore "docker/app.Dockerfile.dockerignore (excludes b.txt) only, Dockerfile inside context"
  lab_probe_e e3 "$e/ctx/docker/app.Dockerfile" 1 1 .dockerignore "both files"
  lab_probe_e e4 "$e/outside/app.Dockerfile" 0 1 .dockerignore "app.Dockerfile.dockerignore next to a Dockerfile OUTSIDE the context"
  lab_probe_e e5 "$e/ctx/docker/app.Dockerfile" 1 0 .containerignore "root .containerignore (excludes a.txt)"
  rm -f "$e"/ctx/docker/*.dockerignore "$e/ctx/.containerignore"
  echo a.txt >"$e/ctx/docker/custom.ignore"
  cp "$e/df" "$e/ctx/docker/app.Dockerfile"
  if lab_probe_build e6 "$e/ctx" "$e/ctx/docker/app.Dockerfile" --ignorefile "$e/ctx/docker/custom.ignore"; then
    lab_probe_report "(e6)" "--ignorefile docker/custom.ignore (excludes a.txt): context copied = [$(lab_probe_out e6 cat /ls.txt)]"
  else
    lab_probe_report "(e6)" "--ignorefile: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-e6.log")"
  fi

  # (f) COPY --from=<image> (not a stage) with --pull=never: .NET from the runtime stand-in onto CUDA.
  mkdir -p "$d/f"
  cat >"$d/f/Dockerfile" <<EOF
FROM $base
COPY --from=$LAB_IMG_RUNTIME /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet && dotnet --list-runtimes > /runtimes.txt
EOF
  if lab_probe_build f "$d/f" "$d/f/Dockerfile"; then
    lab_probe_report "(f)" "COPY --from=$LAB_IMG_RUNTIME: build ok; dotnet --list-runtimes: $(lab_probe_out f cat /runtimes.txt | tr '\n' ' ')"
  else
    lab_probe_report "(f)" "COPY --from=image: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-f.log")"
  fi

  # Extras the Dockerfile generator may rely on.
  mkdir -p "$d/g"
  # shellcheck disable=SC2016 # literal Dockerfile text
  printf 'FROM %s\nUSER $APP_UID\n' "$LAB_IMG_ASPNET" >"$d/g/Dockerfile.g1"
  printf 'FROM %s\nHEALTHCHECK --interval=5s CMD ["/bin/true"]\n' "$base" >"$d/g/Dockerfile.g2"
  printf 'FROM %s\nCOPY --link Dockerfile.g3 /g3\n' "$base" >"$d/g/Dockerfile.g3"
  printf 'FROM %s\nCOPY --chmod=0755 --chown=1654:1654 Dockerfile.g4 /g4\n' "$base" >"$d/g/Dockerfile.g4"
  printf 'FROM %s\nRUN <<EOT\necho heredoc-ran > /g5\nEOT\n' "$base" >"$d/g/Dockerfile.g5"
  # shellcheck disable=SC2016 # literal Dockerfile text
  printf 'ARG BASE_IMAGE=%s\nFROM ${BASE_IMAGE}\nRUN echo "$BASE_IMAGE" > /g6\n' "$base" >"$d/g/Dockerfile.g6"
  printf 'FROM %s\nRUN --mount=type=cache,id=g7,target=/c,sharing=locked echo ok > /g7\n' "$base" >"$d/g/Dockerfile.g7"
  printf 'FROM %s\nRUN --network=none echo ok > /g8\n' "$base" >"$d/g/Dockerfile.g8"
  local gname gargs
  for f in g1 g2 g2d g3 g4 g5 g6 g7 g8; do
    gargs=()
    case $f in
      g1) gname="USER \$APP_UID" ;;
      g2) gname='HEALTHCHECK (default OCI format)' ;;
      g2d) gname='HEALTHCHECK with --format docker' gargs=(--format docker) ;;
      g3) gname='COPY --link' ;;
      g4) gname='COPY --chmod=0755 --chown=1654:1654' ;;
      g5) gname='RUN <<EOT heredoc' ;;
      g6) gname="ARG before FROM, FROM \${BASE_IMAGE}" ;;
      g7) gname='RUN --mount=type=cache,sharing=locked' ;;
      g8) gname='RUN --network=none' ;;
    esac
    rc=0
    lab_probe_build "$f" "$d/g" "$d/g/Dockerfile.${f%d}" "${gargs[@]}" || rc=$?
    if ((rc != 0)); then
      lab_probe_report "($f)" "$gname: BUILD FAILED: $(lab_log_grep 'error' "$LAB_DIR/logs/probe-$f.log")"
      continue
    fi
    case $f in
      g1) out="User=$(podman image inspect --format '{{.Config.User}}' "localhost/containersdk-lab/probe-g1:latest")" ;;
      g2 | g2d) out="Healthcheck=$(podman image inspect --format '{{.Config.Healthcheck}}' "localhost/containersdk-lab/probe-$f:latest" 2>&1 || true); warning: $(lab_log_grep 'level=warning.*health' "$LAB_DIR/logs/probe-$f.log" head 1)" ;;
      g3) out="file: $(lab_probe_out g3 ls -l /g3 | cut -c1-40)" ;;
      g4) out="file: $(lab_probe_out g4 stat -c '%a %u:%g' /g4)" ;;
      g5) out="/g5: $(lab_probe_out g5 cat /g5 2>&1 | head -n 1)" ;;
      g6) out="/g6: $(lab_probe_out g6 cat /g6)" ;;
      g7) out="/g7: $(lab_probe_out g7 cat /g7)" ;;
      g8) out="/g8: $(lab_probe_out g8 cat /g8)" ;;
    esac
    lab_probe_report "($f)" "$gname: build ok; $out"
  done

  local probe_imgs=()
  mapfile -t probe_imgs < <(podman images --format '{{.Repository}}:{{.Tag}}' | grep '^localhost/containersdk-lab/probe-' || true)
  if ((${#probe_imgs[@]} > 0)); then podman rmi -f "${probe_imgs[@]}" >/dev/null 2>&1 || true; fi
  lab_log "---- probe results (buildah $(buildah --version | awk '{print $3}'))"
  printf '%s\n' "${LAB_PROBE_RESULTS[@]}"
}


case ${1:-help} in
  self-test) lab_cmd_self_test ;;
  probes) lab_cmd_probes ;;
  *) sed -n '/^# Usage/,/^# Knob/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
