using System.Collections;
using AsymML.IO;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace AsymML.Network;

/// <summary>Reading and writing name → tensor maps in the three supported formats.</summary>
internal static class StateDictFiles
{
    public static StateDictFormat Resolve(string path, StateDictFormat format)
    {
        if (format != StateDictFormat.Auto)
            return format;
        return Path.GetExtension(path).ToLowerInvariant() switch
        {
            ".dat" => StateDictFormat.TorchSharp,
            ".pt" or ".pth" => StateDictFormat.PyTorch,
            ".safetensors" => StateDictFormat.Safetensors,
            _ => throw new ArgumentException(
                $"Cannot tell the state-dict format of '{path}' from its extension: use .dat (TorchSharp), .pt or .pth (PyTorch), " +
                ".safetensors, or pass a StateDictFormat.", nameof(path)),
        };
    }

    public static void Write(string path, StateDictFormat format, IReadOnlyList<KeyValuePair<string, Tensor>> entries)
    {
        using DisposeScope scope = NewDisposeScope(); // frees the CPU/contiguous copies, if any were needed
        var dict = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor) in entries)
            dict.Add(name, tensor.device_type == DeviceType.CPU && tensor.is_contiguous() ? tensor : tensor.cpu().contiguous());
        AtomicFile.Write(path, stream =>
        {
            switch (format)
            {
                case StateDictFormat.TorchSharp:
                    using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
                        nn.Module.save_state_dict(writer, dict, []);
                    break;
                case StateDictFormat.PyTorch:
                    PyTorchPickler.PickleStateDict(stream, dict, true);
                    break;
                case StateDictFormat.Safetensors:
                    Safetensors.SaveStateDict(stream, dict, true);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(format), format, null);
            }
        });
    }

    public static List<KeyValuePair<string, Tensor>> Read(string path, StateDictFormat format)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"State-dict file '{path}' does not exist.", path);
        try
        {
            return format switch
            {
                StateDictFormat.TorchSharp => ReadTorchSharp(path),
                StateDictFormat.PyTorch => ReadPyTorch(path),
                StateDictFormat.Safetensors => Safetensors.LoadStateDict(path, null).ToList(),
                _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
            };
        }
        catch (Exception e) when (e is not FileNotFoundException and not ArgumentOutOfRangeException)
        {
            throw new InvalidDataException($"'{path}' is not a readable {format} state dict: {e.Message}", e);
        }
    }

    private static List<KeyValuePair<string, Tensor>> ReadTorchSharp(string path)
    {
        using var stream = File.OpenRead(path);
        using var reader = new BinaryReader(stream, System.Text.Encoding.UTF8);
        long count = DecodeLength(reader);
        var result = new List<KeyValuePair<string, Tensor>>();
        for (long i = 0; i < count; i++)
        {
            string name = reader.ReadString();
            result.Add(new(name, TensorExtensionMethods.Load(reader, false)));
        }
        if (stream.Position != stream.Length)
            throw new InvalidDataException($"{stream.Length - stream.Position} bytes follow the last of {count} entries.");
        return result;
    }

    private static List<KeyValuePair<string, Tensor>> ReadPyTorch(string path)
    {
        Hashtable table = PyTorchUnpickler.UnpickleStateDict(path);
        var result = new List<KeyValuePair<string, Tensor>>();
        foreach (DictionaryEntry entry in table)
        {
            if (entry.Key is not string name || entry.Value is not Tensor tensor)
                throw new InvalidDataException($"entry '{entry.Key}' is a {entry.Value?.GetType().Name ?? "null"}, not a tensor.");
            result.Add(new(name, tensor));
        }
        // A pickled dict comes back unordered: restore a stable, readable order.
        result.Sort((a, b) => PathOrder.Compare(a.Key, b.Key));
        return result;
    }

    /// <summary>TorchSharp's entry count: an unsigned LEB128 integer.</summary>
    private static long DecodeLength(BinaryReader reader)
    {
        long value = 0;
        for (int shift = 0; shift < 63; shift += 7)
        {
            byte b = reader.ReadByte();
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return value;
        }
        throw new InvalidDataException("the entry count is not a valid LEB128 number.");
    }
}
