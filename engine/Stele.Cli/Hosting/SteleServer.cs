using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Stele.Api;
using Stele.EventStore;
using Stele.Storage;

namespace Stele.Cli.Hosting;

/// <summary>
/// The HTTP side of `stele serve`: health, log facts, and the published files read through the
/// object store (a convenience; any static host serves the same bytes).
/// </summary>
public static class SteleServer
{
    public static WebApplication Build(Uri listen, PostgresEventStore events, IObjectStore storage, SubmissionApi? submissions = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(listen.GetLeftPart(UriPartial.Authority));
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var app = builder.Build();

        app.MapGet("/healthz", async (CancellationToken ct) =>
        {
            var facts = await events.GetInfoAsync(ct);
            return Results.Text($"ok head={facts.HeadPosition}\n");
        });

        app.MapGet("/v1/log/info", async (CancellationToken ct) => Results.Json(await events.GetInfoAsync(ct), SteleJson.Default.EventStoreInfo));

        app.MapGet("/log/{**key}", async (string key, HttpContext http, CancellationToken ct) =>
        {
            if (!ObjectKey.IsValid(key)) return Results.NotFound();
            var body = await storage.TryGetAsync(key, ct);
            if (body is null) return Results.NotFound();
            http.Response.Headers.CacheControl = body.Properties.Metadata.CacheControl ?? "no-cache";
            return Results.Stream(body, body.Properties.Metadata.ContentType ?? "application/octet-stream");
        });
        if (submissions is not null) app.MapSteleSubmissionApi(submissions);
        return app;
    }
}
