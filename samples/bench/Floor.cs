using Grpc.Core;
using Inference;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

/// <summary>
/// The floor the service is measured against: the same transports (Kestrel HTTP/1.1, gRPC over cleartext HTTP/2) doing
/// nothing but receive a request and return the bytes it carried. Whatever the service costs beyond this and beyond
/// ORT's own run time is the protocol implementation's overhead.
/// </summary>
internal static class Floor
{
    public static int Run(string[] args)
    {
        int httpPort = int.Parse(Arg(args, "--http-port"));
        int grpcPort = int.Parse(Arg(args, "--grpc-port"));
        WebApplicationBuilder builder = WebApplication.CreateBuilder();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            kestrel.ListenLocalhost(httpPort, o => o.Protocols = HttpProtocols.Http1);
            kestrel.ListenLocalhost(grpcPort, o => o.Protocols = HttpProtocols.Http2);
        });
        builder.Services.AddGrpc(o => { o.MaxReceiveMessageSize = 64 * 1024 * 1024; o.MaxSendMessageSize = null; });
        WebApplication app = builder.Build();
        app.MapGet("/v2/health/ready", () => Results.Ok());
        app.MapPost("/v2/models/{name}/infer", async (HttpContext context) =>
        {
            // Read it all, as the service must before it can answer, then send it back.
            var body = new MemoryStream((int)(context.Request.ContentLength ?? 4096));
            await context.Request.Body.CopyToAsync(body);
            context.Response.ContentType = context.Request.ContentType ?? "application/octet-stream";
            if (context.Request.Headers.TryGetValue("Inference-Header-Content-Length", out var header))
            {
                context.Response.Headers["Inference-Header-Content-Length"] = header;
            }

            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body.GetBuffer().AsMemory(0, (int)body.Length));
        });
        app.MapGrpcService<EchoService>();
        app.Run();
        return 0;
    }

    private static string Arg(string[] args, string name)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"missing {name}");
    }

    private sealed class EchoService : GRPCInferenceService.GRPCInferenceServiceBase
    {
        public override Task<ModelInferResponse> ModelInfer(ModelInferRequest request, ServerCallContext context)
        {
            var response = new ModelInferResponse { ModelName = request.ModelName, Id = request.Id };
            foreach (var input in request.Inputs)
            {
                var output = new ModelInferResponse.Types.InferOutputTensor { Name = input.Name, Datatype = input.Datatype };
                output.Shape.AddRange(input.Shape);
                response.Outputs.Add(output);
            }

            response.RawOutputContents.AddRange(request.RawInputContents);
            return Task.FromResult(response);
        }
    }
}
