using System.Security.Cryptography;

namespace Stele.Domain.Content;

/// <summary>
/// The fresh random 32-byte key of a content commitment. Together with the content it is the
/// entry's opening; erasure deletes both. Not printable: it is as sensitive as the content.
/// </summary>
public sealed class Salt
{
    public const int Length = 32;
    private readonly byte[] _bytes;

    private Salt(byte[] bytes) => _bytes = bytes;

    public static Salt NewRandom() => new(RandomNumberGenerator.GetBytes(Length));

    public static Salt FromBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == Length ? new Salt(bytes.ToArray()) : throw new ArgumentException($"A salt is {Length} bytes, not {bytes.Length}.", nameof(bytes));

    public ReadOnlySpan<byte> AsSpan() => _bytes;

    public override string ToString() => "Salt(***)";
}
