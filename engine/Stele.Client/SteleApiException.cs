namespace Stele.Client;

/// <summary>The server refused a request: HTTP status, the problem body's stable code and its one-line message.</summary>
public sealed class SteleApiException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;
}
