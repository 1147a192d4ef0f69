namespace AsymML.Tests.Data;

/// <summary>Exact tensor comparison for the data tests (TorchSharp's <c>equal</c> is element-wise).</summary>
internal static class TensorEquality
{
    /// <summary>Same shape and bit-for-bit equal values.</summary>
    public static bool Same(Tensor a, Tensor b)
    {
        if (!a.shape.SequenceEqual(b.shape))
            return false;
        using Tensor eq = a.eq(b);
        using Tensor all = eq.all();
        return all.item<bool>();
    }
}
