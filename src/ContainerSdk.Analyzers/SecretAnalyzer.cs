using System.Collections.Generic;
using System.Collections.Immutable;
using System.Text;
using ContainerSdk.Secrets;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ContainerSdk.Analyzers;

/// <summary>
/// Reports secrets before anyone publishes: in C# string literals and constants (they are compiled into the
/// assembly), and in the project items that will be copied to the output or publish folder (AdditionalFiles marked by
/// ContainerSdk.Secrets.targets). Same rules as the publish-time scan: <see cref="SecretScanner"/>.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SecretAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => DiagnosticDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var options = SecretAnalyzerOptions.Read(start.Options, start.CancellationToken);
            start.RegisterSyntaxTreeAction(tree => AnalyzeTree(tree, options));
            start.RegisterAdditionalFileAction(file => AnalyzeAdditionalFile(file, options));
        });
    }

    private static void AnalyzeTree(SyntaxTreeAnalysisContext context, SecretAnalyzerOptions options)
    {
        var source = SecretSource.ForCSharpLiteral(context.Tree.FilePath);
        var text = context.Tree.GetText(context.CancellationToken);
        var content = text.ToString();
        var hits = new List<int>();
        SecretScanner.FindKeywordHits(content, source, hits);
        if (hits.Count == 0)
        {
            return;
        }

        var root = context.Tree.GetRoot(context.CancellationToken);
        var done = new HashSet<SyntaxNode>();
        foreach (var hit in hits)
        {
            var token = root.FindToken(hit);
            if (!IsStringToken(token) || token.Parent is null)
            {
                continue;
            }

            var (node, value) = LiteralValue(token);
            if (!done.Add(node))
            {
                continue;
            }

            foreach (var match in SecretScanner.Scan(value, source))
            {
                if (options.Baseline.Contains(match) || IsAllowed(text, node))
                {
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    DiagnosticDescriptors.For(match.Rule), node.GetLocation(),
                    match.Rule.Title, "in a string literal that is compiled into the assembly", match.Hint));
            }
        }
    }

    private static void AnalyzeAdditionalFile(AdditionalFileAnalysisContext context, SecretAnalyzerOptions options)
    {
        var file = context.AdditionalFile;
        if (!SecretAnalyzerOptions.IsContent(context.Options, file))
        {
            return;
        }

        var source = SecretSource.ForFile(file.Path);
        var binary = SecretFileNames.IsKnownBinary(source.FileName);
        var text = binary ? null : file.GetText(context.CancellationToken);
        var content = text?.ToString();
        if (content is not null && content.Length > SecretAnalyzerOptions.MaxFileChars)
        {
            content = content.Substring(0, SecretAnalyzerOptions.MaxFileChars);
        }

        var where = "in '" + SecretAnalyzerOptions.DisplayPath(context.Options, file) + "', which is copied to the output";
        foreach (var match in SecretScanner.Scan(content, source))
        {
            if (options.Baseline.Contains(match))
            {
                continue;
            }

            var location = Location.Create(file.Path, default, default);
            if (text is not null && match.Line > 0)
            {
                var span = new TextSpan(match.Start, match.Length);
                location = Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span));
            }

            context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.For(match.Rule), location, match.Rule.Title, where, match.Hint));
        }
    }

    private static bool IsStringToken(SyntaxToken token)
    {
        switch (token.Kind())
        {
            case SyntaxKind.StringLiteralToken:
            case SyntaxKind.Utf8StringLiteralToken:
            case SyntaxKind.SingleLineRawStringLiteralToken:
            case SyntaxKind.MultiLineRawStringLiteralToken:
            case SyntaxKind.Utf8SingleLineRawStringLiteralToken:
            case SyntaxKind.Utf8MultiLineRawStringLiteralToken:
            case SyntaxKind.InterpolatedStringTextToken:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The value the compiler will embed: a literal alone, or a whole "a" + "b" + "c" chain of literals (a constant
    /// split to dodge a scanner is still one constant in the assembly).
    /// </summary>
    private static (SyntaxNode Node, string Value) LiteralValue(SyntaxToken token)
    {
        var node = token.Parent!;
        if (node is not LiteralExpressionSyntax)
        {
            return (node, token.ValueText);
        }

        SyntaxNode top = node;
        while (top.Parent is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.AddExpression } add)
        {
            top = add;
        }

        if (top == node)
        {
            return (node, token.ValueText);
        }

        var value = new StringBuilder();
        foreach (var part in top.DescendantNodes())
        {
            if (part is LiteralExpressionSyntax literal)
            {
                if (!literal.Token.IsKind(SyntaxKind.StringLiteralToken) && !literal.IsKind(SyntaxKind.StringLiteralExpression))
                {
                    return (node, token.ValueText);
                }

                value.Append(literal.Token.ValueText);
            }
            else if (part is not BinaryExpressionSyntax && part is not ParenthesizedExpressionSyntax)
            {
                return (node, token.ValueText);
            }
        }

        return (top, value.ToString());
    }

    /// <summary>The inline allow comment on the literal's first line or on the line above it.</summary>
    private static bool IsAllowed(SourceText text, SyntaxNode node)
    {
        var line = text.Lines.GetLineFromPosition(node.SpanStart).LineNumber;
        for (var i = System.Math.Max(0, line - 1); i <= line; i++)
        {
            if (text.Lines[i].ToString().IndexOf(SecretScanner.AllowMarker, System.StringComparison.OrdinalIgnoreCase) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
