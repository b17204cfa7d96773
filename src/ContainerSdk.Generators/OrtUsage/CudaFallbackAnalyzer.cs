using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>
/// CSDK6003: <c>SessionOptions.AppendExecutionProvider_CUDA</c> or <c>SessionOptions.MakeSessionOptionWithCudaProvider</c>
/// (any overload) that is not lexically inside the block of a try statement with at least one catch clause. Which
/// exceptions the catch takes is not checked.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class CudaFallbackAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ModelDiagnostics.CudaWithoutFallback);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (OrtSymbols.From(start.Compilation)?.SessionOptions is not { } options)
            {
                return;
            }

            start.RegisterOperationAction(op =>
            {
                var call = (IInvocationOperation)op.Operation;
                var method = call.TargetMethod;
                if (method.Name is not ("AppendExecutionProvider_CUDA" or "MakeSessionOptionWithCudaProvider")
                    || !SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, options)
                    || InsideTryWithCatch(call.Syntax))
                {
                    return;
                }

                string name = method.IsStatic ? "SessionOptions." + method.Name : method.Name;
                op.ReportDiagnostic(Diagnostic.Create(ModelDiagnostics.CudaWithoutFallback, call.Syntax.GetLocation(), name));
            }, OperationKind.Invocation);
        });
    }

    private static bool InsideTryWithCatch(SyntaxNode node) =>
        node.Ancestors().OfType<TryStatementSyntax>().Any(t => t.Catches.Count > 0 && t.Block.Span.Contains(node.Span));
}
