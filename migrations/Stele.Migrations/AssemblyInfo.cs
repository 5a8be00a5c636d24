using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Stele.Migrations.Tests")]
