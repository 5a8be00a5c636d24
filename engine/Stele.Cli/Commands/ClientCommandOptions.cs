using System.CommandLine;
using Stele.Client;
using Stele.Tlog.Notes;

namespace Stele.Cli.Commands;

/// <summary>Options shared by the client-side commands (register, submit): the server and the trusted log key.</summary>
internal static class ClientCommandOptions
{
    public const string DefaultServer = "http://127.0.0.1:7380";

    public static Option<string?> Server() => new("--server") { Description = $"The board's URL ($STELE_SERVER, default {DefaultServer})." };

    public static Option<string?> Verifier() => new("--verifier")
    {
        Description = "The log's verifier key <origin>+<hash>+<base64> ($STELE_LOG_VERIFIER; printed by `stele serve`). "
            + "Without it the server's own key is used (trust on first use).",
    };

    public static async Task<SteleClient> ConnectAsync(ParseResult parse, Option<string?> server, Option<string?> verifier, bool needVerifier, CancellationToken ct)
    {
        var url = parse.GetValue(server) ?? Environment.GetEnvironmentVariable("STELE_SERVER") ?? DefaultServer;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new CliException($"invalid --server '{url}': expected http://HOST:PORT");
        var verifierText = parse.GetValue(verifier) ?? Environment.GetEnvironmentVariable("STELE_LOG_VERIFIER");
        NoteVerifierKey? trusted = null;
        if (!string.IsNullOrWhiteSpace(verifierText))
        {
            try
            {
                trusted = NoteVerifierKey.Parse(verifierText.Trim());
            }
            catch (FormatException ex)
            {
                throw new CliException($"invalid --verifier: {ex.Message}");
            }
        }
        try
        {
            var client = await SteleClient.ConnectAsync(uri, trusted, cancellationToken: ct);
            if (trusted is null && needVerifier)
            {
                if (client.TrustedLog is null) throw new CliException("the server publishes no verifier key: pass --verifier (printed by `stele serve`)");
                Console.Error.WriteLine($"warning: trusting the server's own log key {client.TrustedLog} (pass --verifier to pin it)");
            }
            return client;
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"cannot reach {uri}: {ex.Message}");
        }
        catch (SteleApiException ex)
        {
            throw new CliException($"{uri}: {ex.Message}");
        }
    }

    public static ClientKeys LoadKeys(string path)
    {
        try
        {
            return ClientKeys.Load(path);
        }
        catch (ClientKeyException ex)
        {
            throw new CliException(ex.Message);
        }
    }
}
