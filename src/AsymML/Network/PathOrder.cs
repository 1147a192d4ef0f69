namespace AsymML.Network;

/// <summary>Orders dotted names segment by segment, numeric segments by value (<c>features.2</c> before
/// <c>features.10</c>).</summary>
internal static class PathOrder
{
    public static int Compare(string a, string b)
    {
        string[] left = a.Split('.'), right = b.Split('.');
        for (int i = 0; i < Math.Min(left.Length, right.Length); i++)
        {
            bool leftNumber = long.TryParse(left[i], out long l), rightNumber = long.TryParse(right[i], out long r);
            int c = leftNumber && rightNumber ? l.CompareTo(r) : string.CompareOrdinal(left[i], right[i]);
            if (c != 0) return c;
        }
        return left.Length.CompareTo(right.Length);
    }
}
