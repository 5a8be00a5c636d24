using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Projections.Tests")]
