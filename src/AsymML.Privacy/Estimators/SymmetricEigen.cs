namespace AsymML.Privacy.Estimators;

/// <summary>Eigenvectors of a small symmetric matrix (d × d, d ≤ a few dozen) by cyclic Jacobi rotations, in
/// managed code: the LNC correction needs one per sample and a native call per 2 × 2 matrix would cost more than
/// the arithmetic.</summary>
internal static class SymmetricEigen
{
    /// <summary>Overwrites <paramref name="vectors"/> (d × d, row-major) with orthonormal eigenvectors as columns of
    /// the symmetric <paramref name="matrix"/> (row-major, destroyed: its diagonal ends as the eigenvalues).</summary>
    public static void Decompose(Span<double> matrix, Span<double> vectors, int d)
    {
        vectors.Clear();
        for (int i = 0; i < d; i++) vectors[i * d + i] = 1;
        if (d == 1) return;
        for (int sweep = 0; sweep < 50; sweep++)
        {
            double off = 0, diag = 0;
            for (int i = 0; i < d; i++)
            {
                diag += matrix[i * d + i] * matrix[i * d + i];
                for (int j = i + 1; j < d; j++) off += matrix[i * d + j] * matrix[i * d + j];
            }
            if (off <= 1e-30 * diag || off == 0) return;
            for (int p = 0; p < d; p++)
                for (int q = p + 1; q < d; q++)
                {
                    double apq = matrix[p * d + q];
                    if (apq == 0) continue;
                    double app = matrix[p * d + p], aqq = matrix[q * d + q];
                    double theta = (aqq - app) / (2 * apq);
                    double t = Math.Sign(theta) / (Math.Abs(theta) + Math.Sqrt(theta * theta + 1));
                    if (theta == 0) t = 1;
                    double c = 1 / Math.Sqrt(t * t + 1), s = t * c;
                    for (int r = 0; r < d; r++)
                    {
                        double arp = matrix[r * d + p], arq = matrix[r * d + q];
                        matrix[r * d + p] = c * arp - s * arq;
                        matrix[r * d + q] = s * arp + c * arq;
                    }
                    for (int r = 0; r < d; r++)
                    {
                        double apr = matrix[p * d + r], aqr = matrix[q * d + r];
                        matrix[p * d + r] = c * apr - s * aqr;
                        matrix[q * d + r] = s * apr + c * aqr;
                    }
                    for (int r = 0; r < d; r++)
                    {
                        double vrp = vectors[r * d + p], vrq = vectors[r * d + q];
                        vectors[r * d + p] = c * vrp - s * vrq;
                        vectors[r * d + q] = s * vrp + c * vrq;
                    }
                }
        }
    }
}
