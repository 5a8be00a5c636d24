using Microsoft.AspNetCore.Http;

namespace Stele.Api;

/// <summary>A refusal with its HTTP status, one-line message and stable code (the problem body).</summary>
public sealed class ApiError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public IResult ToResult() => Results.Json(new ProblemBody(Message, Code), ApiJson.Default.ProblemBody, statusCode: Status);

    public static ApiError Malformed(string message) => new(StatusCodes.Status400BadRequest, "malformed", message);
}
