using System.CommandLine;
using Stele.Api;
using Stele.Client;

namespace Stele.Cli.Commands;

/// <summary>`stele register KEYFILE --server URL`: the operator admits a client (needs the operator token).</summary>
internal static class RegisterCommand
{
    public static Command Create()
    {
        var keyFile = new Argument<string>("keyfile") { Description = "The client's key file (from `stele keygen`)." };
        var server = ClientCommandOptions.Server();
        var tokenFile = new Option<string?>("--operator-token-file") { Description = "File holding the operator token (else $STELE_OPERATOR_TOKEN, else operatorToken in stele.json)." };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait until the log has admitted the client (0: don't wait).", DefaultValueFactory = _ => 10 };
        var command = new Command("register", "Register a client on a board (an operator action): appends ClientRegistered after the server checks its keys.");
        command.Arguments.Add(keyFile);
        command.Options.Add(server);
        command.Options.Add(tokenFile);
        command.Options.Add(wait);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var token = ReadToken(parse.GetValue(tokenFile), "registering", Configuration.SteleSettings.Resolve(parse).OperatorToken);
            using var keys = ClientCommandOptions.LoadKeys(parse.GetValue(keyFile)!);
            using var client = await ClientCommandOptions.ConnectAsync(parse, server, ClientCommandOptions.Verifier(), needVerifier: false, ct);
            try
            {
                var position = await client.RegisterAsync(keys, token, ct);
                Console.Error.WriteLine($"register: client {keys.Client} appended at position {position}");
                var seconds = parse.GetValue(wait);
                if (seconds > 0)
                {
                    if (!await client.WaitForRegistrationAsync(keys.Client, TimeSpan.FromSeconds(seconds), ct))
                        throw new CliException($"client {keys.Client} was registered but the log has not admitted it within {seconds} s (is the publisher running?)");
                    Console.Error.WriteLine($"register: client {keys.Client} admitted");
                }
            }
            catch (SteleApiException ex)
            {
                throw new CliException($"register refused ({ex.Status} {ex.Code}): {ex.Message}");
            }
            Console.Out.WriteLine(keys.Client.ToString());
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The operator token from <paramref name="file"/>, else <paramref name="configured"/> ($STELE_OPERATOR_TOKEN or
    /// operatorToken in stele.json, see SteleSettings; shared with `stele redact`).
    /// </summary>
    internal static string ReadToken(string? file, string action, string? configured)
    {
        string? token;
        if (file is not null)
        {
            if (!File.Exists(file)) throw new CliException($"operator token file not found: {file}");
            token = File.ReadAllText(file).Trim();
        }
        else
        {
            token = configured?.Trim();
        }
        if (string.IsNullOrEmpty(token)) throw new CliException($"{action} needs the operator token: --operator-token-file FILE, $STELE_OPERATOR_TOKEN or operatorToken in stele.json");
        if (token.Length < OperatorToken.MinLength) throw new CliException($"the operator token is shorter than {OperatorToken.MinLength} characters");
        return token;
    }
}
