namespace Stele.Storage;

/// <summary>A storage operation failed; the message names the store and the key, in one line.</summary>
public class ObjectStoreException : IOException
{
    public ObjectStoreException(string message) : base(message) { }

    public ObjectStoreException(string message, Exception? inner) : base(message, inner) { }
}
