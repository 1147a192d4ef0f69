using AsymML.Boundary.Session;
using AsymML.Decomposition;
using AsymML.Network;

namespace AsymML.Tests.Boundary;

/// <summary>The residual mechanism's settings cross to the enclave process exactly, and bad ones are refused there.</summary>
public class ResidualPrivacySettingsTests
{
    [Fact]
    public void LaunchSettingsRoundTripTheMechanism()
    {
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28);
        EnclaveSettings split = EnclaveSettings.Split(spec, 28, 28, new PaperRankPolicy()) with
        {
            ResidualPrivacy = new ResidualPrivacySettings(0.1 + 0.2, ClipNorm: 1.0 / 3, ClipQuantile: 0.9, Delta: 1e-7),
        };
        var back = EnclaveLaunchSettings.FromJson(new EnclaveLaunchSettings(split).ToJson());
        Assert.Equal(split.ResidualPrivacy, back.Enclave.ResidualPrivacy);
        var calibrated = split with { ResidualPrivacy = new ResidualPrivacySettings(2) };
        Assert.Equal(calibrated.ResidualPrivacy, EnclaveLaunchSettings.FromJson(new EnclaveLaunchSettings(calibrated).ToJson()).Enclave.ResidualPrivacy);
        Assert.Null(EnclaveLaunchSettings.FromJson(new EnclaveLaunchSettings(split with { ResidualPrivacy = null }).ToJson()).Enclave.ResidualPrivacy);
    }

    [Fact]
    public void ASettingsFileWithABadMechanismIsRefused()
    {
        NetworkSpec spec = ModelZoo.Create("small-cnn", 1, 10, imageSize: 28);
        string json = new EnclaveLaunchSettings(EnclaveSettings.Split(spec, 28, 28, new PaperRankPolicy()) with { ResidualPrivacy = new ResidualPrivacySettings(1) })
            .ToJson().Replace("\"noiseMultiplier\": 1", "\"noiseMultiplier\": -1", StringComparison.Ordinal);
        Assert.Contains("noise multiplier", Assert.Throws<InvalidDataException>(() => EnclaveLaunchSettings.FromJson(json)).Message);
    }
}
