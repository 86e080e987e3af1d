# source: https://github.com/mozilla/DeepSpeech/pull/389 (the change that
# replaced the root reuse_variables() with a per-tower reuse flag)
# Tower 0 creates, towers 1 and 2 reuse through
# variable_scope(tf.get_variable_scope(), reuse=i > 0); the root scope is
# never switched, so the optimizer's slots are created after the loop.
import tensorflow as tf


def BiRNN(batch_x, n_input=494, n_hidden=2048):
    with tf.variable_scope("layer_1"):
        h1 = tf.get_variable("h1", [n_input, n_hidden],
                             initializer=tf.random_normal_initializer(stddev=0.046875))
        b1 = tf.get_variable("b1", [n_hidden], initializer=tf.zeros_initializer())
        return tf.minimum(tf.nn.relu(tf.matmul(batch_x, h1) + b1), 20.0)


optimizer = tf.train.AdamOptimizer(1e-3)
x = tf.placeholder(tf.float32, [None, 494])
tower_gradients = []
for i in range(3):
    with tf.device("/gpu:%d" % i), tf.name_scope("tower_%d" % i):
        with tf.variable_scope(tf.get_variable_scope(), reuse=i > 0):
            logits = BiRNN(x)
            loss = tf.reduce_mean(logits)
            tower_gradients.append(optimizer.compute_gradients(loss))
avg = [(tf.reduce_mean(tf.stack([g for g, _ in gv]), 0), gv[0][1]) for gv in zip(*tower_gradients)]
apply_op = optimizer.apply_gradients(avg)
