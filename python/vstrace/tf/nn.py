"""tf.nn: activations, conv/pool, losses (from _ops), the TF 1.15 RNN cells
of tensorflow/python/ops/rnn_cell_impl.py and dynamic_rnn / static_rnn /
bidirectional_dynamic_rnn of tensorflow/python/ops/rnn.py."""

import collections
import sys
import types

from . import _core, _ops, _init
from ._core import convert_to_tensor, variable_scope, name_scope, get_variable_scope
from ._dtypes import TensorShape, as_dtype
from .layers import Layer
from ._ops import (relu, relu6, elu, selu, sigmoid, tanh, softplus, softsign, leaky_relu,  # noqa
                   softmax, log_softmax, dropout, bias_add, conv2d, conv3d, conv2d_transpose,
                   max_pool, avg_pool, moments, batch_normalization, l2_loss, embedding_lookup,
                   sigmoid_cross_entropy_with_logits, softmax_cross_entropy_with_logits,
                   softmax_cross_entropy_with_logits_v2,
                   sparse_softmax_cross_entropy_with_logits, swish, log_sigmoid)

_WEIGHTS = "kernel"  # rnn_cell_impl._WEIGHTS_VARIABLE_NAME
_BIAS = "bias"       # rnn_cell_impl._BIAS_VARIABLE_NAME


def __getattr__(attr):
    if attr.startswith("__"):
        raise AttributeError(attr)
    f = _ops.unknown_attr("tf.nn", attr)
    globals()[attr] = f
    return f


LSTMStateTuple = collections.namedtuple("LSTMStateTuple", ("c", "h"))


def _concat_shape(x, units):
    d = convert_to_tensor(x).shape._dims
    return TensorShape([None if d is None else d[0], units])


class RNNCell(Layer):
    """rnn_cell_impl.RNNCell: a tf.layers Layer called inside a captured
    variable_scope(get_variable_scope(), custom_getter=_rnn_get_variable)."""

    def __call__(self, inputs, state, scope=None):
        if scope is not None:
            with variable_scope(scope, custom_getter=self._rnn_get_variable) as s:
                return Layer.__call__(self, inputs, state, scope=s)
        cm = getattr(self, "_rnncell_scope", None)
        if cm is None:
            cm = variable_scope(get_variable_scope(), custom_getter=self._rnn_get_variable)
            self._rnncell_scope = cm
        with cm:
            return Layer.__call__(self, inputs, state)

    def _rnn_get_variable(self, getter, *args, **kwargs):
        return getter(*args, **kwargs)

    @property
    def state_size(self):
        raise NotImplementedError

    @property
    def output_size(self):
        raise NotImplementedError

    def zero_state(self, batch_size, dtype):
        with name_scope(type(self).__name__ + "ZeroState", values=[batch_size]):
            return self._zeros(self.state_size, batch_size, dtype)

    get_initial_state = None

    def _zeros(self, size, batch_size, dtype):
        if isinstance(size, LSTMStateTuple):
            return LSTMStateTuple(self._zeros(size.c, batch_size, dtype),
                                  self._zeros(size.h, batch_size, dtype))
        if isinstance(size, tuple):
            return tuple(self._zeros(s, batch_size, dtype) for s in size)
        b = batch_size if isinstance(batch_size, int) else None
        return _ops.zeros([b, size], dtype=dtype)

    def _build_from(self, inputs):
        self.build(convert_to_tensor(inputs).shape)


class LayerRNNCell(RNNCell):
    """LayerRNNCell.__call__ bypasses RNNCell's scope capture."""

    def __call__(self, inputs, state, scope=None, *args, **kwargs):
        if scope is not None and self._vl is None:
            self._scope_arg = scope._h if isinstance(scope, _core.VariableScope) else scope
            self._layer().init_scope()
        return Layer.__call__(self, inputs, state, *args, **kwargs)


def _input_depth(shape):
    d = shape._dims
    if d is None or d[-1] is None:
        raise ValueError("Expected inputs.shape[-1] to be known, saw shape: %s" % shape)
    return d[-1]


class BasicRNNCell(LayerRNNCell):
    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None, **kw):
        LayerRNNCell.__init__(self, _reuse=reuse, name=name, dtype=dtype, **kw)
        self._num_units = num_units
        self._activation = activation or tanh

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape)
        self._kernel = self.add_weight(_WEIGHTS, shape=[depth + self._num_units,
                                                        self._num_units])
        self._bias = self.add_weight(_BIAS, shape=[self._num_units],
                                     initializer=_init.Zeros(dtype=self.dtype))

    def call(self, inputs, state):
        out = self._activation(_core._op("MatMul", [], None, "MatMul",
                                         _concat_shape(inputs, self._num_units),
                                         convert_to_tensor(inputs).dtype))
        return out, out


class BasicLSTMCell(LayerRNNCell):
    def __init__(self, num_units, forget_bias=1.0, state_is_tuple=True, activation=None,
                 reuse=None, name=None, dtype=None, **kw):
        LayerRNNCell.__init__(self, _reuse=reuse, name=name, dtype=dtype, **kw)
        self._num_units = num_units
        self._state_is_tuple = state_is_tuple
        self._activation = activation or tanh

    @property
    def state_size(self):
        n = self._num_units
        return LSTMStateTuple(n, n) if self._state_is_tuple else 2 * n

    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape)
        self._kernel = self.add_weight(_WEIGHTS, shape=[depth + self._num_units,
                                                        4 * self._num_units])
        self._bias = self.add_weight(_BIAS, shape=[4 * self._num_units],
                                     initializer=_init.Zeros(dtype=self.dtype))

    def call(self, inputs, state):
        x = convert_to_tensor(inputs)
        gates = _core._op("MatMul", [x], None, "MatMul",
                          _concat_shape(x, 4 * self._num_units), x.dtype)
        gates = _ops.bias_add(gates, self._bias)
        sh = _concat_shape(x, self._num_units)
        c = _core._op("Add", [gates], None, "add", sh, x.dtype)
        h = _core._op("Mul", [c], None, "mul", sh, x.dtype)
        st = LSTMStateTuple(c, h) if self._state_is_tuple else _ops.concat([c, h], 1)
        return h, st


class LSTMCell(LayerRNNCell):
    def __init__(self, num_units, use_peepholes=False, cell_clip=None, initializer=None,
                 num_proj=None, proj_clip=None, num_unit_shards=None, num_proj_shards=None,
                 forget_bias=1.0, state_is_tuple=True, activation=None, reuse=None, name=None,
                 dtype=None, **kw):
        LayerRNNCell.__init__(self, _reuse=reuse, name=name, dtype=dtype, **kw)
        self._num_units = num_units
        self._use_peepholes = use_peepholes
        self._initializer = initializer
        self._num_proj = num_proj
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        h = self._num_proj or self._num_units
        return (LSTMStateTuple(self._num_units, h) if self._state_is_tuple
                else self._num_units + h)

    output_size = property(lambda self: self._num_proj or self._num_units)

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape)
        h_depth = self._num_proj or self._num_units
        self._kernel = self.add_weight(_WEIGHTS, shape=[depth + h_depth, 4 * self._num_units],
                                       initializer=self._initializer)
        self._bias = self.add_weight(_BIAS, shape=[4 * self._num_units],
                                     initializer=_init.Zeros(dtype=self.dtype))
        if self._use_peepholes:
            for n in ("w_f_diag", "w_i_diag", "w_o_diag"):
                self.add_weight(n, shape=[self._num_units], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_weight("projection/%s" % _WEIGHTS,
                                                shape=[self._num_units, self._num_proj],
                                                initializer=self._initializer)

    def call(self, inputs, state):
        x = convert_to_tensor(inputs)
        c = _core._op("Add", [x], None, "add", _concat_shape(x, self._num_units), x.dtype)
        h = _core._op("Mul", [x], None, "mul", _concat_shape(x, self.output_size), x.dtype)
        st = LSTMStateTuple(c, h) if self._state_is_tuple else _ops.concat([c, h], 1)
        return h, st


class GRUCell(LayerRNNCell):
    def __init__(self, num_units, activation=None, reuse=None, kernel_initializer=None,
                 bias_initializer=None, name=None, dtype=None, **kw):
        LayerRNNCell.__init__(self, _reuse=reuse, name=name, dtype=dtype, **kw)
        self._num_units = num_units
        self._kernel_initializer = kernel_initializer
        self._bias_initializer = bias_initializer

    state_size = property(lambda self: self._num_units)
    output_size = property(lambda self: self._num_units)

    def build(self, inputs_shape):
        depth = _input_depth(inputs_shape)
        n = self._num_units
        self.add_weight("gates/%s" % _WEIGHTS, shape=[depth + n, 2 * n],
                        initializer=self._kernel_initializer)
        self.add_weight("gates/%s" % _BIAS, shape=[2 * n],
                        initializer=self._bias_initializer or _init.Constant(1.0,
                                                                             dtype=self.dtype))
        self.add_weight("candidate/%s" % _WEIGHTS, shape=[depth + n, n],
                        initializer=self._kernel_initializer)
        self.add_weight("candidate/%s" % _BIAS, shape=[n],
                        initializer=self._bias_initializer or _init.Zeros(dtype=self.dtype))

    def call(self, inputs, state):
        x = convert_to_tensor(inputs)
        h = _core._op("Add", [x], None, "add", _concat_shape(x, self._num_units), x.dtype)
        return h, h


class MultiRNNCell(RNNCell):
    """MultiRNNCell.call: cell i runs in variable_scope("cell_%d" % i)."""

    def __init__(self, cells, state_is_tuple=True):
        RNNCell.__init__(self)
        if not cells:
            raise ValueError("Must specify at least one cell for MultiRNNCell.")
        self._cells = list(cells)
        self._state_is_tuple = state_is_tuple

    @property
    def state_size(self):
        return tuple(c.state_size for c in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    def call(self, inputs, state):
        cur = inputs
        new_states = []
        for i, cell in enumerate(self._cells):
            with variable_scope("cell_%d" % i):
                cur, s = cell(cur, state[i] if isinstance(state, (tuple, list)) else state)
                new_states.append(s)
        return cur, tuple(new_states)


class DropoutWrapper(RNNCell):
    def __init__(self, cell, input_keep_prob=1.0, output_keep_prob=1.0, state_keep_prob=1.0,
                 **kw):
        self._cell = cell

    state_size = property(lambda self: self._cell.state_size)
    output_size = property(lambda self: self._cell.output_size)

    def zero_state(self, batch_size, dtype):
        return self._cell.zero_state(batch_size, dtype)

    def __call__(self, inputs, state, scope=None):
        return self._cell(inputs, state, scope=scope)


class ResidualWrapper(DropoutWrapper):
    def __init__(self, cell, residual_fn=None):
        self._cell = cell


rnn_cell = types.ModuleType(__name__ + ".rnn_cell")
for _c in (RNNCell, LayerRNNCell, BasicRNNCell, BasicLSTMCell, LSTMCell, GRUCell, MultiRNNCell,
           DropoutWrapper, ResidualWrapper, LSTMStateTuple):
    setattr(rnn_cell, _c.__name__, _c)
sys.modules[rnn_cell.__name__] = rnn_cell


# ------------------------------------------------------------------- rnn.py
def _flatten(x):
    if isinstance(x, (list, tuple)):
        out = []
        for i in x:
            out.extend(_flatten(i))
        return out
    return [x]


def _batch(inputs, time_major):
    d = convert_to_tensor(_flatten(inputs)[0]).shape._dims
    if d is None:
        return None, None
    return (d[1], d[0]) if time_major else (d[0], d[1])


def _step_input(x, time_major):
    t = convert_to_tensor(x)
    d = t.shape._dims
    shape = TensorShape(None if d is None else [d[1] if time_major else d[0]] + list(d[2:]))
    return _core._op("TensorArrayReadV3", [t], None, "TensorArrayReadV3", shape, t.dtype)


def dynamic_rnn(cell, inputs, sequence_length=None, initial_state=None, dtype=None,
                parallel_iterations=None, swap_memory=False, time_major=False, scope=None):
    """rnn.py dynamic_rnn: variable_scope(scope or "rnn"), the cell called
    once inside the while loop of _dynamic_rnn_loop (name scope
    "dynamic_rnn")."""
    with variable_scope(scope or "rnn"):
        batch, steps = _batch(inputs, time_major)
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If there is no initial_state, you must give a dtype.")
            state = cell.zero_state(batch, dtype)
        with name_scope("dynamic_rnn"):
            with _core._WhileCM():
                x_t = [_step_input(x, time_major) for x in _flatten(inputs)]
                out, new_state = cell(x_t[0] if len(x_t) == 1 else x_t, state)
        o = convert_to_tensor(_flatten(out)[0])
        od = o.shape._dims
        outs = _core._op("Transpose", [o], None, "transpose", TensorShape(
            None if od is None else ([steps, batch] if time_major else [batch, steps]) +
            list(od[1:])), o.dtype)
        final = _map(new_state, lambda t: _core._op("Exit", [t], None, "Exit",
                                                    convert_to_tensor(t).shape,
                                                    convert_to_tensor(t).dtype))
        return outs, final


def _map(s, f):
    if isinstance(s, LSTMStateTuple):
        return LSTMStateTuple(_map(s.c, f), _map(s.h, f))
    if isinstance(s, (tuple, list)):
        return type(s)(_map(x, f) for x in s)
    return f(s)


def static_rnn(cell, inputs, initial_state=None, dtype=None, sequence_length=None, scope=None):
    """rnn.py static_rnn: one cell call per step, varscope.reuse_variables()
    after the first."""
    if not isinstance(inputs, (list, tuple)):
        raise TypeError("inputs must be a sequence")
    if not inputs:
        raise ValueError("inputs must not be empty")
    with variable_scope(scope or "rnn") as varscope:
        first = convert_to_tensor(_flatten(inputs[0])[0])
        batch = first.shape._dims[0] if first.shape._dims else None
        if initial_state is not None:
            state = initial_state
        else:
            if not dtype:
                raise ValueError("If no initial_state is provided, dtype must be specified")
            state = cell.zero_state(batch, dtype)
        outputs = []
        for time, x in enumerate(inputs):
            if time > 0:
                varscope.reuse_variables()
            out, state = cell(x, state)
            outputs.append(out)
        return outputs, state


def bidirectional_dynamic_rnn(cell_fw, cell_bw, inputs, sequence_length=None,
                              initial_state_fw=None, initial_state_bw=None, dtype=None,
                              parallel_iterations=None, swap_memory=False, time_major=False,
                              scope=None):
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, st_fw = dynamic_rnn(cell_fw, inputs, sequence_length, initial_state_fw,
                                        dtype, time_major=time_major, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            out_bw, st_bw = dynamic_rnn(cell_bw, inputs, sequence_length, initial_state_bw,
                                        dtype, time_major=time_major, scope=bw_scope)
    return (out_fw, out_bw), (st_fw, st_bw)


def static_bidirectional_rnn(cell_fw, cell_bw, inputs, initial_state_fw=None,
                             initial_state_bw=None, dtype=None, sequence_length=None,
                             scope=None):
    with variable_scope(scope or "bidirectional_rnn"):
        with variable_scope("fw") as fw_scope:
            out_fw, st_fw = static_rnn(cell_fw, inputs, initial_state_fw, dtype, scope=fw_scope)
        with variable_scope("bw") as bw_scope:
            out_bw, st_bw = static_rnn(cell_bw, list(reversed(inputs)), initial_state_bw, dtype,
                                       scope=bw_scope)
    outs = [_ops.concat([f, b], 1) for f, b in zip(out_fw, reversed(out_bw))]
    return outs, st_fw, st_bw


def raw_rnn(cell, loop_fn, parallel_iterations=None, swap_memory=False, scope=None):
    raise NotImplementedError("vstrace: tf.nn.raw_rnn is not modelled")
