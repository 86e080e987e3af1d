# source: https://github.com/cbfinn/maml/issues/28
# task_metalearn(..., reuse=False) is run once to create the batch norm
# variables; every later task runs with reuse=True and shares them.
import tensorflow as tf


def normalize(inp, reuse, scope):
    return tf.contrib.layers.batch_norm(inp, activation_fn=tf.nn.relu, reuse=reuse, scope=scope)


def forward(inp, reuse=False):
    with tf.variable_scope("model", reuse=reuse):
        h = tf.layers.dense(inp, 64, name="fc0", reuse=reuse)
        return normalize(h, reuse, "norm0")


inputa = tf.placeholder(tf.float32, [5, 784])
unused = forward(inputa, reuse=False)
outputs = [forward(inputa, reuse=True) for _ in range(4)]
