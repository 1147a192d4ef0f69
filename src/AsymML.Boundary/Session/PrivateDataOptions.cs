using AsymML.Data;

namespace AsymML.Boundary.Session;

/// <summary>How the enclave opens and prepares private data. Immutable.</summary>
/// <param name="KeyFile">The data owner's key file (<c>asymml keygen</c>), read by the enclave only: it opens sealed
/// data sets and seals predictions. In a real TEE the key is provisioned after remote attestation; here the
/// enclave reads a file the host process is trusted not to read (emulation). Null: plain data only.</param>
/// <param name="Augmentation">Random crop and flip for training batches; null for none.</param>
/// <param name="AugmentationSeed">Seed of the augmentation randomness (reproducible runs and resume); null draws a
/// secret from a cryptographic source.</param>
public sealed record PrivateDataOptions(string? KeyFile = null, Augmentation? Augmentation = null, long? AugmentationSeed = null);
