using System.Security.Cryptography;
using System.Text;

namespace Stele.Api;

/// <summary>
/// The operator's bearer credential for registering clients. Only its SHA-256 is kept, and
/// presented tokens are compared in constant time on that digest, so neither the length nor a
/// prefix of the token leaks through timing. Never printable.
/// </summary>
public sealed class OperatorToken
{
    /// <summary>Shortest token accepted: 128 bits of hex or base64 is well above this.</summary>
    public const int MinLength = 16;

    private readonly byte[] _digest;

    private OperatorToken(byte[] digest) => _digest = digest;

    public static OperatorToken FromSecret(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var trimmed = secret.Trim();
        if (trimmed.Length < MinLength)
            throw new ArgumentException($"An operator token is at least {MinLength} characters.", nameof(secret));
        foreach (var c in trimmed)
        {
            if (c <= ' ' || c > '~') throw new ArgumentException("An operator token is printable ASCII without spaces.", nameof(secret));
        }
        return new OperatorToken(SHA256.HashData(Encoding.ASCII.GetBytes(trimmed)));
    }

    /// <summary>A fresh random token (256 bits, lowercase hex) for `ops/run` or a first start.</summary>
    public static string GenerateSecret() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));

    /// <summary>Reads the token from the first line of a file.</summary>
    public static OperatorToken FromFile(string path) => FromSecret(File.ReadAllText(path));

    /// <summary>True when an <c>Authorization</c> header value is <c>Bearer &lt;this token&gt;</c>.</summary>
    public bool Authorizes(string? authorizationHeader)
    {
        const string scheme = "Bearer ";
        if (authorizationHeader is null || !authorizationHeader.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)) return false;
        var presented = authorizationHeader.AsSpan(scheme.Length).Trim();
        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(presented.ToString());
        SHA256.HashData(bytes, digest);
        return CryptographicOperations.FixedTimeEquals(digest, _digest);
    }

    public override string ToString() => "OperatorToken(***)";
}
