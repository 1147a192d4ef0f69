using System.Buffers.Binary;
using System.Text;
using AsymML.Boundary.Messages;

namespace AsymML.Tests.Boundary;

/// <summary>
/// The encoder as it was before frames were sized up front and written in place (a MemoryStream, then a whole-frame
/// copy), kept verbatim in its logic as the reference the current encoder must match byte for byte; brought to format
/// version 2 (a step's optional learning rate, dW_U in the backward reply, the update and dW_U-check seconds of a
/// step result). Test-only; it does not check limits or element types.
/// </summary>
internal static class LegacyFrameEncoder
{
    public static byte[] Encode(BoundaryMessage message)
    {
        var w = new Writer();
        w.U8(2);
        w.U8((byte)message.Kind);
        switch (message)
        {
            case ProvisionBatch m: w.Tensor(m.Input); w.Tensor(m.Labels); break;
            case RunStep m:
                w.U8((byte)m.Step); w.I64(m.Number);
                w.U8(m.LearningRate is not null ? (byte)1 : (byte)0);
                if (m.LearningRate is double lr) w.F64(lr);
                break;
            case WeightsMessage m: w.Named(m.Weights); break;
            case ConvForward m: w.String(m.ConvLayer); w.Tensor(m.Residual); break;
            case ConvForwardReply m: w.String(m.ConvLayer); w.Tensor(m.Output); break;
            case ConvBackward m: w.String(m.ConvLayer); w.U8(m.NeedInputGradient ? (byte)1 : (byte)0); w.Tensor(m.OutputGradient); break;
            case ConvBackwardReply m:
                w.String(m.ConvLayer);
                w.U8(m.InputGradient is not null ? (byte)1 : (byte)0);
                if (m.InputGradient is not null) w.Tensor(m.InputGradient);
                w.U8(m.WeightGradient is not null ? (byte)1 : (byte)0);
                if (m.WeightGradient is not null) w.Tensor(m.WeightGradient);
                break;
            case WeightGradients m: w.Named(m.Gradients); break;
            case StepResult m:
                w.I64(m.Number); w.F64(m.Loss); w.I32(m.Correct); w.I32(m.BatchSize); w.F64(m.EnclaveSeconds); w.I64(m.EnclavePeakBytes); w.F64(m.VerificationSeconds); w.F64(m.WeightCheckSeconds); w.F64(m.UpdateSeconds);
                w.F64(m.ResidualEpsilon); w.I64(m.MaxResidualReleases);
                break;
            case ErrorMessage m: w.String(m.Text); break;
            default: throw new ArgumentException(message.GetType().Name);
        }
        return w.ToFrame();
    }

    private sealed class Writer
    {
        private readonly MemoryStream _buffer = new();
        private readonly byte[] _scratch = new byte[8];

        public void U8(byte value) => _buffer.WriteByte(value);

        public void I32(int value)
        {
            BinaryPrimitives.WriteInt32LittleEndian(_scratch, value);
            _buffer.Write(_scratch, 0, 4);
        }

        public void I64(long value)
        {
            BinaryPrimitives.WriteInt64LittleEndian(_scratch, value);
            _buffer.Write(_scratch, 0, 8);
        }

        public void F64(double value)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(_scratch, value);
            _buffer.Write(_scratch, 0, 8);
        }

        public void String(string value)
        {
            byte[] bytes = Encoding.UTF8.GetBytes(value);
            I32(bytes.Length);
            _buffer.Write(bytes);
        }

        public void Tensor(Tensor tensor)
        {
            U8((byte)tensor.dtype);
            U8((byte)tensor.dim());
            foreach (long d in tensor.shape) I64(d);
            using var scope = NewDisposeScope();
            _buffer.Write(tensor.detach().cpu().contiguous().bytes);
        }

        public void Named(IReadOnlyList<NamedTensor> tensors)
        {
            I32(tensors.Count);
            foreach (NamedTensor t in tensors)
            {
                String(t.Name);
                Tensor(t.Value);
            }
        }

        public byte[] ToFrame()
        {
            byte[] frame = new byte[4 + _buffer.Length];
            BinaryPrimitives.WriteInt32LittleEndian(frame, (int)_buffer.Length);
            _buffer.Position = 0;
            _buffer.ReadExactly(frame, 4, (int)_buffer.Length);
            return frame;
        }
    }
}
