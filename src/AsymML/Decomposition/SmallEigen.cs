using static TorchSharp.torch;

namespace AsymML.Decomposition;

/// <summary>
/// Eigen-decompositions of batches of small symmetric matrices (c × c, c ≤ a few hundred) on one thread. Measured
/// here: <c>linalg.eigh</c> of [32, 64, 64] float64 took 2.6 s with two threads while another process was busy, and
/// 13 ms with one (c = 48: 679 ms vs 7 ms); batched QR behaved alike. LAPACK's threads gain nothing on matrices this
/// small and lose everything to oversubscription, so the thread count is lowered around the call. The count is
/// process-wide: the lock keeps concurrent callers from restoring each other's setting.
/// </summary>
internal static class SmallEigen
{
    private static readonly object Gate = new();

    /// <summary><c>linalg.eigh</c> (ascending eigenvalues, eigenvectors as columns) on one thread.</summary>
    public static (Tensor Values, Tensor Vectors) Decompose(Tensor symmetric)
    {
        lock (Gate)
        {
            int threads = get_num_threads();
            set_num_threads(1);
            try
            {
                return linalg.eigh(symmetric);
            }
            finally
            {
                set_num_threads(threads);
            }
        }
    }
}
