using System.CommandLine;

namespace Stele.Cli.Commands;

internal static class ServeCommand
{
    public static Command Create()
    {
        var command = new Command("serve", "(being built)");
        command.SetAction(int (_) => throw new CliException("serve: not implemented yet"));
        return command;
    }
}
