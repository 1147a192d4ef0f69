using AsymML.Boundary.Messages;
using AsymML.Privacy.Estimators;
using static TorchSharp.torch;

namespace AsymML.Privacy.Audit;

/// <summary>Collects the per-image figures, the pooled correlation and the attack scores of each (layer, kind).</summary>
internal sealed class RowAccumulator(AuditOptions options)
{
    private sealed class Row
    {
        public readonly List<PaperImageLeakage> Images = [];
        public readonly List<AttackScores> Attacks = [];
        public double N, Sx, Sy, Sxx, Syy, Sxy;
    }

    private readonly List<(string Layer, MessageKind Kind)> _order = [];
    private readonly Dictionary<(string, MessageKind), Row> _rows = [];

    public void Add(AuditCrossing crossing, IAttackEvaluator? attacks, IProgress<string>? progress)
    {
        var key = (crossing.Layer, crossing.Kind);
        if (!_rows.TryGetValue(key, out Row? row))
        {
            _rows[key] = row = new Row();
            _order.Add(key);
        }
        if (attacks?.Evaluate(crossing) is AttackScores scores) row.Attacks.Add(scores);
        int images = (int)crossing.PrivateCounterpart.shape[0];
        bool shared = crossing.Kind == MessageKind.WeightGradients; // one dW_T for every sample's contribution
        for (int b = 0; b < images && row.Images.Count < options.Samples; b++)
        {
            using var scope = NewDisposeScope();
            float[] secret = PaperLeakage.Values(crossing.PrivateCounterpart[b]);
            float[] seen = PaperLeakage.Values(shared ? crossing.HostView : crossing.HostView[b]);
            if (row.Images.Count == 0) progress?.Report($"{crossing.Kind} {crossing.Layer}");
            row.Images.Add(PaperLeakage.Image(secret, seen, options.Estimator, options.Estimator.Seed * 7919 + _order.IndexOf(key) * 100_003 + row.Images.Count));
            for (int i = 0; i < secret.Length; i++)
            {
                double x = secret[i], y = seen[i];
                row.N++;
                row.Sx += x;
                row.Sy += y;
                row.Sxx += x * x;
                row.Syy += y * y;
                row.Sxy += x * y;
            }
        }
    }

    public IReadOnlyList<AuditRow> Rows() => _order.Select(key =>
    {
        Row row = _rows[key];
        PaperLeakageResult result = PaperLeakage.Summarise(row.Images, options.Estimator);
        double cov = row.Sxy / row.N - row.Sx / row.N * (row.Sy / row.N);
        double vx = row.Sxx / row.N - Math.Pow(row.Sx / row.N, 2), vy = row.Syy / row.N - Math.Pow(row.Sy / row.N, 2);
        double correlation = vx > 0 && vy > 0 ? cov / Math.Sqrt(vx * vy) : 0;
        return new AuditRow(key.Layer, key.Kind.ToString(), result.RelativeLeakage, result.Interval.Low, result.Interval.High, correlation,
            row.Attacks.Count == 0 ? null : row.Attacks.Average(a => a.AttackSsim), row.Attacks.Count == 0 ? null : row.Attacks.Average(a => a.BaselineSsim))
        {
            Images = row.Images.Count,
            MeanNumerator = result.MeanNumerator,
            MeanDenominator = result.MeanDenominator,
        };
    }).ToArray();
}
