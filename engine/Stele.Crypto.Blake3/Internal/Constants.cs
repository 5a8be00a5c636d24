namespace Stele.Crypto.Blake3.Internal;

/// <summary>Sizes, flags and the initial vector from the BLAKE3 specification.</summary>
internal static class Constants
{
    public const int KeyLength = 32;
    public const int OutLength = 32;
    public const int BlockLength = 64;
    public const int ChunkLength = 1024;
    public const int BlocksPerChunk = ChunkLength / BlockLength;

    // Enough for 2^54 chunks, i.e. any input below 2^64 bytes.
    public const int MaxDepth = 54;

    public const uint ChunkStart = 1 << 0;
    public const uint ChunkEnd = 1 << 1;
    public const uint Parent = 1 << 2;
    public const uint Root = 1 << 3;
    public const uint KeyedHash = 1 << 4;
    public const uint DeriveKeyContext = 1 << 5;
    public const uint DeriveKeyMaterial = 1 << 6;

    public const uint IV0 = 0x6A09E667;
    public const uint IV1 = 0xBB67AE85;
    public const uint IV2 = 0x3C6EF372;
    public const uint IV3 = 0xA54FF53A;
    public const uint IV4 = 0x510E527F;
    public const uint IV5 = 0x9B05688C;
    public const uint IV6 = 0x1F83D9AB;
    public const uint IV7 = 0x5BE0CD19;
}
