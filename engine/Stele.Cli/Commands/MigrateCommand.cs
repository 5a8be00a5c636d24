using System.CommandLine;

namespace Stele.Cli.Commands;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "(being built)");
        command.SetAction(int (_) => throw new CliException("migrate: not implemented yet"));
        return command;
    }
}
