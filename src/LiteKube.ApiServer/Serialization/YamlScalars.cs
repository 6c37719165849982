using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LiteKube.ApiServer.Serialization;

/// <summary>
/// Types a YAML scalar the way sigs.k8s.io/yaml does (it decodes with go-yaml v2, YAML 1.1
/// rules): quoted scalars are strings; plain ones may be null (<c>~</c>, <c>null</c>, empty),
/// booleans (<c>true</c>, <c>yes</c>, <c>on</c>, <c>y</c> and their negatives, three casings),
/// integers (decimal, <c>0x</c>, <c>0o</c>, <c>0b</c>, a leading 0 for octal, underscores
/// ignored, past 64 bits still a number) or floats; everything else, timestamps included,
/// stays a string. Infinity and NaN are YAML floats JSON cannot hold, so they are errors, as
/// they are upstream when the result is marshalled.
/// </summary>
public static partial class YamlScalars
{
    public const string StrTag = "tag:yaml.org,2002:str";
    public const string IntTag = "tag:yaml.org,2002:int";
    public const string FloatTag = "tag:yaml.org,2002:float";
    public const string BoolTag = "tag:yaml.org,2002:bool";
    public const string NullTag = "tag:yaml.org,2002:null";
    public const string TimestampTag = "tag:yaml.org,2002:timestamp";
    public const string BinaryTag = "tag:yaml.org,2002:binary";

    /// <summary>What a scalar resolved to: its tag and its JSON value (null for YAML null).</summary>
    public readonly record struct Resolved(string Tag, JsonNode? Value);

    private static readonly Dictionary<string, Resolved> Words = BuildWords();

    /// <summary>Resolves a plain (unquoted, untagged) scalar.</summary>
    public static Resolved ResolvePlain(string text)
    {
        if (Words.TryGetValue(text, out var word))
        {
            return word.Tag == FloatTag && word.Value is null
                ? throw new YamlJsonException($"the YAML value {text} (infinity or NaN) cannot be represented in JSON")
                : word with { Value = word.Value?.DeepClone() };
        }

        var first = text[0];
        if (first == '.')
        {
            return double.TryParse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
                ? new Resolved(FloatTag, Float(d))
                : new Resolved(StrTag, text);
        }

        if (first is not ('+' or '-' or (>= '0' and <= '9')))
        {
            return new Resolved(StrTag, text);
        }

        var plain = text.Replace("_", "", StringComparison.Ordinal);
        if (ParseInteger(plain) is { } integer)
        {
            return new Resolved(IntTag, integer);
        }

        if (YamlFloat().IsMatch(plain)
            && double.TryParse(plain, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && double.IsFinite(f))
        {
            return new Resolved(FloatTag, Float(f));
        }

        return new Resolved(StrTag, text);
    }

    /// <summary>Resolves a scalar with an explicit tag (<c>!!int "5"</c>); a value that does not
    /// fit its tag is an error, and an int where a float is asked becomes a float.</summary>
    public static JsonNode? ResolveTagged(string tag, string text)
    {
        switch (tag)
        {
            case StrTag or TimestampTag:
                return JsonValue.Create(text);
            case BinaryTag:
                try
                {
                    return JsonValue.Create(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(text)));
                }
                catch (FormatException)
                {
                    throw new YamlJsonException($"!!binary value is not base64: {Shorten(text)}");
                }
        }

        var resolved = text == "" ? new Resolved(NullTag, null) : ResolvePlain(text);
        if (resolved.Tag == tag)
        {
            return resolved.Value;
        }

        if (tag == FloatTag && resolved.Tag == IntTag)
        {
            return resolved.Value;
        }

        if (tag is IntTag or FloatTag or BoolTag or NullTag)
        {
            throw new YamlJsonException($"cannot decode {Short(resolved.Tag)} `{Shorten(text)}` as a {Short(tag)}");
        }

        // Tags go-yaml does not know (custom !foo) leave the text as it is.
        return JsonValue.Create(text);
    }

    /// <summary>The string a scalar map key becomes, as sigs.k8s.io/yaml writes non-string keys.</summary>
    public static string KeyString(Resolved key, string text) => key.Tag switch
    {
        StrTag => key.Value!.GetValue<string>(),
        BoolTag => key.Value!.GetValue<bool>() ? "true" : "false",
        IntTag => key.Value!.ToJsonString(),
        // Upstream formats float keys at 32-bit precision with Go's 'g' verb.
        FloatTag => ((float)double.Parse(key.Value!.ToJsonString(), CultureInfo.InvariantCulture))
            .ToString(CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal),
        _ => throw new YamlJsonException($"unsupported map key `{Shorten(text)}`: JSON object keys must be strings"),
    };

    /// <summary>Go's strconv.ParseInt/ParseUint with base 0, then a big integer when only the
    /// range failed (go-yaml keeps those as big.Int, which JSON writes as a number).</summary>
    private static JsonNode? ParseInteger(string plain)
    {
        var negative = plain.StartsWith('-');
        var digits = plain.StartsWith('-') || plain.StartsWith('+') ? plain[1..] : plain;
        var (radix, body) = digits switch
        {
            ['0', 'x' or 'X', .. var rest] => (16, rest),
            ['0', 'o' or 'O', .. var rest] => (8, rest),
            ['0', 'b' or 'B', .. var rest] => (2, rest),
            ['0', _, ..] => (8, digits[1..]),
            _ => (10, digits),
        };
        if (body.Length == 0 || body.Length > 4096)
        {
            return null;
        }

        var value = BigInteger.Zero;
        foreach (var c in body)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => 99,
            };
            if (digit >= radix)
            {
                return null;
            }

            value = (value * radix) + digit;
        }

        if (negative)
        {
            value = -value;
        }

        if (value >= long.MinValue && value <= long.MaxValue)
        {
            return JsonNumbers.From((long)value);
        }

        if (!plain.StartsWith('+') && !negative && value <= ulong.MaxValue)
        {
            return JsonNumbers.From((ulong)value);
        }

        // A big decimal matches go-yaml's float pattern first, so only big hex/octal/binary
        // (or signed decimals, which ParseUint refuses) reach big.Int there.
        if (radix == 10 && YamlFloat().IsMatch(plain))
        {
            return null;
        }

        return JsonNode.Parse(value.ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>A float as Go's encoding/json writes it: integral values without a fraction.</summary>
    private static JsonNode Float(double d) =>
        JsonNode.Parse(Math.Abs(d) < 1e21 && d == Math.Floor(d)
            ? d.ToString("F0", CultureInfo.InvariantCulture)
            : d.ToString("R", CultureInfo.InvariantCulture))!;

    private static string Short(string tag) => tag.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal) ? "!!" + tag[18..] : tag;

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";

    private static Dictionary<string, Resolved> BuildWords()
    {
        var words = new Dictionary<string, Resolved>(StringComparer.Ordinal);
        void Add(string tag, JsonNode? value, params string[] spellings)
        {
            foreach (var s in spellings)
            {
                words[s] = new Resolved(tag, value);
            }
        }

        Add(BoolTag, JsonValue.Create(true), "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON");
        Add(BoolTag, JsonValue.Create(false), "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF");
        Add(NullTag, null, "", "~", "null", "Null", "NULL");
        // Infinity and NaN: a float tag with no JSON value.
        Add(FloatTag, null, ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF");
        return words;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex YamlFloat();
}
