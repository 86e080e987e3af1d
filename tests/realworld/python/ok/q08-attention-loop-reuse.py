# source: https://github.com/yaserkl/RLSeq2Seq/issues/18
# The decoder loop calls `if i > 0: tf.get_variable_scope().reuse_variables()`
# inside variable_scope("attention_decoder"): only that scope reuses, so the
# output projection built after the decoder still creates its variables.
import tensorflow as tf

attn_size, vocab = 512, 50000


def attention(decoder_state, encoder_features):
    with tf.variable_scope("Attention"):
        W_h = tf.get_variable("W_h", [1, 1, attn_size, attn_size])
        v = tf.get_variable("v", [attn_size])
        feats = tf.nn.conv2d(encoder_features, W_h, [1, 1, 1, 1], "SAME")
        return tf.reduce_sum(v * tf.tanh(feats + tf.reshape(decoder_state, [-1, 1, 1, attn_size])), [2, 3])


enc = tf.placeholder(tf.float32, [16, 40, 1, attn_size])
state = tf.placeholder(tf.float32, [16, attn_size])
outputs = []
with tf.variable_scope("attention_decoder"):
    for i in range(3):
        if i > 0:
            tf.get_variable_scope().reuse_variables()
        outputs.append(attention(state, enc))
with tf.variable_scope("output_projection"):
    w = tf.get_variable("w", [attn_size, vocab])
