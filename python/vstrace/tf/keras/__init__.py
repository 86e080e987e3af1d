"""tf.keras as TF 1.15 builds it inside a graph: layers named by
backend.unique_object_name per graph ("dense", "dense_1"), their ops and
variables in name_scope(layer.name), weights made as tf.Variable (resource
variables, not in the get_variable store: a reuse scope does not share them).
Sources: keras/engine/base_layer.py (__call__, add_weight),
keras/engine/base_layer_utils.py (make_variable), keras/backend.py
(unique_object_name), keras/layers/{core,convolutional,normalization,
embeddings,recurrent}.py (build)."""

import sys
import types

from .. import _core, _init, _ops
from .._core import convert_to_tensor, name_scope
from .._dtypes import TensorShape, as_dtype
from ..layers import _snake, _tuple, _last_dim

_INITS = {"zeros": _init.Zeros, "ones": _init.Ones, "glorot_uniform": _init.GlorotUniform,
          "glorot_normal": _init.GlorotNormal, "uniform": _init.RandomUniform,
          "random_uniform": _init.RandomUniform, "random_normal": _init.RandomNormal,
          "truncated_normal": _init.TruncatedNormal, "orthogonal": _init.Orthogonal,
          "he_normal": _init.he_normal, "he_uniform": _init.he_uniform}


def _get_init(x):
    if isinstance(x, str):
        return _INITS[x]()
    return x


def _unique_object_name(base):
    """backend.unique_object_name(base, zero_based=True) in the default graph."""
    uids = _core.get_default_graph()._obj_uids
    n = uids.get(base, 0)
    uids[base] = n + 1
    return base if n == 0 else "%s_%d" % (base, n)


class Layer(object):
    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        self.trainable = trainable
        self.name = name or _unique_object_name(_snake(type(self).__name__))
        self.dtype = None if dtype is None else as_dtype(dtype)
        self.built = False
        self._weights = []

    @property
    def weights(self):
        return list(self._weights)

    variables = weights

    @property
    def trainable_weights(self):
        return [w for w in self._weights if w.trainable]

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return [w for w in self._weights if not w.trainable]

    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def add_weight(self, name=None, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, partitioner=None, use_resource=None,
                   synchronization=0, aggregation=0, **kwargs):
        dtype = as_dtype(dtype or self.dtype or "float32")
        init = _get_init(initializer)
        if init is None:
            init = _init.GlorotUniform() if dtype.is_floating else _init.Zeros()
        if synchronization == _core.VariableSynchronization.ON_READ:
            if trainable:
                raise ValueError(
                    "Synchronization value can be set to VariableSynchronization.ON_READ only "
                    "for non-trainable variables. You have specified trainable=True and "
                    "synchronization=VariableSynchronization.ON_READ.")
            trainable = False
        elif trainable is None:
            trainable = True
        v = _core._variable(0, initial_value=init, name=name,
                            trainable=bool(trainable and self.trainable), dtype=dtype,
                            use_resource=True if use_resource is None else use_resource,
                            synchronization=synchronization, aggregation=aggregation,
                            shape=shape)
        if regularizer is not None:
            loss = regularizer(v)
            if loss is not None:
                _core.add_to_collection(_core.GraphKeys.REGULARIZATION_LOSSES, loss)
        self._weights.append(v)
        return v

    def __call__(self, inputs, *args, **kwargs):
        if self.dtype is None:
            try:
                self.dtype = convert_to_tensor(_first(inputs)).dtype
            except Exception:
                pass
        with name_scope(self.name):
            if not self.built:
                self.build(_shape(inputs))
                self.built = True
            return self.call(inputs, *args, **kwargs)

    def get_config(self):
        return {"name": self.name}


def _first(x):
    return _first(x[0]) if isinstance(x, (list, tuple)) else x


def _shape(x):
    if isinstance(x, (list, tuple)):
        return [_shape(i) for i in x]
    return convert_to_tensor(x).shape


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        Layer.__init__(self, **kwargs)
        self.units = int(units)
        self.activation = _activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer

    def build(self, input_shape):
        last = input_shape[-1].value
        if last is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. "
                             "Found `None`.")
        self.kernel = self.add_weight("kernel", shape=[last, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = (self.add_weight("bias", shape=[self.units],
                                     initializer=self.bias_initializer,
                                     regularizer=self.bias_regularizer)
                     if self.use_bias else None)
        self.built = True

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        out = _core._op("MatMul", [x], None, "MatMul",
                        x.shape[:-1].concatenate([self.units]), x.dtype)
        if self.use_bias:
            out = _ops.bias_add(out, self.bias)
        return self.activation(out)


def _activation(a):
    if a is None or a == "linear":
        return lambda x: x
    if isinstance(a, str):
        return getattr(_ops, a)
    return a


class Conv2D(Layer):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format=None, dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        for k in ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                  "kernel_constraint", "bias_constraint"):
            kwargs.pop(k, None)
        Layer.__init__(self, **kwargs)
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, 2)
        self.strides = _tuple(strides, 2)
        self.padding = padding.upper()
        self.activation = _activation(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer

    def build(self, input_shape):
        ch = input_shape[-1].value
        self.kernel = self.add_weight("kernel", shape=list(self.kernel_size) + [ch, self.filters],
                                      initializer=self.kernel_initializer)
        self.bias = (self.add_weight("bias", shape=[self.filters],
                                     initializer=self.bias_initializer)
                     if self.use_bias else None)

    def call(self, inputs):
        out = _ops.conv2d(inputs, self.kernel, [1] + list(self.strides) + [1], self.padding)
        if self.use_bias:
            out = _ops.bias_add(out, self.bias)
        return self.activation(out)


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 **kwargs):
        for k in ("beta_regularizer", "gamma_regularizer", "beta_constraint",
                  "gamma_constraint", "renorm", "fused", "virtual_batch_size"):
            kwargs.pop(k, None)
        Layer.__init__(self, **kwargs)
        self.axis, self.center, self.scale = axis, center, scale
        self._inits = (beta_initializer, gamma_initializer, moving_mean_initializer,
                       moving_variance_initializer)

    def build(self, input_shape):
        ax = self.axis if isinstance(self.axis, int) else self.axis[0]
        ps = [input_shape[ax].value]
        b, g, mm, mv = self._inits
        if self.scale:
            self.gamma = self.add_weight("gamma", shape=ps, initializer=g)
        if self.center:
            self.beta = self.add_weight("beta", shape=ps, initializer=b)
        self.moving_mean = self.add_weight(
            "moving_mean", shape=ps, initializer=mm, trainable=False,
            synchronization=_core.VariableSynchronization.ON_READ,
            aggregation=_core.VariableAggregation.MEAN)
        self.moving_variance = self.add_weight(
            "moving_variance", shape=ps, initializer=mv, trainable=False,
            synchronization=_core.VariableSynchronization.ON_READ,
            aggregation=_core.VariableAggregation.MEAN)

    def call(self, inputs, training=None):
        x = convert_to_tensor(inputs)
        return _core._op("FusedBatchNormV3", [x], None, "FusedBatchNormV3", x.shape, x.dtype)


class Embedding(Layer):
    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform", **kwargs):
        for k in ("embeddings_regularizer", "activity_regularizer", "embeddings_constraint",
                  "mask_zero", "input_length"):
            kwargs.pop(k, None)
        Layer.__init__(self, **kwargs)
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = embeddings_initializer

    def build(self, input_shape):
        self.embeddings = self.add_weight("embeddings", shape=[self.input_dim, self.output_dim],
                                          initializer=self.embeddings_initializer)

    def call(self, inputs):
        return _ops.embedding_lookup(self.embeddings, inputs)


class LSTM(Layer):
    """keras LSTM (recurrent.py): the LSTMCell's kernel (input_dim, 4u),
    recurrent_kernel (u, 4u) and bias (4u,) built by RNN.build under the
    layer's name scope."""

    def __init__(self, units, activation="tanh", recurrent_activation="hard_sigmoid",
                 use_bias=True, return_sequences=False, return_state=False, **kwargs):
        for k in list(kwargs):
            if k not in ("name", "trainable", "dtype"):
                kwargs.pop(k)
        Layer.__init__(self, **kwargs)
        self.units = int(units)
        self.use_bias = use_bias
        self.return_sequences = return_sequences
        self.return_state = return_state

    def build(self, input_shape):
        d = input_shape[-1].value
        u = self.units
        self.kernel = self.add_weight("kernel", shape=[d, 4 * u], initializer="glorot_uniform")
        self.recurrent_kernel = self.add_weight("recurrent_kernel", shape=[u, 4 * u],
                                                initializer="orthogonal")
        if self.use_bias:
            self.bias = self.add_weight("bias", shape=[4 * u], initializer="zeros")

    def call(self, inputs, initial_state=None, training=None, mask=None):
        x = convert_to_tensor(inputs)
        d = x.shape._dims
        b = None if d is None else d[0]
        if self.return_sequences:
            out = _core._op("Transpose", [x], None, "transpose",
                            TensorShape([b, None if d is None else d[1], self.units]), x.dtype)
        else:
            out = _core._op("StridedSlice", [x], None, "strided_slice",
                            TensorShape([b, self.units]), x.dtype)
        if self.return_state:
            s = TensorShape([b, self.units])
            return [out, _core._op("Identity", [x], None, "Identity", s, x.dtype),
                    _core._op("Identity", [x], None, "Identity", s, x.dtype)]
        return out


class Flatten(Layer):
    def call(self, inputs):
        from ..layers import Flatten as F
        return F.call(self, inputs)


class Dropout(Layer):
    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        Layer.__init__(self, **kwargs)
        self.rate = rate

    def call(self, inputs, training=None):
        return _ops.dropout(inputs, rate=self.rate)


class Activation(Layer):
    def __init__(self, activation, **kwargs):
        Layer.__init__(self, **kwargs)
        self.activation = _activation(activation)

    def call(self, inputs):
        return self.activation(inputs)


def Input(shape=None, batch_size=None, name=None, dtype=None, **kwargs):
    return _ops.placeholder(dtype or "float32", [batch_size] + list(shape or []),
                            name=name or _unique_object_name("input"))


class Sequential(Layer):
    def __init__(self, layers=None, name=None):
        Layer.__init__(self, name=name)
        self._layers = list(layers or [])

    def add(self, layer):
        self._layers.append(layer)

    def __call__(self, inputs, *args, **kwargs):
        x = inputs
        for l in self._layers:
            x = l(x)
        return x


layers = types.ModuleType(__name__ + ".layers")
for _c in (Layer, Dense, Conv2D, BatchNormalization, Embedding, LSTM, Flatten, Dropout,
           Activation, Input):
    setattr(layers, _c.__name__, _c)
layers.InputLayer = Input
sys.modules[layers.__name__] = layers
initializers = types.ModuleType(__name__ + ".initializers")
for _k, _v in _INITS.items():
    setattr(initializers, _k, _v)
initializers.GlorotUniform = _init.GlorotUniform
initializers.Zeros, initializers.Ones = _init.Zeros, _init.Ones
sys.modules[initializers.__name__] = initializers
models = types.ModuleType(__name__ + ".models")
models.Sequential = Sequential
sys.modules[models.__name__] = models
backend = types.ModuleType(__name__ + ".backend")
backend.name_scope = name_scope
backend.clear_session = _core.reset_default_graph
sys.modules[backend.__name__] = backend
