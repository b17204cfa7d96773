namespace ContainerSdk.Secrets.Tests;

/// <summary>The one binary-extension list, as the scans and the analyzer inputs (SelectSecretAnalyzerFiles) use it.</summary>
public class SecretFileNamesTests
{
    [Theory]
    [InlineData("model.onnx", true, false)]
    [InlineData("MODEL.ONNX", true, false)]
    [InlineData("weights.safetensors", true, false)]
    [InlineData("logo.png", true, false)]
    [InlineData("App.dll", true, false)]
    [InlineData("cert.der", true, false)]
    [InlineData("site.pfx", true, true)]
    [InlineData("site.P12", true, true)]
    [InlineData("appsettings.json", false, true)]
    [InlineData(".env", false, true)]
    [InlineData("id_rsa", false, true)]
    public void Binaries_are_left_out_of_the_analyzer_unless_their_name_is_a_finding(string fileName, bool binary, bool analyzerInput)
    {
        SecretFileNames.IsKnownBinary(fileName).ShouldBe(binary);
        SecretFileNames.IsAnalyzerInput(fileName).ShouldBe(analyzerInput);
    }
}
