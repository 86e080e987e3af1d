"""tf.contrib: the parts TF1 model code reaches for to build variables:
contrib.layers / contrib.slim (fully_connected, conv2d, batch_norm, pooling,
flatten, dropout, repeat, arg_scope, model variables), contrib.rnn and
contrib.framework.  Layer functions follow
tensorflow/contrib/layers/python/layers/layers.py (TF 1.15): a
variable_scope(scope, '<Default>', reuse=reuse,
custom_getter=<rename kernel/bias to weights/biases, add MODEL_VARIABLES>)
around the core layer built with name=sc.name, _scope=sc."""

import contextlib
import functools
import sys
import types

from . import _core, _dtypes, _init, _ops, nn, train
from . import layers as _layers
from ._core import GraphKeys, variable_scope, convert_to_tensor, get_variable

# ------------------------------------------------------------ arg_scope
_arg_stack = [{}]


def add_arg_scope(func):
    """framework/python/ops/arg_scope.py add_arg_scope: func takes its default
    keyword arguments from the enclosing arg_scope."""
    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        current = _arg_stack[-1].get(_key(wrapper), {})
        merged = dict(current)
        merged.update(kwargs)
        return func(*args, **merged)
    wrapper._vs_arg_scope_key = wrapper
    return wrapper


def _key(op):
    return getattr(op, "_vs_arg_scope_key", op)


@contextlib.contextmanager
def arg_scope(list_ops_or_scope, **kwargs):
    """arg_scope([ops], **kwargs), or arg_scope(a_saved_scope)."""
    if isinstance(list_ops_or_scope, dict):
        _arg_stack.append(list_ops_or_scope)
    else:
        new = {k: dict(v) for k, v in _arg_stack[-1].items()}
        for op in list_ops_or_scope:
            if not hasattr(op, "_vs_arg_scope_key"):
                raise ValueError("%s is not decorated with @add_arg_scope" % (op,))
            new.setdefault(_key(op), {}).update(kwargs)
        _arg_stack.append(new)
    try:
        yield _arg_stack[-1]
    finally:
        _arg_stack.pop()


def current_arg_scope():
    return _arg_stack[-1]


# ------------------------------------------------------- model variables
def _layer_variable_getter(rename):
    """layers.py _build_variable_getter / _model_variable_getter."""
    def getter(getter, name, *args, **kwargs):
        parts = name.split("/")
        if rename and parts[-1] in rename:
            parts[-1] = rename[parts[-1]]
            name = "/".join(parts)
        # model_variable + variable(): collections + [GLOBAL, MODEL], deduplicated
        # (list(set(...))) before the next getter, so nested layer scopes do
        # not file a variable twice
        kwargs["collections"] = list(dict.fromkeys(
            list(kwargs.get("collections") or []) +
            [GraphKeys.GLOBAL_VARIABLES, GraphKeys.MODEL_VARIABLES]))
        return getter(name, *args, **kwargs)
    return getter


_RENAME = {"kernel": "weights", "bias": "biases"}


@add_arg_scope
def variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=True,
             collections=None, caching_device=None, device=None, partitioner=None,
             custom_getter=None, use_resource=None, synchronization=0, aggregation=0):
    """framework variables.variable: get_variable, GLOBAL_VARIABLES by default."""
    collections = list(collections if collections is not None
                       else [GraphKeys.GLOBAL_VARIABLES])
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=trainable,
                        collections=list(dict.fromkeys(collections)),
                        caching_device=caching_device, partitioner=partitioner,
                        custom_getter=custom_getter, use_resource=use_resource)


@add_arg_scope
def model_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                   trainable=True, collections=None, caching_device=None, device=None,
                   partitioner=None, custom_getter=None, use_resource=None, **kwargs):
    """framework variables.model_variable: also in MODEL_VARIABLES."""
    collections = list(collections or []) + [GraphKeys.GLOBAL_VARIABLES,
                                              GraphKeys.MODEL_VARIABLES]
    return variable(name, shape=shape, dtype=dtype, initializer=initializer,
                    regularizer=regularizer, trainable=trainable, collections=collections,
                    caching_device=caching_device, partitioner=partitioner,
                    custom_getter=custom_getter, use_resource=use_resource)


def get_variables(scope=None, suffix=None, collection=GraphKeys.GLOBAL_VARIABLES):
    if isinstance(scope, _core.VariableScope):
        scope = scope.name
    vs = _core.get_collection(collection, scope)
    return [v for v in vs if suffix is None or v.op.name.endswith(suffix)]


def get_model_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.MODEL_VARIABLES)


def get_trainable_variables(scope=None, suffix=None):
    return get_variables(scope, suffix, GraphKeys.TRAINABLE_VARIABLES)


# ----------------------------------------------------------------- layers
@add_arg_scope
def fully_connected(inputs, num_outputs, activation_fn=_ops.relu, normalizer_fn=None,
                    normalizer_params=None, weights_initializer=None,
                    weights_regularizer=None, biases_initializer=_init.Zeros(),
                    biases_regularizer=None, reuse=None, variables_collections=None,
                    outputs_collections=None, trainable=True, scope=None):
    """layers.py fully_connected: <scope or fully_connected>/weights, /biases."""
    with variable_scope(scope, "fully_connected", [inputs], reuse=reuse,
                        custom_getter=_layer_variable_getter(_RENAME)) as sc:
        x = convert_to_tensor(inputs)
        layer = _layers.Dense(num_outputs, activation=None,
                              use_bias=not normalizer_fn and biases_initializer is not None,
                              kernel_initializer=weights_initializer or _init.GlorotUniform(),
                              bias_initializer=biases_initializer,
                              kernel_regularizer=weights_regularizer,
                              bias_regularizer=biases_regularizer, trainable=trainable,
                              name=sc.name, dtype=x.dtype, _scope=sc, _reuse=reuse)
        out = layer.apply(x)
        if normalizer_fn is not None:
            out = normalizer_fn(out, **(normalizer_params or {}))
        if activation_fn is not None:
            out = activation_fn(out)
        return out


@add_arg_scope
def convolution2d(inputs, num_outputs, kernel_size, stride=1, padding="SAME",
                  data_format=None, rate=1, activation_fn=_ops.relu, normalizer_fn=None,
                  normalizer_params=None, weights_initializer=None, weights_regularizer=None,
                  biases_initializer=_init.Zeros(), biases_regularizer=None, reuse=None,
                  variables_collections=None, outputs_collections=None, trainable=True,
                  scope=None):
    """layers.py convolution: <scope or Conv>/weights, /biases."""
    with variable_scope(scope, "Conv", [inputs], reuse=reuse,
                        custom_getter=_layer_variable_getter(_RENAME)) as sc:
        x = convert_to_tensor(inputs)
        layer = _layers.Conv2D(num_outputs, kernel_size, strides=stride, padding=padding,
                               data_format="channels_first" if data_format == "NCHW"
                               else "channels_last", dilation_rate=rate, activation=None,
                               use_bias=not normalizer_fn and biases_initializer is not None,
                               kernel_initializer=weights_initializer or _init.GlorotUniform(),
                               bias_initializer=biases_initializer,
                               kernel_regularizer=weights_regularizer,
                               bias_regularizer=biases_regularizer, trainable=trainable,
                               name=sc.name, dtype=x.dtype, _scope=sc, _reuse=reuse)
        out = layer.apply(x)
        if normalizer_fn is not None:
            out = normalizer_fn(out, **(normalizer_params or {}))
        if activation_fn is not None:
            out = activation_fn(out)
        return out


conv2d = convolution2d


@add_arg_scope
def batch_norm(inputs, decay=0.999, center=True, scale=False, epsilon=0.001,
               activation_fn=None, param_initializers=None, param_regularizers=None,
               updates_collections=GraphKeys.UPDATE_OPS, is_training=True, reuse=None,
               variables_collections=None, outputs_collections=None, trainable=True,
               batch_weights=None, fused=None, data_format="NHWC",
               zero_debias_moving_mean=False, scope=None, renorm=False, renorm_clipping=None,
               renorm_decay=0.99, adjustment=None):
    """layers.py batch_norm: <scope or BatchNorm>/beta, [gamma], moving_mean,
    moving_variance; rank-2 inputs (or non-default updates_collections) take
    _fused_batch_norm (model variables beta, gamma, ...), others the core
    BatchNormalization layer (gamma, beta, ...)."""
    x = convert_to_tensor(inputs)
    rank = x.shape.ndims
    fused = True if fused is None else fused
    possible = batch_weights is None and not renorm and rank in (2, 4) and adjustment is None
    p = param_initializers or {}
    if fused and possible and (zero_debias_moving_mean or rank == 2 or
                               updates_collections is not GraphKeys.UPDATE_OPS):
        out = _fused_batch_norm(x, p, center, scale, updates_collections, is_training, reuse,
                                trainable, data_format, zero_debias_moving_mean, scope)
    else:
        with variable_scope(scope, "BatchNorm", [inputs], reuse=reuse,
                            custom_getter=_layer_variable_getter(None)) as sc:
            layer = _layers.BatchNormalization(
                axis=1 if data_format == "NCHW" else -1, center=center, scale=scale,
                beta_initializer=p.get("beta", _init.Zeros()),
                gamma_initializer=p.get("gamma", _init.Ones()),
                moving_mean_initializer=p.get("moving_mean", _init.Zeros()),
                moving_variance_initializer=p.get("moving_variance", _init.Ones()),
                trainable=trainable, name=sc.name, _scope=sc, _reuse=reuse)
            out = layer.apply(x, training=is_training)
    if activation_fn is not None:
        out = activation_fn(out)
    return out


def _fused_batch_norm(x, p, center, scale, updates_collections, is_training, reuse,
                      trainable, data_format, zero_debias_moving_mean, scope):
    """layers.py _fused_batch_norm: variable_scope(scope, 'BatchNorm') without
    a custom getter; model variables beta, [gamma], moving_mean,
    moving_variance; when the updates are built (is_training not the constant
    False), assign_moving_average(moving_mean, ..., zero_debias=
    zero_debias_moving_mean) in that scope, so zero-debiasing adds
    '<sc>/<sc>/moving_mean/biased' and '.../local_step' (moving_averages.py
    _zero_debias)."""
    with variable_scope(scope, "BatchNorm", [x], reuse=reuse):
        ch = x.shape._dims[1 if data_format == "NCHW" else -1]
        shape = [ch]
        if center:
            model_variable("beta", shape, dtype=x.dtype,
                           initializer=p.get("beta", _init.Zeros()), trainable=trainable)
        if scale:
            model_variable("gamma", shape, dtype=x.dtype,
                           initializer=p.get("gamma", _init.Ones()), trainable=trainable)
        mean = model_variable("moving_mean", shape, dtype=x.dtype,
                              initializer=p.get("moving_mean", _init.Zeros()), trainable=False)
        model_variable("moving_variance", shape, dtype=x.dtype,
                       initializer=p.get("moving_variance", _init.Ones()), trainable=False)
        out = _core._op("FusedBatchNormV3", [x], None, "FusedBatchNormV3", x.shape, x.dtype)
        if is_training is not False and zero_debias_moving_mean:
            with _core.name_scope(None, "AssignMovingAvg"):
                train._zero_debias_variables(mean)
        return out


@add_arg_scope
def max_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    with _core.name_scope(scope, "MaxPool2D", [inputs]):
        k, s = _layers._tuple(kernel_size, 2), _layers._tuple(stride, 2)
        return _ops.max_pool(inputs, [1] + list(k) + [1], [1] + list(s) + [1], padding)


@add_arg_scope
def avg_pool2d(inputs, kernel_size, stride=2, padding="VALID", data_format="NHWC",
               outputs_collections=None, scope=None):
    with _core.name_scope(scope, "AvgPool2D", [inputs]):
        k, s = _layers._tuple(kernel_size, 2), _layers._tuple(stride, 2)
        return _ops.avg_pool(inputs, [1] + list(k) + [1], [1] + list(s) + [1], padding)


@add_arg_scope
def flatten(inputs, outputs_collections=None, scope=None):
    with _core.name_scope(scope, "Flatten", [inputs]):
        return _layers.flatten(inputs)


@add_arg_scope
def dropout(inputs, keep_prob=0.5, noise_shape=None, is_training=True,
            outputs_collections=None, scope=None, seed=None):
    with _core.name_scope(scope, "Dropout", [inputs]):
        return _ops.dropout(inputs, rate=1 - keep_prob)


def repeat(inputs, repetitions, layer, *args, **kwargs):
    """layers.py repeat: scope/scope_1 .. scope/scope_n."""
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Repeat", [inputs]):
        if scope is None:
            scope = getattr(layer, "__name__", None) or "repeat"
        out = inputs
        for i in range(repetitions):
            kwargs["scope"] = scope + "_" + str(i + 1)
            out = layer(out, *args, **kwargs)
        return out


def stack(inputs, layer, stack_args, **kwargs):
    scope = kwargs.pop("scope", None)
    with variable_scope(scope, "Stack", [inputs]):
        if scope is None:
            scope = getattr(layer, "__name__", None) or "stack"
        out = inputs
        for i, a in enumerate(stack_args):
            kwargs["scope"] = scope + "_" + str(i + 1)
            out = layer(out, *(a if isinstance(a, (list, tuple)) else (a,)), **kwargs)
        return out


def _module(name, attrs):
    m = types.ModuleType(__name__ + "." + name)
    m.__dict__.update(attrs)

    def __getattr__(attr):
        if attr.startswith("__"):
            raise AttributeError(attr)
        f = _ops.unknown_attr("tf.contrib." + name, attr)
        setattr(m, attr, f)
        return f
    m.__getattr__ = __getattr__
    sys.modules[m.__name__] = m
    return m


_LAYERS = dict(
    xavier_initializer=_init.xavier_initializer,
    xavier_initializer_conv2d=_init.xavier_initializer,
    variance_scaling_initializer=_init.VarianceScaling,
    l2_regularizer=_init.l2_regularizer, l1_regularizer=_init.l1_regularizer,
    l1_l2_regularizer=_init.l1_l2_regularizer,
    fully_connected=fully_connected, linear=functools.partial(fully_connected,
                                                              activation_fn=None),
    conv2d=conv2d, convolution2d=convolution2d, batch_norm=batch_norm,
    max_pool2d=max_pool2d, avg_pool2d=avg_pool2d, flatten=flatten, dropout=dropout,
    repeat=repeat, stack=stack, arg_scope=arg_scope, add_arg_scope=add_arg_scope,
    variable=variable, model_variable=model_variable)
layers = _module("layers", _LAYERS)
framework = _module("framework", dict(
    get_or_create_global_step=train.get_or_create_global_step,
    get_global_step=train.get_global_step, arg_scope=arg_scope, add_arg_scope=add_arg_scope,
    current_arg_scope=current_arg_scope, variable=variable, model_variable=model_variable,
    get_variables=get_variables, get_model_variables=get_model_variables))
slim = _module("slim", dict(_LAYERS, get_variables=get_variables,
                            get_model_variables=get_model_variables,
                            get_trainable_variables=get_trainable_variables,
                            current_arg_scope=current_arg_scope))
slim.layers = layers
slim.framework = framework

rnn = _module("rnn", {})
for _n in ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "LSTMStateTuple"):
    setattr(rnn, _n, getattr(nn, _n))
rnn.static_rnn = nn.static_rnn
rnn.static_bidirectional_rnn = nn.static_bidirectional_rnn


def __getattr__(attr):
    if attr.startswith("__"):
        raise AttributeError(attr)
    m = _module(attr, {})
    globals()[attr] = m
    return m


# ---------------------------------------------------------------- seq2seq
# contrib/seq2seq/python/ops/{helper,basic_decoder,decoder}.py (TF 1.15): the
# decoder's cell and output layer are called once, inside the while loop of
# dynamic_decode, in variable_scope(scope, "decoder").
BasicDecoderOutput = __import__("collections").namedtuple("BasicDecoderOutput",
                                                          ("rnn_output", "sample_id"))


class Helper(object):
    pass


class TrainingHelper(Helper):
    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        self._inputs = convert_to_tensor(inputs)
        self._time_major = time_major

    def _step_inputs(self):
        d = self._inputs.shape._dims
        shape = None if d is None else [d[1] if self._time_major else d[0]] + list(d[2:])
        return _core._op("TensorArrayReadV3", [self._inputs], None, "TensorArrayReadV3",
                         _core.TensorShape(shape), self._inputs.dtype)

    def _batch(self):
        d = self._inputs.shape._dims
        return None if d is None else (d[1] if self._time_major else d[0])


class GreedyEmbeddingHelper(Helper):
    def __init__(self, embedding, start_tokens, end_token):
        if callable(embedding):
            self._embedding_fn = embedding
        else:
            self._embedding_fn = lambda ids: _ops.embedding_lookup(embedding, ids)
        self._start = convert_to_tensor(start_tokens)

    def _step_inputs(self):
        return self._embedding_fn(self._start)

    def _batch(self):
        d = self._start.shape._dims
        return None if d is None else d[0]


SampleEmbeddingHelper = GreedyEmbeddingHelper
ScheduledEmbeddingTrainingHelper = TrainingHelper


class BasicDecoder(object):
    def __init__(self, cell, helper, initial_state, output_layer=None):
        self._cell, self._helper = cell, helper
        self._initial_state, self._output_layer = initial_state, output_layer

    def step(self, inputs, state, name=None):
        with _core.name_scope(name, "BasicDecoderStep", (inputs, state)):
            out, new_state = self._cell(inputs, state)
            if self._output_layer is not None:
                out = self._output_layer(out)
            ids = _ops.argmax(out, axis=-1, output_type=_core._dtypes.int32)
            return out, ids, new_state


def dynamic_decode(decoder, output_time_major=False, impute_finished=False,
                   maximum_iterations=None, parallel_iterations=32, swap_memory=False,
                   scope=None):
    """decoder.py dynamic_decode: (BasicDecoderOutput, final state, lengths)."""
    with variable_scope(scope, "decoder"):
        with _core.name_scope("decoder"):
            with _core._WhileCM():
                out, ids, state = decoder.step(decoder._helper._step_inputs(),
                                               decoder._initial_state)
        o = convert_to_tensor(out)
        d = o.shape._dims
        b = decoder._helper._batch()
        steps = maximum_iterations if isinstance(maximum_iterations, int) else None
        rnn_shape = _core.TensorShape(None if d is None else
                                      ([steps, b] if output_time_major else [b, steps]) +
                                      list(d[1:]))
        outputs = BasicDecoderOutput(
            _core._op("TensorArrayGatherV3", [o], None, "TensorArrayStack", rnn_shape, o.dtype),
            _core._op("TensorArrayGatherV3", [ids], None, "TensorArrayStack",
                      _core.TensorShape(rnn_shape._dims[:2] if rnn_shape._dims else None),
                      _core._dtypes.int32))
        lengths = _ops.placeholder(_core._dtypes.int32, [b], name="sequence_lengths")
        return outputs, state, lengths


seq2seq = _module("seq2seq", dict(
    TrainingHelper=TrainingHelper, GreedyEmbeddingHelper=GreedyEmbeddingHelper,
    SampleEmbeddingHelper=SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper=ScheduledEmbeddingTrainingHelper, Helper=Helper,
    BasicDecoder=BasicDecoder, BasicDecoderOutput=BasicDecoderOutput,
    dynamic_decode=dynamic_decode))


# -------------------------------------------------------------- cudnn_rnn
# contrib/cudnn_rnn/python/layers/cudnn_rnn.py (TF 1.15): _CudnnRNN.build
# computes the canonical weights and biases with the initializers, packs
# them into one opaque tensor (_canonical_to_opaque) and passes that tensor
# to get_variable("opaque_kernel", initializer=..., validate_shape=False)
# inside the layer's scope, so the variable's initial value is an op of
# wherever the layer is first called (a tf.cond branch: TF's "Initializer
# for variable cudnn_gru/opaque_kernel/ is from inside a control-flow
# construct").
class _CudnnRNN(_layers.Layer):
    _num_params_per_layer = 8
    _rnn_mode = "lstm"
    _num_state = 2

    def __init__(self, num_layers, num_units, input_mode="linear_input",
                 direction="unidirectional", dropout=0.0, seed=None, dtype=_dtypes.float32,
                 kernel_initializer=None, bias_initializer=None, name=None):
        super(_CudnnRNN, self).__init__(dtype=dtype, name=name)
        self.num_layers, self.num_units = num_layers, num_units
        self.direction = direction
        self._num_dirs = 2 if direction == "bidirectional" else 1
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    def build(self, input_shape):
        if input_shape[-1].value is None:
            raise ValueError("The last dimension of the inputs to `CudnnRNN` "
                             "should be defined. Found `None`.")
        self._input_size = input_shape[-1].value
        n = self._num_params_per_layer * self.num_layers * self._num_dirs
        params = [_ops.unknown_op("CanonicalWeights")(name="canonical_weights")
                  for _ in range(n)]
        opaque = _ops.unknown_op("CudnnRNNCanonicalToParams")(*params)
        self.kernel = _core.get_variable("opaque_kernel", dtype=self.dtype,
                                         initializer=opaque, validate_shape=False)

    def call(self, inputs, initial_state=None, sequence_lengths=None, time_major=True,
             training=True):
        x = convert_to_tensor(inputs)
        shape = x.shape.as_list() if x.shape.ndims == 3 else [None, None, None]
        out = _core._op("CudnnRNN", [x, self.kernel], None, "CudnnRNN",
                        _dtypes.TensorShape(shape[:2] + [self._num_dirs * self.num_units]),
                        x.dtype)
        h = [_core._op("CudnnRNN", [x], None, "CudnnRNN",
                       _dtypes.TensorShape([self.num_layers * self._num_dirs, shape[1],
                                            self.num_units]), x.dtype)
             for _ in range(self._num_state)]
        return out, tuple(h)


class CudnnLSTM(_CudnnRNN):
    _num_params_per_layer = 8
    _num_state = 2


class CudnnGRU(_CudnnRNN):
    _num_params_per_layer = 6
    _num_state = 1


class CudnnRNNTanh(_CudnnRNN):
    _num_params_per_layer = 2
    _num_state = 1


CudnnRNNRelu = CudnnRNNTanh
cudnn_rnn = _module("cudnn_rnn", dict(CudnnLSTM=CudnnLSTM, CudnnGRU=CudnnGRU,
                                      CudnnRNNTanh=CudnnRNNTanh, CudnnRNNRelu=CudnnRNNRelu))


# -------------------------------------------------------------- slim.nets
# contrib/slim/python/slim/nets/vgg.py (TF 1.15): vgg_a / vgg_16 / vgg_19 in
# variable_scope(scope, '<net>'), conv blocks built with repeat (conv1/conv1_1,
# ...), fc6-fc8 as convolutions (fc6 7x7 VALID), dropout between them, fc8
# squeezed unless spatial_squeeze=False.  Returns (net, end_points).
def vgg_arg_scope(weight_decay=0.0005):
    with arg_scope([conv2d, fully_connected], activation_fn=_ops.relu,
                   weights_regularizer=_init.l2_regularizer(weight_decay),
                   biases_initializer=_init.Zeros()):
        with arg_scope([conv2d], padding="SAME") as arg_sc:
            return arg_sc


def _vgg(blocks, default_name):
    def net(inputs, num_classes=1000, is_training=True, dropout_keep_prob=0.5,
            spatial_squeeze=True, scope=default_name, fc_conv_padding="VALID",
            global_pool=False):
        with variable_scope(scope, default_name, [inputs]) as sc:
            net = inputs
            for i, (n, depth) in enumerate(blocks):
                net = repeat(net, n, conv2d, depth, [3, 3], scope="conv%d" % (i + 1))
                net = max_pool2d(net, [2, 2], scope="pool%d" % (i + 1))
            net = conv2d(net, 4096, [7, 7], padding=fc_conv_padding, scope="fc6")
            net = dropout(net, dropout_keep_prob, is_training=is_training, scope="dropout6")
            net = conv2d(net, 4096, [1, 1], scope="fc7")
            end_points = {}
            if num_classes:
                net = dropout(net, dropout_keep_prob, is_training=is_training,
                              scope="dropout7")
                net = conv2d(net, num_classes, [1, 1], activation_fn=None, normalizer_fn=None,
                             scope="fc8")
                if spatial_squeeze:
                    net = _ops.squeeze(net, [1, 2], name="fc8/squeezed")
                end_points[sc.name + "/fc8"] = net
            return net, end_points
    net.__name__ = default_name
    return net


vgg_a = _vgg([(1, 64), (1, 128), (2, 256), (2, 512), (2, 512)], "vgg_a")
vgg_16 = _vgg([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)], "vgg_16")
vgg_19 = _vgg([(2, 64), (2, 128), (4, 256), (4, 512), (4, 512)], "vgg_19")
_vgg_module = _module("slim.nets.vgg", dict(vgg_arg_scope=vgg_arg_scope, vgg_a=vgg_a,
                                             vgg_16=vgg_16, vgg_19=vgg_19))
slim.nets = _module("slim.nets", dict(vgg=_vgg_module))
slim.nets.__path__ = []
