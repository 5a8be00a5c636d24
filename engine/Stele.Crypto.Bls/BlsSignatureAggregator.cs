using Stele.Crypto.Bls.Curve;
using Stele.Crypto.Bls.Field;
using Stele.Crypto.Bls.Serialization;

namespace Stele.Crypto.Bls;

/// <summary>
/// Sums many signatures without allocating per item. Encoded inputs (96 or 192 bytes) get the full format
/// and on-curve checks; the subgroup check runs once, on the sum, in <see cref="ToSignature"/>. This is
/// exactly the IETF Aggregate (signature_to_point per item, no per-item subgroup check) followed by the
/// signature_subgroup_check that CoreVerify applies to the aggregate, so the verdict of any later
/// verification equals the spec's. See docs/bls.md.
/// </summary>
public sealed class BlsSignatureAggregator
{
    // Points wait in a small buffer and are summed a chunk at a time with batched affine additions
    // (AffineBatchSum): about half the field work of one projective addition per signature.
    private const int Chunk = 256;
    private Point<Fp2> _sum = Point<Fp2>.Identity;
    private Fp2[]? _xs, _ys, _scratch;
    private int _buffered;

    public int Count { get; private set; }

    public void Add(BlsSignature signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        Buffer(signature.Point);
        Count++;
    }

    /// <summary>Adds one encoded signature; throws <see cref="BlsFormatException"/> if it is malformed or off the curve.</summary>
    public void Add(ReadOnlySpan<byte> encoded)
    {
        if (!TryAdd(encoded, out var error)) throw new BlsFormatException(error, "signature");
    }

    public bool TryAdd(ReadOnlySpan<byte> encoded, out BlsError error)
    {
        error = PointEncoding.DecodeG2(encoded, checkSubgroup: false, out var point);
        if (error != BlsError.None) return false;
        Buffer(point);
        Count++;
        return true;
    }

    private void Buffer(in Affine<Fp2> point)
    {
        if (point.IsInfinity) return;
        _xs ??= new Fp2[Chunk];
        _ys ??= new Fp2[Chunk];
        _scratch ??= new Fp2[Chunk];
        _xs[_buffered] = point.X;
        _ys[_buffered] = point.Y;
        if (++_buffered == Chunk) Flush();
    }

    private void Flush()
    {
        if (_buffered == 0) return;
        AffineBatchSum<Fp2>.Sum(_xs, _ys, _buffered, _scratch, ref _sum);
        _buffered = 0;
    }

    /// <summary>Adds back-to-back encodings of <paramref name="itemLength"/> bytes each (96 or 192).</summary>
    public void AddPacked(ReadOnlySpan<byte> packed, int itemLength)
    {
        if (itemLength is not (PointEncoding.G2Compressed or PointEncoding.G2Uncompressed) || packed.Length % itemLength != 0)
            throw new ArgumentException("packed length must be a multiple of 96 or 192", nameof(packed));
        for (int offset = 0; offset < packed.Length; offset += itemLength)
        {
            if (!TryAdd(packed.Slice(offset, itemLength), out var error))
                throw new BlsFormatException(error, $"signature at index {offset / itemLength}");
        }
    }

    /// <summary>The aggregate signature; throws if nothing was added or if the sum is outside G2.</summary>
    public BlsSignature ToSignature()
    {
        if (Count == 0) throw new InvalidOperationException("cannot aggregate an empty list of signatures");
        Flush();
        if (!G2.IsInSubgroup(_sum)) throw new BlsFormatException(BlsError.NotInSubgroup, "aggregate signature");
        return new BlsSignature(Curve<Fp2>.ToAffineVartime(_sum));
    }
}
