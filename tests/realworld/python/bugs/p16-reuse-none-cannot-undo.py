# source: https://github.com/tensorflow/tensorflow/issues/537
# The seq2seq decoder is built once, then again inside a reusing scope (for
# the feed_previous graph); in the second build the user opens
# variable_scope(module, reuse=None) to get fresh per-module attention
# weights, but reuse is inherited from the enclosing scope: "Variable
# embedding_attention_seq2seq/attention_decoder/b/AttnW_0 does not exist".
# RAISES: ValueError: Variable embedding_attention_seq2seq/attention_decoder/b/AttnW_0 does not exist
import tensorflow as tf

attn_size = 64


def attention_module(hidden, name, reuse=None):
    with tf.variable_scope(name, reuse=reuse):  # EXPECT: any
        k = tf.get_variable("AttnW_0", [1, 1, attn_size, attn_size])
        return tf.nn.conv2d(hidden, k, [1, 1, 1, 1], "SAME")


def seq2seq(hidden, modules, reuse=None):
    with tf.variable_scope("embedding_attention_seq2seq", reuse=reuse):
        with tf.variable_scope("attention_decoder"):
            return [attention_module(hidden, m, reuse=None) for m in modules]


hidden = tf.placeholder(tf.float32, [32, 10, 1, attn_size])
train_outputs = seq2seq(hidden, ["a"])
decode_outputs = seq2seq(hidden, ["a", "b"], reuse=True)
