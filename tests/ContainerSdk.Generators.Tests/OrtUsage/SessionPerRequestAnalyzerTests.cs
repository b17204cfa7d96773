using ContainerSdk.Generators.OrtUsage;
using Microsoft.CodeAnalysis;

namespace ContainerSdk.Generators.Tests.OrtUsage;

public sealed class SessionPerRequestAnalyzerTests
{
    private const string Id = "CSDK6002";

    private static OrtAnalyzerTest<SessionPerRequestAnalyzer> Test(string code) => new(code + AspNetStubs.Code);

    [Fact]
    public async Task Sessions_created_in_handlers_actions_and_loops_are_reported()
    {
        await Test("""
            using System.Collections.Generic;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.ML.OnnxRuntime;

            static class Endpoints
            {
                public static void Map(WebApplication app, IEnumerable<string> paths)
                {
                    app.MapPost("/score", (string text) =>
                    {
                        using var session = {|#0:new InferenceSession("model.onnx")|};
                        return text;
                    });
                    app.MapGet("/expr", () => {|#1:new InferenceSession("model.onnx")|}.InputNames.Count);

                    foreach (var path in paths)
                    {
                        using var session = {|#2:new InferenceSession(path)|};
                    }

                    for (int i = 0; i < 3; i++)
                    {
                        using var session = {|#3:new InferenceSession("model.onnx")|};
                    }

                    int n = 0;
                    while (n++ < 3)
                    {
                        using var session = {|#4:new InferenceSession("model.onnx")|};
                    }
                }
            }

            [ApiController]
            public class ScoreController : ControllerBase
            {
                public int Score() { using var s = {|#5:new InferenceSession("model.onnx")|}; return 0; }
            }

            public class PlainController : ControllerBase
            {
                private readonly InferenceSession _session = new InferenceSession("model.onnx");

                public PlainController() { using var s = {|#6:new InferenceSession("model.onnx")|}; }

                public int Index() { using var s = {|#7:new InferenceSession("model.onnx")|}; return 0; }

                [NonAction]
                public int Helper() { using var s = new InferenceSession("model.onnx"); return 0; }

                private int Private() { using var s = new InferenceSession("model.onnx"); return 0; }
            }

            public class NotAController
            {
                [HttpPost]
                public int Post() { using var s = {|#8:new InferenceSession("model.onnx")|}; return 0; }
            }
            """)
            .Expect(Id, 0, "in a minimal-API request handler (MapPost)")
            .Expect(Id, 1, "in a minimal-API request handler (MapGet)")
            .Expect(Id, 2, "inside a loop body")
            .Expect(Id, 3, "inside a loop body")
            .Expect(Id, 4, "inside a loop body")
            .Expect(Id, 5, "in the controller action ScoreController.Score")
            .Expect(Id, 6, "in a controller's constructor (a controller is created for every request)")
            .Expect(Id, 7, "in the controller action PlainController.Index")
            .Expect(Id, 8, "in the request handler NotAController.Post")
            .RunAsync();
    }

    [Fact]
    public async Task Sessions_created_once_are_not_reported()
    {
        var test = Test("""
            using System;
            using System.Collections.Generic;
            using Microsoft.AspNetCore.Builder;
            using Microsoft.ML.OnnxRuntime;

            var app = new WebApplication();
            var session = new InferenceSession("model.onnx");
            app.AddSingleton(_ => new InferenceSession("model.onnx"));
            var lazy = new Lazy<InferenceSession>(() => new InferenceSession("model.onnx"));
            foreach (var name in new InferenceSession("model.onnx").InputNames)
            {
                Console.WriteLine(name);
            }

            for (var s = new InferenceSession("model.onnx"); s is null;)
            {
            }

            var sessions = new Dictionary<string, InferenceSession>();
            var list = new List<InferenceSession>();
            foreach (var path in new[] { "a.onnx", "b.onnx" })
            {
                sessions[path] = new InferenceSession(path);
                list.Add(new InferenceSession(path));
            }

            app.MapGet("/", () => session.InputNames.Count);
            app.MapPost("/lazy", () => lazy.Value.InputNames.Count);
            app.Run();

            static class Holder
            {
                public static readonly InferenceSession Session = new("model.onnx");
            }
            """);
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        await test.RunAsync();
    }
}
