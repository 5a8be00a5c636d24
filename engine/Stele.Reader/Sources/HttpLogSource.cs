using System.Net;

namespace Stele.Reader.Sources;

/// <summary>A log on a static HTTP(S) host: GET of <c>base/key</c>; 404 means absent.</summary>
public sealed class HttpLogSource : ILogSource
{
    private readonly HttpClient _http;
    private readonly Uri _base;
    private readonly bool _ownsClient;

    public HttpLogSource(Uri baseAddress, HttpClient? http = null)
    {
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"'{baseAddress}' is not an http:// or https:// address", nameof(baseAddress));
        _base = baseAddress.AbsoluteUri.EndsWith('/') ? baseAddress : new Uri(baseAddress.AbsoluteUri + "/");
        _ownsClient = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 16, AutomaticDecompression = DecompressionMethods.All })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public string Location => _base.AbsoluteUri;

    public async Task<byte[]?> TryReadAllAsync(string key, long maxBytes, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(key, cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new InvalidDataException($"{key} is {response.Content.Headers.ContentLength} bytes; at most {maxBytes} expected");
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return body.Length <= maxBytes ? body : throw new InvalidDataException($"{key} is {body.Length} bytes; at most {maxBytes} expected");
    }

    public async Task<Stream?> TryOpenReadAsync(string key, CancellationToken cancellationToken = default)
    {
        var response = await SendAsync(key, cancellationToken).ConfigureAwait(false);
        if (response is null) return null;
        return new ResponseStream(response, await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
    }

    public ValueTask DisposeAsync()
    {
        if (_ownsClient) _http.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => Location;

    private async Task<HttpResponseMessage?> SendAsync(string key, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base, key));
        // Mutable files (checkpoint, payload files) must come fresh from the origin, not a stale cache.
        request.Headers.CacheControl = new System.Net.Http.Headers.CacheControlHeaderValue { NoCache = true };
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            response.Dispose();
            return null;
        }
        if (!response.IsSuccessStatusCode)
        {
            response.Dispose();
            throw new HttpRequestException($"GET {new Uri(_base, key)}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }
        return response;
    }

    /// <summary>Disposes the response together with its body stream.</summary>
    private sealed class ResponseStream(HttpResponseMessage response, Stream inner) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => response.Content.Headers.ContentLength ?? throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => inner.Read(buffer, offset, count);
        public override int Read(Span<byte> buffer) => inner.Read(buffer);
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => inner.ReadAsync(buffer, cancellationToken);
        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.ReadAsync(buffer, offset, count, cancellationToken);
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
                response.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}
