using Stele.Storage.Local;
using Stele.Storage.S3;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.Location;

public sealed class ObjectStoreLocationTests
{
    [Fact]
    public void Absolute_file_locations_keep_their_path()
    {
        var location = Assert.IsType<DirectoryLocation>(ObjectStoreLocation.Parse("file:///srv/stele/board"));
        Assert.Equal("/srv/stele/board", location.FullPath);
        Assert.Equal("file:///srv/stele/board", location.ToString());
    }

    [Fact]
    public void Relative_file_locations_resolve_against_the_current_directory()
    {
        var location = Assert.IsType<DirectoryLocation>(ObjectStoreLocation.Parse("file://data/board"));
        Assert.Equal(Path.Combine(Directory.GetCurrentDirectory(), "data", "board"), location.FullPath);
    }

    [Theory]
    [InlineData("s3://stele-board/prod/v1", "stele-board", "prod/v1")]
    [InlineData("s3://stele-board/prod/v1/", "stele-board", "prod/v1")]
    [InlineData("s3://stele-board", "stele-board", "")]
    [InlineData("s3://stele-board/", "stele-board", "")]
    [InlineData("S3://my.bucket-2/x", "my.bucket-2", "x")]
    public void S3_locations_give_bucket_and_prefix(string text, string bucket, string prefix)
    {
        var location = Assert.IsType<S3Location>(ObjectStoreLocation.Parse(text));
        Assert.Equal(bucket, location.Bucket);
        Assert.Equal(prefix, location.Prefix);
        Assert.Equal(location, ObjectStoreLocation.Parse(location.ToString()));
    }

    [Theory]
    [InlineData("/srv/board", "Unsupported")]
    [InlineData("http://host/board", "Unsupported")]
    [InlineData("file://", "no path")]
    [InlineData("file:///a?b", "query")]
    [InlineData("s3://", "name is missing")]
    [InlineData("s3:///prefix", "name is missing")]
    [InlineData("s3://ab/x", "3 to 63")]
    [InlineData("s3://Upper/x", "lowercase")]
    [InlineData("s3://under_score", "lowercase")]
    [InlineData("s3://-dash/x", "start and end")]
    [InlineData("s3://a..b/x", "'..'")]
    [InlineData("s3://bucket/a//b", "prefix")]
    [InlineData("s3://bucket/../x", "prefix")]
    public void Bad_locations_fail_with_one_clear_line(string text, string reason)
    {
        var error = Assert.Throws<FormatException>(() => ObjectStoreLocation.Parse(text));
        Assert.Contains(reason, error.Message);
        Assert.Contains(text, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.False(ObjectStoreLocation.TryParse(text, out var none));
        Assert.Null(none);
    }

    [Fact]
    public async Task Open_gives_a_directory_store_for_a_file_location()
    {
        using var folder = new TempFolder();
        await using var store = ObjectStores.Open("file://" + Path.Combine(folder.Path, "board"));
        var directory = Assert.IsType<DirectoryObjectStore>(store);
        Assert.True(Directory.Exists(directory.RootPath));
    }

    [Fact]
    public async Task Open_gives_an_s3_store_for_an_s3_location_with_settings()
    {
        var settings = new S3Settings(new Uri("http://127.0.0.1:9"), "eu-west-1", "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG");
        await using var store = ObjectStores.Open("s3://stele-board/prod", settings);
        var s3 = Assert.IsType<S3ObjectStore>(store);
        Assert.Equal("stele-board", s3.Bucket);
        Assert.Equal("prod", s3.Prefix);
        Assert.Equal("s3://stele-board/prod", s3.Location);
    }

    [Fact]
    public void Open_refuses_an_s3_location_without_settings()
    {
        var error = Assert.Throws<ArgumentException>(() => ObjectStores.Open("s3://stele-board/prod"));
        Assert.Contains("needs S3 settings", error.Message);
    }
}
