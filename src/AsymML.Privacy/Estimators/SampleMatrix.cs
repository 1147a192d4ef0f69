namespace AsymML.Privacy.Estimators;

/// <summary>
/// n samples of a d-dimensional variable, row-major in float64 (row i = sample i). Immutable; every value finite.
/// The estimators read samples only through this type, so a NaN from a diverged tensor is refused once, here.
/// </summary>
public sealed class SampleMatrix
{
    private readonly double[] _values;

    /// <summary>Wraps <paramref name="values"/> (length <paramref name="count"/> · <paramref name="dimension"/>, copied).</summary>
    /// <exception cref="ArgumentException">The length does not match, a size is not positive, or a value is not finite.</exception>
    public SampleMatrix(ReadOnlySpan<double> values, int count, int dimension)
    {
        if (count < 1 || dimension < 1)
            throw new ArgumentException($"A sample matrix needs at least one sample and one dimension (got {count} × {dimension}).");
        if (values.Length != (long)count * dimension)
            throw new ArgumentException($"{values.Length} values do not make {count} samples of dimension {dimension}.", nameof(values));
        for (int i = 0; i < values.Length; i++)
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"Sample {i / dimension}, coordinate {i % dimension} is {values[i]}: estimators need finite values.", nameof(values));
        _values = values.ToArray();
        Count = count;
        Dimension = dimension;
    }

    private SampleMatrix(double[] owned, int count, int dimension)
    {
        _values = owned;
        Count = count;
        Dimension = dimension;
    }

    /// <summary>Number of samples n.</summary>
    public int Count { get; }

    /// <summary>Dimension d of each sample.</summary>
    public int Dimension { get; }

    /// <summary>Coordinate <paramref name="coordinate"/> of sample <paramref name="sample"/>.</summary>
    public double this[int sample, int coordinate] => _values[sample * Dimension + coordinate];

    /// <summary>The row-major values (n · d).</summary>
    public ReadOnlySpan<double> Values => _values;

    /// <summary>Sample <paramref name="sample"/> as a span of d values.</summary>
    public ReadOnlySpan<double> Row(int sample) => _values.AsSpan(sample * Dimension, Dimension);

    /// <summary>One-dimensional samples from <paramref name="values"/>.</summary>
    public static SampleMatrix Column(ReadOnlySpan<double> values) => new(values, values.Length, 1);

    /// <summary>One-dimensional samples from float32 values (e.g. a flattened tensor).</summary>
    public static SampleMatrix Column(ReadOnlySpan<float> values)
    {
        var copy = new double[values.Length];
        for (int i = 0; i < values.Length; i++) copy[i] = values[i];
        return new SampleMatrix(copy.AsSpan(), copy.Length, 1);
    }

    /// <summary>The joint samples [x_i, y_i] (dimension d_x + d_y).</summary>
    /// <exception cref="ArgumentException">The sample counts differ.</exception>
    public static SampleMatrix Join(SampleMatrix x, SampleMatrix y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count)
            throw new ArgumentException($"x has {x.Count} samples and y {y.Count}: a joint sample needs pairs.", nameof(y));
        int d = x.Dimension + y.Dimension;
        var joint = new double[x.Count * d];
        for (int i = 0; i < x.Count; i++)
        {
            x.Row(i).CopyTo(joint.AsSpan(i * d, x.Dimension));
            y.Row(i).CopyTo(joint.AsSpan(i * d + x.Dimension, y.Dimension));
        }
        return new SampleMatrix(joint, x.Count, d);
    }

    /// <summary>The samples at <paramref name="rows"/>, in that order (repeats allowed).</summary>
    public SampleMatrix Rows(ReadOnlySpan<int> rows)
    {
        if (rows.Length == 0) throw new ArgumentException("Select at least one sample.", nameof(rows));
        var values = new double[rows.Length * Dimension];
        for (int i = 0; i < rows.Length; i++)
            Row(rows[i]).CopyTo(values.AsSpan(i * Dimension, Dimension));
        return new SampleMatrix(values, rows.Length, Dimension);
    }

    /// <summary>A copy with <paramref name="change"/> applied to every value in place (sample, coordinate, value).</summary>
    internal SampleMatrix Map(Func<int, int, double, double> change)
    {
        var values = (double[])_values.Clone();
        for (int i = 0; i < Count; i++)
            for (int j = 0; j < Dimension; j++)
                values[i * Dimension + j] = change(i, j, values[i * Dimension + j]);
        return new SampleMatrix(values.AsSpan(), Count, Dimension);
    }

    /// <summary>The population standard deviation of each coordinate.</summary>
    public double[] ColumnStd()
    {
        var std = new double[Dimension];
        for (int j = 0; j < Dimension; j++)
        {
            double mean = 0;
            for (int i = 0; i < Count; i++) mean += this[i, j];
            mean /= Count;
            double sum = 0;
            for (int i = 0; i < Count; i++) sum += (this[i, j] - mean) * (this[i, j] - mean);
            std[j] = Math.Sqrt(sum / Count);
        }
        return std;
    }
}
