using System.Numerics;
using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>Chaining values of completed subtrees, deepest first; one per set bit of the chunk count.</summary>
[InlineArray(Constants.MaxDepth)]
internal struct CvStack
{
    private Words8 _element;
}

/// <summary>
/// The incremental hashing state, as a value type so one-shot hashing needs no allocation.
/// Whole chunks are hashed wide, a power-of-two aligned subtree at a time; input that may
/// end the message always stays in the chunk state so the root is compressed last.
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
                // More input follows, so this full chunk is neither the last nor the root.
                var cv = _chunk.Output().ChainingValue();
                PushSubtree(cv, _chunk.Counter, 1);
                _chunk.Reset(_key, _chunk.Counter + 1, _flags);
            }

            if (_chunk.Length == 0 && input.Length > Constants.ChunkLength)
            {
                input = input[HashWholeSubtrees(input)..];
                continue;
            }

            var take = Math.Min(Constants.ChunkLength - _chunk.Length, input.Length);
            _chunk.Update(input[..take]);
            input = input[take..];
        }
    }

    public readonly OutputNode Finalize()
    {
        var output = _chunk.Output();
        for (var i = _stackLength - 1; i >= 0; i--)
            output = OutputNode.ForParent(_stack[i], output.ChainingValue(), _key, _flags);
        return output;
    }

    /// <summary>Hashes the largest aligned run of whole chunks that cannot end the input; returns bytes consumed.</summary>
    private int HashWholeSubtrees(ReadOnlySpan<byte> input)
    {
        var counter = _chunk.Counter;
        var available = (input.Length - 1) / Constants.ChunkLength;

        if (MultiThreaded && ParallelSubtrees.Worthwhile(counter, available))
        {
            var consumedChunks = ParallelSubtrees.Hash(input, available, _key, counter, _flags, Level, ref this);
            _chunk.Reset(_key, counter + (ulong)consumedChunks, _flags);
            return consumedChunks * Constants.ChunkLength;
        }

        var chunks = 1 << BitOperations.Log2((uint)Math.Min(available, Subtree.MaxChunks));
        while ((counter & (ulong)(chunks - 1)) != 0) chunks /= 2;
        var subtreeCv = Subtree.Compress(input[..(chunks * Constants.ChunkLength)], chunks, _key, counter, _flags, Level);
        PushSubtree(subtreeCv, counter, chunks);
        _chunk.Reset(_key, counter + (ulong)chunks, _flags);
        return chunks * Constants.ChunkLength;
    }

    /// <summary>
    /// Adds a complete subtree of <paramref name="chunks"/> (a power of two) chunks starting at
    /// chunk <paramref name="counter"/> (a multiple of it), merging siblings like a binary carry.
    /// </summary>
    public void PushSubtree(Words8 cv, ulong counter, int chunks)
    {
        var total = (counter >> BitOperations.TrailingZeroCount(chunks)) + 1;
        while ((total & 1) == 0)
        {
            _stackLength--;
            cv = OutputNode.ForParent(_stack[_stackLength], cv, _key, _flags).ChainingValue();
            total >>= 1;
        }
        _stack[_stackLength++] = cv;
    }
}
