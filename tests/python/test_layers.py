"""Layers, RNN cells, optimizers, EMA and the global step: TF 1.15's names
(rules: layers/base.py, keras layers' build(), rnn_cell_impl.py, rnn.py,
optimizer.py/adam.py/rmsprop.py, slot_creator.py, moving_averages.py,
training_util.py; see tracer/layers.c)."""
import pytest

import vstrace.tf as tf


def nv(vs=None):
    return [(v.name, tuple(v.shape.as_list())) for v in (vs or tf.global_variables())]


def test_dense_default_names_uniquify():
    x = tf.placeholder(tf.float32, [None, 8])
    tf.layers.dense(x, 4)
    tf.layers.dense(x, 2)
    assert nv() == [("dense/kernel:0", (8, 4)), ("dense/bias:0", (4,)),
                    ("dense_1/kernel:0", (8, 2)), ("dense_1/bias:0", (2,))]


def test_named_dense_twice_fails_and_reuse_shares():
    x = tf.placeholder(tf.float32, [None, 8])
    tf.layers.dense(x, 4, name="fc")
    with pytest.raises(ValueError) as e:
        tf.layers.dense(x, 4, name="fc")
    assert str(e.value).startswith("Variable fc/kernel already exists, disallowed.")
    tf.layers.dense(x, 4, name="fc", reuse=True)
    assert len(tf.global_variables()) == 2


def test_layer_object_reused_on_second_call():
    x = tf.placeholder(tf.float32, [None, 8])
    d = tf.layers.Dense(3)
    y1, y2 = d(x), d(x)
    assert nv() == [("dense/kernel:0", (8, 3)), ("dense/bias:0", (3,))]
    assert (y1.name, y2.name) == ("dense/BiasAdd:0", "dense/BiasAdd_1:0")


def test_conv_and_batch_norm():
    img = tf.placeholder(tf.float32, [None, 28, 28, 1])
    c = tf.layers.conv2d(img, 32, 5, strides=2, padding="same", use_bias=False)
    b = tf.layers.batch_normalization(c, training=True)
    assert c.shape.as_list() == [None, 14, 14, 32]
    assert nv() == [("conv2d/kernel:0", (5, 5, 1, 32)), ("batch_normalization/gamma:0", (32,)),
                    ("batch_normalization/beta:0", (32,)),
                    ("batch_normalization/moving_mean:0", (32,)),
                    ("batch_normalization/moving_variance:0", (32,))]
    assert [v.name for v in tf.trainable_variables()] == [
        "conv2d/kernel:0", "batch_normalization/gamma:0", "batch_normalization/beta:0"]
    assert len(tf.get_collection(tf.GraphKeys.UPDATE_OPS)) == 2


def test_rnn_cells_names():
    # ops/rnn.py dynamic_rnn: variable_scope(scope or "rnn"); rnn_cell_impl.py:
    # cells are tf.layers Layers named by base_layer.to_snake_case(class name)
    # (MultiRNNCell -> multi_rnn_cell, BasicLSTMCell -> basic_lstm_cell),
    # MultiRNNCell.call enters variable_scope("cell_%d" % i); weights are
    # _WEIGHTS_VARIABLE_NAME "kernel" / _BIAS_VARIABLE_NAME "bias":
    # BasicLSTMCell.build kernel [depth + units, 4 units], bias [4 units];
    # GRUCell.build "gates/kernel" [depth + units, 2 units], "gates/bias",
    # "candidate/kernel" [depth + units, units], "candidate/bias"
    x = tf.placeholder(tf.float32, [None, 5, 10])
    cell = tf.nn.rnn_cell.MultiRNNCell([tf.nn.rnn_cell.BasicLSTMCell(4),
                                        tf.nn.rnn_cell.GRUCell(3)])
    out, st = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)
    assert out.shape.as_list() == [None, 5, 3]
    assert nv() == [
        ("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0", (14, 16)),
        ("rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0", (16,)),
        ("rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0", (7, 6)),
        ("rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias:0", (6,)),
        ("rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0", (7, 3)),
        ("rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0", (3,))]


def test_static_rnn_reuses_after_first_step():
    # rnn_cell_impl.py LSTMCell.build: kernel [depth + (num_proj or units),
    # 4 units], bias, then "projection/kernel" [units, num_proj]; rnn.py
    # static_rnn calls varscope.reuse_variables() after step 0
    xs = [tf.placeholder(tf.float32, [None, 2]) for _ in range(3)]
    outs, st = tf.nn.static_rnn(tf.nn.rnn_cell.LSTMCell(4, num_proj=2), xs, dtype=tf.float32)
    assert nv() == [("rnn/lstm_cell/kernel:0", (4, 16)), ("rnn/lstm_cell/bias:0", (16,)),
                    ("rnn/lstm_cell/projection/kernel:0", (4, 2))]


def test_optimizer_slots():
    # training/slot_creator.py create_slot_with_initializer: variable_scope(None,
    # primary.op.name + "/" + <optimizer name>) + get_variable(""), so every
    # slot of w is w/<Name>, w/<Name>_1, ... in creation order: rmsprop.py
    # _create_slots "rms", ["mg"], "momentum"; adam.py _create_slots
    # beta1_power, beta2_power (optimizer.py _create_non_slot_variable:
    # variable_scope.variable(name=...), once per graph and optimizer, so a
    # second Adam gets beta1_power_1), then "m", "v" per var;
    # training_util.py create_global_step: "global_step", int64 scalar
    w = tf.get_variable("w", [2])
    loss = tf.reduce_sum(w)
    tf.train.RMSPropOptimizer(0.1, centered=True).minimize(loss)
    tf.train.AdamOptimizer().minimize(loss)
    tf.train.AdamOptimizer().minimize(loss)
    gs = tf.train.get_or_create_global_step()
    assert gs is tf.train.get_or_create_global_step()
    assert nv() == [("w:0", (2,)), ("w/RMSProp:0", (2,)), ("w/RMSProp_1:0", (2,)),
                    ("w/RMSProp_2:0", (2,)), ("beta1_power:0", ()), ("beta2_power:0", ()),
                    ("w/Adam:0", (2,)), ("w/Adam_1:0", (2,)), ("beta1_power_1:0", ()),
                    ("beta2_power_1:0", ()), ("w/Adam_2:0", (2,)), ("w/Adam_3:0", (2,)),
                    ("global_step:0", ())]
    assert gs.dtype == tf.int64 and not gs.trainable


def test_no_variables_to_optimize():
    with pytest.raises(ValueError) as e:
        tf.train.GradientDescentOptimizer(0.1).minimize(tf.constant(1.0))
    assert str(e.value) == "No variables to optimize."


def test_ema_and_keras_layers():
    # moving_averages.py apply: a Variable's average is
    # slot_creator.create_slot(var, ..., "ExponentialMovingAverage").
    # Keras in a graph (keras/engine/base_layer.py __call__:
    # name_scope(layer.name), add_weight -> base_layer_utils.make_variable ->
    # VariableV1): keras/layers/embeddings.py Embedding.build "embeddings"
    # (input_dim, output_dim); keras/layers/recurrent.py (TF 1.15 v1 LSTM):
    # LSTMCell.build "kernel" (input_dim, 4 units), "recurrent_kernel"
    # (units, 4 units), "bias" (4 units,), built by RNN.build calling
    # cell.build directly, so under the LSTM layer's name scope ("lstm/kernel")
    # without the cell's name (the "lstm/lstm_cell/" prefix came after TF 2.0,
    # tensorflow/tensorflow issue #33776)
    w = tf.get_variable("w", [3])
    tf.train.ExponentialMovingAverage(0.9).apply([w])
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("scope", reuse=True):  # keras ignores variable-scope reuse
        tf.keras.layers.Dense(2)(x)
    e = tf.keras.layers.Embedding(50, 4)(tf.placeholder(tf.int32, [None, 6]))
    tf.keras.layers.LSTM(5)(e)
    assert nv() == [("w:0", (3,)), ("w/ExponentialMovingAverage:0", (3,)),
                    ("scope/dense/kernel:0", (3, 2)), ("scope/dense/bias:0", (2,)),
                    ("embedding/embeddings:0", (50, 4)), ("lstm/kernel:0", (4, 20)),
                    ("lstm/recurrent_kernel:0", (5, 20)), ("lstm/bias:0", (20,))]


def test_layer_dtype_from_input():
    x = tf.placeholder(tf.float64, [None, 3])
    tf.layers.dense(x, 2, name="d64")
    assert [v.dtype for v in tf.global_variables()] == [tf.float64, tf.float64]


def test_keras_conv_and_batch_norm():
    img = tf.placeholder(tf.float32, [None, 8, 8, 3])
    c = tf.keras.layers.Conv2D(4, 3, padding="same")(img)
    b = tf.keras.layers.BatchNormalization()(c)
    assert c.shape.as_list() == [None, 8, 8, 4] and b.shape.as_list() == [None, 8, 8, 4]
    assert nv() == [("conv2d/kernel:0", (3, 3, 3, 4)), ("conv2d/bias:0", (4,)),
                    ("batch_normalization/gamma:0", (4,)),
                    ("batch_normalization/beta:0", (4,)),
                    ("batch_normalization/moving_mean:0", (4,)),
                    ("batch_normalization/moving_variance:0", (4,))]
    assert [v.trainable for v in tf.global_variables()] == [True, True, True, True, False,
                                                           False]


def test_layer_classes_flatten_dropout_pooling():
    img = tf.placeholder(tf.float32, [None, 8, 8, 2])
    p = tf.layers.MaxPooling2D(2, 2)(img)
    f = tf.layers.Flatten()(p)
    d = tf.layers.Dropout(0.5)(f)
    assert (p.shape.as_list(), f.shape.as_list(), d.shape.as_list()) == (
        [None, 4, 4, 2], [None, 32], [None, 32])
    assert tf.global_variables() == []


def test_slim_layers_arg_scope_repeat_batch_norm():
    # contrib/layers/python/layers/layers.py: variable_scope(scope, 'Conv' /
    # 'fully_connected' / 'BatchNorm'), kernel/bias renamed weights/biases,
    # model variables; repeat() scopes conv1/conv1_1, conv1/conv1_2
    slim = tf.contrib.slim
    images = tf.placeholder(tf.float32, [None, 32, 32, 3])
    with slim.arg_scope([slim.conv2d, slim.fully_connected],
                        weights_regularizer=slim.l2_regularizer(0.0005)):
        with tf.variable_scope("vgg_16"):
            net = slim.repeat(images, 2, slim.conv2d, 64, [3, 3], scope="conv1")
            net = slim.max_pool2d(net, [2, 2], scope="pool1")
            net = slim.conv2d(net, 32, [3, 3], normalizer_fn=slim.batch_norm, scope="conv2")
            net = slim.fully_connected(slim.flatten(net), 10, activation_fn=None, scope="fc8")
            h = slim.fully_connected(net, 4, normalizer_fn=slim.batch_norm)
    assert net.shape.as_list() == [None, 10] and h.shape.as_list() == [None, 4]
    assert nv() == [
        ("vgg_16/conv1/conv1_1/weights:0", (3, 3, 3, 64)), ("vgg_16/conv1/conv1_1/biases:0", (64,)),
        ("vgg_16/conv1/conv1_2/weights:0", (3, 3, 64, 64)), ("vgg_16/conv1/conv1_2/biases:0", (64,)),
        ("vgg_16/conv2/weights:0", (3, 3, 64, 32)),
        ("vgg_16/conv2/BatchNorm/beta:0", (32,)),
        ("vgg_16/conv2/BatchNorm/moving_mean:0", (32,)),
        ("vgg_16/conv2/BatchNorm/moving_variance:0", (32,)),
        ("vgg_16/fc8/weights:0", (16 * 16 * 32, 10)), ("vgg_16/fc8/biases:0", (10,)),
        ("vgg_16/fully_connected/weights:0", (10, 4)),
        ("vgg_16/fully_connected/BatchNorm/beta:0", (4,)),
        ("vgg_16/fully_connected/BatchNorm/moving_mean:0", (4,)),
        ("vgg_16/fully_connected/BatchNorm/moving_variance:0", (4,))]
    assert [v.name for v in slim.get_model_variables()] == [v.name for v in tf.global_variables()]
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 5  # 5 weights
    with tf.variable_scope("vgg_16", reuse=True):
        slim.fully_connected(tf.placeholder(tf.float32, [None, 10]), 4,
                             normalizer_fn=slim.batch_norm)
    assert len(tf.global_variables()) == 14


def test_contrib_seq2seq_training_and_inference_share():
    # NMT tutorial: one decoder cell and projection layer, two dynamic_decode
    # calls; variables from the first (training) call only
    emb = tf.get_variable("embedding_decoder", [50, 8])
    dec_in = tf.nn.embedding_lookup(emb, tf.placeholder(tf.int32, [4, 7]))
    cell = tf.nn.rnn_cell.BasicLSTMCell(16)
    state = cell.zero_state(4, tf.float32)
    proj = tf.layers.Dense(50, use_bias=False)
    helper = tf.contrib.seq2seq.TrainingHelper(dec_in, [7] * 4)
    dec = tf.contrib.seq2seq.BasicDecoder(cell, helper, state, output_layer=proj)
    out, _, _ = tf.contrib.seq2seq.dynamic_decode(dec)
    assert out.rnn_output.shape.as_list() == [4, None, 50]
    helper = tf.contrib.seq2seq.GreedyEmbeddingHelper(emb, tf.fill([4], 1), 2)
    dec = tf.contrib.seq2seq.BasicDecoder(cell, helper, state, output_layer=proj)
    out, _, _ = tf.contrib.seq2seq.dynamic_decode(dec, maximum_iterations=10)
    assert out.sample_id.shape.as_list() == [4, 10]
    assert nv() == [("embedding_decoder:0", (50, 8)),
                    ("decoder/basic_lstm_cell/kernel:0", (24, 64)),
                    ("decoder/basic_lstm_cell/bias:0", (64,)),
                    ("decoder/dense/kernel:0", (16, 50))]


def test_bidirectional_rnns():
    # rnn.py bidirectional_dynamic_rnn: variable_scope(scope or
    # "bidirectional_rnn") / "fw" | "bw", each dynamic_rnn entering that scope
    x = tf.placeholder(tf.float32, [None, 6, 3])
    (of, ob), _ = tf.nn.bidirectional_dynamic_rnn(tf.nn.rnn_cell.GRUCell(2),
                                                  tf.nn.rnn_cell.GRUCell(2), x,
                                                  dtype=tf.float32)
    assert of.shape.as_list() == [None, 6, 2]
    xs = tf.unstack(tf.placeholder(tf.float32, [4, 5, 3]), axis=1)
    outs, _, _ = tf.nn.static_bidirectional_rnn(tf.nn.rnn_cell.BasicRNNCell(2),
                                                tf.nn.rnn_cell.BasicRNNCell(2), xs,
                                                dtype=tf.float32, scope="birnn")
    assert len(outs) == 5 and outs[0].shape.as_list() == [4, 4]
    assert [n for n, _ in nv()] == [
        "bidirectional_rnn/fw/gru_cell/gates/kernel:0", "bidirectional_rnn/fw/gru_cell/gates/bias:0",
        "bidirectional_rnn/fw/gru_cell/candidate/kernel:0",
        "bidirectional_rnn/fw/gru_cell/candidate/bias:0",
        "bidirectional_rnn/bw/gru_cell/gates/kernel:0", "bidirectional_rnn/bw/gru_cell/gates/bias:0",
        "bidirectional_rnn/bw/gru_cell/candidate/kernel:0",
        "bidirectional_rnn/bw/gru_cell/candidate/bias:0",
        "birnn/fw/basic_rnn_cell/kernel:0", "birnn/fw/basic_rnn_cell/bias:0",
        "birnn/bw/basic_rnn_cell/kernel:0", "birnn/bw/basic_rnn_cell/bias:0"]


def test_keras_lstm_layers_named_per_graph():
    # keras/backend.py unique_object_name: the second LSTM layer is "lstm_1";
    # its weights follow the layer name, not the cell's (recurrent.py RNN.build)
    x = tf.placeholder(tf.float32, [None, 7, 3])
    h = tf.keras.layers.LSTM(4, return_sequences=True)(x)
    tf.keras.layers.LSTM(2)(h)
    assert nv() == [("lstm/kernel:0", (3, 16)), ("lstm/recurrent_kernel:0", (4, 16)),
                    ("lstm/bias:0", (16,)), ("lstm_1/kernel:0", (4, 8)),
                    ("lstm_1/recurrent_kernel:0", (2, 8)), ("lstm_1/bias:0", (8,))]


def test_ema_zero_debias_names():
    # moving_averages.py ExponentialMovingAverage.apply: a tensor's average is
    # slot_creator.create_zeros_slot(tensor, self.name) (variable_scope(None,
    # <op name>/ExponentialMovingAverage) nested in the current variable
    # scope); with zero_debias=True, assign_moving_average -> _zero_debias
    # enters variable_scope(<average name without ':0'>) from the current
    # variable scope and makes "biased" (the average's shape) and "local_step"
    # (scalar), both non-trainable.  The doubled scope is TF's own: its
    # assign_moving_average docstring shows 'scope1/scope2/scope1/scope2/foo/biased'.
    # nn_impl.moments squeezes the kept-dims mean unless keep_dims: the
    # averaged tensor is moments/Squeeze.
    w = tf.get_variable("w", [3])
    x = tf.placeholder(tf.float32, [None, 3])
    with tf.variable_scope("bn"):
        mean, var = tf.nn.moments(x, [0])
        ema = tf.train.ExponentialMovingAverage(0.9, zero_debias=True)
        assert ema.average_name(w) == "bn/w/ExponentialMovingAverage"  # graph.unique_name
        op = ema.apply([w, mean])
        ema.apply([mean])  # already averaged: nothing new
    assert op.name == "bn/ExponentialMovingAverage"
    assert ema.average_name(mean) == "bn/bn/moments/Squeeze/ExponentialMovingAverage"
    assert [(n, s, v.trainable) for (n, s), v in zip(nv(), tf.global_variables())] == [
        ("w:0", (3,), True),
        ("bn/w/ExponentialMovingAverage:0", (3,), False),
        ("bn/bn/moments/Squeeze/ExponentialMovingAverage:0", (3,), False),
        ("bn/bn/bn/moments/Squeeze/ExponentialMovingAverage/biased:0", (3,), False),
        ("bn/bn/bn/moments/Squeeze/ExponentialMovingAverage/local_step:0", (), False)]
    del var


def test_ema_without_zero_debias_makes_no_debias_variables():
    x = tf.placeholder(tf.float32, [None, 2])
    tf.train.ExponentialMovingAverage(0.5).apply([tf.reduce_mean(x, 0)])
    assert nv() == [("Mean/ExponentialMovingAverage:0", (2,))]


def test_zero_debias_unique_suffix_when_taken():
    # moving_averages.py _zero_debias._maybe_get_unique: "biased" takes the
    # first free _N among the scope's global variables unless it reuses
    x = tf.placeholder(tf.float32, [None, 2])
    m = tf.reduce_mean(x, 0, name="m")
    tf.get_variable("m/ExponentialMovingAverage/biased", [2])  # opens no scope
    tf.train.ExponentialMovingAverage(0.5, zero_debias=True).apply([m])
    assert [n for n, _ in nv()] == [
        "m/ExponentialMovingAverage/biased:0", "m/ExponentialMovingAverage:0",
        "m/ExponentialMovingAverage/biased_1:0", "m/ExponentialMovingAverage/local_step:0"]


def test_slim_fused_batch_norm_zero_debias():
    # contrib/layers/python/layers/layers.py batch_norm: zero_debias_moving_mean
    # selects _fused_batch_norm (variable_scope(scope, 'BatchNorm'), no custom
    # getter; model variables beta, [gamma], moving_mean, moving_variance) and
    # its update assign_moving_average(moving_mean, ..., zero_debias=True) in
    # that scope; no updates (no debias variables) when is_training is False
    slim = tf.contrib.slim
    x = tf.placeholder(tf.float32, [None, 8, 8, 3])
    with tf.variable_scope("net"):
        slim.batch_norm(x, zero_debias_moving_mean=True, scale=True)
        slim.batch_norm(x, zero_debias_moving_mean=True, is_training=False, scope="eval")
    assert nv() == [("net/BatchNorm/beta:0", (3,)), ("net/BatchNorm/gamma:0", (3,)),
                    ("net/BatchNorm/moving_mean:0", (3,)),
                    ("net/BatchNorm/moving_variance:0", (3,)),
                    ("net/BatchNorm/net/BatchNorm/moving_mean/biased:0", (3,)),
                    ("net/BatchNorm/net/BatchNorm/moving_mean/local_step:0", ()),
                    ("net/eval/beta:0", (3,)), ("net/eval/moving_mean:0", (3,)),
                    ("net/eval/moving_variance:0", (3,))]
    assert [v.name for v in slim.get_model_variables()] == [
        "net/BatchNorm/beta:0", "net/BatchNorm/gamma:0", "net/BatchNorm/moving_mean:0",
        "net/BatchNorm/moving_variance:0", "net/eval/beta:0", "net/eval/moving_mean:0",
        "net/eval/moving_variance:0"]
