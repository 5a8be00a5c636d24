using System.Text;

namespace Stele.Crypto.Blake3.Internal;

/// <summary>The key words and mode flag each of the three BLAKE3 modes starts from.</summary>
internal static class KeyWords
{
    public static Words8 Default
    {
        get
        {
            Words8 iv = default;
            iv[0] = Constants.IV0; iv[1] = Constants.IV1; iv[2] = Constants.IV2; iv[3] = Constants.IV3;
            iv[4] = Constants.IV4; iv[5] = Constants.IV5; iv[6] = Constants.IV6; iv[7] = Constants.IV7;
            return iv;
        }
    }

    public static Words8 FromKey(ReadOnlySpan<byte> key)
    {
        if (key.Length != Constants.KeyLength)
            throw new ArgumentException(
                $"A BLAKE3 key must be exactly {Constants.KeyLength} bytes, got {key.Length}.", nameof(key));
        return HashMany.ReadCv(key);
    }

    /// <summary>The context key: the context string hashed in its own mode, used as the material's key.</summary>
    public static Words8 ForContext(string context, SimdLevel level)
    {
        ArgumentNullException.ThrowIfNull(context);
        var core = new HasherCore();
        core.Initialize(Default, Constants.DeriveKeyContext, level);
        var maxBytes = Encoding.UTF8.GetMaxByteCount(context.Length);
        var buffer = maxBytes <= 512 ? stackalloc byte[512] : new byte[maxBytes];
        var length = Encoding.UTF8.GetBytes(context, buffer);
        core.Update(buffer[..length]);
        buffer[..length].Clear();

        // The context key is the first 32 bytes of root output (root flag set), not a chaining value.
        Span<byte> contextKey = stackalloc byte[Constants.KeyLength];
        core.Finalize().RootBytes(0, contextKey);
        var words = HashMany.ReadCv(contextKey);
        contextKey.Clear();
        core.Clear();
        return words;
    }
}
