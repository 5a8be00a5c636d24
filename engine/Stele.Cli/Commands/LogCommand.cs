using System.CommandLine;

namespace Stele.Cli.Commands;

internal static class LogCommand
{
    public static Command Create()
    {
        var command = new Command("log", "(being built)");
        command.SetAction(int (_) => throw new CliException("log: not implemented yet"));
        return command;
    }
}
