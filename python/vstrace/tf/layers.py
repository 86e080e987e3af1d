"""tf.compat.v1.layers: Layer (tensorflow/python/layers/base.py) and the
Dense, Conv, BatchNormalization, Dropout and Flatten layers with their
functional forms.  Scope capture, reuse and add_weight's defaults are
libvs's (tracer/layers.c, vs_layer_*); this module adds the ops."""

import re

from vstrace import _vs
from . import _core, _ops, _init
from ._core import _reuse_arg, _init_arg, convert_to_tensor
from ._dtypes import TensorShape, dtype_vs, as_dtype

InputSpec = object


def _snake(name):
    """keras base_layer.to_snake_case: the default base name of a class."""
    s = re.sub(r"(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    s = re.sub(r"([a-z])([A-Z])", r"\1_\2", s).lower()
    return "private" + s if s[0] == "_" else s


class Layer(object):
    """tf.compat.v1.layers.Layer: a variable-scoped layer (libvs vs_layer)."""

    def __init__(self, trainable=True, name=None, dtype=None, _reuse=None, _scope=None,
                 **kwargs):
        self.trainable = trainable
        if isinstance(name, _core.VariableScope):  # Layer._init_set_name
            name = name.name
        self._base_name = name if name else _snake(type(self).__name__)
        self.name = self._base_name
        self.dtype = None if dtype is None else as_dtype(dtype)
        self._reuse = _reuse
        self._scope_arg = _scope._h if isinstance(_scope, _core.VariableScope) else _scope
        self._vl = None
        if self._scope_arg:
            self._layer().init_scope()
        self.input_spec = None
        self.supports_masking = False

    def _layer(self, scope=None):
        if self._vl is None:
            if isinstance(scope, _core.VariableScope):
                scope = scope._h
            self._vl = _vs.Layer(self._base_name, scope if scope is not None else
                                 self._scope_arg, _reuse_arg(self._reuse), bool(self.trainable),
                                 dtype_vs(self.dtype))
        return self._vl

    @property
    def built(self):
        return self._vl is not None and self._vl.built

    @property
    def scope_name(self):
        return _core.VariableScope(_handle=self._layer().scope).name

    @property
    def variables(self):
        return [] if self._vl is None else self._vl.weights

    weights = variables

    @property
    def trainable_variables(self):
        return [v for v in self.variables if v.trainable]

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        return [v for v in self.variables if not v.trainable]

    non_trainable_weights = non_trainable_variables

    def build(self, input_shape):
        pass

    def call(self, inputs, *args, **kwargs):
        return inputs

    def add_weight(self, name, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, partitioner=None, use_resource=None,
                   synchronization=0, aggregation=0, getter=None, **kwargs):
        return self._vl.add_weight(name, TensorShape(shape)._vs(), dtype_vs(dtype),
                                   _init_arg(initializer, dtype), regularizer, trainable,
                                   constraint, int(synchronization), int(aggregation))

    add_variable = add_weight

    def __call__(self, inputs, *args, **kwargs):
        scope = kwargs.pop("scope", None)
        if self._vl is None and scope is not None:  # Layer._set_scope(scope)
            self._layer(scope).init_scope()
        vl = self._layer(scope)
        if self.dtype is None:
            first = _first_tensor(inputs)
            if first is not None and first.dtype.is_floating:
                self.dtype = first.dtype
        if self.dtype is not None and not vl.built:
            vl.dtype = dtype_vs(self.dtype)
        vl.call_enter()
        ok = False
        try:
            if not vl.built:
                self._build_from(inputs)
            out = self.call(inputs, *args, **kwargs)
            ok = True
        finally:
            vl.call_exit(ok)
        return out

    def _build_from(self, inputs):
        self.build(_shape_of(inputs))

    def apply(self, inputs, *args, **kwargs):
        return self.__call__(inputs, *args, **kwargs)

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable}


def _first_tensor(x):
    if isinstance(x, (list, tuple)):
        for i in x:
            t = _first_tensor(i)
            if t is not None:
                return t
        return None
    try:
        return convert_to_tensor(x)
    except Exception:
        return None


def _shape_of(x):
    if isinstance(x, (list, tuple)):
        return [_shape_of(i) for i in x]
    return convert_to_tensor(x).shape


def _last_dim(inputs, layer):
    d = convert_to_tensor(inputs).shape
    if d.ndims is None or d._dims[-1] is None:
        raise ValueError("The last dimension of the inputs to `%s` should be defined. Found "
                         "`None`." % layer)
    return d._dims[-1]


def _activation(fn, x):
    return x if fn is None else fn(x)


class Dense(Layer):
    """tf.compat.v1.layers.Dense (keras/layers/core.py Dense.build)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=_init.Zeros(), kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
                 trainable=True, name=None, **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        self.activation = activation
        self.use_bias = use_bias
        self._opts = dict(use_bias=use_bias, kernel_initializer=_init_arg(kernel_initializer),
                          bias_initializer=_init_arg(bias_initializer),
                          kernel_regularizer=kernel_regularizer,
                          bias_regularizer=bias_regularizer)
        self.kernel = self.bias = None

    def _build_from(self, inputs):
        w = self._vl.dense(_last_dim(inputs, "Dense"), self.units, **self._opts)
        self.kernel = w[0]
        self.bias = w[1] if len(w) > 1 else None

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        if x.shape.ndims is not None and x.shape.ndims > 2:
            out = _core._op("Tensordot", [x], None, "Tensordot",
                            x.shape[:-1].concatenate([self.units]), x.dtype)
        else:
            out = _ops.matmul(x, self.kernel)
        if self.use_bias:
            out = _ops.bias_add(out, self.bias)
        return _activation(self.activation, out)


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=_init.Zeros(), kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """tf.compat.v1.layers.dense: a new Dense layer applied once."""
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer, trainable=trainable, name=name,
                  _scope=name, _reuse=reuse)
    return layer.apply(inputs)


def _tuple(v, n):
    if isinstance(v, int):
        return (v,) * n
    return tuple(int(x) for x in v)


class _Conv(Layer):
    """keras/layers/convolutional.py Conv (rank 1, 2, 3) and Conv2DTranspose."""
    _transpose = False

    def __init__(self, rank, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=_init.Zeros(),
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)
        self.rank = rank
        self.filters = int(filters)
        self.kernel_size = _tuple(kernel_size, rank)
        self.strides = _tuple(strides, rank)
        self.padding = padding.upper()
        self.data_format = data_format
        self.dilation_rate = _tuple(dilation_rate, rank)
        self.activation = activation
        self.use_bias = use_bias
        self._opts = dict(use_bias=use_bias, kernel_initializer=_init_arg(kernel_initializer),
                          bias_initializer=_init_arg(bias_initializer),
                          kernel_regularizer=kernel_regularizer,
                          bias_regularizer=bias_regularizer)
        self.kernel = self.bias = None

    def _channels(self, x):
        d = x.shape._dims
        ch = None if d is None else (d[1] if self.data_format == "channels_first" else d[-1])
        if ch is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found "
                             "`None`.")
        return ch

    def _build_from(self, inputs):
        x = convert_to_tensor(inputs)
        w = self._vl.conv(self.kernel_size, self._channels(x), self.filters,
                          1 if self._transpose else 0, **self._opts)
        self.kernel = w[0]
        self.bias = w[1] if len(w) > 1 else None

    def _out_shape(self, x):
        d = x.shape._dims
        if d is None:
            return TensorShape(None)
        first = self.data_format == "channels_first"
        sp = d[2:] if first else d[1:-1]
        out = []
        for n, k, s, r in zip(sp, self.kernel_size, self.strides, self.dilation_rate):
            if self._transpose:
                if n is None:
                    out.append(None)
                elif self.padding == "SAME":
                    out.append(n * s)
                else:
                    out.append(n * s + max(k - s, 0))
            else:
                out.append(_ops._conv_out(n, k, s, self.padding, r))
        return TensorShape([d[0], self.filters] + out if first else [d[0]] + out +
                           [self.filters])

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        t = {False: "Conv%dD" % self.rank, True: "Conv2DBackpropInput"}[self._transpose]
        out = _core._op(t, [x], None, "conv2d_transpose" if self._transpose else
                        "Conv%dD" % self.rank, self._out_shape(x), x.dtype)
        if self.use_bias:
            out = _ops.bias_add(out, self.bias)
        return _activation(self.activation, out)


class Conv1D(_Conv):
    def __init__(self, filters, kernel_size, **kwargs):
        _Conv.__init__(self, 1, filters, kernel_size, **kwargs)


class Conv2D(_Conv):
    def __init__(self, filters, kernel_size, **kwargs):
        _Conv.__init__(self, 2, filters, kernel_size, **kwargs)


class Conv3D(_Conv):
    def __init__(self, filters, kernel_size, **kwargs):
        _Conv.__init__(self, 3, filters, kernel_size, **kwargs)


class Conv2DTranspose(_Conv):
    _transpose = True

    def __init__(self, filters, kernel_size, **kwargs):
        _Conv.__init__(self, 2, filters, kernel_size, **kwargs)


Convolution2D = Conv2D
Convolution2DTranspose = Deconvolution2D = Conv2DTranspose


def _conv_fn(cls):
    def f(inputs, filters, kernel_size, strides=1, padding="valid",
          data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
          kernel_initializer=None, bias_initializer=_init.Zeros(), kernel_regularizer=None,
          bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
          bias_constraint=None, trainable=True, name=None, reuse=None):
        kw = dict(strides=strides, padding=padding, data_format=data_format,
                  activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)
        if cls is not Conv2DTranspose:
            kw["dilation_rate"] = dilation_rate
        return cls(filters, kernel_size, **kw).apply(inputs)
    return f


conv1d = _conv_fn(Conv1D)
conv2d = _conv_fn(Conv2D)
conv3d = _conv_fn(Conv3D)
conv2d_transpose = _conv_fn(Conv2DTranspose)


class BatchNormalization(Layer):
    """tf.compat.v1.layers.BatchNormalization (keras normalization.py build)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=_init.Zeros(), gamma_initializer=_init.Ones(),
                 moving_mean_initializer=_init.Zeros(),
                 moving_variance_initializer=_init.Ones(), beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None,
                 trainable=True, virtual_batch_size=None, adjustment=None, name=None,
                 **kwargs):
        Layer.__init__(self, trainable=trainable, name=name, **kwargs)
        self.axis = axis
        self.center = center
        self.scale = scale
        self._opts = dict(center=center, scale=scale,
                          beta_initializer=_init_arg(beta_initializer),
                          gamma_initializer=_init_arg(gamma_initializer),
                          moving_mean_initializer=_init_arg(moving_mean_initializer),
                          moving_variance_initializer=_init_arg(moving_variance_initializer),
                          beta_regularizer=beta_regularizer,
                          gamma_regularizer=gamma_regularizer)

    def _build_from(self, inputs):
        x = convert_to_tensor(inputs)
        d = x.shape._dims
        ax = self.axis[0] if isinstance(self.axis, (list, tuple)) else self.axis
        ch = None if d is None else d[ax]
        if ch is None:
            raise ValueError("Input has undefined `axis` dimension. Input shape: %s" % x.shape)
        w = self._vl.batch_norm(ch, **self._opts)
        names = [v.op.name.rsplit("/", 1)[-1] for v in w]
        for n, v in zip(names, w):
            setattr(self, n, v)

    def call(self, inputs, training=False):
        x = convert_to_tensor(inputs)
        out = _core._op("FusedBatchNormV3", [x], None, "FusedBatchNormV3", x.shape, x.dtype)
        if not isinstance(training, bool) or training:
            for n in ("moving_mean", "moving_variance"):
                with _core.name_scope(None, "AssignMovingAvg"):
                    _core.add_to_collection(_core.GraphKeys.UPDATE_OPS, _core._op(
                        "AssignSubVariableOp", [], None, "AssignMovingAvg", TensorShape([]),
                        x.dtype).op)
        return out


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=_init.Zeros(), gamma_initializer=_init.Ones(),
                        moving_mean_initializer=_init.Zeros(),
                        moving_variance_initializer=_init.Ones(), beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                        training=False, trainable=True, name=None, reuse=None, renorm=False,
                        renorm_clipping=None, renorm_momentum=0.99, fused=None,
                        virtual_batch_size=None, adjustment=None):
    layer = BatchNormalization(axis=axis, center=center, scale=scale,
                               beta_initializer=beta_initializer,
                               gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer,
                               gamma_regularizer=gamma_regularizer, trainable=trainable,
                               name=name, _reuse=reuse, _scope=name)
    return layer.apply(inputs, training=training)


BatchNorm = BatchNormalization


class Dropout(Layer):
    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        Layer.__init__(self, name=name, **kwargs)
        self.rate = rate

    def call(self, inputs, training=False):
        return _ops.dropout(inputs, rate=self.rate)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name).apply(
        inputs, training=training)


class Flatten(Layer):
    def __init__(self, data_format=None, **kwargs):
        Layer.__init__(self, **kwargs)

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        d = x.shape._dims
        n = None
        if d is not None and all(v is not None for v in d[1:]):
            n = 1
            for v in d[1:]:
                n *= v
        return _ops.reshape(x, [d[0] if d else None, n if n is not None else -1]) \
            if n is not None else _core._op("Reshape", [x], None, "Reshape",
                                            TensorShape([None if not d else d[0], None]),
                                            x.dtype)


def flatten(inputs, name=None, data_format="channels_last"):
    return Flatten(name=name).apply(inputs)


class _Pool(Layer):
    _fn = None

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        Layer.__init__(self, name=name, **kwargs)
        self.pool_size = _tuple(pool_size, 2)
        self.strides = _tuple(strides, 2)
        self.padding = padding.upper()

    def call(self, inputs):
        return type(self)._fn([1] + list(self.pool_size) + [1], [1] + list(self.strides) + [1],
                              self.padding)(inputs)


class MaxPooling2D(_Pool):
    def call(self, inputs):
        return _ops.max_pool(inputs, [1] + list(self.pool_size) + [1],
                             [1] + list(self.strides) + [1], self.padding)


class AveragePooling2D(_Pool):
    def call(self, inputs):
        return _ops.avg_pool(inputs, [1] + list(self.pool_size) + [1],
                             [1] + list(self.strides) + [1], self.padding)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    return MaxPooling2D(pool_size, strides, padding, data_format, name=name).apply(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid",
                      data_format="channels_last", name=None):
    return AveragePooling2D(pool_size, strides, padding, data_format, name=name).apply(inputs)
