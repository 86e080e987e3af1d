# source: https://github.com/LeeDoYup/AnoGAN-tf/issues/4
# discriminator(image) then discriminator(G, reuse=True); the generator's
# output size does not match the dataset's image size, so the flattened
# input of d_h4_lin differs: "Trying to share variable
# discriminator/d_h4_lin/Matrix, but specified shape (8192, 1) and found
# shape (25088, 1)".
# RAISES: ValueError: Trying to share variable discriminator/d_h4_lin/Matrix
import tensorflow as tf

batch_size, df_dim = 64, 64


def conv2d(x, out, name):
    with tf.variable_scope(name):
        w = tf.get_variable("w", [5, 5, x.get_shape()[-1], out],
                            initializer=tf.truncated_normal_initializer(stddev=0.02))
        return tf.nn.conv2d(x, w, strides=[1, 2, 2, 1], padding="SAME")


def linear(x, out, scope):
    shape = x.get_shape().as_list()
    with tf.variable_scope(scope):
        matrix = tf.get_variable("Matrix", [shape[1], out], tf.float32,
                                 tf.random_normal_initializer(stddev=0.02))
        return tf.matmul(x, matrix)


def discriminator(image, reuse=False):
    with tf.variable_scope("discriminator") as scope:
        if reuse:
            scope.reuse_variables()
        h0 = tf.nn.leaky_relu(conv2d(image, df_dim, name="d_h0_conv"))
        h1 = tf.nn.leaky_relu(conv2d(h0, df_dim * 2, name="d_h1_conv"))
        h2 = tf.nn.leaky_relu(conv2d(h1, df_dim * 4, name="d_h2_conv"))
        h3 = tf.nn.leaky_relu(conv2d(h2, df_dim * 8, name="d_h3_conv"))
        h4 = linear(tf.reshape(h3, [batch_size, -1]), 1, "d_h4_lin")
        return tf.nn.sigmoid(h4), h4


inputs = tf.placeholder(tf.float32, [batch_size, 108, 108, 3], name="real_images")
G = tf.placeholder(tf.float32, [batch_size, 64, 64, 3], name="G")
D, D_logits = discriminator(inputs)
D_, D_logits_ = discriminator(G, reuse=True)  # EXPECT: any
