using ModelBindingsBenchmark;

// Issue 9's reader and generator figures; ../model-bindings.sh runs these and the build and Run benchmarks.
//   signature WORKDIR [MEGABYTES=1024] [ROUNDS=7]   OnnxSignatureReader.Read on a ~1 GB inline-weights model vs a 1 MB one
//   generator [ROUNDS=7]                            the binding generator after an unrelated edit, 20 models
//   write-models DIR                                the 20 models of the generator and build benchmarks
switch (args)
{
    case ["signature", string dir, ..]:
        return SignatureBenchmark.Run(dir, Arg(args, 2, 1024) << 20, (int)Arg(args, 3, 7)) ? 0 : 1;
    case ["generator", ..]:
        return GeneratorBenchmark.Run((int)Arg(args, 1, 7)) ? 0 : 1;
    case ["write-models", string dir]:
        BenchModels.WriteAll(dir);
        Console.WriteLine($"wrote {BenchModels.Count} models to {dir}");
        return 0;
    default:
        Console.Error.WriteLine("usage: ModelBindingsBenchmark signature WORKDIR [MEGABYTES] [ROUNDS] | generator [ROUNDS] | write-models DIR");
        return 2;
}

static long Arg(string[] args, int index, long fallback) => args.Length > index ? long.Parse(args[index], System.Globalization.CultureInfo.InvariantCulture) : fallback;
