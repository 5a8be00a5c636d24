using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Storage.Tests")]
