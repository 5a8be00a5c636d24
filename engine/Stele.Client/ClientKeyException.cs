namespace Stele.Client;

/// <summary>A key file that cannot be used: missing, unsafe permissions, malformed or inconsistent. The message is one clear line.</summary>
public sealed class ClientKeyException(string message, Exception? inner = null) : Exception(message, inner);
