"""tf.contrib: the parts TF1 model code reaches for to build variables."""

import sys
import types

from . import _init, _ops, nn, train

layers = types.ModuleType(__name__ + ".layers")
layers.xavier_initializer = _init.xavier_initializer
layers.xavier_initializer_conv2d = _init.xavier_initializer
layers.variance_scaling_initializer = _init.VarianceScaling
layers.l2_regularizer = _init.l2_regularizer
layers.l1_regularizer = _init.l1_regularizer
layers.l1_l2_regularizer = _init.l1_l2_regularizer
layers.flatten = lambda inputs, outputs_collections=None, scope=None: \
    __import__("vstrace.tf.layers", fromlist=["flatten"]).flatten(inputs)
sys.modules[layers.__name__] = layers

rnn = types.ModuleType(__name__ + ".rnn")
for _n in ("RNNCell", "BasicRNNCell", "BasicLSTMCell", "LSTMCell", "GRUCell", "MultiRNNCell",
           "DropoutWrapper", "ResidualWrapper", "LSTMStateTuple"):
    setattr(rnn, _n, getattr(nn, _n))
rnn.static_rnn = nn.static_rnn
rnn.static_bidirectional_rnn = nn.static_bidirectional_rnn
sys.modules[rnn.__name__] = rnn

framework = types.ModuleType(__name__ + ".framework")
framework.get_or_create_global_step = train.get_or_create_global_step
framework.get_global_step = train.get_global_step
sys.modules[framework.__name__] = framework


def __getattr__(attr):
    if attr.startswith("__"):
        raise AttributeError(attr)
    m = types.ModuleType(__name__ + "." + attr)
    m.__getattr__ = lambda a: _ops.unknown_op(a)
    sys.modules[m.__name__] = m
    globals()[attr] = m
    return m
