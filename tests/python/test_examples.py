"""examples/python: each correct program creates exactly the variables TF
1.15 creates (names and shapes derived from TF's naming rules, cited in
tracer/layers.c and python/vstrace/tf/), records under `vstrace record` with
`import tensorflow as tf` unchanged, and checks clean (no warning or error);
each buggy twin's findings point at the right line of its .py file."""
import os

import pytest

from conftest import ROOT, run_recorded, vscheck


def _bn(scope, ch):
    # normalization.py build: gamma, beta, moving_mean, moving_variance
    return [(scope + "/" + n, (ch,)) for n in ("gamma", "beta", "moving_mean",
                                               "moving_variance")]


def _layer(scope, kernel, bias=True):
    # Dense/Conv build: kernel, then bias (units,) / (filters,)
    out = [(scope + "/kernel", kernel)]
    if bias:
        out.append((scope + "/bias", (kernel[-1],)))
    return out


def _tconv(scope, k, cin, filters):
    # Conv2DTranspose.build: kernel_size + (filters, input_dim)
    return [(scope + "/kernel", (k, k, filters, cin)), (scope + "/bias", (filters,))]


def _adam(trainable, suffix=""):
    # adam.py _create_slots: beta1_power, beta2_power (tf.Variable, named by the
    # name scope: a second optimizer's are beta1_power_1), then m and v slots
    # in variable_scope(None, default_name=<var>/Adam) -> .../Adam, .../Adam_1
    out = [("beta1_power" + suffix, ()), ("beta2_power" + suffix, ())]
    for name, shape in trainable:
        out += [(name + "/Adam", shape), (name + "/Adam_1", shape)]
    return out


def _trainable(vs):
    return [(n, s) for n, s in vs if not n.rsplit("/", 1)[-1].startswith("moving_")]


def dcgan_expected():
    g = (_layer("generator/g_h0_lin", (100, 4096)) + _bn("generator/g_bn0", 256) +
         _tconv("generator/g_h1", 5, 256, 128) + _bn("generator/g_bn1", 128) +
         _tconv("generator/g_h2", 5, 128, 64) + _bn("generator/g_bn2", 64) +
         _tconv("generator/g_h3", 5, 64, 3))
    d = (_layer("discriminator/d_h0_conv", (5, 5, 3, 64)) +
         _layer("discriminator/d_h1_conv", (5, 5, 64, 128)) + _bn("discriminator/d_bn1", 128) +
         _layer("discriminator/d_h2_lin", (8 * 8 * 128, 1)))
    return g + d + _adam(_trainable(d)) + _adam(_trainable(g), "_1")


def seq2seq_expected():
    # rnn.py dynamic_rnn: variable_scope("rnn"); LSTMCell.build: kernel
    # (input_depth + num_units, 4 * num_units), bias (4 * num_units,)
    v = [("embedding", (1000, 64)),
         ("encoder/rnn/lstm_cell/kernel", (64 + 128, 512)),
         ("encoder/rnn/lstm_cell/bias", (512,)),
         ("decoder/rnn/lstm_cell/kernel", (64 + 128, 512)),
         ("decoder/rnn/lstm_cell/bias", (512,))] + _layer("decoder/projection", (128, 1000))
    return v + _adam(v)


def resnet_expected():
    # get_or_create_global_step: global_step () int64; momentum.py: slot "momentum"
    # (.../Momentum); moving_averages.py apply: .../ExponentialMovingAverage
    v = _layer("conv0", (3, 3, 3, 16))
    for b in ("block1", "block2"):
        v += (_layer(b + "/conv1", (3, 3, 16, 16), False) + _bn(b + "/bn1", 16) +
              _layer(b + "/conv2", (3, 3, 16, 16), False) + _bn(b + "/bn2", 16))
    v += _layer("fc", (16, 10))
    t = _trainable(v)
    return (v + [("global_step", ())] + [(n + "/Momentum", s) for n, s in t] +
            [(n + "/ExponentialMovingAverage", s) for n, s in t])


def towers_expected():
    v = (_layer("conv1", (5, 5, 3, 32)) + _layer("conv2", (5, 5, 32, 64)) +
         _layer("fc1", (8 * 8 * 64, 256)) + _layer("logits", (256, 10)))
    return [("global_step", ())] + v + _adam(v)


EXPECTED = {"dcgan": dcgan_expected, "seq2seq": seq2seq_expected,
            "resnet": resnet_expected, "towers": towers_expected}


def _fmt(vs):
    return ["%s:0 %s" % (n, "(%s)" % ", ".join(map(str, s)) if len(s) != 1 else
                         "(%d,)" % s[0]) for n, s in vs]


def _line(path, marker):
    with open(os.path.join(ROOT, path)) as f:
        for i, text in enumerate(f, 1):
            if marker in text:
                return i
    raise AssertionError("%s: no line with %r" % (path, marker))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_correct_program(name, tmp_path):
    path = "examples/python/%s.py" % name
    trace = str(tmp_path / (name + ".db"))
    rc, out, err = run_recorded(path, trace)
    assert rc == 0, err
    assert out.splitlines() == _fmt(EXPECTED[name]())
    rc, out, err = vscheck(trace)
    assert rc == 0, out + err
    findings = [l for l in out.splitlines() if ": warning: " in l or ": error: " in l]
    assert findings == []
    assert out.startswith(path + ":") or out == ""


TWINS = [
    # (twin, exit status of the run, [(level, rule, marker of the line)]); a
    # model built twice is reported at the second call of the model function
    # (the first frame of the Python stack where the two builds differ)
    ("dcgan_bug_noreuse", 1, [("error", "VS113", "discriminator(G)  # BUG")]),
    ("dcgan_bug_rootreuse", 1, [("warning", "VS105", "reuse_variables()  # BUG"),
                                ("error", "VS101", "d_optim = ")]),
    ("seq2seq_bug_noreuse", 1, [("error", "VS102", "step_logits = tf.layers.dense(")]),
    ("resnet_bug_noreuse", 1, [("error", "VS113", "model(images, training=False)  # BUG")]),
    ("towers_bug_noreuse", 1, [("error", "VS113", 'name="conv1"')]),
    ("towers_bug_adam_in_tower", 0,
     [("warning", "VS117", "train_op = tf.train.AdamOptimizer(1e-3).minimize(loss)")]),
]


@pytest.mark.parametrize("twin,status,expect", TWINS, ids=[t[0] for t in TWINS])
def test_buggy_twin(twin, status, expect, tmp_path):
    path = "examples/python/%s.py" % twin
    trace = str(tmp_path / (twin + ".db"))
    rc, out, err = run_recorded(path, trace)
    assert rc == status, err
    if status:
        assert "ValueError: Variable " in err
    rc, out, err = vscheck(trace)
    assert rc == (1 if any(lvl == "error" for lvl, _, _ in expect) else 0), out + err
    for level, rule, marker in expect:
        want = "%s:%d:1: %s: " % (path, _line(path, marker), level)
        hits = [l for l in out.splitlines() if l.startswith(want) and "[%s " % rule in l]
        assert hits, "no %s %s at %s in:\n%s" % (level, rule, want, out)
