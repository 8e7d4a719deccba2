using PayByLink.ConsoleApp;

ConsoleAppHost.Build(args).Run();
