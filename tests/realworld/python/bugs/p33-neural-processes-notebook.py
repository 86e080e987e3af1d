# source: https://github.com/google-deepmind/neural-processes/issues/4
# Running the notebook's model cells a second time adds the MLP layers to
# the same default graph: "Variable layer_3/kernel already exists" (the
# maintainer: run tf.reset_default_graph() before re-running).  The MLP's
# hidden layers sit in an AUTO_REUSE scope and are shared by the re-run;
# its last layer is outside that scope, at the root, and collides.
# RAISES: ValueError: Variable layer_3/kernel already exists
import tensorflow as tf


def batch_mlp(input, output_sizes, variable_scope):
    batch_size, _, filter_size = input.shape.as_list()
    output = tf.reshape(input, (-1, filter_size))
    output.set_shape((None, filter_size))
    with tf.variable_scope(variable_scope, reuse=tf.AUTO_REUSE):
        for i, size in enumerate(output_sizes[:-1]):
            output = tf.nn.relu(tf.layers.dense(output, size, name="layer_{}".format(i)))
    # Last layer without a ReLu (dedented out of the AUTO_REUSE scope)
    output = tf.layers.dense(output, output_sizes[-1], name="layer_{}".format(i + 1))  # EXPECT: any
    return tf.reshape(output, (batch_size, -1, output_sizes[-1]))


class DeterministicEncoder(object):
    def __init__(self, output_sizes):
        self._output_sizes = output_sizes

    def __call__(self, context_x, context_y):
        encoder_input = tf.concat([context_x, context_y], axis=-1)
        hidden = batch_mlp(encoder_input, self._output_sizes, "deterministic_encoder")
        return tf.reduce_mean(hidden, axis=1)


# In [8]: build the model
context_x = tf.placeholder(tf.float32, [16, 10, 1])
context_y = tf.placeholder(tf.float32, [16, 10, 1])
representation = DeterministicEncoder([128, 128, 128, 128])(context_x, context_y)

# In [8] again, to try other data
representation = DeterministicEncoder([128, 128, 128, 128])(context_x, context_y)  # EXPECT: any
