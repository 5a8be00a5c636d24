namespace Stele.Storage.Tests.Keys;

public sealed class ObjectKeyTests
{
    [Theory]
    [InlineData("checkpoint")]
    [InlineData("tile/0/x001/234.p/5")]
    [InlineData("tile/entries/000")]
    [InlineData(".well-known/x")]
    [InlineData("a..b/...")]
    [InlineData("sp ace/\u00e9t\u00e9/\U0001F600")]
    public void Valid_keys_pass(string key)
    {
        ObjectKey.Validate(key);
        Assert.True(ObjectKey.IsValid(key));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("/a", "starts with '/'")]
    [InlineData("a/", "ends with '/'")]
    [InlineData("a//b", "empty segment")]
    [InlineData("a/./b", "'.' segment")]
    [InlineData("..", "'..' segment")]
    [InlineData("a\\b", "backslash")]
    [InlineData("a\u0001b", "control character U+0001")]
    [InlineData("a\u0085b", "control character U+0085")]
    public void Invalid_keys_fail_with_the_reason(string key, string reason)
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.Validate(key));
        Assert.Contains(reason, error.Message);
        Assert.Equal(key, error.Key);
        Assert.False(ObjectKey.IsValid(key));
        Assert.DoesNotContain('\u0001', error.Message);
    }

    [Fact]
    public void Lengths_are_limited_in_utf8_bytes()
    {
        ObjectKey.Validate(new string('a', 255));
        Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.Validate(new string('a', 256)));
        Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.Validate(new string('\u00e9', 128))); // 256 bytes

        var atLimit = string.Join('/', Enumerable.Repeat(new string('b', 204), 5)); // 5*204 + 4 = 1024
        ObjectKey.Validate(atLimit);
        var error = Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.Validate(atLimit + "c"));
        Assert.Contains("1025 bytes", error.Message);
    }

    [Fact]
    public void Lone_surrogates_are_refused()
    {
        Assert.False(ObjectKey.IsValid("a" + '\ud800'));
        Assert.False(ObjectKey.IsValid("a" + '\udc00' + "b"));
        Assert.True(ObjectKey.IsValid("a\U0001F600"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("tile/")]
    [InlineData("tile/0/x0")]
    [InlineData("tile/.")]
    [InlineData(".")]
    public void Valid_prefixes_pass(string prefix) => ObjectKey.ValidatePrefix(prefix);

    [Theory]
    [InlineData("/tile")]
    [InlineData("tile//")]
    [InlineData("../x")]
    [InlineData("a/./")]
    [InlineData("back\\slash")]
    public void Invalid_prefixes_fail(string prefix)
    {
        var error = Assert.Throws<InvalidObjectKeyException>(() => ObjectKey.ValidatePrefix(prefix));
        Assert.Contains("prefix", error.Message);
    }
}
