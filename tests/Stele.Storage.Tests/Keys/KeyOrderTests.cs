using System.Text;

namespace Stele.Storage.Tests.Keys;

public sealed class KeyOrderTests
{
    [Fact]
    public void Orders_like_the_utf8_bytes_on_random_strings()
    {
        var random = new Random(2024);
        // Characters from the ranges where UTF-16 and UTF-8 orders disagree, plus ASCII around '/'.
        string[] alphabet = ["-", "/", "0", "a", "\u00e9", "\uD7FF", "\uE000", "\uFFFD", "\U0001F600", "\U00010000"];
        for (int i = 0; i < 5000; i++)
        {
            var x = RandomString(random, alphabet);
            var y = RandomString(random, alphabet);
            int expected = Math.Sign(Encoding.UTF8.GetBytes(x).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(y)));
            Assert.Equal(expected, Math.Sign(KeyOrder.Instance.Compare(x, y)));
        }
    }

    [Fact]
    public void Surrogate_pairs_sort_after_the_top_of_the_basic_plane()
    {
        Assert.True(string.CompareOrdinal("\U0001F600", "\uFFFD") < 0); // what UTF-16 ordinal says
        Assert.True(KeyOrder.Instance.Compare("\U0001F600", "\uFFFD") > 0); // what S3 says
    }

    [Fact]
    public void A_prefix_sorts_first_and_nulls_sort_lowest()
    {
        Assert.True(KeyOrder.Instance.Compare("a", "a/b") < 0);
        Assert.True(KeyOrder.Instance.Compare("a-b", "a/b") < 0);
        Assert.True(KeyOrder.Instance.Compare("a0", "a/b") > 0);
        Assert.Equal(0, KeyOrder.Instance.Compare("same", "same"));
        Assert.True(KeyOrder.Instance.Compare(null, "") < 0);
    }

    private static string RandomString(Random random, string[] alphabet)
    {
        var text = new StringBuilder();
        int length = random.Next(0, 6);
        for (int i = 0; i < length; i++) text.Append(alphabet[random.Next(alphabet.Length)]);
        return text.ToString();
    }
}
