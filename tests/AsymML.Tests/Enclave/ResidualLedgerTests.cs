using AsymML.Boundary.Session;
using AsymML.DifferentialPrivacy;
using AsymML.Enclave;

namespace AsymML.Tests.Enclave;

/// <summary>The enclave's accountant charges each image for every release, however the host picks batches.</summary>
public class ResidualLedgerTests
{
    [Fact]
    public void ChargesPerImageAndComposesWithoutSamplingAmplification()
    {
        var ledger = new ResidualLedger(new ResidualPrivacySettings(4, ClipNorm: 1, Delta: 1e-5));
        Assert.Equal(0, ledger.Epsilon);
        ledger.Charge("train", [0, 1, 2, 3], 3);   // one step, three split layers
        ledger.Charge("train", [4, 5, 6, 7], 3);
        Assert.Equal(3, ledger.MaxReleases);
        ledger.Charge("train", [0, 0, 9, 10], 3);  // a host that repeats an image pays for each copy
        Assert.Equal(9, ledger.MaxReleases);
        ledger.Charge("test", [0], 3);             // another data set's image 0 is another image
        Assert.Equal(9, ledger.MaxReleases);
        // 9 Gaussian releases of multiplier σ/2 = 2 (replace-one: sensitivity 2C), q = 1.
        double expected = new RdpAccountant().Compose(1, 2, 9).GetPrivacySpent(1e-5).Epsilon;
        Assert.Equal(expected, ledger.Epsilon, 1e-12);
        Assert.True(ledger.ExactEpsilon < ledger.Epsilon && ledger.ExactEpsilon > 0.5 * ledger.Epsilon,
            $"exact {ledger.ExactEpsilon} vs RDP {ledger.Epsilon}");
    }
}
