using Stele.Crypto.Blake3;

namespace Stele.Domain.Content;

/// <summary>BLAKE3 keyed by the entry's salt, over its content: what the log commits to.</summary>
public readonly record struct Commitment(Blake3Hash Hash)
{
    public const int Length = Blake3Hash.Length;

    public static Commitment Compute(Salt salt, ReadOnlySpan<byte> content) => new(Blake3.KeyedHash(salt.AsSpan(), content));

    /// <summary>An incremental hasher for contents too large to hold: feed it, then <see cref="FromHasher"/>.</summary>
    public static Blake3Hasher StartHashing(Salt salt) => Blake3Hasher.CreateKeyed(salt.AsSpan());

    public static Commitment FromHasher(Blake3Hasher hasher) => new(hasher.Finalize());

    public static Commitment FromBytes(ReadOnlySpan<byte> bytes) => new(Blake3Hash.FromBytes(bytes));

    public void CopyTo(Span<byte> destination) => Hash.CopyTo(destination);

    public override string ToString() => Hash.ToString();
}
