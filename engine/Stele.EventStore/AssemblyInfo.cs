using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.EventStore.Tests")]
