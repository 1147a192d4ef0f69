using AsymML.Decomposition;
using AsymML.Network;
using TorchSharp;
using static TorchSharp.torch;

namespace AsymML.Enclave;

/// <summary>
/// Charges the activations of a step to the <see cref="MemoryLedger"/> through forward hooks on every layer: in
/// training each layer's output is kept for backward (autograd saves it or its input), plus the factors U [B,N,r]
/// and V [B,r,H·W] of each split convolution; in evaluation only the newest two outputs are alive at a time.
/// Flatten returns a view and costs nothing. A charge over the budget throws from the hook, naming the layer, so
/// the step stops there (forward hooks run in managed code, outside any autograd callback).
/// </summary>
internal sealed class ActivationAccount
{
    private readonly MemoryLedger _ledger;
    private bool _training;
    private long _previous, _beforePrevious;

    public ActivationAccount(ReferenceNetwork model, EnclaveContext context)
    {
        _ledger = context.Ledger;
        foreach (Layer layer in model.Spec.AllLayers())
        {
            if (layer is FlattenLayer) continue;
            var module = (nn.Module<Tensor, Tensor>)model.ModuleAt(layer.Path);
            RankAssignment? split = layer is Conv2dLayer ? context.Settings.Ranks.GetValueOrDefault(layer.Path) : null;
            string path = layer.Path;
            module.register_forward_hook((_, input, output) =>
            {
                Charge(path, output, input, split is { Split: true } ? split.Rank : 0);
                return output;
            });
        }
    }

    public void Begin(bool training)
    {
        _training = training;
        _previous = _beforePrevious = 0;
    }

    private void Charge(string path, Tensor output, Tensor input, int rank)
    {
        long bytes = EnclaveRuntime.Bytes(output);
        if (_training)
        {
            // U [B, N, r] and V [B, r, H·W] stay saved for Eq. 5 in backward.
            long factors = rank == 0 ? 0 : input.shape[0] * rank * (input.shape[1] + input.shape[2] * input.shape[3]) * input.ElementSize;
            _ledger.Charge(path, bytes + factors);
            return;
        }
        _ledger.Release(_beforePrevious); // dead once its successor exists
        _ledger.Charge(path, bytes);
        (_beforePrevious, _previous) = (_previous, bytes);
    }
}
