# source: https://github.com/jonbruner/ezgan/issues/2
# discriminator(x_image, reuse=False) starts with `if (reuse):
# tf.get_variable_scope().reuse_variables()` and is called a second time with
# reuse=True for the generated images: the root scope reuses from then on,
# and the discriminator's AdamOptimizer cannot create its slots: "Variable
# d_w1/Adam/ does not exist" (a comment in the thread traces it to the root
# reuse).
# RAISES: ValueError: Variable d_w1/Adam/ does not exist
import tensorflow as tf


def discriminator(x_image, reuse=False):
    if (reuse):
        tf.get_variable_scope().reuse_variables()  # EXPECT: any
    d_w1 = tf.get_variable("d_w1", [5, 5, 1, 32], initializer=tf.truncated_normal_initializer(stddev=0.02))
    d_b1 = tf.get_variable("d_b1", [32], initializer=tf.constant_initializer(0))
    d1 = tf.nn.relu(tf.nn.conv2d(input=x_image, filter=d_w1, strides=[1, 1, 1, 1], padding="SAME") + d_b1)
    d1 = tf.nn.avg_pool(d1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    d_w3 = tf.get_variable("d_w3", [14 * 14 * 32, 1], initializer=tf.truncated_normal_initializer(stddev=0.02))
    d_b3 = tf.get_variable("d_b3", [1], initializer=tf.constant_initializer(0))
    return tf.matmul(tf.reshape(d1, [-1, 14 * 14 * 32]), d_w3) + d_b3


def generator(z, batch_size, z_dim):
    g_w1 = tf.get_variable("g_w1", [z_dim, 784], dtype=tf.float32,
                           initializer=tf.truncated_normal_initializer(stddev=0.02))
    return tf.reshape(tf.sigmoid(tf.matmul(z, g_w1)), [batch_size, 28, 28, 1])


z_dimensions, batch_size = 100, 50
x_placeholder = tf.placeholder("float", shape=[None, 28, 28, 1], name="x_placeholder")
z_placeholder = tf.placeholder(tf.float32, [None, z_dimensions], name="z_placeholder")
Gz = generator(z_placeholder, batch_size, z_dimensions)
Dx = discriminator(x_placeholder)
Dg = discriminator(Gz, reuse=True)
g_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=Dg, labels=tf.ones_like(Dg)))
d_loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=Dx, labels=tf.ones_like(Dx))) + \
    tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(logits=Dg, labels=tf.zeros_like(Dg)))
tvars = tf.trainable_variables()
d_vars = [var for var in tvars if "d_" in var.name]
g_vars = [var for var in tvars if "g_" in var.name]
d_trainer = tf.train.AdamOptimizer(0.0003).minimize(d_loss, var_list=d_vars)
g_trainer = tf.train.AdamOptimizer(0.0001).minimize(g_loss, var_list=g_vars)
