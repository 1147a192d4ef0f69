using System.Reflection;

namespace AsymML.Tests.Build;

/// <summary>Trust domains are assemblies: the build, not discipline, keeps the enclave's code out of the host's and the
/// accelerator's assemblies. Reads each assembly's metadata references (what its compiled code really uses).</summary>
public class TrustDomainTests
{
    private static readonly string[] HostSide = ["AsymML.Execution", "AsymML.Accelerator"];

    private static HashSet<string> References(string assembly) =>
        Assembly.Load(assembly).GetReferencedAssemblies().Select(a => a.Name!).Where(n => n.StartsWith("AsymML", StringComparison.Ordinal)).ToHashSet();

    [Theory]
    [InlineData("AsymML", new string[0])]
    [InlineData("AsymML.Boundary", new[] { "AsymML" })]
    [InlineData("AsymML.Enclave", new[] { "AsymML", "AsymML.Boundary" })]
    [InlineData("AsymML.Accelerator", new[] { "AsymML", "AsymML.Boundary" })]
    [InlineData("AsymML.Execution", new[] { "AsymML", "AsymML.Boundary", "AsymML.Accelerator" })]
    [InlineData("AsymML.EnclaveProcess", new[] { "AsymML", "AsymML.Boundary", "AsymML.Enclave" })]
    public void EachAssemblyReferencesOnlyItsOwnDomainAndBelow(string assembly, string[] allowed)
    {
        HashSet<string> actual = References(assembly);
        Assert.True(actual.IsSubsetOf(allowed), $"{assembly} references {string.Join(", ", actual.Except(allowed))}, outside its trust domain.");
    }

    [Fact]
    public void EnclaveAndHostSideNeverReferenceEachOther()
    {
        foreach (string host in HostSide)
        {
            Assert.DoesNotContain("AsymML.Enclave", References(host));
            Assert.DoesNotContain(host, References("AsymML.Enclave"));
        }
        Assert.DoesNotContain("AsymML.Accelerator", References("AsymML.EnclaveProcess"));
    }

    [Fact]
    public void NoAssemblyReferencesTheEnclaveProcessForAType()
    {
        string[] all = ["AsymML", "AsymML.Boundary", "AsymML.Enclave", "AsymML.Accelerator", "AsymML.Execution", "AsymML.Training", "AsymML.Cli"];
        foreach (string a in all)
            Assert.DoesNotContain("AsymML.EnclaveProcess", References(a));
    }

    [Fact]
    public void NothingThatRunsTrainingReferencesTheAttacker()
    {
        // AsymML.Privacy plays the host as an attacker and may use every side; no side may depend on it.
        foreach (string a in (string[])["AsymML", "AsymML.Boundary", "AsymML.Enclave", "AsymML.EnclaveProcess", "AsymML.Accelerator", "AsymML.Execution", "AsymML.Training"])
            Assert.DoesNotContain("AsymML.Privacy", References(a));
    }

    [Fact]
    public void TheSecretsLiveInTheEnclaveAssemblyOnly()
    {
        Assembly enclave = Assembly.Load("AsymML.Enclave");
        foreach (string type in (string[])["AsymML.Enclave.Sealing.SealKey", "AsymML.Enclave.Sealing.SealedChunkOpener", "AsymML.Enclave.NoiseMask",
                     "AsymML.Enclave.Convolution.TrustedConvolution"])
            Assert.NotNull(enclave.GetType(type));
        foreach (string shared in (string[])["AsymML", "AsymML.Boundary", "AsymML.Accelerator", "AsymML.Execution"])
            Assert.DoesNotContain(Assembly.Load(shared).GetTypes(), t => t.Name is "SealKey" or "SealedChunkOpener" or "NoiseMask" or "TrustedConvolution" or "EnclaveRuntime");
    }
}
