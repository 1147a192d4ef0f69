using AsymML.Data;
using AsymML.Network;
using static TorchSharp.torch;

namespace AsymML.Cli.Commands;

/// <summary>What the analysis commands share: the model and the first images of a training split, normalised with
/// their own statistics as the enclave normalises provisioned data.</summary>
internal static class AnalysisSetup
{
    public static (NetworkSpec Spec, Tensor Inputs, Tensor Labels) Load(string model, string data, int images)
    {
        LabeledImages set = DataOptions.Load(data, FashionMnist.TrainSplit, images);
        if (set.Count < images)
            throw new UserErrorException($"--data '{data}' has {set.Count} training images; {images} are needed.");
        if (set.Rows != set.Cols)
            throw new UserErrorException($"--data '{data}': images are {set.Rows}×{set.Cols}; the analyses need square images.");
        NetworkSpec spec;
        try
        {
            spec = ModelZoo.Create(model, set.Channels, set.ClassNames?.Count ?? FashionMnist.ClassCount, imageSize: set.Rows);
        }
        catch (ArgumentException e)
        {
            throw new UserErrorException($"--model: {e.Message}", 1);
        }
        Normalization normalization = Normalization.FromData(set);
        using Tensor pixels = set.ToTensor();
        return (spec, normalization.Apply(pixels), set.LabelsToTensor());
    }
}
