using System.Text;
using ContainerSdk.Images.Building;
using ContainerSdk.Images.Verification;

namespace ContainerSdk.Images.Tests.Building;

public sealed class ImageInfoTests
{
    [Fact]
    public void The_info_file_is_indented_json_with_every_field_in_order()
    {
        var verification = new ImageVerificationResult { User = "1654", LayerCount = 7, FilesScanned = 42 };
        var info = new ImageInfo
        {
            Tool = "ContainerSdk 1.2.3",
            Engine = "podman",
            EngineVersion = "4.3.1",
            Dockerfile = "/p/Dockerfile",
            Context = "/p",
            References = ["r.io/a:1", "r.io/a:latest"],
            ImageId = "sha256:1",
            Digest = null,
            Pushed = false,
            Platforms = [],
            BuildArgs = [new(ContainerDefaults.SourceDateEpochBuildArg, "1700000000")],
            Verification = verification,
            Seconds = new Dictionary<string, double> { ["build"] = 1.23456, ["total"] = 2 },
        };

        Encoding.UTF8.GetString(info.ToJson()).Replace("\r\n", "\n").ShouldBe("""
            {
              "tool": "ContainerSdk 1.2.3",
              "engine": "podman",
              "engineVersion": "4.3.1",
              "dockerfile": "/p/Dockerfile",
              "context": "/p",
              "references": [
                "r.io/a:1",
                "r.io/a:latest"
              ],
              "imageId": "sha256:1",
              "digest": null,
              "pushed": false,
              "platforms": [],
              "buildArgs": {
                "SOURCE_DATE_EPOCH": "1700000000"
              },
              "verification": {
                "user": "1654",
                "layers": 7,
                "filesScanned": 42,
                "findings": 0
              },
              "seconds": {
                "build": 1.235,
                "total": 2
              }
            }
            """.Replace("\r\n", "\n"));
    }

    [Fact]
    public void Without_a_verification_the_block_is_left_out_and_the_folder_is_created()
    {
        string folder = Path.Combine(Path.GetTempPath(), "containersdk-info-" + Guid.NewGuid().ToString("N"));
        try
        {
            string path = Path.Combine(folder, "obj", "containersdk-image.json");
            new ImageInfo { Engine = "buildah" }.Write(path);
            string json = File.ReadAllText(path);
            json.ShouldContain("\"engine\": \"buildah\"");
            json.ShouldNotContain("verification");
            File.ReadAllBytes(path)[0].ShouldBe((byte)'{'); // no BOM
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
