using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Content;
using Stele.Domain.Identity;
using Stele.Domain.Signing;

namespace Stele.Api.Tests;

/// <summary>The worked example of docs/http-api.md: a third party must get the same bytes.</summary>
public sealed class HttpApiVectorTests
{
    private static readonly string Doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "http-api.md"));

    [Fact]
    public void The_documented_entry_and_registration_values_match_the_code()
    {
        using var ed = Ed25519SecretKey.FromSeed(Convert.FromHexString("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        using var bls = BlsSecretKey.FromBytes(Convert.FromHexString("263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3"));
        var client = ClientId.FromKeys(ed.PublicKey, bls.PublicKey);
        var origin = new LogOrigin("example.org/board");
        var salt = Salt.FromBytes([.. new byte[31], 1]);
        var commitment = Commitment.Compute(salt, "yes"u8);
        var entry = SigningMessages.Entry(origin, new EntryDescriptor(client, 1, commitment, 3, new MediaType("text/plain")));
        var registration = SigningMessages.Registration(origin, client, ed.PublicKey, bls.PublicKey);

        foreach (var value in new[]
        {
            ed.PublicKey.ToString(), bls.PublicKey.ToString(), client.ToString(), commitment.ToString(),
            Convert.ToHexStringLower(entry), ed.Sign(entry).ToString(),
            Convert.ToHexStringLower(registration), ed.Sign(registration).ToString(), bls.ProvePossession().ToString(),
        })
        {
            Assert.Contains(value, Doc);
        }
        Assert.True(Bls.PopVerify(bls.PublicKey, bls.ProvePossession(), out _));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Stele.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Stele.slnx not found above the test binaries");
    }
}
