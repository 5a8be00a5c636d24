namespace Stele.Tlog.Notes;

/// <summary>The bytes are not a well-formed signed note (or checkpoint); the message says why.</summary>
public sealed class MalformedNoteException(string reason) : FormatException($"Malformed signed note: {reason}.")
{
    public string Reason { get; } = reason;
}

/// <summary>A well-formed note failed verification: no trusted signature, or a trusted key's signature is invalid.</summary>
public sealed class NoteVerificationException(string message) : Exception(message);
