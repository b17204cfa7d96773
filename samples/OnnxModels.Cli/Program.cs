using System;
using System.IO;
using System.Security.Cryptography;
using OnnxModels;

// Writes the samples' model (Y = Relu(X·W + B)) to the path given, e.g. the copy the inference samples ship:
//   dotnet run --project samples/OnnxModels.Cli -- samples/CpuInference/models/model.onnx
if (args.Length != 1 || args[0] is "-h" or "--help")
{
    Console.Error.WriteLine("usage: OnnxModels.Cli <output.onnx>");
    return 2;
}

string path = Path.GetFullPath(args[0]);
byte[] bytes = ReluModel.Build();
Directory.CreateDirectory(Path.GetDirectoryName(path)!);
File.WriteAllBytes(path, bytes);
Console.WriteLine($"wrote {path} ({bytes.Length} bytes, sha256 {Convert.ToHexStringLower(SHA256.HashData(bytes))})");
return 0;
