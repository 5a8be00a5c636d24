namespace Stele.Crypto.Blake3.Internal;

/// <summary>The widest lane set the many-input kernels may use; tests force each one in turn.</summary>
internal enum SimdLevel
{
    Scalar = 0,
    V128 = 1,
    V256 = 2,
    V512 = 3,
}

internal static class SimdLevels
{
    /// <summary>The widest level this CPU supports.</summary>
    public static SimdLevel Detected { get; } =
        Vector512Ops.IsSupported ? SimdLevel.V512
        : Vector256Ops.IsSupported ? SimdLevel.V256
        : Vector128Ops.IsSupported ? SimdLevel.V128
        : SimdLevel.Scalar;

    /// <summary>A requested level, capped at what the CPU can run.</summary>
    public static SimdLevel Cap(SimdLevel requested) => requested < Detected ? requested : Detected;
}
