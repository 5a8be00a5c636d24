using System.Security.Cryptography;
using System.Text;

namespace Stele.Crypto.Bls.HashToCurve;

/// <summary>expand_message_xmd with SHA-256 (RFC 9380 §5.3.1), including the oversize-DST rule (§5.3.3).</summary>
internal static class ExpandMessageXmd
{
    private const int HashLength = 32;
    private const int BlockLength = 64;
    private static readonly byte[] s_oversizePrefix = Encoding.ASCII.GetBytes("H2C-OVERSIZE-DST-");

    /// <summary>Shortens a DST longer than 255 bytes to H("H2C-OVERSIZE-DST-" || DST), as the RFC requires.</summary>
    internal static byte[] NormalizeDst(ReadOnlySpan<byte> dst)
    {
        if (dst.Length <= 255) return dst.ToArray();
        using var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(s_oversizePrefix);
        h.AppendData(dst);
        return h.GetHashAndReset();
    }

    /// <summary>Fills <paramref name="output"/> (at most 255·32 bytes) with uniform bytes; the DST must be at most 255 bytes (normalise first).</summary>
    internal static void Expand(ReadOnlySpan<byte> msg, ReadOnlySpan<byte> dst, Span<byte> output)
    {
        if (dst.Length > 255) throw new ArgumentException("DST longer than 255 bytes must be normalised first", nameof(dst));
        int len = output.Length;
        int ell = (len + HashLength - 1) / HashLength;
        if (ell > 255 || len > 65535) throw new ArgumentException("requested output too long", nameof(output));

        Span<byte> dstPrime = stackalloc byte[dst.Length + 1];
        dst.CopyTo(dstPrime);
        dstPrime[^1] = (byte)dst.Length;

        Span<byte> b0 = stackalloc byte[HashLength];
        using (var h = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            Span<byte> zPad = stackalloc byte[BlockLength];
            zPad.Clear();
            h.AppendData(zPad);
            h.AppendData(msg);
            Span<byte> tail = [(byte)(len >> 8), (byte)len, 0];
            h.AppendData(tail);
            h.AppendData(dstPrime);
            h.GetHashAndReset(b0);
        }

        Span<byte> input = stackalloc byte[HashLength + 1 + dstPrime.Length];
        Span<byte> bi = stackalloc byte[HashLength];
        dstPrime.CopyTo(input[(HashLength + 1)..]);
        for (int i = 1; i <= ell; i++)
        {
            for (int j = 0; j < HashLength; j++) input[j] = (byte)(b0[j] ^ (i == 1 ? 0 : bi[j]));
            input[HashLength] = (byte)i;
            SHA256.HashData(input, bi);
            int offset = (i - 1) * HashLength;
            bi[..Math.Min(HashLength, len - offset)].CopyTo(output[offset..]);
        }
    }
}
