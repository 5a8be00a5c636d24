using System.Security.Cryptography;
using Stele.Storage.S3;
using Stele.Storage.Tests.Support;

namespace Stele.Storage.Tests.S3;

public sealed class Md5CheckingStreamTests
{
    [Fact]
    public async Task A_body_matching_its_etag_reads_through()
    {
        var body = Bytes.Pattern(100_000);
        var stream = new Md5CheckingStream(new MemoryStream(body), MD5.HashData(body), body.Length, "GET of 'k'");
        var back = new MemoryStream();
        await stream.CopyToAsync(back, 4096);
        Assert.Equal(body, back.ToArray());
    }

    [Fact]
    public async Task A_corrupted_body_fails_at_its_end()
    {
        var body = Bytes.Pattern(100_000);
        var md5 = MD5.HashData(body);
        body[777] ^= 1;
        var stream = new Md5CheckingStream(new MemoryStream(body), md5, body.Length, "GET of 'k'");
        var error = await Assert.ThrowsAsync<ObjectStoreException>(() => stream.CopyToAsync(Stream.Null));
        Assert.Contains("does not match its ETag", error.Message);
    }

    [Fact]
    public void A_truncated_body_fails_at_its_end()
    {
        var body = Bytes.Pattern(1000);
        var stream = new Md5CheckingStream(new MemoryStream(body[..999]), MD5.HashData(body), body.Length, "GET of 'k'");
        Assert.Throws<ObjectStoreException>(() => stream.CopyTo(Stream.Null));
    }

    [Theory]
    [InlineData("\"0123456789abcdef0123456789abcdef\"", true)]
    [InlineData("0123456789ABCDEF0123456789ABCDEF", true)]
    [InlineData("\"0123456789abcdef0123456789abcdef-3\"", false)]
    [InlineData("\"not-an-md5\"", false)]
    [InlineData(null, false)]
    public void Only_plain_md5_etags_are_checked(string? etag, bool isMd5)
    {
        Assert.Equal(isMd5, Md5CheckingStream.Md5FromETag(etag) is not null);
    }
}
