using System.CommandLine;
using Stele.Client;

namespace Stele.Cli.Commands;

/// <summary>`stele keygen --out FILE`: a new client key file (Ed25519 + BLS, owner-only, never overwritten).</summary>
internal static class KeygenCommand
{
    public static Command Create()
    {
        var output = new Option<string>("--out") { Description = "Where to write the key file (created with mode 0600; refuses to overwrite).", Required = true };
        var command = new Command("keygen", "Create a client key file: Ed25519 and BLS12-381 key pairs with the BLS proof of possession (docs/keys.md).");
        command.Options.Add(output);
        command.SetAction((ParseResult parse, CancellationToken ct) =>
        {
            var path = parse.GetValue(output)!;
            using var keys = ClientKeys.Generate();
            try
            {
                keys.Save(path);
            }
            catch (ClientKeyException ex)
            {
                throw new CliException(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new CliException($"cannot write {path}: {ex.Message}");
            }
            Console.Out.WriteLine($"client id    {keys.Client}");
            Console.Out.WriteLine($"ed25519      {keys.Ed25519PublicKey}");
            Console.Out.WriteLine($"bls          {keys.BlsPublicKey}");
            Console.Error.WriteLine($"keygen: wrote {path} (mode 0600); register it with `stele register {path} --server URL`");
            return Task.FromResult(0);
        });
        return command;
    }
}
