#!/usr/bin/env bash
# Benchmark for issue 9 (model bindings): ratios against baselines measured in the same run. See model-bindings/README.md.
#  signature  OnnxSignatureReader.Read on a generated ~1 GB model with inline weights vs a 1 MB one: time, allocation
#  generator  the binding generator (CSharpGeneratorDriver, 20 models) after an unrelated edit vs its first run; step reasons
#  build      `dotnet build` after a code change of a 20-model project: with ContainerSdk, with -p:ContainerModelBindings=false,
#             and without ContainerSdk (median of RUNS, alternating)
#  run        the generated binding's Run(Input) / Run(OrtValue) / RunInto vs raw InferenceSession.Run: p50, bytes per call
# Usage: bash tests/benchmarks/model-bindings.sh [RUNS]              RUNS builds per variant, default 5
#        MODEL_BENCH_SECTIONS="signature run" bash tests/benchmarks/model-bindings.sh   (default: all four)
#        MODEL_BENCH_MEGABYTES=1024 (the large model), MODEL_BENCH_ROUNDS=15 (signature/generator rounds),
#        MODEL_BENCH_KEEP=1 (keep the work folder, minus the large model)
# Needs artifacts/packages (dotnet pack ContainerSdk.sln -c Release -o artifacts/packages); about 1.1 GB of free disk
# in ${TMPDIR:-/var/tmp} for the large model, removed on exit.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
RUNS=${1:-5}
SECTIONS=${MODEL_BENCH_SECTIONS:-signature generator build run}
ROUNDS=${MODEL_BENCH_ROUNDS:-15}
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 MSBUILDDISABLENODEREUSE=1 DOTNET_CLI_USE_MSBUILD_SERVER=0
VERSION=$(sed -n 's:.*<ContainerSdkVersion>\(.*\)</ContainerSdkVersion>.*:\1:p' "$ROOT/Directory.Build.props")
ORT_VERSION=$(sed -n 's:.*"Microsoft.ML.OnnxRuntime" Version="\([^"]*\)".*:\1:p' "$ROOT/samples/Directory.Packages.props")
[[ -f $ROOT/artifacts/packages/ContainerSdk.$VERSION.nupkg ]] || { echo "run: dotnet pack ContainerSdk.sln -c Release -o artifacts/packages" >&2; exit 1; }
# The projects below consume the fixed version $VERSION: drop a stale copy so they restore the package just packed.
rm -rf "${NUGET_PACKAGES:-$HOME/.nuget/packages}/containersdk/$VERSION"

WORK=$(mktemp -d "${TMPDIR:-/var/tmp}/model-bindings-bench.XXXXXX")
# MODEL_BENCH_KEEP=1 keeps the folder (the 20-model projects and the build logs) and prints where it is.
if [[ ${MODEL_BENCH_KEEP:-} == 1 ]]; then trap 'echo "kept $WORK"' EXIT; else trap 'rm -rf "$WORK"' EXIT; fi
exec 3>&2 # the real stderr, for failures inside redirected blocks
want() { [[ " $SECTIONS " == *" $1 "* ]]; }
quiet() { # quiet LOG CMD...: run, print the log only on failure
  local log=$1
  shift
  "$@" >"$log" 2>&1 || { tail -40 "$log" >&2; exit 1; }
}
echo "model-bindings benchmark: ContainerSdk $VERSION, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), sections: $SECTIONS"

BENCH=$ROOT/tests/benchmarks/model-bindings
if want signature || want generator || want build; then
  quiet "$WORK/build-bench.log" dotnet build "$BENCH/ModelBindingsBenchmark.csproj" -c Release -nr:false
  BENCH_DLL=$BENCH/bin/Release/net10.0/ModelBindingsBenchmark.dll
fi

if want signature; then
  echo
  echo "== signature: OnnxSignatureReader.Read, ~${MODEL_BENCH_MEGABYTES:-1024} MB of inline weights vs 1 MB ($ROUNDS rounds)"
  dotnet "$BENCH_DLL" signature "$WORK/signature" "${MODEL_BENCH_MEGABYTES:-1024}" "$ROUNDS"
  # An independent reader agrees the file is ONNX (the 1 MB one: onnx.load would read the 1 GB one into memory).
  if /usr/bin/python3 -c 'import onnx' 2>/dev/null; then
    /usr/bin/python3 -c 'import onnx, sys; m = onnx.load(sys.argv[1]); onnx.checker.check_model(m); print("onnx.checker: the 1 MB model is valid ONNX, inputs", [i.name for i in m.graph.input], "initializer bytes", sum(len(t.raw_data) for t in m.graph.initializer))' "$WORK/signature/small-inline.onnx"
  fi
  rm -rf "$WORK/signature"
fi

if want generator; then
  echo
  echo "== generator: 20 models, an unrelated edit ($ROUNDS rounds)"
  dotnet "$BENCH_DLL" generator "$ROUNDS"
fi

ms() { echo $(($(date +%s%N) / 1000000)); }
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : int((a[NR / 2] + a[NR / 2 + 1]) / 2)}'; }
ratio() { python3 -c "print(f'{$1/$2:.3f}')"; }

if want build; then
  echo
  echo "== build: dotnet build after a code change, a 20-model console app and the CPU sample, $RUNS runs per variant"
  # A customer-style project tree: no repository props, ContainerSdk only from artifacts/packages.
  B=$WORK/build
  mkdir -p "$B"
  echo '<Project />' >"$B/Directory.Build.props"
  echo '<Project />' >"$B/Directory.Build.targets"
  cat >"$B/NuGet.config" <<XML
<configuration>
  <packageSources>
    <clear />
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
    <add key="local" value="$ROOT/artifacts/packages" />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="local"><package pattern="ContainerSdk" /></packageSource>
    <packageSource key="nuget.org"><package pattern="*" /></packageSource>
  </packageSourceMapping>
</configuration>
XML
  mkdir -p "$B/with"
  quiet "$WORK/models.log" dotnet "$BENCH_DLL" write-models "$B/with/models"
  cat >"$B/with/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
    <RootNamespace>BenchApp</RootNamespace>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="ContainerSdk" Version="$VERSION" PrivateAssets="all" />
    <PackageReference Include="Microsoft.ML.OnnxRuntime" Version="$ORT_VERSION" />
    <ContainerModel Include="models/*.onnx" />
  </ItemGroup>
</Project>
XML
  echo 'System.Console.WriteLine(new BenchApp.Service00().ToString());' >"$B/with/Program.cs"
  for i in $(seq -w 0 19); do
    cat >"$B/with/Service$i.cs" <<CS
namespace BenchApp;

/// <summary>Plain user code, none of it about the models.</summary>
public sealed class Service$i
{
    private readonly System.Collections.Generic.Dictionary<string, int> _counts = new();

    public int Count(string key) => _counts.TryGetValue(key, out int n) ? n : 0;

    public void Add(System.Collections.Generic.IEnumerable<string> keys)
    {
        foreach (string key in keys.Where(k => k.Length > ${i#0}))
        {
            _counts[key] = Count(key) + 1;
        }
    }

    public override string ToString() => string.Join(",", _counts.OrderBy(p => p.Key).Select(p => \$"{p.Key}={p.Value}"));
}
CS
  done
  cp -r "$B/with" "$B/off"
  cp -r "$B/with" "$B/none"
  sed -i '/Include="ContainerSdk"/d' "$B/none/App.csproj"
  # The second project: the CPU sample (the KServe service in samples/Shared, Web SDK, ContainerSdk as an MSBuild
  # project SDK, one model), copied with its samples/ tree; its code does not use the binding, so it builds in all three.
  for v in with off none; do
    mkdir -p "$B/svc-$v/artifacts"
    cp -r "$ROOT/samples" "$B/svc-$v/samples"
    rm -rf "$B/svc-$v"/samples/*/bin "$B/svc-$v"/samples/*/obj
    ln -s "$ROOT/artifacts/packages" "$B/svc-$v/artifacts/packages"
  done
  sed -i '/<Sdk Name="ContainerSdk"/d' "$B/svc-none/samples/CpuInference/CpuInference.csproj"
  declare -A ARGS=([with]="" [off]="-p:ContainerModelBindings=false" [none]="")
  declare -A PROJECT=([app]="%s" [svc]="svc-%s/samples/CpuInference") EDIT=([app]="Service07.cs" [svc]="../Shared/ModelHost.cs")
  declare -A MODELS=([app]=20 [svc]=1)
  dir() { printf "$B/${PROJECT[$1]}" "$2"; } # dir PROJECT VARIANT
  generated() { find "$(dir "$1" "$2")/obj" -path '*ContainerSdk.Generators*' -name '*.g.cs' | wc -l; }
  build() { # build PROJECT VARIANT -> wall ms of a build after a code change; its CPU ms (user+sys, all processes) in $WORK/cpu
    local t0 d TIMEFORMAT='%U %S'
    d=$(dir "$1" "$2")
    echo "// edit $(date +%s%N)" >>"$d/${EDIT[$1]}"
    t0=$(ms)
    # shellcheck disable=SC2086
    { time dotnet build "$d" -c Release -nr:false --no-restore ${ARGS[$2]} -clp:PerformanceSummary >"$WORK/build-$1-$2.log" 2>&1 || { tail -40 "$WORK/build-$1-$2.log" >&3; exit 1; }; } 2>"$WORK/cpu"
    echo $(($(ms) - t0))
  }
  cpu_ms() { awk '{print int(($1 + $2) * 1000)}' "$WORK/cpu"; }
  csc_ms() { awk '/Task Performance Summary/{f=1} f && $3 == "Csc" {print int($1); exit}' "$WORK/build-$1-$2.log"; }
  for p in app svc; do
    for v in with off none; do
      # shellcheck disable=SC2086
      quiet "$WORK/restore-$p-$v.log" dotnet build "$(dir $p $v)" -c Release -nr:false ${ARGS[$v]} -p:EmitCompilerGeneratedFiles=true
    done
    echo "$p: bindings generated: with $(generated $p with), with ContainerModelBindings=false $(generated $p off), without ContainerSdk $(generated $p none)"
    [[ $(generated $p with) == "${MODELS[$p]}" && $(generated $p off) == 0 && $(generated $p none) == 0 ]] || { echo "FAIL: expected ${MODELS[$p]}, 0, 0 generated bindings" >&2; exit 1; }
  done
  declare -A T=() C=() U=()
  orders=("with off none" "off none with" "none with off")
  for i in $(seq "$RUNS"); do
    for p in app svc; do
      for v in ${orders[$((i % 3))]}; do
        T[$p-$v]+="$(build $p $v) "
        C[$p-$v]+="$(csc_ms $p $v) "
        U[$p-$v]+="$(cpu_ms) "
      done
    done
  done
  med() { tr ' ' '\n' <<<"$1" | grep . | median; }
  declare -A WHAT=([app]="console app, 20 models, 21 small files" [svc]="samples/CpuInference (KServe service, Web SDK), 1 model")
  for p in app svc; do
    echo "ms per build, ${WHAT[$p]}: with [${T[$p-with]% }] bindings off [${T[$p-off]% }] without ContainerSdk [${T[$p-none]% }]; Csc task: with [${C[$p-with]% }] off [${C[$p-off]% }] without [${C[$p-none]% }]; CPU: with [${U[$p-with]% }] off [${U[$p-off]% }] without [${U[$p-none]% }]"
  done
  echo "compiler server: UseSharedCompilation=${UseSharedCompilation:-unset (on)}; load average after the builds: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo
  echo "| dotnet build after a code change | wall, median | ratio | Csc task, median | ratio | CPU user+sys, median | ratio |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
  for p in app svc; do
    what=${WHAT[$p]}
    mw=$(med "${T[$p-with]}") mo=$(med "${T[$p-off]}") mn=$(med "${T[$p-none]}")
    cw=$(med "${C[$p-with]}") co=$(med "${C[$p-off]}") cn=$(med "${C[$p-none]}")
    uw=$(med "${U[$p-with]}") uo=$(med "${U[$p-off]}") un=$(med "${U[$p-none]}")
    echo "| $what: with ContainerSdk (generator and analyzers on) | $mw ms | | $cw ms | | $uw ms | |"
    echo "| same, -p:ContainerModelBindings=false | $mo ms | with / off = **$(ratio "$mw" "$mo")** (target <= 1.03) | $co ms | with / off = $(ratio "$cw" "$co") | $uo ms | with / off = **$(ratio "$uw" "$uo")** |"
    echo "| same, without ContainerSdk | $mn ms | with / without = **$(ratio "$mw" "$mn")**, off / without = $(ratio "$mo" "$mn") | $cn ms | with / without = $(ratio "$cw" "$cn") | $un ms | with / without = $(ratio "$uw" "$un") |"
  done
fi

if want run; then
  echo
  echo "== run: the generated binding vs raw InferenceSession.Run (samples' relu and scorer models)"
  quiet "$WORK/build-runbench.log" dotnet build "$BENCH/RunBench/RunBench.csproj" -c Release -nr:false -p:ContainerSdkBenchVersion="$VERSION"
  dotnet "$BENCH/RunBench/bin/Release/net10.0/RunBench.dll" "${MODEL_BENCH_RUN_ROUNDS:-20}" "${MODEL_BENCH_RUN_CALLS:-2000}"
fi
