using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>
/// CSDK6001: a string constant used as an input or output name of an InferenceSession whose model is known, and that
/// the model does not have. Which model a session runs: <see cref="ContainerModels.Match"/> and
/// <see cref="SessionResolver"/>. Names are Run's and RunAsync's name arguments (followed through arrays, collection
/// initializers and expressions, dictionary keys, <c>NamedOnnxValue.CreateFrom*</c> and the locals they are stored
/// in), OrtIoBinding's Bind* names, and InputMetadata/OutputMetadata indexers. Everything is resolved at the end of
/// the type, when all its initializers and assignments have been seen.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ModelNamesAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(ModelDiagnostics.UnknownTensorName);

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

            var models = ContainerModels.Read(start.Options, start.CancellationToken);
            if (models.Models.IsEmpty)
            {
                return;
            }

            var reported = new ConcurrentDictionary<(Location, string), byte>();

            // Everything waits for the end of the type, when every initializer and assignment of its members (the
            // sessions and the model paths they are created with) has been seen.
            start.RegisterSymbolStartAction(symbolStart =>
            {
                var type = (INamedTypeSymbol)symbolStart.Symbol;
                var resolver = new SessionResolver(models, type);
                var uses = new ConcurrentBag<NameUse>();

                symbolStart.RegisterOperationAction(op => resolver.Record(op.Operation), OperationKind.FieldInitializer, OperationKind.PropertyInitializer, OperationKind.SimpleAssignment, OperationKind.CoalesceAssignment);
                symbolStart.RegisterOperationAction(op =>
                {
                    var call = (IInvocationOperation)op.Operation;
                    if (ort.IsRun(call.TargetMethod))
                    {
                        foreach (var argument in call.Arguments)
                        {
                            string name = argument.Parameter?.Name ?? "";
                            bool output = name.StartsWith("output", StringComparison.Ordinal);
                            if ((output || name.StartsWith("input", StringComparison.Ordinal)) && !name.EndsWith("Values", StringComparison.Ordinal))
                            {
                                // not the run options, nor the OrtValue lists, which carry no names
                                uses.Add(new NameUse(argument.Value, output, call.Instance, null));
                            }
                        }
                    }
                    else if (ort.IsBindingMethod(call.TargetMethod, out bool output) && call.Arguments.Length > 0)
                    {
                        uses.Add(new NameUse(call.Arguments[0].Value, output, null, call.Instance));
                    }
                }, OperationKind.Invocation);

                // session.InputMetadata["name"], session.OutputMetadata["name"] (ContainsKey and TryGetValue are
                // how code probes for optional inputs, so they are left alone)
                symbolStart.RegisterOperationAction(op =>
                {
                    if (op.Operation is IPropertyReferenceOperation { Arguments.Length: 1 } indexer
                        && OrtSymbols.Unwrap(indexer.Instance) is IPropertyReferenceOperation { Property.Name: "InputMetadata" or "OutputMetadata" } metadata
                        && ort.IsSession(metadata.Property.ContainingType))
                    {
                        uses.Add(new NameUse(indexer.Arguments[0].Value, metadata.Property.Name == "OutputMetadata", metadata.Instance, null));
                    }
                }, OperationKind.PropertyReference);

                symbolStart.RegisterSymbolEndAction(end =>
                {
                    foreach (var use in uses)
                    {
                        var session = use.Binding is { } binding ? resolver.BindingSession(binding) : use.Session;
                        if (resolver.Model(session) is { } model)
                        {
                            foreach (var literal in Names(use.Value, ort, resolver, new HashSet<ISymbol>(SymbolEqualityComparer.Default)))
                            {
                                Check(end.ReportDiagnostic, literal, use.Output, model, reported);
                            }
                        }
                    }
                });
            }, SymbolKind.NamedType);
        });
    }

    /// <summary>A value that carries names (a name, a list of names, named values), and the session (or the
    /// OrtIoBinding) it is used with.</summary>
    private sealed record NameUse(IOperation Value, bool Output, IOperation? Session, IOperation? Binding);

    private static void Check(Action<Diagnostic> report, IOperation literal, bool output, KnownModel model, ConcurrentDictionary<(Location, string), byte> reported)
    {
        var names = output ? model.Outputs : model.Inputs;
        var value = (string)literal.ConstantValue.Value!;
        var location = literal.Syntax.GetLocation();
        if (!names.Contains(value, StringComparer.Ordinal) && reported.TryAdd((location, value), 0))
        {
            report(Diagnostic.Create(
                ModelDiagnostics.UnknownTensorName, location, value,
                output ? "an output" : "an input", model.File, output ? "outputs" : "inputs",
                names.IsEmpty ? "(none)" : string.Join(", ", names.Select(n => "'" + n + "'"))));
        }
    }

    /// <summary>The string constants a value carries as names, as far as the body and the type's members show them.</summary>
    private static IEnumerable<IOperation> Names(IOperation? operation, OrtSymbols ort, SessionResolver resolver, HashSet<ISymbol> visited)
    {
        operation = OrtSymbols.Unwrap(operation);
        switch (operation)
        {
            case null:
                yield break;
            case { ConstantValue: { HasValue: true, Value: string } }:
                yield return operation;
                yield break;
            case IInvocationOperation invocation when ort.IsNamedValueFactory(invocation.TargetMethod) && invocation.Arguments.Length > 0:
                foreach (var n in Names(invocation.Arguments[0].Value, ort, resolver, visited))
                {
                    yield return n;
                }

                yield break;
            case IInvocationOperation invocation when IsCopy(invocation.TargetMethod.Name):
                // names.ToList(), names.ToArray(), list.AsReadOnly(): the same names
                var source = invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : invocation.Instance;
                foreach (var n in Names(source, ort, resolver, visited))
                {
                    yield return n;
                }

                yield break;
            case IArrayCreationOperation array when array.Initializer is { } init:
                foreach (var element in init.ElementValues)
                {
                    foreach (var n in Names(element, ort, resolver, visited))
                    {
                        yield return n;
                    }
                }

                yield break;
            case IObjectCreationOperation creation:
                foreach (var element in Elements(creation.Initializer))
                {
                    foreach (var n in Names(element, ort, resolver, visited))
                    {
                        yield return n;
                    }
                }

                yield break;
            case IConditionalOperation conditional:
                foreach (var n in Names(conditional.WhenTrue, ort, resolver, visited).Concat(Names(conditional.WhenFalse, ort, resolver, visited)))
                {
                    yield return n;
                }

                yield break;
            case ILocalReferenceOperation local when visited.Add(local.Local):
                foreach (var value in LocalValues(local.Local, OrtSymbols.Root(local)))
                {
                    foreach (var n in Names(value, ort, resolver, visited))
                    {
                        yield return n;
                    }
                }

                yield break;
            case var _ when resolver.MemberValues(operation, visited) is { } stored:
                // a field or property of the type: its initializer and the assignments the type makes
                foreach (var value in stored)
                {
                    foreach (var n in Names(value, ort, resolver, visited))
                    {
                        yield return n;
                    }
                }

                yield break;
            case { Kind: OperationKind.None } when operation.Syntax.IsKind(SyntaxKind.CollectionExpression):
                // Roslyn 4.8 has no ICollectionExpressionOperation; the elements are the children.
                foreach (var child in operation.ChildOperations)
                {
                    foreach (var n in Names(child, ort, resolver, visited))
                    {
                        yield return n;
                    }
                }

                yield break;
        }
    }

    private static bool IsCopy(string name) => name is "ToList" or "ToArray" or "AsReadOnly" or "ToImmutableArray" or "ToImmutableList";

    /// <summary>What a collection initializer adds: the element of Add(x), the key of Add(k, v) and of [k] = v.</summary>
    private static IEnumerable<IOperation> Elements(IObjectOrCollectionInitializerOperation? initializer)
    {
        if (initializer is null)
        {
            yield break;
        }

        foreach (var item in initializer.Initializers)
        {
            switch (item)
            {
                case IInvocationOperation add when add.Arguments.Length > 0:
                    yield return add.Arguments[0].Value;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: > 0 } indexer }:
                    yield return indexer.Arguments[0].Value;
                    break;
            }
        }
    }

    /// <summary>Everything the body puts into a local: its initializer, assignments, Add/Insert/TryAdd and [k] = v.</summary>
    internal static IEnumerable<IOperation> LocalValues(ILocalSymbol local, IOperation root)
    {
        foreach (var op in root.Descendants())
        {
            switch (op)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if ((declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer) is { } init)
                    {
                        yield return init.Value;
                    }

                    break;
                case ISimpleAssignmentOperation assignment when IsLocal(assignment.Target, local):
                    yield return assignment.Value;
                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Arguments.Length: > 0 } indexer } when IsLocal(indexer.Instance, local):
                    yield return indexer.Arguments[0].Value;
                    break;
                case IInvocationOperation call when IsLocal(call.Instance, local) && call.TargetMethod.Name is "Add" or "TryAdd" or "Insert" or "AddRange" or "Push" or "Enqueue":
                    // Insert(index, item): the item; the others: the first argument (the element, or the key).
                    var arg = call.TargetMethod.Name == "Insert" ? call.Arguments.LastOrDefault() : call.Arguments.FirstOrDefault();
                    if (arg is not null)
                    {
                        yield return arg.Value;
                    }

                    break;
            }
        }
    }

    private static bool IsLocal(IOperation? operation, ILocalSymbol local) =>
        OrtSymbols.Unwrap(operation) is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local);
}
