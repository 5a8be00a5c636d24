using System.CommandLine;

namespace Stele.Cli.Commands;

/// <summary>`stele bench AREA`: reproducible benchmarks, each against a baseline run beside it.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var bench = new Command("bench", "Run a benchmark against an in-run baseline and print a table of medians.");
        foreach (var area in BenchAreas.All()) bench.Subcommands.Add(area);
        return bench;
    }
}

/// <summary>One file per benchmark area under Commands/Bench/, each listed here once.</summary>
internal static class BenchAreas
{
    public static IEnumerable<Command> All()
    {
        yield return Bench.BenchHashCommand.Create();
        yield return Bench.BenchBlsCommand.Create();
        yield return Bench.BenchTreeCommand.Create();
        yield return Bench.BenchEventStoreCommand.Create();
        yield return Bench.BenchStorageCommand.Create();
        yield return Bench.BenchPublishCommand.Create();
        yield return Bench.VerifyBenchCommand.Create();
        yield return Bench.BrokerBenchCommand.Create();
        yield return Bench.LogBenchCommand.Create();
        yield return Bench.RebuildBenchCommand.Create();
        yield break;
    }
}
