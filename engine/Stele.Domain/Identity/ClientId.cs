using System.Buffers.Binary;
using System.Globalization;
using Stele.Crypto.Blake3;
using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;

namespace Stele.Domain.Identity;

/// <summary>
/// A client's short, self-certifying id: the first 8 bytes of a BLAKE3 key derivation over its
/// two public keys (docs/log-format.md). Printed as 16 lowercase hex digits.
/// </summary>
public readonly record struct ClientId(ulong Value) : IComparable<ClientId>
{
    public const string DerivationContext = "stele 2026-11 client id";

    public static ClientId FromKeys(Ed25519PublicKey ed25519, BlsPublicKey bls)
    {
        Span<byte> material = stackalloc byte[Ed25519PublicKey.Length + BlsPublicKey.CompressedLength];
        ed25519.AsSpan().CopyTo(material);
        bls.WriteBytes(material[Ed25519PublicKey.Length..]);
        Span<byte> derived = stackalloc byte[8];
        Blake3.DeriveKey(DerivationContext, material, derived);
        return new ClientId(BinaryPrimitives.ReadUInt64BigEndian(derived));
    }

    public static ClientId Parse(string hex) =>
        hex is { Length: 16 } && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            ? new ClientId(value)
            : throw new FormatException($"a client id is 16 hex digits, not '{hex}'");

    public int CompareTo(ClientId other) => Value.CompareTo(other.Value);

    public override string ToString() => Value.ToString("x16", CultureInfo.InvariantCulture);
}
