using Stele.Crypto.Bls;
using Stele.Crypto.Ed25519;

namespace Stele.Broker.Clients;

/// <summary>A client the fold admitted: its Ed25519 key (stragglers), its proven BLS key (shares) and the last sequence the board holds for it.</summary>
public sealed record RegisteredClient(ulong Id, Ed25519PublicKey Ed25519, BlsProvenPublicKey Bls, ulong? LastSequence);
