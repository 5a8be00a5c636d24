using Stele.Storage.S3;

namespace Stele.Storage.Tests.S3;

public sealed class S3SettingsTests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";

    [Fact]
    public void The_secret_key_never_appears_in_text()
    {
        var settings = new S3Settings(new Uri("http://127.0.0.1:4568"), "us-east-1", "AKIDEXAMPLE", Secret);
        var text = settings.ToString();
        Assert.DoesNotContain(Secret, text);
        Assert.DoesNotContain(Secret, $"{settings}");
        Assert.Contains("AKIDEXAMPLE", text);
        Assert.Contains("127.0.0.1:4568", text);
        Assert.Null(typeof(S3Settings).GetProperty("SecretKey")?.GetGetMethod()); // not public
    }

    [Theory]
    [InlineData("ftp://host")]
    [InlineData("/relative")]
    public void Endpoints_must_be_http_addresses(string endpoint)
    {
        Assert.Throws<ArgumentException>(() =>
            new S3Settings(new Uri(endpoint, UriKind.RelativeOrAbsolute), "us-east-1", "a", "b"));
    }

    [Fact]
    public void Options_out_of_range_are_refused()
    {
        var settings = S3Settings.ForS3rver(new Uri("http://127.0.0.1:9"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3ObjectStore(settings, "bucket", "", new S3ObjectStoreOptions { PartSize = 1024 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new S3ObjectStore(settings, "bucket", "", new S3ObjectStoreOptions { ListPageSize = 0 }));
    }
}
