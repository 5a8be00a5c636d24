using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// Chaining values of completed subtrees, left to right. Merging is lazy (only when more input
/// arrives), so the top two entries may be siblings whose parent is not yet known to be the root.
/// </summary>
[InlineArray(Constants.MaxDepth + 2)]
internal struct CvStack
{
    private Words8 _element;
}

/// <summary>
/// The incremental hashing state, as a value type so one-shot hashing needs no allocation.
/// Whole chunks are hashed wide, a power-of-two aligned subtree at a time. A subtree pushes its
/// two halves rather than its own node, and parents are merged only once later input proves
/// they are not the root, so input may end on any chunk boundary without a narrow tail.
/// </summary>
internal struct HasherCore
{
    private Words8 _key;
    private uint _flags;
    private ChunkState _chunk;
    private CvStack _stack;
    private int _stackLength;

    public SimdLevel Level;
    public bool MultiThreaded;

    public void Initialize(in Words8 key, uint flags, SimdLevel level)
    {
        _key = key;
        _flags = flags;
        Level = SimdLevels.Cap(level);
        Reset();
    }

    public void Reset()
    {
        _chunk.Reset(_key, 0, _flags);
        _stack = default;
        _stackLength = 0;
    }

    /// <summary>Wipes every word, key included.</summary>
    public void Clear() => this = default;

    public void Update(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty)
        {
            if (_chunk.Length == Constants.ChunkLength)
            {
                // More input follows, so this full chunk is not the root.
                var cv = _chunk.Output().ChainingValue();
                PushCv(cv, _chunk.Counter);
                _chunk.Reset(_key, _chunk.Counter + 1, _flags);
            }

            // Whole chunks go wide, except a first chunk that may be the whole input (the root).
            if (_chunk.Length == 0 && input.Length >= Constants.ChunkLength
                && !(_chunk.Counter == 0 && input.Length == Constants.ChunkLength))
            {
                input = input[HashWholeSubtrees(input)..];
                continue;
            }

            var take = Math.Min(Constants.ChunkLength - _chunk.Length, input.Length);
            _chunk.Update(input[..take]);
            input = input[take..];
            // Bytes in the chunk state prove every pending pair is not the root: Finalize
            // folds the stack right to left, which needs it fully merged in this case.
            MergeStack(_chunk.Counter);
        }
    }

    public readonly OutputNode Finalize()
    {
        OutputNode output;
        int next;
        if (_chunk.Length > 0 || _stackLength == 0)
        {
            output = _chunk.Output();
            next = _stackLength - 1;
        }
        else
        {
            // The input ended on a chunk boundary: the top two entries are the root's children.
            output = OutputNode.ForParent(_stack[_stackLength - 2], _stack[_stackLength - 1], _key, _flags);
            next = _stackLength - 3;
        }
        for (var i = next; i >= 0; i--)
            output = OutputNode.ForParent(_stack[i], output.ChainingValue(), _key, _flags);
        return output;
    }

    /// <summary>Hashes the largest aligned power-of-two run of whole chunks; returns bytes consumed.</summary>
    private int HashWholeSubtrees(ReadOnlySpan<byte> input)
    {
        var counter = _chunk.Counter;
        var available = input.Length / Constants.ChunkLength;

        if (MultiThreaded && ParallelSubtrees.Worthwhile(counter, available))
        {
            var consumedChunks = ParallelSubtrees.Hash(input, available, _key, counter, _flags, Level, ref this);
            _chunk.Reset(_key, counter + (ulong)consumedChunks, _flags);
            return consumedChunks * Constants.ChunkLength;
        }

        var chunks = 1 << BitOperations.Log2((uint)Math.Min(available, Subtree.MaxChunks));
        while ((counter & (ulong)(chunks - 1)) != 0) chunks /= 2;
        var bytes = input[..(chunks * Constants.ChunkLength)];
        if (chunks == 1)
        {
            PushCv(Subtree.CompressChunk(bytes, _key, counter, _flags, Level), counter);
        }
        else
        {
            Subtree.CompressToChildren(bytes, chunks, _key, counter, _flags, Level, out var left, out var right);
            PushChildren(left, right, counter);
        }
        _chunk.Reset(_key, counter + (ulong)chunks, _flags);
        return chunks * Constants.ChunkLength;
    }

    /// <summary>Pushes a subtree's two halves; the subtree starts at chunk <paramref name="counter"/>.</summary>
    public void PushChildren(in Words8 left, in Words8 right, ulong counter)
    {
        MergeStack(counter);
        _stack[_stackLength++] = left;
        _stack[_stackLength++] = right;
    }

    private void PushCv(in Words8 cv, ulong counter)
    {
        MergeStack(counter);
        _stack[_stackLength++] = cv;
    }

    /// <summary>
    /// New input starts at chunk <paramref name="chunksBefore"/>, so every pending sibling pair
    /// to its left is complete and not the root: merge until one entry remains per set bit.
    /// </summary>
    private void MergeStack(ulong chunksBefore)
    {
        var target = BitOperations.PopCount(chunksBefore);
        while (_stackLength > target)
        {
            var right = _stack[_stackLength - 1];
            var left = _stack[_stackLength - 2];
            _stackLength -= 2;
            _stack[_stackLength++] = OutputNode.ForParent(left, right, _key, _flags).ChainingValue();
        }
    }
}
