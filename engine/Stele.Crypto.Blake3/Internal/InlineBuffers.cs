using System.Runtime.CompilerServices;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>Eight words: a chaining value or a key, held inline (no allocation).</summary>
[InlineArray(8)]
internal struct Words8
{
    private uint _element;
}

/// <summary>Sixteen words: one block of message or of extended output.</summary>
[InlineArray(16)]
internal struct Words16
{
    private uint _element;
}

/// <summary>One 64-byte block, held inline.</summary>
[InlineArray(Constants.BlockLength)]
internal struct BlockBuffer
{
    private byte _element;
}

/// <summary>Eight registers of lanes: the chaining values of several inputs, word by word.</summary>
[InlineArray(8)]
internal struct Lanes8<TV> where TV : struct
{
    private TV _element;
}

/// <summary>Sixteen registers of lanes: a transposed message block of several inputs.</summary>
[InlineArray(16)]
internal struct Lanes16<TV> where TV : struct
{
    private TV _element;
}
