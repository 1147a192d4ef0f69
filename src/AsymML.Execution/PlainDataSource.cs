using AsymML.Data;

namespace AsymML.Execution;

/// <summary>A data set the host has in plaintext: it is sent to the enclave as it is. Not private from the host.</summary>
/// <param name="Images">The images and labels.</param>
public sealed record PlainDataSource(LabeledImages Images) : DataSource
{
    /// <inheritdoc />
    public override int Count => Images.Count;

    /// <inheritdoc />
    public override (int Height, int Width) ImageSize => (Images.Rows, Images.Cols);
}
