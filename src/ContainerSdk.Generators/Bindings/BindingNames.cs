using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis.CSharp;

namespace ContainerSdk.Generators.Bindings;

/// <summary>
/// The naming rules of generated bindings (documented in the README):
/// <list type="bullet">
/// <item>Class: the model file's stem split at every character that is not an ASCII letter or digit, each part's first
/// letter upper-cased, joined; <c>_</c> in front if it starts with a digit; <c>Model</c> appended unless it already
/// ends with "model" in any case. <c>resnet50-v2.7.onnx</c> → <c>Resnet50V27Model</c>.</item>
/// <item>Record parameters: the tensor name split at every character that is not a Unicode letter or digit, each part's
/// first letter upper-cased, joined; <c>Value</c> if nothing is left; <c>_</c> in front if it starts with a digit;
/// <c>_</c> appended to a name a record already uses (Input, Output, ToString, Equals, ...); then <c>_2</c>, <c>_3</c>,
/// ... on the second and later of names that are still equal, in model order. <c>onnx::Flatten_0</c> →
/// <c>OnnxFlatten0</c>, <c>x.1</c> → <c>X1</c>, <c>13</c> → <c>_13</c>.</item>
/// <item>Method parameters: the record parameter's name with its first letter lower-cased, <c>@</c> in front of a
/// keyword, made unique across inputs and outputs the same way.</item>
/// </list>
/// </summary>
public static class BindingNames
{
    private static readonly HashSet<string> RecordMembers = new(StringComparer.Ordinal)
    {
        "Input", "Output", "EqualityContract", "Equals", "GetHashCode", "ToString", "Deconstruct", "PrintMembers",
        "GetType", "MemberwiseClone", "Finalize", "ReferenceEquals",
    };

    /// <summary>Names a class may not take, because the generated members use them.</summary>
    public static readonly IReadOnlyCollection<string> ReservedClassNames = new HashSet<string>(StringComparer.Ordinal)
    {
        "Input", "Output", "Load", "LoadPreferringCuda", "ResolvePath", "Run", "RunInto", "Session", "ExecutionProvider",
        "ModelPath", "InputNames", "OutputNames", "ContainerPath", "LocalPath", "Producer", "ProducerVersion", "Opset",
        "IrVersion", "Dispose",
    };

    public static string ClassNameFromFile(string fileName)
    {
        string stem = fileName.Replace('\\', '/');
        stem = stem.Substring(stem.LastIndexOf('/') + 1);
        int dot = stem.LastIndexOf('.');
        if (dot > 0)
        {
            stem = stem.Substring(0, dot);
        }

        var name = new StringBuilder();
        bool startOfPart = true;
        foreach (char c in stem)
        {
            bool asciiLetterOrDigit = c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9';
            if (!asciiLetterOrDigit)
            {
                startOfPart = true;
                continue;
            }

            name.Append(startOfPart ? char.ToUpperInvariant(c) : c);
            startOfPart = false;
        }

        if (name.Length > 0 && char.IsDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        string result = name.ToString();
        return result.EndsWith("model", StringComparison.OrdinalIgnoreCase) ? result : result + "Model";
    }

    /// <summary>Property names for the tensor names, in order, unique among themselves.</summary>
    public static IReadOnlyList<string> PropertyNames(IEnumerable<string> tensorNames)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var tensorName in tensorNames)
        {
            string name = Pascal(tensorName);
            if (RecordMembers.Contains(name))
            {
                name += "_";
            }

            result.Add(Unique(name, taken));
        }

        return result;
    }

    /// <summary>Parameter names for one method: camelCase of the property names, unique across the whole list.</summary>
    public static IReadOnlyList<string> ParameterNames(IEnumerable<string> propertyNames)
    {
        var taken = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<string>();
        foreach (var property in propertyNames)
        {
            string name = char.ToLowerInvariant(property[0]) + property.Substring(1);
            string unique = Unique(name, taken);
            result.Add(SyntaxFacts.GetKeywordKind(unique) != SyntaxKind.None ? "@" + unique : unique);
        }

        return result;
    }

    public static bool IsValidIdentifier(string name) =>
        name.Length > 0 && SyntaxFacts.IsValidIdentifier(name) && SyntaxFacts.GetKeywordKind(name) == SyntaxKind.None;

    public static bool IsValidNamespace(string name) => name.Split('.').All(IsValidIdentifier);

    private static string Pascal(string tensorName)
    {
        var name = new StringBuilder();
        bool startOfPart = true;
        foreach (char c in tensorName)
        {
            if (!char.IsLetterOrDigit(c))
            {
                startOfPart = true;
                continue;
            }

            name.Append(startOfPart ? char.ToUpperInvariant(c) : c);
            startOfPart = false;
        }

        if (name.Length == 0)
        {
            return "Value";
        }

        if (char.IsDigit(name[0]))
        {
            name.Insert(0, '_');
        }

        return name.ToString();
    }

    private static string Unique(string name, HashSet<string> taken)
    {
        string candidate = name;
        for (int n = 2; !taken.Add(candidate); n++)
        {
            candidate = name + "_" + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
