namespace Stele.Crypto.Blake3.Internal;

/// <summary>
/// A vector register type holding the same word of <see cref="ILaneOps{TV}.Lanes"/> independent
/// inputs, with the loads that put it there.
/// </summary>
internal interface IWideLaneOps<TV> : ILaneOps<TV> where TV : struct
{
    static abstract bool IsSupported { get; }

    /// <summary>
    /// Loads one 64-byte block from each lane's input (lane j at <paramref name="firstLane"/> + j *
    /// <paramref name="stride"/>) and transposes them: message[i] gets word i of every lane.
    /// </summary>
    static abstract void LoadTransposed(ref byte firstLane, nint stride, ref TV message);

    static abstract TV Load(ref uint source);

    static abstract void Store(TV value, ref uint destination);
}
