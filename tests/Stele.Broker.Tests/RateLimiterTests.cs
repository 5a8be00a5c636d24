using Stele.Broker.BackPressure;

namespace Stele.Broker.Tests;

public sealed class RateLimiterTests
{
    [Fact]
    public void A_flooding_source_gets_its_burst_then_its_rate_while_another_source_is_unaffected()
    {
        var limiter = new SourceRateLimiter(ratePerSecond: 100, burst: 10, ticksPerSecond: 1000);
        const ulong flood = 0x7f000001_1000, quiet = 0x7f000001_2000;
        var passed = Enumerable.Range(0, 1000).Count(_ => limiter.TryTake(flood, now: 0));
        Assert.Equal(10, passed);
        Assert.True(limiter.TryTake(quiet, now: 0));
        Assert.False(limiter.TryTake(flood, now: 5)); // 0.5 token refilled
        Assert.True(limiter.TryTake(flood, now: 10)); // one token after 10 ms at 100/s
        var perSecond = Enumerable.Range(0, 1000).Count(i => limiter.TryTake(flood, now: 1000 + i));
        Assert.InRange(perSecond, 95, 111);
    }
}
