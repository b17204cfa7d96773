using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using ContainerSdk.Ports;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;

namespace ContainerSdk.Analyzers;

/// <summary>
/// Finds hard-coded ports below 1024 that Kestrel will try to bind: literal URLs passed to UseUrls, WebApplication.Run,
/// app.Urls.Add or UseSetting("urls", ...), literal ports passed to KestrelServerOptions.Listen/ListenAnyIP/
/// ListenLocalhost, and the urls/http_ports/Kestrel:Endpoints settings of the appsettings files that ship. Reported only
/// when the container user (ContainerUser, visible to the compiler through ContainerSdk.Ports.targets) is not root.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PrivilegedPortAnalyzer : DiagnosticAnalyzer
{
    /// <summary>The container user; a compilation that does not see it runs as <see cref="ContainerDefaults.User"/>.</summary>
    public const string UserProperty = "build_property.ContainerUser";

    private static readonly string[] ListenMethods = ["Listen", "ListenAnyIP", "ListenLocalhost"];

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => PrivilegedPortDescriptors.All;

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(UserProperty, out var configured);
            var user = string.IsNullOrWhiteSpace(configured) ? ContainerDefaults.User : configured!.Trim();
            if (!PortRules.IsNonRootUser(user))
            {
                return;
            }

            var uid = user.Split(':')[0];
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, uid), OperationKind.Invocation);
            start.RegisterAdditionalFileAction(file => AnalyzeSettings(file, uid));
        });
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, string uid)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (!IsAspNetCore(method.ContainingType) && !IsUrlsAdd(invocation))
        {
            return;
        }

        var name = method.Name;
        if (name is "UseUrls" or "Run" || IsUrlsAdd(invocation))
        {
            foreach (var argument in invocation.Arguments.Where(a => a.Parameter?.Type.SpecialType == SpecialType.System_String || a.Parameter?.IsParams == true))
            {
                foreach (var (value, location) in StringValues(argument.Value))
                {
                    Report(context, location, IsUrlsAdd(invocation) ? "Urls.Add" : name, PortRules.PortsOfUrls(value), uid);
                }
            }
        }
        else if (name == "UseSetting" && invocation.Arguments.Length >= 2
            && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string key }
            && (key.Equals("urls", StringComparison.OrdinalIgnoreCase) || key.Equals("http_ports", StringComparison.OrdinalIgnoreCase) || key.Equals("https_ports", StringComparison.OrdinalIgnoreCase)))
        {
            foreach (var (value, location) in StringValues(invocation.Arguments[1].Value))
            {
                var ports = key.Equals("urls", StringComparison.OrdinalIgnoreCase) ? PortRules.PortsOfUrls(value) : PortRules.PortsOfList(value);
                Report(context, location, $"UseSetting(\"{key}\")", ports, uid);
            }
        }
        else if (ListenMethods.Contains(name))
        {
            var port = invocation.Arguments.FirstOrDefault(a => a.Parameter?.Name == "port" && a.Parameter.Type.SpecialType == SpecialType.System_Int32);
            if (port?.Value.ConstantValue is { HasValue: true, Value: int number })
            {
                Report(context, port.Value.Syntax.GetLocation(), name, [number], uid);
            }
        }
    }

    private static void Report(OperationAnalysisContext context, Location location, string what, IEnumerable<int> ports, string uid)
    {
        foreach (var port in ports.Where(PortRules.IsPrivileged).Distinct())
        {
            context.ReportDiagnostic(Diagnostic.Create(PrivilegedPortDescriptors.PortInCode, location, what, port, uid));
        }
    }

    /// <summary>Constant strings of an argument, including each element of a params array.</summary>
    private static IEnumerable<(string Value, Location Location)> StringValues(IOperation value)
    {
        if (value is IArrayCreationOperation { Initializer: { } initializer })
        {
            foreach (var element in initializer.ElementValues)
            {
                if (element.ConstantValue is { HasValue: true, Value: string text })
                {
                    yield return (text, element.Syntax.GetLocation());
                }
            }
        }
        else if (value.ConstantValue is { HasValue: true, Value: string text })
        {
            yield return (text, value.Syntax.GetLocation());
        }
    }

    /// <summary>app.Urls.Add("http://*:80") on WebApplication (or any ASP.NET Core type's Urls collection).</summary>
    private static bool IsUrlsAdd(IInvocationOperation invocation) =>
        invocation.TargetMethod.Name == "Add"
        && invocation.Instance is IPropertyReferenceOperation { Property: { Name: "Urls" } property }
        && IsAspNetCore(property.ContainingType);

    private static bool IsAspNetCore(INamedTypeSymbol? type)
    {
        var ns = type?.ContainingNamespace?.ToDisplayString();
        return ns is not null && (ns == "Microsoft.AspNetCore" || ns.StartsWith("Microsoft.AspNetCore.", StringComparison.Ordinal));
    }

    private static void AnalyzeSettings(AdditionalFileAnalysisContext context, string uid)
    {
        var file = context.AdditionalFile;
        var name = System.IO.Path.GetFileName(file.Path);
        // appsettings.Development.json ships too, but a container runs as Production unless told otherwise.
        if (!SecretAnalyzerOptions.IsContent(context.Options, file)
            || !name.StartsWith("appsettings", StringComparison.OrdinalIgnoreCase)
            || !name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || name.Equals("appsettings.Development.json", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var text = file.GetText(context.CancellationToken);
        if (text is null || text.Length > SecretAnalyzerOptions.MaxFileChars)
        {
            return;
        }

        foreach (var found in SettingsPorts.Find(text.ToString()).Where(p => PortRules.IsPrivileged(p.Port)))
        {
            var span = new TextSpan(found.Offset, found.Length);
            var location = Location.Create(file.Path, span, text.Lines.GetLinePositionSpan(span));
            context.ReportDiagnostic(Diagnostic.Create(PrivilegedPortDescriptors.PortInSettings, location, found.Key, name, found.Port, uid));
        }
    }
}
