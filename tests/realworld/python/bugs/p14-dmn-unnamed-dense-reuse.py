# source: https://github.com/barronalex/Dynamic-Memory-Networks-in-TensorFlow/issues/4
# The attention gate calls tf.layers.dense twice without names and passes
# reuse=reuse.  On the first fact of the first episode the layers are dense
# and dense_1; on every later call (reuse=True) an unnamed layer's scope is
# its base name, so both map to 'dense' and the second layer binds to the
# first one's kernel: "Trying to share variable
# DMN/memory/attention/dense/kernel, but specified shape (100, 1) and found
# shape (400, 100)".  Fixed by naming the layers.
# RAISES: ValueError: Trying to share variable DMN/memory/attention/dense/kernel
import tensorflow as tf

embed_size, num_hops, max_sentences = 100, 3, 5


def get_attention(q_vec, prev_memory, fact_vec, reuse):
    with tf.variable_scope("attention", reuse=reuse):
        features = [fact_vec * q_vec, fact_vec * prev_memory,
                    tf.abs(fact_vec - q_vec), tf.abs(fact_vec - prev_memory)]
        feature_vec = tf.concat(features, 1)
        attention = tf.layers.dense(feature_vec, embed_size, activation=tf.nn.tanh, reuse=reuse)
        attention = tf.layers.dense(attention, 1, activation=None, reuse=reuse)  # EXPECT: any
    return attention


def generate_episode(memory, q_vec, fact_vecs, hop_index):
    attentions = [tf.squeeze(get_attention(q_vec, memory, fv, bool(hop_index) or bool(i)), axis=1)
                  for i, fv in enumerate(tf.unstack(fact_vecs, axis=1))]
    attentions = tf.nn.softmax(tf.transpose(tf.stack(attentions)))
    return tf.reduce_sum(fact_vecs * tf.expand_dims(attentions, -1), 1)


q_vec = tf.placeholder(tf.float32, [None, embed_size])
fact_vecs = tf.placeholder(tf.float32, [None, max_sentences, embed_size])
with tf.variable_scope("DMN"):
    with tf.variable_scope("memory"):
        prev_memory = q_vec
        for i in range(num_hops):
            episode = generate_episode(prev_memory, q_vec, fact_vecs, i)
            with tf.variable_scope("hop_%d" % i):
                prev_memory = tf.layers.dense(tf.concat([prev_memory, episode, q_vec], 1),
                                              embed_size, activation=tf.nn.relu)
