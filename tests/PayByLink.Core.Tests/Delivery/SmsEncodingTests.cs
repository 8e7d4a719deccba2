using PayByLink.Core.Delivery;

namespace PayByLink.Core.Tests.Delivery;

public class SmsEncodingTests
{
    [Fact]
    public void Plain_text_of_160_characters_is_one_gsm_segment() =>
        SmsEncoding.Measure(new string('a', 160)).ShouldBe(new SmsLength(SmsAlphabet.Gsm7, 160, 1));

    [Fact]
    public void A_161st_character_makes_two_segments_of_153() =>
        SmsEncoding.Measure(new string('a', 161)).ShouldBe(new SmsLength(SmsAlphabet.Gsm7, 161, 2));

    [Fact]
    public void Pound_signs_are_in_the_basic_alphabet() =>
        SmsEncoding.Measure("£120.50").ShouldBe(new SmsLength(SmsAlphabet.Gsm7, 7, 1));

    [Theory]
    [InlineData("€")]
    [InlineData("{")]
    [InlineData("[")]
    [InlineData("~")]
    [InlineData("^")]
    [InlineData("|")]
    [InlineData("\\")]
    public void Extension_characters_take_two_septets(string character) =>
        SmsEncoding.Measure(character).Units.ShouldBe(2);

    [Fact]
    public void Eighty_euro_signs_fill_one_segment_and_one_more_makes_two() =>
        (SmsEncoding.Measure(new string('€', 80)).Segments, SmsEncoding.Measure(new string('€', 81)).Segments).ShouldBe((1, 2));

    [Fact]
    public void An_extension_escape_is_never_split_between_segments()
    {
        // 152 plain septets then '€': 154 in all, so two segments; the € cannot straddle septets 153 and 154.
        var length = SmsEncoding.Measure(new string('a', 152) + "€" + new string('a', 7));

        length.ShouldBe(new SmsLength(SmsAlphabet.Gsm7, 161, 2));
        SmsEncoding.Measure(new string('a', 152) + "€" + new string('a', 152)).Segments.ShouldBe(3);
    }

    [Fact]
    public void One_character_outside_gsm_switches_the_whole_message_to_ucs2() =>
        SmsEncoding.Measure("Pay £10 ✓").ShouldBe(new SmsLength(SmsAlphabet.Ucs2, 9, 1));

    [Fact]
    public void Ucs2_holds_70_units_in_one_segment_and_67_per_part() =>
        (SmsEncoding.Measure(new string('ł', 70)).Segments, SmsEncoding.Measure(new string('ł', 71)).Segments, SmsEncoding.Measure(new string('ł', 135)).Segments)
            .ShouldBe((1, 2, 3));

    [Fact]
    public void Emoji_count_as_two_units_and_are_not_split()
    {
        SmsEncoding.Measure("😀").ShouldBe(new SmsLength(SmsAlphabet.Ucs2, 2, 1));
        // 66 units then an emoji: 68 units fit one segment; at 71 the emoji moves whole to the second part.
        SmsEncoding.Measure(new string('ł', 66) + "😀" + "ł").Segments.ShouldBe(1);
        SmsEncoding.Measure(new string('ł', 66) + "😀" + "łłł").Segments.ShouldBe(2);
    }

    [Fact]
    public void Accented_letters_outside_the_gsm_table_need_ucs2()
    {
        SmsEncoding.Measure("é").Alphabet.ShouldBe(SmsAlphabet.Gsm7);
        SmsEncoding.Measure("á").Alphabet.ShouldBe(SmsAlphabet.Ucs2);
    }
}
