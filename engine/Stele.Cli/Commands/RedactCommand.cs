using System.CommandLine;
using Stele.Client;

namespace Stele.Cli.Commands;

/// <summary>`stele redact --index N --reason TEXT --basis TEXT`: the operator erases one entry's content (docs/erasure.md).</summary>
internal static class RedactCommand
{
    public static Command Create()
    {
        var index = new Option<ulong>("--index") { Description = "The leaf whose content to erase.", Required = true };
        var reason = new Option<string>("--reason") { Description = "Why (published in the redaction notice).", Required = true };
        var basis = new Option<string>("--basis") { Description = "The legal basis, e.g. \"GDPR art. 17(1)(a)\" (published in the notice).", Required = true };
        var server = ClientCommandOptions.Server();
        var tokenFile = new Option<string?>("--operator-token-file") { Description = "File holding the operator token (else $STELE_OPERATOR_TOKEN)." };
        var wait = new Option<double>("--wait") { Description = "Seconds to wait for the log's verdict (0: don't wait).", DefaultValueFactory = _ => 10 };
        var command = new Command("redact",
            "Erase the content and salt of one entry (an operator action): appends EntryRedacted; the log publishes a redaction notice and a tombstone.");
        command.Options.Add(index);
        command.Options.Add(reason);
        command.Options.Add(basis);
        command.Options.Add(server);
        command.Options.Add(tokenFile);
        command.Options.Add(wait);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var token = RegisterCommand.ReadToken(parse.GetValue(tokenFile), "redacting", Configuration.SteleSettings.Resolve(parse).OperatorToken);
            var leaf = parse.GetValue(index);
            using var client = await ClientCommandOptions.ConnectAsync(parse, server, ClientCommandOptions.Verifier(), needVerifier: false, ct);
            try
            {
                var position = await client.RedactAsync(leaf, parse.GetValue(reason)!, parse.GetValue(basis)!, token, ct);
                Console.Error.WriteLine($"redact: erasure of leaf {leaf} appended at position {position}");
                var seconds = parse.GetValue(wait);
                if (seconds <= 0) return 0;
                var status = await client.WaitForRedactionAsync(position, TimeSpan.FromSeconds(seconds), ct)
                    ?? throw new CliException($"the erasure of leaf {leaf} was appended but the log has not folded it within {seconds} s (is the publisher running?)");
                if (status.State == RedactionState.Rejected) throw new CliException($"the log refused the erasure of leaf {leaf}: {status.Reason}");
                Console.Error.WriteLine($"redact: leaf {leaf} erased; notice at leaf {status.NoticeLeaf}");
                Console.Out.WriteLine(status.NoticeLeaf);
                return 0;
            }
            catch (SteleApiException ex)
            {
                throw new CliException($"redact refused ({ex.Status} {ex.Code}): {ex.Message}");
            }
        });
        return command;
    }
}
