using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace PayByLink.Integration.Tests.Infrastructure;

/// <summary>axe-core in the page, with the WCAG 2.0, 2.1 and 2.2 A and AA rules: no violation passes.</summary>
public static class Accessibility
{
    private static readonly AxeRunOptions WcagAa = new()
    {
        RunOnly = new RunOnlyOptions { Type = "tag", Values = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"] },
    };

    public static async Task ShouldHaveNoViolationsAsync(this IPage page, string state)
    {
        var result = await page.RunAxe(WcagAa);
        var violations = result.Violations.Select(v => $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Target?.ToString()))}").ToList();
        violations.ShouldBeEmpty($"axe on {state} ({page.Url})");
    }

    /// <summary>
    /// Presses Tab until the element is focused, as a keyboard user gets there (no clicks); fails if 60 presses do not.
    /// </summary>
    public static async Task TabToAsync(this IPage page, string selector)
    {
        var target = page.Locator(selector);
        for (var i = 0; i < 60; i++)
        {
            await page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                var outline = await target.EvaluateAsync<string>("e => getComputedStyle(e).outlineStyle");
                outline.ShouldNotBe("none", $"{selector} shows no focus");
                return;
            }
        }

        throw new ShouldAssertException($"Tab never reached {selector} on {page.Url}");
    }

    /// <summary>Whether the page fits the viewport's width: nothing to scroll sideways (WCAG 1.4.10 reflow).</summary>
    public static async Task ShouldReflowAsync(this IPage page, string state)
    {
        var (scroll, width) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"),
            await page.EvaluateAsync<int>("() => document.documentElement.clientWidth"));
        var wide = scroll <= width ? "" : await page.EvaluateAsync<string>(
            "w => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w).slice(-3).map(e => e.outerHTML.slice(0, 120)).join(' | ')", width);
        scroll.ShouldBeLessThanOrEqualTo(width, $"{state} scrolls sideways at {width} CSS px: {wide}");
    }
}
