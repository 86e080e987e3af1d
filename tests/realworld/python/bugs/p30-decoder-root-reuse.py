# source: https://github.com/ufal/neuralmonkey/issues/169
# The decoder calls tf.get_variable_scope().reuse_variables() on the default
# scope before its runtime loop, so "any subsequent calls to
# tf.get_variable are looking for existing variables": the output
# projection built after the decoder does not exist.  The fix gives the
# decoder a variable scope of its own.
# RAISES: ValueError: Variable output_projection/kernel does not exist
import tensorflow as tf


class Decoder(object):
    def __init__(self, encoded, rnn_size=256, max_output_len=5):
        self.rnn_size = rnn_size
        cell = tf.nn.rnn_cell.GRUCell(rnn_size)
        state = encoded
        inputs = tf.zeros_like(encoded)
        train_outputs = []
        for _ in range(max_output_len):
            out, state = cell(inputs, state)
            train_outputs.append(out)
        tf.get_variable_scope().reuse_variables()  # EXPECT: any
        state = encoded
        self.runtime_outputs = []
        for _ in range(max_output_len):
            out, state = cell(inputs, state)
            self.runtime_outputs.append(out)
        self.train_outputs = train_outputs


sentence = tf.placeholder(tf.float32, [None, 300])
encoded = tf.layers.dense(sentence, 256, name="encoder")
decoder = Decoder(encoded)
logits = tf.layers.dense(decoder.train_outputs[-1], 30000, name="output_projection")
