using Samples.Inference;

// An ONNX Runtime inference service speaking the KServe v2 protocol, on the CPU by default (Model:Device=cuda asks for
// CUDA, which this CPU-only ORT package cannot load: the service says so and stays on the CPU). All of it lives in
// ../Shared, shared with GpuInference.
// HEALTHCHECK: ContainerSdk compiles a probe into this app (ContainerHealthCheckPath in the project file), so
// `dotnet App.dll --containersdk-probe URL` answers before this code runs, without starting the web host.
return InferenceService.Run(args, defaultDevice: "cpu");
