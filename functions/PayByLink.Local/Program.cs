using PayByLink.Local;

if (args.Length > 0 && AdminCommands.Handles(args[0]))
{
    return await AdminCommands.RunAsync(args);
}

var runtime = await LocalRuntime.CreateAsync(args);
await using (runtime)
{
    var key = await runtime.EnsureDevelopmentMerchantAsync();
    await runtime.App.StartAsync();
    Console.WriteLine(Banner.For(runtime, key));
    await runtime.App.WaitForShutdownAsync();
    if (runtime.StartedAzurite)
    {
        Console.WriteLine($"Stopping Azurite: it saves its data to {runtime.DataFolder} first …");
    }
}

Console.WriteLine("PayByLink stopped.");
return 0;
