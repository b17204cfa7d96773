using System.Collections.Generic;

namespace ContainerSdk.Generation;

/// <summary>One instruction. <see cref="Arguments"/> is already quoted; continuation lines are separate entries.</summary>
public sealed record Instruction(string Keyword, IReadOnlyList<string> Arguments, string? Comment = null)
{
    public Instruction(string keyword, string arguments, string? comment = null)
        : this(keyword, new[] { arguments }, comment)
    {
    }
}

public sealed record Stage(string Comment, IReadOnlyList<Instruction> Instructions);

public sealed record DockerfileModel(IReadOnlyList<Stage> Stages);
