using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;

namespace ContainerSdk.Images.Engines;

/// <summary>The outcome of one engine command: its exit code and the last lines it printed (both streams, in order).</summary>
public sealed record EngineResult(int ExitCode, IReadOnlyList<string> Tail, TimeSpan Elapsed, bool NotFound, string? StartError)
{
    public bool Succeeded => ExitCode == 0 && !NotFound && StartError is null;
}

/// <summary>
/// Runs an engine with an argument list (no shell, so nothing is re-parsed), streams each output line to the caller
/// as it arrives, keeps the last lines for the error message, and kills the whole process tree on cancel.
/// </summary>
public sealed class EngineProcess
{
    private const int TailLines = 400;

    private Process? _running;

    public IDictionary<string, string?> Environment { get; } = new Dictionary<string, string?>(StringComparer.Ordinal);

    public string? WorkingDirectory { get; set; }

    /// <summary>Folders (PATH syntax) to find the executable in instead of PATH: ContainerEngineSearchPath, and tests.</summary>
    public string? SearchPath { get; set; }

    public EngineResult Run(string executable, IReadOnlyList<string> args, Action<string>? onLine, CancellationToken cancel = default)
    {
        if (!string.IsNullOrEmpty(SearchPath) && !Path.IsPathRooted(executable))
        {
            string? found = SearchPath!.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(folder => Path.Combine(folder, executable))
                .FirstOrDefault(File.Exists);
            if (found is null)
            {
                return new EngineResult(-1, [], TimeSpan.Zero, NotFound: true, null);
            }

            executable = found;
        }

        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
            WorkingDirectory = WorkingDirectory ?? "",
        };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (KeyValuePair<string, string?> pair in Environment)
        {
            start.Environment[pair.Key] = pair.Value;
        }

        var tail = new Queue<string>();
        var gate = new object();
        void Line(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (gate)
            {
                tail.Enqueue(line);
                if (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }

                onLine?.Invoke(line);
            }
        }

        var clock = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Line(e.Data);
        process.ErrorDataReceived += (_, e) => Line(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex) when (ex.NativeErrorCode == 2)
        {
            return new EngineResult(-1, [], clock.Elapsed, NotFound: true, null);
        }
        catch (Win32Exception ex)
        {
            return new EngineResult(-1, [], clock.Elapsed, NotFound: false, ex.Message);
        }

        _running = process;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using (cancel.Register(Kill))
        {
            process.WaitForExit();
        }

        _running = null;
        lock (gate)
        {
            return new EngineResult(process.ExitCode, tail.ToArray(), clock.Elapsed, NotFound: false, cancel.IsCancellationRequested ? "canceled" : null);
        }
    }

    public void Kill()
    {
        try
        {
            _running?.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    private static readonly Regex Matters = new(
        @"\berror\b|\bERROR\b|Error:|\bfailed\b|FAILED|denied|unauthorized|not found|no such|exit (status|code)|non-zero|cannot|can't|unable to",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    private static readonly Regex Noise = new(
        @"^\s*$|^#\d+ \[internal\]|^STEP \d+/\d+|^--> |^\s*Determining projects to restore|^\s*Restored |^\s*All projects are up-to-date",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    /// <summary>
    /// The lines of a failed build that a reader needs: the ones naming an error (compiler errors, "failed to …",
    /// "exit status 1"), in order and without repeats (dotnet prints each compiler error twice), at most
    /// <paramref name="max"/>; the plain tail when nothing looks like an error.
    /// </summary>
    public static IReadOnlyList<string> LinesThatMatter(IReadOnlyList<string> tail, int max = 12)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var picked = new List<string>();
        foreach (string raw in tail)
        {
            string line = Clean(raw);
            if (line.Length == 0 || Noise.IsMatch(line) || !Matters.IsMatch(line) || !seen.Add(line))
            {
                continue;
            }

            picked.Add(line);
        }

        if (picked.Count == 0)
        {
            picked = tail.Select(Clean).Where(line => line.Length > 0).ToList();
        }

        return picked.Count <= max ? picked : picked.Skip(picked.Count - max).ToList();
    }

    /// <summary>Drops ANSI colour codes and BuildKit's "#12 3.456 " step prefixes; trims overlong lines.</summary>
    private static string Clean(string line)
    {
        string text = Regex.Replace(line, @"\x1B\[[0-9;]*[A-Za-z]", "");
        text = Regex.Replace(text, @"^#\d+ \d+(\.\d+)? ", "").Trim();
        return text.Length <= 400 ? text : text.Substring(0, 400) + "…";
    }
}
