namespace Stele.Storage.S3;

/// <summary>
/// How to reach an S3-compatible service. The secret key is never part of <see cref="ToString"/>,
/// so settings can be logged or put in an error message safely.
/// </summary>
public sealed class S3Settings
{
    public S3Settings(Uri? endpoint, string region, string accessKey, string secretKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(region);
        ArgumentException.ThrowIfNullOrEmpty(accessKey);
        ArgumentException.ThrowIfNullOrEmpty(secretKey);
        if (endpoint is not null && (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
            throw new ArgumentException($"S3 endpoint '{endpoint}' must be an absolute http:// or https:// address.", nameof(endpoint));
        Endpoint = endpoint;
        Region = region;
        AccessKey = accessKey;
        SecretKey = secretKey;
    }

    /// <summary>Service address, e.g. http://127.0.0.1:4568 for s3rver; null for AWS itself (chosen by region).</summary>
    public Uri? Endpoint { get; }

    public string Region { get; }

    public string AccessKey { get; }

    /// <summary>The secret access key. Deliberately absent from <see cref="ToString"/>.</summary>
    internal string SecretKey { get; }

    /// <summary>Settings for a local s3rver (which accepts only S3RVER / S3RVER).</summary>
    public static S3Settings ForS3rver(Uri endpoint) => new(endpoint, "us-east-1", "S3RVER", "S3RVER");

    /// <summary>
    /// Settings from the environment: STELE_S3_ENDPOINT (optional), STELE_S3_REGION or AWS_REGION
    /// (default us-east-1), AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; null when no key is set.
    /// </summary>
    public static S3Settings? FromEnvironment()
    {
        var accessKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secretKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey)) return null;
        var endpoint = Environment.GetEnvironmentVariable("STELE_S3_ENDPOINT");
        var region = Environment.GetEnvironmentVariable("STELE_S3_REGION") is { Length: > 0 } steleRegion
            ? steleRegion
            : Environment.GetEnvironmentVariable("AWS_REGION");
        return new S3Settings(
            string.IsNullOrEmpty(endpoint) ? null : new Uri(endpoint),
            string.IsNullOrEmpty(region) ? "us-east-1" : region,
            accessKey,
            secretKey);
    }

    public override string ToString() =>
        $"S3Settings {{ Endpoint = {Endpoint?.ToString() ?? "(AWS)"}, Region = {Region}, AccessKey = {AccessKey}, SecretKey = *** }}";
}
