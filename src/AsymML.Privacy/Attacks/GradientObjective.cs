namespace AsymML.Privacy.Attacks;

/// <summary>What gradient inversion minimises between the dummy batch's gradients and the observed ones.</summary>
public enum GradientObjective
{
    /// <summary>Inverting Gradients (Geiping, Bauermeister, Dröge, Moeller, NeurIPS 2020): 1 − cosine similarity, plus a
    /// total-variation prior, Adam on the signed gradient, pixels boxed to the valid range.</summary>
    Cosine,

    /// <summary>Deep Leakage from Gradients (Zhu, Liu, Han, NeurIPS 2019): the squared L2 distance (here each group
    /// divided by its observed squared norm, a constant that Adam does not see), Adam on the plain gradient (DLG used L-BFGS), no prior;
    /// the pixels are boxed to the valid range as for <see cref="Cosine"/>.</summary>
    L2,
}
