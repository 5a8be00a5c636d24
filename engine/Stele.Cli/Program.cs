using Stele.Cli;

return await SteleCli.RunAsync(args);
