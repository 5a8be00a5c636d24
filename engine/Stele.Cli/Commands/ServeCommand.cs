using System.CommandLine;
using System.Net;
using Microsoft.Extensions.Hosting;
using Stele.Cli.Configuration;
using Stele.Cli.Hosting;

namespace Stele.Cli.Commands;

/// <summary>`stele serve`: migrate, then run the HTTP API until stopped (Ctrl-C / SIGTERM).</summary>
internal static class ServeCommand
{
    public const string DefaultListen = "http://127.0.0.1:7380";

    public static Command Create()
    {
        var listen = new Option<string?>("--listen")
        {
            Description = $"Address to serve HTTP on ($STELE_LISTEN, default {DefaultListen}; loopback unless you say otherwise).",
        };
        var noMigrate = new Option<bool>("--no-migrate") { Description = "Do not apply pending migrations at start-up (fail if any are pending)." };
        var command = new Command("serve", "Apply migrations and serve the submission API and the published files over HTTP.");
        command.Options.Add(listen);
        command.Options.Add(noMigrate);
        var operatorTokenFile = new Option<string?>("--operator-token-file")
        {
            Description = "File holding the operator's bearer token for registrations (or $STELE_OPERATOR_TOKEN, or operatorToken in stele.json); without one, registration is disabled.",
        };
        command.Options.Add(operatorTokenFile);
        ProjectionHost.AddOptions(command);
        command.SetAction(async (parse, ct) =>
        {
            var settings = SteleSettings.Resolve(parse);
            var address = ParseListen(parse.GetValue(listen) ?? Environment.GetEnvironmentVariable("STELE_LISTEN") ?? DefaultListen);
            await using var database = SteleServices.OpenDatabase(settings);
            if (!parse.GetValue(noMigrate))
            {
                var result = await SteleServices.MigrateAsync(settings, database, new Progress<string>(line => Console.Error.WriteLine($"migrate: {line}")), ct);
                Console.Error.WriteLine($"serve: schema version {result.SchemaVersion}");
            }
            var events = SteleServices.OpenEventStore(database);
            await events.GetInfoAsync(ct); // fail fast, with one clear line, if the schema is missing
            await using var storage = SteleServices.OpenStorage(settings);
            using var logKey = ProjectionHost.LoadKey(parse, settings.LogKeyPath, out var logKeyPath, out var logKeyCreated);
            Console.Error.WriteLine($"serve: log key {logKeyPath}{(logKeyCreated ? " (created)" : "")}, verifier {logKey.VerifierString}");
            await using var publisher = await ProjectionHost.StartAsync(parse, logKey, settings.Database, database, storage, ct);
            var submissions = SteleServices.OpenSubmissionApi(database, events, storage, logKey.Origin, logKey.Verifier, parse.GetValue(operatorTokenFile), settings.OperatorToken);
            await using var app = SteleServer.Build(address, events, storage, submissions);
            Console.Error.WriteLine($"serve: listening on {address.GetLeftPart(UriPartial.Authority)}, storage {storage.Location}");
            try
            {
                await app.StartAsync(ct);
                await app.WaitForShutdownAsync(ct);
            }
            catch (IOException ex) when (ex.InnerException is System.Net.Sockets.SocketException or null)
            {
                throw new CliException($"cannot listen on {address}: {ex.Message}");
            }
            return 0;
        });
        return command;
    }

    private static Uri ParseListen(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || uri.Port <= 0)
            throw new CliException($"invalid --listen '{text}': expected http://HOST:PORT, e.g. {DefaultListen}");
        if (!IPAddress.TryParse(uri.Host, out _) && uri.Host != "localhost")
            throw new CliException($"invalid --listen '{text}': give an IP address (127.0.0.1, 0.0.0.0, [::1])");
        return uri;
    }
}
