using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Crypto.Ed25519.Tests")]
