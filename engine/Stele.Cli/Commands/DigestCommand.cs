using System.CommandLine;
using Stele.Cli.Commands.Digest;

namespace Stele.Cli.Commands;

/// <summary>`stele digest FILE|-…`: BLAKE3 checksums in b3sum's format, optionally SHA-256 beside them.</summary>
internal static class DigestCommand
{
    public static Command Create()
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Files to hash; `-` (or nothing) reads standard input.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var sha256 = new Option<bool>("--sha256")
        {
            Description = "Also print a SHA-256 line per input, in the tagged format of `sha256sum --tag`: "
                + "`SHA256 (NAME) = HEX` (`sha256sum -c` checks it).",
        };
        var progress = new Option<bool>("--progress")
        {
            Description = "Show progress on stderr for inputs over 256 MiB even when stderr is not a terminal.",
        };
        var parallel = new Option<bool>("--parallel")
        {
            Description = "Hash each large input on all cores (same digest, less time).",
        };

        var command = new Command("digest",
            "Print the BLAKE3 digest of each input as b3sum does: `HEX  NAME` (NAME is `-` for standard input).");
        command.Arguments.Add(files);
        command.Options.Add(sha256);
        command.Options.Add(progress);
        command.Options.Add(parallel);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var sources = DigestSource.Resolve(parse.GetValue(files) ?? []);
            var showProgress = parse.GetValue(progress) || !Console.IsErrorRedirected;
            foreach (var source in sources)
            {
                var meter = new DigestProgress(source.Name, source.KnownLength, showProgress);
                long done = 0;
                var (blake3, sha) = source.IsStandardInput
                    ? await StreamDigester.DigestAsync(Console.OpenStandardInput(bufferSize: 0), parse.GetValue(sha256),
                        parse.GetValue(parallel), bytes => meter.Report(done = bytes), ct)
                    : await StreamDigester.DigestFileAsync(source.Path!, parse.GetValue(sha256), parse.GetValue(parallel),
                        bytes => meter.Report(done = bytes), ct);
                meter.Complete(done);
                Console.Out.WriteLine(ChecksumLine.Blake3(blake3.ToString(), source.Name));
                if (sha is not null) Console.Out.WriteLine(ChecksumLine.Sha256(Convert.ToHexStringLower(sha), source.Name));
            }
            return 0;
        });
        return command;
    }
}
