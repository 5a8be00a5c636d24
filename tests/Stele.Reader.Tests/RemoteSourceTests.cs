using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Stele.Reader.Sources;
using Stele.Reader.Tests.Support;
using Stele.Reader.Verification;
using Stele.Storage;
using Stele.Storage.S3;
using Stele.Testing;

namespace Stele.Reader.Tests;

/// <summary>The same log read from a static HTTP host on loopback and from S3 (the test s3rver).</summary>
public sealed class RemoteSourceTests
{
    [Fact]
    public async Task ALogOnAStaticHttpHostVerifiesAndAMissingFileIsA404()
    {
        using var sample = new SampleLog(300);
        using var dir = new TempDirectory();
        await sample.Log.PublishToDirectoryAsync(dir.Path);
        await using var app = await StartStaticHostAsync(dir.Path);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        await using var source = LogSources.Open(address + "/log/");

        var result = await LogReader.VerifyAsync(source, sample.Log.Verifier);
        Assert.Equal(sample.Log.Size, result.Size.Value);
        var proof = await LogReader.ProveInclusionAsync(source, sample.Log.Verifier, 300);
        Assert.Equal(300UL, proof.Leaf.Value);

        File.Delete(dir.File("payload/001"));
        var e = await Assert.ThrowsAsync<LogVerificationException>(() => LogReader.VerifyAsync(source, sample.Log.Verifier));
        Assert.Equal("payload/001", e.File);
    }

    [Fact]
    public async Task ALogOnS3VerifiesAndMirrorsToS3()
    {
        using var sample = new SampleLog(300);
        var settings = S3Settings.ForS3rver(new Uri(TestServers.S3Endpoint));
        var bucket = "stele-reader-" + Guid.NewGuid().ToString("N")[..12];
        await using (var create = new Storage.S3.S3ObjectStore(settings, bucket, "")) await create.EnsureBucketAsync();
        await using (var store = ObjectStores.Open($"s3://{bucket}/board", settings)) await sample.Log.PublishAsync(store);

        await using var source = LogSources.Open($"s3://{bucket}/board", settings);
        var result = await LogReader.VerifyAsync(source, sample.Log.Verifier);
        Assert.Equal(sample.Log.Size, result.Size.Value);
        Assert.Equal(200_000, result.BlobBytes);

        await using var mirror = ObjectStores.Open($"s3://{bucket}/mirror", settings);
        var copied = await LogReader.MirrorAsync(source, mirror, sample.Log.Verifier);
        Assert.True(copied.FilesCopied > 5);
        await using var mirrored = LogSources.Open($"s3://{bucket}/mirror", settings);
        Assert.Equal(result.Root, (await LogReader.VerifyAsync(mirrored, sample.Log.Verifier)).Root);
        var properties = await mirror.HeadAsync("tile/entries/000");
        Assert.Equal("public, max-age=31536000, immutable", properties!.Metadata.CacheControl);
    }

    private static async Task<WebApplication> StartStaticHostAsync(string root)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(root),
            RequestPath = "/log",
            ServeUnknownFileTypes = true,
            DefaultContentType = "application/octet-stream",
        });
        await app.StartAsync();
        return app;
    }
}
