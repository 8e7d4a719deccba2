using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;

namespace PayByLink.StaffConsole;

/// <summary>An SVG <c>text</c> element (Razor markup reserves the tag), its content encoded like any other.</summary>
public sealed class SvgText : ComponentBase
{
    [Parameter, EditorRequired] public double X { get; set; }
    [Parameter, EditorRequired] public double Y { get; set; }
    [Parameter] public string? Class { get; set; }
    [Parameter, EditorRequired] public string Text { get; set; } = "";

    protected override void BuildRenderTree(RenderTreeBuilder builder)
    {
        builder.OpenElement(0, "text");
        builder.AddAttribute(1, "x", X.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));
        builder.AddAttribute(2, "y", Y.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture));
        builder.AddAttribute(3, "class", Class);
        builder.AddContent(4, Text);
        builder.CloseElement();
    }
}
