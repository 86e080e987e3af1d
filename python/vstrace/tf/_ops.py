"""Symbolic ops: each makes a libvs op (named like TF's, in the current name
scope) and returns Tensors with a dtype and a static shape inferred the way
TF's shape functions do for the ops model code uses to size variables."""

from . import _dtypes
from ._core import (Tensor, Variable, _op, convert_to_tensor, name_scope, executing_eagerly)
from ._dtypes import TensorShape, as_dtype, as_shape

float32 = _dtypes.float32


def _t(x, dtype=None, name=None):
    return convert_to_tensor(x, dtype=dtype, name=name)


def _dims(t):
    return t.shape._dims


# --------------------------------------------------------------- sources
def placeholder(dtype, shape=None, name=None):
    return _op("Placeholder", [], name, "Placeholder", TensorShape(shape), as_dtype(dtype))


def placeholder_with_default(input, shape, name=None):
    t = _t(input)
    return _op("PlaceholderWithDefault", [t], name, "PlaceholderWithDefault", TensorShape(shape),
               t.dtype)


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    t = convert_to_tensor(value, dtype=dtype, name=name)
    if shape is not None:
        t._shape = as_shape(shape)
    if executing_eagerly() and not isinstance(value, (Tensor, Variable)):
        t._value = value
    return t


def _fill(type_, shape, dtype, name, default):
    if isinstance(shape, (Tensor, Variable)):
        sh = TensorShape(None)
        if shape.shape.ndims == 1 and shape.shape._dims[0] is not None:
            sh = TensorShape([None] * shape.shape._dims[0])
    else:
        sh = as_shape(shape)
    return _op(type_, [], name, default, sh, as_dtype(dtype))


def zeros(shape, dtype=float32, name=None):
    return _fill("Fill", shape, dtype, name, "zeros")


def ones(shape, dtype=float32, name=None):
    return _fill("Fill", shape, dtype, name, "ones")


def fill(dims, value, name=None):
    return _fill("Fill", dims, _t(value).dtype, name, "Fill")


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    t = _t(tensor)
    return _op("ZerosLike", [t], name, "zeros_like", t.shape, as_dtype(dtype or t.dtype))


def ones_like(tensor, dtype=None, name=None, optimize=True):
    t = _t(tensor)
    return _op("OnesLike", [t], name, "ones_like", t.shape, as_dtype(dtype or t.dtype))


def _random(type_, default):
    def f(shape, *args, **kwargs):
        return _fill(type_, shape, kwargs.get("dtype", float32), kwargs.get("name"), default)
    f.__name__ = default
    return f


random_normal = _random("RandomStandardNormal", "random_normal")
random_uniform = _random("RandomUniform", "random_uniform")
truncated_normal = _random("TruncatedNormal", "truncated_normal")


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    n = None
    if limit is None:
        start, limit = 0, start
    if all(isinstance(v, int) for v in (start, limit, delta)):
        n = max(0, -(-(limit - start) // delta))
    return _op("Range", [], name, "range", TensorShape([n]), as_dtype(dtype or _dtypes.int32))


# ------------------------------------------------------------ element-wise
def _broadcast(a, b):
    if a._dims is None or b._dims is None:
        return TensorShape(None)
    x, y = list(a._dims), list(b._dims)
    n = max(len(x), len(y))
    x = [1] * (n - len(x)) + x
    y = [1] * (n - len(y)) + y
    out = []
    for p, q in zip(x, y):
        if p == 1:
            out.append(q)
        elif q == 1:
            out.append(p)
        elif p is None or q is None:
            out.append(p if q is None else q)
        elif p == q:
            out.append(p)
        else:
            raise ValueError("Dimensions must be equal, but are %d and %d" % (p, q))
    return TensorShape(out)


def _binary(type_, default, out_dtype=None):
    def f(x, y, name=None):
        with name_scope(name, default, [x, y]) as scope:
            if isinstance(x, (Tensor, Variable)) or not isinstance(y, (Tensor, Variable)):
                a = _t(x, name="x")
                b = _t(y, dtype=a.dtype, name="y")
            else:
                b = _t(y, name="y")
                a = _t(x, dtype=b.dtype, name="x")
            return _op(type_, [a, b], scope, default, _broadcast(a.shape, b.shape),
                       out_dtype or a.dtype)
    f.__name__ = default
    return f


add = _binary("Add", "add")
subtract = _binary("Sub", "sub")
multiply = _binary("Mul", "mul")
divide = _binary("RealDiv", "truediv")
truediv = divide
div = _binary("RealDiv", "div")
floordiv = _binary("FloorDiv", "floordiv")
mod = floormod = _binary("FloorMod", "mod")
pow = _binary("Pow", "pow")
maximum = _binary("Maximum", "Maximum")
minimum = _binary("Minimum", "Minimum")
squared_difference = _binary("SquaredDifference", "SquaredDifference")
less = _binary("Less", "Less", _dtypes.bool_)
less_equal = _binary("LessEqual", "LessEqual", _dtypes.bool_)
greater = _binary("Greater", "Greater", _dtypes.bool_)
greater_equal = _binary("GreaterEqual", "GreaterEqual", _dtypes.bool_)
equal = _binary("Equal", "Equal", _dtypes.bool_)
not_equal = _binary("NotEqual", "NotEqual", _dtypes.bool_)
logical_and = _binary("LogicalAnd", "LogicalAnd", _dtypes.bool_)
logical_or = _binary("LogicalOr", "LogicalOr", _dtypes.bool_)
bias_add_ = _binary("BiasAdd", "BiasAdd")


def bias_add(value, bias, data_format=None, name=None):
    v = _t(value)
    with name_scope(name, "BiasAdd", [value, bias]) as scope:
        return _op("BiasAdd", [v, _t(bias)], scope, "BiasAdd", v.shape, v.dtype)


def _unary(type_, default):
    def f(x, name=None, **kwargs):
        t = _t(x)
        return _op(type_, [t], name, default, t.shape, t.dtype)
    f.__name__ = default
    return f


_UNARY = {
    "relu": "Relu", "relu6": "Relu6", "elu": "Elu", "selu": "Selu", "sigmoid": "Sigmoid",
    "tanh": "Tanh", "softplus": "Softplus", "softsign": "Softsign", "exp": "Exp", "log": "Log",
    "sqrt": "Sqrt", "rsqrt": "Rsqrt", "square": "Square", "abs": "Abs", "negative": "Neg",
    "sign": "Sign", "floor": "Floor", "ceil": "Ceil", "round": "Round", "identity": "Identity",
    "stop_gradient": "StopGradient", "sin": "Sin", "cos": "Cos", "log1p": "Log1p",
    "reciprocal": "Reciprocal", "logical_not": "LogicalNot", "erf": "Erf",
    "log_sigmoid": "LogSigmoid", "swish": "Swish",
}
for _name, _type in _UNARY.items():
    globals()[_name] = _unary(_type, _type if _name not in ("identity",) else "Identity")
del _name, _type
neg = negative


def leaky_relu(features, alpha=0.2, name=None):
    t = _t(features)
    return _op("LeakyRelu", [t], name, "LeakyRelu", t.shape, t.dtype)


def softmax(logits, axis=None, name=None, dim=None):
    t = _t(logits)
    return _op("Softmax", [t], name, "Softmax", t.shape, t.dtype)


def log_softmax(logits, axis=None, name=None, dim=None):
    t = _t(logits)
    return _op("LogSoftmax", [t], name, "LogSoftmax", t.shape, t.dtype)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    t = _t(x)
    with name_scope(name, "dropout", [x]) as scope:
        return _op("Mul", [t], scope, "dropout", t.shape, t.dtype)


def cast(x, dtype, name=None):
    t = _t(x)
    return _op("Cast", [t], name, "Cast", t.shape, as_dtype(dtype))


def to_float(x, name="ToFloat"):
    return cast(x, float32, name)


def to_int32(x, name="ToInt32"):
    return cast(x, _dtypes.int32, name)


def clip_by_value(t, clip_value_min, clip_value_max, name=None):
    x = _t(t)
    with name_scope(name, "clip_by_value", [t]) as scope:
        return _op("Maximum", [x], scope, "clip_by_value", x.shape, x.dtype)


def add_n(inputs, name=None):
    ts = [_t(i) for i in inputs]
    return _op("AddN", ts, name, "AddN", ts[0].shape, ts[0].dtype)


def tensordot(a, b, axes, name=None):
    a, b = _t(a), _t(b)
    return _op("Tensordot", [a, b], name, "Tensordot", TensorShape(None), a.dtype)


# ------------------------------------------------------------------ linalg
def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, name=None):
    with name_scope(name, "MatMul", [a, b]) as scope:
        a, b = _t(a, name="a"), _t(b, name="b")
        da, db = _dims(a), _dims(b)
        shape = TensorShape(None)
        if da is not None and db is not None and len(da) >= 2 and len(db) >= 2:
            m = da[-1] if (transpose_a or adjoint_a) else da[-2]
            ka = da[-2] if (transpose_a or adjoint_a) else da[-1]
            kb = db[-1] if (transpose_b or adjoint_b) else db[-2]
            n = db[-2] if (transpose_b or adjoint_b) else db[-1]
            if ka is not None and kb is not None and ka != kb:
                raise ValueError("Dimensions must be equal, but are %d and %d for '%s' (op: "
                                 "'MatMul') with input shapes: %s, %s." % (
                                     ka, kb, scope.rstrip("/"), _fmt(da), _fmt(db)))
            batch = _broadcast(TensorShape(da[:-2]), TensorShape(db[:-2]))
            shape = batch.concatenate([m, n])
        return _op("BatchMatMulV2" if da and len(da) > 2 else "MatMul", [a, b], scope, "MatMul",
                   shape, a.dtype)


def _fmt(d):
    return "[%s]" % ",".join("?" if x is None else str(x) for x in d)


def transpose(a, perm=None, name="transpose", conjugate=False):
    t = _t(a)
    d = _dims(t)
    shape = TensorShape(None)
    if d is not None:
        perm = list(reversed(range(len(d)))) if perm is None else list(perm)
        shape = TensorShape([d[p] for p in perm])
    return _op("Transpose", [t], name, "transpose", shape, t.dtype)


# ------------------------------------------------------------------ shapes
def _const_list(x):
    """A shape given as a list/tuple of ints (or Dimensions / None)."""
    if isinstance(x, (Tensor, Variable)):
        return None
    if isinstance(x, TensorShape):
        return None if x._dims is None else list(x._dims)
    out = []
    for d in x:
        if isinstance(d, (Tensor, Variable)):
            out.append(None)
        else:
            v = getattr(d, "value", d)
            out.append(None if v is None else int(v))
    return out


def reshape(tensor, shape, name=None):
    t = _t(tensor)
    want = _const_list(shape)
    out = TensorShape(None)
    if want is not None:
        if want.count(-1) == 1:
            known = 1
            for d in want:
                if d not in (-1, None):
                    known *= d
            total = t.shape.num_elements()
            fill = total // known if total is not None and known else None
            want = [fill if d == -1 else d for d in want]
        out = TensorShape([None if d == -1 else d for d in want])
    return _op("Reshape", [t], name, "Reshape", out, t.dtype)


def shape(input, name=None, out_type=_dtypes.int32):
    t = _t(input)
    n = t.shape.ndims
    return _op("Shape", [t], name, "Shape", TensorShape([n]), as_dtype(out_type))


def size(input, name=None, out_type=_dtypes.int32):
    t = _t(input)
    return _op("Size", [t], name, "Size", TensorShape([]), as_dtype(out_type))


def rank(input, name=None):
    t = _t(input)
    return _op("Rank", [t], name, "Rank", TensorShape([]), _dtypes.int32)


def _axis(a, n):
    return a + n if a < 0 else a


def concat(values, axis, name="concat"):
    ts = [_t(v) for v in values]
    ds = [_dims(t) for t in ts]
    shape = TensorShape(None)
    if ts and all(d is not None for d in ds) and isinstance(axis, int):
        n = len(ds[0])
        ax = _axis(axis, n)
        out = list(ds[0])
        tot = 0
        for d in ds:
            if d[ax] is None or tot is None:
                tot = None
            else:
                tot += d[ax]
            for i in range(n):
                if i != ax and out[i] is None:
                    out[i] = d[i]
        out[ax] = tot
        shape = TensorShape(out)
    return _op("ConcatV2", ts, name, "concat", shape, ts[0].dtype if ts else float32)


def stack(values, axis=0, name="stack"):
    ts = [_t(v) for v in values]
    d = _dims(ts[0])
    shape = TensorShape(None)
    if d is not None:
        out = list(d)
        out.insert(_axis(axis, len(d) + 1), len(ts))
        shape = TensorShape(out)
    return _op("Pack", ts, name, "stack", shape, ts[0].dtype)


pack = stack


def unstack(value, num=None, axis=0, name="unstack"):
    t = _t(value)
    d = _dims(t)
    if d is None or d[axis] is None and num is None:
        raise ValueError("Cannot infer num from shape %s" % t.shape)
    n = num if num is not None else d[axis]
    rest = list(d)
    del rest[axis]
    outs = _op("Unpack", [t], name, "unstack", [TensorShape(rest)] * n, t.dtype, n_out=n)
    return outs if n > 1 else [outs]


unpack = unstack


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    t = _t(value)
    d = _dims(t)
    if isinstance(num_or_size_splits, int):
        n = num_or_size_splits
        sizes = [None if d is None or d[axis] is None else d[axis] // n] * n
    else:
        sizes = list(num_or_size_splits)
        n = len(sizes)
    shapes = []
    for s in sizes:
        if d is None:
            shapes.append(TensorShape(None))
        else:
            o = list(d)
            o[_axis(axis, len(d))] = s
            shapes.append(TensorShape(o))
    outs = _op("Split", [t], name, "split", shapes, t.dtype, n_out=n)
    return outs if n > 1 else [outs]


def squeeze(input, axis=None, name=None, squeeze_dims=None):
    t = _t(input)
    d = _dims(t)
    axis = axis if axis is not None else squeeze_dims
    shape = TensorShape(None)
    if d is not None:
        if axis is None:
            shape = TensorShape([x for x in d if x != 1])
        else:
            ax = [_axis(a, len(d)) for a in ([axis] if isinstance(axis, int) else axis)]
            shape = TensorShape([x for i, x in enumerate(d) if i not in ax])
    return _op("Squeeze", [t], name, "Squeeze", shape, t.dtype)


def expand_dims(input, axis=None, name=None, dim=None):
    t = _t(input)
    d = _dims(t)
    axis = axis if axis is not None else dim
    shape = TensorShape(None)
    if d is not None:
        out = list(d)
        out.insert(_axis(axis, len(d) + 1), 1)
        shape = TensorShape(out)
    return _op("ExpandDims", [t], name, "ExpandDims", shape, t.dtype)


def tile(input, multiples, name=None):
    t = _t(input)
    m = _const_list(multiples)
    d = _dims(t)
    shape = TensorShape(None)
    if d is not None and m is not None:
        shape = TensorShape([None if a is None or b is None else a * b for a, b in zip(d, m)])
    return _op("Tile", [t], name, "Tile", shape, t.dtype)


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    t = _t(indices)
    d = _dims(t)
    shape = TensorShape(None if d is None else list(d) + [depth])
    return _op("OneHot", [t], name, "one_hot", shape, as_dtype(dtype or float32))


def gather(params, indices, validate_indices=None, name=None, axis=0, batch_dims=0):
    p, i = _t(params), _t(indices)
    dp, di = _dims(p), _dims(i)
    shape = TensorShape(None)
    if dp is not None and di is not None and axis == 0:
        shape = TensorShape(list(di) + list(dp[1:]))
    return _op("GatherV2", [p, i], name, "GatherV2", shape, p.dtype)


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True,
                     max_norm=None):
    if isinstance(params, (list, tuple)):
        params = params[0]
    p = _t(params)
    with name_scope(name, "embedding_lookup", [params, ids]) as scope:
        i = _t(ids)
        dp, di = _dims(p), _dims(i)
        shape = TensorShape(None)
        if dp is not None and di is not None:
            shape = TensorShape(list(di) + list(dp[1:]))
        return _op("GatherV2", [p, i], scope, "embedding_lookup", shape, p.dtype)


def slice_(input_, begin, size, name=None):
    t = _t(input_)
    s = _const_list(size)
    shape = TensorShape(None if s is None else [None if x == -1 else x for x in s])
    return _op("Slice", [t], name, "Slice", shape, t.dtype)


def strided_slice_getitem(t, key):
    t = _t(t)
    d = _dims(t)
    if not isinstance(key, tuple):
        key = (key,)
    shape = TensorShape(None)
    if d is not None and all(isinstance(k, (int, slice)) or k is Ellipsis or k is None
                             for k in key):
        out, i = [], 0
        for k in key:
            if k is Ellipsis:
                rest = len(d) - (len([x for x in key if x is not None and x is not Ellipsis]))
                out.extend(d[i:i + rest])
                i += rest
            elif k is None:
                out.append(1)
            elif isinstance(k, int):
                i += 1
            else:
                n = d[i]
                out.append(None if n is None else len(range(*k.indices(n))))
                i += 1
        out.extend(d[i:])
        shape = TensorShape(out)
    return _op("StridedSlice", [t], None, "strided_slice", shape, t.dtype)


def pad(tensor, paddings, mode="CONSTANT", name=None, constant_values=0):
    t = _t(tensor)
    d = _dims(t)
    shape = TensorShape(None)
    if d is not None and not isinstance(paddings, (Tensor, Variable)):
        shape = TensorShape([None if x is None else x + p[0] + p[1]
                             for x, p in zip(d, paddings)])
    return _op("Pad", [t], name, "Pad", shape, t.dtype)


# --------------------------------------------------------------- reductions
def _reduce(type_, default, out_dtype=None):
    def f(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
          keep_dims=None):
        t = _t(input_tensor)
        d = _dims(t)
        axis = axis if axis is not None else reduction_indices
        keep = bool(keepdims if keepdims is not None else keep_dims)
        shape = TensorShape(None)
        if d is not None:
            if axis is None:
                shape = TensorShape([1] * len(d) if keep else [])
            elif isinstance(axis, (int, list, tuple)):
                ax = {_axis(a, len(d)) for a in ([axis] if isinstance(axis, int) else axis)}
                shape = TensorShape([1 if i in ax else x for i, x in enumerate(d)
                                     if keep or i not in ax])
        return _op(type_, [t], name, default, shape, out_dtype or t.dtype)
    f.__name__ = default
    return f


reduce_sum = _reduce("Sum", "Sum")
reduce_mean = _reduce("Mean", "Mean")
reduce_max = _reduce("Max", "Max")
reduce_min = _reduce("Min", "Min")
reduce_prod = _reduce("Prod", "Prod")
reduce_any = _reduce("Any", "Any", _dtypes.bool_)
reduce_all = _reduce("All", "All", _dtypes.bool_)
reduce_logsumexp = _reduce("ReduceLogSumExp", "ReduceLogSumExp")


def argmax(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):
    t = _t(input)
    d = _dims(t)
    axis = axis if axis is not None else (dimension if dimension is not None else 0)
    shape = TensorShape(None if d is None else [x for i, x in enumerate(d)
                                                if i != _axis(axis, len(d))])
    return _op("ArgMax", [t], name, "ArgMax", shape, as_dtype(output_type))


def argmin(input, axis=None, name=None, dimension=None, output_type=_dtypes.int64):
    t = _t(input)
    d = _dims(t)
    axis = axis if axis is not None else (dimension if dimension is not None else 0)
    shape = TensorShape(None if d is None else [x for i, x in enumerate(d)
                                                if i != _axis(axis, len(d))])
    return _op("ArgMin", [t], name, "ArgMin", shape, as_dtype(output_type))


# -------------------------------------------------------- conv and pooling
def _conv_out(n, k, s, padding, dilation=1):
    if n is None or k is None:
        return None
    if padding.upper() == "SAME":
        return -(-n // s)
    return (n - (k - 1) * dilation - 1) // s + 1


def _hw(v, nd=2):
    if isinstance(v, int):
        return [v] * nd
    v = list(v)
    if len(v) == nd + 2:
        return v[1:-1]
    return v


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,
           data_format="NHWC", dilations=None, name=None, filters=None):
    x = _t(input)
    w = _t(filter if filter is not None else filters)
    dx, dw = _dims(x), _dims(w)
    shape = TensorShape(None)
    if dx is not None and dw is not None and len(dx) == 4:
        s = _hw(strides or 1)
        dil = _hw(dilations or 1)
        if data_format == "NCHW":
            shape = TensorShape([dx[0], dw[3], _conv_out(dx[2], dw[0], s[0], padding, dil[0]),
                                 _conv_out(dx[3], dw[1], s[1], padding, dil[1])])
        else:
            shape = TensorShape([dx[0], _conv_out(dx[1], dw[0], s[0], padding, dil[0]),
                                 _conv_out(dx[2], dw[1], s[1], padding, dil[1]), dw[3]])
    return _op("Conv2D", [x, w], name, "Conv2D", shape, x.dtype)


def conv3d(input, filter=None, strides=None, padding=None, data_format="NDHWC",
           dilations=None, name=None, filters=None):
    """nn_ops.conv3d: NDHWC input, filter [d, h, w, in, out]."""
    x = _t(input)
    w = _t(filter if filter is not None else filters)
    dx, dw = _dims(x), _dims(w)
    shape = TensorShape(None)
    if dx is not None and dw is not None and len(dx) == 5 and data_format == "NDHWC":
        s = _hw(strides or 1, 3)
        dil = _hw(dilations or 1, 3)
        shape = TensorShape([dx[0]] + [_conv_out(dx[i + 1], dw[i], s[i], padding, dil[i])
                                       for i in range(3)] + [dw[4]])
    return _op("Conv3D", [x, w], name, "Conv3D", shape, x.dtype)


def conv2d_transpose(value, filter=None, output_shape=None, strides=None, padding="SAME",
                     data_format="NHWC", name=None, input=None, filters=None, dilations=None):
    x = _t(value if value is not None else input)
    w = _t(filter if filter is not None else filters)
    out = _const_list(output_shape) if output_shape is not None else None
    return _op("Conv2DBackpropInput", [x, w], name, "conv2d_transpose",
               TensorShape(out) if out is not None else TensorShape(None), x.dtype)


def _pool(type_, default):
    def f(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):
        x = _t(value if value is not None else input)
        d = _dims(x)
        shape = TensorShape(None)
        if d is not None and len(d) == 4:
            k, s = _hw(ksize), _hw(strides)
            if data_format == "NCHW":
                shape = TensorShape([d[0], d[1], _conv_out(d[2], k[0], s[0], padding),
                                     _conv_out(d[3], k[1], s[1], padding)])
            else:
                shape = TensorShape([d[0], _conv_out(d[1], k[0], s[0], padding),
                                     _conv_out(d[2], k[1], s[1], padding), d[3]])
        return _op(type_, [x], name, default, shape, x.dtype)
    f.__name__ = default
    return f


max_pool = _pool("MaxPool", "MaxPool")
avg_pool = _pool("AvgPool", "AvgPool")


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """nn_impl.moments (TF 1.15): mean and variance kept to rank, then
    squeezed unless keep_dims (the results are moments/Squeeze, _1)."""
    t = _t(x)
    with name_scope(name, "moments", [x, axes]):
        m = reduce_mean(t, axes, keepdims=True, name="mean")
        v = reduce_mean(t, axes, keepdims=True, name="variance")
        if not (keepdims or keep_dims):
            m, v = squeeze(m, axes), squeeze(v, axes)
        return m, v


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """nn_impl.batch_normalization: x * inv + (offset - mean * inv) in
    name_scope "batchnorm"; the result has x's shape."""
    t = _t(x)
    with name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        return _op("Add", [t], None, "add_1", t.shape, t.dtype)


# ----------------------------------------------------------------- losses
def _loss_scalar(type_, default):
    def f(*args, **kwargs):
        ts = [_t(a) for a in args if isinstance(a, (Tensor, Variable))]
        ts += [_t(v) for v in kwargs.values() if isinstance(v, (Tensor, Variable))]
        name = kwargs.get("name")
        shape = TensorShape(None)
        for key in ("logits", "labels"):
            if key in kwargs and isinstance(kwargs[key], (Tensor, Variable)):
                shape = _t(kwargs[key]).shape
                break
        else:
            if ts:
                shape = ts[0].shape
        return _op(type_, ts, name, default, shape, ts[0].dtype if ts else float32)
    f.__name__ = default
    return f


sigmoid_cross_entropy_with_logits = _loss_scalar("Add", "logistic_loss")


def _xent(type_, default, sparse=False):
    def f(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
        lg = _t(logits)
        d = _dims(lg)
        shape = TensorShape(None if d is None else d[:-1])
        return _op(type_, [lg], name, default, shape, lg.dtype)
    f.__name__ = default
    return f


softmax_cross_entropy_with_logits = _xent("SoftmaxCrossEntropyWithLogits",
                                          "softmax_cross_entropy_with_logits")
softmax_cross_entropy_with_logits_v2 = softmax_cross_entropy_with_logits
sparse_softmax_cross_entropy_with_logits = _xent("SparseSoftmaxCrossEntropyWithLogits",
                                                 "SparseSoftmaxCrossEntropyWithLogits")


def l2_loss(t, name=None):
    x = _t(t)
    return _op("L2Loss", [x], name, "L2Loss", TensorShape([]), x.dtype)


# ------------------------------------------------------------------ misc
def no_op(name=None):
    return _op("NoOp", [], name, "NoOp", TensorShape([]), float32).op


def group(*inputs, **kwargs):
    name = kwargs.get("name")
    with name_scope(name, "group_deps", inputs) as scope:
        return _op("NoOp", [], scope, "group_deps", TensorShape([]), float32).op


def tuple_(tensors, name=None, control_inputs=None):
    return list(tensors)


def unknown_op(type_name):
    """An op vstrace does not model: accepted, returns an unknown-shape tensor."""
    def f(*args, **kwargs):
        name = kwargs.get("name")
        if not isinstance(name, str):
            name = None
        inputs = [a for a in args if isinstance(a, (Tensor, Variable))]
        dtype = _t(inputs[0]).dtype if inputs else float32
        return _op(type_name, [_t(i) for i in inputs], name, type_name, TensorShape(None), dtype)
    f.__name__ = type_name
    return f


# ------------------------------------------------------ unmodelled classes
def class_like(attr):
    """A TF class name (Dataset, Scaffold, CudnnGRU), not an op function."""
    return attr[:1].isupper() and any(c.islower() for c in attr)


def _user_line():
    """file:line of the innermost frame outside the vstrace package."""
    import sys
    from ._core import _shim_dirs
    dirs = _shim_dirs()
    f = sys._getframe(1)
    while f is not None and f.f_code.co_filename.startswith(dirs):
        f = f.f_back
    return "?" if f is None else "%s:%d" % (f.f_code.co_filename, f.f_lineno)


def _note_unmodelled(qual):
    import warnings
    from ._core import _control_flow_state
    seen = _control_flow_state.setdefault("_unmodelled", set())
    if qual not in seen:
        seen.add(qual)
        warnings.warn("vstrace.tf: %s is not modelled (docs/python.md): its objects create "
                      "no variables and compute nothing; first used at %s"
                      % (qual, _user_line()), stacklevel=3)


class _UnmodelledMeta(type):
    def __getattr__(cls, attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        _note_unmodelled(cls._qual)
        return _Unmodelled._method(cls._qual + "." + attr)


class _Unmodelled(metaclass=_UnmodelledMeta):
    """An object of a TF class vstrace.tf does not model (tf.data.Dataset,
    tf.train.Scaffold, ...): constructing it, its methods and chains of
    them (Dataset.from_tensor_slices(x).batch(32).make_one_shot_iterator()
    .get_next()) are accepted, with a warning naming the script's line at
    the first use; where a tensor is needed it is one of unknown shape.
    Unpacking or iterating it raises NotImplementedError with that line,
    since the number of items is unknown."""

    _qual = "tf.?"

    def __init__(self, *args, **kwargs):
        _note_unmodelled(type(self)._qual)

    @staticmethod
    def _method(qual):
        def method(*args, **kwargs):
            r = _Unmodelled.__new__(_Unmodelled)
            r.__dict__["_qual"] = qual + "()"
            return r
        method.__name__ = qual.rsplit(".", 1)[-1]
        return method

    def __getattr__(self, attr):
        if attr.startswith("__") or attr == "_tensor":
            raise AttributeError(attr)
        return _Unmodelled._method(self._qual + "." + attr)

    def __call__(self, *args, **kwargs):
        return self._method(self._qual)(*args, **kwargs)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def __bool__(self):
        return True

    def __iter__(self):
        raise NotImplementedError("vstrace.tf: %s is not modelled: its result cannot be "
                                  "unpacked or iterated (at %s)" % (self._qual, _user_line()))

    def _as_tensor(self):
        t = self.__dict__.get("_tensor")
        if t is None:
            t = _op("Unmodelled", [], None, "Unmodelled", TensorShape(None), _dtypes.float32)
            self.__dict__["_tensor"] = t
        return t


def unmodelled_class(qual):
    return _UnmodelledMeta(qual.rsplit(".", 1)[-1], (_Unmodelled,), {"_qual": qual})


def unknown_attr(module, attr):
    """A module's fallback for an attribute vstrace.tf does not define: a
    class name gives an _Unmodelled class, anything else an unknown op."""
    if class_like(attr):
        return unmodelled_class(module + "." + attr)
    return unknown_op(attr)


def _install_operators():
    """Python operators on Tensor and Variable, as TF overloads them."""
    def rev(f):
        return lambda a, b: f(b, a)
    ops = {"__add__": add, "__radd__": rev(add), "__sub__": subtract,
           "__rsub__": rev(subtract), "__mul__": multiply, "__rmul__": rev(multiply),
           "__truediv__": divide, "__rtruediv__": rev(divide), "__div__": divide,
           "__floordiv__": floordiv, "__rfloordiv__": rev(floordiv), "__mod__": mod,
           "__pow__": pow, "__rpow__": rev(pow), "__lt__": less, "__le__": less_equal,
           "__gt__": greater, "__ge__": greater_equal, "__and__": logical_and,
           "__or__": logical_or, "__matmul__": matmul, "__rmatmul__": rev(matmul)}
    for cls in (Tensor, Variable):
        for k, f in ops.items():
            setattr(cls, k, (lambda g: lambda a, b: g(a, b))(f))
        cls.__neg__ = lambda a: negative(a)
        cls.__abs__ = lambda a: abs(a)
        cls.__invert__ = lambda a: logical_not(a)
        cls.__getitem__ = lambda a, k: strided_slice_getitem(a, k)


_install_operators()
