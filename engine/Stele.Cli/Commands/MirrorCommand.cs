using System.CommandLine;
using System.Globalization;
using Stele.Reader;
using Stele.Reader.Mirror;
using Stele.Storage;
using Stele.Storage.S3;

namespace Stele.Cli.Commands;

/// <summary>`stele mirror SOURCE DEST --key V`: copy what is new, verifying as it goes; refuse a split view.</summary>
internal static class MirrorCommand
{
    public static Command Create()
    {
        var source = ReaderCli.SourceArgument();
        var destination = new Argument<string>("destination") { Description = "Where the mirror lives: a directory, file://… or s3://bucket/prefix." };
        var key = ReaderCli.KeyOption();
        var progress = ReaderCli.ProgressOption();
        var command = new Command("mirror",
            "Mirror a published log: verify it (consistent with the mirror's own checkpoint), copy only new files, checkpoint last; "
            + "stop loudly if an immutable file differs (split view). Re-run to resume.");
        command.Arguments.Add(source);
        command.Arguments.Add(destination);
        command.Options.Add(key);
        command.Options.Add(progress);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var trusted = ReaderCli.TrustedKey(parse.GetValue(key));
            await using var log = ReaderCli.OpenSource(parse.GetValue(source)!);
            await using var store = OpenDestination(parse.GetValue(destination)!);
            var result = await ReaderCli.RunAsync(() => ReaderCli.WithProgressAsync(parse.GetValue(progress), "mirroring", (MirrorProgress p) => (p.Done, p.Total),
                reporter => LogReader.MirrorAsync(log, store, trusted, null, reporter, ct)));
            var o = Console.Out;
            o.WriteLine($"mirrored  {result.Log.Origin} to {store.Location}");
            o.WriteLine($"size      {result.Log.Size} leaves (was {(result.PreviousSize is { } p ? p.ToString() : "empty")}), root {result.Log.Root.ToBase64()}");
            o.WriteLine($"files     {result.FilesCopied} copied ({result.BytesCopied.ToString("N0", CultureInfo.InvariantCulture)} bytes), {result.FilesAlreadyPresent} already present and identical");
            if (result.ErasedBlobsRemoved > 0) o.WriteLine($"erased    {result.ErasedBlobsRemoved} erased blobs removed from the mirror");
            return 0;
        });
        return command;
    }

    private static IObjectStore OpenDestination(string location)
    {
        try
        {
            if (location.StartsWith("s3://", StringComparison.OrdinalIgnoreCase))
            {
                var settings = S3Settings.FromEnvironment()
                    ?? throw new CliException($"mirroring to {location} needs S3 credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, STELE_S3_ENDPOINT)");
                return ObjectStores.Open(location, settings);
            }
            if (location.Contains("://", StringComparison.Ordinal) && !location.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"a mirror destination is a directory, file://… or s3://…, not '{location}'");
            return ObjectStores.Open(location.StartsWith("file://", StringComparison.OrdinalIgnoreCase) ? location : "file://" + Path.GetFullPath(location));
        }
        catch (FormatException e)
        {
            throw new CliException(e.Message);
        }
    }
}
