namespace Stele.Domain;

/// <summary>Published bytes that do not follow docs/log-format.md; the message says where and why.</summary>
public sealed class LogFormatException(string message) : Exception(message);
