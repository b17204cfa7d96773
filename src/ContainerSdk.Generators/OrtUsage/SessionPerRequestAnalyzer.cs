using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>
/// CSDK6002: <c>new InferenceSession(...)</c> in code that runs per request or per item: a lambda handed to a
/// minimal-API <c>Map*</c> method, a controller action (or a controller's constructor: controllers are created per
/// request), or the body of a loop (unless the session is kept: added to a collection, stored in a member or an
/// indexer, or returned, which is how a service loads several models once). Any other lambda or local function between the creation and those stops the
/// search, since it may run once (<c>AddSingleton(_ =&gt; new InferenceSession(...))</c>, <c>Lazy</c>).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class SessionPerRequestAnalyzer : DiagnosticAnalyzer
{
    private static readonly ImmutableHashSet<string> MapMethods = ImmutableHashSet.Create(
        "Map", "MapGet", "MapPost", "MapPut", "MapDelete", "MapPatch", "MapMethods", "MapFallback");

    private static readonly ImmutableHashSet<string> HttpAttributes = ImmutableHashSet.Create(
        "HttpGetAttribute", "HttpPostAttribute", "HttpPutAttribute", "HttpDeleteAttribute", "HttpPatchAttribute",
        "HttpHeadAttribute", "HttpOptionsAttribute");

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ModelDiagnostics.SessionPerRequest);

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

            start.RegisterOperationAction(op =>
            {
                var creation = (IObjectCreationOperation)op.Operation;
                if (ort.IsSession(creation.Type) && Where(creation, op.ContainingSymbol) is { } where)
                {
                    op.ReportDiagnostic(Diagnostic.Create(ModelDiagnostics.SessionPerRequest, creation.Syntax.GetLocation(), where));
                }
            }, OperationKind.ObjectCreation);
        });
    }

    /// <summary>Where the creation runs per request or per item, in the message's words; null when it does not.</summary>
    private static string? Where(IOperation creation, ISymbol containing)
    {
        IOperation child = creation;
        for (var parent = creation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IAnonymousFunctionOperation lambda:
                    return IsMapHandler(lambda) is { } map ? $"in a minimal-API request handler ({map})" : null;
                case ILocalFunctionOperation:
                    return null;
                case ILoopOperation loop when PerIteration(loop, child):
                    return Kept(creation) ? null : "inside a loop body";
            }
        }

        return containing is IMethodSymbol method ? ControllerMember(method) : null;
    }

    /// <summary>The body, the condition and a for loop's increment run per iteration; the collection and a for loop's initializers once.</summary>
    private static bool PerIteration(ILoopOperation loop, IOperation child) => loop switch
    {
        IForEachLoopOperation forEach => child != forEach.Collection,
        IForLoopOperation forLoop => !forLoop.Before.Contains(child),
        _ => true,
    };

    /// <summary>
    /// A session that outlives the iteration (added to a collection, stored in a field, property or indexer,
    /// returned): a loop that loads several models once, not a session per item.
    /// </summary>
    private static bool Kept(IOperation creation) => OrtSymbols.Consumer(creation, out var value) switch
    {
        IArgumentOperation => true,
        IReturnOperation => true,
        ISimpleAssignmentOperation assignment => assignment.Value == value && OrtSymbols.Unwrap(assignment.Target) is not ILocalReferenceOperation,
        _ => false,
    };

    private static string? IsMapHandler(IAnonymousFunctionOperation lambda)
    {
        var parent = OrtSymbols.Consumer(lambda, out _);
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = OrtSymbols.Consumer(parent, out _);
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation } && MapMethods.Contains(invocation.TargetMethod.Name)
            ? invocation.TargetMethod.Name
            : null;
    }

    private static string? ControllerMember(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (method.GetAttributes().Any(a => a.AttributeClass is { } c && HttpAttributes.Contains(c.Name)))
        {
            return $"in the request handler {type?.Name}.{method.Name}";
        }

        if (type is null || !IsController(type) || method.IsStatic)
        {
            return null;
        }

        if (method.MethodKind == MethodKind.Constructor)
        {
            return "in a controller's constructor (a controller is created for every request)";
        }

        bool action = method.MethodKind == MethodKind.Ordinary && method.DeclaredAccessibility == Accessibility.Public
            && !method.GetAttributes().Any(a => a.AttributeClass?.Name == "NonActionAttribute");
        return action ? $"in the controller action {type.Name}.{method.Name}" : null;
    }

    /// <summary>A class deriving from ControllerBase (or Controller), or marked [ApiController]/[Controller] itself or on a base.</summary>
    private static bool IsController(INamedTypeSymbol type)
    {
        if (type.GetAttributes().Any(a => a.AttributeClass?.Name is "ApiControllerAttribute" or "ControllerAttribute"))
        {
            return true;
        }

        for (INamedTypeSymbol? t = type.BaseType; t is not null; t = t.BaseType)
        {
            if (t.Name is "ControllerBase" or "Controller")
            {
                return true;
            }

            if (t.GetAttributes().Any(a => a.AttributeClass?.Name is "ApiControllerAttribute" or "ControllerAttribute"))
            {
                return true;
            }
        }

        return false;
    }
}
