using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Privacy.Attacks;

/// <summary>
/// Feature inversion of DarKnight-style mixtures, by a host that knows the scheme and the groups but not the
/// coefficients. The decoder is trained on what the host received for its public images (the mixtures, as they
/// crossed) with a best-of-group loss: each mixture's target is whichever image of its group the decoder's output is
/// closest to (min over the group of the MSE), so the decoder learns to pull out whatever one image a mixture lets it.
/// Private images are scored the same way, in the host's favour: each image by the best (highest-SSIM) of the
/// reconstructions from its group's g + 2 mixtures (a selection the host could not make without the truth — an upper
/// bound on this attack). <see cref="Strip"/> is the structure-aware variant: per group, the host removes the
/// mixtures' top principal component — the shared noise term, when it dominates — before decoding.
/// </summary>
internal static class MaskedViewDecoding
{
    /// <summary>Trains a decoder on <paramref name="publicView"/> (mixtures, with their groups) to the public images and
    /// scores its reconstructions of <paramref name="privateView"/> against the private images, best of group.</summary>
    public static ReconstructionScore Decode(Tensor publicView, IReadOnlyList<MixtureGroups> publicGroups, Tensor publicPixels,
        Tensor privateView, IReadOnlyList<MixtureGroups> privateGroups, Tensor privatePixels, FeatureInversionOptions options, long seed)
    {
        using var scope = NewDisposeScope();
        var image = ((int)publicPixels.shape[1], (int)publicPixels.shape[2], (int)publicPixels.shape[3]);
        Tensor candidates = Candidates(publicGroups, (int)publicView.shape[0]); // [K, g]: each mixture's group's samples
        Tensor reconstructions = FeatureDecoder.FitAndReconstruct(publicView, image, privateView, options, seed, (output, indices) =>
        {
            Tensor targets = publicPixels.index_select(0, candidates.index_select(0, indices).flatten()) // [b·g, C, H, W]
                .view([indices.shape[0], candidates.shape[1], .. publicPixels.shape[1..]]);
            return (output.unsqueeze(1) - targets).square().mean([2L, 3L, 4L]).min(1).values.mean(); // best of group
        });
        return BestOfGroup(reconstructions, privateGroups, privatePixels);
    }

    /// <summary>Scores each image by the reconstruction of its group that matches it best (SSIM).</summary>
    public static ReconstructionScore BestOfGroup(Tensor reconstructions, IReadOnlyList<MixtureGroups> groups, Tensor pixels)
    {
        using var scope = NewDisposeScope();
        Tensor clamped = reconstructions.detach().clamp(0, 1);
        var chosen = new long[pixels.shape[0]];
        foreach (MixtureGroups g in groups)
        {
            Tensor r = clamped.narrow(0, g.MixtureStart, g.Mixtures), x = pixels.narrow(0, g.SampleStart, g.Samples);
            Tensor pairsR = r.unsqueeze(1).expand([g.Mixtures, g.Samples, .. r.shape[1..]]).reshape([g.Mixtures * g.Samples, .. r.shape[1..]]);
            Tensor pairsX = x.unsqueeze(0).expand([g.Mixtures, g.Samples, .. x.shape[1..]]).reshape([g.Mixtures * g.Samples, .. x.shape[1..]]);
            Tensor best = Metrics.Ssim.PerImage(pairsR, pairsX).view(g.Mixtures, g.Samples).argmax(0); // [samples]
            long[] picks = best.data<long>().ToArray();
            for (int s = 0; s < g.Samples; s++) chosen[g.SampleStart + s] = g.MixtureStart + picks[s];
        }
        return ReconstructionScore.Of(clamped.index_select(0, tensor(chosen)), pixels);
    }

    /// <summary>Per group, removes the mixtures' top principal component (the direction of the group's K × K Gram
    /// matrix with the largest eigenvalue): the shared noise term when its energy dominates the data's.</summary>
    public static Tensor Strip(Tensor view, IReadOnlyList<MixtureGroups> groups)
    {
        using var scope = NewDisposeScope();
        Tensor flat = view.reshape(view.shape[0], -1).to(ScalarType.Float64);
        var parts = new List<Tensor>();
        foreach (MixtureGroups g in groups)
        {
            Tensor m = flat.narrow(0, g.MixtureStart, g.Mixtures);
            Tensor top = linalg.eigh(m.matmul(m.T)).Item2.narrow(1, g.Mixtures - 1, 1); // [K, 1], largest last
            parts.Add(m - top.matmul(top.T.matmul(m)));
        }
        return cat(parts, 0).to(view.dtype).view(view.shape).MoveToOuterDisposeScope();
    }

    /// <summary>[K, g]: for each mixture, the samples of its group (padded with the group's first sample).</summary>
    private static Tensor Candidates(IReadOnlyList<MixtureGroups> groups, int mixtures)
    {
        int width = groups.Max(g => g.Samples);
        var table = new long[mixtures * width];
        foreach (MixtureGroups g in groups)
            for (int j = 0; j < g.Mixtures; j++)
                for (int s = 0; s < width; s++)
                    table[(g.MixtureStart + j) * width + s] = g.SampleStart + (s < g.Samples ? s : 0);
        return tensor(table, [mixtures, width]);
    }
}
