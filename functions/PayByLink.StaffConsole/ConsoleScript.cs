namespace PayByLink.StaffConsole;

/// <summary>The console's one script (ours, small): every page works without it.</summary>
public static class ConsoleScript
{
    public static readonly string Text = Read();

    private static string Read()
    {
        using var stream = typeof(ConsoleScript).Assembly.GetManifestResourceStream("console.js")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
