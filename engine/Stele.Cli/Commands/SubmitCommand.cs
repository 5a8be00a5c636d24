using System.CommandLine;
using Stele.Client;
using Stele.Domain.Content;

namespace Stele.Cli.Commands;

/// <summary>`stele submit FILE|- --key KEYFILE --server URL [--media-type T] [--wait]`: post one entry, print its leaf index (or status URL).</summary>
internal static class SubmitCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("file") { Description = "The content to post; `-` reads standard input." };
        var key = new Option<string>("--key") { Description = "The client key file.", Required = true };
        var server = ClientCommandOptions.Server();
        var verifier = ClientCommandOptions.Verifier();
        var mediaType = new Option<string>("--media-type") { Description = "The content's media type.", DefaultValueFactory = _ => "application/octet-stream" };
        var wait = new Option<bool>("--wait") { Description = "Wait until the entry is in a published checkpoint; verify the inclusion proof; print the leaf index." };
        var timeout = new Option<double>("--timeout") { Description = "Seconds to wait with --wait.", DefaultValueFactory = _ => 30 };
        var showProgress = new Option<bool>("--progress") { Description = "Show progress for large contents even when stderr is not a terminal." };
        var command = new Command("submit", "Sign and post one entry (streamed; the commitment is computed locally first).");
        command.Arguments.Add(input);
        command.Options.Add(key);
        command.Options.Add(server);
        command.Options.Add(verifier);
        command.Options.Add(mediaType);
        command.Options.Add(wait);
        command.Options.Add(timeout);
        command.Options.Add(showProgress);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var type = parse.GetValue(mediaType)!;
            if (!MediaType.IsValid(type)) throw new CliException($"invalid --media-type '{type}': expected type/subtype");
            var path = parse.GetValue(input)!;
            if (path != "-" && !File.Exists(path)) throw new CliException($"file not found: {path}");
            using var keys = ClientCommandOptions.LoadKeys(parse.GetValue(key)!);
            var waiting = parse.GetValue(wait);
            using var client = await ClientCommandOptions.ConnectAsync(parse, server, verifier, needVerifier: waiting, ct);
            var progress = new SubmitProgressLine(parse.GetValue(showProgress) || !Console.IsErrorRedirected);
            var options = new SubmitOptions(WaitForInclusion: waiting ? TimeSpan.FromSeconds(parse.GetValue(timeout)) : null, Progress: progress);
            SubmissionResult result;
            try
            {
                result = path == "-"
                    ? await client.SubmitAsync(keys, Console.OpenStandardInput(), new MediaType(type), options, ct)
                    : await client.SubmitFileAsync(keys, path, new MediaType(type), options, ct);
            }
            catch (SteleApiException ex)
            {
                throw new CliException($"submit refused ({ex.Status} {ex.Code}): {ex.Message}");
            }
            catch (HttpRequestException ex)
            {
                throw new CliException($"cannot reach {client.Server}: {ex.Message}");
            }
            finally
            {
                progress.Complete();
            }
            Console.Error.WriteLine($"submit: client {result.Descriptor.Client} sequence {result.Descriptor.Sequence} commitment {result.Descriptor.Commitment}");
            if (result.Included is { } included)
            {
                Console.Error.WriteLine($"submit: included at leaf {included.LeafIndex} under checkpoint {included.Checkpoint} (proof verified)");
                Console.Out.WriteLine(included.LeafIndex.ToString());
                return 0;
            }
            if (result.Status.State == EntryState.Rejected) throw new CliException($"the log rejected the entry: {result.Status.Reason}");
            if (waiting) throw new CliException($"not included within the timeout; status: {result.Status.StatusUrl}");
            Console.Out.WriteLine(result.Status.StatusUrl.ToString());
            return 0;
        });
        return command;
    }
}
