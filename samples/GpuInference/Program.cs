using Samples.Inference;

// An ONNX Runtime inference service speaking the KServe v2 protocol that runs on CUDA when it can and on the CPU when
// it cannot: Model:Device = cuda (default), cuda:N or cpu. The provider really in use is logged and reported by
// /v2/health/ready, /v2/models/{name} and /metrics. All of it lives in ../Shared, shared with CpuInference.
// HEALTHCHECK: ContainerSdk compiles a probe into this app (ContainerHealthCheckPath in the project file), so
// `dotnet App.dll --containersdk-probe URL` answers before this code runs, without starting the web host.
return InferenceService.Run(args, defaultDevice: "cuda");
