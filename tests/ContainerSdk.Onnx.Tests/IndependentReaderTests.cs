using System.Diagnostics;
using ContainerSdk.Onnx.Reading;
using ContainerSdk.Onnx.Signatures;

namespace ContainerSdk.Onnx.Tests;

/// <summary>
/// The streaming reader against ONNX's own Python package on every model of Debian's libonnx-testdata (about 1,000
/// models nobody here wrote, installed by tests/lab/lab.sh setup with python3-onnx): the same inputs (initializers
/// excluded) and outputs, in order, with the same names, kinds, element types and dimensions.
/// </summary>
public sealed class IndependentReaderTests
{
    private const string TestData = "/usr/share/libonnx-testdata/data";

    [Fact]
    public async Task Every_backend_test_model_reads_as_onnx_itself_reads_it()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Reference", "dump_signatures.py");
        using var python = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, TestData]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = python.StandardOutput.ReadToEndAsync();
        string stderr = python.StandardError.ReadToEnd();
        python.WaitForExit();
        python.ExitCode.ShouldBe(0, "dump_signatures.py needs python3-onnx and libonnx-testdata (tests/lab/lab.sh setup installs both):\n" + stderr);

        var expected = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).GroupBy(f => f[0]).ToList();
        expected.Count.ShouldBeGreaterThan(900);
        var mismatches = new List<string>();
        foreach (var model in expected)
        {
            var sig = OnnxSignatureReader.Read(model.Key);
            var actual = sig.Inputs.Select(v => Line("input", v)).Concat(sig.Outputs.Select(v => Line("output", v))).ToList();
            var wanted = model.Select(f => string.Join("\t", f.Skip(1))).ToList();
            if (!actual.SequenceEqual(wanted))
            {
                mismatches.Add(model.Key + ":\n  ours:   " + string.Join("\n          ", actual) + "\n  onnx's: " + string.Join("\n          ", wanted));
            }
        }

        mismatches.ShouldBeEmpty(string.Join("\n", mismatches.Take(5)));
    }

    private static string Line(string role, ValueSignature v)
    {
        string kind = v.Kind switch
        {
            ValueKind.Tensor => "tensor",
            ValueKind.Sequence => "sequence",
            ValueKind.Map => "map",
            ValueKind.Optional => "optional",
            ValueKind.SparseTensor => "sparse_tensor",
            _ => "unknown",
        };
        string dims = v.Kind != ValueKind.Tensor || v.Shape is not { } shape
            ? "-"
            : string.Join(",", shape.Select(d => d.IsFixed ? d.Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : "?" + d.Symbol));
        int elem = v.Kind == ValueKind.Tensor ? (int)v.ElementType : 0;
        return string.Join("\t", role, v.Name.Replace("\t", "\\t").Replace("\n", "\\n"), kind, elem.ToString(System.Globalization.CultureInfo.InvariantCulture), dims);
    }
}
