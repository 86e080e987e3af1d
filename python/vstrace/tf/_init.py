"""Initializers, regularizers and partitioners (metadata: libvs sees the
initializer's kind, TF's name for it, and its dtype)."""

from . import _core
from ._core import _op
from ._dtypes import as_dtype, TensorShape


class Initializer(object):
    """Base of TF 1.15's init_ops initializer classes."""
    _vs_kind = _core.INIT_GLOROT_UNIFORM
    value = 0.0

    def __init__(self, dtype=None, **kwargs):
        self.dtype = None if dtype is None else as_dtype(dtype)
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __call__(self, shape, dtype=None, partition_info=None):
        return _op("Initializer", [], None, type(self).__name__, TensorShape(shape),
                   as_dtype(dtype or self.dtype or "float32"))

    def get_config(self):
        return {}


def _cls(name, kind, **defaults):
    def __init__(self, *args, **kwargs):
        names = list(defaults)
        for n, a in zip(names, args):
            kwargs[n] = a
        merged = dict(defaults)
        merged.update(kwargs)
        dtype = merged.pop("dtype", None)
        Initializer.__init__(self, dtype, **merged)
    return type(name, (Initializer,), {"_vs_kind": kind, "__init__": __init__})


Zeros = _cls("Zeros", _core.INIT_ZEROS, dtype=None)
Ones = _cls("Ones", _core.INIT_ONES, dtype=None)
Constant = _cls("Constant", _core.INIT_CONSTANT, value=0, dtype=None, verify_shape=False)
GlorotUniform = _cls("GlorotUniform", _core.INIT_GLOROT_UNIFORM, seed=None, dtype=None)
GlorotNormal = _cls("GlorotNormal", _core.INIT_TRUNCATED_NORMAL, seed=None, dtype=None)
RandomNormal = _cls("RandomNormal", _core.INIT_RANDOM_NORMAL, mean=0.0, stddev=1.0, seed=None,
                    dtype=None)
RandomUniform = _cls("RandomUniform", _core.INIT_RANDOM_UNIFORM, minval=0, maxval=None,
                     seed=None, dtype=None)
TruncatedNormal = _cls("TruncatedNormal", _core.INIT_TRUNCATED_NORMAL, mean=0.0, stddev=1.0,
                       seed=None, dtype=None)
VarianceScaling = _cls("VarianceScaling", _core.INIT_TRUNCATED_NORMAL, scale=1.0,
                       mode="fan_in", distribution="truncated_normal", seed=None, dtype=None)
Orthogonal = _cls("Orthogonal", _core.INIT_RANDOM_NORMAL, gain=1.0, seed=None, dtype=None)
Identity = _cls("Identity", _core.INIT_CONSTANT, gain=1.0, dtype=None)
UniformUnitScaling = _cls("UniformUnitScaling", _core.INIT_RANDOM_UNIFORM, factor=1.0,
                          seed=None, dtype=None)

zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
random_normal_initializer = RandomNormal
random_uniform_initializer = RandomUniform
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
orthogonal_initializer = Orthogonal
uniform_unit_scaling_initializer = UniformUnitScaling


def he_normal(seed=None):
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def he_uniform(seed=None):
    return VarianceScaling(scale=2.0, mode="fan_in", distribution="uniform", seed=seed)


def lecun_normal(seed=None):
    return VarianceScaling(scale=1.0, mode="fan_in", distribution="truncated_normal", seed=seed)


def xavier_initializer(uniform=True, seed=None, dtype=None):
    """tf.contrib.layers.xavier_initializer."""
    return GlorotUniform(seed=seed, dtype=dtype) if uniform else GlorotNormal(seed=seed,
                                                                             dtype=dtype)


_BY_KIND = {_core.INIT_ZEROS: Zeros, _core.INIT_ONES: Ones, _core.INIT_CONSTANT: Constant,
            _core.INIT_GLOROT_UNIFORM: GlorotUniform, _core.INIT_RANDOM_NORMAL: RandomNormal,
            _core.INIT_RANDOM_UNIFORM: RandomUniform,
            _core.INIT_TRUNCATED_NORMAL: TruncatedNormal}


def _from_kind(kind, value):
    cls = _BY_KIND.get(kind)
    if cls is Constant:
        return Constant(value)
    if cls is not None:
        return cls()
    return None


# ------------------------------------------------------------ regularizers
class _Regularizer(object):
    def __init__(self, scale, kind):
        self.scale = scale
        self.__name__ = kind

    def __call__(self, weights):
        if not self.scale:
            return None
        w = _core.convert_to_tensor(weights)
        return _op("Mul", [w], None, self.__name__, TensorShape([]), w.dtype)


def l2_regularizer(scale, scope=None):
    """tf.contrib.layers.l2_regularizer: None for scale 0 (no loss), as TF."""
    return _Regularizer(scale, "l2_regularizer")


def l1_regularizer(scale, scope=None):
    return _Regularizer(scale, "l1_regularizer")


def l1_l2_regularizer(scale_l1=1.0, scale_l2=1.0, scope=None):
    return _Regularizer(scale_l1 + scale_l2, "l1_l2_regularizer")


# ------------------------------------------------------------ partitioners
def fixed_size_partitioner(num_shards, axis=0):
    """tf.fixed_size_partitioner: num_shards along axis."""
    def _partitioner(shape, dtype):
        if not isinstance(shape, TensorShape):
            raise ValueError("shape is not a TensorShape: %s" % shape)
        if not shape.is_fully_defined():
            raise ValueError("shape is not fully defined: %s" % shape)
        parts = [1] * shape.ndims
        parts[axis] = min(num_shards, shape._dims[axis])
        return parts
    return _partitioner


def min_max_variable_partitioner(max_partitions=1, axis=0, min_slice_size=256 << 10,
                                 bytes_per_string_element=16):
    def _partitioner(shape, dtype):
        n = 1
        for d in shape._dims:
            n *= d
        size = n * 4
        k = max(1, min(max_partitions, shape._dims[axis], size // min_slice_size or 1))
        parts = [1] * shape.ndims
        parts[axis] = k
        return parts
    return _partitioner


def variable_axis_size_partitioner(max_shard_bytes, axis=0, bytes_per_string_element=16,
                                   max_shards=None):
    def _partitioner(shape, dtype):
        n = 1
        for d in shape._dims:
            n *= d
        k = max(1, -(-(n * 4) // max_shard_bytes))
        if max_shards:
            k = min(k, max_shards)
        parts = [1] * shape.ndims
        parts[axis] = min(k, shape._dims[axis])
        return parts
    return _partitioner
