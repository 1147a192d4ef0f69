using AsymML.Boundary.Session;
using AsymML.Enclave.Sealing;
using AsymML.Execution;
using AsymML.Network;
using AsymML.Training.InProcess;

namespace AsymML.Training;

/// <summary>The one place executors are made: the mode and the enclave's whereabouts decide which.</summary>
public static class Executors
{
    /// <summary>The executor of <paramref name="options"/> for <paramref name="spec"/> on images of
    /// <paramref name="imageSize"/>, starting from <paramref name="state"/> (copied) or, when null, from weights made
    /// from <see cref="ExecutorOptions.WeightSeed"/> (by the enclave itself when there is one).</summary>
    /// <exception cref="ExecutionException">The enclave process could not be started, or refused the state.</exception>
    public static IExecutor Create(NetworkSpec spec, (int Height, int Width) imageSize, StateDict? state, ExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Mode == ExecutionMode.UntrustedOnly)
        {
            using StateDict? made = state is null ? StateDict.Initialize(spec, options.WeightSeed) : null;
            return new UntrustedOnlyExecutor(spec, made ?? state!, options.Optimizer, options.Accelerator, options.Augmentation, options.AugmentationSeed);
        }
        EnclaveSettings enclave = (options.Mode == ExecutionMode.TeeOnly
                ? EnclaveSettings.TeeOnly(spec)
                : EnclaveSettings.Split(spec, imageSize.Height, imageSize.Width, options.RankPolicy, options.NoiseRatio))
            with
            {
                Method = options.SplitMethod,
                Data = new PrivateDataOptions(options.KeyFile, options.Augmentation, options.AugmentationSeed),
                MemoryBudgetBytes = options.MemoryBudgetBytes,
                Verify = options.Verify,
                Optimizer = options.Optimizer,
                WeightSeed = options.WeightSeed,
                ResidualPrivacy = options.Mode == ExecutionMode.Asym ? options.ResidualPrivacy : null,
                Mask = options.Mode == ExecutionMode.Asym ? options.Mask : null, // nothing leaves in TEE-only mode
            };
        return options.EnclaveProcess
            ? new OutOfProcessExecutor(enclave, state, options.Optimizer, options.Accelerator, options.Transcript,
                new EnclaveProcessOptions { Threads = options.EnclaveThreads })
            : new SplitExecutor(enclave, state, options.Optimizer, options.Accelerator, options.Transcript);
    }

    /// <summary>
    /// The data an executor of <paramref name="mode"/> is given: as it is, except that the untrusted-only baseline,
    /// which has no enclave, gets sealed data opened here with the owner's key — plaintext in the host's process, the
    /// baseline's whole point (no privacy). Callers warn about it.
    /// </summary>
    /// <exception cref="ExecutionException">Sealed data without a key, or the key does not open it.</exception>
    public static DataSource ForMode(ExecutionMode mode, DataSource source, string? keyFile)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (mode != ExecutionMode.UntrustedOnly || source is not SealedDataSource sealedSource)
            return source;
        if (keyFile is null)
            throw new ExecutionException($"The untrusted-only baseline needs the data owner's key to open {sealedSource.Path} on the host.");
        try
        {
            using SealKey key = SealKey.Load(keyFile);
            return new PlainDataSource(SealedDataReader.ReadAll(sealedSource.Path, key));
        }
        catch (Exception e) when (e is Sealing.SealedDataException or IOException or InvalidDataException)
        {
            throw new ExecutionException($"The data set {sealedSource.Path} could not be opened: {e.Message}", e);
        }
    }
}
