using System;
using System.IO;
using System.Security.Cryptography;
using OnnxModels;

// Writes a sample model to the path given:
//   dotnet run --project samples/OnnxModels.Cli -- samples/CpuInference/models/model.onnx            Y = Relu(X·W + B)
//   dotnet run --project samples/OnnxModels.Cli -- --mlp samples/BindingInference/models/scorer.onnx the 8→16→3 MLP
bool mlp = args.Length == 2 && args[0] == "--mlp";
if (!(args.Length == 1 || mlp) || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: OnnxModels.Cli [--mlp] <output.onnx>");
    return 2;
}

string path = Path.GetFullPath(args[^1]);
byte[] bytes = mlp ? SampleModels.Scorer() : ReluModel.Build();
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
File.WriteAllBytes(path, bytes);
Console.WriteLine($"wrote {path} ({bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))})");
return 0;
