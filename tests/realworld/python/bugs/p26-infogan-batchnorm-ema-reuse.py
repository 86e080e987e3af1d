# source: https://github.com/JonathanRaiman/tensorflow-infogan/issues/9
# The discriminator is applied to real and then to generated images with
# reuse=True.  Its hand-written batch norm keeps moving averages with an
# ExponentialMovingAverage, whose variables are named after the moments ops
# of this call (discriminator_1/...), so under reuse they do not exist:
# "Variable discriminator/layer_0/batch_norm/discriminator_1/layer_0/
# batch_norm/moments/...ExponentialMovingAverage/ does not exist".
# RAISES: ValueError: Variable discriminator/layer_0/batch_norm/discriminator_1/layer_0/batch_norm/moments/Squeeze/ExponentialMovingAverage/ does not exist
import tensorflow as tf


def batch_norm(x, n_out, is_training=True):
    with tf.variable_scope("batch_norm"):
        beta = tf.get_variable("beta", [n_out], initializer=tf.constant_initializer(0.0))
        gamma = tf.get_variable("gamma", [n_out], initializer=tf.constant_initializer(1.0))
        batch_mean, batch_var = tf.nn.moments(x, [0, 1, 2], name="moments")
        ema = tf.train.ExponentialMovingAverage(decay=0.5)
        ema_apply_op = ema.apply([batch_mean, batch_var])  # EXPECT: any
        with tf.control_dependencies([ema_apply_op]):
            mean, var = tf.identity(batch_mean), tf.identity(batch_var)
        return tf.nn.batch_normalization(x, mean, var, beta, gamma, 1e-3)


def discriminator(x, reuse=False):
    with tf.variable_scope("discriminator", reuse=reuse):
        with tf.variable_scope("layer_0"):
            w = tf.get_variable("w", [4, 4, 1, 64])
            h = tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME")
            h = tf.nn.leaky_relu(batch_norm(h, 64))
        with tf.variable_scope("out"):
            flat = tf.layers.flatten(h)
            return tf.layers.dense(flat, 1)


real = tf.placeholder(tf.float32, [64, 28, 28, 1])
fake = tf.placeholder(tf.float32, [64, 28, 28, 1])
d_real = discriminator(real)
d_fake = discriminator(fake, reuse=True)  # EXPECT: any
