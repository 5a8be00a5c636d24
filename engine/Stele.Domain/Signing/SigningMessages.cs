using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;
using Stele.Domain.Batches;
using Stele.Domain.Content;
using Stele.Domain.Encoding;
using Stele.Domain.Identity;

namespace Stele.Domain.Signing;

/// <summary>
/// The exact bytes each signature in Stele covers (docs/log-format.md, "Signing messages").
/// Every message starts with a distinct tag and the log origin, so no signature can be
/// replayed as another kind or on another board.
/// </summary>
public static class SigningMessages
{
    public static byte[] Registration(LogOrigin origin, ClientId client, Ed25519PublicKey ed25519, BlsPublicKey bls)
    {
        var writer = Header("stele/v1/register\n", origin);
        Span<byte> blsBytes = stackalloc byte[BlsPublicKey.CompressedLength];
        bls.WriteBytes(blsBytes);
        return writer.U64(client.Value).Bytes(ed25519.AsSpan()).Bytes(blsBytes).ToArray();
    }

    public static byte[] Entry(LogOrigin origin, EntryDescriptor descriptor)
    {
        var writer = Header("stele/v1/entry\n", origin);
        descriptor.WriteTo(writer);
        return writer.ToArray();
    }

    public static byte[] Batch(LogOrigin origin, ClientId client, BatchRoot root, int count) =>
        Header("stele/v1/batch\n", origin).U64(client.Value).Hash(root.Hash).U32(checked((uint)count)).ToArray();

    public static byte[] Distilled(LogOrigin origin, BatchRoot root, int count) =>
        Header("stele/v1/distilled\n", origin).Hash(root.Hash).U32(checked((uint)count)).ToArray();

    private static FormatWriter Header(string tag, LogOrigin origin) =>
        new FormatWriter(160).Bytes(System.Text.Encoding.ASCII.GetBytes(tag)).Bytes(System.Text.Encoding.ASCII.GetBytes(origin.Value + "\n"));
}
