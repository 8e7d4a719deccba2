using PayByLink.Local;

if (args.Length > 0 && AdminCommands.Handles(args[0]))
{
    return await AdminCommands.RunAsync(args);
}

await using var runtime = await LocalRuntime.CreateAsync(args);
var key = await runtime.EnsureDevelopmentMerchantAsync();
await runtime.App.StartAsync();
Console.WriteLine(Banner.For(runtime, key));
await runtime.App.WaitForShutdownAsync();
return 0;
