using System.Security.Cryptography;
using Stele.Domain;
using Stele.Domain.Content;

namespace Stele.Broker.Tests;

/// <summary>The one-row-per-batch openings format (Stele.Domain.Content.PackedOpenings).</summary>
public sealed class PackedOpeningsTests
{
    private static PackedOpening Random(int contentLength)
    {
        var salt = Salt.NewRandom();
        var content = RandomNumberGenerator.GetBytes(contentLength);
        return new PackedOpening(Commitment.Compute(salt, content), salt.AsSpan().ToArray(), content);
    }

    [Fact]
    public void Openings_come_back_in_order_with_their_exact_bytes()
    {
        var openings = new[] { Random(0), Random(1), Random(1024), Random(17) };
        var (commitments, packed) = PackedOpenings.Pack(openings);
        Assert.Equal(4 * 32, commitments.Length);
        Assert.Equal(1 + 4 * 34 + 1042, packed.Length);
        var back = PackedOpenings.Unpack(commitments, packed);
        Assert.Equal(openings.Length, back.Length);
        for (var i = 0; i < openings.Length; i++)
        {
            Assert.Equal(openings[i].Commitment, back[i].Commitment);
            Assert.Equal(openings[i].Salt.ToArray(), back[i].Salt.ToArray());
            Assert.Equal(openings[i].Content.ToArray(), back[i].Content.ToArray());
            Assert.Equal(back[i].Commitment, Commitment.Compute(Salt.FromBytes(back[i].Salt.Span), back[i].Content.Span));
        }
    }

    [Fact]
    public void Without_drops_exactly_the_erased_openings_and_their_bytes()
    {
        var openings = new[] { Random(5), Random(6), Random(7) };
        var (commitments, packed) = PackedOpenings.Pack(openings);
        var rewritten = PackedOpenings.Without(commitments, packed, new HashSet<Commitment> { openings[1].Commitment });
        Assert.NotNull(rewritten);
        var (keptCommitments, keptOpenings) = rewritten.Value;
        var back = PackedOpenings.Unpack(keptCommitments, keptOpenings);
        Assert.Equal([openings[0].Commitment, openings[2].Commitment], back.Select(o => o.Commitment).ToArray());
        Assert.True(keptOpenings.AsSpan().IndexOf(openings[1].Salt.Span) < 0, "the erased salt is still in the row");
        Assert.True(keptOpenings.AsSpan().IndexOf(openings[1].Content.Span) < 0, "the erased content is still in the row");
        Assert.True(keptCommitments.AsSpan().IndexOf(openings[1].Commitment.Hash.AsSpan()) < 0);

        // a commitment the batch does not hold changes nothing
        Assert.Null(PackedOpenings.Without(commitments, packed, new HashSet<Commitment> { Random(3).Commitment }));
    }

    [Fact]
    public void Damaged_rows_are_refused_with_a_reason()
    {
        var (commitments, packed) = PackedOpenings.Pack([Random(10), Random(20)]);
        Assert.Contains("multiple of 32", Assert.Throws<LogFormatException>(() => PackedOpenings.Unpack(commitments[..40], packed)).Message);
        Assert.Contains("truncated", Assert.Throws<LogFormatException>(() => PackedOpenings.Unpack(commitments, packed[..^1])).Message);
        Assert.Contains("follow the last", Assert.Throws<LogFormatException>(() => PackedOpenings.Unpack(commitments[..32], packed)).Message);
        var wrongVersion = packed.ToArray();
        wrongVersion[0] = 2;
        Assert.Contains("version 2", Assert.Throws<LogFormatException>(() => PackedOpenings.Unpack(commitments, wrongVersion)).Message);
        Assert.Contains("version missing", Assert.Throws<LogFormatException>(() => PackedOpenings.Unpack(commitments, Array.Empty<byte>())).Message);
    }
}
