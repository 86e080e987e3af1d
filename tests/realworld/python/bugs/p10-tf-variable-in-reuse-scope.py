# source: https://github.com/ruiqigao/Multigrid_learning/issues/1
# build_Q(reuse) enters tf.variable_scope('Q', reuse=reuse) to share its
# weights, but one of them is made with tf.Variable(...), which ignores the
# variable store: the reusing call silently creates a second copy (Q/Q_1).
import tensorflow as tf


def build_Q(x, reuse=False):
    with tf.variable_scope("Q", reuse=reuse):
        w = tf.get_variable("w", [64, 64], initializer=tf.random_normal_initializer(stddev=0.01))
        Q = tf.Variable(tf.zeros([64]), name="Q")  # EXPECT: any
        return tf.matmul(x, w) + Q


x_obs = tf.placeholder(tf.float32, [None, 64])
x_syn = tf.placeholder(tf.float32, [None, 64])
q_obs = build_Q(x_obs)
q_syn = build_Q(x_syn, reuse=True)
loss = tf.reduce_mean(q_syn) - tf.reduce_mean(q_obs)
train = tf.train.AdamOptimizer(1e-4).minimize(loss)
