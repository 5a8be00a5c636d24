namespace Stele.Crypto.Bls;

/// <summary>Why bytes were rejected as a BLS key, signature or proof.</summary>
public enum BlsError
{
    None = 0,
    /// <summary>Not one of the accepted lengths (G1: 48/96, G2: 96/192, secret key: 32).</summary>
    WrongLength,
    /// <summary>The compression flag (top bit) disagrees with the length.</summary>
    CompressionFlagMismatch,
    /// <summary>The infinity flag is set but the remaining bits are not all zero.</summary>
    NonCanonicalInfinity,
    /// <summary>The sign flag is set where it must be clear (uncompressed form or infinity).</summary>
    UnexpectedSignFlag,
    /// <summary>A coordinate is not below the field modulus p.</summary>
    CoordinateNotCanonical,
    /// <summary>The coordinates do not satisfy the curve equation (or x has no matching y).</summary>
    NotOnCurve,
    /// <summary>The point is on the curve but outside the prime-order subgroup.</summary>
    NotInSubgroup,
    /// <summary>The point at infinity is not a valid public key (KeyValidate).</summary>
    IdentityPublicKey,
    /// <summary>A secret key must satisfy 0 &lt; sk &lt; r.</summary>
    SecretKeyOutOfRange,
}

/// <summary>Thrown when bytes do not decode to a valid BLS object; <see cref="Error"/> says why.</summary>
public sealed class BlsFormatException : FormatException
{
    public BlsFormatException(BlsError error, string what)
        : base($"invalid BLS {what}: {Describe(error)}") => Error = error;

    public BlsError Error { get; }

    public static string Describe(BlsError error) => error switch
    {
        BlsError.WrongLength => "wrong length",
        BlsError.CompressionFlagMismatch => "compression flag does not match the length",
        BlsError.NonCanonicalInfinity => "infinity flag set but other bits are not zero",
        BlsError.UnexpectedSignFlag => "sign flag set where it must be clear",
        BlsError.CoordinateNotCanonical => "coordinate is not below the field modulus",
        BlsError.NotOnCurve => "point is not on the curve",
        BlsError.NotInSubgroup => "point is not in the prime-order subgroup",
        BlsError.IdentityPublicKey => "public key is the point at infinity",
        BlsError.SecretKeyOutOfRange => "secret key is zero or not below the group order",
        _ => "unknown error",
    };
}
