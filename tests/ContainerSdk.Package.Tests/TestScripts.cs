using System.Diagnostics;

namespace ContainerSdk.Package.Tests;

/// <summary>The tests' Python helpers in Models/ (ONNX models and backend-test data written with Debian's
/// python3-onnx, which tests/lab/lab.sh setup installs with libonnx-testdata).</summary>
internal static class TestScripts
{
    /// <summary>Runs Models/<paramref name="script"/> with /usr/bin/python3 and returns its standard output; a
    /// non-zero exit fails the test with what the script printed.</summary>
    public static string Python(string script, params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Models", script));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var python = Process.Start(start)!;
        var output = python.StandardOutput.ReadToEndAsync();
        string errors = python.StandardError.ReadToEnd();
        python.WaitForExit();
        python.ExitCode.ShouldBe(0, $"{script} (needs python3-onnx and libonnx-testdata, installed by tests/lab/lab.sh setup) failed:\n{output.Result}{errors}");
        return output.Result;
    }
}
