using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ContainerSdk.Generators.OrtUsage;

/// <summary>
/// Which model an InferenceSession runs, for the Run calls of one type. It follows a session through locals of the
/// same body and through the type's own fields and properties (initializers and assignments), and a model path
/// through constants, locals, the type's string fields and properties, <c>Path.Combine</c> and interpolated strings.
/// Each part records what the type's operations store; <see cref="Model"/> is asked at the end of the type.
/// </summary>
internal sealed class SessionResolver
{
    private readonly ContainerModels models;
    private readonly INamedTypeSymbol type;
    private readonly ConcurrentDictionary<ISymbol, ConcurrentBag<IOperation>> stored = new(SymbolEqualityComparer.Default);

    public SessionResolver(ContainerModels models, INamedTypeSymbol type)
    {
        this.models = models;
        this.type = type;
    }

    /// <summary>Records a value stored into a field or property of the type (an initializer or an assignment).</summary>
    public void Record(IOperation operation)
    {
        switch (operation)
        {
            case IFieldInitializerOperation init:
                Store(init.InitializedFields, init.Value);
                break;
            case IPropertyInitializerOperation init:
                Store(init.InitializedProperties, init.Value);
                break;
            case IAssignmentOperation assignment when Member(assignment.Target) is { } member:
                Store(new[] { member }, assignment.Value);
                break;
        }
    }

    /// <summary>The model of the session a Run call is made on, or null when it is not known.</summary>
    public KnownModel? Model(IOperation? instance)
    {
        instance = ConditionalReceiver(instance);
        // A session nothing visible is stored into (a parameter, an injected service) runs the only model, if any;
        // `_session = null` says nothing about the model.
        var sessions = Values(instance, new HashSet<ISymbol>(SymbolEqualityComparer.Default))
            .Where(v => v.ConstantValue is not { HasValue: true, Value: null })
            .Cast<IOperation?>()
            .DefaultIfEmpty()
            .Select(v => v is IObjectCreationOperation creation ? models.Match(Path(creation)) : models.Single)
            .Distinct()
            .ToList();
        return sessions.Count == 1 ? sessions[0] : null;
    }

    /// <summary>For <c>session?.Run(...)</c>: the session the <c>?.</c> is applied to.</summary>
    private static IOperation? ConditionalReceiver(IOperation? instance)
    {
        if (OrtSymbols.Unwrap(instance) is IConditionalAccessInstanceOperation receiver)
        {
            for (var parent = receiver.Parent; parent is not null; parent = parent.Parent)
            {
                if (parent is IConditionalAccessOperation access)
                {
                    return access.Operation;
                }
            }
        }

        return instance;
    }

    /// <summary>What the type stores into a field or property it declares; null for anything else or a member seen before.</summary>
    public IReadOnlyList<IOperation>? MemberValues(IOperation operation, HashSet<ISymbol> visited) =>
        Member(operation) is { } member && visited.Add(member)
            ? (stored.TryGetValue(member, out var bag) ? bag.ToList() : new List<IOperation>())
            : null;

    /// <summary>The session an OrtIoBinding comes from (<c>session.CreateIoBinding()</c>), when every value agrees.</summary>
    public IOperation? BindingSession(IOperation binding)
    {
        var sessions = Values(binding, new HashSet<ISymbol>(SymbolEqualityComparer.Default))
            .Select(v => v is IInvocationOperation { TargetMethod.Name: "CreateIoBinding" } create ? OrtSymbols.Unwrap(create.Instance) : null)
            .ToList();
        return sessions.Count == 1 ? sessions[0] : null;
    }

    /// <summary>
    /// The model path a creation names: the first string argument, followed through <see cref="PathText"/>; null
    /// when it cannot be told.
    /// </summary>
    private string? Path(IObjectCreationOperation creation) =>
        creation.Arguments.FirstOrDefault(a => a.Parameter?.Type.SpecialType == SpecialType.System_String) is { } argument
            ? PathText(argument.Value, new HashSet<ISymbol>(SymbolEqualityComparer.Default))
            : null;

    /// <summary>
    /// A path's text: a constant, the resolvable tail of <c>Path.Combine(AppContext.BaseDirectory, "models", "x.onnx")</c>
    /// joined with '/', the text after the last hole of an interpolated string, or what every value stored in a local
    /// or in one of the type's fields and properties agrees on.
    /// </summary>
    private string? PathText(IOperation? operation, HashSet<ISymbol> visited)
    {
        operation = OrtSymbols.Unwrap(operation);
        switch (operation)
        {
            case { ConstantValue: { HasValue: true, Value: string path } }:
                return path;
            case IInvocationOperation { TargetMethod: { Name: "Combine", ContainingType.Name: "Path" } } combine:
                var parts = combine.Arguments
                    .SelectMany(a => OrtSymbols.Unwrap(a.Value) is IArrayCreationOperation { Initializer: { } init } ? init.ElementValues : ImmutableArray.Create(a.Value))
                    .Reverse()
                    .Select(p => PathText(p, visited))
                    .TakeWhile(p => p is not null)
                    .Reverse()
                    .ToList();
                return parts.Count > 0 ? string.Join("/", parts) : null;
            case IInterpolatedStringOperation interpolated when interpolated.Parts.LastOrDefault() is IInterpolatedStringTextOperation { Text.ConstantValue: { HasValue: true, Value: string tail } }:
                return tail;
            case ILocalReferenceOperation:
            case var _ when Member(operation) is not null:
                // Values() only returns what the local or member is given, never the reference itself.
                var texts = Values(operation, visited).Where(v => v != operation).Select(v => PathText(v, visited)).Distinct().ToList();
                return texts.Count == 1 ? texts[0] : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The values a local or a member of this type is given (none when they cannot be seen); any other operation is
    /// its own value.
    /// </summary>
    private IEnumerable<IOperation> Values(IOperation? operation, HashSet<ISymbol> visited)
    {
        operation = OrtSymbols.Unwrap(operation);
        IEnumerable<IOperation> values;
        switch (operation)
        {
            case null:
                return Array.Empty<IOperation>();
            case ILocalReferenceOperation local:
                if (!visited.Add(local.Local))
                {
                    return Array.Empty<IOperation>();
                }

                values = ModelNamesAnalyzer.LocalValues(local.Local, OrtSymbols.Root(operation)).ToList();
                break;
            case var _ when Member(operation) is { } member:
                if (!visited.Add(member))
                {
                    return Array.Empty<IOperation>();
                }

                values = stored.TryGetValue(member, out var bag) ? bag.ToList() : new List<IOperation>();
                break;
            default:
                return new[] { operation };
        }

        // Values that are themselves locals or members are followed; an unseen one stays as it is (unknown).
        return values.SelectMany(v => OrtSymbols.Unwrap(v) is ILocalReferenceOperation || Member(OrtSymbols.Unwrap(v)) is not null
            ? Values(v, visited).DefaultIfEmpty(v)
            : new[] { OrtSymbols.Unwrap(v)! });
    }

    private void Store(IEnumerable<ISymbol> members, IOperation value)
    {
        foreach (var member in members)
        {
            stored.GetOrAdd(member.OriginalDefinition, _ => new ConcurrentBag<IOperation>()).Add(value);
        }
    }

    /// <summary>A field, or a property without arguments, of the analyzed type.</summary>
    private ISymbol? Member(IOperation? operation)
    {
        ISymbol? member = OrtSymbols.Unwrap(operation) switch
        {
            IFieldReferenceOperation field => field.Field.OriginalDefinition,
            IPropertyReferenceOperation { Arguments.Length: 0 } property => property.Property.OriginalDefinition,
            _ => null,
        };
        return member is not null && SymbolEqualityComparer.Default.Equals(member.ContainingType, type) ? member : null;
    }
}
