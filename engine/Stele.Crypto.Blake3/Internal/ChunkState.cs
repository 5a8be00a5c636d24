namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// A chunk being hashed block by block. The last block is kept back, since only the next
/// input (or its absence) tells whether it ends the chunk and whether the chunk is the root.
/// </summary>
internal struct ChunkState
{
    private Words8 _cv;
    private BlockBuffer _block;
    private int _blockLength;
    private int _blocksCompressed;
    private uint _flags;

    public ulong Counter { get; private set; }

    public readonly int Length => _blocksCompressed * Constants.BlockLength + _blockLength;

    public void Reset(in Words8 key, ulong counter, uint flags)
    {
        _cv = key;
        _block = default;
        _blockLength = 0;
        _blocksCompressed = 0;
        _flags = flags;
        Counter = counter;
    }

    private readonly uint StartFlag => _blocksCompressed == 0 ? Constants.ChunkStart : 0;

    public void Update(ReadOnlySpan<byte> input)
    {
        while (!input.IsEmpty)
        {
            if (_blockLength == Constants.BlockLength)
            {
                CompressBlock(_block);
                _block = default;
                _blockLength = 0;
            }
            // Whole blocks with more input behind them are compressed straight from the input.
            while (_blockLength == 0 && input.Length > Constants.BlockLength)
            {
                CompressBlock(input[..Constants.BlockLength]);
                input = input[Constants.BlockLength..];
            }
            var take = Math.Min(Constants.BlockLength - _blockLength, input.Length);
            input[..take].CopyTo(_block[_blockLength..]);
            _blockLength += take;
            input = input[take..];
        }
    }

    private void CompressBlock(ReadOnlySpan<byte> block)
    {
        ScalarCompressor.CompressInPlace(ref _cv, block, Counter, Constants.BlockLength, _flags | StartFlag);
        _blocksCompressed++;
    }

    public readonly OutputNode Output() => new()
    {
        InputCv = _cv,
        Block = _block,
        Counter = Counter,
        BlockLength = (uint)_blockLength,
        Flags = _flags | StartFlag | Constants.ChunkEnd,
    };

    public void Clear() => this = default;
}
