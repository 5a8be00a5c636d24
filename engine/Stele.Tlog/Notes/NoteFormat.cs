using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Stele.Tlog.Notes;

/// <summary>Shared rules of the C2SP signed-note format.</summary>
internal static class NoteFormat
{
    /// <summary>Signature type byte for plain Ed25519 note signatures.</summary>
    public const byte Ed25519Type = 0x01;

    /// <summary>Signature line prefix: em dash (U+2014) and a space.</summary>
    public const string SignaturePrefix = "\u2014 ";

    /// <summary>More signatures than this make a note malformed (C2SP asks for at least 16; Go allows 100).</summary>
    public const int MaxSignatures = 100;

    public static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Non-empty, valid Unicode (no lone surrogates), no Unicode spaces and no '+'.</summary>
    public static bool IsValidKeyName(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Contains('+') || HasLoneSurrogate(name)) return false;
        foreach (var rune in name.EnumerateRunes())
            if (Rune.IsWhiteSpace(rune)) return false;
        return true;
    }

    /// <summary>key ID = first 4 bytes (big-endian) of SHA-256(name || 0x0A || type || public key).</summary>
    public static uint KeyId(string name, byte type, ReadOnlySpan<byte> publicKey)
    {
        var nameBytes = StrictUtf8.GetBytes(name);
        var input = new byte[nameBytes.Length + 2 + publicKey.Length];
        nameBytes.CopyTo(input, 0);
        input[nameBytes.Length] = (byte)'\n';
        input[nameBytes.Length + 1] = type;
        publicKey.CopyTo(input.AsSpan(nameBytes.Length + 2));
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(input, digest);
        return BinaryPrimitives.ReadUInt32BigEndian(digest);
    }

    /// <summary>Decodes standard base64 only if it is the canonical encoding (no whitespace, right padding).</summary>
    public static bool TryDecodeCanonicalBase64(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || text.Length % 4 != 0) return false;
        try
        {
            var decoded = Convert.FromBase64String(text);
            if (Convert.ToBase64String(decoded) != text) return false;
            bytes = decoded;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    public static string KeyIdHex(uint keyId) => keyId.ToString("x8", System.Globalization.CultureInfo.InvariantCulture);

    public static bool TryParseKeyIdHex(string text, out uint keyId)
    {
        keyId = 0;
        if (text.Length != 8 || !text.All(c => char.IsAsciiDigit(c) || c is >= 'a' and <= 'f')) return false;
        keyId = uint.Parse(text, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
        return true;
    }

    private static bool HasLoneSurrogate(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1])) { i++; continue; }
            if (char.IsSurrogate(text[i])) return true;
        }
        return false;
    }
}
