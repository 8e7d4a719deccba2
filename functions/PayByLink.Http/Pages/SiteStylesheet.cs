using System.Reflection;

namespace PayByLink.Http.Pages;

/// <summary>The one stylesheet (site.css) of the customer's pages and the staff console, served by each host.</summary>
public static class SiteStylesheet
{
    public static readonly string Text = ReadEmbedded(typeof(SiteStylesheet).Assembly, "site.css");

    /// <summary>A text file built into an assembly: the pages' stylesheet, the console's script.</summary>
    public static string ReadEmbedded(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"{name} is not built into {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
