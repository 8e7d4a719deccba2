using PayByLink.Http.Pages;

namespace PayByLink.StaffConsole;

/// <summary>The console's one script (ours, small): every page works without it.</summary>
public static class ConsoleScript
{
    public static readonly string Text = SiteStylesheet.ReadEmbedded(typeof(ConsoleScript).Assembly, "console.js");
}
