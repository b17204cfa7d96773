using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>
/// CSDK6004: the disposable result of <c>InferenceSession.Run</c> (the overloads that return
/// <c>IDisposableReadOnlyCollection&lt;T&gt;</c>) that is never disposed. It is reported when the result is
/// discarded, only read through (<c>Run(...).First()</c>, <c>Run(...)[0]</c>, <c>foreach</c>), or stored in a local
/// that the body only reads through. A <c>using</c>, a Dispose call, a return, a store into a field, property or
/// other variable, or passing it to a method (other than as an extension method's receiver) counts as handled, and
/// so does any use this analyzer does not know: it reports only leaks it can see.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UndisposedResultsAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ModelDiagnostics.UndisposedResults);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            if (OrtSymbols.From(start.Compilation) is not { } ort)
            {
                return;
            }

            var disposable = start.Compilation.GetSpecialType(SpecialType.System_IDisposable);
            start.RegisterOperationAction(op =>
            {
                var run = (IInvocationOperation)op.Operation;
                if (run.TargetMethod.Name == "Run" && ort.IsRun(run.TargetMethod) && IsDisposable(run.TargetMethod.ReturnType, disposable) && Leaks(run))
                {
                    op.ReportDiagnostic(Diagnostic.Create(ModelDiagnostics.UndisposedResults, run.Syntax.GetLocation(), "InferenceSession.Run"));
                }
            }, OperationKind.Invocation);
        });
    }

    private static bool IsDisposable(ITypeSymbol type, INamedTypeSymbol disposable) =>
        SymbolEqualityComparer.Default.Equals(type, disposable) || type.AllInterfaces.Contains(disposable, SymbolEqualityComparer.Default);

    private enum Use
    {
        /// <summary>Disposed, or handed on to code that owns it now.</summary>
        Handled,

        /// <summary>Read through without taking ownership.</summary>
        ReadOnly,

        /// <summary>Dropped on the floor.</summary>
        Discarded,
    }

    private static bool Leaks(IInvocationOperation run)
    {
        var parent = OrtSymbols.Consumer(run, out var value);
        if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            return !IsUsingDeclaration(declarator) && LocalLeaks(declarator.Symbol, run);
        }

        if (parent is ISimpleAssignmentOperation assignment && assignment.Value == value && OrtSymbols.Unwrap(assignment.Target) is ILocalReferenceOperation local)
        {
            return LocalLeaks(local.Local, run);
        }

        return Classify(parent, value) != Use.Handled;
    }

    private static bool IsUsingDeclaration(IVariableDeclaratorOperation declarator)
    {
        var group = declarator.Parent?.Parent;
        return group is IVariableDeclarationGroupOperation { Parent: IUsingDeclarationOperation } || group?.Parent is IUsingOperation;
    }

    /// <summary>A local leaks when every reference to it in the body is a read-through.</summary>
    private static bool LocalLeaks(ILocalSymbol local, IOperation run)
    {
        foreach (var reference in OrtSymbols.Root(run).Descendants().OfType<ILocalReferenceOperation>())
        {
            if (!SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                continue;
            }

            var parent = OrtSymbols.Consumer(reference, out var value);
            if (parent is ISimpleAssignmentOperation assignment && assignment.Target == value)
            {
                continue; // a new value for the local is not a use of the result
            }

            if (Classify(parent, value) == Use.Handled)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>What the consumer of a Run result (or of a local holding it) does with it.</summary>
    private static Use Classify(IOperation? parent, IOperation value)
    {
        switch (parent)
        {
            case IExpressionStatementOperation:
                return Use.Discarded;
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                return Use.Discarded;
            case IInvocationOperation call when call.Instance == value:
                return call.TargetMethod.Name is "Dispose" or "DisposeAsync" ? Use.Handled : Use.ReadOnly;
            case IArgumentOperation { Parent: IInvocationOperation call } argument
                when call.TargetMethod.IsExtensionMethod && argument.Parameter?.Ordinal == 0:
                return Use.ReadOnly; // results.First(), results.ToList(): reads, the collection is still undisposed
            case IPropertyReferenceOperation property when property.Instance == value:
                return Use.ReadOnly; // results[0], results.Count
            case IForEachLoopOperation loop when loop.Collection == value:
                return Use.ReadOnly; // foreach disposes the enumerator, not the collection
            case IConditionalAccessOperation access when access.Operation == value:
                return access.WhenNotNull is IInvocationOperation { TargetMethod.Name: "Dispose" or "DisposeAsync" } ? Use.Handled : Use.ReadOnly;
            case IIsPatternOperation or IBinaryOperation:
                return Use.ReadOnly;
            default:
                // using, return, a store, an argument, a lambda's result, or a use this analyzer does not model.
                return Use.Handled;
        }
    }
}
