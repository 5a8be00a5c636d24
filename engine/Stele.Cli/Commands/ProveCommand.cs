using System.CommandLine;
using Stele.Reader;
using Stele.Tlog;

namespace Stele.Cli.Commands;

/// <summary>`stele prove inclusion|consistency`: proofs from a log's tiles, verified against its trusted checkpoint.</summary>
internal static class ProveCommand
{
    public static Command Create()
    {
        var command = new Command("prove", "Print and verify an inclusion or consistency proof from a published log's tiles.");
        command.Subcommands.Add(Inclusion());
        command.Subcommands.Add(Consistency());
        return command;
    }

    private static Command Inclusion()
    {
        var source = ReaderCli.SourceArgument();
        var key = ReaderCli.KeyOption();
        var leaf = new Option<ulong?>("--leaf") { Description = "The leaf index to prove." };
        var hash = new Option<string?>("--hash") { Description = "Or the leaf's RFC 6962 leaf hash (hex or base64) to find and prove." };
        var command = new Command("inclusion", "Prove a leaf is in the log's current checkpoint.");
        command.Arguments.Add(source);
        command.Options.Add(key);
        command.Options.Add(leaf);
        command.Options.Add(hash);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var trusted = ReaderCli.TrustedKey(parse.GetValue(key));
            var byLeaf = parse.GetValue(leaf);
            var byHash = parse.GetValue(hash);
            if (byLeaf is null == byHash is null) throw new CliException("give exactly one of --leaf N or --hash LEAF_HASH");
            await using var log = ReaderCli.OpenSource(parse.GetValue(source)!);
            var proof = await ReaderCli.RunAsync(() => byLeaf is { } n
                ? LogReader.ProveInclusionAsync(log, trusted, n, ct)
                : LogReader.ProveInclusionAsync(log, trusted, ParseHash(byHash!), ct));
            var o = Console.Out;
            o.WriteLine($"origin     {proof.Origin}");
            o.WriteLine($"tree size  {proof.Size}");
            o.WriteLine($"root       {proof.Root.ToBase64()}");
            o.WriteLine($"leaf       {proof.Leaf}");
            o.WriteLine($"leaf hash  {proof.LeafHash.ToHex()}");
            o.WriteLine($"record     {Convert.ToHexStringLower(proof.Record.Span)}");
            o.WriteLine($"proof      {proof.Path.Count} hashes");
            foreach (var h in proof.Path) o.WriteLine($"  {h.ToBase64()}");
            o.WriteLine("verified   inclusion against the checkpoint signed by the trusted key");
            return 0;
        });
        return command;
    }

    private static Command Consistency()
    {
        var source = ReaderCli.SourceArgument();
        var key = ReaderCli.KeyOption();
        var from = new Option<ulong>("--from") { Description = "The older tree size.", Required = true };
        var old = new Option<FileInfo?>("--old-checkpoint") { Description = "The older checkpoint file, whose root is then the one proved." };
        var command = new Command("consistency", "Prove an older tree is a prefix of the log's current checkpoint.");
        command.Arguments.Add(source);
        command.Options.Add(key);
        command.Options.Add(from);
        command.Options.Add(old);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var trusted = ReaderCli.TrustedKey(parse.GetValue(key));
            ReadOnlyMemory<byte>? oldCheckpoint = parse.GetValue(old) is { } file ? (ReadOnlyMemory<byte>?)ReaderCli.ReadFile(file) : null;
            await using var log = ReaderCli.OpenSource(parse.GetValue(source)!);
            var proof = await ReaderCli.RunAsync(() => LogReader.ProveConsistencyAsync(log, trusted, new TreeSize(parse.GetValue(from)), oldCheckpoint, ct));
            var o = Console.Out;
            o.WriteLine($"origin     {proof.Origin}");
            o.WriteLine($"old size   {proof.OldSize}");
            o.WriteLine($"old root   {proof.OldRoot.ToBase64()}");
            o.WriteLine($"tree size  {proof.Size}");
            o.WriteLine($"root       {proof.Root.ToBase64()}");
            o.WriteLine($"proof      {proof.Path.Count} hashes");
            foreach (var h in proof.Path) o.WriteLine($"  {h.ToBase64()}");
            o.WriteLine("verified   consistency against the checkpoint signed by the trusted key");
            return 0;
        });
        return command;
    }

    private static Hash ParseHash(string text)
    {
        try
        {
            return text.Length == 64 ? Hash.FromHex(text) : Hash.FromBase64(text);
        }
        catch (FormatException e)
        {
            throw new CliException($"--hash: {e.Message}");
        }
    }
}
