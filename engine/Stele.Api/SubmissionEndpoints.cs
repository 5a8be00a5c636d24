using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Stele.Api;

/// <summary>Maps the submission API (docs/http-api.md) onto an ASP.NET Core app.</summary>
public static class SubmissionEndpoints
{
    public static IEndpointRouteBuilder MapSteleSubmissionApi(this IEndpointRouteBuilder app, SubmissionApi api)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(api);
        app.MapGet("/v1/origin", () => api.GetOrigin());
        app.MapPost("/v1/clients", (HttpContext http, CancellationToken ct) => SubmissionApi.GuardAsync(() => api.RegisterAsync(http, ct)));
        app.MapGet("/v1/clients/{client}", (string client, CancellationToken ct) => SubmissionApi.GuardAsync(() => api.GetClientAsync(client, ct)));
        app.MapPost("/v1/entries", (HttpContext http, CancellationToken ct) => SubmissionApi.GuardAsync(() => api.SubmitEntryAsync(http, ct)));
        app.MapGet("/v1/entries/{client}/{sequence}", (HttpRequest request, string client, string sequence, CancellationToken ct) =>
            SubmissionApi.GuardAsync(() => api.GetEntryStatusAsync(request, client, sequence, ct)));
        app.MapPost("/v1/batches", (HttpContext http, CancellationToken ct) => SubmissionApi.GuardAsync(() => api.SubmitBatchAsync(http, ct)));
        app.MapSteleRedactions(api);
        // The API's LISTEN connection ends with the server.
        app.ServiceProvider.GetService<IHostApplicationLifetime>()?.ApplicationStopping.Register(() => api.DisposeAsync().AsTask().Wait());
        return app;
    }
}
