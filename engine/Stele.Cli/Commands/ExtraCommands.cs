using System.CommandLine;

namespace Stele.Cli.Commands;

/// <summary>
/// Top-level commands contributed by feature areas (digest, keygen, verify, …). Each lives in
/// its own file under Commands/ and is listed here once.
/// </summary>
internal static class ExtraCommands
{
    public static IEnumerable<Command> All()
    {
        yield return DigestCommand.Create();
        yield return KeygenCommand.Create();
        yield return RegisterCommand.Create();
        yield return SubmitCommand.Create();
        yield return VerifyCommand.Create();
        yield return ProveCommand.Create();
        yield return MirrorCommand.Create();
        yield return BrokerCommand.Create();
        yield return RedactCommand.Create();
        yield return RebuildCommand.Create();
        yield break;
    }
}
