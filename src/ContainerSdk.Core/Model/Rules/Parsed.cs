using System.Collections.Generic;
using System.Linq;
using ContainerSdk.Diagnostics;

namespace ContainerSdk.Model.Rules;

/// <summary>
/// What one property rule returns: the value it parsed (or its best guess, so later rules can go on and report their
/// own problems in the same build) and the diagnostics it found, in the order it found them.
/// </summary>
public sealed record Parsed<T>(T Value, IReadOnlyList<ContainerDiagnostic> Diagnostics)
{
    /// <summary>No error among the diagnostics (warnings do not fail a rule).</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.IsError);

    /// <summary>Appends the diagnostics to <paramref name="diagnostics"/> and returns the value.</summary>
    public T Into(List<ContainerDiagnostic> diagnostics)
    {
        diagnostics.AddRange(Diagnostics);
        return Value;
    }
}

/// <summary>Builds a <see cref="Parsed{T}"/> from a rule's local diagnostics list.</summary>
public static class Parsed
{
    public static Parsed<T> Of<T>(T value, List<ContainerDiagnostic> diagnostics) => new(value, diagnostics);
}
