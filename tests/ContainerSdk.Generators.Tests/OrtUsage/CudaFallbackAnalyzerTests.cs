using ContainerSdk.Generators.OrtUsage;

namespace ContainerSdk.Generators.Tests.OrtUsage;

public sealed class CudaFallbackAnalyzerTests
{
    private const string Id = "CSDK6003";

    [Fact]
    public async Task Cuda_without_a_surrounding_catch_is_reported()
    {
        await new OrtAnalyzerTest<CudaFallbackAnalyzer>("""
            using System;
            using Microsoft.ML.OnnxRuntime;

            static class Sessions
            {
                public static InferenceSession Plain()
                {
                    var options = new SessionOptions();
                    {|#0:options.AppendExecutionProvider_CUDA(0)|};
                    return new InferenceSession("model.onnx", options);
                }

                public static InferenceSession Factory() => new InferenceSession("model.onnx", {|#1:SessionOptions.MakeSessionOptionWithCudaProvider()|});

                public static InferenceSession FinallyOnly(OrtCUDAProviderOptions cuda)
                {
                    var options = new SessionOptions();
                    try
                    {
                        {|#2:options.AppendExecutionProvider_CUDA(cuda)|};
                    }
                    finally
                    {
                        Console.WriteLine("done");
                    }

                    return new InferenceSession("model.onnx", options);
                }

                public static SessionOptions InTheCatch()
                {
                    var options = new SessionOptions();
                    try
                    {
                        options.AppendExecutionProvider_CPU();
                    }
                    catch (Exception)
                    {
                        {|#3:options.AppendExecutionProvider_CUDA()|};
                    }

                    return options;
                }
            }
            """)
            .Expect(Id, 0, "AppendExecutionProvider_CUDA")
            .Expect(Id, 1, "SessionOptions.MakeSessionOptionWithCudaProvider")
            .Expect(Id, 2, "AppendExecutionProvider_CUDA")
            .Expect(Id, 3, "AppendExecutionProvider_CUDA")
            .RunAsync();
    }

    [Fact]
    public async Task Cuda_inside_a_try_with_a_catch_and_other_providers_are_not_reported()
    {
        await new OrtAnalyzerTest<CudaFallbackAnalyzer>("""
            using System;
            using Microsoft.ML.OnnxRuntime;

            static class Sessions
            {
                public static InferenceSession WithFallback()
                {
                    try
                    {
                        var options = new SessionOptions();
                        options.AppendExecutionProvider_CUDA(0);
                        return new InferenceSession("model.onnx", options);
                    }
                    catch (Exception e) when (e is OnnxRuntimeException or EntryPointNotFoundException or DllNotFoundException)
                    {
                        return new InferenceSession("model.onnx");
                    }
                }

                public static SessionOptions Nested()
                {
                    try
                    {
                        Func<SessionOptions> make = () => SessionOptions.MakeSessionOptionWithCudaProvider(0);
                        return make();
                    }
                    catch
                    {
                        var cpu = new SessionOptions();
                        cpu.AppendExecutionProvider_CPU();
                        return cpu;
                    }
                }
            }
            """).RunAsync();
    }
}
