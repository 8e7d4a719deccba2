using PayByLink.Core.Merchants;
using PayByLink.Core.Ports;
using PayByLink.Local;

// The program with no command (or `run`) runs the suite; any other first word is an admin command.
if (RuntimeArguments.Command(args) is not { } runArgs)
{
    return await AdminCommands.RunAsync(args);
}

if (RuntimeArguments.Unknown(runArgs) is { } unknown)
{
    await Console.Error.WriteLineAsync($"error: '{unknown}' is not an option of the runtime (its options are settings: {RuntimeArguments.Sections}).");
    await Console.Error.WriteLineAsync(AdminCommands.Usage);
    return 2;
}

try
{
    var runtime = await LocalRuntime.CreateAsync(runArgs);
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
}
catch (Exception e) when (e is LocalRuntimeInUseException or MerchantAdministrationException)
{
    await Console.Error.WriteLineAsync($"error: {e.Message}");
    return 1;
}
catch (StorageUnavailableException e)
{
    await Console.Error.WriteLineAsync($"error: {e.Message} {RuntimeArguments.StorageHint(args)}");
    return 1;
}

Console.WriteLine("PayByLink stopped.");
return 0;
