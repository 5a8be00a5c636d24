using System.Net.Sockets;

namespace Stele.Cli;

/// <summary>A user-facing failure: its message is the whole story, printed as one line.</summary>
public sealed class CliException(string message, int exitCode = 1, Exception? inner = null) : Exception(message, inner)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>Turns any exception into one clear line (never a stack trace, never a secret).</summary>
public static class CliErrors
{
    public static string Describe(Exception ex)
    {
        var message = ex switch
        {
            CliException c => c.Message,
            Npgsql.NpgsqlException { InnerException: SocketException s } =>
                $"cannot reach PostgreSQL ({s.SocketErrorCode}): check --database / STELE_DATABASE",
            Npgsql.PostgresException p => $"PostgreSQL: {p.MessageText} ({p.SqlState})",
            Npgsql.NpgsqlException n => $"PostgreSQL: {n.Message}",
            AggregateException { InnerExceptions.Count: 1 } a => Describe(a.InnerExceptions[0]),
            _ => $"{ex.Message}",
        };
        return message.ReplaceLineEndings(" ").Trim();
    }

    public static int ExitCodeFor(Exception ex) => ex is CliException c ? c.ExitCode : 1;
}
