using System.Net;

namespace Stele.Broker.Tests.Support;

/// <summary>Broker options for tests over real UDP: an ephemeral loopback port, small queues and arena, a fast leaf poll.</summary>
internal static class LoopbackOptions
{
    public static BrokerOptions Create(int batchSize, TimeSpan batchTimeout, TimeSpan shareTimeout) => new()
    {
        Bind = new IPEndPoint(IPAddress.Loopback, 0),
        BatchSize = batchSize,
        BatchTimeout = batchTimeout,
        ShareTimeout = shareTimeout,
        LeafPoll = TimeSpan.FromMilliseconds(50),
        ReceiveQueueSlots = 1024,
        SendQueueSlots = 1024,
        BatchArenaBytes = 1 << 20,
    };
}
