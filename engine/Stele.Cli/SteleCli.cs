using System.CommandLine;
using Stele.Cli.Commands;
using Stele.Cli.Configuration;

namespace Stele.Cli;

/// <summary>Builds the `stele` command tree and runs it with one uniform error policy.</summary>
public static class SteleCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("Stele: a verifiable bulletin board on object storage.");
        GlobalOptions.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(LogCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        foreach (var extra in ExtraCommands.All()) root.Subcommands.Add(extra);
        return root;
    }

    public static async Task<int> RunAsync(string[] args)
    {
        var root = BuildRoot();
        var config = new InvocationConfiguration { EnableDefaultExceptionHandler = false };
        try
        {
            return await root.Parse(args).InvokeAsync(config);
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine("stele: cancelled");
            return 130;
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"stele: error: {CliErrors.Describe(ex)}");
            return CliErrors.ExitCodeFor(ex);
        }
    }
}
