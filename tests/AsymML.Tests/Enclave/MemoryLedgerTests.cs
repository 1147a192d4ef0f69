using AsymML.Enclave;

namespace AsymML.Tests.Enclave;

public class MemoryLedgerTests
{
    [Fact]
    public void ResidentEntriesReplaceAndStepChargesEndWithTheStep()
    {
        var ledger = new MemoryLedger();
        ledger.SetResident("model", 1000);
        ledger.SetResident("batch", 300);
        ledger.SetResident("batch", 200); // a new batch replaces the old one
        Assert.Equal(1200, ledger.CurrentBytes);
        ledger.BeginStep();
        ledger.Charge("conv1", 500);
        ledger.Charge("relu1", 250);
        Assert.Equal(1950, ledger.CurrentBytes);
        ledger.Release(250);
        Assert.Equal(1700, ledger.CurrentBytes);
        Assert.Equal(1950, ledger.StepPeakBytes);
        ledger.BeginStep();
        Assert.Equal(1200, ledger.CurrentBytes);
        Assert.Equal(1200, ledger.StepPeakBytes);
        Assert.Equal(1950, ledger.PeakBytes);
        ledger.SetResident("batch", 0);
        Assert.False(ledger.Resident.ContainsKey("batch"));
    }

    [Fact]
    public void ChargeOverTheBudgetNamesTheLayerAndChargesNothing()
    {
        var ledger = new MemoryLedger(budgetBytes: 2_000_000);
        ledger.SetResident("model", 1_500_000);
        ledger.BeginStep();
        ledger.Charge("features.0", 400_000);
        var e = Assert.Throws<EnclaveException>(() => ledger.Charge("features.3", 200_000));
        Assert.Contains("'features.3'", e.Message);
        Assert.Contains("2 MB", e.Message);
        Assert.Contains("2.1 MB", e.Message);
        Assert.Equal(1_900_000, ledger.CurrentBytes);
        var resident = Assert.Throws<EnclaveException>(() => ledger.SetResident("data set", 600_000));
        Assert.Contains("'data set'", resident.Message);
        Assert.False(ledger.Resident.ContainsKey("data set"));
    }

    [Fact]
    public void BudgetMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MemoryLedger(0));
}
