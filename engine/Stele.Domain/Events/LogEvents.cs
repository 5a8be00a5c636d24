namespace Stele.Domain.Events;

// The facts of a Stele log, as stored in the event stream (docs/events.md). They hold commitments
// and references, never content or salts: those live in the contents table and in blobs, so an
// erasure never rewrites history. Fields are primitives so the JSON stays stable across versions;
// byte arrays serialize as base64.

/// <summary>The operator admitted a client: its keys, its BLS proof of possession, its self-signature.</summary>
public sealed record ClientRegistered(
    ulong Client, byte[] Ed25519PublicKey, byte[] BlsPublicKey, byte[] BlsProofOfPossession, byte[] SelfSignature, DateTimeOffset At);

/// <summary>What a client committed to for one entry (see EntryDescriptor).</summary>
public sealed record EntryFacts(ulong Client, ulong Sequence, byte[] Commitment, ulong Size, string MediaType);

/// <summary>One individually signed entry. Its opening is in the contents table under its commitment.</summary>
public sealed record EntrySubmitted(EntryFacts Entry, byte[] Signature, DateTimeOffset At);

/// <summary>Many entries of one client under one Ed25519 signature over the batch root (canonical order).</summary>
public sealed record BatchSubmitted(ulong Client, byte[] Root, byte[] Signature, EntryFacts[] Entries, DateTimeOffset At);

/// <summary>A straggler's individual signature over its own entry message.</summary>
public sealed record StragglerSignature(ulong Client, ulong Sequence, byte[] Signature);

/// <summary>A broker's distilled batch: one aggregate BLS signature over the root by the participants (the identity point when every entry is a straggler).</summary>
public sealed record BatchDistilled(
    string Broker, byte[] Root, ulong[] Participants, byte[] AggregateSignature, StragglerSignature[] Stragglers,
    [property: System.Text.Json.Serialization.JsonConverter(typeof(PackedEntryFactsConverter))] EntryFacts[] Entries, DateTimeOffset At);

/// <summary>An erasure: the content and salt of <see cref="LeafIndex"/> are deleted; a notice leaf is published.</summary>
public sealed record EntryRedacted(ulong LeafIndex, string Reason, string LegalBasis, DateTimeOffset At);

/// <summary>Stable event-type names and schema versions, registered with the event store.</summary>
public static class LogEventTypes
{
    /// <summary>Registrations, distilled batches and redactions: operator and broker facts.</summary>
    public const string LogStream = "log";

    /// <summary>
    /// A client's own submissions (EntrySubmitted, BatchSubmitted) go to its own stream: the event
    /// store serializes appends per stream until commit, so one shared stream would serialize every
    /// submission. The fold reads all streams in global order, which alone decides leaf order.
    /// </summary>
    public static string ClientStream(Stele.Domain.Identity.ClientId client) => $"client-{client}";

    public static Stele.EventStore.Serialization.EventTypeRegistryBuilder AddLogEvents(this Stele.EventStore.Serialization.EventTypeRegistryBuilder builder) =>
        builder
            .Add<ClientRegistered>("ClientRegistered")
            .Add<EntrySubmitted>("EntrySubmitted")
            .Add<BatchSubmitted>("BatchSubmitted")
            .Add<BatchDistilled>("BatchDistilled")
            .Add<EntryRedacted>("EntryRedacted");
}
