using System.CommandLine;
using Stele.Cli.Configuration;
using Stele.Cli.Hosting;

namespace Stele.Cli.Commands;

/// <summary>`stele migrate`: create the database if needed and apply pending migrations.</summary>
internal static class MigrateCommand
{
    public static Command Create()
    {
        var command = new Command("migrate", "Create the database if missing and apply pending schema migrations (also done by `serve`).");
        command.SetAction(async (parse, ct) =>
        {
            var settings = SteleSettings.Resolve(parse);
            await using var database = SteleServices.OpenDatabase(settings);
            var result = await SteleServices.MigrateAsync(settings, database, new Progress<string>(line => Console.Error.WriteLine($"migrate: {line}")), ct);
            Console.WriteLine($"schema version {result.SchemaVersion}: applied {result.Applied.Count}, already applied {result.AlreadyApplied.Count}");
            return 0;
        });
        return command;
    }
}
