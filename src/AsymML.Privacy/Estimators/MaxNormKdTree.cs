namespace AsymML.Privacy.Estimators;

/// <summary>
/// A k-d tree over the samples of a <see cref="SampleMatrix"/> for the two queries k-NN estimators make, both in
/// the max-norm ‖a − b‖∞ = max_j |a_j − b_j| (the norm of KSG): the k nearest other samples of a sample, and the
/// number of samples within a radius. Each node keeps its bounding box, so a count adds whole subtrees that lie
/// inside the radius without visiting them: O(log n)-like per query in low dimension. Immutable after
/// construction; queries are thread-safe.
/// </summary>
public sealed class MaxNormKdTree
{
    private const int LeafSize = 8;
    private readonly int _d;
    private readonly double[] _points;   // permuted copy, row-major
    private readonly int[] _original;    // permuted position → sample index
    private readonly int[] _position;    // sample index → permuted position
    private readonly List<Node> _nodes = [];
    private readonly double[] _lo;
    private readonly double[] _hi;

    private readonly record struct Node(int Start, int End, int Left, int Right);

    /// <summary>Builds the tree (O(n log n)).</summary>
    public MaxNormKdTree(SampleMatrix samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        _d = samples.Dimension;
        Count = samples.Count;
        _original = Enumerable.Range(0, Count).ToArray();
        _points = samples.Values.ToArray();
        var boxes = new List<(double[] Lo, double[] Hi)>();
        Build(0, Count, boxes);
        _lo = new double[boxes.Count * _d];
        _hi = new double[boxes.Count * _d];
        for (int n = 0; n < boxes.Count; n++)
        {
            boxes[n].Lo.CopyTo(_lo, n * _d);
            boxes[n].Hi.CopyTo(_hi, n * _d);
        }
        // Reorder the points once so that leaves read contiguous memory.
        double[] source = samples.Values.ToArray();
        for (int p = 0; p < Count; p++)
            Array.Copy(source, _original[p] * _d, _points, p * _d, _d);
        _position = new int[Count];
        for (int p = 0; p < Count; p++) _position[_original[p]] = p;
    }

    /// <summary>Number of samples n.</summary>
    public int Count { get; }

    /// <summary>Dimension d.</summary>
    public int Dimension => _d;

    private int Build(int start, int end, List<(double[] Lo, double[] Hi)> boxes)
    {
        var lo = new double[_d];
        var hi = new double[_d];
        Array.Fill(lo, double.PositiveInfinity);
        Array.Fill(hi, double.NegativeInfinity);
        for (int p = start; p < end; p++)
            for (int j = 0; j < _d; j++)
            {
                double v = _points[_original[p] * _d + j];
                if (v < lo[j]) lo[j] = v;
                if (v > hi[j]) hi[j] = v;
            }
        int index = _nodes.Count;
        _nodes.Add(new Node(start, end, -1, -1));
        boxes.Add((lo, hi));
        if (end - start <= LeafSize) return index;
        int dim = 0;
        for (int j = 1; j < _d; j++)
            if (hi[j] - lo[j] > hi[dim] - lo[dim]) dim = j;
        if (hi[dim] == lo[dim]) return index; // all points equal: a leaf, however large
        int middle = (start + end) / 2;
        Select(start, end - 1, middle, dim);
        int left = Build(start, middle, boxes);
        int right = Build(middle, end, boxes);
        _nodes[index] = new Node(start, end, left, right);
        return index;
    }

    // Quickselect on _original[start..end] by coordinate dim so that position k holds the k-th smallest.
    private void Select(int left, int right, int k, int dim)
    {
        var random = new Random(left * 31 + right);
        while (right > left)
        {
            int pivotIndex = random.Next(left, right + 1);
            double pivot = Coord(_original[pivotIndex], dim);
            int i = left, j = right;
            while (i <= j)
            {
                while (Coord(_original[i], dim) < pivot) i++;
                while (Coord(_original[j], dim) > pivot) j--;
                if (i <= j)
                {
                    (_original[i], _original[j]) = (_original[j], _original[i]);
                    i++;
                    j--;
                }
            }
            if (k <= j) right = j;
            else if (k >= i) left = i;
            else return;
        }
    }

    private double Coord(int sample, int dim) => _points[sample * _d + dim];

    /// <summary>
    /// The <paramref name="k"/> samples nearest to sample <paramref name="sample"/>, itself excluded, in increasing
    /// max-norm distance: indices into <paramref name="indices"/>, distances into <paramref name="distances"/>
    /// (both of length ≥ k). Among equidistant samples the choice is arbitrary.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">k is not in 1 .. n − 1.</exception>
    public void Nearest(int sample, int k, Span<int> indices, Span<double> distances)
    {
        if (k < 1 || k >= Count)
            throw new ArgumentOutOfRangeException(nameof(k), k, $"k must be from 1 to n − 1 = {Count - 1}.");
        ReadOnlySpan<double> query = _points.AsSpan(_position[sample] * _d, _d);
        var heap = new NeighbourHeap(k, indices, distances);
        SearchNearest(0, query, sample, ref heap);
        heap.SortAscending();
    }

    private void SearchNearest(int node, ReadOnlySpan<double> query, int exclude, ref NeighbourHeap heap)
    {
        Node n = _nodes[node];
        if (n.Left < 0)
        {
            for (int p = n.Start; p < n.End; p++)
            {
                int s = _original[p];
                if (s == exclude) continue;
                double dist = Distance(query, p, heap.Full ? heap.Worst : double.PositiveInfinity);
                if (!heap.Full || dist < heap.Worst) heap.Push(s, dist);
            }
            return;
        }
        double dl = BoxDistance(query, n.Left), dr = BoxDistance(query, n.Right);
        (int first, double df, int second, double ds) = dl <= dr ? (n.Left, dl, n.Right, dr) : (n.Right, dr, n.Left, dl);
        if (!heap.Full || df < heap.Worst) SearchNearest(first, query, exclude, ref heap);
        if (!heap.Full || ds < heap.Worst) SearchNearest(second, query, exclude, ref heap);
    }

    /// <summary>The number of samples s (the query's own sample included when it is one) with
    /// ‖s − <paramref name="point"/>‖∞ &lt; <paramref name="radius"/>, or ≤ when <paramref name="inclusive"/>.</summary>
    public int CountWithin(ReadOnlySpan<double> point, double radius, bool inclusive = false)
    {
        if (point.Length != _d)
            throw new ArgumentException($"The point has {point.Length} coordinates; the tree has {_d}.", nameof(point));
        return CountNode(0, point, radius, inclusive);
    }

    /// <summary><see cref="CountWithin(ReadOnlySpan{double}, double, bool)"/> around sample <paramref name="sample"/>.</summary>
    public int CountWithin(int sample, double radius, bool inclusive = false) =>
        CountNode(0, _points.AsSpan(_position[sample] * _d, _d), radius, inclusive);

    private int CountNode(int node, ReadOnlySpan<double> q, double radius, bool inclusive)
    {
        double near = BoxDistance(q, node);
        if (inclusive ? near > radius : near >= radius) return 0;
        double far = FarDistance(q, node);
        Node n = _nodes[node];
        if (inclusive ? far <= radius : far < radius) return n.End - n.Start;
        if (n.Left < 0)
        {
            int count = 0;
            for (int p = n.Start; p < n.End; p++)
            {
                double dist = Distance(q, p, double.PositiveInfinity);
                if (inclusive ? dist <= radius : dist < radius) count++;
            }
            return count;
        }
        return CountNode(n.Left, q, radius, inclusive) + CountNode(n.Right, q, radius, inclusive);
    }

    private double Distance(ReadOnlySpan<double> q, int position, double stopAbove)
    {
        int o = position * _d;
        double max = 0;
        for (int j = 0; j < _d; j++)
        {
            double diff = Math.Abs(_points[o + j] - q[j]);
            if (diff > max)
            {
                max = diff;
                if (max > stopAbove) return max;
            }
        }
        return max;
    }

    private double BoxDistance(ReadOnlySpan<double> q, int node)
    {
        int o = node * _d;
        double max = 0;
        for (int j = 0; j < _d; j++)
        {
            double gap = q[j] < _lo[o + j] ? _lo[o + j] - q[j] : q[j] > _hi[o + j] ? q[j] - _hi[o + j] : 0;
            if (gap > max) max = gap;
        }
        return max;
    }

    private double FarDistance(ReadOnlySpan<double> q, int node)
    {
        int o = node * _d;
        double max = 0;
        for (int j = 0; j < _d; j++)
        {
            double gap = Math.Max(Math.Abs(q[j] - _lo[o + j]), Math.Abs(_hi[o + j] - q[j]));
            if (gap > max) max = gap;
        }
        return max;
    }

    /// <summary>A bounded max-heap of (distance, index) over caller-provided storage.</summary>
    private ref struct NeighbourHeap(int capacity, Span<int> indices, Span<double> distances)
    {
        private readonly Span<int> _indices = indices;
        private readonly Span<double> _distances = distances;
        private int _size;

        public readonly bool Full => _size == capacity;

        public readonly double Worst => _distances[0];

        public void Push(int index, double distance)
        {
            if (_size < capacity)
            {
                int i = _size++;
                _indices[i] = index;
                _distances[i] = distance;
                while (i > 0)
                {
                    int parent = (i - 1) / 2;
                    if (_distances[parent] >= _distances[i]) break;
                    Swap(i, parent);
                    i = parent;
                }
                return;
            }
            _indices[0] = index;
            _distances[0] = distance;
            SiftDown(0, _size);
        }

        private void SiftDown(int i, int size)
        {
            while (true)
            {
                int l = 2 * i + 1, r = l + 1, largest = i;
                if (l < size && _distances[l] > _distances[largest]) largest = l;
                if (r < size && _distances[r] > _distances[largest]) largest = r;
                if (largest == i) return;
                Swap(i, largest);
                i = largest;
            }
        }

        private void Swap(int a, int b)
        {
            (_indices[a], _indices[b]) = (_indices[b], _indices[a]);
            (_distances[a], _distances[b]) = (_distances[b], _distances[a]);
        }

        /// <summary>Heap-sorts in place: ascending distances.</summary>
        public void SortAscending()
        {
            for (int end = _size - 1; end > 0; end--)
            {
                Swap(0, end);
                SiftDown(0, end);
            }
        }
    }
}
