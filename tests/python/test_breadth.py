"""Shim breadth the real-world Python corpus (tests/realworld/python) needs:
contrib.cudnn_rnn, nn.moments / nn.batch_normalization / nn.conv3d, slim.nets.vgg,
tf.distribute strategies, Session.run's value stand-ins, unmodelled TF
classes and enable_eager_execution at startup.  Names and shapes are TF
1.15's (sources cited at each test)."""
import os
import subprocess
import sys

import pytest

import vstrace.tf as tf
from vstrace.tf import _core


def nv(vs=None):
    return [(v.name, tuple(v.shape.as_list())) for v in (vs or tf.global_variables())]


# ------------------------------------------------------------- cudnn_rnn
def test_cudnn_gru_opaque_kernel_in_layer_scope():
    # contrib/cudnn_rnn/python/layers/cudnn_rnn.py _CudnnRNN.build:
    # get_variable("opaque_kernel", validate_shape=False) in the layer's
    # scope (base name cudnn_gru); call returns (outputs, (h,)) time-major
    x = tf.placeholder(tf.float32, [20, 32, 64])
    gru = tf.contrib.cudnn_rnn.CudnnGRU(num_layers=2, num_units=128)
    out, state = gru(x)
    assert [v.name for v in tf.global_variables()] == ["cudnn_gru/opaque_kernel:0"]
    assert tf.global_variables()[0].shape.ndims is None  # validate_shape=False
    assert out.shape.as_list() == [20, 32, 128]
    assert len(state) == 1 and state[0].shape.as_list() == [2, 32, 128]
    lstm = tf.contrib.cudnn_rnn.CudnnLSTM(1, 16, direction="bidirectional")
    out2, (h, c) = lstm(x)
    assert [v.name for v in tf.global_variables()][1:] == ["cudnn_lstm/opaque_kernel:0"]
    assert out2.shape.as_list() == [20, 32, 32] and c.shape.as_list() == [2, 32, 16]


def test_cudnn_gru_first_called_in_cond_raises_tf_message():
    # RefVariable._init_from_args: a tensor initial value made inside a
    # control-flow context is TF's ValueError (tensorflow/tensorflow#18248)
    x = tf.placeholder(tf.float32, [20, 32, 64])
    gru = tf.contrib.cudnn_rnn.CudnnGRU(1, 128)
    with pytest.raises(ValueError) as e:
        tf.cond(tf.placeholder(tf.bool, []), lambda: gru(x)[0], lambda: gru(x)[0])
    assert str(e.value).startswith("Initializer for variable cudnn_gru/opaque_kernel/ is "
                                   "from inside a control-flow construct")


def test_cudnn_input_depth_must_be_known():
    gru = tf.contrib.cudnn_rnn.CudnnGRU(1, 8)
    with pytest.raises(ValueError, match="should be defined. Found `None`"):
        gru(tf.placeholder(tf.float32, [5, 2, None]))


# ------------------------------------------------------------------- nn
def test_moments_are_squeezed_unless_keep_dims():
    # nn_impl.moments: reduce_mean(keepdims=True, name="mean"/"variance"),
    # then array_ops.squeeze(mean, axes) unless keep_dims
    x = tf.placeholder(tf.float32, [8, 4, 4, 3])
    m, v = tf.nn.moments(x, [0, 1, 2])
    assert (m.name, v.name) == ("moments/Squeeze:0", "moments/Squeeze_1:0")
    assert m.shape.as_list() == [3] and v.shape.as_list() == [3]
    m, v = tf.nn.moments(x, [0, 1, 2], keep_dims=True)
    assert (m.name, v.name) == ("moments_1/mean:0", "moments_1/variance:0")
    assert m.shape.as_list() == [1, 1, 1, 3]


def test_batch_normalization_keeps_the_input_shape():
    # nn_impl.batch_normalization: name_scope "batchnorm", result x*inv + ...
    x = tf.placeholder(tf.float32, [None, 4, 4, 8])
    m, v = tf.nn.moments(x, [0, 1, 2])
    y = tf.nn.batch_normalization(x, m, v, None, None, 1e-3)
    assert y.name == "batchnorm/add_1:0"
    assert y.shape.as_list() == [None, 4, 4, 8]


def test_conv3d_shapes():
    # nn_ops.conv3d (gen_nn_ops Conv3D): NDHWC input, filter [d, h, w, in,
    # out]; SAME: ceil(n / s), VALID: (n - k) // s + 1
    x = tf.placeholder(tf.float32, [4, 16, 16, 16, 1])
    w = tf.get_variable("w", [4, 4, 4, 1, 32])
    y = tf.nn.conv3d(x, w, strides=[1, 2, 2, 2, 1], padding="SAME")
    assert y.name == "Conv3D:0" and y.shape.as_list() == [4, 8, 8, 8, 32]
    y = tf.nn.conv3d(x, w, strides=[1, 2, 2, 2, 1], padding="VALID", name="c")
    assert y.name == "c:0" and y.shape.as_list() == [4, 7, 7, 7, 32]


# -------------------------------------------------------------- slim nets
def _vgg16_expected(scope, classes):
    # contrib/slim/python/slim/nets/vgg.py vgg_16: repeat(conv2d) blocks
    # conv1..conv5 of 2, 2, 3, 3, 3 layers, fc6 7x7, fc7 1x1, fc8 1x1
    out, cin = [], 3
    for i, (n, depth) in enumerate([(2, 64), (2, 128), (3, 256), (3, 512), (3, 512)]):
        for j in range(n):
            p = "%s/conv%d/conv%d_%d/" % (scope, i + 1, i + 1, j + 1)
            out += [(p + "weights:0", (3, 3, cin, depth)), (p + "biases:0", (depth,))]
            cin = depth
    for name, k, cin, cout in (("fc6", 7, 512, 4096), ("fc7", 1, 4096, 4096),
                               ("fc8", 1, 4096, classes)):
        out += [("%s/%s/weights:0" % (scope, name), (k, k, cin, cout)),
                ("%s/%s/biases:0" % (scope, name), (cout,))]
    return out


def test_slim_vgg_16_variables_and_logits():
    from vstrace.tf.contrib import slim
    images = tf.placeholder(tf.float32, [2, 224, 224, 3])
    with slim.arg_scope(slim.nets.vgg.vgg_arg_scope()):
        logits, end_points = slim.nets.vgg.vgg_16(images, num_classes=20)
    assert nv() == _vgg16_expected("vgg_16", 20)
    assert logits.shape.as_list() == [2, 20]
    assert list(end_points) == ["vgg_16/fc8"]
    # vgg_arg_scope: an l2 weights_regularizer on every conv layer
    assert len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)) == 16
    assert len(slim.get_model_variables()) == 32


def test_slim_vgg_16_twice_without_reuse_fails():
    from vstrace.tf.contrib import slim
    images = tf.placeholder(tf.float32, [1, 224, 224, 3])
    slim.nets.vgg.vgg_16(images)
    with pytest.raises(ValueError) as e:
        slim.nets.vgg.vgg_16(images)
    assert str(e.value).startswith("Variable vgg_16/conv1/conv1_1/weights already exists")
    with tf.variable_scope(tf.get_variable_scope(), reuse=True):
        slim.nets.vgg.vgg_16(images)
    assert len(tf.global_variables()) == 32


# ------------------------------------------------------------ distribute
def test_strategy_scope_is_a_variable_creator():
    seen = []

    class Recording(tf.distribute.MirroredStrategy):
        def _creator(self, next_creator, **kwargs):
            seen.append(kwargs["name"])
            return next_creator(**kwargs)

    strategy = Recording(["/gpu:0", "/gpu:1"])
    assert strategy.num_replicas_in_sync == 2
    tf.get_variable("outside", [1])
    with strategy.scope():
        v = tf.get_variable("w", [2])
    assert v.name == "w:0" and seen == ["w"]
    with tf.distribute.get_strategy().scope():
        tf.get_variable("plain", [1])
    assert seen == ["w"]
    assert strategy.experimental_run_v2(lambda a, b: a + b, args=(1, 2)) == 3


# ----------------------------------------------------------- Session.run
def test_session_run_keeps_structure_ops_fetch_none():
    x = tf.placeholder(tf.float32, [None, 2])
    loss = tf.reduce_mean(tf.layers.dense(x, 1))
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
    init = tf.global_variables_initializer()
    F = _core.FETCHED
    with tf.Session() as sess:
        with pytest.warns(UserWarning, match="tensors fetch as nan"):
            assert sess.run(init) is None
        out = sess.run([train_op, loss, {"l": loss}, (loss,)], feed_dict={x: None})
        assert out[0] is None and out[1] is F and out[2] == {"l": F} and out[3] == (F,)
        assert isinstance(out[2]["l"], type(F)) and type(out[3]) is tuple
    assert loss.eval() is F and tf.global_variables()[0].eval() is F


def test_fetched_value_survives_common_use():
    v = _core.FETCHED
    assert "%.3f" % v == "nan" and "%f" % v == "nan" and "%d" % v == "0"
    assert "{:.2f}".format(v) == "nan" and "{}".format(v) == "nan" and str(v) == "nan"
    assert "{:d}".format(v) == "0" and "%5.1f%%" % (v * 100) == "  nan%"
    assert (v + 1) is v and (1 - v) is v and (v / 3) is v and (-v) is v and round(v, 2) is v
    assert not (v < 0.1) and not (v > 0.1) and not (v == 0) and (v != 0) and not v
    assert list(v) == [] and len(v) == 0 and v[0] is v and v.mean() is v and v.shape == ()
    assert float(v) != float(v) and int(v) == 0
    total = 0.0
    total += v
    assert total is v


# ------------------------------------------------- unmodelled TF classes
def test_unmodelled_class_warns_with_the_line_and_chains():
    x = tf.placeholder(tf.float32, [None, 4])
    with pytest.warns(UserWarning) as w:
        ds = tf.data.Dataset.from_tensor_slices(x).batch(2)
        nxt = ds.make_one_shot_iterator().get_next()
    here = os.path.basename(__file__)
    assert len(w) == 1
    msg = str(w[0].message)
    assert msg.startswith("vstrace.tf: tf.data.Dataset is not modelled (docs/python.md)")
    assert ("first used at " in msg) and (here + ":") in msg
    t = tf.reduce_sum(nxt)
    assert t.shape.ndims == 0 or t.shape.ndims is None
    assert tf.convert_to_tensor(nxt) is tf.convert_to_tensor(nxt)
    with pytest.raises(NotImplementedError) as e:
        a, b = nxt
    assert str(e.value).startswith(
        "vstrace.tf: tf.data.Dataset.from_tensor_slices().batch().make_one_shot_iterator()"
        ".get_next() is not modelled: its result cannot be unpacked or iterated (at ")


def test_unmodelled_instances_and_context_managers():
    with pytest.warns(UserWarning, match="tf.train.Scaffold is not modelled"):
        s = tf.train.Scaffold(saver=None)
    assert isinstance(s, tf.train.Scaffold) and bool(s)
    with pytest.warns(UserWarning, match="tf.train.MonitoredTrainingSession is not modelled"):
        with tf.train.MonitoredTrainingSession() as sess:
            sess.run(tf.constant(1.0))
    # lowercase names stay ops of unknown shape; Assert is an op too
    assert isinstance(tf.foo_bar(tf.constant(1.0)), tf.Tensor)
    assert isinstance(tf.Assert(tf.constant(True), [1]), tf.Tensor)


# ------------------------------------------------------------- eager mode
def _py(code):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          env=env)


def test_enable_eager_execution_at_startup_and_late():
    p = _py("import vstrace.tf as tf\ntf.enable_eager_execution()\ntf.enable_eager_execution()\n"
            "print(tf.executing_eagerly())")
    assert p.returncode == 0, p.stderr
    assert p.stdout == "True\n"
    p = _py("import vstrace.tf as tf\ntf.placeholder(tf.float32)\n"
            "try:\n    tf.enable_eager_execution()\nexcept ValueError as e:\n    print(e)")
    assert p.returncode == 0, p.stderr
    assert p.stdout == "tf.enable_eager_execution must be called at program startup.\n"
