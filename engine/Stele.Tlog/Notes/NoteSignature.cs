namespace Stele.Tlog.Notes;

/// <summary>One signature line of a note: key name, key ID and the signature bytes after the ID.</summary>
public sealed record NoteSignature(string KeyName, uint KeyId, ReadOnlyMemory<byte> Signature)
{
    /// <summary>The line as it appears in the note, without the newline: <c>— name base64(keyID || signature)</c>.</summary>
    public string Line
    {
        get
        {
            var bytes = new byte[4 + Signature.Length];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(bytes, KeyId);
            Signature.Span.CopyTo(bytes.AsSpan(4));
            return $"{NoteFormat.SignaturePrefix}{KeyName} {Convert.ToBase64String(bytes)}";
        }
    }

    public override string ToString() => $"{KeyName}+{NoteFormat.KeyIdHex(KeyId)}";
}
